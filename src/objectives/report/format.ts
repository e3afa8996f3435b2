/**
 * Text for people, shared by the renderers and the messages: durations, and deploy-time values
 * as stable placeholders.
 */
import { IResolvable, Reference, StringConcat, Token, Tokenization } from 'aws-cdk-lib';

/** Seconds for people: `45 s`, `2 min 1 s`. */
export function fmt(value: number): string {
  const s = Math.round(value * 10) / 10;
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  const rest = Math.round((s - minutes * 60) * 10) / 10;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * A string with every deploy-time value replaced by a stable, readable placeholder: an
 * attribute of a resource becomes `<Stack/Alb.DNSName>`, anything else `<deploy-time value>`.
 * The same app gives the same text on every synth.
 */
export function readable(value: string): string {
  if (!Token.isUnresolved(value)) {
    return value;
  }
  return Tokenization.reverseString(value)
    .mapTokens({ mapToken: (t: IResolvable) => placeholder(t) })
    .join(new StringConcat()) as string;
}

function placeholder(t: IResolvable): string {
  if (Reference.isReference(t)) {
    const path = t.target.node.path.replace(/\/(Resource|Default)$/, '');
    return `<${path}.${t.displayName}>`;
  }
  return '<deploy-time value>';
}

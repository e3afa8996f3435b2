/**
 * CloudFormation templates written in YAML: the short tags (`!Ref`, `!GetAtt A.B`, `!Sub`...)
 * become their long JSON form, and no scalar CloudFormation reads as text changes on the way
 * (no dates, no octal or hexadecimal numbers, no lost leading zeros).
 */
import { parseDocument, Scalar, YAMLMap } from 'yaml';
import type { ParseOptions, SchemaOptions, Tags } from 'yaml';

/** Each short tag and the long form it stands for. */
const SHORT_TAGS: { [tag: string]: string } = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  GetAZs: 'Fn::GetAZs',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Transform: 'Fn::Transform',
};

/** The schema's tags: YAML 1.2's core schema, with numbers kept as written when a number would change them, and CloudFormation's. */
function tags(core: Tags): Tags {
  const numbers = core.map((tag) => {
    if (typeof tag !== 'object' || tag.collection !== undefined || !/:(int|float)$/.test(tag.tag)) {
      return tag;
    }
    return {
      ...tag,
      resolve: (text: string, onError: (message: string) => void, options: ParseOptions): unknown => {
        const resolved = tag.resolve(text, onError, options);
        const n = resolved instanceof Scalar ? resolved.value : resolved;
        // `0123`, `0x1F`, `.inf` or a 20-digit ID: CloudFormation reads such a value as text.
        const kept = typeof n === 'number' && Number.isFinite(n) && !/^[-+]?0[0-9]/.test(text) && (tag.tag.endsWith(':float') || String(n) === text.replace(/^\+/, ''));
        return kept ? resolved : text;
      },
    };
  });
  // A tagged scalar is text (`!Ref 0` names "0"), and `!GetAtt A.B.C` splits at the first dot, as aws-cli reads templates.
  const cloudFormation = Object.entries(SHORT_TAGS).flatMap(([short, long]) => [
    {
      tag: `!${short}`,
      resolve: (text: string) => ({ [long]: short === 'GetAtt' ? text.split(/\.(.*)/s).slice(0, 2) : text }),
    },
    ...(['map', 'seq'] as const).map((collection) => ({
      tag: `!${short}`,
      collection,
      resolve: (node: unknown) => {
        const wrapped = new YAMLMap();
        wrapped.set(new Scalar(long), node);
        return wrapped;
      },
    })),
  ]);
  return [...numbers, ...cloudFormation];
}

const OPTIONS: ParseOptions & SchemaOptions = { schema: 'core', customTags: tags, prettyErrors: true, uniqueKeys: true };

/** The template a YAML text holds, or why it cannot be read (with the line and column). */
export function parseYamlTemplate(text: string): { value: unknown } | { reason: string } {
  try {
    const doc = parseDocument(text, OPTIONS);
    const error = doc.errors[0];
    if (error !== undefined) {
      const line = error.message.split('\n')[0].replace(/:$/, '');
      const at = error.linePos?.[0];
      const where = at === undefined || line.includes(' at line ') ? '' : ` at line ${at.line}, column ${at.col}`;
      return { reason: `not YAML (${line}${where})` };
    }
    return { value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    // An alias that expands too far, for one.
    return { reason: `not YAML (${(e as Error).message.split('\n')[0]})` };
  }
}

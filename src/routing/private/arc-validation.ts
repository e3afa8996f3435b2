/**
 * The names and ARNs ARC accepts (docs/aws-facts.md#arc-and-global-accelerator): names of 1..64
 * characters without whitespace; ARNs of 1..256 characters from `A-Za-z0-9:/_-`.
 */
import { ARC_MAX_NAME } from '../../objectives/model/arc';
import { Problems } from '../../private/errors';
import { show, truncate, unresolved } from '../../private/validate';

const ARN_CHARACTERS = /^[A-Za-z0-9:/_-]{1,256}$/;

/** Checks an ARC name (cluster, control panel, routing control, safety rule); skips Tokens. */
export function checkArcName(problems: Problems, prop: string, name: string | undefined, fix: string): void {
  if (name === undefined || unresolved(name)) {
    return;
  }
  if (name.length === 0 || name.length > ARC_MAX_NAME || /\s/.test(name)) {
    problems.add(`\`${prop}\` must be 1 to ${ARC_MAX_NAME} characters without whitespace (ARC's rule for names), `
      + `got ${name.length} characters: ${show(truncate(name))}. ${fix}`);
  }
}

/** Checks an ARC ARN of one kind (`cluster`, `routingcontrol`); skips Tokens. */
export function checkArcArn(problems: Problems, prop: string, arn: string | undefined, kind: 'cluster' | 'routingcontrol', example: string): void {
  if (arn === undefined || unresolved(arn)) {
    return;
  }
  const shape = kind === 'cluster'
    ? /^arn:[a-z-]+:route53-recovery-control::\d{12}:cluster\/[A-Za-z0-9_-]+$/
    : /^arn:[a-z-]+:route53-recovery-control::\d{12}:controlpanel\/[A-Za-z0-9_-]+\/routingcontrol\/[A-Za-z0-9_-]+$/;
  if (!ARN_CHARACTERS.test(arn) || !shape.test(arn)) {
    problems.add(`\`${prop}\` must be the ARN of an ARC ${kind === 'cluster' ? 'cluster' : 'routing control'}, e.g. ${example}, `
      + `got: ${show(truncate(arn))}. Copy it from the ARC console or \`aws route53-recovery-control-config list-${kind === 'cluster' ? 'clusters' : 'routing-controls'}\`.`);
  }
}

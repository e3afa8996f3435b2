/**
 * The checks of an ActiveRegion's props (docs/aws-facts.md#ssm-parameter-store) and of the
 * capacities a stack asks it for.
 */
import { Token } from 'aws-cdk-lib';
import { Problems } from '../../private/errors';
import { isRegionName } from '../../private/region';
import { show, truncate } from '../../private/validate';
import type { ActiveRegionProps } from '../active-region';

/** PutParameter's name limit for names we create (2048 reported, 1037 reserved by SSM). */
export const MAX_PARAMETER_NAME_LENGTH = 1011;
/** Parameter hierarchies are at most fifteen levels deep. */
export const MAX_PARAMETER_NAME_DEPTH = 15;

const NAME_CHARACTERS = /^[A-Za-z0-9_.\-/]*$/;
const APP_NAME = /^[A-Za-z0-9_.-]+$/;

/** The default parameter name; regions meet by it. */
export function defaultParameterName(appName: string): string {
  return `/cdk-failover/${appName}/active-region`;
}

export function validateActiveRegionProps(problems: Problems, stackRegion: string | undefined, props: ActiveRegionProps): void {
  if (Token.isUnresolved(props.appName)) {
    problems.add('`appName` is a deploy-time Token, but the parameter name must be the same literal in every region. Give a literal name.');
  } else if (!APP_NAME.test(props.appName)) {
    problems.add(`\`appName\` must be letters, digits, \`_\`, \`.\` or \`-\` (it is one level of the parameter name), got: ${show(truncate(props.appName))}. `
      + 'Use e.g. `appName: \'orders\'`.');
  }
  if (props.parameterName !== undefined) {
    checkParameterName(problems, '`parameterName`', props.parameterName);
  } else if (!Token.isUnresolved(props.appName) && APP_NAME.test(props.appName)) {
    checkParameterName(problems, 'the parameter name made from `appName`', defaultParameterName(props.appName));
  }

  const regions = props.regions;
  const seen = new Set<string>();
  for (const r of regions) {
    if (Token.isUnresolved(r)) {
      problems.add('`regions` has a deploy-time Token: each region\'s copy and its ARN are named at synth. Give region names, e.g. `[\'us-east-1\', \'us-west-2\']`.');
    } else if (!isRegionName(r)) {
      problems.add(`\`regions\` must hold AWS region names, got: ${show(r)}. Use e.g. \`'us-east-1'\`.`);
    } else if (seen.has(r)) {
      problems.add(`\`regions\` names ${r} twice. Name each region once.`);
    }
    seen.add(r);
  }
  if (regions.length < 2) {
    problems.add(`\`regions\` must name at least 2 regions (the primary and where it fails over to), got: ${show(regions)}. `
      + 'Give every region that holds a copy of the parameter.');
  }
  if (Token.isUnresolved(props.primaryRegion)) {
    problems.add('`primaryRegion` is a deploy-time Token, but it is the parameter\'s first value in every region. Give a region name.');
  } else if (!regions.includes(props.primaryRegion)) {
    problems.add(`\`primaryRegion\` must be one of \`regions\` ${show(regions)}, got: ${show(props.primaryRegion)}. Add it to \`regions\` or fix the name.`);
  }
  if (stackRegion !== undefined && regions.every((r) => !Token.isUnresolved(r)) && !regions.includes(stackRegion)) {
    problems.add(`this stack is in ${stackRegion}, which is not one of \`regions\` ${show(regions)}: the runbooks would never update this copy. `
      + 'Add the stack\'s region to `regions`, or create the construct in a stack of one of them.');
  }
}

/** SSM's naming rules for a hierarchical parameter name (docs/aws-facts.md#ssm-parameter-store); `what` names it in messages, `fix` ends them. */
export function checkParameterName(problems: Problems, what: string, name: string, fix = 'Use a name like `/cdk-failover/orders/active-region`.'): void {
  if (Token.isUnresolved(name)) {
    problems.add(`${what} is a deploy-time Token, but every region must find the parameter by the same literal name. Give a literal name.`);
    return;
  }
  const shown = show(truncate(name));
  if (!name.startsWith('/')) {
    problems.add(`${what} must start with \`/\` (a hierarchical name, so that its ARN is \`parameter/...\`), got: ${shown}. ${fix}`);
    return;
  }
  if (!NAME_CHARACTERS.test(name)) {
    problems.add(`${what} may hold only letters, digits, \`_\`, \`.\`, \`-\` and \`/\`, got: ${shown}. ${fix}`);
  }
  const levels = name.slice(1).split('/');
  if (levels.some((l) => l.length === 0)) {
    problems.add(`${what} must not have an empty level (\`//\` or a trailing \`/\`), got: ${shown}. ${fix}`);
  }
  if (/^(aws|ssm)/i.test(levels[0])) {
    problems.add(`${what} must not begin with \`aws\` or \`ssm\` (reserved by AWS, in any case), got: ${shown}. ${fix}`);
  }
  if (levels.length > MAX_PARAMETER_NAME_DEPTH) {
    problems.add(`${what} must be at most ${MAX_PARAMETER_NAME_DEPTH} levels deep, got ${levels.length}: ${shown}. ${fix}`);
  }
  if (name.length > MAX_PARAMETER_NAME_LENGTH) {
    problems.add(`${what} must be at most ${MAX_PARAMETER_NAME_LENGTH} characters, got ${name.length}: ${shown}. ${fix}`);
  }
}

/** The capacities of `capacityFor`: whole numbers, the standby no larger than the active one. */
export function checkCapacities(problems: Problems, activeCapacity: number, standbyCapacity: number): void {
  const fix = 'Give whole numbers, e.g. `capacityFor(this, 6, 1)`.';
  for (const [prop, value] of [['activeCapacity', activeCapacity], ['standbyCapacity', standbyCapacity]] as const) {
    if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 0)) {
      problems.add(`\`${prop}\` must be a whole number of 0 or more, got: ${show(value)}. ${fix}`);
    }
  }
  if (!Token.isUnresolved(activeCapacity) && !Token.isUnresolved(standbyCapacity) && standbyCapacity > activeCapacity) {
    problems.add(`\`standbyCapacity\` (${standbyCapacity}) must not exceed \`activeCapacity\` (${activeCapacity}): the active region carries the traffic. `
      + 'Swap the two arguments.');
  }
}

/**
 * What an `AwsHealthSignal` accepts, and where AWS Health delivers the events it watches
 * (docs/aws-facts.md#aws-health).
 */
import { Duration, Token } from 'aws-cdk-lib';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { isRegionName, partitionOf } from '../../private/region';
import { checkDuration, show } from '../../private/validate';
import { AwsHealthSignalProps } from '../aws-health-signal-props';

/** The assumptions an `AwsHealthSignal` takes. */
export const AWS_HEALTH_ASSUMPTIONS = [RecoveryAssumption.AWS_HEALTH_SIGNAL];

/** Default period of the alarm: 15 minutes. */
export const DEFAULT_PERIOD = Duration.minutes(15);

/** Upper-case service codes: AWS allows 2 to 30 characters without `:` or `/`, and matching is case-sensitive. */
const SERVICE_PATTERN = /^[A-Z0-9_]{2,30}$/;
const MAX_SERVICES = 50;
const MAX_PERIOD = 86_400;

/** The Region that also receives public events about `region`, per AWS Health's backup rule. */
export function backupRegion(region: string): string | undefined {
  if (partitionOf(region) !== 'aws') {
    return undefined;
  }
  return region === 'us-west-2' ? 'us-east-1' : 'us-west-2';
}

/** How events about `watched` reach EventBridge in `here`: directly, as public backups only, or not at all. */
export function delivery(watched: string, here: string): 'direct' | 'backup' | 'none' {
  if (watched === here) {
    return 'direct';
  }
  return backupRegion(watched) === here ? 'backup' : 'none';
}

/**
 * Adds a problem for every prop an `AwsHealthSignal` cannot use. `here` is the stack's Region,
 * undefined when only known at deploy time.
 */
export function checkAwsHealthProps(problems: Problems, props: AwsHealthSignalProps, here: string | undefined): void {
  checkServices(problems, props.services);
  checkRegions(problems, props.regions, here);
  const period = checkDuration(problems, 'period', props.period, {
    unit: 'seconds',
    min: 60,
    max: MAX_PERIOD,
    literal: 'the alarm and the recovery model need it at synth',
    fix: 'Give whole minutes, e.g. Duration.minutes(15).',
  });
  if (period !== undefined && period % 60 !== 0) {
    problems.add(`\`period\` must be whole minutes (CloudWatch standard resolution, which Route 53 alarm-based checks need), got: ${show(props.period)}. `
      + 'Give e.g. Duration.minutes(15).');
  }
  checkAssumptions(problems, props.assumptions, AWS_HEALTH_ASSUMPTIONS);
}

function checkServices(problems: Problems, services: string[] | undefined): void {
  if (!Array.isArray(services) || Token.isUnresolved(services)) {
    problems.add(`\`services\` must be a list of AWS Health service names, got: ${show(services)}. Give e.g. ['EC2', 'RDS', 'ELASTICLOADBALANCING'].`);
    return;
  }
  if (services.length === 0 || services.length > MAX_SERVICES) {
    problems.add(`\`services\` must name 1 to ${MAX_SERVICES} services, got ${services.length}. Name the services your recovery path depends on, e.g. ['EC2', 'RDS'].`);
  }
  for (const service of services) {
    if (typeof service !== 'string' || Token.isUnresolved(service) || !SERVICE_PATTERN.test(service)) {
      problems.add(`\`services\` holds ${show(service)}; a service is named as AWS Health names it: 2 to 30 upper-case letters, digits or underscores `
        + '(the event pattern matches case-sensitively). Give e.g. EC2, RDS, ELASTICLOADBALANCING.');
    }
  }
  const duplicates = [...new Set(services.filter((s, i) => services.indexOf(s) !== i))];
  if (duplicates.length > 0) {
    problems.add(`\`services\` names ${duplicates.map((d) => show(d)).join(', ')} more than once. Name each service once.`);
  }
}

function checkRegions(problems: Problems, regions: string[] | undefined, here: string | undefined): void {
  if (regions === undefined) {
    if (here === undefined) {
      problems.add('`regions` is not given and the stack\'s Region is only known at deploy time. Give the Regions to watch, e.g. [\'us-east-1\'], '
        + 'or deploy the signal in a stack with an explicit env.');
    }
    return;
  }
  if (!Array.isArray(regions) || Token.isUnresolved(regions) || regions.length === 0) {
    problems.add(`\`regions\` must be a list of 1 or more Region names, got: ${show(regions)}. Give e.g. ['us-east-1'], or leave it out for the stack's Region.`);
    return;
  }
  for (const region of regions) {
    if (typeof region !== 'string' || Token.isUnresolved(region) || !isRegionName(region)) {
      problems.add(`\`regions\` holds ${show(region)}, which is not a Region name. Give names such as us-east-1.`);
      continue;
    }
    if (here !== undefined && delivery(region, here) === 'none') {
      const backup = backupRegion(region);
      problems.add(`\`regions\` holds ${region}, but AWS Health delivers events about ${region} to EventBridge in ${region}`
        + `${backup ? ` and (public events only) in ${backup}` : ''}, not in this stack's Region ${here}. `
        + `Deploy an AwsHealthSignal in ${region}${backup ? ` or ${backup}` : ''} for it.`);
    }
  }
  const duplicates = [...new Set(regions.filter((r, i) => regions.indexOf(r) !== i))];
  if (duplicates.length > 0) {
    problems.add(`\`regions\` names ${duplicates.join(', ')} more than once. Name each Region once.`);
  }
}

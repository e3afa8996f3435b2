/**
 * The checks of `DisasterRecovery`'s props, all before anything is created.
 */
import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { Problems } from '../../private/errors';
import { checkRecordName, qualify } from '../../private/records';
import { isRegionName } from '../../private/region';
import { checkDomainName, checkDuration, checkInteger, checkLiteral, checkSize, show, unresolved } from '../../private/validate';
import type { DisasterRecoveryProps } from '../disaster-recovery-props';
import { RecoveryStrategyKind } from '../recovery-strategy';

/** What validation settled: the figures the builders use. */
export interface ValidatedStrategy {
  /** The lag beyond which the failover refuses to promote. */
  readonly maxLag: Duration;
  /** The standby's capacity from the Region's full capacity (throws when an explicit one is above it). */
  standbyCapacity(full: number): number;
}

const PRICES = [
  'fargateVcpuHour', 'fargateGbHour', 'databaseInstanceHour', 'loadBalancerHour', 'healthCheckMonth', 'healthCheckFeatureMonth', 'interRegionGb',
  'replicatedGbPerMonth',
] as const;

export function validateStrategy(owner: IConstruct, props: DisasterRecoveryProps): ValidatedStrategy {
  const problems = new Problems(owner);
  const p = props;
  checkLiteral(problems, 'appName', p.appName, 'every name the Regions meet by is made from it at synth');
  if (typeof p.appName !== 'string' || !/^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,23}$/.test(p.appName)) {
    problems.add(`\`appName\` must be 1 to 24 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen, got: ${show(p.appName)}. `
      + 'It starts every name the strategy makes (stacks, ECS and Aurora clusters, runbooks, the switch\'s alarms); 24 keeps the longest of them within '
      + 'their limits in every Region. Give e.g. `orders`.');
  }
  for (const [prop, region] of [['primaryRegion', p.primaryRegion], ['recoveryRegion', p.recoveryRegion], ['globalRegion', p.globalRegion]] as const) {
    if (region !== undefined && !isRegionName(region)) {
      problems.add(`\`${prop}\` must be a Region name such as us-east-1, got: ${show(region)}. Regions meet by name, so it must be known at synth.`);
    }
  }
  if (p.primaryRegion === p.recoveryRegion) {
    problems.add(`\`recoveryRegion\` must differ from \`primaryRegion\`, got ${show(p.recoveryRegion)} for both: a Region cannot recover from its own loss. Give another Region.`);
  }
  checkInteger(problems, 'peakCapacity', p.peakCapacity, 1, 10_000, 'Give the tasks (or instances) that carry the peak load.');
  checkLiteral(problems, 'peakCapacity', p.peakCapacity, 'the standby capacity and the cost are computed from it at synth');
  for (const [prop, value] of [['hostedZoneId', p.hostedZoneId], ['zoneName', p.zoneName], ['recordName', p.recordName]] as const) {
    if (typeof value !== 'string' || value.trim().length === 0) {
      problems.add(`\`${prop}\` must not be empty, got: ${show(value)}. The public name is \`<recordName>.<zoneName>\` in the zone \`hostedZoneId\`.`);
    }
  }
  if (typeof p.recordName === 'string' && typeof p.zoneName === 'string' && p.recordName.trim().length > 0 && p.zoneName.trim().length > 0) {
    const zone = { zoneName: p.zoneName } as route53.IHostedZone;
    const fqdn = qualify(p.recordName, zone);
    checkRecordName(problems, 'recordName', p.recordName, zone, fqdn);
    if (fqdn === p.zoneName.replace(/\.$/, '')) {
      problems.add(`\`recordName\` must name a record below the zone, got the apex ${show(p.recordName)}: each Region's name is \`<region>.<recordName>\`, `
        + 'and the failover records of the apex cannot be CNAMEs. Give e.g. `app`.');
    }
    // The longest name the strategy makes from it: the recovery Region's regional name.
    checkDomainName(problems, 'recordName', `${p.recoveryRegion}.${fqdn}`);
  }
  if (p.healthCheckPath !== undefined && !unresolved(p.healthCheckPath) && !p.healthCheckPath.startsWith('/')) {
    problems.add(`\`healthCheckPath\` must start with /, got: ${show(p.healthCheckPath)}. Give e.g. \`/health\`.`);
  }
  const kind = p.strategy?.kind;
  if (kind === undefined) {
    problems.add('`strategy` must be a RecoveryStrategy, e.g. RecoveryStrategy.warmStandby().');
  }
  const explicit = p.strategy?._options.standbyCapacity;
  const capacityProp = kind === RecoveryStrategyKind.ACTIVE_ACTIVE ? 'strategy.regionCapacity' : 'strategy.standbyCapacity';
  checkInteger(problems, capacityProp, explicit, kind === RecoveryStrategyKind.ACTIVE_ACTIVE ? 1 : 0, 10_000,
    'Give the tasks (or instances) the Region runs while it stands by.');
  checkLiteral(problems, capacityProp, explicit, 'the cost estimate needs it at synth');
  const db = p.database;
  checkInteger(problems, 'database.readers', db?.readers, 0, 15, 'An Aurora cluster has one writer and up to 15 replicas.');
  const maxLag = db?.maxLag ?? Duration.minutes(1);
  checkDuration(problems, 'database.maxLag', db?.maxLag, { unit: 'seconds', min: 1, max: 3600, literal: 'the runbook\'s guard and the RPO need it at synth' });
  checkSize(problems, 'database.size', db?.size, { min: 2 ** 30, literal: 'the restore time of the backup path is modeled from it', fix: 'Give e.g. Size.gibibytes(200).' });
  if (db && kind === RecoveryStrategyKind.BACKUP_AND_RESTORE && db.maxLag !== undefined) {
    problems.add('`database.maxLag` applies to the strategies that replicate the database, not to backup and restore (its data loss is the backup interval). Remove it.');
  }
  for (const key of PRICES) {
    const value = p.pricing?.[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      problems.add(`\`pricing.${key}\` must be a finite number, 0 or more, got: ${show(value)}. Give the price in US dollars, or leave it out for the us-east-1 list price.`);
    }
  }
  problems.throwIfAny();
  return {
    maxLag,
    standbyCapacity: (full: number) => {
      const [min, max, why] = capacityRange(kind!, full);
      if (explicit !== undefined && (explicit < min || explicit > max)) {
        const again = new Problems(owner);
        again.add(`\`${capacityProp}\` is ${explicit}, but ${/^[aeiou]/.test(kind!) ? 'an' : 'a'} ${kind} runs ${min === max ? min : `${min} to ${max}`} task(s) while it stands by: ${why} `
          + `(the service runs ${full} when it serves, its statically stable capacity for \`peakCapacity\` ${p.peakCapacity}). `
          + (explicit > max ? `Give at most ${max}` : `Give at least ${min}`) + `${kindFix(kind!, explicit, full)}.`);
        again.throwIfAny();
      }
      return explicit ?? defaultStandby(kind!, full);
    },
  };
}

/** What each strategy may keep running while it stands by, and why. */
function capacityRange(kind: RecoveryStrategyKind, full: number): [number, number, string] {
  switch (kind) {
    case RecoveryStrategyKind.PILOT_LIGHT:
      return [0, full, 'its runbook scales it to full capacity before the switch'];
    case RecoveryStrategyKind.WARM_STANDBY:
      return [1, Math.max(1, full - 1), 'it serves from the switch on, so it needs a task, and scales to full capacity after'];
    case RecoveryStrategyKind.HOT_STANDBY:
      return [full, full, 'its runbook switches without scaling'];
    default:
      return [1, full, 'each Region serves'];
  }
}

/** Where a capacity out of range belongs. */
function kindFix(kind: RecoveryStrategyKind, given: number, full: number): string {
  if (kind === RecoveryStrategyKind.WARM_STANDBY && given === 0) {
    return ', or use RecoveryStrategy.pilotLight() for a standby without tasks';
  }
  if (kind === RecoveryStrategyKind.WARM_STANDBY && given >= full) {
    return ', or use RecoveryStrategy.hotStandby() for a standby at full capacity';
  }
  if (kind === RecoveryStrategyKind.HOT_STANDBY) {
    return ', or use RecoveryStrategy.warmStandby() for a standby at reduced capacity';
  }
  return '';
}

/** Pilot light runs nothing, a warm standby a quarter (at least 1), a hot standby and each active Region everything. */
function defaultStandby(kind: RecoveryStrategyKind, full: number): number {
  switch (kind) {
    case RecoveryStrategyKind.PILOT_LIGHT:
    case RecoveryStrategyKind.BACKUP_AND_RESTORE:
      return 0;
    case RecoveryStrategyKind.WARM_STANDBY:
      return Math.max(1, Math.ceil(full / 4));
    default:
      return full;
  }
}

/**
 * The checks of `DisasterRecovery`'s props, all before anything is created.
 */
import { Duration, SizeRoundingBehavior } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Problems } from '../../private/errors';
import { isRegionName } from '../../private/region';
import { checkDuration, checkInteger, checkLiteral, show } from '../../private/validate';
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
      + 'It starts every stack, cluster and runbook name (an Aurora cluster name allows no more); give e.g. `orders`.');
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
  if (typeof p.recordName === 'string' && (p.recordName.startsWith('.') || p.recordName.endsWith('.') || p.recordName.includes('*'))) {
    problems.add(`\`recordName\` must be a name in the zone without leading or trailing dots or wildcards, got: ${show(p.recordName)}. Give e.g. \`app\`.`);
  }
  if (p.healthCheckPath !== undefined && !p.healthCheckPath.startsWith('/')) {
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
  if (db?.size !== undefined && (db.size.isUnresolved() || !(db.size.toGibibytes({ rounding: SizeRoundingBehavior.FLOOR }) >= 1))) {
    problems.add(`\`database.size\` must be a literal Size of at least 1 GiB, got: ${show(db.size)}. Give e.g. Size.gibibytes(200).`);
  }
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
      if (explicit !== undefined && explicit > full) {
        const again = new Problems(owner);
        again.add(`\`${capacityProp}\` is ${explicit}, more than the ${full} tasks the service runs when it serves (its statically stable capacity for \`peakCapacity\` ${p.peakCapacity}). `
          + `Give at most ${full}.`);
        again.throwIfAny();
      }
      return explicit ?? defaultStandby(kind!, full);
    },
  };
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

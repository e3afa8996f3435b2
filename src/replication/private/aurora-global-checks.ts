/**
 * The checks of the Aurora global database topologies (docs/aws-facts.md#rds-and-aurora).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { MANAGED_RPO_MAX, MANAGED_RPO_MIN, managedRpoFor } from '../../objectives/model/aurora-global';
import { RecoveryObjectives } from '../../objectives/objectives';
import { Problems } from '../../private/errors';
import { checkSameRegion, isRegionName } from '../../private/region';
import { checkDuration, literalSeconds, show, unresolved } from '../../private/validate';
import { ManagedRpo } from '../aurora-global';
import { findGlobalCluster, primaryRecord } from './aurora-global-paths';

/** The rules of `CreateGlobalCluster` for `GlobalClusterIdentifier`. */
const GLOBAL_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/;

/** The deterministic name by which the regions meet: a literal identifier RDS accepts. */
export function checkGlobalClusterIdentifier(problems: Problems, id: string): void {
  const prop = 'topology.globalClusterIdentifier';
  if (unresolved(id)) {
    problems.add(`\`${prop}\` is a deploy-time Token, but the secondaries in other regions' stacks join the global database by this name. `
      + 'Give a literal name, the same in every stack, e.g. "orders-global".');
    return;
  }
  if (!GLOBAL_ID.test(id) || id.endsWith('-')) {
    problems.add(`\`${prop}\` must be 1 to 63 letters, digits or hyphens, starting with a letter, with no two hyphens in a row and no hyphen at the end, `
      + `got: ${show(id)}. Give e.g. "orders-global".`);
  }
}

/** Aurora MySQL or Aurora PostgreSQL with a version: a global database needs both to match across regions. */
export function checkGlobalEngine(problems: Problems, engine: rds.IClusterEngine): void {
  if ((engine.engineType === 'aurora-mysql' || engine.engineType === 'aurora-postgresql') && engine.engineVersion?.fullVersion === undefined) {
    problems.add(`\`topology.engine\` must give a version: the primary and every secondary of a global database run the same one, got ${engine.engineType} `
      + 'without a version. Give e.g. rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }).');
  }
}

/**
 * The managed RPO in whole seconds, or undefined when there is none or it has a problem: Aurora
 * PostgreSQL only, 20 to 2,147,483,647 seconds, from the prop or the nearest objectives.
 */
export function checkManagedRpo(problems: Problems, scope: IConstruct, engineType: string, managedRpo: ManagedRpo | undefined): number | undefined {
  if (managedRpo === undefined) {
    return undefined;
  }
  if (engineType !== 'aurora-postgresql') {
    problems.add(`\`topology.managedRpo\` is only available for Aurora PostgreSQL (the parameter rds.global_db_rpo), got engine ${engineType}. `
      + 'Remove `managedRpo`; the Aurora MySQL failover path then takes the replication lag as an assumption (`assumptions.auroraGlobalLag` on the secondary).');
    return undefined;
  }
  const given = managedRpo._rpo;
  if (given !== undefined) {
    return checkDuration(problems, 'topology.managedRpo', given, {
      unit: 'seconds',
      min: MANAGED_RPO_MIN,
      max: MANAGED_RPO_MAX,
      literal: 'it is written into the parameter group and the recovery model',
      fix: 'Give e.g. ManagedRpo.of(Duration.seconds(60)).',
    });
  }
  const objectives = RecoveryObjectives.of(scope);
  if (objectives?.rpo === undefined) {
    problems.add('`topology.managedRpo` is ManagedRpo.fromObjectives(), but no RecoveryObjectives with an `rpo` is declared above this database '
      + '(before it). Declare one, e.g. new RecoveryObjectives(app, \'Objectives\', { rto, rpo: Duration.minutes(1) }), or give ManagedRpo.of(...).');
    return undefined;
  }
  const rpo = literalSeconds(objectives.rpo);
  const seconds = managedRpoFor(rpo);
  if (seconds === undefined) {
    problems.add(`\`topology.managedRpo\` is ManagedRpo.fromObjectives(), but the RPO objective at ${objectives.node.path} is ${show(objectives.rpo)}, `
      + `below the ${MANAGED_RPO_MIN} s that rds.global_db_rpo accepts: a global database cannot promise it. `
      + 'Raise the objective to 20 s or more, or plan only switchovers (RPO 0) and leave `managedRpo` out.');
  }
  return seconds;
}

/** The primary's region: a literal region name, not this stack's. */
export function checkPrimaryRegion(problems: Problems, scope: IConstruct, region: string): void {
  const prop = 'topology.primaryRegion';
  if (unresolved(region)) {
    problems.add(`\`${prop}\` is a deploy-time Token, but the recovery paths name it at synth. Give the region of the primary, e.g. "us-east-1".`);
    return;
  }
  if (!isRegionName(region)) {
    problems.add(`\`${prop}\` must be an AWS region name, got: ${show(region)}. Give the region of the primary's stack, e.g. "us-east-1".`);
    return;
  }
  const here = Stack.of(scope).region;
  if (!unresolved(here) && here === region) {
    problems.add(`\`${prop}\` is ${show(region)}, this stack's own region: a secondary of a global database lives in another region than the primary. `
      + 'Put the secondary in a stack of another region, or use DatabaseTopology.aurora() here.');
  }
}

/** Secret replica regions: region names, each once, not the primary's own. */
export function checkSecretReplicaRegions(problems: Problems, scope: IConstruct, regions: string[] | undefined): void {
  const here = Stack.of(scope).region;
  const seen = new Set<string>();
  for (const region of regions ?? []) {
    if (unresolved(region)) {
      continue;
    }
    if (!isRegionName(region)) {
      problems.add(`\`topology.secretReplicaRegions\` must hold AWS region names, got: ${show(region)}. Give the regions of the secondaries, e.g. ["us-west-2"].`);
    } else if (region === here) {
      problems.add(`\`topology.secretReplicaRegions\` holds ${show(region)}, the primary's own region, where the secret already is. Remove it.`);
    } else if (seen.has(region)) {
      problems.add(`\`topology.secretReplicaRegions\` holds ${show(region)} twice. Give each region once.`);
    }
    seen.add(region);
  }
}

/** The storage key must be in the cluster's region: each region encrypts with a key of its own. */
export function checkStorageKey(problems: Problems, scope: IConstruct, key: kms.IKey | undefined): void {
  checkSameRegion(problems, scope, 'topology.storageEncryptionKey', key,
    'Aurora encrypts each cluster of a global database with a KMS key of its own region: give a key of this region, or leave it out to get one.', true);
}

/** The alarm threshold: above zero. */
export function checkLagThreshold(problems: Problems, threshold: Duration | undefined): void {
  checkDuration(problems, 'topology.rpoLagAlarmThreshold', threshold, {
    aboveMin: true,
    literal: 'the alarm is set up at synth against the RPO it names',
    fix: 'The AuroraGlobalDBRPOLag alarm fires above it; give your RPO, e.g. Duration.seconds(60).',
  });
}

/** A headless secondary has no instances, so no readers. */
export function checkHeadless(problems: Problems, headless: boolean | undefined, readers: number | undefined): void {
  if (headless && readers !== undefined) {
    problems.add(`\`topology.readers\` is ${show(readers)}, but \`topology.headless\` is true: a headless secondary has no DB instance. `
      + 'Remove `readers`, or set `headless: false` to have instances that serve reads.');
  }
}

/**
 * A secondary runs the primary's engine and version: when the primary is declared earlier in the
 * same app, they are compared.
 */
export function checkSameEngineAsPrimary(problems: Problems, scope: IConstruct, id: string, engine: rds.IClusterEngine): void {
  if (unresolved(id)) {
    return;
  }
  const primary = primaryRecord(scope, id)?.engine;
  if (primary === undefined) {
    return;
  }
  const describe = (e: rds.IClusterEngine) => `${e.engineType} ${e.engineVersion?.fullVersion ?? '(no version)'}`;
  if (describe(primary) !== describe(engine)) {
    problems.add(`\`topology.engine\` is ${describe(engine)}, but the primary of ${id} (${Stack.of(findGlobalCluster(scope, id)!).stackName}) runs `
      + `${describe(primary)}: every cluster of a global database runs the same engine and version. Give the primary's engine.`);
  }
}

/**
 * A secondary reads the primary's master secret from its own region: when the primary is
 * declared in the same stage, its `secretReplicaRegions` must hold the secondary's region, or
 * the secondary (and a proxy on it) points at a secret that does not exist, and after a
 * failover the credentials are not in the region that now writes.
 */
export function checkSecretInRegion(problems: Problems, scope: IConstruct, id: string): void {
  const primary = unresolved(id) ? undefined : primaryRecord(scope, id);
  const region = Stack.of(scope).region;
  if (primary === undefined || unresolved(region) || primary.secretReplicaRegions.includes(region)) {
    return;
  }
  problems.add(`\`topology.globalClusterIdentifier\` is ${id}, whose primary (${Stack.of(findGlobalCluster(scope, id)!).stackName}) replicates its master secret to `
    + `${primary.secretReplicaRegions.length === 0 ? 'no region' : show(primary.secretReplicaRegions)}, not to ${region}, where this secondary reads it. `
    + `Add ${JSON.stringify(region)} to the primary's \`secretReplicaRegions\`.`);
}

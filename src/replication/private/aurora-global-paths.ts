/**
 * What a secondary cluster of an Aurora global database adds to its `MultiAzDatabase`: the
 * cross-region switchover and failover paths, and the alarm on its lag
 * (docs/aws-facts.md#rds-and-aurora).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { RecoveryAssumption, RecoveryAssumptions } from '../../objectives/assumptions';
import { RecoveryEstimate } from '../../objectives/estimate';
import { globalFailover, GlobalPathInput, globalSwitchover } from '../../objectives/model/aurora-global';
import { RecoveryObjectives } from '../../objectives/objectives';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';
import { AlarmFactory } from '../../private/alarm-factory';
import { AssumptionValues, givenAssumption } from '../../private/assumptions';
import { knownRegion } from '../../private/region';
import { constructsOfStage } from '../../private/stage';
import { literalSeconds } from '../../private/validate';

const PRIMARY = Symbol.for('cdk-failover.AuroraGlobalPrimary');

/** What a primary declares of itself on its global cluster, for the secondaries of the app. */
export interface GlobalPrimaryRecord {
  /** The managed RPO in seconds, if any. */
  readonly managedRpo?: number;
  readonly engine: rds.IClusterEngine;
  /** The regions the master secret is replicated to. */
  readonly secretReplicaRegions: string[];
}

/** The named assumptions of the cross-region paths. */
export const GLOBAL_PATH_ASSUMPTIONS = [
  RecoveryAssumption.OPERATOR_RESPONSE,
  RecoveryAssumption.GLOBAL_DATABASE_FAILOVER,
  RecoveryAssumption.AURORA_GLOBAL_LAG,
  RecoveryAssumption.HEADLESS_INSTANCE_CREATION,
];

/** Records the primary's managed RPO and engine on its global cluster, where the secondaries of the app find them. */
export function recordPrimary(global: rds.CfnGlobalCluster, record: GlobalPrimaryRecord): void {
  Object.defineProperty(global, PRIMARY, { value: record });
}

/** The record of the primary of this global database declared in the same app, if any. */
export function primaryRecord(scope: IConstruct, id: string): GlobalPrimaryRecord | undefined {
  const global = findGlobalCluster(scope, id);
  return global === undefined ? undefined : (global as any)[PRIMARY];
}

/**
 * The global cluster of this name declared in the same stage, if any. Regions meet by name: this
 * reads the primary's declaration for the model only, it never references it in a template.
 */
export function findGlobalCluster(scope: IConstruct, id: string): rds.CfnGlobalCluster | undefined {
  return constructsOfStage(scope).find((c): c is rds.CfnGlobalCluster =>
    c instanceof rds.CfnGlobalCluster && c.globalClusterIdentifier === id) as rds.CfnGlobalCluster | undefined;
}

/** The secondary clusters of the global database declared in the stage. */
function secondariesOf(scope: IConstruct, id: string): number {
  return constructsOfStage(scope).filter((c) => c instanceof rds.CfnDBCluster && c.globalClusterIdentifier === id).length;
}

/** The managed RPO of the primary in this app, in seconds; undefined when it has none or is in another app. */
export function primaryManagedRpo(scope: IConstruct, id: string): number | undefined {
  return primaryRecord(scope, id)?.managedRpo;
}

/** What the paths and the alarm of one secondary need. */
export interface GlobalSecondary {
  readonly globalClusterIdentifier: string;
  readonly primaryRegion: string;
  readonly engine: rds.IClusterEngine;
  readonly cluster: rds.DatabaseCluster;
  readonly rpoLagAlarmThreshold?: Duration;
  readonly headless: boolean;
}

/**
 * The lag metric of a secondary: `AuroraGlobalDBRPOLag` (ms), or `AuroraGlobalDBReplicationLag`
 * for Aurora MySQL version 2 (5.7-compatible), assumed not to publish the RPO lag
 * (docs/aws-facts.md#rds-and-aurora).
 */
export function lagMetricName(engine: rds.IClusterEngine): string {
  const version = engine.engineVersion?.fullVersion ?? '';
  return engine.engineType === 'aurora-mysql' && version.startsWith('5.7') ? 'AuroraGlobalDBReplicationLag' : 'AuroraGlobalDBRPOLag';
}

/**
 * `GlobalLag` under `Alarms`: the lag of the secondary above the threshold for 3 minutes. The
 * metric is read with a Metrics Insights query on the cluster identifier, which matches it
 * whatever other dimensions RDS publishes it with (the AWS metric table does not list them).
 */
export function createGlobalLagAlarm(owner: Construct, factory: AlarmFactory, s: GlobalSecondary): cloudwatch.Alarm {
  const metricName = lagMetricName(s.engine);
  const threshold = s.rpoLagAlarmThreshold ?? defaultThreshold(owner, s);
  const group = owner.node.tryFindChild('Alarms') as Construct | undefined ?? new Construct(owner, 'Alarms');
  return factory.addAlarm('GlobalLag', {
    description: `${metricName} of the global database secondary above ${threshold.toHumanString()} for 3 minutes: `
      + `a failover from ${s.primaryRegion} now would lose more than that. Check the primary's write load and the network between the regions.`,
    metric: new cloudwatch.MathExpression({
      expression: `SELECT MAX(${metricName}) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${s.cluster.clusterIdentifier}'`,
      usingMetrics: {},
      period: Duration.minutes(1),
      label: metricName,
    }),
    threshold: threshold.toMilliseconds({ integral: false }),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // The secondary publishes its lag while it replicates: none while it is detached or promoted,
    // and none when the query matches nothing. Missing data leaves the alarm in
    // INSUFFICIENT_DATA, which shows, rather than OK, which would hide a lag no one measures.
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
  }, group);
}

/** The RPO objective, else the modeled lag bound (the managed RPO, or the lag assumption). */
function defaultThreshold(owner: IConstruct, s: GlobalSecondary): Duration {
  const rpo = RecoveryObjectives.of(owner)?.rpo;
  if (rpo !== undefined && literalSeconds(rpo) > 0) {
    return rpo;
  }
  const managed = primaryManagedRpo(owner, s.globalClusterIdentifier);
  return managed !== undefined ? Duration.seconds(managed) : RecoveryAssumptions.valueFor(owner, RecoveryAssumption.AURORA_GLOBAL_LAG);
}

/** The switchover (planned, RPO 0) and the failover with data loss (unplanned, RPO = lag) to this secondary. */
export function globalPaths(owner: Construct, s: GlobalSecondary, assumptions: AssumptionValues): RecoveryPath[] {
  const given = (a: RecoveryAssumption) => givenAssumption(owner, assumptions, a);
  const input: GlobalPathInput = {
    operatorResponse: given(RecoveryAssumption.OPERATOR_RESPONSE),
    globalDatabaseFailover: given(RecoveryAssumption.GLOBAL_DATABASE_FAILOVER),
    headlessInstanceCreation: given(RecoveryAssumption.HEADLESS_INSTANCE_CREATION),
    endpointDnsTtl: given(RecoveryAssumption.ENDPOINT_DNS_TTL),
    clientDnsCache: given(RecoveryAssumption.CLIENT_DNS_CACHE),
    headless: s.headless,
  };
  const id = s.globalClusterIdentifier;
  const region = knownRegion(owner);
  const managedRpo = primaryManagedRpo(owner, id);
  const endpoints = [
    { label: `${id} primary cluster`, role: EndpointRole.PRIMARY, region: s.primaryRegion, health: 'operator or runbook' },
    {
      label: `${owner.node.id} secondary cluster${s.headless ? ' (headless)' : ''}`,
      role: s.headless ? EndpointRole.STANDBY : EndpointRole.SECONDARY,
      region,
      health: `${lagMetricName(s.engine)} alarm`,
    },
  ];
  const warnings: string[] = [];
  if (managedRpo !== undefined && secondariesOf(owner, id) > 1) {
    warnings.push(`The managed RPO (${managedRpo} s) bounds the lag of the least-lagging secondary of ${id}, not of each: `
      + 'fail over to the secondary with the lowest AuroraGlobalDBRPOLag.');
  }
  const where = `${id}, ${s.primaryRegion} to ${region ?? 'this region'}`;
  return [
    new RecoveryPath({
      id: 'global-switchover',
      kind: RecoveryPathKind.DATABASE_SWITCHOVER,
      name: `${owner.node.id} (Aurora global database ${where}, planned switchover)`,
      endpoints,
      estimate: RecoveryEstimate._fromModel(globalSwitchover(input)),
    }),
    new RecoveryPath({
      id: 'global-failover',
      kind: RecoveryPathKind.DATABASE_FAILOVER,
      name: `${owner.node.id} (Aurora global database ${where}, failover with data loss)`,
      endpoints,
      estimate: RecoveryEstimate._fromModel(globalFailover({ ...input, managedRpo, lag: given(RecoveryAssumption.AURORA_GLOBAL_LAG) })),
      warnings,
    }),
  ];
}

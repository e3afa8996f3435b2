import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { awsWait, taskCall } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { isRegionName } from '../../private/region';
import { show } from '../../private/validate';
import { listSummary, pollUntil, resultPath, sdkTask, StepBinding, StepContext } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * Options of the Aurora global database promotions.
 */
export interface PromoteAuroraGlobalOptions {
  /** The global cluster's identifier. */
  readonly globalClusterIdentifier: string;
  /** The secondary cluster in the runbook's Region that becomes the writer, by identifier (lower case). */
  readonly clusterIdentifier: string;
  /** The current primary cluster, by identifier (lower case): the call changes it too, so the runbook's role may. */
  readonly primaryClusterIdentifier: string;
  /** The current primary's Region. */
  readonly primaryRegion: string;
  /**
   * How long to wait for the new writer; the step fails after it.
   *
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
}

/**
 * Options of `PromoteData.readReplica`.
 */
export interface PromoteReadReplicaOptions {
  /** The cross-Region read replica in the runbook's Region, by identifier (lower case). */
  readonly instanceIdentifier: string;
  /**
   * How long to wait for the promotion; the step fails after it.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
}

/**
 * Make the recovery side's data the writer: an Aurora global database switchover (planned, no
 * data loss) or failover (the primary's Region is lost, the lag is lost), or a cross-Region read
 * replica promoted. Each step calls the RDS API in the runbook's Region and waits until the new
 * writer is available.
 */
export class PromoteData extends RunbookStep {
  /**
   * `SwitchoverGlobalCluster`: Aurora waits until the secondary has every write, then swaps
   * roles. No data is lost; it needs the primary's Region to be up. For planned moves and
   * failback.
   */
  public static auroraGlobalSwitchover(options: PromoteAuroraGlobalOptions): PromoteData {
    return new PromoteData(`switch the Aurora global database ${options.globalClusterIdentifier} over to ${options.clusterIdentifier}`, true,
      { kind: 'auroraGlobalSwitchover', options }, (ctx) => auroraGlobal(ctx, options, true));
  }

  /**
   * `FailoverGlobalCluster` with `AllowDataLoss`: the secondary becomes the writer now, losing
   * what it had not replicated. For a lost primary Region; put an `RpoGuard` before it.
   */
  public static auroraGlobalFailover(options: PromoteAuroraGlobalOptions): PromoteData {
    return new PromoteData(`fail the Aurora global database ${options.globalClusterIdentifier} over to ${options.clusterIdentifier}`, false,
      { kind: 'auroraGlobalFailover', options }, (ctx) => auroraGlobal(ctx, options, false));
  }

  /** `PromoteReadReplica`: the replica becomes a standalone writer, losing its lag. */
  public static readReplica(options: PromoteReadReplicaOptions): PromoteData {
    return new PromoteData(`promote the read replica ${options.instanceIdentifier}`, false,
      { kind: 'readReplica', options }, (ctx) => readReplica(ctx, options));
  }

  /** What the step does: promote the data. */
  public readonly role = RunbookStepRole.PROMOTE;

  /**
   * Whether the promotion loses no data by itself (a switchover).
   */
  public readonly lossless: boolean;

  /** @internal */
  public readonly _spec: StepSpec;

  private constructor(public readonly description: string, lossless: boolean, spec: StepSpec,
    private readonly build: (ctx: StepContext) => StepBinding) {
    super();
    this.lossless = lossless;
    this._spec = spec;
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    return this.build(ctx);
  }
}

function checkIdentifier(ctx: StepContext, prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !/^[a-z][a-z0-9-]{0,62}$/.test(value)) {
    ctx.problems.add(`\`${ctx.prop}.${prop}\` must be an RDS identifier: 1 to 63 lower-case letters, digits or hyphens starting with a letter, got: ${show(value)}. `
      + 'RDS stores identifiers in lower case; give it as RDS shows it.');
  }
}

function auroraGlobal(ctx: StepContext, options: PromoteAuroraGlobalOptions, switchover: boolean): StepBinding {
  checkIdentifier(ctx, 'globalClusterIdentifier', options.globalClusterIdentifier);
  checkIdentifier(ctx, 'clusterIdentifier', options.clusterIdentifier);
  checkIdentifier(ctx, 'primaryClusterIdentifier', options.primaryClusterIdentifier);
  if (!isRegionName(options.primaryRegion)) {
    ctx.problems.add(`\`${ctx.prop}.primaryRegion\` must be a Region name such as us-east-1, got: ${show(options.primaryRegion)}.`);
  }
  const stack = Stack.of(ctx.scope);
  const targetArn = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: options.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const resources = [
    stack.formatArn({ service: 'rds', region: '', resource: 'global-cluster', resourceName: options.globalClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    targetArn,
    stack.formatArn({ service: 'rds', region: options.primaryRegion, resource: 'cluster', resourceName: options.primaryClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  ];
  const action = switchover ? 'SwitchoverGlobalCluster' : 'FailoverGlobalCluster';
  const call = sdkTask(ctx, action, {
    service: 'rds',
    action: switchover ? 'switchoverGlobalCluster' : 'failoverGlobalCluster',
    parameters: {
      GlobalClusterIdentifier: options.globalClusterIdentifier,
      TargetDbClusterIdentifier: targetArn,
      ...switchover ? {} : { AllowDataLoss: true },
    },
    iamResources: resources,
    resultSelector: { 'status.$': '$.GlobalCluster.Status' },
    read: false,
    errorPrefix: 'Rds',
  });
  const poll = pollUntil(ctx, {
    what: 'new writer available',
    read: sdkTask(ctx, 'DescribeGlobalClusters', {
      service: 'rds',
      action: 'describeGlobalClusters',
      parameters: { GlobalClusterIdentifier: options.globalClusterIdentifier },
      iamResources: [resources[0]],
      // Only paths that always exist: a missing one fails the execution with States.Runtime.
      resultSelector: { 'status.$': '$.GlobalClusters[0].Status', 'members.$': '$.GlobalClusters[0].GlobalClusterMembers' },
      read: true,
      errorPrefix: 'Rds',
    }),
    summarize: listSummary(ctx, 'find the writer', {
      list: 'members',
      item: "States.Format('{} {}', $$.Map.Item.Value.DBClusterArn, $$.Map.Item.Value.IsWriter)",
      figures: { targetWrites: `States.ArrayContains($, '${targetArn} true')` },
    }),
    done: sfn.Condition.and(
      sfn.Condition.stringEquals(`${resultPath(ctx)}.status`, 'available'),
      sfn.Condition.booleanEquals(`${resultPath(ctx)}.summary.targetWrites`, true),
    ),
    interval: Duration.seconds(20),
    timeout: options.timeout ?? Duration.minutes(30),
  });
  call.next(poll);
  const promote = awsWait(`${ctx.id}-aurora-global-${switchover ? 'switchover' : 'failover'}`, RecoveryTermKind.PROMOTE,
    RecoveryAssumption.GLOBAL_DATABASE_FAILOVER, ctx.given(RecoveryAssumption.GLOBAL_DATABASE_FAILOVER),
    `${action} until ${options.clusterIdentifier} is the writer of an available global cluster`,
    'time a switchover in a drill and set `assumptions.globalDatabaseFailover`');
  const given = ctx.given(RecoveryAssumption.AURORA_GLOBAL_LAG);
  const lag = given ?? RecoveryAssumption.AURORA_GLOBAL_LAG._defaultSeconds;
  return {
    chain: sfn.Chain.custom(call, poll.endStates, poll),
    terms: [
      taskCall(`${ctx.id}-${action}`, RecoveryTermKind.PROMOTE, action, ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
      promote,
      ...switchover ? [{
        id: `${ctx.id}-switchover-data`,
        kind: RecoveryTermKind.REPLICATION_LAG,
        min: 0,
        max: 0,
        basis: 'SwitchoverGlobalCluster waits until the secondary has every committed write: nothing is lost',
        assumption: false,
        remedy: 'none needed',
      }] : [],
    ],
    unguardedData: switchover ? undefined : [{
      id: `${ctx.id}-failover-lag`,
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: lag,
      basis: `FailoverGlobalCluster with AllowDataLoss loses what the secondary had not replicated: up to ${lag} s`
        + (given === undefined ? ` (assumed: ${RecoveryAssumption.AURORA_GLOBAL_LAG.basis})` : ''),
      assumption: given === undefined,
      assumptionId: RecoveryAssumption.AURORA_GLOBAL_LAG.id,
      remedy: 'put an RpoGuard before the promotion, so the runbook refuses while the lag is over the RPO',
    }],
  };
}

function readReplica(ctx: StepContext, options: PromoteReadReplicaOptions): StepBinding {
  checkIdentifier(ctx, 'instanceIdentifier', options.instanceIdentifier);
  const arn = Stack.of(ctx.scope).formatArn({ service: 'rds', resource: 'db', resourceName: options.instanceIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const call = sdkTask(ctx, 'PromoteReadReplica', {
    service: 'rds',
    action: 'promoteReadReplica',
    parameters: { DBInstanceIdentifier: options.instanceIdentifier },
    iamResources: [arn],
    resultSelector: { 'status.$': '$.DBInstance.DBInstanceStatus' },
    read: false,
    errorPrefix: 'Rds',
  });
  const poll = pollUntil(ctx, {
    what: 'replica promoted',
    read: sdkTask(ctx, 'DescribeDBInstances', {
      service: 'rds',
      action: 'describeDBInstances',
      parameters: { DBInstanceIdentifier: options.instanceIdentifier },
      iamResources: [arn],
      resultSelector: { 'instance.$': '$.DBInstances[0]' },
      read: true,
      errorPrefix: 'Rds',
    }),
    // Promoted: available, and no longer the replica of a source.
    done: sfn.Condition.and(
      sfn.Condition.stringEquals(`${resultPath(ctx)}.instance.DBInstanceStatus`, 'available'),
      sfn.Condition.not(sfn.Condition.isPresent(`${resultPath(ctx)}.instance.ReadReplicaSourceDBInstanceIdentifier`)),
    ),
    interval: Duration.seconds(30),
    timeout: options.timeout ?? Duration.hours(1),
  });
  call.next(poll);
  const given = ctx.given(RecoveryAssumption.RDS_REPLICA_LAG);
  const lag = given ?? RecoveryAssumption.RDS_REPLICA_LAG._defaultSeconds;
  return {
    chain: sfn.Chain.custom(call, poll.endStates, poll),
    terms: [
      taskCall(`${ctx.id}-PromoteReadReplica`, RecoveryTermKind.PROMOTE, 'PromoteReadReplica', ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
      awsWait(`${ctx.id}-replica-promotion`, RecoveryTermKind.PROMOTE, RecoveryAssumption.REPLICA_PROMOTION, ctx.given(RecoveryAssumption.REPLICA_PROMOTION),
        `RDS promotes ${options.instanceIdentifier} to a standalone writer`,
        'time a promotion in a drill and set `assumptions.replicaPromotion`; Aurora Global Database fails over across Regions in minutes'),
    ],
    unguardedData: [{
      id: `${ctx.id}-replica-lag`,
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: lag,
      basis: `the promoted replica lacks what it had not applied: up to ${lag} s`
        + (given === undefined ? ` (assumed: ${RecoveryAssumption.RDS_REPLICA_LAG.basis})` : ''),
      assumption: given === undefined,
      assumptionId: RecoveryAssumption.RDS_REPLICA_LAG.id,
      remedy: 'put an RpoGuard on the replica\'s ReplicaLag alarm before the promotion',
    }],
  };
}

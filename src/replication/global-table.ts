import { Annotations, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { validateGlobalTableProps } from './private/global-table-validation';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { GlobalTableConsistency, globalTableReplica, LatencyThreshold, replicationLatencyThreshold } from '../objectives/model/dynamodb';
import { RecoveryObjectives } from '../objectives/objectives';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { fmt } from '../objectives/report/format';
import { AlarmFactory, NotifyTopic } from '../private/alarm-factory';
import { allowAlarmsToPublish, createAlarmTopic } from '../private/alarm-topic';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { checkSameRegion, isRegionName } from '../private/region';
import { literalSeconds, secondsOf, show } from '../private/validate';

/**
 * Properties of `GlobalTable`: every `dynamodb.TableV2` prop, passed to the table as given, with
 * safer defaults where the data is at stake (see `GlobalTable`), and the replication alarms and
 * the recovery model.
 */
export interface GlobalTableProps extends dynamodb.TablePropsV2 {
  /**
   * The topic told when replication to a replica region lags beyond the threshold (and when it
   * recovers). Must be in the table's region. Its policy gets a statement letting this table's
   * alarms publish; an encrypted topic's key policy gets one letting CloudWatch use the key.
   * Not used with MRSC, which has no lag alarms.
   *
   * @default - a new topic encrypted with a new KMS key (rotation on), TLS required; none with MRSC
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The replication lag that fires a replica region's `ReplicationLatency` alarm. Not for MRSC.
   *
   * @default - the RPO of the nearest `RecoveryObjectives` when it is above 0, else the
   * `dynamoDbReplicationLag` assumption (10 s unless replaced)
   */
  readonly replicationLatencyThreshold?: Duration;

  /**
   * Values that replace the defaults of the model's named assumptions for this table, by id:
   * `dynamoDbReplicationLag` (MREC only: how far a replica may lag; take it from your
   * `ReplicationLatency` metric).
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

/**
 * A DynamoDB global table (`dynamodb.TableV2` with replicas) whose data survives the loss of its
 * region, with a `ReplicationLatency` alarm per replica region and a data path per replica in
 * the failover report.
 *
 * Pass any `TableV2` prop. Where the data is at stake the defaults differ from `TableV2`'s:
 * deletion protection is on (`deletionProtection`, default true) and point-in-time recovery is
 * on (`pointInTimeRecoverySpecification`, default enabled, 35 days); the table is retained when
 * it leaves the stack (`removalPolicy`, RETAIN as in `TableV2`) and, like every DynamoDB table,
 * encrypted at rest (`encryption`, an AWS owned key unless you choose another). At least one
 * replica is required.
 *
 * Choose the consistency mode when you create the table; DynamoDB cannot change it afterwards
 * (an update that flips `multiRegionConsistency` fails and rolls back: create a new table and
 * move the data instead), and an MRSC table must start empty:
 *
 * - Multi-Region eventual consistency (MREC, the default): replicas in any regions, each
 *   replicated asynchronously, typically within a second, with no SLA. The RPO of each replica
 *   is the named assumption `dynamoDbReplicationLag` (10 s until you measure yours). Each
 *   replica region gets a `ReplicationLatency` alarm in the table's region (where DynamoDB
 *   publishes the metric for writes made here), its threshold the declared RPO. Writes made in
 *   other regions publish their latency there: alarm on it in those regions' stacks if you
 *   write in several regions.
 * - Multi-Region strong consistency (MRSC, `multiRegionConsistency: STRONG`): exactly three
 *   regions of one region set (the table's and two replicas, or one replica and a
 *   `witnessRegion`). A write succeeds only once another region has it, so the RPO is 0; writes
 *   cost more latency, and fail rather than lose data when no other region is reachable.
 *
 * At synth the table's final state is checked: a replica added with `table.addReplica()` (use
 * `GlobalTable.addReplica()`, which adds its alarm and path), a consistency mode changed on the
 * underlying `CfnGlobalTable`, or an MRSC table that no longer spans three regions fail synth.
 *
 * @exampleMetadata fixture=regional
 * @example
 * new GlobalTable(east, 'Orders', {
 *   partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
 *   replicas: [{ region: 'us-west-2' }],
 * });
 */
export class GlobalTable extends Construct implements IRecoveryPathProvider {
  /** The table, with its replicas. */
  public readonly table: dynamodb.TableV2;
  /** The consistency mode, fixed when the table was created. */
  public readonly multiRegionConsistency: dynamodb.MultiRegionConsistency;
  /**
   * The topic the replication alarms notify.
   *
   * @default - none with MRSC
   */
  public readonly alarmTopic?: sns.ITopic;

  private readonly factory?: AlarmFactory;
  private readonly regions: string[] = [];
  private readonly witness?: string;
  private readonly alarmGroup?: Construct;

  constructor(scope: Construct, id: string, private readonly props: GlobalTableProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const problems = new Problems(this);
    validateGlobalTableProps(problems, region, props);
    checkSameRegion(problems, this, 'alarmTopic', props.alarmTopic, 'Give a topic of this region: alarms notify topics in their own region.', true);
    problems.throwIfAny();

    this.multiRegionConsistency = props.multiRegionConsistency ?? dynamodb.MultiRegionConsistency.EVENTUAL;
    this.witness = props.witnessRegion;
    const { alarmTopic, replicationLatencyThreshold: _threshold, assumptions, replicas, ...tableProps } = props;
    const pitrGiven = props.pointInTimeRecovery !== undefined || props.pointInTimeRecoverySpecification !== undefined;
    this.table = new dynamodb.TableV2(this, 'Table', {
      ...tableProps,
      deletionProtection: props.deletionProtection ?? true,
      pointInTimeRecoverySpecification: pitrGiven ? props.pointInTimeRecoverySpecification
        : { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      replicas,
    });

    if (!this.strong) {
      this.alarmTopic = alarmTopic ?? createAlarmTopic(this);
      this.factory = new AlarmFactory(this, new NotifyTopic(this.alarmTopic));
      this.alarmGroup = new Construct(this, 'ReplicationLatency');
    }
    for (const r of replicas ?? []) {
      this.track(r.region);
    }
    const warning = this.alarmTopic && allowAlarmsToPublish(this, this.alarmTopic, () => this.alarms);
    if (warning) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
    this.node.addValidation({ validate: () => this.checkTable() });
    FailoverReport.of(this);
  }

  /** The regions that hold a replica, besides the table's own, in the order they were added. */
  public get replicaRegions(): string[] {
    return [...this.regions];
  }

  /** The `ReplicationLatency` alarms, one per replica region (none with MRSC). */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.factory?.alarms ?? [];
  }

  /**
   * Adds a replica in another region, with its alarm and its data path. An MRSC table spans
   * exactly three regions, so it takes no replica after creation.
   */
  public addReplica(props: dynamodb.ReplicaTableProps): void {
    const problems = new Problems(this);
    if (this.strong) {
      problems.add(`addReplica(${show(props.region)}): an MRSC table spans exactly three regions, fixed when it is created. `
        + 'Create a new table for another set of regions.');
    } else if (!isRegionName(props.region) || props.region === Stack.of(this).region || this.regions.includes(props.region)) {
      problems.add(`addReplica(${show(props.region)}): give the name of a region that holds no replica of this table yet, e.g. 'us-west-2'.`);
    }
    problems.throwIfAny();
    this.table.addReplica(props);
    this.track(props.region);
  }

  /** One data path per replica region: the writes made here that the replica may not have yet. */
  public recoveryPaths(): RecoveryPath[] {
    const source = Stack.of(this).region;
    const lag = this.strong ? undefined : givenAssumption(this, this.props.assumptions, RecoveryAssumption.DYNAMODB_REPLICATION_LAG);
    const mode = this.strong ? `MRSC${this.witness ? `, witness ${this.witness}` : ''}` : 'MREC';
    return this.regions.map((region) => new RecoveryPath({
      id: `replica-${region}`,
      kind: RecoveryPathKind.DATA_REPLICATION,
      name: `${this.node.id} (DynamoDB global table, ${mode}) to ${region}`,
      endpoints: [
        { label: `${this.node.id} in ${source}`, role: EndpointRole.ACTIVE, region: source },
        {
          label: `${this.node.id} in ${region}`,
          role: EndpointRole.REPLICA,
          region,
          health: this.strong ? undefined : `ReplicationLatency alarm above ${fmt(this.threshold().seconds)}`,
        },
      ],
      estimate: RecoveryEstimate._fromModel([globalTableReplica({ consistency: this.consistency, replicaRegion: region, replicationLag: lag })]),
    }));
  }

  private get strong(): boolean {
    return this.multiRegionConsistency === dynamodb.MultiRegionConsistency.STRONG;
  }

  private get consistency(): GlobalTableConsistency {
    return this.strong ? 'strong' : 'eventual';
  }

  private track(region: string): void {
    this.regions.push(region);
    if (this.factory && this.alarmGroup) {
      this.addLatencyAlarm(this.factory, this.alarmGroup, region);
    }
  }

  /**
   * `ReplicationLatency` (ms) is published in the region that took the write, per receiving
   * region, at five-minute granularity (docs/aws-facts.md#dynamodb-global-tables). Its maximum
   * over five minutes above the threshold: a failure of this region then would have lost more
   * than the declared RPO. An idle table publishes nothing, so missing data keeps the alarm's state.
   */
  private addLatencyAlarm(factory: AlarmFactory, group: Construct, region: string): void {
    const source = Stack.of(this).region;
    const given = this.props.replicationLatencyThreshold;
    const threshold = given?.isUnresolved()
      ? given.toMilliseconds()
      : Lazy.number({ produce: () => Math.round(this.threshold().seconds * 1000) });
    const text = given?.isUnresolved() ? 'the deploy-time threshold' : undefined;
    factory.addAlarm(region, {
      description: Lazy.string({
        produce: () => {
          const t = this.threshold();
          return `replication from ${source} to ${region} lagged more than ${text ?? `${fmt(t.seconds)} (${t.source})`} within 5 minutes: `
            + `writes made in ${source} and not yet in ${region} would be lost if ${source} failed now.`;
        },
      }),
      metric: new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'ReplicationLatency',
        dimensionsMap: { TableName: this.table.tableName, ReceivingRegion: region },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    }, group);
  }

  /** The alarm threshold: the prop, else the declared RPO, else the assumed lag; read at synth, when the tree is complete. */
  private threshold(): LatencyThreshold {
    const given = secondsOf(this.props.replicationLatencyThreshold, undefined);
    if (given !== undefined) {
      return { seconds: given, source: '`replicationLatencyThreshold`' };
    }
    const rpo = RecoveryObjectives.of(this)?.rpo;
    return replicationLatencyThreshold(rpo && literalSeconds(rpo),
      givenAssumption(this, this.props.assumptions, RecoveryAssumption.DYNAMODB_REPLICATION_LAG));
  }

  /**
   * The table as it will deploy: the consistency mode it was created with, every replica known
   * here, and MRSC's three regions. Escape hatches and `table.addReplica()` get past the props.
   */
  private checkTable(): string[] {
    const stack = Stack.of(this);
    const cfn = this.table.node.defaultChild as dynamodb.CfnGlobalTable;
    const out: string[] = [];
    const mode = stack.resolve(cfn.multiRegionConsistency) ?? dynamodb.MultiRegionConsistency.EVENTUAL;
    if (mode !== this.multiRegionConsistency) {
      out.push(`the table's MultiRegionConsistency is ${show(mode)}, but it was created as ${this.multiRegionConsistency}: `
        + 'DynamoDB fixes the consistency mode when a global table is created and rejects a change. Remove the override; '
        + 'to change the mode, create a new table and move the data.');
    }
    const resolved: Array<{ region: string }> = stack.resolve(cfn.replicas) ?? [];
    const deployed = resolved.map((r) => r.region).filter((r) => r !== stack.region);
    const unknown = deployed.filter((r) => !this.regions.includes(r));
    if (unknown.length > 0) {
      out.push(`the table has replicas in ${unknown.join(', ')} that were added with table.addReplica(): they would have no `
        + 'replication alarm and no recovery path. Add them with GlobalTable.addReplica() instead.');
    }
    const witnesses = stack.resolve(cfn.globalTableWitnesses) ?? [];
    if (mode === dynamodb.MultiRegionConsistency.STRONG && resolved.length + witnesses.length !== 3) {
      out.push(`the MRSC table would have ${resolved.length} replica(s) and ${witnesses.length} witness(es): MRSC needs exactly three regions, `
        + 'three replicas or two replicas and a witness.');
    }
    return out;
  }
}

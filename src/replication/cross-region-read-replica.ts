import { Annotations, ArnFormat, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { validateReadReplicaProps } from './private/read-replica-validation';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { replicaLagThreshold, replicaPromotion } from '../objectives/model/read-replica';
import { RecoveryObjectives } from '../objectives/objectives';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { fmt } from '../objectives/report/format';
import { AlarmFactory, NotifyTopic } from '../private/alarm-factory';
import { allowAlarmsToPublish, createAlarmTopic } from '../private/alarm-topic';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { acknowledgeFindings } from '../private/nag';
import { checkSameRegion } from '../private/region';
import { literalSeconds, secondsOf } from '../private/validate';

/**
 * Properties of `CrossRegionReadReplica`: the source, addressed by identifier, region and
 * account, and every `rds.DatabaseInstanceNewProps` prop, passed to the replica as given with
 * safer defaults where the data is at stake (see `CrossRegionReadReplica`).
 */
export interface CrossRegionReadReplicaProps extends rds.DatabaseInstanceNewProps {
  /** The DB instance identifier of the source, e.g. `orders-db`. It must be encrypted. */
  readonly sourceInstanceIdentifier: string;

  /** The region of the source, other than this stack's. */
  readonly sourceRegion: string;

  /**
   * The account of the source.
   *
   * @default - this stack's account
   */
  readonly sourceAccount?: string;

  /**
   * The engine of the source, when known: aws-cdk-lib then checks that it keeps backups on
   * read replicas before taking `backupRetention`.
   *
   * @default - not checked
   */
  readonly sourceEngine?: rds.IInstanceEngine;

  /** The instance class of the replica; after promotion it carries the whole load. */
  readonly instanceType: ec2.InstanceType;

  /**
   * The KMS key, in this region, that encrypts the replica. A cross-region replica cannot use
   * the source's key.
   *
   * @default - a new key in this region, rotation on
   */
  readonly storageEncryptionKey?: kms.IKey;

  /**
   * The topic told when the replica lags beyond the threshold (and when it recovers). Must be
   * in this region; its policy (and an encrypted topic's key policy) gets a statement letting
   * the alarm publish.
   *
   * @default - a new topic encrypted with a new KMS key (rotation on), TLS required
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The replica lag that fires the `ReplicaLag` alarm.
   *
   * @default - the RPO of the nearest `RecoveryObjectives` when it is above 0, else the
   * `rdsReplicaLag` assumption (60 s unless replaced)
   */
  readonly replicaLagThreshold?: Duration;

  /**
   * Values that replace the defaults of the model's named assumptions for this replica, by id:
   * `rdsReplicaLag`, `operatorResponse` (deciding to promote), `replicaPromotion`,
   * `endpointDnsTtl` (the TTL of the name clients move to the replica) and `clientDnsCache`.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

/**
 * A read replica, in this stack's region, of an RDS DB instance in another region (for engines
 * without Aurora): the way back to the data when the source's region fails, by promoting the
 * replica. The source is addressed by a deterministic ARN (identifier, region, account): no
 * cross-region reference, no export.
 *
 * Safe by default: the replica is encrypted with a KMS key of this region, deletion-protected,
 * and retained when it leaves the stack. The source must be encrypted: a replica's encryption
 * follows its source, and RDS refuses (the deploy fails) an encrypted replica of an unencrypted one. A `ReplicaLag`
 * alarm, its threshold the declared RPO, notifies the alarm topic.
 *
 * Recovery is a decision, not an automatic failover: someone (or a runbook) promotes the
 * replica, which AWS says takes several minutes or longer, and then clients must move to the
 * replica's own endpoint, another name than the source's: change the DNS record or the
 * configuration they use. The writes the replica had not applied are lost; replication is
 * asynchronous and the alarm does not bound the lag. The failover report shows this path with
 * its assumptions: `rdsReplicaLag`, `operatorResponse`, `replicaPromotion`, `endpointDnsTtl`
 * and `clientDnsCache`. The detection of the source's failure is not part of it.
 *
 * @exampleMetadata fixture=regional
 * @example
 * new CrossRegionReadReplica(west, 'OrdersReplica', {
 *   sourceInstanceIdentifier: 'orders-db',
 *   sourceRegion: 'us-east-1',
 *   instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
 *   vpc: westVpc,
 * });
 */
export class CrossRegionReadReplica extends Construct implements IRecoveryPathProvider {
  /** The read replica. */
  public readonly replica: rds.DatabaseInstanceReadReplica;
  /** The ARN of the source DB instance. */
  public readonly sourceInstanceArn: string;
  /** The key that encrypts the replica. */
  public readonly storageEncryptionKey: kms.IKey;
  /** The topic the lag alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** The `ReplicaLag` alarm. */
  public readonly replicaLagAlarm: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, private readonly props: CrossRegionReadReplicaProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const problems = new Problems(this);
    validateReadReplicaProps(problems, stack.region, props);
    const fix = 'Give one of this region: alarms, keys and the replica meet only in their own region.';
    checkSameRegion(problems, this, 'alarmTopic', props.alarmTopic, fix, true);
    checkSameRegion(problems, this, 'storageEncryptionKey', props.storageEncryptionKey, fix, true);
    problems.throwIfAny();

    this.sourceInstanceArn = stack.formatArn({
      service: 'rds',
      region: props.sourceRegion,
      account: props.sourceAccount ?? stack.account,
      resource: 'db',
      resourceName: props.sourceInstanceIdentifier,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.storageEncryptionKey = props.storageEncryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the cross-region read replica ${this.node.path}`,
      enableKeyRotation: true,
    });
    // aws-cdk-lib's import reads only the engine here; its ARN would be in this region, so the
    // source's ARN is set on the L1 below. Endpoint and port are the source's and unused.
    const source = rds.DatabaseInstance.fromDatabaseInstanceAttributes(this, 'Source', {
      instanceIdentifier: props.sourceInstanceIdentifier,
      instanceEndpointAddress: `${props.sourceInstanceIdentifier}.${props.sourceRegion}`,
      port: props.port ?? 0,
      securityGroups: [],
      engine: props.sourceEngine,
    });
    const {
      sourceInstanceIdentifier: _i, sourceRegion: _r, sourceAccount: _a, sourceEngine: _e, alarmTopic, replicaLagThreshold: _t, assumptions: _s,
      ...instanceProps
    } = props;
    this.replica = new rds.DatabaseInstanceReadReplica(this, 'Replica', {
      ...instanceProps,
      vpcSubnets: props.vpcSubnets ?? defaultSubnets(props.vpc),
      sourceDatabaseInstance: source,
      storageEncryptionKey: this.storageEncryptionKey,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const cfn = this.replica.node.defaultChild as rds.CfnDBInstance;
    cfn.sourceDbInstanceIdentifier = this.sourceInstanceArn;
    cfn.sourceRegion = props.sourceRegion;
    // A replica's encryption follows its source: CloudFormation rejects StorageEncrypted beside
    // SourceDBInstanceIdentifier; KmsKeyId (this region's key) is what a cross-region replica needs.
    cfn.storageEncrypted = undefined;
    // cdk-nag reads StorageEncrypted only: its finding is suppressed here, with the reason, in the
    // metadata cdk-nag reads (no dependency on cdk-nag).
    acknowledgeFindings(cfn, [{
      id: 'AwsSolutions-RDS2',
      reason: 'A read replica is encrypted as its source is; CloudFormation rejects StorageEncrypted beside SourceDBInstanceIdentifier, '
        + 'and KmsKeyId names the key of this region that encrypts the replica.',
    }]);

    this.alarmTopic = alarmTopic ?? createAlarmTopic(this);
    const factory = new AlarmFactory(this, new NotifyTopic(this.alarmTopic));
    this.replicaLagAlarm = this.addLagAlarm(factory);
    const warning = allowAlarmsToPublish(this, this.alarmTopic, () => factory.alarms);
    if (warning) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
    FailoverReport.of(this);
  }

  /** The promotion of the replica after the loss of the source's region. */
  public recoveryPaths(): RecoveryPath[] {
    const here = Stack.of(this).region;
    const given = (a: RecoveryAssumption) => givenAssumption(this, this.props.assumptions, a);
    const terms = replicaPromotion({
      replicaRegion: here,
      replicaLag: given(RecoveryAssumption.RDS_REPLICA_LAG),
      operatorResponse: given(RecoveryAssumption.OPERATOR_RESPONSE),
      replicaPromotion: given(RecoveryAssumption.REPLICA_PROMOTION),
      endpointDnsTtl: given(RecoveryAssumption.ENDPOINT_DNS_TTL),
      clientDnsCache: given(RecoveryAssumption.CLIENT_DNS_CACHE),
    });
    return [new RecoveryPath({
      id: 'promotion',
      kind: RecoveryPathKind.DATABASE_FAILOVER,
      name: `${this.props.sourceInstanceIdentifier} promoted in ${here} (${this.node.id})`,
      endpoints: [
        { label: `${this.props.sourceInstanceIdentifier} (source)`, role: EndpointRole.PRIMARY, region: this.props.sourceRegion },
        { label: `${this.node.id} (read replica)`, role: EndpointRole.SECONDARY, region: here, health: `ReplicaLag alarm above ${this.thresholdText()}` },
      ],
      estimate: RecoveryEstimate._fromModel(terms),
      warnings: [
        'Clients must move to the promoted replica\'s endpoint, another name than the source\'s: change the DNS record or the configuration '
        + 'they use (modeled with the endpointDnsTtl and clientDnsCache assumptions); this construct does not do it.',
        'The detection of the source region\'s failure is not modeled on this path: add your health check\'s detection time.',
      ],
    })];
  }

  /** `ReplicaLag` (seconds) of the replica: three minutes above the threshold. */
  private addLagAlarm(factory: AlarmFactory): cloudwatch.Alarm {
    const given = this.props.replicaLagThreshold;
    return factory.addAlarm('ReplicaLag', {
      description: Lazy.string({
        produce: () => `the replica lagged its source ${this.props.sourceInstanceIdentifier} in ${this.props.sourceRegion} by more than `
          + `${this.thresholdText()} for 3 minutes: promoting it now would lose more than that.`,
      }),
      metric: this.replica.metric('ReplicaLag', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) }),
      threshold: given?.isUnresolved() ? given.toSeconds() : Lazy.number({ produce: () => this.threshold().seconds }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // A replica publishes lag only while it replicates: nothing while it restarts, or once promoted.
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
  }

  /** The prop, else the declared RPO, else the assumed lag; read at synth, when the tree is complete. */
  private threshold(): { seconds: number; source: string } {
    const given = secondsOf(this.props.replicaLagThreshold, undefined);
    if (given !== undefined) {
      return { seconds: given, source: '`replicaLagThreshold`' };
    }
    const rpo = RecoveryObjectives.of(this)?.rpo;
    return replicaLagThreshold(rpo && literalSeconds(rpo), givenAssumption(this, this.props.assumptions, RecoveryAssumption.RDS_REPLICA_LAG));
  }

  private thresholdText(): string {
    if (this.props.replicaLagThreshold?.isUnresolved()) {
      return 'the deploy-time threshold';
    }
    const t = this.threshold();
    return `${fmt(t.seconds)} (${t.source})`;
  }
}

function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return { subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS };
}

import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeLibraryHandlers } from './private/library-handlers';
import { constructsOfStage, deployAfter, warnUnlessFound } from '../private/stage';
import { applyPeerRule, createdFirst, replicationRoleName } from './private/peer-rule';
import { allowPublishing, createReplicationAlarms, notifyReplicationEvents } from './private/replication-alarms';
import { createReplicationRole, replicationKeyAlias, replicationKeyAliasArn } from './private/replication-role';
import { validateReplicatedBucket } from './private/replication-validation';
import { DeleteMarkerReplication, ReplicatedBucketProps, ReplicationDestination } from './replicated-bucket-options';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { s3ReplicationLag } from '../objectives/model/s3-replication';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { createAlarmTopic, Warning } from '../private/alarm-topic';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { knownRegion } from '../private/region';

const REPLICATED_BUCKET_SYMBOL = Symbol.for('cdk-failover.ReplicatedBucket');

/**
 * A versioned, KMS-encrypted S3 bucket that replicates its new objects to a bucket in another
 * region, with Replication Time Control, alarms, and its data path in the failover report.
 *
 * It composes `s3.Bucket` and its `replicationRules`. The bucket is versioned (replication
 * needs it on both sides), encrypted with a KMS key of its own (rotation on, S3 Bucket Keys),
 * blocks public access, requires TLS and is retained when it leaves the stack. The key has a
 * deterministic alias, `alias/s3-replication/<bucket name>`, so the other region names it as
 * the replica key (`ReplicaKmsKeyID` accepts an alias ARN): SSE-KMS objects are replicated and
 * re-encrypted with the destination's key. The replication role may only read this bucket's
 * versions, decrypt with its key through S3 of this region, write to the destination bucket
 * and encrypt with the key behind the destination's alias through S3 of that region.
 *
 * Regions meet by name: the destination is a bucket name and a region, never a reference, so
 * the stacks have no cross-region export, and two-way replication (each bucket the other's
 * destination) has no reference cycle.
 *
 * Deploy order: S3 rejects a rule whose destination bucket does not exist yet, so a one-way
 * source deploys after its destination, and of a two-way pair the first bucket cannot carry
 * its rule when it is created. With both buckets in one app, `cdk deploy --all` (or
 * `cdk deploy` of the two stacks) just works: a one-way source's stack depends on the
 * destination's stack; of a two-way pair, the bucket whose name sorts first is deployed first
 * without a rule, and the second bucket's stack carries its own rule (`replicationRules`) and
 * applies the first bucket's rule once both exist (`peerRule`, an `AwsCustomResource` calling
 * PutBucketReplication in the first bucket's region, by name). With the buckets in separate
 * apps, deploy the destination (one-way) or the bucket whose name sorts first (two-way) first.
 *
 * With `replicationTimeControl` (the default) the path's RPO is AWS's 15 minutes, which holds
 * for 99.99 % of objects; without it the RPO is the `s3ReplicationLag` assumption. Failed
 * replications and, with RTC, replications that missed the 15-minute threshold are S3 event
 * notifications to the alarm topic; alarms on `OperationsFailedReplication` and
 * `ReplicationLatency` notify it too.
 *
 * Replication covers objects written after the rule exists: copy existing objects with S3
 * Batch Replication (warning `cdk-failover:s3-existing-objects`).
 *
 * @exampleMetadata fixture=regional
 * @example
 * // `east` is a stack in us-east-1, `west` one in us-west-2.
 * // Two-way: each bucket is the other's destination; `cdk deploy --all` deploys them in order.
 * new ReplicatedBucket(east, 'Orders', {
 *   bucketName: 'acme-orders-us-east-1',
 *   destination: { bucketName: 'acme-orders-us-west-2', region: 'us-west-2' },
 *   twoWay: true,
 * });
 * new ReplicatedBucket(west, 'Orders', {
 *   bucketName: 'acme-orders-us-west-2',
 *   destination: { bucketName: 'acme-orders-us-east-1', region: 'us-east-1' },
 *   twoWay: true,
 * });
 * // One-way instead: no `twoWay`, and the destination bucket without a `destination` of its own.
 */
export class ReplicatedBucket extends Construct implements IRecoveryPathProvider {
  /**
   * Whether `x` is a `ReplicatedBucket` (also across copies of this library).
   */
  public static isReplicatedBucket(x: any): x is ReplicatedBucket {
    return x !== null && typeof x === 'object' && REPLICATED_BUCKET_SYMBOL in x;
  }

  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The name of the bucket. */
  public readonly bucketName: string;
  /** The key that encrypts the bucket, and the replicas the other region sends here. */
  public readonly encryptionKey: kms.Key;
  /** The alias of the key, `alias/s3-replication/<bucket name>`, by which the other region names it. */
  public readonly keyAlias: string;
  /**
   * The role S3 assumes to replicate.
   *
   * @default - undefined without `destination`
   */
  public readonly replicationRole?: iam.IRole;
  /**
   * The topic told about failed and late replications and about the alarms.
   *
   * @default - undefined without `destination`
   */
  public readonly alarmTopic?: sns.ITopic;
  /** The alarms on failed replications and on replication latency (none without `destination`). */
  public readonly alarms: cloudwatch.IAlarm[];
  /**
   * The modeled data loss of the replication to the destination.
   *
   * @default - undefined without `destination`
   */
  public readonly estimate?: RecoveryEstimate;
  /**
   * The id of the replication rule, `to-<destination bucket name>`.
   *
   * @default - undefined without `destination`
   */
  public readonly ruleId?: string;

  /**
   * Of a two-way pair, on the bucket whose name sorts second: the custom resource that applies
   * the other bucket's rule once this bucket exists.
   *
   * @default - undefined unless `twoWay` and this bucket's name sorts after the destination's
   */
  public readonly peerRule?: cr.AwsCustomResource;

  private readonly destination?: ReplicationDestination;
  private readonly replicateDeleteMarkers: boolean;
  private readonly twoWay: boolean;
  private readonly rtc: boolean;
  private readonly warnings: Warning[] = [];

  constructor(scope: Construct, id: string, props: ReplicatedBucketProps) {
    super(scope, id);
    Object.defineProperty(this, REPLICATED_BUCKET_SYMBOL, { value: true });
    const problems = new Problems(this);
    validateReplicatedBucket(problems, this, props, this.warnings);
    problems.throwIfAny();

    this.bucketName = props.bucketName;
    this.destination = props.destination;
    this.twoWay = props.twoWay ?? false;
    this.rtc = props.replicationTimeControl ?? true;
    this.keyAlias = replicationKeyAlias(props.bucketName);
    this.replicateDeleteMarkers = props.deleteMarkerReplication === DeleteMarkerReplication.REPLICATE;

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `Encrypts ${props.bucketName} and the replicas it receives`,
      alias: this.keyAlias,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const d = props.destination;
    const sourceArn = Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: props.bucketName });
    let replicationRules: s3.ReplicationRule[] | undefined;
    if (d) {
      this.ruleId = `to-${d.bucketName}`;
      const destinationBucket = s3.Bucket.fromBucketName(this, 'DestinationBucket', d.bucketName);
      this.replicationRole = createReplicationRole(this, 'ReplicationRole', {
        sourceBucketArn: sourceArn,
        sourceKey: this.encryptionKey,
        sourceRegion: Stack.of(this).region,
        destinationBucketArn: destinationBucket.bucketArn,
        destinationBucketName: d.bucketName,
        destinationRegion: d.region,
        roleName: replicationRoleName(props.bucketName),
        replicateDeleteMarkers: this.replicateDeleteMarkers,
      });
      // Of a two-way pair, the bucket created first cannot carry its rule: the other side's
      // stack applies it once the destination exists (see applyPeerRule).
      replicationRules = this.twoWay && createdFirst(props.bucketName, d.bucketName) ? undefined : [{
        id: this.ruleId,
        destination: destinationBucket,
        kmsKey: kms.Key.fromKeyArn(this, 'ReplicaKey', replicationKeyAliasArn(this, d.bucketName, d.region)),
        sseKmsEncryptedObjects: true,
        replicaModifications: this.twoWay,
        replicationTimeControl: this.rtc ? s3.ReplicationTimeValue.FIFTEEN_MINUTES : undefined,
        metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        deleteMarkerReplication: this.replicateDeleteMarkers,
      }];
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
      replicationRole: replicationRules ? this.replicationRole : undefined,
      replicationRules,
    });

    this.alarms = [];
    if (d) {
      const lag = s3ReplicationLag({ rtc: this.rtc, lag: givenAssumption(this, props.assumptions, RecoveryAssumption.S3_REPLICATION_LAG) });
      this.estimate = RecoveryEstimate._fromModel([lag]);
      this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this);
      notifyReplicationEvents(this.bucket, this.alarmTopic, this.rtc);
      this.alarms = createReplicationAlarms(this, this.alarmTopic, {
        bucket: this.bucket, destinationBucketName: d.bucketName, ruleId: this.ruleId!, rtc: this.rtc, lagSeconds: lag.max,
      });
      const warning = allowPublishing(this, this.alarmTopic, this.alarms);
      if (warning) {
        this.warnings.push(warning);
      }
      this.warnings.push({
        id: 'cdk-failover:s3-existing-objects',
        message: `Replication from ${props.bucketName} to ${d.bucketName} covers objects written after the rule exists. `
          + 'Objects already in the bucket, and objects whose replication failed, are copied only by S3 Batch Replication: '
          + 'run a Batch Replication job once the rule is deployed if the bucket held objects before.',
      });
      if (this.twoWay && !createdFirst(props.bucketName, d.bucketName)) {
        this.peerRule = applyPeerRule(this, 'PeerReplicationRule', {
          peerBucketName: d.bucketName,
          peerRegion: d.region,
          bucket: this.bucket,
          bucketName: props.bucketName,
          key: this.encryptionKey,
          rtc: this.rtc,
          replicateDeleteMarkers: this.replicateDeleteMarkers,
        });
      }
      acknowledgeLibraryHandlers(this);
      FailoverReport.of(this);
      if (this.twoWay && createdFirst(props.bucketName, d.bucketName)) {
        this.warnWithoutPeer(d.bucketName);
      }
    }
    this.orderDeployment();
    for (const w of this.warnings) {
      Annotations.of(this).addWarningV2(w.id, w.message);
    }
  }

  /**
   * The replication to the destination: a data path with its RPO (none without
   * `destination`: this bucket only receives replicas).
   */
  public recoveryPaths(): RecoveryPath[] {
    const d = this.destination;
    if (!d || !this.estimate) {
      return [];
    }
    return [new RecoveryPath({
      id: `replication-to-${d.region}`,
      kind: RecoveryPathKind.DATA_REPLICATION,
      name: `${this.bucketName} to ${d.bucketName}${this.twoWay ? ' (two-way)' : ''}`,
      endpoints: [
        { label: this.bucketName, role: this.twoWay ? EndpointRole.ACTIVE : EndpointRole.PRIMARY, region: knownRegion(this) },
        { label: d.bucketName, role: EndpointRole.REPLICA, region: d.region },
      ],
      estimate: this.estimate,
      warnings: this.warnings.map((w) => w.message),
    })];
  }

  /**
   * S3 rejects a replication rule whose destination bucket does not exist. When the other
   * bucket is in the same app, the stack that needs it existing depends on its stack, so
   * `cdk deploy --all` deploys them in order: a one-way source after its destination; of a
   * two-way pair, the bucket whose name sorts second (whose stack applies both rules) after the
   * first. Whichever of the two is constructed second adds the dependency, and checks that a
   * two-way pair agrees on its settings.
   */
  private orderDeployment(): void {
    for (const other of replicatedBuckets(this)) {
      if (other === this || Stack.of(other) === Stack.of(this)) {
        continue;
      }
      if (this.destination?.bucketName === other.bucketName) {
        this.dependOn(other);
      } else if (other.destination?.bucketName === this.bucketName) {
        other.dependOn(this);
      }
    }
  }

  /**
   * The bucket created first of a two-way pair has no rule in its own template: the other
   * bucket's stack applies it. Once the app is built, a peer missing from the stage is said
   * (it may be in another app, deployed after this one; if it is never deployed, nothing
   * replicates from this bucket).
   */
  private warnWithoutPeer(peerBucketName: string): void {
    warnUnlessFound(this, 'cdk-failover:s3-peer-not-in-app', () => replicatedBuckets(this).some((b) => b.bucketName === peerBucketName), () =>
      `${this.bucketName} sorts before ${peerBucketName}, so its replication rule is applied by the stack of ${peerBucketName}, which is not in this app: `
      + `until that stack is deployed (after this one), nothing replicates from ${this.bucketName}. Deploy the other side, or declare both in one app.`);
  }

  private dependOn(destination: ReplicatedBucket): void {
    const pair = destination.destination?.bucketName === this.bucketName;
    const problems = new Problems(this);
    if (pair && !(this.twoWay && destination.twoWay)) {
      problems.add(`this bucket and ${destination.node.path} (${destination.bucketName}) replicate to each other, but \`twoWay\` is ${this.twoWay} here `
        + `and ${destination.twoWay} there: replication both ways needs \`twoWay: true\` on both, which syncs replica modifications and orders the deployment.`);
    } else if (!pair && this.twoWay) {
      problems.add(`\`twoWay\` is true, but ${destination.node.path} (${destination.bucketName}) does not replicate back to this bucket: `
        + 'two-way replication needs both buckets to name each other as `destination`, each with `twoWay: true`.');
    } else if (this.twoWay && (this.rtc !== destination.rtc || this.replicateDeleteMarkers !== destination.replicateDeleteMarkers)) {
      problems.add(`\`replicationTimeControl\` and \`deleteMarkerReplication\` must be the same on both buckets of a two-way pair, but ${destination.node.path} differs: `
        + 'the stack of the bucket whose name sorts second applies both rules with its own settings. Give both the same values.');
    }
    problems.throwIfAny();
    if (!this.twoWay) {
      deployAfter(this, Stack.of(this), Stack.of(destination), `S3 replication: ${this.bucketName} replicates to ${destination.bucketName}, which must exist first`,
        'Replicate from the bucket of the stack that deploys second, or remove the other dependency.');
    } else {
      const [first, second] = createdFirst(this.bucketName, destination.bucketName) ? [this, destination] : [destination, this];
      deployAfter(this, Stack.of(second), Stack.of(first),
        `S3 two-way replication: ${first.bucketName} sorts first, so it is created first and ${second.node.path}'s stack applies both rules`,
        'Name the buckets so that the bucket of the stack that deploys first sorts first (e.g. `orders-a-primary-...` and `orders-b-recovery-...`).');
    }
  }
}

function replicatedBuckets(scope: IConstruct): ReplicatedBucket[] {
  return constructsOfStage(scope).filter(ReplicatedBucket.isReplicatedBucket);
}

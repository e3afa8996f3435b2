import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Whether deleting an object on the source (which, in a versioned bucket, adds a delete marker)
 * also hides it on the replica.
 */
export enum DeleteMarkerReplication {
  /**
   * Delete markers stay on the source: an object deleted there, by mistake or by an attacker,
   * stays readable on the replica. The replica then holds objects the source no longer shows.
   */
  DO_NOT_REPLICATE = 'DO_NOT_REPLICATE',
  /**
   * Delete markers are replicated: the replica shows what the source shows, deletes included.
   * The deleted versions stay on both buckets (a delete marker hides, it does not erase).
   */
  REPLICATE = 'REPLICATE',
}

/**
 * The bucket that receives the replicas, in another region of the same account, addressed by
 * name. Its key is found by its alias in that region and this account.
 */
export interface ReplicationDestination {
  /**
   * The name of the destination bucket: a `ReplicatedBucket` in the destination region's stack
   * with this `bucketName`. Regions meet by this name: no reference crosses stacks.
   */
  readonly bucketName: string;

  /** The region of the destination bucket, e.g. `us-west-2`. Must differ from this stack's region. */
  readonly region: string;
}

/**
 * Properties of `ReplicatedBucket`.
 */
export interface ReplicatedBucketProps {
  /**
   * The name of the bucket, known at synth: the other region's stack addresses this bucket,
   * and its KMS key (alias `alias/s3-replication/<bucket name, dots as hyphens>`), by it.
   * 3 to 63 lower-case letters, digits, hyphens and dots, starting and ending with a letter or
   * digit (the S3 bucket naming rules).
   */
  readonly bucketName: string;

  /**
   * Where this bucket's new objects are replicated. Omit it for a bucket that only receives
   * replicas (the destination of a one-way replication).
   *
   * @default - this bucket replicates nowhere
   */
  readonly destination?: ReplicationDestination;

  /**
   * Whether the destination replicates back to this bucket (two-way replication): the rule
   * then syncs replica modifications (metadata, tags, ACL and Object Lock changes made on a
   * replica) too. Give the destination's `ReplicatedBucket` the mirror image: its
   * `destination` this bucket, `twoWay: true`, and the same `replicationTimeControl` and
   * `deleteMarkerReplication`.
   *
   * Both stacks deploy with one `cdk deploy` each: the bucket whose name sorts first is
   * created without a rule, and the other bucket's stack, deployed after it, applies that rule
   * (with its own settings, hence the same settings on both). The first bucket's template then
   * never declares its rule: change it through the pair's props, not by hand.
   *
   * @default false
   */
  readonly twoWay?: boolean;

  /**
   * Whether deletes on this bucket hide the object on the destination too. The default keeps
   * the replica readable when objects are deleted on the source by mistake or by an attacker:
   * the replica is the copy you recover from. Choose `REPLICATE` when the buckets must show
   * the same objects (e.g. two-way active-active), knowing that a delete then spreads; the
   * deleted versions stay in both buckets either way. A delete of a specific version is never
   * replicated.
   *
   * @default DeleteMarkerReplication.DO_NOT_REPLICATE
   */
  readonly deleteMarkerReplication?: DeleteMarkerReplication;

  /**
   * Whether the rule uses S3 Replication Time Control: AWS replicates 99.99 % of objects
   * within 15 minutes, and the recovery model takes 15 minutes as the RPO. Without it AWS
   * publishes no bound, and the model takes the `s3ReplicationLag` assumption. Replication
   * metrics are on either way (the alarms need them). RTC costs extra per GB replicated.
   *
   * @default true
   */
  readonly replicationTimeControl?: boolean;

  /**
   * The topic told about failed replications, replications that missed the 15-minute
   * threshold, and the alarms. Its policy gets statements letting S3 (from this bucket) and
   * CloudWatch (these alarms) publish; an encrypted topic's key policy must let
   * `s3.amazonaws.com` and `cloudwatch.amazonaws.com` use the key.
   *
   * @default - a new topic encrypted with a new KMS key (rotation on), TLS required
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The bucket that receives this bucket's server access logs. Give one per region: S3
   * delivers access logs only to a bucket in the same region.
   *
   * @default - no server access logs
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The prefix of this bucket's access logs in `serverAccessLogsBucket`.
   *
   * @default - no prefix
   */
  readonly serverAccessLogsPrefix?: string;

  /**
   * Values that replace the defaults of the model's named assumptions, by id:
   * `s3ReplicationLag` (without Replication Time Control only).
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

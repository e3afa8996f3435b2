import { createHash } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * The name of a bucket's replication role, derived from the bucket name so that the other
 * region can pass it (IAM role names: at most 64 characters).
 */
export function replicationRoleName(bucketName: string): string {
  const hash = createHash('sha256').update(bucketName).digest('hex').slice(0, 8);
  return `s3-replication-${bucketName.slice(0, 40)}-${hash}`;
}

/**
 * Of a two-way pair, the bucket whose name sorts first is created first: its stack cannot
 * carry its rule, because S3 rejects a rule whose destination does not exist yet
 * (docs/aws-facts.md#s3-replication). Both sides compute the same answer from the two names.
 */
export function createdFirst(bucketName: string, otherBucketName: string): boolean {
  return bucketName < otherBucketName;
}

/** The rule of the bucket created first, which the second side's stack applies. */
export interface PeerRuleInput {
  /** The bucket created first, in the other region. */
  readonly peerBucketName: string;
  readonly peerRegion: string;
  /** This side: the destination of the peer's rule. */
  readonly bucket: s3.IBucket;
  readonly bucketName: string;
  readonly key: kms.IKey;
  readonly rtc: boolean;
  readonly replicateDeleteMarkers: boolean;
}

/**
 * Two-way replication deploys with one `cdk deploy` per stack: the bucket created first gets
 * its rule only once this side's bucket exists, so this side's stack applies it
 * (PutBucketReplication in the peer's region, by name, through aws-cdk-lib's
 * `AwsCustomResource`). The rule mirrors the one `replicationRules` renders for this side: same
 * id scheme, RTC and metrics, SSE-KMS objects, replica modifications, delete-marker choice.
 * Nothing is deleted with the stack: like the retained buckets, the rule stays.
 */
export function applyPeerRule(scope: Construct, id: string, input: PeerRuleInput): cr.AwsCustomResource {
  const stack = Stack.of(scope);
  const peerBucketArn = `arn:${stack.partition}:s3:::${input.peerBucketName}`;
  const peerRoleArn = `arn:${stack.partition}:iam::${stack.account}:role/${replicationRoleName(input.peerBucketName)}`;
  const status = (on: boolean) => ({ Status: on ? 'Enabled' : 'Disabled' });
  const call: cr.AwsSdkCall = {
    service: 'S3',
    action: 'PutBucketReplication',
    region: input.peerRegion,
    parameters: {
      Bucket: input.peerBucketName,
      ReplicationConfiguration: {
        Role: peerRoleArn,
        Rules: [{
          ID: `to-${input.bucketName}`,
          Priority: 0,
          Status: 'Enabled',
          Filter: { Prefix: '' },
          DeleteMarkerReplication: status(input.replicateDeleteMarkers),
          SourceSelectionCriteria: { SseKmsEncryptedObjects: status(true), ReplicaModifications: status(true) },
          Destination: {
            Bucket: input.bucket.bucketArn,
            EncryptionConfiguration: { ReplicaKmsKeyID: input.key.keyArn },
            ...(input.rtc ? { ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } } } : {}),
            Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
          },
        }],
      },
    },
    physicalResourceId: cr.PhysicalResourceId.of(`${input.peerBucketName}/replication`),
  };
  return new cr.AwsCustomResource(scope, id, {
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['s3:PutReplicationConfiguration'], resources: [peerBucketArn] }),
      new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [peerRoleArn] }),
    ]),
  });
}

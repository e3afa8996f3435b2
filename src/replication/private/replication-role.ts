import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeFindings, defaultPolicyOf } from '../../private/nag';

/**
 * The KMS alias of a replicated bucket's key, derived from the bucket name so that the other
 * region finds the key by name (KMS aliases take no dots).
 */
export function replicationKeyAlias(bucketName: string): string {
  return `alias/s3-replication/${bucketName.replace(/\./g, '-')}`;
}

/** The ARN of that alias in `region` of this stack's account and partition. */
export function replicationKeyAliasArn(scope: Construct, bucketName: string, region: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:kms:${region}:${stack.account}:${replicationKeyAlias(bucketName)}`;
}

/** What the replication role of one rule may touch. */
export interface ReplicationRoleInput {
  readonly sourceBucketArn: string;
  readonly sourceKey: kms.IKey;
  readonly sourceRegion: string;
  readonly destinationBucketArn: string;
  readonly destinationBucketName: string;
  readonly destinationRegion: string;
  /** A name known to the other region (two-way replication passes this role from there). */
  readonly roleName: string;
  /** Whether the rule replicates delete markers (s3:ReplicateDelete). */
  readonly replicateDeleteMarkers: boolean;
}

/**
 * The role S3 assumes to replicate, scoped to the two buckets and the two keys, following the
 * policy AWS documents for replicating SSE-KMS objects (docs/aws-facts.md#s3-replication): read
 * versions of the source, replicate into the destination, decrypt with the source key and
 * encrypt with the replica key, each through S3 of its region and for its bucket only
 * (kms:ViaService, kms:EncryptionContext:aws:s3:arn; the bucket ARN itself with S3 Bucket Keys).
 */
export function createReplicationRole(scope: Construct, id: string, input: ReplicationRoleInput): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
    roleName: input.roleName,
    description: `S3 replication from ${scope.node.path} to ${input.destinationBucketName} (${input.destinationRegion})`.slice(0, 1000),
  });
  const src = input.sourceBucketArn;
  const dst = input.destinationBucketArn;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadSourceConfiguration',
    actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
    resources: [src],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadSourceVersions',
    actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
    resources: [`${src}/*`],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReplicateToDestination',
    actions: ['s3:ReplicateObject', ...(input.replicateDeleteMarkers ? ['s3:ReplicateDelete'] : []), 's3:ReplicateTags'],
    resources: [`${dst}/*`],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'DecryptSource',
    actions: ['kms:Decrypt'],
    resources: [input.sourceKey.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': `s3.${input.sourceRegion}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [src, `${src}/*`] },
    },
  }));
  const stack = Stack.of(scope);
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'EncryptReplicas',
    actions: ['kms:Encrypt'],
    // The replica key lives in the other region, created by that region's stack: its key id is
    // unknown here. IAM matches a key (not an alias) in `Resource`, so the statement names the
    // keys of that region and account and narrows them to the one behind the alias with
    // kms:ResourceAliases.
    resources: [`arn:${stack.partition}:kms:${input.destinationRegion}:${stack.account}:key/*`],
    conditions: {
      'StringEquals': { 'kms:ViaService': `s3.${input.destinationRegion}.amazonaws.com` },
      'StringLike': { 'kms:EncryptionContext:aws:s3:arn': [dst, `${dst}/*`] },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': replicationKeyAlias(input.destinationBucketName) },
    },
  }));
  suppressKeyWildcard(role);
  return role;
}

/** cdk-nag metadata (no dependency on cdk-nag) for the `key/*` resource above, with its reason. */
function suppressKeyWildcard(role: iam.Role): void {
  acknowledgeFindings(defaultPolicyOf(role), [{
    id: 'AwsSolutions-IAM5',
    reason: 'S3 replication: objects of the source bucket (`/*`) are read and written to the destination bucket by version; '
      + 'the replica key of the other region is known only by its alias, so `key/*` is narrowed by kms:ResourceAliases, '
      + 'kms:ViaService and the encryption context of the destination bucket.',
    // Only these wildcards: objects of a bucket, and the keys of one region and account.
    applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:(s3:::[^*/]+/\\*|kms:[a-z0-9-]+:[^:*]+:key/\\*)$/g' }],
  }]);
}

import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { Warning } from '../../private/alarm-topic';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { checkSameRegion, knownRegion, partitionOf } from '../../private/region';
import { checkLiteral, show, truncate, unresolved } from '../../private/validate';
import { DeleteMarkerReplication, ReplicatedBucketProps } from '../replicated-bucket-options';

/** Prefixes and suffixes S3 reserves (docs/aws-facts.md#s3-replication, bucket names). */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3'];

/** Why `name` breaks the S3 general purpose bucket naming rules, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `must be 3 to 63 characters (got ${name.length})`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return 'must hold only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit';
  }
  if (/\.\.|\.-|-\./.test(name)) {
    // Two adjacent dots break the S3 rules; a dot beside a hyphen breaks DNS-compatible names,
    // which aws-cdk-lib's Bucket requires too.
    return 'must not hold two adjacent dots, nor a dot beside a hyphen';
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    return 'must not look like an IP address';
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) {
    return `must not start with ${JSON.stringify(prefix)} (reserved by S3)`;
  }
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  return suffix ? `must not end with ${JSON.stringify(suffix)} (reserved by S3)` : undefined;
}

/** The regions aws-cdk-lib knows, for messages and checks. */
function knownRegions(): string[] {
  return RegionInfo.regions.map((r) => r.name);
}

/**
 * Checks every prop of a `ReplicatedBucket` and returns the assumptions it uses. Bucket names
 * and the destination region must be literals: the other region's stack meets this one by them.
 */
export function validateReplicatedBucket(problems: Problems, scope: IConstruct, props: ReplicatedBucketProps,
  warnings: Warning[]): RecoveryAssumption[] {
  checkBucketName(problems, 'bucketName', props.bucketName);
  const d = props.destination;
  const here = knownRegion(scope);
  if (d !== undefined) {
    checkBucketName(problems, 'destination.bucketName', d.bucketName);
    if (!unresolved(d.bucketName) && !unresolved(props.bucketName) && d.bucketName === props.bucketName) {
      problems.add(`\`destination.bucketName\` must differ from \`bucketName\`, got: ${show(d.bucketName)} for both. `
        + 'Give the name of the bucket in the other region.');
    }
    checkDestinationRegion(problems, d.region, here, warnings);
  }
  if (props.twoWay && d === undefined) {
    problems.add('`twoWay` is true but `destination` is not set: two-way replication needs the other bucket. '
      + 'Set `destination` to the other region\'s bucket, or leave `twoWay` unset.');
  }
  const markers = Object.values(DeleteMarkerReplication) as string[];
  if (props.deleteMarkerReplication !== undefined && !markers.includes(props.deleteMarkerReplication)) {
    problems.add(`\`deleteMarkerReplication\` must be one of ${markers.join(', ')}, got: ${show(props.deleteMarkerReplication)}. `
      + 'Use DeleteMarkerReplication.DO_NOT_REPLICATE or DeleteMarkerReplication.REPLICATE.');
  }
  if (props.deleteMarkerReplication !== undefined && d === undefined) {
    problems.add('`deleteMarkerReplication` is set but `destination` is not: a bucket that replicates nowhere has no delete markers to replicate. '
      + 'Set `destination`, or leave `deleteMarkerReplication` unset.');
  }
  if (props.replicationTimeControl !== undefined && d === undefined) {
    problems.add('`replicationTimeControl` is set but `destination` is not: Replication Time Control is a property of an outgoing rule. '
      + 'Set `destination`, or leave `replicationTimeControl` unset.');
  }
  if (props.alarmTopic !== undefined && d === undefined) {
    problems.add('`alarmTopic` is set but `destination` is not: the alarms watch outgoing replication. '
      + 'Set `destination`, or leave `alarmTopic` unset.');
  }
  checkSameRegion(problems, scope, 'alarmTopic', props.alarmTopic,
    'S3 and CloudWatch notify a topic of the bucket\'s own region: create the topic in this stack\'s region.', true);
  checkSameRegion(problems, scope, 'serverAccessLogsBucket', props.serverAccessLogsBucket,
    'S3 delivers server access logs only to a bucket of the same region: give a logs bucket of this region.', true);
  const used = d !== undefined && props.replicationTimeControl === false ? [RecoveryAssumption.S3_REPLICATION_LAG] : [];
  checkAssumptions(problems, props.assumptions, used);
  return used;
}

function checkBucketName(problems: Problems, prop: string, name: string): void {
  checkLiteral(problems, prop, name, 'regions meet by bucket name: the other region\'s stack must know it at synth');
  if (unresolved(name)) {
    return;
  }
  if (typeof name !== 'string') {
    problems.add(`\`${prop}\` must be a string, got: ${show(name)}.`);
    return;
  }
  const problem = bucketNameProblem(name);
  if (problem) {
    problems.add(`\`${prop}\` ${problem}, got: ${show(truncate(name))}. Give a bucket name that follows the S3 naming rules, e.g. "acme-orders-us-east-1".`);
  }
}

function checkDestinationRegion(problems: Problems, region: string, here: string | undefined, warnings: Warning[]): void {
  checkLiteral(problems, 'destination.region', region, 'the replica key is addressed by an ARN that names its region');
  if (unresolved(region)) {
    return;
  }
  if (typeof region !== 'string' || !knownRegions().includes(region)) {
    problems.add(`\`destination.region\` must be an AWS region aws-cdk-lib knows, got: ${show(region)}. Give e.g. "us-west-2".`);
    return;
  }
  if (here === undefined) {
    warnings.push({
      id: 'cdk-failover:s3-replication-region-unknown',
      message: `This stack has no region at synth (an environment-agnostic stack), so replication to ${region} cannot be checked `
        + 'to cross regions or stay in one partition: deploy it to another region than the destination, or give the stack an `env`.',
    });
    return;
  }
  if (region === here) {
    problems.add(`\`destination.region\` must differ from this stack's region, got: ${show(region)} for both. `
      + 'This construct replicates between regions; give the other region.');
  } else if (partitionOf(region) !== partitionOf(here)) {
    problems.add(`\`destination.region\` must be in this stack's partition (${partitionOf(here)}), got: ${show(region)} (${partitionOf(region)}). `
      + 'S3 replicates within a partition only.');
  }
}

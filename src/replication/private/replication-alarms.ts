import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmFactory, NotifyTopic } from '../../private/alarm-factory';

/** A warning for the construct to add, with its acknowledgeable id. */
export interface ReplicationWarning {
  readonly id: string;
  readonly message: string;
}

/** What the alarms of one outgoing rule watch. */
export interface ReplicationAlarmInput {
  readonly bucket: s3.Bucket;
  readonly destinationBucketName: string;
  readonly ruleId: string;
  readonly rtc: boolean;
  /** The modeled worst-case lag, in seconds: the latency alarm fires above it. */
  readonly lagSeconds: number;
}

/**
 * Alarms on the replication metrics S3 publishes in the source region for a rule with metrics
 * on (docs/aws-facts.md#s3-replication): any failed operation, and a latency above the modeled
 * lag, which is also the RPO the report shows.
 */
export function createReplicationAlarms(owner: Construct, topic: sns.ITopic, input: ReplicationAlarmInput): cloudwatch.Alarm[] {
  const factory = new AlarmFactory(owner, new NotifyTopic(topic));
  const dimensionsMap = {
    SourceBucket: input.bucket.bucketName,
    DestinationBucket: input.destinationBucketName,
    RuleId: input.ruleId,
  };
  const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
    namespace: 'AWS/S3', metricName, dimensionsMap, statistic, period: Duration.minutes(5),
  });
  const failed = factory.addAlarm('FailedReplicationAlarm', {
    description: `objects failed to replicate to ${input.destinationBucketName}: they are not in the other region. `
      + 'Read the failure reason in the s3:Replication:OperationFailedReplication event, fix it, and replicate them again with S3 Batch Replication.',
    metric: metric('OperationsFailedReplication', 'Sum'),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const latency = factory.addAlarm('ReplicationLatencyAlarm', {
    description: `replication to ${input.destinationBucketName} lags more than ${input.lagSeconds} s, the lag the recovery model `
      + `assumes${input.rtc ? ' (the Replication Time Control threshold)' : ''}: a region failure now loses more than the modeled RPO.`,
    metric: metric('ReplicationLatency', 'Maximum'),
    threshold: input.lagSeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return [failed, latency];
}

/**
 * S3 event notifications of failed replications and, with RTC, of replications that missed
 * the 15-minute threshold, to the topic. S3 sends replication events to SNS, SQS and Lambda
 * only: its EventBridge integration carries object events, not replication events
 * (docs/aws-facts.md#s3-replication). aws-cdk-lib's `addEventNotification` adds the topic
 * policy for this bucket.
 */
export function notifyReplicationEvents(bucket: s3.Bucket, topic: sns.ITopic, rtc: boolean): void {
  const destination = new s3n.SnsDestination(topic);
  bucket.addEventNotification(s3.EventType.REPLICATION_OPERATION_FAILED_REPLICATION, destination);
  if (rtc) {
    bucket.addEventNotification(s3.EventType.REPLICATION_OPERATION_MISSED_THRESHOLD, destination);
  }
}

/**
 * The topic policy for the alarms, and, for a topic encrypted with a key of this app, the key
 * policy that lets S3 and CloudWatch publish to it. Returns a warning when the topic or its key
 * is imported, whose policies cannot be changed here.
 */
export function allowPublishing(owner: Construct, topic: sns.ITopic, alarms: cloudwatch.IAlarm[]): ReplicationWarning | undefined {
  const added = topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ReplicationAlarms',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnLike: { 'aws:SourceArn': alarms.map((a) => a.alarmArn) }, StringEquals: { 'aws:SourceAccount': Stack.of(owner).account } },
  })).statementAdded;
  if (!added) {
    return {
      id: 'cdk-failover:imported-alarm-topic',
      message: `The alarm topic ${topic.topicArn} is imported, so its policy cannot be changed here: replication events and alarms reach it `
        + 'only if its policy lets s3.amazonaws.com (from this bucket) and cloudwatch.amazonaws.com publish, and, if it is encrypted, its KMS key '
        + 'policy lets them use the key (kms:GenerateDataKey* and kms:Decrypt). Check both policies, or leave `alarmTopic` unset.',
    };
  }
  const key = topic.masterKey;
  if (key === undefined) {
    return undefined;
  }
  const keyAdded = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'PublishReplicationEvents',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('s3.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy `*` is this key. Who may publish is scoped by the topic policy
    // (aws:SourceArn of this bucket and these alarms).
    resources: ['*'],
  })).statementAdded;
  if (keyAdded) {
    return undefined;
  }
  return {
    id: 'cdk-failover:imported-alarm-topic-key',
    message: `The alarm topic ${topic.node.path} is encrypted with the imported KMS key ${key.keyArn}, whose policy cannot be changed here: `
      + 'replication events and alarms reach the topic only if the key policy lets s3.amazonaws.com and cloudwatch.amazonaws.com use it '
      + '(kms:GenerateDataKey* and kms:Decrypt). Add that statement, or encrypt the topic with a key created in this app.',
  };
}

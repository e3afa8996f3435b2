import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmFactory, NotifyTopic } from '../../private/alarm-factory';
import { allowToPublish, Warning } from '../../private/alarm-topic';


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
 * The topic policy for the alarms (aws-cdk-lib's `addEventNotification` writes S3's), and, for a
 * topic encrypted with a key of this app, the key policy that lets S3 and CloudWatch publish.
 */
export function allowPublishing(owner: Construct, topic: sns.ITopic, alarms: cloudwatch.IAlarm[]): Warning | undefined {
  return allowToPublish(owner, topic, {
    publishers: [{ sid: 'ReplicationAlarms', service: 'cloudwatch.amazonaws.com', sourceArns: alarms.map((a) => a.alarmArn) }],
    keyServices: ['cloudwatch.amazonaws.com', 's3.amazonaws.com'],
    keySid: 'PublishReplicationEvents',
    what: 'replication events and alarms',
  });
}

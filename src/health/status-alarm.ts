import { Aws, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Problems } from '../private/errors';
import { checkSameRegion } from '../private/records';
import { unresolved } from '../private/validate';

/** Route 53 publishes health-check metrics in us-east-1 only (FACTS.md "status metrics"). */
export const ROUTE53_METRICS_REGION = 'us-east-1';

export interface StatusAlarmProps {
  readonly healthCheckId: string;
  /** Sentence that opens the alarm description. */
  readonly description: string;
  readonly topic?: sns.ITopic;
}

/**
 * An alarm on a health check's `HealthCheckStatus` metric, always in us-east-1.
 *
 * In a us-east-1 stack it is a plain CloudWatch alarm. Anywhere else (and in an
 * environment-agnostic stack) a deploy-time custom resource puts the alarm in us-east-1 with
 * PutMetricAlarm and deletes it with the stack: no second stack, no cross-region export.
 * The alarm only notifies; failover never depends on it.
 */
export class StatusAlarm extends Construct {
  public readonly alarmName: string;
  public readonly alarmArn: string;

  constructor(scope: Construct, id: string, props: StatusAlarmProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Status is 1 (healthy) or 0 each minute; 2 of 3 minutes at 0, or without data, is an outage.
    // One late or missing datapoint (a new check publishes nothing at first) does not page.
    const description = `${props.description} In alarm when Route 53 reports the endpoint unhealthy, or publishes no status, for 2 of 3 minutes.`;

    if (!Token.isUnresolved(stack.region) && stack.region === ROUTE53_METRICS_REGION) {
      const alarm = new cloudwatch.Alarm(this, 'Resource', {
        alarmDescription: description,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensionsMap: { HealthCheckId: props.healthCheckId },
          statistic: cloudwatch.Stats.MINIMUM,
          period: Duration.minutes(1),
          region: ROUTE53_METRICS_REGION,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      if (props.topic) {
        alarm.addAlarmAction(new cw_actions.SnsAction(props.topic));
        alarm.addOkAction(new cw_actions.SnsAction(props.topic));
      }
      this.alarmName = alarm.alarmName;
      this.alarmArn = alarm.alarmArn;
      return;
    }

    // A name known at synth, so the custom resource's role is scoped to this one alarm ARN. All
    // stacks of an account put their alarms in us-east-1, so the name carries the stack's region:
    // the same app deployed to two regions must not overwrite one alarm.
    this.alarmName = `${stack.stackName}-${stack.region}-${Names.uniqueResourceName(this, { maxLength: 80, separator: '-' })}`;
    this.alarmArn = `arn:${Aws.PARTITION}:cloudwatch:${ROUTE53_METRICS_REGION}:${stack.account}:alarm:${this.alarmName}`;
    const actions = props.topic ? [props.topic.topicArn] : [];
    const putAlarm: cr.AwsSdkCall = {
      service: 'CloudWatch',
      action: 'putMetricAlarm',
      region: ROUTE53_METRICS_REGION,
      parameters: {
        AlarmName: this.alarmName,
        AlarmDescription: description,
        Namespace: 'AWS/Route53',
        MetricName: 'HealthCheckStatus',
        Dimensions: [{ Name: 'HealthCheckId', Value: props.healthCheckId }],
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: actions,
        OKActions: actions,
      },
      physicalResourceId: cr.PhysicalResourceId.of(this.alarmName),
    };
    new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::HealthCheckStatusAlarm',
      onCreate: putAlarm,
      onUpdate: putAlarm,
      onDelete: {
        service: 'CloudWatch',
        action: 'deleteAlarms',
        region: ROUTE53_METRICS_REGION,
        parameters: { AlarmNames: [this.alarmName] },
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
          resources: [this.alarmArn],
        }),
      ]),
      installLatestAwsSdk: false,
    });
  }
}

/** The alarm lives in us-east-1, so its SNS topic must too. */
export function checkAlarmTopic(problems: Problems, scope: Construct, topic: sns.ITopic | undefined, statusAlarm: boolean | undefined): void {
  checkSameRegion(problems, scope, 'alarmTopic', topic, 'Import it here by ARN with sns.Topic.fromTopicArn(): the alarm only needs the ARN.');
  const region = topic?.env.region;
  if (region !== undefined && !unresolved(region) && region !== ROUTE53_METRICS_REGION) {
    problems.add(`\`alarmTopic\` must be in ${ROUTE53_METRICS_REGION}, where the status alarm lives, got a topic in ${region}. `
      + `Import a ${ROUTE53_METRICS_REGION} topic with sns.Topic.fromTopicArn().`);
  }
  if (topic && statusAlarm === false) {
    problems.add('`alarmTopic` needs the status alarm: remove `statusAlarm: false`, or remove `alarmTopic`.');
  }
}

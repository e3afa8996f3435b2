import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { StatusAlarmProvider } from './status-alarm-provider';
import { actionsFor } from '../private/alarm-factory';
import { Problems } from '../private/errors';
import { checkSameRegion, knownRegion, knownRoute53Partitions, partitionOf, route53HomeRegion } from '../private/region';
import { unresolved } from '../private/validate';

/**
 * Route 53 publishes health-check metrics in its home region only: us-east-1 in the commercial
 * partition (docs/aws-facts.md#route-53-health-checks). Environment-agnostic stacks use it.
 */
export const ROUTE53_METRICS_REGION = 'us-east-1';

/**
 * Where the status alarm of a check in `scope`'s stack lives: the Route 53 home region of the
 * stack's partition, us-east-1 for an environment-agnostic stack, undefined for a partition the
 * library does not know.
 */
export function statusAlarmRegion(scope: IConstruct): string | undefined {
  const region = knownRegion(scope);
  return region === undefined ? ROUTE53_METRICS_REGION : route53HomeRegion(partitionOf(region));
}

export interface StatusAlarmProps {
  readonly healthCheckId: string;
  /** Sentence that opens the alarm description. */
  readonly description: string;
  readonly topic?: sns.ITopic;
}

/**
 * One alarm, written once: the L2 alarm and the PutMetricAlarm parameters are both derived from
 * it, so the two forms cannot drift apart.
 */
interface AlarmSpec {
  /** Where Route 53 publishes the metric. */
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** A simple statistic: both forms take it as is. */
  readonly statistic: string;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly description: string;
  /** Told when the alarm fires and when it clears. */
  readonly topic?: sns.ITopic;
}

/**
 * Status is 1 (healthy) or 0 each minute; 2 of 3 minutes at 0, or without data, is an outage.
 * One late or missing datapoint (a new check publishes nothing at first) does not page.
 */
function statusSpec(props: StatusAlarmProps, region: string): AlarmSpec {
  return {
    region,
    namespace: 'AWS/Route53',
    metricName: 'HealthCheckStatus',
    dimensions: { HealthCheckId: props.healthCheckId },
    statistic: cloudwatch.Stats.MINIMUM,
    period: Duration.minutes(1),
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 1,
    comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    description: `${props.description} In alarm when Route 53 reports the endpoint unhealthy, or publishes no status, for 2 of 3 minutes.`,
    topic: props.topic,
  };
}

/**
 * An alarm on a health check's `HealthCheckStatus` metric, in the Route 53 home region of the
 * stack's partition (us-east-1, cn-northwest-1 or us-gov-west-1; us-east-1 when the stack is
 * environment-agnostic).
 *
 * In a stack of that region it is a plain CloudWatch alarm. Anywhere else the stack's shared
 * `StatusAlarmProvider` puts the alarm there with PutMetricAlarm at deploy time and deletes it
 * with the stack: no second stack, no cross-region export. The alarm only notifies; failover
 * never depends on it.
 */
export class StatusAlarm extends Construct {
  public readonly alarmName: string;
  public readonly alarmArn: string;

  constructor(scope: Construct, id: string, props: StatusAlarmProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const home = statusAlarmRegion(this);
    if (home === undefined) {
      // The health checks reject this before any child exists; a direct user gets the same message.
      const problems = new Problems(this);
      problems.add(unknownPartitionMessage(stack.region));
      problems.throwIfAny();
    }
    const spec = statusSpec(props, home!);

    if (!unresolved(stack.region) && stack.region === home) {
      const alarm = new cloudwatch.Alarm(this, 'Resource', alarmProps(spec));
      actionsFor(spec.topic).addActions(alarm);
      this.alarmName = alarm.alarmName;
      this.alarmArn = alarm.alarmArn;
      return;
    }

    // A name known at synth under the stack's prefix, which the shared provider's role is
    // scoped to. The prefix carries the stack's region: the same app deployed to two regions
    // must not overwrite one alarm.
    const provider = StatusAlarmProvider.of(this, home!);
    this.alarmName = `${provider.alarmNamePrefix}${Names.uniqueResourceName(this, { maxLength: 80, separator: '-' })}`;
    this.alarmArn = provider.alarmArn(this.alarmName);
    provider.addAlarm(putMetricAlarmParameters(spec, this.alarmName));
  }
}

/** The L2 form, without actions (they are added as SNS actions). */
function alarmProps(spec: AlarmSpec): cloudwatch.AlarmProps {
  return {
    alarmDescription: spec.description,
    metric: new cloudwatch.Metric({
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensionsMap: spec.dimensions,
      statistic: spec.statistic,
      period: spec.period,
      region: spec.region,
    }),
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
  };
}

/** The PutMetricAlarm form: aws-cdk-lib's enums hold the API's own strings. */
function putMetricAlarmParameters(spec: AlarmSpec, alarmName: string): Record<string, unknown> {
  const actions = spec.topic ? [spec.topic.topicArn] : [];
  return {
    AlarmName: alarmName,
    AlarmDescription: spec.description,
    Namespace: spec.namespace,
    MetricName: spec.metricName,
    Dimensions: Object.entries(spec.dimensions).map(([Name, Value]) => ({ Name, Value })),
    Statistic: spec.statistic,
    Period: spec.period.toSeconds(),
    EvaluationPeriods: spec.evaluationPeriods,
    DatapointsToAlarm: spec.datapointsToAlarm,
    Threshold: spec.threshold,
    ComparisonOperator: spec.comparison,
    TreatMissingData: spec.treatMissingData,
    AlarmActions: actions,
    OKActions: actions,
  };
}

/**
 * What the status alarm needs: a partition whose Route 53 home region is known, and a topic in
 * that region (the alarm lives there).
 */
export function checkAlarmTopic(problems: Problems, scope: Construct, topic: sns.ITopic | undefined, statusAlarm: boolean | undefined): void {
  const home = statusAlarmRegion(scope);
  if (home === undefined && statusAlarm !== false) {
    problems.add(unknownPartitionMessage(Stack.of(scope).region));
  }
  checkSameRegion(problems, scope, 'alarmTopic', topic, 'Import it here by ARN with sns.Topic.fromTopicArn(): the alarm only needs the ARN.');
  const region = topic?.env.region;
  if (home !== undefined && region !== undefined && !unresolved(region) && region !== home) {
    problems.add(`\`alarmTopic\` must be in ${home}, where the status alarm lives, got a topic in ${region}. `
      + `Import a ${home} topic with sns.Topic.fromTopicArn().`);
  }
  if (topic && statusAlarm === false) {
    problems.add('`alarmTopic` needs the status alarm: remove `statusAlarm: false`, or remove `alarmTopic`.');
  }
}

function unknownPartitionMessage(region: string): string {
  return `\`statusAlarm\` needs the region where Route 53 publishes health-check metrics, which is not known for the ${partitionOf(region)} partition `
    + `(stack region ${region}; known: ${knownRoute53Partitions().join(', ')}). Set \`statusAlarm: false\` and alarm on the check yourself.`;
}

import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { AwsHealthSignalProps } from './aws-health-signal-props';
import { checkAwsHealthProps, DEFAULT_PERIOD, delivery } from './private/aws-health-rules';
import { recordUpstreamDetection } from './private/upstream-detection';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { awsHealthDetection } from '../objectives/model/aws-health';
import { actionsFor, AlarmFactory } from '../private/alarm-factory';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { knownRegion } from '../private/region';

/**
 * AWS's own view of a Region as a failover signal: an EventBridge rule on AWS Health issue
 * events for the services and Regions a recovery path depends on, and a CloudWatch alarm that
 * goes into ALARM when the rule matches. It is for failures your endpoints cannot see yet; it
 * never replaces their health checks.
 *
 * The alarm watches the rule's own metric (`AWS/Events` `TriggeredRules` by `RuleName`, Sum >= 1
 * over `period`, one evaluation period, missing data not breaching), so no function runs. It
 * goes into ALARM once a period holds an open issue event or an update of one, and back to OK
 * after a whole period without any: between one and two periods after the last event. A closed
 * event does not clear it by itself (it matches too, and only the quiet period clears it), so
 * the alarm outlives the event by one to two periods. Choose a period longer than the gaps
 * between AWS Health's updates if the alarm holds traffic away (a health check); a runbook's
 * `startOnAlarm` needs only the first transition.
 *
 * Nothing in this library creates it: it counts in the recovery model only where you wire its
 * `alarm` in, through an `AlarmHealthCheck` (its detection is then `detection` followed by the
 * alarm's evaluation) or a runbook's `startOnAlarm`. AWS publishes no delay from an impairment
 * to its AWS Health event: `detection` rests on the named assumption `awsHealthSignal`.
 *
 * @exampleMetadata fixture=health-signal
 * @example
 * const signal = new AwsHealthSignal(this, 'AwsHealth', {
 *   services: ['EC2', 'RDS', 'ELASTICLOADBALANCING'],
 *   regions: ['us-east-1'],
 * });
 * const awsSaysDown = new AlarmHealthCheck(this, 'AwsSaysDown', { alarm: signal.alarm });
 */
export class AwsHealthSignal extends Construct {
  /** The EventBridge rule that matches the AWS Health issue events. */
  public readonly rule: events.Rule;
  /** In ALARM while the rule has matched within the last period: usable by `AlarmHealthCheck` and as `startOnAlarm`. */
  public readonly alarm: cloudwatch.Alarm;
  /**
   * From an impairment to the AWS Health event reaching EventBridge (the `awsHealthSignal`
   * assumption). Whoever follows `alarm` adds the alarm's own evaluation after it.
   */
  public readonly detection: RecoveryEstimate;
  /** The services watched. */
  public readonly services: string[];
  /** The impacted Regions watched. */
  public readonly regions: string[];
  /** The alarm's period: ALARM within one to two periods of an event, OK again after a whole period without one. */
  public readonly period: Duration;

  constructor(scope: Construct, id: string, props: AwsHealthSignalProps) {
    super(scope, id);
    const here = knownRegion(this);
    const problems = new Problems(this);
    checkAwsHealthProps(problems, props, here);
    problems.throwIfAny();

    this.services = [...props.services];
    this.regions = props.regions ? [...props.regions] : [here!];
    this.warnAboutDelivery(here);

    this.rule = new events.Rule(this, 'Rule', {
      description: `AWS Health issue events for ${this.services.join(', ')} in ${this.regions.join(', ')}: counted by the alarm of ${this.node.path}.`.slice(0, 512),
      eventPattern: {
        source: ['aws.health'],
        detailType: ['AWS Health Event'],
        detail: {
          eventTypeCategory: ['issue'],
          service: this.services,
          eventRegion: this.regions,
        },
      },
    });

    const period = props.period ?? DEFAULT_PERIOD;
    this.period = period;
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/Events',
      metricName: 'TriggeredRules',
      dimensionsMap: { RuleName: this.rule.ruleName },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    this.alarm = new AlarmFactory(this, actionsFor(props.alarmTopic)).addAlarm('Alarm', {
      description: `AWS Health reports an issue with ${this.services.join(', ')} in ${this.regions.join(', ')}. `
        + `OK again after ${period.toHumanString()} without a new event or update.`,
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No match publishes no datapoint: that is the healthy case.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const term = awsHealthDetection(this.services, givenAssumption(this, props.assumptions, RecoveryAssumption.AWS_HEALTH_SIGNAL));
    this.detection = RecoveryEstimate._fromModel([term]);
    recordUpstreamDetection(this.alarm, [term]);
  }

  private warnAboutDelivery(here: string | undefined): void {
    if (here === undefined) {
      Annotations.of(this).addWarningV2('cdk-failover:aws-health-region-unknown',
        `The stack's Region is only known at deploy time: AWS Health delivers events about ${this.regions.join(', ')} only in those Regions `
        + '(and public events in their backup Region), so deploy this stack in one of them. Give the stack an explicit env to have it checked.');
      return;
    }
    const backups = this.regions.filter((r) => delivery(r, here) === 'backup');
    if (backups.length > 0) {
      Annotations.of(this).addWarningV2('cdk-failover:aws-health-backup-only',
        `${here} receives only the public AWS Health events about ${backups.join(', ')} (as their backup Region); events about your own `
        + `resources there reach EventBridge only in ${backups.join(', ')}. Add an AwsHealthSignal in ${backups.join(', ')} too, for those.`);
    }
  }
}

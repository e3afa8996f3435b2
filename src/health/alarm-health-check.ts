import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ModeledHealthCheckBase } from './health-check-base';
import { upstreamDetection } from './private/upstream-detection';
import { RecoveryEstimate } from '../objectives/estimate';
import { alarmDetection, slowestAlarm } from '../objectives/model/alarms';
import { Problems } from '../private/errors';
import { alarmShape, checkRoute53Alarm } from '../private/route53-alarm-rules';
import { checkDuration, literalSeconds } from '../private/validate';

/**
 * Properties of `AlarmHealthCheck`.
 */
export interface AlarmHealthCheckProps {
  /**
   * The alarm Route 53 follows: healthy while it is OK. It must be one Route 53 accepts: a
   * single metric of standard resolution (period of 60 s or more), a basic statistic (Average,
   * Minimum, Maximum, Sum, SampleCount), no metric math (a label on the metric is fine), no
   * "M out of N" (datapoints to alarm equal to evaluation periods), in this account and on a
   * metric of this account. Route 53 follows the alarm's data, not SetAlarmState, so an alarm
   * cannot be forced by hand.
   */
  readonly alarm: cloudwatch.Alarm;

  /**
   * What the health check reports while the alarm has insufficient data.
   *
   * @default route53.InsufficientDataHealthStatusEnum.UNHEALTHY - no data fails over
   */
  readonly insufficientDataHealthStatus?: route53.InsufficientDataHealthStatusEnum;

  /**
   * From the alarm's last period closing to Route 53 reporting the new status, for the model.
   *
   * @default Duration.seconds(60) - assumed: AWS publishes no figure
   */
  readonly alarmToHealthStatus?: Duration;
}

/**
 * A Route 53 health check that follows a CloudWatch alarm of this app, with every rule Route 53
 * puts on such alarms checked at synth (instead of a deploy that fails, or a check that never
 * changes), and its detection time in the recovery model.
 */
export class AlarmHealthCheck extends ModeledHealthCheckBase {
  /** The aws-cdk-lib health check this construct configures. */
  public readonly healthCheck: route53.HealthCheck;

  constructor(scope: Construct, id: string, props: AlarmHealthCheckProps) {
    super(scope, id);
    validate(this, props);
    const cfn = props.alarm.node.defaultChild as cloudwatch.CfnAlarm;

    if (cfn.treatMissingData === undefined || cfn.treatMissingData === 'missing') {
      Annotations.of(this).addWarningV2('cdk-failover:alarm-missing-data',
        `The alarm ${props.alarm.node.path} treats missing data as missing: periods without data put it in INSUFFICIENT_DATA, `
        + 'which this health check reports as `insufficientDataHealthStatus` (Unhealthy by default), so a metric published only '
        + 'on events (errors) fails over when nothing happens. Set treatMissingData on the alarm: NOT_BREACHING for such metrics, '
        + 'BREACHING for heartbeats.');
    }
    this.healthCheck = new route53.HealthCheck(this, 'Resource', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { name: props.alarm.alarmName, region: Stack.of(props.alarm).region },
      insufficientDataHealthStatus: props.insufficientDataHealthStatus ?? route53.InsufficientDataHealthStatusEnum.UNHEALTHY,
    });

    // Figures only known at deploy time are modeled at the slowest CloudWatch allows, with a warning.
    const shape = alarmShape(props.alarm);
    const { period, evaluationPeriods, slowest } = slowestAlarm(shape.period, shape.evaluationPeriods);
    const delay = props.alarmToHealthStatus && !props.alarmToHealthStatus.isUnresolved()
      ? literalSeconds(props.alarmToHealthStatus) : undefined;
    const term = alarmDetection({ period, evaluationPeriods, alarmToHealthStatus: delay });
    const unknown = slowest ? `only known at deploy time, modeled at the slowest CloudWatch allows (${evaluationPeriods} x ${period} s)` : undefined;
    // An alarm on a signal the model knows (an AwsHealthSignal) breaches only once that signal has arrived.
    const upstream = upstreamDetection(props.alarm);
    this._describe({
      healthCheckId: this.healthCheck.healthCheckId,
      detection: RecoveryEstimate._fromModel([...upstream, unknown ? { ...term, assumption: true, basis: `period or evaluation periods ${unknown}: ${term.basis}` } : term]),
      summary: `alarm ${props.alarm.node.path} (${shape.evaluationPeriods ?? '?'} x ${shape.period ?? '?'} s)`,
      warning: unknown && `The alarm ${props.alarm.node.path} of the health check at ${this.node.path} has a period or evaluation periods ${unknown}. `
        + 'Give the alarm literal figures to have it modeled exactly.',
    });
  }
}

function validate(scope: Construct, props: AlarmHealthCheckProps): void {
  const problems = new Problems(scope);
  checkRoute53Alarm(problems, scope, props.alarm);
  const evaluationPeriods = alarmShape(props.alarm).evaluationPeriods;
  if (evaluationPeriods !== undefined && !(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1)) {
    problems.add(`\`alarm\` ${props.alarm.node.path} has ${evaluationPeriods} evaluation periods; an alarm needs a whole number of 1 or more. `
      + 'Give evaluationPeriods: 1 for the fastest detection Route 53 allows.');
  }
  checkDuration(problems, 'alarmToHealthStatus', props.alarmToHealthStatus, { fix: 'Give what a drill measured, e.g. Duration.seconds(60).' });
  problems.throwIfAny();
}

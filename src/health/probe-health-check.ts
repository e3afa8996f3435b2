import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ModeledHealthCheckBase } from './health-check-base';
import { DIMENSIONS, METRICS, PERIOD_MS, PUBLISH_BUDGET_MS } from './probe-contract';
import { IProbeHealthCheck } from './probe-targets';
import { RecoveryEstimate } from '../objectives/estimate';
import { probeAlarmDetection } from '../objectives/model/alarms';
import { AlarmFactory, NoActions } from '../private/alarm-factory';
import { Problems } from '../private/errors';
import { checkRoute53Alarm } from '../private/route53-alarm-rules';

/** One target of a `HealthProbe`, as the probe hands it over. */
export interface ProbeHealthCheckProps {
  readonly namespace: string;
  /** The probe's name and the target's id: the dimensions of the target's metric. */
  readonly probeName: string;
  readonly targetId: string;
  readonly samples: number;
  /** Failed samples (summed over the period) that put the alarm in ALARM. */
  readonly failuresToAlarm: number;
  /** The target's timeout, in ms. */
  readonly timeoutMs: number;
  /** What the target checks, e.g. `HTTP <url>`: shortened in the alarm description when it must be, whole in the report. */
  readonly summary: string;
  readonly latched: boolean;
  readonly resetCommand?: string;
}

/**
 * The alarm on a target's failed samples, and the alarm-based Route 53 health check that
 * follows it.
 */
export class ProbeHealthCheck extends ModeledHealthCheckBase implements IProbeHealthCheck {
  /** The alarm-based health check. */
  public readonly healthCheck: route53.HealthCheck;
  /** The alarm: in ALARM while the target fails. */
  public readonly alarm: cloudwatch.Alarm;
  /** The command that resets the latch. */
  public readonly resetCommand?: string;

  constructor(scope: Construct, id: string, props: ProbeHealthCheckProps) {
    super(scope, id);
    this.resetCommand = props.resetCommand;
    const failures = new cloudwatch.Metric({
      namespace: props.namespace,
      metricName: METRICS.failure,
      dimensionsMap: { [DIMENSIONS.probe]: props.probeName, [DIMENSIONS.target]: props.targetId },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.millis(PERIOD_MS),
    });
    // Shaped for Route 53: one 60 s period of a basic statistic, no M-of-N, no metric math;
    // missing data (the probe or its region is down) is breaching.
    // Read by Route 53 only: no actions.
    const alarms = new AlarmFactory(this, new NoActions());
    const latched = props.latched ? ', latched' : '';
    const lead = 'cdk-failover probe ';
    const rule = `: ${props.failuresToAlarm} failed sample(s) in a minute, or no samples.`;
    // A long URL is cut so that the description fits CloudWatch's limit; the report keeps it whole.
    const subject = shorten(props.summary, alarms.descriptionRoom - lead.length - latched.length - rule.length);
    this.alarm = alarms.addAlarm('Alarm', {
      metric: failures,
      threshold: props.failuresToAlarm,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `${lead}${subject}${latched}${rule}`,
    });
    // The same rules as any alarm a health check follows, so a change of shape fails synth here.
    const problems = new Problems(this);
    checkRoute53Alarm(problems, this, this.alarm);
    problems.throwIfAny();
    this.healthCheck = new route53.HealthCheck(this, 'Resource', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { name: this.alarm.alarmName, region: Stack.of(this).region },
      insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.UNHEALTHY,
    });
    this._describe({
      healthCheckId: this.healthCheck.healthCheckId,
      // Sampling, the 60 s period, the alarm and Route 53.
      detection: RecoveryEstimate._fromModel([probeAlarmDetection({
        samples: props.samples,
        failuresToAlarm: props.failuresToAlarm,
        timeout: props.timeoutMs / 1000,
        publish: PUBLISH_BUDGET_MS / 1000,
      })]),
      summary: `probe ${props.summary}${latched} (${props.failuresToAlarm} of ${props.samples} samples a minute)`,
    });
  }
}

/** `text` cut to `max` characters, ending in '...'; a Token is never cut (its placeholder would break). */
function shorten(text: string, max: number): string {
  if (text.length <= max || Token.isUnresolved(text)) {
    return text;
  }
  return `${text.slice(0, Math.max(0, max - 3))}...`;
}

/**
 * Detection through CloudWatch alarms that a Route 53 alarm-based health check follows
 * (docs/aws-facts.md#cloudwatch-alarms). When the alarm reaches Route 53 is not published:
 * the `alarmToHealthStatus` assumption.
 */
import { assumedText, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** CloudWatch alarm periods that Route 53 alarm-based checks accept: standard resolution, 60 s. */
export const ALARM_PERIOD = 60;

const ALARM_DELAY = RecoveryAssumption.ALARM_TO_HEALTH_STATUS;

/** Inputs of an alarm-based check fed by the probe. */
export interface ProbeAlarmInput {
  /** Sampling rounds per 60 s period. */
  readonly samples: number;
  /** Failed samples in one period that put the alarm in ALARM. */
  readonly failuresToAlarm: number;
  /** The target's timeout, in seconds: a sample's result can arrive this late. */
  readonly timeout: number;
  /** Seconds kept to publish a round's metrics. */
  readonly publish: number;
  /** From the period closing to Route 53 seeing the alarm (assumption unless given). */
  readonly alarmToHealthStatus?: number;
}

/**
 * Detection of a probe target through its CloudWatch alarm and an alarm-based Route 53 check.
 * The alarm sums the failed samples of each 60 s period and fires at `failuresToAlarm`.
 * - best case: the failure lands just before a sample; `failuresToAlarm` samples later the
 *   period closes: (failuresToAlarm - 1) sampling intervals;
 * - worst case: the failure lands just after the sample that leaves the current period short
 *   of `failuresToAlarm` failures, so it takes the rest of that period and a whole next one,
 *   plus the last sample's timeout and publication;
 * then the alarm evaluation and Route 53 reading the alarm, which AWS does not publish.
 */
export function probeAlarmDetection(input: ProbeAlarmInput): Term {
  const interval = ALARM_PERIOD / input.samples;
  const assumed = input.alarmToHealthStatus === undefined;
  const delay = input.alarmToHealthStatus ?? ALARM_DELAY._defaultSeconds;
  return {
    id: 'probe-alarm',
    kind: RecoveryTermKind.DETECTION,
    min: round((input.failuresToAlarm - 1) * interval),
    max: round(2 * ALARM_PERIOD + input.timeout + input.publish + delay),
    basis: `probe alarm: ${input.failuresToAlarm} of ${input.samples} samples failed in a ${ALARM_PERIOD} s period (up to 2 periods), `
      + `+ ${input.timeout} s timeout + ${input.publish} s to publish + ${delay} s for the alarm to reach Route 53` + assumedText(assumed),
    assumption: assumed,
    assumptionId: ALARM_DELAY.id,
    remedy: 'sample more often (`samplesPerMinute`), lower `failuresToAlarm`, or shorten the target timeout',
  };
}

/** Inputs of an alarm-based check on an alarm whose metric the model does not know. */
export interface AlarmInput {
  /** The alarm's period, in seconds (60 or more). */
  readonly period: number;
  readonly evaluationPeriods: number;
  /** From the last period closing to Route 53 seeing the alarm (assumption unless given). */
  readonly alarmToHealthStatus?: number;
}

/**
 * Detection through an alarm on a metric the model does not know: it breaches from the first
 * bad datapoint. Best case, the failure starts a period and the alarm needs `evaluationPeriods`
 * breaching periods, the first of them already running: (evaluationPeriods - 1) periods. Worst
 * case, the failure lands just after a period started: evaluationPeriods + 1 periods. Then the
 * alarm evaluation and Route 53 reading the alarm, which AWS does not publish.
 */
export function alarmDetection(input: AlarmInput): Term {
  const assumed = input.alarmToHealthStatus === undefined;
  const delay = input.alarmToHealthStatus ?? ALARM_DELAY._defaultSeconds;
  return {
    id: 'alarm',
    kind: RecoveryTermKind.DETECTION,
    min: round((input.evaluationPeriods - 1) * input.period),
    max: round((input.evaluationPeriods + 1) * input.period + delay),
    basis: `alarm: ${input.evaluationPeriods} breaching period(s) of ${input.period} s (up to ${input.evaluationPeriods + 1}), `
      + `+ ${delay} s for the alarm to reach Route 53` + assumedText(assumed),
    assumption: assumed,
    assumptionId: ALARM_DELAY.id,
    remedy: 'alarm on fewer, 60 s periods, or probe the endpoint with a HealthProbe',
  };
}

/**
 * Detection by an alarm a person (or AWS) acts on, without Route 53 in between: the same
 * breaching periods, no delay for Route 53 to read it.
 */
export function alarmPeriods(id: string, label: string, period: number, evaluationPeriods: number, remedy: string): Term {
  return {
    id,
    kind: RecoveryTermKind.DETECTION,
    min: round((evaluationPeriods - 1) * period),
    max: round((evaluationPeriods + 1) * period),
    basis: `${label}: ${evaluationPeriods} breaching period(s) of ${period} s (up to ${evaluationPeriods + 1})`,
    assumption: false,
    remedy,
  };
}

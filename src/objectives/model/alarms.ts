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

/**
 * The longest an alarm may look back: period x evaluation periods is at most 7 days, and at
 * most 1 day for periods under an hour (CloudWatch API Reference, PutMetricAlarm `Period`).
 */
export const MAX_EVALUATION_SECONDS = 604_800;
const MAX_SHORT_EVALUATION_SECONDS = 86_400;
const SHORT_PERIOD = 3_600;

/** An alarm's period and evaluation periods, unknowns (undefined) replaced by the slowest CloudWatch allows. */
export interface AlarmFigures {
  readonly period: number;
  readonly evaluationPeriods: number;
  /** True when a figure was unknown and is modeled at the slowest. */
  readonly slowest: boolean;
}

/**
 * Unknown figures at their slowest: with the period unknown, the longest period the evaluation
 * periods allow; with the evaluation periods unknown, as many as the period allows; with both
 * unknown, one period of 7 days (the worst case, (N + 1) periods, is then longest).
 */
export function slowestAlarm(period: number | undefined, evaluationPeriods: number | undefined): AlarmFigures {
  if (period !== undefined && evaluationPeriods !== undefined) {
    return { period, evaluationPeriods, slowest: false };
  }
  if (period !== undefined) {
    const total = period < SHORT_PERIOD ? MAX_SHORT_EVALUATION_SECONDS : MAX_EVALUATION_SECONDS;
    return { period, evaluationPeriods: Math.max(1, Math.floor(total / period)), slowest: true };
  }
  const n = evaluationPeriods ?? 1;
  const longest = (total: number) => Math.max(ALARM_PERIOD, Math.floor(total / n / ALARM_PERIOD) * ALARM_PERIOD);
  const hours = longest(MAX_EVALUATION_SECONDS);
  return { period: hours >= SHORT_PERIOD ? hours : longest(MAX_SHORT_EVALUATION_SECONDS), evaluationPeriods: n, slowest: true };
}

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

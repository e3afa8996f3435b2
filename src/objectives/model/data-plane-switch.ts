/**
 * The data-plane switch (docs/aws-facts.md#data-plane-switch): an operator or a runbook writes
 * the active region's name into the surviving region's SSM parameter; that region's probe reads
 * it once a minute and publishes `RegionEnabled`; an alarm there turns "not the active region"
 * into ALARM, and a Route 53 alarm-based check follows it. Nothing probes the endpoint, so, like an
 * ARC routing control, its "detection" is a human decision, then the switch: the next read, the
 * alarm's period closing, and Route 53 reading the alarm (not published: `alarmToHealthStatus`).
 */
import { assumedText, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** The probe reads the parameter once per invocation, and the schedule runs every 60 s. */
export const SWITCH_READ_PERIOD = 60;
/** The switch's alarm: one period of 60 s (the shortest a Route 53 alarm-based check accepts). */
export const SWITCH_ALARM_PERIOD = 60;

/** From the failure to an operator (or the runbook they start) writing the active region. */
export function switchDecision(operatorResponse?: number): Term {
  const assumed = operatorResponse === undefined;
  const seconds = operatorResponse ?? RecoveryAssumption.OPERATOR_RESPONSE._defaultSeconds;
  return {
    id: 'switch-operator-decision',
    kind: RecoveryTermKind.DECISION,
    min: 0,
    max: seconds,
    basis: `the switch changes only when an operator or a runbook writes the active-region parameter: up to ${seconds} s from the failure to the decision`
      + assumedText(assumed, RecoveryAssumption.OPERATOR_RESPONSE.basis),
    assumption: assumed,
    assumptionId: RecoveryAssumption.OPERATOR_RESPONSE.id,
    remedy: 'page on the alarms that mean "fail over", start the failover runbook from them, and set `assumptions.operatorResponse` to what a game day measured',
  };
}

/** Inputs of the probe's read of the parameter. */
export interface SwitchReadInput {
  /** The longest the probe waits for `GetParameter`, in seconds. */
  readonly readTimeout: number;
  /** Seconds kept to publish the read's metrics. */
  readonly publish: number;
}

/**
 * From the parameter's new value to `RegionEnabled` published: the write lands just after a read,
 * so the next invocation reads it up to one schedule period later, then publishes.
 */
export function switchRead(input: SwitchReadInput): Term {
  return {
    id: 'switch-flag-read',
    kind: RecoveryTermKind.SWITCH,
    min: 0,
    max: round(SWITCH_READ_PERIOD + input.readTimeout + input.publish),
    basis: `the probe reads the active-region parameter once a minute: up to ${SWITCH_READ_PERIOD} s to the next read, `
      + `+ ${input.readTimeout} s GetParameter timeout + ${input.publish} s to publish RegionEnabled`,
    assumption: false,
    remedy: 'the probe runs every minute, the fastest EventBridge schedules allow; to switch faster, use ARC routing controls',
  };
}

/**
 * From `RegionEnabled` published to Route 53 reporting the new status: the datapoint's 60 s period
 * closes at most one period later, then the alarm is evaluated and Route 53 reads it.
 */
export function switchAlarm(alarmToHealthStatus?: number): Term {
  const assumed = alarmToHealthStatus === undefined;
  const delay = alarmToHealthStatus ?? RecoveryAssumption.ALARM_TO_HEALTH_STATUS._defaultSeconds;
  return {
    id: 'switch-alarm',
    kind: RecoveryTermKind.SWITCH,
    min: 0,
    max: round(SWITCH_ALARM_PERIOD + delay),
    basis: `the switch alarm (1 x ${SWITCH_ALARM_PERIOD} s) sees the new value when its period closes: up to ${SWITCH_ALARM_PERIOD} s, `
      + `+ ${delay} s for the alarm to reach Route 53` + assumedText(assumed),
    assumption: assumed,
    assumptionId: RecoveryAssumption.ALARM_TO_HEALTH_STATUS.id,
    remedy: 'measure the switch with a drill and set `assumptions.alarmToHealthStatus`',
  };
}

/** Inputs of a data-plane switch health check's terms; undefined takes each assumption's default. */
export interface DataPlaneSwitchInput extends SwitchReadInput {
  readonly operatorResponse?: number;
  readonly alarmToHealthStatus?: number;
}

/** What a data-plane switch health check contributes to a path: the decision, the read, the alarm. */
export function dataPlaneSwitchTerms(input: DataPlaneSwitchInput): Term[] {
  return [switchDecision(input.operatorResponse), switchRead(input), switchAlarm(input.alarmToHealthStatus)];
}

/**
 * The steps of a failover or failback runbook (a Step Functions state machine): each step is a
 * term, and the runbook is their series. Where a step waits for AWS (a promotion, tasks
 * starting), the figure is the named assumption of that wait; where it only calls an API, the
 * `runbookTask` assumption. Figures in seconds.
 */
import { assumedTerm, assumedText, instant, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** A step that calls one API (or the runbook's function) and goes on: no wait for AWS. */
export function taskCall(id: string, kind: RecoveryTermKind, what: string, given?: number): Term {
  return assumedTerm(id, kind, RecoveryAssumption.RUNBOOK_TASK, given,
    (s) => `${what}: one task, up to ${s} s`,
    'nothing to shorten but the number of tasks; set `assumptions.runbookTask` to what a drill measured');
}

/** A step that waits for AWS to finish something, up to the named assumption. */
export function awsWait(id: string, kind: RecoveryTermKind, a: RecoveryAssumption, given: number | undefined, what: string, remedy: string): Term {
  return assumedTerm(id, kind, a, given, (s) => `${what}: up to ${s} s`, remedy);
}

/** Inputs of the check of the public name from outside. */
export interface VerifyInput {
  /** Requests at most. */
  readonly attempts: number;
  /** Between two requests, in seconds. */
  readonly interval: number;
  /** Each request's timeout, in seconds. */
  readonly timeout: number;
}

/**
 * The check that clients are served: the first request may pass at once; the last one starts
 * after every other has timed out and waited its interval.
 */
export function verifyHttp(id: string, url: string, input: VerifyInput): Term {
  return {
    id,
    kind: RecoveryTermKind.VERIFY,
    min: 0,
    max: round(input.attempts * input.timeout + (input.attempts - 1) * input.interval),
    basis: `GET ${url} from the runbook's function until it answers as expected: ${input.attempts} attempt(s) of up to ${input.timeout} s, `
      + `${input.interval} s apart`,
    assumption: false,
    remedy: 'fewer attempts or a shorter interval; the failover is done before the check ends, so a drill measures the check apart',
  };
}

/**
 * A manual approval: a person answers the task token, or the step times out and the runbook
 * stops. The wait is the `approvalWait` assumption, never more than the timeout.
 */
export function approvalWait(id: string, timeout: number, given?: number): Term {
  const a = RecoveryAssumption.APPROVAL_WAIT;
  const wait = Math.min(given ?? a._defaultSeconds, timeout);
  return {
    id,
    kind: RecoveryTermKind.DECISION,
    min: 0,
    max: wait,
    basis: `a person approves the step (a task token): up to ${wait} s; after the ${timeout} s timeout the runbook stops`
      + assumedText(given === undefined, a.basis),
    assumption: given === undefined,
    assumptionId: a.id,
    remedy: 'approve from the page that starts the runbook, or drop the approval where the trigger already is a person\'s decision',
  };
}

/**
 * The data a runbook's RPO guard lets it lose: the guard refuses to promote while the
 * replication lag is over `maxLag`, unless the execution input accepts data loss.
 */
export function guardedLag(id: string, maxLag: number, source: string): Term {
  return {
    id,
    kind: RecoveryTermKind.REPLICATION_LAG,
    min: 0,
    max: maxLag,
    basis: `the RPO guard refuses to go on while ${source} is over ${maxLag} s (or its alarm has no data); an execution started with `
      + '`allowDataLoss: true` goes on anyway and may lose more',
    assumption: false,
    remedy: 'a lower `maxLag` on the RPO guard, with replication that keeps under it (Aurora PostgreSQL managed RPO bounds it)',
  };
}

/** A person decides to start the runbook: from the failure to the start, the `operatorResponse` assumption. */
export function runbookDecision(operatorResponse?: number): Term {
  return assumedTerm('runbook-decision', RecoveryTermKind.DECISION, RecoveryAssumption.OPERATOR_RESPONSE, operatorResponse,
    (s) => `a person sees the failure and starts the runbook: up to ${s} s`,
    'page on the alarms that mean "fail over" and start the runbook from the page, or start it from the alarm (`startOnAlarm`); '
      + 'set `assumptions.operatorResponse` to what a game day measured');
}

/** A planned run (a failback): it starts when the operator chooses, so no time passes before it. */
export function plannedStart(): Term {
  return instant('runbook-planned-start', RecoveryTermKind.DECISION, 'a planned run: the operator starts it when ready, no failure to detect');
}

/**
 * The decisions of a drill's state machine that need a clock or a little arithmetic, made by the
 * drill's control function (drill-control.lambda.ts): whether the drill may start now (blocked
 * windows and dates, dry run) and for how long its lock holds; and, at the end, the summary
 * written to S3 (a drill results file, which `DrillResults.fromFile` reads back) and the
 * notification. Pure: no SDK, no aws-cdk-lib; the construct imports the action names.
 */
import type { MeasureResult } from './drill-client-contract';
import { blockedReason } from '../private/calendar';
import { DRILL_RESULTS_FORMAT, DRILL_RESULTS_VERSION } from './private/drill-summaries';

/** The actions of the control function. */
export const CONTROL_ACTIONS = {
  plan: 'plan',
  summarize: 'summarize',
} as const;

/** The error the function throws on a malformed event (a construct bug): never retried. */
export const CONTROL_INVALID = 'DrillControlEventInvalid';

/** Asks whether the drill may start, and what it runs. */
export interface PlanEvent {
  readonly action: typeof CONTROL_ACTIONS.plan;
  /** The execution's start (ISO 8601, `$$.Execution.StartTime`). */
  readonly startedAt: string;
  readonly blockedWindows: string[];
  readonly blockedDates: string[];
  /** How long the lock holds before another drill may take it: the state machine's timeout. */
  readonly lockSeconds: number;
  /** The construct's `dryRun`. */
  readonly dryRun: boolean;
  /** The execution input: `{ "dryRun": true }` asks for a dry run. */
  readonly input?: { readonly dryRun?: unknown };
  /** How long the client waits for the switch. */
  readonly maxWaitMs: number;
  /** How long it samples in a dry run (nothing is injected: it only shows the name answers). */
  readonly dryRunMaxWaitMs: number;
}

/** What the state machine goes on with. */
export interface Plan {
  /** The start, in epoch seconds. */
  readonly now: number;
  /** When the lock lapses, in epoch seconds (the DynamoDB TTL attribute too). */
  readonly lockExpiresAt: number;
  readonly dryRun: boolean;
  /** Why the drill may not start now; absent when it may. */
  readonly blocked?: string;
  readonly maxWaitMs: number;
}

/** Decides whether the drill starts, for how long it locks, and how long it measures. */
export function plan(event: PlanEvent): Plan {
  const at = new Date(event.startedAt);
  if (typeof event.startedAt !== 'string' || Number.isNaN(at.getTime())) {
    throw invalid(`startedAt must be an ISO 8601 time, got ${JSON.stringify(event.startedAt)}`);
  }
  if (!Array.isArray(event.blockedWindows) || !Array.isArray(event.blockedDates)) {
    throw invalid('blockedWindows and blockedDates must be lists');
  }
  if (!Number.isInteger(event.lockSeconds) || event.lockSeconds <= 0) {
    throw invalid(`lockSeconds must be a positive integer, got ${JSON.stringify(event.lockSeconds)}`);
  }
  const requested = event.input?.dryRun;
  if (requested !== undefined && typeof requested !== 'boolean') {
    throw invalid(`the execution input's dryRun must be true or false, got ${JSON.stringify(requested)}`);
  }
  const dryRun = requested ?? event.dryRun === true;
  const now = Math.floor(at.getTime() / 1000);
  const blocked = blockedReason(at, event.blockedWindows, event.blockedDates);
  return {
    now,
    lockExpiresAt: now + event.lockSeconds,
    dryRun,
    ...blocked ? { blocked: `${blocked}: the drill does not start. Start it outside the blocked windows and dates.` } : {},
    maxWaitMs: dryRun ? Math.min(event.dryRunMaxWaitMs, event.maxWaitMs) : event.maxWaitMs,
  };
}

/** An error of a step, as Step Functions' Catch gives it. */
export interface StepError {
  readonly Error?: string;
  readonly Cause?: string;
}

/** The drill's state when it ends, as the state machine keeps it. */
export interface DrillState {
  readonly plan?: Plan;
  /** When the fault was injected (or would have been, in a dry run), and whether it was. */
  readonly injection?: { readonly at?: string; readonly started?: boolean };
  /** What the measuring client returned. */
  readonly observed?: { readonly measurement?: MeasureResult };
  /** What went wrong before the restore, if anything. */
  readonly failure?: StepError;
  /** What went wrong in the restore, if anything. */
  readonly restoreFailure?: StepError;
}

/** Asks for the summary of a finished drill. */
export interface SummarizeEvent {
  readonly action: typeof CONTROL_ACTIONS.summarize;
  /** The drill's name (the `Drill` dimension). */
  readonly drill: string;
  /** The recovery path as the report names it, `<construct path>#<path id>`. */
  readonly path: string;
  /** The execution's ARN and start. */
  readonly execution: string;
  readonly startedAt: string;
  /** The S3 key prefix of the summaries. */
  readonly prefix: string;
  /** What the drill injects, in words. */
  readonly fault: string;
  /** The modeled worst case and the objective of the path, in seconds. */
  readonly modeledRtoWorst?: number;
  readonly objectiveRto?: number;
  readonly state: DrillState;
}

/** The outcome of a drill. */
export type Outcome = 'MET' | 'MISSED' | 'NOT_MEASURED' | 'DRY_RUN' | 'FAILED' | 'RESTORE_FAILED';

/** What the state machine writes and sends. */
export interface Summary {
  readonly outcome: Outcome;
  /** The object key of the summary. */
  readonly key: string;
  /** The summary, a drill results file (JSON text). */
  readonly body: string;
  /** The notification's subject (at most 100 characters, SNS's limit) and text. */
  readonly subject: string;
  readonly message: string;
}

/** Subjects of SNS messages: under 100 characters, no control characters (docs/aws-facts.md#failover-drills); kept to printable ASCII. */
const MAX_SUBJECT = 99;

/** The summary of a drill: its outcome, the drill results file and the notification. */
export function summarize(event: SummarizeEvent): Summary {
  for (const field of ['drill', 'path', 'execution', 'startedAt', 'prefix', 'fault'] as const) {
    if (typeof event[field] !== 'string' || event[field].length === 0) {
      throw invalid(`${field} must be a non-empty string, got ${JSON.stringify(event[field])}`);
    }
  }
  const state = event.state ?? {};
  const m = state.observed?.measurement;
  const dryRun = state.plan?.dryRun === true;
  const restored = state.injection?.started === true;
  const rto = dryRun ? undefined : m?.measuredRtoSeconds;
  const outcome: Outcome = state.restoreFailure ? 'RESTORE_FAILED'
    : state.failure ? 'FAILED'
      : dryRun ? 'DRY_RUN'
        : rto === undefined ? 'NOT_MEASURED'
          : event.objectiveRto !== undefined && rto > event.objectiveRto ? 'MISSED' : 'MET';
  const lines = [
    `Drill ${event.drill}: ${event.fault}, on ${event.path}.`,
    `Outcome: ${describe(outcome)}`,
    ...rto !== undefined ? [`Measured RTO (as a client saw it): ${seconds(rto)}.`] : [],
    ...event.modeledRtoWorst !== undefined ? [`Modeled worst case: ${seconds(event.modeledRtoWorst)}.`] : [],
    ...event.objectiveRto !== undefined ? [`RTO objective: ${seconds(event.objectiveRto)}.`] : [],
    ...m?.failureWindowMs !== undefined ? [`Requests failed for ${seconds(m.failureWindowMs / 1000)}${m.failureWindowClosed === false ? ' (still failing when sampling stopped)' : ''}.`] : [],
    ...m && rto === undefined && !dryRun ? [notMeasured(m)] : [],
    ...state.failure ? [`Failed: ${state.failure.Error ?? 'error'}: ${state.failure.Cause ?? ''}`.trim()] : [],
    ...!restored && !dryRun ? ['Nothing was injected, so nothing was restored.'] : [],
    ...state.restoreFailure ? [`RESTORE FAILED: ${state.restoreFailure.Error ?? 'error'}: ${state.restoreFailure.Cause ?? ''}. Put the system back by hand.`] : [],
    `Execution: ${event.execution}`,
  ];
  const injectedAt = state.injection?.at;
  const at = injectedAt ?? event.startedAt;
  const body = {
    format: DRILL_RESULTS_FORMAT,
    formatVersion: DRILL_RESULTS_VERSION,
    drills: rto === undefined ? [] : [{ path: event.path, at: isoSeconds(at), source: event.execution, rtoSeconds: rto }],
    drill: {
      name: event.drill,
      fault: event.fault,
      outcome,
      dryRun,
      startedAt: event.startedAt,
      injectedAt,
      modeledRtoWorstSeconds: event.modeledRtoWorst,
      objectiveRtoSeconds: event.objectiveRto,
      measurement: m,
      failure: state.failure,
      restored,
      restoreFailure: state.restoreFailure,
    },
  };
  const name = event.execution.split(':').pop() ?? 'execution';
  return {
    outcome,
    key: `${event.prefix.replace(/\/+$/, '')}/${event.drill}/${event.startedAt.replace(/[:.]/g, '-')}-${name}.json`,
    body: JSON.stringify(body, undefined, 2),
    subject: ascii(`Drill ${event.drill}: ${outcome.replace('_', ' ').toLowerCase()}`).slice(0, MAX_SUBJECT),
    message: lines.join('\n'),
  };
}

/** Why the client measured no RTO. */
function notMeasured(m: MeasureResult): string {
  const waited = seconds((Date.parse(m.sampledTo) - Date.parse(m.injectedAt)) / 1000);
  if (m.until === 'recovered') {
    return m.impactSeen === false
      ? `The client saw no failed request within ${waited}: the fault did not reach clients, so no RTO is claimed.`
      : `The client saw no stable recovery within ${waited} (stopped by ${m.stoppedBy}).`;
  }
  return `The client did not see the standby within ${waited} (stopped by ${m.stoppedBy}).`;
}

function describe(outcome: Outcome): string {
  switch (outcome) {
    case 'MET': return 'the measured RTO met the objective.';
    case 'MISSED': return 'MISSED: the measured RTO exceeds the RTO objective.';
    case 'NOT_MEASURED': return 'no RTO measured (no measuring client, or the client saw no switch or recovery).';
    case 'DRY_RUN': return 'dry run: every step ran but the injection.';
    case 'FAILED': return 'the drill failed; what it injected was restored.';
    case 'RESTORE_FAILED': return 'the drill could not put things back.';
  }
}

/** A drill results file takes `at` as UTC ISO 8601 to the millisecond at most. */
function isoSeconds(at: string): string {
  const t = Date.parse(at);
  return Number.isNaN(t) ? at : new Date(t).toISOString();
}

function seconds(s: number): string {
  return `${Math.round(s * 10) / 10} s`;
}

function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function invalid(message: string): Error {
  const e = new Error(`Invalid drill control event: ${message}.`);
  e.name = CONTROL_INVALID;
  return e;
}

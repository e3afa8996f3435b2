/**
 * One invocation of the probe: several sampling rounds spread over the minute, every target
 * probed concurrently in each round, one batched metric publication per round, and a hard
 * deadline safely under the Lambda timeout. No Lambda or SDK types: the handler adapts.
 */
import { probe, ProbeResult, ProbeTarget } from './probe-check';
import { DIMENSIONS, METRICS, PERIOD_MS, ProbeEvent, PUBLISH_BUDGET_MS } from './probe-contract';
import { flagData, FlagReader, FlagReport, readFlag } from './probe-flag';

/** What the store knows of one latchable target. */
export interface LatchRecord {
  /** Why the latch is set, if it is. */
  readonly latch?: string;
  /** When the probe first sampled the target with its latch on. */
  readonly firstSampled?: number;
  /** Failed samples per CloudWatch period (epoch minute) that has any sample. */
  readonly failures: Record<number, number>;
}

/**
 * Where latches live. The latch follows the target's alarm: both count the failed samples of
 * each 60 s CloudWatch period, from the same round timestamps, so a period that puts the alarm
 * in ALARM sets the latch, and so does a period without samples (missing data is breaching).
 * The probe only ever sets latches; an operator deletes them.
 */
export interface LatchStore {
  /** The state of `ids` for `periods`; throws when it cannot be read. */
  read(probe: string, ids: string[], periods: number[]): Promise<Map<string, LatchRecord>>;
  /** Marks the target as sampled from now on (keeps an earlier mark). */
  start(probe: string, id: string, at: number): Promise<void>;
  /** Adds one sample to its period and returns the failed samples of that period so far. */
  record(probe: string, id: string, period: number, failed: boolean): Promise<number>;
  /** Sets a latch (keeps an existing one and its reason). */
  latch(probe: string, id: string, reason: string, at: number): Promise<void>;
}

/** The CloudWatch period (epoch minute) of a time. */
export function periodOf(at: number): number {
  return Math.floor(at / PERIOD_MS);
}

/** One CloudWatch datum, in the shape of the SDK's MetricDatum. */
export interface Datum {
  readonly MetricName: string;
  readonly Dimensions: Array<{ Name: string; Value: string }>;
  readonly Timestamp: Date;
  readonly Value: number;
  readonly Unit: 'Count' | 'Milliseconds';
}

/** Where metrics go: the handler passes a CloudWatch client, tests a fake. */
export interface MetricSink {
  /** Sends one batch; must give up after `timeoutMs`. */
  put(namespace: string, data: Datum[], timeoutMs: number): Promise<void>;
}

/** The clock, injectable so tests need not wait. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** PutMetricData accepts at most 1,000 data per call. */
export const MAX_DATA_PER_CALL = 1000;
/** Attempts per publication before it is reported as failed. */
export const PUBLISH_ATTEMPTS = 3;

export interface RoundReport {
  readonly startedAt: number;
  readonly results: ProbeResult[];
  /** Set when the round's metrics could not be published after every attempt. */
  readonly publishError?: string;
}

export interface InvocationReport {
  readonly rounds: RoundReport[];
  /** Rounds skipped because they could not finish before the deadline. */
  readonly skipped: number;
  /** The read of the active-region parameter, when the event asks for one. */
  readonly flag?: FlagReport;
}

/**
 * Runs the rounds of one invocation. `deadline` is an absolute time (ms) that nothing may
 * outlive: a round starts only if its slowest target can finish before it, and each target's
 * timeout is clipped to it. Publication failures are retried, then reported by throwing after
 * the last round, so the invocation fails visibly (and the missing data makes the alarms fail
 * over) while the other rounds still publish.
 */
export async function runInvocation(
  event: ProbeEvent, sink: MetricSink, deadline: number, clock: Clock = REAL_CLOCK, latches?: LatchStore, flags?: FlagReader,
): Promise<InvocationReport> {
  const start = clock.now();
  // Read before the first round and published with it: one more datum per region, no extra call.
  const flag = event.activeRegion ? await readFlag(event.activeRegion, flags) : undefined;
  let pending = event.activeRegion && flag?.value !== undefined ? flagData(event.probe, event.activeRegion, flag.value, clock.now()) : [];
  if (event.targets.length === 0) {
    const publishError = pending.length > 0 ? await publishData(sink, event.namespace, pending, deadline, clock) : undefined;
    throwIfFailed(publishError ? 1 : 0, 1, publishError, flag);
    return { rounds: [], skipped: 0, flag };
  }
  const latchable = new Set(event.latched ?? []);
  const latched = latchable.size > 0 ? await readLatches(event, latches, start, latchable) : new Map<string, string>();
  const interval = event.periodMs / event.samples;
  const slowest = Math.max(...event.targets.map((t) => t.timeoutMs));
  const rounds: RoundReport[] = [];
  let skipped = 0;

  for (let i = 0; i < event.samples; i++) {
    // A round needs its slowest timeout plus one publication before the deadline; a round
    // clipped shorter would report slow but healthy targets as failed.
    const due = Math.max(start + i * interval, clock.now());
    if (due + slowest + PUBLISH_BUDGET_MS > deadline) {
      skipped = event.samples - i;
      break;
    }
    if (due > clock.now()) {
      await clock.sleep(due - clock.now());
    }
    const startedAt = clock.now();
    const probed = await probeAll(event.targets, deadline - PUBLISH_BUDGET_MS - startedAt);
    const results = probed.map((r) => {
      const why = latched.get(r.id);
      return why !== undefined && r.healthy ? { ...r, healthy: false, reason: 'latched' as const, detail: `latched: ${why}` } : r;
    });
    const publishError = await publishData(sink, event.namespace, [...roundData(event, startedAt, results), ...pending], deadline, clock);
    pending = [];
    rounds.push({ startedAt, results, publishError });
    // Only published samples count, as for the alarm: an unpublished round leaves its period
    // without samples, which the next invocation latches on.
    if (!publishError && latchable.size > 0) {
      await countSamples(event, latches, probed.filter((r) => latchable.has(r.id)), startedAt, latched, clock.now());
    }
  }

  const failed = rounds.filter((r) => r.publishError);
  throwIfFailed(failed.length, rounds.length, failed[0]?.publishError, flag);
  return { rounds, skipped, flag };
}

/**
 * Publication failures and an unreadable active-region parameter fail the invocation, after
 * every round has published what it could, so that the function's errors show them.
 */
function throwIfFailed(failed: number, rounds: number, publishError: string | undefined, flag: FlagReport | undefined): void {
  const messages: string[] = [];
  if (failed > 0) {
    messages.push(`${failed} of ${rounds} round(s) could not publish metrics after ${PUBLISH_ATTEMPTS} attempts: ${publishError}`);
  }
  if (flag?.error !== undefined) {
    messages.push(`the active region was not published (the switch keeps its last state): ${flag.error}`);
  }
  if (messages.length > 0) {
    throw new Error(messages.join('; '));
  }
}

/**
 * The latches that hold at the start of an invocation. A target latches when a period since it
 * was first sampled reached `failuresToAlarm` (its alarm fired), or had no samples at all (its
 * alarm saw missing data). When the state cannot be read, every latchable target counts as
 * latched: an unknown latch must not let traffic flap back.
 */
async function readLatches(event: ProbeEvent, store: LatchStore | undefined, now: number, latchable: Set<string>): Promise<Map<string, string>> {
  const ids = [...latchable];
  const latched = new Map<string, string>();
  if (!store) {
    return latched;
  }
  const threshold = event.failuresToAlarm ?? 1;
  const current = periodOf(now);
  const previous = current - 1;
  try {
    const state = await store.read(event.probe, ids, [previous, current]);
    for (const id of ids) {
      const record = state.get(id) ?? { failures: {} };
      const failed = [previous, current].find((p) => (record.failures[p] ?? 0) >= threshold);
      let reason = record.latch;
      if (reason === undefined && failed !== undefined) {
        reason = `${record.failures[failed]} failed sample(s) in the minute from ${new Date(failed * 60_000).toISOString()}`;
      } else if (reason === undefined && record.firstSampled !== undefined && record.firstSampled < previous * 60_000
        && record.failures[previous] === undefined) {
        reason = `no samples in the minute from ${new Date(previous * 60_000).toISOString()} (the probe did not run)`;
      }
      if (reason !== undefined) {
        latched.set(id, reason);
        if (record.latch === undefined) {
          await store.latch(event.probe, id, reason, now);
        }
      }
      if (record.firstSampled === undefined) {
        await store.start(event.probe, id, now);
      }
    }
    return latched;
  } catch (e) {
    return new Map(ids.map((id) => [id, `latch state unreadable (${(e as Error).message}), kept failing`]));
  }
}

/** Counts a round's samples per period; a period that reaches the threshold sets the latch. */
async function countSamples(event: ProbeEvent, store: LatchStore | undefined, results: ProbeResult[], at: number,
  latched: Map<string, string>, now: number): Promise<void> {
  if (!store) {
    return;
  }
  const threshold = event.failuresToAlarm ?? 1;
  for (const r of results) {
    try {
      const failures = await store.record(event.probe, r.id, periodOf(at), !r.healthy);
      if (failures >= threshold && !latched.has(r.id)) {
        const reason = `${failures} failed sample(s) in the minute from ${new Date(periodOf(at) * 60_000).toISOString()}`;
        latched.set(r.id, reason);
        await store.latch(event.probe, r.id, reason, now);
      }
    } catch (e) {
      // Kept failing for this invocation; the stored counts let the next one decide again.
      latched.set(r.id, `latch state unwritable (${(e as Error).message}), kept failing`);
    }
  }
}

/** One PutMetricData attempt gives up after this long. */
export const ATTEMPT_TIMEOUT_MS = 1500;
/** An attempt with less time than this left is not started. */
const MIN_ATTEMPT_MS = 100;

/** Probes every target at once; each within its own timeout, clipped to `budgetMs`. */
export function probeAll(targets: ProbeTarget[], budgetMs: number): Promise<ProbeResult[]> {
  return Promise.all(targets.map((t) => probe({ ...t, timeoutMs: Math.max(1, Math.min(t.timeoutMs, budgetMs)) })));
}

/** The data of one round: per target Failure (0 or 1) and Latency; per probe FailedTargets. */
export function roundData(event: ProbeEvent, at: number, results: ProbeResult[]): Datum[] {
  const timestamp = new Date(at);
  const probeDim = { Name: DIMENSIONS.probe, Value: event.probe };
  const data: Datum[] = results.flatMap((r) => {
    const dimensions = [probeDim, { Name: DIMENSIONS.target, Value: r.id }];
    return [
      { MetricName: METRICS.failure, Dimensions: dimensions, Timestamp: timestamp, Value: r.healthy ? 0 : 1, Unit: 'Count' as const },
      { MetricName: METRICS.latency, Dimensions: dimensions, Timestamp: timestamp, Value: r.latencyMs, Unit: 'Milliseconds' as const },
    ];
  });
  data.push({ MetricName: METRICS.failedTargets, Dimensions: [probeDim], Timestamp: timestamp, Value: results.filter((r) => !r.healthy).length, Unit: 'Count' });
  return data;
}

async function publishData(
  sink: MetricSink, namespace: string, data: Datum[], deadline: number, clock: Clock,
): Promise<string | undefined> {
  const batches: Datum[][] = [];
  for (let i = 0; i < data.length; i += MAX_DATA_PER_CALL) {
    batches.push(data.slice(i, i + MAX_DATA_PER_CALL));
  }
  for (const batch of batches) {
    let lastError = '';
    let sent = false;
    for (let attempt = 1; attempt <= PUBLISH_ATTEMPTS && !sent; attempt++) {
      try {
        const left = deadline - clock.now();
        if (left < MIN_ATTEMPT_MS) {
          lastError = lastError || 'no time left before the deadline';
          break;
        }
        await sink.put(namespace, batch, Math.min(ATTEMPT_TIMEOUT_MS, left));
        sent = true;
      } catch (e) {
        lastError = (e as Error).message ?? String(e);
        const backoff = 200 * 2 ** (attempt - 1);
        if (attempt < PUBLISH_ATTEMPTS && clock.now() + backoff < deadline) {
          await clock.sleep(backoff);
        }
      }
    }
    if (!sent) {
      return lastError;
    }
  }
  return undefined;
}

/**
 * One invocation of the probe: several sampling rounds spread over the minute, every target
 * probed concurrently in each round, one batched metric publication per round, and a hard
 * deadline safely under the Lambda timeout. No Lambda or SDK types: the handler adapts.
 */
import { probe, ProbeResult, ProbeTarget } from './probe-check';

/** What the schedule sends: the probe's targets and how to sample them. */
export interface ProbeEvent {
  /** The probe's name: the `Probe` metric dimension. */
  readonly probe: string;
  /** CloudWatch namespace of the metrics. */
  readonly namespace: string;
  /** Sampling rounds per invocation, evenly spaced over `periodMs`. */
  readonly samples: number;
  /** The schedule's period, normally 60 000 ms. */
  readonly periodMs: number;
  readonly targets: ProbeTarget[];
  /** Failed samples in one invocation that make a target unhealthy (and trip its latch). */
  readonly failuresToAlarm?: number;
  /** Targets whose failure latches until an operator resets it. */
  readonly latched?: string[];
}

/**
 * Where latches live. A latch, once set, keeps its target failing until an operator deletes
 * it; the probe only ever sets latches.
 */
export interface LatchStore {
  /** The latched targets among `ids`; throws when the state cannot be read. */
  latched(probe: string, ids: string[]): Promise<Set<string>>;
  /** Sets a latch (keeps an existing one). */
  latch(probe: string, id: string, reason: string, at: number): Promise<void>;
  /** Records this invocation and returns when the previous one ran, if ever. */
  heartbeat(probe: string, at: number): Promise<number | undefined>;
}

/** The key of a target's latch: what the reset command deletes. */
export function latchKey(probeName: string, id: string): string {
  return `${probeName}#${id}`;
}

/** A gap longer than this between invocations means the probe was down: latches trip. */
export const HEARTBEAT_GAP_MS = 150_000;

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
}

/**
 * Runs the rounds of one invocation. `deadline` is an absolute time (ms) that nothing may
 * outlive: a round starts only if its slowest target can finish before it, and each target's
 * timeout is clipped to it. Publication failures are retried, then reported by throwing after
 * the last round, so the invocation fails visibly (and the missing data makes the alarms fail
 * over) while the other rounds still publish.
 */
export async function runInvocation(
  event: ProbeEvent, sink: MetricSink, deadline: number, clock: Clock = REAL_CLOCK, latches?: LatchStore,
): Promise<InvocationReport> {
  const start = clock.now();
  const latchable = new Set(event.latched ?? []);
  const latched = latchable.size > 0 && latches ? await readLatches(event, latches, start, latchable) : new Map<string, string>();
  const failures = new Map<string, number>();
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
      if (!r.healthy) {
        failures.set(r.id, (failures.get(r.id) ?? 0) + 1);
      }
      const why = latched.get(r.id);
      return why !== undefined && r.healthy ? { ...r, healthy: false, reason: 'latched' as const, detail: `latched: ${why}` } : r;
    });
    const publishError = await publish(sink, event, startedAt, results, deadline, clock);
    rounds.push({ startedAt, results, publishError });
    await tripLatches(event, latches, latchable, latched, failures, clock.now());
  }

  const failed = rounds.filter((r) => r.publishError);
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${rounds.length} round(s) could not publish metrics after ${PUBLISH_ATTEMPTS} attempts: ${failed[0].publishError}`);
  }
  return { rounds, skipped };
}

/**
 * The latches that hold now. When the state cannot be read, every latchable target counts as
 * latched: an unknown latch must not let traffic flap back. A heartbeat gap (the probe or its
 * region was down) trips every latch, since nobody watched the targets meanwhile.
 */
async function readLatches(event: ProbeEvent, store: LatchStore, now: number, latchable: Set<string>): Promise<Map<string, string>> {
  const ids = [...latchable];
  try {
    const previous = await store.heartbeat(event.probe, now);
    if (previous !== undefined && now - previous > HEARTBEAT_GAP_MS) {
      const reason = `the probe did not run for ${Math.round((now - previous) / 1000)} s`;
      await Promise.all(ids.map((id) => store.latch(event.probe, id, reason, now)));
    }
    const set = await store.latched(event.probe, ids);
    return new Map(ids.filter((id) => set.has(id)).map((id) => [id, 'reset it to let traffic return']));
  } catch (e) {
    return new Map(ids.map((id) => [id, `latch state unreadable (${(e as Error).message}), kept failing`]));
  }
}

/** Sets the latch of every latchable target that failed often enough in this invocation. */
async function tripLatches(event: ProbeEvent, store: LatchStore | undefined, latchable: Set<string>,
  latched: Map<string, string>, failures: Map<string, number>, now: number): Promise<void> {
  const threshold = event.failuresToAlarm ?? 1;
  const trip = [...latchable].filter((id) => !latched.has(id) && (failures.get(id) ?? 0) >= threshold);
  for (const id of trip) {
    const reason = `${failures.get(id)} failed sample(s) in one minute`;
    latched.set(id, reason);
    // Not reaching the store keeps the target latched for this invocation; the next retries.
    await store?.latch(event.probe, id, reason, now).catch(() => undefined);
  }
}

/** One PutMetricData attempt gives up after this long. */
export const ATTEMPT_TIMEOUT_MS = 1500;
/** An attempt with less time than this left is not started. */
const MIN_ATTEMPT_MS = 100;

/** Time kept for publishing a round's metrics, retries included. */
export const PUBLISH_BUDGET_MS = 3000;

/** Probes every target at once; each within its own timeout, clipped to `budgetMs`. */
export function probeAll(targets: ProbeTarget[], budgetMs: number): Promise<ProbeResult[]> {
  return Promise.all(targets.map((t) => probe({ ...t, timeoutMs: Math.max(1, Math.min(t.timeoutMs, budgetMs)) })));
}

/** The data of one round: per target Failure (0 or 1) and Latency; per probe FailedTargets. */
export function roundData(event: ProbeEvent, at: number, results: ProbeResult[]): Datum[] {
  const timestamp = new Date(at);
  const probeDim = { Name: 'Probe', Value: event.probe };
  const data: Datum[] = results.flatMap((r) => [
    { MetricName: 'Failure', Dimensions: [probeDim, { Name: 'Target', Value: r.id }], Timestamp: timestamp, Value: r.healthy ? 0 : 1, Unit: 'Count' as const },
    { MetricName: 'Latency', Dimensions: [probeDim, { Name: 'Target', Value: r.id }], Timestamp: timestamp, Value: r.latencyMs, Unit: 'Milliseconds' as const },
  ]);
  data.push({ MetricName: 'FailedTargets', Dimensions: [probeDim], Timestamp: timestamp, Value: results.filter((r) => !r.healthy).length, Unit: 'Count' });
  return data;
}

async function publish(
  sink: MetricSink, event: ProbeEvent, at: number, results: ProbeResult[], deadline: number, clock: Clock,
): Promise<string | undefined> {
  const data = roundData(event, at, results);
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
        await sink.put(event.namespace, batch, Math.min(ATTEMPT_TIMEOUT_MS, left));
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

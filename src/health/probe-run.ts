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
  put(namespace: string, data: Datum[]): Promise<void>;
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
export async function runInvocation(event: ProbeEvent, sink: MetricSink, deadline: number, clock: Clock = REAL_CLOCK): Promise<InvocationReport> {
  const start = clock.now();
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
    const results = await probeAll(event.targets, deadline - PUBLISH_BUDGET_MS - startedAt);
    const publishError = await publish(sink, event, startedAt, results, deadline, clock);
    rounds.push({ startedAt, results, publishError });
  }

  const failed = rounds.filter((r) => r.publishError);
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${rounds.length} round(s) could not publish metrics after ${PUBLISH_ATTEMPTS} attempts: ${failed[0].publishError}`);
  }
  return { rounds, skipped };
}

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
        await sink.put(event.namespace, batch);
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

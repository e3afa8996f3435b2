/**
 * The run's record: each step's duration from the times the state machine collected, the total,
 * and the outcome, published as CloudWatch metrics in one PutMetricData (more calls only past the
 * API's limit of data per call), and returned as the execution summary. No Lambda types: the
 * handler passes its client, tests a mocked one and the clock.
 */
import { CloudWatchClient, MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DIMENSIONS, ERRORS, MAX_DATA_PER_CALL, METRICS, RecordRunEvent, RunSummary, StepSummary } from './runbook-contract';
import { runbookError } from './runbook-error';

const OUTCOMES = ['SUCCEEDED', 'FAILED', 'REFUSED'];

/** Publishes the run's metrics and returns its summary; `now` is the end of the run. */
export async function recordRun(event: RecordRunEvent, cloudwatch: CloudWatchClient, now: number = Date.now()): Promise<RunSummary> {
  const { summary, data } = summarizeRun(event, now);
  for (let i = 0; i < data.length; i += MAX_DATA_PER_CALL) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: event.namespace, MetricData: data.slice(i, i + MAX_DATA_PER_CALL) }));
  }
  return summary;
}

/** The summary and the metric data of a run that ends at `now`. */
export function summarizeRun(event: RecordRunEvent, now: number): { summary: RunSummary; data: MetricDatum[] } {
  checkRecordEvent(event);
  const startedAt = parseTime('startedAt', event.startedAt);
  const steps: Array<StepSummary & { startMs: number; endMs: number }> = [];
  for (const [step, times] of Object.entries(event.steps ?? {})) {
    if (times?.start === undefined) {
      continue;
    }
    const startMs = parseTime(`steps.${step}.start`, times.start);
    const endMs = times.end === undefined ? now : parseTime(`steps.${step}.end`, times.end);
    if (endMs < startMs) {
      throw runbookError(ERRORS.invalidEvent, `recordRun: step ${step} ends (${times.end}) before it starts (${times.start})`);
    }
    steps.push({ step, seconds: (endMs - startMs) / 1000, ...times.end === undefined ? { incomplete: true } : {}, startMs, endMs });
  }
  steps.sort((a, b) => a.startMs - b.startMs);
  const totalSeconds = Math.max(0, now - startedAt) / 1000;
  const end = new Date(now);

  const runbook = { Name: DIMENSIONS.runbook, Value: event.runbook };
  const outcome = { Name: DIMENSIONS.outcome, Value: event.outcome };
  const data: MetricDatum[] = [
    { MetricName: METRICS.runbookDuration, Dimensions: [runbook, outcome], Timestamp: end, Value: totalSeconds, Unit: 'Seconds' },
    { MetricName: METRICS.runbookOutcome, Dimensions: [runbook, outcome], Timestamp: end, Value: 1, Unit: 'Count' },
    ...steps.map((s): MetricDatum => ({
      MetricName: METRICS.stepDuration,
      Dimensions: [runbook, { Name: DIMENSIONS.step, Value: s.step }],
      Timestamp: new Date(s.endMs),
      Value: s.seconds,
      Unit: 'Seconds',
    })),
  ];
  const summary: RunSummary = {
    runbook: event.runbook,
    outcome: event.outcome,
    startedAt: event.startedAt,
    endedAt: end.toISOString(),
    totalSeconds,
    steps: steps.map(({ startMs: _s, endMs: _e, ...s }) => s),
    ...event.error ? { error: event.error } : {},
  };
  return { summary, data };
}

function parseTime(what: string, value: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    throw runbookError(ERRORS.invalidEvent, `recordRun: ${what} must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  }
  return ms;
}

function checkRecordEvent(event: RecordRunEvent): void {
  if (typeof event.runbook !== 'string' || event.runbook.length === 0 || typeof event.namespace !== 'string' || event.namespace.length === 0
    || !OUTCOMES.includes(event.outcome)) {
    throw runbookError(ERRORS.invalidEvent,
      `recordRun needs \`runbook\`, \`namespace\` and \`outcome\` (${OUTCOMES.join(', ')}); got ${JSON.stringify({ runbook: event.runbook, namespace: event.namespace, outcome: event.outcome })}`);
  }
}

/**
 * The drill's measuring client: from the injection on, GET the public name at fixed times, one
 * request every `intervalMs`, until the standby answers (`until: 'standby'`), or requests are
 * served again after failing (`until: 'recovered'`), or time runs out, and report what a client
 * saw: when the standby first served or service recovered, how long requests failed, and how
 * fast they were.
 * Node's own http and https, no other package. No Lambda types: the handler passes its deadline
 * and CloudWatch client, tests a mocked client and real servers on 127.0.0.1.
 *
 * Sampling. Request k starts at `start + k x intervalMs` (a fixed grid, so slow answers do not
 * stretch it), and each request is cut at `requestTimeoutMs`, which is below the interval: a
 * request that hangs counts as a failure and never delays the next one, and requests never
 * overlap, so the sides are seen in order and a burst of hanging sockets cannot pile up. When a
 * stalled event loop makes a request end after the next sampling time, that time is skipped
 * (counted in `skippedSamples`), not caught up with a burst.
 *
 * Times. A request is dated by its start: the side that answers is decided when the request
 * arrives, so the first standby request's start is within one interval after the true switch,
 * and latency (reported apart) does not inflate the RTO.
 *
 * Recovery (`until: 'recovered'`). A request is served when its status is expected, whichever
 * side answered. Sampling stops once a request has failed and the `stableSamples` requests after
 * the last failure were all served; `recoveredAt` is the first of them, so it too is within one
 * interval after the true recovery, and a flapping service (failed, served twice, failed again)
 * recovers only at its last stable run. Otherwise sampling runs to `maxWaitMs` (or the Lambda's
 * deadline) and claims no RTO: `impactSeen: false` when nothing failed; `failureWindowClosed:
 * false` when failures were still going on; a served run shorter than `stableSamples` is not a
 * recovery (`failureWindowClosed: true`, no `recoveredAt`).
 *
 * DNS (docs/aws-facts.md#drill-measuring-client). Every request opens a new connection (`agent: false`, `Connection: close`), and Node.js
 * keeps no DNS cache of its own, so every request resolves the name again through the system
 * resolver, which honours the records' TTLs as any new client's would. A kept-alive connection
 * would stay on the old side's address after the DNS answer moved, and measure the connection,
 * not the failover.
 */
import * as http from 'http';
import * as https from 'https';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DEFAULTS, DIMENSIONS, ERRORS, LatencySummary, LIMITS, MAX_BODY_BYTES, MAX_TRANSITIONS, MeasureEvent, MeasureResult, METRICS,
  SampleClass, StopMode, StopReason, Transition,
} from './drill-client-contract';

/** What the measurement needs from its caller. */
export interface MeasureDependencies {
  /** Epoch ms by which the last request must have ended (the Lambda's remaining time less a margin). @default no limit but `maxWaitMs` */
  readonly deadline?: number;
  /** Publishes `MeasuredRTO`; required when the event asks to publish. */
  readonly cloudwatch?: Pick<CloudWatchClient, 'send'>;
}

/** One request as the client saw it. */
interface Sample {
  readonly sentAt: number;
  readonly latencyMs: number;
  readonly kind: SampleClass;
  readonly detail?: string;
}

interface Settings {
  readonly url: URL;
  readonly until: StopMode;
  /** Of `until: 'recovered'`. */
  readonly stableSamples: number;
  readonly injectedAt: number;
  readonly intervalMs: number;
  readonly requestTimeoutMs: number;
  readonly maxWaitMs: number;
  readonly expectStatus?: readonly number[];
}

/** Samples `event.url` until the standby serves (or service recovers) or time runs out; publishes `MeasuredRTO` if asked. Throws only on a bad event. */
export async function measure(event: MeasureEvent, deps: MeasureDependencies = {}): Promise<MeasureResult> {
  const settings = checkMeasureEvent(event, Date.now());
  if (event.publish && !deps.cloudwatch) {
    throw invalid('publish needs a CloudWatch client');
  }
  const { samples, stoppedBy, skipped } = await sample(event, settings, deps.deadline ?? Infinity);
  const result = summarize(event, settings, samples, stoppedBy, skipped);
  if (!event.publish || result.measuredRtoSeconds === undefined) {
    return { ...result, published: false };
  }
  try {
    await deps.cloudwatch!.send(new PutMetricDataCommand({
      Namespace: event.publish.namespace,
      MetricData: [{
        MetricName: METRICS.measuredRto,
        Dimensions: [{ Name: DIMENSIONS.drill, Value: event.publish.drill }, { Name: DIMENSIONS.path, Value: event.publish.path }],
        Timestamp: new Date((result.until === 'recovered' ? result.recoveredAt : result.standbyAt)!),
        Value: result.measuredRtoSeconds,
        Unit: 'Seconds',
      }],
    }));
    return { ...result, published: true };
  } catch (e) {
    return { ...result, published: false, publishError: describeError(e) };
  }
}

interface Sampling {
  readonly samples: Sample[];
  readonly stoppedBy: StopReason;
  readonly skipped: number;
}

async function sample(event: MeasureEvent, settings: Settings, deadline: number): Promise<Sampling> {
  const { intervalMs, requestTimeoutMs } = settings;
  const waitEnd = settings.injectedAt + settings.maxWaitMs;
  const start = Date.now();
  const samples: Sample[] = [];
  let skipped = 0;
  let lastFailure = -1;
  for (let k = 0; ; k++) {
    const at = start + k * intervalMs;
    // The first request always runs when there is time for it: a drill invoked late still learns the side.
    if (k > 0 && at > waitEnd) {
      return { samples, stoppedBy: 'maxWait', skipped };
    }
    if (Math.max(at, Date.now()) + requestTimeoutMs > deadline) {
      return { samples, stoppedBy: 'lambdaTime', skipped };
    }
    const wait = at - Date.now();
    if (wait > 0) {
      await sleep(wait);
    } else if (k > 0 && -wait >= intervalMs) {
      // The loop stalled past this time: skip it rather than send a burst.
      skipped++;
      continue;
    }
    const sentAt = Date.now();
    const answer = await request(settings.url, requestTimeoutMs, event.standby?.bodyContains);
    const s = classify(event, settings, answer, sentAt);
    samples.push(s);
    if (s.kind === 'failed') {
      lastFailure = samples.length - 1;
    }
    if (settings.until === 'standby' && s.kind === 'standby') {
      return { samples, stoppedBy: 'standby', skipped };
    }
    if (settings.until === 'recovered' && recoveryStart(samples.length, lastFailure, settings.stableSamples) !== undefined) {
      return { samples, stoppedBy: 'recovered', skipped };
    }
  }
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; bodyHasMarker: boolean } | { error: string };

function classify(event: MeasureEvent, settings: Settings, answer: Answer, sentAt: number): Sample {
  const latencyMs = Date.now() - sentAt;
  if ('error' in answer) {
    return { sentAt, latencyMs, kind: 'failed', detail: answer.error };
  }
  const served = settings.expectStatus ? settings.expectStatus.includes(answer.status) : answer.status >= 200 && answer.status <= 399;
  if (!served) {
    return { sentAt, latencyMs, kind: 'failed', detail: `status ${answer.status}` };
  }
  return { sentAt, latencyMs, kind: isStandby(event, answer) ? 'standby' : 'primary' };
}

/**
 * The index of the first sample of the recovery: a failure at `lastFailure`, then `stableSamples`
 * served samples (the sampling stops at the first such run, so there are never more).
 */
function recoveryStart(count: number, lastFailure: number, stableSamples: number): number | undefined {
  return lastFailure >= 0 && count - 1 - lastFailure >= stableSamples ? lastFailure + 1 : undefined;
}

function isStandby(event: MeasureEvent, answer: { headers: http.IncomingHttpHeaders; bodyHasMarker: boolean }): boolean {
  const marker = event.standby;
  if (marker === undefined) {
    return false;
  }
  if (marker.bodyContains !== undefined && !answer.bodyHasMarker) {
    return false;
  }
  if (marker.header) {
    const raw = answer.headers[marker.header.name.toLowerCase()];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return values.some((v) => v.trim() === marker.header!.value);
  }
  return true;
}

/**
 * One GET on a new connection, resolved (never rejected) within `timeoutMs` all told: the
 * status, the headers, and whether the first `MAX_BODY_BYTES` bytes hold `bodyMarker` (read
 * only when one is given, and only up to it).
 */
function request(url: URL, timeoutMs: number, bodyMarker: string | undefined): Promise<Answer> {
  return new Promise((resolve) => {
    let req: http.ClientRequest | undefined = undefined;
    let settled = false;
    const finish = (answer: Answer) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        req?.destroy();
        resolve(answer);
      }
    };
    const timer = setTimeout(() => finish({ error: `no response within ${timeoutMs} ms` }), timeoutMs);
    const get = url.protocol === 'https:' ? https.get : http.get;
    req = get(url, { agent: false, headers: { 'user-agent': 'cdk-failover-drill-client', 'connection': 'close' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (bodyMarker === undefined) {
        finish({ status, headers: res.headers, bodyHasMarker: false });
        return;
      }
      const marker = Buffer.from(bodyMarker);
      let head = Buffer.alloc(0);
      res.on('data', (chunk: Buffer) => {
        head = Buffer.concat([head, chunk.subarray(0, MAX_BODY_BYTES - head.length)]);
        if (head.includes(marker)) {
          finish({ status, headers: res.headers, bodyHasMarker: true });
        } else if (head.length >= MAX_BODY_BYTES) {
          finish({ status, headers: res.headers, bodyHasMarker: false });
        }
      });
      res.on('end', () => finish({ status, headers: res.headers, bodyHasMarker: false }));
      res.on('error', (e) => finish({ error: describeError(e) }));
      res.on('aborted', () => finish({ error: 'connection closed while reading the body' }));
    });
    req.on('error', (e) => finish({ error: describeError(e) }));
  });
}

/** The result of a sampling, without the publication. Pure: tests feed it samples. */
function summarize(event: MeasureEvent, settings: Settings, samples: Sample[], stoppedBy: StopReason, skipped: number): Omit<MeasureResult, 'published'> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const standby = samples.find((s) => s.kind === 'standby');
  const failures = samples.filter((s) => s.kind === 'failed');
  const first = failures[0];
  const last = failures[failures.length - 1];
  const servedAfter = last && samples.find((s) => s.sentAt > last.sentAt && s.kind !== 'failed');
  const recovered = recoveryStart(samples.length, last ? samples.lastIndexOf(last) : -1, settings.stableSamples);
  const rto = (at: number) => Math.max(0, at - settings.injectedAt) / 1000;
  const transitions: Transition[] = [];
  for (let i = 1; i < samples.length && transitions.length < MAX_TRANSITIONS; i++) {
    const [before, now] = [samples[i - 1], samples[i]];
    if (before.kind !== now.kind) {
      transitions.push({ at: iso(now.sentAt), from: before.kind, to: now.kind, ...now.detail ? { detail: now.detail } : {} });
    }
  }
  const count = (kind: SampleClass) => samples.filter((s) => s.kind === kind).length;
  const end = samples.length ? Math.max(...samples.map((s) => s.sentAt + s.latencyMs)) : Date.now();
  return {
    url: event.url,
    injectedAt: event.injectedAt,
    until: settings.until,
    switched: standby !== undefined,
    stoppedBy,
    ...standby ? {
      standbyAt: iso(standby.sentAt),
      ...settings.until === 'standby' ? { measuredRtoSeconds: rto(standby.sentAt) } : {},
      ...samples[0] === standby ? { switchedBeforeFirstSample: true } : {},
    } : {},
    ...settings.until === 'recovered' ? {
      impactSeen: failures.length > 0,
      stableSamples: settings.stableSamples,
      ...recovered !== undefined ? { recoveredAt: iso(samples[recovered].sentAt), measuredRtoSeconds: rto(samples[recovered].sentAt) } : {},
    } : {},
    ...first && last ? {
      firstFailureAt: iso(first.sentAt),
      lastFailureAt: iso(last.sentAt),
      failureWindowMs: (servedAfter ?? last).sentAt - first.sentAt,
      failureWindowClosed: servedAfter !== undefined,
    } : {},
    counts: { primary: count('primary'), standby: count('standby'), failed: count('failed') },
    latency: {
      ...latencyOf('all', samples),
      ...latencyOf('primary', samples.filter((s) => s.kind === 'primary')),
      ...latencyOf('standby', samples.filter((s) => s.kind === 'standby')),
      ...latencyOf('failed', failures),
    },
    ...samples.length ? { initially: samples[0].kind } : {},
    transitions,
    intervalMs: settings.intervalMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    skippedSamples: skipped,
    sampledFrom: iso(samples.length ? samples[0].sentAt : end),
    sampledTo: iso(end),
  };
}

function latencyOf(key: string, samples: Sample[]): { [key: string]: LatencySummary } {
  return samples.length ? { [key]: latencySummary(samples.map((s) => s.latencyMs)) } : {};
}

/** Count, min, nearest-rank p50 and p90, max and mean (to 0.1 ms) of `values` (not empty). */
export function latencySummary(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    count: sorted.length,
    minMs: sorted[0],
    p50Ms: rank(50),
    p90Ms: rank(90),
    maxMs: sorted[sorted.length - 1],
    meanMs: Math.round(mean * 10) / 10,
  };
}

/** Validates the event: every problem in one `DrillClientEventInvalid` error. */
function checkMeasureEvent(event: MeasureEvent, now: number): Settings {
  if (typeof event !== 'object' || event === null) {
    throw invalid(`the event must be an object, got ${JSON.stringify(event)}`);
  }
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(event.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`url ${JSON.stringify(event.url)} must be http:// or https://`);
    }
  } catch {
    problems.push(`url ${JSON.stringify(event.url)} is not a URL`);
  }
  const injectedAt = typeof event.injectedAt === 'string' ? Date.parse(event.injectedAt) : NaN;
  if (Number.isNaN(injectedAt)) {
    problems.push(`injectedAt must be an ISO 8601 time, got ${JSON.stringify(event.injectedAt)}`);
  } else if (injectedAt > now + LIMITS.futureSkewMs) {
    problems.push(`injectedAt ${event.injectedAt} is in the future: pass the time the fault was injected, after injecting it`);
  }
  const until = event.until ?? DEFAULTS.until;
  if (until !== 'standby' && until !== 'recovered') {
    problems.push(`until must be "standby" or "recovered", got ${JSON.stringify(event.until)}`);
  }
  if (until !== 'recovered' || event.standby !== undefined) {
    problems.push(...markerProblems(event.standby));
  }
  const stableSamples = event.stableSamples ?? DEFAULTS.stableSamples;
  if (event.stableSamples !== undefined && until !== 'recovered') {
    problems.push(`stableSamples applies only with until "recovered" (the standby's first answer ends the sampling), got ${JSON.stringify(event.stableSamples)}`);
  } else if (!wholeIn(stableSamples, LIMITS.minStableSamples, LIMITS.maxStableSamples)) {
    problems.push(`stableSamples must be a whole number from ${LIMITS.minStableSamples} to ${LIMITS.maxStableSamples}, got ${JSON.stringify(event.stableSamples)}`);
  }

  const intervalMs = event.intervalMs ?? DEFAULTS.intervalMs;
  if (!wholeIn(intervalMs, LIMITS.minIntervalMs, LIMITS.maxIntervalMs)) {
    problems.push(`intervalMs must be a whole number from ${LIMITS.minIntervalMs} to ${LIMITS.maxIntervalMs}, got ${JSON.stringify(event.intervalMs)}`);
  }
  const requestTimeoutMs = event.requestTimeoutMs ?? Math.floor(intervalMs * DEFAULTS.requestTimeoutFraction);
  if (!wholeIn(requestTimeoutMs, LIMITS.minRequestTimeoutMs, intervalMs - 1)) {
    problems.push(`requestTimeoutMs must be a whole number from ${LIMITS.minRequestTimeoutMs} to intervalMs - 1 (${intervalMs - 1}) so requests never overlap, got ${JSON.stringify(event.requestTimeoutMs)}`);
  }
  const maxWaitMs = event.maxWaitMs ?? DEFAULTS.maxWaitMs;
  if (!wholeIn(maxWaitMs, 1, LIMITS.maxWaitMs)) {
    problems.push(`maxWaitMs must be a whole number from 1 to ${LIMITS.maxWaitMs} (a Lambda's 15 minutes), got ${JSON.stringify(event.maxWaitMs)}`);
  } else if (until === 'recovered' && wholeIn(intervalMs, LIMITS.minIntervalMs, LIMITS.maxIntervalMs)
    && wholeIn(stableSamples, LIMITS.minStableSamples, LIMITS.maxStableSamples) && maxWaitMs < stableSamples * intervalMs) {
    problems.push(`maxWaitMs ${maxWaitMs} cannot hold a failure and ${stableSamples} served requests ${intervalMs} ms apart: `
      + `make it at least stableSamples x intervalMs (${stableSamples * intervalMs}), plus the expected RTO`);
  }
  if (event.expectStatus !== undefined
    && (!Array.isArray(event.expectStatus) || event.expectStatus.length === 0 || !event.expectStatus.every((s) => wholeIn(s, 100, 599)))) {
    problems.push(`expectStatus must be a non-empty list of HTTP statuses (100 to 599), got ${JSON.stringify(event.expectStatus)}`);
  }
  if (event.publish !== undefined) {
    const p = event.publish;
    const bad = (['namespace', 'drill', 'path'] as const).filter((k) => typeof p?.[k] !== 'string' || p[k].length === 0 || p[k].length > 255);
    if (bad.length) {
      problems.push(`publish.${bad.join(', publish.')} must be 1 to 255 characters, got ${JSON.stringify(p)}`);
    } else if (p.namespace.startsWith('AWS/') || p.namespace.startsWith(':') || /[^\x20-\x7e]/.test(p.namespace)) {
      // docs/aws-facts.md#cloudwatch-alarms (Metric namespaces)
      problems.push(`publish.namespace ${JSON.stringify(p.namespace)} must be printable ASCII, not starting with ":" or "AWS/" (reserved for AWS services)`);
    }
  }
  if (problems.length > 0) {
    throw invalid(problems.join('; '));
  }
  return { url: url!, until, stableSamples, injectedAt, intervalMs, requestTimeoutMs, maxWaitMs, expectStatus: event.expectStatus };
}

function markerProblems(marker: MeasureEvent['standby']): string[] {
  if (marker === undefined) {
    return ['standby is required unless until is "recovered": name a header ({ name, value }) or a bodyContains string that only the standby serves'];
  }
  if (typeof marker !== 'object' || marker === null || (marker.header === undefined && marker.bodyContains === undefined)) {
    return [`standby must name a header ({ name, value }) or a bodyContains string that only the standby serves, got ${JSON.stringify(marker)}`];
  }
  const problems: string[] = [];
  const h = marker.header;
  if (h !== undefined && (typeof h?.name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.name) || typeof h.value !== 'string' || h.value.trim() === '')) {
    problems.push(`standby.header must have a header name and a non-empty value, got ${JSON.stringify(h)}`);
  }
  if (marker.bodyContains !== undefined && (typeof marker.bodyContains !== 'string' || marker.bodyContains.length === 0
    || Buffer.byteLength(marker.bodyContains) > MAX_BODY_BYTES)) {
    problems.push(`standby.bodyContains must be a string of 1 to ${MAX_BODY_BYTES} bytes, got ${JSON.stringify(marker.bodyContains)}`);
  }
  return problems;
}

function wholeIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(message: string): Error {
  const error = new Error(`measure: ${message}`);
  error.name = ERRORS.invalidEvent;
  return error;
}

function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e instanceof Error) {
    return e.code ? `${e.code}: ${e.message}` : `${e.name}: ${e.message}`;
  }
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

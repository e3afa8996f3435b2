import * as http from 'http';
import { IntervalHistogram, monitorEventLoopDelay } from 'perf_hooks';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import * as fc from 'fast-check';
import { HANDLER_MARGIN_MS, MeasureEvent, StandbyMarker } from '../../src/drills/drill-client-contract';
import { latencySummary, measure } from '../../src/drills/drill-client-measure';
import { handler } from '../../src/drills/drill-client.lambda';
import { closeAll, httpServer } from '../health/servers';

const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => cloudwatch.reset());
afterAll(closeAll);

/**
 * What the bounds allow beyond one sampling interval: the loopback connection's set-up (a
 * request starts a moment before the server, in this same process, sees it), plus how late this
 * process's timers fired during the test, measured: on an idle machine the bounds are one
 * interval and a few ms; on a loaded one a late timer is the machine's error, not the client's.
 */
const BASE_SLACK_MS = 3;
let lateness: IntervalHistogram;
const slack = () => BASE_SLACK_MS + lateness.max / 1e6;
beforeEach(() => {
  lateness = monitorEventLoopDelay({ resolution: 1 });
  lateness.enable();
});
afterEach(() => lateness.disable());

type Failure = 'status' | 'reset' | 'hang';
type MarkerKind = 'header' | 'body';

const HEADER = 'x-region';
const PRIMARY = 'us-east-1';
const STANDBY = 'us-west-2';

/** A body long enough to arrive in several chunks, with the region near its end. */
const body = (region: string) => `${'x'.repeat(20_000)} served-by=${region} ${'y'.repeat(100)}`;

const markerOf = (kind: MarkerKind): StandbyMarker =>
  kind === 'header' ? { header: { name: 'X-Region', value: STANDBY } } : { bodyContains: `served-by=${STANDBY}` };

function serve(res: http.ServerResponse, region: string): void {
  res.writeHead(200, { [HEADER]: region, 'content-type': 'text/plain' });
  const text = body(region);
  // Two writes: the body marker search must read past the first chunk.
  res.write(text.slice(0, 10_000));
  setImmediate(() => res.end(text.slice(10_000)));
}

/**
 * A server that serves the primary from `t0`, fails from `t0 + delayMs` for `gapMs`, then serves
 * `then`: the standby (a regional failover), or the primary again (an in-region recovery).
 * Returns `t0` (the injection), the true times on the test's own clock (`switchAt`: when it
 * serves again), and each request's outcome as the server decided it, in order.
 */
async function switchingServer(delayMs: number, gapMs: number, failure: Failure, then = STANDBY) {
  const received: number[] = [];
  const outcomes: Array<'served' | 'failed'> = [];
  let t0 = 0;
  const port = await httpServer((req, res) => {
    const now = Date.now();
    received.push(now);
    if (now < t0 + delayMs) {
      outcomes.push('served');
      serve(res, PRIMARY);
    } else if (now < t0 + delayMs + gapMs) {
      outcomes.push('failed');
      switch (failure) {
        case 'status': res.writeHead(503).end('unavailable'); break;
        case 'reset': req.socket.destroy(); break;
        case 'hang': break; // never answers; closeAll() destroys the socket
      }
    } else {
      outcomes.push('served');
      serve(res, then);
    }
  });
  t0 = Date.now();
  return { url: `http://127.0.0.1:${port}/health`, t0, failsAt: t0 + delayMs, switchAt: t0 + delayMs + gapMs, received, outcomes };
}

/**
 * A server that answers by request count, not time: runs of `[answer, requests]`, 'ok' serving
 * the primary and 'fail' a 503; the last run repeats. Returns `requests()`, the count so far.
 */
async function scriptedServer(...runs: Array<['ok' | 'fail', number]>) {
  let n = 0;
  const port = await httpServer((_req, res) => {
    n++;
    let end = 0;
    const run = runs.find(([, count]) => (end += count) >= n) ?? runs[runs.length - 1];
    if (run[0] === 'ok') {
      serve(res, PRIMARY);
    } else {
      res.writeHead(503).end('unavailable');
    }
  });
  return { url: `http://127.0.0.1:${port}/health`, t0: Date.now(), requests: () => n };
}

// The first requests of a fresh process load and compile the HTTP client and the servers' code
// paths, and can stall longer than the short timeouts below: warm every path up once, outside
// any measurement.
beforeAll(async () => {
  for (const failure of ['status', 'reset', 'hang'] as const) {
    for (const marker of ['header', 'body'] as const) {
      const server = await switchingServer(60, 60, failure);
      await measure({ url: server.url, injectedAt: new Date(server.t0).toISOString(), standby: markerOf(marker), intervalMs: 30 });
    }
  }
});

function event(url: string, injectedAt: number, rest: Partial<MeasureEvent> = {}): MeasureEvent {
  return { url, injectedAt: new Date(injectedAt).toISOString(), standby: markerOf('header'), intervalMs: 40, maxWaitMs: 3000, ...rest };
}

/** An in-region recovery's event: no standby marker. */
function recoveryEvent(url: string, injectedAt: number, rest: Partial<MeasureEvent> = {}): MeasureEvent {
  return { url, injectedAt: new Date(injectedAt).toISOString(), until: 'recovered', intervalMs: 40, maxWaitMs: 3000, ...rest };
}

describe('measuring a switch', () => {
  test('the measured switch and failure window are within one interval of the true ones (seeded random delays and gaps)', async () => {
    const INTERVAL = 50;
    const TIMEOUT = 45;
    const run = fc.record({
      delayMs: fc.integer({ min: 0, max: 300 }),
      // Two intervals: a gap shorter than one can fall between two requests.
      gapMs: fc.integer({ min: 2 * INTERVAL, max: 300 }),
      failure: fc.constantFrom<Failure>('status', 'reset', 'hang'),
      marker: fc.constantFrom<MarkerKind>('header', 'body'),
    });
    await fc.assert(fc.asyncProperty(run, async ({ delayMs, gapMs, failure, marker }) => {
      // GIVEN
      lateness.reset();
      const server = await switchingServer(delayMs, gapMs, failure);

      // WHEN
      const result = await measure(event(server.url, server.t0, { intervalMs: INTERVAL, requestTimeoutMs: TIMEOUT, standby: markerOf(marker) }));

      // THEN
      expect(result).toMatchObject({ switched: true, stoppedBy: 'standby', failureWindowClosed: true, published: false });
      const measuredSwitch = server.t0 + result.measuredRtoSeconds! * 1000;
      expect(measuredSwitch).toEqual(Date.parse(result.standbyAt!));
      expect(measuredSwitch - server.switchAt).toBeGreaterThanOrEqual(-slack());
      expect(measuredSwitch - server.switchAt).toBeLessThanOrEqual(INTERVAL + slack());
      expect(Math.abs(result.failureWindowMs! - gapMs)).toBeLessThanOrEqual(INTERVAL + slack());
      expect(Date.parse(result.firstFailureAt!) - server.failsAt).toBeGreaterThanOrEqual(-slack());
      expect(Date.parse(result.lastFailureAt!)).toBeLessThan(server.switchAt);
      expect(result.counts.standby).toBe(1);
      expect(result.counts.failed).toBeGreaterThanOrEqual(1);
      expect(result.counts.primary + result.counts.failed + result.counts.standby).toBe(server.received.length);
      expect(result.latency.all!.count).toBe(server.received.length);
      if (failure === 'hang') {
        // Date.now() counts whole ms: a timer of 45 ms can span 44 of them.
        expect(result.latency.failed!.minMs).toBeGreaterThanOrEqual(TIMEOUT - 1);
      }
    }), { seed: 20261201, numRuns: 8 });
  }, 30_000);

  test('the transitions name each change of side and why requests failed', async () => {
    // GIVEN
    const server = await switchingServer(100, 120, 'status');

    // WHEN
    const result = await measure(event(server.url, server.t0));

    // THEN
    expect(result.initially).toBe('primary');
    expect(result.transitions).toEqual([
      { at: result.firstFailureAt, from: 'primary', to: 'failed', detail: 'status 503' },
      { at: result.standbyAt, from: 'failed', to: 'standby' },
    ]);
    expect(result.latency.primary!.count).toBe(result.counts.primary);
    expect(result.latency.failed!.count).toBe(result.counts.failed);
    expect(result.latency.standby!.count).toBe(1);
  });

  test('requests that hang are cut at the request timeout, counted as failures, and the sampling keeps its pace', async () => {
    // GIVEN: the server never answers for 400 ms
    const server = await switchingServer(0, 400, 'hang');

    // WHEN
    const result = await measure(event(server.url, server.t0, { intervalMs: 50, requestTimeoutMs: 35 }));

    // THEN: about 400 / 50 requests, each cut at 35 ms, and the switch seen within an interval
    expect(result.counts.failed + result.skippedSamples).toBeGreaterThanOrEqual(7);
    expect(result.counts.failed + result.skippedSamples).toBeLessThanOrEqual(9);
    expect(result.latency.failed!.minMs).toBeGreaterThanOrEqual(35 - 1);
    expect(result.latency.failed!.maxMs).toBeLessThanOrEqual(35 + slack());
    expect(result.transitions[0]).toMatchObject({ from: 'failed', to: 'standby' });
    expect(result.initially).toBe('failed');
    expect(Date.parse(result.standbyAt!) - server.switchAt).toBeLessThanOrEqual(50 + slack());
  });

  test('a stalled event loop skips sampling times instead of sending a burst', async () => {
    // GIVEN: the 3rd request blocks the (shared) event loop for 150 ms
    let n = 0;
    const port = await httpServer((_req, res) => {
      if (++n === 3) {
        const until = Date.now() + 150;
        while (Date.now() < until) { /* busy */ }
      }
      serve(res, n >= 5 ? STANDBY : PRIMARY);
    });

    // WHEN
    const result = await measure(event(`http://127.0.0.1:${port}/`, Date.now(), { intervalMs: 40 }));

    // THEN
    expect(result.switched).toBe(true);
    expect(result.skippedSamples).toBeGreaterThanOrEqual(2);
    expect(result.counts.primary + result.counts.failed + result.counts.standby).toBe(n);
  });
});

describe('markers', () => {
  test('a header marker matches its value, whatever the name\'s case, and trims it', async () => {
    // GIVEN
    let standby = false;
    const port = await httpServer((_req, res) => res.writeHead(200, { 'X-REGION': standby ? ` ${STANDBY} ` : PRIMARY }).end());
    setTimeout(() => { standby = true; }, 150);

    // WHEN
    const result = await measure(event(`http://127.0.0.1:${port}/`, Date.now(), { standby: { header: { name: 'x-Region', value: STANDBY } } }));

    // THEN
    expect(result).toMatchObject({ switched: true, initially: 'primary', counts: { failed: 0, standby: 1 } });
    expect(result.counts.primary).toBeGreaterThanOrEqual(3);
  });

  test('a body marker is found past the first chunk; a response without it is the primary', async () => {
    // GIVEN
    const server = await switchingServer(120, 0, 'status');

    // WHEN
    const result = await measure(event(server.url, server.t0, { standby: markerOf('body') }));

    // THEN
    expect(result).toMatchObject({ switched: true, counts: { failed: 0, standby: 1 }, transitions: [{ from: 'primary', to: 'standby' }] });
    expect(result.failureWindowMs).toBeUndefined();
  });

  test('a body marker is searched in the first 64 KiB only', async () => {
    // GIVEN: the standby's marker after 64 KiB of padding
    const port = await httpServer((_req, res) => res.writeHead(200).end(`${'x'.repeat(64 * 1024)}served-by=${STANDBY}`));

    // WHEN
    const result = await measure(event(`http://127.0.0.1:${port}/`, Date.now(), { standby: markerOf('body'), maxWaitMs: 100 }));

    // THEN
    expect(result).toMatchObject({ switched: false, stoppedBy: 'maxWait', counts: { standby: 0, failed: 0 } });
    expect(result.counts.primary).toBeGreaterThanOrEqual(2);
  });

  test('with both markers, both must match', async () => {
    // GIVEN: the standby's header from the start, its body only after 150 ms
    let bodyRegion = PRIMARY;
    const port = await httpServer((_req, res) => res.writeHead(200, { [HEADER]: STANDBY }).end(body(bodyRegion)));
    setTimeout(() => { bodyRegion = STANDBY; }, 150);
    const started = Date.now();

    // WHEN
    const result = await measure(event(`http://127.0.0.1:${port}/`, started, {
      standby: { header: { name: HEADER, value: STANDBY }, bodyContains: `served-by=${STANDBY}` },
    }));

    // THEN
    expect(result.counts.primary).toBeGreaterThanOrEqual(3);
    expect(Date.parse(result.standbyAt!) - started).toBeGreaterThanOrEqual(150 - slack());
  });

  test('a status outside expectStatus is a failure, one inside is served', async () => {
    // GIVEN: the primary answers 200, the standby 203, and expectStatus accepts only 203
    let standby = false;
    const port = await httpServer((_req, res) => res.writeHead(standby ? 203 : 200, { [HEADER]: standby ? STANDBY : PRIMARY }).end());
    setTimeout(() => { standby = true; }, 100);

    // WHEN
    const result = await measure(event(`http://127.0.0.1:${port}/`, Date.now(), { expectStatus: [203] }));

    // THEN
    expect(result).toMatchObject({ switched: true, counts: { primary: 0, standby: 1 }, initially: 'failed' });
    expect(result.transitions[0]).toMatchObject({ from: 'failed', to: 'standby' });
    expect(result.failureWindowClosed).toBe(true);
  });

  test('a standby that already serves at the first request gives an upper bound', async () => {
    // GIVEN: injected 2 s ago, switched since
    const server = await switchingServer(0, 0, 'status');

    // WHEN
    const result = await measure(event(server.url, server.t0 - 2000));

    // THEN
    expect(result).toMatchObject({ switched: true, switchedBeforeFirstSample: true, counts: { primary: 0, failed: 0, standby: 1 } });
    expect(result.measuredRtoSeconds).toBeGreaterThanOrEqual(2);
    expect(result.measuredRtoSeconds).toBeLessThan(2.5);
  });
});

describe('measuring a recovery (until: recovered)', () => {
  test('the measured recovery is within one interval of the true one, after exactly stableSamples served requests (seeded random delays and gaps)', async () => {
    const INTERVAL = 40;
    const TIMEOUT = 35;
    const run = fc.record({
      delayMs: fc.integer({ min: 0, max: 300 }),
      // Two intervals: a gap shorter than one can fall between two requests.
      gapMs: fc.integer({ min: 2 * INTERVAL, max: 300 }),
      failure: fc.constantFrom<Failure>('status', 'reset', 'hang'),
      stableSamples: fc.integer({ min: 1, max: 6 }),
      withMarker: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(run, async ({ delayMs, gapMs, failure, stableSamples, withMarker }) => {
      // GIVEN: a server that serves, fails, then serves again (no standby)
      lateness.reset();
      const server = await switchingServer(delayMs, gapMs, failure, PRIMARY);

      // WHEN
      const result = await measure(recoveryEvent(server.url, server.t0, {
        intervalMs: INTERVAL, requestTimeoutMs: TIMEOUT, stableSamples, ...withMarker ? { standby: markerOf('header') } : {},
      }));

      // THEN
      expect(result).toMatchObject({
        until: 'recovered', stoppedBy: 'recovered', impactSeen: true, stableSamples, switched: false, failureWindowClosed: true, published: false,
      });
      const recoveredAt = Date.parse(result.recoveredAt!);
      expect(result.measuredRtoSeconds! * 1000).toBeCloseTo(recoveredAt - server.t0, 6);
      expect(recoveredAt - server.switchAt).toBeGreaterThanOrEqual(-slack());
      expect(recoveredAt - server.switchAt).toBeLessThanOrEqual(INTERVAL + slack());
      expect(Date.parse(result.lastFailureAt!)).toBeLessThan(server.switchAt);
      // It stopped right after stableSamples served requests that followed the last failure.
      const lastFailed = server.outcomes.lastIndexOf('failed');
      expect(lastFailed).toBeGreaterThanOrEqual(0);
      expect(server.outcomes.length - 1 - lastFailed).toBe(stableSamples);
      expect(result.counts).toEqual({ primary: server.outcomes.filter((o) => o === 'served').length, standby: 0, failed: server.outcomes.filter((o) => o === 'failed').length });
      expect(result.transitions[result.transitions.length - 1]).toEqual({ at: result.recoveredAt, from: 'failed', to: 'primary' });
    }), { seed: 20261202, numRuns: 8 });
  }, 30_000);

  test('a flapping service (fail, serve 2, fail, serve) recovers at its last stable run', async () => {
    // GIVEN
    const server = await scriptedServer(['ok', 3], ['fail', 3], ['ok', 2], ['fail', 2], ['ok', 1]);

    // WHEN
    const result = await measure(recoveryEvent(server.url, server.t0, { stableSamples: 3 }));

    // THEN
    expect(result).toMatchObject({ stoppedBy: 'recovered', impactSeen: true, counts: { primary: 3 + 2 + 3, failed: 3 + 2, standby: 0 } });
    expect(server.requests()).toBe(3 + 3 + 2 + 2 + 3);
    expect(result.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['primary>failed', 'failed>primary', 'primary>failed', 'failed>primary']);
    expect(result.recoveredAt).toBe(result.transitions[3].at);
    expect(result.measuredRtoSeconds! * 1000).toBeCloseTo(Date.parse(result.transitions[3].at) - server.t0, 6);
    expect(result.failureWindowMs).toBe(Date.parse(result.transitions[3].at) - Date.parse(result.transitions[0].at));
  });

  test('no failure before maxWaitMs: it samples to the end, says no impact was seen, and claims no RTO', async () => {
    // GIVEN
    const server = await switchingServer(10_000, 0, 'status', PRIMARY);

    // WHEN
    const result = await measure(recoveryEvent(server.url, server.t0, { intervalMs: 50, maxWaitMs: 300, stableSamples: 2 }));

    // THEN
    expect(result).toMatchObject({ until: 'recovered', stoppedBy: 'maxWait', impactSeen: false, published: false, counts: { failed: 0, standby: 0 } });
    expect(result.measuredRtoSeconds).toBeUndefined();
    expect(result.recoveredAt).toBeUndefined();
    expect(result.failureWindowMs).toBeUndefined();
    expect(result.failureWindowClosed).toBeUndefined();
    expect(result.counts.primary).toBeGreaterThanOrEqual(6);
    expect(Date.parse(result.sampledTo) - server.t0).toBeGreaterThan(300 - 50 * (1 + result.skippedSamples));
  });

  test('failures still going on at maxWaitMs: no RTO, and the failure window is open', async () => {
    // GIVEN
    const server = await switchingServer(60, 10_000, 'status', PRIMARY);

    // WHEN
    const result = await measure(recoveryEvent(server.url, server.t0, { maxWaitMs: 400, stableSamples: 3 }));

    // THEN
    expect(result).toMatchObject({ stoppedBy: 'maxWait', impactSeen: true, failureWindowClosed: false });
    expect(result.measuredRtoSeconds).toBeUndefined();
    expect(result.recoveredAt).toBeUndefined();
    expect(result.transitions).toEqual([{ at: result.firstFailureAt, from: 'primary', to: 'failed', detail: 'status 503' }]);
    expect(result.counts.failed).toBeGreaterThanOrEqual(6);
  });

  test('fewer served requests than stableSamples since the last failure at maxWaitMs: the window closed, but no recovery is claimed', async () => {
    // GIVEN: 3 failures, then served; at most 11 requests fit in 400 ms at 40 ms
    const server = await scriptedServer(['fail', 3], ['ok', 1]);

    // WHEN
    const result = await measure(recoveryEvent(server.url, server.t0, { maxWaitMs: 400, stableSamples: 10 }));

    // THEN
    expect(result).toMatchObject({ stoppedBy: 'maxWait', impactSeen: true, failureWindowClosed: true, counts: { failed: 3 } });
    expect(result.counts.primary).toBeGreaterThanOrEqual(1);
    expect(result.counts.primary).toBeLessThan(10);
    expect(result.recoveredAt).toBeUndefined();
    expect(result.measuredRtoSeconds).toBeUndefined();
  });

  test('a standby answer counts as served, is reported, and does not stop the sampling', async () => {
    // GIVEN: primary, failures, then the standby
    const server = await switchingServer(80, 120, 'status');

    // WHEN
    const result = await measure(recoveryEvent(server.url, server.t0, { standby: markerOf('body'), stableSamples: 3 }));

    // THEN
    expect(result).toMatchObject({ stoppedBy: 'recovered', switched: true, impactSeen: true, counts: { standby: 3 } });
    expect(result.recoveredAt).toBe(result.standbyAt);
    expect(result.measuredRtoSeconds! * 1000).toBeCloseTo(Date.parse(result.standbyAt!) - server.t0, 6);
    expect(result.switchedBeforeFirstSample).toBeUndefined();
  });

  test('the Lambda\'s deadline stops it like in standby mode, with no RTO', async () => {
    // GIVEN
    const server = await switchingServer(50, 10_000, 'reset', PRIMARY);
    const deadline = Date.now() + 300;

    // WHEN
    const result = await measure(recoveryEvent(server.url, server.t0, { stableSamples: 2 }), { deadline });

    // THEN
    expect(result).toMatchObject({ stoppedBy: 'lambdaTime', impactSeen: true, failureWindowClosed: false });
    expect(result.measuredRtoSeconds).toBeUndefined();
    expect(Date.parse(result.sampledTo)).toBeLessThanOrEqual(deadline + slack());
  });
});

describe('stopping in time', () => {
  test('a server that never switches: sampling stops at maxWaitMs and says it did not see the switch', async () => {
    // GIVEN
    const server = await switchingServer(10_000, 0, 'status');

    // WHEN
    const result = await measure(event(server.url, server.t0, { intervalMs: 50, maxWaitMs: 300 }));

    // THEN
    expect(result).toMatchObject({ until: 'standby', switched: false, stoppedBy: 'maxWait', published: false, counts: { standby: 0, failed: 0 } });
    expect(result.measuredRtoSeconds).toBeUndefined();
    expect(result.standbyAt).toBeUndefined();
    expect(result.impactSeen).toBeUndefined();
    expect(result.recoveredAt).toBeUndefined();
    expect(result.counts.primary).toBeGreaterThanOrEqual(6);
    expect(result.counts.primary).toBeLessThanOrEqual(7);
    expect(Date.parse(result.sampledTo) - server.t0).toBeLessThanOrEqual(300 + 50);
  });

  test('the Lambda\'s deadline stops sampling before it, with the last request ended', async () => {
    // GIVEN: requests that fail from 100 ms on, and a deadline at 400 ms
    const server = await switchingServer(100, 10_000, 'hang');
    const deadline = Date.now() + 400;

    // WHEN
    const result = await measure(event(server.url, server.t0, { intervalMs: 50, requestTimeoutMs: 45 }), { deadline });

    // THEN
    expect(result).toMatchObject({ switched: false, stoppedBy: 'lambdaTime', failureWindowClosed: false });
    expect(Date.now()).toBeLessThanOrEqual(deadline + slack());
    expect(Date.parse(result.sampledTo)).toBeLessThanOrEqual(deadline + slack());
    expect(result.failureWindowMs).toBe(Date.parse(result.lastFailureAt!) - Date.parse(result.firstFailureAt!));
    expect(result.counts.failed).toBeGreaterThanOrEqual(4);
  });

  test('the handler stops HANDLER_MARGIN_MS before the Lambda\'s end', async () => {
    // GIVEN: 400 ms left after the margin
    const server = await switchingServer(10_000, 0, 'status');
    const started = Date.now();

    // WHEN
    const result = await handler(event(server.url, server.t0, { intervalMs: 50 }), { getRemainingTimeInMillis: () => HANDLER_MARGIN_MS + 400 });

    // THEN
    expect(result.stoppedBy).toBe('lambdaTime');
    expect(Date.now() - started).toBeLessThanOrEqual(400 + slack());
  });
});

describe('MeasuredRTO', () => {
  const publish = { namespace: 'CdkFailover/Drills', drill: 'dns-inversion', path: 'app/api' };
  const lambdaContext = { getRemainingTimeInMillis: () => 60_000 };

  test('is published in seconds with the Drill and Path dimensions when asked', async () => {
    // GIVEN
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const server = await switchingServer(50, 80, 'status');

    // WHEN
    const result = await handler(event(server.url, server.t0, { publish }), lambdaContext);

    // THEN
    expect(result.published).toBe(true);
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'CdkFailover/Drills',
      MetricData: [{
        MetricName: 'MeasuredRTO',
        Dimensions: [{ Name: 'Drill', Value: 'dns-inversion' }, { Name: 'Path', Value: 'app/api' }],
        Timestamp: new Date(result.standbyAt!),
        Value: result.measuredRtoSeconds,
        Unit: 'Seconds',
      }],
    });
    expect(result.measuredRtoSeconds).toBeGreaterThanOrEqual(0.13 - slack() / 1000);
  });

  test('is not published unless asked', async () => {
    // GIVEN
    const server = await switchingServer(0, 0, 'status');

    // WHEN
    const result = await handler(event(server.url, server.t0), lambdaContext);

    // THEN
    expect(result).toMatchObject({ switched: true, published: false });
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('is not published when the switch was not seen', async () => {
    // GIVEN
    const server = await switchingServer(10_000, 0, 'status');

    // WHEN
    const result = await handler(event(server.url, server.t0, { publish, maxWaitMs: 100 }), lambdaContext);

    // THEN
    expect(result).toMatchObject({ switched: false, published: false });
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('is published at recoveredAt in recovered mode', async () => {
    // GIVEN
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const server = await switchingServer(50, 80, 'status', PRIMARY);

    // WHEN
    const result = await handler(recoveryEvent(server.url, server.t0, { publish, stableSamples: 2 }), lambdaContext);

    // THEN
    expect(result).toMatchObject({ stoppedBy: 'recovered', published: true });
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'CdkFailover/Drills',
      MetricData: [{
        MetricName: 'MeasuredRTO',
        Dimensions: [{ Name: 'Drill', Value: 'dns-inversion' }, { Name: 'Path', Value: 'app/api' }],
        Timestamp: new Date(result.recoveredAt!),
        Value: result.measuredRtoSeconds,
        Unit: 'Seconds',
      }],
    });
    expect(result.measuredRtoSeconds).toBeGreaterThanOrEqual(0.13 - slack() / 1000);
  });

  test('is not published in recovered mode when no impact was seen', async () => {
    // GIVEN
    const server = await switchingServer(10_000, 0, 'status', PRIMARY);

    // WHEN
    const result = await handler(recoveryEvent(server.url, server.t0, { publish, maxWaitMs: 150, stableSamples: 2 }), lambdaContext);

    // THEN
    expect(result).toMatchObject({ impactSeen: false, stoppedBy: 'maxWait', published: false });
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('a failed publication still returns the measurement, with the error', async () => {
    // GIVEN
    cloudwatch.on(PutMetricDataCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    const server = await switchingServer(0, 0, 'status');

    // WHEN
    const result = await handler(event(server.url, server.t0, { publish }), lambdaContext);

    // THEN
    expect(result).toMatchObject({ switched: true, published: false, publishError: 'AccessDenied: User is not authorized' });
    expect(result.measuredRtoSeconds).toBeDefined();
  });
});

describe('latencySummary', () => {
  test('nearest-rank percentiles and the mean to 0.1 ms', () => {
    expect(latencySummary([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])).toEqual({ count: 10, minMs: 1, p50Ms: 5, p90Ms: 9, maxMs: 10, meanMs: 5.5 });
    expect(latencySummary([7])).toEqual({ count: 1, minMs: 7, p50Ms: 7, p90Ms: 7, maxMs: 7, meanMs: 7 });
    expect(latencySummary([1, 2, 2])).toEqual({ count: 3, minMs: 1, p50Ms: 2, p90Ms: 2, maxMs: 2, meanMs: 1.7 });
  });
});

describe('bad events', () => {
  const now = Date.now();
  const good = event('http://127.0.0.1:1/', now);

  test.each<[string, Partial<MeasureEvent> | Record<string, unknown>, string]>([
    ['a URL that is not one', { url: 'not a url' }, 'url "not a url" is not a URL'],
    ['a URL that is not HTTP', { url: 'ftp://example.com/' }, 'url "ftp://example.com/" must be http:// or https://'],
    ['an injection time that is not a time', { injectedAt: 'yesterday' }, 'injectedAt must be an ISO 8601 time, got "yesterday"'],
    ['an injection in the future', { injectedAt: new Date(now + 60_000).toISOString() }, 'is in the future'],
    ['no marker', { standby: {} }, 'standby must name a header ({ name, value }) or a bodyContains string'],
    ['a header marker without a value', { standby: { header: { name: 'x-region', value: ' ' } } }, 'standby.header must have a header name and a non-empty value'],
    ['a header name with a space', { standby: { header: { name: 'x region', value: 'b' } } }, 'standby.header must have a header name'],
    ['an empty body marker', { standby: { bodyContains: '' } }, 'standby.bodyContains must be a string of 1 to 65536 bytes, got ""'],
    ['an interval below 10 ms', { intervalMs: 5 }, 'intervalMs must be a whole number from 10 to 60000, got 5'],
    ['a fractional interval', { intervalMs: 40.5 }, 'intervalMs must be a whole number from 10 to 60000, got 40.5'],
    ['a request timeout as long as the interval', { intervalMs: 40, requestTimeoutMs: 40 }, 'requestTimeoutMs must be a whole number from 5 to intervalMs - 1 (39) so requests never overlap, got 40'],
    ['a wait beyond a Lambda\'s 15 minutes', { maxWaitMs: 900_001 }, 'maxWaitMs must be a whole number from 1 to 900000'],
    ['an empty status list', { expectStatus: [] }, 'expectStatus must be a non-empty list of HTTP statuses (100 to 599), got []'],
    ['a status that is not one', { expectStatus: [200, 700] }, 'expectStatus must be a non-empty list of HTTP statuses (100 to 599), got [200,700]'],
    ['publish without a path', { publish: { namespace: 'N', drill: 'd' } }, 'publish.path must be 1 to 255 characters'],
    ['publish to an AWS namespace', { publish: { namespace: 'AWS/Route53', drill: 'd', path: 'p' } }, 'publish.namespace "AWS/Route53" must be printable ASCII, not starting with ":" or "AWS/"'],
    ['publish to a namespace starting with a colon', { publish: { namespace: ':Drills', drill: 'd', path: 'p' } }, 'publish.namespace ":Drills" must be printable ASCII'],
    ['an unknown stop mode', { until: 'healthy' }, 'until must be "standby" or "recovered", got "healthy"'],
    ['no standby marker in standby mode', { standby: undefined }, 'standby is required unless until is "recovered": name a header'],
    ['a malformed standby marker in recovered mode', { until: 'recovered', standby: { bodyContains: '' } }, 'standby.bodyContains must be a string of 1 to 65536 bytes'],
    ['stableSamples in standby mode', { stableSamples: 3 }, 'stableSamples applies only with until "recovered" (the standby\'s first answer ends the sampling), got 3'],
    ['no stable samples', { until: 'recovered', stableSamples: 0 }, 'stableSamples must be a whole number from 1 to 60, got 0'],
    ['more than 60 stable samples', { until: 'recovered', stableSamples: 61 }, 'stableSamples must be a whole number from 1 to 60, got 61'],
    ['fractional stable samples', { until: 'recovered', stableSamples: 2.5 }, 'stableSamples must be a whole number from 1 to 60, got 2.5'],
    ['stable samples as a string', { until: 'recovered', stableSamples: '5' }, 'stableSamples must be a whole number from 1 to 60, got "5"'],
    ['a wait too short for the stable run', { until: 'recovered', intervalMs: 1000, maxWaitMs: 4999 },
      'maxWaitMs 4999 cannot hold a failure and 5 served requests 1000 ms apart: make it at least stableSamples x intervalMs (5000), plus the expected RTO'],
    ['publish to a namespace with a control character', { publish: { namespace: 'Dr\tills', drill: 'd', path: 'p' } }, 'must be printable ASCII'],
  ])('fails on %s', async (_name, change, message) => {
    const bad = { ...good, ...change } as MeasureEvent;
    await expect(measure(bad, { cloudwatch: new CloudWatchClient({}) })).rejects.toMatchObject({ name: 'DrillClientEventInvalid', message: expect.stringContaining(message) });
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('fails naming every problem at once', async () => {
    await expect(measure({ ...good, url: 'x', intervalMs: 1, maxWaitMs: 0 })).rejects.toThrow(
      /^measure: url "x" is not a URL; intervalMs must be .*, got 1; .*maxWaitMs must be .*, got 0$/);
  });

  test('fails on an event that is not an object', async () => {
    await expect(handler(null as unknown as MeasureEvent, { getRemainingTimeInMillis: () => 60_000 }))
      .rejects.toMatchObject({ name: 'DrillClientEventInvalid', message: 'measure: the event must be an object, got null' });
  });

  test('fails on publish without a CloudWatch client', async () => {
    await expect(measure({ ...good, publish: { namespace: 'N', drill: 'd', path: 'p' } }))
      .rejects.toMatchObject({ name: 'DrillClientEventInvalid', message: 'measure: publish needs a CloudWatch client' });
  });
});

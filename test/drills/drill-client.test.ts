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
 * the standby. Returns `t0` (the injection) and the true times, on the test's own clock.
 */
async function switchingServer(delayMs: number, gapMs: number, failure: Failure) {
  const received: number[] = [];
  let t0 = 0;
  const port = await httpServer((req, res) => {
    const now = Date.now();
    received.push(now);
    if (now < t0 + delayMs) {
      serve(res, PRIMARY);
    } else if (now < t0 + delayMs + gapMs) {
      switch (failure) {
        case 'status': res.writeHead(503).end('unavailable'); break;
        case 'reset': req.socket.destroy(); break;
        case 'hang': break; // never answers; closeAll() destroys the socket
      }
    } else {
      serve(res, STANDBY);
    }
  });
  t0 = Date.now();
  return { url: `http://127.0.0.1:${port}/health`, t0, failsAt: t0 + delayMs, switchAt: t0 + delayMs + gapMs, received };
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

describe('stopping in time', () => {
  test('a server that never switches: sampling stops at maxWaitMs and says it did not see the switch', async () => {
    // GIVEN
    const server = await switchingServer(10_000, 0, 'status');

    // WHEN
    const result = await measure(event(server.url, server.t0, { intervalMs: 50, maxWaitMs: 300 }));

    // THEN
    expect(result).toMatchObject({ switched: false, stoppedBy: 'maxWait', published: false, counts: { standby: 0, failed: 0 } });
    expect(result.measuredRtoSeconds).toBeUndefined();
    expect(result.standbyAt).toBeUndefined();
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

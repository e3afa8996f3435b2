import * as dns from 'dns';
import { closeAll, dnsServer, httpServer, tcpServer } from './servers';
import { HttpTarget } from '../../src/health/probe-check';
import { ProbeEvent, PUBLISH_BUDGET_MS } from '../../src/health/probe-contract';
import { Datum, MAX_DATA_PER_CALL, MetricSink, PUBLISH_ATTEMPTS, roundData, runInvocation } from '../../src/health/probe-run';

afterAll(closeAll);

function target(id: string, url: string, timeoutMs = 500): HttpTarget {
  return { kind: 'http', id, url, timeoutMs, expectedStatus: [[200, 299]], searchBytes: 5120, followRedirects: 0, validateCertificate: true };
}

class FakeSink implements MetricSink {
  public readonly calls: Array<{ namespace: string; data: Datum[] }> = [];
  constructor(private failures = 0) {}
  public async put(namespace: string, data: Datum[], _timeoutMs: number): Promise<void> {
    this.calls.push({ namespace, data });
    if (this.failures > 0) {
      this.failures--;
      throw new Error('Rate exceeded');
    }
  }
}

describe('runInvocation', () => {
  test('samples evenly over the period and publishes once per round', async () => {
    // GIVEN
    const up = await httpServer((_, res) => res.end('ok'));
    const down = await httpServer((_, res) => { res.statusCode = 500; res.end(); });
    const event: ProbeEvent = {
      probe: 'p',
      namespace: 'Test',
      samples: 3,
      periodMs: 600,
      targets: [target('up', `http://127.0.0.1:${up}/`), target('down', `http://127.0.0.1:${down}/`)],
    };
    const sink = new FakeSink();

    // WHEN
    const report = await runInvocation(event, sink, Date.now() + 10_000);

    // THEN
    expect(report.rounds).toHaveLength(3);
    expect(report.skipped).toEqual(0);
    expect(sink.calls).toHaveLength(3);
    const starts = report.rounds.map((r) => r.startedAt);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(195);
    expect(starts[2] - starts[0]).toBeGreaterThanOrEqual(395);
    for (const call of sink.calls) {
      expect(call.namespace).toEqual('Test');
      const failures = call.data.filter((d) => d.MetricName === 'Failure').map((d) => [d.Dimensions[1].Value, d.Value]);
      expect(failures).toEqual([['up', 0], ['down', 1]]);
      expect(call.data.find((d) => d.MetricName === 'FailedTargets')).toMatchObject({ Value: 1, Dimensions: [{ Name: 'Probe', Value: 'p' }] });
    }
  });

  test('the data of a round: Failure and Latency per target, FailedTargets per probe', () => {
    const event: ProbeEvent = { probe: 'p', namespace: 'N', samples: 1, periodMs: 60_000, targets: [] };
    const data = roundData(event, 1_700_000_000_000, [
      { id: 'a', healthy: true, reason: 'ok', latencyMs: 12, detail: '' },
      { id: 'b', healthy: false, reason: 'timeout', latencyMs: 900, detail: '' },
    ]);
    const at = new Date(1_700_000_000_000);
    expect(data).toEqual([
      { MetricName: 'Failure', Dimensions: [{ Name: 'Probe', Value: 'p' }, { Name: 'Target', Value: 'a' }], Timestamp: at, Value: 0, Unit: 'Count' },
      { MetricName: 'Latency', Dimensions: [{ Name: 'Probe', Value: 'p' }, { Name: 'Target', Value: 'a' }], Timestamp: at, Value: 12, Unit: 'Milliseconds' },
      { MetricName: 'Failure', Dimensions: [{ Name: 'Probe', Value: 'p' }, { Name: 'Target', Value: 'b' }], Timestamp: at, Value: 1, Unit: 'Count' },
      { MetricName: 'Latency', Dimensions: [{ Name: 'Probe', Value: 'p' }, { Name: 'Target', Value: 'b' }], Timestamp: at, Value: 900, Unit: 'Milliseconds' },
      { MetricName: 'FailedTargets', Dimensions: [{ Name: 'Probe', Value: 'p' }], Timestamp: at, Value: 1, Unit: 'Count' },
    ]);
  });

  test(`more than ${MAX_DATA_PER_CALL} data are split into calls of at most ${MAX_DATA_PER_CALL}`, async () => {
    const port = await httpServer((_, res) => res.end('ok'));
    const targets = Array.from({ length: 600 }, (_, i) => target(`t${i}`, `http://127.0.0.1:${port}/`, 2000));
    const sink = new FakeSink();
    await runInvocation({ probe: 'p', namespace: 'N', samples: 1, periodMs: 60_000, targets }, sink, Date.now() + 20_000);
    expect(sink.calls.map((c) => c.data.length)).toEqual([1000, 201]);
  });

  test('four targets whose resolver never answers change neither a healthy target nor the publication', async () => {
    // GIVEN the process's resolver: a real DNS server on 127.0.0.1 that answers up.test and drops every query for hang*.test
    const port = await httpServer((_, res) => res.end('ok'));
    const saved = dns.getServers();
    dns.setServers([await dnsServer({ 'up.test': '127.0.0.1' }, { drop: /^hang/ })]);
    const hanging = [1, 2, 3, 4].map((i) => target(`hang${i}`, `http://hang${i}.test:${port}/`, 1000));
    // The publication resolves its endpoint on libuv's thread pool, as the AWS SDK does.
    const published: Array<{ data: Datum[]; lookupMs: number }> = [];
    const sink: MetricSink = {
      put: async (_namespace, data) => {
        const started = Date.now();
        await dns.promises.lookup('localhost');
        published.push({ data, lookupMs: Date.now() - started });
      },
    };

    try {
      // WHEN the four and a healthy target are probed in the same round
      const report = await runInvocation({ probe: 'p', namespace: 'N', samples: 1, periodMs: 60_000, targets: [...hanging, target('up', `http://up.test:${port}/`, 1000)] },
        sink, Date.now() + 10_000);

      // THEN each hanging target times out within its own timeout, the healthy one is healthy, and the round is published at once
      expect(report.rounds[0].results.map((r) => [r.id, r.reason])).toEqual([['hang1', 'timeout'], ['hang2', 'timeout'], ['hang3', 'timeout'], ['hang4', 'timeout'], ['up', 'ok']]);
      report.rounds[0].results.forEach((r) => expect(r.latencyMs).toBeLessThan(1500));
      expect(published).toHaveLength(1);
      expect(published[0].data.find((d) => d.MetricName === 'FailedTargets')?.Value).toEqual(4);
      expect(published[0].lookupMs).toBeLessThan(500);
    } finally {
      dns.setServers(saved);
    }
  });

  test('a failed publication is retried', async () => {
    const port = await httpServer((_, res) => res.end('ok'));
    const sink = new FakeSink(PUBLISH_ATTEMPTS - 1);
    const report = await runInvocation({ probe: 'p', namespace: 'N', samples: 1, periodMs: 60_000, targets: [target('a', `http://127.0.0.1:${port}/`)] },
      sink, Date.now() + 10_000);
    expect(sink.calls).toHaveLength(PUBLISH_ATTEMPTS);
    expect(report.rounds[0].publishError).toBeUndefined();
  });

  test('a publication that keeps failing is reported after the other rounds publish', async () => {
    const port = await httpServer((_, res) => res.end('ok'));
    const sink = new FakeSink(PUBLISH_ATTEMPTS);
    await expect(runInvocation({ probe: 'p', namespace: 'N', samples: 2, periodMs: 200, targets: [target('a', `http://127.0.0.1:${port}/`)] },
      sink, Date.now() + 10_000)).rejects.toThrow(/1 of 2 round\(s\) could not publish metrics after 3 attempts: Rate exceeded/);
    expect(sink.calls).toHaveLength(PUBLISH_ATTEMPTS + 1);
  });

  test('nothing outlives the deadline: a round that cannot finish in time is skipped', async () => {
    // GIVEN a target that never answers; rounds at 0, 2 and 4 s; room for the first round only
    const port = await tcpServer(() => undefined);
    const targets = [target('silent', `http://127.0.0.1:${port}/`, 1000)];
    const deadline = Date.now() + 1000 + PUBLISH_BUDGET_MS + 500;

    // WHEN
    const report = await runInvocation({ probe: 'p', namespace: 'N', samples: 3, periodMs: 6000, targets }, new FakeSink(), deadline);

    // THEN
    expect(Date.now()).toBeLessThanOrEqual(deadline);
    expect(report.rounds).toHaveLength(1);
    expect(report.skipped).toEqual(2);
    expect(report.rounds[0].results[0]).toMatchObject({ healthy: false, reason: 'timeout' });
  });

  test('a round never waits past the deadline even when no round fits', async () => {
    const targets = [target('a', 'http://127.0.0.1:9/', 60_000)];
    const deadline = Date.now() + 2000;
    const report = await runInvocation({ probe: 'p', namespace: 'N', samples: 3, periodMs: 60_000, targets }, new FakeSink(), deadline);
    expect(report).toEqual({ rounds: [], skipped: 3 });
    expect(Date.now()).toBeLessThan(deadline);
  });
});

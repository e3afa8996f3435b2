import { BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { closeAll, httpServer } from './servers';
import { HttpTarget } from '../../src/health/probe-check';
import { ProbeEvent } from '../../src/health/probe-contract';
import { DynamoLatchStore } from '../../src/health/probe-latch-store';
import { Clock, LatchRecord, LatchStore, MetricSink, runInvocation } from '../../src/health/probe-run';

afterAll(closeAll);

/** The store's semantics in memory. */
class MemoryLatches implements LatchStore {
  public readonly latches = new Map<string, string>();
  public readonly first = new Map<string, number>();
  public readonly counters = new Map<string, number>();
  public broken = false;
  public failWrites = 0;

  public async read(probe: string, ids: string[], periods: number[]): Promise<Map<string, LatchRecord>> {
    if (this.broken) {
      throw new Error('ProvisionedThroughputExceededException');
    }
    return new Map(ids.map((id) => {
      const failures: Record<number, number> = {};
      periods.filter((p) => this.counters.has(`${probe}#${id}#${p}`)).forEach((p) => { failures[p] = this.counters.get(`${probe}#${id}#${p}`)!; });
      return [id, { latch: this.latches.get(`${probe}#${id}`), firstSampled: this.first.get(`${probe}#${id}`), failures }];
    }));
  }
  public async start(probe: string, id: string, at: number): Promise<void> {
    if (!this.first.has(`${probe}#${id}`)) this.first.set(`${probe}#${id}`, at);
  }
  public async record(probe: string, id: string, period: number, failed: boolean): Promise<number> {
    const key = `${probe}#${id}#${period}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + (failed ? 1 : 0));
    return this.counters.get(key)!;
  }
  public async latch(probe: string, id: string, reason: string): Promise<void> {
    if (this.failWrites > 0) {
      this.failWrites--;
      throw new Error('InternalServerError');
    }
    if (!this.latches.has(`${probe}#${id}`)) this.latches.set(`${probe}#${id}`, reason);
  }
}

/** Virtual time for timestamps and waits; the probes themselves run for real. */
class FakeClock implements Clock {
  constructor(public time: number) {}
  public now(): number { return this.time; }
  public async sleep(ms: number): Promise<void> { this.time += ms; }
}

const MINUTE = 60_000;
const T0 = 28_000_000 * MINUTE; // an epoch-minute boundary

const sink: MetricSink = { put: async () => undefined };
const failingSink: MetricSink = { put: async () => { throw new Error('Throttling'); } };

function target(port: number): HttpTarget {
  return { kind: 'http', id: 'api', url: `http://127.0.0.1:${port}/`, timeoutMs: 1000, expectedStatus: [[200, 299]], searchBytes: 5120, followRedirects: 0, validateCertificate: true };
}

function event(port: number, latched = ['api']): ProbeEvent {
  return { probe: 'p', namespace: 'N', samples: 3, periodMs: MINUTE, targets: [target(port)], failuresToAlarm: 2, latched };
}

/** A server answering with the given statuses in turn, then 200. */
async function server(statuses: number[]): Promise<number> {
  return httpServer((_, res) => { res.statusCode = statuses.shift() ?? 200; res.end(); });
}

async function invoke(port: number, store: LatchStore, at: number, options: { latched?: string[]; metrics?: MetricSink } = {}) {
  const clock = new FakeClock(at);
  return runInvocation(event(port, options.latched), options.metrics ?? sink, at + 90_000, clock, store);
}

const reasons = (report: { rounds: Array<{ results: Array<{ reason: string }> }> }) => report.rounds.map((r) => r.results[0].reason);

describe('the latch follows the alarm', () => {
  test('a minute that reaches failuresToAlarm latches, and the recovered target stays failing', async () => {
    const store = new MemoryLatches();
    const report = await invoke(await server([503, 503]), store, T0);
    expect(reasons(report)).toEqual(['status', 'status', 'latched']);
    expect(store.latches.get('p#api')).toMatch(/^2 failed sample\(s\) in the minute from /);
    expect(reasons(await invoke(await server([]), store, T0 + MINUTE))).toEqual(['latched', 'latched', 'latched']);
  });

  test('failures split over two minutes do not latch, as they do not alarm; a second failure in a minute does', async () => {
    const store = new MemoryLatches();
    // rounds at :30 (M), :50 (M), :10 (M+1): one failure in each minute
    await invoke(await server([503, 200, 503]), store, T0 + 30_000);
    expect(store.latches.size).toEqual(0);
    // rounds at :30 of M+1: the second failure of M+1
    const report = await invoke(await server([503]), store, T0 + MINUTE + 30_000);
    expect(store.latches.get('p#api')).toMatch(/^2 failed sample\(s\)/);
    expect(reasons(report)).toEqual(['status', 'latched', 'latched']);
  });

  test("a minute without samples latches, like the alarm's missing data", async () => {
    const store = new MemoryLatches();
    const port = await server([]);
    await invoke(port, store, T0);
    // the probe does not run in minute T0 + 1
    const report = await invoke(port, store, T0 + 2 * MINUTE);
    expect(store.latches.get('p#api')).toMatch(/^no samples in the minute from .* \(the probe did not run\)/);
    expect(reasons(report)).toEqual(['latched', 'latched', 'latched']);
  });

  test('turning the latch on later does not latch a healthy target', async () => {
    const store = new MemoryLatches();
    const port = await server([]);
    await invoke(port, store, T0, { latched: [] });
    const report = await invoke(port, store, T0 + 10 * MINUTE);
    expect(reasons(report)).toEqual(['ok', 'ok', 'ok']);
    expect(store.first.get('p#api')).toEqual(T0 + 10 * MINUTE);
  });

  test('a reset (the latch deleted) lets the target be healthy again', async () => {
    const store = new MemoryLatches();
    const port = await server([]);
    await invoke(port, store, T0);
    store.latches.set('p#api', 'earlier outage');
    expect(reasons(await invoke(port, store, T0 + MINUTE))).toEqual(['latched', 'latched', 'latched']);
    store.latches.delete('p#api');
    expect(reasons(await invoke(port, store, T0 + 2 * MINUTE))).toEqual(['ok', 'ok', 'ok']);
  });

  test('unreadable latch state keeps latchable targets failing', async () => {
    const store = new MemoryLatches();
    store.broken = true;
    const report = await invoke(await server([]), store, T0);
    expect(report.rounds[0].results[0]).toMatchObject({ healthy: false, reason: 'latched', detail: expect.stringMatching(/latch state unreadable \(ProvisionedThroughputExceededException\)/) });
  });

  test('a latch that could not be written is set by the next invocation from the stored counts', async () => {
    const store = new MemoryLatches();
    store.failWrites = 1;
    const first = await invoke(await server([503, 503]), store, T0);
    expect(reasons(first)).toEqual(['status', 'status', 'latched']);
    expect(store.latches.size).toEqual(0);
    await invoke(await server([]), store, T0 + MINUTE);
    expect(store.latches.get('p#api')).toMatch(/^2 failed sample\(s\)/);
  });

  test('samples that could not be published count as missing: the next invocation latches', async () => {
    const store = new MemoryLatches();
    const port = await server([]);
    await invoke(port, store, T0 - MINUTE);
    await expect(invoke(port, store, T0, { metrics: failingSink })).rejects.toThrow(/could not publish/);
    await invoke(port, store, T0 + MINUTE);
    expect(store.latches.get('p#api')).toMatch(/^no samples in the minute/);
  });

  test('targets without a latch never touch the store', async () => {
    const store = new MemoryLatches();
    await invoke(await server([503, 503, 503]), store, T0, { latched: [] });
    expect([store.latches.size, store.first.size, store.counters.size]).toEqual([0, 0, 0]);
  });
});

describe('DynamoLatchStore', () => {
  const ddb = mockClient(DynamoDBClient);
  const store = new DynamoLatchStore(new DynamoDBClient({}), 'latches');
  beforeEach(() => ddb.reset());

  test('reads latch, first sample and period counters consistently, asking again for unprocessed keys', async () => {
    ddb.on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { latches: [{ pk: { S: 'p#a' }, reason: { S: 'why' } }, { pk: { S: 'p#a#first' }, at: { N: '5' } }] },
        UnprocessedKeys: { latches: { Keys: [{ pk: { S: 'p#a#100' } }] } },
      })
      .resolvesOnce({ Responses: { latches: [{ pk: { S: 'p#a#100' }, samples: { N: '3' }, failures: { N: '2' } }] } });
    const state = await store.read('p', ['a', 'b'], [100, 101]);
    expect(state.get('a')).toEqual({ latch: 'why', firstSampled: 5, failures: { 100: 2 } });
    expect(state.get('b')).toEqual({ latch: undefined, firstSampled: undefined, failures: {} });
    expect(ddb).toHaveReceivedNthCommandWith(1, BatchGetItemCommand, {
      RequestItems: {
        latches: {
          Keys: ['p#a', 'p#a#first', 'p#a#100', 'p#a#101', 'p#b', 'p#b#first', 'p#b#100', 'p#b#101'].map((pk) => ({ pk: { S: pk } })),
          ConsistentRead: true,
        },
      },
    });
  });

  test('counts a sample in its period, expiring a day later', async () => {
    ddb.on(UpdateItemCommand).resolves({ Attributes: { failures: { N: '2' }, samples: { N: '3' } } });
    expect(await store.record('p', 'a', 100, true)).toEqual(2);
    expect(ddb).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pk: { S: 'p#a#100' } },
      UpdateExpression: 'ADD samples :one, failures :failed SET expiresAt = :expires',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':failed': { N: '1' }, ':expires': { N: String(100 * 60 + 86_400) } },
    });
  });

  test('sets a latch only where none is, keeping the first reason', async () => {
    ddb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await expect(store.latch('p', 'a', 'why', 1000)).resolves.toBeUndefined();
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'latches',
      Item: { pk: { S: 'p#a' }, reason: { S: 'why' }, latchedAt: { N: '1000' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  test('any other error is raised', async () => {
    ddb.on(PutItemCommand).rejects(new Error('AccessDeniedException'));
    await expect(store.start('p', 'a', 1000)).rejects.toThrow(/AccessDeniedException/);
  });
});


import { BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { closeAll, httpServer } from './servers';
import { HttpTarget } from '../../src/health/probe-check';
import { Datum, HEARTBEAT_GAP_MS, LatchStore, MetricSink, ProbeEvent, runInvocation } from '../../src/health/probe-run';
import { DynamoLatchStore } from '../../src/health/probe.lambda';

afterAll(closeAll);

class MemoryLatches implements LatchStore {
  public readonly latches = new Map<string, string>();
  public lastBeat?: number;
  public broken = false;
  public async latched(probe: string, ids: string[]): Promise<Set<string>> {
    if (this.broken) {
      throw new Error('ProvisionedThroughputExceededException');
    }
    return new Set(ids.filter((id) => this.latches.has(`${probe}#${id}`)));
  }
  public async latch(probe: string, id: string, reason: string): Promise<void> {
    if (!this.latches.has(`${probe}#${id}`)) {
      this.latches.set(`${probe}#${id}`, reason);
    }
  }
  public async heartbeat(_: string, at: number): Promise<number | undefined> {
    const previous = this.lastBeat;
    this.lastBeat = at;
    return previous;
  }
}

const sink: MetricSink & { data: Datum[][] } = { data: [], put: async (_, d) => { sink.data.push(d); } };

function target(port: number): HttpTarget {
  return { kind: 'http', id: 'api', url: `http://127.0.0.1:${port}/`, timeoutMs: 500, expectedStatus: [[200, 299]], searchBytes: 5120, followRedirects: 0, validateCertificate: true };
}

function event(port: number, latched = ['api']): ProbeEvent {
  return { probe: 'p', namespace: 'N', samples: 3, periodMs: 300, targets: [target(port)], failuresToAlarm: 2, latched };
}

describe('the latch', () => {
  test('trips after failuresToAlarm failed samples and keeps a recovered target failing', async () => {
    // GIVEN a target that fails twice, then recovers
    let calls = 0;
    const port = await httpServer((_, res) => { res.statusCode = ++calls <= 2 ? 503 : 200; res.end(); });
    const latches = new MemoryLatches();

    // WHEN
    const first = await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches);
    const second = await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches);

    // THEN
    expect(first.rounds.map((r) => r.results[0].reason)).toEqual(['status', 'status', 'latched']);
    expect(latches.latches.get('p#api')).toEqual('2 failed sample(s) in one minute');
    expect(second.rounds.map((r) => [r.results[0].healthy, r.results[0].reason])).toEqual([[false, 'latched'], [false, 'latched'], [false, 'latched']]);
  });

  test('after a reset (the item deleted) the target is healthy again', async () => {
    const port = await httpServer((_, res) => res.end());
    const latches = new MemoryLatches();
    latches.latches.set('p#api', 'earlier outage');
    expect((await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches)).rounds[0].results[0].reason).toEqual('latched');
    latches.latches.delete('p#api');
    expect((await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches)).rounds[0].results[0]).toMatchObject({ healthy: true, reason: 'ok' });
  });

  test('one failed sample does not trip it', async () => {
    let calls = 0;
    const port = await httpServer((_, res) => { res.statusCode = ++calls === 1 ? 503 : 200; res.end(); });
    const latches = new MemoryLatches();
    await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches);
    expect(latches.latches.size).toEqual(0);
  });

  test('targets without a latch are never latched', async () => {
    const port = await httpServer((_, res) => { res.statusCode = 503; res.end(); });
    const latches = new MemoryLatches();
    await runInvocation(event(port, []), sink, Date.now() + 10_000, undefined, latches);
    expect(latches.latches.size).toEqual(0);
  });

  test('unreadable latch state keeps latchable targets failing', async () => {
    const port = await httpServer((_, res) => res.end());
    const latches = new MemoryLatches();
    latches.broken = true;
    const report = await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches);
    expect(report.rounds[0].results[0]).toMatchObject({ healthy: false, reason: 'latched', detail: expect.stringMatching(/latch state unreadable \(ProvisionedThroughputExceededException\)/) });
  });

  test('a gap in the heartbeat (the probe was down) trips every latch', async () => {
    const port = await httpServer((_, res) => res.end());
    const latches = new MemoryLatches();
    latches.lastBeat = Date.now() - HEARTBEAT_GAP_MS - 1000;
    const report = await runInvocation(event(port), sink, Date.now() + 10_000, undefined, latches);
    expect(latches.latches.get('p#api')).toMatch(/the probe did not run for 15\d s/);
    expect(report.rounds[0].results[0].reason).toEqual('latched');
  });
});

describe('DynamoLatchStore', () => {
  const ddb = mockClient(DynamoDBClient);
  const store = new DynamoLatchStore(new DynamoDBClient({}), 'latches');
  beforeEach(() => ddb.reset());

  test('reads latches consistently, asking again for unprocessed keys', async () => {
    ddb.on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { latches: [{ pk: { S: 'p#a' } }] }, UnprocessedKeys: { latches: { Keys: [{ pk: { S: 'p#b' } }] } } })
      .resolvesOnce({ Responses: { latches: [{ pk: { S: 'p#b' } }] } });
    expect(await store.latched('p', ['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
    expect(ddb).toHaveReceivedNthCommandWith(1, BatchGetItemCommand, {
      RequestItems: { latches: { Keys: [{ pk: { S: 'p#a' } }, { pk: { S: 'p#b' } }, { pk: { S: 'p#c' } }], ConsistentRead: true } },
    });
    expect(ddb).toHaveReceivedNthCommandWith(2, BatchGetItemCommand, { RequestItems: { latches: { Keys: [{ pk: { S: 'p#b' } }], ConsistentRead: true } } });
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
    await expect(store.latch('p', 'a', 'why', 1000)).rejects.toThrow(/AccessDeniedException/);
  });

  test('the heartbeat returns the previous invocation time', async () => {
    ddb.on(UpdateItemCommand).resolvesOnce({}).resolvesOnce({ Attributes: { at: { N: '1000' } } });
    expect(await store.heartbeat('p', 1000)).toBeUndefined();
    expect(await store.heartbeat('p', 61000)).toEqual(1000);
    expect(ddb).toHaveReceivedCommandWith(UpdateItemCommand, { Key: { pk: { S: 'p#heartbeat' } }, ReturnValues: 'UPDATED_OLD' });
  });
});

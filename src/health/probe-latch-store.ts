import {
  AttributeValue, BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { LATCH_EXPIRY_ATTRIBUTE, LATCH_PARTITION_KEY, latchKey } from './probe-contract';
import { LatchRecord, LatchStore } from './probe-run';

/** BatchGetItem reads at most 100 keys per call. */
const BATCH = 100;
/** Period counters expire a day after they are written (the table's TTL attribute). */
const COUNTER_TTL_S = 86_400;

/**
 * The latch state in a DynamoDB table of the probe's region: data-plane calls only, so setting
 * and resetting a latch never depends on a control plane. Items per target: the latch
 * (`<probe>#<target>`), when it was first sampled (`...#first`), and a counter of samples and
 * failures per CloudWatch period (`...#<epoch minute>`, expiring after a day).
 */
export class DynamoLatchStore implements LatchStore {
  constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

  public async read(probe: string, ids: string[], periods: number[]): Promise<Map<string, LatchRecord>> {
    const keys = ids.flatMap((id) => [latchKey(probe, id), `${latchKey(probe, id)}#first`, ...periods.map((p) => `${latchKey(probe, id)}#${p}`)]);
    const items = new Map<string, Record<string, AttributeValue>>();
    for (let i = 0; i < keys.length; i += BATCH) {
      let batch = keys.slice(i, i + BATCH).map((pk) => ({ [LATCH_PARTITION_KEY]: { S: pk } }));
      // Unprocessed keys come back under throttling; ask again until none is left.
      while (batch.length > 0) {
        const out = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: batch, ConsistentRead: true } } }));
        for (const item of out.Responses?.[this.table] ?? []) {
          items.set(item[LATCH_PARTITION_KEY].S!, item);
        }
        batch = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as typeof batch;
      }
    }
    return new Map(ids.map((id) => {
      const key = latchKey(probe, id);
      const failures: Record<number, number> = {};
      for (const p of periods) {
        const counter = items.get(`${key}#${p}`);
        if (counter) {
          failures[p] = Number(counter.failures?.N ?? '0');
        }
      }
      const first = items.get(`${key}#first`)?.at?.N;
      return [id, { latch: items.get(key)?.reason?.S, firstSampled: first === undefined ? undefined : Number(first), failures }];
    }));
  }

  public async start(probe: string, id: string, at: number): Promise<void> {
    await this.putIfAbsent({ [LATCH_PARTITION_KEY]: { S: `${latchKey(probe, id)}#first` }, at: { N: String(at) } });
  }

  public async record(probe: string, id: string, period: number, failed: boolean): Promise<number> {
    const out = await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { [LATCH_PARTITION_KEY]: { S: `${latchKey(probe, id)}#${period}` } },
      UpdateExpression: `ADD samples :one, failures :failed SET ${LATCH_EXPIRY_ATTRIBUTE} = :expires`,
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':failed': { N: failed ? '1' : '0' },
        ':expires': { N: String(period * 60 + COUNTER_TTL_S) },
      },
      ReturnValues: 'UPDATED_NEW',
    }));
    return Number(out.Attributes?.failures?.N ?? '0');
  }

  public async latch(probe: string, id: string, reason: string, at: number): Promise<void> {
    await this.putIfAbsent({ [LATCH_PARTITION_KEY]: { S: latchKey(probe, id) }, reason: { S: reason }, latchedAt: { N: String(at) } });
  }

  private async putIfAbsent(item: Record<string, AttributeValue>): Promise<void> {
    try {
      await this.client.send(new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: `attribute_not_exists(${LATCH_PARTITION_KEY})` }));
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) {
        throw e;
      }
    }
  }
}

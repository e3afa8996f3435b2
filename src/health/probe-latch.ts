/**
 * The probe's latch state in a DynamoDB table of the probe's region: data-plane calls only, so
 * setting and resetting a latch never depends on a control plane. Items:
 * `<probe>#<target>` (a latch, with its reason and time) and `<probe>#heartbeat`.
 */
import { BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LatchStore } from './probe-run';

/** BatchGetItem reads at most 100 keys per call. */
const BATCH = 100;

export class DynamoLatchStore implements LatchStore {
  constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

  public async latched(probe: string, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += BATCH) {
      let keys = ids.slice(i, i + BATCH).map((id) => ({ pk: { S: latchKey(probe, id) } }));
      // Unprocessed keys come back under throttling; ask again until none is left.
      while (keys.length > 0) {
        const out = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of out.Responses?.[this.table] ?? []) {
          found.add(item.pk.S!.slice(probe.length + 1));
        }
        keys = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as typeof keys;
      }
    }
    return found;
  }

  public async latch(probe: string, id: string, reason: string, at: number): Promise<void> {
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.table,
        Item: { pk: { S: latchKey(probe, id) }, reason: { S: reason }, latchedAt: { N: String(at) } },
        ConditionExpression: 'attribute_not_exists(pk)',
      }));
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) {
        throw e;
      }
    }
  }

  public async heartbeat(probe: string, at: number): Promise<number | undefined> {
    const out = await this.client.send(new UpdateItemCommand({
      TableName: this.table,
      Key: { pk: { S: `${probe}#heartbeat` } },
      UpdateExpression: 'SET #at = :at',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':at': { N: String(at) } },
      ReturnValues: 'UPDATED_OLD',
    }));
    const previous = out.Attributes?.at?.N;
    return previous === undefined ? undefined : Number(previous);
  }
}

/** The key of a target's latch: what the reset command deletes. */
export function latchKey(probe: string, id: string): string {
  return `${probe}#${id}`;
}

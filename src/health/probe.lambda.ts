import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { InvocationReport, LatchStore, latchKey, MetricSink, ProbeEvent, runInvocation } from './probe-run';

/** BatchGetItem reads at most 100 keys per call. */
const BATCH = 100;

/**
 * The latch state in a DynamoDB table of the probe's region: data-plane calls only, so setting
 * and resetting a latch never depends on a control plane. Items: `<probe>#<target>` (a latch,
 * with its reason and time) and `<probe>#heartbeat`.
 */
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


// Every call is bounded; CloudWatch gets one attempt per call, probe-run retries within the deadline.
const bounded = { connectionTimeout: 1000, requestTimeout: 1500 };
const cloudwatch = new CloudWatchClient({ maxAttempts: 1, requestHandler: bounded });
const latches = process.env.LATCH_TABLE
  ? new DynamoLatchStore(new DynamoDBClient({ maxAttempts: 2, requestHandler: bounded }), process.env.LATCH_TABLE)
  : undefined;

/** Kept between the invocation's deadline and the Lambda timeout. */
const SAFETY_MS = 2000;

const sink: MetricSink = {
  put: async (namespace, data, timeoutMs) => {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }), { abortSignal: AbortSignal.timeout(timeoutMs) });
  },
};

/** Scheduled every minute with the probe's targets in the event. */
export async function handler(event: ProbeEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<InvocationReport> {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS;
  const report = await runInvocation(event, sink, deadline, undefined, latches);
  const unhealthy = report.rounds.flatMap((r) => r.results.filter((x) => !x.healthy).map((x) => `${x.id}: ${x.reason} (${x.detail})`));
  console.log(JSON.stringify({ probe: event.probe, rounds: report.rounds.length, skipped: report.skipped, unhealthy }));
  return report;
}

import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { DynamoLatchStore } from './probe-latch';
import { InvocationReport, MetricSink, ProbeEvent, runInvocation } from './probe-run';

// One attempt per call: probe-run retries within the invocation's deadline itself.
const cloudwatch = new CloudWatchClient({ maxAttempts: 1 });
const latches = process.env.LATCH_TABLE ? new DynamoLatchStore(new DynamoDBClient({}), process.env.LATCH_TABLE) : undefined;

/** Kept between the invocation's deadline and the Lambda timeout. */
const SAFETY_MS = 2000;

const sink: MetricSink = {
  put: async (namespace, data) => {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
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

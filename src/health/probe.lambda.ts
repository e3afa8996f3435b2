import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { LATCH_TABLE_ENV, ProbeEvent } from './probe-contract';
import type { FlagReader } from './probe-flag';
import { InvocationReport, LatchStore, MetricSink, runInvocation } from './probe-run';

// Every call is bounded; CloudWatch gets one attempt per call, probe-run retries within the deadline.
const bounded = { connectionTimeout: 1000, requestTimeout: 1500 };
const cloudwatch = new CloudWatchClient({ maxAttempts: 1, requestHandler: bounded });
const latchTable = process.env[LATCH_TABLE_ENV];
const latches = latchTable ? openLatchStore(latchTable) : undefined;

/**
 * The DynamoDB client is loaded only when a target has a latch (the construct sets the latch
 * table's name then): a probe without latches does not pay for loading it at every cold start.
 */
function openLatchStore(table: string): LatchStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a conditional load: an import would load it at every cold start
  const { DynamoDBClient } = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the store imports the DynamoDB client: same reason
  const { DynamoLatchStore } = require('./probe-latch-store') as typeof import('./probe-latch-store');
  return new DynamoLatchStore(new DynamoDBClient({ maxAttempts: 2, requestHandler: bounded }), table);
}

let flagReader: FlagReader | undefined;

/**
 * Made at the first invocation that reads the active region (a DataPlaneSwitch); it reads this
 * region's copy. A static import, unlike the DynamoDB client's require: esbuild then keeps only
 * GetParameter (about 80 KB instead of the whole client's 240 KB, parsed at every cold start).
 */
function openFlagReader(): FlagReader {
  const ssm = new SSMClient({ maxAttempts: 2, requestHandler: bounded });
  return {
    read: async (name, timeoutMs) => {
      const out = await ssm.send(new GetParameterCommand({ Name: name }), { abortSignal: AbortSignal.timeout(timeoutMs) });
      if (out.Parameter?.Value === undefined) {
        throw new Error(`${name} has no value`);
      }
      return out.Parameter.Value;
    },
  };
}

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
  if (event.activeRegion && !flagReader) {
    flagReader = openFlagReader();
  }
  const report = await runInvocation(event, sink, deadline, undefined, latches, flagReader);
  const unhealthy = report.rounds.flatMap((r) => r.results.filter((x) => !x.healthy).map((x) => `${x.id}: ${x.reason} (${x.detail})`));
  const flag = report.flag ? { activeRegion: report.flag.value } : {};
  console.log(JSON.stringify({ probe: event.probe, rounds: report.rounds.length, skipped: report.skipped, unhealthy, ...flag }));
  return report;
}

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Context } from 'aws-lambda';
import { HANDLER_MARGIN_MS, MeasureEvent, MeasureResult } from './drill-client-contract';
import { measure } from './drill-client-measure';

// Bounded: two attempts of at most 2.5 s fit in HANDLER_MARGIN_MS with the last request.
const cloudwatch = new CloudWatchClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 1500 } });

/** Measures a drill's failover (or in-region recovery, `until: 'recovered'`) as a client sees it (drill-client-measure.ts); stops `HANDLER_MARGIN_MS` before the Lambda's end. */
export async function handler(event: MeasureEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<MeasureResult> {
  return measure(event, { deadline: Date.now() + context.getRemainingTimeInMillis() - HANDLER_MARGIN_MS, cloudwatch });
}

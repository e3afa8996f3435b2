import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { ACTIONS, ARC_ATTEMPT_TIMEOUT_MS, ERRORS, RunbookEvent, RunSummary, SwitchResult, VerifyResult } from './runbook-contract';
import { runbookError } from './runbook-error';
import { recordRun } from './runbook-record';
import { switchRoutingControls } from './runbook-switch';
import { verifyHttp } from './runbook-verify';

// Bounded calls. The cluster clients make one attempt each: the switch rotates to the next endpoint instead.
const ssm = new SSMClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } });
const cloudwatch = new CloudWatchClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } });
const clusters = new Map<string, Route53RecoveryClusterClient>();

function cluster(endpoint: string, region: string): Route53RecoveryClusterClient {
  let client = clusters.get(endpoint);
  if (!client) {
    client = new Route53RecoveryClusterClient({
      endpoint,
      region,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 1000, requestTimeout: ARC_ATTEMPT_TIMEOUT_MS },
    });
    clusters.set(endpoint, client);
  }
  return client;
}

/** Kept between the work's deadline and the Lambda timeout, so a slow task fails with its own error, not States.Timeout. */
const SAFETY_MS = 1000;

/** One task of a runbook's state machine, chosen by `event.action`. */
export async function handler(event: RunbookEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SwitchResult | VerifyResult | RunSummary> {
  const deadline = Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS;
  switch (event.action) {
    case ACTIONS.switchRoutingControls:
      return switchRoutingControls(event, { ssm, cluster, deadline, preferRegion: process.env.AWS_REGION });
    case ACTIONS.verifyHttp:
      return verifyHttp(event, { deadline });
    case ACTIONS.recordRun:
      return recordRun(event, cloudwatch);
    default:
      throw runbookError(ERRORS.invalidEvent, `unknown action ${JSON.stringify((event as { action?: unknown }).action)}; expected one of ${Object.values(ACTIONS).join(', ')}`);
  }
}

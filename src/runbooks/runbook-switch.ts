/**
 * The routing control switch: reads the ARC configuration from Parameter Store, then sends one
 * atomic `UpdateRoutingControlStates` with every entry to the cluster's Regional endpoints in
 * turn until one takes it (docs/aws-facts.md#arc-and-global-accelerator: ARC keeps at least three
 * of the five reachable and asks clients to rotate). No Lambda types: the handler passes its
 * clients, tests pass mocked ones.
 *
 * Order: the endpoint in the function's own Region first (the runbook runs in the recovery
 * Region, the one most likely to be reachable from it), then the others in the configuration's
 * order. A deterministic order keeps the attempts readable in the execution history.
 */
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ARC_ATTEMPT_TIMEOUT_MS, ArcConfiguration, EndpointAttempt, ERRORS, SwitchResult, SwitchRoutingControlsEvent } from './runbook-contract';
import { describeError, runbookError } from './runbook-error';

/** The errors by which ARC refuses a change on every endpoint alike (a safety rule, a bad entry): never rotated. */
const REFUSALS = ['ConflictException', 'ValidationException'];

/** What the switch needs from its caller. */
export interface SwitchDependencies {
  /** A Parameter Store client in the function's own Region. */
  readonly ssm: SSMClient;
  /** The client of one cluster endpoint; its Region is the endpoint's. */
  readonly cluster: (endpoint: string, region: string) => Route53RecoveryClusterClient;
  /** Time one endpoint gets. @default ARC_ATTEMPT_TIMEOUT_MS */
  readonly attemptTimeoutMs?: number;
  /** The function's own Region, whose endpoint goes first. */
  readonly preferRegion?: string;
  /** Epoch milliseconds after which no endpoint is tried (the Lambda's remaining time). */
  readonly deadline?: number;
}

/** Flips the routing controls of `event.states` in one call; see the module doc for the order. */
export async function switchRoutingControls(event: SwitchRoutingControlsEvent, deps: SwitchDependencies): Promise<SwitchResult> {
  checkStates(event);
  const config = await readConfiguration(deps.ssm, event.configParameterName);
  const entries = Object.entries(event.states).map(([region, state]) => {
    const arn = config.controls[region];
    if (arn === undefined) {
      throw runbookError(ERRORS.routingControlsMisconfigured,
        `the ARC configuration ${event.configParameterName} has no routing control for ${region}; it has ${Object.keys(config.controls).join(', ')}. `
        + 'Add the Region to the RoutingControls `regions`, or fix the runbook\'s Regions.');
    }
    return { RoutingControlArn: arn, RoutingControlState: state };
  });
  // Controls built without an assertion rule have nothing to override: the fence turns every Region Off as it is.
  const safetyRules = event.overrideSafetyRules && config.assertionRuleArn !== undefined ? [config.assertionRuleArn] : undefined;

  const timeoutMs = deps.attemptTimeoutMs ?? ARC_ATTEMPT_TIMEOUT_MS;
  const attempts: EndpointAttempt[] = [];
  for (const { region, endpoint } of endpointOrder(config, deps.preferRegion)) {
    const remaining = deps.deadline === undefined ? timeoutMs : Math.min(timeoutMs, deps.deadline - Date.now());
    if (remaining <= 0) {
      attempts.push({ endpoint, error: 'not tried: the function ran out of time' });
      continue;
    }
    const client = deps.cluster(endpoint, region);
    try {
      await withTimeout(remaining, (abortSignal) => client.send(new UpdateRoutingControlStatesCommand({
        UpdateRoutingControlStateEntries: entries,
        SafetyRulesToOverride: safetyRules,
      }), { abortSignal }));
      return { endpoint, region, attempts };
    } catch (error) {
      if (error instanceof Error && REFUSALS.includes(error.name)) {
        // An earlier attempt (a timed-out endpoint, or a retried invocation) may have taken the change, and the
        // safety rules' wait period then refuses the repeat: what counts is whether the states are in place.
        if (await statesMatch(client, entries, timeoutMs)) {
          return { endpoint, region, attempts, alreadyApplied: true };
        }
        throw runbookError(ERRORS.routingControlsRefused, `ARC refused the change at ${endpoint}: ${describeError(error)}`);
      }
      attempts.push({ endpoint, error: describeError(error) });
    }
  }
  throw runbookError(ERRORS.routingControlsUnreachable,
    `no cluster endpoint took the change: ${attempts.map((a) => `${a.endpoint} (${a.error})`).join('; ')}`);
}

/** The configuration's endpoints, the one in `preferRegion` first. */
export function endpointOrder(config: ArcConfiguration, preferRegion?: string): ArcConfiguration['endpoints'] {
  const own = config.endpoints.filter((e) => e.region === preferRegion);
  return [...own, ...config.endpoints.filter((e) => e.region !== preferRegion)];
}

/** Reads and checks the configuration; anything wrong with it is a misconfiguration, not an outage. */
async function readConfiguration(ssm: SSMClient, name: string): Promise<ArcConfiguration> {
  let value: string | undefined;
  try {
    value = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (error) {
    if (error instanceof Error && error.name === 'ParameterNotFound') {
      throw runbookError(ERRORS.routingControlsMisconfigured,
        `the ARC configuration parameter ${name} does not exist in ${await ssm.config.region()}. `
        + 'Deploy RoutingControls with this Region in its `regions`, or give the runbook its `configParameterName`.');
    }
    throw error;
  }
  const problem = (what: string) => runbookError(ERRORS.routingControlsMisconfigured,
    `the ARC configuration parameter ${name} ${what}. RoutingControls writes it; redeploy that stack.`);
  let parsed: any;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    throw problem('is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.clusterArn !== 'string') {
    throw problem('has no clusterArn');
  }
  const endpoints = parsed.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0
    || !endpoints.every((e: any) => typeof e?.region === 'string' && typeof e?.endpoint === 'string')) {
    throw problem('has no list of endpoints ({ region, endpoint })');
  }
  if (typeof parsed.controls !== 'object' || parsed.controls === null
    || !Object.values(parsed.controls).every((arn) => typeof arn === 'string')) {
    throw problem('has no controls by Region');
  }
  return parsed as ArcConfiguration;
}

function checkStates(event: SwitchRoutingControlsEvent): void {
  const states = Object.entries(event.states ?? {});
  const bad = states.filter(([, s]) => s !== 'On' && s !== 'Off');
  if (states.length === 0 || bad.length > 0 || typeof event.configParameterName !== 'string') {
    throw runbookError(ERRORS.invalidEvent,
      `switchRoutingControls needs \`configParameterName\` and at least one state, each On or Off; got ${JSON.stringify(event)}`);
  }
}

/** Reads each control back on one endpoint; any failure counts as "not known to match". */
async function statesMatch(client: Route53RecoveryClusterClient, entries: Array<{ RoutingControlArn: string; RoutingControlState: string }>,
  timeoutMs: number): Promise<boolean> {
  try {
    for (const entry of entries) {
      const read = await withTimeout(timeoutMs, (abortSignal) =>
        client.send(new GetRoutingControlStateCommand({ RoutingControlArn: entry.RoutingControlArn }), { abortSignal }));
      if (read.RoutingControlState !== entry.RoutingControlState) {
        return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

/** Runs `call` with an abort signal, and gives up after `ms` even if the call ignores the signal. */
async function withTimeout<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no answer within ${ms} ms`);
      error.name = 'TimeoutError';
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

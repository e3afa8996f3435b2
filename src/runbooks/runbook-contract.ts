/**
 * The contract between the runbooks (the constructs that build the state machines), the
 * runbook handler, and `RoutingControls` (which writes the ARC configuration the handler reads):
 * the events the state machine sends, what the handler returns, the error names a state
 * machine retries or catches, the metrics it publishes, and the configuration parameter. Every
 * side imports it, so none can change a name alone. It is bundled into the Lambda: no
 * aws-cdk-lib here.
 *
 * What the function needs from the construct that creates it:
 * - `switchRoutingControls`: `ssm:GetParameter` on the configuration parameter of its own
 *   Region (`RoutingControls.grantReadConfig`, or the ARN pattern in the `RoutingControls`
 *   doc), and `route53-recovery-cluster:UpdateRoutingControlStates` and
 *   `route53-recovery-cluster:GetRoutingControlState` on the routing controls; a timeout that
 *   covers the configuration read and five endpoints of `ARC_ATTEMPT_TIMEOUT_MS` (30 s is enough).
 * - `verifyHttp`: outbound HTTPS to the checked URL; a timeout above
 *   `attempts x (timeoutSeconds + intervalSeconds)` (the handler stops 1 s before its deadline
 *   and fails with `VerificationFailed`, so a short timeout still ends in a named error).
 * - `recordRun`: `cloudwatch:PutMetricData` (resource `*`, conditioned on `cloudwatch:namespace`).
 */

/** A routing control's state, as ARC spells it. */
export type RoutingControlState = 'On' | 'Off';

/**
 * Flips routing controls: one atomic `UpdateRoutingControlStates` with every entry, sent to the
 * cluster's Regional endpoints in turn until one answers.
 */
export interface SwitchRoutingControlsEvent {
  readonly action: 'switchRoutingControls';
  /** The SSM parameter (in the function's own region) that holds the `ArcConfiguration`. */
  readonly configParameterName: string;
  /** The new state of each Region's routing control, by Region name. */
  readonly states: { readonly [region: string]: RoutingControlState };
  /**
   * Overrides the configuration's assertion rule, when it has one: the fence, which turns every
   * Region Off, is what that rule forbids.
   */
  readonly overrideSafetyRules?: boolean;
}

/** One endpoint that did not take the change. */
export interface EndpointAttempt {
  readonly endpoint: string;
  /** The error's name and message. */
  readonly error: string;
}

/** What a switch returns: the endpoint that took the change, and the ones tried before it. */
export interface SwitchResult {
  readonly endpoint: string;
  readonly region: string;
  /** The endpoints that failed before `endpoint`, in order. */
  readonly attempts: EndpointAttempt[];
  /**
   * Set when ARC refused the change but a read on the same endpoint showed every control already
   * in its new state: an earlier attempt took it (an endpoint that timed out after taking it, or
   * an invocation the state machine retried), and the safety rules' wait period refused the repeat.
   */
  readonly alreadyApplied?: boolean;
}

/** Polls a URL until a response matches, from outside the application. */
export interface VerifyHttpEvent {
  readonly action: 'verifyHttp';
  /** An http:// or https:// URL, fetched with GET; redirects are not followed. */
  readonly url: string;
  /** The statuses that count as healthy. Default: 200 to 399. */
  readonly expectStatus?: number[];
  /** A string the body must contain (the first `MAX_BODY_BYTES` bytes are searched). */
  readonly bodyContains?: string;
  /** A response header that must have this exact value, e.g. a region marker `x-region: us-west-2`. */
  readonly header?: { readonly name: string; readonly value: string };
  /** Requests to make at most, 1 or more. */
  readonly attempts: number;
  /** The pause between two requests, in seconds (fractions allowed). */
  readonly intervalSeconds: number;
  /** The timeout of one request, in seconds (fractions allowed). */
  readonly timeoutSeconds: number;
}

/** What a successful verification returns. */
export interface VerifyResult {
  readonly ok: true;
  readonly status: number;
  /** The attempt that matched, from 1. */
  readonly attempt: number;
  /** From the first request to the matching response. */
  readonly elapsedMs: number;
}

/** How a run ended. */
export type RunOutcome = 'SUCCEEDED' | 'FAILED' | 'REFUSED';

/** The times a step entered and left, as ISO 8601 strings (Step Functions' `$$.State.EnteredTime`). */
export interface StepTimes {
  readonly start?: string;
  readonly end?: string;
}

/** Records a run: durations as CloudWatch metrics, and the execution summary. */
export interface RecordRunEvent {
  readonly action: 'recordRun';
  /** The runbook's name: the `Runbook` dimension. */
  readonly runbook: string;
  /** The CloudWatch namespace. */
  readonly namespace: string;
  readonly outcome: RunOutcome;
  /** When the execution started (ISO 8601). */
  readonly startedAt: string;
  /** Each step's times, by step id. A step without a start did not run and is left out. */
  readonly steps: { readonly [stepId: string]: StepTimes };
  /** The error a Catch caught, as Step Functions passes it. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** One step of the summary. */
export interface StepSummary {
  readonly step: string;
  readonly seconds: number;
  /** Set when the step started and never ended: its seconds run up to the record. */
  readonly incomplete?: boolean;
}

/** The execution summary `recordRun` returns. */
export interface RunSummary {
  readonly runbook: string;
  readonly outcome: RunOutcome;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly totalSeconds: number;
  /** In the order the steps started. */
  readonly steps: StepSummary[];
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** Any event of the runbook handler. */
export type RunbookEvent = SwitchRoutingControlsEvent | VerifyHttpEvent | RecordRunEvent;

/** The handler's actions: the `action` field of each event. */
export const ACTIONS = {
  switchRoutingControls: 'switchRoutingControls',
  verifyHttp: 'verifyHttp',
  recordRun: 'recordRun',
} as const;

/**
 * The names of the errors the handler throws. Lambda reports an error's `name` as its type,
 * which is the `Error` a Step Functions Retry or Catch matches.
 */
export const ERRORS = {
  /** Every cluster endpoint failed or timed out: retry the task later. */
  routingControlsUnreachable: 'RoutingControlsUnreachable',
  /** The configuration is missing, unreadable, or lacks a Region or rule the event names: do not retry. */
  routingControlsMisconfigured: 'RoutingControlsMisconfigured',
  /**
   * ARC refused the change (ConflictException or ValidationException, e.g. a safety rule) and the
   * controls are not in the asked states: do not retry at once.
   */
  routingControlsRefused: 'RoutingControlsRefused',
  /** No response matched within the attempts. */
  verificationFailed: 'VerificationFailed',
  /** The event itself is malformed (a construct bug, not an outage). */
  invalidEvent: 'RunbookEventInvalid',
} as const;

/** The metrics `recordRun` publishes, in seconds except the outcome count. */
export const METRICS = {
  /** Per run: from `startedAt` to the record. Dimensions Runbook, Outcome. */
  runbookDuration: 'RunbookDuration',
  /** Per step. Dimensions Runbook, Step. */
  stepDuration: 'StepDuration',
  /** 1 per run. Dimensions Runbook, Outcome. */
  runbookOutcome: 'RunbookOutcome',
} as const;

/** The metrics' dimensions. */
export const DIMENSIONS = {
  runbook: 'Runbook',
  outcome: 'Outcome',
  step: 'Step',
} as const;

/** PutMetricData takes at most this many data per call. */
export const MAX_DATA_PER_CALL = 1000;

/** How many bytes of a body `bodyContains` searches. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * How long one cluster endpoint gets before the next is tried. With the five endpoints this
 * bounds a switch at about 5 x 3 s plus the configuration read: the function's timeout must
 * cover it.
 */
export const ARC_ATTEMPT_TIMEOUT_MS = 3000;

/**
 * The ARC configuration `RoutingControls` writes as a JSON String parameter in each of its
 * Regions, and the switch reads in its own.
 */
export interface ArcConfiguration {
  readonly clusterArn: string;
  /** The cluster's Regional endpoints, as DescribeCluster returns them. */
  readonly endpoints: Array<{ readonly region: string; readonly endpoint: string }>;
  /** Each Region's routing control ARN, by Region name. */
  readonly controls: { readonly [region: string]: string };
  /** The assertion safety rule, which `overrideSafetyRules` overrides. */
  readonly assertionRuleArn?: string;
  /** The gating routing control, if any. */
  readonly gatingControlArn?: string;
}

/** Where `RoutingControls` writes its configuration unless told otherwise: regions meet by this name. */
export const ARC_CONFIG_PARAMETER_PREFIX = '/cdk-failover/arc/';

/**
 * The contract between a drill's state machine and its measuring client (drill-client.lambda.ts):
 * the event the state machine sends, the result the client returns, the error names a Retry or
 * Catch matches, and the metric it publishes. Both sides import it, so neither can change a name
 * alone. It is bundled into the Lambda: no aws-cdk-lib here.
 *
 * Two stop modes (`until`):
 * - `'standby'` (the default) measures a regional failover: sampling stops when the standby's
 *   marker answers, and the RTO is that request's start less `injectedAt`;
 * - `'recovered'` measures an in-region recovery (an Aurora or RDS failover, the loss of one
 *   Availability Zone): there is no standby to recognize, so sampling stops once a request has
 *   failed and then `stableSamples` consecutive requests were served, and the RTO is the start
 *   of the first of them less `injectedAt`. No failure seen (no impact), failures still going
 *   on, or a served run shorter than `stableSamples` when time runs out: no RTO is claimed.
 *
 * What the function needs from the construct that creates it:
 * - outbound HTTP(S) to the measured URL (no VPC, or a VPC with a route to the public name);
 * - `cloudwatch:PutMetricData` (resource `*`, conditioned on `cloudwatch:namespace`) when the
 *   event asks to publish;
 * - a timeout that covers `maxWaitMs` plus `HANDLER_MARGIN_MS`: with less, the client stops
 *   sampling `HANDLER_MARGIN_MS` before the Lambda's end and returns `stoppedBy: 'lambdaTime'`.
 */

/** How the standby is recognized: a response header's value, a body string, or both (both must match). */
export interface StandbyMarker {
  /** A response header with this exact value (trimmed), e.g. `x-region: us-west-2`. Names are case-insensitive. */
  readonly header?: { readonly name: string; readonly value: string };
  /** A string the body contains (the first `MAX_BODY_BYTES` bytes are searched). */
  readonly bodyContains?: string;
}

/** Asks the client to publish `MeasuredRTO` when it measured an RTO (saw the switch, or the recovery). */
export interface PublishOptions {
  /** The CloudWatch namespace. */
  readonly namespace: string;
  /** The `Drill` dimension: the drill's name. */
  readonly drill: string;
  /** The `Path` dimension: the recovery path's id. */
  readonly path: string;
}

/** When sampling stops: when the standby answers (a regional failover), or when requests are served again after failing (an in-region recovery). */
export type StopMode = 'standby' | 'recovered';

/**
 * Measures a failover or a recovery as a client of the public name sees it.
 *
 * @example
 * // The drill's state machine invokes the function right after the injection step:
 * // { "url": "https://api.example.com/health",
 * //   "injectedAt.$": "$.inject.enteredTime",
 * //   "standby": { "header": { "name": "x-region", "value": "us-west-2" } },
 * //   "intervalMs": 1000, "maxWaitMs": 600000,
 * //   "publish": { "namespace": "CdkFailover/Drills", "drill": "dns-inversion", "path": "app/api" } }
 * // and reads `$.measuredRtoSeconds`, `$.switched` and `$.failureWindowMs` from the result.
 * // An in-region fault (an FIS Aurora failover) has no standby marker:
 * // { "url": "https://api.example.com/health", "injectedAt.$": "$.inject.enteredTime",
 * //   "until": "recovered", "stableSamples": 5, "intervalMs": 1000, "maxWaitMs": 600000 }
 * // and reads `$.measuredRtoSeconds`, `$.impactSeen` and `$.recoveredAt`.
 */
export interface MeasureEvent {
  /** The public name's http:// or https:// URL, fetched with GET; redirects are not followed. */
  readonly url: string;
  /** When the fault was injected (ISO 8601, e.g. Step Functions' `$$.State.EnteredTime`); not in the future. */
  readonly injectedAt: string;
  /**
   * When to stop sampling. `'standby'`: when the standby answers. `'recovered'`: when, after a
   * failed request, `stableSamples` consecutive requests were served. Default `DEFAULTS.until`.
   */
  readonly until?: StopMode;
  /**
   * What only the standby's responses carry. Required when `until` is `'standby'`; optional with
   * `'recovered'`, where a standby answer counts as served (and is still reported: `switched`,
   * `standbyAt`) but does not stop the sampling.
   */
  readonly standby?: StandbyMarker;
  /**
   * With `until: 'recovered'` only: how many consecutive served requests, after a failure, make
   * the recovery. Default `DEFAULTS.stableSamples`; `LIMITS.minStableSamples` to
   * `LIMITS.maxStableSamples`; `stableSamples x intervalMs` must fit in `maxWaitMs`.
   */
  readonly stableSamples?: number;
  /** The time between two requests' starts, in ms. Default `DEFAULTS.intervalMs`; `LIMITS.minIntervalMs` to `LIMITS.maxIntervalMs`. */
  readonly intervalMs?: number;
  /** One request's timeout, in ms: below `intervalMs`, so requests never overlap. Default 80% of `intervalMs`. */
  readonly requestTimeoutMs?: number;
  /**
   * How long after `injectedAt` to wait for the standby (or the recovery), in ms. Default
   * `DEFAULTS.maxWaitMs`; the Lambda's remaining time may end it sooner. With `'recovered'`,
   * leave room for the expected RTO plus `stableSamples x intervalMs`.
   */
  readonly maxWaitMs?: number;
  /** The statuses that count as served. Default 200 to 399. */
  readonly expectStatus?: number[];
  /** Publish `MeasuredRTO` when an RTO was measured (the switch, or the recovery, was seen). Default: no metric. */
  readonly publish?: PublishOptions;
}

/** Which side answered a request, or that it failed (an error, a timeout, or an unexpected status). */
export type SampleClass = 'primary' | 'standby' | 'failed';

/** Latencies of a set of requests, in ms (a timed-out request counts its timeout). */
export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** A change of the answering side between two consecutive requests. */
export interface Transition {
  /** The start of the first request of the new side (ISO 8601). */
  readonly at: string;
  readonly from: SampleClass;
  readonly to: SampleClass;
  /** Why the first request of a failed run failed, e.g. `status 503` or `no response within 40 ms`. */
  readonly detail?: string;
}

/** Why the sampling stopped: the standby answered, the recovery was seen (`until: 'recovered'`), or time ran out. */
export type StopReason = 'standby' | 'recovered' | 'maxWait' | 'lambdaTime';

/** What the client returns, whether or not it saw the switch or the recovery. Times are request start times. */
export interface MeasureResult {
  readonly url: string;
  readonly injectedAt: string;
  /** The event's stop mode (defaulted). */
  readonly until: StopMode;
  /** Whether a request was answered by the standby. */
  readonly switched: boolean;
  readonly stoppedBy: StopReason;
  /** The start of the first request the standby answered (ISO 8601). */
  readonly standbyAt?: string;
  /**
   * The RTO as a client sees it, in seconds: `standbyAt` minus `injectedAt` (`until: 'standby'`),
   * or `recoveredAt` minus `injectedAt` (`until: 'recovered'`). Absent when neither was seen:
   * never 0 for "nothing happened".
   */
  readonly measuredRtoSeconds?: number;
  /**
   * `until: 'recovered'` only: whether a request failed. False when sampling ran to `maxWaitMs`
   * with every request served: the fault did not reach clients (or ended before the first request).
   */
  readonly impactSeen?: boolean;
  /**
   * `until: 'recovered'` only: the start of the first request of the `stableSamples` served
   * requests after the last failure (ISO 8601). Absent when the sampling stopped before such a
   * run: no impact seen, failures still going on (`failureWindowClosed: false`), or fewer served
   * requests than `stableSamples` since the last failure.
   */
  readonly recoveredAt?: string;
  /** `until: 'recovered'` only: the event's `stableSamples` (defaulted). */
  readonly stableSamples?: number;
  /**
   * Set when the very first request was already answered by the standby: the switch happened
   * before sampling began, and (with `until: 'standby'`) `measuredRtoSeconds` is only an upper bound.
   */
  readonly switchedBeforeFirstSample?: boolean;
  /** The first and last failed requests' starts (ISO 8601). */
  readonly firstFailureAt?: string;
  readonly lastFailureAt?: string;
  /**
   * How long requests failed, in ms: from the first failed request to the first request served
   * after the last failure (to the last failed request when none was served after it).
   */
  readonly failureWindowMs?: number;
  /** Whether a request was served after the last failure (false: the window may still be open). */
  readonly failureWindowClosed?: boolean;
  readonly counts: { readonly primary: number; readonly standby: number; readonly failed: number };
  readonly latency: {
    readonly all?: LatencySummary;
    readonly primary?: LatencySummary;
    readonly standby?: LatencySummary;
    readonly failed?: LatencySummary;
  };
  /** The side that answered the first request. */
  readonly initially?: SampleClass;
  /** Each change of side, in order (bounded: at most `MAX_TRANSITIONS`, the latest dropped). */
  readonly transitions: Transition[];
  readonly intervalMs: number;
  readonly requestTimeoutMs: number;
  /**
   * Sampling times skipped because the previous request ended after them (a stalled event
   * loop): the next request starts at the next sampling time instead of catching up.
   */
  readonly skippedSamples: number;
  /** The start of the first request and the end of the last (ISO 8601). */
  readonly sampledFrom: string;
  readonly sampledTo: string;
  /** Whether `MeasuredRTO` was published. */
  readonly published: boolean;
  /** Why publishing failed: the measurement is returned anyway, so a drill never loses it. */
  readonly publishError?: string;
}

/**
 * The names of the errors the client throws. Lambda reports an error's `name` as its type,
 * which is the `Error` a Step Functions Retry or Catch matches.
 */
export const ERRORS = {
  /** The event is malformed (a construct bug, not an outage): do not retry. */
  invalidEvent: 'DrillClientEventInvalid',
} as const;

/** The metric the client publishes, in seconds, with dimensions `DIMENSIONS`. */
export const METRICS = {
  measuredRto: 'MeasuredRTO',
} as const;

/** The metric's dimensions. */
export const DIMENSIONS = {
  drill: 'Drill',
  path: 'Path',
} as const;

/** Defaults of the event's optional fields. */
export const DEFAULTS = {
  until: 'standby',
  /** Of `until: 'recovered'`. */
  stableSamples: 5,
  intervalMs: 1000,
  /** Of `intervalMs`. */
  requestTimeoutFraction: 0.8,
  maxWaitMs: 10 * 60 * 1000,
} as const;

/** The accepted ranges. */
export const LIMITS = {
  minIntervalMs: 10,
  maxIntervalMs: 60_000,
  minRequestTimeoutMs: 5,
  minStableSamples: 1,
  maxStableSamples: 60,
  /** A Lambda runs 15 minutes at most (docs/aws-facts.md#drill-measuring-client). */
  maxWaitMs: 15 * 60 * 1000,
  /** The Lambda may start a little after the injection's timestamp, never before it (clock skew allowed). */
  futureSkewMs: 1000,
} as const;

/** How many bytes of a body `bodyContains` searches. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The most transitions a result carries: a flapping name must not outgrow a state's 256 KiB payload (docs/aws-facts.md#drill-measuring-client). */
export const MAX_TRANSITIONS = 200;

/**
 * Kept between the end of sampling and the Lambda timeout: the last request's end and the
 * PutMetricData call (two attempts of at most 2.5 s) fit in it.
 */
export const HANDLER_MARGIN_MS = 6000;

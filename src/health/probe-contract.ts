/**
 * The contract between `HealthProbe` (the construct) and the probe handler: the event the
 * schedule sends, the metrics the handler publishes and the alarms watch, and the latch table
 * the handler writes and the reset command deletes from. Both sides import it, so neither can
 * change a name alone. It is bundled into the Lambda: no aws-cdk-lib here.
 */
import type { ProbeTarget } from './probe-check';

/** What the schedule sends: the probe's targets and how to sample them. */
export interface ProbeEvent {
  /** The probe's name: the `Probe` metric dimension. */
  readonly probe: string;
  /** CloudWatch namespace of the metrics. */
  readonly namespace: string;
  /** Sampling rounds per invocation, evenly spaced over `periodMs`. */
  readonly samples: number;
  /** The schedule's period, normally `PERIOD_MS`. */
  readonly periodMs: number;
  readonly targets: ProbeTarget[];
  /** Failed samples in one invocation that make a target unhealthy (and trip its latch). */
  readonly failuresToAlarm?: number;
  /** Targets whose failure latches until an operator resets it. */
  readonly latched?: string[];
  /**
   * The active-region parameter to read once per invocation (a `DataPlaneSwitch`): its value
   * becomes one `RegionEnabled` datum per region. Only the first event of a probe carries it.
   */
  readonly activeRegion?: ActiveRegionRead;
}

/** Which parameter the probe reads, and the regions it may name. */
export interface ActiveRegionRead {
  /** The parameter's name, in the probe's own region. */
  readonly parameterName: string;
  /** The regions of the set: one `RegionEnabled` datum each. */
  readonly regions: string[];
}

/** The longest the probe waits for the active-region parameter; the model counts it in the switch time. */
export const FLAG_READ_TIMEOUT_MS = 2000;

/**
 * The schedule's period, and the CloudWatch period the alarms and the latch counters count
 * samples in: Route 53 alarm-based checks need standard resolution, 60 s.
 */
export const PERIOD_MS = 60_000;

/** Time the handler keeps for publishing a round's metrics, retries included; the construct bounds target timeouts by it. */
export const PUBLISH_BUDGET_MS = 3000;

/** The namespace of the metrics unless the probe names another. */
export const DEFAULT_NAMESPACE = 'CdkFailover/Probe';

/** The metrics the handler publishes. */
export const METRICS = {
  /** Per target: 1 for a failed sample, 0 for a healthy one. The target's alarm sums it. */
  failure: 'Failure',
  /** Per target: the check's latency, in milliseconds. */
  latency: 'Latency',
  /** Per probe: failed targets in a round. */
  failedTargets: 'FailedTargets',
  /** Per region of a data-plane switch: 1 when this region's active-region parameter names it, else 0. */
  regionEnabled: 'RegionEnabled',
} as const;

/** The metrics' dimensions. */
export const DIMENSIONS = {
  /** The probe's name. */
  probe: 'Probe',
  /** The target's id. */
  target: 'Target',
  /** The region a `RegionEnabled` datum is about. */
  region: 'Region',
} as const;

/** The environment variable that names the latch table; absent when no target latches. */
export const LATCH_TABLE_ENV = 'LATCH_TABLE';

/** The latch table's partition key. */
export const LATCH_PARTITION_KEY = 'pk';

/** The latch table's time-to-live attribute: per-minute counters expire, latches never do. */
export const LATCH_EXPIRY_ATTRIBUTE = 'expiresAt';

/** The key of a target's latch: what the reset command deletes. */
export function latchKey(probeName: string, id: string): string {
  return `${probeName}#${id}`;
}

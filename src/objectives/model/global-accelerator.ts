/**
 * AWS Global Accelerator failover between endpoint groups
 * (docs/aws-facts.md#arc-and-global-accelerator). Clients keep the accelerator's static anycast
 * addresses, so no DNS term applies; traffic moves when an endpoint group has no healthy
 * endpoint left.
 */
import { ElbHealthInput, elbTargetDetection, targetHealthDetection } from './elb';
import { assumedTerm, instant, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** The two health-check intervals an endpoint group accepts, in seconds. */
export const ACCELERATOR_INTERVALS = [10, 30];
/** Health-check threshold bounds of an endpoint group (the count is used both ways). */
export const ACCELERATOR_THRESHOLD = { min: 1, max: 10 };
/** The traffic dial of an endpoint group, in percent. */
export const ACCELERATOR_TRAFFIC_DIAL = { min: 0, max: 100 };
/** The weight of an endpoint within its group. */
export const ACCELERATOR_WEIGHT = { min: 0, max: 255 };
/** Price of one accelerator-hour, enabled or disabled, in USD (docs/aws-facts.md#pricing). */
export const ACCELERATOR_HOURLY_USD = 0.025;
/** Hours in the month the library prices by. */
export const HOURS_PER_MONTH = 730;

/** Inputs of an endpoint group's own health check, in seconds. */
export interface AcceleratorHealthInput {
  /** Seconds between two checks: 10 or 30. */
  readonly interval: number;
  /** Consecutive failed checks before an endpoint is unhealthy: 1..10. */
  readonly threshold: number;
}

/**
 * Detection of an EC2 instance or Elastic IP endpoint by the endpoint group's health check.
 * Best case the first failing check runs just after the failure: (threshold - 1) intervals;
 * worst case the failure lands just after a check: threshold whole intervals. AWS publishes
 * no timeout for these checks, so none is added.
 */
export function acceleratorHealthDetection(input: AcceleratorHealthInput): Term {
  const { interval, threshold } = input;
  return {
    id: 'accelerator-health-check',
    kind: RecoveryTermKind.DETECTION,
    min: round((threshold - 1) * interval),
    max: round(threshold * interval),
    basis: `Global Accelerator endpoint-group health check: ${threshold} failed checks x ${interval} s interval `
      + '(AWS publishes no timeout for these checks, so none is added)',
    assumption: false,
    remedy: 'set `healthCheckInterval` to 10 s and lower `healthCheckThreshold` (1 is the least Global Accelerator allows)',
  };
}

/** How the target health of a load balancer endpoint is known. */
export interface LoadBalancerHealthInput {
  /** The endpoint, for the report. */
  readonly label: string;
  /**
   * The health check of its slowest target group, when the model can see it.
   *
   * @default - not visible: the `targetHealthDetection` assumption
   */
  readonly elb?: ElbHealthInput;
  /** The value given for `targetHealthDetection` (seconds), if any. */
  readonly targetHealthDetection?: number;
}

/**
 * Detection of an Application or Network Load Balancer endpoint: Global Accelerator follows
 * the load balancer's own target health and ignores the endpoint group's health settings.
 * With the target groups visible, their settings (the slowest group, for a failure only its
 * targets see); otherwise the `targetHealthDetection` assumption.
 */
export function loadBalancerEndpointDetection(input: LoadBalancerHealthInput): Term {
  const follows = `Global Accelerator follows the ELB target health of ${input.label}`;
  if (input.elb) {
    const term = elbTargetDetection(input.elb);
    return { ...term, basis: `${follows}: ${term.basis} (its slowest target group)` };
  }
  const term = targetHealthDetection(input.label, input.targetHealthDetection);
  return {
    ...term,
    basis: term.assumption
      ? `${follows}, whose target groups the model cannot see: assumed at the ALB target-group defaults (2 failures x 30 s + 5 s timeout; NLB defaults differ)`
      : `${follows}: up to ${term.max} s, as given`,
    remedy: 'shorten the target groups\' health checks (interval 5 s, timeout 2 s, unhealthy threshold 2 are the least ELB allows), '
      + 'and give the load balancer itself (not its ARN) so the model reads them, or set `assumptions.targetHealthDetection` to what a drill measured',
  };
}

/**
 * An endpoint group fails only when its last endpoint does: its detection is the slowest of
 * its endpoints' (all of them fail together when the Region does).
 */
export function groupDetection(region: string, endpoints: Term[]): Term {
  if (endpoints.length === 0) {
    throw new Error(`groupDetection: the endpoint group in ${region} has no endpoints`);
  }
  const slowest = endpoints.reduce((a, b) => (b.max > a.max || (b.max === a.max && b.min > a.min) ? b : a));
  return {
    ...slowest,
    min: Math.max(...endpoints.map((t) => t.min)),
    basis: endpoints.length === 1
      ? slowest.basis
      : `the last of ${endpoints.length} endpoints in ${region} to turn unhealthy; the slowest: ${slowest.basis}`,
  };
}

/**
 * Global Accelerator decides by itself: it sends new connections to the nearest endpoint group
 * with a healthy endpoint of weight above 0, ignoring traffic dials.
 */
export function acceleratorDecision(): Term {
  return instant('accelerator-decision', RecoveryTermKind.DECISION,
    'automatic: Global Accelerator fails over to the nearest endpoint group with a healthy endpoint of weight above 0, '
    + 'ignoring traffic dials (a standby group dialled to 0 still takes failover traffic); data plane, no API call');
}

/**
 * From the endpoint group turning unhealthy to new connections reaching another group. AWS
 * publishes no figure; the named assumption defaults to the ~30 s AWS gives for traffic to
 * return to a recovered group.
 */
export function acceleratorReroute(given?: number): Term {
  return assumedTerm('accelerator-reroute', RecoveryTermKind.SWITCH, RecoveryAssumption.ACCELERATOR_REROUTE, given,
    (s) => `unhealthy endpoint group to new connections reaching another group: up to ${s} s; `
      + 'established connections are not moved, they stay until the client or server resets them',
    'measure it with a drill and set `assumptions.acceleratorReroute`');
}

/** Inputs of a Global Accelerator failover path. */
export interface AcceleratorFailoverInput {
  /** Detection of the failed endpoint group (see `groupDetection`). */
  readonly detection: Term;
  /** The value given for `acceleratorReroute` (seconds), if any. */
  readonly acceleratorReroute?: number;
}

/** The whole path: detection -> decision -> reroute. No DNS or client-cache term. */
export function acceleratorFailover(input: AcceleratorFailoverInput): Term[] {
  return [input.detection, acceleratorDecision(), acceleratorReroute(input.acceleratorReroute)];
}

/** The fixed monthly price of an accelerator, in USD, and how it is reckoned. */
export function acceleratorMonthlyCost(): { usd: number; basis: string } {
  const usd = round(ACCELERATOR_HOURLY_USD * HOURS_PER_MONTH);
  return {
    usd,
    basis: `${ACCELERATOR_HOURLY_USD} USD per accelerator-hour x ${HOURS_PER_MONTH} h = ${usd} USD a month, `
      + 'billed whether enabled or not; the data transfer premium per GB comes on top (docs/aws-facts.md#pricing)',
  };
}

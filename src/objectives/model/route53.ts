/**
 * Route 53 endpoint and calculated health checks (docs/aws-facts.md#route-53-health-checks).
 */
import { round, Term } from './term';
import { RecoveryTermKind } from '../term-kind';

/** The two request intervals Route 53 accepts, in seconds. */
export const ROUTE53_INTERVALS = [10, 30];
/** Failure threshold bounds. */
export const ROUTE53_MIN_THRESHOLD = 1;
export const ROUTE53_MAX_THRESHOLD = 10;
/** Route 53 considers an endpoint healthy while more than 18 % of its checkers report it healthy. */
export const ROUTE53_HEALTHY_FRACTION = 0.18;
/** HTTP/HTTPS checks: TCP connect within 4 s, then a 2xx/3xx status within 2 s. */
export const ROUTE53_HTTP_CONNECT_TIMEOUT = 4;
export const ROUTE53_HTTP_RESPONSE_TIMEOUT = 2;
/** TCP checks: connect within 10 s. */
export const ROUTE53_TCP_CONNECT_TIMEOUT = 10;
/** aws-cdk-lib `HealthCheck` defaults when a prop is omitted (Route 53 API defaults): 30 s, 3. */
export const ROUTE53_DEFAULT_INTERVAL = 30;
export const ROUTE53_DEFAULT_THRESHOLD = 3;

/** The probe protocols of a Route 53 endpoint check. */
export type ProbeProtocol = 'HTTP' | 'HTTPS' | 'TCP';

/** Inputs of a Route 53 endpoint health check. */
export interface EndpointCheckInput {
  /** Seconds between two probes of one checker: 10 or 30. */
  readonly interval: number;
  /** Consecutive failed probes before a checker reports unhealthy: 1..10. */
  readonly failureThreshold: number;
  readonly protocol: ProbeProtocol;
}

/** Worst-case duration of one probe that fails by timing out, in seconds. */
export function probeTimeout(protocol: ProbeProtocol): number {
  return protocol === 'TCP'
    ? ROUTE53_TCP_CONNECT_TIMEOUT
    : ROUTE53_HTTP_CONNECT_TIMEOUT + ROUTE53_HTTP_RESPONSE_TIMEOUT;
}

/**
 * Time from the endpoint failing to Route 53 considering it unhealthy.
 *
 * Each checker needs `failureThreshold` consecutive failed probes. Checkers are not
 * synchronised, so their probes are spread over the interval, and the endpoint turns unhealthy
 * only once more than 82 % of them (the 18 % rule) have reached the threshold.
 * - best case: probes that fail at once (connection refused), checkers spread evenly over the
 *   interval; the 82nd-percentile checker reaches the threshold (threshold - 1) intervals plus
 *   82 % of an interval after the failure;
 * - worst case: the failure lands just after every checker's probe, so the last checker's
 *   threshold-th probe starts a full `threshold` intervals later and runs into its timeout.
 */
export function endpointDetection(input: EndpointCheckInput): Term {
  const { interval, failureThreshold: t, protocol } = input;
  const timeout = probeTimeout(protocol);
  const min = (t - 1) * interval + (1 - ROUTE53_HEALTHY_FRACTION) * interval;
  const max = t * interval + timeout;
  const timeoutText = protocol === 'TCP'
    ? `${timeout} s TCP connect timeout`
    : `${timeout} s probe timeout (${ROUTE53_HTTP_CONNECT_TIMEOUT} s connect + ${ROUTE53_HTTP_RESPONSE_TIMEOUT} s response)`;
  return {
    id: 'route53-health-check',
    kind: RecoveryTermKind.DETECTION,
    min: round(min),
    max: round(max),
    basis: `Route 53 ${protocol} check: ${t} failed probe(s) x ${interval} s interval seen by more than 82 % of checkers (18 % rule), + ${timeoutText}`,
    assumption: false,
    remedy: detectionRemedy(interval, t),
  };
}

function detectionRemedy(interval: number, threshold: number): string {
  const steps: string[] = [];
  if (interval > ROUTE53_INTERVALS[0]) {
    steps.push(`use a ${ROUTE53_INTERVALS[0]} s \`requestInterval\` (now ${interval} s)`);
  }
  if (threshold > ROUTE53_MIN_THRESHOLD) {
    steps.push(`lower \`failureThreshold\` (now ${threshold}; each step saves ${interval} s)`);
  }
  return steps.length > 0
    ? `${steps.join(' and ')} on the health check`
    : 'the health check already runs at the fastest Route 53 allows; shorten the other terms';
}

/**
 * Detection of a calculated health check: it turns unhealthy when fewer than `healthThreshold`
 * children are healthy, i.e. once `children - healthThreshold + 1` children have failed. With
 * all children failing together (a regional outage), that is the (children - threshold + 1)-th
 * fastest child, for the best and the worst case alike.
 */
export function calculatedDetection(children: Term[], healthThreshold: number): Term {
  const needed = children.length - healthThreshold + 1;
  if (children.length === 0 || needed < 1 || needed > children.length) {
    throw new Error(`calculated check needs 1..${children.length} as health threshold, got ${healthThreshold}`);
  }
  const mins = children.map((c) => c.min).sort((a, b) => a - b);
  const maxs = children.map((c) => c.max).sort((a, b) => a - b);
  return {
    id: 'route53-calculated-check',
    kind: RecoveryTermKind.DETECTION,
    min: mins[needed - 1],
    max: maxs[needed - 1],
    basis: `calculated check: unhealthy once ${needed} of ${children.length} child checks fail (health threshold ${healthThreshold}); `
      + `the children detect in at most ${children.map((c) => `${c.max} s`).join(', ')}`,
    assumption: children.some((c) => c.assumption),
    remedy: 'speed up the child checks, or raise `healthThreshold` so fewer children must fail',
  };
}

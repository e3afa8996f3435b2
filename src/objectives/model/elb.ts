/**
 * Elastic Load Balancing target health (docs/aws-facts.md#elastic-load-balancing).
 */
import { endpointDetection } from './route53';
import { instant, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/**
 * ALB target-group health check bounds: interval 5..300 s, timeout 2..120 s, healthy and
 * unhealthy thresholds 2..10 each, deregistration delay 0..3600 s.
 */
export const ELB_INTERVAL = { min: 5, max: 300 };
export const ELB_TIMEOUT = { min: 2, max: 120 };
export const ELB_THRESHOLD = { min: 2, max: 10 };
export const ELB_DEREGISTRATION_DELAY = { min: 0, max: 3600 };

/**
 * ALB target-group health check defaults for instance and IP targets: 30 s interval, unhealthy
 * after 2 failures, 5 s timeout (the `targetHealthDetection` assumption's default, 65 s, is their
 * worst case). docs/aws-facts.md holds no NLB defaults, so a reader of NLB groups takes the slowest.
 */
export const ALB_TARGET_GROUP_DEFAULTS: ElbHealthInput = { interval: 30, timeout: 5, unhealthyThreshold: 2 };
const ELB_DEFAULT_INTERVAL = ALB_TARGET_GROUP_DEFAULTS.interval;
const ELB_DEFAULT_UNHEALTHY_THRESHOLD = ALB_TARGET_GROUP_DEFAULTS.unhealthyThreshold;
const ELB_DEFAULT_TIMEOUT = ALB_TARGET_GROUP_DEFAULTS.timeout;

/** The slowest target-group health check ELB allows, for a setting a reader cannot read. */
export const ELB_SLOWEST: ElbHealthInput = { interval: ELB_INTERVAL.max, timeout: ELB_TIMEOUT.max, unhealthyThreshold: ELB_THRESHOLD.max };

/**
 * Detection without a Route 53 health check: an alias with EvaluateTargetHealth follows ELB
 * target health, whose settings are not visible from the record. Unless told, the model
 * assumes the ALB defaults: one to two 30 s intervals, plus the 5 s timeout.
 */
export function targetHealthDetection(label: string, maxSeconds?: number): Term {
  const assumed = maxSeconds === undefined;
  const max = maxSeconds ?? RecoveryAssumption.TARGET_HEALTH_DETECTION._defaultSeconds;
  return {
    id: 'elb-target-health',
    kind: RecoveryTermKind.DETECTION,
    min: Math.min((ELB_DEFAULT_UNHEALTHY_THRESHOLD - 1) * ELB_DEFAULT_INTERVAL, max),
    max,
    basis: assumed
      ? `EvaluateTargetHealth of ${label}: ELB target health assumed at the ALB target-group defaults `
        + `(${ELB_DEFAULT_UNHEALTHY_THRESHOLD} failures x ${ELB_DEFAULT_INTERVAL} s + ${ELB_DEFAULT_TIMEOUT} s timeout; NLB defaults differ)`
      : `EvaluateTargetHealth of ${label}: up to ${max} s, as given`,
    assumption: assumed,
    assumptionId: RecoveryAssumption.TARGET_HEALTH_DETECTION.id,
    remedy: 'attach an EndpointHealthCheck as `primaryHealthCheck` (its defaults, HTTPS 10 s x 2, detect in at most '
      + `${endpointDetection({ interval: 10, failureThreshold: 2, protocol: 'HTTPS' }).max} s)`,
  };
}

/** Inputs of an ELB target-group health check, in seconds. */
export interface ElbHealthInput {
  readonly interval: number;
  readonly timeout: number;
  readonly unhealthyThreshold: number;
}

/**
 * Detection by ELB target health: a target is unhealthy after `unhealthyThreshold` consecutive
 * failed checks. Best case the first failing check runs just after the failure and is the
 * first of them: (threshold - 1) intervals; worst case the failure lands just after a check,
 * so it takes threshold whole intervals, the last check waiting out its timeout.
 */
export function elbTargetDetection(input: ElbHealthInput): Term {
  return {
    id: 'elb-target-health',
    kind: RecoveryTermKind.DETECTION,
    min: round((input.unhealthyThreshold - 1) * input.interval),
    max: round(input.interval * input.unhealthyThreshold + input.timeout),
    basis: `ELB target health: ${input.unhealthyThreshold} failed checks x ${input.interval} s interval + ${input.timeout} s timeout`,
    assumption: false,
    remedy: 'shorten `healthCheck.interval` or `healthCheck.timeout`, or lower `healthCheck.unhealthyThreshold` (2 is the least ELB allows)',
  };
}

/** The load balancer stops sending new requests to an unhealthy target by itself. */
export function elbRerouting(): Term[] {
  return [
    instant('elb-decision', RecoveryTermKind.DECISION, 'automatic: the load balancer routes only to healthy targets'),
    instant('elb-reroute', RecoveryTermKind.SWITCH,
      'new requests go to the healthy targets in the other Availability Zones at once; requests in flight on the failed target fail'),
  ];
}

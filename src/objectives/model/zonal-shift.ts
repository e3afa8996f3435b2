/**
 * ARC zonal shift and zonal autoshift of a load balancer
 * (docs/aws-facts.md#zonal-shift-and-zonal-autoshift).
 */
import { alarmPeriods } from './alarms';
import { clientCaching, ELB_ALIAS_TTL, resolverCaching } from './dns';
import { assumedText, instant, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** Inputs of the zonal-shift path of a load-balanced service. */
export interface ZonalShiftInput {
  /** True when zonal autoshift is on: AWS detects and decides. */
  readonly autoshift: boolean;
  /** The per-AZ alarms that tell an operator to shift (manual mode). */
  readonly alarmPeriod: number;
  readonly alarmEvaluationPeriods: number;
  readonly operatorResponse?: number;
  readonly autoshiftDetection?: number;
  readonly clientDnsCache?: number;
}

/**
 * An Availability Zone impaired in a way target health checks do not see (gray failure):
 * traffic moves only by a zonal shift. Manual: the per-AZ alarm fires, an operator starts the
 * shift. Autoshift: AWS detects and shifts. Either way the shift removes the zone's load
 * balancer addresses from its DNS name, which clients see after the ELB TTL.
 */
export function zonalShift(input: ZonalShiftInput): Term[] {
  return [
    ...(input.autoshift ? autoshiftStart(input.autoshiftDetection) : manualShiftStart(input)),
    instant('zonal-shift', RecoveryTermKind.SWITCH,
      'ARC creates the zonal shift at once and the load balancer stops sending new traffic to the zone; connections kept alive drain as clients reconnect'),
    resolverCaching({ ttl: ELB_ALIAS_TTL, source: 'the load balancer DNS name drops the zone\'s addresses; ELB TTL', assumed: false, alias: true }),
    clientCaching(input.clientDnsCache),
  ];
}

/** Autoshift: AWS internal monitoring detects the impairment and shifts by itself. */
function autoshiftStart(given?: number): Term[] {
  const a = RecoveryAssumption.AUTOSHIFT_DETECTION;
  const seconds = given ?? a._defaultSeconds;
  return [
    {
      id: 'autoshift-detection',
      kind: RecoveryTermKind.DETECTION,
      min: 0,
      max: seconds,
      basis: `zonal autoshift: AWS internal monitoring detects the impairment, up to ${seconds} s` + assumedText(given === undefined),
      assumption: given === undefined,
      assumptionId: a.id,
      remedy: 'measure it in a practice run and set `assumptions.autoshiftDetection`; or shift by hand on the per-AZ alarms',
    },
    instant('autoshift-decision', RecoveryTermKind.DECISION, 'automatic: zonal autoshift starts the shift'),
  ];
}

/** Manual: the per-zone alarm fires and an operator starts the shift. */
function manualShiftStart(input: ZonalShiftInput): Term[] {
  const a = RecoveryAssumption.OPERATOR_RESPONSE;
  const seconds = input.operatorResponse ?? a._defaultSeconds;
  return [
    alarmPeriods('zone-alarm', 'per-AZ alarm', input.alarmPeriod, input.alarmEvaluationPeriods,
      'alarm on fewer periods, or enable `zonalAutoshift` so AWS shifts without waiting for your alarm'),
    {
      id: 'operator-response',
      kind: RecoveryTermKind.DECISION,
      min: 0,
      max: seconds,
      basis: `an operator starts a zonal shift (aws arc-zonal-shift start-zonal-shift), up to ${seconds} s`
        + assumedText(input.operatorResponse === undefined, 'a human step AWS cannot publish'),
      assumption: input.operatorResponse === undefined,
      assumptionId: a.id,
      remedy: 'enable `zonalAutoshift`, or measure your response in a game day and set `assumptions.operatorResponse`',
    },
  ];
}

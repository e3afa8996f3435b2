/**
 * ARC routing controls (docs/aws-facts.md#arc-and-global-accelerator): a routing control health
 * check follows a switch that an operator or a runbook flips. Nothing probes the endpoint, so its
 * "detection" is a human decision plus the flip reaching Route 53; Route 53's request interval and
 * failure threshold do not apply to RECOVERY_CONTROL checks.
 */
import { assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** Every ARC cluster has five Regional endpoints; a flip may go to any of them. */
export const ARC_CLUSTER_ENDPOINTS = 5;
/** Cluster, control panel, routing control and safety rule names: 1..64 non-whitespace characters. */
export const ARC_MAX_NAME = 64;
/** Routing controls per control panel (quota). */
export const ARC_MAX_CONTROLS_PER_PANEL = 100;
/** Routing controls per UpdateRoutingControlStates call (quota): one atomic flip covers at most this many. */
export const ARC_MAX_CONTROLS_PER_UPDATE = 10;
/** The wait period of a safety rule when none is given, in milliseconds. */
export const ARC_DEFAULT_WAIT_PERIOD_MS = 5000;

/** From the failure to an operator (or the runbook they start) deciding to flip the routing controls. */
export function operatorDecision(operatorResponse?: number): Term {
  const assumed = operatorResponse === undefined;
  const seconds = operatorResponse ?? RecoveryAssumption.OPERATOR_RESPONSE._defaultSeconds;
  return {
    id: 'arc-operator-decision',
    kind: RecoveryTermKind.DECISION,
    min: 0,
    max: seconds,
    basis: `a routing control changes only when an operator or a runbook flips it: up to ${seconds} s from the failure to the decision`
      + assumedText(assumed, RecoveryAssumption.OPERATOR_RESPONSE.basis),
    assumption: assumed,
    assumptionId: RecoveryAssumption.OPERATOR_RESPONSE.id,
    remedy: 'page on the alarms that mean "fail over", start the failover runbook from them, and set `assumptions.operatorResponse` to what a game day measured',
  };
}

/** From UpdateRoutingControlStates to Route 53 reporting the routing control health check's new status. */
export function routingControlSwitch(controlToHealthStatus?: number): Term {
  const assumed = controlToHealthStatus === undefined;
  const seconds = controlToHealthStatus ?? RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS._defaultSeconds;
  return {
    id: 'arc-routing-control-switch',
    kind: RecoveryTermKind.SWITCH,
    min: 0,
    max: seconds,
    basis: `one atomic UpdateRoutingControlStates on any of the ${ARC_CLUSTER_ENDPOINTS} cluster endpoints (data plane), then the health check `
      + `follows the new state: up to ${seconds} s` + assumedText(assumed, RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS.basis),
    assumption: assumed,
    assumptionId: RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS.id,
    remedy: 'measure the flip with a drill and set `assumptions.routingControlToHealthStatus`',
  };
}

/** Inputs of a routing control health check's terms; undefined takes each assumption's default. */
export interface RoutingControlInput {
  readonly operatorResponse?: number;
  readonly controlToHealthStatus?: number;
}

/** What a routing control health check contributes to a path: the decision, then the flip. */
export function routingControlDetection(input: RoutingControlInput = {}): Term[] {
  return [operatorDecision(input.operatorResponse), routingControlSwitch(input.controlToHealthStatus)];
}

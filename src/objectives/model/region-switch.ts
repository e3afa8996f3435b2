/**
 * The execution blocks of an ARC Region switch plan (docs/aws-facts.md#arc-region-switch): a
 * workflow runs its steps in series, each block until it is done or its timeout passes. AWS
 * publishes the timeouts, not how long a block takes, so each block's figure is the named
 * assumption of what it waits for (the same ones as the runbook's steps), never more than the
 * block's timeout. Figures in seconds.
 */
import { routingControlSwitch } from './arc';
import { clientCaching, dnsAnswerSwitch, resolverCaching } from './dns';
import { assumedTerm, assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** A block's timeout when the plan sets none: 60 minutes (docs/aws-facts.md#arc-region-switch). */
export const REGION_SWITCH_BLOCK_TIMEOUT_MINUTES = 60;
/** The plan's recovery time objective: 1 to 10,080 minutes (docs/aws-facts.md#arc-region-switch). */
export const REGION_SWITCH_RTO_MINUTES = { min: 1, max: 10_080 };
/** A plan's name: at most 32 characters (docs/aws-facts.md#arc-region-switch). */
export const REGION_SWITCH_MAX_NAME = 32;

/** Region switch starts a block: one call, the `runbookTask` assumption. */
export function blockCall(id: string, kind: RecoveryTermKind, block: string, what: string, runbookTask?: number): Term {
  return assumedTerm(id, kind, RecoveryAssumption.RUNBOOK_TASK, runbookTask,
    (s) => `Region switch runs the ${block} block (${what}): its call, up to ${s} s`,
    'nothing to shorten but the number of blocks; set `assumptions.runbookTask` to what a practice run measured');
}

/** What a block waits for. */
export interface BlockWaitInput {
  readonly id: string;
  readonly kind: RecoveryTermKind;
  /** The assumption that gives the wait. */
  readonly assumption: RecoveryAssumption;
  /** The value given for it, in seconds; undefined takes its default. */
  readonly given?: number;
  /** The block's timeout, in minutes. */
  readonly timeoutMinutes: number;
  /** What the block waits for, in words. */
  readonly what: string;
  readonly remedy: string;
}

/**
 * A block waiting for AWS: the assumption, capped by the block's timeout (after it the step
 * fails, so a longer wait never ends in a recovery).
 */
export function blockWait(input: BlockWaitInput): Term {
  const assumed = input.given === undefined;
  const wait = input.given ?? input.assumption._defaultSeconds;
  const timeout = input.timeoutMinutes * 60;
  const max = Math.min(wait, timeout);
  return {
    id: input.id,
    kind: input.kind,
    min: 0,
    max,
    basis: `${input.what}: up to ${max} s` + (wait > timeout ? ` (the block's ${input.timeoutMinutes} min timeout fails the step after it)` : '')
      + assumedText(assumed, input.assumption.basis),
    assumption: assumed,
    assumptionId: input.assumption.id,
    remedy: input.remedy,
  };
}

/** Inputs of an ARC routing control block. */
export interface RoutingControlBlockInput {
  /** The states the block sets, in words: `us-west-2 On, us-east-1 Off`. */
  readonly states: string;
  /** True when the block only turns the old primary Off (a fence): no traffic moves to the new side. */
  readonly fence: boolean;
  /** The TTL of the failover records that follow the controls' health checks, in seconds. */
  readonly recordTtl: number;
  /** Where the TTL comes from, for the report. */
  readonly ttlSource: string;
  readonly runbookTask?: number;
  readonly controlToHealthStatus?: number;
  readonly healthToDnsAnswer?: number;
  readonly clientDnsCache?: number;
}

/**
 * An ARC routing control block: the states set through the cluster's data plane, then (for a
 * switch) the controls' health checks, Route 53's answer and the caches, as in the runbook.
 */
export function routingControlBlock(id: string, input: RoutingControlBlockInput): Term[] {
  const call = blockCall(`${id}-routing-controls`, input.fence ? RecoveryTermKind.FENCE : RecoveryTermKind.SWITCH,
    'ARCRoutingControl', input.states, input.runbookTask);
  if (input.fence) {
    return [call];
  }
  const healthToDns = input.healthToDnsAnswer;
  return [
    call,
    { ...routingControlSwitch(input.controlToHealthStatus), id: `${id}-routing-control-health` },
    { ...dnsAnswerSwitch(healthToDns ?? RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds, healthToDns === undefined), id: `${id}-dns-answer` },
    { ...resolverCaching({ ttl: input.recordTtl, source: input.ttlSource, assumed: false, alias: false }), id: `${id}-resolver-cache` },
    { ...clientCaching(input.clientDnsCache), id: `${id}-client-cache` },
  ];
}

/** Inputs of an Aurora Global Database block. */
export interface AuroraGlobalBlockInput {
  /** True for `switchoverOnly` (no data lost), false for `failover` (AllowDataLoss). */
  readonly switchover: boolean;
  /** The cluster that becomes the writer. */
  readonly clusterIdentifier: string;
  readonly timeoutMinutes: number;
  readonly runbookTask?: number;
  readonly globalDatabaseFailover?: number;
  readonly auroraGlobalLag?: number;
}

/**
 * An Aurora Global Database block: the call, the wait for the new writer, and the data it
 * loses. A plan has no RPO guard block, so a failover loses up to the whole lag.
 */
export function auroraGlobalBlock(id: string, input: AuroraGlobalBlockInput): Term[] {
  const action = input.switchover ? 'SwitchoverGlobalCluster' : 'FailoverGlobalCluster';
  const lag = input.auroraGlobalLag ?? RecoveryAssumption.AURORA_GLOBAL_LAG._defaultSeconds;
  const lagAssumed = input.auroraGlobalLag === undefined;
  return [
    blockCall(`${id}-aurora-global-call`, RecoveryTermKind.PROMOTE, 'AuroraGlobalDatabase', action, input.runbookTask),
    blockWait({
      id: `${id}-aurora-global-${input.switchover ? 'switchover' : 'failover'}`,
      kind: RecoveryTermKind.PROMOTE,
      assumption: RecoveryAssumption.GLOBAL_DATABASE_FAILOVER,
      given: input.globalDatabaseFailover,
      timeoutMinutes: input.timeoutMinutes,
      what: `${action} until ${input.clusterIdentifier} is the writer`,
      remedy: 'time a practice run of the plan and set `assumptions.globalDatabaseFailover`',
    }),
    input.switchover ? {
      id: `${id}-switchover-data`,
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: 0,
      basis: 'the block\'s switchoverOnly behavior calls SwitchoverGlobalCluster, which waits until the secondary has every committed write: nothing is lost',
      assumption: false,
      remedy: 'none needed',
    } : {
      id: `${id}-failover-lag`,
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: lag,
      basis: `the block's failover behavior calls FailoverGlobalCluster with AllowDataLoss, losing what the secondary had not replicated: up to ${lag} s; `
        + 'a plan has no RPO guard block to refuse while the lag is high' + assumedText(lagAssumed, RecoveryAssumption.AURORA_GLOBAL_LAG.basis),
      assumption: lagAssumed,
      assumptionId: RecoveryAssumption.AURORA_GLOBAL_LAG.id,
      remedy: 'use PromoteData.auroraGlobalSwitchover where the primary Region is up, or the Step Functions runbook with an RpoGuard; '
        + 'measure AuroraGlobalDBRPOLag and set `assumptions.auroraGlobalLag`',
    },
  ];
}

/** Inputs of an RDS read replica promotion block. */
export interface ReadReplicaBlockInput {
  readonly instanceIdentifier: string;
  readonly timeoutMinutes: number;
  readonly runbookTask?: number;
  readonly replicaPromotion?: number;
  readonly rdsReplicaLag?: number;
}

/** An RDS promote read replica block: the call, the promotion, and the replica's lag lost. */
export function readReplicaBlock(id: string, input: ReadReplicaBlockInput): Term[] {
  const lag = input.rdsReplicaLag ?? RecoveryAssumption.RDS_REPLICA_LAG._defaultSeconds;
  const lagAssumed = input.rdsReplicaLag === undefined;
  return [
    blockCall(`${id}-promote-replica-call`, RecoveryTermKind.PROMOTE, 'RdsPromoteReadReplica', `PromoteReadReplica ${input.instanceIdentifier}`, input.runbookTask),
    blockWait({
      id: `${id}-replica-promotion`,
      kind: RecoveryTermKind.PROMOTE,
      assumption: RecoveryAssumption.REPLICA_PROMOTION,
      given: input.replicaPromotion,
      timeoutMinutes: input.timeoutMinutes,
      what: `RDS promotes ${input.instanceIdentifier} to a standalone writer`,
      remedy: 'time a practice run of the plan and set `assumptions.replicaPromotion`; Aurora Global Database fails over across Regions in minutes',
    }),
    {
      id: `${id}-replica-lag`,
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: lag,
      basis: `the promoted replica lacks what it had not applied: up to ${lag} s; a plan has no RPO guard block to refuse while the lag is high`
        + assumedText(lagAssumed, RecoveryAssumption.RDS_REPLICA_LAG.basis),
      assumption: lagAssumed,
      assumptionId: RecoveryAssumption.RDS_REPLICA_LAG.id,
      remedy: 'measure ReplicaLag and set `assumptions.rdsReplicaLag`, or use the Step Functions runbook with an RpoGuard on the ReplicaLag alarm',
    },
  ];
}

/** Inputs of an ECS service scaling block. */
export interface EcsScalingBlockInput {
  readonly serviceName: string;
  readonly timeoutMinutes: number;
  readonly runbookTask?: number;
  readonly ecsScaleOut?: number;
}

/** An ECS service scaling block: the update, then the tasks starting. */
export function ecsScalingBlock(id: string, input: EcsScalingBlockInput): Term[] {
  return [
    blockCall(`${id}-ecs-scaling-call`, RecoveryTermKind.SCALE, 'ECSServiceScaling', `scale ${input.serviceName}`, input.runbookTask),
    blockWait({
      id: `${id}-ecs-scale-out`,
      kind: RecoveryTermKind.SCALE,
      assumption: RecoveryAssumption.ECS_SCALE_OUT,
      given: input.ecsScaleOut,
      timeoutMinutes: input.timeoutMinutes,
      what: `the tasks of ${input.serviceName} running`,
      remedy: 'keep the standby warmer, smaller images, a shorter health-check grace; set `assumptions.ecsScaleOut` to what a practice run measured',
    }),
  ];
}

/**
 * A manual approval block: a person approves the step in Region switch (with the approval
 * role), up to the `approvalWait` assumption, never more than the block's timeout.
 */
export function approvalBlock(id: string, timeoutMinutes: number, approvalWait?: number): Term {
  return blockWait({
    id: `${id}-wait`,
    kind: RecoveryTermKind.DECISION,
    assumption: RecoveryAssumption.APPROVAL_WAIT,
    given: approvalWait,
    timeoutMinutes,
    what: 'a person approves the step in Region switch',
    remedy: 'approve from the page that starts the plan, or drop the approval where the start already is a person\'s decision',
  });
}

/** A trigger starts the plan once its alarm is red: the `regionSwitchTrigger` assumption, no person decides. */
export function triggerStart(given?: number): Term {
  return assumedTerm('region-switch-trigger', RecoveryTermKind.DECISION, RecoveryAssumption.REGION_SWITCH_TRIGGER, given,
    (s) => `the plan's trigger starts it once its alarm is red, no person decides: up to ${s} s`,
    'set `assumptions.regionSwitchTrigger` to what a practice run measured');
}

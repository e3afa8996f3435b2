/**
 * Server recovery with AWS Elastic Disaster Recovery (DRS): continuous block-level replication
 * to a staging area, and recovery instances launched from it on demand
 * (docs/aws-facts.md#fis-and-drs; prices in docs/aws-facts.md#pricing).
 */
import { HOURS_PER_MONTH } from './global-accelerator';
import { assumedTerm, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** About 0.028 USD per replicating source server-hour (docs/aws-facts.md#pricing: a secondary source). */
export const DRS_SERVER_HOUR_USD = 0.028;

/** Inputs of the recovery path; each figure in seconds, undefined takes its assumption's default. */
export interface DrsRecoveryInput {
  /** The region the servers recover in, for the texts. */
  readonly recoveryRegion: string;
  /** How many source servers replicate, for the texts. */
  readonly sourceServers: number;
  readonly replicationLag?: number;
  readonly operatorResponse?: number;
  readonly recoveryLaunch?: number;
  readonly instanceBoot?: number;
}

/**
 * The recovery of replicating source servers: the writes not yet replicated are lost (DRS
 * replicates blocks continuously, an RPO of seconds by AWS's account); a person or a runbook
 * starts the recovery (DRS never starts one by itself); DRS converts the latest point in time
 * and launches the recovery instances (minutes, no figure published); the instances boot and
 * their applications start.
 */
export function drsRecovery(input: DrsRecoveryInput): Term[] {
  const servers = `${input.sourceServers} source server${input.sourceServers === 1 ? '' : 's'}`;
  return [
    assumedTerm('drs-replication-lag', RecoveryTermKind.REPLICATION_LAG, RecoveryAssumption.DRS_REPLICATION_LAG, input.replicationLag,
      (s) => `DRS replicates the disks' blocks continuously to the staging area in ${input.recoveryRegion}, an RPO of seconds by AWS's account: `
        + `writes not yet replicated are lost, up to ${s} s`,
      'watch the source servers\' replication lag (DescribeSourceServers, the DRS console) and set `assumptions.drsReplicationLag` to what you see; '
      + 'give replication enough bandwidth (no `bandwidthThrottlingMbps`)'),
    assumedTerm('drs-recovery-decision', RecoveryTermKind.DECISION, RecoveryAssumption.OPERATOR_RESPONSE, input.operatorResponse,
      (s) => `a person or a runbook starts the recovery of the ${servers} in ${input.recoveryRegion}: up to ${s} s; DRS never starts one by itself`,
      'start the recovery from a runbook triggered by your health alarm, and set `assumptions.operatorResponse` to what a game day measures'),
    assumedTerm('drs-recovery-launch', RecoveryTermKind.RESTORE, RecoveryAssumption.DRS_RECOVERY_LAUNCH, input.recoveryLaunch,
      (s) => `DRS converts the ${servers}' latest point in time and launches the recovery instances, minutes by AWS's account: up to ${s} s`,
      'time a recovery drill (DrillInjection.drsRecovery) and set `assumptions.drsRecoveryLaunch` to the job\'s duration'),
    assumedTerm('drs-instance-boot', RecoveryTermKind.RESTORE, RecoveryAssumption.DRS_INSTANCE_BOOT, input.instanceBoot,
      (s) => `the recovery instances boot and their applications start serving: up to ${s} s`,
      'measure boot to serving in a drill and set `assumptions.drsInstanceBoot`; keep the launch template\'s right-sizing so instances are not undersized'),
  ];
}

/** Inputs of the idle cost. */
export interface DrsCostInput {
  /** Source servers replicating. */
  readonly sourceServers: number;
  /** The price of a source server-hour in USD. */
  readonly serverHourUsd: number;
  /** Whether the price was given by the user (else the library's figure). */
  readonly priceGiven: boolean;
}

/**
 * What DRS costs a month while nothing fails: the per source server-hour fee for every
 * replicating server, 730 h. The staging area (replication servers, their EBS volumes and
 * snapshots) is billed by EC2 and EBS and not counted.
 */
export function drsMonthlyCost(input: DrsCostInput): { monthlyUsd: number; basis: string } {
  const monthlyUsd = round(input.serverHourUsd * input.sourceServers * HOURS_PER_MONTH);
  const price = input.priceGiven ? `${input.serverHourUsd} USD per source server-hour (given)`
    : `${input.serverHourUsd} USD per source server-hour (about, us-east-1; a secondary source: docs/aws-facts.md#pricing)`;
  return {
    monthlyUsd,
    basis: `an estimate: ${price} x ${input.sourceServers} source server${input.sourceServers === 1 ? '' : 's'} x ${HOURS_PER_MONTH} h; `
      + 'the staging area (replication servers, EBS volumes and snapshots) and drill or recovery instances are billed by EC2 and EBS and not counted',
  };
}

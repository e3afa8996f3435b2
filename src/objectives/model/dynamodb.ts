/**
 * DynamoDB global tables: how much a replica in another region can miss when the region that
 * took the writes fails (docs/aws-facts.md#dynamodb-global-tables).
 */
import { assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** The consistency mode of a global table, fixed when the table is created. */
export type GlobalTableConsistency = 'eventual' | 'strong';

/** Inputs of the data path from the table's region to one replica. */
export interface GlobalTableReplicaInput {
  readonly consistency: GlobalTableConsistency;
  /** The region that holds the replica. */
  readonly replicaRegion: string;
  /** The MREC lag the user measured (assumption `dynamoDbReplicationLag`), in seconds; undefined takes the default. */
  readonly replicationLag?: number;
}

/**
 * One data term. MREC replicates asynchronously (typically within a second, no SLA): the writes
 * not yet applied in the replica's region are lost with their region, up to the assumed lag.
 * MRSC acknowledges a write only once another region has it, so no acknowledged write is lost.
 */
export function globalTableReplica(input: GlobalTableReplicaInput): Term {
  if (input.consistency === 'strong') {
    return {
      id: 'dynamodb-mrsc',
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: 0,
      basis: 'multi-Region strong consistency (MRSC): a write succeeds only once it is replicated to another region, '
        + `so ${input.replicaRegion} holds every acknowledged write (RPO 0)`,
      assumption: false,
      remedy: 'none needed',
    };
  }
  const a = RecoveryAssumption.DYNAMODB_REPLICATION_LAG;
  const assumed = input.replicationLag === undefined;
  const lag = input.replicationLag ?? a._defaultSeconds;
  return {
    id: 'dynamodb-replication-lag',
    kind: RecoveryTermKind.REPLICATION_LAG,
    min: 0,
    max: lag,
    basis: 'multi-Region eventual consistency (MREC) replicates asynchronously, typically within a second: '
      + `writes not yet in ${input.replicaRegion} are lost with their region, up to ${lag} s`
      + assumedText(assumed, a.basis),
    assumption: assumed,
    assumptionId: a.id,
    remedy: 'measure ReplicationLatency and set `assumptions.dynamoDbReplicationLag`; for RPO 0 create the table with '
      + '`multiRegionConsistency: MultiRegionConsistency.STRONG` (MRSC, three regions or two plus a witness; the mode is fixed at creation)',
  };
}

/** The `ReplicationLatency` alarm threshold, in seconds, and where it comes from. */
export interface LatencyThreshold {
  readonly seconds: number;
  readonly source: string;
}

/**
 * The lag beyond which replication no longer meets the declared RPO: the RPO when one above 0 is
 * declared, else the lag the model assumes when above 0, else the assumption's default (an RPO
 * of 0 cannot be met by MREC, and an alarm at 0 would never clear).
 */
export function replicationLatencyThreshold(rpo: number | undefined, replicationLag: number | undefined): LatencyThreshold {
  return lagThreshold(rpo, replicationLag, RecoveryAssumption.DYNAMODB_REPLICATION_LAG);
}

/** The first figure above 0 of: the declared RPO, the lag given for the assumption, its default. */
export function lagThreshold(rpo: number | undefined, lag: number | undefined, a: RecoveryAssumption): LatencyThreshold {
  if (rpo !== undefined && rpo > 0) {
    return { seconds: rpo, source: 'the declared RPO' };
  }
  return { seconds: lag !== undefined && lag > 0 ? lag : a._defaultSeconds, source: `the ${a.id} assumption` };
}

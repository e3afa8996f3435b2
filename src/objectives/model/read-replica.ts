/**
 * Promotion of a cross-region RDS read replica after the loss of its source's region
 * (docs/aws-facts.md#rds-and-aurora).
 */
import { clientCaching } from './dns';
import { lagThreshold, LatencyThreshold } from './dynamodb';
import { assumedTerm, assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** Inputs of the promotion path; each figure in seconds, undefined takes its assumption's default. */
export interface ReplicaPromotionInput {
  /** The region of the replica, for the texts. */
  readonly replicaRegion: string;
  readonly replicaLag?: number;
  readonly operatorResponse?: number;
  readonly replicaPromotion?: number;
  readonly endpointDnsTtl?: number;
  readonly clientDnsCache?: number;
}

/**
 * The unplanned path: the writes the replica had not applied are lost (asynchronous, no bound:
 * the `ReplicaLag` alarm reports a lag, it does not bound it); a person or a runbook decides to
 * promote; RDS promotes the replica (several minutes or longer); clients move to the replica's
 * own endpoint, a name other than the source's.
 */
export function replicaPromotion(input: ReplicaPromotionInput): Term[] {
  return [
    lagTerm(input.replicaLag),
    assumedTerm('rds-promotion-decision', RecoveryTermKind.DECISION, RecoveryAssumption.OPERATOR_RESPONSE, input.operatorResponse,
      (s) => `a person or a runbook decides to promote the replica in ${input.replicaRegion}: up to ${s} s; RDS never promotes by itself`,
      'start the promotion from a runbook triggered by your health alarm, and set `assumptions.operatorResponse` to what a game day measures'),
    assumedTerm('rds-replica-promotion', RecoveryTermKind.PROMOTE, RecoveryAssumption.REPLICA_PROMOTION, input.replicaPromotion,
      (s) => `RDS promotes the read replica to a standalone writer, several minutes or longer by AWS's account: up to ${s} s`,
      'time a promotion in a drill and set `assumptions.replicaPromotion`; Aurora Global Database fails over across regions in minutes'),
    assumedTerm('rds-replica-endpoint', RecoveryTermKind.SWITCH, RecoveryAssumption.ENDPOINT_DNS_TTL, input.endpointDnsTtl,
      (s) => `clients must move to the replica's own endpoint: the DNS name or configuration they use is changed, and resolvers keep the old answer up to ${s} s`,
      'point clients at a Route 53 record with a short TTL that the runbook switches to the replica, and set `assumptions.endpointDnsTtl` to its TTL'),
    clientCaching(input.clientDnsCache),
  ];
}

function lagTerm(given: number | undefined): Term {
  const a = RecoveryAssumption.RDS_REPLICA_LAG;
  const lag = given ?? a._defaultSeconds;
  return {
    id: 'rds-replica-lag',
    kind: RecoveryTermKind.REPLICATION_LAG,
    min: 0,
    max: lag,
    basis: `cross-region read replicas apply the source's changes asynchronously: what they had not applied is lost, up to ${lag} s; `
      + 'the ReplicaLag alarm reports a longer lag, it does not bound it' + assumedText(given === undefined, a.basis),
    assumption: given === undefined,
    assumptionId: a.id,
    remedy: 'measure ReplicaLag and set `assumptions.rdsReplicaLag`; for a bounded lag use Aurora Global Database (managed RPO with Aurora PostgreSQL)',
  };
}

/** The `ReplicaLag` alarm threshold in seconds: the declared RPO, else the assumed lag, whichever first is above 0. */
export function replicaLagThreshold(rpo: number | undefined, replicaLag: number | undefined): LatencyThreshold {
  return lagThreshold(rpo, replicaLag, RecoveryAssumption.RDS_REPLICA_LAG);
}

/**
 * The data-loss window of S3 replication between buckets (docs/aws-facts.md#s3-replication).
 */
import { assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/**
 * S3 Replication Time Control: 99.99 % of objects within 15 minutes, the only time RTC accepts
 * (docs/aws-facts.md#s3-replication).
 */
export const S3_RTC_SECONDS = 900;

/** Inputs of one direction of S3 replication. */
export interface S3ReplicationInput {
  /** True when the rule has Replication Time Control. */
  readonly rtc: boolean;
  /** The lag a drill or the `ReplicationLatency` metric showed, in seconds (RTC off only); undefined takes the assumption. */
  readonly lag?: number;
}

/**
 * Objects written on the source and not yet copied when the source region fails. With RTC the
 * bound is AWS's 15 minutes, which covers 99.99 % of objects: the 0.01 % tail has no bound.
 * Without RTC AWS publishes no bound at all, so the window is a named assumption.
 */
export function s3ReplicationLag(input: S3ReplicationInput): Term {
  if (input.rtc) {
    return {
      id: 's3-replication-rtc',
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: S3_RTC_SECONDS,
      basis: 'S3 Replication Time Control replicates 99.99 % of objects within 15 minutes (docs/aws-facts.md#s3-replication); '
        + 'the remaining 0.01 % is not bounded, and objects that failed to replicate are not covered (see the failure alarm)',
      assumption: false,
      remedy: 'S3 replication bounds its lag at 15 minutes at best (RTC): for a shorter RPO, have the application write to both regions',
    };
  }
  const a = RecoveryAssumption.S3_REPLICATION_LAG;
  const assumed = input.lag === undefined;
  const lag = input.lag ?? a._defaultSeconds;
  return {
    id: 's3-replication-lag',
    kind: RecoveryTermKind.REPLICATION_LAG,
    min: 0,
    max: lag,
    basis: assumed
      ? `S3 replication without Replication Time Control has no published bound; up to ${lag} s${assumedText(true, a.basis)}`
      : `S3 replication without Replication Time Control, up to the given ${lag} s (the \`${a.id}\` assumption, as measured)`,
    assumption: assumed,
    assumptionId: a.id,
    remedy: 'turn on Replication Time Control (`replicationTimeControl: true`) for AWS\'s 15-minute bound',
  };
}

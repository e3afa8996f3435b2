/**
 * Failover of a Multi-AZ database inside a region (docs/aws-facts.md#rds-and-aurora).
 */
import { clientCaching } from './dns';
import { assumedText, instant, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** What the model needs of one way of making a database Multi-AZ. */
export interface DatabaseFailoverFigure {
  /** Stable id of the mode, for term ids. */
  readonly id: string;
  /** Typical failover time, detection and promotion together, in seconds. */
  readonly min: number;
  readonly max: number;
  readonly basis: string;
  readonly remedy: string;
  /** Why committed writes survive. */
  readonly dataBasis: string;
}

/**
 * Typical failover times: Multi-AZ DB instance 60-120 s; Multi-AZ DB cluster under 35 s; Aurora
 * with a replica under 60 s (often under 30 s), without one up to 10 minutes (a new instance is
 * created). Replication inside the region is synchronous in each mode, so no committed write is
 * lost.
 */
export const DATABASE_FAILOVER = {
  instance: {
    id: 'multi-az-instance',
    min: 60,
    max: 120,
    basis: 'RDS Multi-AZ DB instance failover to the standby: typically 60-120 s',
    remedy: 'use a Multi-AZ DB cluster (under 35 s) or Aurora with replicas (under 60 s)',
    dataBasis: 'synchronous replication to the standby: committed transactions survive',
  },
  cluster: {
    id: 'multi-az-cluster',
    min: 0,
    max: 35,
    basis: 'RDS Multi-AZ DB cluster failover to a readable standby: typically under 35 s',
    remedy: 'none within this mode',
    dataBasis: 'semi-synchronous replication: a commit waits for at least one reader, which the failover promotes',
  },
  aurora: {
    id: 'aurora',
    min: 0,
    max: 60,
    basis: 'Aurora failover to a replica in another AZ: under 60 s, often under 30 s',
    remedy: 'none within this mode',
    dataBasis: 'Aurora storage keeps six copies in three AZs and commits on a write quorum: committed transactions survive',
  },
  auroraWithoutReplica: {
    id: 'aurora-without-replica',
    min: 0,
    max: 600,
    basis: 'Aurora without a replica recreates the writer: up to 10 minutes',
    remedy: 'add an Aurora replica in another Availability Zone (`readers`)',
    dataBasis: 'Aurora storage keeps six copies in three AZs and commits on a write quorum: committed transactions survive',
  },
};

/** How a database is made Multi-AZ. */
export type DatabaseModeName = 'instance' | 'cluster' | 'aurora';

/** Inputs of a Multi-AZ database failover path. */
export interface DatabaseFailoverInput {
  readonly mode: DatabaseModeName;
  /** Aurora replicas in other AZs (Aurora only: without one, Aurora recreates the writer). */
  readonly replicas: number;
  /** True when clients connect through RDS Proxy. */
  readonly proxy: boolean;
  readonly endpointDnsTtl?: number;
  readonly clientDnsCache?: number;
}

/**
 * RDS detects the failure and promotes the standby by itself (one term: AWS publishes detection
 * and promotion together). Without RDS Proxy the endpoint's DNS record then points at the new
 * writer, and clients see it after the record TTL and their own cache; with RDS Proxy the proxy
 * endpoint does not change and the proxy reconnects to the new writer.
 */
export function databaseFailover(input: DatabaseFailoverInput): Term[] {
  const figure: DatabaseFailoverFigure = input.mode === 'aurora' && input.replicas === 0
    ? DATABASE_FAILOVER.auroraWithoutReplica
    : DATABASE_FAILOVER[input.mode];
  return [
    {
      id: `${figure.id}-failover`,
      kind: RecoveryTermKind.DETECTION,
      min: figure.min,
      max: figure.max,
      basis: `${figure.basis} (detection and promotion by RDS)`,
      assumption: false,
      remedy: figure.remedy,
    },
    instant('rds-decision', RecoveryTermKind.DECISION, 'automatic: RDS fails over by itself'),
    ...(input.proxy ? [proxySwitch()] : endpointRepoint(input)),
    {
      id: `${figure.id}-data`,
      kind: RecoveryTermKind.DATA_LOSS,
      min: 0,
      max: 0,
      basis: figure.dataBasis,
      assumption: false,
      remedy: 'none needed',
    },
  ];
}

function proxySwitch(): Term {
  return instant('rds-proxy', RecoveryTermKind.SWITCH,
    'RDS Proxy keeps the client connections and its endpoint, and follows the new writer itself: no DNS change reaches clients');
}

function endpointRepoint(input: DatabaseFailoverInput): Term[] {
  const a = RecoveryAssumption.ENDPOINT_DNS_TTL;
  const ttl = input.endpointDnsTtl ?? a._defaultSeconds;
  return [
    {
      id: 'rds-endpoint-dns',
      kind: RecoveryTermKind.PROPAGATION,
      min: 0,
      max: ttl,
      basis: `the endpoint's DNS record now names the new writer; resolvers keep the old answer up to ${ttl} s`
        + assumedText(input.endpointDnsTtl === undefined, 'AWS does not publish the endpoint TTL'),
      assumption: input.endpointDnsTtl === undefined,
      assumptionId: a.id,
      remedy: 'connect through RDS Proxy (`proxy: true`), whose endpoint does not change',
    },
    clientCaching(input.clientDnsCache),
  ];
}

/**
 * Moving the writer of an Aurora global database to a secondary region
 * (docs/aws-facts.md#rds-and-aurora): a planned switchover, which waits for the secondary to
 * catch up, and an unplanned failover with data loss, which loses the replication lag.
 */
import { clientCaching } from './dns';
import { assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** The smallest and largest `rds.global_db_rpo` Aurora PostgreSQL accepts, in seconds. */
export const MANAGED_RPO_MIN = 20;
export const MANAGED_RPO_MAX = 2_147_483_647;

/** Inputs of the cross-region paths of one secondary cluster; undefined figures take the assumption's default. */
export interface GlobalPathInput {
  /** From the region failing to an operator starting the switchover or failover. */
  readonly operatorResponse?: number;
  /** From the switchover or failover starting to the new primary accepting writes. */
  readonly globalDatabaseFailover?: number;
  readonly endpointDnsTtl?: number;
  readonly clientDnsCache?: number;
  /** True for a headless secondary, which needs an instance before it can be promoted. */
  readonly headless?: boolean;
  /** From adding the first instance of a headless secondary to it being available. */
  readonly headlessInstanceCreation?: number;
}


/** How far the secondary may trail the primary when the failover strikes. */
export interface GlobalLagInput {
  /** The managed RPO of the primary (Aurora PostgreSQL `rds.global_db_rpo`), in seconds. */
  readonly managedRpo?: number;
  /** The lag the user gave (`assumptions.auroraGlobalLag`), in seconds; ignored with a managed RPO. */
  readonly lag?: number;
}

/**
 * A planned switchover (`SwitchoverGlobalCluster`): Aurora waits until the secondary has every
 * committed write, then makes it the primary, so no write is lost.
 */
export function globalSwitchover(input: GlobalPathInput): Term[] {
  return [
    operatorDecision(input.operatorResponse, 'starts the switchover (SwitchoverGlobalCluster)'),
    ...firstInstance(input),
    promotion(input.globalDatabaseFailover, 'switchover'),
    ...globalEndpoint(input),
    {
      id: 'aurora-global-switchover-data',
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: 0,
      basis: 'SwitchoverGlobalCluster synchronizes the secondary with the primary before it changes roles: no committed write is lost',
      assumption: false,
      remedy: 'none needed',
    },
  ];
}

/**
 * An unplanned failover (`FailoverGlobalCluster` with `AllowDataLoss`): the secondary is promoted
 * as it is, losing what it had not received. With a managed RPO the primary blocks commits while
 * no secondary is within it, so the loss is at most the managed RPO; otherwise it is the lag,
 * which AWS does not bound.
 */
export function globalFailover(input: GlobalPathInput & GlobalLagInput): Term[] {
  return [
    operatorDecision(input.operatorResponse, 'starts the failover with data loss (FailoverGlobalCluster, AllowDataLoss)'),
    ...firstInstance(input),
    promotion(input.globalDatabaseFailover, 'failover'),
    ...globalEndpoint(input),
    lagTerm(input),
  ];
}

function lagTerm(input: GlobalLagInput): Term {
  const a = RecoveryAssumption.AURORA_GLOBAL_LAG;
  if (input.managedRpo !== undefined) {
    return {
      id: 'aurora-global-lag',
      kind: RecoveryTermKind.REPLICATION_LAG,
      min: 0,
      max: input.managedRpo,
      basis: `the managed RPO (rds.global_db_rpo = ${input.managedRpo} s) blocks commits on the primary while no secondary is within it, `
        + 'so the least-lagging secondary misses at most that much',
      assumption: false,
      remedy: 'lower the managed RPO (`managedRpo`, at least 20 s), or plan a switchover instead (RPO 0)',
    };
  }
  const assumed = input.lag === undefined;
  const lag = input.lag ?? a._defaultSeconds;
  return {
    id: 'aurora-global-lag',
    kind: RecoveryTermKind.REPLICATION_LAG,
    min: 0,
    max: lag,
    basis: `writes the secondary had not received when the primary failed: up to ${lag} s`
      + assumedText(assumed, 'AWS says typically under a second and gives no bound without a managed RPO'),
    assumption: assumed,
    assumptionId: a.id,
    remedy: 'bound the lag with a managed RPO (Aurora PostgreSQL, `managedRpo`), or set `assumptions.auroraGlobalLag` to what AuroraGlobalDBRPOLag shows',
  };
}

/** A headless secondary has no instance to promote: one is created first. */
function firstInstance(input: GlobalPathInput): Term[] {
  if (!input.headless) {
    return [];
  }
  const a = RecoveryAssumption.HEADLESS_INSTANCE_CREATION;
  const seconds = input.headlessInstanceCreation ?? a._defaultSeconds;
  const assumed = input.headlessInstanceCreation === undefined;
  return [{
    id: 'aurora-global-first-instance',
    kind: RecoveryTermKind.SCALE,
    min: 0,
    max: seconds,
    basis: `a headless secondary has no DB instance to promote: one is created first, up to ${seconds} s`
      + assumedText(assumed, 'AWS publishes no time for it'),
    assumption: assumed,
    assumptionId: a.id,
    remedy: 'give the secondary instances (leave `headless` off): they serve reads and are ready to be promoted; or set `assumptions.headlessInstanceCreation` to what a drill measured',
  }];
}

function operatorDecision(given: number | undefined, action: string): Term {
  const a = RecoveryAssumption.OPERATOR_RESPONSE;
  const seconds = given ?? a._defaultSeconds;
  return {
    id: 'aurora-global-decision',
    kind: RecoveryTermKind.DECISION,
    min: 0,
    max: seconds,
    basis: `Aurora never moves the writer to another region by itself: an operator or a runbook ${action}, up to ${seconds} s`
      + assumedText(given === undefined, a.basis),
    assumption: given === undefined,
    assumptionId: a.id,
    remedy: 'start it from a runbook on an alarm, and measure the response in a game day (`assumptions.operatorResponse`)',
  };
}

function promotion(given: number | undefined, what: string): Term {
  const a = RecoveryAssumption.GLOBAL_DATABASE_FAILOVER;
  const seconds = given ?? a._defaultSeconds;
  return {
    id: `aurora-global-${what}`,
    kind: RecoveryTermKind.PROMOTE,
    min: 0,
    max: seconds,
    basis: `the global database ${what} makes the secondary the primary: up to ${seconds} s`
      + assumedText(given === undefined, a.basis),
    assumption: given === undefined,
    assumptionId: a.id,
    remedy: 'measure it with a drill and set `assumptions.globalDatabaseFailover`',
  };
}

/** Clients on the global writer endpoint follow the new primary once its DNS record changes. */
function globalEndpoint(input: GlobalPathInput): Term[] {
  const a = RecoveryAssumption.ENDPOINT_DNS_TTL;
  const ttl = input.endpointDnsTtl ?? a._defaultSeconds;
  return [
    {
      id: 'aurora-global-endpoint-dns',
      kind: RecoveryTermKind.PROPAGATION,
      min: 0,
      max: ttl,
      basis: `the global writer endpoint's DNS record now names the new primary; resolvers keep the old answer up to ${ttl} s`
        + assumedText(input.endpointDnsTtl === undefined, 'AWS does not publish the endpoint TTL'),
      assumption: input.endpointDnsTtl === undefined,
      assumptionId: a.id,
      remedy: 'measure the endpoint TTL and set `assumptions.endpointDnsTtl`; clients on a regional cluster endpoint must be repointed besides',
    },
    clientCaching(input.clientDnsCache),
  ];
}

/**
 * The managed RPO to set for an RPO objective, in whole seconds: the objective rounded down (a
 * bound above the objective would not meet it), or undefined when the objective is below what
 * Aurora accepts.
 */
export function managedRpoFor(objectiveSeconds: number): number | undefined {
  const seconds = Math.min(Math.floor(objectiveSeconds), MANAGED_RPO_MAX);
  return seconds >= MANAGED_RPO_MIN ? seconds : undefined;
}

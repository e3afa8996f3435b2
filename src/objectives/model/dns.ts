/**
 * Route 53 failover records and the caches between the switch and the clients
 * (docs/aws-facts.md#route-53-failover-routing-and-dns).
 */
import { assumedText, instant, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** An alias record takes its TTL from the target: 60 s for ELB load balancers. */
export const ELB_ALIAS_TTL = 60;

/** Route 53 decides by itself: failover records need no human or automation step. */
export function automaticDecision(): Term {
  return instant('route53-failover-decision', RecoveryTermKind.DECISION,
    'automatic: Route 53 answers with the secondary as soon as the primary is unhealthy');
}

/** From the health status change to the name servers answering with the secondary. */
export function dnsAnswerSwitch(healthToDnsAnswer: number, assumed: boolean): Term {
  return {
    id: 'route53-dns-answer',
    kind: RecoveryTermKind.SWITCH,
    min: 0,
    max: healthToDnsAnswer,
    basis: `health status change to a new DNS answer: up to ${healthToDnsAnswer} s (AWS does not publish this delay)`,
    assumption: assumed,
    assumptionId: RecoveryAssumption.HEALTH_TO_DNS_ANSWER.id,
    remedy: 'measure it with a drill and set `assumptions.healthToDnsAnswer`',
  };
}

/** How the TTL of a failover record is known. */
export interface RecordTtlInput {
  /** Seconds resolvers may cache the answer. */
  readonly ttl: number;
  /** Where the TTL comes from, for the report. */
  readonly source: string;
  /** True when the TTL is not documented (alias targets other than ELB). */
  readonly assumed: boolean;
  /** True for alias records, whose TTL cannot be set. */
  readonly alias: boolean;
}

/** Resolvers keep serving the old answer for up to the TTL. */
export function resolverCaching(input: RecordTtlInput): Term {
  return {
    id: 'resolver-cache',
    kind: RecoveryTermKind.PROPAGATION,
    min: 0,
    max: input.ttl,
    basis: `resolvers cache the old answer for up to the record TTL: ${input.ttl} s (${input.source})`,
    assumption: input.assumed,
    assumptionId: input.assumed ? RecoveryAssumption.UNPUBLISHED_ALIAS_TTL.id : undefined,
    remedy: input.alias
      ? 'the TTL of an alias record is fixed by its target; point the failover records at IP addresses with a shorter `ttl`, or route with AWS Global Accelerator, which has no DNS TTL term'
      : 'lower `ttl` on the failover records',
  };
}

/** Clients that cache answers beyond the TTL add their own cache time; undefined takes the default. */
export function clientCaching(clientDnsCache?: number): Term {
  const assumed = clientDnsCache === undefined;
  const seconds = clientDnsCache ?? RecoveryAssumption.CLIENT_DNS_CACHE._defaultSeconds;
  return {
    id: 'client-dns-cache',
    kind: RecoveryTermKind.CLIENT_CACHE,
    min: 0,
    max: seconds,
    basis: `clients keep answers up to ${seconds} s beyond the TTL`
      + assumedText(assumed, RecoveryAssumption.CLIENT_DNS_CACHE.basis)
      + '; connections kept alive to the old primary are not covered',
    assumption: assumed,
    assumptionId: RecoveryAssumption.CLIENT_DNS_CACHE.id,
    remedy: 'shorten the DNS cache of your clients (JVM: networkaddress.cache.ttl) and set `assumptions.clientDnsCache`',
  };
}

/** Inputs of a DNS failover path. */
export interface DnsFailoverInput {
  readonly detection: Term;
  readonly ttl: RecordTtlInput;
  readonly healthToDnsAnswer?: number;
  readonly clientDnsCache?: number;
}

/** The whole DNS failover path: detection -> decision -> switch -> resolver cache -> client cache. */
export function dnsFailover(input: DnsFailoverInput): Term[] {
  return [
    input.detection,
    automaticDecision(),
    dnsAnswerSwitch(input.healthToDnsAnswer ?? RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds, input.healthToDnsAnswer === undefined),
    resolverCaching(input.ttl),
    clientCaching(input.clientDnsCache),
  ];
}

/**
 * Multi-site Route 53 records (weighted or latency) for active-active: one region lost, how long
 * until clients stop reaching it, and whether the others can carry its load
 * (docs/aws-facts.md#route-53-weighted-and-latency-routing).
 */
import { clientCaching, dnsAnswerSwitch, RecordTtlInput, resolverCaching } from './dns';
import { instant, round, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** Route 53 leaves an unhealthy record out of its answers by itself: nobody decides. */
export function regionRemovedDecision(region: string): Term {
  return instant('route53-multi-site-decision', RecoveryTermKind.DECISION,
    `automatic: Route 53 leaves ${region} out of its answers as soon as its record is unhealthy, and answers with the other regions`);
}

/** Inputs of the loss of one region behind multi-site records. */
export interface RegionLossInput {
  /** The region lost. */
  readonly region: string;
  /** How the lost region's record turns unhealthy: its health check, or the alias target's health. */
  readonly detection: Term;
  /** The TTL resolvers cache the old answer for. */
  readonly ttl: RecordTtlInput;
  /** Seconds from the health status change to the new answer; undefined takes the assumption's default. */
  readonly healthToDnsAnswer?: number;
  /** Seconds clients keep an answer beyond the TTL; undefined takes the assumption's default. */
  readonly clientDnsCache?: number;
}

/**
 * Losing one region: detection -> automatic decision -> new DNS answer -> resolver cache -> client
 * cache. The same caches as a failover pair, because the same name servers answer.
 */
export function regionLoss(input: RegionLossInput): Term[] {
  return [
    input.detection,
    regionRemovedDecision(input.region),
    dnsAnswerSwitch(input.healthToDnsAnswer ?? RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds, input.healthToDnsAnswer === undefined),
    resolverCaching(input.ttl),
    clientCaching(input.clientDnsCache),
  ];
}

/** How Route 53 splits the answers between healthy regions. */
export enum SplitRule {
  /** By weight: each healthy record gets its weight over the sum of the healthy weights. */
  WEIGHTED = 'weighted',
  /** By the lowest latency from the client's resolver: the split depends on where clients are. */
  LATENCY = 'latency',
}

/** One region of a multi-site set, for the capacity check. */
export interface Site {
  readonly region: string;
  /** Weighted records only: 0..255. */
  readonly weight?: number;
  /** The load the region can carry, in the unit of the peak load; undefined when unknown. */
  readonly capacity?: number;
  /** Where the capacity comes from when it is not given, for the messages. */
  readonly capacitySource?: string;
}

/** The load one surviving region carries after the loss. */
export interface SurvivorLoad {
  readonly region: string;
  /** The load it gets at peak; undefined under latency routing (the split is unknown). */
  readonly load?: number;
  readonly capacity?: number;
  /** Where the capacity comes from, when not given. */
  readonly capacitySource?: string;
}

/** Whether the surviving regions can carry the peak after one region is lost. */
export interface CapacityCheck {
  /** `ok`, `short` (some survivor cannot carry its share) or `unchecked` (inputs missing). */
  readonly status: 'ok' | 'short' | 'unchecked';
  /** What each survivor carries. */
  readonly survivors: SurvivorLoad[];
  /** The finding in words, for the path's warnings: the report shows the assumption either way. */
  readonly message: string;
}

/**
 * Route 53 considers zero-weight records only once every record with a weight is unhealthy, and
 * splits evenly when all weights are zero (docs/aws-facts.md#route-53-weighted-and-latency-routing).
 */
export function weightedShares(sites: Site[]): Map<string, number> {
  const weighted = sites.filter((s) => (s.weight ?? 0) > 0);
  const serving = weighted.length > 0 ? weighted : sites;
  const total = serving.reduce((sum, s) => sum + (weighted.length > 0 ? s.weight! : 1), 0);
  return new Map(sites.map((s) => [s.region, serving.includes(s) ? (weighted.length > 0 ? s.weight! : 1) / total : 0]));
}

/**
 * The remaining-capacity check of losing `lost`: under weighted routing each survivor's share of
 * the peak against its capacity; under latency routing only the survivors' total (which survivor
 * takes the lost region's clients depends on where they are), said as such.
 */
export function survivorCapacity(sites: Site[], lost: string, rule: SplitRule, peakLoad?: number): CapacityCheck {
  const survivors = sites.filter((s) => s.region !== lost);
  if (peakLoad === undefined) {
    return {
      status: 'unchecked',
      survivors: survivors.map((s) => ({ region: s.region, capacity: s.capacity })),
      message: `Remaining capacity unchecked: losing ${lost} assumes ${names(survivors)} carry its load, `
        + 'but `peakLoad` is not given. Give `peakLoad` and each region\'s `capacity` (in one unit) to have it checked.',
    };
  }
  if (rule === SplitRule.WEIGHTED) {
    const shares = weightedShares(survivors);
    const loads = survivors.map((s) => ({
      region: s.region, load: round(peakLoad * shares.get(s.region)!), capacity: s.capacity, capacitySource: s.capacitySource,
    }));
    const unknown = loads.filter((l) => l.load > 0 && l.capacity === undefined);
    if (unknown.length > 0) {
      return {
        status: 'unchecked',
        survivors: loads,
        message: `Remaining capacity unchecked: losing ${lost} sends ${loads.filter((l) => l.load > 0).map((l) => `${l.load} to ${l.region}`).join(', ')} `
          + `of the peak ${peakLoad}, but ${names(unknown)} ${unknown.length === 1 ? 'has' : 'have'} no known \`capacity\`. Give it to have the share checked.`,
      };
    }
    const short = loads.filter((l) => l.capacity !== undefined && l.load > l.capacity);
    if (short.length === 0) {
      return {
        status: 'ok',
        survivors: loads,
        message: `Remaining capacity checked: losing ${lost} sends ${loads.filter((l) => l.load > 0).map((l) => `${l.load} to ${l.region} (${capacityText(l)})`).join(', ')} `
          + `of the peak ${peakLoad} by weight.`,
      };
    }
    return {
      status: 'short',
      survivors: loads,
      message: `The surviving regions cannot carry the peak: losing ${lost} sends ${short.map((l) => `${l.load} to ${l.region} (${capacityText(l)})`).join(', ')} `
        + `of the peak ${peakLoad} by weight. Raise the capacity of ${names(short)}, or shift weight to regions with spare capacity.`,
    };
  }
  const loads = survivors.map((s) => ({ region: s.region, capacity: s.capacity }));
  const unknown = survivors.filter((s) => s.capacity === undefined);
  if (unknown.length > 0) {
    return {
      status: 'unchecked',
      survivors: loads,
      message: `Remaining capacity unchecked: losing ${lost} assumes ${names(survivors)} carry the peak ${peakLoad}, `
        + `but ${names(unknown)} ${unknown.length === 1 ? 'has' : 'have'} no known \`capacity\`. Give it to have the total checked.`,
    };
  }
  const total = round(survivors.reduce((sum, s) => sum + s.capacity!, 0));
  if (total < peakLoad) {
    return {
      status: 'short',
      survivors: loads,
      message: `The surviving regions cannot carry the peak: losing ${lost} leaves ${names(survivors)} with a capacity of ${total} in all, `
        + `below the peak ${peakLoad}. Raise their capacity, or add a region.`,
    };
  }
  return {
    status: 'ok',
    survivors: loads,
    message: `Remaining capacity checked in total only: losing ${lost} leaves ${names(survivors)} with ${total} for the peak ${peakLoad}, `
      + `but latency routing sends ${lost}'s clients to whichever region is nearest to them, so one region may take them all. `
      + 'Give each region the capacity to absorb its nearest neighbour, or use weighted routing to have each share checked.',
  };
}

function capacityText(l: SurvivorLoad): string {
  return `capacity ${l.capacity}${l.capacitySource ? `: ${l.capacitySource}` : ''}`;
}

function names(sites: Array<{ region: string }>): string {
  return sites.map((s) => s.region).join(', ');
}

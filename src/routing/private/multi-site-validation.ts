import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { probedName } from '../../health/detection';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { BoundTarget, checkRecordName, checkRecordTtl, checkTarget, TargetKind } from '../../private/records';
import { checkSameRegion, isRegionName } from '../../private/region';
import { checkInteger, checkLiteral, show, unresolved } from '../../private/validate';
import { MultiSiteRecordsProps, MultiSiteRegion } from '../multi-site-records-props';
import { MultiSiteRouting } from '../multi-site-routing';

/** The named assumptions a multi-site path rests on. */
export const MULTI_SITE_ASSUMPTIONS = [
  RecoveryAssumption.HEALTH_TO_DNS_ANSWER, RecoveryAssumption.CLIENT_DNS_CACHE,
  RecoveryAssumption.TARGET_HEALTH_DETECTION, RecoveryAssumption.UNPUBLISHED_ALIAS_TTL,
];

/** Route 53 record weights (docs/aws-facts.md#route-53-weighted-and-latency-routing). */
const MAX_WEIGHT = 255;

/** A region with its target bound to the multi-site name. */
export interface BoundRegion {
  readonly spec: MultiSiteRegion;
  readonly target: BoundTarget;
}

/** Checks every prop of `MultiSiteRecords` before any record is created, and throws once. */
export function validateMultiSite(scope: IConstruct, props: MultiSiteRecordsProps, regions: BoundRegion[], routing: MultiSiteRouting,
  domainName: string): void {
  const problems = new Problems(scope);
  checkRecordName(problems, 'recordName', props.recordName, props.zone, domainName);
  checkSameRegion(problems, scope, 'zone', props.zone, 'Import the zone in this stack with HostedZone.fromHostedZoneAttributes().');
  if (regions.length < 2) {
    problems.add(`\`regions\` must list at least two regions, got ${regions.length}: with one region nothing takes over when it is lost. `
      + 'Add the other regions that serve the name.');
  }
  checkRegionNames(problems, regions);
  checkTargets(problems, scope, regions, domainName, props.zone.zoneName);
  checkHealthChecks(problems, scope, regions, domainName);
  checkWeights(problems, regions, routing._weights);
  checkCapacity(problems, props);
  checkRecordTtl(problems, props.ttl, regions.length > 0 && regions.every((r) => r.target.alias !== undefined));
  checkAssumptions(problems, props.assumptions, MULTI_SITE_ASSUMPTIONS);
  problems.throwIfAny();
}

function checkRegionNames(problems: Problems, regions: BoundRegion[]): void {
  const seen = new Set<string>();
  regions.forEach(({ spec }, i) => {
    const prop = `regions[${i}].region`;
    if (unresolved(spec.region)) {
      checkLiteral(problems, prop, spec.region, 'it names the record (set identifier, latency region) at synth');
    } else if (!isRegionName(spec.region)) {
      problems.add(`\`${prop}\` must be an AWS region name such as us-east-1, got: ${show(spec.region)}.`);
    } else if (seen.has(spec.region)) {
      problems.add(`\`${prop}\` ${spec.region} is listed twice: each region answers once, with the region as set identifier. Remove the duplicate.`);
    }
    seen.add(spec.region);
  });
}

function checkTargets(problems: Problems, scope: IConstruct, regions: BoundRegion[], domainName: string, zoneName: string): void {
  const apex = !Token.isUnresolved(zoneName) && domainName === zoneName.replace(/\.$/, '');
  const types = (r: BoundRegion) => [...r.target.recordTypes].sort().join(', ');
  regions.forEach((r, i) => {
    const prop = `regions[${i}].target`;
    checkTarget(problems, prop, r.target);
    if (r.target.recordTypes.length === 0) {
      problems.add(`\`${prop}\` has no addresses: give at least one IPv4 or IPv6 address.`);
    }
    if (r.target.kind === TargetKind.CNAME && apex) {
      problems.add(`\`${prop}\` is a CNAME, which DNS does not allow at the zone apex (${domainName}). Use an alias target, or a name below the apex.`);
    }
    for (const [type, values] of Object.entries(r.target.values ?? {})) {
      if (type !== 'CNAME' && values.length > 1) {
        problems.add(`\`${prop}\` gives ${values.length} ${type === 'AAAA' ? 'IPv6' : 'IPv4'} addresses, but a weighted or latency record holds one value. `
          + 'Give one address per family and region, or put the addresses behind a load balancer.');
      }
    }
    const served = r.target.region;
    if (served !== undefined && !unresolved(served) && !unresolved(r.spec.region) && isRegionName(served) && served !== r.spec.region) {
      problems.add(`\`${prop}\` serves from ${served} but is listed for ${r.spec.region}: latency and the report would name the wrong region. `
        + `Point it at the ${r.spec.region} endpoint, e.g. FailoverTarget.regionalRecord('${r.spec.region}').`);
    }
    checkSameRegion(problems, scope, prop, r.target.construct, 'Create a RegionalRecord in that stack and leave `target` to its default.', true);
    if (i > 0 && types(r) !== types(regions[0])) {
      problems.add(`\`${prop}\` answers ${types(r) || 'nothing'} but \`regions[0].target\` answers ${types(regions[0]) || 'nothing'}: `
        + 'queries of a type only some regions answer would not move when one of them is lost. Give every region the same address families.');
    }
  });
}

function checkHealthChecks(problems: Problems, scope: IConstruct, regions: BoundRegion[], domainName: string): void {
  regions.forEach((r, i) => {
    const prop = `regions[${i}].healthCheck`;
    const check = r.spec.healthCheck;
    if (!check && !r.target.healthKnown) {
      problems.add(`\`${prop}\` is required: Route 53 cannot tell the health of ${r.target.label} (${r.target.kind}) by itself, so a lost region would stay in the answers. `
        + `Add an EndpointHealthCheck on ${r.spec.region}'s own name.`);
    }
    checkSameRegion(problems, scope, prop, check, 'Create it in this stack (a health check is global), or import it here by ID.');
    const probed = check && probedName(check);
    if (probed !== undefined && !unresolved(probed) && probed.replace(/\.$/, '').toLowerCase() === domainName.toLowerCase()) {
      problems.add(`\`${prop}\` probes ${probed}, the multi-site name itself: it would see whichever region answers, never ${r.spec.region} alone. `
        + `Probe the regional name, e.g. ${r.spec.region}.${domainName}.`);
    }
    const twin = regions.findIndex((o) => o.spec.healthCheck !== undefined && o.spec.healthCheck === check);
    if (check && twin < i) {
      problems.add(`\`${prop}\` is the same check as \`regions[${twin}].healthCheck\`: both regions would leave the answers together. Check each region on its own name.`);
    }
  });
}

function checkWeights(problems: Problems, regions: BoundRegion[], weights: { [region: string]: number } | undefined): void {
  if (weights === undefined) {
    return;
  }
  const names = regions.map((r) => r.spec.region);
  for (const [region, weight] of Object.entries(weights)) {
    if (!names.includes(region)) {
      problems.add(`\`routing\` weighs ${show(region)}, which is not one of \`regions\` (${names.join(', ')}). Remove it, or add the region.`);
    }
    checkInteger(problems, `routing.weights.${region}`, weight, 0, MAX_WEIGHT, 'Route 53 weights are whole numbers from 0 to 255.');
  }
  const missing = names.filter((n) => !unresolved(n) && !(n in weights));
  if (missing.length > 0) {
    problems.add(`\`routing\` gives no weight for ${missing.join(', ')}: give every region a weight (0 keeps it out of the answers while the others are healthy).`);
  }
}

function checkCapacity(problems: Problems, props: MultiSiteRecordsProps): void {
  const why = 'the remaining-capacity check compares it at synth';
  const positive = (prop: string, value: number | undefined) => {
    if (value === undefined) {
      return;
    }
    if (unresolved(value)) {
      checkLiteral(problems, prop, value, why);
    } else if (!Number.isFinite(value) || value <= 0) {
      problems.add(`\`${prop}\` must be a positive number, got: ${show(value)}. Give it in one unit for all regions, e.g. requests per second.`);
    }
  };
  positive('peakLoad', props.peakLoad);
  props.regions.forEach((r, i) => positive(`regions[${i}].capacity`, r.capacity));
  const given = props.regions.findIndex((r) => r.capacity !== undefined);
  if (props.peakLoad === undefined && given >= 0) {
    problems.add(`\`regions[${given}].capacity\` is given but \`peakLoad\` is not: the capacities have nothing to be checked against. `
      + 'Give `peakLoad` in the same unit.');
  }
}

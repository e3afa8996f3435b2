import { Duration, IResource, Token, Tokenization } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Problems } from './errors';
import { isRegionName } from './region';
import { checkDomainName, checkDuration, ipVersion, show, unresolved } from './validate';
import { RecordTtlInput } from '../objectives/model/dns';

/** The kinds of target, for validation and records. */
export enum TargetKind {
  LOAD_BALANCER = 'load balancer',
  CLOUDFRONT = 'CloudFront distribution',
  API_GATEWAY = 'API Gateway domain',
  RECORD = 'record in the zone',
  IP_ADDRESSES = 'IP addresses',
  CNAME = 'CNAME',
}

/** A failover target bound to one record name. */
export interface BoundTarget {
  readonly kind: TargetKind;
  /** `A`, `AAAA` or `CNAME`. */
  readonly recordTypes: route53.RecordType[];
  /** Alias targets: the alias. */
  readonly alias?: route53.IAliasRecordTarget;
  /** True when the alias carries EvaluateTargetHealth. */
  readonly evaluateTargetHealth: boolean;
  /** True when EvaluateTargetHealth alone tells a failure (load balancers); others need a health check. */
  readonly healthKnown: boolean;
  /** True when the alias ends at CloudFront: no EvaluateTargetHealth, and not on both sides of a pair. */
  readonly cloudFront: boolean;
  /** Address or CNAME targets: the values per record type. */
  readonly values?: Partial<Record<route53.RecordType, string[]>>;
  /** What the report shows. */
  readonly label: string;
  readonly region?: string;
  /**
   * TTL of answers for the model, given the `unpublishedAliasTtl` assumption's value where the
   * pair has one; `undefined` for address and CNAME targets (the pair's `ttl`).
   */
  readonly aliasTtl?: (unpublishedAliasTtl?: number) => RecordTtlInput;
  /** The construct behind the target, to detect cross-region references. */
  readonly construct?: IResource;
  /** Address targets: the addresses as given. */
  readonly addresses?: string[];
  /** Alias targets: the answer TTL as given for the model. */
  readonly givenTtl?: Duration;
  /** `FailoverTarget.regionalRecord()`: the region as given. */
  readonly regionalRecord?: string;
}

/**
 * A record name relative to the zone, made fully qualified (no trailing dot). A name that ends
 * with a dot is already fully qualified, as in a zone file, and is kept even outside the zone
 * (`checkRecordName` rejects that).
 */
export function qualify(name: string, zone: route53.IHostedZone): string {
  const absolute = name.endsWith('.');
  const trimmed = absolute ? name.slice(0, -1) : name;
  if (Token.isUnresolved(zone.zoneName) || Token.isUnresolved(trimmed)) {
    return trimmed;
  }
  const zoneName = zoneNameOf(zone)!;
  if (absolute || trimmed === zoneName || trimmed.endsWith(`.${zoneName}`)) {
    return trimmed;
  }
  return trimmed === '' ? zoneName : `${trimmed}.${zoneName}`;
}

/** The zone's name without the trailing dot, or undefined when only known at deploy time. */
function zoneNameOf(zone: route53.IHostedZone): string | undefined {
  const name = zone.zoneName;
  return Token.isUnresolved(name) ? undefined : name.replace(/\.$/, '');
}

/**
 * Checks a record name as given (`prop`) and as qualified (`fqdn`): a DNS name (labels of 1 to
 * 63 characters, 253 in all), inside the zone. A relative name that holds a label of the zone
 * and ends with a label the zone does not have (`app.example.org` in `example.com` would become
 * `app.example.org.example.com`) is taken for a fully qualified name of another zone.
 */
export function checkRecordName(problems: Problems, prop: string, given: string | undefined, zone: route53.IHostedZone, fqdn: string): void {
  if (given === undefined || unresolved(given) || unresolved(fqdn)) {
    return;
  }
  const before = problems.count;
  checkDomainName(problems, prop, fqdn === '' ? given : fqdn);
  const zoneName = zoneNameOf(zone);
  if (problems.count > before || zoneName === undefined) {
    return;
  }
  const fix = `Give it relative to the zone (e.g. \`app\`), or fully qualified inside ${zoneName} (e.g. \`app.${zoneName}\`).`;
  if (fqdn !== zoneName && !fqdn.endsWith(`.${zoneName}`)) {
    problems.add(`\`${prop}\` ${show(given)} is not inside the zone ${zoneName}: Route 53 rejects a record outside its zone. ${fix}`);
    return;
  }
  const relative = given.replace(/\.$/, '');
  const zoneLabels = zoneName.split('.');
  const labels = relative.split('.');
  // `app.example.org` in example.com: a label of the zone, then a top-level label that is not.
  const repeated = relative !== zoneName && !relative.endsWith(`.${zoneName}`) && labels.length > 1
    && !zoneLabels.includes(labels[labels.length - 1]) && labels.slice(0, -1).some((label) => zoneLabels.includes(label));
  if (repeated) {
    problems.add(`\`${prop}\` ${show(given)} looks like a fully qualified name of another zone, but it becomes ${fqdn}. ${fix}`);
  }
}

/**
 * aws-cdk-lib writes a record TTL with `toString()`, which turns a TTL Token (e.g. from a
 * CfnParameter) into a number that CloudFormation rejects; write it as a string Token.
 */
export function stringifyTtl(record: route53.RecordSet, ttl: Duration | undefined): void {
  if (ttl !== undefined && ttl.isUnresolved()) {
    (record.node.defaultChild as route53.CfnRecordSet).ttl = Tokenization.stringifyNumber(ttl.toSeconds());
  }
}

/** Checks what a target was built from: addresses are addresses, names are names, TTLs whole seconds. */
export function checkTarget(problems: Problems, prop: string, target: BoundTarget): void {
  const bad = (target.addresses ?? []).filter((a) => !unresolved(a) && ipVersion(a) === undefined);
  if (bad.length > 0) {
    problems.add(`\`${prop}\` must list IPv4 or IPv6 addresses, got: ${show(bad)}. Use FailoverTarget.cname() for a DNS name.`);
  }
  if (target.kind === TargetKind.CNAME || target.kind === TargetKind.RECORD) {
    checkDomainName(problems, prop, target.kind === TargetKind.CNAME ? target.values?.CNAME?.[0] : target.label);
  }
  const region = target.regionalRecord;
  if (region !== undefined && !unresolved(region) && !isRegionName(region)) {
    problems.add(`\`${prop}\` is the regional record of ${show(region)}, which is not an AWS region name such as us-east-1. `
      + 'Give the region of the RegionalRecord that serves this side.');
  }
  checkDuration(problems, `${prop}.answerTtl`, target.givenTtl, { unit: 'seconds', fix: 'Give the TTL the target answers with.' });
}

/** Failover records must not be cached longer than this: a failed primary stays in caches that long. */
export const MAX_FAILOVER_TTL = 60;

/** Checks the `ttl` of address and CNAME records: whole seconds from 0 to 60, and only for them. */
export function checkRecordTtl(problems: Problems, ttl: Duration | undefined, aliasOnly: boolean): void {
  if (aliasOnly && ttl !== undefined && !ttl.isUnresolved()) {
    problems.add(`\`ttl\` applies to address and CNAME records only; alias records take the TTL of their target, got: ${show(ttl)}. Remove it.`);
    return;
  }
  checkDuration(problems, 'ttl', ttl, {
    unit: 'seconds',
    min: 0,
    max: MAX_FAILOVER_TTL,
    fix: 'Resolvers keep a failed primary\'s answer for the whole TTL; 60 s or less keeps failover fast.',
  });
}

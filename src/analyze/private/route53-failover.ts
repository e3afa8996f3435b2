/**
 * Route 53 failover record pairs of a template, with their health checks, modeled by the same
 * functions as `DnsFailover`: detection, Route 53's decision and answer, the resolvers' cache of
 * the record's TTL, the clients' cache.
 */
import { routingControlCheck } from './arc';
import { Findings, TemplateFindings } from './findings';
import { contextOf, literalNumber, refTarget, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { CfnResourceJson, LoadedTemplate } from './templates';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { RecoveryEstimate } from '../../objectives/estimate';
import { dnsFailover, ELB_ALIAS_TTL, RecordTtlInput } from '../../objectives/model/dns';
import { targetHealthDetection } from '../../objectives/model/elb';
import { calculatedDetection, endpointDetection, ProbeProtocol, ROUTE53_DEFAULT_INTERVAL, ROUTE53_DEFAULT_THRESHOLD } from '../../objectives/model/route53';
import { Term } from '../../objectives/model/term';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

/** One failover record as read: the record set's own properties, resolved. */
interface FailoverRecord {
  readonly logicalId: string;
  readonly zone: string;
  readonly name: string;
  readonly type: string;
  readonly failover: 'PRIMARY' | 'SECONDARY';
  readonly props: { [k: string]: unknown };
  /** The record's properties as written, intrinsics unresolved. */
  readonly raw: { [k: string]: unknown };
}

/** How Route 53 learns that the primary failed, and that in words. */
interface Detected {
  readonly term: Term;
  readonly summary: string;
  /** The health check resource, for the remedy. */
  readonly resource?: string;
  /** The check's own terms when some are not detection (a routing control: decision, then flip), in place of `term`. */
  readonly terms?: Term[];
}

/** The slowest endpoint check Route 53 allows, for a check the analysis cannot read. */
const SLOWEST = { interval: 30, failureThreshold: 10, protocol: 'TCP' as ProbeProtocol };

/** The failover pairs of a template as recovery paths. */
export function dnsFailoverPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  const groups = new Map<string, FailoverRecord[]>();
  for (const record of failoverRecords(t, ctx, found)) {
    const key = `${record.zone}|${record.name}|${record.type}`;
    groups.set(key, [...groups.get(key) ?? [], record]);
  }
  for (const records of groups.values()) {
    const primary = records.find((r) => r.failover === 'PRIMARY');
    const secondary = records.find((r) => r.failover === 'SECONDARY');
    if (!primary || !secondary) {
      const only = primary ?? secondary!;
      found.skip(only.logicalId, 'AWS::Route53::RecordSet',
        `a ${only.failover} failover record for ${only.name} (${only.type}) without its ${primary ? 'SECONDARY' : 'PRIMARY'} in this template`);
      continue;
    }
    const path = pairPath(t, ctx, primary, secondary);
    if (typeof path === 'string') {
      found.skip(primary.logicalId, 'AWS::Route53::RecordSet', path);
    } else {
      const checks = [primary, secondary].map((r) => refTarget(r.props.HealthCheckId)).filter((id): id is string => id !== undefined);
      found.path(path, [primary.logicalId, secondary.logicalId, ...checks]);
    }
  }
  return found;
}

/** Every record set with a `Failover`, from record sets and record set groups. */
function failoverRecords(t: LoadedTemplate, ctx: ResolveContext, found: Findings): FailoverRecord[] {
  const out: FailoverRecord[] = [];
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    const sets = recordSetsOf(resource);
    for (const set of sets) {
      const props = resolve(set.props, ctx) as { [k: string]: unknown };
      if (props === null || typeof props !== 'object' || props.Failover === undefined) {
        continue;
      }
      const failover = props.Failover;
      const zone = text(props.HostedZoneId ?? set.zoneId) ?? text(props.HostedZoneName ?? set.zoneName);
      const name = text(props.Name);
      const type = text(props.Type);
      if (failover !== 'PRIMARY' && failover !== 'SECONDARY') {
        found.skip(logicalId, resource.Type, `Failover is ${describe(failover)}, not PRIMARY or SECONDARY`);
      } else if (zone === undefined || name === undefined || type === undefined) {
        found.skip(logicalId, resource.Type, 'a failover record whose zone, name or type the template does not decide');
      } else {
        out.push({ logicalId, zone, name: name.replace(/\.$/, ''), type, failover, props, raw: set.props as { [k: string]: unknown } });
      }
    }
  }
  return out;
}

function recordSetsOf(resource: CfnResourceJson): Array<{ props: unknown; zoneId?: unknown; zoneName?: unknown }> {
  const p = resource?.Properties ?? {};
  if (resource?.Type === 'AWS::Route53::RecordSet') {
    return [{ props: p }];
  }
  if (resource?.Type === 'AWS::Route53::RecordSetGroup' && Array.isArray(p.RecordSets)) {
    return p.RecordSets.map((props: unknown) => ({ props, zoneId: p.HostedZoneId, zoneName: p.HostedZoneName }));
  }
  return [];
}

/** The pair's path, or why it has none. */
function pairPath(t: LoadedTemplate, ctx: ResolveContext, primary: FailoverRecord, secondary: FailoverRecord): RecoveryPath | string {
  const warnings: string[] = [];
  const detection = primaryDetection(t, ctx, primary, warnings);
  if (detection === undefined) {
    return `the PRIMARY record of ${primary.name} has no health check and does not evaluate its alias target's health: `
      + 'Route 53 treats it as healthy and never fails over. Add `HealthCheckId` (an AWS::Route53::HealthCheck), or `EvaluateTargetHealth: true` on its alias.';
  }
  const [, ...after] = dnsFailover({ detection: detection.term, ttl: recordTtl(t, primary, warnings) });
  return new RecoveryPath({
    id: pathId(primary.logicalId),
    kind: RecoveryPathKind.DNS_FAILOVER,
    name: `${primary.name} (${primary.type})`,
    endpoints: [
      { label: `${t.name}/${primary.logicalId}`, role: EndpointRole.PRIMARY, region: t.region, health: detection.summary },
      { label: `${t.name}/${secondary.logicalId}`, role: EndpointRole.SECONDARY, region: t.region },
    ],
    estimate: RecoveryEstimate._fromModel(inTemplateTerms([...detection.terms ?? [detection.term], ...after], {
      'route53-health-check': detection.resource ?? 'the PRIMARY record\'s health check',
      'route53-calculated-check': detection.resource ?? 'the calculated health check',
      'resolver-cache': `the record set ${primary.logicalId} (and its SECONDARY)`,
      'elb-target-health': `the PRIMARY record set ${primary.logicalId}`,
    })),
    warnings,
  });
}

/** How Route 53 learns that the primary failed: its health check, or its alias target's health. */
function primaryDetection(t: LoadedTemplate, ctx: ResolveContext, primary: FailoverRecord, warnings: string[]): Detected | undefined {
  const id = primary.props.HealthCheckId;
  if (id !== undefined) {
    return healthCheckDetection(t, ctx, id, warnings, 0);
  }
  const alias = primary.props.AliasTarget as { [k: string]: unknown } | undefined;
  if (alias && alias.EvaluateTargetHealth === true) {
    return { term: targetHealthDetection(primary.name), summary: 'EvaluateTargetHealth of the alias target' };
  }
  return undefined;
}

/** A health check's detection, from its resource in the template; the slowest Route 53 allows when it cannot be read. */
function healthCheckDetection(t: LoadedTemplate, ctx: ResolveContext, id: unknown, warnings: string[], depth: number): Detected {
  const logicalId = refTarget(id);
  const resource = logicalId === undefined ? undefined : t.template.Resources?.[logicalId];
  const slowest = (why: string) => {
    warnings.push(`${why}: modeled as the slowest Route 53 endpoint check (${SLOWEST.interval} s x ${SLOWEST.failureThreshold}, ${SLOWEST.protocol}).`);
    return { term: { ...endpointDetection(SLOWEST), assumption: true }, summary: 'unknown (modeled at the slowest)' };
  };
  if (resource === undefined || resource.Type !== 'AWS::Route53::HealthCheck') {
    return slowest(id instanceof Unresolved ? `the health check ID is ${id.reason}` : `the health check ${describe(id)} is not defined in this template`);
  }
  const config = resolve(resource.Properties?.HealthCheckConfig ?? {}, ctx) as { [k: string]: unknown };
  const type = text(config.Type) ?? '';
  if (config.Inverted === true) {
    return slowest(`the health check ${logicalId} is inverted`);
  }
  if (type === 'RECOVERY_CONTROL') {
    return routingControlCheck(t, ctx, logicalId!, config, warnings);
  }
  if (type === 'CALCULATED' && depth === 0) {
    const children = Array.isArray(config.ChildHealthChecks) ? config.ChildHealthChecks : [];
    const threshold = literalNumber(config.HealthThreshold) ?? children.length;
    if (children.length === 0 || threshold < 1 || threshold > children.length) {
      return slowest(`the calculated health check ${logicalId} has no children or a health threshold the analysis cannot read`);
    }
    const terms = children.map((c) => healthCheckDetection(t, ctx, c, warnings, depth + 1).term);
    return {
      term: calculatedDetection(terms, threshold),
      summary: `calculated check ${logicalId} (${threshold} of ${children.length} healthy)`,
      resource: `the AWS::Route53::HealthCheck ${logicalId}`,
    };
  }
  const protocol = /^(HTTPS|HTTP|TCP)/.exec(type)?.[1] as ProbeProtocol | undefined;
  if (protocol === undefined) {
    return slowest(`the health check ${logicalId} is of type ${type || 'unknown'}, which the analysis does not model yet`);
  }
  const interval = config.RequestInterval === undefined ? ROUTE53_DEFAULT_INTERVAL : literalNumber(config.RequestInterval);
  const failureThreshold = config.FailureThreshold === undefined ? ROUTE53_DEFAULT_THRESHOLD : literalNumber(config.FailureThreshold);
  if (interval === undefined || failureThreshold === undefined || ![10, 30].includes(interval) || failureThreshold < 1 || failureThreshold > 10) {
    return slowest(`the health check ${logicalId} has a request interval or failure threshold the analysis cannot read`);
  }
  return {
    term: endpointDetection({ interval, failureThreshold, protocol }),
    summary: `${type} check ${logicalId} (${interval} s x ${failureThreshold})`,
    resource: `the AWS::Route53::HealthCheck ${logicalId}`,
  };
}

/** The TTL resolvers cache: the record's own, or its alias target's. */
function recordTtl(t: LoadedTemplate, primary: FailoverRecord, warnings: string[]): RecordTtlInput {
  const alias = primary.props.AliasTarget as { [k: string]: unknown } | undefined;
  if (alias !== undefined) {
    const dns = alias.DNSName;
    const rawDns = (primary.raw.AliasTarget as { [k: string]: unknown } | undefined)?.DNSName;
    const loadBalancer = referencedIds(rawDns).some((id) => /^AWS::ElasticLoadBalancing(V2)?::LoadBalancer$/.test(t.template.Resources?.[id]?.Type ?? ''));
    if (loadBalancer || (typeof dns === 'string' && /\.elb\.amazonaws\.com\.?$/.test(dns))) {
      return { ttl: ELB_ALIAS_TTL, source: 'alias to a load balancer: 60 s, set by ELB', assumed: false, alias: true };
    }
    const assumed = RecoveryAssumption.UNPUBLISHED_ALIAS_TTL._defaultSeconds;
    return { ttl: assumed, source: `alias to ${describe(dns)}: its answer TTL is not published; assumed ${assumed} s like a load balancer`, assumed: true, alias: true };
  }
  const ttl = literalNumber(primary.props.TTL);
  if (ttl === undefined) {
    warnings.push(`the TTL of ${primary.name} is not known from the template: modeled at 60 s. Give a literal \`TTL\`.`);
    return { ttl: 60, source: 'the record TTL, unknown: assumed 60 s', assumed: true, alias: false };
  }
  return { ttl, source: 'the record TTL', assumed: false, alias: false };
}

/** The logical IDs a raw value refers to with `Ref` or `Fn::GetAtt`, at any depth. */
function referencedIds(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.flatMap(referencedIds);
  }
  if (raw === null || typeof raw !== 'object') {
    return [];
  }
  const o = raw as { [k: string]: unknown };
  if (typeof o.Ref === 'string') {
    return [o.Ref];
  }
  const att = o['Fn::GetAtt'];
  if (att !== undefined) {
    const id = Array.isArray(att) ? att[0] : typeof att === 'string' ? att.split('.')[0] : undefined;
    return typeof id === 'string' ? [id] : [];
  }
  return Object.values(o).flatMap(referencedIds);
}

function pathId(logicalId: string): string {
  return `dns-failover-${logicalId}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describe(value: unknown): string {
  if (value instanceof Unresolved) {
    return value.reason;
  }
  const ref = refTarget(value);
  return ref !== undefined ? `a reference to ${ref}` : JSON.stringify(value) ?? String(value);
}

/**
 * Route 53 failover record pairs of a template, with their health checks, modeled by the same
 * functions as `DnsFailover`: detection, Route 53's decision and answer, the resolvers' cache of
 * the record's TTL, the clients' cache.
 */
import { routingControlCheck } from './arc';
import { aliasTargetHealth, referencedIds } from './elb-target-health';
import { Findings, TemplateFindings } from './findings';
import { contextOf, literalNumber, refResource, refTarget, resolve, ResolveContext, ResourceRef, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { CfnResourceJson, LoadedTemplate } from './templates';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { RecoveryEstimate } from '../../objectives/estimate';
import { alarmDetection, slowestAlarm } from '../../objectives/model/alarms';
import { dnsFailover, ELB_ALIAS_TTL, RecordTtlInput } from '../../objectives/model/dns';
import { targetHealthDetection } from '../../objectives/model/elb';
import { calculatedDetection, endpointDetection, ProbeProtocol, ROUTE53_DEFAULT_INTERVAL, ROUTE53_DEFAULT_THRESHOLD } from '../../objectives/model/route53';
import { Term } from '../../objectives/model/term';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

/** One record as read: the record set's own properties, resolved. */
export interface ReadRecord {
  readonly logicalId: string;
  readonly zone: string;
  readonly name: string;
  readonly type: string;
  readonly props: { [k: string]: unknown };
  /** The record's properties as written, intrinsics unresolved. */
  readonly raw: { [k: string]: unknown };
}

/** One failover record as read. */
interface FailoverRecord extends ReadRecord {
  readonly failover: 'PRIMARY' | 'SECONDARY';
}

/** How Route 53 learns that a record's endpoint failed, and that in words. */
export interface Detected {
  readonly term: Term;
  readonly summary: string;
  /** The health check resource, for the remedy. */
  readonly resource?: string;
  /** The logical IDs read besides the record (the load balancer and target groups behind an alias). */
  readonly resources?: string[];
  /** The check's own terms when some are not detection (a routing control: decision, then flip), in place of `term`. */
  readonly terms?: Term[];
}

/** The slowest endpoint check Route 53 allows, for a check the analysis cannot read. */
const SLOWEST = { interval: 30, failureThreshold: 10, protocol: 'TCP' as ProbeProtocol };

/** Records grouped as Route 53 answers them: by zone, name and type, in the template's order. */
export function sameName<T extends { readonly zone: string; readonly name: string; readonly type: string }>(records: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const record of records) {
    const key = `${record.zone}|${record.name}|${record.type}`;
    groups.set(key, [...groups.get(key) ?? [], record]);
  }
  return [...groups.values()];
}

/** The failover pairs of a template as recovery paths. */
export function dnsFailoverPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  for (const records of sameName(failoverRecords(t, ctx, found))) {
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
      found.path(path.path, [primary.logicalId, secondary.logicalId, ...checks, ...path.resources]);
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
      const zone = zoneKey(props.HostedZoneId ?? set.zoneId) ?? text(props.HostedZoneName ?? set.zoneName);
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

/** The record sets of a record set or a record set group, with the group's zone. */
export function recordSetsOf(resource: CfnResourceJson): Array<{ props: unknown; zoneId?: unknown; zoneName?: unknown }> {
  const p = resource?.Properties ?? {};
  if (resource?.Type === 'AWS::Route53::RecordSet') {
    return [{ props: p }];
  }
  if (resource?.Type === 'AWS::Route53::RecordSetGroup' && Array.isArray(p.RecordSets)) {
    return p.RecordSets.map((props: unknown) => ({ props, zoneId: p.HostedZoneId, zoneName: p.HostedZoneName }));
  }
  return [];
}

/** The pair's path and the resources read for it, or why it has none. */
function pairPath(
  t: LoadedTemplate, ctx: ResolveContext, primary: FailoverRecord, secondary: FailoverRecord,
): { path: RecoveryPath; resources: string[] } | string {
  const warnings: string[] = [];
  const detection = recordDetection(t, ctx, primary, warnings);
  if (detection === undefined) {
    return `the PRIMARY record of ${primary.name} has no health check and does not evaluate its alias target's health: `
      + 'Route 53 treats it as healthy and never fails over. Add `HealthCheckId` (an AWS::Route53::HealthCheck), or `EvaluateTargetHealth: true` on its alias.';
  }
  if (typeof detection === 'string') {
    return detection;
  }
  const [, ...after] = dnsFailover({ detection: detection.term, ttl: recordTtl(t, primary, warnings) });
  const path = new RecoveryPath({
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
      // A detection read from target groups names them in its own remedy.
      ...detection.resources ? {} : { 'elb-target-health': `the PRIMARY record set ${primary.logicalId}` },
    })),
    warnings,
  });
  return { path, resources: detection.resources ?? [] };
}

/**
 * How Route 53 learns that a record's endpoint failed: its health check, or its alias target's
 * health (the target groups of a load balancer of the template, else the `targetHealthDetection`
 * assumption); undefined without either; a reason when the alias target never turns unhealthy.
 */
export function recordDetection(t: LoadedTemplate, ctx: ResolveContext, record: ReadRecord, warnings: string[]): Detected | string | undefined {
  const id = record.props.HealthCheckId;
  if (id !== undefined) {
    return neverUnhealthy(t, id) ?? healthCheckDetection(t, ctx, id, warnings, 0);
  }
  const alias = isObject(record.props.AliasTarget) ? record.props.AliasTarget : undefined;
  if (alias && (alias.EvaluateTargetHealth === true || alias.EvaluateTargetHealth === 'true')) {
    const rawDns = (record.raw.AliasTarget as { [k: string]: unknown } | undefined)?.DNSName;
    return aliasTargetHealth(t, ctx, rawDns, warnings) ?? { term: targetHealthDetection(record.name), summary: 'EvaluateTargetHealth of the alias target' };
  }
  return undefined;
}

/**
 * An alarm-based check: the breaching periods of its AWS::CloudWatch::Alarm, as cdk-failover's
 * AlarmHealthCheck models them; a period or an alarm the template does not give at the slowest
 * CloudWatch allows.
 */
function alarmCheck(t: LoadedTemplate, ctx: ResolveContext, logicalId: string, config: { [k: string]: unknown }, warnings: string[]): Detected {
  const identifier = config.AlarmIdentifier as { [k: string]: unknown } | undefined;
  const alarmId = refTarget(identifier?.Name);
  const alarm = alarmId === undefined ? undefined : t.template.Resources?.[alarmId];
  const props = alarm?.Type === 'AWS::CloudWatch::Alarm' ? resolve(alarm.Properties ?? {}, ctx) as { [k: string]: unknown } : undefined;
  // Figures CloudWatch would refuse are read as not decided: 10, 20, 30 s or a multiple of 60 s; at least one period.
  const period = literalNumber(props?.Period);
  const evaluations = literalNumber(props?.EvaluationPeriods);
  const figures = slowestAlarm(
    period !== undefined && ([10, 20, 30].includes(period) || (period > 0 && period % 60 === 0)) ? period : undefined,
    evaluations !== undefined && Number.isInteger(evaluations) && evaluations >= 1 ? evaluations : undefined,
  );
  const name = alarmId ?? describe(identifier?.Name);
  if (figures.slowest) {
    warnings.push(`the alarm of the health check ${logicalId} ${props === undefined ? `is not in this template (${name})` : `(${name}) has a period or `
      + 'evaluation periods the template does not decide'}: modeled at the slowest CloudWatch allows (${figures.evaluationPeriods} x ${figures.period} s).`);
  }
  return {
    term: alarmDetection({ period: figures.period, evaluationPeriods: figures.evaluationPeriods }),
    summary: `CLOUDWATCH_METRIC check ${logicalId} on the alarm ${name} (${figures.evaluationPeriods} x ${figures.period} s)`,
    resource: `the AWS::Route53::HealthCheck ${logicalId}`,
  };
}

/**
 * Why a record's health check never reports the endpoint unhealthy, if it cannot: Route 53 takes a
 * disabled check as healthy, and a calculated check that needs 0 healthy children is always healthy.
 */
function neverUnhealthy(t: LoadedTemplate, id: unknown): string | undefined {
  const check = refResource(id, t);
  if (check === undefined || check.resource.Type !== 'AWS::Route53::HealthCheck') {
    return undefined;
  }
  const config = resolve(check.resource.Properties?.HealthCheckConfig ?? {}, contextOf(check.stack));
  if (!isObject(config)) {
    return undefined;
  }
  if (config.Disabled === true || config.Disabled === 'true') {
    return `the health check ${check.logicalId} is disabled (\`Disabled: true\`): Route 53 takes it as healthy and never fails over. Enable it.`;
  }
  if (text(config.Type) === 'CALCULATED' && literalNumber(config.HealthThreshold) === 0) {
    return `the calculated health check ${check.logicalId} needs 0 healthy children (\`HealthThreshold: 0\`): it is always healthy, so Route 53 `
      + 'never fails over. Set it to the number of children that must be healthy.';
  }
  return undefined;
}

function isObject(value: unknown): value is { [k: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A health check's detection, from its resource in the template; the slowest Route 53 allows when it cannot be read. */
function healthCheckDetection(t: LoadedTemplate, ctx: ResolveContext, id: unknown, warnings: string[], depth: number): Detected {
  const imported = refResource(id, t);
  if (imported !== undefined && imported.stack !== t) {
    // A check another stack read with this one exports: read there, in its own template's terms.
    const there = healthCheckDetection(imported.stack, contextOf(imported.stack), new ResourceRef(imported.logicalId), warnings, depth);
    const where = ` (stack ${imported.stack.name})`;
    return { ...there, summary: there.summary + where, resource: there.resource && there.resource + where };
  }
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
  if (type === 'CLOUDWATCH_METRIC') {
    return alarmCheck(t, ctx, logicalId!, config, warnings);
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
export function recordTtl(t: LoadedTemplate, primary: ReadRecord, warnings: string[]): RecordTtlInput {
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
  const literal = literalNumber(primary.props.TTL);
  // Route 53 takes whole seconds from 0 to 2147483647: anything else is a TTL the template does not decide.
  const ttl = literal !== undefined && Number.isInteger(literal) && literal >= 0 && literal <= 2_147_483_647 ? literal : undefined;
  if (ttl === undefined) {
    warnings.push(`the TTL of ${primary.name} is not known from the template: modeled at 60 s. Give a literal \`TTL\`.`);
    return { ttl: 60, source: 'the record TTL, unknown: assumed 60 s', assumed: true, alias: false };
  }
  return { ttl, source: 'the record TTL', assumed: false, alias: false };
}

function pathId(logicalId: string): string {
  return `dns-failover-${logicalId}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
}

/** The zone a record is in: its literal ID, or the hosted zone resource of the template it refers to. */
export function zoneKey(value: unknown): string | undefined {
  const ref = refTarget(value);
  return ref !== undefined ? `the hosted zone ${ref}` : text(value);
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function describe(value: unknown): string {
  if (value instanceof Unresolved) {
    return value.reason;
  }
  const ref = refTarget(value);
  return ref !== undefined ? `a reference to ${ref}` : JSON.stringify(value) ?? String(value);
}

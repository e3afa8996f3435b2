/**
 * Route 53 weighted and latency record sets of a template (one name and type answered by several
 * sites), modeled like `MultiSiteRecords`: one path per site, "losing" it, until its health check
 * or its alias target's health takes it out of the answers and the caches expire
 * (docs/aws-facts.md#route-53-weighted-and-latency-routing).
 */
import { Findings, TemplateFindings } from './findings';
import { contextOf, literalNumber, refTarget, resolve, ResolveContext } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { describe, ReadRecord, recordDetection, recordSetsOf, recordTtl, sameName, text, zoneKey } from './route53-failover';
import { LoadedTemplate } from './templates';
import { RecoveryEstimate } from '../../objectives/estimate';
import { regionLoss, SplitRule, weightedShares } from '../../objectives/model/multi-site';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

/** One weighted or latency record as read. */
interface SiteRecord extends ReadRecord {
  readonly rule: SplitRule;
  readonly setIdentifier: string;
  /** The site's name in the report: its latency Region, else its set identifier. */
  readonly site: string;
  /** Weighted records: the weight, undefined when the template does not decide it. */
  readonly weight?: number;
  readonly resourceType: string;
}

/** The multi-site record groups of a template as recovery paths, one per site lost. */
export function multiSitePaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  for (const records of sameName(siteRecords(t, ctx, found))) {
    const problem = groupProblem(records);
    if (problem !== undefined) {
      found.skip(records[0].logicalId, records[0].resourceType, problem);
      continue;
    }
    const checks = records.map((r) => refTarget(r.props.HealthCheckId)).filter((id): id is string => id !== undefined);
    for (const lost of records) {
      const path = sitePath(t, ctx, lost, records);
      if (typeof path === 'string') {
        found.skip(lost.logicalId, lost.resourceType, path);
      } else {
        found.path(path.path, [lost.logicalId, ...records.map((r) => r.logicalId), ...checks, ...path.resources]);
      }
    }
  }
  return found;
}

/** Every record set with a `Weight` or a latency `Region` (and no `Failover`), from record sets and record set groups. */
function siteRecords(t: LoadedTemplate, ctx: ResolveContext, found: Findings): SiteRecord[] {
  const out: SiteRecord[] = [];
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    for (const set of recordSetsOf(resource)) {
      const props = resolve(set.props, ctx) as { [k: string]: unknown };
      if (props === null || typeof props !== 'object' || props.Failover !== undefined || (props.Weight === undefined && props.Region === undefined)) {
        continue;
      }
      const rule = props.Weight !== undefined ? SplitRule.WEIGHTED : SplitRule.LATENCY;
      const zone = zoneKey(props.HostedZoneId ?? set.zoneId) ?? text(props.HostedZoneName ?? set.zoneName);
      const name = text(props.Name);
      const type = text(props.Type);
      const setIdentifier = text(props.SetIdentifier);
      if (zone === undefined || name === undefined || type === undefined || setIdentifier === undefined) {
        found.skip(logicalId, resource.Type, `a ${rule} record whose zone, name, type or set identifier the template does not decide`);
        continue;
      }
      const weight = literalNumber(props.Weight);
      out.push({
        logicalId,
        zone,
        name: name.replace(/\.$/, ''),
        type,
        props,
        raw: set.props as { [k: string]: unknown },
        rule,
        setIdentifier,
        site: rule === SplitRule.LATENCY && typeof props.Region === 'string' ? props.Region : setIdentifier,
        weight: weight !== undefined && Number.isInteger(weight) && weight >= 0 && weight <= 255 ? weight : undefined,
        resourceType: resource.Type,
      });
    }
  }
  return out;
}

/** Why a group of records for one name and type is no multi-site path, if it is not. */
function groupProblem(records: SiteRecord[]): string | undefined {
  const { name, type, rule } = records[0];
  if (records.some((r) => r.rule !== rule)) {
    return `weighted and latency records share the name ${name} (${type}), which Route 53 rejects: not modeled`;
  }
  if (records.length < 2) {
    return `a single ${rule} record for ${name} (${type}) in this template: one site is no multi-site path, Route 53 answers with it `
      + 'whatever its health. Its other sites may be in other templates: the analysis reads one template at a time.';
  }
  const ids = records.map((r) => r.setIdentifier);
  if (new Set(ids).size < ids.length) {
    return `two ${rule} records for ${name} (${type}) share a set identifier, which Route 53 rejects: not modeled`;
  }
  return undefined;
}

/** The path of losing one site, and the resources read for it, or why it has none. */
function sitePath(
  t: LoadedTemplate, ctx: ResolveContext, lost: SiteRecord, records: SiteRecord[],
): { path: RecoveryPath; resources: string[] } | string {
  const warnings: string[] = [];
  const detection = recordDetection(t, ctx, lost, warnings);
  if (detection === undefined) {
    return `the ${lost.rule} record ${lost.setIdentifier} of ${lost.name} has no health check and does not evaluate its alias target's health: `
      + 'when its site is lost Route 53 keeps answering with it (a record without a health check is always healthy), and the clients it gets fail '
      + 'until someone changes the record. Add `HealthCheckId` (an AWS::Route53::HealthCheck), or `EvaluateTargetHealth: true` on its alias; '
      + 'cdk-failover\'s MultiSiteRecords requires one per region.';
  }
  if (typeof detection === 'string') {
    return detection;
  }
  const terms = regionLoss({ region: lost.site, detection: detection.term, ttl: recordTtl(t, lost, warnings) });
  const others = records.filter((r) => r !== lost);
  warnings.push(...shareWarnings(lost, records));
  const path = new RecoveryPath({
    id: `multi-site-${lost.logicalId}-${lost.setIdentifier}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64),
    kind: RecoveryPathKind.DNS_FAILOVER,
    name: `${lost.name} (${lost.type}): losing ${lost.site}`,
    endpoints: records.map((r) => {
      const region = r.rule === SplitRule.LATENCY && typeof r.props.Region === 'string' ? r.props.Region : undefined;
      return {
        // The report shows the region beside the label: the set identifier only when it says more.
        label: `${t.name}/${r.logicalId}${r.setIdentifier === region ? '' : ` (${r.setIdentifier})`}`,
        role: r === lost ? EndpointRole.PRIMARY : EndpointRole.ACTIVE,
        region,
        health: r === lost ? detection.summary : undefined,
      };
    }),
    estimate: RecoveryEstimate._fromModel(inTemplateTerms(terms, {
      'route53-health-check': detection.resource ?? `the health check of the record ${lost.setIdentifier}`,
      'route53-calculated-check': detection.resource ?? 'the calculated health check',
      'resolver-cache': `the record set ${lost.logicalId} (and the other ${lost.rule} records of ${lost.name}: ${others.map((r) => r.setIdentifier).join(', ')})`,
      // A detection read from target groups names them in its own remedy.
      ...detection.resources ? {} : { 'elb-target-health': `the ${lost.rule} record set ${lost.logicalId} (${lost.setIdentifier})` },
    })),
    warnings,
  });
  return { path, resources: detection.resources ?? [] };
}

/** What the weights say of losing a site, and the capacity check the template cannot make. */
function shareWarnings(lost: SiteRecord, records: SiteRecord[]): string[] {
  const warnings: string[] = [];
  const survivors = records.filter((r) => r !== lost);
  const names = survivors.map((r) => r.site).join(', ');
  const unknown = lost.rule === SplitRule.WEIGHTED ? records.filter((r) => r.weight === undefined) : [];
  for (const r of unknown) {
    warnings.push(`the weight of ${r.setIdentifier} is not known from the template (${describe(r.props.Weight)}): `
      + 'the traffic shares are not modeled. Give a literal `Weight` from 0 to 255.');
  }
  if (lost.rule === SplitRule.WEIGHTED && unknown.length === 0) {
    if (lost.weight === 0 && records.some((r) => r.weight! > 0)) {
      warnings.push(`${lost.site} has weight 0: it serves only while every record with a weight is unhealthy, so losing it moves no clients.`);
    }
    const shares = weightedShares(survivors.map((r) => ({ region: r.site, weight: r.weight })));
    const split = survivors.filter((r) => shares.get(r.site)! > 0).map((r) => `${r.site} ${Math.round(shares.get(r.site)! * 1000) / 10}%`).join(', ');
    warnings.push(`Remaining capacity unchecked: losing ${lost.site} sends all the traffic by weight to ${split}; the template does not say what each `
      + 'site can carry. cdk-failover\'s MultiSiteRecords checks it against `peakLoad` and each region\'s `capacity`.');
  } else {
    warnings.push(`Remaining capacity unchecked: losing ${lost.site} assumes ${names} carry its load${lost.rule === SplitRule.LATENCY
      ? ' (latency routing sends its clients to whichever is nearest to them)' : ''}; the template does not say what each site can carry. `
      + 'cdk-failover\'s MultiSiteRecords checks it against `peakLoad` and each region\'s `capacity`.');
  }
  return warnings;
}

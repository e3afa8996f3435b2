/**
 * Zonal autoshift configurations of a template: an enabled `AWS::ARCZonalShift::ZonalAutoshiftConfiguration`
 * on a load balancer is the zone-impaired path of `MultiAzService` with `zonalAutoshift`, modeled
 * by the same function: AWS detects and shifts, then the load balancer's DNS name drops the zone's
 * addresses (docs/aws-facts.md#zonal-shift-and-zonal-autoshift).
 */
import { Findings, TemplateFindings } from './findings';
import { contextOf, refTarget, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { LoadedTemplate } from './templates';
import { RecoveryEstimate } from '../../objectives/estimate';
import { zonalShift } from '../../objectives/model/zonal-shift';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

const CONFIGURATION = 'AWS::ARCZonalShift::ZonalAutoshiftConfiguration';
const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

/** One zone-impaired path per enabled zonal autoshift configuration. */
export function zonalAutoshiftPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    if (resource?.Type !== CONFIGURATION) {
      continue;
    }
    const props = resolve(resource.Properties ?? {}, ctx) as { [k: string]: unknown };
    const status = props.ZonalAutoshiftStatus;
    if (status !== 'ENABLED') {
      found.skip(logicalId, CONFIGURATION, status === 'DISABLED' || status === undefined
        ? 'zonal autoshift is DISABLED (or `ZonalAutoshiftStatus` is not set): AWS does not shift traffic out of an impaired zone by itself, and only practice runs (if configured) happen. '
          + 'Set `ZonalAutoshiftStatus` to ENABLED to have a path.'
        : `\`ZonalAutoshiftStatus\` is ${status instanceof Unresolved ? status.reason : JSON.stringify(status)}, not ENABLED or DISABLED the template decides. `
          + 'Give it literally.');
      continue;
    }
    const warnings: string[] = [];
    const target = loadBalancerOf(t, ctx, props.ResourceIdentifier, warnings);
    // Configurations that never shift have no path: ARC enables autoshift only with practice runs,
    // and shifts only a load balancer that allows zonal shift.
    if (props.PracticeRunConfiguration === undefined) {
      found.skip(logicalId, CONFIGURATION, 'autoshift needs a practice run configuration (`PracticeRunConfiguration` with an outcome alarm): '
        + 'without it ARC does not enable autoshift. cdk-failover\'s MultiAzService `zonalAutoshift` writes one, judged by its error-rate alarm.');
      continue;
    }
    if (target.zonalShiftOff !== undefined) {
      found.skip(logicalId, CONFIGURATION, target.zonalShiftOff);
      continue;
    }
    const main = `the AWS::ARCZonalShift::ZonalAutoshiftConfiguration ${logicalId}`;
    found.path(new RecoveryPath({
      id: `zonal-autoshift-${logicalId}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64),
      kind: RecoveryPathKind.ZONAL_AUTOSHIFT,
      name: `${target.label} (zone impaired)`,
      endpoints: [
        {
          label: `the nodes and targets of ${target.label} in the impaired zone`,
          role: EndpointRole.PRIMARY,
          region: target.region ?? t.region,
          health: 'AWS internal monitoring (zonal autoshift)',
        },
        { label: `the other zones of ${target.label}`, role: EndpointRole.SECONDARY, region: target.region ?? t.region, health: 'ELB health check' },
      ],
      // autoshift: true makes the alarm inputs unused; they are the manual mode's.
      estimate: RecoveryEstimate._fromModel(inTemplateTerms(zonalShift({ autoshift: true, alarmPeriod: 60, alarmEvaluationPeriods: 1 }), {
        'autoshift-detection': main,
      })),
      warnings,
    }), [logicalId, ...target.logicalId ? [target.logicalId] : []]);
  }
  return found;
}

/** What a configuration shifts, for the report. */
interface AutoshiftTarget {
  readonly label: string;
  readonly region?: string;
  /** The load balancer's logical ID, when it is in the template. */
  readonly logicalId?: string;
  /** Why ARC never shifts it, when the template says so. */
  readonly zonalShiftOff?: string;
}

/** The load balancer a configuration names: a resource of the template, a literal ARN, or unknown (with a warning). */
function loadBalancerOf(t: LoadedTemplate, ctx: ResolveContext, identifier: unknown, warnings: string[]): AutoshiftTarget {
  const id = refTarget(identifier);
  const resource = id === undefined ? undefined : t.template.Resources?.[id];
  if (resource?.Type === LOAD_BALANCER) {
    const attributes = resolve(resource.Properties?.LoadBalancerAttributes, ctx);
    const enabled = Array.isArray(attributes) && attributes.some((a: any) => a?.Key === 'zonal_shift.config.enabled' && String(a?.Value) === 'true');
    const zonalShiftOff = enabled ? undefined : `the load balancer ${id} does not set the attribute \`zonal_shift.config.enabled\` to true: zonal shift is `
      + 'off by default, and ARC shifts only load balancers that allow it, so this configuration never shifts. Add it to `LoadBalancerAttributes`.';
    return { label: `${t.name}/${id}`, logicalId: id, zonalShiftOff };
  }
  if (typeof identifier === 'string') {
    const arn = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d*:loadbalancer\/(?:app|net)\/([^/]+)\//.exec(identifier);
    if (!arn) {
      warnings.push(`the resource ${identifier} is not a load balancer ARN: modeled as a load balancer's zonal autoshift, whose figures do not depend on it.`);
    }
    return { label: arn ? `${arn[2]} in ${arn[1]}` : identifier, region: arn?.[1] };
  }
  warnings.push(`the resource is ${identifier instanceof Unresolved ? identifier.reason
    : id !== undefined ? `${id}, which is not a load balancer of this template` : 'not given'}: `
    + 'modeled as a load balancer\'s zonal autoshift, whose figures do not depend on which one it is.');
  return { label: id !== undefined ? `${t.name}/${id}` : 'a resource the template does not name' };
}

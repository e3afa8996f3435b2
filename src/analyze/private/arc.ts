/**
 * ARC routing controls of a template: a Route 53 `RECOVERY_CONTROL` health check follows a routing
 * control that an operator or a runbook flips, so a failover pair gated by it waits for the
 * decision and the flip, as `RoutingControlHealthCheck` declares it, not for a probe. The pair
 * itself is found by the Route 53 analyser, which asks this file for the check's terms; this
 * analyser reports the routing controls that no health check follows.
 */
import { Findings, TemplateFindings } from './findings';
import { contextOf, refTarget, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { CfnResourceJson, LoadedTemplate } from './templates';
import { asOneTerm } from '../../health/detection';
import { RecoveryEstimate } from '../../objectives/estimate';
import { routingControlDetection } from '../../objectives/model/arc';
import { Term } from '../../objectives/model/term';

const ROUTING_CONTROL = 'AWS::Route53RecoveryControl::RoutingControl';
const SAFETY_RULE = 'AWS::Route53RecoveryControl::SafetyRule';
/** The Regions whose CloudFormation has the AWS::Route53RecoveryControl types (docs/aws-facts.md#arc-and-global-accelerator). */
const ARC_STACK_REGIONS = ['us-west-2', 'us-east-1'];

/** What a `RECOVERY_CONTROL` health check contributes to a path. */
export interface RoutingControlCheck {
  /** The decision and the flip as one detection term, for a calculated check's children. */
  readonly term: Term;
  /** The decision, then the flip: what a failover pair puts in place of `term`. */
  readonly terms: Term[];
  readonly summary: string;
  /** The health check, for remedies. */
  readonly resource: string;
}

/**
 * The terms of the `RECOVERY_CONTROL` health check `logicalId`, whose `HealthCheckConfig` is
 * `config` (resolved): the library's assumptions at their defaults, since a template cannot
 * state them. A routing control the template does not define still gives the same terms; the
 * warnings say what the analysis could not see.
 */
export function routingControlCheck(t: LoadedTemplate, ctx: ResolveContext, logicalId: string,
  config: { [k: string]: unknown }, warnings: string[]): RoutingControlCheck {
  const arn = config.RoutingControlArn;
  const controlId = refTarget(arn);
  const control = controlId === undefined ? undefined : t.template.Resources?.[controlId];
  let label: string;
  if (control?.Type === ROUTING_CONTROL) {
    const name = resolve(control.Properties?.Name, ctx);
    label = typeof name === 'string' ? name : controlId!;
    if (t.region !== undefined && !ARC_STACK_REGIONS.includes(t.region)) {
      warnings.push(`the routing control ${label} is in a stack of ${t.region}, but CloudFormation offers the ARC routing control resources in `
        + `${ARC_STACK_REGIONS.join(' and ')} only, so this stack would not deploy. Put the routing controls, their health checks and the records in a us-west-2 stack.`);
    }
    const gates = gatingRules(t, ctx, controlId!);
    if (gates.length > 0) {
      warnings.push(`the routing control ${label} is the target of the gating safety rule ${gates.join(', ')}: a flip is refused unless its gating control `
        + 'is On, so the operator (or runbook) must turn the gate On first, or the failover waits.');
    }
  } else if (typeof arn === 'string') {
    label = arn;
  } else {
    label = `of the health check ${logicalId}`;
    warnings.push(`the routing control of the health check ${logicalId} is ${describe(arn)}: the path is modeled with the routing control terms, `
      + 'which do not depend on which control it is.');
  }
  const resource = `the AWS::Route53::HealthCheck ${logicalId}`;
  const terms = inTemplateTerms(routingControlDetection(), { 'arc-operator-decision': resource, 'arc-routing-control-switch': resource });
  return {
    term: asOneTerm(RecoveryEstimate._fromModel(terms)),
    terms,
    summary: `ARC routing control ${label} (flipped by an operator or a runbook)`,
    resource,
  };
}

/** Routing controls that no `RECOVERY_CONTROL` health check of the template follows: flipping them moves no traffic here. */
export function routingControlPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  const resources = Object.entries(t.template.Resources ?? {});
  const followed = new Set<string>();
  for (const [, resource] of resources) {
    if (resource?.Type === 'AWS::Route53::HealthCheck') {
      const config = resolve(resource.Properties?.HealthCheckConfig, ctx) as { [k: string]: unknown } | undefined;
      const id = refTarget(config?.RoutingControlArn);
      if (id !== undefined) {
        followed.add(id);
      }
    }
  }
  for (const [logicalId, resource] of resources) {
    if (resource?.Type === ROUTING_CONTROL && !followed.has(logicalId) && !isGate(t, ctx, logicalId)) {
      found.skip(logicalId, ROUTING_CONTROL, 'no Route 53 RECOVERY_CONTROL health check of this template follows this routing control, so flipping it '
        + 'moves no traffic the analysis can see. Add an AWS::Route53::HealthCheck of type RECOVERY_CONTROL with its `RoutingControlArn`, '
        + 'and give it as `HealthCheckId` to the failover records (cdk-failover\'s RoutingControls creates one per Region).');
    }
  }
  return found;
}

/** The gating safety rules whose target controls include the routing control `controlId`. */
function gatingRules(t: LoadedTemplate, ctx: ResolveContext, controlId: string): string[] {
  return safetyRules(t, ctx).filter((r) => r.targets.includes(controlId)).map((r) => r.logicalId);
}

/** Whether the routing control `controlId` is a gating control (it has no health check by design). */
function isGate(t: LoadedTemplate, ctx: ResolveContext, controlId: string): boolean {
  return safetyRules(t, ctx).some((r) => r.gates.includes(controlId));
}

function safetyRules(t: LoadedTemplate, ctx: ResolveContext): Array<{ logicalId: string; gates: string[]; targets: string[] }> {
  return Object.entries(t.template.Resources ?? {})
    .filter((e): e is [string, CfnResourceJson] => e[1]?.Type === SAFETY_RULE)
    .map(([logicalId, r]) => {
      const rule = resolve(r.Properties?.GatingRule, ctx) as { GatingControls?: unknown; TargetControls?: unknown } | undefined;
      const ids = (v: unknown) => (Array.isArray(v) ? v.map(refTarget).filter((id): id is string => id !== undefined) : []);
      return { logicalId, gates: ids(rule?.GatingControls), targets: ids(rule?.TargetControls) };
    });
}

function describe(value: unknown): string {
  if (value instanceof Unresolved) {
    return value.reason;
  }
  const ref = refTarget(value);
  return ref !== undefined ? `a reference to ${ref}, which is not a routing control of this template` : 'not given';
}

/**
 * Global Accelerator endpoint groups of a template: two or more groups on one listener are a
 * regional failover path, modeled by the same functions as `AcceleratorFailover`. A group fails
 * when its last endpoint of weight above 0 does; load balancer endpoints are judged by their
 * target groups, EC2 and Elastic IP endpoints by the group's own health check
 * (docs/aws-facts.md#arc-and-global-accelerator). Dials say who is primary: a group dialled to 0
 * is a standby, which still takes failover traffic.
 */
import { GroupHealth, LOAD_BALANCER, targetGroupsBehind } from './elb-target-health';
import { Findings, TemplateFindings } from './findings';
import { contextOf, literalNumber, refTarget, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { CfnResourceJson, LoadedTemplate } from './templates';
import { RecoveryEstimate } from '../../objectives/estimate';
import {
  ACCELERATOR_INTERVALS, ACCELERATOR_THRESHOLD, acceleratorFailover, acceleratorHealthDetection, acceleratorMonthlyCost, groupDetection,
  loadBalancerEndpointDetection,
} from '../../objectives/model/global-accelerator';
import { Term } from '../../objectives/model/term';
import { EndpointRole, PathEndpoint, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

const GROUP = 'AWS::GlobalAccelerator::EndpointGroup';
// An endpoint group's health check when the template leaves it out (docs/aws-facts.md#arc-and-global-accelerator).
const DEFAULT_INTERVAL = 30;
const DEFAULT_THRESHOLD = 3;
// An endpoint's weight when not given: above 0, so it serves.
const DEFAULT_WEIGHT = 128;

/** An endpoint as read, with how Global Accelerator judges its health. */
interface Endpoint {
  readonly label: string;
  readonly detection: Term;
  readonly health: string;
}

/** An endpoint group as read. */
interface Group {
  readonly logicalId: string;
  /** Its Region, or a name for it when the template does not decide it. */
  readonly region: string;
  readonly dial: number;
  readonly endpoints: Endpoint[];
  readonly warnings: string[];
}

/** An endpoint group's own health check. */
interface GroupCheck {
  readonly interval: number;
  readonly threshold: number;
  readonly protocol: string;
}

/** The failover paths of every listener with two or more endpoint groups. */
export function acceleratorPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  const listeners = new Map<string, Group[]>();
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    if (resource?.Type !== GROUP) {
      continue;
    }
    const props = resolve(resource.Properties ?? {}, ctx) as { [k: string]: unknown };
    const group = readGroup(t, ctx, logicalId, props);
    if (typeof group === 'string') {
      found.skip(logicalId, GROUP, group);
      continue;
    }
    const listener = listenerKey(props.ListenerArn, resource);
    listeners.set(listener, [...listeners.get(listener) ?? [], group]);
  }
  const costCounted = new Set<string>();
  let index = 0;
  for (const [listener, groups] of listeners) {
    index++;
    if (groups.length < 2) {
      found.skip(groups[0].logicalId, GROUP, `the only endpoint group (with an endpoint of weight above 0) of ${listenerName(listener)}: `
        + 'Global Accelerator has no other Region to send its traffic to. Add an endpoint group in another Region to the listener.');
      continue;
    }
    const actives = groups.filter((g) => g.dial > 0);
    if (actives.length === 0) {
      groups.forEach((g) => found.skip(g.logicalId, GROUP, `every endpoint group of ${listenerName(listener)} has \`TrafficDialPercentage\` 0: `
        + 'the listener sends no traffic anywhere. Dial the primary group to 100.'));
      continue;
    }
    const accelerator = acceleratorOf(t, ctx, listener);
    const cost = costOf(accelerator.key, costCounted);
    const warnings = accelerator.disabled
      ? [`the accelerator ${accelerator.key} is disabled (\`Enabled\` is false): it serves no traffic until enabled, and is billed all the same.`] : [];
    const activePassive = actives.length === 1;
    for (const from of actives) {
      const targets = activePassive ? groups.filter((g) => g !== from).map((g) => [g]) : [groups.filter((g) => g !== from)];
      for (const to of targets) {
        const inTemplate = t.template.Resources?.[listener] !== undefined;
        found.path(path(inTemplate ? listener : `listener${index}`, groups, from, to, activePassive, cost, warnings),
          [from.logicalId, ...to.map((g) => g.logicalId), ...inTemplate ? [listener] : [], ...accelerator.inTemplate ? [accelerator.key] : []]);
      }
    }
  }
  return found;
}

/** A group's Region, dial, health check and endpoints of weight above 0; or why it takes no part. */
function readGroup(t: LoadedTemplate, ctx: ResolveContext, logicalId: string, props: { [k: string]: unknown }): Group | string {
  const warnings: string[] = [];
  const region = typeof props.EndpointGroupRegion === 'string' ? props.EndpointGroupRegion : `the Region of ${logicalId}`;
  if (typeof props.EndpointGroupRegion !== 'string') {
    warnings.push(`the Region of the endpoint group ${logicalId} is ${describe(props.EndpointGroupRegion)}: the path names the group instead.`);
  }
  let dial = props.TrafficDialPercentage === undefined ? 100 : literalNumber(props.TrafficDialPercentage);
  if (dial === undefined) {
    warnings.push(`the traffic dial of ${logicalId} is ${describe(props.TrafficDialPercentage)}: modeled as 100 % (an active group); `
      + 'the figures do not depend on it, the roles do.');
    dial = 100;
  }
  const check = groupCheck(logicalId, props, warnings);
  const configs = Array.isArray(props.EndpointConfigurations) ? props.EndpointConfigurations : [];
  const unknownWeights = configs.filter((c: any) => c?.Weight !== undefined && literalNumber(c.Weight) === undefined).length;
  if (unknownWeights > 0) {
    // Counting such an endpoint as serving can only make the group's detection slower.
    warnings.push(`${unknownWeights} endpoint(s) of ${logicalId} have a \`Weight\` the template does not decide: counted as serving (weight above 0).`);
  }
  const serving = configs.filter((c: any) => (c?.Weight === undefined ? DEFAULT_WEIGHT : literalNumber(c.Weight) ?? DEFAULT_WEIGHT) > 0);
  if (serving.length === 0) {
    return configs.length === 0
      ? 'an endpoint group without endpoints: it serves nothing and takes no failover traffic. Add `EndpointConfigurations`.'
      : 'every endpoint of this group has `Weight` 0: Global Accelerator sends it no traffic, not even on failover. Give one endpoint a weight above 0.';
  }
  const endpoints = serving.map((c: any) => endpointOf(t, ctx, { logicalId, region }, c?.EndpointId, check, warnings));
  return { logicalId, region, dial, endpoints, warnings };
}

/** The group's own health check (it applies to EC2 and Elastic IP endpoints), at the slowest allowed when unreadable. */
function groupCheck(logicalId: string, props: { [k: string]: unknown }, warnings: string[]): GroupCheck {
  const interval = props.HealthCheckIntervalSeconds === undefined ? DEFAULT_INTERVAL : literalNumber(props.HealthCheckIntervalSeconds);
  const threshold = props.ThresholdCount === undefined ? DEFAULT_THRESHOLD : literalNumber(props.ThresholdCount);
  const protocol = typeof props.HealthCheckProtocol === 'string' ? props.HealthCheckProtocol : 'TCP';
  if (interval === undefined || threshold === undefined || !ACCELERATOR_INTERVALS.includes(interval)
    || !Number.isInteger(threshold) || threshold < ACCELERATOR_THRESHOLD.min || threshold > ACCELERATOR_THRESHOLD.max) {
    const slowest = { interval: Math.max(...ACCELERATOR_INTERVALS), threshold: ACCELERATOR_THRESHOLD.max, protocol };
    warnings.push(`the endpoint group ${logicalId} has a health-check interval or threshold the analysis cannot read: its EC2 and Elastic IP endpoints `
      + `are modeled at the slowest Global Accelerator allows (${slowest.interval} s x ${slowest.threshold}).`);
    return slowest;
  }
  return { interval, threshold, protocol };
}

/** How Global Accelerator judges an endpoint: its load balancer's target health, or the group's own check. */
function endpointOf(t: LoadedTemplate, ctx: ResolveContext, group: { logicalId: string; region: string }, id: unknown,
  check: GroupCheck, warnings: string[]): Endpoint {
  const own = (label: string): Endpoint => ({
    label,
    detection: acceleratorHealthDetection(check),
    health: `${check.protocol} health check every ${check.interval} s, unhealthy after ${check.threshold}`,
  });
  const target = refTarget(id);
  const resource = target === undefined ? undefined : t.template.Resources?.[target];
  if (resource?.Type === LOAD_BALANCER) {
    const kind = resource.Properties?.Type === 'network' ? 'NLB' : 'ALB';
    return loadBalancer(`${kind} ${t.name}/${target}`, targetHealth(t, ctx, target!, warnings), warnings);
  }
  if (resource?.Type === 'AWS::EC2::Instance' || resource?.Type === 'AWS::EC2::EIP') {
    return own(`${resource.Type === 'AWS::EC2::EIP' ? 'Elastic IP' : 'EC2 instance'} ${t.name}/${target}`);
  }
  if (typeof id === 'string') {
    const arn = /:loadbalancer\/(app|net)\/([^/]+)\//.exec(id);
    if (arn) {
      return loadBalancer(`${arn[1] === 'app' ? 'ALB' : 'NLB'} ${arn[2]} in ${group.region}`, undefined, warnings);
    }
    if (/^(i|eipalloc)-[0-9a-f]+$/.test(id)) {
      return own(`${id.startsWith('i-') ? 'EC2 instance' : 'Elastic IP'} ${id}`);
    }
  }
  // Unknown kind: the slower of the two ways Global Accelerator could judge it.
  const label = typeof id === 'string' ? `endpoint ${id}` : `an endpoint of ${group.logicalId}`;
  const asOwn = own(label);
  const asLoadBalancer = loadBalancerEndpointDetection({ label });
  const slower = asOwn.detection.max >= asLoadBalancer.max ? asOwn.detection : asLoadBalancer;
  const why = typeof id === 'string' ? 'neither a load balancer ARN nor an instance or Elastic IP ID' : describe(id);
  warnings.push(`the analysis cannot tell what ${label} is (${why}): modeled as the slower of an EC2 endpoint under the group's health check `
    + `and a load balancer at the \`targetHealthDetection\` assumption (${slower.max} s).`);
  return { label, detection: { ...slower, assumption: true }, health: 'unknown (modeled at the slower)' };
}

function loadBalancer(label: string, read: GroupHealth | string | undefined, warnings: string[]): Endpoint {
  const elb = typeof read === 'object' ? read.health : undefined;
  if (typeof read === 'string') {
    warnings.push(`${read}: detection of ${label} rests on \`targetHealthDetection\`. Forward to a target group.`);
  } else if (!read) {
    warnings.push(`The target groups of ${label} are not visible to the analysis: detection rests on \`targetHealthDetection\`. `
      + 'Define the load balancer, its listeners and target groups in this template, or measure the detection with a drill.');
  }
  const term = loadBalancerEndpointDetection({ label, elb });
  return {
    label,
    detection: {
      ...term,
      assumption: term.assumption || (typeof read === 'object' && read.assumed),
      remedy: `shorten \`HealthCheckIntervalSeconds\` and \`HealthCheckTimeoutSeconds\` or lower \`UnhealthyThresholdCount\` on the target groups of ${label} `
        + '(5 s, 2 s and 2 are the least ELB allows); cdk-failover\'s AcceleratorFailover reads them when given the load balancer itself',
    },
    health: elb ? `ELB target health (${elb.interval} s x ${elb.unhealthyThreshold} + ${elb.timeout} s)` : 'ELB target health (not visible)',
  };
}

/**
 * The slowest target group the load balancer's listeners (and their rules) forward to, read by
 * the same reader as an alias with `EvaluateTargetHealth` (its warnings go on the path), or the
 * reason it cannot be read.
 */
function targetHealth(t: LoadedTemplate, ctx: ResolveContext, lbId: string, warnings: string[]): GroupHealth | string {
  const behind = targetGroupsBehind(t, ctx, lbId, warnings);
  return 'reason' in behind ? behind.reason : behind.slowest;
}

/** One path: from the group `from` failing to new connections reaching `to`. */
function path(listener: string, all: Group[], from: Group, to: Group[], activePassive: boolean,
  cost: { monthlyUsd: number; basis: string }, listenerWarnings: string[]): RecoveryPath {
  const terms = acceleratorFailover({ detection: groupDetection(from.region, from.endpoints.map((e) => e.detection)) });
  const endpointsOf = (g: Group, role: EndpointRole): PathEndpoint[] => g.endpoints.map((e) => ({
    label: e.label, role, region: g.region, health: `${e.health}, traffic dial ${g.dial} %`,
  }));
  const warnings = [...listenerWarnings, ...new Set([from, ...to].flatMap((g) => g.warnings))];
  if (activePassive && all.length > 2) {
    warnings.push(`Global Accelerator sends each client to the nearest healthy group, not to a fixed standby: traffic from ${from.region} may go to any of `
      + `${all.filter((g) => g !== from).map((g) => g.region).join(', ')}.`);
  }
  if (!activePassive) {
    warnings.push(`The remaining Regions (${to.map((g) => g.region).join(', ')}) must carry ${from.region}'s traffic as well as their own.`);
  }
  const group = `the AWS::GlobalAccelerator::EndpointGroup ${from.logicalId}`;
  const base = sanitize(listener);
  return new RecoveryPath({
    id: (activePassive ? `accelerator-${base}-to-${sanitize(to[0].region)}` : `accelerator-${base}-lose-${sanitize(from.region)}`).slice(0, 64),
    kind: RecoveryPathKind.GLOBAL_ACCELERATOR,
    name: activePassive ? `${from.region} to ${to[0].region}` : `losing ${from.region}`,
    endpoints: [
      ...endpointsOf(from, activePassive ? EndpointRole.PRIMARY : EndpointRole.ACTIVE),
      ...to.flatMap((g) => endpointsOf(g, activePassive ? EndpointRole.SECONDARY : g.dial > 0 ? EndpointRole.ACTIVE : EndpointRole.STANDBY)),
    ],
    estimate: RecoveryEstimate._fromModel(inTemplateTerms(terms, { 'accelerator-health-check': group, 'accelerator-reroute': group })),
    warnings,
    cost,
  });
}

/** The accelerator's monthly price, counted on the first listener of each accelerator, as `AcceleratorFailover` counts a shared one once. */
function costOf(accelerator: string, counted: Set<string>): { monthlyUsd: number; basis: string } {
  const { usd, basis } = acceleratorMonthlyCost();
  if (counted.has(accelerator)) {
    return { monthlyUsd: 0, basis: `the accelerator ${accelerator} is billed once, and counted by the first listener that uses it` };
  }
  counted.add(accelerator);
  return { monthlyUsd: usd, basis: `${basis}; plus the data transfer premium per GB, not counted` };
}

/** The listener's accelerator: its logical ID, its literal ARN, or the listener's key when the template does not say. */
function acceleratorOf(t: LoadedTemplate, ctx: ResolveContext, listener: string): { key: string; inTemplate: boolean; disabled: boolean } {
  const resource = t.template.Resources?.[listener];
  const arn = resource?.Type === 'AWS::GlobalAccelerator::Listener' ? resolve(resource.Properties?.AcceleratorArn, ctx) : undefined;
  const id = refTarget(arn);
  const accelerator = id === undefined ? undefined : t.template.Resources?.[id];
  if (id !== undefined && accelerator?.Type === 'AWS::GlobalAccelerator::Accelerator') {
    const enabled = resolve(accelerator.Properties?.Enabled, ctx);
    return { key: id, inTemplate: true, disabled: enabled === false || enabled === 'false' };
  }
  return { key: typeof arn === 'string' ? arn : listener, inTemplate: false, disabled: false };
}

/** The listener a group belongs to: its logical ID, its literal ARN, or the value as written. */
function listenerKey(arn: unknown, group: CfnResourceJson): string {
  return refTarget(arn) ?? (typeof arn === 'string' ? arn : JSON.stringify(group.Properties?.ListenerArn) ?? 'an unknown listener');
}

function listenerName(listener: string): string {
  return `the listener ${listener}`;
}

function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '-');
}

function describe(value: unknown): string {
  if (value instanceof Unresolved) {
    return value.reason;
  }
  const ref = refTarget(value);
  return ref !== undefined ? `a reference to ${ref}` : JSON.stringify(value) ?? 'not given';
}

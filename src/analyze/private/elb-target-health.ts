/**
 * The ELB target health behind an alias with `EvaluateTargetHealth`: the load balancer of the
 * template its `DNSName` refers to, its listeners (and their rules), the target groups they
 * forward to and each group's health check, modeled by `elbTargetDetection`, the function
 * `MultiAzService` and `AcceleratorFailover` use (docs/aws-facts.md#elastic-load-balancing).
 */
import { literalNumber, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { LoadedTemplate } from './templates';
import {
  ALB_TARGET_GROUP_DEFAULTS, ELB_INTERVAL, ELB_SLOWEST, ELB_THRESHOLD, ELB_TIMEOUT, ElbHealthInput, elbTargetDetection,
} from '../../objectives/model/elb';
import { Term } from '../../objectives/model/term';

/** How Route 53 learns that the alias target failed, read from the template. */
export interface TargetHealth {
  readonly term: Term;
  readonly summary: string;
  /** The logical IDs read: the load balancer, its listeners and rules, its target groups. */
  readonly resources: string[];
}

export const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';

/** The remedy key of a detection read from target groups (the term keeps the model's id). */
export const TARGET_GROUP_REMEDY = 'elb-target-group-health';

/** One target group's health check as read. */
export interface GroupHealth {
  readonly logicalId?: string;
  readonly name: string;
  readonly health: ElbHealthInput;
  /** Whether a setting was taken at the slowest ELB allows. */
  readonly assumed: boolean;
  readonly remedyResource: string;
}

/** What a load balancer's target groups say about its health: the slowest group, and what was read. */
export interface LoadBalancerHealth {
  readonly slowest: GroupHealth;
  /** How many target groups were read. */
  readonly count: number;
  /** The logical IDs read: the load balancer, its listeners and rules, its target groups. */
  readonly resources: string[];
}

/**
 * The target groups a load balancer of the template forwards to (through its listeners and
 * their rules), and the slowest of their health checks. One rule for every reader: a setting
 * left out takes the ALB defaults for an HTTP/HTTPS group of instance or IP targets; anything
 * else the analysis cannot read (a deploy-time value, an NLB or Lambda group on its defaults, a
 * group or listener outside the template) is taken at the slowest ELB allows, with a warning.
 * A reason when the listeners forward to no target group at all.
 */
export function targetGroupsBehind(
  t: LoadedTemplate, ctx: ResolveContext, lb: string, warnings: string[],
): LoadBalancerHealth | { readonly reason: string } {
  const resources = t.template.Resources ?? {};
  const listeners = Object.entries(resources)
    .filter(([, r]) => r?.Type === 'AWS::ElasticLoadBalancingV2::Listener' && referencedIds(r.Properties?.LoadBalancerArn).includes(lb))
    .map(([id]) => id);
  const rules = Object.entries(resources)
    .filter(([, r]) => r?.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule' && referencedIds(r.Properties?.ListenerArn).some((l) => listeners.includes(l)))
    .map(([id]) => id);
  const groups: unknown[] = [];
  for (const id of listeners) {
    groups.push(...forwardedGroups(resources[id].Properties?.DefaultActions, `the listener ${id}`, warnings));
  }
  for (const id of rules) {
    groups.push(...forwardedGroups(resources[id].Properties?.Actions, `the listener rule ${id}`, warnings));
  }
  if (listeners.length === 0) {
    groups.push(new Unresolved(`the load balancer ${lb} has no listener in this template`));
  } else if (groups.length === 0) {
    return { reason: `the listeners of the load balancer ${lb} forward to no target group (fixed responses or redirects only)` };
  }
  const read = uniqueGroups(groups).map((g) => groupHealth(t, ctx, g, warnings));
  const worst = (h: ElbHealthInput) => elbTargetDetection(h).max;
  const slowest = read.reduce((a, b) => (worst(b.health) > worst(a.health) ? b : a));
  return {
    slowest,
    count: read.length,
    resources: [lb, ...listeners, ...rules, ...read.map((r) => r.logicalId).filter((id): id is string => id !== undefined)],
  };
}

/**
 * The target health of the load balancer an alias's raw `DNSName` refers to; undefined when it
 * refers to no ELBv2 load balancer of this template; a reason when Route 53 never counts the
 * load balancer unhealthy.
 */
export function aliasTargetHealth(
  t: LoadedTemplate, ctx: ResolveContext, rawDnsName: unknown, warnings: string[],
): TargetHealth | string | undefined {
  const resources = t.template.Resources ?? {};
  const lb = referencedIds(rawDnsName).find((id) => resources[id]?.Type === LOAD_BALANCER);
  if (lb === undefined) {
    return undefined;
  }
  const behind = targetGroupsBehind(t, ctx, lb, warnings);
  if ('reason' in behind) {
    return `the alias evaluates the target health of the load balancer ${lb}, whose listeners forward to no target group (fixed responses or `
      + 'redirects only): Route 53 counts such a load balancer healthy whatever happens, so the record never fails over. '
      + 'Forward to a target group, or attach a Route 53 health check (`HealthCheckId`).';
  }
  const slowest = behind.slowest;
  const term = elbTargetDetection(slowest.health);
  const of = behind.count === 1 ? slowest.name : `${slowest.name}, the slowest of ${behind.count}: a failure only its targets see`;
  const [named] = inTemplateTerms([{ ...term, id: TARGET_GROUP_REMEDY }], { [TARGET_GROUP_REMEDY]: slowest.remedyResource });
  return {
    term: {
      ...term,
      basis: `Route 53 follows the ELB target health of the load balancer ${lb}: ${term.basis} (${of})`,
      assumption: slowest.assumed,
      remedy: named.remedy,
    },
    summary: `EvaluateTargetHealth of the load balancer ${lb} (${slowest.name})`,
    resources: behind.resources,
  };
}

/** The target groups an action list forwards to, as raw values (a reference, or what stands for it). */
function forwardedGroups(actions: unknown, where: string, warnings: string[]): unknown[] {
  if (!Array.isArray(actions)) {
    return actions === undefined ? [] : [new Unresolved(`the actions of ${where} are not a list the analysis can read`)];
  }
  const out: unknown[] = [];
  for (const action of actions as Array<{ [k: string]: any } | null>) {
    const type = action?.Type;
    if (typeof type !== 'string') {
      warnings.push(`an action of ${where} has a type the template does not decide: its target group, if any, is not read.`);
    } else if (type.toLowerCase() === 'forward') {
      const forwardGroups = action?.ForwardConfig?.TargetGroups;
      const weighted = Array.isArray(forwardGroups) ? forwardGroups.map((g: any) => g?.TargetGroupArn) : [];
      const arns = [action?.TargetGroupArn, ...weighted].filter((a) => a !== undefined);
      out.push(...(arns.length > 0 ? arns : [new Unresolved(`a forward action of ${where} names no target group`)]));
    }
  }
  return out;
}

/** Raw target group values, one per group referred to. */
function uniqueGroups(groups: unknown[]): unknown[] {
  const seen = new Set<string>();
  return groups.filter((g) => {
    const key = referencedIds(g)[0] ?? JSON.stringify(g) ?? String(g);
    if (seen.has(key) && !(g instanceof Unresolved)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** One target group's health check; each setting the analysis cannot read at the slowest ELB allows, with a warning. */
function groupHealth(t: LoadedTemplate, ctx: ResolveContext, raw: unknown, warnings: string[]): GroupHealth {
  const id = referencedIds(raw).find((r) => t.template.Resources?.[r]?.Type === TARGET_GROUP);
  if (id === undefined) {
    const why = raw instanceof Unresolved ? raw.reason : `the target group ${JSON.stringify(raw)} is not defined in this template`;
    warnings.push(`${why}: its health check is modeled as the slowest ELB allows (${ELB_SLOWEST.unhealthyThreshold} failures x ${ELB_SLOWEST.interval} s `
      + `+ ${ELB_SLOWEST.timeout} s timeout).`);
    return { name: 'a target group the template does not define', health: ELB_SLOWEST, assumed: true, remedyResource: 'the load balancer\'s target groups' };
  }
  const props = resolve(t.template.Resources![id].Properties ?? {}, ctx) as { [k: string]: unknown };
  const targetType = typeof props.TargetType === 'string' ? props.TargetType : 'instance';
  const albDefaults = ['HTTP', 'HTTPS'].includes(String(props.Protocol)) && ['instance', 'ip'].includes(targetType);
  const unread: string[] = [];
  const setting = (key: string, field: keyof ElbHealthInput, bounds: { min: number; max: number }): number => {
    const value = props[key];
    const n = literalNumber(value);
    if (value === undefined && albDefaults) {
      return ALB_TARGET_GROUP_DEFAULTS[field];
    }
    if (n !== undefined && Number.isInteger(n) && n >= bounds.min && n <= bounds.max) {
      return n;
    }
    unread.push(value === undefined ? `\`${key}\` (left out, and its default depends on a protocol or target type the analysis does not model)`
      : `\`${key}\` (${value instanceof Unresolved ? value.reason : JSON.stringify(value)})`);
    return ELB_SLOWEST[field];
  };
  const health = {
    interval: setting('HealthCheckIntervalSeconds', 'interval', ELB_INTERVAL),
    timeout: setting('HealthCheckTimeoutSeconds', 'timeout', ELB_TIMEOUT),
    unhealthyThreshold: setting('UnhealthyThresholdCount', 'unhealthyThreshold', ELB_THRESHOLD),
  };
  if (unread.length > 0) {
    warnings.push(`the target group ${id}: ${unread.join(', ')} modeled at the slowest ELB allows. Give literal values.`);
  }
  return { logicalId: id, name: `target group ${id}`, health, assumed: unread.length > 0, remedyResource: `the ${TARGET_GROUP} ${id}` };
}

/** The logical IDs a raw value refers to with `Ref` or `Fn::GetAtt`, at any depth. */
export function referencedIds(raw: unknown): string[] {
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

/**
 * What the model can see of a load balancer's target health: the health checks of the target
 * groups its listeners forward to, found in the construct tree (docs/aws-facts.md#elastic-load-balancing).
 */
import { Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Dependable, IConstruct } from 'constructs';
import { ElbHealthInput } from '../../objectives/model/elb';
import { secondsOf, unresolved } from '../../private/validate';

// Application target groups (instance and IP targets) when a setting is left out: 30 s, 5 s, 2 failures.
const ALB_DEFAULTS = { interval: 30, timeout: 5, unhealthyThreshold: 2 };

/**
 * The health check of the slowest target group behind the load balancer, or undefined when the
 * model cannot tell: no target group in the app, a deploy-time value, a Lambda target group or
 * an NLB target group relying on defaults (they differ by protocol).
 */
export function loadBalancerTargetHealth(lb: IConstruct): ElbHealthInput | undefined {
  const groups = lb.node.root.node.findAll()
    .filter((c): c is elbv2.TargetGroupBase => c instanceof elbv2.TargetGroupBase)
    .filter((tg) => attachedTo(tg, lb));
  if (groups.length === 0) {
    return undefined;
  }
  const checks = groups.map(healthOf);
  if (checks.some((c) => c === undefined)) {
    return undefined;
  }
  const worst = (c: ElbHealthInput) => c.interval * c.unhealthyThreshold + c.timeout;
  return checks.reduce((a, b) => (worst(b!) > worst(a!) ? b : a));
}

/** A target group is attached through a listener (or one of its rules) of the load balancer. */
function attachedTo(tg: elbv2.TargetGroupBase, lb: IConstruct): boolean {
  return Dependable.of(tg.loadBalancerAttached).dependencyRoots.some((root) => root.node.scopes.some((scope) =>
    (scope instanceof elbv2.ApplicationListener || scope instanceof elbv2.NetworkListener) && scope.loadBalancer === lb));
}

function healthOf(tg: elbv2.TargetGroupBase): ElbHealthInput | undefined {
  const hc = tg.healthCheck ?? {};
  const isAlb = tg instanceof elbv2.ApplicationTargetGroup;
  const cfn = tg.node.defaultChild as elbv2.CfnTargetGroup;
  // aws-cdk-lib sets the target type lazily, once targets are added.
  if (isAlb && Stack.of(tg).resolve(cfn.targetType) === elbv2.TargetType.LAMBDA) {
    return undefined;
  }
  const interval = secondsOf(hc.interval, isAlb ? ALB_DEFAULTS.interval : undefined);
  const timeout = secondsOf(hc.timeout, isAlb ? ALB_DEFAULTS.timeout : undefined);
  const threshold = hc.unhealthyThresholdCount ?? (isAlb ? ALB_DEFAULTS.unhealthyThreshold : undefined);
  if (interval === undefined || timeout === undefined || threshold === undefined || unresolved(threshold)
    || hc.interval?.isUnresolved() || hc.timeout?.isUnresolved()) {
    return undefined;
  }
  return { interval, timeout, unhealthyThreshold: threshold };
}

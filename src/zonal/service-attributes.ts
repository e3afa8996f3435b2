import { Arn, ArnFormat, Fn, Token } from 'aws-cdk-lib';
import type { MultiAzServiceAttributes } from './multi-az-service-base';
import { Problems } from '../private/errors';
import { show, unresolved } from '../private/validate';

/** Checks the literal parts of imported service attributes: ARNs of the right kinds, in one region, and zones of it. */
export function validateServiceAttributes(problems: Problems, attrs: MultiAzServiceAttributes): void {
  const lb = parseArn(attrs.loadBalancerArn);
  if (lb === null || (lb && (lb.service !== 'elasticloadbalancing' || lb.resource !== 'loadbalancer' || !lb.resourceName?.startsWith('app/')))) {
    problems.add(`\`loadBalancerArn\` must be the ARN of an Application Load Balancer (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>), got: ${show(attrs.loadBalancerArn)}.`);
  }
  const tg = parseArn(attrs.targetGroupArn);
  if (tg === null || (tg && (tg.service !== 'elasticloadbalancing' || tg.resource !== 'targetgroup'))) {
    problems.add(`\`targetGroupArn\` must be the ARN of a target group (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>), got: ${show(attrs.targetGroupArn)}.`);
  } else if (lb && tg && (lb.region !== tg.region || lb.account !== tg.account)) {
    problems.add(`\`targetGroupArn\` is in ${tg.account} ${tg.region}, but the load balancer in ${lb.account} ${lb.region}: `
      + 'a load balancer forwards only to target groups of its own account and region. Give the target group of this load balancer.');
  }
  const zones = attrs.availabilityZones;
  if (!Token.isUnresolved(zones)) {
    if (!zones.some(unresolved) && new Set(zones).size < 2) {
      problems.add(`\`availabilityZones\` must name at least two zones, got: ${show(zones)}. Give the zones the service's targets run in.`);
    }
    const region = lb?.region;
    const foreign = region && !unresolved(region) ? zones.filter((z) => !unresolved(z) && !z.startsWith(region)) : [];
    if (foreign.length > 0) {
      problems.add(`\`availabilityZones\` must be zones of the load balancer's region ${region}, got: ${show(foreign)}.`);
    }
  }
}

/** `app/<name>/<id>` from `arn:...:loadbalancer/app/<name>/<id>`, also for a Token. */
export function loadBalancerFullName(arn: string): string {
  const parts = Fn.split('/', arn);
  return Fn.join('/', [Fn.select(1, parts), Fn.select(2, parts), Fn.select(3, parts)]);
}

/** `targetgroup/<name>/<id>` from `arn:...:targetgroup/<name>/<id>`, also for a Token. */
export function targetGroupFullName(arn: string): string {
  return Fn.select(5, Fn.split(':', arn));
}

/** The parts of a literal ARN; undefined for a Token, null when it is no ARN. */
function parseArn(arn: string): ReturnType<typeof Arn.split> | undefined | null {
  if (unresolved(arn)) {
    return undefined;
  }
  try {
    return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    return null;
  }
}

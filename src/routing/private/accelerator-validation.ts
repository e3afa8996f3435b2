/**
 * The props checks of `AcceleratorFailover`: one function per concern, each skipping Tokens
 * where the value is not needed at synth (docs/aws-facts.md#arc-and-global-accelerator).
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { IConstruct } from 'constructs';
import { BoundAcceleratorEndpoint } from './accelerator-binding';
import { RecoveryAssumption } from '../../objectives/assumptions';
import {
  ACCELERATOR_INTERVALS, ACCELERATOR_THRESHOLD, ACCELERATOR_TRAFFIC_DIAL, ACCELERATOR_WEIGHT,
} from '../../objectives/model/global-accelerator';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { isRegionName } from '../../private/region';
import { checkDuration, checkInteger, checkLength, show, truncate } from '../../private/validate';
import { AcceleratorEndpointKind } from '../accelerator-endpoint';
import { AcceleratorFailoverProps } from '../accelerator-failover-props';

/** The named assumptions an accelerator path rests on. */
export const ACCELERATOR_ASSUMPTIONS = [RecoveryAssumption.ACCELERATOR_REROUTE, RecoveryAssumption.TARGET_HEALTH_DETECTION];

const MAX_PORT_RANGES = 10;
const ARN_PATTERN = /^arn:[a-z-]+:elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;

export function validateAcceleratorFailover(scope: IConstruct, props: AcceleratorFailoverProps, bound: BoundAcceleratorEndpoint[]): void {
  const problems = new Problems(scope);
  checkEndpoints(problems, scope, bound);
  const regions = [...new Set(bound.map((b) => b.region).filter((r): r is string => r !== undefined))];
  if (regions.length === 1 && bound.every((b) => b.region !== undefined)) {
    problems.add(`\`endpoints\` are all in ${regions[0]}: failover needs endpoint groups in at least two Regions. Add the load balancer of another Region.`);
  }
  for (const region of regions) {
    const inRegion = bound.filter((b) => b.region === region);
    if (inRegion.every((b) => b.options.weight === 0)) {
      problems.add(`\`endpoints\` in ${region} all have weight 0: Global Accelerator sends such a group no traffic, not even on failover. `
        + 'Give at least one endpoint of each Region a weight above 0 (the default is 128).');
    }
  }
  checkDials(problems, props, regions);
  const albs = bound.filter((b) => b.kind === AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER);
  if (props.protocol === ga.ConnectionProtocol.UDP && albs.length > 0) {
    problems.add(`\`protocol\` is UDP, but ${albs.map((b) => b.label).join(', ')} ${albs.length === 1 ? 'is an Application Load Balancer, which takes' : 'are Application Load Balancers, which take'} TCP only. `
      + 'Use TCP, or Network Load Balancers with UDP listeners.');
  }
  const given = props.accelerator;
  if (given && Stack.of(given) !== Stack.of(scope) && Token.isUnresolved(given.acceleratorArn)) {
    problems.add(`\`accelerator\` (${given.node.path}) is in the stack ${Stack.of(given).node.path}, not this one's (${Stack.of(scope).node.path}): its ARN is `
      + 'known there only, so the listener would need a cross-stack export, which cdk-failover never makes. Create the AcceleratorFailover in the '
      + 'accelerator\'s stack, or import the accelerator here by its literal ARN (Accelerator.fromAcceleratorAttributes).');
  }
  if (props.accelerator && props.acceleratorName !== undefined) {
    problems.add('`acceleratorName` names a new accelerator, but `accelerator` is given. Name the accelerator where it is created, or leave `accelerator` out.');
  }
  checkLength(problems, 'acceleratorName', props.acceleratorName, 64, 'Give a name of 1 to 64 characters.');
  const name = props.acceleratorName;
  // Global Accelerator takes letters, digits, dots and hyphens, not at either end (docs/aws-facts.md#arc-and-global-accelerator).
  if (name !== undefined && !Token.isUnresolved(name) && name.length > 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name)) {
    problems.add(`\`acceleratorName\` must be letters, digits, dots and hyphens, not starting or ending with a dot or hyphen, got: ${show(name)}. Give e.g. 'orders-web'.`);
  }
  checkPortRanges(problems, props);
  checkDuration(problems, 'healthCheckInterval', props.healthCheckInterval, {
    unit: 'seconds', allowed: ACCELERATOR_INTERVALS, fix: 'Global Accelerator checks every 10 or 30 seconds.',
  });
  checkInteger(problems, 'healthCheckThreshold', props.healthCheckThreshold, ACCELERATOR_THRESHOLD.min, ACCELERATOR_THRESHOLD.max,
    'Global Accelerator counts 1 to 10 checks; 3 does not flap on one lost check.');
  checkAssumptions(problems, props.assumptions, ACCELERATOR_ASSUMPTIONS);
  problems.throwIfAny();
}

function checkEndpoints(problems: Problems, scope: IConstruct, bound: BoundAcceleratorEndpoint[]): void {
  if (bound.length === 0) {
    problems.add('`endpoints` is empty: give the load balancers of at least two Regions.');
  }
  const here = Stack.of(scope);
  const seen = new Map<string, number>();
  bound.forEach((b, i) => {
    const prop = `endpoints[${i}]`;
    if (b.construct) {
      const there = Stack.of(b.construct);
      if (there !== here && Token.isUnresolved(b.loadBalancerArn)) {
        problems.add(`\`${prop}\` is ${b.construct.node.path} of the stack ${there.node.path}: its ARN is only known at deploy time, so using it here `
          + 'would make a cross-stack export, which can block deploys and cannot change after a disaster. '
          + 'Give AcceleratorEndpoint.fromArn(region, arn, kind) with the literal ARN of that load balancer instead.');
        return;
      }
      if (b.region === undefined) {
        problems.add(`\`${prop}\` (${b.label}) is in a stack whose Region is not known at synth, so its endpoint group cannot be placed. `
          + 'Give that stack an explicit `env.region`, or use AcceleratorEndpoint.fromArn(region, arn, kind).');
      }
    } else {
      checkArnEndpoint(problems, prop, b, Stack.of(scope).account);
    }
    const key = Token.isUnresolved(b.loadBalancerArn) ? b.label : b.loadBalancerArn;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(`\`${prop}\` is the same load balancer as \`endpoints[${first}]\` (${b.label}). Give each endpoint once.`);
    } else {
      seen.set(key, i);
    }
    checkInteger(problems, `${prop}.weight`, b.options.weight, ACCELERATOR_WEIGHT.min, ACCELERATOR_WEIGHT.max,
      'Weights share a group\'s traffic between its endpoints; 128 is the default.');
  });
}

function checkArnEndpoint(problems: Problems, prop: string, b: BoundAcceleratorEndpoint, account: string): void {
  const arn = b.loadBalancerArn;
  if (b.region === undefined || !isRegionName(b.region)) {
    problems.add(`\`${prop}\` has the Region ${show(b.region === undefined ? 'a deploy-time Token' : b.region)}, which is not an AWS Region name such as us-east-1. `
      + 'Give the literal Region of the load balancer.');
  }
  if (Token.isUnresolved(arn)) {
    problems.add(`\`${prop}\` has a deploy-time Token as its ARN: AcceleratorEndpoint.fromArn() is for a load balancer of another stack, which Regions `
      + 'reach by literal ARN, never by a cross-stack reference. Give the literal ARN, or give a load balancer of this stack with '
      + 'AcceleratorEndpoint.applicationLoadBalancer() or networkLoadBalancer().');
    return;
  }
  const match = ARN_PATTERN.exec(arn);
  if (!match) {
    problems.add(`\`${prop}\` must be the ARN of a load balancer (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app|net/<name>/<id>), `
      + `got: ${show(truncate(arn))}.`);
    return;
  }
  if (b.region !== undefined && match[1] !== b.region) {
    problems.add(`\`${prop}\` is given the Region ${b.region}, but its ARN is of ${match[1]}. Give the Region the load balancer is in.`);
  }
  if (!Token.isUnresolved(account) && match[2] !== account) {
    problems.add(`\`${prop}\` is a load balancer of the account ${match[2]}, but the accelerator's stack is in ${account}: a load balancer of another `
      + 'account needs a Global Accelerator cross-account attachment, which this construct does not make. Give a load balancer of this account.');
  }
  const kind = match[3] === 'app' ? AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER : AcceleratorEndpointKind.NETWORK_LOAD_BALANCER;
  if (kind !== b.kind) {
    problems.add(`\`${prop}\` is given the kind ${b.kind}, but its ARN (loadbalancer/${match[3]}/) is of a ${kind}. `
      + `Give AcceleratorEndpointKind.${kind === AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER ? 'APPLICATION_LOAD_BALANCER' : 'NETWORK_LOAD_BALANCER'}.`);
  }
}

function checkDials(problems: Problems, props: AcceleratorFailoverProps, regions: string[]): void {
  const primary = props.primaryRegion;
  if (primary !== undefined) {
    if (Token.isUnresolved(primary)) {
      problems.add('`primaryRegion` is a deploy-time Token, but the recovery model needs it at synth. Give the literal Region, e.g. us-east-1.');
    } else if (!regions.includes(primary)) {
      problems.add(`\`primaryRegion\` must be one of the endpoints' Regions (${regions.join(', ') || 'none'}), got: ${show(primary)}. `
        + 'Give the Region of the load balancers that take the traffic.');
    }
  }
  const dials = props.trafficDials ?? {};
  for (const [region, dial] of Object.entries(dials)) {
    if (!regions.includes(region)) {
      problems.add(`\`trafficDials\` sets ${show(region)}, which is not one of the endpoints' Regions (${regions.join(', ') || 'none'}). Fix the Region name.`);
    }
    // The API takes a float percentage (docs/aws-facts.md#arc-and-global-accelerator).
    if (typeof dial !== 'number' || Token.isUnresolved(dial) || !Number.isFinite(dial) || dial < ACCELERATOR_TRAFFIC_DIAL.min || dial > ACCELERATOR_TRAFFIC_DIAL.max) {
      problems.add(`\`trafficDials.${region}\` must be a percentage from ${ACCELERATOR_TRAFFIC_DIAL.min} to ${ACCELERATOR_TRAFFIC_DIAL.max}, known at synth, `
        + `got: ${Token.isUnresolved(dial) ? 'a deploy-time Token' : show(dial)}. A traffic dial is a percentage of the traffic the Region would get.`);
    }
  }
  if (primary !== undefined && dials[primary] === 0) {
    problems.add(`\`trafficDials.${primary}\` is 0, but ${primary} is the \`primaryRegion\`: it would take no traffic while healthy. `
      + 'Leave its dial at 100, or make another Region the primary.');
  }
  if (primary === undefined && regions.length > 0 && regions.every((r) => dials[r] === 0)) {
    problems.add('`trafficDials` are 0 in every Region: no Region takes traffic while all are healthy. Give at least one Region a dial above 0.');
  }
}

function checkPortRanges(problems: Problems, props: AcceleratorFailoverProps): void {
  const ranges = props.portRanges;
  if (ranges === undefined) {
    return;
  }
  if (ranges.length === 0 || ranges.length > MAX_PORT_RANGES) {
    problems.add(`\`portRanges\` must have 1 to ${MAX_PORT_RANGES} ranges, got ${ranges.length}. Give the ports clients connect to, e.g. [{ fromPort: 443 }].`);
    return;
  }
  const literal: Array<[number, number, number]> = [];
  ranges.forEach((r, i) => {
    const to = r.toPort ?? r.fromPort;
    checkInteger(problems, `portRanges[${i}].fromPort`, r.fromPort, 1, 65535, 'Give a TCP or UDP port.');
    checkInteger(problems, `portRanges[${i}].toPort`, r.toPort, 1, 65535, 'Give a TCP or UDP port.');
    if (Token.isUnresolved(r.fromPort) || Token.isUnresolved(to)) {
      return;
    }
    if (r.fromPort > to) {
      problems.add(`\`portRanges[${i}]\` runs from ${r.fromPort} down to ${to}. Give \`fromPort\` <= \`toPort\`.`);
      return;
    }
    const overlap = literal.find(([from, end]) => r.fromPort <= end && from <= to);
    if (overlap) {
      problems.add(`\`portRanges[${i}]\` (${r.fromPort}-${to}) overlaps \`portRanges[${overlap[2]}]\` (${overlap[0]}-${overlap[1]}). Give each port once.`);
    }
    literal.push([r.fromPort, to, i]);
  });
}

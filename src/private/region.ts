/**
 * Where constructs are: the region of a stack when it is known at synth, region names, and the
 * check that two constructs are in one region (regions meet by DNS name, never by reference).
 */
import { IResource, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { unresolved } from './validate';

/** The region of the construct's stack, or undefined in an environment-agnostic stack. */
export function knownRegion(construct: IConstruct): string | undefined {
  const region = Stack.of(construct).region;
  return unresolved(region) ? undefined : region;
}

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** `us-east-1` from `us-east-1.app.example.com`. */
export function regionLabel(name: string): string | undefined {
  if (Token.isUnresolved(name)) {
    return undefined;
  }
  const first = name.split('.')[0];
  return REGION_PATTERN.test(first) ? first : undefined;
}

/** True when `name` looks like an AWS region. */
export function isRegionName(name: string): boolean {
  return REGION_PATTERN.test(name);
}

/**
 * The region of a construct: a resource's own environment (an import by ARN carries the ARN's
 * region, e.g. `sns.Topic.fromTopicArn`), else its stack's.
 */
export function regionOf(construct: IConstruct): string {
  const env = (construct as Partial<IResource>).env;
  return env !== undefined && typeof env.region === 'string' ? env.region : Stack.of(construct).region;
}

/**
 * Regions meet by DNS name: a construct from a stack in another region can only be referenced
 * through a cross-region export, which can block deploys and cannot change after a disaster.
 * With `resourceRegion`, a resource imported from another region (by ARN: its `env.region`) is
 * rejected too, since this region's services cannot use it; without it only references across
 * stacks are checked (the status alarm lives in us-east-1 and takes a topic imported from there).
 */
export function checkSameRegion(problems: Problems, scope: IConstruct, prop: string, other: IConstruct | undefined, fix: string,
  resourceRegion = false): void {
  if (other === undefined) {
    return;
  }
  const here = Stack.of(scope);
  const there = Stack.of(other);
  if (here !== there && !unresolved(here.region) && !unresolved(there.region) && here.region !== there.region) {
    problems.add(`\`${prop}\` is ${other.node.path} in ${there.region}, but this stack is in ${here.region}: `
      + `a reference across regions needs a cross-region export, which can block deploys and cannot change after a disaster. ${fix}`);
    return;
  }
  const own = regionOf(other);
  if (resourceRegion && !unresolved(here.region) && !unresolved(own) && own !== here.region) {
    problems.add(`\`${prop}\` is ${other.node.path}, imported from ${own}, but this stack is in ${here.region}: `
      + `this region's services cannot use a resource of another region. ${fix}`);
  }
}

/**
 * Where Route 53 publishes its health-check metrics, per partition: the partition's Route 53
 * home region (docs/aws-facts.md#route-53-health-checks). aws-cdk-lib's region-info has no fact
 * for it, hence this table. Partitions not listed are unknown to the library.
 */
const ROUTE53_HOME_REGIONS: Record<string, string> = {
  'aws': 'us-east-1',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-west-1',
};

/**
 * The partition of a region: from aws-cdk-lib's region-info, or for a region it does not know
 * yet, from the name (`cn-*`, `us-gov-*`, otherwise the commercial partition).
 */
export function partitionOf(region: string): string {
  const known = RegionInfo.get(region).partition;
  if (known !== undefined) {
    return known;
  }
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The region that holds Route 53's health-check metrics in `partition`, or undefined if unknown. */
export function route53HomeRegion(partition: string): string | undefined {
  return ROUTE53_HOME_REGIONS[partition];
}

/** The partitions whose Route 53 home region the library knows, for error messages. */
export function knownRoute53Partitions(): string[] {
  return Object.keys(ROUTE53_HOME_REGIONS);
}

/**
 * Where constructs are: the region of a stack when it is known at synth, region names, and the
 * check that two constructs are in one region (regions meet by DNS name, never by reference).
 */
import { Stack, Token } from 'aws-cdk-lib';
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
 * Regions meet by DNS name: a construct from a stack in another region can only be referenced
 * through a cross-region export, which can block deploys and cannot change after a disaster.
 */
export function checkSameRegion(problems: Problems, scope: IConstruct, prop: string, other: IConstruct | undefined, fix: string): void {
  if (other === undefined) {
    return;
  }
  const here = Stack.of(scope);
  const there = Stack.of(other);
  if (here === there || unresolved(here.region) || unresolved(there.region) || here.region === there.region) {
    return;
  }
  problems.add(`\`${prop}\` is ${other.node.path} in ${there.region}, but this stack is in ${here.region}: `
    + `a reference across regions needs a cross-region export, which can block deploys and cannot change after a disaster. ${fix}`);
}

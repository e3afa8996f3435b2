/**
 * Subnet selection with our own error: aws-cdk-lib's names neither the construct nor the prop,
 * and is the first thing a user with a public-only VPC sees.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Problems } from './errors';

/** What the subnets are for, for the message. */
export interface WantedSubnets {
  /** e.g. `private or isolated subnets`. */
  readonly kind: string;
  /** Why they belong there, e.g. `A database belongs in private or isolated subnets`. */
  readonly why: string;
}

/**
 * The subnets `selection` picks in `vpc`, or undefined with a problem naming `prop`, the VPC
 * and what to pass. `defaulted` says the user gave no selection, so the default found nothing.
 */
export function selectSubnets(problems: Problems, prop: string, vpc: ec2.IVpc, selection: ec2.SubnetSelection, defaulted: boolean,
  wanted: WantedSubnets): ec2.SelectedSubnets | undefined {
  try {
    return vpc.selectSubnets(selection);
  } catch (e) {
    problems.add(defaulted
      ? `\`${prop}\` is not given and ${vpc.node.path} has no ${wanted.kind} (${(e as Error).message}). `
        + `${wanted.why}: add them to the VPC (subnetConfiguration), or pass \`${prop}\`.`
      : `\`${prop}\` selects no subnets of ${vpc.node.path} (${(e as Error).message}). Select the VPC's ${wanted.kind}.`);
    return undefined;
  }
}

/**
 * cdk-nag acknowledgements, written into the metadata cdk-nag reads (the library does not depend
 * on cdk-nag): one entry point, which merges with the rules already on a resource, since the
 * metadata holds one value per resource and a second write would replace the first.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** One suppression as cdk-nag reads it from a resource's `cdk_nag` metadata. */
export interface NagRule {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: Array<string | { regex: string }>;
}

/**
 * Adds `rules` to the `cdk_nag` metadata of the resource, keeping the rules already there (the
 * metadata is one value per resource; a second `addMetadata` would replace the first).
 */
export function acknowledgeFindings(resource: IConstruct | undefined, rules: NagRule[]): void {
  if (!resource || !CfnResource.isCfnResource(resource)) {
    return;
  }
  const existing: NagRule[] = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  const merged = [...existing];
  for (const rule of rules) {
    if (!merged.some((r) => JSON.stringify(r) === JSON.stringify(rule))) {
      merged.push(rule);
    }
  }
  resource.addMetadata('cdk_nag', { rules_to_suppress: merged });
}

/** The policy resource that `addToRolePolicy` / `addToPrincipalPolicy` writes into. */
export function defaultPolicyOf(role: iam.IRole | undefined): IConstruct | undefined {
  return role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
}

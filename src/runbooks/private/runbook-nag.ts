/**
 * The cdk-nag findings of the runbooks that the library cannot do better on, acknowledged with
 * their reasons in the metadata cdk-nag reads (no dependency on cdk-nag), next to the `*` they
 * are about.
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

/**
 * The state machine's role: aws-cdk-lib grants the log delivery and X-Ray actions on `*` (they
 * have no resource-level permissions), `elasticloadbalancing:DescribeTargetHealth` has none
 * either (docs/aws-facts.md#runbooks), and `LambdaInvoke` grants the runbook function's
 * versions (`<function ARN>:*`).
 */
export function acknowledgeStateMachineRole(role: iam.IRole): void {
  acknowledgeFindings(defaultPolicyOf(role), [{
    id: 'AwsSolutions-IAM5',
    reason: 'Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies), X-Ray tracing and '
      + 'elasticloadbalancing:DescribeTargetHealth have no resource-level permissions; every other action of the runbook is scoped to its ARNs.',
    applies_to: ['Resource::*'],
  }, {
    id: 'AwsSolutions-IAM5',
    reason: 'aws-cdk-lib\'s LambdaInvoke grants the versions and aliases of the one runbook function (<function ARN>:*), nothing else.',
    applies_to: [{ regex: '/^Resource::<CdkFailoverRunbookFunction[A-Za-z0-9]*\\.Arn>:\\*$/' }],
  }]);
}

/**
 * The routing controls of another stack: their ARNs (which hold ids ARC generates) cannot be
 * referenced across Regions, so the function may flip the account's routing controls. It
 * flips only those its configuration parameter names.
 */
export function acknowledgeRoutingControlWildcard(role: iam.IRole | undefined): void {
  acknowledgeFindings(defaultPolicyOf(role), [{
    id: 'AwsSolutions-IAM5',
    reason: 'The routing controls are in another stack, and their ARNs hold ids ARC generates, which Regions cannot share by reference; '
      + 'the runbook function flips only the controls named in the SSM configuration parameter it reads.',
    applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:route53-recovery-control::[^:]*:controlpanel\\/\\*\\/routingcontrol\\/\\*$/' }],
  }]);
}

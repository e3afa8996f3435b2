/**
 * The cdk-nag findings of the runbooks that the library cannot do better on, acknowledged with
 * their reasons in the metadata cdk-nag reads (no dependency on cdk-nag), next to the `*` they
 * are about.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings, defaultPolicyOf } from '../../private/nag';

/**
 * The state machine's role: aws-cdk-lib grants the log delivery and X-Ray actions on `*` (they
 * have no resource-level permissions), `elasticloadbalancing:DescribeTargetHealth` and
 * `autoscaling:DescribeAutoScalingGroups` have none
 * either (docs/aws-facts.md#runbooks), and `LambdaInvoke` grants the runbook function's
 * versions (`<function ARN>:*`).
 */
export function acknowledgeStateMachineRole(role: iam.IRole): void {
  acknowledgeFindings(defaultPolicyOf(role), [{
    id: 'AwsSolutions-IAM5',
    reason: 'Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies), X-Ray tracing, '
      + 'elasticloadbalancing:DescribeTargetHealth and autoscaling:DescribeAutoScalingGroups have no resource-level permissions; '
      + 'every other action of the runbook is scoped to its ARNs.',
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

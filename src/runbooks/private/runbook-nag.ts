/**
 * The cdk-nag findings of the runbooks that the library cannot do better on, acknowledged with
 * their reasons in the metadata cdk-nag reads (no dependency on cdk-nag), next to the `*` they
 * are about.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledgeFindings, defaultPolicyOf } from '../../private/nag';

/**
 * The state machine's role: aws-cdk-lib grants the log delivery and X-Ray actions on `*` (they
 * have no resource-level permissions), `elasticloadbalancing:DescribeTargetHealth` and
 * `autoscaling:DescribeAutoScalingGroups` have none
 * either (docs/aws-facts.md#runbooks), and `LambdaInvoke` grants the versions of the runbook
 * function and of the cross-Region SDK function (`<function ARN>:*`).
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
    reason: 'aws-cdk-lib\'s LambdaInvoke grants the versions and aliases of the one runbook function, and of the stack\'s cross-Region SDK '
      + 'function when a step calls another Region (<function ARN>:*), nothing else.',
    applies_to: [{ regex: '/^Resource::<(CdkFailoverRunbookFunction|CrossRegionAwsSdk)[A-Za-z0-9]*\\.Arn>:\\*$/' }],
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

/**
 * aws-cdk-lib's function behind `CallAwsServiceCrossRegion` (one per stack): its runtime, its
 * AWS managed logging policy and the wildcard of what it calls are aws-cdk-lib's choices; the
 * calls themselves are scoped by each task's `iamResources`.
 */
export function acknowledgeCrossRegionFunction(scope: IConstruct): void {
  for (const fn of Stack.of(scope).node.children.filter((c) => c.node.id.startsWith('CrossRegionAwsSdk'))) {
    acknowledgeFindings(fn.node.defaultChild, [{
      id: 'AwsSolutions-L1',
      reason: 'aws-cdk-lib\'s cross-Region SDK function (CallAwsServiceCrossRegion) picks its own runtime.',
    }]);
    const role = fn.node.tryFindChild('ServiceRole');
    acknowledgeFindings(role?.node.defaultChild, [{
      id: 'AwsSolutions-IAM4',
      reason: 'aws-cdk-lib\'s cross-Region SDK function writes its logs with the AWS managed AWSLambdaBasicExecutionRole policy.',
      applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }]);
    acknowledgeFindings(role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The executions the cross-Region calls follow and stop get their IDs when they start (execution:<name>:*); every call is scoped to the task\'s resources.',
      applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:states:[^:]*:[0-9]*:execution:.*:\\*$/g' }],
    }]);
  }
}

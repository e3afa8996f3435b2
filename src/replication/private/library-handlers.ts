import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgeFindings, NagRule } from '../../private/nag';

/** The ids aws-cdk-lib gives the per-stack functions it adds for S3 notifications and `AwsCustomResource`. */
const NOTIFICATIONS_HANDLER = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';
const AWS_CUSTOM_RESOURCE = 'AWS679f53fac002430cb0da5b7982bd2287';
const BASIC_EXECUTION = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/**
 * aws-cdk-lib adds one function per stack for bucket notifications and one for
 * `AwsCustomResource`. Their role policy and runtime are aws-cdk-lib's choice, not the user's,
 * so the findings cdk-nag reports on them are acknowledged here, with the reason, once per
 * stack (users cannot reach those constructs without knowing aws-cdk-lib's ids).
 */
export function acknowledgeLibraryHandlers(scope: IConstruct): void {
  const stack = Stack.of(scope);
  const suppress = (path: string[], rules: NagRule[]) => {
    let node: IConstruct | undefined = stack;
    for (const id of path) {
      node = node?.node.tryFindChild(id);
    }
    acknowledgeFindings(node, rules);
  };
  const basic = {
    id: 'AwsSolutions-IAM4',
    reason: 'aws-cdk-lib\'s per-stack handler writes its logs with the AWS managed basic execution policy; its other permissions are scoped by aws-cdk-lib',
    applies_to: [BASIC_EXECUTION],
  };
  suppress([NOTIFICATIONS_HANDLER, 'Role', 'Resource'], [basic]);
  suppress([AWS_CUSTOM_RESOURCE, 'ServiceRole', 'Resource'], [basic]);
  suppress([AWS_CUSTOM_RESOURCE, 'Resource'], [{
    id: 'AwsSolutions-L1',
    reason: 'aws-cdk-lib pins the runtime of its AwsCustomResource handler; it moves with aws-cdk-lib releases',
  }]);
}

/**
 * What the probes of a stack share: one function per network placement, and one latch table.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { LATCH_EXPIRY_ATTRIBUTE, LATCH_PARTITION_KEY, LATCH_TABLE_ENV } from './probe-contract';
import { ProbeFunction } from './probe-function';
import { acknowledgeFindings, defaultPolicyOf } from '../private/nag';
import { stackSingleton } from '../private/singleton';

/** Lambda timeout of the probe: the last round of 6 starts at 50 s, + 20 s timeout + publication. */
const FUNCTION_TIMEOUT = Duration.seconds(90);

/** Where a probe runs: `HealthProbeProps`' network settings. */
export interface ProbePlacement {
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * The latch table of the stack, created with the first latched target and shared by every
 * probe function of the stack. Retained and deletion-protected like any state.
 */
export function latchTable(scope: IConstruct, fn: ProbeFunction): dynamodb.TableV2 {
  const table = stackSingleton(scope, 'CdkFailoverProbeLatches', {}, (stack, id) => new dynamodb.TableV2(stack, id, {
    partitionKey: { name: LATCH_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: LATCH_EXPIRY_ATTRIBUTE,
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  }));
  // Each probe function of the stack is wired once; an empty marker construct records it.
  const marker = `Access${fn.node.addr}`;
  if (!table.node.tryFindChild(marker)) {
    fn.addEnvironment(LATCH_TABLE_ENV, table.tableName);
    iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: [table.tableArn],
    });
    new Construct(table, marker);
  }
  return table;
}

/**
 * cdk-nag flags the `*` resource of PutMetricData (AwsSolutions-IAM5). AWS offers nothing
 * narrower for it, so the finding is suppressed on that resource only, with the reason, in the
 * metadata cdk-nag reads (no dependency on cdk-nag).
 */
export function suppressWildcardFinding(fn: lambda.Function): void {
  acknowledgeFindings(defaultPolicyOf(fn.role), [{
    id: 'AwsSolutions-IAM5',
    reason: 'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited by a cloudwatch:namespace condition.',
    applies_to: ['Resource::*'],
  }]);
}

/**
 * One probe function per stack and network placement: the VPC, the subnets it selects and the
 * security groups. Probes elsewhere in the same VPC get their own.
 */
export function probeFunction(scope: IConstruct, props: ProbePlacement): ProbeFunction {
  const placement = props.vpc ? {
    vpc: props.vpc,
    subnets: props.vpc.selectSubnets(props.vpcSubnets).subnets,
    securityGroups: props.securityGroups,
  } : {};
  return stackSingleton(scope, 'CdkFailoverProbe', placement, (stack, id) => {
    const fn = new ProbeFunction(stack, id, {
      description: 'cdk-failover health probe: checks endpoints every minute and publishes their health to CloudWatch',
      timeout: FUNCTION_TIMEOUT,
      memorySize: 256,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.securityGroups,
    });
    // A retried invocation would sample a later minute again and add to its counts: the next
    // scheduled invocation is the retry.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    acknowledgeFindings(fn.role?.node.defaultChild, [{
      id: 'AwsSolutions-IAM4',
      reason: 'The probe function writes its logs (and, in a VPC, manages its network interfaces) with the AWS managed Lambda execution policies.',
      applies_to: [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      ],
    }]);
    return fn;
  });
}

/**
 * What a `FailoverDrill` creates besides its state machine: its bucket and topic when not given,
 * the stack's control function and measuring client (one each per stack), and the cdk-nag
 * acknowledgements of its role.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { allowMetricNamespace, ownLogRole } from '../../private/function-permissions';
import { acknowledgeFindings, defaultPolicyOf } from '../../private/nag';
import { stackSingleton } from '../../private/singleton';
import { DrillClientFunction } from '../drill-client-function';
import { DrillControlFunction } from '../drill-control-function';

/**
 * The drill's state machine role: what it starts, follows and stops gets its ID when it starts,
 * and a few calls take no resource-level permissions.
 */
export function acknowledgeDrillRole(role: iam.IRole): void {
  acknowledgeFindings(defaultPolicyOf(role), [{
    id: 'AwsSolutions-IAM5',
    reason: 'Step Functions log delivery and X-Ray tracing, cloudwatch:PutMetricData (the modeled RTO) and fis:ListExperiments take no resource-level '
      + 'permissions; every other action of the drill is scoped to its ARNs.',
    applies_to: ['Resource::*'],
  }, {
    id: 'AwsSolutions-IAM5',
    reason: 'The experiments and runbook executions a drill starts, follows and stops get their IDs when they start: they are named by the '
      + 'template\'s experiments (experiment/*) and the state machine\'s executions (execution:<name>:*).',
    applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:(fis:[^:]*:[0-9]*:experiment\\/\\*|states:[^:]*:[0-9]*:execution:.*:\\*)$/g' }],
  }, {
    id: 'AwsSolutions-IAM5',
    reason: 'The drill writes one summary object per execution under its prefix; the keys are made when the drill runs.',
    applies_to: [{ regex: '/^Resource::<[A-Za-z0-9]+\\.Arn>\\/.*\\*$/g' }],
  }, {
    id: 'AwsSolutions-IAM5',
    reason: 'aws-cdk-lib\'s LambdaInvoke grants the versions and aliases of the one function it invokes (<function ARN>:*), nothing else.',
    applies_to: [{ regex: '/^Resource::<(CdkFailoverDrill(Client|Control)|CrossRegionAwsSdk)[A-Za-z0-9]*\\.Arn>:\\*$/g' }],
  }, {
    id: 'AwsSolutions-IAM5',
    reason: 'Publishing to the encrypted topic needs kms:GenerateDataKey* (the data key variants SNS asks for) on the topic\'s key only.',
    applies_to: ['Action::kms:GenerateDataKey*'],
  }]);
}

/** The drill's results bucket: versioned, encrypted, TLS only, retained. */
export function resultsBucket(scope: Construct): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'Results', {
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeFindings(bucket.node.defaultChild, [{
    id: 'AwsSolutions-S1',
    reason: 'Only the drill\'s state machine writes here, one summary per execution; give `resultsBucket` to use a bucket with server access logs.',
  }]);
  return bucket;
}

/** The drill's topic, encrypted with a key of its own (rotated). */
export function drillTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'TopicKey', { description: `Encrypts the topic of the drill ${scope.node.path}`, enableKeyRotation: true });
  return new sns.Topic(scope, 'Topic', { displayName: `Failover drill ${scope.node.id}`.slice(0, 100), masterKey: key, enforceSSL: true });
}

/** The drills' control function of the stack: plans and summarizes, no AWS permission. */
export function controlFunction(scope: Construct): lambda.Function {
  return stackSingleton(scope, 'CdkFailoverDrillControl', {}, (stack, id) => {
    const logGroup = new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    return new DrillControlFunction(stack, id, {
      description: 'cdk-failover drills: plans a drill (blocked windows, dry run, lock) and writes its summary',
      timeout: Duration.seconds(30),
      memorySize: 256,
      role: ownLogRole(stack, `${id}Role`, logGroup, 'cdk-failover drills\' control function'),
      logGroup,
    });
  });
}

/** The drills' measuring client of the stack; it may publish to the drills' namespaces only. */
export function clientFunction(scope: Construct, namespace: string): lambda.Function {
  const fn = stackSingleton(scope, 'CdkFailoverDrillClient', {}, (stack, id) => {
    const logGroup = new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    return new DrillClientFunction(stack, id, {
      description: 'cdk-failover drills: measures a failover as a client of the public name sees it',
      timeout: Duration.minutes(15),
      memorySize: 256,
      role: ownLogRole(stack, `${id}Role`, logGroup, 'cdk-failover drills\' measuring client'),
      logGroup,
    });
  });
  allowMetricNamespace(fn, namespace);
  return fn;
}

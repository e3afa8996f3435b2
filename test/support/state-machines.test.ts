import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { checkSdkCalls, runLocally, SdkTask, sdkTasks, stateMachineDefinitions, validateAsl } from './state-machines';
import { testStack } from '../util';

const GLOBAL_CLUSTER = 'orders';
const TARGET_CLUSTER = 'arn:aws:rds:us-west-2:111111111111:cluster:orders-west';

/** A runbook-shaped machine: SDK calls, a Choice, a Parallel, a Map, a Catch, a task token, a Wait. */
function runbook(stack: Stack): sfn.StateMachine {
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
  const topic = new sns.Topic(stack, 'Topic');
  const iamResources = ['*'];

  const failed = new sfn.Fail(stack, 'Failed', { error: 'PromoteFailed', cause: 'the promotion failed' });
  const recordFailure = new sfn.Pass(stack, 'RecordFailure').next(failed);
  const checkLag = new tasks.CallAwsService(stack, 'CheckLag', {
    service: 'rds',
    action: 'describeGlobalClusters',
    parameters: { GlobalClusterIdentifier: GLOBAL_CLUSTER },
    iamResources,
    resultSelector: { 'Status.$': '$.GlobalClusters[0].Status' },
  });
  const promote = new tasks.CallAwsService(stack, 'Promote', {
    service: 'rds',
    action: 'switchoverGlobalCluster',
    parameters: { GlobalClusterIdentifier: GLOBAL_CLUSTER, TargetDbClusterIdentifier: TARGET_CLUSTER },
    iamResources,
    resultPath: '$.promote',
    taskTimeout: sfn.Timeout.duration(Duration.minutes(10)),
  });
  promote.addRetry({ errors: ['Rds.InvalidGlobalClusterStateException'], maxAttempts: 2, interval: Duration.seconds(30) });
  promote.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.error' });

  const scale = new sfn.Parallel(stack, 'Scale', { resultPath: sfn.JsonPath.DISCARD });
  scale.branch(new tasks.CallAwsService(stack, 'UpdateService', {
    service: 'ecs',
    action: 'updateService',
    parameters: { Cluster: 'app', Service: 'web', DesiredCount: 4 },
    iamResources,
  }));
  scale.branch(new tasks.CallAwsService(stack, 'PutMetric', {
    service: 'cloudwatch',
    action: 'putMetricData',
    parameters: { Namespace: 'Runbook', MetricData: [{ MetricName: 'Scaled', Value: 1, Unit: 'Count' }] },
    iamResources,
  }));

  const notifyEach = new sfn.Map(stack, 'NotifyEach', { itemsPath: '$.targets', maxConcurrency: 1, resultPath: sfn.JsonPath.DISCARD });
  notifyEach.itemProcessor(new tasks.LambdaInvoke(stack, 'Notify', { lambdaFunction: fn, payloadResponseOnly: true })
    .next(new tasks.CallAwsService(stack, 'Announce', {
      service: 'sns',
      action: 'publish',
      parameters: { TopicArn: topic.topicArn, Message: sfn.JsonPath.stringAt('$.region') },
      iamResources: [topic.topicArn],
    })));

  const approve = new tasks.LambdaInvoke(stack, 'Approve', {
    lambdaFunction: fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, step: 'approve' }),
    taskTimeout: sfn.Timeout.duration(Duration.hours(1)),
    resultPath: '$.approval',
  });
  approve.addCatch(new sfn.Fail(stack, 'ApprovalTimedOut', { error: 'ApprovalTimedOut' }), { errors: ['States.Timeout'] });

  const definition = checkLag
    .next(new sfn.Choice(stack, 'LagOk')
      .when(sfn.Condition.stringEquals('$.Status', 'available'), promote
        .next(scale)
        .next(new sfn.Pass(stack, 'ListTargets', { result: sfn.Result.fromArray([{ region: 'us-east-1' }, { region: 'us-west-2' }]), resultPath: '$.targets' }))
        .next(notifyEach)
        .next(approve)
        .next(new sfn.Wait(stack, 'Settle', { time: sfn.WaitTime.duration(Duration.minutes(5)) }))
        .next(new sfn.Succeed(stack, 'Done')))
      .otherwise(new sfn.Fail(stack, 'NotReady', { error: 'NotReady' })));
  return new sfn.StateMachine(stack, 'Runbook', {
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    timeout: Duration.hours(2),
  });
}

/** One SDK mistake per state, each built with CallAwsService like the runbooks' own calls. */
function faulty(stack: Stack): sfn.StateMachine {
  const call = (id: string, service: string, action: string, parameters: { [key: string]: any }) =>
    new tasks.CallAwsService(stack, id, { service, action, parameters, iamResources: ['*'] });
  const wrongPrefix = call('WrongPrefix', 'rds', 'describeGlobalClusters', { GlobalClusterIdentifier: GLOBAL_CLUSTER });
  wrongPrefix.addRetry({ errors: ['RDS.GlobalClusterNotFoundException'] });
  const noSuffix = call('NoSuffix', 'rds', 'describeGlobalClusters', { GlobalClusterIdentifier: GLOBAL_CLUSTER });
  const noPrefix = call('NoPrefix', 'ecs', 'describeServices', { Cluster: 'app', Services: ['web'] });
  noPrefix.addRetry({ errors: ['ServiceNotFoundException'] });
  const end = new sfn.Succeed(stack, 'FaultyEnd');
  noSuffix.addCatch(end, { errors: ['Rds.GlobalClusterNotFoundFault'] });
  const chain = call('WrongName', 'rds', 'describeGlobalClusters', { GlobalClusterId: GLOBAL_CLUSTER })
    .next(call('MissingRequired', 'rds', 'switchoverGlobalCluster', { GlobalClusterIdentifier: GLOBAL_CLUSTER }))
    .next(call('BadEnum', 'cloudwatch', 'putMetricData', { Namespace: 'Runbook', MetricData: [{ MetricName: 'Scaled', Value: 1, Unit: 'Lightyears' }] }))
    .next(call('WrongType', 'ecs', 'updateService', { Cluster: 'app', Service: 'web', DesiredCount: 'four' }))
    .next(call('CamelNested', 'ecs', 'updateService', { Service: 'web', DeploymentConfiguration: { maximumPercent: 200 } }))
    .next(call('UnknownAction', 'ecs', 'updateServices', { Service: 'web' }))
    .next(call('UnknownService', 'aurora', 'failoverGlobalCluster', { GlobalClusterIdentifier: GLOBAL_CLUSTER }))
    .next(wrongPrefix)
    .next(noSuffix)
    .next(noPrefix)
    .next(end);
  return new sfn.StateMachine(stack, 'Faulty', { definitionBody: sfn.DefinitionBody.fromChainable(chain) });
}

let definition: any;
let faultyDefinition: any;
let problems: string[];

beforeAll(() => {
  // GIVEN both machines in one template, and every SDK task checked in one Python call
  const stack = testStack();
  const machine = runbook(stack);
  const bad = faulty(stack);
  const definitions = stateMachineDefinitions(Template.fromStack(stack));
  definition = definitions.find(d => d.logicalId === stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine))!.definition;
  faultyDefinition = definitions.find(d => d.logicalId === stack.getLogicalId(bad.node.defaultChild as sfn.CfnStateMachine))!.definition;
  problems = checkSdkCalls([...sdkTasks(definition), ...sdkTasks(faultyDefinition), ...OTHER_SERVICES]);
});

/** Calls of the services whose Step Functions names differ from botocore's, with their error prefixes. */
const OTHER_SERVICES: SdkTask[] = [
  { state: 'Health', service: 'elasticloadbalancingv2', action: 'describeTargetHealth', parameters: { TargetGroupArn: 'arn' }, retry: [{ ErrorEquals: ['ElasticLoadBalancingV2.TargetGroupNotFoundException'] }] },
  { state: 'Flip', service: 'route53recoverycluster', action: 'updateRoutingControlStates', parameters: { UpdateRoutingControlStateEntries: [{ RoutingControlArn: 'arn', RoutingControlState: 'On' }] }, catch: [{ ErrorEquals: ['Route53RecoveryCluster.EndpointTemporarilyUnavailableException'], Next: 'X' }] },
  { state: 'Param', service: 'ssm', action: 'putParameter', parameters: { 'Name': 'active-region', 'Value.$': '$.region', 'Overwrite': true }, retry: [{ ErrorEquals: ['SSM.TooManyUpdatesException'] }] },
  { state: 'Asg', service: 'autoscaling', action: 'setDesiredCapacity', parameters: { AutoScalingGroupName: 'asg', DesiredCapacity: 2 }, retry: [{ ErrorEquals: ['AutoScaling.ScalingActivityInProgressException'] }] },
];

const problemsOf = (state: string) => problems.filter(p => p.startsWith(`${state} (`));

/** Mocks answering the happy path. */
function happyMocks(calls: { [state: string]: any[] } = {}): { [state: string]: (input: any) => any } {
  const record = (state: string, answer: (input: any) => any) => (input: any) => {
    (calls[state] ??= []).push(input);
    return answer(input);
  };
  return {
    CheckLag: record('CheckLag', () => ({ GlobalClusters: [{ Status: 'available' }] })),
    Promote: record('Promote', () => ({ GlobalCluster: { Status: 'switching-over' } })),
    UpdateService: record('UpdateService', () => ({})),
    PutMetric: record('PutMetric', () => ({})),
    Notify: record('Notify', (input: any) => input),
    Announce: record('Announce', () => ({ MessageId: 'm' })),
    Approve: record('Approve', () => ({ approved: true })),
  };
}

describe('stateMachineDefinitions', () => {
  test('parses a CDK definition with its partition and ARNs as placeholders', () => {
    // THEN
    expect(definition.StartAt).toEqual('CheckLag');
    expect(definition.TimeoutSeconds).toEqual(7200);
    expect(definition.States.CheckLag.Resource).toEqual('arn:aws:states:::aws-sdk:rds:describeGlobalClusters');
    expect(definition.States.Approve.Parameters.FunctionName).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:Fn[0-9A-F]{8}$/);
    const announce = definition.States.NotifyEach.ItemProcessor.States.Announce;
    expect(announce.Parameters.TopicArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:topic:Topic[0-9A-F]{8}$/);
  });

  test('a token in a number position becomes a number, in a string a readable placeholder', () => {
    // GIVEN a Wait whose seconds is a parameter, and a Pass whose result names a function
    const stack = testStack();
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    const fn = lambda.Function.fromFunctionName(stack, 'Named', 'named-fn');
    const name = new CfnParameter(stack, 'Name');
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        new sfn.Wait(stack, 'Pause', { time: sfn.WaitTime.duration(Duration.seconds(seconds.valueAsNumber)) })
          .next(new sfn.Pass(stack, 'Describe', { parameters: { who: name.valueAsString, fn: fn.functionName, region: stack.region } }))),
    });

    // WHEN
    const [{ definition: parsed }] = stateMachineDefinitions(Template.fromStack(stack));

    // THEN
    expect(parsed.States.Pause.Seconds).toEqual(1);
    expect(parsed.States.Describe.Parameters).toEqual({ who: '${Token[Ref:Name]}', fn: 'named-fn', region: 'us-west-2' });
    expect(validateAsl(parsed)).toEqual([]);
  });

  test('applies DefinitionSubstitutions, literal or intrinsic, in a Resource as an ARN', () => {
    // GIVEN a definition from a string with substitutions
    const stack = testStack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    new sfn.StateMachine(stack, 'Machine', {
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({
        StartAt: 'Call',
        States: {
          Call: { Type: 'Task', Resource: '${fnArn}', TimeoutSeconds: '${timeout}' as any, Parameters: { note: 'size ${size}' }, End: true },
        },
      }).replace('"${timeout}"', '${timeout}')),
      definitionSubstitutions: { fnArn: fn.functionArn, timeout: '30', size: 'big "one"' },
    });

    // WHEN
    const [{ definition: parsed }] = stateMachineDefinitions(Template.fromStack(stack));

    // THEN
    expect(parsed.States.Call.Resource).toMatch(/^arn:aws:lambda:us-east-1:123456789012:function:Fn[0-9A-F]{8}$/);
    expect(parsed.States.Call.TimeoutSeconds).toEqual(30);
    expect(parsed.States.Call.Parameters.note).toEqual('size big "one"');
    expect(validateAsl(parsed)).toEqual([]);
  });

  test('reads a Definition given as an object, with its substitutions', () => {
    // GIVEN an L1 state machine with an object definition
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Topic');
    new sfn.CfnStateMachine(stack, 'Machine', {
      roleArn: 'arn:aws:iam::111111111111:role/sfn',
      definition: { StartAt: 'Tell', States: { Tell: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sns:publish', Parameters: { TopicArn: '${topic}', Message: 'to ${who}' }, End: true } } },
      definitionSubstitutions: { topic: topic.topicArn, who: 'operators' },
    });

    // WHEN
    const [{ definition: parsed }] = stateMachineDefinitions(Template.fromStack(stack));

    // THEN
    expect(parsed.States.Tell.Parameters).toEqual({ TopicArn: expect.stringMatching(/^arn:aws:sns:us-east-1:123456789012:topic:Topic[0-9A-F]{8}$/), Message: 'to operators' });
  });
});

describe('validateAsl', () => {
  test('a CDK definition is valid, and stays unchanged', () => {
    // GIVEN
    const copy = JSON.parse(JSON.stringify(definition));

    // THEN
    expect(validateAsl(definition)).toEqual([]);
    expect(validateAsl(faultyDefinition)).toEqual([]);
    expect(definition).toEqual(copy);
  });

  test('fails a transition to a missing state, naming the state', () => {
    // GIVEN
    const broken = { StartAt: 'Fence', States: { Fence: { Type: 'Pass', Next: 'Promot' }, Promote: { Type: 'Succeed' } } };

    // THEN
    expect(validateAsl(broken)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^state Fence \(Next\): MISSING_TRANSITION_TARGET: .*target: Promot$/),
    ]));
  });

  test('fails a bad field inside a Parallel branch, naming the branch state', () => {
    // GIVEN a Task whose Resource is not an ARN, in a branch
    const broken = {
      StartAt: 'Scale',
      States: { Scale: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'UpdateService', States: { UpdateService: { Type: 'Task', Resource: 'ecs:updateService', End: true } } }] } },
    };

    // THEN
    expect(validateAsl(broken)).toEqual([expect.stringMatching(/^state Scale > UpdateService \(Resource\): SCHEMA_VALIDATION_FAILED/)]);
  });
});

describe('sdkTasks', () => {
  test('lists every aws-sdk Task, in Parallel branches and Map processors, and no Lambda task', () => {
    // WHEN
    const found = sdkTasks(definition);

    // THEN
    expect(found.map(t => `${t.state}=${t.service}:${t.action}`)).toEqual([
      'CheckLag=rds:describeGlobalClusters',
      'Promote=rds:switchoverGlobalCluster',
      'UpdateService=ecs:updateService',
      'PutMetric=cloudwatch:putMetricData',
      'Announce=sns:publish',
    ]);
    expect(found[1]).toEqual(expect.objectContaining({
      parameters: { GlobalClusterIdentifier: GLOBAL_CLUSTER, TargetDbClusterIdentifier: TARGET_CLUSTER },
      retry: [expect.objectContaining({ ErrorEquals: ['Rds.InvalidGlobalClusterStateException'] })],
      catch: [expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' })],
    }));
  });

  test('reads a token partition and the .waitForTaskToken suffix', () => {
    const machine = {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:${Token[AWS::Partition]}:states:::aws-sdk:sqs:sendMessage.waitForTaskToken', End: true } },
    };
    expect(sdkTasks(machine)).toEqual([expect.objectContaining({ state: 'Wait', service: 'sqs', action: 'sendMessage' })]);
  });
});

describe('checkSdkCalls', () => {
  test('passes correct calls (rds, ecs, cloudwatch, sns, the SDK error prefix)', () => {
    for (const state of ['CheckLag', 'Promote', 'UpdateService', 'PutMetric', 'Announce']) {
      expect(problemsOf(state)).toEqual([]);
    }
  });

  test('reports a wrong parameter name', () => {
    expect(problemsOf('WrongName')).toEqual([
      expect.stringMatching(/^WrongName \(rds:describeGlobalClusters\): Parameters\.GlobalClusterId: unknown member; DescribeGlobalClustersMessage has: .*GlobalClusterIdentifier/),
    ]);
  });

  test('reports a camelCase member where Step Functions wants PascalCase', () => {
    expect(problemsOf('CamelNested')).toEqual([
      expect.stringContaining('Parameters.DeploymentConfiguration.maximumPercent: unknown member (Step Functions wants `MaximumPercent`)'),
    ]);
  });

  test('reports a missing required parameter', () => {
    expect(problemsOf('MissingRequired')).toEqual([
      'MissingRequired (rds:switchoverGlobalCluster): Parameters.TargetDbClusterIdentifier: missing required member',
    ]);
  });

  test('reports a value not in the enum', () => {
    expect(problemsOf('BadEnum')).toEqual([
      expect.stringMatching(/^BadEnum \(cloudwatch:putMetricData\): Parameters\.MetricData\[0\]\.Unit: "Lightyears" is not one of Seconds, .*Count/),
    ]);
  });

  test('reports a value of the wrong type', () => {
    expect(problemsOf('WrongType')).toEqual([
      expect.stringMatching(/^WrongType \(ecs:updateService\): Parameters\.DesiredCount: Invalid type.*four.*int/),
    ]);
  });

  test('reports an unknown action', () => {
    expect(problemsOf('UnknownAction')).toEqual(['UnknownAction (ecs:updateServices): unknown action `updateServices` of ECS']);
  });

  test('reports an unknown service', () => {
    expect(problemsOf('UnknownService')).toEqual(['UnknownService (aurora:failoverGlobalCluster): unknown service `aurora`']);
  });

  test('reports an error name with the wrong service prefix, without one, and without the Exception suffix', () => {
    expect(problemsOf('WrongPrefix')).toEqual([
      'WrongPrefix (rds:describeGlobalClusters): Retry error `RDS.GlobalClusterNotFoundException` must start with `Rds.`',
    ]);
    expect(problemsOf('NoPrefix')).toEqual([
      'NoPrefix (ecs:describeServices): Retry error `ServiceNotFoundException` matches no SDK error: name it `Ecs.<Name>Exception`',
    ]);
    expect(problemsOf('NoSuffix')).toEqual([
      'NoSuffix (rds:describeGlobalClusters): Catch error `Rds.GlobalClusterNotFoundFault` must end in `Exception`',
    ]);
  });

  test('knows the prefixes of services whose names differ from botocore', () => {
    // THEN ELB v2, the ARC cluster and Auto Scaling pass; only the SSM prefix is wrong
    for (const state of ['Health', 'Flip', 'Asg']) {
      expect(problemsOf(state)).toEqual([]);
    }
    expect(problemsOf('Param')).toEqual(['Param (ssm:putParameter): Retry error `SSM.TooManyUpdatesException` must start with `Ssm.`']);
  });

  test('a JSONPath member counts as present and is not type-checked', () => {
    // `Value.$` stands for the required Value of putParameter
    expect(problems.join('\n')).not.toMatch(/Param .*Value/);
  });
});

describe('runLocally', () => {
  test('follows the happy path through the Choice, Parallel, Map, task token and Wait', async () => {
    // GIVEN
    const calls: { [state: string]: any[] } = {};
    const started = Date.now();

    // WHEN
    const run = await runLocally(definition, { tasks: happyMocks(calls) });

    // THEN
    expect(run).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(run.trace.slice(0, 4)).toEqual(['CheckLag', 'LagOk', 'Promote', 'Scale']);
    expect(run.trace.slice(4, 6).sort()).toEqual(['PutMetric', 'UpdateService']);
    expect(run.trace.slice(6)).toEqual(['ListTargets', 'NotifyEach', 'Notify', 'Announce', 'Notify', 'Announce', 'Approve', 'Settle', 'Done']);
    expect(calls.Promote).toEqual([{ GlobalClusterIdentifier: GLOBAL_CLUSTER, TargetDbClusterIdentifier: TARGET_CLUSTER }]);
    expect(calls.Announce).toEqual([expect.objectContaining({ Message: 'us-east-1' }), expect.objectContaining({ Message: 'us-west-2' })]);
    expect(calls.Approve).toEqual([expect.objectContaining({ Payload: { token: 'local-task-token', step: 'approve' } })]);
    expect(run.output.approval).toEqual({ approved: true });
    // the 5-minute Wait, the 30 s retry interval and the 2-hour execution timeout took no time
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('gives the context object an execution id, a state entry time and the task token', async () => {
    // GIVEN a Pass reading the context, as the runbooks' records do
    const machine = {
      StartAt: 'Read',
      States: { Read: { Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id', 'at.$': '$$.State.EnteredTime', 'token.$': '$$.Task.Token' }, End: true } },
    };

    // WHEN
    const run = await runLocally(machine, { taskToken: 'approve-token' });

    // THEN
    expect(run.output).toEqual({ id: expect.stringMatching(/^arn:aws:states:.*:execution:/), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), token: 'approve-token' });
  });

  test('takes the Choice default when the cluster is not ready', async () => {
    const run = await runLocally(definition, { tasks: { ...happyMocks(), CheckLag: () => ({ GlobalClusters: [{ Status: 'modifying' }] }) } });
    expect(run).toEqual({ status: 'FAILED', error: 'NotReady', cause: undefined, trace: ['CheckLag', 'LagOk', 'NotReady'] });
  });

  test('a mock throwing an SDK error is retried, then caught into the Catch path', async () => {
    // GIVEN Promote failing every time
    const calls: { [state: string]: any[] } = {};
    const mocks = happyMocks(calls);
    mocks.Promote = (input: any) => {
      (calls.Promote ??= []).push(input);
      throw Object.assign(new Error('the global cluster is busy'), { name: 'Rds.InvalidGlobalClusterStateException' });
    };

    // WHEN
    const run = await runLocally(definition, { tasks: mocks });

    // THEN one try and two retries, then the catch; nothing after Promote ran
    expect(calls.Promote).toHaveLength(3);
    expect(run).toEqual(expect.objectContaining({ status: 'FAILED', error: 'PromoteFailed', cause: 'the promotion failed' }));
    expect(run.trace).toEqual(['CheckLag', 'LagOk', 'Promote', 'RecordFailure', 'Failed']);
    expect(calls.UpdateService).toBeUndefined();
  });

  test('a timeout injected as States.Timeout is caught by its Catch', async () => {
    // WHEN the approval times out
    const mocks = happyMocks();
    mocks.Approve = () => {
      throw Object.assign(new Error('no answer within the hour'), { name: 'States.Timeout' });
    };
    const run = await runLocally(definition, { tasks: mocks });

    // THEN
    expect(run.status).toEqual('FAILED');
    expect(run.error).toEqual('ApprovalTimedOut');
    expect(run.trace.slice(-2)).toEqual(['Approve', 'ApprovalTimedOut']);
  });

  test('an injected States.Timeout escapes States.TaskFailed, as in Step Functions', async () => {
    // GIVEN a Task catching States.TaskFailed first, then States.Timeout
    const machine = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:ecs:updateService',
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'TaskFailed' }, { ErrorEquals: ['States.Timeout'], Next: 'TimedOut' }],
          End: true,
        },
        TaskFailed: { Type: 'Fail', Error: 'TaskFailed' },
        TimedOut: { Type: 'Fail', Error: 'TimedOut' },
      },
    };
    const raise = (name: string) => () => {
      throw Object.assign(new Error(name), { name });
    };

    // WHEN
    const timedOut = await runLocally(machine, { tasks: { Call: raise('States.Timeout') } });
    const failed = await runLocally(machine, { tasks: { Call: raise('Ecs.ServiceNotFoundException') } });

    // THEN
    expect(timedOut.trace).toEqual(['Call', 'TimedOut']);
    expect(failed.trace).toEqual(['Call', 'TaskFailed']);
  });

  test('an uncaught mock error fails the run with its name and message', async () => {
    const run = await runLocally(definition, {
      tasks: { ...happyMocks(), CheckLag: () => { throw Object.assign(new Error('gone'), { name: 'Rds.GlobalClusterNotFoundException' }); } },
    });
    expect(run).toEqual({ status: 'FAILED', error: 'Rds.GlobalClusterNotFoundException', cause: 'gone', trace: ['CheckLag'] });
  });

  test('fails a Task without a mock, naming the state, even under a Catch of States.ALL, and never calls AWS', async () => {
    // GIVEN the Lambda client the library would call for a Task without a local handler
    const library = require.resolve('aws-local-stepfunctions');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LambdaClient } = require(require.resolve('@aws-sdk/client-lambda', { paths: [library] }));
    const send = jest.spyOn(LambdaClient.prototype, 'send');
    const { Promote: _, ...mocks } = happyMocks();

    // THEN
    await expect(runLocally(definition, { tasks: mocks })).rejects.toThrow(
      /no mock for Task state 'Promote' \(arn:aws:states:::aws-sdk:rds:switchoverGlobalCluster\).*trace: CheckLag > LagOk > Promote/);
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
  });

  test('fails a Task without a mock inside a Map iteration', async () => {
    const { Announce: _, ...mocks } = happyMocks();
    await expect(runLocally(definition, { tasks: mocks })).rejects.toThrow(/no mock for Task state 'Announce'.*trace: .*NotifyEach > Notify > Announce/);
  });
});

/**
 * The drill's state machine. Its shape, and the guarantee it gives:
 *
 *   plan -> blocked? -> take the lock -> lag alarms OK? -> dry run? -> inject
 *        -> [measure | follow] -> restore -> summarize -> metric, S3, topic -> release the lock
 *
 * Before the lock, a failure (a blocked window, a held lock) only notifies and fails: nothing
 * was changed. From the lock on, every state's failure goes to the finish: the restore (when the
 * injection had begun), the summary, the notification and the release of the lock, in that
 * order, each of whose own failures is caught so the next still runs. The restore's error is kept
 * apart from the drill's, so a summary says both. The execution fails when the drill or its
 * restore did, after all of that.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BoundInjection, InjectionContext } from './injection-binding';
import { Problems } from '../../private/errors';
import { knownRegion } from '../../private/region';
import { listSummary, resultPath, sdkTask, StepContext } from '../../runbooks/private/step-context';
import { MeasureEvent } from '../drill-client-contract';
import { CONTROL_ACTIONS } from '../drill-control';
import { DrillInjection } from '../drill-injection';

/** What the construct gives the builder, validated. */
export interface DrillSpec {
  readonly injection: DrillInjection;
  readonly measure?: Omit<MeasureEvent, 'injectedAt' | 'maxWaitMs' | 'publish'> & { readonly maxWaitMs: number };
  readonly lagAlarms: cloudwatch.IAlarm[];
  readonly blockedWindows: string[];
  readonly blockedDates: string[];
  readonly dryRun: boolean;
  readonly drillName: string;
  readonly lockName: string;
  readonly lockTable: dynamodb.ITable;
  readonly bucket: s3.IBucket;
  readonly prefix: string;
  readonly topic: sns.ITopic;
  readonly namespace: string;
  readonly timeout?: Duration;
  readonly logRetention: logs.RetentionDays;
  /** The path as the report names it, the modeled worst case and the objective (Lazy: known after validation). */
  readonly pathLabel: string;
  readonly modeledRtoWorst: number;
  readonly objectiveRto: number;
  readonly control: lambda.IFunction;
  readonly client: () => lambda.IFunction;
}

/** How long the client samples in a dry run: enough to see the name answer. */
const DRY_RUN_WAIT_MS = 60_000;
/** The margin of the default timeout over the drill's waits. */
const TIMEOUT_MARGIN = 30 * 60;
/** What a given timeout must leave after the drill's waits: the summary, the notification and the release of the lock. */
const RESTORE_MARGIN = 5 * 60;

/** Builds the drill's state machine; problems go to `problems`. */
export function buildDrill(scope: Construct, problems: Problems, spec: DrillSpec): sfn.StateMachine | undefined {
  // Terminal and shared states first: the phases' failures point at them.
  const notStartedFail = new sfn.Fail(scope, 'NotStarted', { stateName: 'Not started', errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const notifyNotStarted = publish(scope, 'Notify: not started', spec.topic, {
    subject: `Drill ${spec.drillName}: not started`.slice(0, 99),
    message: sfn.JsonPath.format(`Drill ${spec.drillName} did not start: {}: {}`, sfn.JsonPath.stringAt('$.failure.Error'), sfn.JsonPath.stringAt('$.failure.Cause')),
  });
  notifyNotStarted.addCatch(notStartedFail, { resultPath: '$.notifyFailure' }).next(notStartedFail);

  const finish = finishChain(scope, spec);
  const restoreEntry = new sfn.Choice(scope, 'Restore?', { stateName: 'Restore?' });
  const ctx = (id: string, onFailure: sfn.IChainable, failurePath?: string): StepContext => ({
    scope,
    id,
    prop: 'injection',
    problems,
    region: knownRegion(scope),
    fn: () => spec.control,
    given: () => undefined,
    onFailure,
    onRefusal: onFailure,
    failurePath,
  });
  const followFailed = new sfn.Fail(scope, 'FollowFailed', { stateName: 'follow: failed', errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const injectionCtx: InjectionContext = {
    scope,
    problems,
    measured: spec.measure !== undefined,
    inject: ctx('inject', restoreEntry),
    follow: ctx('follow', followFailed),
    restore: ctx('restore', finish.start, '$.restoreFailure'),
  };
  const bound = spec.injection._bind(injectionCtx);
  if (!bound) {
    return undefined;
  }
  const measureSeconds = Math.ceil((spec.measure?.maxWaitMs ?? 0) / 1000);
  const needed = 2 * bound.followSeconds + measureSeconds + RESTORE_MARGIN;
  const timeout = spec.timeout ?? Duration.seconds(2 * bound.followSeconds + measureSeconds + TIMEOUT_MARGIN);
  // A timed-out execution runs no Catch, hence no restore: the timeout must outlast the waits of the injection and its restore.
  if (spec.timeout !== undefined && !spec.timeout.isUnresolved() && spec.timeout.toSeconds() < needed) {
    problems.add(`\`timeout\` (${spec.timeout.toHumanString()}) is shorter than the drill's waits: the injection's and the restore's (${bound.followSeconds} s each), `
      + `the client's (${measureSeconds} s) and ${RESTORE_MARGIN / 60} minutes for the rest, ${needed} s in all: a timed-out execution skips the restore `
      + 'and leaves the fault in place. Raise `timeout`, or lower `injection.timeout` or `measure.maxWait`.');
    return undefined;
  }

  const begin = new sfn.Pass(scope, 'Begin', {
    stateName: 'Begin',
    parameters: { 'input.$': '$', 'results': {}, 'polls': {}, 'injection': { started: false } },
  });
  const plan = new tasks.LambdaInvoke(scope, 'Plan', {
    stateName: 'Plan',
    lambdaFunction: spec.control,
    payload: sfn.TaskInput.fromObject({
      action: CONTROL_ACTIONS.plan,
      startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      blockedWindows: spec.blockedWindows,
      blockedDates: spec.blockedDates,
      lockSeconds: timeout.toSeconds(),
      dryRun: spec.dryRun,
      input: sfn.JsonPath.objectAt('$.input'),
      maxWaitMs: spec.measure?.maxWaitMs ?? 0,
      // Enough for a recovery's stable run too, so the client accepts the dry run's event.
      dryRunMaxWaitMs: Math.min(spec.measure?.maxWaitMs ?? DRY_RUN_WAIT_MS,
        Math.max(DRY_RUN_WAIT_MS, ((spec.measure?.stableSamples ?? 0) + 1) * (spec.measure?.intervalMs ?? 0))),
    }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    resultPath: '$.plan',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  plan.addCatch(notifyNotStarted, { resultPath: '$.failure' });
  const blocked = new sfn.Pass(scope, 'Blocked', {
    stateName: 'Blocked',
    parameters: { 'Error': 'DrillBlocked', 'Cause.$': '$.plan.blocked' },
    resultPath: '$.failure',
  }).next(notifyNotStarted);
  const lock = takeLock(scope, spec, notifyNotStarted);
  begin.next(plan).next(new sfn.Choice(scope, 'Blocked?', { stateName: 'Blocked?' })
    .when(sfn.Condition.isPresent('$.plan.blocked'), blocked)
    .otherwise(lock));

  const dryRunChoice = new sfn.Choice(scope, 'Dry run?', { stateName: 'Dry run?' });
  lock.next(spec.lagAlarms.length > 0 ? lagCheck(scope, spec, ctx('precheck', finish.start), dryRunChoice) : dryRunChoice);

  const observe = observeState(scope, spec, bound);
  observe.addCatch(restoreEntry, { resultPath: '$.failure' });
  const injecting = new sfn.Pass(scope, 'Injecting', {
    stateName: 'Injecting',
    parameters: { 'at.$': '$$.State.EnteredTime', 'started': true },
    resultPath: '$.injection',
  });
  const dryRun = new sfn.Pass(scope, 'DryRun', {
    stateName: 'Dry run: no injection',
    parameters: { 'at.$': '$$.State.EnteredTime', 'started': false },
    resultPath: '$.injection',
  });
  dryRunChoice.when(sfn.Condition.booleanEquals('$.plan.dryRun', true), dryRun).otherwise(injecting);
  injecting.next(bound.inject);
  bound.inject.endStates.forEach((s) => s.next(observe));
  dryRun.next(observe);
  observe.next(restoreEntry);
  restoreEntry.when(sfn.Condition.booleanEquals('$.injection.started', true), bound.restore).otherwise(finish.start);
  bound.restore.endStates.forEach((s) => s.next(finish.start));


  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: spec.logRetention, removalPolicy: RemovalPolicy.RETAIN });
  return new sfn.StateMachine(scope, 'StateMachine', {
    comment: `Failover drill ${spec.drillName} (cdk-failover): ${spec.injection.description}`.slice(0, 1000),
    definitionBody: sfn.DefinitionBody.fromChainable(begin),
    timeout,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
}

/** The lock: a conditional put that succeeds when no other execution holds it, or its hold lapsed (docs/aws-facts.md#failover-drills). */
function takeLock(scope: Construct, spec: DrillSpec, notStarted: sfn.IChainable): sfn.TaskStateBase {
  const put = new tasks.DynamoPutItem(scope, 'TakeLock', {
    stateName: 'Take the lock',
    table: spec.lockTable,
    item: {
      lock: tasks.DynamoAttributeValue.fromString(spec.lockName),
      holder: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      drill: tasks.DynamoAttributeValue.fromString(spec.drillName),
      expiresAt: tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.format('{}', sfn.JsonPath.stringAt('$.plan.lockExpiresAt'))),
    },
    conditionExpression: 'attribute_not_exists(#lock) OR #expires < :now',
    expressionAttributeNames: { '#lock': 'lock', '#expires': 'expiresAt' },
    expressionAttributeValues: { ':now': tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.format('{}', sfn.JsonPath.stringAt('$.plan.now'))) },
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  put.addRetry({ errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException', 'DynamoDB.InternalServerErrorException'], maxAttempts: 3 });
  const held = new sfn.Pass(scope, 'LockHeld', {
    stateName: 'Lock held by another drill',
    parameters: {
      Error: 'DrillLocked',
      Cause: `another drill holds the lock "${spec.lockName}": drills that share it never run at once. Start this one when the other has ended.`,
    },
    resultPath: '$.failure',
  }).next(notStarted);
  put.addCatch(held, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: '$.failure' });
  put.addCatch(notStarted, { resultPath: '$.failure' });
  return put;
}

/** The lag alarms must all be OK (a missing alarm, or INSUFFICIENT_DATA, is not). */
function lagCheck(scope: Construct, spec: DrillSpec, ctx: StepContext, next: sfn.IChainable): sfn.IChainable {
  const read = sdkTask(ctx, 'DescribeAlarms', {
    service: 'cloudwatch',
    action: 'describeAlarms',
    parameters: { AlarmNames: spec.lagAlarms.map((a) => a.alarmName), MaxRecords: 100 },
    iamResources: spec.lagAlarms.map((a) => a.alarmArn),
    resultSelector: { 'alarms.$': '$.MetricAlarms' },
    read: true,
    errorPrefix: 'CloudWatch',
    timeout: Duration.seconds(30),
  });
  const summary = listSummary(ctx, 'lag alarm states', {
    list: 'alarms',
    item: '$$.Map.Item.Value.StateValue',
    figures: { count: 'States.ArrayLength($)', alarm: 'States.ArrayContains($, \'ALARM\')', noData: 'States.ArrayContains($, \'INSUFFICIENT_DATA\')' },
  });
  const figures = `${resultPath(ctx)}.summary`;
  const notOk = new sfn.Pass(scope, 'LagNotOk', {
    stateName: 'precheck: lag over the RPO',
    parameters: {
      Error: 'DrillPreCheckFailed',
      Cause: `a lag alarm (${spec.lagAlarms.map((a) => a.alarmName).join(', ')}) is not OK: replication may lag more than the RPO, `
        + 'and a drill now could lose data. Wait until every lag alarm is OK.',
    },
    resultPath: '$.failure',
  }).next(ctx.onFailure);
  read.next(summary).next(new sfn.Choice(scope, 'LagOk', { stateName: 'precheck: lag alarms OK?' })
    .when(sfn.Condition.and(
      sfn.Condition.numberEquals(`${figures}.count`, spec.lagAlarms.length),
      sfn.Condition.booleanEquals(`${figures}.alarm`, false),
      sfn.Condition.booleanEquals(`${figures}.noData`, false)), next)
    .otherwise(notOk));
  return read;
}

/** The measuring client and the follow branch at once; a dry run follows nothing. */
function observeState(scope: Construct, spec: DrillSpec, bound: BoundInjection): sfn.Parallel {
  const parallel = new sfn.Parallel(scope, 'Observe', {
    stateName: 'Observe',
    resultSelector: spec.measure ? { 'measurement.$': '$[0]' } : {},
    resultPath: '$.observed',
  });
  if (spec.measure) {
    const measure = spec.measure;
    const invoke = (id: string, withPublish: boolean) => new tasks.LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: spec.client(),
      payload: sfn.TaskInput.fromObject({
        ...measure,
        injectedAt: sfn.JsonPath.stringAt('$.injection.at'),
        maxWaitMs: sfn.JsonPath.numberAt('$.plan.maxWaitMs'),
        ...withPublish ? { publish: { namespace: spec.namespace, drill: spec.drillName, path: spec.pathLabel } } : {},
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(15)),
    });
    parallel.branch(new sfn.Choice(scope, 'MeasureDryRun', { stateName: 'measure: dry run?' })
      .when(sfn.Condition.booleanEquals('$.plan.dryRun', true), invoke('measure: sample (dry run)', false))
      .otherwise(invoke('measure: sample', true)));
  }
  const skip = new sfn.Pass(scope, 'FollowSkipped', { stateName: 'follow: nothing to follow' });
  parallel.branch(bound.follow
    ? new sfn.Choice(scope, 'FollowDryRun', { stateName: 'follow: dry run?' })
      .when(sfn.Condition.booleanEquals('$.plan.dryRun', true), skip)
      .otherwise(bound.follow)
    : skip);
  return parallel;
}

/** Summary, metric, S3, topic and lock release: each failure caught, so the next still runs. */
function finishChain(scope: Construct, spec: DrillSpec): { start: sfn.State } {
  const failed = new sfn.Fail(scope, 'Failed', { stateName: 'Failed', errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  const restoreFailed = new sfn.Fail(scope, 'RestoreFailed', {
    stateName: 'Restore failed', errorPath: '$.restoreFailure.Error', causePath: '$.restoreFailure.Cause',
  });
  const done = new sfn.Succeed(scope, 'Done', { stateName: 'Done' });
  const outcome = new sfn.Choice(scope, 'Outcome', { stateName: 'Outcome?' })
    .when(sfn.Condition.isPresent('$.restoreFailure'), restoreFailed)
    .when(sfn.Condition.isPresent('$.failure'), failed)
    .otherwise(done);

  const release = new tasks.DynamoDeleteItem(scope, 'ReleaseLock', {
    stateName: 'Release the lock',
    table: spec.lockTable,
    key: { lock: tasks.DynamoAttributeValue.fromString(spec.lockName) },
    conditionExpression: '#holder = :me',
    expressionAttributeNames: { '#holder': 'holder' },
    expressionAttributeValues: { ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  release.addRetry({ errors: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.ThrottlingException', 'DynamoDB.InternalServerErrorException'], maxAttempts: 3 });
  // Not ours any more (it lapsed and another drill took it), or DynamoDB failed: the lock lapses at its expiry.
  release.addCatch(outcome, { resultPath: '$.releaseFailure' });
  release.next(outcome);

  const notify = publish(scope, 'Notify', spec.topic, {
    subject: sfn.JsonPath.stringAt('$.summary.subject'),
    message: sfn.JsonPath.stringAt('$.summary.message'),
  });
  notify.addCatch(release, { resultPath: '$.notifyFailure' }).next(release);
  const write = new tasks.CallAwsService(scope, 'WriteSummary', {
    stateName: 'Write the summary',
    service: 's3',
    action: 'putObject',
    parameters: { 'Bucket': spec.bucket.bucketName, 'Key.$': '$.summary.key', 'Body.$': '$.summary.body', 'ContentType': 'application/json' },
    iamResources: [spec.bucket.arnForObjects(`${spec.prefix}/*`)],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  write.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 3, interval: Duration.seconds(2), backoffRate: 2 });
  write.addCatch(notify, { resultPath: '$.writeFailure' }).next(notify);
  const metric = new tasks.CallAwsService(scope, 'PublishModeled', {
    stateName: 'Publish the modeled RTO',
    service: 'cloudwatch',
    action: 'putMetricData',
    parameters: {
      Namespace: spec.namespace,
      MetricData: [{
        MetricName: 'ModeledRTOWorst',
        Dimensions: [{ Name: 'Drill', Value: spec.drillName }, { Name: 'Path', Value: spec.pathLabel }],
        Unit: 'Seconds',
        Value: spec.modeledRtoWorst,
      }],
    },
    // PutMetricData takes no resource-level permissions (docs/aws-facts.md#drill-measuring-client).
    iamResources: ['*'],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  metric.addCatch(write, { resultPath: '$.metricFailure' }).next(write);
  const noSummary = publish(scope, 'Notify: no summary', spec.topic, {
    subject: `Drill ${spec.drillName}: ended, no summary`.slice(0, 99),
    message: sfn.JsonPath.format(`Drill ${spec.drillName} ended, but its summary could not be made: {}. Execution: {}`,
      sfn.JsonPath.stringAt('$.summaryFailure.Cause'), sfn.JsonPath.stringAt('$$.Execution.Id')),
  });
  noSummary.addCatch(release, { resultPath: '$.notifyFailure' }).next(release);
  const summarize = new tasks.LambdaInvoke(scope, 'Summarize', {
    stateName: 'Summarize',
    lambdaFunction: spec.control,
    payload: sfn.TaskInput.fromObject({
      action: CONTROL_ACTIONS.summarize,
      drill: spec.drillName,
      path: spec.pathLabel,
      execution: sfn.JsonPath.stringAt('$$.Execution.Id'),
      startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
      prefix: spec.prefix,
      fault: spec.injection.description,
      modeledRtoWorst: spec.modeledRtoWorst,
      objectiveRto: spec.objectiveRto,
      state: sfn.JsonPath.objectAt('$'),
    }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    resultPath: '$.summary',
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
  summarize.addCatch(noSummary, { resultPath: '$.summaryFailure' }).next(metric);
  return { start: summarize };
}

function publish(scope: Construct, id: string, topic: sns.ITopic, what: { subject: string; message: string }): tasks.SnsPublish {
  return new tasks.SnsPublish(scope, id, {
    stateName: id,
    topic,
    subject: what.subject,
    message: sfn.TaskInput.fromText(what.message),
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
  });
}

/** The lock table of a stack: one item per lock name, lapsing at `expiresAt` (DynamoDB TTL). */
export function lockTable(scope: Construct, id: string): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: 'lock', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: 'expiresAt',
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // It holds only the locks of running drills: nothing to keep when the stack goes.
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

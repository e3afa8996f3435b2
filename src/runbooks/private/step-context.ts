/**
 * What a runbook gives each step when it builds it, and the state-building helpers every step
 * uses: SDK tasks with their timeout, retries and catch; polling loops with a bounded number of
 * attempts; calls of the runbook's function. Every task's failure goes to the step's failure
 * target, so any failure ends in a defined state.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeCrossRegionFunction } from './runbook-nag';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { Term } from '../../objectives/model/term';
import { Problems } from '../../private/errors';

/** Read-only calls are retried on any task error; they change nothing. */
const READ_RETRY = { errors: ['States.TaskFailed', 'States.Timeout'], maxAttempts: 3, interval: Duration.seconds(2), backoffRate: 2 };
/** Calls that change something are retried on throttling only: a second switchover or promotion would be refused or worse. */
const WRITE_RETRY = { maxAttempts: 4, interval: Duration.seconds(2), backoffRate: 2 };

/** The error a polling loop raises when its attempts run out. */
export const POLL_TIMED_OUT = 'RunbookStepTimedOut';

/** What a runbook gives a step when the step builds its states. */
export interface StepContext {
  /** The scope of the step's constructs (alarms, policies). */
  readonly scope: Construct;
  /** The step's id in the runbook, unique: `promote`, `scale-2`. */
  readonly id: string;
  /** The prop of the step in messages: `steps[2]`. */
  readonly prop: string;
  readonly problems: Problems;
  /** The runbook's region, when the stack has one. */
  readonly region?: string;
  /** The runbook's own function (routing controls, HTTP checks, the record), shared in the stack. */
  readonly fn: () => lambda.IFunction;
  /** The value a user gave for an assumption (the runbook's `assumptions`, else the nearest `RecoveryAssumptions`). */
  readonly given: (a: RecoveryAssumption) => number | undefined;
  /** Where a task's failure goes: the step's failure state (or, for a fence, the choice to go on unfenced). */
  readonly onFailure: sfn.IChainable;
  /** Where a refusal goes (the RPO guard), with the reason in `$.failure`. */
  readonly onRefusal: sfn.IChainable;
  /**
   * Where a task's error goes before `onFailure`: `$.failure` unless the caller keeps an earlier
   * error there (a drill's restore keeps the drill's own error).
   */
  readonly failurePath?: string;
}

/** A step's states, its terms in the model, and the stack of its Region switch plan block. */
export interface StepBinding {
  /** The step's states: the first is entered, the ends go on to the next step. */
  readonly chain: sfn.IChainable & { readonly startState: sfn.State; readonly endStates: sfn.INextable[] };
  /** The step's terms, in order. */
  readonly terms: Term[];
  /**
   * The data the step loses when no RPO guard came before it (a promotion with data loss): the
   * runbook counts it only then, as a guard bounds the loss.
   */
  readonly unguardedData?: Term[];
}

/** State names are unique within a state machine and at most 80 characters. */
export function stateName(ctx: StepContext, what: string): string {
  return `${ctx.id}: ${what}`.slice(0, 80);
}

/** Options of an SDK task. */
export interface SdkTaskOptions {
  readonly service: string;
  readonly action: string;
  readonly parameters: { [key: string]: any };
  /** The IAM action, when it is not `<service>:<Action>`. */
  readonly iamAction?: string;
  readonly iamResources: string[];
  /** What the task keeps of the answer (ResultSelector). */
  readonly resultSelector?: { [key: string]: any };
  /** Whether the call only reads: reads are retried on any error, writes on throttling only. */
  readonly read: boolean;
  /** The SDK integration's error prefix, e.g. `Rds`, for the throttling retry of a write. */
  readonly errorPrefix: string;
  readonly timeout?: Duration;
  readonly additionalIamStatements?: iam.PolicyStatement[];
  /**
   * The Region to call, when it is not the runbook's: the call then goes through aws-cdk-lib's
   * cross-Region task (a function of the stack that calls the Region's endpoint).
   */
  readonly region?: string;
  /** Errors that are answers, each with where it goes (before the catch of every other error). */
  readonly catches?: Array<{ readonly errors: string[]; readonly next: sfn.IChainable }>;
}

/**
 * An SDK task of the step: its answer goes to `$.results.<step id>`, a failure to the step's
 * failure target with the error in `$.failure`.
 */
export function sdkTask(ctx: StepContext, what: string, options: SdkTaskOptions): sfn.TaskStateBase {
  if (options.region !== undefined && options.region !== ctx.region) {
    return crossRegionTask(ctx, what, options, options.region);
  }
  const task = new tasks.CallAwsService(ctx.scope, stateName(ctx, what), {
    stateName: stateName(ctx, what),
    service: options.service,
    action: options.action,
    parameters: options.parameters,
    iamAction: options.iamAction,
    iamResources: options.iamResources,
    additionalIamStatements: options.additionalIamStatements,
    resultSelector: options.resultSelector,
    resultPath: resultPath(ctx),
    taskTimeout: sfn.Timeout.duration(options.timeout ?? Duration.seconds(60)),
  });
  if (options.read) {
    task.addRetry(READ_RETRY);
  } else {
    task.addRetry({ ...WRITE_RETRY, errors: [`${options.errorPrefix}.ThrottlingException`] });
  }
  (options.catches ?? []).forEach((c) => task.addCatch(c.next, { errors: c.errors, resultPath: sfn.JsonPath.DISCARD }));
  task.addCatch(ctx.onFailure, { resultPath: failurePath(ctx) });
  return task;
}

/**
 * A call in another Region. aws-cdk-lib's task uses SDK v3 names: the client's package name
 * (`ecs`) and the command in camelCase, with the same PascalCase parameters.
 */
function crossRegionTask(ctx: StepContext, what: string, options: SdkTaskOptions, region: string): sfn.TaskStateBase {
  const task = new tasks.CallAwsServiceCrossRegion(ctx.scope, stateName(ctx, what), {
    stateName: stateName(ctx, what),
    service: options.service,
    action: options.action,
    parameters: options.parameters,
    iamAction: options.iamAction,
    iamResources: options.iamResources,
    additionalIamStatements: options.additionalIamStatements,
    region,
    resultSelector: options.resultSelector,
    resultPath: resultPath(ctx),
    retryOnServiceExceptions: true,
    taskTimeout: sfn.Timeout.duration(options.timeout ?? Duration.seconds(60)),
  });
  acknowledgeCrossRegionFunction(ctx.scope);
  if (options.read) {
    task.addRetry(READ_RETRY);
  }
  (options.catches ?? []).forEach((c) => task.addCatch(c.next, { errors: c.errors, resultPath: sfn.JsonPath.DISCARD }));
  task.addCatch(ctx.onFailure, { resultPath: failurePath(ctx) });
  return task;
}

/** Options of a call of the runbook's function. */
export interface FunctionTaskOptions {
  readonly payload: { [key: string]: any };
  readonly timeout: Duration;
}

/** A call of the runbook's function; its answer goes to `$.results.<step id>`. */
export function functionTask(ctx: StepContext, what: string, options: FunctionTaskOptions): sfn.TaskStateBase {
  const task = new tasks.LambdaInvoke(ctx.scope, stateName(ctx, what), {
    stateName: stateName(ctx, what),
    lambdaFunction: ctx.fn(),
    payload: sfn.TaskInput.fromObject(options.payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    resultPath: resultPath(ctx),
    taskTimeout: sfn.Timeout.duration(options.timeout),
  });
  // Only the Lambda service's own errors are retried: the function's errors (a refused flip, a failed check) are answers.
  task.addCatch(ctx.onFailure, { resultPath: failurePath(ctx) });
  return task;
}

/** Options of a polling loop. */
export interface PollOptions {
  /** What the loop waits for, for the state names: `writer moved`. */
  readonly what: string;
  /** The read that reports progress; its answer lands in `$.results.<step id>`. */
  readonly read: sfn.TaskStateBase;
  /** Turns a list in the read's answer into figures the test can use (`listSummary`), before the test. */
  readonly summarize?: StepBinding['chain'];
  /** True once done, on the read's answer in `$.results.<step id>`. */
  readonly done: sfn.Condition;
  readonly interval: Duration;
  /** How long to wait at most; the loop then fails the step with `RunbookStepTimedOut`. */
  readonly timeout: Duration;
}

/**
 * Wait, read, count, test: until `done`, or the attempts that fit in `timeout` run out. The
 * count lives in `$.polls.<step id>`, so two loops of one step must not overlap (they do not:
 * a step's loops run one after another).
 */
export function pollUntil(ctx: StepContext, options: PollOptions): StepBinding['chain'] {
  const attempts = Math.max(1, Math.ceil(options.timeout.toSeconds() / options.interval.toSeconds()));
  const counter = `$.polls.${jsonKey(ctx.id)}`;
  const start = new sfn.Pass(ctx.scope, stateName(ctx, `${options.what}: start`), {
    stateName: stateName(ctx, `${options.what}: start`),
    parameters: { count: 0 },
    resultPath: counter,
  });
  const wait = new sfn.Wait(ctx.scope, stateName(ctx, `${options.what}: wait`), {
    stateName: stateName(ctx, `${options.what}: wait`),
    time: sfn.WaitTime.duration(options.interval),
  });
  const count = new sfn.Pass(ctx.scope, stateName(ctx, `${options.what}: count`), {
    stateName: stateName(ctx, `${options.what}: count`),
    parameters: { 'count.$': `States.MathAdd(${counter}.count, 1)` },
    resultPath: counter,
  });
  const done = new sfn.Pass(ctx.scope, stateName(ctx, `${options.what}: done`), { stateName: stateName(ctx, `${options.what}: done`) });
  const gaveUp = new sfn.Pass(ctx.scope, stateName(ctx, `${options.what}: gave up`), {
    stateName: stateName(ctx, `${options.what}: gave up`),
    parameters: {
      Error: POLL_TIMED_OUT,
      Cause: `${ctx.id}: ${options.what} did not happen within ${options.timeout.toHumanString()} (${attempts} checks, ${options.interval.toHumanString()} apart)`,
    },
    resultPath: failurePath(ctx),
  }).next(ctx.onFailure);
  const test = new sfn.Choice(ctx.scope, stateName(ctx, `${options.what}?`), { stateName: stateName(ctx, `${options.what}?`) })
    .when(options.done, done)
    .when(sfn.Condition.numberGreaterThanEquals(`${counter}.count`, attempts), gaveUp)
    .otherwise(wait);
  start.next(wait).next(options.read);
  const last = options.summarize ? (options.read.next(options.summarize), options.summarize) : sfn.Chain.start(options.read);
  last.endStates.forEach((s) => s.next(count));
  count.next(test);
  return sfn.Chain.custom(start, [done], done);
}

/** Options of a list summary. */
export interface ListSummaryOptions {
  /** The list, a member of the read's answer in `$.results.<step id>`, e.g. `members`. */
  readonly list: string;
  /** The value each element becomes, a JSONPath or an intrinsic over `$$.Map.Item.Value`. */
  readonly item: string;
  /** The figures kept, intrinsics over the array of items `$`, e.g. `States.ArrayLength($)`. */
  readonly figures: { [key: string]: string };
}

/**
 * A Map that turns a list into figures, for a Choice to test: JSONPath filters are not used, as
 * a filter that matches nothing fails the execution with States.Runtime, which no Catch catches.
 * The figures land in `$.results.<step id>.summary`.
 */
export function listSummary(ctx: StepContext, what: string, options: ListSummaryOptions): sfn.Map {
  const map = new sfn.Map(ctx.scope, stateName(ctx, what), {
    stateName: stateName(ctx, what),
    itemsPath: `${resultPath(ctx)}.${options.list}`,
    itemSelector: { 'v.$': options.item },
    resultSelector: Object.fromEntries(Object.entries(options.figures).map(([k, v]) => [`${k}.$`, v])),
    resultPath: `${resultPath(ctx)}.summary`,
  });
  map.itemProcessor(new sfn.Pass(ctx.scope, stateName(ctx, `${what}: item`), { stateName: stateName(ctx, `${what}: item`), outputPath: '$.v' }));
  map.addCatch(ctx.onFailure, { resultPath: failurePath(ctx) });
  return map;
}

/** Where a step's errors go. */
export function failurePath(ctx: StepContext): string {
  return ctx.failurePath ?? '$.failure';
}

/** Where a step's task answers go. */
export function resultPath(ctx: StepContext): string {
  return `$.results.${jsonKey(ctx.id)}`;
}

/** A step id as a JSONPath member: letters, digits and underscores. */
export function jsonKey(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}

/** A Condition on an execution input flag that is true only when the input sets it to `true`. */
export function inputFlag(name: string): sfn.Condition {
  return sfn.Condition.and(sfn.Condition.isPresent(`$.input.${name}`), sfn.Condition.booleanEquals(`$.input.${name}`, true));
}

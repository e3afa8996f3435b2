/**
 * The states the injections share: runbooks called by reference or by name (in another
 * Region too), waits for what the drill started, the restores that find what an ambiguous start
 * left behind, and the checks of what an injection may reference.
 */
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { IConstruct } from 'constructs';
import { InjectionContext } from './injection-binding';
import { Problems } from '../../private/errors';
import { knownRegion } from '../../private/region';
import { checkDuration } from '../../private/validate';
import { FailbackRunbook } from '../../runbooks/failback-runbook';
import { FailoverRunbook } from '../../runbooks/failover-runbook';
import { failurePath, pollUntil, resultPath, sdkTask, StepContext } from '../../runbooks/private/step-context';
import { FisExperiment } from '../fis-experiment';

/** The states of an FIS experiment that has not ended. */
export const RUNNING = ['pending', 'initiating', 'running'];

/** How often the drill reads the progress of what it started. */
export const POLL_INTERVAL = Duration.seconds(15);
const MAX_FOLLOW_MINUTES = 12 * 60;

/** A runbook's state machine as the drill calls it: by reference in its own stack, by name elsewhere. */
export interface RunbookRef {
  readonly arn: string;
  /** Its executions, `execution:<name>:*`. */
  readonly executions: string;
  /** The ARN of its executions the drill starts, but the drill execution's name: `execution:<name>:drill-<what>-`. */
  readonly executionPrefix: string;
  /** The Region to call, when it is not the drill's. */
  readonly region?: string;
}

export function runbookRef(ctx: InjectionContext, runbook: FailoverRunbook | FailbackRunbook, prop: string): RunbookRef | undefined {
  const machine = runbook.stateMachine;
  const stack = Stack.of(machine);
  const executionsIn = (s: Stack, name: string, rest: string) => s.formatArn({
    service: 'states', resource: 'execution', resourceName: `${name}:${rest}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const what = runbook instanceof FailoverRunbook ? 'failover' : 'failback';
  if (stack === Stack.of(ctx.scope)) {
    const name = machine.stateMachineName;
    return { arn: machine.stateMachineArn, executions: executionsIn(stack, name, '*'), executionPrefix: executionsIn(stack, name, `drill-${what}-`) };
  }
  const name = (machine.node.defaultChild as sfn.CfnStateMachine).stateMachineName;
  if (name === undefined || Token.isUnresolved(name) || Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
    ctx.problems.add(`\`${prop}\` (${runbook.node.path}) is in another stack, and its ARN is known there only: give the runbook a literal \`stateMachineName\` `
      + '(and its stack an account and Region), so the drill calls it by name; or define the drill in the same stack.');
    return undefined;
  }
  const arn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return {
    arn,
    executions: executionsIn(stack, name, '*'),
    executionPrefix: executionsIn(stack, name, `drill-${what}-`),
    region: stack.region === knownRegion(ctx.scope) ? undefined : stack.region,
  };
}

export function describeExecution(c: StepContext, ref: RunbookRef, arnPath: string, what: string): sfn.TaskStateBase {
  return sdkTask(c, `DescribeExecution (${what})`, {
    service: 'sfn',
    action: 'describeExecution',
    iamAction: 'states:DescribeExecution',
    parameters: { 'ExecutionArn.$': arnPath },
    iamResources: [ref.executions],
    resultSelector: { 'status.$': '$.Status' },
    read: true,
    errorPrefix: 'Sfn',
    region: ref.region,
  });
}

/**
 * Starts the runbook (named after the drill's execution, so a retry cannot start it twice) in
 * `start`'s phase, then waits in `wait`'s phase until it ends, and fails unless it succeeded.
 * `chained`: the wait follows the start (else the wait runs in its own branch).
 */
export function runAndWait(start: StepContext, wait: StepContext, ref: RunbookRef, what: string, timeout: Duration, chained: boolean)
  : { start: sfn.State; wait: sfn.Chain } {
  const startTask = sdkTask(start, `StartExecution (${what})`, {
    service: 'sfn',
    action: 'startExecution',
    iamAction: 'states:StartExecution',
    parameters: { 'StateMachineArn': ref.arn, 'Name.$': `States.Format('drill-${what}-{}', $$.Execution.Name)`, 'Input': '{"drill": true}' },
    iamResources: [ref.arn],
    resultSelector: { 'executionArn.$': '$.ExecutionArn' },
    read: false,
    errorPrefix: 'Sfn',
    region: ref.region,
  });
  const status = `${resultPath(wait)}.status`;
  const poll = pollUntil(wait, {
    what: `${what} ended`,
    read: describeExecution(wait, ref, `${resultPath(start)}.executionArn`, what),
    done: sfn.Condition.not(sfn.Condition.stringEquals(status, 'RUNNING')),
    interval: POLL_INTERVAL,
    timeout,
  });
  const failed = new sfn.Pass(wait.scope, `${wait.id}: ${what} did not succeed`, {
    stateName: `${wait.id}: ${what} did not succeed`,
    parameters: { 'Error': 'DrillRunbookFailed', 'Cause.$': `States.Format('the ${what} runbook ended {}', ${status})` },
    resultPath: failurePath(wait),
  }).next(wait.onFailure);
  const ok = new sfn.Pass(wait.scope, `${wait.id}: ${what} succeeded`, { stateName: `${wait.id}: ${what} succeeded` });
  const check = new sfn.Choice(wait.scope, `${wait.id}: ${what} succeeded?`, { stateName: `${wait.id}: ${what} succeeded?` })
    .when(sfn.Condition.stringEquals(status, 'SUCCEEDED'), ok)
    .otherwise(failed);
  if (chained) {
    startTask.next(poll);
  }
  return { start: startTask, wait: followChain(poll, check, ok, chained ? startTask : undefined) };
}

/** A reference to a construct of another stack would need an export: regions never share one. */
export function sameStack(ctx: InjectionContext, other: IConstruct, prop: string, what: string): void {
  if (Stack.of(other) !== Stack.of(ctx.scope)) {
    ctx.problems.add(`\`${prop}\` (${other.node.path}) is in the stack ${Stack.of(other).node.path}, not the drill's (${Stack.of(ctx.scope).node.path}): `
      + `the drill would need ${what} through a cross-stack export, which cdk-failover never makes (regions meet by name). `
      + 'Define the drill in the same stack.');
  }
}

export function followTimeout(problems: Problems, prop: string, given: Duration | undefined, fallback: Duration): Duration {
  checkDuration(problems, prop, given, {
    unit: 'seconds', min: 60, max: MAX_FOLLOW_MINUTES * 60, literal: 'the drill waits for it', fix: 'Give e.g. Duration.hours(1).',
  });
  return given !== undefined && !given.isUnresolved() ? given : fallback;
}

/** The poll, then the check of how it ended (from `first` when the chain starts before the poll). */
export function followChain(poll: ReturnType<typeof pollUntil>, check: sfn.Choice, ok: sfn.Pass, first?: sfn.State): sfn.Chain {
  poll.endStates.forEach((s) => s.next(check));
  return sfn.Chain.custom(first ?? poll.startState, [ok], check);
}

/** Runs `chain` when `started` holds, else `otherwise`. */
export function guarded(ctx: InjectionContext, what: string, started: sfn.Condition, chain: sfn.Chain, otherwise: sfn.Chain): sfn.Chain {
  const choice = new sfn.Choice(ctx.restore.scope, `restore: ${what}`, { stateName: `restore: ${what}` })
    .when(started, chain)
    .otherwise(otherwise);
  return sfn.Chain.custom(choice, [...chain.endStates, ...otherwise.endStates], choice);
}

/**
 * Stops every experiment of the template that still runs (`fis:ListExperiments` by template,
 * the latest 100), for a restore that does not know the experiment's ID.
 */
export function stopRunningExperiments(ctx: InjectionContext, experiment: FisExperiment, experiments: string): sfn.Chain {
  const list = sdkTask(ctx.restore, 'ListExperiments', {
    service: 'fis',
    action: 'listExperiments',
    parameters: { ExperimentTemplateId: experiment.experimentTemplateId, MaxResults: 100 },
    // ListExperiments takes no resource-level permissions (docs/aws-facts.md#fis-and-drs).
    iamResources: ['*'],
    resultSelector: { 'experiments.$': '$.Experiments' },
    read: true,
    errorPrefix: 'Fis',
  });
  const each = new sfn.Map(ctx.restore.scope, 'restore: each experiment of the template', {
    stateName: 'restore: each experiment of the template',
    itemsPath: `${resultPath(ctx.restore)}.experiments`,
    itemSelector: { 'id.$': '$$.Map.Item.Value.Id', 'status.$': '$$.Map.Item.Value.State.Status' },
    maxConcurrency: 1,
    resultPath: sfn.JsonPath.DISCARD,
  });
  const stop = new tasks.CallAwsService(ctx.restore.scope, 'restore: stop a running experiment', {
    stateName: 'restore: stop a running experiment',
    service: 'fis',
    action: 'stopExperiment',
    parameters: { 'Id.$': '$.id' },
    iamResources: [experiments],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  stop.addRetry({ errors: ['Fis.ThrottlingException'], maxAttempts: 4, interval: Duration.seconds(2), backoffRate: 2 });
  const ended = new sfn.Pass(ctx.restore.scope, 'restore: experiment ended', { stateName: 'restore: experiment ended' });
  each.itemProcessor(new sfn.Choice(ctx.restore.scope, 'restore: this experiment running?', { stateName: 'restore: this experiment running?' })
    .when(sfn.Condition.or(...RUNNING.map((s) => sfn.Condition.stringEquals('$.status', s))), stop)
    .otherwise(ended));
  each.addCatch(ctx.restore.onFailure, { resultPath: failurePath(ctx.restore) });
  list.next(each);
  return sfn.Chain.custom(list, [each], list);
}

/**
 * What the failover and failback runbooks share: the order rules of their steps (the
 * no-two-writers invariant), and the state machine around the steps: a begin and an end state
 * per step that record its times, one failure state per step, the record of the run, and the
 * terminal states Done, Failed and Refused.
 *
 * The invariant, by construction: the steps run in the order given, which the order rules make
 * guard -> fence -> promote -> switch; every task's failure goes to its step's failure state and
 * from there to Failed; nothing runs after a failure. So an execution that promoted the data had
 * fenced the old primary first, and a failed execution stops where it failed: never with the
 * new writer promoted and the old one still serving.
 */
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeStateMachineRole } from './runbook-nag';
import { inputFlag, jsonKey, sdkTask, StepBinding, StepContext } from './step-context';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { isData, Term } from '../../objectives/model/term';
import { AssumptionValues, givenAssumption } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { allowMetricNamespace, ownLogRole } from '../../private/function-permissions';
import { knownRegion } from '../../private/region';
import { stackSingleton } from '../../private/singleton';
import { checkDuration, show } from '../../private/validate';
import { ActiveRegion } from '../active-region';
import { ACTIONS } from '../runbook-contract';
import { RunbookFunction } from '../runbook-function';
import { RunbookStep, RunbookStepRole } from '../runbook-step';
import { PromoteData } from '../steps/promote-data';

/** The namespace of the runbooks' metrics unless a runbook names another. */
export const DEFAULT_RUNBOOK_NAMESPACE = 'CdkFailover/Runbooks';

/** What a runbook construct gives the builder. */
export interface RunbookSpec {
  readonly kind: 'failover' | 'failback';
  readonly steps: RunbookStep[];
  /** The Region the runbook moves away from. */
  readonly fromRegion: string;
  readonly stateMachineName?: string;
  readonly timeout?: Duration;
  readonly metricNamespace?: string;
  readonly activeRegion?: ActiveRegion;
  readonly assumptions: AssumptionValues;
  readonly logRetention?: logs.RetentionDays;
}

/** A step as built: its id, its role and terms. */
export interface BuiltStep {
  readonly id: string;
  readonly step: RunbookStep;
  readonly binding: StepBinding;
}

/** What the builder returns. */
export interface BuiltRunbook {
  readonly stateMachine: sfn.StateMachine;
  readonly steps: BuiltStep[];
  /** The steps' terms in order, with the data terms that count (see `StepBinding.unguardedData`). */
  readonly terms: Term[];
}

/** Checks the props every runbook has; the step-specific checks run when the steps are built. */
export function validateRunbookSpec(problems: Problems, scope: Construct, spec: RunbookSpec): void {
  if (spec.steps.length === 0) {
    problems.add('`steps` must hold at least one step; got none. Give the steps in order, e.g. [RpoGuard.alarm(...), Fence.routingControl(...), '
      + 'PromoteData.auroraGlobalFailover(...), SwitchTraffic.routingControls(...), VerifyRecovery.http(...)].');
  }
  checkOrder(problems, spec);
  const name = spec.stateMachineName;
  if (name !== undefined && !Token.isUnresolved(name) && !/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    problems.add(`\`stateMachineName\` must be 1 to 80 letters, digits, hyphens or underscores, got: ${show(name)}. Give e.g. \`app-failover\`.`);
  }
  checkDuration(problems, 'timeout', spec.timeout, { unit: 'seconds', min: 60, max: 31_536_000, fix: 'Give e.g. Duration.hours(2).' });
  const namespace = spec.metricNamespace;
  if (namespace !== undefined && !Token.isUnresolved(namespace) && (!/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(namespace) || namespace.startsWith('AWS/'))) {
    problems.add(`\`metricNamespace\` must be 1 to 255 letters, digits or . - _ / # : and not start with AWS/, got: ${show(namespace)}.`);
  }
  const here = knownRegion(scope);
  if (here !== undefined && here === spec.fromRegion) {
    problems.add(`\`fromRegion\` is this stack's Region (${here}): a runbook runs in the Region it moves TO, so that it does not depend on the `
      + 'Region that failed. Put the runbook in the recovery Region\'s stack.');
  }
  if (spec.activeRegion && !spec.activeRegion.regions.includes(spec.fromRegion)) {
    problems.add(`\`fromRegion\` ${show(spec.fromRegion)} is not one of the active-region parameter's Regions (${spec.activeRegion.regions.join(', ')}).`);
  }
  if (spec.activeRegion && here !== undefined && !spec.activeRegion.regions.includes(here)) {
    problems.add(`this stack's Region ${here} is not one of the active-region parameter's Regions (${spec.activeRegion.regions.join(', ')}): `
      + 'the runbook could not record that it is now active. Add it to the ActiveRegion\'s `regions`.');
  }
}

/**
 * The order rules: the guard before anything changes; a fence before a promotion that can lose
 * data; the promotion before the switch; the verification after the switch. A failback promotes
 * without loss only.
 */
function checkOrder(problems: Problems, spec: RunbookSpec): void {
  const first = (role: RunbookStepRole) => spec.steps.findIndex((s) => s.role === role);
  const last = (role: RunbookStepRole) => spec.steps.map((s) => s.role).lastIndexOf(role);
  const name = (i: number) => `steps[${i}] (${spec.steps[i].role}: ${spec.steps[i].description})`;
  const before = (a: number, b: number, why: string) => {
    if (a >= 0 && b >= 0 && a > b) {
      problems.add(`${name(a)} must come before ${name(b)}: ${why}. Reorder \`steps\`.`);
    }
  };
  const guard = last(RunbookStepRole.RPO_GUARD);
  for (const role of [RunbookStepRole.FENCE, RunbookStepRole.PROMOTE, RunbookStepRole.SWITCH]) {
    before(guard, first(role), 'the RPO guard must refuse before anything changes');
  }
  const lossy = spec.steps.findIndex((s) => s instanceof PromoteData && !s.lossless);
  const fence = first(RunbookStepRole.FENCE);
  if (lossy >= 0 && (fence < 0 || fence > lossy)) {
    problems.add(`${name(lossy)} makes a new writer without waiting for the old one: a fence step must come before it, or the old primary may go on `
      + 'taking writes that the new writer never sees (two writers). Add Fence.routingControl(...) or Fence.ecsService(...) before it.');
  }
  before(last(RunbookStepRole.PROMOTE), first(RunbookStepRole.SWITCH), 'traffic must reach the new side after its data accepts writes');
  const switched = first(RunbookStepRole.SWITCH);
  before(switched, spec.steps.findIndex((s, i) => s.role === RunbookStepRole.VERIFY && i < switched),
    'a verification checks the switch, so it follows it');
  if (spec.kind === 'failback' && lossy >= 0) {
    problems.add(`${name(lossy)} can lose data; a failback is planned and must not: use PromoteData.auroraGlobalSwitchover(...), which waits `
      + 'until the old primary has every write.');
  }
}

/** Builds the state machine and its steps (after `validateRunbookSpec`). */
export function buildRunbook(scope: Construct, spec: RunbookSpec): BuiltRunbook {
  const problems = new Problems(scope);
  const name = spec.kind === 'failover' ? 'Failover' : 'Failback';
  const namespace = spec.metricNamespace ?? DEFAULT_RUNBOOK_NAMESPACE;
  const runbookName = spec.stateMachineName ?? `${scope.node.id}`;
  let fn: lambda.IFunction | undefined;
  const runbookFn = () => fn ??= runbookFunction(scope, namespace);

  const begin = new sfn.Pass(scope, 'Begin', {
    stateName: 'Begin',
    parameters: { 'input.$': '$', 'steps': {}, 'results': {}, 'polls': {} },
  });
  const record = (outcome: string, withError: boolean) => {
    const task = new tasks.LambdaInvoke(scope, `Record ${outcome}`, {
      stateName: `Record: ${outcome.toLowerCase()}`,
      lambdaFunction: runbookFn(),
      payload: sfn.TaskInput.fromObject({
        action: ACTIONS.recordRun,
        runbook: runbookName,
        namespace,
        outcome,
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        steps: sfn.JsonPath.objectAt('$.steps'),
        ...withError ? { error: sfn.JsonPath.objectAt('$.failure') } : {},
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath: '$.summary',
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
    });
    return task;
  };
  const done = new sfn.Succeed(scope, 'Done', { stateName: 'Done' });
  const failed = new sfn.Fail(scope, 'Failed', { stateName: 'Failed', errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
  // The record is bookkeeping: its own failure never changes the outcome.
  const recordSucceeded = record('SUCCEEDED', false);
  recordSucceeded.addCatch(done, { resultPath: '$.recordError' }).next(done);
  const recordFailed = record('FAILED', true);
  recordFailed.addCatch(failed, { resultPath: '$.recordError' }).next(failed);
  // Refusal states exist only in runbooks with a step that can refuse: an unreachable state is an error.
  let recordRefused: sfn.IChainable | undefined;
  const refusedEnd = () => {
    if (!recordRefused) {
      const refused = new sfn.Fail(scope, 'Refused', { stateName: 'Refused', errorPath: '$.failure.Error', causePath: '$.failure.Cause' });
      recordRefused = record('REFUSED', true).addCatch(refused, { resultPath: '$.recordError' }).next(refused);
    }
    return recordRefused;
  };

  const ids = stepIds(spec.steps);
  const built: BuiltStep[] = [];
  const ordered = withActiveRegionRecord(spec);
  let tails: sfn.INextable[] = [begin];
  for (const step of ordered) {
    const i = spec.steps.indexOf(step);
    const id = i >= 0 ? ids[i] : 'record-active-region';
    const key = jsonKey(id);
    const group = new Construct(scope, i >= 0 ? `Step${i}` : 'RecordActiveRegion');
    const start = new sfn.Pass(group, 'Begin', {
      stateName: `${id}: begin`,
      parameters: { 'start.$': '$$.State.EnteredTime' },
      resultPath: `$.steps.${key}`,
    });
    const end = new sfn.Pass(group, 'End', {
      stateName: `${id}: end`,
      parameters: { 'start.$': `$.steps.${key}.start`, 'end.$': '$$.State.EnteredTime' },
      resultPath: `$.steps.${key}`,
    });
    const stepFailed = new sfn.Pass(group, 'Failed', {
      stateName: `${id}: failed`,
      parameters: { 'step': id, 'start.$': `$.steps.${key}.start`, 'failed.$': '$$.State.EnteredTime' },
      resultPath: `$.steps.${key}`,
    });
    stepFailed.next(recordFailed);
    let stepRefused: sfn.IChainable | undefined;
    const refusal = () => stepRefused ??= new sfn.Pass(group, 'Refused', {
      stateName: `${id}: refused`,
      parameters: { 'step': id, 'start.$': `$.steps.${key}.start`, 'refused.$': '$$.State.EnteredTime' },
      resultPath: `$.steps.${key}`,
    }).next(refusedEnd());
    const ends: sfn.INextable[] = [end];
    const onFailure = step.role === RunbookStepRole.FENCE ? unfencedChoice(group, id, key, ends, stepFailed) : stepFailed;
    const ctx: StepContext = {
      scope: group,
      id,
      prop: i >= 0 ? `steps[${i}]` : 'activeRegion',
      problems,
      region: knownRegion(scope),
      fn: runbookFn,
      given: (a: RecoveryAssumption) => givenAssumption(scope, spec.assumptions, a),
      onFailure,
      get onRefusal() {
        return refusal();
      },
    };
    const binding = step._bind(ctx);
    start.next(binding.chain);
    binding.chain.endStates.forEach((s) => s.next(end));
    tails.forEach((t) => t.next(start));
    tails = ends;
    if (i >= 0) {
      built.push({ id, step, binding });
    }
  }
  tails.forEach((t) => t.next(recordSucceeded));
  problems.throwIfAny();

  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: spec.logRetention ?? logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: spec.stateMachineName,
    comment: `${name} runbook (cdk-failover): ${spec.steps.map((s) => s.description).join('; ')}`.slice(0, 1000),
    definitionBody: sfn.DefinitionBody.fromChainable(begin),
    timeout: spec.timeout ?? Duration.hours(2),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  acknowledgeStateMachineRole(stateMachine.role);
  return { stateMachine, steps: built, terms: modelTerms(built) };
}

/** Step ids from their roles: `fence`, and `scale`, `scale-2` for a second step of a role. */
function stepIds(steps: RunbookStep[]): string[] {
  const seen = new Map<string, number>();
  return steps.map((s) => {
    const n = (seen.get(s.role) ?? 0) + 1;
    seen.set(s.role, n);
    return n === 1 ? s.role : `${s.role}-${n}`;
  });
}

/**
 * A failed fence stops the runbook, unless the execution input says `allowUnfenced: true`:
 * an operator who knows the old primary is down (its Region's API unreachable) goes on.
 */
function unfencedChoice(scope: Construct, id: string, key: string, ends: sfn.INextable[], stepFailed: sfn.State): sfn.Choice {
  // It ends the step itself (the step's record keeps the error), and goes on like the step's end.
  const unfenced = new sfn.Pass(scope, 'Unfenced', {
    stateName: `${id}: going on unfenced`,
    parameters: { 'start.$': `$.steps.${key}.start`, 'end.$': '$$.State.EnteredTime', 'unfenced': true, 'error.$': '$.failure.Error' },
    resultPath: `$.steps.${key}`,
  });
  ends.push(unfenced);
  return new sfn.Choice(scope, 'AllowUnfenced', { stateName: `${id}: go on unfenced?` })
    .when(inputFlag('allowUnfenced'), unfenced)
    .otherwise(stepFailed);
}

/**
 * The runbook writes the active Region (the `ActiveRegion` parameter of its own Region) right
 * after the traffic switch, or after the promotion, or last: a `cdk deploy` that reads it then
 * sizes the new primary as the active side.
 */
function withActiveRegionRecord(spec: RunbookSpec): RunbookStep[] {
  if (!spec.activeRegion) {
    return spec.steps;
  }
  const after = Math.max(
    spec.steps.map((s) => s.role).lastIndexOf(RunbookStepRole.SWITCH),
    spec.steps.map((s) => s.role).lastIndexOf(RunbookStepRole.PROMOTE));
  const at = after < 0 ? spec.steps.length : after + 1;
  return [...spec.steps.slice(0, at), new RecordActiveRegion(spec.activeRegion), ...spec.steps.slice(at)];
}

/** Writes this Region's name into its copy of the active-region parameter. */
class RecordActiveRegion extends RunbookStep {
  public readonly role = RunbookStepRole.SWITCH;
  public readonly description = 'record the active Region';
  /** @internal */
  public readonly _spec = { kind: 'recordActiveRegion' as const };

  constructor(private readonly activeRegion: ActiveRegion) {
    super();
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    const task = sdkTask(ctx, 'PutParameter', {
      service: 'ssm',
      action: 'putParameter',
      parameters: { Name: this.activeRegion.parameterName, Value: Stack.of(ctx.scope).region, Overwrite: true },
      iamResources: [this.activeRegion.parameterArn],
      read: false,
      errorPrefix: 'Ssm',
      timeout: Duration.seconds(30),
    });
    return { chain: sfn.Chain.start(task), terms: [] };
  }
}

/**
 * The model's view: every step's terms in order; a promotion's data loss counts only when no
 * RPO guard came before it (the guard bounds the loss).
 */
export function modelTerms(steps: BuiltStep[]): Term[] {
  const terms: Term[] = [];
  let guarded = false;
  for (const s of steps) {
    guarded ||= s.step.role === RunbookStepRole.RPO_GUARD;
    terms.push(...s.binding.terms.filter((t) => !(guarded && isData(t) && s.step.role !== RunbookStepRole.RPO_GUARD)));
    if (!guarded) {
      terms.push(...s.binding.unguardedData ?? []);
    }
  }
  return terms;
}

/**
 * The runbooks' function of the stack: it flips routing controls, checks URLs and records runs.
 * Its metrics go to the runbooks' namespaces only.
 */
function runbookFunction(scope: Construct, namespace: string): lambda.Function {
  const fn = stackSingleton(scope, 'CdkFailoverRunbookFunction', {}, (stack, id) => {
    // A role of its own that writes to its own log group only (no AWS managed policy).
    const logGroup = new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    const role = ownLogRole(stack, `${id}Role`, logGroup, 'cdk-failover runbooks\' function');
    return new RunbookFunction(stack, id, {
      description: 'cdk-failover runbooks: flips ARC routing controls, checks URLs, records runs',
      timeout: Duration.minutes(15),
      memorySize: 256,
      role,
      logGroup,
    });
  });
  allowMetricNamespace(fn, namespace);
  return fn;
}

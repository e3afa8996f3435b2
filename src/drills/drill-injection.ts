import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { FisExperiment } from './fis-experiment';
import { acknowledgeDrsDrill, checkSourceServerIds, drsRecoveryStates } from './private/drs-states';
import { BoundInjection, InjectionContext } from './private/injection-binding';
import {
  followChain, followTimeout, guarded, POLL_INTERVAL, RUNNING, runAndWait, runbookRef, sameStack, stopRunningExperiments,
} from './private/injection-states';
import { knownRegion } from '../private/region';
import { checkDuration, show } from '../private/validate';
import { FailbackRunbook } from '../runbooks/failback-runbook';
import { FailoverRunbook } from '../runbooks/failover-runbook';
import { sdkTask, pollUntil, resultPath, StepContext } from '../runbooks/private/step-context';

/** Options of `DrillInjection.fisExperiment`. */
export interface FisInjectionOptions {
  /** The experiment to start. It must be in the drill's stack. */
  readonly experiment: FisExperiment;

  /**
   * How long the drill waits for the experiment to end before it stops it and fails. Whole
   * seconds, 1 minute to 12 hours.
   *
   * @default - the experiment's fault duration plus 15 minutes
   */
  readonly timeout?: Duration;
}

/** Options of `DrillInjection.runbook`. */
export interface RunbookInjectionOptions {
  /** The failover runbook the drill starts. It must be in the drill's stack. */
  readonly failover: FailoverRunbook;

  /** The failback runbook that puts the primary back, after the drill or when it fails. */
  readonly failback: FailbackRunbook;

  /**
   * How long the drill waits for each runbook to end. Whole minutes, 1 minute to 12 hours.
   *
   * @default Duration.hours(2)
   */
  readonly timeout?: Duration;
}

/** Options of `DrillInjection.healthCheckInversion`: give exactly one of `healthCheck` and `healthCheckId`. */
export interface HealthCheckInversionOptions {
  /**
   * The health check of the primary that the drill inverts (so Route 53 sees it unhealthy). It
   * must be in the drill's stack; for one in another stack, give `healthCheckId`.
   *
   * @default - `healthCheckId` names it
   */
  readonly healthCheck?: route53.IHealthCheck;

  /**
   * The ID of the health check, for one another stack defines (a reference across stacks
   * would need an export, which regions never share).
   *
   * @default - `healthCheck` gives it
   */
  readonly healthCheckId?: string;

  /**
   * How long the check stays inverted when the drill has no measuring client (with one, the
   * drill reverts the inversion as soon as the client has seen the standby, or gave up).
   * Whole seconds, 1 minute to 1 hour.
   *
   * @default Duration.minutes(5)
   */
  readonly holdFor?: Duration;
}

/** Options of `DrillInjection.drsRecovery`. */
export interface DrsRecoveryInjectionOptions {
  /**
   * The DRS source servers the drill recovers, 1 to 200 IDs such as `s-1234567890abcdef0`. The
   * DRS agent makes them when it is installed, so they are given, not referenced. The drill
   * runs in the Region the servers replicate to: define it in that Region's stack.
   */
  readonly sourceServerIds: string[];

  /**
   * How long the drill waits for the recovery job to complete, and on restore for it to end
   * before it terminates the drill instances. Whole seconds, 1 minute to 12 hours.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
}

/**
 * The fault a `FailoverDrill` injects, and how it puts things back: every injection has a
 * restore that the drill runs whatever happened after the injection began.
 */
export class DrillInjection {
  /**
   * Starts an FIS experiment (`fis:StartExperiment`, idempotent by the execution's name), waits
   * for it to end, and stops it on restore if it still runs. An experiment stopped by one of
   * its stop conditions fails the drill: clients suffered more than the alarm allows.
   */
  public static fisExperiment(options: FisInjectionOptions): DrillInjection {
    const experiment = options.experiment;
    return new DrillInjection(`FIS experiment: ${experiment?.faults?.map((f) => f.description).join(', ') ?? show(experiment)}`, (ctx) => {
      if (!(experiment instanceof FisExperiment)) {
        ctx.problems.add(`\`injection.experiment\` must be a FisExperiment, got: ${show(experiment)}.`);
        return undefined;
      }
      sameStack(ctx, experiment, 'injection.experiment', 'the experiment template\'s ID');
      const timeout = followTimeout(ctx.problems, 'injection.timeout', options.timeout,
        Duration.seconds(experiment.faultDuration.toSeconds() + 15 * 60));
      const experiments = Stack.of(experiment).formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' });
      const start = sdkTask(ctx.inject, 'StartExperiment', {
        service: 'fis',
        action: 'startExperiment',
        parameters: { 'ExperimentTemplateId': experiment.experimentTemplateId, 'ClientToken.$': '$$.Execution.Name' },
        iamResources: [experiment.experimentTemplateArn, experiments],
        resultSelector: { 'experimentId.$': '$.Experiment.Id' },
        read: false,
        errorPrefix: 'Fis',
      });
      const read = (c: StepContext) => sdkTask(c, 'GetExperiment', {
        service: 'fis',
        action: 'getExperiment',
        parameters: { 'Id.$': `${resultPath(ctx.inject)}.experimentId` },
        iamResources: [experiments],
        resultSelector: { 'status.$': '$.Experiment.State.Status', 'reason.$': '$.Experiment.State' },
        read: true,
        errorPrefix: 'Fis',
      });
      const status = `${resultPath(ctx.follow)}.status`;
      const ended = ['completed', 'stopped', 'failed', 'cancelled'];
      const wait = pollUntil(ctx.follow, {
        what: 'experiment ended',
        read: read(ctx.follow),
        done: sfn.Condition.or(...ended.map((s) => sfn.Condition.stringEquals(status, s))),
        interval: POLL_INTERVAL,
        timeout,
      });
      const failed = new sfn.Pass(ctx.follow.scope, 'follow: experiment did not complete', {
        stateName: 'follow: experiment did not complete',
        parameters: {
          'Error': 'DrillExperimentNotCompleted',
          'Cause.$': `States.Format('the FIS experiment ended {}: {}', ${status}, States.JsonToString(${resultPath(ctx.follow)}.reason))`,
        },
        resultPath: '$.failure',
      }).next(ctx.follow.onFailure);
      const completed = new sfn.Pass(ctx.follow.scope, 'follow: experiment completed', { stateName: 'follow: experiment completed' });
      const check = new sfn.Choice(ctx.follow.scope, 'follow: experiment completed?', { stateName: 'follow: experiment completed?' })
        .when(sfn.Condition.stringEquals(status, 'completed'), completed)
        .otherwise(failed);
      // Restore: stop it if it was started and still runs (stopping an ended experiment is refused).
      const running = `${resultPath(ctx.restore)}.status`;
      const stop = sdkTask(ctx.restore, 'StopExperiment', {
        service: 'fis',
        action: 'stopExperiment',
        parameters: { 'Id.$': `${resultPath(ctx.inject)}.experimentId` },
        iamResources: [experiments],
        read: false,
        errorPrefix: 'Fis',
      });
      const stopped = new sfn.Pass(ctx.restore.scope, 'restore: experiment not running', { stateName: 'restore: experiment not running' });
      const readForRestore = read(ctx.restore);
      const restore = sfn.Chain.custom(readForRestore, [stop, stopped], readForRestore);
      readForRestore.next(new sfn.Choice(ctx.restore.scope, 'restore: experiment still running?', { stateName: 'restore: experiment still running?' })
        .when(sfn.Condition.or(...RUNNING.map((s) => sfn.Condition.stringEquals(running, s))), stop)
        .otherwise(stopped));
      const started = sfn.Condition.isPresent(`${resultPath(ctx.inject)}.experimentId`);
      return {
        inject: sfn.Chain.start(start),
        follow: followChain(wait, check, completed),
        // Without an ID the start call failed, maybe after FIS had started it: stop whatever of the template runs.
        restore: guarded(ctx, 'experiment started?', started, restore, stopRunningExperiments(ctx, experiment, experiments)),
        followSeconds: timeout.toSeconds(),
      };
    });
  }

  /**
   * Starts the failover runbook (`states:StartExecution`), waits for it to end, and on restore
   * stops it if it still runs and runs the failback runbook to its end: the drill leaves the
   * primary serving, as it found it. A failover that does not succeed fails the drill (and the
   * failback still runs).
   *
   * The failover runbook runs in the drill's Region; the failback runbook runs in the original
   * primary's Region. A runbook of another stack is found by its deterministic ARN: give it a
   * `stateMachineName`.
   */
  public static runbook(options: RunbookInjectionOptions): DrillInjection {
    return new DrillInjection('failover runbook, then failback', (ctx) => {
      const { failover, failback } = options;
      if (!(failover instanceof FailoverRunbook) || !(failback instanceof FailbackRunbook)) {
        ctx.problems.add('`injection.failover` and `injection.failback` must be a FailoverRunbook and a FailbackRunbook, '
          + `got: ${show(failover)} and ${show(failback)}.`);
        return undefined;
      }
      const timeout = followTimeout(ctx.problems, 'injection.timeout', options.timeout, Duration.hours(2));
      const forward = runbookRef(ctx, failover, 'injection.failover');
      const back = runbookRef(ctx, failback, 'injection.failback');
      if (!forward || !back) {
        return undefined;
      }
      if (forward.region !== undefined && forward.region !== knownRegion(ctx.scope)) {
        ctx.problems.add(`\`injection.failover\` runs in ${forward.region}, but the drill is in ${knownRegion(ctx.scope)}: a failover runbook runs in `
          + 'the Region it moves to, which is the one that survives the drill. Define the drill in that Region.');
      }
      // Inject and follow the failover; the restore stops it if it still runs, then runs the failback to its end.
      // The execution is named after the drill's, so the restore finds it even when the start call failed after starting it
      // (execution names are unique per state machine: docs/aws-facts.md#failover-drills).
      const follow = runAndWait(ctx.inject, ctx.follow, forward, 'failover', timeout, false);
      const nothing = new sfn.Pass(ctx.restore.scope, 'restore: no failover to undo', { stateName: 'restore: no failover to undo' });
      const readForRestore = sdkTask(ctx.restore, 'DescribeExecution (failover)', {
        service: 'sfn',
        action: 'describeExecution',
        iamAction: 'states:DescribeExecution',
        parameters: { 'ExecutionArn.$': `States.Format('${forward.executionPrefix}{}', $$.Execution.Name)` },
        iamResources: [forward.executions],
        resultSelector: { 'status.$': '$.Status', 'executionArn.$': '$.ExecutionArn' },
        read: true,
        errorPrefix: 'Sfn',
        region: forward.region,
        // The SDK integration names the error after the service; the cross-Region task's function reports the SDK v3 name
        // (docs/aws-facts.md#failover-drills).
        catches: [{ errors: [forward.region === undefined ? 'Sfn.ExecutionDoesNotExistException' : 'ExecutionDoesNotExist'], next: nothing }],
      });
      const stop = sdkTask(ctx.restore, 'StopExecution', {
        service: 'sfn',
        action: 'stopExecution',
        iamAction: 'states:StopExecution',
        parameters: { 'ExecutionArn.$': `${resultPath(ctx.restore)}.executionArn`, 'Cause': 'The drill is restoring: failing back.' },
        iamResources: [forward.executions],
        read: false,
        errorPrefix: 'Sfn',
        region: forward.region,
      });
      const fallback = runAndWait({ ...ctx.restore, id: 'failback' }, { ...ctx.restore, id: 'failback-wait' }, back, 'failback', timeout, true);
      readForRestore.next(new sfn.Choice(ctx.restore.scope, 'restore: failover still running?', { stateName: 'restore: failover still running?' })
        .when(sfn.Condition.stringEquals(`${resultPath(ctx.restore)}.status`, 'RUNNING'), stop)
        .otherwise(fallback.start));
      stop.next(fallback.start);
      return {
        inject: sfn.Chain.start(follow.start),
        follow: follow.wait,
        restore: sfn.Chain.custom(readForRestore, [...fallback.wait.endStates, nothing], readForRestore),
        followSeconds: timeout.toSeconds(),
      };
    });
  }

  /**
   * Inverts the primary's Route 53 health check (`route53:UpdateHealthCheck` with `Inverted`),
   * so Route 53 sees the primary unhealthy and answers with the secondary: the cheapest regional
   * drill, with nothing broken. Restore reverts the inversion. `UpdateHealthCheck` is a
   * control-plane call: right for a drill, never for a real failover (docs/aws-facts.md#failover-drills).
   */
  public static healthCheckInversion(options: HealthCheckInversionOptions): DrillInjection {
    return new DrillInjection('Route 53 health check inversion', (ctx) => {
      const { healthCheck, healthCheckId } = options;
      if ((healthCheck === undefined) === (healthCheckId === undefined)) {
        ctx.problems.add(`\`injection\` must give exactly one of \`healthCheck\` and \`healthCheckId\`, got ${healthCheck === undefined ? 'neither' : 'both'}.`);
        return undefined;
      }
      let id: string;
      if (healthCheck !== undefined) {
        sameStack(ctx, healthCheck, 'injection.healthCheck', 'the health check\'s ID');
        id = healthCheck.healthCheckId;
      } else {
        id = healthCheckId!;
        if (typeof id !== 'string' || (!Token.isUnresolved(id) && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))) {
          ctx.problems.add(`\`injection.healthCheckId\` must be a Route 53 health check ID (a UUID such as 0a1b2c3d-...), got: ${show(id)}.`);
          return undefined;
        }
      }
      const holdFor = checkDuration(ctx.problems, 'injection.holdFor', options.holdFor, {
        unit: 'seconds', min: 60, max: 3600, literal: 'the drill waits for it', fix: 'Give e.g. Duration.minutes(5).',
      });
      const arn = `arn:${Stack.of(ctx.scope).partition}:route53:::healthcheck/${id}`;
      const invert = (c: StepContext, inverted: boolean) => sdkTask(c, inverted ? 'Invert health check' : 'Revert health check', {
        service: 'route53',
        action: 'updateHealthCheck',
        parameters: { HealthCheckId: id, Inverted: inverted },
        iamResources: [arn],
        read: false,
        errorPrefix: 'Route53',
      });
      const hold = new sfn.Wait(ctx.follow.scope, 'follow: hold the inversion', {
        stateName: 'follow: hold the inversion',
        time: sfn.WaitTime.duration(options.holdFor ?? Duration.minutes(5)),
      });
      return {
        inject: sfn.Chain.start(invert(ctx.inject, true)),
        follow: ctx.measured ? undefined : sfn.Chain.start(hold),
        // Reverting is safe whether or not the inversion happened: it is the check's normal state.
        restore: sfn.Chain.start(invert(ctx.restore, false)),
        followSeconds: ctx.measured ? 0 : holdFor ?? 300,
      };
    });
  }

  /**
   * Recovers DRS source servers as a drill (`drs:StartRecovery` with `isDrill`), polls
   * `DescribeJobs` until the job completes (DRS sends no event for it), and fails when a server
   * did not launch. Restore waits for the job to end, then terminates every drill instance of the
   * servers (`TerminateRecoveryInstances`), whatever happened: DRS never cleans drill instances
   * up, and they cost money until terminated. Instances of a real recovery are never touched.
   */
  public static drsRecovery(options: DrsRecoveryInjectionOptions): DrillInjection {
    const count = Array.isArray(options?.sourceServerIds) ? options.sourceServerIds.length : 0;
    return new DrillInjection(`DRS recovery drill of ${count} source server${count === 1 ? '' : 's'}`, (ctx) => {
      const ids = checkSourceServerIds(ctx, options.sourceServerIds);
      const timeout = followTimeout(ctx.problems, 'injection.timeout', options.timeout, Duration.hours(1));
      if (!ids) {
        return undefined;
      }
      acknowledgeDrsDrill(ctx.scope);
      return drsRecoveryStates(ctx, ids, timeout);
    });
  }

  /** What the drill injects, in words. */
  public readonly description: string;

  private constructor(description: string, private readonly bindTo: (ctx: InjectionContext) => BoundInjection | undefined) {
    this.description = description;
  }

  /**
   * The injection's states in the drill's state machine; undefined when a problem was reported.
   *
   * @internal
   */
  public _bind(ctx: InjectionContext): BoundInjection | undefined {
    return this.bindTo(ctx);
  }
}

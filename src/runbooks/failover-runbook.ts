import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { BuiltStep, buildRunbook, modelTerms, validateRunbookSpec } from './private/build-runbook';
import { RUNBOOK_ASSUMPTIONS, runbookPath, triggerTerms } from './private/runbook-path';
import { RunbookOptions } from './runbook-options';
import { RunbookStep, RunbookStepRole } from './runbook-step';
import { RecoveryEstimate } from '../objectives/estimate';
import { Term } from '../objectives/model/term';
import { IRecoveryPathProvider, RecoveryPath } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { checkAssumptions } from '../private/assumptions';
import { Problems } from '../private/errors';
import { isRegionName } from '../private/region';
import { show } from '../private/validate';

/**
 * Properties of `FailoverRunbook`.
 */
export interface FailoverRunbookProps extends RunbookOptions {
  /**
   * The steps, in the order they run. The runbook checks the order that keeps a single writer:
   * an `RpoGuard` before anything changes, a `Fence` before a promotion that can lose data, the
   * promotion before the traffic switch, the verification after it.
   */
  readonly steps: RunbookStep[];

  /** The Region the runbook moves away from: the failed primary. The runbook runs in the stack's Region, the recovery Region. */
  readonly fromRegion: string;

  /**
   * An alarm that starts the runbook by itself when it goes into ALARM (an EventBridge rule).
   * Automation fails over faster than a person, and also on a false alarm: use an alarm that
   * means "the Region is lost" (several signals, `CompositeAlarm`), not a single flapping check.
   *
   * @default - started by a person (`aws stepfunctions start-execution`)
   */
  readonly startOnAlarm?: cloudwatch.IAlarm;
}

/**
 * A failover runbook: a Step Functions state machine in the recovery Region that runs the steps
 * of a Regional failover in order, each with its timeout, retries and a defined end on failure,
 * and records the run (`RunbookDuration` and `StepDuration` metrics, an execution summary).
 *
 * Execution input: `{}` for a normal run; `{ "allowDataLoss": true }` to go on past an RPO
 * guard that refuses; `{ "allowUnfenced": true }` to go on past a fence that cannot reach the
 * old Region (say so only when that Region is known to be down).
 *
 * The invariant: a run never leaves two writers. The steps run in the order given, checked at
 * synth (guard, fence, promote, switch, verify); any failure ends the run in `Failed` (or
 * `Refused`) at the step that failed, and nothing runs after it. So a run that promoted the
 * data had fenced the old primary first, and one that failed stopped before the next step.
 *
 * The runbook is a recovery path in the failover report: its steps' terms in series, after the
 * decision (a person's, or the alarm's detection).
 *
 * @exampleMetadata fixture=runbook
 * @example
 * new FailoverRunbook(this, 'Failover', {
 *   fromRegion: 'us-east-1',
 *   steps: [
 *     RpoGuard.alarm({ alarm: lagAlarm, maxLag: Duration.seconds(30) }),
 *     Fence.routingControl({ controls, region: 'us-east-1' }),
 *     PromoteData.auroraGlobalFailover({
 *       globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west',
 *       primaryClusterIdentifier: 'orders-east', primaryRegion: 'us-east-1',
 *     }),
 *     ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 6 }),
 *     WaitHealthy.targetGroup({ targetGroup, minimumHealthy: 6 }),
 *     SwitchTraffic.routingControls({ controls, region: 'us-west-2' }),
 *     VerifyRecovery.http({ url: 'https://app.example.com/health', header: { name: 'x-region', value: 'us-west-2' } }),
 *   ],
 * });
 */
export class FailoverRunbook extends Construct implements IRecoveryPathProvider {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The Region the runbook moves away from. */
  public readonly fromRegion: string;

  private readonly pathTerms: Term[];
  private readonly stepIds: string[];
  private readonly builtSteps: BuiltStep[];

  constructor(scope: Construct, id: string, private readonly props: FailoverRunbookProps) {
    super(scope, id);
    const problems = new Problems(this);
    if (!isRegionName(props.fromRegion)) {
      problems.add(`\`fromRegion\` must be a Region name such as us-east-1, got: ${show(props.fromRegion)}. Give the failed primary's Region.`);
    }
    const spec = { kind: 'failover' as const, ...props, assumptions: props.assumptions };
    validateRunbookSpec(problems, this, spec);
    checkAssumptions(problems, props.assumptions, RUNBOOK_ASSUMPTIONS);
    problems.throwIfAny();

    this.fromRegion = props.fromRegion;
    const built = buildRunbook(this, spec);
    this.stateMachine = built.stateMachine;
    this.pathTerms = built.terms;
    this.stepIds = built.steps.map((s) => s.id);
    this.builtSteps = built.steps;
    FailoverReport.of(this);
    if (props.startOnAlarm) {
      this.startOn(props.startOnAlarm);
    }
  }

  /**
   * Lets `grantee` start the runbook (and read its executions).
   */
  public grantStart(grantee: iam.IGrantable): iam.Grant {
    const grant = this.stateMachine.grantStartExecution(grantee);
    this.stateMachine.grantRead(grantee);
    return grant;
  }

  /** The failover as a recovery path: the decision, then every step. */
  public recoveryPaths(): RecoveryPath[] {
    return [runbookPath(this, {
      id: 'failover',
      fromRegion: this.fromRegion,
      toRegion: Stack.of(this).region,
      terms: [...triggerTerms(this, this.props.startOnAlarm, this.props.assumptions), ...this.pathTerms],
      steps: this.stepIds,
      failback: false,
    })];
  }

  /**
   * @internal The time until clients are served again: what starts the runbook, then its steps
   * up to the last traffic switch (steps after it, such as scaling out a warm standby to full
   * capacity, are not on the way); every step when none switches traffic.
   */
  public _servedEstimate(): RecoveryEstimate {
    const lastSwitch = this.builtSteps.map((s) => s.step.role).lastIndexOf(RunbookStepRole.SWITCH);
    const steps = lastSwitch < 0 ? this.builtSteps : this.builtSteps.slice(0, lastSwitch + 1);
    return RecoveryEstimate._fromModel([...triggerTerms(this, this.props.startOnAlarm, this.props.assumptions), ...modelTerms(steps)]);
  }

  /** An EventBridge rule that starts the runbook when the alarm goes into ALARM. */
  private startOn(alarm: cloudwatch.IAlarm): void {
    new events.Rule(this, 'StartOnAlarm', {
      description: `Starts the failover runbook when ${alarm.alarmName} goes into ALARM.`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [alarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [new targets.SfnStateMachine(this.stateMachine, { input: events.RuleTargetInput.fromObject({}) })],
    });
  }
}

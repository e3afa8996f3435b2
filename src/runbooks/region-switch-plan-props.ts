import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RunbookStep } from './runbook-step';

/**
 * Properties of `RegionSwitchPlan`.
 */
export interface RegionSwitchPlanProps {
  /**
   * The plan's name: 1 to 32 letters, digits or hyphens, starting and ending with a letter or
   * digit (docs/aws-facts.md#arc-region-switch). It is also in the plan's ARN, which the roles'
   * policies are scoped to.
   */
  readonly planName: string;

  /** The Region the application runs in: the plan's primary Region. */
  readonly primaryRegion: string;

  /** The standby Region the failover activates. A plan has exactly two Regions: this and `primaryRegion`. */
  readonly standbyRegion: string;

  /**
   * The failover steps, the same a `FailoverRunbook` takes: they become the workflow that
   * activates `standbyRegion`, one execution block per step, in order. Steps that have no block
   * (`RpoGuard`, `Fence.ecsService`, `WaitHealthy`, `VerifyRecovery`) are rejected at synth with
   * what to do. Each step's `timeout`, when given, becomes its block's timeout (whole minutes,
   * rounded up); otherwise the block's own default applies (60 minutes).
   */
  readonly failoverSteps: RunbookStep[];

  /**
   * Whether to leave out the steps that cannot be an execution block (an `RpoGuard`, a
   * `WaitHealthy`, a `VerifyRecovery`, a routing-control fence under an assertion rule...) rather
   * than fail: the same step list then feeds both the runbook and the plan. The plan warns with
   * the steps it left out (`cdk-failover:region-switch-steps-omitted`), and its path in the
   * report has no term for them (no guard: the whole replication lag counts as data loss).
   *
   * @default false - a step with no block fails synth, with what to do
   */
  readonly omitStepsWithoutBlock?: boolean;

  /**
   * The failback steps, the same a `FailbackRunbook` takes: the workflow that activates
   * `primaryRegion` again.
   *
   * @default - no workflow activates the primary Region
   */
  readonly failbackSteps?: RunbookStep[];

  /**
   * The plan's recovery time objective: whole minutes, 1 to 10,080 (7 days). Region switch
   * shows each execution's actual recovery time against it.
   *
   * @default - the RTO of the nearest `RecoveryObjectives`, rounded up to whole minutes (required
   * when there is none)
   */
  readonly recoveryTimeObjective?: Duration;

  /**
   * The role Region switch assumes to run the blocks (its trust policy must allow
   * `arc-region-switch.amazonaws.com`). The plan adds the blocks' permissions to it.
   *
   * @default - a role trusted by Region switch, with the permissions of the blocks only, scoped
   * to their resources' ARNs
   */
  readonly executionRole?: iam.IRole;

  /**
   * The role a person assumes to approve `ManualApproval` steps
   * (`arc-region-switch:ApprovePlanExecutionStep`). The steps' SNS topics are not used: Region
   * switch shows the approval in its console and API.
   *
   * @default - when a step needs it, a role that principals of this account may assume (with
   * `sts:AssumeRole` allowed to them), allowed to approve this plan's steps only
   */
  readonly approvalRole?: iam.IRole;

  /**
   * The ECS service in the other Region that each `ScaleCapacity.ecsService` step's service
   * matches, as `<cluster>/<service>` by the step's `<cluster>/<service>`. Region switch's ECS
   * block scales the activated Region's service to 100 % of what the other Region's ran at most
   * in the last 24 hours (not to the step's `desiredCount`).
   *
   * @default - the same cluster and service names in the other Region
   */
  readonly ecsServiceCounterparts?: { [service: string]: string };

  /**
   * An alarm that starts the failover by itself: a Region switch trigger runs the workflow that
   * activates `standbyRegion` once the alarm is in ALARM ("red"). Automation fails over faster
   * than a person, and also on a false alarm: use an alarm that means "the Region is lost"
   * (several signals, a `CompositeAlarm`). The failback is never triggered.
   *
   * @default - started by a person
   */
  readonly startOnAlarm?: cloudwatch.IAlarm;

  /**
   * The least time between two runs that `startOnAlarm` starts: whole minutes, at least 1. Long
   * by default, so an alarm that stays red does not start the plan again and again.
   *
   * @default Duration.days(1)
   */
  readonly minTimeBetweenTriggeredRuns?: Duration;

  /**
   * Alarms that say whether the application is healthy, which Region switch uses to tell an
   * execution's actual recovery time (associated alarms of type `applicationHealth`).
   *
   * @default - none
   */
  readonly applicationHealthAlarms?: cloudwatch.IAlarm[];

  /**
   * The plan's description.
   *
   * @default - "Failover from <primary> to <standby>, generated from the runbook steps"
   */
  readonly description?: string;

  /**
   * Values that replace the defaults of the named assumptions of the blocks, by id, e.g.
   * `{ operatorResponse: Duration.minutes(5), globalDatabaseFailover: Duration.minutes(2) }`.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

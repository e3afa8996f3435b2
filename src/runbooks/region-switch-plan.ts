import { Annotations, ArnFormat, CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { blockIds, BlockContext, mapStep, MappedBlock } from './private/region-switch-blocks';
import { RUNBOOK_ASSUMPTIONS, runbookPath, triggerTerms } from './private/runbook-path';
import { RegionSwitchPlanProps } from './region-switch-plan-props';
import { RunbookStep, RunbookStepRole } from './runbook-step';
import { PromoteData } from './steps/promote-data';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { REGION_SWITCH_MAX_NAME, REGION_SWITCH_RTO_MINUTES, triggerStart } from '../objectives/model/region-switch';
import { plannedStart } from '../objectives/model/runbook';
import { Term } from '../objectives/model/term';
import { RecoveryObjectives } from '../objectives/objectives';
import { IRecoveryPathProvider, RecoveryPath } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { acknowledgeFindings } from '../private/nag';
import { isRegionName } from '../private/region';
import { checkDuration, show } from '../private/validate';

/**
 * An ARC Region switch plan (`AWS::ARCRegionSwitch::Plan`) built from the same runbook steps as
 * a `FailoverRunbook` (and a `FailbackRunbook`), for teams that prefer the managed service: an
 * active/passive plan over two Regions whose workflows activate the standby (the failover
 * steps) and the primary again (the failback steps), one execution block per step.
 *
 * Step to block:
 * - `Fence.routingControl`, `SwitchTraffic.routingControls`: `ARCRoutingControl`, the states keyed
 *   by the Region the workflow activates. The routing controls must be in this plan's stack (no
 *   cross-stack export). A block cannot override safety rules, so a fence is refused when the
 *   controls have the "at least one On" assertion rule.
 * - `PromoteData.auroraGlobalSwitchover`: `AuroraGlobalDatabase`, behavior `switchoverOnly`;
 *   `auroraGlobalFailover`: behavior `failover` (data loss), also in ungraceful runs.
 * - `PromoteData.readReplica`: `RdsPromoteReadReplica`.
 * - `ScaleCapacity.ecsService`: `ECSServiceScaling`, 100 % of the other Region's tasks.
 * - `ManualApproval.snsTopic`: `ManualApproval`, with the approval role.
 * - `RpoGuard`, `Fence.ecsService`, `WaitHealthy`, `VerifyRecovery`: no block does the same;
 *   rejected at synth.
 *
 * The order rules of the runbooks that a plan can keep are checked: the promotion before the
 * switch, no data loss in a failback; a promotion that can lose data with no fence before it is
 * a warning. A plan has no block that writes the `ActiveRegion` parameter: after a plan run,
 * record the new active Region yourself before the next `cdk deploy`, or keep the runbook.
 *
 * The plan is a recovery path in the failover report: a person's decision to run it (or the
 * trigger's alarm), then the blocks' terms in series (docs/aws-facts.md#arc-region-switch). With
 * no RPO guard block, a promotion that can lose data counts the whole replication lag.
 *
 * @exampleMetadata fixture=runbook
 * @example
 * new RegionSwitchPlan(this, 'Plan', {
 *   planName: 'orders',
 *   primaryRegion: 'us-east-1',
 *   standbyRegion: 'us-west-2',
 *   recoveryTimeObjective: Duration.minutes(30),
 *   failoverSteps: [
 *     PromoteData.auroraGlobalFailover({
 *       globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west',
 *       primaryClusterIdentifier: 'orders-east', primaryRegion: 'us-east-1',
 *     }),
 *     ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 6 }),
 *     SwitchTraffic.routingControls({ controls, region: 'us-west-2' }),
 *   ],
 * });
 */
export class RegionSwitchPlan extends Construct implements IRecoveryPathProvider {
  /** The plan. */
  public readonly plan: arcregionswitch.CfnPlan;
  /** The plan's ARN. */
  public readonly planArn: string;
  /** The role Region switch assumes to run the blocks. */
  public readonly executionRole: iam.IRole;
  /**
   * The role that approves `ManualApproval` steps.
   *
   * @default - none: no step needs it
   */
  public readonly approvalRole?: iam.IRole;
  /** The plan's recovery time objective, in minutes. */
  public readonly recoveryTimeObjectiveMinutes: number;

  private readonly workflows: { failback: boolean; ids: string[]; terms: Term[] }[] = [];
  private start?: Term[];

  constructor(scope: Construct, id: string, private readonly props: RegionSwitchPlanProps) {
    super(scope, id);
    const problems = new Problems(this);
    this.validate(problems, props);
    checkAssumptions(problems, props.assumptions, PLAN_ASSUMPTIONS);
    const minDelay = this.triggerDelay(problems, props);
    const rto = this.objective(problems, props.recoveryTimeObjective);

    // The roles exist before the blocks are mapped (an approval block takes its role's ARN); any problem throws before the plan exists.
    const createdRole = props.executionRole === undefined;
    this.executionRole = props.executionRole ?? new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com'),
      description: `Runs the blocks of the Region switch plan ${props.planName}`,
    });
    const given = (a: RecoveryAssumption) => givenAssumption(this, props.assumptions, a);
    const blocks: MappedBlock[] = [];
    const workflows: arcregionswitch.CfnPlan.WorkflowProperty[] = [];
    const sets = [
      { prop: 'failoverSteps', steps: props.failoverSteps, target: props.standbyRegion, source: props.primaryRegion, failback: false },
      ...props.failbackSteps ? [{ prop: 'failbackSteps', steps: props.failbackSteps, target: props.primaryRegion, source: props.standbyRegion, failback: true }] : [],
    ];
    for (const set of sets) {
      if (set.steps.length === 0) {
        problems.add(`\`${set.prop}\` must hold at least one step; got none. Give the steps in order, e.g. `
          + '[PromoteData.auroraGlobalSwitchover(...), SwitchTraffic.routingControls(...)].');
        continue;
      }
      const ids = blockIds(set.steps);
      const omitted = props.omitStepsWithoutBlock ? [] as string[] : undefined;
      const mapped = set.steps.map((step, i) => mapStep(this.blockContext(problems, `${set.prop}[${i}]`, ids[i], set.target, set.source, given, omitted), step));
      if (omitted && omitted.length > 0) {
        Annotations.of(this).addWarningV2('cdk-failover:region-switch-steps-omitted',
          `The plan leaves out ${omitted.length} step(s) of \`${set.prop}\` that cannot be a Region switch execution block: ${omitted.join('; ')}. `
          + 'The plan runs without them; the Step Functions runbook keeps them.');
      }
      const ok = mapped.filter((m): m is MappedBlock => m !== undefined);
      this.checkOrder(problems, set.prop, set.steps, set.failback, (i) => mapped[i] !== undefined);
      if (omitted && ok.length === 0 && omitted.length === set.steps.length) {
        problems.add(`\`${set.prop}\` has no step that can be a Region switch execution block: a plan's workflow needs at least one. `
          + 'Give a routing-control switch, a database promotion, an ECS scaling or an approval step.');
      }
      blocks.push(...ok);
      workflows.push({
        workflowTargetAction: 'activate',
        workflowTargetRegion: set.target,
        workflowDescription: `${set.failback ? 'Failback' : 'Failover'} to ${set.target}: ${set.steps.map((s) => s.description).join('; ')}`.slice(0, 1000),
        steps: ok.map((m) => m.step),
      });
      this.workflows.push({ failback: set.failback, ids, terms: ok.flatMap((m) => m.terms) });
    }
    problems.throwIfAny();

    this.plan = new arcregionswitch.CfnPlan(this, 'Resource', {
      name: props.planName,
      description: props.description ?? `Failover from ${props.primaryRegion} to ${props.standbyRegion}, generated from the runbook steps`,
      primaryRegion: props.primaryRegion,
      regions: [props.primaryRegion, props.standbyRegion],
      recoveryApproach: 'activePassive',
      recoveryTimeObjectiveMinutes: rto,
      executionRole: this.executionRole.roleArn,
      workflows,
      ...this.alarms(props, minDelay),
    });
    this.planArn = this.plan.attrArn;
    this.recoveryTimeObjectiveMinutes = rto ?? 0;
    this.approvalRole = this.node.tryFindChild('ApprovalRole') as iam.IRole | undefined ?? props.approvalRole;
    this.grantBlocks(blocks, createdRole);
    FailoverReport.of(this);
    if (props.recoveryTimeObjective !== undefined) {
      this.checkModelAgainstRto();
    }
  }

  /** The failover (and failback) as recovery paths: a person (or the trigger) starts the plan, then every block in order. */
  public recoveryPaths(): RecoveryPath[] {
    return this.workflows.map((w) => runbookPath(this, {
      id: w.failback ? 'failback' : 'failover',
      fromRegion: w.failback ? this.props.standbyRegion : this.props.primaryRegion,
      toRegion: w.failback ? this.props.primaryRegion : this.props.standbyRegion,
      terms: [...w.failback ? [plannedStart()] : this.startTerms(), ...w.terms],
      steps: w.ids,
      failback: w.failback,
    }));
  }

  /**
   * Lets `grantee` run the plan: start an execution, follow it, change it (graceful to
   * ungraceful) or cancel it. Approving a manual approval step is the approval role's.
   */
  public grantStart(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'arc-region-switch:StartPlanExecution', 'arc-region-switch:GetPlan', 'arc-region-switch:GetPlanEvaluationStatus',
        'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutions', 'arc-region-switch:ListPlanExecutionEvents',
        'arc-region-switch:UpdatePlanExecution', 'arc-region-switch:CancelPlanExecution',
      ],
      resourceArns: [this.planArnPattern()],
    });
  }

  /**
   * The runbooks' order rules that a plan can keep: the promotion before the switch; a failback
   * loses no data. A promotion that can lose data with no fence before it is a warning: a plan
   * cannot fence with the "at least one On" rule in place, so the switch is the fence.
   */
  private checkOrder(problems: Problems, prop: string, steps: RunbookStep[], failback: boolean, kept: (i: number) => boolean): void {
    const roles = steps.map((s) => s.role);
    const name = (i: number) => `\`${prop}[${i}]\` (${steps[i].description})`;
    const promote = roles.lastIndexOf(RunbookStepRole.PROMOTE);
    const switched = roles.indexOf(RunbookStepRole.SWITCH);
    if (promote >= 0 && switched >= 0 && promote > switched) {
      problems.add(`${name(promote)} must come before ${name(switched)}: traffic must reach the new side after its data accepts writes. Reorder \`${prop}\`.`);
    }
    const lossy = steps.findIndex((s) => s instanceof PromoteData && !s.lossless);
    if (lossy < 0) {
      return;
    }
    if (failback) {
      problems.add(`${name(lossy)} can lose data; a failback is planned and must not: use PromoteData.auroraGlobalSwitchover(...), which waits `
        + 'until the old primary has every write.');
    } else if (!roles.slice(0, lossy).some((r, i) => r === RunbookStepRole.FENCE && kept(i))) {
      Annotations.of(this).addWarningV2('cdk-failover:plan-unfenced-promotion',
        `${name(lossy)} makes a new writer while the old primary still gets traffic: until the switch, clients of the old primary may write `
        + 'what the new writer never sees. Put the switch right after the promotion, fence first (Fence.routingControl with controls built with '
        + '`assertionRule: false`), or keep the Step Functions runbook, whose fence overrides the safety rule.');
    }
  }

  /**
   * A plan whose modeled failover takes longer than its own RTO: Region switch would report
   * every execution as late. (An RTO taken from `RecoveryObjectives` is checked by the report.)
   */
  private checkModelAgainstRto(): void {
    const failover = this.workflows.find((w) => !w.failback);
    const worst = failover ? RecoveryEstimate._fromModel([...this.startTerms(), ...failover.terms]) : undefined;
    const seconds = worst?.rtoWorst?.toSeconds();
    if (seconds !== undefined && seconds > this.recoveryTimeObjectiveMinutes * 60) {
      const dominant = worst!.dominantTerm;
      Annotations.of(this).addWarningV2('cdk-failover:plan-rto-model',
        `the modeled worst-case failover (${Duration.seconds(seconds).toHumanString()}) is longer than \`recoveryTimeObjective\` `
        + `(${this.recoveryTimeObjectiveMinutes} min), so Region switch would report executions as late`
        + (dominant ? `; the longest term: ${dominant.kind.label} up to ${dominant.max.toHumanString()} (${dominant.basis})` : '')
        + '. Shorten the steps (see the report), or set the objective the plan can meet.');
    }
  }

  /** What starts the failover: a person, or the trigger's alarm and the trigger (computed once: an imported alarm warns). */
  private startTerms(): Term[] {
    if (this.start === undefined) {
      this.start = this.computeStartTerms();
    }
    return this.start;
  }

  private computeStartTerms(): Term[] {
    const alarm = this.props.startOnAlarm;
    const terms = triggerTerms(this, alarm, this.props.assumptions);
    if (alarm === undefined) {
      return terms;
    }
    // The alarm's periods as the runbooks model them; the start is Region switch's trigger, not EventBridge.
    return [...terms.filter((t) => t.id !== 'runbook-automatic-start'),
      triggerStart(givenAssumption(this, this.props.assumptions, RecoveryAssumption.REGION_SWITCH_TRIGGER))];
  }

  /**
   * The associated alarms (keyed by the alarm's name when it is known at synth) and the trigger;
   * the execution role reads them.
   */
  private alarms(props: RegionSwitchPlanProps, minDelay: number): Partial<arcregionswitch.CfnPlanProps> {
    const entries: [string, string, cloudwatch.IAlarm][] = [
      ...(props.applicationHealthAlarms ?? []).map((a, i): [string, string, cloudwatch.IAlarm] => [alarmKey(a, `health-${i + 1}`), 'applicationHealth', a]),
      ...props.startOnAlarm ? [[alarmKey(props.startOnAlarm, 'trigger'), 'trigger', props.startOnAlarm] as [string, string, cloudwatch.IAlarm]] : [],
    ];
    if (entries.length === 0) {
      return {};
    }
    this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      resources: entries.map(([, , a]) => a.alarmArn),
    }));
    const trigger = entries.find(([, type]) => type === 'trigger');
    if (trigger) {
      // Region switch starts a triggered run as the execution role (docs/aws-facts.md#arc-region-switch).
      this.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['arc-region-switch:StartPlanExecution'], resources: [this.planArnPattern()] }));
    }
    return {
      associatedAlarms: Object.fromEntries(entries.map(([key, alarmType, a]) => [key, { alarmType, resourceIdentifier: a.alarmArn }])),
      ...trigger ? {
        triggers: [{
          action: 'activate',
          targetRegion: props.standbyRegion,
          description: `Fails over to ${props.standbyRegion} when ${trigger[0]} is in ALARM`,
          conditions: [{ associatedAlarmName: trigger[0], condition: 'red' }],
          minDelayMinutesBetweenExecutions: minDelay,
        }],
      } : {},
    };
  }

  /** The least minutes between triggered runs. */
  private triggerDelay(problems: Problems, props: RegionSwitchPlanProps): number {
    const given = props.minTimeBetweenTriggeredRuns;
    if (given !== undefined && props.startOnAlarm === undefined) {
      problems.add('`minTimeBetweenTriggeredRuns` is set, but no `startOnAlarm` starts the plan. Remove it, or give the alarm that starts the plan.');
    }
    const seconds = checkDuration(problems, 'minTimeBetweenTriggeredRuns', given, {
      unit: 'seconds', min: 60, literal: 'the plan needs it in minutes at synth', fix: 'Give whole minutes, e.g. Duration.hours(1).',
    });
    if (seconds !== undefined && seconds % 60 !== 0) {
      problems.add(`\`minTimeBetweenTriggeredRuns\` must be whole minutes, got: ${show(given)}.`);
    }
    return seconds === undefined ? 1440 : Math.ceil(seconds / 60);
  }

  /** The plan's ARN with any version suffix: what its roles' policies are scoped to (no reference to the plan, so no cycle). */
  private planArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'arc-region-switch', region: '', resource: 'plan', resourceName: `${this.props.planName}:*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  private blockContext(problems: Problems, prop: string, id: string, target: string, source: string,
    given: BlockContext['given'], omitted?: string[]): BlockContext {
    return {
      omitted,
      scope: this,
      problems,
      prop,
      id,
      targetRegion: target,
      sourceRegion: source,
      given,
      ecsCounterparts: this.props.ecsServiceCounterparts ?? {},
      approvalRole: () => this.props.approvalRole ?? this.ensureApprovalRole(),
    };
  }

  private ensureApprovalRole(): iam.IRole {
    const existing = this.node.tryFindChild('ApprovalRole') as iam.Role | undefined;
    if (existing) {
      return existing;
    }
    const role = new iam.Role(this, 'ApprovalRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Approves the manual approval steps of the Region switch plan ${this.props.planName}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['arc-region-switch:ApprovePlanExecutionStep'], resources: [this.planArnPattern()] }));
    suppressWildcards(role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource, false);
    return role;
  }

  /** The execution role's permissions: what Region switch needs for any plan, then each block's, scoped to ARNs. */
  private grantBlocks(blocks: MappedBlock[], createdRole: boolean): void {
    const role = this.executionRole;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:SimulatePrincipalPolicy'], resources: [role.roleArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['arc-region-switch:GetPlan', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutions'],
      resources: [this.planArnPattern()],
    }));
    for (const statement of blocks.flatMap((b) => b.statements)) {
      role.addToPrincipalPolicy(statement);
    }
    if (createdRole) {
      // Region switch evaluates the plan with the role as soon as it exists: give the role its permissions first.
      const policy = role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
      this.plan.addDependency(policy);
      suppressWildcards(policy, blocks.some((b) => b.wildcard));
    }
  }

  /** The plan's RTO in whole minutes: as given, else the nearest objectives' RTO rounded up. */
  private objective(problems: Problems, given: Duration | undefined): number | undefined {
    const { min, max } = REGION_SWITCH_RTO_MINUTES;
    if (given !== undefined) {
      const seconds = checkDuration(problems, 'recoveryTimeObjective', given, {
        unit: 'seconds',
        min: min * 60,
        max: max * 60,
        literal: 'the plan needs it in minutes at synth',
        fix: 'Give whole minutes from 1 minute to 7 days, e.g. Duration.minutes(30).',
      });
      if (seconds !== undefined && seconds % 60 !== 0) {
        problems.add(`\`recoveryTimeObjective\` must be whole minutes, got: ${show(given)}. Give e.g. Duration.minutes(${Math.ceil(seconds / 60)}).`);
        return undefined;
      }
      return seconds === undefined ? undefined : seconds / 60;
    }
    const objectives = RecoveryObjectives.of(this);
    if (objectives === undefined) {
      problems.add('`recoveryTimeObjective` is required when no RecoveryObjectives is declared above the plan. Give e.g. Duration.minutes(30), or declare '
        + 'RecoveryObjectives with an rto on the app or stack.');
      return undefined;
    }
    const minutes = Math.max(min, Math.ceil(objectives.rto.toMilliseconds({ integral: false }) / 60_000));
    if (minutes > max) {
      problems.add(`the RTO of ${objectives.node.path} (${show(objectives.rto)}) is over the ${max} minutes (7 days) a Region switch plan allows. `
        + 'Give `recoveryTimeObjective` of at most Duration.days(7).');
      return undefined;
    }
    return minutes;
  }

  private validate(problems: Problems, props: RegionSwitchPlanProps): void {
    const name = props.planName;
    if (!Token.isUnresolved(name) && !(typeof name === 'string' && name.length <= REGION_SWITCH_MAX_NAME && /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(name))) {
      problems.add(`\`planName\` must be 1 to ${REGION_SWITCH_MAX_NAME} letters, digits or hyphens, starting and ending with a letter or digit, got: ${show(name)}. `
        + 'Give e.g. `orders-failover`.');
    } else if (Token.isUnresolved(name)) {
      problems.add('`planName` is a deploy-time Token, but the roles\' policies are scoped to the plan\'s ARN, which holds the name. Give a literal name.');
    }
    for (const prop of ['primaryRegion', 'standbyRegion'] as const) {
      if (!isRegionName(props[prop])) {
        problems.add(`\`${prop}\` must be a Region name such as us-east-1, got: ${show(props[prop])}. A plan has exactly two Regions: the primary and the standby.`);
      }
    }
    if (props.primaryRegion === props.standbyRegion) {
      problems.add(`\`standbyRegion\` must differ from \`primaryRegion\`, both are ${show(props.primaryRegion)}. A plan has exactly two Regions.`);
    }
  }
}

/** Every assumption a plan's blocks and start may take. */
const PLAN_ASSUMPTIONS = [...RUNBOOK_ASSUMPTIONS, RecoveryAssumption.REGION_SWITCH_TRIGGER];

/** An associated alarm's key: its name when known at synth (an imported alarm's, or a created alarm's `alarmName`), else a fixed one. */
function alarmKey(alarm: cloudwatch.IAlarm, fallback: string): string {
  const cfn = alarm.node.defaultChild;
  const name = !Token.isUnresolved(alarm.alarmName) ? alarm.alarmName : cfn instanceof cloudwatch.CfnAlarm ? cfn.alarmName : undefined;
  return name === undefined || Token.isUnresolved(name) ? fallback : name;
}

/**
 * The cdk-nag findings (AwsSolutions-IAM5) of the roles' wildcards, acknowledged with their reason
 * in the metadata cdk-nag reads (no dependency on cdk-nag): the plan's ARN ends in a version
 * suffix that Region switch generates, and the blocks' reads are on `*` as the docs give them.
 */
function suppressWildcards(policy: CfnResource, reads: boolean): void {
  acknowledgeFindings(policy, [
    {
      id: 'AwsSolutions-IAM5',
      reason: 'A Region switch plan\'s ARN ends in a suffix that Region switch generates: the statement is scoped to this plan\'s name.',
      applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:arc-region-switch::.*:plan\\/.*:\\*$/' }],
    },
    ...reads ? [{
      id: 'AwsSolutions-IAM5',
      reason: 'The reads of the Aurora, RDS and ECS blocks (DescribeGlobalClusters, DescribeDBClusters, DescribeDBInstances, ListServices, '
        + 'DescribeScalableTargets, RegisterScalableTarget, GetMetricStatistics) are granted on * as the Region switch docs give them; '
        + 'every change is scoped to the ARNs of the plan\'s resources.',
      applies_to: ['Resource::*'],
    }] : [],
  ]);
}

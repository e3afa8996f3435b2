/**
 * Runbook steps as Region switch execution blocks (docs/aws-facts.md#arc-region-switch): one
 * mapping per step kind, from the step's plain data (`_spec`), never from its state machine.
 * Each mapping gives the block, the execution role's statements (scoped to ARNs), and the
 * block's terms in the model. A kind with no block that truly does the same is rejected.
 */
import { Annotations, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as arcregionswitch from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { StepSpec } from './step-spec';
import { RecoveryAssumption } from '../../objectives/assumptions';
import {
  approvalBlock, auroraGlobalBlock, ecsScalingBlock, readReplicaBlock, REGION_SWITCH_BLOCK_TIMEOUT_MINUTES, routingControlBlock,
} from '../../objectives/model/region-switch';
import { Term } from '../../objectives/model/term';
import { Problems } from '../../private/errors';
import { show } from '../../private/validate';
import { RoutingControls } from '../../routing/routing-controls';
import { RunbookStep } from '../runbook-step';
import type { PromoteAuroraGlobalOptions } from '../steps/promote-data';

/** What a mapping needs to know about the workflow and the plan. */
export interface BlockContext {
  /** The plan. */
  readonly scope: Construct;
  readonly problems: Problems;
  /** The prop of the step in messages: `failoverSteps[2]`. */
  readonly prop: string;
  /** The step's name in the workflow: `fence`, `scale-2`. */
  readonly id: string;
  /** The Region the workflow activates. */
  readonly targetRegion: string;
  /** The other Region: the one the workflow moves away from. */
  readonly sourceRegion: string;
  /** The value given for an assumption, in seconds. */
  readonly given: (a: RecoveryAssumption) => number | undefined;
  /** The other Region's ECS service of a step's service, `<cluster>/<service>` by `<cluster>/<service>`. */
  readonly ecsCounterparts: { [service: string]: string };
  /** The role that approves manual approval steps (created when first needed). */
  readonly approvalRole: () => iam.IRole;
  /**
   * Where steps that cannot be a block go, with the reason, when the plan leaves them out
   * (`omitStepsWithoutBlock`); otherwise they are problems.
   */
  readonly omitted?: string[];
}

/** A step as a block. */
export interface MappedBlock {
  readonly step: arcregionswitch.CfnPlan.StepProperty;
  readonly statements: iam.PolicyStatement[];
  readonly terms: Term[];
  /** True when a statement has a `*` resource that AWS offers nothing narrower for. */
  readonly wildcard: boolean;
}

/** Step names from their roles: `fence`, then `scale`, `scale-2` for a second step of a role (as the runbooks name them). */
export function blockIds(steps: RunbookStep[]): string[] {
  const seen = new Map<string, number>();
  return steps.map((s) => {
    const n = (seen.get(s.role) ?? 0) + 1;
    seen.set(s.role, n);
    return n === 1 ? s.role : `${s.role}-${n}`;
  });
}

/** The kinds that have no block, why, and what to do. */
const NO_BLOCK: { [kind: string]: string } = {
  rpoGuardAlarm: 'Region switch has no block that refuses to go on while a lag alarm is in ALARM (a plan\'s alarms start it or report '
    + 'application health; they stop no step). Remove it from the plan\'s steps (the plan\'s path then counts the whole replication lag as '
    + 'data loss), or keep the Step Functions runbook',
  fenceEcsService: 'the ECSServiceScaling block scales the activated Region\'s service up to a percentage of the other Region\'s tasks; '
    + 'it cannot scale the old primary to 0. Fence with Fence.routingControl(...) instead, or keep the Step Functions runbook',
  waitTargetGroup: 'no block waits for a target group\'s healthy targets (the Route53HealthCheck block changes which records answer, and '
    + 'CustomActionLambda needs a function written for Region switch\'s event, which this library does not fake). Remove it from the plan\'s '
    + 'steps, or keep the Step Functions runbook',
  waitAlarm: 'no block waits for an alarm to be OK (a plan\'s applicationHealth alarms are shown, not waited for). Remove it from the plan\'s '
    + 'steps, or keep the Step Functions runbook',
  verifyHttp: 'VerifyRecovery has no Region switch block (CustomActionLambda needs a function written for Region switch\'s event, which this '
    + 'library does not fake). Remove it from the plan\'s steps, or keep the Step Functions runbook',
  recordActiveRegion: 'the runbook\'s own record of the active Region has no block. Remove it from the plan\'s steps',
  fenceAutoScalingGroup: 'the EC2AutoScaling block scales the activated Region\'s group up to a percentage of the other Region\'s instances; '
    + 'it cannot scale the old primary to 0. Fence with Fence.routingControl(...) instead, or keep the Step Functions runbook',
  scaleAutoScalingGroup: 'the EC2AutoScaling block needs each group\'s ARN, which holds an id AWS generates (autoScalingGroup:<uuid>:...), '
    + 'so a group named in the step cannot be addressed across Regions by name. Keep the Step Functions runbook for this step',
  awaitDnsFailover: 'no block waits for Route 53\'s own failover to reach clients (the Route53HealthCheck block changes which records '
    + 'answer instead). Switch with SwitchTraffic.routingControls(...) in the plan, or keep the Step Functions runbook',
  switchDataPlane: 'no block writes the data-plane switch\'s SSM parameter (CustomActionLambda needs a function written for Region switch\'s '
    + 'event, which this library does not fake). Switch with SwitchTraffic.routingControls(...) in the plan, or keep the Step Functions runbook',
  switchAcceleratorDials: 'Region switch has no Global Accelerator block (no execution block configuration turns traffic dials, and '
    + 'CustomActionLambda needs a function written for Region switch\'s event, which this library does not fake). An AcceleratorFailover needs '
    + 'no step to fail over: Global Accelerator moves new connections off a Region with no healthy endpoint whatever the dials say. Remove it '
    + 'from the plan\'s steps, or keep the Step Functions runbook for planned switches, failback and drills',
};

/**
 * The block of a step, or undefined (with a problem) for a kind that has none or options that
 * a block cannot take.
 */
export function mapStep(ctx: BlockContext, step: RunbookStep): MappedBlock | undefined {
  const spec: StepSpec = step._spec;
  const why = NO_BLOCK[spec.kind];
  if (why !== undefined) {
    if (ctx.omitted) {
      ctx.omitted.push(`\`${ctx.prop}\` (${spec.kind}: ${step.description})`);
    } else {
      ctx.problems.add(`\`${ctx.prop}\` (${spec.kind}: ${step.description}) has no Region switch execution block: ${why}.`);
    }
    return undefined;
  }
  switch (spec.kind) {
    case 'fenceRoutingControl':
      return routingControls(ctx, step, spec.options.controls, spec.options.region, true);
    case 'switchRoutingControls':
      return routingControls(ctx, step, spec.options.controls, spec.options.region, false, spec.options.recordTtl);
    case 'auroraGlobalSwitchover':
    case 'auroraGlobalFailover':
      return auroraGlobal(ctx, step, spec.options, spec.kind === 'auroraGlobalSwitchover');
    case 'readReplica':
      return readReplica(ctx, step, spec.options.instanceIdentifier, spec.options.timeout);
    case 'scaleEcsService':
      return ecsService(ctx, step, spec.options.clusterName, spec.options.serviceName, spec.options.desiredCount, spec.options.timeout);
    case 'approvalTopic':
      return approval(ctx, step, spec.options.timeout);
    default:
      ctx.problems.add(`\`${ctx.prop}\` (${spec.kind}: ${step.description}) has no Region switch execution block. Remove it from the plan's steps.`);
      return undefined;
  }
}

/**
 * ARC routing controls: the states keyed by the Region the workflow activates. The controls
 * must be in the plan's stack, so their ARNs are plain references (no cross-stack export).
 * A block cannot override safety rules: a fence (the old primary Off while the new one is still
 * Off) would break the "at least one On" assertion rule, so it is refused with that rule.
 */
function routingControls(ctx: BlockContext, step: RunbookStep, controls: RoutingControls, region: string, fence: boolean,
  recordTtl?: Duration): MappedBlock | undefined {
  const p = ctx.problems;
  const plan = Stack.of(ctx.scope);
  const where = fence ? ctx.sourceRegion : ctx.targetRegion;
  const before = p.count;
  if (Stack.of(controls) !== plan) {
    p.add(`\`${ctx.prop}.controls\` (${controls.node.path}) is in stack ${Stack.of(controls).node.path}, not in the plan's stack ${plan.node.path}: `
      + 'the plan would reference the routing control ARNs through a cross-stack export, which can block deploys and cannot change after a '
      + 'disaster. Create the RegionSwitchPlan in the stack of the RoutingControls.');
  }
  if (region !== where) {
    p.add(`\`${ctx.prop}.region\` must be ${where}, ${fence ? 'the Region the workflow moves away from (the fence turns it Off)' : 'the Region the workflow activates'}, `
      + `got: ${show(region)}.`);
  }
  const missing = [ctx.targetRegion, ctx.sourceRegion].filter((r) => !controls.regions.includes(r));
  if (missing.length > 0) {
    p.add(`\`${ctx.prop}.controls\` has no routing control for ${missing.join(' and ')} (its Regions: ${controls.regions.join(', ')}). `
      + 'Give routing controls for both of the plan\'s Regions.');
  }
  if (fence && controls.node.tryFindChild('AssertionRule') && ctx.omitted) {
    ctx.omitted.push(`\`${ctx.prop}\` (fenceRoutingControl: ${step.description}, refused by the assertion safety rule)`);
    return undefined;
  }
  if (fence && controls.node.tryFindChild('AssertionRule')) {
    p.add(`\`${ctx.prop}\` (fenceRoutingControl: ${step.description}) turns ${region} Off while ${ctx.targetRegion} is still Off, which the assertion `
      + `safety rule of ${controls.node.path} refuses, and a Region switch block cannot override safety rules. Remove the fence from the plan's steps `
      + `(the SwitchTraffic block turns ${ctx.sourceRegion} Off in the same update that turns ${ctx.targetRegion} On), or build the controls with `
      + '`assertionRule: false`.');
  }
  if (p.count > before) {
    return undefined;
  }
  if (controls.gatingControlArn !== undefined) {
    Annotations.of(ctx.scope).addWarningV2('cdk-failover:plan-gating-control',
      `${ctx.prop}: ${controls.node.path} has a gating control: ARC refuses the plan's routing control block while the gate is Off. Turn the gate On `
      + 'before running the plan.');
  }
  const states: [string, 'On' | 'Off'][] = fence
    ? [[ctx.sourceRegion, 'Off']]
    : controls.regions.map((r): [string, 'On' | 'Off'] => [r, r === ctx.targetRegion ? 'On' : 'Off']);
  const arns = states.map(([r]) => controls.routingControlArn(r));
  const ttl = recordTtl === undefined || recordTtl.isUnresolved() ? 60 : recordTtl.toSeconds();
  return {
    step: {
      name: ctx.id,
      description: step.description,
      executionBlockType: 'ARCRoutingControl',
      executionBlockConfiguration: {
        arcRoutingControlConfig: {
          regionAndRoutingControls: {
            [ctx.targetRegion]: states.map(([r, state]) => ({ routingControlArn: controls.routingControlArn(r), state })),
          },
        },
      },
    },
    statements: [
      new iam.PolicyStatement({
        actions: ['route53-recovery-control-config:DescribeControlPanel', 'route53-recovery-control-config:DescribeCluster'],
        resources: [controls.controlPanelArn, controls.clusterArn],
      }),
      new iam.PolicyStatement({
        actions: ['route53-recovery-cluster:GetRoutingControlState', 'route53-recovery-cluster:UpdateRoutingControlStates'],
        resources: arns,
      }),
    ],
    terms: routingControlBlock(ctx.id, {
      states: states.map(([r, s]) => `${r} ${s}`).join(', '),
      fence,
      recordTtl: ttl,
      ttlSource: recordTtl === undefined ? 'the DnsFailover default' : 'as given',
      runbookTask: ctx.given(RecoveryAssumption.RUNBOOK_TASK),
      controlToHealthStatus: ctx.given(RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS),
      healthToDnsAnswer: ctx.given(RecoveryAssumption.HEALTH_TO_DNS_ANSWER),
      clientDnsCache: ctx.given(RecoveryAssumption.CLIENT_DNS_CACHE),
    }),
    wildcard: false,
  };
}

/** A step's timeout as whole minutes for a block (rounded up), or undefined for the block's default. */
function timeoutMinutes(ctx: BlockContext, timeout: Duration | undefined): number | undefined {
  if (timeout === undefined) {
    return undefined;
  }
  if (timeout.isUnresolved()) {
    ctx.problems.add(`\`${ctx.prop}.timeout\` is a deploy-time Token, but the plan needs the block's timeout in minutes at synth. Give a literal Duration.`);
    return undefined;
  }
  const seconds = timeout.toMilliseconds({ integral: false }) / 1000;
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    ctx.problems.add(`\`${ctx.prop}.timeout\` must be a positive Duration for a Region switch block (at least 1 minute), got: ${show(timeout)}.`);
    return undefined;
  }
  return Math.max(1, Math.ceil(seconds / 60));
}

function rdsArn(ctx: BlockContext, region: string, resource: 'cluster' | 'db' | 'global-cluster', name: string): string {
  return Stack.of(ctx.scope).formatArn({ service: 'rds', region, resource, resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** The statement of the reads that the docs grant on `*`: Region switch lists before it acts. */
function describeAll(actions: string[]): iam.PolicyStatement {
  // The block's reads are granted on `*` in the Region switch docs (docs/aws-facts.md#arc-region-switch); suppressed for cdk-nag with that reason.
  return new iam.PolicyStatement({ actions, resources: ['*'] });
}

/** Aurora Global Database: `switchoverOnly` for a switchover, `failover` (with data loss) for a failover. */
function auroraGlobal(ctx: BlockContext, step: RunbookStep, options: PromoteAuroraGlobalOptions, switchover: boolean): MappedBlock | undefined {
  const p = ctx.problems;
  const before = p.count;
  if (options.primaryRegion !== ctx.sourceRegion) {
    p.add(`\`${ctx.prop}.primaryRegion\` must be ${ctx.sourceRegion}, the Region the workflow moves away from, got: ${show(options.primaryRegion)}.`);
  }
  for (const [prop, value] of Object.entries({
    globalClusterIdentifier: options.globalClusterIdentifier,
    clusterIdentifier: options.clusterIdentifier,
    primaryClusterIdentifier: options.primaryClusterIdentifier,
  })) {
    if (!Token.isUnresolved(value) && !/^[A-Za-z][0-9A-Za-z-]{0,62}$/.test(value)) {
      p.add(`\`${ctx.prop}.${prop}\` must be an RDS identifier (a letter, then letters, digits or hyphens, at most 63), got: ${show(value)}.`);
    }
  }
  const minutes = timeoutMinutes(ctx, options.timeout);
  if (p.count > before) {
    return undefined;
  }
  const target = rdsArn(ctx, ctx.targetRegion, 'cluster', options.clusterIdentifier);
  const primary = rdsArn(ctx, ctx.sourceRegion, 'cluster', options.primaryClusterIdentifier);
  const global = rdsArn(ctx, '', 'global-cluster', options.globalClusterIdentifier);
  return {
    step: {
      name: ctx.id,
      description: step.description,
      executionBlockType: 'AuroraGlobalDatabase',
      executionBlockConfiguration: {
        globalAuroraConfig: {
          behavior: switchover ? 'switchoverOnly' : 'failover',
          globalClusterIdentifier: options.globalClusterIdentifier,
          databaseClusterArns: [primary, target],
          ...minutes !== undefined ? { timeoutMinutes: minutes } : {},
          // A failover step fails over in an ungraceful run too; a switchover step never loses data, so it stays a switchover.
          ...switchover ? {} : { ungraceful: { ungraceful: 'failover' } },
        },
      },
    },
    statements: [
      describeAll(['rds:DescribeGlobalClusters', 'rds:DescribeDBClusters']),
      new iam.PolicyStatement({
        actions: [switchover ? 'rds:SwitchoverGlobalCluster' : 'rds:FailoverGlobalCluster'],
        resources: [global, primary, target],
      }),
    ],
    terms: auroraGlobalBlock(ctx.id, {
      switchover,
      clusterIdentifier: options.clusterIdentifier,
      timeoutMinutes: minutes ?? REGION_SWITCH_BLOCK_TIMEOUT_MINUTES,
      runbookTask: ctx.given(RecoveryAssumption.RUNBOOK_TASK),
      globalDatabaseFailover: ctx.given(RecoveryAssumption.GLOBAL_DATABASE_FAILOVER),
      auroraGlobalLag: ctx.given(RecoveryAssumption.AURORA_GLOBAL_LAG),
    }),
    wildcard: true,
  };
}

/** RDS promote read replica: the replica in the Region the workflow activates. */
function readReplica(ctx: BlockContext, step: RunbookStep, instanceIdentifier: string, timeout?: Duration): MappedBlock | undefined {
  const p = ctx.problems;
  const before = p.count;
  // The block's ARN pattern: a letter, then letters or digits, with single hyphens between them.
  if (!Token.isUnresolved(instanceIdentifier) && !/^[a-zA-Z][a-zA-Z0-9]*(-[a-zA-Z0-9]+)*$/.test(instanceIdentifier)) {
    p.add(`\`${ctx.prop}.instanceIdentifier\` must be an RDS identifier for a Region switch block (a letter, then letters or digits, single hyphens `
      + `between them), got: ${show(instanceIdentifier)}.`);
  }
  const minutes = timeoutMinutes(ctx, timeout);
  if (p.count > before) {
    return undefined;
  }
  const arn = rdsArn(ctx, ctx.targetRegion, 'db', instanceIdentifier);
  return {
    step: {
      name: ctx.id,
      description: step.description,
      executionBlockType: 'RdsPromoteReadReplica',
      executionBlockConfiguration: {
        rdsPromoteReadReplicaConfig: {
          dbInstanceArnMap: { [ctx.targetRegion]: arn },
          ...minutes !== undefined ? { timeoutMinutes: minutes } : {},
        },
      },
    },
    statements: [
      describeAll(['rds:DescribeDBInstances']),
      new iam.PolicyStatement({ actions: ['rds:PromoteReadReplica', 'rds:ModifyDBInstance'], resources: [arn] }),
    ],
    terms: readReplicaBlock(ctx.id, {
      instanceIdentifier,
      timeoutMinutes: minutes ?? REGION_SWITCH_BLOCK_TIMEOUT_MINUTES,
      runbookTask: ctx.given(RecoveryAssumption.RUNBOOK_TASK),
      replicaPromotion: ctx.given(RecoveryAssumption.REPLICA_PROMOTION),
      rdsReplicaLag: ctx.given(RecoveryAssumption.RDS_REPLICA_LAG),
    }),
    wildcard: true,
  };
}

const ECS_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/**
 * ECS service scaling: the block takes one service per Region and scales the activated one to
 * 100 % of what the other ran at most in the last 24 hours (not to a count).
 */
function ecsService(ctx: BlockContext, step: RunbookStep, clusterName: string, serviceName: string, desiredCount: number,
  timeout?: Duration): MappedBlock | undefined {
  const p = ctx.problems;
  const before = p.count;
  const key = `${clusterName}/${serviceName}`;
  for (const [prop, value] of [['clusterName', clusterName], ['serviceName', serviceName]]) {
    if (!Token.isUnresolved(value) && !ECS_NAME.test(value)) {
      p.add(`\`${ctx.prop}.${prop}\` must be 1 to 255 letters, digits, hyphens or underscores for a Region switch block, got: ${show(value)}.`);
    }
  }
  const other = ctx.ecsCounterparts[key] ?? key;
  const [otherCluster, otherService, ...rest] = other.split('/');
  if (rest.length > 0 || !ECS_NAME.test(otherCluster ?? '') || !ECS_NAME.test(otherService ?? '')) {
    p.add(`\`ecsServiceCounterparts[${JSON.stringify(key)}]\` must be \`<cluster>/<service>\` (letters, digits, hyphens or underscores), got: ${show(other)}.`);
  }
  const minutes = timeoutMinutes(ctx, timeout);
  if (p.count > before) {
    return undefined;
  }
  const stack = Stack.of(ctx.scope);
  const arns = (region: string, cluster: string, service: string) => ({
    clusterArn: stack.formatArn({ service: 'ecs', region, resource: 'cluster', resourceName: cluster }),
    serviceArn: stack.formatArn({ service: 'ecs', region, resource: 'service', resourceName: `${cluster}/${service}` }),
  });
  const services = [arns(ctx.sourceRegion, otherCluster, otherService), arns(ctx.targetRegion, clusterName, serviceName)];
  return {
    step: {
      name: ctx.id,
      description: `${step.description} (Region switch: 100 % of the tasks ${otherService} ran in ${ctx.sourceRegion}, at most over 24 h; the runbook asks ${desiredCount})`,
      executionBlockType: 'ECSServiceScaling',
      executionBlockConfiguration: {
        ecsCapacityIncreaseConfig: {
          services,
          targetPercent: 100,
          capacityMonitoringApproach: 'sampledMaxInLast24Hours',
          ...minutes !== undefined ? { timeoutMinutes: minutes } : {},
        },
      },
    },
    statements: [
      new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: services.map((s) => s.serviceArn) }),
      new iam.PolicyStatement({ actions: ['ecs:DescribeClusters'], resources: services.map((s) => s.clusterArn) }),
      describeAll(['ecs:ListServices', 'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:RegisterScalableTarget',
        'cloudwatch:GetMetricStatistics']),
    ],
    terms: ecsScalingBlock(ctx.id, {
      serviceName,
      timeoutMinutes: minutes ?? REGION_SWITCH_BLOCK_TIMEOUT_MINUTES,
      runbookTask: ctx.given(RecoveryAssumption.RUNBOOK_TASK),
      ecsScaleOut: ctx.given(RecoveryAssumption.ECS_SCALE_OUT),
    }),
    wildcard: true,
  };
}

/** Manual approval: a person with the approval role approves the step; the topic is not used by Region switch. */
function approval(ctx: BlockContext, step: RunbookStep, timeout?: Duration): MappedBlock | undefined {
  const before = ctx.problems.count;
  const minutes = timeoutMinutes(ctx, timeout);
  if (ctx.problems.count > before) {
    return undefined;
  }
  const role = ctx.approvalRole();
  return {
    step: {
      name: ctx.id,
      description: step.description,
      executionBlockType: 'ManualApproval',
      executionBlockConfiguration: {
        executionApprovalConfig: {
          approvalRole: role.roleArn,
          ...minutes !== undefined ? { timeoutMinutes: minutes } : {},
        },
      },
    },
    statements: [],
    terms: [approvalBlock(ctx.id, minutes ?? REGION_SWITCH_BLOCK_TIMEOUT_MINUTES, ctx.given(RecoveryAssumption.APPROVAL_WAIT))],
    wildcard: false,
  };
}

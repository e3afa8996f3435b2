import { Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { awsWait, taskCall } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { isRegionName } from '../../private/region';
import { show } from '../../private/validate';
import { RoutingControls } from '../../routing/routing-controls';
import { changeGroup } from '../private/auto-scaling';
import { flipRoutingControls } from '../private/routing-control-flip';
import { pollUntil, resultPath, sdkTask, StepBinding, StepContext } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * Options of `Fence.routingControl`.
 */
export interface FenceRoutingControlOptions {
  /** The routing controls; the runbook reads their configuration parameter in its own Region. */
  readonly controls: RoutingControls;
  /** The Region to turn Off: the old primary. One of the controls' Regions. */
  readonly region: string;
}

/**
 * Options of `Fence.ecsService`.
 */
export interface FenceEcsServiceOptions {
  /** The old primary's ECS cluster, by name. */
  readonly clusterName: string;
  /** The service to scale to 0, by name. */
  readonly serviceName: string;
  /** The old primary's Region. */
  readonly region: string;
  /**
   * How long to wait for its last task to stop; the fence fails after it.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Options of `Fence.autoScalingGroup`.
 */
export interface FenceAutoScalingGroupOptions {
  /** The old primary's Auto Scaling group, by name. */
  readonly autoScalingGroupName: string;
  /** The old primary's Region. */
  readonly region: string;
  /**
   * How long to wait for its last instance to go; the fence fails after it.
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
}

/**
 * Fence the old primary, so that two writers never diverge: it stops getting traffic (its
 * routing control Off) or stops running (its service scaled to 0) before the data is promoted.
 *
 * A fence that cannot reach the old Region (the usual case in a Regional outage, for the ECS
 * fence) fails the runbook before anything is promoted. An operator who knows the old primary
 * is down starts the runbook again with `{ "allowUnfenced": true }`: the runbook then records
 * the failed fence and goes on. The routing-control fence goes through ARC's data plane, which
 * does not depend on the old Region.
 */
export class Fence extends RunbookStep {
  /**
   * Turn the old primary's routing control Off, with one `UpdateRoutingControlStates` call on the
   * cluster's endpoints. The assertion safety rule ("at least one On") is overridden for this
   * call: until the switch turns the new primary On, no Region gets traffic, which is the point.
   * A gating rule is not overridden: with `gatingControl`, turn the gate On before the run.
   */
  public static routingControl(options: FenceRoutingControlOptions): Fence {
    return new Fence(`turn the routing control of ${options.region} Off`, { kind: 'fenceRoutingControl', options }, (ctx) => {
      if (!options.controls.regions.includes(options.region)) {
        ctx.problems.add(`\`${ctx.prop}.region\` must be one of the routing controls' Regions (${options.controls.regions.join(', ')}), got: ${show(options.region)}. `
          + 'Give the old primary\'s Region.');
      }
      const task = flipRoutingControls(ctx, options.controls, { [options.region]: 'Off' }, true);
      return {
        chain: sfn.Chain.start(task),
        terms: [taskCall(`${ctx.id}-routing-control-off`, RecoveryTermKind.FENCE, `turn ${options.region} Off (UpdateRoutingControlStates)`,
          ctx.given(RecoveryAssumption.RUNBOOK_TASK))],
      };
    });
  }

  /**
   * Scale the old primary's ECS service to 0 and wait until its last task stopped. The calls go
   * to the old Region's ECS API, which a Regional outage may take down: see the class doc.
   */
  public static ecsService(options: FenceEcsServiceOptions): Fence {
    return new Fence(`scale ${options.serviceName} in ${options.region} to 0`, { kind: 'fenceEcsService', options }, (ctx) => {
      if (!isRegionName(options.region)) {
        ctx.problems.add(`\`${ctx.prop}.region\` must be a Region name such as us-east-1, got: ${show(options.region)}.`);
      }
      const timeout = options.timeout ?? Duration.minutes(10);
      const serviceArn = Stack.of(ctx.scope).formatArn({
        service: 'ecs', region: options.region, resource: 'service', resourceName: `${options.clusterName}/${options.serviceName}`,
      });
      const update = sdkTask(ctx, 'UpdateService to 0', {
        service: 'ecs',
        action: 'updateService',
        parameters: { Cluster: options.clusterName, Service: options.serviceName, DesiredCount: 0 },
        iamResources: [serviceArn],
        resultSelector: { 'desired.$': '$.Service.DesiredCount' },
        read: false,
        errorPrefix: 'Ecs',
        region: options.region,
      });
      const poll = pollUntil(ctx, {
        what: 'tasks stopped',
        read: sdkTask(ctx, 'DescribeServices (stopping)', {
          service: 'ecs',
          action: 'describeServices',
          parameters: { Cluster: options.clusterName, Services: [options.serviceName] },
          iamResources: [serviceArn],
          resultSelector: { 'services.$': '$.Services' },
          read: true,
          errorPrefix: 'Ecs',
          region: options.region,
        }),
        done: sfn.Condition.and(
          sfn.Condition.isPresent(`${resultPath(ctx)}.services[0].RunningCount`),
          sfn.Condition.numberEquals(`${resultPath(ctx)}.services[0].RunningCount`, 0),
        ),
        interval: Duration.seconds(15),
        timeout,
      });
      update.next(poll);
      return {
        chain: sfn.Chain.custom(update, poll.endStates, poll),
        terms: [
          taskCall(`${ctx.id}-ecs-scale-in`, RecoveryTermKind.FENCE, `scale ${options.serviceName} in ${options.region} to 0`,
            ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
          awsWait(`${ctx.id}-ecs-drain`, RecoveryTermKind.FENCE, RecoveryAssumption.SERVICE_DRAIN, ctx.given(RecoveryAssumption.SERVICE_DRAIN),
            `the last task of ${options.serviceName} stops (deregistration delay, stop timeout)`,
            'a shorter deregistration delay on the old primary\'s target group, or fence with a routing control instead'),
        ],
      };
    });
  }

  /**
   * Scale the old primary's Auto Scaling group to 0 (minimum, maximum and desired) and wait
   * until it has no instance. The calls go to the old Region's API: see the class doc.
   */
  public static autoScalingGroup(options: FenceAutoScalingGroupOptions): Fence {
    return new Fence(`scale ${options.autoScalingGroupName} in ${options.region} to 0`, { kind: 'fenceAutoScalingGroup', options }, (ctx) => {
      if (!isRegionName(options.region)) {
        ctx.problems.add(`\`${ctx.prop}.region\` must be a Region name such as us-east-1, got: ${show(options.region)}.`);
      }
      return {
        chain: changeGroup(ctx, {
          name: options.autoScalingGroupName,
          region: options.region,
          sizes: { MinSize: 0, MaxSize: 0, DesiredCapacity: 0 },
          until: 'empty',
          timeout: options.timeout ?? Duration.minutes(15),
        }),
        terms: [
          taskCall(`${ctx.id}-asg-scale-in`, RecoveryTermKind.FENCE, `scale ${options.autoScalingGroupName} in ${options.region} to 0`,
            ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
          awsWait(`${ctx.id}-asg-drain`, RecoveryTermKind.FENCE, RecoveryAssumption.SERVICE_DRAIN, ctx.given(RecoveryAssumption.SERVICE_DRAIN),
            `the last instance of ${options.autoScalingGroupName} terminates (deregistration delay, lifecycle hooks)`,
            'a shorter deregistration delay on the old primary\'s target group, or fence with a routing control instead'),
        ],
      };
    });
  }

  /** What the step does: fence the old primary. */
  public readonly role = RunbookStepRole.FENCE;

  /** @internal */
  public readonly _spec: StepSpec;

  private constructor(public readonly description: string, spec: StepSpec, private readonly build: (ctx: StepContext) => StepBinding) {
    super();
    this._spec = spec;
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    return this.build(ctx);
  }
}

import { Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { awsWait, taskCall } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { checkInteger } from '../../private/validate';
import { changeGroup } from '../private/auto-scaling';
import { pollUntil, resultPath, sdkTask, StepBinding, StepContext } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * Options of `ScaleCapacity.ecsService`.
 */
export interface ScaleEcsServiceOptions {
  /** The ECS cluster in the runbook's Region, by name. */
  readonly clusterName: string;
  /** The service, by name. */
  readonly serviceName: string;
  /** The tasks the service must run to carry the load: 1 to 10,000. */
  readonly desiredCount: number;
  /**
   * How long to wait for the tasks to run; the step fails after it.
   *
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
}

/**
 * Options of `ScaleCapacity.autoScalingGroup`.
 */
export interface ScaleAutoScalingGroupOptions {
  /** The Auto Scaling group in the runbook's Region, by name. */
  readonly autoScalingGroupName: string;
  /** The instances that carry the load: 1 to 10,000. */
  readonly desiredCapacity: number;
  /**
   * The group's new minimum, so that scaling in does not undo the failover: 0 to `desiredCapacity`.
   *
   * @default - `desiredCapacity`
   */
  readonly minCapacity?: number;
  /**
   * The group's new maximum, when its current one is below `desiredCapacity`: at least `desiredCapacity`.
   *
   * @default - unchanged
   */
  readonly maxCapacity?: number;
  /**
   * How long to wait for the instances to be InService; the step fails after it.
   *
   * @default Duration.minutes(20)
   */
  readonly timeout?: Duration;
}

/**
 * Grow the recovery side to carry the load, in the runbook's Region, and wait until it runs:
 * the pilot-light or warm-standby service scaled to its full count. The calls go to the
 * recovery Region's ECS API, a Regional control plane of the Region that is up.
 *
 * A later `cdk deploy` keeps the new count when the service's desired count comes from
 * `ActiveRegion.capacityFor`, which reads the active Region the runbook records.
 */
export class ScaleCapacity extends RunbookStep {
  /** `UpdateService` to `desiredCount`, then `DescribeServices` until that many tasks run. */
  public static ecsService(options: ScaleEcsServiceOptions): ScaleCapacity {
    return new ScaleCapacity(`scale ${options.serviceName} to ${options.desiredCount} tasks`, { kind: 'scaleEcsService', options }, (ctx) => {
      checkInteger(ctx.problems, `${ctx.prop}.desiredCount`, options.desiredCount, 1, 10_000, 'give the tasks that carry the full load');
      const arn = Stack.of(ctx.scope).formatArn({ service: 'ecs', resource: 'service', resourceName: `${options.clusterName}/${options.serviceName}` });
      const update = sdkTask(ctx, 'UpdateService', {
        service: 'ecs',
        action: 'updateService',
        parameters: { Cluster: options.clusterName, Service: options.serviceName, DesiredCount: options.desiredCount },
        iamResources: [arn],
        resultSelector: { 'desired.$': '$.Service.DesiredCount' },
        read: false,
        errorPrefix: 'Ecs',
      });
      const poll = pollUntil(ctx, {
        what: 'tasks running',
        read: sdkTask(ctx, 'DescribeServices', {
          service: 'ecs',
          action: 'describeServices',
          parameters: { Cluster: options.clusterName, Services: [options.serviceName] },
          iamResources: [arn],
          resultSelector: { 'services.$': '$.Services' },
          read: true,
          errorPrefix: 'Ecs',
        }),
        done: sfn.Condition.and(
          sfn.Condition.isPresent(`${resultPath(ctx)}.services[0].RunningCount`),
          sfn.Condition.numberGreaterThanEquals(`${resultPath(ctx)}.services[0].RunningCount`, options.desiredCount),
        ),
        interval: Duration.seconds(15),
        timeout: options.timeout ?? Duration.minutes(15),
      });
      update.next(poll);
      return {
        chain: sfn.Chain.custom(update, poll.endStates, poll),
        terms: [
          taskCall(`${ctx.id}-ecs-update`, RecoveryTermKind.SCALE, `UpdateService ${options.serviceName} to ${options.desiredCount}`,
            ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
          awsWait(`${ctx.id}-ecs-scale-out`, RecoveryTermKind.SCALE, RecoveryAssumption.ECS_SCALE_OUT, ctx.given(RecoveryAssumption.ECS_SCALE_OUT),
            `${options.desiredCount} tasks of ${options.serviceName} running`,
            'keep the standby warmer (more tasks running before the failover), smaller images, a shorter health-check grace; '
              + 'set `assumptions.ecsScaleOut` to what a drill measured'),
        ],
      };
    });
  }

  /**
   * `UpdateAutoScalingGroup` to `desiredCapacity` (and the minimum), then
   * `DescribeAutoScalingGroups` until that many instances are InService and none is in another
   * state. DescribeAutoScalingGroups has no resource-level permission: the runbook's role gets it
   * on `*` (read only).
   */
  public static autoScalingGroup(options: ScaleAutoScalingGroupOptions): ScaleCapacity {
    return new ScaleCapacity(`scale ${options.autoScalingGroupName} to ${options.desiredCapacity} instances`,
      { kind: 'scaleAutoScalingGroup', options }, (ctx) => {
        const desired = options.desiredCapacity;
        checkInteger(ctx.problems, `${ctx.prop}.desiredCapacity`, desired, 1, 10_000, 'give the instances that carry the full load');
        checkInteger(ctx.problems, `${ctx.prop}.minCapacity`, options.minCapacity, 0, desired, 'keep it at or under `desiredCapacity`');
        checkInteger(ctx.problems, `${ctx.prop}.maxCapacity`, options.maxCapacity, desired, 10_000, 'give at least `desiredCapacity`');
        const chain = changeGroup(ctx, {
          name: options.autoScalingGroupName,
          sizes: {
            MinSize: options.minCapacity ?? desired,
            DesiredCapacity: desired,
            ...options.maxCapacity !== undefined ? { MaxSize: options.maxCapacity } : {},
          },
          until: 'inService',
          timeout: options.timeout ?? Duration.minutes(20),
        });
        return {
          chain,
          terms: [
            taskCall(`${ctx.id}-asg-update`, RecoveryTermKind.SCALE, `UpdateAutoScalingGroup ${options.autoScalingGroupName} to ${desired}`,
              ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
            awsWait(`${ctx.id}-instance-launch`, RecoveryTermKind.SCALE, RecoveryAssumption.INSTANCE_LAUNCH, ctx.given(RecoveryAssumption.INSTANCE_LAUNCH),
              `${desired} instances of ${options.autoScalingGroupName} InService`,
              'keep more instances running on the standby, a smaller AMI boot, warm pools; set `assumptions.instanceLaunch` to what a drill measured'),
          ],
        };
      });
  }

  /** What the step does: scale the recovery side. */
  public readonly role = RunbookStepRole.SCALE;

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

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { awsWait } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { checkInteger } from '../../private/validate';
import { listSummary, pollUntil, resultPath, sdkTask, StepBinding, StepContext } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * Options of `WaitHealthy.targetGroup`.
 */
export interface WaitHealthyTargetGroupOptions {
  /** The target group of the recovery side's load balancer, in the runbook's Region. */
  readonly targetGroup: elbv2.ITargetGroup;
  /**
   * Healthy targets needed: 1 to 1,000.
   *
   * @default 1
   */
  readonly minimumHealthy?: number;
  /**
   * How long to wait; the step fails after it.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Options of `WaitHealthy.alarm`.
 */
export interface WaitHealthyAlarmOptions {
  /** An alarm in the runbook's Region that is OK when the recovery side is healthy. */
  readonly alarm: cloudwatch.IAlarm;
  /**
   * How long to wait; the step fails after it.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Wait until the recovery side is healthy, before traffic moves to it: enough healthy targets
 * in its target group (ELB target health), or an alarm back to OK.
 */
export class WaitHealthy extends RunbookStep {
  /**
   * `DescribeTargetHealth` until the target group has at least `minimumHealthy` targets and
   * every one of them is healthy (draining or initial targets make it wait). ELB has no
   * resource-level permission for it, so the runbook's role gets it on `*` (read only).
   */
  public static targetGroup(options: WaitHealthyTargetGroupOptions): WaitHealthy {
    const minimum = options.minimumHealthy ?? 1;
    return new WaitHealthy(`wait for ${minimum} healthy target(s)`, { kind: 'waitTargetGroup', options }, (ctx) => {
      checkInteger(ctx.problems, `${ctx.prop}.minimumHealthy`, options.minimumHealthy, 1, 1000, 'give the targets that carry the load');
      const poll = pollUntil(ctx, {
        what: 'targets healthy',
        read: sdkTask(ctx, 'DescribeTargetHealth', {
          service: 'elasticloadbalancingv2',
          action: 'describeTargetHealth',
          iamAction: 'elasticloadbalancing:DescribeTargetHealth',
          parameters: { TargetGroupArn: options.targetGroup.targetGroupArn },
          // DescribeTargetHealth has no resource-level permission (docs/aws-facts.md#runbooks).
          iamResources: ['*'],
          resultSelector: { 'targets.$': '$.TargetHealthDescriptions' },
          read: true,
          errorPrefix: 'ElasticLoadBalancingV2',
        }),
        summarize: listSummary(ctx, 'count the states', {
          list: 'targets',
          item: '$$.Map.Item.Value.TargetHealth.State',
          figures: { targets: 'States.ArrayLength($)', kinds: 'States.ArrayLength(States.ArrayUnique($))', healthy: "States.ArrayContains($, 'healthy')" },
        }),
        // At least `minimum` targets, every one of them healthy.
        done: sfn.Condition.and(
          sfn.Condition.numberGreaterThanEquals(`${resultPath(ctx)}.summary.targets`, minimum),
          sfn.Condition.numberEquals(`${resultPath(ctx)}.summary.kinds`, 1),
          sfn.Condition.booleanEquals(`${resultPath(ctx)}.summary.healthy`, true),
        ),
        interval: Duration.seconds(10),
        timeout: options.timeout ?? Duration.minutes(10),
      });
      return {
        chain: poll,
        terms: [awsWait(`${ctx.id}-target-health`, RecoveryTermKind.time('waitHealthy', 'wait healthy'), RecoveryAssumption.TARGET_HEALTH_DETECTION,
          ctx.given(RecoveryAssumption.TARGET_HEALTH_DETECTION), `${minimum} target(s) pass the target group's health check`,
          'a shorter health-check interval and healthy threshold on the target group')],
      };
    });
  }

  /** `DescribeAlarms` until the alarm is OK. */
  public static alarm(options: WaitHealthyAlarmOptions): WaitHealthy {
    return new WaitHealthy('wait for the health alarm to be OK', { kind: 'waitAlarm', options }, (ctx) => {
      const state = `${resultPath(ctx)}.alarms[0].StateValue`;
      const poll = pollUntil(ctx, {
        what: 'alarm OK',
        read: sdkTask(ctx, 'DescribeAlarms', {
          service: 'cloudwatch',
          action: 'describeAlarms',
          parameters: { AlarmNames: [options.alarm.alarmName] },
          iamResources: [options.alarm.alarmArn],
          resultSelector: { 'alarms.$': '$.MetricAlarms' },
          read: true,
          errorPrefix: 'CloudWatch',
        }),
        done: sfn.Condition.and(sfn.Condition.isPresent(state), sfn.Condition.stringEquals(state, 'OK')),
        interval: Duration.seconds(10),
        timeout: options.timeout ?? Duration.minutes(10),
      });
      return {
        chain: poll,
        terms: [awsWait(`${ctx.id}-alarm-ok`, RecoveryTermKind.time('waitHealthy', 'wait healthy'), RecoveryAssumption.TARGET_HEALTH_DETECTION,
          ctx.given(RecoveryAssumption.TARGET_HEALTH_DETECTION), 'the health alarm returns to OK',
          'an alarm on fewer, shorter periods')],
      };
    });
  }

  /** What the step does: wait until the recovery side is healthy. */
  public readonly role = RunbookStepRole.WAIT_HEALTHY;

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

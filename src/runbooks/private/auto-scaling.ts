/**
 * The Auto Scaling group calls the scale and fence steps share: set the group's sizes, then
 * poll its instances until their count and states are right. DescribeAutoScalingGroups answers
 * an unknown name with an empty list, so the poll checks for the group before it looks inside.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { listSummary, pollUntil, resultPath, sdkTask, StepBinding, StepContext, stateName } from './step-context';

/** What to set and wait for. */
export interface GroupChange {
  readonly name: string;
  /** The Region of the group, when not the runbook's. */
  readonly region?: string;
  readonly sizes: { MinSize?: number; MaxSize?: number; DesiredCapacity: number };
  /** What the poll waits for: at least `desired` instances, all InService; or no instance at all. */
  readonly until: 'inService' | 'empty';
  readonly timeout: Duration;
}

/** `UpdateAutoScalingGroup`, then the poll. */
export function changeGroup(ctx: StepContext, change: GroupChange): StepBinding['chain'] {
  const stack = Stack.of(ctx.scope);
  const arn = stack.formatArn({
    service: 'autoscaling',
    region: change.region,
    resource: 'autoScalingGroup',
    resourceName: `*:autoScalingGroupName/${change.name}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const update = sdkTask(ctx, 'UpdateAutoScalingGroup', {
    service: 'autoscaling',
    action: 'updateAutoScalingGroup',
    parameters: { AutoScalingGroupName: change.name, ...change.sizes },
    iamResources: [arn],
    read: false,
    errorPrefix: 'AutoScaling',
    region: change.region,
  });
  const groups = `${resultPath(ctx)}.groups`;
  const missing = new sfn.Pass(ctx.scope, stateName(ctx, 'group not found'), {
    stateName: stateName(ctx, 'group not found'),
    parameters: { Error: 'AutoScalingGroupNotFound', Cause: `${ctx.id}: no Auto Scaling group named ${change.name}${change.region ? ` in ${change.region}` : ''}` },
    resultPath: '$.failure',
  }).next(ctx.onFailure);
  const instances = listSummary(ctx, 'count the instances', {
    list: 'groups[0].Instances',
    item: '$$.Map.Item.Value.LifecycleState',
    figures: { count: 'States.ArrayLength($)', kinds: 'States.ArrayLength(States.ArrayUnique($))', inService: "States.ArrayContains($, 'InService')" },
  });
  const found = new sfn.Choice(ctx.scope, stateName(ctx, 'group found?'), { stateName: stateName(ctx, 'group found?') })
    .when(sfn.Condition.isPresent(`${groups}[0].Instances`), instances)
    .otherwise(missing);
  const summary = `${resultPath(ctx)}.summary`;
  const desired = change.sizes.DesiredCapacity;
  const poll = pollUntil(ctx, {
    what: change.until === 'empty' ? 'instances gone' : 'instances in service',
    read: sdkTask(ctx, 'DescribeAutoScalingGroups', {
      service: 'autoscaling',
      action: 'describeAutoScalingGroups',
      parameters: { AutoScalingGroupNames: [change.name] },
      // DescribeAutoScalingGroups has no resource-level permission (docs/aws-facts.md#runbooks).
      iamResources: ['*'],
      resultSelector: { 'groups.$': '$.AutoScalingGroups' },
      read: true,
      errorPrefix: 'AutoScaling',
      region: change.region,
    }),
    summarize: sfn.Chain.custom(found, instances.endStates, instances),
    done: change.until === 'empty'
      ? sfn.Condition.numberEquals(`${summary}.count`, 0)
      : sfn.Condition.and(
        sfn.Condition.numberGreaterThanEquals(`${summary}.count`, desired),
        sfn.Condition.numberEquals(`${summary}.kinds`, 1),
        sfn.Condition.booleanEquals(`${summary}.inService`, true),
      ),
    interval: Duration.seconds(20),
    timeout: change.timeout,
  });
  update.next(poll);
  return sfn.Chain.custom(update, poll.endStates, poll);
}

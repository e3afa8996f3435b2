/**
 * The runbook's flip of ARC routing controls: one call of the runbook's function, which reads
 * the controls' configuration parameter in its own Region and sends one atomic
 * `UpdateRoutingControlStates` to the cluster's endpoints in turn (docs/aws-facts.md#arc-and-global-accelerator).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeRoutingControlWildcard } from './runbook-nag';
import { functionTask, StepContext } from './step-context';
import { RoutingControls } from '../../routing/routing-controls';
import { ACTIONS, ERRORS } from '../runbook-contract';

/**
 * The task that sets `states` (Region to On or Off). `overrideSafetyRules` passes the assertion
 * rule in `SafetyRulesToOverride`: the fence turns the last Region Off on purpose.
 */
export function flipRoutingControls(ctx: StepContext, controls: RoutingControls, states: { [region: string]: 'On' | 'Off' },
  overrideSafetyRules: boolean): sfn.TaskStateBase {
  grantFlip(ctx, controls);
  const words = Object.entries(states).map(([region, state]) => `${region} ${state}`).join(', ');
  const task = functionTask(ctx, `UpdateRoutingControlStates (${words})`, {
    payload: {
      action: ACTIONS.switchRoutingControls,
      configParameterName: controls.configParameterName,
      states,
      overrideSafetyRules,
    },
    // Five endpoints, each tried with a short timeout, fit well within it.
    timeout: Duration.seconds(60),
  });
  // No endpoint answered: they may a little later. A refusal (a safety rule) is an answer, not retried.
  task.addRetry({ errors: [ERRORS.routingControlsUnreachable], interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 2 });
  return task;
}

function grantFlip(ctx: StepContext, controls: RoutingControls): void {
  const fn = ctx.fn();
  const stack = Stack.of(ctx.scope);
  const marker = `FlipGrant${controls.node.addr}`;
  if (fn.node.tryFindChild(marker)) {
    return;
  }
  new Construct(fn, marker);
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['ssm:GetParameter'],
    resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: controls.configParameterName.replace(/^\//, '') })],
  }));
  // The controls' ARNs are tokens of the ARC stack; another stack may not reference them (Regions
  // meet by name), so there the grant covers the account's routing controls.
  const sameStack = Stack.of(controls) === stack;
  fn.addToRolePolicy(new iam.PolicyStatement({
    // The function reads the states back after a refusal, to tell a change that landed from one refused.
    actions: ['route53-recovery-cluster:UpdateRoutingControlStates', 'route53-recovery-cluster:GetRoutingControlState'],
    resources: sameStack
      ? controls.regions.map((r) => controls.routingControlArn(r))
      : [stack.formatArn({ service: 'route53-recovery-control', region: '', resource: 'controlpanel', resourceName: '*/routingcontrol/*' })],
  }));
  if (!sameStack) {
    acknowledgeRoutingControlWildcard(fn.role);
  }
}

/**
 * The endpoint groups a runbook turns the traffic dials of, and the calls that turn them: one
 * `UpdateEndpointGroup` per group, sent to the Global Accelerator API in us-west-2
 * (docs/aws-facts.md#arc-and-global-accelerator). Regions meet by name or literal ARN: an
 * accelerator of another stack is given by its endpoint groups' literal ARNs, never by reference.
 */
import { Duration, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { sdkTask, StepContext } from './step-context';
import { GLOBAL_ACCELERATOR_API_REGION } from '../../objectives/model/accelerator-dials';
import { isRegionName } from '../../private/region';
import { show, truncate } from '../../private/validate';
import type { AcceleratorFailover } from '../../routing/accelerator-failover';

/** An endpoint group's ARN: the accelerator's, then the listener's id, then the group's (no Region, no partition other than aws*). */
const ENDPOINT_GROUP_ARN = /^arn:aws[a-z-]*:globalaccelerator::\d{12}:(accelerator\/[A-Za-z0-9-]+\/listener\/[A-Za-z0-9]+)\/endpoint-group\/[A-Za-z0-9]+$/;

/** Where the runbook finds the groups: the construct of its own stack, or literal ARNs. */
export interface DialGroupSource {
  readonly failover?: AcceleratorFailover;
  readonly endpointGroupArns?: { [region: string]: string };
  readonly region: string;
}

/** An endpoint group the runbook dials. */
export interface DialGroup {
  readonly region: string;
  readonly arn: string;
}

/**
 * The groups, in the order of the failover's Regions or of the ARNs given, each problem added:
 * exactly one source, the failover in the runbook's stack, ARNs of one listener, literal or of
 * this stack, `region` among them.
 */
export function dialGroups(ctx: StepContext, source: DialGroupSource): DialGroup[] {
  const p = ctx.problems;
  const here = Stack.of(ctx.scope);
  const { failover, endpointGroupArns: arns } = source;
  if ((failover === undefined) === (arns === undefined)) {
    p.add(`\`${ctx.prop}\` needs exactly one of \`failover\` and \`endpointGroupArns\`, got ${failover === undefined ? 'neither' : 'both'}. `
      + 'Give the AcceleratorFailover when it is in the runbook\'s stack, else the literal ARNs of its endpoint groups by Region.');
    return [];
  }
  let groups: DialGroup[];
  if (failover !== undefined) {
    if (Stack.of(failover) !== here) {
      p.add(`\`${ctx.prop}.failover\` (${failover.node.path}) is in stack ${Stack.of(failover).node.path}, not in the runbook's stack ${here.node.path}: `
        + 'its endpoint group ARNs hold ids Global Accelerator generates, which the runbook would reference through a cross-stack export; '
        + 'an export can block deploys and cannot change after a disaster. Give `endpointGroupArns` instead: each Region\'s literal ARN, '
        + `as \`aws globalaccelerator list-endpoint-groups --region ${GLOBAL_ACCELERATOR_API_REGION} --listener-arn <listener>\` shows it once deployed.`);
      return [];
    }
    groups = failover.regions.map((region) => ({ region, arn: failover.endpointGroup(region).endpointGroupArn }));
  } else {
    groups = checkArns(ctx, arns!);
  }
  const regions = failover?.regions ?? Object.keys(arns!);
  if (regions.length > 0 && !regions.includes(source.region)) {
    p.add(`\`${ctx.prop}.region\` must be one of the accelerator's endpoint group Regions (${regions.join(', ')}), got: ${show(source.region)}. `
      + 'Give the Region that takes the traffic.');
  }
  return groups;
}

function checkArns(ctx: StepContext, arns: { [region: string]: string }): DialGroup[] {
  const p = ctx.problems;
  const prop = `${ctx.prop}.endpointGroupArns`;
  const entries = Object.entries(arns);
  if (entries.length < 2) {
    p.add(`\`${prop}\` must name at least two Regions' endpoint groups, got ${entries.length}: a switch moves traffic from one Region to another. `
      + 'Give the ARN of every endpoint group of the listener, by Region.');
  }
  const listeners = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [region, arn] of entries) {
    if (!isRegionName(region)) {
      p.add(`\`${prop}\` has the key ${show(region)}, which is not an AWS Region name such as us-east-1. Key each ARN by its endpoint group's Region.`);
    }
    if (Token.isUnresolved(arn)) {
      checkTokenArn(ctx, `${prop}[${JSON.stringify(region)}]`, arn);
      continue;
    }
    const match = ENDPOINT_GROUP_ARN.exec(arn);
    if (!match) {
      p.add(`\`${prop}[${JSON.stringify(region)}]\` must be the ARN of an endpoint group `
        + `(arn:aws:globalaccelerator::<account>:accelerator/<id>/listener/<id>/endpoint-group/<id>), got: ${show(truncate(arn))}.`);
      continue;
    }
    const first = seen.get(arn);
    if (first !== undefined) {
      p.add(`\`${prop}[${JSON.stringify(region)}]\` is the same endpoint group as \`${prop}[${JSON.stringify(first)}]\`. Give each Region's own group.`);
    }
    seen.set(arn, region);
    listeners.set(region, match[1]);
  }
  const distinct = [...new Set(listeners.values())];
  if (distinct.length > 1) {
    p.add(`\`${prop}\` holds endpoint groups of ${distinct.length} listeners (${distinct.join(', ')}): dials share the traffic of one listener. `
      + 'Give the groups of one listener, one step per listener.');
  }
  return entries.map(([region, arn]) => ({ region, arn }));
}

/**
 * A Token ARN must be of the runbook's own stack: a reference to another stack (or an import)
 * would be a cross-stack export.
 */
function checkTokenArn(ctx: StepContext, prop: string, arn: string): void {
  const here = Stack.of(ctx.scope);
  for (const token of Tokenization.reverseString(arn).tokens) {
    if (Reference.isReference(token) && Stack.of(token.target) !== here) {
      ctx.problems.add(`\`${prop}\` references ${token.target.node.path} of stack ${Stack.of(token.target).node.path}, not the runbook's stack `
        + `${here.node.path}: a cross-stack reference, which can block deploys and cannot change after a disaster. Regions meet by name or literal `
        + `ARN: give the endpoint group's literal ARN, as \`aws globalaccelerator list-endpoint-groups --region ${GLOBAL_ACCELERATOR_API_REGION}\` shows it.`);
      return;
    }
  }
  if (JSON.stringify(here.resolve(arn)).includes('Fn::ImportValue')) {
    ctx.problems.add(`\`${prop}\` imports a value of another stack (Fn::ImportValue), which can block deploys and cannot change after a disaster. `
      + 'Regions meet by name or literal ARN: give the endpoint group\'s literal ARN.');
  }
}

/**
 * One `UpdateEndpointGroup` per group, in order, with only `TrafficDialPercentage` (the other
 * settings stay). In the runbook's Region when that is us-west-2, else through aws-cdk-lib's
 * cross-Region task, whose client package is `@aws-sdk/client-global-accelerator`.
 */
export function dialTasks(ctx: StepContext, dials: Array<{ readonly group: DialGroup; readonly dial: number }>): sfn.TaskStateBase[] {
  const local = ctx.region === GLOBAL_ACCELERATOR_API_REGION;
  return dials.map(({ group, dial }) => {
    const task = sdkTask(ctx, `UpdateEndpointGroup (${group.region} dial ${dial})`, {
      service: local ? 'globalaccelerator' : 'global-accelerator',
      action: 'updateEndpointGroup',
      iamAction: 'globalaccelerator:UpdateEndpointGroup',
      parameters: { EndpointGroupArn: group.arn, TrafficDialPercentage: dial },
      iamResources: [group.arn],
      resultSelector: { 'region.$': '$.EndpointGroup.EndpointGroupRegion', 'dial.$': '$.EndpointGroup.TrafficDialPercentage' },
      read: false,
      errorPrefix: 'GlobalAccelerator',
      region: GLOBAL_ACCELERATOR_API_REGION,
      timeout: Duration.seconds(30),
    });
    // Setting a dial twice is harmless: an internal error is retried too (the cross-Region task's SDK client retries it itself).
    if (task instanceof tasks.CallAwsService) {
      task.addRetry({ errors: ['GlobalAccelerator.InternalServiceErrorException'], maxAttempts: 3, interval: Duration.seconds(2), backoffRate: 2 });
    }
    return task;
  });
}

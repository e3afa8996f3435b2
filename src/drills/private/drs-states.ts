/**
 * The states of a DRS recovery drill (`DrillInjection.drsRecovery`): `StartRecovery` with
 * `isDrill`, a poll of `DescribeJobs` until the job completes (DRS sends no event for it), and a
 * restore that terminates the drill's recovery instances, which DRS never cleans up
 * (docs/aws-facts.md#fis-and-drs).
 */
import { Aspects, AspectPriority, Duration, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { IConstruct } from 'constructs';
import { BoundInjection, InjectionContext } from './injection-binding';
import { POLL_INTERVAL } from './injection-states';
import { acknowledgeFindings, defaultPolicyOf } from '../../private/nag';
import { show } from '../../private/validate';
import { failurePath, pollUntil, resultPath, sdkTask, StepContext } from '../../runbooks/private/step-context';

/** A DRS source server ID, as the API model gives it. */
const SOURCE_SERVER_ID = /^s-[0-9a-zA-Z]{17}$/;
/** `StartRecovery` takes 1 to 200 source servers. */
const MAX_SERVERS = 200;
/** The job states of a recovery that has not ended. */
const JOB_RUNNING = ['PENDING', 'STARTED'];

/**
 * The actions `StartRecovery` and `TerminateRecoveryInstances` depend on: DRS launches and
 * terminates the EC2 resources with the caller's permissions. None of these EC2 actions can be
 * scoped to resources known at synth (the instances, volumes, snapshots and launch templates
 * are made by the recovery).
 */
const DEPENDENT_EC2_ACTIONS = [
  'ec2:AttachVolume', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateLaunchTemplate',
  'ec2:CreateLaunchTemplateVersion', 'ec2:CreateSecurityGroup', 'ec2:CreateSnapshot', 'ec2:CreateTags', 'ec2:CreateVolume',
  'ec2:DeleteLaunchTemplateVersions', 'ec2:DeleteSnapshot', 'ec2:DeleteVolume', 'ec2:DescribeAccountAttributes', 'ec2:DescribeAvailabilityZones',
  'ec2:DescribeImages', 'ec2:DescribeInstanceAttribute', 'ec2:DescribeInstanceStatus', 'ec2:DescribeInstanceTypes', 'ec2:DescribeInstances',
  'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSnapshots', 'ec2:DescribeSubnets',
  'ec2:DescribeVolumes', 'ec2:DetachVolume', 'ec2:ModifyInstanceAttribute', 'ec2:ModifyLaunchTemplate', 'ec2:RevokeSecurityGroupEgress',
  'ec2:RunInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'ec2:TerminateInstances',
];

/** Checks the source server IDs; undefined when a problem was reported. */
export function checkSourceServerIds(ctx: InjectionContext, ids: string[] | undefined): string[] | undefined {
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SERVERS) {
    ctx.problems.add(`\`injection.sourceServerIds\` must list 1 to ${MAX_SERVERS} DRS source server IDs, got: ${show(ids)}. `
      + 'Give the IDs the DRS console shows for the servers to recover in the drill, e.g. s-1234567890abcdef0.');
    return undefined;
  }
  const bad = ids.filter((id) => typeof id !== 'string' || (!Token.isUnresolved(id) && !SOURCE_SERVER_ID.test(id)));
  if (bad.length > 0) {
    ctx.problems.add(`\`injection.sourceServerIds\` must be DRS source server IDs (s- and 17 letters or digits), got: ${bad.map(show).join(', ')}. `
      + 'The DRS agent makes them when it is installed: copy them from the DRS console or DescribeSourceServers.');
    return undefined;
  }
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0) {
    ctx.problems.add(`\`injection.sourceServerIds\` lists ${repeated.map(show).join(', ')} more than once. Give each server once.`);
    return undefined;
  }
  return ids;
}

/** The states of the drill: start the recovery drill, follow its job, and terminate its instances on restore. */
export function drsRecoveryStates(ctx: InjectionContext, ids: string[], timeout: Duration): BoundInjection {
  const stack = Stack.of(ctx.scope);
  const sourceServers = ids.map((id) => stack.formatArn({ service: 'drs', resource: 'source-server', resourceName: id }));
  const recoveryInstances = stack.formatArn({ service: 'drs', resource: 'recovery-instance', resourceName: '*' });
  const jobId = `${resultPath(ctx.inject)}.jobId`;

  const start = sdkTask(ctx.inject, 'StartRecovery', {
    service: 'drs',
    action: 'startRecovery',
    iamAction: 'drs:StartRecovery',
    parameters: { SourceServers: ids.map((id) => ({ SourceServerID: id })), IsDrill: true },
    iamResources: sourceServers,
    additionalIamStatements: dependentStatements(stack, sourceServers, recoveryInstances),
    resultSelector: { 'jobId.$': '$.Job.JobID' },
    read: false,
    errorPrefix: 'Drs',
  });

  // Follow: the job until it completes (DRS sends no event for it).
  const follow = ctx.follow;
  const status = `${resultPath(follow)}.jobs[0].Status`;
  const wait = pollUntil(follow, {
    what: 'recovery job completed',
    read: describeJob(follow, jobId),
    done: sfn.Condition.and(sfn.Condition.isPresent(status), sfn.Condition.stringEquals(status, 'COMPLETED')),
    interval: POLL_INTERVAL,
    timeout,
  });
  // Every participating server must have launched; DRS reports a failed launch per server, not on the job.
  const participating = `${resultPath(follow)}.jobs[0].ParticipatingServers`;
  const each = new sfn.Map(follow.scope, 'follow: each server launched?', {
    stateName: 'follow: each server launched?',
    itemsPath: participating,
    itemSelector: {
      'status.$': '$$.Map.Item.Value.LaunchStatus',
      'cause.$': `States.Format('the DRS drill job {} did not launch source server {}: {}', ${jobId}, $$.Map.Item.Value.SourceServerID, `
        + '$$.Map.Item.Value.LaunchStatus)',
    },
    maxConcurrency: 1,
    resultPath: sfn.JsonPath.DISCARD,
  });
  each.itemProcessor(new sfn.Choice(follow.scope, 'follow: this server launched?', { stateName: 'follow: this server launched?' })
    .when(sfn.Condition.stringEquals('$.status', 'LAUNCHED'), new sfn.Pass(follow.scope, 'follow: server launched', { stateName: 'follow: server launched' }))
    .otherwise(new sfn.Fail(follow.scope, 'follow: server not launched', {
      stateName: 'follow: server not launched', error: 'DrillRecoveryNotLaunched', causePath: '$.cause',
    })));
  each.addCatch(follow.onFailure, { resultPath: failurePath(follow) });
  const launched = new sfn.Pass(follow.scope, 'follow: recovery drill launched', { stateName: 'follow: recovery drill launched' });
  const none = new sfn.Pass(follow.scope, 'follow: no server in the job', {
    stateName: 'follow: no server in the job',
    parameters: { 'Error': 'DrillRecoveryNotLaunched', 'Cause.$': `States.Format('the DRS drill job {} completed with no source server', ${jobId})` },
    resultPath: failurePath(follow),
  }).next(follow.onFailure);
  const pick = new sfn.Choice(follow.scope, 'follow: servers in the job?', { stateName: 'follow: servers in the job?' })
    .when(sfn.Condition.isPresent(`${participating}[0]`), each.next(launched))
    .otherwise(none);
  wait.endStates.forEach((s) => s.next(pick));

  return {
    inject: sfn.Chain.start(start),
    follow: sfn.Chain.custom(wait.startState, [launched], launched),
    restore: terminateDrillInstances(ctx, ids, jobId, timeout, recoveryInstances),
    followSeconds: timeout.toSeconds(),
  };
}

function describeJob(c: StepContext, jobId: string): sfn.TaskStateBase {
  return sdkTask(c, 'DescribeJobs', {
    service: 'drs',
    action: 'describeJobs',
    iamAction: 'drs:DescribeJobs',
    parameters: { Filters: { 'JobIDs.$': `States.Array(${jobId})` } },
    // DescribeJobs takes no resource-level permissions (docs/aws-facts.md#fis-and-drs).
    iamResources: ['*'],
    resultSelector: { 'jobs.$': '$.Items' },
    read: true,
    errorPrefix: 'Drs',
  });
}

/**
 * Restore: when the drill's job is known, wait for it to end (instances launched after a
 * terminate would be left behind); then terminate every drill instance of the servers. Never a
 * recovery instance of a real recovery: only those DRS marks `IsDrill`.
 */
function terminateDrillInstances(ctx: InjectionContext, ids: string[], jobId: string, timeout: Duration, recoveryInstances: string): sfn.Chain {
  const restore = ctx.restore;
  const describe = sdkTask(restore, 'DescribeRecoveryInstances', {
    service: 'drs',
    action: 'describeRecoveryInstances',
    iamAction: 'drs:DescribeRecoveryInstances',
    parameters: { Filters: { SourceServerIDs: ids }, MaxResults: MAX_SERVERS },
    // DescribeRecoveryInstances, and ec2:DescribeInstances beside it, take no resource-level
    // permissions (docs/aws-facts.md#fis-and-drs); acknowledged for cdk-nag in acknowledgeDrsDrill.
    iamResources: ['*'],
    additionalIamStatements: [new iam.PolicyStatement({ actions: ['ec2:DescribeInstances'], resources: ['*'] })],
    resultSelector: { 'instances.$': '$.Items' },
    read: true,
    errorPrefix: 'Drs',
  });
  const each = new sfn.Map(restore.scope, 'restore: each recovery instance', {
    stateName: 'restore: each recovery instance',
    itemsPath: `${resultPath(restore)}.instances`,
    itemSelector: { 'id.$': '$$.Map.Item.Value.RecoveryInstanceID', 'isDrill.$': '$$.Map.Item.Value.IsDrill' },
    maxConcurrency: 1,
    resultPath: sfn.JsonPath.DISCARD,
  });
  const terminate = new tasks.CallAwsService(restore.scope, 'restore: TerminateRecoveryInstances', {
    stateName: 'restore: TerminateRecoveryInstances',
    service: 'drs',
    action: 'terminateRecoveryInstances',
    iamAction: 'drs:TerminateRecoveryInstances',
    parameters: { 'RecoveryInstanceIDs.$': 'States.Array($.id)' },
    iamResources: [recoveryInstances],
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
  });
  terminate.addRetry({ errors: ['Drs.ThrottlingException'], maxAttempts: 4, interval: Duration.seconds(2), backoffRate: 2 });
  // Only drill instances: a real recovery's instances serve, and are never the drill's to remove.
  each.itemProcessor(new sfn.Choice(restore.scope, 'restore: a drill instance?', { stateName: 'restore: a drill instance?' })
    .when(sfn.Condition.booleanEquals('$.isDrill', true), terminate)
    .otherwise(new sfn.Pass(restore.scope, 'restore: not a drill instance', { stateName: 'restore: not a drill instance' })));
  each.addCatch(restore.onFailure, { resultPath: failurePath(restore) });
  describe.next(each);

  // A wait that gives up still goes on to terminate what was launched so far (and the restore then fails with it).
  const waitCtx: StepContext = { ...restore, id: 'restore-wait', onFailure: describe };
  const status = `${resultPath(waitCtx)}.jobs[0].Status`;
  const wait = pollUntil(waitCtx, {
    what: 'recovery job ended',
    read: describeJob(waitCtx, jobId),
    done: sfn.Condition.not(sfn.Condition.and(sfn.Condition.isPresent(status),
      sfn.Condition.or(...JOB_RUNNING.map((s) => sfn.Condition.stringEquals(status, s))))),
    interval: POLL_INTERVAL,
    timeout,
  });
  wait.endStates.forEach((s) => s.next(describe));
  const choice = new sfn.Choice(restore.scope, 'restore: recovery started?', { stateName: 'restore: recovery started?' })
    .when(sfn.Condition.isPresent(jobId), wait)
    // Without a job ID the start failed, maybe after DRS had started the job: terminate what is there.
    .otherwise(describe);
  return sfn.Chain.custom(choice, [each], choice);
}

function dependentStatements(stack: Stack, sourceServers: string[], recoveryInstances: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['drs:CreateRecoveryInstanceForDrs', 'drs:ListTagsForResource'],
      resources: [...sourceServers, recoveryInstances],
    }),
    // StartRecovery and TerminateRecoveryInstances act on EC2 with the caller's permissions: the resources are made by the recovery.
    new iam.PolicyStatement({ actions: DEPENDENT_EC2_ACTIONS, resources: ['*'] }),
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'service-role/AWSElasticDisasterRecovery*' })],
      conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    }),
  ];
}

/**
 * The cdk-nag acknowledgement of the `*` resources a DRS drill needs, on the drill's role,
 * written when the tree is complete (the role exists only once the drill's state machine does),
 * before cdk-nag reads it.
 */
export function acknowledgeDrsDrill(drill: IConstruct): void {
  Aspects.of(drill).add(new AcknowledgeDrs(drill), { priority: AspectPriority.MUTATING });
}

class AcknowledgeDrs implements IAspect {
  constructor(private readonly drill: IConstruct) {}

  public visit(node: IConstruct): void {
    if (node !== this.drill) {
      return;
    }
    for (const role of node.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) {
      acknowledgeFindings(defaultPolicyOf(role), [{
        id: 'AwsSolutions-IAM5',
        reason: 'A DRS recovery drill: drs:DescribeJobs and drs:DescribeRecoveryInstances take no resource-level permissions; StartRecovery and '
          + 'TerminateRecoveryInstances act on EC2 with the caller\'s permissions, on instances, volumes, snapshots and launch templates the recovery '
          + 'makes; the drill instances DRS makes get their IDs then (recovery-instance/*); iam:PassRole only to DRS\'s own service roles, '
          + 'for EC2 (docs/aws-facts.md#fis-and-drs).',
        applies_to: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:(drs:[^:]*:[0-9]*:recovery-instance\\/\\*|iam::[0-9]*:role\\/service-role\\/AWSElasticDisasterRecovery\\*)$/g' }],
      }]);
    }
  }
}

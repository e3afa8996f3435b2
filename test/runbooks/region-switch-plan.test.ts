import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  DataPlaneSwitch, Fence, HealthProbe, ManualApproval, PromoteData, RecoveryObjectives, RegionSwitchPlan, RegionSwitchPlanProps, RoutingControls,
  RoutingControlsProps, RpoGuard, RunbookStep, ScaleCapacity, SwitchTraffic, VerifyRecovery, WaitHealthy,
} from '../../src';
import { readJson, testApp, testStack } from '../util';

const EAST = 'us-east-1';
const WEST = 'us-west-2';

/** The plan's stack (us-west-2, where the ARC resources are) with its routing controls and approvers' topic. */
function parts(controlsProps: Partial<RoutingControlsProps> = {}, stack = testStack(testApp(), 'Stack', WEST)) {
  const controls = new RoutingControls(stack, 'Controls', { regions: [EAST, WEST], controlPanelName: 'app', ...controlsProps });
  return { stack, controls, topic: new sns.Topic(stack, 'Approvers') };
}

const failover = (primaryRegion = EAST) => PromoteData.auroraGlobalFailover({
  globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion,
});
const switchover = () => PromoteData.auroraGlobalSwitchover({
  globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-east', primaryClusterIdentifier: 'orders-west', primaryRegion: WEST,
});

function plan(stack: Stack, props: Partial<RegionSwitchPlanProps> & Pick<RegionSwitchPlanProps, 'failoverSteps'>, id = 'Plan'): RegionSwitchPlan {
  return new RegionSwitchPlan(stack, id, {
    planName: 'orders',
    primaryRegion: EAST,
    standbyRegion: WEST,
    recoveryTimeObjective: Duration.minutes(30),
    ...props,
  });
}

/** Every step kind that has a block, in the failover's order (the controls without the assertion rule, so the fence can map). */
function allMappable(p: ReturnType<typeof parts>): RunbookStep[] {
  return [
    Fence.routingControl({ controls: p.controls, region: EAST }),
    ManualApproval.snsTopic({ topic: p.topic, timeout: Duration.minutes(30) }),
    failover(),
    PromoteData.readReplica({ instanceIdentifier: 'orders-replica', timeout: Duration.seconds(90) }),
    ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 4, timeout: Duration.minutes(15) }),
    SwitchTraffic.routingControls({ controls: p.controls, region: WEST }),
  ];
}

const arn = (service: string, region: string, resource: string) =>
  ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:${region}:111111111111:${resource}`]] });

describe('RegionSwitchPlan', () => {
  describe('the plan', () => {
    test('every mappable step becomes its block, in order, in the workflow that activates the standby', () => {
      // GIVEN
      const p = parts({ assertionRule: false });

      // WHEN
      plan(p.stack, { failoverSteps: allMappable(p) });

      // THEN
      const template = Template.fromStack(p.stack);
      const control = (region: string) => p.stack.resolve(p.controls.routingControlArn(region));
      const approver = p.stack.resolve((p.stack.node.findChild('Plan').node.findChild('ApprovalRole') as iam.Role).roleArn);
      template.resourceCountIs('AWS::ARCRegionSwitch::Plan', 1);
      template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
        Name: 'orders',
        Description: 'Failover from us-east-1 to us-west-2, generated from the runbook steps',
        PrimaryRegion: EAST,
        Regions: [EAST, WEST],
        RecoveryApproach: 'activePassive',
        RecoveryTimeObjectiveMinutes: 30,
        ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PlanExecutionRole'), 'Arn'] },
        Workflows: [{
          WorkflowTargetAction: 'activate',
          WorkflowTargetRegion: WEST,
          WorkflowDescription: Match.stringLikeRegexp('^Failover to us-west-2: turn the routing control of us-east-1 Off; '),
          Steps: [
            {
              Name: 'fence',
              Description: 'turn the routing control of us-east-1 Off',
              ExecutionBlockType: 'ARCRoutingControl',
              ExecutionBlockConfiguration: { ArcRoutingControlConfig: { RegionAndRoutingControls: { [WEST]: [{ RoutingControlArn: control(EAST), State: 'Off' }] } } },
            },
            {
              Name: 'approval',
              Description: 'Approve the next steps of the runbook',
              ExecutionBlockType: 'ManualApproval',
              ExecutionBlockConfiguration: { ExecutionApprovalConfig: { ApprovalRole: approver, TimeoutMinutes: 30 } },
            },
            {
              Name: 'promote',
              Description: 'fail the Aurora global database orders over to orders-west',
              ExecutionBlockType: 'AuroraGlobalDatabase',
              ExecutionBlockConfiguration: {
                GlobalAuroraConfig: {
                  Behavior: 'failover',
                  GlobalClusterIdentifier: 'orders',
                  DatabaseClusterArns: [arn('rds', EAST, 'cluster:orders-east'), arn('rds', WEST, 'cluster:orders-west')],
                  Ungraceful: { Ungraceful: 'failover' },
                },
              },
            },
            {
              Name: 'promote-2',
              Description: 'promote the read replica orders-replica',
              ExecutionBlockType: 'RdsPromoteReadReplica',
              ExecutionBlockConfiguration: {
                RdsPromoteReadReplicaConfig: { DbInstanceArnMap: { [WEST]: arn('rds', WEST, 'db:orders-replica') }, TimeoutMinutes: 2 },
              },
            },
            {
              Name: 'scale',
              Description: 'scale web to 4 tasks (Region switch: 100 % of the tasks web ran in us-east-1, at most over 24 h; the runbook asks 4)',
              ExecutionBlockType: 'ECSServiceScaling',
              ExecutionBlockConfiguration: {
                EcsCapacityIncreaseConfig: {
                  Services: [
                    { ClusterArn: arn('ecs', EAST, 'cluster/app'), ServiceArn: arn('ecs', EAST, 'service/app/web') },
                    { ClusterArn: arn('ecs', WEST, 'cluster/app'), ServiceArn: arn('ecs', WEST, 'service/app/web') },
                  ],
                  TargetPercent: 100,
                  CapacityMonitoringApproach: 'sampledMaxInLast24Hours',
                  TimeoutMinutes: 15,
                },
              },
            },
            {
              Name: 'switch',
              Description: 'send traffic to us-west-2 (routing controls)',
              ExecutionBlockType: 'ARCRoutingControl',
              ExecutionBlockConfiguration: {
                ArcRoutingControlConfig: { RegionAndRoutingControls: { [WEST]: [{ RoutingControlArn: control(EAST), State: 'Off' }, { RoutingControlArn: control(WEST), State: 'On' }] } },
              },
            },
          ],
        }],
      });
    });

    test('the failback steps become the workflow that activates the primary; a switchover stays a switchover', () => {
      // GIVEN
      const p = parts();

      // WHEN
      plan(p.stack, {
        failoverSteps: [failover(), SwitchTraffic.routingControls({ controls: p.controls, region: WEST })],
        failbackSteps: [switchover(), SwitchTraffic.routingControls({ controls: p.controls, region: EAST })],
      });

      // THEN
      const [resource] = Object.values(Template.fromStack(p.stack).findResources('AWS::ARCRegionSwitch::Plan'));
      const [, back] = resource.Properties.Workflows;
      expect(back).toMatchObject({ WorkflowTargetAction: 'activate', WorkflowTargetRegion: EAST });
      expect(back.Steps.map((s: any) => [s.Name, s.ExecutionBlockType])).toEqual([['promote', 'AuroraGlobalDatabase'], ['switch', 'ARCRoutingControl']]);
      expect(back.Steps[0].ExecutionBlockConfiguration.GlobalAuroraConfig).toEqual({
        Behavior: 'switchoverOnly',
        GlobalClusterIdentifier: 'orders',
        DatabaseClusterArns: [arn('rds', WEST, 'cluster:orders-west'), arn('rds', EAST, 'cluster:orders-east')],
      });
      expect(Object.keys(back.Steps[1].ExecutionBlockConfiguration.ArcRoutingControlConfig.RegionAndRoutingControls)).toEqual([EAST]);
    });

    test('the plan is the L1 under id Resource, and depends on its role\'s policy', () => {
      const p = parts();
      const rsp = plan(p.stack, { failoverSteps: [failover()] });
      expect(rsp.node.defaultChild).toBe(rsp.plan);
      expect(p.stack.resolve(rsp.planArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Plan/), 'Arn'] });
      const [resource] = Object.values(Template.fromStack(p.stack).findResources('AWS::ARCRegionSwitch::Plan'));
      expect(resource.DependsOn).toEqual([expect.stringMatching(/^PlanExecutionRoleDefaultPolicy/)]);
      expect(rsp.recoveryTimeObjectiveMinutes).toBe(30);
      expect(rsp.approvalRole).toBeUndefined();
    });

    test('ecsServiceCounterparts name the other Region\'s service', () => {
      const p = parts();
      plan(p.stack, {
        failoverSteps: [ScaleCapacity.ecsService({ clusterName: 'app-west', serviceName: 'web', desiredCount: 2 })],
        ecsServiceCounterparts: { 'app-west/web': 'app-east/web-east' },
      });
      const [resource] = Object.values(Template.fromStack(p.stack).findResources('AWS::ARCRegionSwitch::Plan'));
      const config = resource.Properties.Workflows[0].Steps[0].ExecutionBlockConfiguration.EcsCapacityIncreaseConfig;
      expect(config.Services).toEqual([
        { ClusterArn: arn('ecs', EAST, 'cluster/app-east'), ServiceArn: arn('ecs', EAST, 'service/app-east/web-east') },
        { ClusterArn: arn('ecs', WEST, 'cluster/app-west'), ServiceArn: arn('ecs', WEST, 'service/app-west/web') },
      ]);
      expect(config.TimeoutMinutes).toBeUndefined();
    });

    test('a gating control is a warning: the block is refused while the gate is Off', () => {
      const p = parts({ gatingControl: true });
      plan(p.stack, { failoverSteps: [SwitchTraffic.routingControls({ controls: p.controls, region: WEST })] });
      Annotations.fromStack(p.stack).hasWarning('/Stack/Plan', Match.stringLikeRegexp('failoverSteps\\[0\\]: Stack/Controls has a gating control: ARC refuses'));
    });

    test('the synthesized template is cfn-lint clean', () => {
      // GIVEN
      const p = parts({ assertionRule: false });
      const lost = new cloudwatch.Alarm(p.stack, 'Lost', {
        metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 3,
      });
      plan(p.stack, {
        failoverSteps: allMappable(p),
        failbackSteps: [switchover(), SwitchTraffic.routingControls({ controls: p.controls, region: EAST })],
        startOnAlarm: lost,
        applicationHealthAlarms: [lost],
      });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-lint-'));
      const file = path.join(dir, 'plan.template.json');
      fs.writeFileSync(file, JSON.stringify(Template.fromStack(p.stack).toJSON()));

      // WHEN
      const lint = spawnSync('cfn-lint', ['--format', 'json', '--regions', EAST, WEST, '--', file], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });

      // THEN
      expect(lint.error).toBeUndefined();
      const findings: any[] = JSON.parse(lint.stdout || '[]');
      // W3005 (a DependsOn already implied by a GetAtt) is aws-cdk-lib's, on its custom resource's role; none is the plan's.
      const ours = findings.filter((f) => f.Level === 'Error' || !/^AWS679f53fac002430cb0da5b7982bd2287/.test(f.Location.Path[1] ?? ''));
      expect(ours).toEqual([]);
    });
  });

  describe('the execution role', () => {
    test('trusts Region switch and gets the blocks\' permissions, scoped to their ARNs; reads on * as the docs give them', () => {
      // GIVEN
      const p = parts();

      // WHEN
      plan(p.stack, { failoverSteps: [failover(), SwitchTraffic.routingControls({ controls: p.controls, region: WEST })] });

      // THEN
      const template = Template.fromStack(p.stack);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'arc-region-switch.amazonaws.com' } }] },
      });
      const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^PlanExecutionRoleDefaultPolicy') } }));
      const resolve = (x: string) => p.stack.resolve(x);
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Action: 'iam:SimulatePrincipalPolicy', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PlanExecutionRole/), 'Arn'] } },
        {
          Action: ['arc-region-switch:GetPlan', 'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutions'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':arc-region-switch::111111111111:plan/orders:*']] },
        },
        { Action: ['rds:DescribeGlobalClusters', 'rds:DescribeDBClusters'], Effect: 'Allow', Resource: '*' },
        {
          Action: 'rds:FailoverGlobalCluster',
          Effect: 'Allow',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds::111111111111:global-cluster:orders']] },
            arn('rds', EAST, 'cluster:orders-east'),
            arn('rds', WEST, 'cluster:orders-west'),
          ],
        },
        {
          Action: ['route53-recovery-control-config:DescribeControlPanel', 'route53-recovery-control-config:DescribeCluster'],
          Effect: 'Allow',
          Resource: [resolve(p.controls.controlPanelArn), resolve(p.controls.clusterArn)],
        },
        {
          Action: ['route53-recovery-cluster:GetRoutingControlState', 'route53-recovery-cluster:UpdateRoutingControlStates'],
          Effect: 'Allow',
          Resource: [resolve(p.controls.routingControlArn(EAST)), resolve(p.controls.routingControlArn(WEST))],
        },
      ]);
      expect(policy.Metadata.cdk_nag.rules_to_suppress.map((r: any) => [r.id, r.applies_to])).toEqual([
        ['AwsSolutions-IAM5', [{ regex: '/^Resource::arn:<AWS::Partition>:arc-region-switch::.*:plan\\/.*:\\*$/' }]],
        ['AwsSolutions-IAM5', ['Resource::*']],
      ]);
    });

    test('with routing controls only, no statement has a * resource, and only the plan ARN\'s suffix is acknowledged', () => {
      const p = parts();
      plan(p.stack, { failoverSteps: [SwitchTraffic.routingControls({ controls: p.controls, region: WEST })] });
      const [policy] = Object.values(Template.fromStack(p.stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^PlanExecutionRoleDefaultPolicy') } }));
      expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain('"*"');
      expect(policy.Metadata.cdk_nag.rules_to_suppress.map((r: any) => r.applies_to)).toEqual([[{ regex: expect.stringContaining('arc-region-switch') }]]);
    });

    test('a given execution role gets the permissions; no role is created', () => {
      const p = parts();
      const role = iam.Role.fromRoleArn(p.stack, 'Given', 'arn:aws:iam::111111111111:role/region-switch');
      const rsp = plan(p.stack, { failoverSteps: [failover()], executionRole: role });
      const template = Template.fromStack(p.stack);
      expect(rsp.executionRole).toBe(role);
      template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', { ExecutionRole: 'arn:aws:iam::111111111111:role/region-switch' });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: ['region-switch'],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'rds:FailoverGlobalCluster' })]) },
      });
      expect(Object.keys(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'arc-region-switch.amazonaws.com' } }] } } }))).toEqual([]);
    });

    test('the approval role is assumable in the account and may approve this plan\'s steps only; a given one is used as is', () => {
      const p = parts();
      const rsp = plan(p.stack, { failoverSteps: [ManualApproval.snsTopic({ topic: p.topic })] });
      const template = Template.fromStack(p.stack);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^PlanApprovalRole') }],
        PolicyDocument: {
          Statement: [{
            Action: 'arc-region-switch:ApprovePlanExecutionStep',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':arc-region-switch::111111111111:plan/orders:*']] },
          }],
        },
      });
      expect(rsp.approvalRole).toBeDefined();
      const [resource] = Object.values(template.findResources('AWS::ARCRegionSwitch::Plan'));
      expect(resource.Properties.Workflows[0].Steps[0].ExecutionBlockConfiguration.ExecutionApprovalConfig).toEqual({
        ApprovalRole: { 'Fn::GetAtt': [expect.stringMatching(/^PlanApprovalRole/), 'Arn'] },
      });

      const q = parts();
      const approvers = iam.Role.fromRoleArn(q.stack, 'Approvers2', 'arn:aws:iam::111111111111:role/approvers');
      const given = plan(q.stack, { failoverSteps: [ManualApproval.snsTopic({ topic: q.topic })], approvalRole: approvers });
      expect(given.approvalRole).toBe(approvers);
      expect(given.node.tryFindChild('ApprovalRole')).toBeUndefined();
    });

    test('grantStart lets an operator run, follow, change and cancel this plan\'s executions', () => {
      const p = parts();
      const rsp = plan(p.stack, { failoverSteps: [failover()] });
      const operator = new iam.Role(p.stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
      rsp.grantStart(operator);
      Template.fromStack(p.stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Operator') }],
        PolicyDocument: {
          Statement: [{
            Action: [
              'arc-region-switch:StartPlanExecution', 'arc-region-switch:GetPlan', 'arc-region-switch:GetPlanEvaluationStatus',
              'arc-region-switch:GetPlanExecution', 'arc-region-switch:ListPlanExecutions', 'arc-region-switch:ListPlanExecutionEvents',
              'arc-region-switch:UpdatePlanExecution', 'arc-region-switch:CancelPlanExecution',
            ],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':arc-region-switch::111111111111:plan/orders:*']] },
          }],
        },
      });
    });

    test('cdk-nag reports nothing open on the plan', () => {
      const p = parts({ assertionRule: false });
      plan(p.stack, { failoverSteps: allMappable(p) });
      Aspects.of(p.stack.node.root).add(new AwsSolutionsChecks());
      (p.stack.node.root as any).synth();
      const open = p.stack.node.findChild('Plan').node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && /AwsSolutions-/.test(String(m.data)))
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
    });
  });

  describe('alarms', () => {
    const alarm = (stack: Stack, id: string, alarmName?: string) => new cloudwatch.Alarm(stack, id, {
      alarmName,
      metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors', period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 3,
    });

    test('startOnAlarm is a trigger that activates the standby when the alarm is red; health alarms are associated; the role reads them', () => {
      // GIVEN
      const p = parts();
      const lost = alarm(p.stack, 'Lost', 'east-lost');
      const health = alarm(p.stack, 'Health');

      // WHEN
      plan(p.stack, { failoverSteps: [failover()], startOnAlarm: lost, applicationHealthAlarms: [health] });

      // THEN
      const template = Template.fromStack(p.stack);
      const healthArn = p.stack.resolve(health.alarmArn);
      template.hasResourceProperties('AWS::ARCRegionSwitch::Plan', {
        AssociatedAlarms: {
          'health-1': { AlarmType: 'applicationHealth', ResourceIdentifier: healthArn },
          'east-lost': { AlarmType: 'trigger', ResourceIdentifier: p.stack.resolve(lost.alarmArn) },
        },
        Triggers: [{
          Action: 'activate',
          TargetRegion: WEST,
          Description: 'Fails over to us-west-2 when east-lost is in ALARM',
          Conditions: [{ AssociatedAlarmName: 'east-lost', Condition: 'red' }],
          MinDelayMinutesBetweenExecutions: 1440,
        }],
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp('^PlanExecutionRoleDefaultPolicy'),
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
            Effect: 'Allow',
            Resource: [healthArn, p.stack.resolve(lost.alarmArn)],
          }]),
        },
      });
    });

    test('with a trigger, the execution role may start this plan', () => {
      const p = parts();
      plan(p.stack, { failoverSteps: [failover()], startOnAlarm: alarm(p.stack, 'Lost') });
      Template.fromStack(p.stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp('^PlanExecutionRoleDefaultPolicy'),
        PolicyDocument: {
          Statement: Match.arrayWith([{
            Action: 'arc-region-switch:StartPlanExecution',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':arc-region-switch::111111111111:plan/orders:*']] },
          }]),
        },
      });
    });

    test('a plan without alarms has no associated alarms or triggers', () => {
      const p = parts();
      plan(p.stack, { failoverSteps: [failover()] });
      const [resource] = Object.values(Template.fromStack(p.stack).findResources('AWS::ARCRegionSwitch::Plan'));
      expect(resource.Properties.AssociatedAlarms).toBeUndefined();
      expect(resource.Properties.Triggers).toBeUndefined();
    });

    test('the trigger starts the modeled path: the alarm\'s periods, then the trigger, no person', () => {
      const app = testApp();
      const p = parts({}, testStack(app, 'Stack', WEST));
      plan(p.stack, {
        failoverSteps: [failover()],
        startOnAlarm: alarm(p.stack, 'Lost'),
        minTimeBetweenTriggeredRuns: Duration.hours(2),
        assumptions: { regionSwitchTrigger: Duration.seconds(20) },
      });
      Template.fromStack(p.stack).hasResourceProperties('AWS::ARCRegionSwitch::Plan', { Triggers: [Match.objectLike({ MinDelayMinutesBetweenExecutions: 120 })] });
      const [over] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;
      expect(over.terms.slice(0, 2).map((t: any) => [t.term, t.maxSeconds, t.assumptionId ?? null])).toEqual([
        ['detection', 240, null],
        ['decision', 20, 'regionSwitchTrigger'],
      ]);
    });

    test.each([
      [Duration.seconds(30), /`minTimeBetweenTriggeredRuns` must be whole seconds of 60 or more, got: 30 seconds\. Give whole minutes, e\.g\. Duration\.hours\(1\)\./],
      [Duration.seconds(90), /`minTimeBetweenTriggeredRuns` must be whole minutes, got: 1 minute 30 seconds\./],
    ])('fails on minTimeBetweenTriggeredRuns %s', (minTime, message) => {
      const p = parts();
      expect(() => plan(p.stack, { failoverSteps: [failover()], startOnAlarm: alarm(p.stack, 'Lost'), minTimeBetweenTriggeredRuns: minTime })).toThrow(message);
    });

    test('fails on minTimeBetweenTriggeredRuns without startOnAlarm', () => {
      const p = parts();
      expect(() => plan(p.stack, { failoverSteps: [failover()], minTimeBetweenTriggeredRuns: Duration.hours(1) })).toThrow(
        '`minTimeBetweenTriggeredRuns` is set, but no `startOnAlarm` starts the plan. Remove it, or give the alarm that starts the plan.');
    });
  });

  describe('steps with no block', () => {
    const stepsWithout = (stack: Stack): [string, RunbookStep, RegExp][] => {
      const alarm = new cloudwatch.Alarm(stack, 'Lag', {
        metric: new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBRPOLag' }), threshold: 30_000, evaluationPeriods: 1,
      });
      const targetGroup = elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'Targets', {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/web/0123456789abcdef',
      });
      return [
        ['rpoGuardAlarm', RpoGuard.alarm({ alarm, maxLag: Duration.seconds(30) }),
          /Region switch has no block that refuses to go on while a lag alarm is in ALARM.*Remove it from the plan's steps .*or keep the Step Functions runbook/],
        ['fenceEcsService', Fence.ecsService({ clusterName: 'app', serviceName: 'web', region: EAST }),
          /it cannot scale the old primary to 0\. Fence with Fence\.routingControl\(\.\.\.\) instead, or keep the Step Functions runbook/],
        ['waitTargetGroup', WaitHealthy.targetGroup({ targetGroup }),
          /no block waits for a target group's healthy targets .*CustomActionLambda needs a function written for Region switch's event.*Remove it/],
        ['waitAlarm', WaitHealthy.alarm({ alarm }), /no block waits for an alarm to be OK.*Remove it from the plan's steps, or keep the Step Functions runbook/],
        ['verifyHttp', VerifyRecovery.http({ url: 'https://app.example.com/health' }),
          /VerifyRecovery has no Region switch block .*Remove it from the plan's steps, or keep the Step Functions runbook/],
        ['fenceAutoScalingGroup', Fence.autoScalingGroup({ autoScalingGroupName: 'web-east', region: EAST }),
          /the EC2AutoScaling block .* cannot scale the old primary to 0\. Fence with Fence\.routingControl/],
        ['scaleAutoScalingGroup', ScaleCapacity.autoScalingGroup({ autoScalingGroupName: 'web-west', desiredCapacity: 2 }),
          /the EC2AutoScaling block needs each group's ARN, which holds an id AWS generates/],
        ['awaitDnsFailover', SwitchTraffic.awaitDnsFailover({ url: 'https://app.example.com', bodyContains: 'west' }),
          /no block waits for Route 53's own failover to reach clients/],
        ['switchDataPlane', SwitchTraffic.dataPlaneSwitch({
          dataPlaneSwitch: new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', regions: [EAST, 'us-west-2'], probe: new HealthProbe(stack, 'Probe') }),
          region: 'us-west-2',
        }), /no block writes the data-plane switch's SSM parameter/],
      ];
    };

    test.each(['rpoGuardAlarm', 'fenceEcsService', 'waitTargetGroup', 'waitAlarm', 'verifyHttp', 'fenceAutoScalingGroup', 'scaleAutoScalingGroup',
      'awaitDnsFailover', 'switchDataPlane'])('fails on %s with the path, the index, the kind and what to do', (kind) => {
      // GIVEN
      const p = parts();
      const [, step, why] = stepsWithout(p.stack).find(([k]) => k === kind)!;

      // WHEN / THEN
      expect(() => plan(p.stack, { failoverSteps: [failover(), step] })).toThrow(
        new RegExp(`^Stack/Plan: \`failoverSteps\\[1\\]\` \\(${kind}: .*\\) has no Region switch execution block: .*${why.source}`));
    });

    test('leaves them out with omitStepsWithoutBlock, warning with each, and with the promotion left unfenced', () => {
      // GIVEN
      const p = parts();
      const steps = stepsWithout(p.stack);
      const guard = steps.find(([k]) => k === 'rpoGuardAlarm')![1];
      const verify = steps.find(([k]) => k === 'verifyHttp')![1];

      // WHEN: the runbook's own step list, fence under the assertion rule included
      plan(p.stack, {
        omitStepsWithoutBlock: true,
        failoverSteps: [guard, Fence.routingControl({ controls: p.controls, region: EAST }), failover(),
          SwitchTraffic.routingControls({ controls: p.controls, region: WEST }), verify],
      });

      // THEN
      const [workflow] = Template.fromStack(p.stack).findResources('AWS::ARCRegionSwitch::Plan')[Object.keys(
        Template.fromStack(p.stack).findResources('AWS::ARCRegionSwitch::Plan'))[0]].Properties.Workflows;
      expect(workflow.Steps.map((st: any) => st.ExecutionBlockType)).toEqual(['AuroraGlobalDatabase', 'ARCRoutingControl']);
      Annotations.fromStack(p.stack).hasWarning('/Stack/Plan', Match.stringLikeRegexp(
        'The plan leaves out 3 step\\(s\\) of `failoverSteps`.*`failoverSteps\\[0\\]` \\(rpoGuardAlarm.*`failoverSteps\\[1\\]` '
        + '\\(fenceRoutingControl: .*refused by the assertion safety rule\\).*`failoverSteps\\[4\\]` \\(verifyHttp'));
      Annotations.fromStack(p.stack).hasWarning('/Stack/Plan', Match.stringLikeRegexp('makes a new writer while the old primary still gets traffic'));
    });

    test('fails with omitStepsWithoutBlock when no step is left', () => {
      const p = parts();
      const verify = stepsWithout(p.stack).find(([k]) => k === 'verifyHttp')![1];
      expect(() => plan(p.stack, { omitStepsWithoutBlock: true, failoverSteps: [verify] })).toThrow(
        /`failoverSteps` has no step that can be a Region switch execution block: a plan's workflow needs at least one/);
    });

    test('fails listing every rejected step at once, in both workflows', () => {
      const p = parts();
      const steps = stepsWithout(p.stack).map(([, s]) => s);
      expect(() => plan(p.stack, { failoverSteps: steps, failbackSteps: [steps[4]] })).toThrow(
        /^Stack\/Plan: 10 problems:\n {2}- `failoverSteps\[0\]` \(rpoGuardAlarm: [^]*- `failbackSteps\[0\]` \(verifyHttp: /);
    });
  });

  describe('validation', () => {
    test.each([
      ['o', true],
      ['orders-failover-plan-2026-west-01', false], // 33
      ['orders-failover-plan-2026-west-1', true], // 32
      ['-orders', false],
      ['orders-', false],
      ['orders_plan', false],
      ['', false],
    ])('planName %p valid: %p', (planName, valid) => {
      const p = parts();
      const make = () => plan(p.stack, { planName, failoverSteps: [failover()] });
      if (valid) {
        expect(make).not.toThrow();
      } else {
        expect(make).toThrow(`\`planName\` must be 1 to 32 letters, digits or hyphens, starting and ending with a letter or digit, got: ${JSON.stringify(planName)}.`);
      }
    });

    test.each([
      ['us-east-1', 'us-east-1', /`standbyRegion` must differ from `primaryRegion`, both are "us-east-1"\. A plan has exactly two Regions\./],
      ['useast1', WEST, /`primaryRegion` must be a Region name such as us-east-1, got: "useast1"\. A plan has exactly two Regions: the primary and the standby\./],
      [EAST, '', /`standbyRegion` must be a Region name such as us-east-1, got: ""\./],
    ])('fails on Regions %p and %p', (primaryRegion, standbyRegion, message) => {
      const p = parts();
      expect(() => plan(p.stack, { primaryRegion, standbyRegion, failoverSteps: [ScaleCapacity.ecsService({ clusterName: 'a', serviceName: 'b', desiredCount: 1 })] }))
        .toThrow(message);
    });

    test.each([
      [Duration.minutes(1), 1],
      [Duration.minutes(10_080), 10_080],
      [Duration.days(7), 10_080],
      [Duration.seconds(59), undefined],
      [Duration.minutes(10_081), undefined],
      [Duration.seconds(90), undefined],
    ])('recoveryTimeObjective %s gives %p minutes', (rto, minutes) => {
      const p = parts();
      const make = () => plan(p.stack, { recoveryTimeObjective: rto, failoverSteps: [failover()] });
      if (minutes !== undefined) {
        expect(make().recoveryTimeObjectiveMinutes).toBe(minutes);
        Template.fromStack(p.stack).hasResourceProperties('AWS::ARCRegionSwitch::Plan', { RecoveryTimeObjectiveMinutes: minutes });
      } else {
        expect(make).toThrow(/`recoveryTimeObjective` must be whole (seconds from 60 to 604800|minutes)/);
      }
    });

    test.each([
      [Duration.seconds(30), 1],
      [Duration.seconds(90), 2],
      [Duration.hours(2), 120],
      [Duration.days(7), 10_080],
    ])('without recoveryTimeObjective the RTO of the nearest RecoveryObjectives (%s) is taken, rounded up: %p minutes', (rto, minutes) => {
      const app = testApp();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.days(30) });
      const p = parts({}, testStack(app, 'Stack', WEST));
      new RecoveryObjectives(p.stack, 'Objectives', { rto });
      expect(plan(p.stack, { recoveryTimeObjective: undefined, failoverSteps: [failover()] }).recoveryTimeObjectiveMinutes).toBe(minutes);
    });

    test('fails when the objectives\' RTO is over 7 days, or when there is none', () => {
      const app = testApp();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.days(8) });
      const p = parts({}, testStack(app, 'Stack', WEST));
      expect(() => plan(p.stack, { recoveryTimeObjective: undefined, failoverSteps: [failover()] })).toThrow(
        'the RTO of Objectives (8 days) is over the 10080 minutes (7 days) a Region switch plan allows. Give `recoveryTimeObjective` of at most Duration.days(7).');
      const q = parts();
      expect(() => plan(q.stack, { recoveryTimeObjective: undefined, failoverSteps: [failover()] })).toThrow(
        /^Stack\/Plan: `recoveryTimeObjective` is required when no RecoveryObjectives is declared above the plan\./);
    });

    test('fails with no failover steps, or an empty failback', () => {
      const p = parts();
      expect(() => plan(p.stack, { failoverSteps: [], failbackSteps: [] })).toThrow(
        /^Stack\/Plan: 2 problems:\n {2}- `failoverSteps` must hold at least one step; got none\.[^]*- `failbackSteps` must hold at least one step/);
    });

    test('fails on a fence with the assertion rule, which a block cannot override', () => {
      const p = parts();
      expect(() => plan(p.stack, { failoverSteps: [Fence.routingControl({ controls: p.controls, region: EAST }), failover()] })).toThrow(
        '`failoverSteps[0]` (fenceRoutingControl: turn the routing control of us-east-1 Off) turns us-east-1 Off while us-west-2 is still Off, which the '
        + 'assertion safety rule of Stack/Controls refuses, and a Region switch block cannot override safety rules. Remove the fence from the plan\'s steps '
        + '(the SwitchTraffic block turns us-east-1 Off in the same update that turns us-west-2 On), or build the controls with `assertionRule: false`.');
    });

    test('fails on routing controls in another stack, which would need a cross-stack export', () => {
      const app = testApp();
      const p = parts({}, testStack(app, 'Controls', WEST));
      const other = testStack(app, 'Other', WEST);
      expect(() => plan(other, { failoverSteps: [SwitchTraffic.routingControls({ controls: p.controls, region: WEST })] })).toThrow(
        /^Other\/Plan: `failoverSteps\[0\]\.controls` \(Controls\/Controls\) is in stack Controls, not in the plan's stack Other: .*Create the RegionSwitchPlan in the stack of the RoutingControls\./);
    });

    test('fails on steps whose Regions do not fit the workflow', () => {
      const p = parts();
      const controls3 = new RoutingControls(p.stack, 'Controls3', { regions: [EAST, 'eu-west-1'], controlPanelName: 'other' });
      expect(() => plan(p.stack, {
        failoverSteps: [
          failover(WEST),
          SwitchTraffic.routingControls({ controls: p.controls, region: EAST }),
          SwitchTraffic.routingControls({ controls: controls3, region: WEST }),
        ],
      })).toThrow(new RegExp([
        '^Stack/Plan: 3 problems:',
        '  - `failoverSteps\\[0\\]\\.primaryRegion` must be us-east-1, the Region the workflow moves away from, got: "us-west-2"\\.',
        '  - `failoverSteps\\[1\\]\\.region` must be us-west-2, the Region the workflow activates, got: "us-east-1"\\.',
        '  - `failoverSteps\\[2\\]\\.controls` has no routing control for us-west-2 \\(its Regions: us-east-1, eu-west-1\\)\\. Give routing controls for both of the plan\'s Regions\\.$',
      ].join('\n')));
    });

    test('fails on a switch before the promotion, and on a failback that can lose data', () => {
      const p = parts();
      expect(() => plan(p.stack, {
        failoverSteps: [SwitchTraffic.routingControls({ controls: p.controls, region: WEST }), failover()],
        failbackSteps: [PromoteData.readReplica({ instanceIdentifier: 'orders-east' })],
      })).toThrow(new RegExp([
        '^Stack/Plan: 2 problems:',
        '  - `failoverSteps\\[1\\]` \\(fail the Aurora global database orders over to orders-west\\) must come before `failoverSteps\\[0\\]` '
          + '\\(send traffic to us-west-2 \\(routing controls\\)\\): traffic must reach the new side after its data accepts writes\\. Reorder `failoverSteps`\\.',
        '  - `failbackSteps\\[0\\]` \\(promote the read replica orders-east\\) can lose data; a failback is planned and must not: use '
          + 'PromoteData\\.auroraGlobalSwitchover\\(\\.\\.\\.\\), which waits until the old primary has every write\\.$',
      ].join('\n')));
    });

    test('warns on a promotion that can lose data with no fence before it; a fence first needs no warning', () => {
      const p = parts({ assertionRule: false });
      plan(p.stack, { failoverSteps: [failover(), SwitchTraffic.routingControls({ controls: p.controls, region: WEST })] });
      Annotations.fromStack(p.stack).hasWarning('/Stack/Plan', Match.stringLikeRegexp(
        '^`failoverSteps\\[0\\]` \\(fail the Aurora global database orders over to orders-west\\) makes a new writer while the old primary still gets traffic.*'
        + 'keep the Step Functions runbook, whose fence overrides the safety rule\\. \\[ack: cdk-failover:plan-unfenced-promotion\\]$'));

      const q = parts({ assertionRule: false });
      plan(q.stack, { failoverSteps: [Fence.routingControl({ controls: q.controls, region: EAST }), failover()] });
      Annotations.fromStack(q.stack).hasNoWarning('/Stack/Plan', Match.stringLikeRegexp('makes a new writer'));
    });

    test('fails on names a block\'s ARN pattern refuses, and on a Token timeout', () => {
      const p = parts();
      expect(() => plan(p.stack, {
        failoverSteps: [
          ScaleCapacity.ecsService({ clusterName: 'app cluster', serviceName: 'web', desiredCount: 1 }),
          PromoteData.readReplica({ instanceIdentifier: 'orders--replica' }),
          ManualApproval.snsTopic({ topic: p.topic, timeout: Duration.minutes(Lazy.number({ produce: () => 5 })) }),
        ],
        ecsServiceCounterparts: { 'app cluster/web': 'east' },
      })).toThrow(/`failoverSteps\[0\]\.clusterName` must be 1 to 255 letters, digits, hyphens or underscores for a Region switch block, got: "app cluster"\.[^]*`ecsServiceCounterparts\["app cluster\/web"\]` must be `<cluster>\/<service>`[^]*`failoverSteps\[1\]\.instanceIdentifier` must be an RDS identifier for a Region switch block[^]*`failoverSteps\[2\]\.timeout` is a deploy-time Token, but the plan needs the block's timeout in minutes at synth/);
    });

    test('fails on an assumption id the plan does not use', () => {
      const p = parts();
      expect(() => plan(p.stack, { failoverSteps: [failover()], assumptions: { dnsTtl: Duration.seconds(1) } })).toThrow(
        /`assumptions` sets "dnsTtl", which this construct does not use/);
    });
  });

  describe('the recovery path', () => {
    test('the report shows the failover: the decision, then every block\'s terms; the failback starts when planned', () => {
      // GIVEN
      const app = testApp();
      const p = parts({ assertionRule: false }, testStack(app, 'Stack', WEST));
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(2), rpo: Duration.minutes(2) });

      // WHEN
      plan(p.stack, {
        failoverSteps: allMappable(p),
        failbackSteps: [switchover(), SwitchTraffic.routingControls({ controls: p.controls, region: EAST })],
        assumptions: { approvalWait: Duration.minutes(5) },
      });
      const paths = readJson(path.join(app.synth().directory, 'failover-report.json')).paths.filter((x: any) => x.id.startsWith('Stack/Plan'));

      // THEN
      expect(paths.map((x: any) => [x.id, x.kind, x.name])).toEqual([
        ['Stack/Plan#failover', 'runbook', 'failover from us-east-1 to us-west-2 (Plan: fence, approval, promote, promote-2, scale, switch)'],
        ['Stack/Plan#failback', 'runbook', 'failback from us-west-2 to us-east-1 (Plan: promote, switch)'],
      ]);
      const [over, back] = paths;
      expect(over.terms.map((t: any) => [t.term, t.maxSeconds, t.assumptionId ?? null])).toEqual([
        ['decision', 600, 'operatorResponse'],
        ['fence', 5, 'runbookTask'],
        ['decision', 300, 'approvalWait'],
        ['promote', 5, 'runbookTask'],
        ['promote', 300, 'globalDatabaseFailover'],
        ['replicationLag', 10, 'auroraGlobalLag'],
        ['promote', 5, 'runbookTask'],
        ['promote', 120, 'replicaPromotion'],
        ['replicationLag', 60, 'rdsReplicaLag'],
        ['scale', 5, 'runbookTask'],
        ['scale', 300, 'ecsScaleOut'],
        ['switch', 5, 'runbookTask'],
        ['switch', 30, 'routingControlToHealthStatus'],
        ['switch', 30, 'healthToDnsAnswer'],
        ['propagation', 60, null],
        ['clientCache', 5, 'clientDnsCache'],
      ]);
      expect(over.rto).toMatchObject({ worstSeconds: 1770, objectiveSeconds: 7200, met: true, dominantTerm: 'decision' });
      expect(over.rpo).toMatchObject({ worstSeconds: 70, objectiveSeconds: 120, met: true });
      expect(back.rto).toMatchObject({ worstSeconds: 435, met: true, dominantTerm: 'promote' });
      expect(back.rpo).toMatchObject({ worstSeconds: 0 });
    });

    test('warns when the modeled failover is longer than the plan\'s own RTO', () => {
      const p = parts();
      plan(p.stack, { failoverSteps: [PromoteData.readReplica({ instanceIdentifier: 'orders-replica' })], recoveryTimeObjective: Duration.minutes(20) });
      Annotations.fromStack(p.stack).hasWarning('/Stack/Plan', Match.stringLikeRegexp(
        '^the modeled worst-case failover \\(25 minutes 5 seconds\\) is longer than `recoveryTimeObjective` \\(20 min\\), so Region switch would report '
        + 'executions as late; the longest term: promote up to 15 minutes \\(RDS promotes orders-replica'));

      const q = parts();
      plan(q.stack, { failoverSteps: [PromoteData.readReplica({ instanceIdentifier: 'orders-replica' })], recoveryTimeObjective: Duration.minutes(26) });
      Annotations.fromStack(q.stack).hasNoWarning('/Stack/Plan', Match.stringLikeRegexp('modeled worst-case'));
    });

    test('fails synth when the plan misses the RTO, naming the dominant block', () => {
      const app = testApp();
      const p = parts({}, testStack(app, 'Stack', WEST));
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(10) });
      plan(p.stack, { failoverSteps: [PromoteData.readReplica({ instanceIdentifier: 'orders-replica' })], assumptions: { operatorResponse: Duration.minutes(1) } });
      expect(() => app.synth()).toThrow(/Stack\/Plan\] runbook of failover from us-east-1 to us-west-2 \(Plan: promote\): modeled worst-case recovery time 16 min 5 s exceeds the RTO objective 10 min .*Dominant term: promote up to 15 min \(RDS promotes orders-replica to a standalone writer/);
    });

    test('fails synth when a failover block misses the RPO: with no guard block the whole lag counts', () => {
      const app = testApp();
      const p = parts({}, testStack(app, 'Stack', WEST));
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.seconds(5) });
      plan(p.stack, { failoverSteps: [failover()] });
      expect(() => app.synth()).toThrow(/modeled worst-case data loss 10 s exceeds the RPO objective 5 s .*Dominant term: replication lag up to 10 s \(the block's failover behavior calls FailoverGlobalCluster with AllowDataLoss.*Fix: use PromoteData\.auroraGlobalSwitchover where the primary Region is up/);
    });
  });
});

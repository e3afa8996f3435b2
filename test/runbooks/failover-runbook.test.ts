import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { allSteps, EAST, failoverRunbook, runbookParts, WEST } from './runbook-fixture';
import {
  FailbackRunbook, Fence, ManualApproval, PromoteData, RecoveryObjectives, RoutingControls, RpoGuard, RunbookStep, ScaleCapacity, SwitchTraffic,
  VerifyRecovery, WaitHealthy,
} from '../../src';
import { readJson, regionalFailover, testApp, testStack } from '../util';

describe('FailoverRunbook', () => {
  describe('the state machine', () => {
    test('is named, logged, traced and bounded in time', () => {
      const stack = testStack();
      failoverRunbook(stack);
      Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'orders-failover',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
        DefinitionString: Match.anyValue(),
      });
      const definition = JSON.stringify(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
      expect(definition).toContain('\\"TimeoutSeconds\\":7200');
      Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    });

    test('grants each SDK call on the exact resources it touches', () => {
      const stack = testStack();
      failoverRunbook(stack);
      const statements = policyStatements(stack, 'FailoverStateMachineRole');
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: 'cloudwatch:describeAlarms', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Lag/), 'Arn'] } }),
        expect.objectContaining({
          Action: 'rds:failoverGlobalCluster',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds::111111111111:global-cluster:orders']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-west-2:111111111111:cluster:orders-west']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111111111111:cluster:orders-east']] },
          ],
        }),
        expect.objectContaining({ Action: 'ecs:updateService', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-west-2:111111111111:service/app/web']] } }),
        expect.objectContaining({ Action: 'elasticloadbalancing:DescribeTargetHealth', Resource: '*' }),
        expect.objectContaining({ Action: 'ssm:putParameter' }),
        expect.objectContaining({ Action: 'sns:Publish', Resource: { Ref: expect.stringMatching(/^Approvers/) } }),
      ]));
    });

    test('gives the runbook function the configuration parameter, the routing controls and its metric namespace', () => {
      const stack = testStack();
      failoverRunbook(stack);
      const statements = policyStatements(stack, 'CdkFailoverRunbookFunction');
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({
          Action: 'ssm:GetParameter',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-west-2:111111111111:parameter/cdk-failover/arc/Stack-Controls-27BB83A7']] },
        }),
        expect.objectContaining({
          Action: ['route53-recovery-cluster:UpdateRoutingControlStates', 'route53-recovery-cluster:GetRoutingControlState'],
          Resource: [
            { 'Fn::GetAtt': [expect.stringMatching(/^Controlsuseast1/), 'RoutingControlArn'] },
            { 'Fn::GetAtt': [expect.stringMatching(/^Controlsuswest2/), 'RoutingControlArn'] },
          ],
        }),
        { Action: 'cloudwatch:PutMetricData', Effect: 'Allow', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'CdkFailover/Runbooks' } } },
      ]));
    });

    test('grants the routing controls of another stack by the account\'s control panels, as their ARNs are tokens there', () => {
      const app = testApp();
      const arc = testStack(app, 'Arc', 'us-west-2');
      const controls = new RoutingControls(arc, 'Controls', { regions: [EAST, WEST] });
      const stack = testStack(app, 'Runbook', 'us-west-2');
      const p = { ...runbookParts(stack), controls };
      failoverRunbook(stack, { steps: allSteps(p) }, p);
      expect(policyStatements(stack, 'CdkFailoverRunbookFunction')).toEqual(expect.arrayContaining([expect.objectContaining({
        Action: ['route53-recovery-cluster:UpdateRoutingControlStates', 'route53-recovery-cluster:GetRoutingControlState'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53-recovery-control::111111111111:controlpanel/*/routingcontrol/*']] },
      })]));
    });

    test('fences an ECS service in the old Region through a cross-Region call', () => {
      const stack = testStack();
      const p = runbookParts(stack);
      failoverRunbook(stack, {
        steps: [
          Fence.ecsService({ clusterName: 'app', serviceName: 'web', region: EAST }),
          PromoteData.readReplica({ instanceIdentifier: 'orders-replica' }),
        ],
      }, p);
      const definition = JSON.stringify(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
      expect(definition).toContain('\\"region\\":\\"us-east-1\\",\\"action\\":\\"updateService\\",\\"service\\":\\"ecs\\"');
      expect(policyStatements(stack, 'CrossRegionAwsSdk')).toEqual(expect.arrayContaining([expect.objectContaining({
        Action: 'ecs:updateService',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-east-1:111111111111:service/app/web']] },
      })]));
    });

    test('starts by itself when the alarm goes into ALARM, only when asked', () => {
      const stack = testStack();
      const alarm = new cloudwatch.Alarm(stack, 'RegionLost', {
        metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 2,
      });
      failoverRunbook(stack, { startOnAlarm: alarm });
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          'source': ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          'resources': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RegionLost'), 'Arn'] }],
          'detail': { state: { value: ['ALARM'] } },
        },
        Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^FailoverStateMachine') }, Input: '{}' })],
      });
      const manual = testStack(undefined, 'Manual');
      failoverRunbook(manual);
      Template.fromStack(manual).resourceCountIs('AWS::Events::Rule', 0);
    });
  });

  describe('the runbook path in the report', () => {
    test('has one or more terms per step, after the decision, and the guard bounds the data loss', () => {
      const app = testApp();
      const stack = testStack(app);
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(1) });
      failoverRunbook(stack);
      const p = runbookReportPath(app);
      expect(p).toMatchObject({
        id: 'Stack/Failover#failover',
        kind: 'runbook',
        name: 'failover from us-east-1 to us-west-2 (Failover: rpoGuard, fence, approval, promote, scale, waitHealthy, switch, verify)',
        rto: { worstSeconds: 2485, objectiveSeconds: 3600, met: true, dominantTerm: 'decision', dominantTermId: 'approval-approval' },
        rpo: { worstSeconds: 30, objectiveSeconds: 60, met: true },
      });
      expect(p.terms.map((t: any) => [t.id, t.term, t.maxSeconds])).toEqual([
        ['runbook-decision', 'decision', 600],
        ['rpoGuard-rpo-guard', 'rpoGuard', 5],
        ['rpoGuard-guarded-lag', 'replicationLag', 30],
        ['fence-routing-control-off', 'fence', 5],
        ['approval-approval', 'decision', 900],
        ['promote-FailoverGlobalCluster', 'promote', 5],
        ['promote-aurora-global-failover', 'promote', 300],
        ['scale-ecs-update', 'scale', 5],
        ['scale-ecs-scale-out', 'scale', 300],
        ['waitHealthy-target-health', 'waitHealthy', 65],
        ['switch-routing-controls', 'switch', 5],
        ['switch-routing-control-health', 'switch', 30],
        ['switch-dns-answer', 'switch', 30],
        ['switch-resolver-cache', 'propagation', 60],
        ['switch-client-cache', 'clientCache', 5],
        ['verify-http', 'verify', 170],
      ]);
    });

    test('counts the promotion\'s own lag when no guard comes first, and the alarm\'s detection when the alarm starts it', () => {
      const app = testApp();
      const stack = testStack(app);
      const p = runbookParts(stack);
      const alarm = new cloudwatch.Alarm(stack, 'RegionLost', {
        metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors', period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 3,
      });
      failoverRunbook(stack, {
        startOnAlarm: alarm,
        steps: [
          Fence.routingControl({ controls: p.controls, region: EAST }),
          PromoteData.auroraGlobalFailover({
            globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion: EAST,
          }),
        ],
        assumptions: { auroraGlobalLag: Duration.seconds(3), globalDatabaseFailover: Duration.minutes(2) },
      }, p);
      const path_ = runbookReportPath(app);
      expect(path_.terms.map((t: any) => [t.id, t.maxSeconds])).toEqual([
        ['runbook-start-alarm', 240], ['runbook-automatic-start', 0], ['fence-routing-control-off', 5],
        ['promote-FailoverGlobalCluster', 5], ['promote-aurora-global-failover', 120], ['promote-failover-lag', 3],
      ]);
      expect(path_.rpo.worstSeconds).toEqual(3);
    });

    test('fails synth when the runbook misses the RTO, naming the dominant step and its fix', () => {
      const app = testApp();
      const stack = testStack(app);
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30) });
      failoverRunbook(stack);
      expect(() => app.synth()).toThrow(/runbook of failover from us-east-1 to us-west-2 .*: modeled worst-case recovery time 41 min 25 s exceeds the RTO objective 30 min .*Dominant term: decision up to 15 min \(a person approves the step/);
    });

    test('warns and models the slowest when the starting alarm\'s figures are unknown', () => {
      const app = testApp();
      const stack = testStack(app);
      const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:region-lost');
      failoverRunbook(stack, { startOnAlarm: alarm });
      const p = runbookReportPath(app);
      expect(p.terms[0]).toMatchObject({ id: 'runbook-start-alarm', maxSeconds: 1_209_600, assumption: true });
      Annotations.fromStack(stack).hasWarning('/Stack/Failover', Match.stringLikeRegexp('alarm that starts the runbook \\(region-lost\\) has a period'));
    });
  });

  describe('validation', () => {
    test.each<[string, (p: ReturnType<typeof runbookParts>) => RunbookStep[], RegExp]>([
      ['a guard after a fence', (p) => [Fence.routingControl({ controls: p.controls, region: EAST }), RpoGuard.alarm({ alarm: p.lagAlarm, maxLag: Duration.seconds(5) })],
        /steps\[1\] \(rpoGuard: .*\) must come before steps\[0\] \(fence: .*\): the RPO guard must refuse before anything changes\. Reorder `steps`\./],
      ['a lossy promotion without a fence', (p) => [RpoGuard.alarm({ alarm: p.lagAlarm, maxLag: Duration.seconds(5) }), PromoteData.readReplica({ instanceIdentifier: 'orders' })],
        /steps\[1\] \(promote: promote the read replica orders\) makes a new writer without waiting for the old one: a fence step must come before it/],
      ['a switch before the promotion', (p) => [
        Fence.routingControl({ controls: p.controls, region: EAST }),
        SwitchTraffic.routingControls({ controls: p.controls, region: WEST }),
        PromoteData.readReplica({ instanceIdentifier: 'orders' }),
      ], /steps\[2\] \(promote: .*\) must come before steps\[1\] \(switch: .*\): traffic must reach the new side after its data accepts writes/],
      ['a verification before the switch', (p) => [
        VerifyRecovery.http({ url: 'https://app.example.com' }),
        SwitchTraffic.routingControls({ controls: p.controls, region: WEST }),
      ], /steps\[1\] \(switch: .*\) must come before steps\[0\] \(verify: .*\): a verification checks the switch/],
    ])('fails with %s', (_name, steps, message) => {
      const stack = testStack();
      const p = runbookParts(stack);
      expect(() => failoverRunbook(stack, { steps: steps(p) }, p)).toThrow(message);
    });

    test('fails on bad props, naming each with its value and the fix', () => {
      const stack = testStack();
      const p = runbookParts(stack);
      expect(() => failoverRunbook(stack, {
        fromRegion: 'us-west-2',
        stateMachineName: 'orders failover',
        timeout: Duration.seconds(30),
        metricNamespace: 'AWS/Runbooks',
        assumptions: { clientDnsCache: Duration.seconds(1), typo: Duration.seconds(1) },
        steps: [
          Fence.routingControl({ controls: p.controls, region: 'eu-west-1' }),
          ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 0 }),
          WaitHealthy.targetGroup({ targetGroup: p.targetGroup, minimumHealthy: 0 }),
          VerifyRecovery.http({ url: 'app.example.com', attempts: 0, interval: Duration.millis(500) }),
          ManualApproval.snsTopic({ topic: p.topic, timeout: Duration.seconds(30) }),
        ],
      }, p)).toThrow(new RegExp([
        '^Stack/Failover: \\d+ problems:',
        '`stateMachineName` must be 1 to 80 letters, digits, hyphens or underscores, got: "orders failover"',
        '`timeout` must be whole seconds from 60 to 31536000, got: 30 seconds',
        '`metricNamespace` must be 1 to 255 letters, .* and not start with AWS/, got: "AWS/Runbooks"',
        '`fromRegion` is this stack\'s Region \\(us-west-2\\): a runbook runs in the Region it moves TO',
        '`assumptions` sets "typo", which this construct does not use',
      ].join('[\\s\\S]*')));
    });

    test('fails on bad step options, naming the step', () => {
      const stack = testStack();
      const p = runbookParts(stack);
      expect(() => failoverRunbook(stack, {
        steps: [
          Fence.routingControl({ controls: p.controls, region: 'eu-west-1' }),
          PromoteData.auroraGlobalFailover({ globalClusterIdentifier: 'Orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion: 'east' }),
          ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 0 }),
          WaitHealthy.targetGroup({ targetGroup: p.targetGroup, minimumHealthy: 0 }),
          SwitchTraffic.routingControls({ controls: p.controls, region: WEST }),
          VerifyRecovery.http({ url: 'app.example.com', attempts: 0, interval: Duration.millis(500) }),
          ManualApproval.snsTopic({ topic: p.topic, timeout: Duration.seconds(30) }),
        ],
      }, p)).toThrow(new RegExp([
        '`steps\\[0\\]\\.region` must be one of the routing controls\' Regions \\(us-east-1, us-west-2\\), got: "eu-west-1"',
        '`steps\\[1\\]\\.globalClusterIdentifier` must be an RDS identifier: .* got: "Orders"',
        '`steps\\[1\\]\\.primaryRegion` must be a Region name such as us-east-1, got: "east"',
        '`steps\\[2\\]\\.desiredCount` must be',
        '`steps\\[3\\]\\.minimumHealthy` must be',
        '`steps\\[5\\]\\.url` must be an http:// or https:// URL, got: "app.example.com"',
        '`steps\\[5\\]\\.attempts` must be',
        '`steps\\[5\\]\\.interval` must be whole seconds from 1 to 300',
        '`steps\\[6\\]\\.timeout` must be whole seconds from 60 to 86400, got: 30 seconds',
      ].join('[\\s\\S]*')));
    });

    test('fails without steps', () => {
      const stack = testStack();
      expect(() => failoverRunbook(stack, { steps: [] })).toThrow(/`steps` must hold at least one step; got none/);
    });
  });
});

describe('FailbackRunbook', () => {
  test('refuses a promotion that can lose data', () => {
    const stack = testStack(undefined, 'East', EAST);
    const p = runbookParts(stack);
    expect(() => new FailbackRunbook(stack, 'Failback', {
      fromRegion: WEST,
      steps: [
        Fence.routingControl({ controls: p.controls, region: WEST }),
        PromoteData.auroraGlobalFailover({
          globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-east', primaryClusterIdentifier: 'orders-west', primaryRegion: WEST,
        }),
      ],
    })).toThrow(/steps\[1\] \(promote: .*\) can lose data; a failback is planned and must not: use PromoteData\.auroraGlobalSwitchover/);
  });

  test('is a planned path: no decision time, no data loss with a switchover', () => {
    const app = testApp();
    const stack = testStack(app, 'East', EAST);
    const p = runbookParts(stack);
    new FailbackRunbook(stack, 'Failback', {
      fromRegion: WEST,
      steps: [
        PromoteData.auroraGlobalSwitchover({
          globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-east', primaryClusterIdentifier: 'orders-west', primaryRegion: WEST,
        }),
        SwitchTraffic.routingControls({ controls: p.controls, region: EAST }),
      ],
    });
    const path_ = runbookReportPath(app);
    expect(path_).toMatchObject({ id: 'East/Failback#failback', name: 'failback from us-west-2 to us-east-1 (Failback: promote, switch)' });
    expect(path_.terms[0]).toMatchObject({ id: 'runbook-planned-start', maxSeconds: 0 });
    expect(path_.rpo.worstSeconds).toEqual(0);
  });
});

function policyStatements(stack: Stack, rolePrefix: string): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function runbookReportPath(app: ReturnType<typeof testApp>): any {
  const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
  return report.paths.find((p: any) => p.kind === 'runbook');
}

describe('SwitchTraffic.awaitDnsFailover', () => {
  test('waits for the recovery side\'s marker, modeled at the failover records\' worst case', () => {
    const app = testApp();
    const stack = testStack(app);
    const failover = regionalFailover(stack, {}, 'Records');
    const p = runbookParts(stack);
    failoverRunbook(stack, {
      steps: [
        Fence.routingControl({ controls: p.controls, region: EAST }),
        PromoteData.readReplica({ instanceIdentifier: 'orders-west' }),
        SwitchTraffic.awaitDnsFailover({ url: 'https://app.example.com/health', header: { name: 'x-region', value: WEST }, failover }),
      ],
    }, p);
    const definition = JSON.stringify(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('\\"action\\":\\"verifyHttp\\",\\"url\\":\\"https://app.example.com/health\\",\\"header\\":{\\"name\\":\\"x-region\\",\\"value\\":\\"us-west-2\\"},\\"attempts\\":40');
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
    const dns = report.paths.find((r: any) => r.kind === 'dns-failover');
    const runbook = report.paths.find((r: any) => r.kind === 'runbook');
    expect(runbook.terms.find((t: any) => t.id === 'switch-dns-failover')).toMatchObject({ maxSeconds: dns.rto.worstSeconds, assumption: false });
  });

  test('fails without a marker of the recovery side', () => {
    const stack = testStack();
    const p = runbookParts(stack);
    expect(() => failoverRunbook(stack, {
      steps: [SwitchTraffic.awaitDnsFailover({ url: 'https://app.example.com', timeout: Duration.minutes(20) })],
    }, p)).toThrow(/`steps\[0\]` needs `header` or `bodyContains`: without a marker any answer[\s\S]*`steps\[0\]\.timeout` must be whole seconds from 60 to 840/);
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { DnsFailover, FailoverTarget } from '../../src';
import { dnsFailoverPaths } from '../../src/analyze/private/route53-failover';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import {
  ALB_TARGET_GROUP_DEFAULTS, ELB_INTERVAL, ELB_SLOWEST, ELB_THRESHOLD, ELB_TIMEOUT, elbTargetDetection, targetHealthDetection,
} from '../../src/objectives/model/elb';
import { RecoveryPath } from '../../src/objectives/path';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (p: RecoveryPath) => p.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max)]);

describe('a raw aws-cdk-lib ALB behind a failover alias with EvaluateTargetHealth', () => {
  let found: ReturnType<typeof dnsFailoverPaths>;

  beforeAll(() => {
    // GIVEN: an ALB whose listener forwards to a target group with a slow custom health check,
    // and whose rule forwards to a second group at the defaults; a failover pair aliasing it.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    const listener = alb.addListener('Http', { port: 80, open: false });
    const slow = new elbv2.ApplicationTargetGroup(stack, 'Slow', {
      vpc,
      port: 80,
      targetType: elbv2.TargetType.IP,
      healthCheck: { interval: Duration.seconds(20), timeout: Duration.seconds(6), unhealthyThresholdCount: 4 },
    });
    const fast = new elbv2.ApplicationTargetGroup(stack, 'ApiGroup', { vpc, port: 80, targetType: elbv2.TargetType.IP });
    listener.addTargetGroups('Slow', { targetGroups: [slow] });
    listener.addTargetGroups('Api', { targetGroups: [fast], priority: 10, conditions: [elbv2.ListenerCondition.pathPatterns(['/api/*'])] });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const primary = new route53.ARecord(stack, 'Primary', {
      zone,
      recordName: 'app',
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(alb, { evaluateTargetHealth: true })),
    });
    // aws-cdk-lib's record has no failover policy: set it on the L1, as teams do.
    Object.assign(primary.node.defaultChild as route53.CfnRecordSet, { failover: 'PRIMARY', setIdentifier: 'primary' });
    new route53.CfnRecordSet(stack, 'Secondary', {
      hostedZoneId: 'Z123', name: 'app.example.com.', type: 'A', ttl: '60', resourceRecords: ['192.0.2.2'], setIdentifier: 'secondary', failover: 'SECONDARY',
    });
    const { templates } = readTemplates([app.synth().directory]);
    found = dnsFailoverPaths(templates.find((t) => t.name === 'Raw')!);
  });

  test('detection is the slowest target group\'s health check, term by term', () => {
    // THEN: 4 failures x 20 s + 6 s timeout = 86 s at worst, (4 - 1) x 20 = 60 s at best; the
    // default group (30 s x 2 + 5 s = 65 s) is faster.
    expect(found.notAnalysed).toEqual([]);
    expect(found.paths).toHaveLength(1);
    const [detection] = found.paths[0].estimate.terms;
    const slow = elbTargetDetection({ interval: 20, timeout: 6, unhealthyThreshold: 4 });
    expect([detection.id, seconds(detection.min), seconds(detection.max), detection.assumption]).toEqual(['elb-target-health', slow.min, slow.max, false]);
    expect(detection.basis).toMatch(/^Route 53 follows the ELB target health of the load balancer Alb[0-9A-F]+: ELB target health: 4 failed checks x 20 s interval \+ 6 s timeout \(target group Slow[0-9A-F]+, the slowest of 2/);
    expect(detection.remedy).toMatch(/^lower `HealthCheckIntervalSeconds` \(5 is the least\), `HealthCheckTimeoutSeconds` \(2\) and `UnhealthyThresholdCount` \(2\) on the AWS::ElasticLoadBalancingV2::TargetGroup Slow/);
    expect(detection.remedy).toMatch(/MultiAzService/);
    expect(found.paths[0].warnings).toEqual([]);
  });

  test('the terms after detection are those of DnsFailover with the load balancer as its primary', () => {
    // GIVEN
    const stack = new Stack(testApp(), 'Library', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const alb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/alb/0123456789abcdef',
      securityGroupId: 'sg-12345678',
      loadBalancerDnsName: 'alb-1.us-east-1.elb.amazonaws.com',
      loadBalancerCanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    });
    const library = new DnsFailover(stack, 'Failover', {
      zone, recordName: 'app', primary: FailoverTarget.loadBalancer(alb), secondary: FailoverTarget.ipAddresses(['192.0.2.2']),
    }).recoveryPaths()[0];

    // THEN: decision, DNS answer, ELB's 60 s alias TTL, clients.
    expect(figures(found.paths[0]).slice(1)).toEqual(figures(library).slice(1));
    expect(seconds(found.paths[0].estimate.rtoWorst)).toEqual(86 + 30 + 60 + 5);
  });

  test('the path names every resource it was read from', () => {
    const ids = Object.values(found.resources)[0];
    expect(ids.slice(0, 2)).toEqual([expect.stringMatching(/^Primary/), 'Secondary']);
    expect(ids).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Alb[0-9A-F]+$/), expect.stringMatching(/^AlbHttp/), expect.stringMatching(/^Slow/), expect.stringMatching(/^ApiGroup/),
    ]));
  });
});

describe('templates written by hand', () => {
  const failoverPair = (extra: object, parameters: object = {}): LoadedTemplate => ({
    name: 'Hand',
    file: 'hand.json',
    template: {
      Parameters: parameters as any,
      Resources: {
        Primary: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: 'Z1',
            Name: 'app.example.com',
            Type: 'A',
            Failover: 'PRIMARY',
            SetIdentifier: 'a',
            AliasTarget: { DNSName: { 'Fn::GetAtt': ['Lb', 'DNSName'] }, HostedZoneId: { 'Fn::GetAtt': ['Lb', 'CanonicalHostedZoneID'] }, EvaluateTargetHealth: true },
          },
        },
        Secondary: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: 'Z1', Name: 'app.example.com', Type: 'A', Failover: 'SECONDARY', SetIdentifier: 'b', TTL: '60', ResourceRecords: ['192.0.2.2'] } },
        Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
        ...extra,
      },
    },
  });
  const listener = (actions: object[], id = 'Listener') => ({ [id]: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, DefaultActions: actions } } });
  const group = (id: string, props: object) => ({ [id]: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: props } });
  const detectionOf = (t: LoadedTemplate) => {
    const found = dnsFailoverPaths(t);
    expect(found.notAnalysed).toEqual([]);
    const [d] = found.paths[0].estimate.terms;
    return { figures: [seconds(d.min), seconds(d.max), d.assumption], warnings: found.paths[0].warnings };
  };

  test('a weighted forward takes the slowest of its target groups; an ALB group\'s settings left out take the ALB defaults', () => {
    const found = detectionOf(failoverPair({
      ...listener([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'A' }, Weight: 1 }, { TargetGroupArn: { Ref: 'B' }, Weight: 1 }] } }]),
      ...group('A', { Protocol: 'HTTP', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, UnhealthyThresholdCount: 2 }),
      ...group('B', { Protocol: 'HTTPS', TargetType: 'ip' }),
    }));
    // A: 2 x 5 + 2 = 12 s; B at the ALB defaults: threshold x interval + timeout, best (threshold - 1) x interval.
    const d = ALB_TARGET_GROUP_DEFAULTS;
    expect(found).toEqual({ figures: [(d.unhealthyThreshold - 1) * d.interval, d.unhealthyThreshold * d.interval + d.timeout, false], warnings: [] });
  });

  test('a setting from a parameter without default, or an NLB group relying on its defaults, is modeled at the slowest ELB allows', () => {
    const found = detectionOf(failoverPair({
      ...listener([{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }]),
      ...group('Tg', { Protocol: 'TCP', HealthCheckIntervalSeconds: { Ref: 'Interval' }, UnhealthyThresholdCount: 3 }),
    }, { Interval: { Type: 'Number' } }));
    // Interval (unknown) and timeout (NLB default not in the facts file) at the slowest ELB allows, threshold 3.
    expect(found.figures).toEqual([2 * ELB_INTERVAL.max, 3 * ELB_INTERVAL.max + ELB_TIMEOUT.max, true]);
    expect(found.warnings).toEqual([
      'the target group Tg: `HealthCheckIntervalSeconds` (the parameter Interval, which has no default), `HealthCheckTimeoutSeconds` (left out, and its default '
      + 'depends on a protocol or target type the analysis does not model) modeled at the slowest ELB allows. Give literal values.',
    ]);
  });

  test('a target group of another template, or a load balancer without listener here, is modeled at the slowest ELB allows', () => {
    const slowest = [(ELB_THRESHOLD.max - 1) * ELB_INTERVAL.max, ELB_THRESHOLD.max * ELB_INTERVAL.max + ELB_TIMEOUT.max, true];
    const imported = detectionOf(failoverPair(listener([{ Type: 'forward', TargetGroupArn: { 'Fn::ImportValue': 'Tg' } }])));
    expect(imported.figures).toEqual(slowest);
    expect(imported.warnings).toEqual([
      'the target group {"Fn::ImportValue":"Tg"} is not defined in this template: its health check is modeled as the slowest ELB allows '
      + `(${ELB_THRESHOLD.max} failures x ${ELB_INTERVAL.max} s + ${ELB_TIMEOUT.max} s timeout).`,
    ]);
    const bare = detectionOf(failoverPair({}));
    expect(bare.figures).toEqual(slowest);
    expect(bare.warnings).toEqual([expect.stringMatching(/^the load balancer Lb has no listener in this template: its health check is modeled as the slowest/)]);
  });

  test('a load balancer that forwards to no target group never fails over: not analysed, with the reason', () => {
    const found = dnsFailoverPaths(failoverPair(listener([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }])));
    expect(found.paths).toEqual([]);
    expect(found.notAnalysed.map((n) => n.reason)).toEqual([
      expect.stringMatching(/^the alias evaluates the target health of the load balancer Lb, whose listeners forward to no target group .* never fails over/),
    ]);
  });

  test('a listener rule\'s target group counts; an action whose type is an Fn::If is said', () => {
    const found = detectionOf(failoverPair({
      ...listener([{ Type: { 'Fn::If': ['C', 'forward', 'redirect'] }, TargetGroupArn: { Ref: 'Tg' } }]),
      Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'Listener' }, Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }] } },
      ...group('Tg', { Protocol: 'HTTP', HealthCheckIntervalSeconds: '10', HealthCheckTimeoutSeconds: '5', UnhealthyThresholdCount: '3' }),
    }));
    // 3 x 10 + 5 = 35 s; best 2 x 10 = 20 s.
    expect(found.figures).toEqual([20, 35, false]);
    expect(found.warnings).toEqual(['an action of the listener Listener has a type the template does not decide: its target group, if any, is not read.']);
  });

  test('an alias to a load balancer outside the template keeps the targetHealthDetection assumption', () => {
    const t = failoverPair({});
    (t.template.Resources!.Primary.Properties as any).AliasTarget.DNSName = 'alb-1.us-east-1.elb.amazonaws.com';
    const found = detectionOf(t);
    const assumed = targetHealthDetection('the load balancer');
    expect(found).toEqual({ figures: [assumed.min, assumed.max, true], warnings: [] });
  });

  test('a Lambda target group on its defaults is modeled at the slowest ELB allows', () => {
    const found = detectionOf(failoverPair({
      ...listener([{ Type: 'forward', TargetGroupArn: { Ref: 'Fn' } }]),
      ...group('Fn', { TargetType: 'lambda' }),
    }));
    const slowest = elbTargetDetection(ELB_SLOWEST);
    expect(found.figures).toEqual([slowest.min, slowest.max, true]);
    expect(found.warnings).toEqual([expect.stringMatching(/^the target group Fn: `HealthCheckIntervalSeconds` \(left out, and its default depends on a protocol/)]);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AcceleratorEndpoint, AcceleratorEndpointKind, AcceleratorFailover, AcceleratorFailoverProps, RecoveryAssumptions, RecoveryObjectives,
} from '../../src';
import { readJson, testApp, testStack } from '../util';

const EAST_ARN = 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web-east/50dc6c495c0c9188';
const WEST_ARN = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web-west/6d0ecf831eec9f09';
const NLB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/tcp-eu/0123456789abcdef';

const east = (o = {}) => AcceleratorEndpoint.fromArn('us-east-1', EAST_ARN, AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER, o);
const west = (o = {}) => AcceleratorEndpoint.fromArn('us-west-2', WEST_ARN, AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER, o);

function failover(stack: Stack, props: Partial<AcceleratorFailoverProps> = {}, id = 'Accelerator'): AcceleratorFailover {
  return new AcceleratorFailover(stack, id, { endpoints: [east(), west()], ...props });
}

/** An ALB in the stack with one target group at the given health check. */
function albWithTargets(stack: Stack, id: string, healthCheck?: elbv2.HealthCheck): elbv2.ApplicationLoadBalancer {
  const vpc = new ec2.Vpc(stack, `${id}Vpc`, { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, id, { vpc, internetFacing: true });
  const listener = alb.addListener('Http', { port: 80, open: true });
  listener.addTargetGroups('Default', { targetGroups: [new elbv2.ApplicationTargetGroup(stack, `${id}Targets`, { vpc, port: 80, healthCheck })] });
  return alb;
}

function report(app: App): any {
  return readJson(path.join(app.synth().directory, 'failover-report.json'));
}

describe('AcceleratorFailover', () => {
  test('active-passive: an accelerator, a TCP 80/443 listener and one group per Region, primary dialled to 100, the standby to 0', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    failover(stack, { primaryRegion: 'us-east-1' });

    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::GlobalAccelerator::Accelerator', 1);
    t.hasResourceProperties('AWS::GlobalAccelerator::Listener', {
      Protocol: 'TCP',
      PortRanges: [{ FromPort: 80, ToPort: 80 }, { FromPort: 443, ToPort: 443 }],
    });
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-east-1',
      TrafficDialPercentage: 100,
      HealthCheckIntervalSeconds: 10,
      ThresholdCount: 3,
      EndpointConfigurations: [{ EndpointId: EAST_ARN }],
    });
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-west-2',
      TrafficDialPercentage: 0,
      EndpointConfigurations: [{ EndpointId: WEST_ARN }],
    });
  });

  test('active-active: every dial at 100 unless given; weights, client IP preservation, ports, protocol and health settings as given', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new AcceleratorFailover(stack, 'Accelerator', {
      endpoints: [east({ weight: 200, preserveClientIp: true }), west({ weight: 10 }),
        AcceleratorEndpoint.fromArn('eu-west-1', NLB_ARN, AcceleratorEndpointKind.NETWORK_LOAD_BALANCER)],
      trafficDials: { 'us-west-2': 50 },
      portRanges: [{ fromPort: 8000, toPort: 8010 }],
      clientAffinity: ga.ClientAffinity.SOURCE_IP,
      healthCheckInterval: Duration.seconds(30),
      healthCheckThreshold: 5,
      acceleratorName: 'web',
    });

    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::GlobalAccelerator::Accelerator', { Name: 'web', Enabled: true });
    t.hasResourceProperties('AWS::GlobalAccelerator::Listener', {
      Protocol: 'TCP', ClientAffinity: 'SOURCE_IP', PortRanges: [{ FromPort: 8000, ToPort: 8010 }],
    });
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-east-1',
      TrafficDialPercentage: 100,
      HealthCheckIntervalSeconds: 30,
      ThresholdCount: 5,
      EndpointConfigurations: [{ EndpointId: EAST_ARN, Weight: 200, ClientIPPreservationEnabled: true }],
    });
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-west-2', TrafficDialPercentage: 50, EndpointConfigurations: [{ EndpointId: WEST_ARN, Weight: 10 }],
    });
    t.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', { EndpointGroupRegion: 'eu-west-1', TrafficDialPercentage: 100 });
  });

  test('UDP with Network Load Balancers', () => {
    // GIVEN
    const stack = testStack();
    const nlb = (region: string) => AcceleratorEndpoint.fromArn(region,
      `arn:aws:elasticloadbalancing:${region}:111111111111:loadbalancer/net/dns/0123456789abcdef`, AcceleratorEndpointKind.NETWORK_LOAD_BALANCER);

    // WHEN
    failover(stack, { endpoints: [nlb('us-east-1'), nlb('us-west-2')], protocol: ga.ConnectionProtocol.UDP, portRanges: [{ fromPort: 53 }] });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::GlobalAccelerator::Listener', { Protocol: 'UDP', PortRanges: [{ FromPort: 53, ToPort: 53 }] });
  });

  test('adds the listener to a given accelerator and creates none', () => {
    // GIVEN
    const stack = testStack();
    const accelerator = new ga.Accelerator(stack, 'Shared');

    // WHEN
    const f = failover(stack, { accelerator });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::GlobalAccelerator::Accelerator', 1);
    expect(f.accelerator).toBe(accelerator);
    expect(f.monthlyFixedCostBasis).toMatch(/the accelerator is given, and billed once however many listeners share it/);
  });

  test('a load balancer of the stack: its endpoint, and its target groups\' health checks in the model', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'Stack', 'us-east-1');
    const alb = albWithTargets(stack, 'Alb', { interval: Duration.seconds(10), timeout: Duration.seconds(5), unhealthyThresholdCount: 2 });

    // WHEN
    const f = failover(stack, { endpoints: [AcceleratorEndpoint.applicationLoadBalancer(alb, { preserveClientIp: false }), west()], primaryRegion: 'us-east-1' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-east-1',
      EndpointConfigurations: [{ EndpointId: { Ref: Match.stringLikeRegexp('^Alb') }, ClientIPPreservationEnabled: false }],
    });
    const [p] = f.recoveryPaths();
    expect(p.estimate.terms.map((x) => [x.kind.id, x.min.toSeconds(), x.max.toSeconds(), x.assumption]))
      .toEqual([['detection', 10, 25, false], ['decision', 0, 0, false], ['switch', 0, 30, true]]);
    expect(p.endpoints[0].health).toEqual('ELB target health (10 s x 2 + 5 s), traffic dial 100 %');
  });

  test('a target group at the ALB defaults is modeled at 30 s x 2 + 5 s; target groups added after the accelerator count too', () => {
    // GIVEN
    const stack = testStack(testApp(), 'Stack', 'us-east-1');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    const f = failover(stack, {
      endpoints: [AcceleratorEndpoint.applicationLoadBalancer(alb), AcceleratorEndpoint.networkLoadBalancer(nlb), west()],
      primaryRegion: 'us-east-1',
    });

    // WHEN
    alb.addListener('Http', { port: 80, open: false }).addTargetGroups('T', { targetGroups: [new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc, port: 80 })] });
    nlb.addListener('Tcp', { port: 443 }).addTargetGroups('T', new elbv2.NetworkTargetGroup(stack, 'NlbTg', {
      vpc, port: 443, healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(6), unhealthyThresholdCount: 3 },
    }));

    // THEN: the group fails with its slower endpoint, the ALB
    const [p] = f.recoveryPaths();
    expect([p.estimate.terms[0].min.toSeconds(), p.estimate.terms[0].max.toSeconds()]).toEqual([30, 65]);
    expect(p.estimate.terms[0].basis).toMatch(/^the last of 2 endpoints in us-east-1 to turn unhealthy; the slowest: Global Accelerator follows the ELB target health of ALB Stack\/Alb: ELB target health: 2 failed checks x 30 s interval \+ 5 s timeout/);
    expect(p.endpoints.map((e) => e.health)).toEqual([
      'ELB target health (30 s x 2 + 5 s), traffic dial 100 %',
      'ELB target health (10 s x 3 + 6 s), traffic dial 100 %',
      'ELB target health (not visible), traffic dial 0 %',
    ]);
  });

  describe('recovery paths', () => {
    test('active-passive: one path per standby, ids and roles; the default path is 30 to 95 s with no DNS term', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app);
      failover(stack, { primaryRegion: 'us-east-1' });

      // WHEN
      const json = report(app);

      // THEN
      expect(json.paths).toHaveLength(1);
      expect(json.paths[0]).toMatchObject({
        id: 'Stack/Accelerator#to-us-west-2',
        kind: 'global-accelerator',
        name: 'us-east-1 to us-west-2',
        endpoints: [
          { label: 'ALB web-east in us-east-1', role: 'primary', region: 'us-east-1', health: 'ELB target health (not visible), traffic dial 100 %' },
          { label: 'ALB web-west in us-west-2', role: 'secondary', region: 'us-west-2', health: 'ELB target health (not visible), traffic dial 0 %' },
        ],
        rto: { applicable: true, bestSeconds: 30, worstSeconds: 95 },
        rpo: { applicable: false },
      });
      expect(json.paths[0].terms.map((t: any) => [t.id, t.maxSeconds, t.assumption, t.assumptionId ?? null])).toEqual([
        ['elb-target-health', 65, true, 'targetHealthDetection'],
        ['accelerator-decision', 0, false, null],
        ['accelerator-reroute', 30, true, 'acceleratorReroute'],
      ]);
      expect(json.paths[0].warnings).toEqual([expect.stringMatching(/The target groups of ALB web-east in us-east-1 are not visible to the model: detection rests on `targetHealthDetection`/)]);
    });

    test('active-active: one path per Region lost, all endpoints active, with the capacity warning', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      const paths = failover(stack).recoveryPaths();

      // THEN
      expect(paths.map((p) => [p.id, p.endpoints.map((e) => `${e.region}:${e.role}`)])).toEqual([
        ['lose-us-east-1', ['us-east-1:active', 'us-west-2:active']],
        ['lose-us-west-2', ['us-west-2:active', 'us-east-1:active']],
      ]);
      expect(paths[0].warnings).toContain('The remaining Regions (us-west-2) must carry us-east-1\'s traffic as well as their own.');
    });

    test('three Regions active-passive: a path per standby, warning that the nearest healthy group takes the traffic', () => {
      const paths = failover(testStack(), {
        endpoints: [east(), west(), AcceleratorEndpoint.fromArn('eu-west-1', NLB_ARN, AcceleratorEndpointKind.NETWORK_LOAD_BALANCER)],
        primaryRegion: 'us-east-1',
      }).recoveryPaths();
      expect(paths.map((p) => p.id)).toEqual(['to-us-west-2', 'to-eu-west-1']);
      expect(paths[0].warnings[0]).toMatch(/not to a fixed standby: traffic from us-east-1 may go to any of us-west-2, eu-west-1/);
    });

    test('measured values in `assumptions` or RecoveryAssumptions replace the defaults: 25 + 10 s', () => {
      // GIVEN
      const app = testApp();
      new RecoveryAssumptions(app, 'Assumptions', { values: { acceleratorReroute: Duration.seconds(10) } });

      // WHEN
      const [p] = failover(testStack(app), { primaryRegion: 'us-east-1', assumptions: { targetHealthDetection: Duration.seconds(25) } }).recoveryPaths();

      // THEN
      expect([p.estimate.rtoWorst!.toSeconds(), p.estimate.assumptions]).toEqual([35, []]);
    });

    test('fails synth when the path misses the RTO, naming the dominant term and its fix', () => {
      // GIVEN
      const app = testApp();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.seconds(60) });

      // WHEN
      failover(testStack(app), { primaryRegion: 'us-east-1' });

      // THEN
      expect(() => app.synth()).toThrow(new RegExp('Stack/Accelerator\\] Global Accelerator failover of us-east-1 to us-west-2: modeled worst-case recovery time 1 min 35 s '
        + 'exceeds the RTO objective 1 min \\(declared at Objectives\\)\\. Dominant term: detection up to 1 min 5 s \\(Global Accelerator follows the ELB target health '
        + 'of ALB web-east in us-east-1, whose target groups the model cannot see.*Fix: shorten the target groups\' health checks'));
    });
  });

  test('the monthly fixed cost: 18.25 USD (0.025 USD x 730 h)', () => {
    const f = failover(testStack());
    expect(f.monthlyFixedCostUsd).toEqual(18.25);
    expect(f.monthlyFixedCostBasis).toMatch(/^0\.025 USD per accelerator-hour x 730 h = 18\.25 USD a month, billed whether enabled or not/);
    // Each path carries it to the report, where the accelerator is counted once.
    expect(f.recoveryPaths().map((p) => p.cost?.monthlyUsd)).toEqual([18.25, 18.25]);
    expect(f.recoveryPaths()[0].cost?.basis).toMatch(/; plus the data transfer premium per GB, not counted$/);
  });

  test('a dial may be a fraction of a percent', () => {
    expect(() => failover(testStack(), { primaryRegion: 'us-east-1', trafficDials: { 'us-west-2': 12.5 } })).not.toThrow();
  });

  test('a shared accelerator is billed once: the first AcceleratorFailover on it counts its hours', () => {
    const stack = testStack();
    const accelerator = new ga.Accelerator(stack, 'Shared');
    const tcp = failover(stack, { accelerator }, 'Tcp');
    const other = failover(stack, { accelerator, portRanges: [{ fromPort: 8443 }] }, 'Other');
    expect([tcp.monthlyFixedCostUsd, other.monthlyFixedCostUsd]).toEqual([18.25, 0]);
    expect(other.monthlyFixedCostBasis).toBe('the accelerator Stack/Shared is billed once, and counted by the first AcceleratorFailover that uses it');
  });

  test('an accelerator of another stack is refused: it would need a cross-stack export', () => {
    const app = testApp();
    const accelerator = new ga.Accelerator(testStack(app, 'Acc'), 'Shared');
    expect(() => failover(testStack(app, 'Listeners'), { accelerator })).toThrow(
      /`accelerator` \(Acc\/Shared\) is in the stack Acc, not this one's \(Listeners\): its ARN is known there only, so the listener would need a cross-stack export/);
  });

  test('endpointGroup() gives a Region\'s group and names the Regions otherwise', () => {
    const f = failover(testStack());
    expect(f.endpointGroup('us-west-2')).toBeInstanceOf(ga.EndpointGroup);
    expect(() => f.endpointGroup('eu-west-1')).toThrow(/Stack\/Accelerator: no endpoint group in "eu-west-1"; the groups are in us-east-1, us-west-2\./);
  });

  describe('validation', () => {
    test.each<[string, () => Partial<AcceleratorFailoverProps>, RegExp]>([
      ['no endpoints', () => ({ endpoints: [] }), /`endpoints` is empty: give the load balancers of at least two Regions\./],
      ['one Region', () => ({ endpoints: [east()] }), /`endpoints` are all in us-east-1: failover needs endpoint groups in at least two Regions/],
      ['the same endpoint twice', () => ({ endpoints: [east(), west(), east()] }), /`endpoints\[2\]` is the same load balancer as `endpoints\[0\]` \(ALB web-east in us-east-1\)/],
      ['a weight out of range', () => ({ endpoints: [east({ weight: 256 }), west()] }), /`endpoints\[0\]\.weight` must be an integer from 0 to 255, got: 256/],
      ['a Region whose endpoints all weigh 0', () => ({ endpoints: [east(), west({ weight: 0 })] }), /`endpoints` in us-west-2 all have weight 0: Global Accelerator sends such a group no traffic, not even on failover/],
      ['a Region that is not one', () => ({ endpoints: [east(), AcceleratorEndpoint.fromArn('us-west', WEST_ARN, AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER)] }),
        /`endpoints\[1\]` has the Region "us-west", which is not an AWS Region name such as us-east-1[\s\S]*is given the Region us-west, but its ARN is of us-west-2/],
      ['a Token ARN', () => ({ endpoints: [east(), AcceleratorEndpoint.fromArn('us-west-2', Lazy.string({ produce: () => WEST_ARN }), AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER)] }),
        /`endpoints\[1\]` has a deploy-time Token as its ARN: AcceleratorEndpoint\.fromArn\(\) is for a load balancer of another stack, which Regions reach by literal ARN, never by a cross-stack reference/],
      ['an ARN that is not a load balancer\'s', () => ({ endpoints: [east(), AcceleratorEndpoint.fromArn('us-west-2', 'arn:aws:ec2:us-west-2:111111111111:instance/i-1', AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER)] }),
        /`endpoints\[1\]` must be the ARN of a load balancer \(arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer\/app\|net\/<name>\/<id>\), got: "arn:aws:ec2/],
      ['the wrong kind', () => ({ endpoints: [east(), AcceleratorEndpoint.fromArn('us-west-2', WEST_ARN, AcceleratorEndpointKind.NETWORK_LOAD_BALANCER)] }),
        /`endpoints\[1\]` is given the kind network-load-balancer, but its ARN \(loadbalancer\/app\/\) is of a application-load-balancer\. Give AcceleratorEndpointKind\.APPLICATION_LOAD_BALANCER/],
      ['a load balancer of another account', () => ({ endpoints: [east(), AcceleratorEndpoint.fromArn('us-west-2', WEST_ARN.replace('111111111111', '222222222222'), AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER)] }),
        /`endpoints\[1\]` is a load balancer of the account 222222222222, but the accelerator's stack is in 111111111111: a load balancer of another account needs a Global Accelerator cross-account attachment/],
      ['a primary Region without endpoints', () => ({ primaryRegion: 'eu-west-1' }), /`primaryRegion` must be one of the endpoints' Regions \(us-east-1, us-west-2\), got: "eu-west-1"/],
      ['a Token primary Region', () => ({ primaryRegion: Lazy.string({ produce: () => 'us-east-1' }) }), /`primaryRegion` is a deploy-time Token, but the recovery model needs it at synth/],
      ['a dial for an unknown Region', () => ({ trafficDials: { 'eu-west-1': 10 } }), /`trafficDials` sets "eu-west-1", which is not one of the endpoints' Regions \(us-east-1, us-west-2\)/],
      ['a name Global Accelerator refuses', () => ({ acceleratorName: 'my_accel' }),
        /`acceleratorName` must be letters, digits, dots and hyphens, not starting or ending with a dot or hyphen, got: "my_accel"/],
      ['a dial out of range', () => ({ trafficDials: { 'us-east-1': 101 } }), /`trafficDials\.us-east-1` must be a percentage from 0 to 100, known at synth, got: 101/],
      ['the primary dialled to 0', () => ({ primaryRegion: 'us-east-1', trafficDials: { 'us-east-1': 0 } }), /`trafficDials\.us-east-1` is 0, but us-east-1 is the `primaryRegion`: it would take no traffic while healthy/],
      ['every dial at 0', () => ({ trafficDials: { 'us-east-1': 0, 'us-west-2': 0 } }), /`trafficDials` are 0 in every Region: no Region takes traffic while all are healthy/],
      ['a name with a given accelerator', () => ({ accelerator: ga.Accelerator.fromAcceleratorAttributes(new Stack(), 'A', { acceleratorArn: 'arn:aws:globalaccelerator::111111111111:accelerator/x', dnsName: 'a.awsglobalaccelerator.com' }), acceleratorName: 'x' }),
        /`acceleratorName` names a new accelerator, but `accelerator` is given/],
      ['a name too long', () => ({ acceleratorName: 'x'.repeat(65) }), /`acceleratorName` must be 1 to 64 characters, got 65/],
      ['no port ranges', () => ({ portRanges: [] }), /`portRanges` must have 1 to 10 ranges, got 0/],
      ['a port out of range', () => ({ portRanges: [{ fromPort: 0 }] }), /`portRanges\[0\]\.fromPort` must be an integer from 1 to 65535, got: 0/],
      ['a reversed range', () => ({ portRanges: [{ fromPort: 90, toPort: 80 }] }), /`portRanges\[0\]` runs from 90 down to 80\. Give `fromPort` <= `toPort`/],
      ['overlapping ranges', () => ({ portRanges: [{ fromPort: 80, toPort: 90 }, { fromPort: 85 }] }), /`portRanges\[1\]` \(85-85\) overlaps `portRanges\[0\]` \(80-90\)/],
      ['an interval of 20 s', () => ({ healthCheckInterval: Duration.seconds(20) }), /`healthCheckInterval` must be 10 or 30 seconds, got: 20 seconds\. Global Accelerator checks every 10 or 30 seconds\./],
      ['a threshold of 11', () => ({ healthCheckThreshold: 11 }), /`healthCheckThreshold` must be an integer from 1 to 10, got: 11/],
      ['UDP with Application Load Balancers', () => ({ protocol: ga.ConnectionProtocol.UDP }),
        /`protocol` is UDP, but ALB web-east in us-east-1, ALB web-west in us-west-2 are Application Load Balancers, which take TCP only\. Use TCP, or Network Load Balancers/],
      ['an assumption it does not use', () => ({ assumptions: { clientDnsCache: Duration.seconds(1) } }), /`assumptions` sets "clientDnsCache", which this construct does not use; it uses: acceleratorReroute, targetHealthDetection/],
    ])('fails with %s', (_, props, message) => {
      expect(() => failover(testStack(), props())).toThrow(message);
    });

    test('fails with a load balancer of another stack whose ARN is a deploy-time reference, saying why and what to do', () => {
      // GIVEN
      const app = testApp();
      const eastStack = testStack(app, 'East', 'us-east-1');
      const alb = albWithTargets(eastStack, 'Alb');

      // WHEN / THEN
      expect(() => failover(testStack(app), { endpoints: [AcceleratorEndpoint.applicationLoadBalancer(alb), west()] })).toThrow(
        /^Stack\/Accelerator: `endpoints\[0\]` is East\/Alb of the stack East: its ARN is only known at deploy time, so using it here would make a cross-stack export, which can block deploys and cannot change after a disaster\. Give AcceleratorEndpoint\.fromArn\(region, arn, kind\) with the literal ARN/);
    });

    test('fails with a load balancer in an environment-agnostic stack', () => {
      const stack = new Stack(testApp(), 'Agnostic');
      const alb = albWithTargets(stack, 'Alb');
      expect(() => failover(stack, { endpoints: [AcceleratorEndpoint.applicationLoadBalancer(alb), west()] }))
        .toThrow(/`endpoints\[0\]` \(ALB Agnostic\/Alb\) is in a stack whose Region is not known at synth[\s\S]*Give that stack an explicit `env\.region`/);
    });

    test('an imported load balancer with a literal ARN is placed in the ARN\'s Region; a Token interval is skipped', () => {
      const stack = testStack();
      const alb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Imported', {
        loadBalancerArn: EAST_ARN, securityGroupId: 'sg-1',
      });
      const f = failover(stack, {
        endpoints: [AcceleratorEndpoint.applicationLoadBalancer(alb), west()],
        healthCheckInterval: Duration.seconds(Lazy.number({ produce: () => 10 })),
      });
      expect(f.regions).toEqual(['us-east-1', 'us-west-2']);
      Template.fromStack(stack).hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
        EndpointGroupRegion: 'us-east-1', HealthCheckIntervalSeconds: 10, EndpointConfigurations: [{ EndpointId: EAST_ARN }],
      });
    });

    test('lists every problem at once', () => {
      expect(() => failover(testStack(), { healthCheckThreshold: 0, acceleratorName: '', primaryRegion: 'x' }))
        .toThrow(/^Stack\/Accelerator: 3 problems:\n {2}- /);
    });
  });

  test('the template is cfn-lint clean in us-west-2, us-east-1 and eu-west-1, and cdk-nag (AwsSolutions) finds nothing on the accelerator', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'Stack', 'us-east-1');
    const alb = albWithTargets(stack, 'Alb', { interval: Duration.seconds(10) });
    failover(stack, { endpoints: [AcceleratorEndpoint.applicationLoadBalancer(alb), west()], primaryRegion: 'us-east-1' });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ga-lint-'));
    const file = path.join(dir, 'ga.template.json');

    // WHEN
    app.synth();
    fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
    const lint = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-west-2', 'us-east-1', 'eu-west-1', '--', file], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(lint.error).toBeUndefined();
    const findings: any[] = JSON.parse(lint.stdout || '[]');
    expect(findings.filter((f) => /^Accelerator/.test(f.Location.Path[1]))).toEqual([]);
    const nag = [...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions'))]
      .filter((m) => m.id.startsWith('/Stack/Accelerator'));
    expect(nag).toEqual([]);
  });
});

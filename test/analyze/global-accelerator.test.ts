import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import * as gaEndpoints from 'aws-cdk-lib/aws-globalaccelerator-endpoints';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { AcceleratorEndpoint, AcceleratorEndpointKind, AcceleratorFailover, RecoveryPath } from '../../src';
import { analyse } from '../../src/analyze/private/analysis';
import { TemplateFindings } from '../../src/analyze/private/findings';
import { acceleratorPaths } from '../../src/analyze/private/global-accelerator';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import {
  ALB_TARGET_GROUP_DEFAULTS, ELB_INTERVAL, ELB_SLOWEST, ELB_THRESHOLD, ELB_TIMEOUT, elbTargetDetection, targetHealthDetection,
} from '../../src/objectives/model/elb';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (p: RecoveryPath) => p.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max)]);
const WEST_ALB = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/6d0ecf831eec9f09';

/** An ALB in front of an IP target group whose health check is 10 s x 3 with a 5 s timeout. */
function alb(scope: Construct): elbv2.ApplicationLoadBalancer {
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], publicSubnetIds: ['subnet-1', 'subnet-2'],
  });
  const lb = new elbv2.ApplicationLoadBalancer(scope, 'Alb', { vpc, internetFacing: true });
  const group = new elbv2.ApplicationTargetGroup(scope, 'Targets', {
    vpc,
    port: 80,
    targetType: elbv2.TargetType.IP,
    healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(5), unhealthyThresholdCount: 3 },
  });
  lb.addListener('Http', { port: 80, defaultTargetGroups: [group] });
  return lb;
}

describe('a raw aws-cdk-lib accelerator', () => {
  let found: TemplateFindings;
  let library: RecoveryPath[];
  let directory: string;
  beforeAll(() => {
    // GIVEN: an accelerator written with aws-cdk-lib's L2s, primary dialled to 100 and standby to 0,
    // and AcceleratorFailover with the same endpoints, in one app.
    const app = testApp();
    const raw = new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } });
    const accelerator = new ga.Accelerator(raw, 'Accelerator');
    const listener = accelerator.addListener('Listener', { portRanges: [{ fromPort: 80 }] });
    listener.addEndpointGroup('East', { endpoints: [new gaEndpoints.ApplicationLoadBalancerEndpoint(alb(raw))], trafficDialPercentage: 100 });
    listener.addEndpointGroup('West', { region: 'us-west-2', endpoints: [new ga.RawEndpoint({ endpointId: WEST_ALB })], trafficDialPercentage: 0 });
    const stack = new Stack(app, 'Library', { env: { account: '111111111111', region: 'us-east-1' } });
    library = new AcceleratorFailover(stack, 'Failover', {
      endpoints: [
        AcceleratorEndpoint.applicationLoadBalancer(alb(stack)),
        AcceleratorEndpoint.fromArn('us-west-2', WEST_ALB, AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
      ],
      primaryRegion: 'us-east-1',
    }).recoveryPaths();

    // WHEN
    directory = app.synth().directory;
    const { templates } = readTemplates([directory]);
    found = acceleratorPaths(templates.find((t) => t.name === 'Raw')!);
  });

  test('the report carries the accelerator\'s idle cost', () => {
    const raw = analyse([directory]).report.paths.filter((p) => p.constructPath === 'Raw');
    expect(raw.map((p) => [p.kind.id, p.cost?.monthlyUsd])).toEqual([['global-accelerator', 18.25]]);
  });

  test('gets the same figures and idle cost as AcceleratorFailover with the same settings', () => {
    expect(found.notAnalysed).toEqual([]);
    expect(found.paths.map((p) => [p.name, p.kind.id])).toEqual([['us-east-1 to us-west-2', 'global-accelerator']]);
    expect(figures(found.paths[0])).toEqual(figures(library[0]));
    expect(found.paths[0].cost?.monthlyUsd).toEqual(library[0].cost?.monthlyUsd);
  });

  test('the exact figures: the target group\'s health, the decision, the reroute', () => {
    // The ALB's target group: best (3 - 1) x 10 s = 20 s, worst 3 x 10 s + 5 s = 35 s; Global Accelerator decides at
    // once; the reroute is up to 30 s (assumed); 0.025 USD x 730 h a month.
    expect(figures(found.paths[0])).toEqual([['elb-target-health', 20, 35], ['accelerator-decision', 0, 0], ['accelerator-reroute', 0, 30]]);
    expect(found.paths[0].cost?.monthlyUsd).toEqual(18.25);
    expect(found.paths[0].endpoints.map((e) => [e.role, e.region, e.health])).toEqual([
      ['primary', 'us-east-1', 'ELB target health (10 s x 3 + 5 s), traffic dial 100 %'],
      ['secondary', 'us-west-2', 'ELB target health (not visible), traffic dial 0 %'],
    ]);
    expect(found.resources[found.paths[0].id]).toEqual([expect.stringMatching(/^AcceleratorListenerEast/), expect.stringMatching(/^AcceleratorListenerWest/),
      expect.stringMatching(/^AcceleratorListener[0-9A-F]+$/), expect.stringMatching(/^Accelerator[0-9A-F]+$/)]);
  });
});

describe('templates written by hand', () => {
  const group = (listener: string, region: unknown, endpoints: unknown[], extra: object = {}) => ({
    Type: 'AWS::GlobalAccelerator::EndpointGroup',
    Properties: { ListenerArn: { 'Fn::GetAtt': [listener, 'ListenerArn'] }, EndpointGroupRegion: region, EndpointConfigurations: endpoints, ...extra },
  });
  const listener = (accelerator = 'Accelerator') => ({
    Type: 'AWS::GlobalAccelerator::Listener', Properties: { AcceleratorArn: { 'Fn::GetAtt': [accelerator, 'AcceleratorArn'] } },
  });
  const template = (resources: object, parameters: object = {}): LoadedTemplate => ({
    name: 'Hand',
    file: 'hand.json',
    region: 'us-east-1',
    template: {
      Parameters: parameters as any,
      Resources: { Accelerator: { Type: 'AWS::GlobalAccelerator::Accelerator', Properties: { Name: 'a' } }, Listener: listener(), ...resources },
    },
  });
  const instance = (id: string, weight?: number) => ({ EndpointId: id, ...weight === undefined ? {} : { Weight: weight } });

  test('EC2 endpoints are judged by the group\'s own health check; two active groups are active-active', () => {
    const found = acceleratorPaths(template({
      East: group('Listener', 'us-east-1', [instance('i-0123456789abcdef0')], { HealthCheckIntervalSeconds: 10, ThresholdCount: 2 }),
      West: group('Listener', 'us-west-2', [instance('eipalloc-0123abcd')]),
    }));
    expect(found.notAnalysed).toEqual([]);
    expect(found.paths.map((p) => [p.id, p.name])).toEqual([
      ['accelerator-Listener-lose-us-east-1', 'losing us-east-1'], ['accelerator-Listener-lose-us-west-2', 'losing us-west-2'],
    ]);
    // East 10 s x 2: best (2 - 1) x 10 = 10 s, worst 2 x 10 = 20 s. West by the defaults, 30 s x 3: 60 to 90 s.
    expect(found.paths.map((p) => figures(p)[0])).toEqual([['accelerator-health-check', 10, 20], ['accelerator-health-check', 60, 90]]);
    expect(found.paths[0].warnings).toEqual(['The remaining Regions (us-west-2) must carry us-east-1\'s traffic as well as their own.']);
    expect(found.paths[0].estimate.terms[0].remedy).toEqual('set `HealthCheckIntervalSeconds` to 10 and lower `ThresholdCount` (1 is the least Global '
      + 'Accelerator allows) on the AWS::GlobalAccelerator::EndpointGroup East; cdk-failover\'s AcceleratorFailover checks every 10 s by default');
    // One accelerator: its hours counted once, on the listener's paths.
    expect(found.paths.map((p) => p.cost?.monthlyUsd)).toEqual([18.25, 18.25]);
  });

  test('a group fails when its last endpoint of weight above 0 does; weight 0 endpoints and groups take no part', () => {
    const found = acceleratorPaths(template({
      East: group('Listener', 'us-east-1', [instance('i-0aaa', 0), instance('i-0bbb', 10)], { HealthCheckIntervalSeconds: 10, ThresholdCount: 1 }),
      West: group('Listener', 'us-west-2', [instance('i-0ccc')], { TrafficDialPercentage: 0 }),
      Idle: group('Listener', 'eu-west-1', [instance('i-0ddd', 0)], { TrafficDialPercentage: 0 }),
    }));
    expect(found.paths.map((p) => [p.name, p.endpoints.map((e) => `${e.role} ${e.label}`)])).toEqual([
      ['us-east-1 to us-west-2', ['primary EC2 instance i-0bbb', 'secondary EC2 instance i-0ccc']],
    ]);
    expect(figures(found.paths[0])[0]).toEqual(['accelerator-health-check', 0, 10]);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['Idle', expect.stringMatching(/^every endpoint of this group has `Weight` 0: Global Accelerator sends it no traffic, not even on failover/)],
    ]);
  });

  test('three groups, one dialled up: a path to each standby, which may take any of the primary\'s clients', () => {
    const found = acceleratorPaths(template({
      East: group('Listener', 'us-east-1', [instance('i-0aaa')]),
      West: group('Listener', 'us-west-2', [instance('i-0bbb')], { TrafficDialPercentage: 0 }),
      Europe: group('Listener', 'eu-west-1', [instance('i-0ccc')], { TrafficDialPercentage: 0 }),
    }));
    expect(found.paths.map((p) => p.name)).toEqual(['us-east-1 to us-west-2', 'us-east-1 to eu-west-1']);
    expect(found.paths[0].warnings).toEqual(['Global Accelerator sends each client to the nearest healthy group, not to a fixed standby: '
      + 'traffic from us-east-1 may go to any of us-west-2, eu-west-1.']);
  });

  test('a load balancer of the template is judged by its target groups; an NLB on default settings, or one by ARN, by the assumption', () => {
    const found = acceleratorPaths(template({
      Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
      AlbListener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Alb' }, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Fast' } }] } },
      AlbRule: {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
        Properties: {
          ListenerArn: { Ref: 'AlbListener' },
          Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'Slow' } }] } }],
        },
      },
      Fast: {
        Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        Properties: { Protocol: 'HTTP', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, UnhealthyThresholdCount: 2 },
      },
      Slow: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Protocol: 'HTTPS', HealthCheckIntervalSeconds: 20 } },
      Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network' } },
      NlbListener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Nlb' }, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tcp' } }] } },
      Tcp: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Protocol: 'TCP' } },
      East: group('Listener', 'us-east-1', [{ EndpointId: { Ref: 'Alb' } }]),
      West: group('Listener', 'us-west-2', [{ EndpointId: WEST_ALB }]),
      Europe: group('Listener', 'eu-west-1', [{ EndpointId: { Ref: 'Nlb' } }]),
    }));
    expect(found.paths.map((p) => p.name)).toEqual(['losing us-east-1', 'losing us-west-2', 'losing eu-west-1']);
    // The slower target group, Slow: 20 s interval, the rest at the ALB defaults (the same reader as an alias with EvaluateTargetHealth).
    const slow = elbTargetDetection({ ...ALB_TARGET_GROUP_DEFAULTS, interval: 20 });
    const d = ALB_TARGET_GROUP_DEFAULTS;
    expect([slow.min, slow.max]).toEqual([(d.unhealthyThreshold - 1) * 20, d.unhealthyThreshold * 20 + d.timeout]);
    expect(figures(found.paths[0])[0]).toEqual(['elb-target-health', slow.min, slow.max]);
    expect(found.paths[0].estimate.terms[0].assumption).toBe(false);
    // By ARN: the `targetHealthDetection` assumption.
    const assumed = targetHealthDetection('West');
    expect(figures(found.paths[1])[0]).toEqual(['elb-target-health', assumed.min, assumed.max]);
    expect(found.paths[1].estimate.terms[0].assumption).toBe(true);
    // An NLB whose target group relies on defaults: docs/aws-facts.md has no NLB defaults, so the slowest ELB allows, as behind an alias.
    const slowest = elbTargetDetection(ELB_SLOWEST);
    expect([slowest.min, slowest.max]).toEqual([(ELB_THRESHOLD.max - 1) * ELB_INTERVAL.max, ELB_THRESHOLD.max * ELB_INTERVAL.max + ELB_TIMEOUT.max]);
    expect(figures(found.paths[2])[0]).toEqual(['elb-target-health', slowest.min, slowest.max]);
    expect(found.paths[2].estimate.terms[0].assumption).toBe(true);
    expect(found.paths[2].warnings[0]).toMatch(/^the target group Tcp: `HealthCheckIntervalSeconds` \(left out, and its default depends on a protocol or target type/);
    expect(found.paths[0].estimate.terms[0].remedy).toMatch(/^shorten `HealthCheckIntervalSeconds` and `HealthCheckTimeoutSeconds` or lower `UnhealthyThresholdCount` on the target groups of ALB Hand\/Alb/);
  });

  test('what the template does not decide is modeled at the slowest, with a warning', () => {
    const found = acceleratorPaths(template({
      East: group('Listener', 'us-east-1', [instance('i-0aaa')], { ThresholdCount: { Ref: 'Threshold' }, HealthCheckIntervalSeconds: 10 }),
      West: group('Listener', { Ref: 'Region' }, [{ EndpointId: { Ref: 'Endpoint' }, Weight: { Ref: 'Threshold' } }],
        { TrafficDialPercentage: { 'Fn::If': ['Standby', 0, 100] } }),
    }, { Threshold: { Type: 'Number' }, Region: { Type: 'String' }, Endpoint: { Type: 'String' } }));
    // Both groups count as active (the dial is not known): one path per group lost.
    expect(found.paths.map((p) => p.name)).toEqual(['losing us-east-1', 'losing the Region of West']);
    // An unreadable threshold: the slowest Global Accelerator allows, 30 s x 10 = 270 to 300 s.
    expect(figures(found.paths[0])[0]).toEqual(['accelerator-health-check', 270, 300]);
    // An endpoint of unknown kind: the slower of the group's check (30 s x 3: 60 to 90 s) and the load balancer assumption (30 to 65 s).
    expect(figures(found.paths[1])[0]).toEqual(['accelerator-health-check', 60, 90]);
    expect(found.paths[1].estimate.terms[0].assumption).toBe(true);
    expect(found.paths[0].warnings.slice(0, 1)).toEqual([
      'the endpoint group East has a health-check interval or threshold the analysis cannot read: its EC2 and Elastic IP endpoints are modeled at the slowest '
      + 'Global Accelerator allows (30 s x 10).',
    ]);
    expect(found.paths[1].warnings.slice(0, 4)).toEqual([
      'the Region of the endpoint group West is the parameter Region, which has no default: the path names the group instead.',
      'the traffic dial of West is Fn::If on the condition Standby, which the template does not define: modeled as 100 % (an active group); the figures do not depend on it, the roles do.',
      '1 endpoint(s) of West have a `Weight` the template does not decide: counted as serving (weight above 0).',
      'the analysis cannot tell what an endpoint of West is (the parameter Endpoint, which has no default): modeled as the slower of an EC2 endpoint under the group\'s '
      + 'health check and a load balancer at the `targetHealthDetection` assumption (90 s).',
    ]);
  });

  test('what is no failover path is listed as not analysed; an accelerator shared by two listeners is counted once', () => {
    const found = acceleratorPaths(template({
      Alone: group('Listener', 'us-east-1', [instance('i-0aaa')]),
      Second: listener(),
      A: group('Second', 'us-east-1', [instance('i-0bbb')], { TrafficDialPercentage: 0 }),
      B: group('Second', 'us-west-2', [instance('i-0ccc')], { TrafficDialPercentage: 0 }),
      Third: listener(),
      C: group('Third', 'us-east-1', [instance('i-0ddd')]),
      D: group('Third', 'us-west-2', []),
      Fourth: listener(),
      E: group('Fourth', 'us-east-1', [instance('i-0eee')]),
      F: group('Fourth', 'us-west-2', [instance('i-0fff')], { TrafficDialPercentage: 0 }),
    }));
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason.split(':')[0]])).toEqual([
      ['D', 'an endpoint group without endpoints'],
      ['Alone', 'the only endpoint group (with an endpoint of weight above 0) of the listener Listener'],
      ['A', 'every endpoint group of the listener Second has `TrafficDialPercentage` 0'],
      ['B', 'every endpoint group of the listener Second has `TrafficDialPercentage` 0'],
      ['C', 'the only endpoint group (with an endpoint of weight above 0) of the listener Third'],
    ]);
    expect(found.paths.map((p) => [p.id, p.cost?.monthlyUsd])).toEqual([['accelerator-Fourth-to-us-west-2', 18.25]]);
    const shared = acceleratorPaths(template({
      A: group('Listener', 'us-east-1', [instance('i-0aaa')]),
      B: group('Listener', 'us-west-2', [instance('i-0bbb')], { TrafficDialPercentage: 0 }),
      Second: listener(),
      C: group('Second', 'us-east-1', [instance('i-0ccc')]),
      D: group('Second', 'us-west-2', [instance('i-0ddd')], { TrafficDialPercentage: 0 }),
    }));
    expect(shared.resources[shared.paths[1].id]).toEqual(['C', 'D', 'Second', 'Accelerator']);
    expect(shared.paths.map((p) => [p.id, p.cost?.monthlyUsd, p.cost?.basis.split(',')[0]])).toEqual([
      ['accelerator-Listener-to-us-west-2', 18.25, '0.025 USD per accelerator-hour x 730 h = 18.25 USD a month'],
      ['accelerator-Second-to-us-west-2', 0, 'the accelerator Accelerator is billed once'],
    ]);
  });

  test('a disabled accelerator: the path is what it would do once enabled, with a warning', () => {
    const t = template({ A: group('Listener', 'us-east-1', [instance('i-0aaa')]), B: group('Listener', 'us-west-2', [instance('i-0bbb')], { TrafficDialPercentage: 0 }) });
    const found = acceleratorPaths({
      ...t,
      template: {
        Resources: {
          ...t.template.Resources,
          Accelerator: {
            Type: 'AWS::GlobalAccelerator::Accelerator', Properties: { Name: 'a', Enabled: false },
          },
        },
      },
    });
    expect(found.paths[0].warnings).toEqual([
      'the accelerator Accelerator is disabled (`Enabled` is false): it serves no traffic until enabled, and is billed all the same.',
    ]);
    expect(found.paths[0].cost?.monthlyUsd).toEqual(18.25);
  });

  test('odd input never throws', () => {
    const odd = template({
      Null: null,
      NoProps: { Type: 'AWS::GlobalAccelerator::EndpointGroup' },
      Weird: { Type: 'AWS::GlobalAccelerator::EndpointGroup', Properties: { EndpointConfigurations: 'x', ListenerArn: 42 } },
    } as any);
    expect(() => acceleratorPaths(odd)).not.toThrow();
    expect(acceleratorPaths(odd).paths).toEqual([]);
  });
});

test('any endpoint group, well formed or not, gives paths or reasons and never throws', () => {
  const ids = ['A', 'B', 'C', 'D'];
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom('us-east-1', 'us-west-2', 'network', 'lambda', 'i-0abc', WEST_ALB, -5, 0, 1, 10, 30, 1000, '20'),
    fc.record({ Ref: fc.constantFrom(...ids, 'P', 'Nope') }),
    fc.record({ 'Fn::GetAtt': fc.tuple(fc.constantFrom(...ids), fc.constantFrom('ListenerArn', 'AcceleratorArn')) }),
  );
  const endpoints = fc.array(fc.record({ EndpointId: value, Weight: value }, { requiredKeys: [] }), { maxLength: 3 });
  const forward = fc.record({ TargetGroups: fc.array(fc.record({ TargetGroupArn: value })) });
  const actions = fc.array(fc.record({ TargetGroupArn: value, ForwardConfig: forward },
    { requiredKeys: [] }), { maxLength: 2 });
  const properties = fc.record({
    ListenerArn: value,
    EndpointGroupRegion: value,
    EndpointConfigurations: fc.oneof(endpoints, value),
    TrafficDialPercentage: value,
    HealthCheckIntervalSeconds: value,
    ThresholdCount: value,
    LoadBalancerArn: value,
    DefaultActions: fc.oneof(actions, value),
    Actions: actions,
    HealthCheckTimeoutSeconds: value,
    UnhealthyThresholdCount: value,
    Type: value,
    AcceleratorArn: value,
    TargetType: value,
  }, { requiredKeys: [] });
  const types = ['AWS::GlobalAccelerator::EndpointGroup', 'AWS::GlobalAccelerator::Listener', 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::EC2::Instance'];
  const resources = fc.dictionary(fc.constantFrom(...ids), fc.record({ Type: fc.constantFrom(...types), Properties: fc.oneof(properties, value) }));
  fc.assert(fc.property(resources, fc.constantFrom(...types), (r, extra) => {
    const t: LoadedTemplate = { name: 'Fuzz', file: 'fuzz.json', template: { Parameters: { P: {} }, Resources: { ...r, E: { Type: extra } } as any } };
    const out = acceleratorPaths(t);
    expect(out.paths.every((p) => p.estimate.terms.length === 3)).toBe(true);
  }), { numRuns: 300, seed: 1515 });
});

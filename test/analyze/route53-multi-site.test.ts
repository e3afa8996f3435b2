import { Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { EndpointHealthCheck, EndpointProtocol, FailoverTarget, MultiSiteRecords, MultiSiteRouting } from '../../src';
import { multiSitePaths } from '../../src/analyze/private/route53-multi-site';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { RecoveryPath } from '../../src/objectives/path';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (p: RecoveryPath) => p.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max), t.assumption]);

/** Two sites, their health checks and addresses, as both the raw app and MultiSiteRecords get them. */
const SITES = [
  { region: 'us-east-1', ip: '192.0.2.1', weight: 2, interval: 10, threshold: 2 },
  { region: 'eu-west-1', ip: '192.0.2.2', weight: 1, interval: 30, threshold: 3 },
];

describe('raw aws-cdk-lib weighted and latency records', () => {
  let found: ReturnType<typeof multiSitePaths>;

  beforeAll(() => {
    // GIVEN: one name routed by weight, another by latency, each site with an L2 health check.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    for (const site of SITES) {
      const healthCheck = new route53.HealthCheck(stack, `Check-${site.region}`, {
        type: route53.HealthCheckType.HTTPS,
        fqdn: `${site.region}.app.example.com`,
        resourcePath: '/health',
        requestInterval: Duration.seconds(site.interval),
        failureThreshold: site.threshold,
      });
      const target = route53.RecordTarget.fromIpAddresses(site.ip);
      const common = { zone, target, ttl: Duration.seconds(60), setIdentifier: site.region, healthCheck };
      new route53.ARecord(stack, `Weighted-${site.region}`, { ...common, recordName: 'app', weight: site.weight });
      new route53.ARecord(stack, `Latency-${site.region}`, { ...common, recordName: 'near', region: site.region });
    }
    const { templates } = readTemplates([app.synth().directory]);
    found = multiSitePaths(templates.find((t) => t.name === 'Raw')!);
  });

  /** MultiSiteRecords with the same settings. */
  function library(recordName: string, routing: MultiSiteRouting): RecoveryPath[] {
    const stack = new Stack(testApp(), 'Library', { env: { account: '111111111111', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    return new MultiSiteRecords(stack, 'Records', {
      zone,
      recordName,
      routing,
      regions: SITES.map((site) => ({
        region: site.region,
        target: FailoverTarget.ipAddresses([site.ip]),
        healthCheck: new EndpointHealthCheck(stack, site.region, {
          domainName: `${site.region}.app.example.com`,
          protocol: EndpointProtocol.HTTPS,
          resourcePath: '/health',
          requestInterval: Duration.seconds(site.interval),
          failureThreshold: site.threshold,
        }),
      })),
    }).recoveryPaths();
  }

  test.each([
    ['app', () => MultiSiteRouting.weighted({ weights: Object.fromEntries(SITES.map((s) => [s.region, s.weight])) })],
    ['near', () => MultiSiteRouting.latency()],
  ])('%s: losing each site gets the same figures as MultiSiteRecords with the same settings', (name, routing) => {
    // WHEN
    const analysed = found.paths.filter((p) => p.name.startsWith(`${name}.example.com (A): losing `));
    const expected = library(name, routing());

    // THEN
    expect(analysed.map((p) => p.name)).toEqual(SITES.map((s) => `${name}.example.com (A): losing ${s.region}`));
    expect(analysed.map(figures)).toEqual(expected.map(figures));
  });

  test('the exact figures of losing each site', () => {
    const worst = found.paths.filter((p) => p.name.startsWith('app.')).map((p) => seconds(p.estimate.rtoWorst));
    // us-east-1: 2 x 10 s + 6 s HTTPS timeout = 26 s; eu-west-1: 3 x 30 + 6 = 96 s; then 0 + 30 s answer + 60 s TTL + 5 s clients.
    expect(worst).toEqual([26 + 95, 96 + 95]);
    expect(found.notAnalysed).toEqual([]);
  });

  test('the weights say where the lost site\'s clients go; the capacity is said to be unchecked', () => {
    const warnings = found.paths.filter((p) => p.name.startsWith('app.')).map((p) => p.warnings);
    expect(warnings).toEqual([
      [expect.stringMatching(/^Remaining capacity unchecked: losing us-east-1 sends all the traffic by weight to eu-west-1 100%; .*MultiSiteRecords/)],
      [expect.stringMatching(/^Remaining capacity unchecked: losing eu-west-1 sends all the traffic by weight to us-east-1 100%;/)],
    ]);
    expect(found.paths.find((p) => p.name.startsWith('near.'))!.warnings).toEqual([
      expect.stringMatching(/^Remaining capacity unchecked: losing us-east-1 assumes eu-west-1 carry its load \(latency routing sends its clients/),
    ]);
  });
});

describe('templates written by hand', () => {
  const record = (setIdentifier: string, props: object) => ({
    Type: 'AWS::Route53::RecordSet',
    Properties: { HostedZoneName: 'example.com.', Name: 'api.example.com.', Type: 'A', TTL: '30', SetIdentifier: setIdentifier, ResourceRecords: ['192.0.2.9'], ...props },
  });
  const check = { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'HTTP', RequestInterval: 10, FailureThreshold: 3 } } };
  const template = (resources: object, parameters: object = {}): LoadedTemplate => ({
    name: 'Hand', file: 'hand.json', template: { Parameters: parameters as any, Resources: { Check: check, ...resources } as any },
  });

  test('a record set group of three weighted records: weight 0 moves no clients, and is served only once the others are lost', () => {
    const found = multiSitePaths(template({
      Group: {
        Type: 'AWS::Route53::RecordSetGroup',
        Properties: {
          HostedZoneId: 'Z1',
          RecordSets: ['a', 'b', 'c'].map((id, i) => ({ Name: 'api.example.com', Type: 'A', TTL: 30, SetIdentifier: id, Weight: [3, 1, 0][i], HealthCheckId: { Ref: 'Check' }, ResourceRecords: ['192.0.2.1'] })),
        },
      },
    }));
    // 3 x 10 s + 6 s HTTP probe timeout (4 s connect + 2 s response) = 36 s; + 30 s answer + 30 s TTL + 5 s clients.
    expect(found.paths.map((p) => [p.name, seconds(p.estimate.rtoWorst)])).toEqual(['a', 'b', 'c'].map((s) => [`api.example.com (A): losing ${s}`, 101]));
    expect(found.paths.map((p) => p.warnings)).toEqual([
      [expect.stringMatching(/^Remaining capacity unchecked: losing a sends all the traffic by weight to b 100%;/)],
      [expect.stringMatching(/^Remaining capacity unchecked: losing b sends all the traffic by weight to a 100%;/)],
      ['c has weight 0: it serves only while every record with a weight is unhealthy, so losing it moves no clients.',
        expect.stringMatching(/^Remaining capacity unchecked: losing c sends all the traffic by weight to a 75%, b 25%;/)],
    ]);
    expect(found.resources[found.paths[0].id]).toEqual(['Group', 'Check']);
  });

  test('all weights 0: Route 53 shares the answers evenly', () => {
    const found = multiSitePaths(template({
      A: record('a', { Weight: 0, HealthCheckId: { Ref: 'Check' } }), B: record('b', { Weight: 0, HealthCheckId: { Ref: 'Check' } }), C: record('c', { Weight: '0', HealthCheckId: { Ref: 'Check' } }),
    }));
    expect(found.paths[0].warnings).toEqual([expect.stringMatching(/^Remaining capacity unchecked: losing a sends all the traffic by weight to b 50%, c 50%;/)]);
  });

  test('a site without health check or target health is not analysed, with the reason; the others are', () => {
    const found = multiSitePaths(template({ A: record('a', { Region: 'us-east-1', HealthCheckId: { Ref: 'Check' } }), B: record('b', { Region: 'eu-west-1' }) }));
    expect(found.paths.map((p) => p.name)).toEqual(['api.example.com (A): losing us-east-1']);
    expect(found.paths[0].endpoints.map((e) => [e.role, e.region])).toEqual([['primary', 'us-east-1'], ['active', 'eu-west-1']]);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['B', expect.stringMatching(/^the latency record b of api.example.com has no health check .* Route 53 keeps answering with it .*MultiSiteRecords requires one/)],
    ]);
  });

  test('what is no multi-site path is listed as not analysed, with the reason', () => {
    const single = multiSitePaths(template({ A: record('a', { Weight: 1, HealthCheckId: { Ref: 'Check' } }) }));
    expect(single.notAnalysed.map((n) => n.reason)).toEqual([expect.stringMatching(/^a single weighted record for api.example.com \(A\) in this template: one site is no multi-site path/)]);
    const mixed = multiSitePaths(template({ A: record('a', { Weight: 1 }), B: record('b', { Region: 'us-east-1' }) }));
    expect(mixed.notAnalysed.map((n) => n.reason)).toEqual(['weighted and latency records share the name api.example.com (A), which Route 53 rejects: not modeled']);
    const undecided = multiSitePaths(template({ A: record('a', { Weight: 1, SetIdentifier: { 'Fn::If': ['C', 'a', 'b'] } }) }));
    expect(undecided.notAnalysed.map((n) => n.reason)).toEqual(['a weighted record whose zone, name, type or set identifier the template does not decide']);
    expect([single, mixed, undecided].flatMap((f) => f.paths)).toEqual([]);
  });

  test('a weight and a TTL from parameters without default: shares unknown, TTL at 60 s, each with a warning', () => {
    const found = multiSitePaths(template({
      A: record('a', { Weight: { Ref: 'W' }, TTL: { Ref: 'Ttl' }, HealthCheckId: { Ref: 'Check' } }),
      B: record('b', { Weight: 1, HealthCheckId: { Ref: 'Check' } }),
    }, { W: { Type: 'Number' }, Ttl: { Type: 'Number' } }));
    // 36 s detection + 30 s answer + 60 s TTL (unknown) + 5 s clients.
    expect(seconds(found.paths[0].estimate.rtoWorst)).toEqual(131);
    expect(found.paths[0].warnings).toEqual([
      'the TTL of api.example.com is not known from the template: modeled at 60 s. Give a literal `TTL`.',
      'the weight of a is not known from the template (the parameter W, which has no default): the traffic shares are not modeled. Give a literal `Weight` from 0 to 255.',
      expect.stringMatching(/^Remaining capacity unchecked: losing a assumes b carry its load;/),
    ]);
  });

  test('weighted aliases to a load balancer of the template are taken out by its target groups\' health', () => {
    const alias = { DNSName: { 'Fn::GetAtt': ['Lb', 'DNSName'] }, HostedZoneId: 'Z35', EvaluateTargetHealth: true };
    const found = multiSitePaths(template({
      A: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: 'Z1', Name: 'api.example.com', Type: 'A', SetIdentifier: 'a', Weight: 1, AliasTarget: alias } },
      B: record('b', { HostedZoneName: undefined, HostedZoneId: 'Z1', Weight: 1, HealthCheckId: { Ref: 'Check' } }),
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} },
      L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }] } },
      Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Protocol: 'HTTP', HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, UnhealthyThresholdCount: 2 } },
    }));
    const [a] = found.paths;
    // 2 x 5 s + 2 s = 12 s (best 5 s); + 30 s answer + ELB's 60 s alias TTL + 5 s clients.
    expect(figures(a)).toEqual([
      ['elb-target-health', 5, 12, false], ['route53-multi-site-decision', 0, 0, false], ['route53-dns-answer', 0, 30, true],
      ['resolver-cache', 0, 60, false], ['client-dns-cache', 0, 5, true],
    ]);
    expect(a.estimate.terms[0].remedy).toMatch(/^lower `HealthCheckIntervalSeconds` .* on the AWS::ElasticLoadBalancingV2::TargetGroup Tg, /);
    expect(a.endpoints.map((e) => e.label)).toEqual(['Hand/A (a)', 'Hand/B (b)']);
    expect(found.resources[a.id]).toEqual(['A', 'B', 'Check', 'Lb', 'L', 'Tg']);
  });
});

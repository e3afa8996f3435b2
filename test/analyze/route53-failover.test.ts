import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { rawPair } from './raw-apps';
import { DnsFailover, EndpointHealthCheck, EndpointProtocol, FailoverTarget } from '../../src';
import { dnsFailoverPaths } from '../../src/analyze/private/route53-failover';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;

/** The assembly of an app, read back as the analysis reads it. */
function analyse(build: (stack: Stack) => void): ReturnType<typeof dnsFailoverPaths> {
  const app = testApp();
  build(new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } }));
  const { templates, unread } = readTemplates([app.synth().directory]);
  expect(unread).toEqual([]);
  return dnsFailoverPaths(templates.find((t) => t.name === 'Raw')!);
}

describe('a raw aws-cdk-lib failover pair', () => {
  test.each([
    [10, 2, '60'],
    [30, 3, '45'],
  ])('gets the same figures as DnsFailover built with the same settings (%i s x %i, TTL %s)', (interval, threshold, ttl) => {
    // GIVEN: the pair written with raw aws-cdk-lib, and the same settings through cdk-failover.
    const found = analyse((stack) => rawPair(stack, { interval, threshold, ttl }));
    const stack = new Stack(testApp(), 'Library', { env: { region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const library = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['192.0.2.1']),
      secondary: FailoverTarget.ipAddresses(['192.0.2.2']),
      primaryHealthCheck: new EndpointHealthCheck(stack, 'Check', {
        domainName: 'us-east-1.app.example.com',
        protocol: EndpointProtocol.HTTPS,
        resourcePath: '/health',
        requestInterval: Duration.seconds(interval),
        failureThreshold: threshold,
      }),
      ttl: Duration.seconds(Number(ttl)),
    }).recoveryPaths()[0];

    // THEN
    expect(found.notAnalysed).toEqual([]);
    expect(found.paths).toHaveLength(1);
    const analysed = found.paths[0];
    expect(analysed.name).toEqual('app.example.com (A)');
    expect(analysed.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max)])).toEqual(
      library.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max)]));
    expect(seconds(analysed.estimate.rtoWorst)).toEqual(seconds(library.estimate.rtoWorst));
  });

  test('the exact figures of a 10 s x 2 HTTPS check and a 60 s TTL', () => {
    const analysed = analyse((stack) => rawPair(stack, { interval: 10, threshold: 2, ttl: '60' })).paths[0];
    // Detection 2 x 10 s + 6 s probe timeout = 26 s (best 10 + 0.82 x 10 = 18.2 s); decision 0; answer
    // up to 30 s (assumed); resolvers 60 s; clients 5 s (assumed).
    expect([seconds(analysed.estimate.rtoBest), seconds(analysed.estimate.rtoWorst)]).toEqual([18.2, 121]);
  });

  test('a TTL that cdk-failover would refuse is still modeled: its resolvers\' cache dominates', () => {
    const analysed = analyse((stack) => rawPair(stack, { interval: 30, threshold: 3, ttl: '300' })).paths[0];
    // 3 x 30 s + 6 s = 96 s; + 30 s answer + 300 s TTL + 5 s clients.
    expect(seconds(analysed.estimate.rtoWorst)).toEqual(431);
    expect(analysed.estimate.dominantTerm?.basis).toMatch(/record TTL/);
    // The fix in the template's terms, and the construct that would do it.
    expect(analysed.estimate.dominantTerm?.remedy).toEqual(
      'set `TTL` to 60 or less on the record set Primary (and its SECONDARY); cdk-failover\'s DnsFailover writes 60 s by default');
  });
});

/** A failover pair written by hand: the PRIMARY's properties given, a SECONDARY that never changes. */
const common = { HostedZoneName: 'example.com.', Name: 'api.example.com.', Type: 'CNAME' };
const pair = (primary: object, extra: object = {}, parameters: object = {}): LoadedTemplate => ({
  name: 'Hand',
  file: 'hand.json',
  region: 'us-west-2',
  template: {
    Parameters: parameters as any,
    Resources: {
      Primary: { Type: 'AWS::Route53::RecordSet', Properties: { ...common, Failover: 'PRIMARY', SetIdentifier: 'a', ...primary } },
      Secondary: { Type: 'AWS::Route53::RecordSet', Properties: { ...common, Failover: 'SECONDARY', SetIdentifier: 'b', TTL: '60', ResourceRecords: ['b.example.com'] } },
      ...extra,
    },
  },
});
const check = (config: object) => ({ Check: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: config } } });

describe('templates written by hand', () => {

  test('a TTL and a check interval from parameters with defaults are resolved', () => {
    const found = dnsFailoverPaths(pair(
      { TTL: { Ref: 'Ttl' }, ResourceRecords: ['a.example.com'], HealthCheckId: { Ref: 'Check' } },
      check({ Type: 'HTTP', RequestInterval: { Ref: 'Interval' }, FailureThreshold: 3, FullyQualifiedDomainName: 'a.example.com' }),
      { Ttl: { Type: 'String', Default: '30' }, Interval: { Type: 'Number', Default: 30 } },
    ));
    // 3 x 30 s + 6 s = 96 s; + 30 s answer + 30 s TTL + 5 s clients.
    expect(found.paths.map((p) => seconds(p.estimate.rtoWorst))).toEqual([161]);
    expect(found.paths[0].warnings).toEqual([]);
  });

  test('a TTL without a default is modeled at 60 s with a warning; a check of another template at the slowest', () => {
    const found = dnsFailoverPaths(pair({ TTL: { Ref: 'Ttl' }, ResourceRecords: ['a.example.com'], HealthCheckId: 'abcd-1234' }, {}, { Ttl: { Type: 'String' } }));
    // The slowest endpoint check: 10 x 30 s + 10 s TCP timeout = 310 s; + 30 + 60 + 5.
    expect(seconds(found.paths[0].estimate.rtoWorst)).toEqual(405);
    expect(found.paths[0].warnings).toEqual([
      'the health check "abcd-1234" is not defined in this template: modeled as the slowest Route 53 endpoint check (30 s x 10, TCP).',
      'the TTL of api.example.com is not known from the template: modeled at 60 s. Give a literal `TTL`.',
    ]);
  });

  test('a calculated check detects when the children that must fail have failed', () => {
    const found = dnsFailoverPaths(pair(
      { TTL: '60', ResourceRecords: ['a.example.com'], HealthCheckId: { 'Fn::GetAtt': ['Calc', 'HealthCheckId'] } },
      {
        Calc: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 1, ChildHealthChecks: [{ Ref: 'Fast' }, { Ref: 'Slow' }] } } },
        Fast: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'HTTPS', RequestInterval: 10, FailureThreshold: 1 } } },
        Slow: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'TCP', RequestInterval: 30, FailureThreshold: 2 } } },
      },
    ));
    // Threshold 1 of 2: unhealthy once both fail, so the slower child: 2 x 30 + 10 = 70 s; + 30 + 60 + 5.
    expect(seconds(found.paths[0].estimate.rtoWorst)).toEqual(165);
  });

  test('what cannot be a path is listed as not analysed, with the reason', () => {
    const noCheck = dnsFailoverPaths(pair({ TTL: '60', ResourceRecords: ['a.example.com'] }));
    expect(noCheck.paths).toEqual([]);
    expect(noCheck.notAnalysed.map((n) => n.reason)).toEqual([
      expect.stringMatching(/has no health check and does not evaluate its alias target's health: Route 53 treats it as healthy and never fails over/),
    ]);
    const alone = dnsFailoverPaths({ ...pair({}), template: { Resources: { Only: pair({}).template.Resources!.Secondary } } });
    expect(alone.notAnalysed.map((n) => n.reason)).toEqual(['a SECONDARY failover record for api.example.com (CNAME) without its PRIMARY in this template']);
  });

  test('an alias to a load balancer of the template takes ELB\'s 60 s TTL', () => {
    const found = dnsFailoverPaths(pair(
      { AliasTarget: { DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': ['Lb', 'DNSName'] }]] }, HostedZoneId: 'Z35', EvaluateTargetHealth: true } },
      { Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: {} } },
    ));
    expect(found.paths[0].estimate.terms.find((t) => t.id === 'resolver-cache')?.basis ?? found.paths[0].estimate.terms.map((t) => t.basis).join('|'))
      .toMatch(/alias to a load balancer: 60 s, set by ELB/);
  });
});

describe('reading templates', () => {
  test('files that are not templates are listed with the reason, never thrown', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
      fs.writeFileSync(path.join(dir, 'list.json'), '[1, 2]');
      fs.writeFileSync(path.join(dir, 'good.template.json'), JSON.stringify({ Resources: {} }));
      const { templates, unread } = readTemplates(['bad.json', 'list.json', 'good.template.json', 'missing.json'].map((f) => path.join(dir, f)));
      expect(templates.map((t) => t.name)).toEqual(['good']);
      expect(unread.map((u) => [path.basename(u.file), u.reason.replace(/ \(.*\)$/, '')])).toEqual([
        ['bad.json', 'not JSON'], ['list.json', 'not a CloudFormation template: the file holds no JSON object'], ['missing.json', 'no such file'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('health checks and records the template gets wrong', () => {
  /** The pair, its PRIMARY an address record gated by `Check`. */
  const gated = (config: object, primary: object = {}, extra: object = {}) =>
    pair({ TTL: '60', ResourceRecords: ['a.example.com'], HealthCheckId: { Ref: 'Check' }, ...primary }, { ...check(config), ...extra });

  test('a disabled check, or a calculated check that needs 0 healthy children, never fails over: not analysed, with the reason', () => {
    const disabled = dnsFailoverPaths(gated({ Type: 'HTTPS', FullyQualifiedDomainName: 'p.example.com', Disabled: true }));
    const zero = dnsFailoverPaths(gated({ Type: 'CALCULATED', HealthThreshold: 0, ChildHealthChecks: [] }));

    expect([disabled.paths, disabled.notAnalysed.map((n) => n.reason)]).toEqual([[], [
      'the health check Check is disabled (`Disabled: true`): Route 53 takes it as healthy and never fails over. Enable it.',
    ]]);
    expect(zero.notAnalysed.map((n) => n.reason)).toEqual([expect.stringMatching(/^the calculated health check Check needs 0 healthy children/)]);
  });

  test('a TTL or an alarm Route 53 and CloudWatch would refuse is taken as not decided, with a warning, never modeled as given', () => {
    // GIVEN: a negative TTL; an alarm check whose alarm has 0 evaluation periods.
    const negative = dnsFailoverPaths(gated({ Type: 'HTTPS', FullyQualifiedDomainName: 'p.example.com' }, { TTL: '-5' }));
    const alarm = dnsFailoverPaths(gated({ Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: { Ref: 'Alarm' }, Region: 'us-east-1' } }, {}, {
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 60, EvaluationPeriods: 0, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' } },
    }));

    // THEN
    expect(negative.paths[0].warnings).toEqual([expect.stringMatching(/^the TTL of api\.example\.com is not known from the template/)]);
    expect(alarm.paths[0].warnings).toEqual([expect.stringMatching(/^the alarm of the health check Check \(Alarm\) has a period or evaluation periods the template does not decide/)]);
  });
});

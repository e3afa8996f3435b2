import { App, Annotations as CoreAnnotations, CfnParameter, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DnsFailover, DnsFailoverProps, EndpointHealthCheck, FailoverTarget, RegionalRecord } from '../../src';
import { regionalFailover, testApp, testStack, testZone } from '../util';

function setup(region = 'us-west-2') {
  const app = testApp();
  const stack = testStack(app, 'Stack', region);
  const zone = testZone(stack);
  const check = new EndpointHealthCheck(stack, 'Check', { domainName: 'primary.example.com', statusAlarm: false });
  return { app, stack, zone, check };
}

function alb(stack: Stack, id = 'Alb'): elbv2.ApplicationLoadBalancer {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.IVpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  return new elbv2.ApplicationLoadBalancer(stack, id, { vpc, internetFacing: true });
}

describe('DnsFailover', () => {
  test('regional records: failover aliases with EvaluateTargetHealth and the primary check', () => {
    // GIVEN
    const { stack, zone, check } = setup();

    // WHEN
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.regionalRecord('us-east-1'),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: check,
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.example.com.',
      Type: 'A',
      Failover: 'PRIMARY',
      SetIdentifier: 'primary',
      HealthCheckId: { Ref: Match.stringLikeRegexp('^Check') },
      AliasTarget: { DNSName: 'us-east-1.app.example.com', HostedZoneId: 'Z0000000000EXAMPLE', EvaluateTargetHealth: true },
      TTL: Match.absent(),
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.example.com.',
      Type: 'A',
      Failover: 'SECONDARY',
      SetIdentifier: 'secondary',
      HealthCheckId: Match.absent(),
      AliasTarget: { DNSName: 'us-west-2.app.example.com', EvaluateTargetHealth: true },
    });
    expect(failover.domainName).toEqual('app.example.com');
    expect(failover.primaryRecords).toHaveLength(1);
    expect(failover.secondaryRecords).toHaveLength(1);
  });

  test('ipv6 on alias targets adds AAAA records on both sides', () => {
    const { stack, zone, check } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app.example.com',
      primary: FailoverTarget.regionalRecord('us-east-1', { ipv6: true }),
      secondary: FailoverTarget.regionalRecord('us-west-2', { ipv6: true }),
      primaryHealthCheck: check,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 4);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', Failover: 'PRIMARY', AliasTarget: { DNSName: 'us-east-1.app.example.com' } });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', Failover: 'SECONDARY', AliasTarget: { DNSName: 'us-west-2.app.example.com' } });
  });

  test('a load balancer in the same stack: alias to its dualstack name with EvaluateTargetHealth', () => {
    const { stack, zone, check } = setup();
    const lb = alb(stack);
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.loadBalancer(lb),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
      primaryHealthCheck: check,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      AliasTarget: {
        DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [Match.stringLikeRegexp('^Alb'), 'DNSName'] }]] },
        HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Alb'), 'CanonicalHostedZoneID'] },
        EvaluateTargetHealth: true,
      },
    });
  });

  test('a Network Load Balancer: alias with EvaluateTargetHealth', () => {
    const { stack, zone, check } = setup();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, internetFacing: true });
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.loadBalancer(nlb),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
      primaryHealthCheck: check,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      AliasTarget: { HostedZoneId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Nlb'), 'CanonicalHostedZoneID'] }, EvaluateTargetHealth: true },
    });
  });

  test('without a primary health check an alias relies on EvaluateTargetHealth, modeled as an assumption', () => {
    const { stack, zone } = setup();
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.loadBalancer(alb(stack)),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', HealthCheckId: Match.absent() });
    const detection = failover.estimate.terms[0];
    expect(detection.assumption).toBe(true);
    expect(detection.min.toSeconds()).toEqual(30);
    expect(detection.max.toSeconds()).toEqual(65);
    expect(detection.remedy).toMatch(/EndpointHealthCheck/);
    // ELB alias TTL is documented: 60 s, not an assumption.
    expect(failover.estimate.terms[3].assumption).toBe(false);
  });

  test('a missing primary check is an acknowledgeable warning', () => {
    const { stack, zone } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.loadBalancer(alb(stack)),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Failover',
      Match.stringLikeRegexp('The primary has no Route 53 health check.*\\[ack: cdk-failover:no-primary-health-check\\]'));
  });

  test('acknowledging on the stack removes the warning', () => {
    const { stack, zone } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.loadBalancer(alb(stack)),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
    });
    CoreAnnotations.of(stack).acknowledgeWarning('cdk-failover:no-primary-health-check', 'ELB health is enough here');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('no Route 53 health check'))).toEqual([]);
  });

  test('target-health detection can be told, and is then no assumption', () => {
    const { stack, zone } = setup();
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.loadBalancer(alb(stack)),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
      assumptions: { targetHealthDetection: Duration.seconds(25) },
    });
    const detection = failover.estimate.terms[0];
    expect(detection.max.toSeconds()).toEqual(25);
    expect(detection.min.toSeconds()).toEqual(25);
    expect(detection.assumption).toBe(false);
  });

  test('an imported primary check is an acknowledgeable warning', () => {
    const { stack, zone } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.regionalRecord('us-east-1'),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abc'),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Failover',
      Match.stringLikeRegexp('Stack/Imported is modeled as the slowest Route 53 endpoint check.*\\[ack: cdk-failover:unmodeled-health-check\\]'));
  });

  test('a measured alias TTL replaces the assumption', () => {
    const { stack, zone, check } = setup();
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.regionalRecord('us-east-1', { answerTtl: Duration.seconds(20) }),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: check,
    });
    const propagation = failover.estimate.terms[3];
    expect(propagation.max.toSeconds()).toEqual(20);
    expect(propagation.assumption).toBe(false);
  });

  test('IP addresses: A and AAAA by family, TTL 60 s by default', () => {
    const { stack, zone, check } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1', '2600:1f18::1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1', '2600:1f14::1']),
      primaryHealthCheck: check,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 4);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', Failover: 'PRIMARY', ResourceRecords: ['54.0.0.1'], TTL: '60' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', Failover: 'PRIMARY', ResourceRecords: ['2600:1f18::1'], TTL: '60' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', Failover: 'SECONDARY', ResourceRecords: ['35.0.0.1'], TTL: '60' });
  });

  test('a TTL of 10 s shortens the propagation term', () => {
    const { stack, zone, check } = setup();
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
      ttl: Duration.seconds(10),
      assumptions: { healthToDnsAnswer: Duration.seconds(5), clientDnsCache: Duration.seconds(0) },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { TTL: '10' });
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(26 + 5 + 10);
    expect(failover.estimate.assumptions).toEqual([]);
  });

  test('CNAME targets', () => {
    const { stack, zone, check } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'www',
      primary: FailoverTarget.cname('primary.example.net'),
      secondary: FailoverTarget.cname('standby.example.net'),
      primaryHealthCheck: check,
      ttl: Duration.seconds(30),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'www.example.com.', Type: 'CNAME', Failover: 'PRIMARY', ResourceRecords: ['primary.example.net'], TTL: '30',
    });
  });

  test('CloudFront primary: alias without EvaluateTargetHealth, with its health check', () => {
    // GIVEN
    const { stack, zone, check } = setup('us-east-1');
    const distribution = new cloudfront.Distribution(stack, 'Cdn', {
      defaultBehavior: { origin: new origins.HttpOrigin('origin.example.com') },
      domainNames: ['app.example.com'],
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
    });

    // WHEN
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.cloudFront(distribution),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: check,
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      SetIdentifier: 'primary',
      HealthCheckId: { Ref: Match.stringLikeRegexp('^Check') },
      AliasTarget: { HostedZoneId: Match.anyValue(), DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cdn'), 'DomainName'] }, EvaluateTargetHealth: Match.absent() },
    });
  });

  test('API Gateway domain: alias with EvaluateTargetHealth', () => {
    const { stack, zone, check } = setup();
    const domain = new apigw.DomainName(stack, 'Domain', {
      domainName: 'app.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc'),
      endpointType: apigw.EndpointType.REGIONAL,
    });
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.apiGateway(domain),
      secondary: FailoverTarget.regionalRecord('us-east-1'),
      primaryHealthCheck: check,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Domain'), 'RegionalDomainName'] }, EvaluateTargetHealth: true },
    });
  });

  test('an edge-optimized API Gateway domain is a CloudFront alias: no EvaluateTargetHealth', () => {
    const { stack, zone, check } = setup('us-east-1');
    const domain = new apigw.DomainName(stack, 'Domain', {
      domainName: 'app.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc'),
      endpointType: apigw.EndpointType.EDGE,
    });
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.apiGateway(domain),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: check,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Domain'), 'DistributionDomainName'] }, EvaluateTargetHealth: Match.absent() },
    });
  });

  test('a deploy-time TTL is modeled at the 60 s limit as an assumption, with a warning', () => {
    const { stack, zone, check } = setup();
    const ttl = new CfnParameter(stack, 'Ttl', { type: 'Number' });
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
      ttl: Duration.seconds(ttl.valueAsNumber),
    });
    const propagation = failover.estimate.terms[3];
    expect(propagation.max.toSeconds()).toEqual(60);
    expect(propagation.assumption).toBe(true);
    Annotations.fromStack(stack).hasWarning('/Stack/Failover', Match.stringLikeRegexp('only known at deploy time.*cdk-failover:deploy-time-ttl'));
  });

  test.each([
    // The figures the README quotes: measured assumptions, and a 10 s TTL on address records.
    { name: 'measured assumptions', props: { assumptions: { healthToDnsAnswer: Duration.seconds(15), clientDnsCache: Duration.seconds(0) } }, worst: 101 },
  ])('README: the regional pair with $name models $worst s', ({ props, worst }) => {
    const stack = testStack();
    expect(regionalFailover(stack, props).estimate.rtoWorst!.toSeconds()).toEqual(worst);
  });

  test('README: address records with a 10 s TTL model 71 s', () => {
    const { stack, zone, check } = setup();
    const failover = new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
      ttl: Duration.seconds(10),
    });
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(71);
  });

  test.each([
    ['app', 'app.example.com'],
    ['app.example.com', 'app.example.com'],
    ['app.example.com.', 'app.example.com'],
    ['us-east-1.app', 'us-east-1.app.example.com'],
    ['_svc.app', '_svc.app.example.com'],
    ['a'.repeat(63), `${'a'.repeat(63)}.example.com`],
  ])('the record name %s is %s', (recordName, domainName) => {
    const { stack, zone, check } = setup();
    const failover = new DnsFailover(stack, 'Failover', {
      zone, recordName, primary: FailoverTarget.ipAddresses(['54.0.0.1']), secondary: FailoverTarget.ipAddresses(['35.0.0.1']), primaryHealthCheck: check,
    });
    expect(failover.domainName).toEqual(domainName);
  });

  test('the zone apex', () => {
    const { stack, zone, check } = setup();
    new DnsFailover(stack, 'Failover', {
      zone,
      primary: FailoverTarget.recordName('us-east-1.example.com'),
      secondary: FailoverTarget.recordName('us-west-2'),
      primaryHealthCheck: check,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'example.com.', AliasTarget: { DNSName: 'us-east-1.example.com' } });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'example.com.', AliasTarget: { DNSName: 'us-west-2.example.com' } });
  });

  test.each([
    ['DnsFailover', 60, true],
    ['DnsFailover', 61, false],
    ['RegionalRecord', 60, true],
    ['RegionalRecord', 61, false],
  ])('%s: a TTL of %i s is accepted: %s', (construct, seconds, accepted) => {
    // GIVEN
    const { stack, zone, check } = setup();
    const ttl = Duration.seconds(seconds);

    // WHEN
    const create = () => construct === 'DnsFailover'
      ? new DnsFailover(stack, 'Failover', {
        zone, recordName: 'app', primary: FailoverTarget.ipAddresses(['54.0.0.1']), secondary: FailoverTarget.ipAddresses(['35.0.0.1']), primaryHealthCheck: check, ttl,
      })
      : new RegionalRecord(stack, 'Regional', { zone, recordName: 'app', target: FailoverTarget.ipAddresses(['54.0.0.1']), ttl });

    // THEN
    if (accepted) {
      create();
      Template.fromStack(stack).allResourcesProperties('AWS::Route53::RecordSet', { TTL: '60' });
    } else {
      expect(create).toThrow(/`ttl` must be whole seconds from 0 to 60, got: 1 minute 1 second\./);
    }
  });

  test('fails with a health check on the failover name written with a trailing dot', () => {
    const { stack, zone, check } = setup();
    expect(() => new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
      secondaryHealthCheck: new EndpointHealthCheck(stack, 'Self', { domainName: 'app.example.com.', statusAlarm: false }),
    })).toThrow(/`secondaryHealthCheck` probes app\.example\.com\., the failover name itself/);
  });

  test('tokens are not judged', () => {
    const { stack, zone, check } = setup();
    expect(() => new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses([Lazy.string({ produce: () => '54.0.0.1' })]),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
      ttl: Duration.seconds(Lazy.number({ produce: () => 30 })),
    })).not.toThrow();
  });

  test('a TTL from a CfnParameter is written as the string CloudFormation expects', () => {
    const { stack, zone, check } = setup();
    const ttl = new CfnParameter(stack, 'Ttl', { type: 'Number', default: 30 });
    new DnsFailover(stack, 'Failover', {
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
      ttl: Duration.seconds(ttl.valueAsNumber),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { TTL: { Ref: 'Ttl' } });
  });

  describe('fails', () => {
    const base = (zone: route53.IHostedZone, check: EndpointHealthCheck): DnsFailoverProps => ({
      zone,
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['54.0.0.1']),
      secondary: FailoverTarget.ipAddresses(['35.0.0.1']),
      primaryHealthCheck: check,
    });

    test.each<[string, (s: Stack, c: EndpointHealthCheck) => Partial<DnsFailoverProps>, RegExp]>([
      ['with different address families', () => ({ secondary: FailoverTarget.ipAddresses(['35.0.0.1', '2600:1f14::1']) }),
        /`primary` answers A but `secondary` answers A, AAAA: queries of a type only/],
      ['with ipv6 on one alias only', () => ({ primary: FailoverTarget.regionalRecord('us-east-1', { ipv6: true }), secondary: FailoverTarget.regionalRecord('us-west-2') }),
        /`primary` answers A, AAAA but `secondary` answers A/],
      ['with no addresses', () => ({ primary: FailoverTarget.ipAddresses([]) }), /`primary` has no addresses/],
      ['with a CNAME at the apex', () => ({ recordName: 'example.com', primary: FailoverTarget.cname('a.example.net'), secondary: FailoverTarget.cname('b.example.net') }),
        /`primary` is a CNAME, which DNS does not allow at the zone apex \(example\.com\)/],
      ['without a primary health check on addresses', () => ({ primaryHealthCheck: undefined }),
        /`primaryHealthCheck` is required: Route 53 cannot tell the health of the primary \(IP addresses\) by itself/],
      ['with one check for both sides', (_, c) => ({ secondaryHealthCheck: c }), /are the same check/],
      ['with ttl on alias targets', () => ({ primary: FailoverTarget.regionalRecord('us-east-1'), secondary: FailoverTarget.regionalRecord('us-west-2'), ttl: Duration.seconds(30) }),
        /`ttl` applies to address and CNAME records only; alias records take the TTL of their target, got: 30 seconds/],
      ['with a ttl over 60 s', () => ({ ttl: Duration.minutes(30) }), /`ttl` must be whole seconds from 0 to 60, got: 30 minutes/],
      ['with a fractional ttl', () => ({ ttl: Duration.millis(1500) }), /`ttl` must be whole seconds from 0 to 60, got: 1 second 500 millis/],
      ['with a NaN ttl', () => ({ ttl: Duration.seconds(NaN) }), /`ttl` must be whole seconds from 0 to 60, got: NaN\. Resolvers keep/],
      ['with an Infinity answer TTL', () => ({ primary: FailoverTarget.recordName('us-east-1.app', { answerTtl: Duration.seconds(Infinity) }), secondary: FailoverTarget.regionalRecord('us-west-2') }),
        /`primary\.answerTtl` must be whole seconds of 0 or more, got: Infinity/],
      ['with a record name label of 64 characters', () => ({ recordName: 'a'.repeat(64) }),
        /`recordName` must be a DNS name \(labels of 1 to 63 letters, digits, hyphens or underscores, at most 253 characters in all\), got: "a{64}\.example\.com"/],
      ['with a space in the record name', () => ({ recordName: 'my app' }), /`recordName` must be a DNS name .*got: "my app\.example\.com"/],
      ['with a record name of 254 characters', () => ({ recordName: `${'a'.repeat(60)}.`.repeat(4) + 'abcd' }), /`recordName` must be a DNS name/],
      ['with a fully qualified name of another zone', () => ({ recordName: 'app.example.org' }),
        /`recordName` "app\.example\.org" looks like a fully qualified name of another zone, but it becomes app\.example\.org\.example\.com\. Give it relative to the zone \(e\.g\. `app`\), or fully qualified inside example\.com/],
      ['with an absolute name outside the zone', () => ({ recordName: 'app.example.org.' }),
        /`recordName` "app\.example\.org\." is not inside the zone example\.com: Route 53 rejects a record outside its zone/],
      ['with the same target twice', () => ({ secondary: FailoverTarget.ipAddresses(['54.0.0.1']) }), /are the same target \(54\.0\.0\.1\)/],
      ['with something that is not an address', () => ({ primary: FailoverTarget.ipAddresses(['54.0.0.1', 'app.example.net']) }),
        /`primary` must list IPv4 or IPv6 addresses, got: \["app\.example\.net"\]/],
      ['with a CNAME that is not a name', () => ({ primary: FailoverTarget.cname('not a name'), secondary: FailoverTarget.cname('b.example.net') }),
        /`primary` must be a DNS name/],
      ['with a fractional answer TTL', () => ({ primary: FailoverTarget.recordName('us-east-1.app', { answerTtl: Duration.millis(1500) }), secondary: FailoverTarget.regionalRecord('us-west-2') }),
        /`primary\.answerTtl` must be whole seconds of 0 or more, got: 1 second 500 millis. Give the TTL the target answers with/],
      ['without a primary health check on a regional record', () => ({ primary: FailoverTarget.regionalRecord('us-east-1'), secondary: FailoverTarget.regionalRecord('us-west-2'), primaryHealthCheck: undefined }),
        /`primaryHealthCheck` is required: Route 53 cannot tell the health of the primary \(record in the zone\) by itself/],
      ['with a check that probes the failover name itself', (s) => ({
        primaryHealthCheck: new EndpointHealthCheck(s, 'Self', { domainName: 'app.example.com', statusAlarm: false }),
      }), /`primaryHealthCheck` probes app\.example\.com, the failover name itself/],
    ])('%s', (_, override, message) => {
      const { stack, zone, check } = setup();
      expect(() => new DnsFailover(stack, 'Failover', { ...base(zone, check), ...override(stack, check) }))
        .toThrow(message);
    });

    test('with a regional record of a region that is not one', () => {
      const { stack, zone, check } = setup();
      expect(() => new DnsFailover(stack, 'Failover', {
        zone, recordName: 'app', primary: FailoverTarget.regionalRecord('us-east-l'), secondary: FailoverTarget.regionalRecord('us-west-2'), primaryHealthCheck: check,
      })).toThrow(/`primary` is the regional record of "us-east-l", which is not an AWS region name such as us-east-1\. Give the region of the RegionalRecord/);
    });

    test('with two pairs for the same name and type in one zone, at synth', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app);
      regionalFailover(stack);
      const other = testStack(app, 'Other');

      // WHEN: the same name, once relative and once fully qualified, in the same zone (another stack)
      regionalFailover(other, { recordName: 'app.example.com' }, 'Again');

      // THEN
      expect(() => app.synth()).toThrow(/\[Other\/Again\] `recordName` app\.example\.com \(A\) is also the failover name of Stack\/Failover in the same zone: both pairs would write the set identifiers "primary" and "secondary"/);
    });

    test('two pairs for different names, or for the same name in different zones, are fine', () => {
      const app = testApp();
      const stack = testStack(app);
      regionalFailover(stack);
      regionalFailover(stack, { recordName: 'api' }, 'Api');
      const other = testStack(app, 'Other');
      regionalFailover(other, { zone: route53.HostedZone.fromHostedZoneAttributes(other, 'Zone', { hostedZoneId: 'Z1111111111OTHER', zoneName: 'example.com' }) });
      expect(() => app.synth()).not.toThrow();
    });

    test('with CloudFront on both sides, or without a check on a CloudFront primary', () => {
      const { stack, zone } = setup('us-east-1');
      const cdn = (id: string) => new cloudfront.Distribution(stack, id, { defaultBehavior: { origin: new origins.HttpOrigin('o.example.com') } });
      expect(() => new DnsFailover(stack, 'Failover', {
        zone, recordName: 'app', primary: FailoverTarget.cloudFront(cdn('A')), secondary: FailoverTarget.cloudFront(cdn('B')),
      })).toThrow(/both end at CloudFront distributions[\s\S]*`primaryHealthCheck` is required: Route 53 cannot tell the health of the primary \(CloudFront distribution\)/);
    });

    test('with a load balancer in another region, pointing at its regional record', () => {
      const app = new App();
      const east = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
      const west = new Stack(app, 'West', { env: { account: '111111111111', region: 'us-west-2' } });
      expect(() => new DnsFailover(west, 'Failover', {
        zone: testZone(west),
        recordName: 'app',
        primary: FailoverTarget.loadBalancer(alb(east)),
        secondary: FailoverTarget.loadBalancer(alb(west)),
      })).toThrow(/`primary` is East\/Alb in us-east-1, but this stack is in us-west-2: .* Create a RegionalRecord in that stack and use FailoverTarget\.regionalRecord\(\) here\./);
    });

    test('with a health check or zone from another region', () => {
      const app = new App();
      const east = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
      const west = new Stack(app, 'West', { env: { account: '111111111111', region: 'us-west-2' } });
      expect(() => new DnsFailover(west, 'Failover', {
        zone: testZone(east),
        recordName: 'app',
        primary: FailoverTarget.regionalRecord('us-east-1'),
        secondary: FailoverTarget.regionalRecord('us-west-2'),
        primaryHealthCheck: new EndpointHealthCheck(east, 'Check', { domainName: 'us-east-1.app.example.com' }),
      })).toThrow(/`zone` is East\/Zone in us-east-1[\s\S]*`primaryHealthCheck` is East\/Check in us-east-1, but this stack is in us-west-2/);
    });

    test('with every problem in one error starting with the construct path', () => {
      const { stack, zone } = setup();
      expect(() => new DnsFailover(stack, 'Failover', {
        zone,
        recordName: 'app',
        primary: FailoverTarget.ipAddresses(['54.0.0.1']),
        secondary: FailoverTarget.ipAddresses(['54.0.0.1']),
        ttl: Duration.minutes(2),
      })).toThrow(/^Stack\/Failover: 3 problems:\n {2}- /);
    });
  });

  test('the report path of the example topology', () => {
    const stack = testStack();
    const failover = regionalFailover(stack);
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(121);
    expect(failover.estimate.dominantTerm!.kind.id).toEqual('propagation');
  });
});

import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { DnsFailover, FailoverTarget, HealthProbe, ProbeDnsRecordType } from '../../src';
import { Problems } from '../../src/private/errors';
import { alarmShape, checkRoute53Alarm } from '../../src/private/route53-alarm-rules';
import { testApp, testStack, testZone } from '../util';

function vpcStack(): { stack: Stack; vpc: ec2.Vpc } {
  const stack = testStack(testApp(), 'Stack', 'us-east-1');
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 }) };
}

describe('HealthProbe', () => {
  test('one function per stack, scheduled every minute with the targets in the event', () => {
    // GIVEN
    const { stack, vpc } = vpcStack();

    // WHEN
    const probe = new HealthProbe(stack, 'Probe', { vpc });
    probe.addHttpTarget('api', { url: 'https://internal.example.com/health', searchString: 'ok' });
    probe.addTcpTarget('db', { host: 'db.internal.example.com', port: 5432 });
    const other = new HealthProbe(stack, 'Other', { vpc });
    other.addDnsTarget('dns', { hostname: 'db.internal.example.com', recordType: ProbeDnsRecordType.AAAA });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Timeout: 90,
      MemorySize: 256,
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
    template.resourceCountIs('AWS::Events::Rule', 2);
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const inputs = rules.map((r) => JSON.parse(r.Properties.Targets[0].Input));
    expect(rules.every((r) => r.Properties.ScheduleExpression === 'rate(1 minute)')).toBe(true);
    expect(inputs[0]).toMatchObject({
      namespace: 'CdkFailover/Probe',
      samples: 3,
      periodMs: 60000,
      targets: [
        { kind: 'http', id: 'api', url: 'https://internal.example.com/health', search: 'ok', timeoutMs: 5000, expectedStatus: [[200, 299]], searchBytes: 5120 },
        { kind: 'tcp', id: 'db', host: 'db.internal.example.com', port: 5432, timeoutMs: 5000 },
      ],
    });
    expect(inputs[1].targets).toEqual([{ kind: 'dns', id: 'dns', hostname: 'db.internal.example.com', recordType: 'AAAA', timeoutMs: 5000 }]);
  });

  test('each target: an alarm Route 53 accepts, missing data breaching, and an alarm-based check that is unhealthy without data', () => {
    const { stack, vpc } = vpcStack();
    const probe = new HealthProbe(stack, 'Probe', { vpc });
    const check = probe.addHttpTarget('api', { url: 'https://internal.example.com/health' });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkFailover/Probe',
      MetricName: 'Failure',
      Dimensions: Match.arrayWith([{ Name: 'Target', Value: 'api' }]),
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      DatapointsToAlarm: Match.absent(),
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
      AlarmDescription: Match.stringLikeRegexp('^Stack/Probe/api: cdk-failover probe .* failed sample\\(s\\) in a minute, or no samples\\.$'),
      AlarmActions: Match.absent(),
      OKActions: Match.absent(),
    });
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Name: { Ref: Match.stringLikeRegexp('^ProbeapiAlarm') }, Region: 'us-east-1' },
        InsufficientDataHealthStatus: 'Unhealthy',
      },
    });
    expect(check.alarm).toBeDefined();
  });

  test('the target\'s alarm passes the same Route 53 alarm rules as AlarmHealthCheck', () => {
    const stack = testStack();
    const check = new HealthProbe(stack, 'Probe').addTcpTarget('db', { host: 'db.example.com', port: 5432 });
    const alarm = check.alarm as cloudwatch.Alarm;
    expect(alarmShape(alarm)).toEqual({ math: false, statistic: 'Sum', period: 60, evaluationPeriods: 1, datapointsToAlarm: undefined, metricAccount: undefined });
    const problems = new Problems(check);
    checkRoute53Alarm(problems, check, alarm);
    expect(problems.count).toEqual(0);
  });

  test('PutMetricData is scoped to the namespace, and its wildcard finding suppressed for cdk-nag with the reason', () => {
    const { stack, vpc } = vpcStack();
    new HealthProbe(stack, 'Probe', { vpc, namespace: 'Orders/Probe' }).addTcpTarget('db', { host: '10.0.0.5', port: 5432 });
    Template.fromStack(stack).hasResource('AWS::IAM::Policy', {
      Metadata: {
        cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: Match.stringLikeRegexp('no resource-level permissions'), applies_to: ['Resource::*'] }] },
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'cloudwatch:PutMetricData',
          Effect: 'Allow',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': 'Orders/Probe' } },
        }]),
      },
    });
  });

  test('the detection term: 3 samples, 2 to alarm, 5 s timeout', () => {
    const { stack, vpc } = vpcStack();
    const check = new HealthProbe(stack, 'Probe', { vpc }).addHttpTarget('api', { url: 'https://internal.example.com/' });
    const [term] = check.detection.terms;
    // best: one 20 s interval; worst: 2 periods + 5 s timeout + 3 s publication + 60 s alarm to Route 53
    expect(term.min.toSeconds()).toEqual(20);
    expect(term.max.toSeconds()).toEqual(188);
    expect(term.assumption).toBe(true);
    expect(check.summary).toEqual('probe HTTP https://internal.example.com/ (2 of 3 samples a minute)');
  });

  test('a DNS failover on a private endpoint takes the probe check as primary health check', () => {
    const { stack, vpc } = vpcStack();
    const check = new HealthProbe(stack, 'Probe', { vpc, samplesPerMinute: 6, failuresToAlarm: 3 })
      .addHttpTarget('api', { url: 'https://internal.example.com/health', timeout: Duration.seconds(2) });
    const failover = new DnsFailover(stack, 'Failover', {
      zone: testZone(stack),
      recordName: 'app',
      primary: FailoverTarget.ipAddresses(['10.0.1.10']),
      secondary: FailoverTarget.ipAddresses(['10.1.1.10']),
      primaryHealthCheck: check,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Failover: 'PRIMARY',
      HealthCheckId: { Ref: Match.stringLikeRegexp('^Probeapi[0-9A-F]{8}$') },
    });
    // 2 x 60 + 2 + 3 + 60 = 185 s detection, + 30 s switch + 60 s TTL + 5 s client cache
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(185 + 30 + 60 + 5);
    expect(failover.estimate.rtoBest!.toSeconds()).toEqual(20);
  });

  test('a latched target: one retained, deletion-protected table per stack, scoped access, a reset command', () => {
    // GIVEN
    const { stack, vpc } = vpcStack();
    const probe = new HealthProbe(stack, 'Probe', { vpc });

    // WHEN
    const api = probe.addHttpTarget('api', { url: 'https://internal.example.com/health', latch: true });
    const db = probe.addTcpTarget('db', { host: 'db.internal.example.com', port: 5432, latch: true });
    const plain = probe.addTcpTarget('cache', { host: 'cache.internal.example.com', port: 6379 });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LATCH_TABLE: { Ref: Match.stringLikeRegexp('^CdkFailoverProbeLatches') } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkFailoverProbeLatches'), 'Arn'] },
        }]),
      },
    });
    const input = JSON.parse(Object.values(template.findResources('AWS::Events::Rule'))[0].Properties.Targets[0].Input);
    expect(input).toMatchObject({ failuresToAlarm: 2, latched: ['api', 'db'] });
    expect(stack.resolve(api.resetCommand)).toEqual({
      'Fn::Join': ['', ['aws dynamodb delete-item --region us-east-1 --table-name ', { Ref: expect.stringMatching(/^CdkFailoverProbeLatches/) }, ` --key '{"pk":{"S":"${input.probe}#api"}}'`]],
    });
    expect(db.resetCommand).toBeDefined();
    expect(plain.resetCommand).toBeUndefined();
  });

  test('an aggregate over the targets: a calculated check over their checks', () => {
    const { stack, vpc } = vpcStack();
    const probe = new HealthProbe(stack, 'Probe', { vpc });
    probe.addTcpTarget('a', { host: 'a.internal.example.com', port: 1, timeout: Duration.seconds(2) });
    probe.addTcpTarget('b', { host: 'b.internal.example.com', port: 1, timeout: Duration.seconds(8) });
    probe.addTcpTarget('c', { host: 'c.internal.example.com', port: 1 });
    const aggregate = probe.addAggregate('any-two', { failedTargets: 2 });

    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        ChildHealthChecks: [{ Ref: Match.stringLikeRegexp('^Probea') }, { Ref: Match.stringLikeRegexp('^Probeb') }, { Ref: Match.stringLikeRegexp('^Probec') }],
        HealthThreshold: 2,
      },
    });
    // unhealthy once 2 of 3 fail together: the second-fastest child's worst case (5 s timeout)
    expect(aggregate.detection.terms[0].max.toSeconds()).toEqual(120 + 5 + 3 + 60);
  });

  test.each<[string, (p: HealthProbe) => unknown, RegExp]>([
    ['an aggregate without targets', (p) => p.addAggregate('all'), /the aggregate needs targets/],
    ['an aggregate over more targets than there are', (p) => { p.addTcpTarget('a', { host: 'a.example.com', port: 1 }); return p.addAggregate('all', { failedTargets: 2 }); },
      /`failedTargets` must be an integer from 1 to 1, got: 2/],
    ['an aggregate with a target\'s id', (p) => { p.addTcpTarget('a', { host: 'a.example.com', port: 1 }); return p.addAggregate('a'); },
      /a is already the id of a target/],
  ])('fails with %s', (_, add, message) => {
    const stack = testStack();
    expect(() => add(new HealthProbe(stack, 'Probe'))).toThrow(message);
  });

  test('IPv6 resolvers, with or without a port, and a private CA', () => {
    const { stack, vpc } = vpcStack();
    const probe = new HealthProbe(stack, 'Probe', { vpc });
    probe.addDnsTarget('dns', { hostname: 'db.internal.example.com', resolvers: ['2001:4860:4860::8888', '[2001:4860:4860::8844]:53', '10.0.0.2:53'] });
    probe.addTlsTarget('tls', { host: 'api.internal.example.com', caCertificates: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
    const input = JSON.parse(Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0].Properties.Targets[0].Input);
    expect(input.targets[1].ca).toMatch(/BEGIN CERTIFICATE/);
  });

  test('probes in other subnets of the same VPC get their own function', () => {
    const stack = testStack(testApp(), 'Stack', 'us-east-1');
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'b', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new HealthProbe(stack, 'A', { vpc, vpcSubnets: { subnetGroupName: 'a' } }).addTcpTarget('x', { host: 'x.example.com', port: 1 });
    new HealthProbe(stack, 'B', { vpc, vpcSubnets: { subnetGroupName: 'b' } }).addTcpTarget('y', { host: 'y.example.com', port: 1 });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 2);
  });

  describe('the probe function is a singleton of the stack per network placement', () => {
    function network(): { stack: Stack; vpc: ec2.Vpc; securityGroups: ec2.ISecurityGroup[] } {
      const stack = testStack(testApp(), 'Stack', 'us-east-1');
      // Long paths and several security groups: a placement key longer than any construct id.
      const vpc = new ec2.Vpc(new Construct(stack, 'SharedNetworkingForEveryServiceOfTheOrdersDomain'), 'PrimaryApplicationVpcWithPrivateSubnets', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'b', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      const securityGroups = [1, 2, 3, 4].map((i) => new ec2.SecurityGroup(stack, `ProbeEgressSecurityGroupNumber${i}`, { vpc }));
      return { stack, vpc, securityGroups };
    }

    test('probes in other subnets of one VPC get two functions, however long the placement', () => {
      const { stack, vpc, securityGroups } = network();
      const a = new HealthProbe(stack, 'A', { vpc, securityGroups, vpcSubnets: { subnetGroupName: 'a' } });
      const b = new HealthProbe(stack, 'B', { vpc, securityGroups, vpcSubnets: { subnetGroupName: 'b' } });
      a.addTcpTarget('x', { host: 'x.example.com', port: 1 });
      b.addTcpTarget('y', { host: 'y.example.com', port: 1 });
      expect(a.function === b.function).toBe(false);
      const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
      expect(functions.map((f) => stack.resolve(f.Properties.VpcConfig.SubnetIds))).toEqual([
        vpc.selectSubnets({ subnetGroupName: 'a' }).subnetIds.map((id) => stack.resolve(id)),
        vpc.selectSubnets({ subnetGroupName: 'b' }).subnetIds.map((id) => stack.resolve(id)),
      ]);
    });

    test('probes with the same placement share one function, also when one spells out the default subnets', () => {
      const { stack, vpc, securityGroups } = network();
      const a = new HealthProbe(stack, 'A', { vpc, securityGroups, vpcSubnets: { subnetGroupName: 'a' } });
      const b = new HealthProbe(stack, 'B', { vpc, securityGroups, vpcSubnets: { subnetGroupName: 'a' } });
      const c = new HealthProbe(stack, 'C', { vpc, securityGroups });
      const d = new HealthProbe(stack, 'D', { vpc, securityGroups, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      for (const p of [a, b, c, d]) {
        p.addTcpTarget('x', { host: 'x.example.com', port: 1 });
      }
      expect(b.function === a.function).toBe(true);
      expect(d.function === c.function).toBe(true);
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 2);
    });

    test('a probe without a VPC keeps the plain id: one function outside any VPC', () => {
      const stack = testStack();
      const a = new HealthProbe(stack, 'A');
      const b = new HealthProbe(stack, 'B');
      expect(b.function === a.function).toBe(true);
      expect(a.function.node.id).toEqual('CdkFailoverProbe');
    });
  });

  describe('fails', () => {
    test.each([
      ['samplesPerMinute 0', { samplesPerMinute: 0 }, /`samplesPerMinute` must be an integer from 1 to 6, got: 0/],
      ['samplesPerMinute 7', { samplesPerMinute: 7 }, /`samplesPerMinute` must be an integer from 1 to 6, got: 7/],
      ['failuresToAlarm above samples', { samplesPerMinute: 2, failuresToAlarm: 3 }, /`failuresToAlarm` must be an integer from 1 to 2, got: 3/],
      ['an AWS namespace', { namespace: 'AWS/Route53' }, /`namespace` must not start with "AWS\/"/],
      ['security groups without a VPC', { securityGroups: [] as ec2.ISecurityGroup[] }, /need `vpc`/],
      ['samplesPerMinute from a parameter', { samplesPerMinute: Lazy.number({ produce: () => 3 }) },
        /`samplesPerMinute` is a deploy-time Token, but the probe's rounds and its modeled detection are sized at synth/],
      ['failuresToAlarm from a parameter', { failuresToAlarm: Lazy.number({ produce: () => 2 }) },
        /`failuresToAlarm` is a deploy-time Token, but the modeled detection needs it at synth/],
    ])('with %s', (_, props, message) => {
      const stack = testStack();
      expect(() => new HealthProbe(stack, 'Probe', props)).toThrow(message);
    });

    test.each<[string, (p: HealthProbe) => unknown, RegExp]>([
      ['a URL that is not one', (p) => p.addHttpTarget('a', { url: 'internal.example.com/health' }), /`url` of target a must be an http:\/\/ or https:\/\/ URL/],
      ['an ftp URL', (p) => p.addHttpTarget('a', { url: 'ftp://internal.example.com/' }), /`url` of target a must use http:\/\/ or https:\/\//],
      ['a status code of 700', (p) => p.addHttpTarget('a', { url: 'http://x.example.com/', expectedStatusCodes: [200, 700] }), /must list status codes from 100 to 599/],
      ['a timeout of 30 s', (p) => p.addHttpTarget('a', { url: 'http://x.example.com/', timeout: Duration.seconds(30) }), /`timeout` of target a must be 1 to 17 seconds, got: 30 seconds/],
      ['maxResponseTime above the timeout', (p) => p.addHttpTarget('a', { url: 'http://x.example.com/', maxResponseTime: Duration.seconds(6) }),
        /`maxResponseTime` of target a must be longer than zero and shorter than its timeout \(5000 ms\)/],
      ['a port of 0', (p) => p.addTcpTarget('a', { host: 'db.example.com', port: 0 }), /`port` must be an integer from 1 to 65535, got: 0/],
      ['a bad host', (p) => p.addTcpTarget('a', { host: 'not a host', port: 1 }), /`host of target a` must be a DNS name/],
      ['a resolver that is not an IP', (p) => p.addDnsTarget('a', { hostname: 'db.example.com', resolvers: ['dns.example.com'] }), /`resolvers` of target a must be IP addresses/],
      ['a resolver on port 0', (p) => p.addDnsTarget('a', { hostname: 'db.example.com', resolvers: ['10.0.0.2:0'] }),
        /`resolvers` of target a must be IP addresses, optionally with a port 1\.\.65535 .*: resolver 10\.0\.0\.2:0 has port 0, outside 1\.\.65535\./],
      ['an IPv6 resolver on port 0', (p) => p.addDnsTarget('a', { hostname: 'db.example.com', resolvers: ['[::1]:0'] }), /resolver \[::1\]:0 has port 0, outside 1\.\.65535/],
      ['a resolver on port 65536', (p) => p.addDnsTarget('a', { hostname: 'db.example.com', resolvers: ['10.0.0.2:53', '10.0.0.2:65536'] }),
        /: resolver 10\.0\.0\.2:65536 has port 65536, outside 1\.\.65535\./],
      ['a timeout of 1.5 ms over 2 s', (p) => p.addHttpTarget('a', { url: 'http://x.example.com/', timeout: Duration.millis(2000.5) }),
        /^Stack\/Probe: `timeout` must be whole milliseconds of 0 or more, got: 2 seconds 0\.5 millis/],
      ['a NaN maxResponseTime', (p) => p.addHttpTarget('a', { url: 'http://x.example.com/', maxResponseTime: Duration.seconds(NaN) }),
        /`maxResponseTime` must be whole milliseconds of 0 or more, got: NaN/],
      ['a fractional certificate validity', (p) => p.addTlsTarget('a', { host: 'db.example.com', minCertificateValidity: Duration.hours(36) }), /must be whole days/],
      ['a bad target id', (p) => p.addTcpTarget('has space', { host: 'db.example.com', port: 1 }), /the target id must be 1 to 128 letters/],
      ['the same target id twice', (p) => { p.addTcpTarget('a', { host: 'db.example.com', port: 1 }); return p.addTcpTarget('a', { host: 'db.example.com', port: 2 }); },
        /target a already exists in this probe/],
    ])('with %s', (_, add, message) => {
      const stack = testStack();
      expect(() => add(new HealthProbe(stack, 'Probe'))).toThrow(message);
    });

    test('with a timeout that would make rounds slip', () => {
      const stack = testStack();
      expect(() => new HealthProbe(stack, 'Probe', { samplesPerMinute: 6 }).addTcpTarget('db', { host: 'db.example.com', port: 1, timeout: Duration.seconds(8) }))
        .toThrow(/`timeout` of target db must be 1 to 7 seconds, got: 8 seconds\. With 6 sample\(s\) a minute a round must end within 10 s/);
    });

    test('without targets, at synth', () => {
      const app = testApp();
      new HealthProbe(testStack(app), 'Probe');
      expect(() => app.synth()).toThrow(/\[Stack\/Probe\] the probe has no targets/);
    });
  });

  test('many targets are split over events under 8,192 characters and rules of 5 targets', () => {
    // 180 targets: each has an alarm and a health check, and a stack holds at most 500 resources.
    const stack = testStack();
    const probe = new HealthProbe(stack, 'Probe');
    for (let i = 0; i < 180; i++) {
      probe.addHttpTarget(`t${i}`, { url: `https://service-${i}.internal.example.com/health/deep?check=all`, searchString: 'ok' });
    }
    const template = Template.fromStack(stack);
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    const inputs = rules.flatMap((r) => r.Properties.Targets.map((t: any) => t.Input as string));
    expect(rules.every((r) => r.Properties.Targets.length <= 5)).toBe(true);
    expect(inputs.every((i) => i.length <= 8192)).toBe(true);
    expect(rules.length).toBeGreaterThan(1);
    expect(inputs.flatMap((i) => JSON.parse(i).targets.map((t: any) => t.id))).toHaveLength(180);
  });
});

describe('HealthProbe subnets', () => {
  test('fails with a VPC of public subnets only and no vpcSubnets, naming the prop, the VPC and what to pass', () => {
    const stack = testStack(testApp(), 'Stack', 'us-east-1');
    const vpc = new ec2.Vpc(stack, 'PublicVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new HealthProbe(stack, 'Probe', { vpc }))
      .toThrow(/^Stack\/Probe: `vpcSubnets` is not given and Stack\/PublicVpc has no private subnets, only public ones, .* The probe runs in private subnets, next to what it checks: add them to the VPC \(subnetConfiguration\), or pass `vpcSubnets`\./);
  });

  test('fails with vpcSubnets that select public subnets', () => {
    const { stack, vpc } = vpcStack();
    expect(() => new HealthProbe(stack, 'Probe', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow(/^Stack\/Probe: `vpcSubnets` selects public subnets of Stack\/Vpc, where a Lambda function reaches neither CloudWatch nor the internet\. Select private subnets/);
  });

  test('fails with vpcSubnets the VPC does not have', () => {
    const { stack, vpc } = vpcStack();
    expect(() => new HealthProbe(stack, 'Probe', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }))
      .toThrow(/^Stack\/Probe: `vpcSubnets` selects no subnets of Stack\/Vpc \(.*\)\. Select the VPC's private subnets\./);
  });
});

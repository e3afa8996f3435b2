import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { FailoverTarget, RegionalRecord } from '../../src';
import { testStack, testZone } from '../util';

describe('RegionalRecord', () => {
  test('names the record after the stack region and aliases the load balancer with EvaluateTargetHealth', () => {
    // GIVEN
    const stack = testStack(undefined, 'Stack', 'us-east-1');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });

    // WHEN
    const record = new RegionalRecord(stack, 'Regional', { zone: testZone(stack), recordName: 'app', target: FailoverTarget.loadBalancer(alb) });

    // THEN
    expect(record.domainName).toEqual('us-east-1.app.example.com');
    expect(record.region).toEqual('us-east-1');
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'us-east-1.app.example.com.',
      Type: 'A',
      Failover: Match.absent(),
      SetIdentifier: Match.absent(),
      AliasTarget: { EvaluateTargetHealth: true, DNSName: { 'Fn::Join': ['', ['dualstack.', Match.anyValue()]] } },
    });
  });

  test('an explicit region, the zone apex, IP addresses with a TTL', () => {
    const stack = new Stack(new App(), 'Stack');
    const record = new RegionalRecord(stack, 'Regional', {
      zone: testZone(stack),
      region: 'eu-west-1',
      target: FailoverTarget.ipAddresses(['54.0.0.1', '2600:1f18::1']),
      ttl: Duration.seconds(20),
    });
    expect(record.domainName).toEqual('eu-west-1.example.com');
    expect(record.records).toHaveLength(2);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'eu-west-1.example.com.', Type: 'A', TTL: '20', ResourceRecords: ['54.0.0.1'] });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'eu-west-1.example.com.', Type: 'AAAA', TTL: '20' });
  });

  test('address targets default to a 60 s TTL', () => {
    const stack = testStack();
    new RegionalRecord(stack, 'Regional', { zone: testZone(stack), recordName: 'app', target: FailoverTarget.ipAddresses(['54.0.0.1']) });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { TTL: '60' });
  });

  test('the failover pair and the regional record agree on the name', () => {
    const stack = testStack(undefined, 'Stack', 'us-east-1');
    const zone = testZone(stack);
    const regional = new RegionalRecord(stack, 'Regional', { zone, recordName: 'app', target: FailoverTarget.ipAddresses(['54.0.0.1']) });
    const bound = (FailoverTarget.regionalRecord('us-east-1') as any)._bind(zone, 'app.example.com');
    expect(bound.label).toEqual(regional.domainName);
  });

  describe('fails', () => {
    test('in an environment-agnostic stack without region', () => {
      const stack = new Stack(new App(), 'Agnostic');
      expect(() => new RegionalRecord(stack, 'Regional', { zone: testZone(stack), target: FailoverTarget.ipAddresses(['54.0.0.1']) }))
        .toThrow(/^Agnostic\/Regional: `region` is required in an environment-agnostic stack/);
    });

    test.each([
      ['a region that is not one', { region: 'primary' }, /`region` must be an AWS region name such as us-east-1, got: "primary"/],
      ['a fully qualified name of another zone', { recordName: 'app.example.org' }, /`recordName` "app\.example\.org" looks like a fully qualified name of another zone/],
      ['a record name label of 64 characters', { recordName: 'a'.repeat(64) }, /`recordName` must be a DNS name .*got: "a{64}\.example\.com"/],
      ['a regional name over 253 characters', { recordName: `${'a'.repeat(60)}.`.repeat(3) + 'a'.repeat(50) },
        /`recordName` must be a DNS name .*got: "us-west-2\.a{60}/],
      ['a TTL over 60 s', { ttl: Duration.minutes(5) }, /`ttl` must be whole seconds from 0 to 60, got: 5 minutes/],
      ['a target that is itself', { recordName: 'app', target: FailoverTarget.recordName('us-west-2.app') }, /`target` points at this record itself/],
      ['a region other than the stack\'s', { region: 'eu-west-1' }, /`region` is eu-west-1 but this stack is in us-west-2/],
      ['a TTL on an alias target', { target: FailoverTarget.recordName('elsewhere.example.com'), ttl: Duration.seconds(30) }, /`ttl` applies to address and CNAME records only/],
    ])('with %s', (_, props, message) => {
      const stack = testStack();
      expect(() => new RegionalRecord(stack, 'Regional', { zone: testZone(stack), target: FailoverTarget.ipAddresses(['54.0.0.1']), ...props }))
        .toThrow(message);
    });
  });
});

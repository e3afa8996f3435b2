import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { IMultiAzService, MultiAzService, MultiAzServiceAttributes, ServiceTargets } from '../../src';
import { ENV, testApp, testStack } from '../util';

const LB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/app/web/50dc6c495c0c9188';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:222222222222:targetgroup/web/73e2d6bc24d8a067';
const ATTRIBUTES: MultiAzServiceAttributes = {
  loadBalancerArn: LB_ARN,
  loadBalancerDnsName: 'web-123.us-east-1.elb.amazonaws.com',
  targetGroupArn: TG_ARN,
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
};

/** An alarm on a metric of `service`, to see the metric as CloudFormation gets it. */
function alarmOn(scope: Construct, metric: cloudwatch.IMetric): Template {
  new cloudwatch.Alarm(scope, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1 });
  return Template.fromStack(Stack.of(scope));
}

describe('MultiAzService.fromMultiAzServiceAttributes', () => {
  test('a runbook in the recovery region addresses the primary region\'s service: its region and account come from the ARN', () => {
    // GIVEN
    const stack = testStack(testApp(), 'Recovery', 'us-west-2');

    // WHEN
    const service: IMultiAzService = MultiAzService.fromMultiAzServiceAttributes(stack, 'Primary', ATTRIBUTES);

    // THEN
    expect(service.env).toEqual({ account: '222222222222', region: 'us-east-1' });
    expect(service.stack.region).toEqual('us-west-2');
    expect(service.loadBalancerArn).toEqual(LB_ARN);
    expect(service.loadBalancerDnsName).toEqual('web-123.us-east-1.elb.amazonaws.com');
    expect(service.targetGroupArn).toEqual(TG_ARN);
    expect(service.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(service.zonalAutoshiftEnabled).toBe(false);
    expect(MultiAzService.fromMultiAzServiceAttributes(stack, 'Auto', { ...ATTRIBUTES, zonalAutoshiftEnabled: true }).zonalAutoshiftEnabled).toBe(true);
    Template.fromStack(stack).templateMatches({ Resources: Match.absent() });
  });

  test('its metrics use the full names in the ARNs, as the alarms of a created service do', () => {
    // GIVEN
    const stack = testStack(testApp(), 'Primary', 'us-east-1');
    const service = MultiAzService.fromMultiAzServiceAttributes(stack, 'Web', ATTRIBUTES);

    // WHEN
    const template = alarmOn(stack, service.metricHealthyHostCount('us-east-1b'));

    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HealthyHostCount',
      Statistic: 'Minimum',
      Period: 60,
      Dimensions: [
        { Name: 'AvailabilityZone', Value: 'us-east-1b' },
        { Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' },
        { Name: 'TargetGroup', Value: 'targetgroup/web/73e2d6bc24d8a067' },
      ],
    });
  });

  test('the error rate of an imported service, with its own period and label', () => {
    const stack = testStack(testApp(), 'Primary', 'us-east-1');
    const service = MultiAzService.fromMultiAzServiceAttributes(stack, 'Web', ATTRIBUTES);
    const template = alarmOn(stack, service.metricErrorRate({ period: Duration.minutes(5), label: 'errors' }));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(requests > 0'), Label: 'errors' }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ Dimensions: [{ Name: 'LoadBalancer', Value: 'app/web/50dc6c495c0c9188' }] }), Period: 300 }),
        }),
      ]),
    });
  });

  test('ARNs known at deploy time: the full names are cut out of them in the template', () => {
    // GIVEN
    const stack = testStack(testApp(), 'Primary', 'us-east-1');
    const lb = new CfnParameter(stack, 'LoadBalancerArn').valueAsString;
    const tg = new CfnParameter(stack, 'TargetGroupArn').valueAsString;

    // WHEN
    const service = MultiAzService.fromMultiAzServiceAttributes(stack, 'Web', { ...ATTRIBUTES, loadBalancerArn: lb, targetGroupArn: tg });
    const template = alarmOn(stack, service.metricHealthyHostCount('us-east-1a'));

    // THEN
    const split = (delimiter: string, ref: string) => ({ 'Fn::Split': [delimiter, { Ref: ref }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [
        { Name: 'AvailabilityZone', Value: 'us-east-1a' },
        {
          Name: 'LoadBalancer',
          Value: { 'Fn::Join': ['/', [1, 2, 3].map((i) => ({ 'Fn::Select': [i, split('/', 'LoadBalancerArn')] }))] },
        },
        { Name: 'TargetGroup', Value: { 'Fn::Select': [5, split(':', 'TargetGroupArn')] } },
      ],
    });
  });

  test('a created service has the same attributes', () => {
    // GIVEN
    const stack = new (class extends Stack {
      public get availabilityZones() { return ['us-west-2a', 'us-west-2b', 'us-west-2c']; }
    })(testApp(), 'Stack', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1 });
    const targets = ServiceTargets.autoScaling({ machineImage: ec2.MachineImage.latestAmazonLinux2023(), instanceType: new ec2.InstanceType('t3.micro') });

    // WHEN
    const service: IMultiAzService = new MultiAzService(stack, 'Service', { vpc, targets, peakCapacity: 2, zonalAutoshift: {} });

    // THEN
    const resolve = (value: unknown) => stack.resolve(value);
    expect(resolve(service.loadBalancerArn)).toEqual({ Ref: expect.stringMatching(/^ServiceLoadBalancer/) });
    expect(resolve(service.loadBalancerDnsName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ServiceLoadBalancer/), 'DNSName'] });
    expect(resolve(service.targetGroupArn)).toEqual({ Ref: expect.stringMatching(/^ServiceTargetGroup/) });
    expect(service.availabilityZones).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    expect(service.zonalAutoshiftEnabled).toBe(true);
    expect(service.env).toEqual({ account: ENV.account, region: ENV.region });
    expect(resolve(service.metricHealthyHostCount('us-west-2a').dimensions)).toEqual({
      AvailabilityZone: 'us-west-2a',
      LoadBalancer: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceLoadBalancer/), 'LoadBalancerFullName'] },
      TargetGroup: { 'Fn::GetAtt': [expect.stringMatching(/^ServiceTargetGroup/), 'TargetGroupFullName'] },
    });
  });

  test.each([
    ['a Network Load Balancer', { loadBalancerArn: LB_ARN.replace('/app/', '/net/') },
      '`loadBalancerArn` must be the ARN of an Application Load Balancer (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>), '
      + `got: "${LB_ARN.replace('/app/', '/net/')}".`],
    ['no ARN', { loadBalancerArn: 'web' }, '`loadBalancerArn` must be the ARN of an Application Load Balancer'],
    ['a load balancer as target group', { targetGroupArn: LB_ARN }, '`targetGroupArn` must be the ARN of a target group'],
    ['a target group of another region', { targetGroupArn: TG_ARN.replace('us-east-1', 'us-west-2') },
      '`targetGroupArn` is in 222222222222 us-west-2, but the load balancer in 222222222222 us-east-1: a load balancer forwards only to target '
      + 'groups of its own account and region. Give the target group of this load balancer.'],
    ['one zone', { availabilityZones: ['us-east-1a', 'us-east-1a'] },
      '`availabilityZones` must name at least two zones, got: ["us-east-1a", "us-east-1a"]. Give the zones the service\'s targets run in.'],
    ['zones of another region', { availabilityZones: ['us-east-1a', 'us-west-2b'] },
      '`availabilityZones` must be zones of the load balancer\'s region us-east-1, got: ["us-west-2b"].'],
  ])('fails with %s', (_, change, message) => {
    const stack = testStack(testApp(), 'Recovery', 'us-west-2');
    expect(() => MultiAzService.fromMultiAzServiceAttributes(stack, 'Primary', { ...ATTRIBUTES, ...change }))
      .toThrow(`Recovery: ${message}`);
  });
});

import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { loadBalancerTargetHealth } from '../../src/routing/private/accelerator-target-health';
import { testStack } from '../util';

function setup(): { stack: Stack; vpc: ec2.Vpc; alb: elbv2.ApplicationLoadBalancer; listener: elbv2.ApplicationListener } {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  return { stack, vpc, alb, listener: alb.addListener('Http', { port: 80, open: false }) };
}

describe('the target health the model can see', () => {
  test('none without target groups', () => {
    const { alb } = setup();
    expect(loadBalancerTargetHealth(alb)).toBeUndefined();
  });

  test('the slowest of the groups behind the listener and its rules; groups of other load balancers are ignored', () => {
    // GIVEN
    const { stack, vpc, alb, listener } = setup();
    listener.addTargetGroups('Fast', { targetGroups: [new elbv2.ApplicationTargetGroup(stack, 'Fast', { vpc, port: 80, healthCheck: { interval: Duration.seconds(5), timeout: Duration.seconds(2) } })] });
    listener.addTargetGroups('Slow', {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/api'])],
      targetGroups: [new elbv2.ApplicationTargetGroup(stack, 'Slow', { vpc, port: 80, healthCheck: { interval: Duration.seconds(20), unhealthyThresholdCount: 4 } })],
    });
    const other = new elbv2.ApplicationLoadBalancer(stack, 'Other', { vpc });
    other.addListener('Http', { port: 80, open: false }).addTargetGroups('T', {
      targetGroups: [new elbv2.ApplicationTargetGroup(stack, 'OtherTg', { vpc, port: 80, healthCheck: { interval: Duration.seconds(300) } })],
    });

    // WHEN / THEN
    expect(loadBalancerTargetHealth(alb)).toEqual({ interval: 20, timeout: 5, unhealthyThreshold: 4 });
  });

  test.each<[string, (s: Stack, v: ec2.Vpc) => elbv2.ApplicationTargetGroup]>([
    ['a Lambda target group (other defaults)', (s, v) => new elbv2.ApplicationTargetGroup(s, 'Tg', { vpc: v, targetType: elbv2.TargetType.LAMBDA })],
    ['a deploy-time interval', (s, v) => new elbv2.ApplicationTargetGroup(s, 'Tg', { vpc: v, port: 80, healthCheck: { interval: Duration.seconds(Lazy.number({ produce: () => 10 })) } })],
  ])('unknown with %s', (_, group) => {
    const { stack, vpc, alb, listener } = setup();
    listener.addTargetGroups('T', { targetGroups: [group(stack, vpc)] });
    expect(loadBalancerTargetHealth(alb)).toBeUndefined();
  });

  test('an NLB target group relying on defaults is unknown (they differ by protocol); with its settings given, known', () => {
    // GIVEN
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
    const tg = new elbv2.NetworkTargetGroup(stack, 'Tg', { vpc, port: 443 });
    nlb.addListener('Tcp', { port: 443 }).addTargetGroups('T', tg);

    // WHEN / THEN
    expect(loadBalancerTargetHealth(nlb)).toBeUndefined();
    tg.configureHealthCheck({ interval: Duration.seconds(10), timeout: Duration.seconds(10), unhealthyThresholdCount: 2 });
    expect(loadBalancerTargetHealth(nlb)).toEqual({ interval: 10, timeout: 10, unhealthyThreshold: 2 });
  });
});

import * as path from 'path';
import { App, CfnParameter, Duration, Lazy, Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  AutoScalingTargetsOptions, FargateTargetsOptions, MultiAzService, MultiAzServiceProps, RecoveryObjectives, RecoveryTermKind, ServiceTargets,
} from '../../src';
import { ENV, readJson, testApp, testZone } from '../util';

/** Named AZs, so that a VPC gets up to four zones without a context lookup. */
class ZonedStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: ENV, ...props });
  }

  public get availabilityZones(): string[] {
    return ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'];
  }
}

function setup(zones = 3) {
  const app = testApp();
  const stack = new ZonedStack(app, 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: zones, natGateways: 1 });
  return { app, stack, vpc };
}

function autoScaling(options: Partial<AutoScalingTargetsOptions> = {}): ServiceTargets {
  return ServiceTargets.autoScaling({ machineImage: ec2.MachineImage.latestAmazonLinux2023(), instanceType: new ec2.InstanceType('t3.micro'), ...options });
}

function fargate(options: Partial<FargateTargetsOptions> = {}): ServiceTargets {
  return ServiceTargets.fargate({ image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), ...options });
}

function attributes(template: Template, type: string): Record<string, string> {
  const [resource] = Object.values(template.findResources(type));
  const list: Array<{ Key: string; Value: string }> = resource.Properties.LoadBalancerAttributes ?? resource.Properties.TargetGroupAttributes ?? [];
  return Object.fromEntries(list.map((a) => [a.Key, a.Value]));
}

const LB = Match.stringLikeRegexp('^ServiceLoadBalancer');
const DNS_COUNT = 'target_group_health.dns_failover.minimum_healthy_targets.count';
const DNS_PERCENTAGE = 'target_group_health.dns_failover.minimum_healthy_targets.percentage';

describe('MultiAzService', () => {
  test('an Auto Scaling group: the statically stable capacity behind an ALB with zonal shift', () => {
    // GIVEN
    const { stack, vpc } = setup(3);

    // WHEN
    const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });

    // THEN
    const template = Template.fromStack(stack);
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toEqual({
      'deletion_protection.enabled': 'false',
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'zonal_shift.config.enabled': 'true',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 80,
      Protocol: 'HTTP',
      TargetType: 'instance',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      UnhealthyThresholdCount: 2,
      HealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
    });
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')).toEqual({
      'deregistration_delay.timeout_seconds': '30',
      'stickiness.enabled': 'false',
    });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^ServiceTargetGroup') } }],
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '6',
      MaxSize: '6',
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
      TargetGroupARNs: [{ Ref: Match.stringLikeRegexp('^ServiceTargetGroup') }],
      VPCZoneIdentifier: [
        { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') },
        { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2') },
        { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet3') },
      ],
      NotificationConfigurations: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 't3.micro', MetadataOptions: { HttpTokens: 'required' }, Monitoring: { Enabled: true } }),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceInstanceSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceLoadBalancerSecurityGroup'), 'GroupId'] },
    });
    template.resourceCountIs('AWS::AutoScaling::ScalingPolicy', 0);
    template.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    template.resourceCountIs('AWS::ECS::Service', 0);

    expect(service.zoneCount).toEqual(3);
    expect(service.capacityPerZone).toEqual(2);
    expect(service.minCapacity).toEqual(6);
    expect(service.maxCapacity).toEqual(6);
    expect(service.autoScalingGroup).toBeDefined();
    expect(service.fargateService).toBeUndefined();
    expect(service.zoneAlarms).toHaveLength(3);
    expect(service.regionalRecord).toBeUndefined();
    expect(service.autoshiftConfiguration).toBeUndefined();
  });

  test('a Fargate service: desired count, deployments that never dip, rebalancing, circuit breaker', () => {
    // GIVEN
    const { stack, vpc } = setup(3);

    // WHEN
    const service = new MultiAzService(stack, 'Service', { vpc, targets: fargate(), peakCapacity: 5 });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 9,
      AvailabilityZoneRebalancing: 'ENABLED',
      HealthCheckGracePeriodSeconds: 60,
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
      LoadBalancers: [{ ContainerName: 'App', ContainerPort: 80, TargetGroupArn: { Ref: Match.stringLikeRegexp('^ServiceTargetGroup') } }],
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [Match.objectLike({ Name: 'App', Image: 'public.ecr.aws/nginx/nginx:latest', PortMappings: [Match.objectLike({ ContainerPort: 80 })] })],
    });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip', Port: 80, HealthCheckIntervalSeconds: 10 });
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')['zonal_shift.config.enabled']).toEqual('true');
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
    expect(service.fargateService).toBeDefined();
    expect(service.autoScalingGroup).toBeUndefined();
    expect([service.capacityPerZone, service.minCapacity, service.maxCapacity]).toEqual([3, 9, 9]);
  });

  test('a Fargate service with its own container port, size and grace period', () => {
    const { stack, vpc } = setup(3);
    new MultiAzService(stack, 'Service', {
      vpc,
      targets: fargate({ containerPort: 8080, cpu: 512, memoryLimitMiB: 1024, healthCheckGracePeriod: Duration.seconds(120), environment: { MODE: 'prod' } }),
      peakCapacity: 2,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 120, LoadBalancers: [Match.objectLike({ ContainerPort: 8080 })] });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'MODE', Value: 'prod' }] })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080 });
  });

  test('a Fargate service in a cluster of the same VPC uses that cluster', () => {
    const { stack, vpc } = setup(3);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    new MultiAzService(stack, 'Service', { vpc, targets: fargate({ cluster }), peakCapacity: 2 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: Match.stringLikeRegexp('^Cluster') } });
  });

  describe('scaling, only above the statically stable capacity', () => {
    test('an Auto Scaling group scales on CPU up to maxCapacity', () => {
      const { stack, vpc } = setup(3);
      const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, maxCapacity: 12 });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '6', MaxSize: '12' });
      template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
      });
      expect(service.maxCapacity).toEqual(12);
    });

    test('a Fargate service scales its task count on CPU up to maxCapacity', () => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: fargate(), peakCapacity: 4, maxCapacity: 12 });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 6 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 6, MaxCapacity: 12, ScalableDimension: 'ecs:service:DesiredCount' });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 50 }),
      });
    });

    test.each([
      ['Auto Scaling', autoScaling, 'AWS::AutoScaling::ScalingPolicy'],
      ['Fargate', fargate, 'AWS::ApplicationAutoScaling::ScalableTarget'],
    ])('%s: maxCapacity equal to the stable capacity does not scale', (_, targets, scaling) => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: targets(), peakCapacity: 4, maxCapacity: 6 });
      Template.fromStack(stack).resourceCountIs(scaling, 0);
    });
  });

  test('HTTPS with a certificate, and HTTP on 80 redirecting to it', () => {
    // GIVEN
    const { stack, vpc } = setup(3);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc');

    // WHEN
    const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 2, certificate });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-west-2:111111111111:certificate/abc' }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^ServiceTargetGroup') } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }],
    });
    expect(service.listener.node.id).toEqual('Https');
  });

  test('an internal load balancer with custom health check, port and deregistration delay', () => {
    const { stack, vpc } = setup(3);
    new MultiAzService(stack, 'Service', {
      vpc,
      targets: autoScaling({ port: 8080, healthCheckGracePeriod: Duration.minutes(2) }),
      peakCapacity: 2,
      internetFacing: false,
      healthCheck: { path: '/health', interval: Duration.seconds(30), timeout: Duration.seconds(10), unhealthyThreshold: 5, healthyThreshold: 4, healthyHttpCodes: '200-299' },
      deregistrationDelay: Duration.seconds(0),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 10,
      UnhealthyThresholdCount: 5,
      HealthyThresholdCount: 4,
      Matcher: { HttpCode: '200-299' },
    });
    expect(attributes(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')['deregistration_delay.timeout_seconds']).toEqual('0');
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckGracePeriod: 120 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, ToPort: 8080 });
  });

  describe('one setting, one assertion', () => {
    const service = (props: Partial<MultiAzServiceProps> = {}) => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, ...props });
      return Template.fromStack(stack);
    };
    const zoneAlarms = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'HealthyHostCount' },
    })).map((r: any) => r.Properties);

    test('the zone alarms treat missing data as breaching: a zone that lost every target publishes nothing', () => {
      const alarms = zoneAlarms(service());
      expect(alarms.map((a) => a.TreatMissingData)).toEqual(['breaching', 'breaching', 'breaching']);
    });

    test('the zone alarms fire below the zone share, not at it', () => {
      const alarms = zoneAlarms(service());
      expect(alarms.map((a) => [a.ComparisonOperator, a.Threshold])).toEqual(Array(3).fill(['LessThanThreshold', 2]));
    });

    test('the error-rate alarm fires above the rate and treats no requests as no errors', () => {
      service().hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.anyValue(),
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    test.each([
      [undefined, '30'],
      [Duration.seconds(0), '0'],
      [Duration.seconds(3600), '3600'],
    ])('a deregistration delay of %s is written as %s s', (deregistrationDelay, seconds) => {
      expect(attributes(service({ deregistrationDelay }), 'AWS::ElasticLoadBalancingV2::TargetGroup')['deregistration_delay.timeout_seconds']).toEqual(seconds);
    });

    test.each([
      [undefined, 3],
      [2, 2],
      [10, 10],
    ])('a healthy threshold of %s is written as %i', (healthyThreshold, count) => {
      service({ healthCheck: { healthyThreshold } }).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthyThresholdCount: count });
    });
  });

  describe('alarms', () => {
    test('one per zone: healthy targets below the zone share, 3 of 3 minutes, missing data breaching; no actions', () => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // WHEN
      const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
      for (const zone of ['us-west-2a', 'us-west-2b', 'us-west-2c']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HealthyHostCount',
          Statistic: 'Minimum',
          Period: 60,
          Dimensions: [
            { Name: 'AvailabilityZone', Value: zone },
            { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [LB, 'LoadBalancerFullName'] } },
            { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceTargetGroup'), 'TargetGroupFullName'] } },
          ],
          ComparisonOperator: 'LessThanThreshold',
          Threshold: 2,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
          TreatMissingData: 'breaching',
          AlarmActions: Match.absent(),
          OKActions: Match.absent(),
          AlarmDescription: `Stack/Service: healthy targets in ${zone} below its share of the statically stable capacity (2). `
            + 'If the zone is impaired, start a zonal shift away from it.',
        });
      }
      expect(service.zoneAlarms.map((a) => a.node.id)).toEqual(['ZoneAlarm1', 'ZoneAlarm2', 'ZoneAlarm3']);
    });

    test('the error-rate alarm: 5xx of the load balancer and targets over requests, above 5 %, no data not breaching', () => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });
      const metric = (id: string, name: string) => ({
        Id: id,
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: [{ Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [LB, 'LoadBalancerFullName'] } }] },
          Period: 60,
          Stat: 'Sum',
        },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [
          { Id: 'expr_1', Expression: 'IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)', Label: '5xx error rate (%)', ReturnData: true },
          metric('requests', 'RequestCount'),
          metric('elb5xx', 'HTTPCode_ELB_5XX_Count'),
          metric('target5xx', 'HTTPCode_Target_5XX_Count'),
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 5,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
        AlarmActions: Match.absent(),
        OKActions: Match.absent(),
      });
    });

    test('zoneAlarmPeriods and errorRatePercent', () => {
      const { stack, vpc } = setup(2);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 3, zoneAlarmPeriods: 5, errorRatePercent: 2.5 });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HealthyHostCount', Threshold: 3, EvaluationPeriods: 5, DatapointsToAlarm: 5 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 2.5, AlarmDescription: Match.stringLikeRegexp('more than 2.5 % of requests') });
    });

    test('with alarmTopic, every alarm notifies it when it fires and when it clears, and so do the Auto Scaling events', () => {
      // GIVEN
      const { stack, vpc } = setup(3);
      const alarmTopic = new sns.Topic(stack, 'Topic');

      // WHEN
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, alarmTopic });

      // THEN
      const template = Template.fromStack(stack);
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms).toHaveLength(4);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^Topic/) }]);
      }
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        NotificationConfigurations: [Match.objectLike({ TopicARN: { Ref: Match.stringLikeRegexp('^Topic') } })],
      });
    });
  });

  describe('zonal autoshift', () => {
    test('on the load balancer, judged by the error-rate alarm by default', () => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // WHEN
      const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, zonalAutoshift: {} });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 1);
      template.hasResource('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', {
        Properties: {
          ResourceIdentifier: { Ref: LB },
          ZonalAutoshiftStatus: 'ENABLED',
          PracticeRunConfiguration: {
            OutcomeAlarms: [{ Type: 'CLOUDWATCH', AlarmIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceErrorRateAlarm'), 'Arn'] } }],
            BlockingAlarms: Match.absent(),
            BlockedDates: Match.absent(),
            BlockedWindows: Match.absent(),
          },
        },
        // The Ref to the load balancer orders the two; an explicit DependsOn would be redundant (cfn-lint W3005).
        DependsOn: Match.absent(),
      });
      expect(service.autoshiftConfiguration).toBeDefined();
    });

    test('custom outcome and blocking alarms, blocked dates and windows', () => {
      // GIVEN
      const { stack, vpc } = setup(3);
      const alarm = (name: string) => cloudwatch.Alarm.fromAlarmArn(stack, name, `arn:aws:cloudwatch:us-west-2:111111111111:alarm:${name}`);

      // WHEN
      new MultiAzService(stack, 'Service', {
        vpc,
        targets: fargate(),
        peakCapacity: 4,
        zonalAutoshift: {
          outcomeAlarms: [alarm('Latency'), alarm('Errors')],
          blockingAlarms: [alarm('Deploying')],
          blockedDates: ['2026-12-24', '2026-12-31'],
          blockedWindows: ['Mon:09:00-Mon:17:00', 'Fri:23:00-Fri:23:59'],
        },
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', {
        PracticeRunConfiguration: {
          OutcomeAlarms: [
            { Type: 'CLOUDWATCH', AlarmIdentifier: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:Latency' },
            { Type: 'CLOUDWATCH', AlarmIdentifier: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:Errors' },
          ],
          BlockingAlarms: [{ Type: 'CLOUDWATCH', AlarmIdentifier: 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:Deploying' }],
          BlockedDates: ['2026-12-24', '2026-12-31'],
          BlockedWindows: ['Mon:09:00-Mon:17:00', 'Fri:23:00-Fri:23:59'],
        },
      });
    });

    test('blocked windows in the upper-case form of the ARC docs are taken and written as the API spells them', () => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, zonalAutoshift: { blockedWindows: ['MON:18:30-MON:19:30', 'sun:00:00-sun:23:59'] } });
      Template.fromStack(stack).hasResourceProperties('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', {
        PracticeRunConfiguration: Match.objectLike({ BlockedWindows: ['Mon:18:30-Mon:19:30', 'Sun:00:00-Sun:23:59'] }),
      });
    });

    test('an alarm topic imported by ARN from this region is taken', () => {
      const { stack, vpc } = setup(3);
      const alarmTopic = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:us-west-2:111111111111:alarms');
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, alarmTopic })).not.toThrow();
    });

    test('empty blocking alarms, dates and windows are left out', () => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, zonalAutoshift: { blockingAlarms: [], blockedDates: [], blockedWindows: [] } });
      Template.fromStack(stack).hasResourceProperties('AWS::ARCZonalShift::ZonalAutoshiftConfiguration', {
        PracticeRunConfiguration: {
          OutcomeAlarms: Match.anyValue(),
          BlockingAlarms: Match.absent(),
          BlockedDates: Match.absent(),
          BlockedWindows: Match.absent(),
        },
      });
    });
  });

  describe('target-group-health DNS failover', () => {
    test.each([
      [{ count: 2 }, '2', 'off'],
      [{ percentage: 50 }, 'off', '50'],
      [{ count: 1, percentage: 100 }, '1', '100'],
    ])('%o sets count %s and percentage %s', (dnsFailoverMinimumHealthyTargets, count, percentage) => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, dnsFailoverMinimumHealthyTargets });
      const attrs = attributes(Template.fromStack(stack), 'AWS::ElasticLoadBalancingV2::TargetGroup');
      expect([attrs[DNS_COUNT], attrs[DNS_PERCENTAGE]]).toEqual([count, percentage]);
    });

    test('off by default: neither attribute is set', () => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });
      const attrs = attributes(Template.fromStack(stack), 'AWS::ElasticLoadBalancingV2::TargetGroup');
      expect(Object.keys(attrs)).not.toContain(DNS_COUNT);
      expect(Object.keys(attrs)).not.toContain(DNS_PERCENTAGE);
    });
  });

  describe('regional record', () => {
    test.each([
      ['app', 'us-west-2.app.example.com'],
      ['app.example.com', 'us-west-2.app.example.com'],
      [undefined, 'us-west-2.example.com'],
    ])('recordName %s: an alias A record %s to the load balancer', (recordName, domainName) => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // WHEN
      const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, zone: testZone(stack), recordName });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Route53::RecordSet', 1);
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${domainName}.`,
        Type: 'A',
        HostedZoneId: 'Z0000000000EXAMPLE',
        AliasTarget: {
          DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [LB, 'DNSName'] }]] },
          HostedZoneId: { 'Fn::GetAtt': [LB, 'CanonicalHostedZoneID'] },
          EvaluateTargetHealth: true,
        },
      });
      expect(service.regionalRecord?.domainName).toEqual(domainName);
    });
  });

  describe('statically stable capacity', () => {
    test.each([
      // zones, peak, per zone, in all
      [2, 1, 1, 2],
      [2, 3, 3, 6],
      [2, 4, 4, 8],
      [3, 1, 1, 3],
      [3, 2, 1, 3],
      [3, 3, 2, 6],
      [3, 4, 2, 6],
      [3, 5, 3, 9],
      [4, 1, 1, 4],
      [4, 6, 2, 8],
      [4, 7, 3, 12],
      [3, 10_000, 5000, 15_000],
    ])('%i zones, peak %i: %i per zone, %i in all', (zones, peak, perZone, total) => {
      // GIVEN
      const { stack, vpc } = setup(zones);

      // WHEN
      const asg = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: peak });
      const tasks = new MultiAzService(stack, 'Tasks', { vpc, targets: fargate(), peakCapacity: peak });

      // THEN
      for (const service of [asg, tasks]) {
        expect([service.zoneCount, service.capacityPerZone, service.minCapacity, service.maxCapacity]).toEqual([zones, perZone, total, total]);
        expect(service.zoneAlarms).toHaveLength(zones);
      }
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: String(total), MaxSize: String(total) });
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: total });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HealthyHostCount', Threshold: perZone });
    });

    test('the zones are those of targetSubnets', () => {
      const { stack, vpc } = setup(4);
      const service = new MultiAzService(stack, 'Service', {
        vpc,
        targets: autoScaling(),
        peakCapacity: 3,
        targetSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: ['us-west-2a', 'us-west-2b'] },
      });
      expect([service.zoneCount, service.capacityPerZone, service.minCapacity]).toEqual([2, 3, 6]);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        VPCZoneIdentifier: [{ Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2') }],
      });
    });

    test('property: losing any one zone still leaves the peak, with the least capacity that does', () => {
      fc.assert(fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 200 }), (zones, peak) => {
        // GIVEN
        const { stack, vpc } = setup(zones);

        // WHEN
        const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: peak });

        // THEN
        expect(service.zoneCount).toEqual(zones);
        expect(service.capacityPerZone * (zones - 1)).toBeGreaterThanOrEqual(peak);
        expect((service.capacityPerZone - 1) * (zones - 1)).toBeLessThan(peak);
        expect(service.minCapacity).toEqual(service.capacityPerZone * zones);
        expect(service.maxCapacity).toEqual(service.minCapacity);
      }), { numRuns: 60 });
    });
  });

  test('property: valid health checks synthesize and set the detection estimate; invalid ones name the prop', () => {
    const arbitrary = fc.record({
      interval: fc.integer({ min: 1, max: 320 }),
      timeout: fc.integer({ min: 1, max: 130 }),
      unhealthyThreshold: fc.integer({ min: 1, max: 11 }),
      healthyThreshold: fc.integer({ min: 1, max: 11 }),
    });
    fc.assert(fc.property(arbitrary, ({ interval, timeout, unhealthyThreshold, healthyThreshold }) => {
      // GIVEN
      const { stack, vpc } = setup(2);
      const problems: string[] = [];
      if (interval < 5 || interval > 300) problems.push('`healthCheck.interval` must be whole seconds from 5 to 300');
      if (timeout < 2 || timeout > 120) problems.push('`healthCheck.timeout` must be whole seconds from 2 to 120');
      if (timeout >= interval) problems.push(`\`healthCheck.timeout\` (${timeout} s) must be shorter than \`healthCheck.interval\` (${interval} s)`);
      if (unhealthyThreshold < 2 || unhealthyThreshold > 10) problems.push('`healthCheck.unhealthyThreshold` must be an integer from 2 to 10');
      if (healthyThreshold < 2 || healthyThreshold > 10) problems.push('`healthCheck.healthyThreshold` must be an integer from 2 to 10');
      const create = () => new MultiAzService(stack, 'Service', {
        vpc,
        targets: autoScaling(),
        peakCapacity: 2,
        healthCheck: { interval: Duration.seconds(interval), timeout: Duration.seconds(timeout), unhealthyThreshold, healthyThreshold },
      });

      if (problems.length > 0) {
        // THEN: one error naming every wrong prop
        let message = '';
        try {
          create();
        } catch (e) {
          message = (e as Error).message;
        }
        expect(message).toMatch(/^Stack\/Service: /);
        for (const problem of problems) {
          expect(message).toContain(problem);
        }
        return;
      }
      // WHEN
      const service = create();

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckIntervalSeconds: interval,
        HealthCheckTimeoutSeconds: timeout,
        UnhealthyThresholdCount: unhealthyThreshold,
        HealthyThresholdCount: healthyThreshold,
      });
      expect(service.estimate.rtoWorst!.toSeconds()).toEqual(interval * unhealthyThreshold + timeout);
      expect(service.estimate.rtoBest!.toSeconds()).toEqual((unhealthyThreshold - 1) * interval);
    }), { numRuns: 60 });
  });

  describe('fails', () => {
    const alarms = (stack: Stack, n: number) => Array.from({ length: n }, (_, i) =>
      cloudwatch.Alarm.fromAlarmArn(stack, `Alarm${i}`, `arn:aws:cloudwatch:us-west-2:111111111111:alarm:a${i}`));

    test.each<[string, (s: Stack) => Partial<MultiAzServiceProps>, RegExp]>([
      ['with targets in one zone', () => ({ targetSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: ['us-west-2a'] } }),
        /`targetSubnets` must span at least two Availability Zones \(three recommended\), got 1: \["us-west-2a"\]\. Give the VPC more zones \(`maxAzs: 3`\)/],
      ['with peakCapacity 0', () => ({ peakCapacity: 0 }), /`peakCapacity` must be an integer from 1 to 10000, got: 0\. Give the instances or tasks your peak needs\./],
      ['with a fractional peakCapacity', () => ({ peakCapacity: 1.5 }), /`peakCapacity` must be an integer from 1 to 10000, got: 1\.5\./],
      ['with peakCapacity 10001', () => ({ peakCapacity: 10_001 }), /`peakCapacity` must be an integer from 1 to 10000, got: 10001\./],
      ['with maxCapacity below the statically stable capacity', () => ({ maxCapacity: 5 }),
        /`maxCapacity` must be an integer from the statically stable capacity 6 \(ceil\(peakCapacity 4 \/ \(3 zones - 1\)\) x 3\) to 10000, got: 5\. Raise it, or remove it for no scaling\./],
      ['with maxCapacity 10001', () => ({ maxCapacity: 10_001 }), /`maxCapacity` must be an integer from the statically stable capacity 6 .* got: 10001\./],
      ['with a fractional maxCapacity', () => ({ maxCapacity: 6.5 }), /`maxCapacity` must be an integer .* got: 6\.5\./],
      ['with a 4 s interval', () => ({ healthCheck: { interval: Duration.seconds(4), timeout: Duration.seconds(2) } }),
        /`healthCheck\.interval` must be whole seconds from 5 to 300, got: 4 seconds\./],
      ['with a 301 s interval', () => ({ healthCheck: { interval: Duration.seconds(301) } }), /`healthCheck\.interval` must be whole seconds from 5 to 300, got: 5 minutes 1 second\./],
      ['with a fractional interval', () => ({ healthCheck: { interval: Duration.millis(5500) } }),
        /`healthCheck\.interval` must be whole seconds from 5 to 300, got: 5 seconds 500 millis\./],
      ['with a 1 s timeout', () => ({ healthCheck: { timeout: Duration.seconds(1) } }), /`healthCheck\.timeout` must be whole seconds from 2 to 120, got: 1 second\./],
      ['with a 121 s timeout', () => ({ healthCheck: { interval: Duration.seconds(300), timeout: Duration.seconds(121) } }),
        /`healthCheck\.timeout` must be whole seconds from 2 to 120, got: 2 minutes 1 second\./],
      ['with the timeout as long as the interval', () => ({ healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }),
        /`healthCheck\.timeout` \(10 s\) must be shorter than `healthCheck\.interval` \(10 s\): ELB rejects it\. Shorten the timeout or lengthen the interval\./],
      ['with the default timeout and a 5 s interval', () => ({ healthCheck: { interval: Duration.seconds(5) } }),
        /`healthCheck\.timeout` \(5 s\) must be shorter than `healthCheck\.interval` \(5 s\)/],
      ['with the timeout longer than the default interval', () => ({ healthCheck: { timeout: Duration.seconds(20) } }),
        /`healthCheck\.timeout` \(20 s\) must be shorter than `healthCheck\.interval` \(10 s\)/],
      ['with unhealthyThreshold 1', () => ({ healthCheck: { unhealthyThreshold: 1 } }),
        /`healthCheck\.unhealthyThreshold` must be an integer from 2 to 10, got: 1\. 2 detects fastest without ejecting a target for one slow answer\./],
      ['with unhealthyThreshold 11', () => ({ healthCheck: { unhealthyThreshold: 11 } }), /`healthCheck\.unhealthyThreshold` must be an integer from 2 to 10, got: 11\./],
      ['with healthyThreshold 1', () => ({ healthCheck: { healthyThreshold: 1 } }), /`healthCheck\.healthyThreshold` must be an integer from 2 to 10, got: 1\./],
      ['with healthyThreshold 11', () => ({ healthCheck: { healthyThreshold: 11 } }), /`healthCheck\.healthyThreshold` must be an integer from 2 to 10, got: 11\./],
      ['with a path without a leading slash', () => ({ healthCheck: { path: 'health' } }),
        /`healthCheck\.path` must start with \/ and hold at most 1024 printable characters without spaces, got: "health"\./],
      ['with a path with a space', () => ({ healthCheck: { path: '/he alth' } }), /`healthCheck\.path` must start with \/ .* got: "\/he alth"\./],
      ['with a path over 1024 characters', () => ({ healthCheck: { path: `/${'a'.repeat(1024)}` } }), /`healthCheck\.path` must start with \/ and hold at most 1024/],
      ['with an empty path', () => ({ healthCheck: { path: '' } }), /`healthCheck\.path` must start with \/ .* got: ""\./],
      ['with HTTP code 600', () => ({ healthCheck: { healthyHttpCodes: '600' } }),
        /`healthCheck\.healthyHttpCodes` must be codes from 200 to 499 and ranges of them, comma-separated \(e\.g\. "200" or "200-299"\), got: "600"\. An ALB target group accepts no other codes\./],
      ['with an open range of HTTP codes', () => ({ healthCheck: { healthyHttpCodes: '200-' } }), /`healthCheck\.healthyHttpCodes` must be codes from 200 to 499 .* got: "200-"\./],
      ['with HTTP code 199, which an ALB does not accept', () => ({ healthCheck: { healthyHttpCodes: '199' } }), /`healthCheck\.healthyHttpCodes` must be codes from 200 to 499 .* got: "199"\./],
      ['with HTTP codes up to 500, which an ALB does not accept', () => ({ healthCheck: { healthyHttpCodes: '200,300-500' } }),
        /`healthCheck\.healthyHttpCodes` must be codes from 200 to 499 .* got: "200,300-500"\./],
      ['with an inverted range of HTTP codes', () => ({ healthCheck: { healthyHttpCodes: '299-200' } }), /`healthCheck\.healthyHttpCodes` must be codes from 200 to 499 .* got: "299-200"\./],
      ['with an alarm topic imported from another region', (s) => ({ alarmTopic: sns.Topic.fromTopicArn(s, 'Imported', 'arn:aws:sns:us-east-1:111111111111:alarms') }),
        /`alarmTopic` is Stack\/Imported, imported from us-east-1, but this stack is in us-west-2: this region's services cannot use a resource of another region\. Alarms notify a topic of their own region/],
      ['with an inverted blocked window', () => ({ zonalAutoshift: { blockedWindows: ['Mon:17:00-Mon:09:00'] } }),
        /`zonalAutoshift\.blockedWindows` entries must end after they start, got: "Mon:17:00-Mon:09:00" \(inverted\)\. Give the start first, e.g\. Mon:09:00-Mon:17:00\./],
      ['with a zero-length blocked window', () => ({ zonalAutoshift: { blockedWindows: ['TUE:10:00-TUE:10:00'] } }),
        /`zonalAutoshift\.blockedWindows` entries must end after they start, got: "TUE:10:00-TUE:10:00" \(no time at all\)/],
      ['with a blocked window across days', () => ({ zonalAutoshift: { blockedWindows: ['Mon:23:00-Tue:01:00'] } }),
        /`zonalAutoshift\.blockedWindows` entries must be like Mon:09:00-Mon:17:00 \(UTC\), within one day, got: "Mon:23:00-Tue:01:00"/],
      ['with HTTP codes that are words', () => ({ healthCheck: { healthyHttpCodes: 'OK' } }), /`healthCheck\.healthyHttpCodes` .* got: "OK"\./],
      ['with HTTP codes separated by spaces', () => ({ healthCheck: { healthyHttpCodes: '200, 201' } }), /`healthCheck\.healthyHttpCodes` .* got: "200, 201"\./],
      ['with a deregistration delay of 3601 s', () => ({ deregistrationDelay: Duration.seconds(3601) }),
        /`deregistrationDelay` must be whole seconds from 0 to 3600, got: 1 hour 1 second\./],
      ['with a NaN deregistration delay', () => ({ deregistrationDelay: Duration.seconds(NaN) }),
        /`deregistrationDelay` must be whole seconds from 0 to 3600, got: NaN\./],
      ['with an Infinity health check interval', () => ({ healthCheck: { interval: Duration.seconds(Infinity) } }),
        /`healthCheck\.interval` must be whole seconds from 5 to 300, got: Infinity\./],
      ['with zoneAlarmPeriods 0', () => ({ zoneAlarmPeriods: 0 }),
        /`zoneAlarmPeriods` must be an integer from 1 to 10, got: 0\. The alarm fires after that many 60 s periods below capacity\./],
      ['with zoneAlarmPeriods 11', () => ({ zoneAlarmPeriods: 11 }), /`zoneAlarmPeriods` must be an integer from 1 to 10, got: 11\./],
      ['with errorRatePercent 0', () => ({ errorRatePercent: 0 }), /`errorRatePercent` must be above 0 and at most 100, got: 0\./],
      ['with errorRatePercent 101', () => ({ errorRatePercent: 101 }), /`errorRatePercent` must be above 0 and at most 100, got: 101\./],
      ['with errorRatePercent NaN', () => ({ errorRatePercent: NaN }), /`errorRatePercent` must be above 0 and at most 100, got: NaN\./],
      ['with DNS failover thresholds neither count nor percentage', () => ({ dnsFailoverMinimumHealthyTargets: {} }),
        /`dnsFailoverMinimumHealthyTargets` needs `count`, `percentage` or both; remove it to leave DNS failover off\./],
      ['with a DNS failover count of 0', () => ({ dnsFailoverMinimumHealthyTargets: { count: 0 } }),
        /`dnsFailoverMinimumHealthyTargets\.count` must be an integer from 1 to 10000, got: 0\./],
      ['with a DNS failover percentage of 0', () => ({ dnsFailoverMinimumHealthyTargets: { percentage: 0 } }),
        /`dnsFailoverMinimumHealthyTargets\.percentage` must be an integer from 1 to 100, got: 0\./],
      ['with a DNS failover percentage of 101', () => ({ dnsFailoverMinimumHealthyTargets: { percentage: 101 } }),
        /`dnsFailoverMinimumHealthyTargets\.percentage` must be an integer from 1 to 100, got: 101\./],
      ['with recordName without zone', () => ({ recordName: 'app' }),
        /`recordName` is only used with `zone`: give the hosted zone of the regional record, or remove `recordName`\./],
      ['with no outcome alarms', () => ({ zonalAutoshift: { outcomeAlarms: [] } }),
        /`zonalAutoshift\.outcomeAlarms` must hold 1 to 10 alarms, got 0\. Remove it to use the service's error-rate alarm\./],
      ['with 11 outcome alarms', (s) => ({ zonalAutoshift: { outcomeAlarms: alarms(s, 11) } }), /`zonalAutoshift\.outcomeAlarms` must hold 1 to 10 alarms, got 11\./],
      ['with 11 blocking alarms', (s) => ({ zonalAutoshift: { blockingAlarms: alarms(s, 11) } }), /`zonalAutoshift\.blockingAlarms` must hold at most 10 alarms, got 11\./],
      ['with a blocked date in month 13', () => ({ zonalAutoshift: { blockedDates: ['2026-12-24', '2026-13-01'] } }),
        /`zonalAutoshift\.blockedDates` entries must be YYYY-MM-DD \(UTC\), got: "2026-13-01"\./],
      ['with a blocked date without leading zeros', () => ({ zonalAutoshift: { blockedDates: ['2026-1-5'] } }), /`zonalAutoshift\.blockedDates` entries must be YYYY-MM-DD \(UTC\), got: "2026-1-5"\./],
      ['with a blocked window in words', () => ({ zonalAutoshift: { blockedWindows: ['Monday 9-5'] } }),
        /`zonalAutoshift\.blockedWindows` entries must be like Mon:09:00-Mon:17:00 \(UTC\), within one day, got: "Monday 9-5"\. Split a window across days into one per day\./],
      ['with a blocked window at hour 24', () => ({ zonalAutoshift: { blockedWindows: ['Mon:09:00-Mon:24:00'] } }),
        /`zonalAutoshift\.blockedWindows` entries must be like Mon:09:00-Mon:17:00 \(UTC\), within one day, got: "Mon:09:00-Mon:24:00"\./],
      ['with a blocked window across two days', () => ({ zonalAutoshift: { blockedWindows: ['Sat:00:00-Sun:23:59'] } }),
        /`zonalAutoshift\.blockedWindows` entries must be .* within one day, got: "Sat:00:00-Sun:23:59"\./],
      ['with 16 blocked dates', () => ({ zonalAutoshift: { blockedDates: Array.from({ length: 16 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`) } }),
        /`zonalAutoshift\.blockedDates` and `zonalAutoshift\.blockedWindows` take at most 15 entries each, got 16 and 0\./],
      ['with instance port 0', () => ({ targets: autoScaling({ port: 0 }) }), /`targets\.port` must be an integer from 1 to 65535, got: 0\./],
      ['with container port 65536', () => ({ targets: fargate({ containerPort: 65_536 }) }), /`targets\.containerPort` must be an integer from 1 to 65535, got: 65536\./],
    ])('%s', (_, override, message) => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // THEN
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, ...override(stack) }))
        .toThrow(message);
    });

    test('with a single-zone VPC', () => {
      const { stack, vpc } = setup(1);
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 }))
        .toThrow(/^Stack\/Service: `targetSubnets` must span at least two Availability Zones \(three recommended\), got 1: \["us-west-2a"\]/);
    });

    test('with a practice-run alarm imported from another region by ARN', () => {
      // GIVEN
      const { stack, vpc } = setup(3);
      const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'Imported', 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:app-health');

      // THEN
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, zonalAutoshift: { outcomeAlarms: [alarm] } }))
        .toThrow(/^Stack\/Service: `zonalAutoshift` alarm Stack\/Imported is in eu-west-1, but the load balancer is in us-west-2/);
    });

    test.each([
      ['peakCapacity', (p: number) => ({ peakCapacity: p })],
      ['maxCapacity', (p: number) => ({ maxCapacity: p })],
      ['zoneAlarmPeriods', (p: number) => ({ zoneAlarmPeriods: p })],
      ['healthCheck.unhealthyThreshold', (p: number) => ({ healthCheck: { unhealthyThreshold: p } })],
      ['healthCheck.interval', (p: number) => ({ healthCheck: { interval: Duration.seconds(p) } })],
      // aws-cdk-lib checks these target-group attributes at synth.
      ['dnsFailoverMinimumHealthyTargets.count', (p: number) => ({ dnsFailoverMinimumHealthyTargets: { count: p } })],
    ])('with a deploy-time %s: it sizes the capacity or the model at synth', (prop, override) => {
      // GIVEN
      const { stack, vpc } = setup(3);
      const p = new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber;

      // THEN
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, ...override(p) }))
        .toThrow(new RegExp(`\`${prop.replace('.', '\\.')}\` must be a literal value, got a deploy-time Token`));
    });

    test('with a Fargate cluster in a VPC created elsewhere in the app', () => {
      // GIVEN
      const { stack, vpc } = setup(3);
      const other = new ec2.Vpc(stack, 'Other', { maxAzs: 2 });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: other });

      // THEN
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: fargate({ cluster }), peakCapacity: 4 }))
        .toThrow(/`targets\.cluster` is in VPC Stack\/Other, not in `vpc` Stack\/Vpc/);
    });

    test('with a Fargate cluster in another VPC', () => {
      // GIVEN
      const { stack, vpc } = setup(3);
      const other = ec2.Vpc.fromVpcAttributes(stack, 'Other', {
        vpcId: 'vpc-0123456789abcdef0',
        availabilityZones: ['us-west-2a', 'us-west-2b'],
        privateSubnetIds: ['subnet-0a', 'subnet-0b'],
      });
      const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'other', vpc: other });

      // THEN
      expect(() => new MultiAzService(stack, 'Service', { vpc, targets: fargate({ cluster }), peakCapacity: 4 }))
        .toThrow(/^Stack\/Service: `targets\.cluster` is in VPC Stack\/Other, not in `vpc` Stack\/Vpc: the tasks must run where the load balancer reaches them\. Pass a cluster of the same VPC, or none\.$/);
    });

    test('with a topic, bucket or practice-run alarms from another region', () => {
      // GIVEN
      const { app, stack, vpc } = setup(3);
      const east = new ZonedStack(app, 'East', { env: { account: ENV.account, region: 'us-east-1' } });
      const alarm = (id: string) => new cloudwatch.Alarm(east, id, {
        metric: new cloudwatch.Metric({ namespace: 'App', metricName: id }),
        threshold: 1,
        evaluationPeriods: 1,
      });

      // THEN
      expect(() => new MultiAzService(stack, 'Service', {
        vpc,
        targets: autoScaling(),
        peakCapacity: 4,
        alarmTopic: new sns.Topic(east, 'Topic'),
        accessLogsBucket: new s3.Bucket(east, 'Logs'),
        zonalAutoshift: { outcomeAlarms: [alarm('Outcome')], blockingAlarms: [alarm('Blocking')] },
      })).toThrow(new RegExp([
        '^Stack/Service: 4 problems:',
        '  - `alarmTopic` is East/Topic in us-east-1, but this stack is in us-west-2: .* Alarms notify a topic of their own region: .*',
        '  - `accessLogsBucket` is East/Logs in us-east-1, .* ELB writes access logs to a bucket of its own region\\.',
        '  - `zonalAutoshift` alarm East/Outcome is in us-east-1, but the load balancer is in us-west-2: practice runs take alarms of the resource\'s own region\\. .*',
        '  - `zonalAutoshift` alarm East/Blocking is in us-east-1, .*$',
      ].join('\n')));
    });

    test('with several problems, all in one error before any child is created', () => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // WHEN
      const create = () => new MultiAzService(stack, 'Service', {
        vpc,
        targets: autoScaling({ port: 0 }),
        peakCapacity: 0,
        zoneAlarmPeriods: 0,
        errorRatePercent: 101,
        recordName: 'app',
        healthCheck: { path: 'x' },
      });

      // THEN
      expect(create).toThrow(new RegExp([
        '^Stack/Service: 6 problems:',
        '  - `peakCapacity` must be an integer from 1 to 10000, got: 0\\..*',
        '  - `healthCheck\\.path` must start with / .*',
        '  - `zoneAlarmPeriods` must be an integer from 1 to 10, got: 0\\..*',
        '  - `errorRatePercent` must be above 0 and at most 100, got: 101\\.',
        '  - `recordName` is only used with `zone`.*',
        '  - `targets\\.port` must be an integer from 1 to 65535, got: 0\\..*$',
      ].join('\n')));
      expect(stack.node.findChild('Service').node.children).toEqual([]);
    });
  });

  describe('Tokens are not judged', () => {
    test.each<[string, (s: Stack) => Partial<MultiAzServiceProps>, string, object]>([
      ['errorRatePercent', (s) => ({ errorRatePercent: param(s) }), 'AWS::CloudWatch::Alarm', { Threshold: { Ref: 'P' } }],
      ['targets.port', (s) => ({ targets: autoScaling({ port: param(s) }) }), 'AWS::ElasticLoadBalancingV2::TargetGroup', { Port: { Ref: 'P' } }],
      ['healthCheck.healthyThreshold', (s) => ({ healthCheck: { healthyThreshold: param(s) } }), 'AWS::ElasticLoadBalancingV2::TargetGroup', { HealthyThresholdCount: { Ref: 'P' } }],
      ['healthCheck.path', () => ({ healthCheck: { path: Lazy.string({ produce: () => 'no slash' }) } }), 'AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: 'no slash' }],
      ['healthCheck.healthyHttpCodes', () => ({ healthCheck: { healthyHttpCodes: Lazy.string({ produce: () => '204' }) } }),
        'AWS::ElasticLoadBalancingV2::TargetGroup', { Matcher: { HttpCode: '204' } }],
      ['zonalAutoshift.blockedDates', () => ({ zonalAutoshift: { blockedDates: [Lazy.string({ produce: () => '2026-12-24' })] } }),
        'AWS::ARCZonalShift::ZonalAutoshiftConfiguration', { PracticeRunConfiguration: Match.objectLike({ BlockedDates: ['2026-12-24'] }) }],
    ])('%s', (_, override, type, properties) => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // WHEN
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, ...override(stack) });

      // THEN
      Template.fromStack(stack).hasResourceProperties(type, properties);
    });

    test('deregistrationDelay', () => {
      const { stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, deregistrationDelay: Duration.seconds(param(stack)) });
      expect(attributes(Template.fromStack(stack), 'AWS::ElasticLoadBalancingV2::TargetGroup')['deregistration_delay.timeout_seconds']).toEqual({ Ref: 'P' });
    });

    function param(stack: Stack): number {
      return new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber;
    }
  });

  test('an environment-agnostic stack: sized for the zones it has here, with an acknowledgeable warning', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1 });

    // WHEN
    const service = new MultiAzService(stack, 'Service', { vpc, targets: fargate(), peakCapacity: 4 });

    // THEN
    expect([service.zoneCount, service.capacityPerZone, service.minCapacity]).toEqual([2, 4, 8]);
    Annotations.fromStack(stack).hasWarning('/Agnostic/Service', Match.stringLikeRegexp(
      '^The Availability Zones of Agnostic/Vpc are only known at deploy time \\(environment-agnostic stack\\), so the capacity is sized for the 2 zones '
      + 'the VPC has here: 4 per zone, 8 in all\\. Give the stack an `env`.*cdk-failover:az-count-unknown'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: Match.arrayWith([{ Name: 'AvailabilityZone', Value: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } }]),
      AlarmDescription: Match.stringLikeRegexp('healthy targets in zone 1 below'),
    });
  });

  test('a stack with an env has no zone warning', () => {
    const { stack, vpc } = setup(3);
    new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('az-count-unknown'));
  });

  describe('estimates', () => {
    test('the defaults: a failed target in 10..25 s; a manual zonal shift in 120..905 s', () => {
      // GIVEN
      const { stack, vpc } = setup(3);

      // WHEN
      const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });

      // THEN
      expect([service.estimate.rtoBest!.toSeconds(), service.estimate.rtoWorst!.toSeconds()]).toEqual([10, 25]);
      expect(service.estimate.rpoWorst).toBeUndefined();
      expect(service.estimate.assumptions).toEqual([]);
      expect(service.estimate.dominantTerm!.kind).toEqual(RecoveryTermKind.DETECTION);
      expect(service.estimate.terms.map((t) => t.kind)).toEqual([RecoveryTermKind.DETECTION, RecoveryTermKind.DECISION, RecoveryTermKind.SWITCH]);

      const zonal = service.zonalShiftEstimate;
      expect([zonal.rtoBest!.toSeconds(), zonal.rtoWorst!.toSeconds()]).toEqual([120, 905]);
      expect(zonal.terms.map((t) => [t.kind, t.min.toSeconds(), t.max.toSeconds()])).toEqual([
        [RecoveryTermKind.DETECTION, 120, 240],
        [RecoveryTermKind.DECISION, 0, 600],
        [RecoveryTermKind.SWITCH, 0, 0],
        [RecoveryTermKind.PROPAGATION, 0, 60],
        [RecoveryTermKind.CLIENT_CACHE, 0, 5],
      ]);
      expect(zonal.assumptions).toHaveLength(2);
      expect(zonal.dominantTerm!.kind).toEqual(RecoveryTermKind.DECISION);
    });

    test('zonal autoshift: 0..665 s', () => {
      const { stack, vpc } = setup(3);
      const service = new MultiAzService(stack, 'Service', { vpc, targets: fargate(), peakCapacity: 4, zonalAutoshift: {} });
      expect([service.zonalShiftEstimate.rtoBest!.toSeconds(), service.zonalShiftEstimate.rtoWorst!.toSeconds()]).toEqual([0, 665]);
      expect(service.zonalShiftEstimate.dominantTerm!.kind).toEqual(RecoveryTermKind.DETECTION);
      expect(service.estimate.rtoWorst!.toSeconds()).toEqual(25);
    });

    test.each<[string, Partial<MultiAzServiceProps>, number, number, number]>([
      // name, props, best, worst, assumptions
      ['a measured operator response and client cache', { assumptions: { operatorResponse: Duration.minutes(2), clientDnsCache: Duration.seconds(0) } }, 120, 420, 0],
      ['a measured client cache of 1.5 s', { assumptions: { clientDnsCache: Duration.millis(1500) } }, 120, 901.5, 1],
      ['one alarm period', { zoneAlarmPeriods: 1 }, 0, 785, 2],
      ['autoshift with a measured detection', { zonalAutoshift: {}, assumptions: { autoshiftDetection: Duration.minutes(5) } }, 0, 365, 1],
      ['autoshift ignores the operator', { zonalAutoshift: {}, assumptions: { operatorResponse: Duration.hours(1) } }, 0, 665, 2],
    ])('zonal shift with %s', (_, props, best, worst, assumptions) => {
      const { stack, vpc } = setup(3);
      const service = new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, ...props });
      const estimate = service.zonalShiftEstimate;
      expect([estimate.rtoBest!.toMilliseconds() / 1000, estimate.rtoWorst!.toMilliseconds() / 1000]).toEqual([best, worst]);
      expect(estimate.assumptions).toHaveLength(assumptions);
    });

    test('a custom health check: 5 s x 3 + 2 s detects in 10..17 s', () => {
      const { stack, vpc } = setup(3);
      const service = new MultiAzService(stack, 'Service', {
        vpc,
        targets: autoScaling(),
        peakCapacity: 4,
        healthCheck: { interval: Duration.seconds(5), timeout: Duration.seconds(2), unhealthyThreshold: 3 },
      });
      expect([service.estimate.rtoBest!.toSeconds(), service.estimate.rtoWorst!.toSeconds()]).toEqual([10, 17]);
    });
  });

  describe('report', () => {
    test('both paths, with their terms and the two-zone warning', () => {
      // GIVEN
      const { app, stack, vpc } = setup(2);
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 3, zone: testZone(stack), recordName: 'app' });

      // WHEN
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      const twoZones = 'Two zones: losing one leaves a single zone, which must carry the whole peak (3 per zone, 6 in all). '
        + 'Three zones halve the spare capacity and survive a second failure in a degraded state.';
      expect(report.paths).toHaveLength(2);
      expect(report.paths[0]).toMatchObject({
        id: 'Stack/Service#target-failure',
        constructPath: 'Stack/Service',
        kindLabel: 'Multi-AZ load balancing',
        name: 'us-west-2.app.example.com (target failure)',
        endpoints: [
          {
            role: 'primary',
            label: 'EC2 Auto Scaling group targets in us-west-2a, us-west-2b',
            region: 'us-west-2',
            health: 'ELB health check every 10 s, 5 s timeout, unhealthy after 2',
          },
          { role: 'secondary', label: 'the healthy targets: 3 per zone, 6 in all for a peak of 3', region: 'us-west-2' },
        ],
        rto: { bestSeconds: 10, worstSeconds: 25, dominantTerm: 'detection' },
        rpo: { applicable: false },
        assumptions: [],
        warnings: [twoZones],
      });
      expect(report.paths[0].terms.map((t: any) => [t.term, t.minSeconds, t.maxSeconds])).toEqual([['detection', 10, 25], ['decision', 0, 0], ['switch', 0, 0]]);
      expect(report.paths[1]).toMatchObject({
        id: 'Stack/Service#zone-impaired',
        constructPath: 'Stack/Service',
        kindLabel: 'zonal shift (manual)',
        name: 'us-west-2.app.example.com (zone impaired)',
        endpoints: [
          { role: 'primary', label: 'the load balancer\'s nodes and targets in one of us-west-2a, us-west-2b', health: 'per-zone alarms: healthy targets below 3' },
          { role: 'secondary', label: 'the other 1 zone(s), 3 targets for a peak of 3' },
        ],
        rto: { bestSeconds: 120, worstSeconds: 905, dominantTerm: 'decision' },
        warnings: [twoZones],
      });
      expect(report.paths[1].terms.map((t: any) => [t.term, t.minSeconds, t.maxSeconds, t.assumption])).toEqual([
        ['detection', 120, 240, false],
        ['decision', 0, 600, true],
        ['switch', 0, 0, false],
        ['propagation', 0, 60, false],
        ['clientCache', 0, 5, true],
      ]);
      expect(report.paths[1].assumptions).toHaveLength(2);
    });

    test('zonal autoshift over three zones, without a regional record: named by the construct path, no warning', () => {
      const { app, stack, vpc } = setup(3);
      new MultiAzService(stack, 'Service', { vpc, targets: fargate(), peakCapacity: 4, zonalAutoshift: {} });
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
      expect(report.paths.map((p: any) => [p.kindLabel, p.name, p.rto.worstSeconds, p.warnings])).toEqual([
        ['Multi-AZ load balancing', 'Stack/Service (target failure)', 25, []],
        ['zonal autoshift', 'Stack/Service (zone impaired)', 665, []],
      ]);
      expect(report.paths[0].endpoints[0].label).toEqual('ECS service on Fargate targets in us-west-2a, us-west-2b, us-west-2c');
      expect(report.paths[1].endpoints[0].health).toEqual('AWS internal monitoring (zonal autoshift)');
      expect(report.paths[1].endpoints[1].label).toEqual('the other 2 zone(s), 4 targets for a peak of 4');
    });

    test('fails synth when the manual zonal shift misses a 1 minute RTO, naming the dominant term', () => {
      // GIVEN
      const { app, stack, vpc } = setup(3);
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(1) });
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 });

      // WHEN
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }

      // THEN
      expect(message).toMatch(/\[Stack\/Service\] zonal shift \(manual\) of Stack\/Service \(zone impaired\): modeled worst-case recovery time 15 min 5 s exceeds the RTO objective 1 min \(declared at Objectives\)\. Dominant term: decision up to 10 min \(an operator starts a zonal shift/);
      expect(message).toMatch(/Fix: enable `zonalAutoshift`, or measure your response in a game day and set `assumptions\.operatorResponse`/);
      expect(message).not.toMatch(/Multi-AZ load balancing/);
    });

    test('meets a 2 minute RTO with autoshift and a measured detection', () => {
      const { app, stack, vpc } = setup(3);
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(2) });
      new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, zonalAutoshift: {}, assumptions: { autoshiftDetection: Duration.seconds(30) } });
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
      expect(report.paths.map((p: any) => [p.rto.worstSeconds, p.rto.met])).toEqual([[25, true], [95, true]]);
    });
  });
});

describe('MultiAzService subnets', () => {
  test('fails with a VPC of public subnets only and no targetSubnets, naming the prop, the VPC and what to pass', () => {
    const { stack } = setup(3);
    const vpc = new ec2.Vpc(stack, 'PublicVpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4 }))
      .toThrow(/^Stack\/Service: `targetSubnets` is not given and Stack\/PublicVpc has no private subnets with egress \(.*\)\. The targets belong in private subnets with egress .*: add them to the VPC \(subnetConfiguration\), or pass `targetSubnets`\./);
  });

  test('fails with a targetSubnets selection the VPC does not have', () => {
    const { stack, vpc } = setup(3);
    expect(() => new MultiAzService(stack, 'Service', { vpc, targets: autoScaling(), peakCapacity: 4, targetSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }))
      .toThrow(/^Stack\/Service: `targetSubnets` selects no subnets of Stack\/Vpc \(.*\)\. Select the VPC's private subnets with egress\./);
  });
});

describe('MultiAzService health-check grace period', () => {
  test.each([
    ['an Auto Scaling group, 1.5 s', () => autoScaling({ healthCheckGracePeriod: Duration.millis(1500) }), /`targets\.healthCheckGracePeriod` must be whole seconds/],
    ['an Auto Scaling group, NaN', () => autoScaling({ healthCheckGracePeriod: Duration.seconds(NaN) }), /`targets\.healthCheckGracePeriod`/],
    ['Fargate, 0.5 s', () => fargate({ healthCheckGracePeriod: Duration.millis(500) }), /`targets\.healthCheckGracePeriod` must be whole seconds/],
  ])('fails with %s, naming the prop', (_, targets, message) => {
    const { stack, vpc } = setup(3);
    expect(() => new MultiAzService(stack, 'Service', { vpc, targets: targets(), peakCapacity: 4 })).toThrow(message);
  });
});

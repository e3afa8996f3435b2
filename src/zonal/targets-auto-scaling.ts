import { Duration } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { AutoScalingTargetsOptions } from './service-targets';
import { BoundTargets, TargetsBindContext, TargetsStrategy } from './targets-strategy';
import { Problems } from '../private/errors';
import { checkDuration, checkInteger } from '../private/validate';

/** Instances of an EC2 Auto Scaling group, replaced when the load balancer finds them unhealthy. */
export class AutoScalingTargets implements TargetsStrategy {
  public readonly description = 'EC2 Auto Scaling group';
  public readonly targetType = elbv2.TargetType.INSTANCE;
  public readonly port: number;

  constructor(private readonly options: AutoScalingTargetsOptions) {
    this.port = options.port ?? 80;
  }

  public validate(problems: Problems): void {
    checkInteger(problems, 'targets.port', this.options.port, 1, 65535, '');
    checkDuration(problems, 'targets.healthCheckGracePeriod', this.options.healthCheckGracePeriod, {
      unit: 'seconds', fix: 'Give the time an instance needs to start serving, e.g. Duration.minutes(5).',
    });
  }

  public bind(scope: Construct, c: TargetsBindContext): BoundTargets {
    const options = this.options;
    const securityGroup = new ec2.SecurityGroup(scope, 'InstanceSecurityGroup', {
      vpc: c.vpc,
      description: 'Instances of the multi-AZ service: HTTP from its load balancer only',
    });
    const launchTemplate = new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
      machineImage: options.machineImage,
      instanceType: options.instanceType,
      userData: options.userData,
      role: options.role,
      securityGroup,
      requireImdsv2: true,
      detailedMonitoring: true,
    });
    const group = new autoscaling.AutoScalingGroup(scope, 'AutoScalingGroup', {
      vpc: c.vpc,
      vpcSubnets: c.subnets,
      launchTemplate,
      minCapacity: c.minCapacity,
      maxCapacity: c.maxCapacity,
      // The load balancer's verdict replaces instances that are up but not serving.
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: options.healthCheckGracePeriod ?? Duration.minutes(5),
      }),
      notifications: c.alarmTopic ? [{ topic: c.alarmTopic }] : undefined,
    });
    group.attachToApplicationTargetGroup(c.targetGroup);
    group.connections.allowFrom(c.loadBalancer, ec2.Port.tcp(this.port), 'HTTP from the load balancer');
    if (c.maxCapacity > c.minCapacity) {
      group.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });
    }
    return { autoScalingGroup: group };
  }
}

import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FargateTargetsOptions } from './service-targets';
import { BoundTargets, TargetsBindContext, TargetsStrategy } from './targets-strategy';
import { Problems } from '../private/errors';
import { checkDuration, checkInteger, unresolved } from '../private/validate';

/** Tasks of an ECS service on Fargate, registered by IP address. */
export class FargateTargets implements TargetsStrategy {
  public readonly description = 'ECS service on Fargate';
  public readonly targetType = elbv2.TargetType.IP;
  public readonly port: number;

  constructor(private readonly options: FargateTargetsOptions) {
    this.port = options.containerPort ?? 80;
  }

  public validate(problems: Problems, vpc: ec2.IVpc): void {
    checkInteger(problems, 'targets.containerPort', this.options.containerPort, 1, 65535, '');
    // ECS takes whole seconds up to 2,147,483,647.
    checkDuration(problems, 'targets.healthCheckGracePeriod', this.options.healthCheckGracePeriod, {
      unit: 'seconds', max: 2_147_483_647, fix: 'Give the time a task needs to start serving, e.g. Duration.seconds(60).',
    });
    const clusterVpc = this.options.cluster?.vpc;
    // Two VPC objects are the same VPC only if both ids are known and equal (an import of it).
    const sameVpc = clusterVpc === undefined || clusterVpc === vpc
      || (!unresolved(clusterVpc.vpcId) && clusterVpc.vpcId === vpc.vpcId);
    if (clusterVpc && !sameVpc) {
      problems.add(`\`targets.cluster\` is in VPC ${clusterVpc.node.path}, not in \`vpc\` ${vpc.node.path}: `
        + 'the tasks must run where the load balancer reaches them. Pass a cluster of the same VPC, or none.');
    }
  }

  public bind(scope: Construct, c: TargetsBindContext): BoundTargets {
    const options = this.options;
    const cluster = options.cluster ?? new ecs.Cluster(scope, 'Cluster', {
      vpc: c.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
      cpu: options.cpu ?? 256,
      memoryLimitMiB: options.memoryLimitMiB ?? 512,
    });
    const container = taskDefinition.addContainer('App', {
      image: options.image,
      environment: options.environment,
      portMappings: [{ containerPort: this.port }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logRetention: logs.RetentionDays.ONE_MONTH }),
    });
    const service = new ecs.FargateService(scope, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: c.minCapacity,
      vpcSubnets: c.subnets,
      assignPublicIp: false,
      // Deployments start new tasks before stopping old ones: capacity never dips below the
      // statically stable count.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: options.healthCheckGracePeriod ?? Duration.seconds(60),
    });
    // Keep the tasks spread evenly over the zones after a zone comes back (no L2 prop yet).
    (service.node.defaultChild as ecs.CfnService).availabilityZoneRebalancing = 'ENABLED';
    c.targetGroup.addTarget(service.loadBalancerTarget({ containerName: container.containerName, containerPort: this.port }));
    service.connections.allowFrom(c.loadBalancer, ec2.Port.tcp(this.port), 'HTTP from the load balancer');
    if (c.maxCapacity > c.minCapacity) {
      service.autoScaleTaskCount({ minCapacity: c.minCapacity, maxCapacity: c.maxCapacity })
        .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });
    }
    return { fargateService: service };
  }
}

import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AutoScalingTargets } from './targets-auto-scaling';
import { FargateTargets } from './targets-fargate';
import { BoundTargets, TargetsBindContext, TargetsSpec, TargetsStrategy } from './targets-strategy';

/**
 * Instances from an EC2 Auto Scaling group, launched from your image.
 */
export interface AutoScalingTargetsOptions {
  /** The AMI of the instances. */
  readonly machineImage: ec2.IMachineImage;

  /** The instance type. */
  readonly instanceType: ec2.InstanceType;

  /**
   * Commands the instances run at launch.
   *
   * @default - the image's own
   */
  readonly userData?: ec2.UserData;

  /**
   * The instance role.
   *
   * @default - a new role with no permissions
   */
  readonly role?: iam.IRole;

  /**
   * The port the instances serve HTTP on.
   *
   * @default 80
   */
  readonly port?: number;

  /**
   * How long a new instance may fail the load balancer's health checks before Auto Scaling
   * replaces it: long enough to boot and warm up.
   *
   * @default Duration.minutes(5)
   */
  readonly healthCheckGracePeriod?: Duration;
}

/**
 * Tasks of an ECS service on Fargate, running your container image.
 */
export interface FargateTargetsOptions {
  /** The container image. */
  readonly image: ecs.ContainerImage;

  /**
   * The port the container serves HTTP on.
   *
   * @default 80
   */
  readonly containerPort?: number;

  /**
   * CPU units of a task (256 = 0.25 vCPU); a value Fargate accepts with `memoryLimitMiB`.
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Memory of a task, in MiB.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: { [key: string]: string };

  /**
   * The cluster to run in; it must be in the service's VPC.
   *
   * @default - a new cluster with Container Insights
   */
  readonly cluster?: ecs.ICluster;

  /**
   * How long ECS ignores the load balancer's health checks of a new task: long enough to start.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;
}

/**
 * What serves behind the load balancer of a `MultiAzService`: instances of an Auto Scaling
 * group or Fargate tasks. You bring the image; the service sizes and spreads the capacity.
 */
export class ServiceTargets {
  /** Instances of an EC2 Auto Scaling group launched from your AMI. */
  public static autoScaling(options: AutoScalingTargetsOptions): ServiceTargets {
    return new ServiceTargets(new AutoScalingTargets(options));
  }

  /** Tasks of an ECS Fargate service running your container image. */
  public static fargate(options: FargateTargetsOptions): ServiceTargets {
    return new ServiceTargets(new FargateTargets(options));
  }

  private constructor(private readonly strategy: TargetsStrategy) {}

  /** @internal What the service needs before it creates anything: the port, the target type, the checks. */
  public get _spec(): TargetsSpec {
    return this.strategy;
  }

  /** @internal Creates the targets in `scope` and registers them with the target group. */
  public _bind(scope: Construct, context: TargetsBindContext): BoundTargets {
    return this.strategy.bind(scope, context);
  }
}

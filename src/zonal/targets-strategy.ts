import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Problems } from '../private/errors';

/** What a `MultiAzService` knows of its targets before it creates anything. */
export interface TargetsSpec {
  /** What the report calls them, e.g. `ECS service on Fargate`. */
  readonly description: string;
  /** The port the targets serve HTTP on. */
  readonly port: number;
  /** How the target group registers them. */
  readonly targetType: elbv2.TargetType;
  /** Adds the problems of the targets' options (props prefixed `targets.`). */
  validate(problems: Problems, vpc: ec2.IVpc): void;
}

/** What the targets need from the service to be created. */
export interface TargetsBindContext {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The statically stable capacity: the minimum and desired count. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly alarmTopic?: sns.ITopic;
}

/** The created targets; each kind sets its own field. */
export interface BoundTargets {
  readonly autoScalingGroup?: autoscaling.AutoScalingGroup;
  readonly fargateService?: ecs.FargateService;
}

/** One kind of targets: adding a kind adds a class, never a branch in the service. */
export interface TargetsStrategy extends TargetsSpec {
  bind(scope: Construct, context: TargetsBindContext): BoundTargets;
}

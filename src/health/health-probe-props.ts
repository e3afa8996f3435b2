import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Properties of `HealthProbe`.
 */
export interface HealthProbeProps {
  /**
   * The VPC to probe from, for private endpoints (internal load balancers, databases). The
   * subnets need a route to CloudWatch (a NAT gateway or a `monitoring` interface endpoint),
   * and with a latched target also to DynamoDB (a gateway or interface endpoint, or a NAT
   * gateway): without it a latched target counts as failed for good. Synth warns
   * (`cdk-failover:latch-no-dynamodb-route`) when no DynamoDB endpoint is on the VPC in the app.
   *
   * @default - the probe runs outside any VPC and reaches public endpoints only
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets to probe from.
   *
   * @default - the VPC's default selection: its private subnets, else its isolated subnets, else its public ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the probe. The endpoints' security groups must allow them.
   *
   * @default - a new security group with all outbound traffic allowed
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Sampling rounds per minute: 1 to 6. More rounds detect faster and cost more Lambda time.
   *
   * @default 3
   */
  readonly samplesPerMinute?: number;

  /**
   * Failed samples within one minute that make a target unhealthy: 1 to `samplesPerMinute`.
   * One failed sample of three (one lost packet) does not fail over with the default of 2.
   *
   * @default - 2, or 1 with one sample a minute
   */
  readonly failuresToAlarm?: number;

  /**
   * CloudWatch namespace of the probe's metrics.
   *
   * @default 'CdkFailover/Probe'
   */
  readonly namespace?: string;
}
/**
 * Options of a probe's aggregate health check.
 */
export interface ProbeAggregateOptions {
  /**
   * How many failing targets make the aggregate unhealthy.
   *
   * @default 1
   */
  readonly failedTargets?: number;
}

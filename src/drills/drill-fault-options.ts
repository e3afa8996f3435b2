import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Which traffic `aws:network:disrupt-connectivity` denies in the target subnets (its `scope`
 * parameter; docs/aws-facts.md#fis-and-drs).
 */
export enum ConnectivityScope {
  /** All traffic entering and leaving the subnets. */
  ALL = 'all',
  /** Traffic between the subnets and the other Availability Zones of the VPC. */
  AVAILABILITY_ZONE = 'availability-zone',
  /** Traffic between the subnets and the Regional endpoint of DynamoDB. */
  DYNAMODB = 'dynamodb',
  /** Traffic between the subnets and the Regional endpoint of S3. */
  S3 = 's3',
  /** Traffic entering and leaving the VPC. */
  VPC = 'vpc',
}

/** Options of `DrillFault.auroraClusterFailover`: give exactly one of `cluster` and `clusterIdentifier`. */
export interface AuroraClusterFailoverOptions {
  /**
   * The Aurora cluster whose writer fails over to a reader.
   *
   * @default - `clusterIdentifier` names it
   */
  readonly cluster?: rds.IDatabaseCluster;

  /**
   * The identifier of the Aurora cluster (in the experiment's account and region), for a
   * cluster this app does not define.
   *
   * @default - `cluster` gives it
   */
  readonly clusterIdentifier?: string;
}

/** Options of `DrillFault.rdsInstanceReboot`: give exactly one of `instance` and `instanceIdentifier`. */
export interface RdsInstanceRebootOptions {
  /**
   * The DB instance to reboot.
   *
   * @default - `instanceIdentifier` names it
   */
  readonly instance?: rds.IDatabaseInstance;

  /**
   * The identifier of the DB instance (in the experiment's account and region), for an instance
   * this app does not define.
   *
   * @default - `instance` gives it
   */
  readonly instanceIdentifier?: string;

  /**
   * Reboot with a failover to the standby of a Multi-AZ instance (FIS's `forceFailover`).
   * This is what a Multi-AZ drill wants: a plain reboot does not exercise the standby.
   *
   * @default false
   */
  readonly forceFailover?: boolean;
}

/** Options of `DrillFault.azConnectivityLoss`. */
export interface AzConnectivityLossOptions {
  /** The VPC whose subnets in `availabilityZone` lose connectivity. */
  readonly vpc: ec2.IVpc;

  /** The Availability Zone that is cut off, e.g. `us-east-1a`. Must be one of the VPC's zones. */
  readonly availabilityZone: string;

  /** How long connectivity is lost: whole seconds, above 0 and at most 12 hours. */
  readonly duration: Duration;

  /**
   * Which of the VPC's subnets lose connectivity; only those in `availabilityZone` are targeted,
   * and FIS takes at most 5 subnets per action.
   *
   * @default - every subnet of the VPC in `availabilityZone`
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Which traffic is denied.
   *
   * @default ConnectivityScope.ALL
   */
  readonly scope?: ConnectivityScope;
}

/** Options of `DrillFault.s3ReplicationPause`. */
export interface S3ReplicationPauseOptions {
  /** The source bucket whose replication pauses. */
  readonly bucket: s3.IBucket;

  /** How long replication pauses: whole seconds, above 0 and at most 12 hours. */
  readonly duration: Duration;

  /** The region of the destination buckets (FIS's `region` parameter). */
  readonly region: string;

  /**
   * The destination buckets whose replication pauses.
   *
   * @default - every destination of the source bucket in `region`
   */
  readonly destinationBuckets?: s3.IBucket[];

  /**
   * Key prefixes whose replication pauses.
   *
   * @default - every object
   */
  readonly prefixes?: string[];
}

/** Options of `DrillFault.dynamoDbReplicationPause`. */
export interface DynamoDbReplicationPauseOptions {
  /** The global table (a replica in the experiment's region) whose replication pauses. */
  readonly table: dynamodb.ITable;

  /** How long replication pauses: whole seconds, above 0 and at most 12 hours. */
  readonly duration: Duration;
}

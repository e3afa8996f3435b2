import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';

/** How the source servers' data reaches the replication servers (DRS `DataPlaneRouting`). */
export enum DrsDataPlaneRouting {
  /** Over private IP addresses: a VPN, AWS Direct Connect, VPC peering or a transit gateway. */
  PRIVATE_IP = 'PRIVATE_IP',
  /** Over the replication servers' public IP addresses, across the internet (TLS encrypted). */
  PUBLIC_IP = 'PUBLIC_IP',
}

/** The EBS volume type of the staging disks larger than 500 GiB (DRS `DefaultLargeStagingDiskType`). */
export enum DrsStagingDiskType {
  /** DRS picks the cheapest type that keeps up with the disk's writes. */
  AUTO = 'AUTO',
  /** General Purpose SSD gp2. */
  GP2 = 'GP2',
  /** General Purpose SSD gp3. */
  GP3 = 'GP3',
  /** Throughput Optimized HDD st1: cheapest, for disks with few writes. */
  ST1 = 'ST1',
}

/** Whether recovery instances start once launched (DRS `LaunchDisposition`). */
export enum DrsLaunchDisposition {
  /** Launched and started: the recovery serves as soon as it boots. */
  STARTED = 'STARTED',
  /** Launched and left stopped, for someone to start. */
  STOPPED = 'STOPPED',
}

/** How DRS picks the recovery instances' type (DRS `TargetInstanceTypeRightSizingMethod`). */
export enum DrsRightSizing {
  /** Keep the instance type of the launch template as it is. */
  NONE = 'NONE',
  /** Match the source server's CPU and memory with an instance type. */
  BASIC = 'BASIC',
  /** For sources in AWS: the source instance's own type. */
  IN_AWS = 'IN_AWS',
}

/** The operating system licence of recovery instances (DRS `Licensing.OsByol`). */
export enum DrsOsLicensing {
  /** A licence included in the instance's price (license-included AMI pricing). */
  LICENSE_INCLUDED = 'LICENSE_INCLUDED',
  /** Bring your own licence. */
  BRING_YOUR_OWN = 'BRING_YOUR_OWN',
}

/**
 * Properties of `ElasticDisasterRecovery`: the replication settings of the staging area, the
 * launch settings of recovery instances, and the figures of the recovery model.
 */
export interface ElasticDisasterRecoveryProps {
  /** How many source servers replicate with these settings: the cost estimate counts them. 1 or more. */
  readonly sourceServerCount: number;

  /** The VPC of the staging area (replication servers) in this stack's region. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnet of the replication servers and their staging disks. It must reach DRS, EC2 and S3
   * (a NAT gateway or VPC endpoints) and, over TCP 1500, be reachable from the source servers.
   *
   * @default - the VPC's first private subnet with egress, else its first isolated subnet
   */
  readonly stagingSubnet?: ec2.ISubnet;

  /**
   * The security groups of the replication servers. DRS's own default group is never added.
   *
   * @default - a new group of the VPC, all egress allowed, no ingress: allow the source servers with
   * `connections.allowDefaultPortFrom(...)` (TCP 1500)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The customer managed KMS key that encrypts the staging disks and snapshots (EBS encryption
   * `CUSTOM`).
   *
   * @default - a new key, rotation on, retained
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The instance type of the replication servers.
   *
   * @default - t3.small (DRS's default)
   */
  readonly replicationServerInstanceType?: ec2.InstanceType;

  /**
   * Whether each source server gets a replication server of its own. A shared one is cheaper and
   * can fall behind several busy servers.
   *
   * @default true
   */
  readonly useDedicatedReplicationServer?: boolean;

  /**
   * The EBS volume type of staging disks larger than 500 GiB.
   *
   * @default DrsStagingDiskType.AUTO
   */
  readonly stagingDiskType?: DrsStagingDiskType;

  /**
   * The most each source server may send, in whole Mbps; 0 for no limit. A limit lengthens the
   * replication lag, and with it the RPO.
   *
   * @default 0 (no limit)
   */
  readonly bandwidthThrottlingMbps?: number;

  /**
   * How the data reaches the replication servers.
   *
   * @default DrsDataPlaneRouting.PRIVATE_IP
   */
  readonly dataPlaneRouting?: DrsDataPlaneRouting;

  /**
   * Whether replication servers get a public IP address (needed by `PUBLIC_IP` routing).
   *
   * @default false
   */
  readonly createPublicIp?: boolean;

  /**
   * How long DRS keeps the daily point-in-time snapshots, whole days, 1 to 365. The 10-minute
   * (kept 1 hour) and hourly (kept 24 hours) snapshots are fixed by DRS.
   *
   * @default Duration.days(7)
   */
  readonly pointInTimeRetention?: Duration;

  /**
   * Tags on everything DRS creates in the staging area: replication servers, EBS volumes,
   * snapshots.
   *
   * @default - `cdk-failover:drs` with this construct's path
   */
  readonly stagingAreaTags?: { [key: string]: string };

  /**
   * Whether disks added to a source server later replicate by themselves.
   *
   * @default true
   */
  readonly autoReplicateNewDisks?: boolean;

  /**
   * Whether recovery instances start once launched.
   *
   * @default DrsLaunchDisposition.STARTED
   */
  readonly launchDisposition?: DrsLaunchDisposition;

  /**
   * How DRS picks the recovery instances' type.
   *
   * @default DrsRightSizing.BASIC
   */
  readonly rightSizing?: DrsRightSizing;

  /**
   * The operating system licence of recovery instances.
   *
   * @default DrsOsLicensing.LICENSE_INCLUDED
   */
  readonly osLicensing?: DrsOsLicensing;

  /**
   * Whether recovery instances take the source server's private IP address. Drills in the same
   * subnet as a recovery would then clash.
   *
   * @default false
   */
  readonly copyPrivateIp?: boolean;

  /**
   * Whether recovery instances take the source server's tags.
   *
   * @default true
   */
  readonly copyTags?: boolean;

  /**
   * The price of a source server-hour in USD, for the cost estimate.
   *
   * @default 0.028 (about, us-east-1; a secondary source)
   */
  readonly serverHourPriceUsd?: number;

  /**
   * Values that replace the defaults of the model's named assumptions, by id:
   * `drsReplicationLag`, `operatorResponse` (deciding to recover), `drsRecoveryLaunch` and
   * `drsInstanceBoot`.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DatabaseTopology } from './database-topology';

/**
 * Thresholds of the CloudWatch alarms of a `MultiAzDatabase`. Every alarm notifies the alarm
 * topic when it fires and when it clears.
 */
export interface DatabaseAlarmThresholds {
  /**
   * CPU utilization, in percent (1 to 100), that fires the CPU alarm when the average stays
   * above it for 5 minutes.
   *
   * @default 80
   */
  readonly cpuUtilizationPercent?: number;

  /**
   * Free storage below which the storage alarm fires. Not for Aurora, whose storage grows by
   * itself; must be below the allocated storage.
   *
   * @default - Size.gibibytes(10) for the Multi-AZ DB instance and cluster; no alarm for Aurora
   */
  readonly freeStorageSpace?: Size;

  /**
   * Database connections above which the connections alarm fires (3 minutes in a row). The
   * right figure depends on the instance class (`max_connections`), so there is no default.
   *
   * @default - no connections alarm
   */
  readonly maxConnections?: number;

  /**
   * Replication lag of the readers above which the lag alarm fires (3 minutes in a row):
   * `AuroraReplicaLag` for Aurora, `ReplicaLag` for a Multi-AZ DB cluster. A Multi-AZ DB
   * instance has no lag metric (its standby is not readable) and rejects this threshold, as
   * does Aurora without readers.
   *
   * @default - Duration.seconds(30) for a Multi-AZ DB cluster and Aurora with readers
   */
  readonly replicaLag?: Duration;
}

/**
 * Properties of `MultiAzDatabase`.
 */
export interface MultiAzDatabaseProps {
  /** The VPC of the database. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the database (and of the proxy). They must span at least two Availability
   * Zones, three for a Multi-AZ DB cluster.
   *
   * @default - the VPC's isolated subnets if it has any, else its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * How the database survives the loss of an Availability Zone:
   * `DatabaseTopology.multiAzInstance()`, `multiAzCluster()` or `aurora()`.
   */
  readonly topology: DatabaseTopology;

  /**
   * Whether clients connect through RDS Proxy. The proxy endpoint does not change on failover
   * and the proxy keeps idle client connections, so clients see no DNS change. The proxy
   * requires TLS and IAM authentication from clients (see `grantConnect()`), and logs in to
   * the database as the master user with the RDS-managed secret. Not available for Oracle and
   * Db2.
   *
   * @default false
   */
  readonly proxy?: boolean;

  /**
   * The name of a database to create. Not supported by SQL Server; at most 8 characters for
   * Oracle.
   *
   * @default - no database is created
   */
  readonly databaseName?: string;

  /**
   * The port of the database, 1150 to 65535. A Multi-AZ DB cluster cannot change its port
   * later. RDS Proxy listens on its engine's default port whatever this is.
   *
   * @default - the engine's default port (3306 MySQL, 5432 PostgreSQL, 1521 Oracle, 1433 SQL Server)
   */
  readonly port?: number;

  /**
   * How long automated backups are kept, in whole days from 1 to 35.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * Whether the database is deletion-protected.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the database when it leaves the stack. `DESTROY` requires
   * `deletionProtection: false`: CloudFormation cannot delete a protected database.
   *
   * @default RemovalPolicy.SNAPSHOT - a final snapshot, then the database is deleted
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The topic told about failovers (an RDS event subscription) and about the alarms. Its
   * resource policy gets statements allowing RDS events from this database and CloudWatch
   * alarms from this construct to publish. An encrypted topic's KMS key must allow
   * `events.rds.amazonaws.com` and `cloudwatch.amazonaws.com` to use it.
   *
   * @default - a new topic encrypted with a new KMS key (rotation on), TLS required
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Alarm thresholds.
   *
   * @default - the default of each threshold
   */
  readonly alarms?: DatabaseAlarmThresholds;

  /**
   * Values that replace the defaults of the model's named assumptions for this database, by
   * id: `endpointDnsTtl` (the TTL of the RDS endpoint that failover repoints) and
   * `clientDnsCache`. Neither is used with `proxy`, whose endpoint does not change.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

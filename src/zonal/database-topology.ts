import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraTopology } from './topology-aurora';
import { AuroraGlobalPrimaryTopology, AuroraGlobalSecondaryTopology } from './topology-aurora-global';
import { AuroraFromSnapshotTopology } from './topology-aurora-snapshot';
import { MultiAzClusterTopology } from './topology-multi-az-cluster';
import { MultiAzInstanceTopology } from './topology-multi-az-instance';
import { BoundDatabase, DatabaseBindContext, TopologySpec, TopologyStrategy } from './topology-strategy';
import { AuroraGlobalPrimaryOptions, AuroraGlobalSecondaryOptions } from '../replication/aurora-global';

/**
 * Options of `DatabaseTopology.multiAzInstance()`.
 */
export interface MultiAzInstanceOptions {
  /** The database engine, e.g. `rds.DatabaseInstanceEngine.postgres({ version })`. */
  readonly engine: rds.IInstanceEngine;

  /**
   * The instance class of the writer (the standby gets the same).
   *
   * @default - db.m6i.large, which every RDS engine offers
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Storage of the writer (and of the standby), in GiB: 20 to 65,536.
   *
   * @default 100
   */
  readonly allocatedStorage?: number;

  /**
   * The storage type.
   *
   * @default rds.StorageType.GP3
   */
  readonly storageType?: rds.StorageType;
}

/**
 * Options of `DatabaseTopology.multiAzCluster()`.
 */
export interface MultiAzClusterOptions {
  /**
   * The database engine: RDS for MySQL (8.0.28 or later, 8.4) or RDS for PostgreSQL (13.4,
   * 13.7 or later, 14.5 or later, 15 and later), the only engines that offer Multi-AZ DB
   * clusters.
   */
  readonly engine: rds.IInstanceEngine;

  /**
   * The instance class of the writer and both readers.
   *
   * @default - db.m6gd.large (local NVMe storage for the commit path)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Storage of each of the three instances, in GiB: 20 to 65,536 (100 or more for io1 and io2).
   *
   * @default 100
   */
  readonly allocatedStorage?: number;

  /**
   * The storage type: `IO1`, `IO2` or `GP3`, the types Multi-AZ DB clusters accept.
   *
   * @default rds.StorageType.IO1 - the RDS default for Multi-AZ DB clusters
   */
  readonly storageType?: rds.StorageType;

  /**
   * Provisioned IOPS of each instance: at least 1,000, and 0.5 to 50 times `allocatedStorage`.
   *
   * @default - 1000 for io1 and io2; none for gp3 (its baseline applies)
   */
  readonly iops?: number;
}

/**
 * Options of `DatabaseTopology.aurora()`.
 */
export interface AuroraOptions {
  /**
   * The Aurora engine: `rds.DatabaseClusterEngine.auroraMysql(...)` or
   * `rds.DatabaseClusterEngine.auroraPostgres(...)`.
   */
  readonly engine: rds.IClusterEngine;

  /**
   * The instance class of the writer and the readers.
   *
   * @default - db.r6g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Aurora replicas besides the writer: 0 to 15. Each is a failover target (promotion tier 1)
   * placed in another Availability Zone than the writer when the subnets allow. With 0, a
   * failure of the writer's zone makes Aurora create a new writer: up to 10 minutes.
   *
   * @default 1
   */
  readonly readers?: number;
}

/**
 * Options of `DatabaseTopology.auroraFromSnapshot()`.
 */
export interface AuroraFromSnapshotOptions extends AuroraOptions {
  /**
   * The cluster snapshot to restore: its ARN (a recovery point that AWS Backup copied to this
   * Region) or its identifier. Usually a `CfnParameter` given when the stack is deployed to
   * recover.
   */
  readonly snapshotIdentifier: string;
}

/**
 * How a `MultiAzDatabase` survives the loss of an Availability Zone.
 *
 * - `multiAzInstance()`: one writer and a synchronous standby that serves no reads; any engine.
 *   Failover typically 60-120 s.
 * - `multiAzCluster()`: one writer and two readable standbys in three AZs, semi-synchronous;
 *   MySQL and PostgreSQL. Failover typically under 35 s.
 * - `aurora()`: Aurora storage in three AZs and replicas as failover targets. Failover under
 *   60 s (often under 30 s) with a replica; up to 10 minutes without one.
 * - `auroraGlobalPrimary()` and `auroraGlobalSecondary()`: the same Aurora cluster, in each
 *   region of an Aurora global database, joined by the global cluster identifier.
 */
export class DatabaseTopology {
  /**
   * An RDS Multi-AZ DB instance: a writer and a synchronous standby in another Availability
   * Zone. The standby serves no reads; failover typically takes 60-120 s.
   */
  public static multiAzInstance(options: MultiAzInstanceOptions): DatabaseTopology {
    return new DatabaseTopology(new MultiAzInstanceTopology(options));
  }

  /**
   * An RDS Multi-AZ DB cluster: a writer and two readable standbys, each in its own
   * Availability Zone (the subnets must span at least three). A commit waits for one standby;
   * failover typically takes under 35 s.
   */
  public static multiAzCluster(options: MultiAzClusterOptions): DatabaseTopology {
    return new DatabaseTopology(new MultiAzClusterTopology(options));
  }

  /**
   * An Aurora cluster: storage replicated six ways over three Availability Zones, a writer and
   * `readers` replicas as failover targets. Failover to a replica takes under 60 s, often
   * under 30 s.
   */
  public static aurora(options: AuroraOptions): DatabaseTopology {
    return new DatabaseTopology(new AuroraTopology(options));
  }

  /**
   * The primary cluster of an Aurora global database: the `aurora()` topology in this region,
   * plus the global database (`AWS::RDS::GlobalCluster`) created from it under the name
   * `globalClusterIdentifier`. Deploy this stack before the secondaries' stacks. The master
   * password is a generated secret named `<globalClusterIdentifier>/master` (RDS cannot manage
   * it for a global database); `managedRpo` (Aurora PostgreSQL) bounds the data loss of a
   * failover by blocking commits, see `ManagedRpo`.
   */
  public static auroraGlobalPrimary(options: AuroraGlobalPrimaryOptions): DatabaseTopology {
    return new DatabaseTopology(new AuroraGlobalPrimaryTopology(options));
  }

  /**
   * A secondary cluster of an Aurora global database, in another region's stack: it joins the
   * global database by `globalClusterIdentifier` (no reference to the primary's stack), has no
   * master credentials of its own and serves reads. The `MultiAzDatabase` keeps its in-region
   * checks, alarms and path, and adds the cross-region paths to this region: a planned
   * switchover (RPO 0) and a failover with data loss (RPO = the lag), and an alarm on the lag.
   */
  public static auroraGlobalSecondary(options: AuroraGlobalSecondaryOptions): DatabaseTopology {
    return new DatabaseTopology(new AuroraGlobalSecondaryTopology(options));
  }

  /**
   * An Aurora cluster restored from a cluster snapshot, then the `aurora()` topology: the
   * database of a Region that recovers from backups. The snapshot brings the data, the master
   * user and the encryption; RDS then manages the master password. Restoring takes time that
   * grows with the data (the backup-and-restore path models it).
   */
  public static auroraFromSnapshot(options: AuroraFromSnapshotOptions): DatabaseTopology {
    return new DatabaseTopology(new AuroraFromSnapshotTopology(options));
  }

  private constructor(private readonly strategy: TopologyStrategy) {}

  /** @internal What the database needs before it creates anything: engine, zones, replicas, alarms that apply, the checks. */
  public get _spec(): TopologySpec {
    return this.strategy;
  }

  /** @internal Creates the database in `scope`. */
  public _bind(scope: Construct, context: DatabaseBindContext): BoundDatabase {
    return this.strategy.bind(scope, context);
  }
}

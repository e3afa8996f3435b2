import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';

/**
 * The managed RPO of an Aurora PostgreSQL global database: the parameter `rds.global_db_rpo`
 * in the primary cluster's parameter group (docs/aws-facts.md#rds-and-aurora).
 *
 * While no secondary cluster trails the primary by less than the managed RPO, **the primary
 * blocks commits**: writes wait (and may time out) until a secondary catches up. That is how
 * the RPO is kept, and it trades availability of writes for a bounded data loss: a network
 * problem between the regions, or a secondary that cannot keep up, stops writes in the primary
 * region. Aurora accepts 20 to 2,147,483,647 seconds; Aurora MySQL has no managed RPO. To turn it
 * off, remove `managedRpo` (the parameter is reset); reset it before a major version upgrade.
 *
 * An Aurora global database is a `MultiAzDatabase` in each region: the primary with
 * `DatabaseTopology.auroraGlobalPrimary()`, each secondary with `auroraGlobalSecondary()` in
 * another region's stack, joined by the global cluster identifier (no export, no cross-region
 * reference). Deploy the primary's stack first; when both are in one app, the secondary's stack
 * depends on the primary's.
 *
 * @exampleMetadata fixture=aurora-global
 * @example
 * const app = new App();
 * new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(20), rpo: Duration.minutes(1) });
 * const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
 *
 * const east = new Stack(app, 'East', { env: { region: 'us-east-1' } });
 * new MultiAzDatabase(east, 'Orders', {
 *   vpc: eastVpc,
 *   topology: DatabaseTopology.auroraGlobalPrimary({
 *     engine,
 *     globalClusterIdentifier: 'orders-global',
 *     managedRpo: ManagedRpo.fromObjectives(),
 *     secretReplicaRegions: ['us-west-2'],
 *   }),
 * });
 *
 * const west = new Stack(app, 'West', { env: { region: 'us-west-2' } });
 * new MultiAzDatabase(west, 'Orders', {
 *   vpc: westVpc,
 *   topology: DatabaseTopology.auroraGlobalSecondary({ engine, globalClusterIdentifier: 'orders-global', primaryRegion: 'us-east-1' }),
 * });
 */
export class ManagedRpo {
  /**
   * A managed RPO of `rpo`: whole seconds from 20 to 2,147,483,647.
   */
  public static of(rpo: Duration): ManagedRpo {
    return new ManagedRpo(rpo);
  }

  /**
   * The RPO objective of the nearest `RecoveryObjectives` above the database, rounded down to
   * whole seconds. The objectives must be declared before the database, with an `rpo` of at
   * least 20 seconds.
   */
  public static fromObjectives(): ManagedRpo {
    return new ManagedRpo(undefined);
  }

  private constructor(
    /** @internal undefined: from the objectives. */
    public readonly _rpo: Duration | undefined) {}
}

/**
 * Options of `DatabaseTopology.auroraGlobalPrimary()`.
 */
export interface AuroraGlobalPrimaryOptions {
  /**
   * The Aurora engine, with a version that supports global databases:
   * `rds.DatabaseClusterEngine.auroraPostgres(...)` or `auroraMysql(...)`. The secondaries
   * must give the same engine and version.
   */
  readonly engine: rds.IClusterEngine;

  /**
   * The name of the global database (`AWS::RDS::GlobalCluster`): 1 to 63 letters, digits or
   * hyphens, starting with a letter, no two hyphens in a row and no hyphen at the end. It is how
   * the secondaries in other regions' stacks join, so it must be a literal, the same in every
   * stack.
   */
  readonly globalClusterIdentifier: string;

  /**
   * The instance class of the writer and the readers.
   *
   * @default - db.r6g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Aurora replicas besides the writer, in other Availability Zones of the primary region: 0 to
   * 15.
   *
   * @default 1
   */
  readonly readers?: number;

  /**
   * The managed RPO (Aurora PostgreSQL only): the primary blocks commits while no secondary is
   * within it. See `ManagedRpo` for the write blocking this causes.
   *
   * @default - no managed RPO: the lag is unbounded (typically under a second)
   */
  readonly managedRpo?: ManagedRpo;

  /**
   * The KMS key that encrypts the primary cluster's storage, in the primary's region. Each
   * secondary encrypts with a key of its own region.
   *
   * @default - a new key with rotation on, retained when the stack is deleted
   */
  readonly storageEncryptionKey?: kms.IKey;

  /**
   * Regions to replicate the master user secret to, so that it is there after a failover. RDS
   * cannot manage the master password of a global database cluster, so the primary has a
   * generated secret named `<globalClusterIdentifier>/master`; the secondaries import it by that
   * name in their region.
   *
   * @default - the secret stays in the primary region
   */
  readonly secretReplicaRegions?: string[];
}

/**
 * Options of `DatabaseTopology.auroraGlobalSecondary()`.
 */
export interface AuroraGlobalSecondaryOptions {
  /** The engine of the primary, with the same version. */
  readonly engine: rds.IClusterEngine;

  /**
   * The name of the global database to join, as the primary declares it
   * (`AuroraGlobalPrimaryOptions.globalClusterIdentifier`). The stack of the primary must be
   * deployed first.
   */
  readonly globalClusterIdentifier: string;

  /** The region of the primary cluster, e.g. `us-east-1`; not this stack's region. */
  readonly primaryRegion: string;

  /**
   * The instance class of the secondary's instances.
   *
   * @default - db.r6g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Instances besides the first, in other Availability Zones: 0 to 15. Each serves reads now and
   * is a failover target inside the region once the secondary is promoted.
   *
   * @default 1 - none with `headless`
   */
  readonly readers?: number;

  /**
   * A headless secondary: the cluster (storage, replicated from the primary) with no DB instance.
   * It costs no instance hours and serves no reads; before a switchover or a failover an
   * instance must be added to it, which the recovery paths count (up to 10 minutes, assumed).
   * Not with `readers`. Its `cluster` has no instances: do not use `instanceIdentifiers` or
   * `instanceEndpoints`.
   *
   * @default false
   */
  readonly headless?: boolean;

  /**
   * The KMS key that encrypts the secondary's storage, in this region.
   *
   * @default - a new key with rotation on, retained when the stack is deleted
   */
  readonly storageEncryptionKey?: kms.IKey;

  /**
   * The managed RPO (`rds.global_db_rpo`) in this secondary's cluster parameter group. Aurora
   * applies it on the cluster that is primary: a secondary carries it so that after a
   * switchover or failover the new primary keeps bounding the RPO. Aurora PostgreSQL only.
   *
   * @default - the primary's managed RPO when the primary is declared in the same stage, else none
   */
  readonly managedRpo?: ManagedRpo;

  /**
   * How far the secondary may trail the primary before the `AuroraGlobalDBRPOLag` alarm fires
   * (3 minutes in a row).
   *
   * @default - the RPO of the nearest `RecoveryObjectives`, else the modeled lag bound
   */
  readonly rpoLagAlarmThreshold?: Duration;
}

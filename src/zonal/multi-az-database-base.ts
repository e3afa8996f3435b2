import { IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Whether a database is an RDS DB instance or a DB cluster, in RDS's words (the source types
 * of RDS events). It decides how a runbook fails it over (`RebootDBInstance` with
 * `ForceFailover` or `FailoverDBCluster`) and the dimension of its metrics.
 */
export enum DatabaseResourceType {
  /** A DB instance: the Multi-AZ DB instance topology. */
  DB_INSTANCE = 'db-instance',
  /** A DB cluster: a Multi-AZ DB cluster or an Aurora cluster. */
  DB_CLUSTER = 'db-cluster',
}

/**
 * A database that survives the loss of an Availability Zone: a `MultiAzDatabase`, or one
 * imported with `MultiAzDatabase.fromMultiAzDatabaseAttributes()` (e.g. by a runbook or a drill
 * in another region). Its region and account are those of its ARN.
 */
export interface IMultiAzDatabase extends IResource, ec2.IConnectable {
  /**
   * The DB instance identifier or the DB cluster identifier.
   *
   * @attribute
   */
  readonly databaseIdentifier: string;

  /**
   * The ARN of the DB instance (`arn:aws:rds:<region>:<account>:db:<id>`) or of the DB cluster
   * (`...:cluster:<id>`).
   *
   * @attribute
   */
  readonly databaseArn: string;

  /** Whether it is a DB instance or a DB cluster. */
  readonly resourceType: DatabaseResourceType;

  /**
   * The hostname clients connect to: the RDS Proxy endpoint when there is one, else the
   * writer endpoint.
   *
   * @attribute
   */
  readonly endpoint: string;

  /** The port clients connect to. */
  readonly port: number;

  /**
   * A metric of the database in the `AWS/RDS` namespace, by its instance or cluster
   * identifier.
   *
   * @param metricName e.g. `CPUUtilization`, `DatabaseConnections`, `ReplicaLag`, `AuroraReplicaLag`
   * @param props change the default average over 5 minutes
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * What a runbook or a drill needs to address an existing multi-AZ database, in its region or
 * from another one.
 */
export interface MultiAzDatabaseAttributes {
  /** The ARN of the DB instance or DB cluster; the database's region and account are its. */
  readonly databaseArn: string;

  /** The DB instance identifier or DB cluster identifier. */
  readonly databaseIdentifier: string;

  /** Whether it is a DB instance or a DB cluster. */
  readonly resourceType: DatabaseResourceType;

  /** The hostname clients connect to (the RDS Proxy endpoint if clients use one). */
  readonly endpoint: string;

  /** The port clients connect to. */
  readonly port: number;

  /**
   * The security groups clients must be allowed into (the proxy's if clients use one).
   *
   * @default - none: `connections` allows nothing
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/** What a created and an imported `MultiAzDatabase` share: its metrics. */
export abstract class MultiAzDatabaseBase extends Resource implements IMultiAzDatabase {
  /** The DB instance or DB cluster identifier. */
  public abstract readonly databaseIdentifier: string;
  /** The ARN of the DB instance or DB cluster. */
  public abstract readonly databaseArn: string;
  /** Whether it is a DB instance or a DB cluster. */
  public abstract readonly resourceType: DatabaseResourceType;
  /** The hostname clients connect to. */
  public abstract readonly endpoint: string;
  /** The port clients connect to. */
  public abstract readonly port: number;
  /** Where clients connect. */
  public abstract readonly connections: ec2.Connections;

  /** A metric of the database in `AWS/RDS`: average over 5 minutes unless `props` say otherwise. */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    const dimension = this.resourceType === DatabaseResourceType.DB_INSTANCE ? 'DBInstanceIdentifier' : 'DBClusterIdentifier';
    return new cloudwatch.Metric({
      ...props,
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { [dimension]: this.databaseIdentifier },
    });
  }
}

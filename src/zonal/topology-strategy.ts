import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DatabaseResourceType } from './multi-az-database-base';
import type { RecoveryAssumption } from '../objectives/assumptions';
import { DatabaseModeName } from '../objectives/model/rds';
import type { RecoveryPath } from '../objectives/path';
import type { AlarmFactory } from '../private/alarm-factory';
import type { AssumptionValues } from '../private/assumptions';
import { Problems } from '../private/errors';

/** Storage of each instance when the topology does not say. */
export const DEFAULT_STORAGE = 100;

/** A replication-lag metric of RDS and its unit. */
export interface LagMetric {
  readonly metricName: string;
  /** `AuroraReplicaLag` is in milliseconds, the `ReplicaLag` of a Multi-AZ DB cluster in seconds. */
  readonly unit: 'ms' | 's';
}

/** What a `MultiAzDatabase` knows of its topology before it creates anything. */
export interface TopologySpec {
  /** The family of the recovery model. */
  readonly mode: DatabaseModeName;
  /** For the report: `Multi-AZ DB instance`, `Multi-AZ DB cluster`, `Aurora`. */
  readonly description: string;
  /** The report's name of what failover promotes. */
  readonly failoverTarget: string;
  /** Failover targets: the standby, the two readable standbys, or the Aurora readers. */
  readonly replicas: number;
  readonly engineType: string;
  /** RDS Proxy's engine family (`MYSQL`, `POSTGRESQL`, `SQLSERVER`); undefined where RDS Proxy is not available. */
  readonly engineFamily?: string;
  readonly defaultUsername?: string;
  readonly resourceType: DatabaseResourceType;
  /** Zones the subnets must span, and why (the end of a sentence for the error). */
  readonly minZones: number;
  readonly zoneRequirement: string;
  /** GiB allocated to each instance; or, where storage grows by itself, the problem a free-storage threshold is. */
  readonly storage: { readonly allocatedGib: number } | { readonly problem: string };
  /** The lag metric of the readers; or, where there is none to watch, the problem a lag threshold is. */
  readonly replicaLag: LagMetric | { readonly problem: string };
  /** Named assumptions the topology's own paths use, besides the in-region failover's. */
  readonly assumptions?: RecoveryAssumption[];
  /** Adds the problems of the topology's options (props prefixed `topology.`); `scope` is the database. */
  validate(problems: Problems, scope: Construct): void;
}

/** What the topology needs from the construct to create the database. */
export interface DatabaseBindContext {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** Distinct zones of the subnets, empty when unknown. */
  readonly availabilityZones: string[];
  readonly backupRetention: Duration;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** The port as given, for the L2s, which then default to the engine's. */
  readonly port?: number;
  /** The port the database listens on. */
  readonly dbPort: number;
  readonly databaseName?: string;
  readonly masterUsername: string;
  readonly iamAuthentication: boolean;
}

/** The created database, as the construct uses it. */
export interface BoundDatabase {
  readonly identifier: string;
  readonly arn: string;
  readonly endpoint: string;
  readonly connections: ec2.Connections;
  /** The master user secret that RDS manages. */
  readonly secretArn: string;
  readonly instance?: rds.DatabaseInstance;
  readonly cluster?: rds.DatabaseCluster;
  readonly cfnCluster?: rds.CfnDBCluster;
  /** The master user secret when it is not the one RDS manages (a global database cluster). */
  readonly secret?: secretsmanager.ISecret;
  /** The global database that the topology created (an Aurora global primary). */
  readonly globalCluster?: rds.CfnGlobalCluster;
  /** Alarms of the topology besides the database's own, created with the database's factory. */
  addAlarms?(factory: AlarmFactory, owner: Construct): void;
  /** Recovery paths of the topology besides the in-region failover (cross-region paths). */
  recoveryPaths?(owner: Construct, assumptions: AssumptionValues): RecoveryPath[];
  /** What RDS Proxy targets; called only with `proxy`. */
  proxyTarget(): rds.ProxyTarget;
  /** `rds-db:connect` on the database with IAM database authentication. */
  grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant;
}

/** One topology: adding a topology adds a class, never a branch in the construct. */
export interface TopologyStrategy extends TopologySpec {
  bind(scope: Construct, context: DatabaseBindContext): BoundDatabase;
}

/** The error log of the MySQL and PostgreSQL families, for diagnosing a failover. */
export function logExports(engineType: string): string[] | undefined {
  if (engineType.includes('postgres')) {
    return ['postgresql'];
  }
  if (engineType === 'mysql' || engineType === 'mariadb' || engineType === 'aurora-mysql') {
    return ['error', 'slowquery'];
  }
  return undefined;
}

/**
 * The L2s take a password or generate a secret of their own, which would need a rotation
 * Lambda (cdk-nag SMG4). Instead RDS manages the master password in Secrets Manager and
 * rotates it itself: the L2 gets a placeholder that is removed from the L1 below.
 */
export function placeholderCredentials(username: string): rds.Credentials {
  return rds.Credentials.fromPassword(username, SecretValue.unsafePlainText('replaced-by-manage-master-user-password'));
}

export function useManagedPassword(cfn: rds.CfnDBInstance | rds.CfnDBCluster): void {
  cfn.masterUserPassword = undefined;
  cfn.manageMasterUserPassword = true;
}

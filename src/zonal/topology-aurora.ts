import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { AuroraOptions } from './database-topology';
import { DatabaseResourceType } from './multi-az-database-base';
import { BoundDatabase, DatabaseBindContext, LagMetric, logExports, placeholderCredentials, TopologyStrategy, useManagedPassword } from './topology-strategy';
import { Problems } from '../private/errors';
import { checkInteger, unresolved } from '../private/validate';

const DEFAULT_READERS = 1;

/** An Aurora cluster: storage in three zones, a writer and replicas as failover targets. */
export class AuroraTopology implements TopologyStrategy {
  public readonly mode = 'aurora';
  public readonly description: string = 'Aurora';
  public readonly resourceType = DatabaseResourceType.DB_CLUSTER;
  public readonly minZones = 2;
  public readonly zoneRequirement = 'Aurora needs a DB subnet group in at least 2 Availability Zones to place replicas apart';
  public readonly storage = { problem: '`alarms.freeStorageSpace` does not apply to Aurora, whose storage grows by itself. Remove it.' };
  public readonly replicas: number;
  public readonly failoverTarget: string;
  public readonly replicaLag: LagMetric | { readonly problem: string };
  public readonly engineType: string;
  public readonly engineFamily?: string;
  public readonly defaultUsername?: string;

  constructor(private readonly options: AuroraOptions) {
    this.engineType = options.engine.engineType;
    this.engineFamily = options.engine.engineFamily;
    this.defaultUsername = options.engine.defaultUsername;
    this.replicas = options.readers ?? DEFAULT_READERS;
    this.failoverTarget = this.replicas === 0
      ? 'a new writer that Aurora creates (no replica)'
      : `one of ${this.replicas} Aurora replica(s), promotion tier 1`;
    this.replicaLag = this.replicas === 0
      ? { problem: '`alarms.replicaLag` needs at least one Aurora reader to measure: set `readers`, or remove the threshold.' }
      : { metricName: 'AuroraReplicaLag', unit: 'ms' };
  }

  public validate(problems: Problems): void {
    const type = this.engineType;
    if (type !== 'aurora-mysql' && type !== 'aurora-postgresql') {
      problems.add(`\`topology.engine\` must be Aurora MySQL (version 2 or later) or Aurora PostgreSQL, got: ${type}. `
        + 'Use rds.DatabaseClusterEngine.auroraMysql() or auroraPostgres().');
    }
    checkInteger(problems, 'topology.readers', this.options.readers, 0, 15, 'An Aurora cluster has one writer and up to 15 replicas.');
    if (unresolved(this.options.readers)) {
      problems.add('`topology.readers` must be known at synth, got a deploy-time value: it decides how many instances the template holds. Give a number.');
    }
  }

  public bind(scope: Construct, c: DatabaseBindContext): BoundDatabase {
    const cluster = createAuroraCluster(scope, c, {
      engine: this.options.engine,
      instanceType: this.options.instanceType,
      instances: 1 + this.replicas,
      credentials: placeholderCredentials(c.masterUsername),
    });
    const cfn = cluster.node.defaultChild as rds.CfnDBCluster;
    useManagedPassword(cfn);
    return boundCluster(cluster, cfn.attrMasterUserSecretSecretArn);
  }
}

/** What an Aurora cluster of a topology is made of, beyond the database's own props. */
export interface AuroraClusterOptions {
  readonly engine: rds.IClusterEngine;
  readonly instanceType?: ec2.InstanceType;
  /** Instances: the first is the writer (promotion tier 0), the others failover targets (tier 1); 0 for none. */
  readonly instances: number;
  readonly credentials: rds.Credentials;
  readonly storageEncryptionKey?: kms.IKey;
  readonly parameters?: { [name: string]: string };
  /** False for a cluster that takes its databases from elsewhere (a global secondary). */
  readonly defaultDatabaseName?: boolean;
}

/** An Aurora cluster under `Cluster`, safe by default, its instances spread over the zones. */
export function createAuroraCluster(scope: Construct, c: DatabaseBindContext, o: AuroraClusterOptions): rds.DatabaseCluster {
  const instanceType = o.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
  // Aurora places instances anywhere in the subnet group's zones; pinning them (when the
  // zones are known) puts the writer and each reader in different zones, so one zone's loss
  // always leaves a failover target. The pin only decides where an instance is created.
  const zones = c.availabilityZones;
  const zone = (i: number) => zones.length > 1 ? zones[i % zones.length] : undefined;
  const cluster = new rds.DatabaseCluster(scope, 'Cluster', {
    engine: o.engine,
    vpc: c.vpc,
    vpcSubnets: c.subnets,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType, publiclyAccessible: false, promotionTier: 0, availabilityZone: zone(0) }),
    readers: Array.from({ length: Math.max(0, o.instances - 1) }, (_, i) => rds.ClusterInstance.provisioned(`Reader${i + 1}`, {
      instanceType,
      publiclyAccessible: false,
      promotionTier: 1,
      availabilityZone: zone(i + 1),
    })),
    credentials: o.credentials,
    defaultDatabaseName: o.defaultDatabaseName === false ? undefined : c.databaseName,
    port: c.port,
    storageEncrypted: true,
    storageEncryptionKey: o.storageEncryptionKey,
    parameters: o.parameters,
    deletionProtection: c.deletionProtection,
    removalPolicy: c.removalPolicy,
    backup: { retention: c.backupRetention },
    copyTagsToSnapshot: true,
    iamAuthentication: true,
    cloudwatchLogsExports: logExports(o.engine.engineType),
  });
  if (o.instances === 0) {
    // The L2 always creates a writer; a cluster without instances (a headless global
    // secondary) drops it before synthesis.
    cluster.node.tryRemoveChild('Writer');
  }
  return cluster;
}

/** The bound database of an Aurora cluster. */
export function boundCluster(cluster: rds.DatabaseCluster, secretArn: string): BoundDatabase {
  return {
    cluster,
    connections: cluster.connections,
    endpoint: cluster.clusterEndpoint.hostname,
    identifier: cluster.clusterIdentifier,
    arn: cluster.clusterArn,
    secretArn,
    proxyTarget: () => rds.ProxyTarget.fromCluster(cluster),
    grantConnect: (grantee: iam.IGrantable, dbUser: string) => cluster.grantConnect(grantee, dbUser),
  };
}

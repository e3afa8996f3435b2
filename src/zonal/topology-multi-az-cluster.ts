import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { MultiAzClusterOptions } from './database-topology';
import { DatabaseResourceType } from './multi-az-database-base';
import { BoundDatabase, DatabaseBindContext, DEFAULT_STORAGE, logExports, TopologyStrategy } from './topology-strategy';
import { Problems } from '../private/errors';
import { checkInteger, show, unresolved } from '../private/validate';

const DEFAULT_CLUSTER_IOPS = 1000;

/** An RDS Multi-AZ DB cluster: a writer and two readable standbys in three zones. aws-cdk-lib has no L2 for it. */
export class MultiAzClusterTopology implements TopologyStrategy {
  public readonly mode = 'cluster';
  public readonly description = 'Multi-AZ DB cluster';
  public readonly failoverTarget = 'one of 2 readable standbys in other Availability Zones';
  public readonly replicas = 2;
  public readonly resourceType = DatabaseResourceType.DB_CLUSTER;
  public readonly minZones = 3;
  public readonly zoneRequirement = 'a Multi-AZ DB cluster puts its writer and two readers in 3 different Availability Zones';
  public readonly replicaLag = { metricName: 'ReplicaLag', unit: 's' } as const;
  public readonly engineType: string;
  public readonly engineFamily?: string;
  public readonly defaultUsername?: string;
  public readonly storage: { readonly allocatedGib: number };
  private readonly storageType: rds.StorageType;

  constructor(private readonly options: MultiAzClusterOptions) {
    this.engineType = options.engine.engineType;
    this.engineFamily = options.engine.engineFamily;
    this.defaultUsername = options.engine.defaultUsername;
    this.storage = { allocatedGib: options.allocatedStorage ?? DEFAULT_STORAGE };
    this.storageType = options.storageType ?? rds.StorageType.IO1;
  }

  public validate(problems: Problems): void {
    const o = this.options;
    const type = this.engineType;
    if (type !== 'mysql' && type !== 'postgres') {
      problems.add(`\`topology.engine\` must be RDS for MySQL or RDS for PostgreSQL for a Multi-AZ DB cluster, got: ${type}. `
        + 'MariaDB, Oracle, SQL Server and Db2 have no Multi-AZ DB clusters: use DatabaseTopology.multiAzInstance() for them.');
    } else {
      checkClusterVersion(problems, type, o.engine.engineVersion?.fullVersion);
    }
    const storageType = this.storageType;
    const provisioned = storageType === rds.StorageType.IO1 || storageType === rds.StorageType.IO2;
    if (!provisioned && storageType !== rds.StorageType.GP3) {
      problems.add(`\`topology.storageType\` must be IO1, IO2 or GP3 for a Multi-AZ DB cluster, got: ${storageType}.`);
    }
    checkInteger(problems, 'topology.allocatedStorage', o.allocatedStorage, provisioned ? 100 : 20, 65536,
      provisioned ? 'io1 and io2 storage starts at 100 GiB.' : 'Give the storage in GiB.');
    const storage = this.storage.allocatedGib;
    const iops = o.iops ?? (provisioned ? DEFAULT_CLUSTER_IOPS : undefined);
    if (iops !== undefined && !unresolved(iops) && !unresolved(storage)) {
      if (!Number.isInteger(iops) || (provisioned && iops < 1000) || iops < storage / 2 || iops > storage * 50) {
        problems.add(`\`topology.iops\` must be a whole number from ${Math.max(provisioned ? 1000 : 0, Math.ceil(storage / 2))} to ${storage * 50} `
          + `for ${storage} GiB (0.5 to 50 IOPS per GiB${provisioned ? ', at least 1,000' : ''}), got: ${show(iops)}. Change \`iops\` or \`allocatedStorage\`.`);
      }
    }
  }

  /** The L1 with its subnet group and security group. */
  public bind(scope: Construct, c: DatabaseBindContext): BoundDatabase {
    const o = this.options;
    const retained = c.removalPolicy === RemovalPolicy.RETAIN || c.removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    const subnetGroup = new rds.SubnetGroup(scope, 'SubnetGroup', {
      vpc: c.vpc,
      vpcSubnets: c.subnets,
      description: `Subnets of the Multi-AZ DB cluster ${scope.node.path}`,
      // A retained cluster keeps using its subnet group, which could not be deleted.
      removalPolicy: retained ? RemovalPolicy.RETAIN : undefined,
    });
    const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: c.vpc,
      description: `Multi-AZ DB cluster ${scope.node.path}`,
      allowAllOutbound: false,
    });
    const cluster = new rds.CfnDBCluster(scope, 'Cluster', {
      engine: o.engine.engineType,
      engineVersion: o.engine.engineVersion?.fullVersion,
      dbClusterInstanceClass: `db.${o.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.M6GD, ec2.InstanceSize.LARGE)}`,
      allocatedStorage: this.storage.allocatedGib,
      storageType: this.storageType,
      iops: o.iops ?? (this.storageType === rds.StorageType.GP3 ? undefined : DEFAULT_CLUSTER_IOPS),
      dbSubnetGroupName: subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      masterUsername: c.masterUsername,
      manageMasterUserPassword: true,
      storageEncrypted: true,
      deletionProtection: c.deletionProtection,
      backupRetentionPeriod: c.backupRetention.toDays(),
      publiclyAccessible: false,
      copyTagsToSnapshot: true,
      enableIamDatabaseAuthentication: true,
      enableCloudwatchLogsExports: logExports(this.engineType),
      port: c.dbPort,
      databaseName: c.databaseName,
    });
    cluster.applyRemovalPolicy(c.removalPolicy);
    const connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(c.dbPort) });
    return {
      cfnCluster: cluster,
      connections,
      endpoint: cluster.attrEndpointAddress,
      identifier: cluster.ref,
      arn: cluster.attrDbClusterArn,
      secretArn: cluster.attrMasterUserSecretSecretArn,
      // ProxyTarget reads only the engine family of the engine: an Aurora engine of the same
      // family stands in for the Multi-AZ DB cluster's MySQL or PostgreSQL engine.
      proxyTarget: () => rds.ProxyTarget.fromCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(scope, 'ProxyTarget', {
        clusterIdentifier: cluster.ref,
        engine: this.engineFamily === 'POSTGRESQL' ? rds.DatabaseClusterEngine.AURORA_POSTGRESQL : rds.DatabaseClusterEngine.AURORA_MYSQL,
        port: c.dbPort,
        securityGroups: connections.securityGroups,
      })),
      grantConnect: (grantee: iam.IGrantable, dbUser: string) => iam.Grant.addToPrincipal({
        grantee,
        actions: ['rds-db:connect'],
        resourceArns: [Stack.of(scope).formatArn({
          service: 'rds-db',
          resource: 'dbuser',
          resourceName: `${cluster.attrDbClusterResourceId}/${dbUser}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })],
      }),
    };
  }
}

/**
 * Versions that offer Multi-AZ DB clusters (RDS User Guide, "Supported Regions and DB engines
 * for Multi-AZ DB clusters"): MySQL 8.0.28 and later, 8.4; PostgreSQL 13.4, 13.7 and later,
 * 14.5 and later, 15 and later. A major version alone lets RDS pick a supported minor.
 */
function checkClusterVersion(problems: Problems, type: 'mysql' | 'postgres', version: string | undefined): void {
  if (version === undefined || unresolved(version) || !/^\d+(\.\d+)*$/.test(version)) {
    return;
  }
  const [major, minor, patch] = version.split('.').map(Number);
  let ok: boolean;
  let allowed: string;
  if (type === 'mysql') {
    allowed = 'MySQL 8.0.28 or later, or 8.4';
    ok = major > 8 || (major === 8 && (minor === undefined || minor > 0 || patch === undefined || patch >= 28));
  } else {
    allowed = 'PostgreSQL 13.4, 13.7 or later, 14.5 or later, or 15 and later';
    ok = major >= 15 || (major === 14 && (minor === undefined || minor >= 5)) || (major === 13 && (minor === undefined || minor === 4 || minor >= 7));
  }
  if (!ok) {
    problems.add(`\`topology.engine\` version ${version} of ${type} has no Multi-AZ DB clusters: they need ${allowed}, got: ${version}. Choose a later version.`);
  }
}

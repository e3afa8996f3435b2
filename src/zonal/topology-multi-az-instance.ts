import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { MultiAzInstanceOptions } from './database-topology';
import { DatabaseResourceType } from './multi-az-database-base';
import {
  BoundDatabase, DatabaseBindContext, DEFAULT_STORAGE, logExports, placeholderCredentials, TopologyStrategy, useManagedPassword,
} from './topology-strategy';
import { Problems } from '../private/errors';
import { checkInteger } from '../private/validate';

/** An RDS Multi-AZ DB instance: a writer and a synchronous standby that serves no reads. */
export class MultiAzInstanceTopology implements TopologyStrategy {
  public readonly mode = 'instance';
  public readonly description = 'Multi-AZ DB instance';
  public readonly failoverTarget = 'synchronous standby in another Availability Zone (not readable)';
  public readonly replicas = 1;
  public readonly resourceType = DatabaseResourceType.DB_INSTANCE;
  public readonly minZones = 2;
  public readonly zoneRequirement = 'a Multi-AZ DB instance keeps its standby in another Availability Zone';
  public readonly replicaLag = {
    problem: '`alarms.replicaLag` does not apply to a Multi-AZ DB instance: its standby is not readable and reports no lag. Remove it.',
  };
  public readonly engineType: string;
  public readonly engineFamily?: string;
  public readonly defaultUsername?: string;
  public readonly storage: { readonly allocatedGib: number };

  constructor(private readonly options: MultiAzInstanceOptions) {
    this.engineType = options.engine.engineType;
    this.engineFamily = options.engine.engineFamily;
    this.defaultUsername = options.engine.defaultUsername;
    this.storage = { allocatedGib: options.allocatedStorage ?? DEFAULT_STORAGE };
  }

  public validate(problems: Problems): void {
    if (this.engineType === 'sqlserver-ex') {
      problems.add('`topology.engine` is SQL Server Express Edition, which has no Multi-AZ deployment. '
        + 'Use the Web, Standard or Enterprise Edition.');
    }
    checkInteger(problems, 'topology.allocatedStorage', this.options.allocatedStorage, 20, 65536, 'Give the storage in GiB.');
  }

  public bind(scope: Construct, c: DatabaseBindContext): BoundDatabase {
    const o = this.options;
    const instance = new rds.DatabaseInstance(scope, 'Instance', {
      engine: o.engine,
      vpc: c.vpc,
      vpcSubnets: c.subnets,
      multiAz: true,
      instanceType: o.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      allocatedStorage: this.storage.allocatedGib,
      storageType: o.storageType ?? rds.StorageType.GP3,
      storageEncrypted: true,
      credentials: placeholderCredentials(c.masterUsername),
      databaseName: c.databaseName,
      port: c.port,
      backupRetention: c.backupRetention,
      deletionProtection: c.deletionProtection,
      removalPolicy: c.removalPolicy,
      copyTagsToSnapshot: true,
      iamAuthentication: c.iamAuthentication || undefined,
      cloudwatchLogsExports: logExports(this.engineType),
      publiclyAccessible: false,
    });
    const cfn = instance.node.defaultChild as rds.CfnDBInstance;
    useManagedPassword(cfn);
    return {
      instance,
      connections: instance.connections,
      endpoint: instance.dbInstanceEndpointAddress,
      identifier: instance.instanceIdentifier,
      arn: instance.instanceArn,
      secretArn: cfn.attrMasterUserSecretSecretArn,
      proxyTarget: () => rds.ProxyTarget.fromInstance(instance),
      grantConnect: (grantee: iam.IGrantable, dbUser: string) => instance.grantConnect(grantee, dbUser),
    };
  }
}

// In your own app, import from 'cdk-failover'.
import { App, Duration, RemovalPolicy, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  BackupCopyVault, BackupService, CrossRegionBackup, DatabaseTopology, GlobalTable, ManagedRpo, MultiAzDatabase, RecoveryObjectives, ReplicatedBucket,
} from '../../src';

/** Settings of the example; override them with `-c account=... -c primaryRegion=...`. */
export interface RegionalDataSettings {
  readonly account: string;
  readonly primaryRegion: string;
  readonly recoveryRegion: string;
  /** Prefix of every deterministic name the two regions meet by. */
  readonly prefix: string;
}

function settingsFrom(app: App): RegionalDataSettings {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  return {
    account: get('account', '111111111111'),
    primaryRegion: get('primaryRegion', 'us-east-1'),
    recoveryRegion: get('recoveryRegion', 'us-west-2'),
    prefix: get('prefix', 'orders'),
  };
}

interface RegionalDataProps extends StackProps {
  readonly settings: RegionalDataSettings;
}

/**
 * Bucket names are global: account and region make them unique and let each region name the
 * other's. Of a two-way pair the bucket whose name sorts first is created first, so the role
 * comes before the region: the primary's sorts first, like the Aurora primary it deploys with.
 */
function documentsBucket(settings: RegionalDataSettings, region: string): string {
  const role = region === settings.primaryRegion ? 'primary' : 'recovery';
  return `${settings.prefix}-documents-${settings.account}-${role}-${region}`;
}

/**
 * The documents bucket of one region, replicating both ways with the other region's: either
 * region can take writes, and each object reaches the other within 15 minutes (RTC).
 */
function documents(scope: Construct, settings: RegionalDataSettings, region: string, other: string): ReplicatedBucket {
  const logs = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  NagSuppressions.addResourceSuppressions(logs, [
    { id: 'AwsSolutions-S1', reason: 'This bucket receives the access logs of the documents bucket; logging it again would loop.' },
  ]);
  return new ReplicatedBucket(scope, 'Documents', {
    bucketName: documentsBucket(settings, region),
    destination: { bucketName: documentsBucket(settings, other), region: other },
    twoWay: true,
    serverAccessLogsBucket: logs,
  });
}

const ENGINE = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });

/** Named AZs and isolated subnets only: the data tier needs no internet, and synth needs no lookup. */
function dataVpc(scope: Construct, cidr: string): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
  });
}

/** What both regions' stacks share: named AZs (no context lookup, so synth needs no AWS credentials) and the data VPC. */
abstract class RegionalDataStack extends Stack {
  public readonly settings: RegionalDataSettings;
  public readonly vpc: ec2.Vpc;

  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }

  constructor(scope: Construct, id: string, props: RegionalDataProps, cidr: string) {
    super(scope, id, props);
    this.settings = props.settings;
    this.vpc = dataVpc(this, cidr);
  }
}

/**
 * The recovery region: the Aurora secondary, the other side of the documents bucket, and the
 * vault that receives the backup copies.
 * Deployed after the primary; it reaches the primary's resources by name only.
 */
export class RecoveryDataStack extends RegionalDataStack {
  public readonly database: MultiAzDatabase;
  public readonly copyVault: BackupCopyVault;
  public readonly documents: ReplicatedBucket;

  constructor(scope: Construct, id: string, props: RegionalDataProps) {
    super(scope, id, props, '10.41.0.0/16');
    const { settings, vpc } = this;

    // A reader in two zones, so a promoted secondary is Multi-AZ from its first minute.
    this.database = new MultiAzDatabase(this, 'Orders', {
      vpc,
      topology: DatabaseTopology.auroraGlobalSecondary({
        engine: ENGINE,
        globalClusterIdentifier: `${settings.prefix}-global`,
        primaryRegion: settings.primaryRegion,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        readers: 1,
      }),
    });

    this.copyVault = new BackupCopyVault(this, 'CopyVault', { backupVaultName: `${settings.prefix}-dr` });
    this.documents = documents(this, settings, settings.recoveryRegion, settings.primaryRegion);
  }
}

/**
 * The primary region: Aurora PostgreSQL as the global database's primary with a managed RPO,
 * documents replicated both ways, a DynamoDB global table replicated to the recovery region,
 * and a backup plan that copies every backup there.
 */
export class PrimaryDataStack extends RegionalDataStack {
  public readonly database: MultiAzDatabase;
  public readonly table: GlobalTable;
  public readonly backup: CrossRegionBackup;
  public readonly documents: ReplicatedBucket;

  constructor(scope: Construct, id: string, props: RegionalDataProps) {
    super(scope, id, props, '10.40.0.0/16');
    const { settings, vpc } = this;

    // Commits block while no secondary is within the RPO: the RPO is a bound, not a hope.
    this.database = new MultiAzDatabase(this, 'Orders', {
      vpc,
      topology: DatabaseTopology.auroraGlobalPrimary({
        engine: ENGINE,
        globalClusterIdentifier: `${settings.prefix}-global`,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        readers: 2,
        managedRpo: ManagedRpo.fromObjectives(),
        secretReplicaRegions: [settings.recoveryRegion],
      }),
      databaseName: 'orders',
    });
    // RDS cannot manage the master password of a global database cluster, so the construct
    // generates a secret and replicates it to the recovery region.
    NagSuppressions.addResourceSuppressionsByPath(this, `${this.database.node.path}/Cluster/Secret/Resource`, [
      { id: 'AwsSolutions-SMG4', reason: 'Break-glass credentials of the global cluster, replicated to the recovery region; clients use IAM authentication. Rotating them needs a rotation function with a route to Secrets Manager from the isolated subnets, left to the application.' },
    ]);

    this.documents = documents(this, settings, settings.primaryRegion, settings.recoveryRegion);

    this.table = new GlobalTable(this, 'Carts', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      replicas: [{ region: settings.recoveryRegion }],
    });

    // Backups are the last line: they survive a bad write that replication copies at once.
    // Their objectives are their own, on a scope of their own.
    const archive = new Construct(this, 'Archive');
    new RecoveryObjectives(archive, 'Objectives', { rto: Duration.hours(4), rpo: Duration.hours(12) });
    this.backup = new CrossRegionBackup(archive, 'Backup', {
      recoveryRegion: settings.recoveryRegion,
      copyVaultName: `${settings.prefix}-dr`,
      // Every two hours, each job started within an hour and done within two.
      schedule: events.Schedule.cron({ minute: '0', hour: '*/2' }),
      startWindow: Duration.hours(1),
      completionWindow: Duration.hours(2),
      resources: [
        { resource: backup.BackupResource.fromDynamoDbTable(this.table.table), service: BackupService.DYNAMODB, size: Size.gibibytes(20), name: 'Carts' },
      ],
    });
  }
}

/** Builds the example into `app`: the primary region's stack, then the recovery region's. */
export function buildRegionalDataExample(app: App): { primary: PrimaryDataStack; recovery: RecoveryDataStack } {
  const settings = settingsFrom(app);
  // Replicated data loses at most 15 minutes (S3 RTC's bound); the database fails over in 30.
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30), rpo: Duration.minutes(15) });
  const primary = new PrimaryDataStack(app, 'RegionalDataPrimary', {
    env: { account: settings.account, region: settings.primaryRegion }, settings,
  });
  const recovery = new RecoveryDataStack(app, 'RegionalDataRecovery', {
    env: { account: settings.account, region: settings.recoveryRegion }, settings,
  });
  return { primary, recovery };
}

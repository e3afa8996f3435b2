import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, SecretValue, Size, SizeRoundingBehavior, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DatabaseTopology } from './database-topology';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { databaseFailover } from '../objectives/model/rds';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { checkSameRegion } from '../private/records';
import { checkInteger, show, unresolved } from '../private/validate';

/** The named assumptions of a database failover path (neither is used with `proxy`). */
const ASSUMPTIONS = [RecoveryAssumption.ENDPOINT_DNS_TTL, RecoveryAssumption.CLIENT_DNS_CACHE];

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

/**
 * A database that survives the loss of an Availability Zone, with failover notifications,
 * alarms and its modeled recovery in the failover report.
 *
 * Choose the topology by the failover you can afford:
 *
 * - `DatabaseTopology.multiAzInstance()`: any RDS engine; a synchronous standby that serves
 *   no reads. Failover typically takes 60-120 s. The cheapest way to survive an AZ.
 * - `DatabaseTopology.multiAzCluster()`: RDS for MySQL or PostgreSQL; two readable standbys in
 *   three AZs, a commit waits for one of them. Failover typically takes under 35 s, and the
 *   standbys serve reads.
 * - `DatabaseTopology.aurora()`: Aurora MySQL or PostgreSQL; storage in three AZs and replicas
 *   as failover targets. Failover to a replica takes under 60 s, often under 30 s; without a
 *   replica Aurora recreates the writer, up to 10 minutes.
 *
 * In every mode replication inside the region is synchronous, so failover loses no committed
 * transaction (RPO 0). Without `proxy` clients also wait for the endpoint's DNS record and
 * their own DNS cache; with `proxy` they keep one endpoint.
 *
 * Safe by default: storage encrypted, deletion protection, 7 days of backups, a final
 * snapshot on delete, tags copied to snapshots, IAM database authentication (MySQL, MariaDB,
 * PostgreSQL), error logs exported to CloudWatch Logs (MySQL and PostgreSQL families), and a
 * master password that RDS keeps and rotates in Secrets Manager.
 *
 * @example
 * new MultiAzDatabase(this, 'Orders', {
 *   vpc,
 *   topology: DatabaseTopology.multiAzCluster({
 *     engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_3 }),
 *   }),
 *   proxy: true,
 * });
 */
export class MultiAzDatabase extends Construct implements ec2.IConnectable, IRecoveryPathProvider {
  /** Where clients connect: the proxy's security groups with `proxy`, else the database's. */
  public readonly connections: ec2.Connections;
  /** The hostname clients should use: the proxy endpoint with `proxy`, else the writer endpoint. */
  public readonly endpoint: string;
  /** The port clients should use: the proxy's with `proxy`, else the database's. */
  public readonly port: number;
  /** The master user secret, created and rotated by RDS in Secrets Manager. */
  public readonly secret: secretsmanager.ISecret;
  /** The master user name: `postgres` for the PostgreSQL family, `admin` otherwise. */
  public readonly masterUsername: string;
  /**
   * The Multi-AZ DB instance.
   *
   * @default - undefined unless the topology is `multiAzInstance()`
   */
  public readonly instance?: rds.DatabaseInstance;
  /**
   * The Aurora cluster.
   *
   * @default - undefined unless the topology is `aurora()`
   */
  public readonly cluster?: rds.DatabaseCluster;
  /**
   * The Multi-AZ DB cluster (aws-cdk-lib has no L2 for it).
   *
   * @default - undefined unless the topology is `multiAzCluster()`
   */
  public readonly cfnCluster?: rds.CfnDBCluster;
  /**
   * The RDS Proxy in front of the database.
   *
   * @default - undefined unless `proxy` is true
   */
  public readonly dbProxy?: rds.DatabaseProxy;
  /** The subscription that sends the database's failover events to the alarm topic. */
  public readonly eventSubscription: rds.CfnEventSubscription;
  /** The topic told about failovers and alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** The CloudWatch alarms: CPU, free storage, connections and replica lag, as they apply. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** The modeled recovery from the loss of the writer's Availability Zone. */
  public readonly estimate: RecoveryEstimate;

  private readonly topology: DatabaseTopology;
  private readonly engineType: string;
  private readonly iamAuthentication: boolean;
  private readonly warnings: Array<{ id: string; message: string }> = [];

  constructor(scope: Construct, id: string, private readonly props: MultiAzDatabaseProps) {
    super(scope, id);
    this.topology = props.topology;
    const t = this.topology;
    this.engineType = (t._instanceEngine ?? t._clusterEngine)!.engineType;
    this.iamAuthentication = IAM_AUTH_ENGINES.includes(this.engineType);
    this.masterUsername = (t._instanceEngine ?? t._clusterEngine)!.defaultUsername ?? DEFAULT_USERNAME;

    const subnets = props.vpcSubnets ?? defaultSubnets(props.vpc);
    const availabilityZones = this.validate(subnets);

    const backupRetention = props.backupRetention ?? Duration.days(7);
    const deletionProtection = props.deletionProtection ?? true;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const dbPort = props.port ?? defaultPort(this.engineType);
    const common: CommonSettings = { subnets, backupRetention, deletionProtection, removalPolicy, dbPort, availabilityZones };

    let database: { connections: ec2.Connections; endpoint: string; identifier: string; arn: string; secretArn: string };
    if (t._mode === 'instance') {
      this.instance = this.createInstance(common);
      const cfn = this.instance.node.defaultChild as rds.CfnDBInstance;
      useManagedPassword(cfn);
      database = {
        connections: this.instance.connections,
        endpoint: this.instance.dbInstanceEndpointAddress,
        identifier: this.instance.instanceIdentifier,
        arn: this.instance.instanceArn,
        secretArn: cfn.attrMasterUserSecretSecretArn,
      };
    } else if (t._mode === 'cluster') {
      const { cluster, securityGroup } = this.createMultiAzCluster(common);
      this.cfnCluster = cluster;
      database = {
        connections: new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(dbPort) }),
        endpoint: cluster.attrEndpointAddress,
        identifier: cluster.ref,
        arn: cluster.attrDbClusterArn,
        secretArn: cluster.attrMasterUserSecretSecretArn,
      };
    } else {
      this.cluster = this.createAurora(common);
      const cfn = this.cluster.node.defaultChild as rds.CfnDBCluster;
      useManagedPassword(cfn);
      database = {
        connections: this.cluster.connections,
        endpoint: this.cluster.clusterEndpoint.hostname,
        identifier: this.cluster.clusterIdentifier,
        arn: this.cluster.clusterArn,
        secretArn: cfn.attrMasterUserSecretSecretArn,
      };
    }
    this.secret = secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', database.secretArn);

    if (props.proxy) {
      this.dbProxy = this.createProxy(subnets, dbPort, database.connections);
      const proxyPort = PROXY_PORTS[this.engineFamily!];
      this.connections = new ec2.Connections({ securityGroups: this.dbProxy.connections.securityGroups, defaultPort: ec2.Port.tcp(proxyPort) });
      this.endpoint = this.dbProxy.endpoint;
      this.port = proxyPort;
    } else {
      this.connections = database.connections;
      this.endpoint = database.endpoint;
      this.port = dbPort;
    }

    this.alarmTopic = props.alarmTopic ?? this.createTopic();
    this.alarms = this.createAlarms(database.identifier);
    this.eventSubscription = this.createEventSubscription(database.identifier);
    this.allowPublishing(database.arn);

    this.estimate = RecoveryEstimate._fromModel(databaseFailover({
      mode: t._mode,
      replicas: this.replicas,
      proxy: props.proxy ?? false,
      endpointDnsTtl: givenAssumption(this, props.assumptions, RecoveryAssumption.ENDPOINT_DNS_TTL),
      clientDnsCache: givenAssumption(this, props.assumptions, RecoveryAssumption.CLIENT_DNS_CACHE),
    }));
    FailoverReport.of(this);
    for (const warning of this.warnings) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
  }

  /**
   * Grants `rds-db:connect` as `dbUser`. With `proxy` the grant is on the proxy, which
   * authenticates clients with IAM and then logs in with the secrets it holds: only the master
   * secret, so `dbUser` is `masterUsername`. Without `proxy` the grant is on the database (IAM
   * database authentication: MySQL, MariaDB and PostgreSQL families), and `dbUser` is a
   * database user set up for IAM authentication.
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    if (this.dbProxy) {
      return this.dbProxy.grantConnect(grantee, dbUser);
    }
    if (!this.iamAuthentication) {
      throw new Error(`${this.node.path}: grantConnect() needs IAM database authentication, which ${this.engineType} does not offer. `
        + 'Connect with the master secret, or set `proxy: true` where RDS Proxy supports the engine.');
    }
    if (this.instance) {
      return this.instance.grantConnect(grantee, dbUser);
    }
    if (this.cluster) {
      return this.cluster.grantConnect(grantee, dbUser);
    }
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['rds-db:connect'],
      resourceArns: [Stack.of(this).formatArn({
        service: 'rds-db',
        resource: 'dbuser',
        resourceName: `${this.cfnCluster!.attrDbClusterResourceId}/${dbUser}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    });
  }

  private get engineFamily(): string | undefined {
    return (this.topology._instanceEngine ?? this.topology._clusterEngine)!.engineFamily;
  }

  /** Failover targets: the standby, the two readable standbys, or the Aurora readers. */
  private get replicas(): number {
    const t = this.topology;
    return t._mode === 'aurora' ? t._readers ?? DEFAULT_READERS : t._mode === 'cluster' ? 2 : 1;
  }

  /** The failover to the standby or a replica in another Availability Zone. */
  public recoveryPaths(): RecoveryPath[] {
    const t = this.topology;
    const region = unresolved(Stack.of(this).region) ? undefined : Stack.of(this).region;
    const via = this.props.proxy ? ', via RDS Proxy' : '';
    const secondary = t._mode === 'instance'
      ? 'synchronous standby in another Availability Zone (not readable)'
      : t._mode === 'cluster'
        ? 'one of 2 readable standbys in other Availability Zones'
        : this.replicas === 0
          ? 'a new writer that Aurora creates (no replica)'
          : `one of ${this.replicas} Aurora replica(s), promotion tier 1`;
    const health = 'RDS automatic failover';
    return [new RecoveryPath({
      id: 'failover',
      kind: RecoveryPathKind.MULTI_AZ_DATABASE,
      name: `${this.node.id} (${t._description}, ${this.engineType}${via})`,
      endpoints: [
        { label: `${this.node.id} writer`, role: EndpointRole.PRIMARY, region, health },
        { label: secondary, role: EndpointRole.SECONDARY, region, health },
      ],
      estimate: this.estimate,
      warnings: this.warnings.map((w) => w.message),
    })];
  }

  private createInstance(c: CommonSettings): rds.DatabaseInstance {
    const t = this.topology;
    const engine = t._instanceEngine!;
    return new rds.DatabaseInstance(this, 'Instance', {
      engine,
      vpc: this.props.vpc,
      vpcSubnets: c.subnets,
      multiAz: true,
      instanceType: t._instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE),
      allocatedStorage: t._allocatedStorage ?? DEFAULT_STORAGE,
      storageType: t._storageType ?? rds.StorageType.GP3,
      storageEncrypted: true,
      credentials: placeholderCredentials(this.masterUsername),
      databaseName: this.props.databaseName,
      port: this.props.port,
      backupRetention: c.backupRetention,
      deletionProtection: c.deletionProtection,
      removalPolicy: c.removalPolicy,
      copyTagsToSnapshot: true,
      iamAuthentication: this.iamAuthentication || undefined,
      cloudwatchLogsExports: logExports(this.engineType),
      publiclyAccessible: false,
    });
  }

  /** aws-cdk-lib has no L2 for a Multi-AZ DB cluster: the L1 with its subnet group and security group. */
  private createMultiAzCluster(c: CommonSettings): { cluster: rds.CfnDBCluster; securityGroup: ec2.SecurityGroup } {
    const t = this.topology;
    const engine = t._instanceEngine!;
    const retained = c.removalPolicy === RemovalPolicy.RETAIN || c.removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    const subnetGroup = new rds.SubnetGroup(this, 'SubnetGroup', {
      vpc: this.props.vpc,
      vpcSubnets: c.subnets,
      description: `Subnets of the Multi-AZ DB cluster ${this.node.path}`,
      // A retained cluster keeps using its subnet group, which could not be deleted.
      removalPolicy: retained ? RemovalPolicy.RETAIN : undefined,
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.props.vpc,
      description: `Multi-AZ DB cluster ${this.node.path}`,
      allowAllOutbound: false,
    });
    const storageType = t._storageType ?? rds.StorageType.IO1;
    const cluster = new rds.CfnDBCluster(this, 'Cluster', {
      engine: engine.engineType,
      engineVersion: engine.engineVersion?.fullVersion,
      dbClusterInstanceClass: `db.${t._instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.M6GD, ec2.InstanceSize.LARGE)}`,
      allocatedStorage: t._allocatedStorage ?? DEFAULT_STORAGE,
      storageType,
      iops: t._iops ?? (storageType === rds.StorageType.GP3 ? undefined : DEFAULT_CLUSTER_IOPS),
      dbSubnetGroupName: subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      masterUsername: this.masterUsername,
      manageMasterUserPassword: true,
      storageEncrypted: true,
      deletionProtection: c.deletionProtection,
      backupRetentionPeriod: c.backupRetention.toDays(),
      publiclyAccessible: false,
      copyTagsToSnapshot: true,
      enableIamDatabaseAuthentication: true,
      enableCloudwatchLogsExports: logExports(this.engineType),
      port: c.dbPort,
      databaseName: this.props.databaseName,
    });
    cluster.applyRemovalPolicy(c.removalPolicy);
    return { cluster, securityGroup };
  }

  private createAurora(c: CommonSettings): rds.DatabaseCluster {
    const t = this.topology;
    const engine = t._clusterEngine!;
    const instanceType = t._instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
    // Aurora places instances anywhere in the subnet group's zones; pinning them (when the
    // zones are known) puts the writer and each reader in different zones, so one zone's loss
    // always leaves a failover target. The pin only decides where an instance is created.
    const zones = c.availabilityZones;
    const zone = (i: number) => zones.length > 1 ? zones[i % zones.length] : undefined;
    const readers = t._readers ?? DEFAULT_READERS;
    return new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      vpc: this.props.vpc,
      vpcSubnets: c.subnets,
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType, publiclyAccessible: false, promotionTier: 0, availabilityZone: zone(0) }),
      readers: Array.from({ length: readers }, (_, i) => rds.ClusterInstance.provisioned(`Reader${i + 1}`, {
        instanceType,
        publiclyAccessible: false,
        promotionTier: 1,
        availabilityZone: zone(i + 1),
      })),
      credentials: placeholderCredentials(this.masterUsername),
      defaultDatabaseName: this.props.databaseName,
      port: this.props.port,
      storageEncrypted: true,
      deletionProtection: c.deletionProtection,
      removalPolicy: c.removalPolicy,
      backup: { retention: c.backupRetention },
      copyTagsToSnapshot: true,
      iamAuthentication: true,
      cloudwatchLogsExports: logExports(this.engineType),
    });
  }

  private createProxy(subnets: ec2.SubnetSelection, dbPort: number, dbConnections: ec2.Connections): rds.DatabaseProxy {
    let proxyTarget: rds.ProxyTarget;
    if (this.instance) {
      proxyTarget = rds.ProxyTarget.fromInstance(this.instance);
    } else if (this.cluster) {
      proxyTarget = rds.ProxyTarget.fromCluster(this.cluster);
    } else {
      // ProxyTarget reads only the engine family of the engine: an Aurora engine of the same
      // family stands in for the Multi-AZ DB cluster's MySQL or PostgreSQL engine.
      const family = this.engineFamily === 'POSTGRESQL' ? rds.DatabaseClusterEngine.AURORA_POSTGRESQL : rds.DatabaseClusterEngine.AURORA_MYSQL;
      proxyTarget = rds.ProxyTarget.fromCluster(rds.DatabaseCluster.fromDatabaseClusterAttributes(this, 'ProxyTarget', {
        clusterIdentifier: this.cfnCluster!.ref,
        engine: family,
        port: dbPort,
        securityGroups: dbConnections.securityGroups,
      }));
    }
    return new rds.DatabaseProxy(this, 'Proxy', {
      // Without the aws-cdk-lib feature flag the proxy would be named `Proxy`, the same for every
      // database of the account and region.
      dbProxyName: `${Names.uniqueResourceName(this, { maxLength: 54 })}-proxy`,
      proxyTarget,
      secrets: [this.secret],
      vpc: this.props.vpc,
      vpcSubnets: subnets,
      requireTLS: true,
      iamAuth: true,
    });
  }

  /**
   * An encrypted topic. CloudWatch and RDS events publish to an encrypted topic only if the
   * key lets them use it, which the AWS managed key `alias/aws/sns` cannot: hence a key of
   * its own, with rotation.
   */
  private createTopic(): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Encrypts the alarm topic of ${this.node.path}`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PublishToTheEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.rds.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy `*` is this key. Who may publish is scoped by the topic policy.
      resources: ['*'],
    }));
    return new sns.Topic(this, 'AlarmTopic', {
      displayName: `Failovers and alarms of ${this.node.id}`.slice(0, 100),
      masterKey: key,
      enforceSSL: true,
    });
  }

  /**
   * The failover events of the database (FACTS.md event IDs): a Multi-AZ DB instance reports
   * failover started RDS-EVENT-0013 and completed RDS-EVENT-0015 / RDS-EVENT-0049; a cluster
   * (Multi-AZ DB cluster or Aurora) started RDS-EVENT-0072 / RDS-EVENT-0073, completed
   * RDS-EVENT-0071, failed RDS-EVENT-0069. All are in the `failover` category.
   */
  private createEventSubscription(identifier: string): rds.CfnEventSubscription {
    const subscription = new rds.CfnEventSubscription(this, 'FailoverEvents', {
      snsTopicArn: this.alarmTopic.topicArn,
      sourceType: this.topology._mode === 'instance' ? 'db-instance' : 'db-cluster',
      sourceIds: [identifier],
      eventCategories: ['failover'],
      enabled: true,
    });
    // RDS checks that it may publish when the subscription is created: the topic policy first.
    subscription.node.addDependency(this.alarmTopic);
    return subscription;
  }

  /** The topic policy: RDS events of this database, and this construct's alarms, may publish. */
  private allowPublishing(databaseArn: string): void {
    const account = Stack.of(this).account;
    const rdsEvents = this.alarmTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'RdsFailoverEvents',
      principals: [new iam.ServicePrincipal('events.rds.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.alarmTopic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': databaseArn }, StringEquals: { 'aws:SourceAccount': account } },
    }));
    this.alarmTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DatabaseAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.alarmTopic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': this.alarms.map((a) => a.alarmArn) }, StringEquals: { 'aws:SourceAccount': account } },
    }));
    if (!rdsEvents.statementAdded) {
      this.warnings.push({
        id: 'cdk-failover:imported-alarm-topic',
        message: `The alarm topic ${this.alarmTopic.topicArn} is imported, so its policy cannot be changed here: failover events and alarms `
          + 'reach it only if its policy lets events.rds.amazonaws.com and cloudwatch.amazonaws.com publish (and, if it is encrypted, its key lets them use it). '
          + 'Check its policy, or leave `alarmTopic` unset to get a topic set up for you.',
      });
    }
  }

  private createAlarms(identifier: string): cloudwatch.IAlarm[] {
    const t = this.topology;
    const a = this.props.alarms ?? {};
    const group = new Construct(this, 'Alarms');
    const dimensionsMap: Record<string, string> = t._mode === 'instance' ? { DBInstanceIdentifier: identifier } : { DBClusterIdentifier: identifier };
    const metric = (metricName: string, statistic: string, period: Duration) => new cloudwatch.Metric({
      namespace: 'AWS/RDS', metricName, dimensionsMap, statistic, period,
    });
    const alarms: cloudwatch.Alarm[] = [];
    // A gap in RDS metrics means the database published nothing (stopped, failing over,
    // replaced): it says nothing about load or space, so these alarms keep their state
    // (MISSING); the failover itself reaches the topic through the event subscription.
    const cpu = a.cpuUtilizationPercent ?? DEFAULT_CPU_PERCENT;
    alarms.push(new cloudwatch.Alarm(group, 'Cpu', {
      alarmDescription: `${this.node.path}: CPU utilization above ${cpu} % for 5 minutes.`,
      metric: metric('CPUUtilization', cloudwatch.Stats.AVERAGE, Duration.minutes(1)),
      threshold: cpu,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    }));
    if (t._mode !== 'aurora') {
      const free = a.freeStorageSpace ?? Size.gibibytes(DEFAULT_FREE_STORAGE_GIB);
      alarms.push(new cloudwatch.Alarm(group, 'FreeStorage', {
        alarmDescription: `${this.node.path}: free storage below ${free.isUnresolved() ? 'the deploy-time threshold' : `${gib(free)} GiB`}.`,
        metric: metric('FreeStorageSpace', cloudwatch.Stats.MINIMUM, Duration.minutes(5)),
        threshold: free.isUnresolved() ? free.toBytes() : free.toBytes({ rounding: SizeRoundingBehavior.NONE }),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }));
    }
    if (a.maxConnections !== undefined) {
      alarms.push(new cloudwatch.Alarm(group, 'Connections', {
        alarmDescription: `${this.node.path}: more than ${a.maxConnections} database connections for 3 minutes.`,
        metric: metric('DatabaseConnections', cloudwatch.Stats.MAXIMUM, Duration.minutes(1)),
        threshold: a.maxConnections,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      }));
    }
    if (t._mode !== 'instance' && this.replicas > 0) {
      const lag = a.replicaLag ?? Duration.seconds(DEFAULT_REPLICA_LAG_SECONDS);
      const aurora = t._mode === 'aurora';
      alarms.push(new cloudwatch.Alarm(group, 'ReplicaLag', {
        alarmDescription: `${this.node.path}: replica lag above ${lag.toHumanString()} for 3 minutes.`,
        metric: metric(aurora ? 'AuroraReplicaLag' : 'ReplicaLag', cloudwatch.Stats.MAXIMUM, Duration.minutes(1)),
        threshold: lagThreshold(lag, aurora),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Readers publish lag only while they replicate: none while one restarts or after it
        // is promoted, which is no lag.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    for (const alarm of alarms) {
      alarm.addAlarmAction(new cw_actions.SnsAction(this.alarmTopic));
      alarm.addOkAction(new cw_actions.SnsAction(this.alarmTopic));
    }
    return alarms;
  }

  /** Every check of DESIGN principle 7, before any child exists; returns the distinct zones when known. */
  private validate(subnets: ec2.SubnetSelection): string[] {
    const problems = new Problems(this);
    const zones = this.validateNetwork(problems, subnets);
    this.validateTopology(problems);
    this.validateDatabaseProps(problems);
    this.validateAlarms(problems);
    checkSameRegion(problems, this, 'alarmTopic', this.props.alarmTopic,
      'RDS events and CloudWatch alarms publish only to a topic in their own region: use a topic of this region.');
    checkAssumptions(problems, this.props.assumptions, ASSUMPTIONS);
    problems.throwIfAny();
    return zones;
  }

  private validateNetwork(problems: Problems, subnets: ec2.SubnetSelection): string[] {
    const mode = this.topology._mode;
    const required = mode === 'cluster' ? 3 : 2;
    const what = mode === 'cluster'
      ? 'a Multi-AZ DB cluster puts its writer and two readers in 3 different Availability Zones'
      : mode === 'instance'
        ? 'a Multi-AZ DB instance keeps its standby in another Availability Zone'
        : 'Aurora needs a DB subnet group in at least 2 Availability Zones to place replicas apart';
    let selected: ec2.SelectedSubnets;
    try {
      selected = this.props.vpc.selectSubnets(subnets);
    } catch (e) {
      problems.add(`\`vpcSubnets\` selects no subnets of the VPC: ${(e as Error).message} Select the VPC's private or isolated subnets.`);
      return [];
    }
    const zones = [...new Set(selected.availabilityZones)];
    const count = selected.subnets.length;
    if (zones.some((z) => unresolved(z))) {
      if (count < required) {
        problems.add(`\`vpcSubnets\` selects ${count} subnet(s), so at most ${count} Availability Zone(s), but ${what}. `
          + `Select subnets in at least ${required} zones; an environment-agnostic stack gets only 2 zones, so give the stack an \`env\` (account and region).`);
      } else {
        this.warnings.push({
          id: 'cdk-failover:az-count-unknown',
          message: 'The Availability Zones of the selected subnets are only known at deploy time (environment-agnostic stack or imported VPC), '
            + `so it cannot be checked that they span at least ${required} zones, which ${what}. `
            + 'Give the stack an `env` (account and region), or import the VPC with literal zones.',
        });
      }
      return [];
    }
    if (zones.length < required) {
      problems.add(`\`vpcSubnets\` spans ${zones.length} Availability Zone(s) (${zones.join(', ') || 'none'}), but ${what}. `
        + `Select subnets in at least ${required} zones (a VPC with maxAzs: ${required} or more).`);
    }
    return zones;
  }

  private validateTopology(problems: Problems): void {
    const t = this.topology;
    const type = this.engineType;
    if (t._mode === 'instance') {
      if (type === 'sqlserver-ex') {
        problems.add('`topology.engine` is SQL Server Express Edition, which has no Multi-AZ deployment. '
          + 'Use the Web, Standard or Enterprise Edition.');
      }
      checkInteger(problems, 'topology.allocatedStorage', t._allocatedStorage, 20, 65536, 'Give the storage in GiB.');
    } else if (t._mode === 'cluster') {
      if (type !== 'mysql' && type !== 'postgres') {
        problems.add(`\`topology.engine\` must be RDS for MySQL or RDS for PostgreSQL for a Multi-AZ DB cluster, got: ${type}. `
          + 'MariaDB, Oracle, SQL Server and Db2 have no Multi-AZ DB clusters: use DatabaseTopology.multiAzInstance() for them.');
      } else {
        checkClusterVersion(problems, type, t._instanceEngine!.engineVersion?.fullVersion);
      }
      const storageType = t._storageType ?? rds.StorageType.IO1;
      const provisioned = storageType === rds.StorageType.IO1 || storageType === rds.StorageType.IO2;
      if (!provisioned && storageType !== rds.StorageType.GP3) {
        problems.add(`\`topology.storageType\` must be IO1, IO2 or GP3 for a Multi-AZ DB cluster, got: ${storageType}.`);
      }
      checkInteger(problems, 'topology.allocatedStorage', t._allocatedStorage, provisioned ? 100 : 20, 65536,
        provisioned ? 'io1 and io2 storage starts at 100 GiB.' : 'Give the storage in GiB.');
      const storage = t._allocatedStorage ?? DEFAULT_STORAGE;
      const iops = t._iops ?? (provisioned ? DEFAULT_CLUSTER_IOPS : undefined);
      if (iops !== undefined && !unresolved(iops) && !unresolved(storage)) {
        if (!Number.isInteger(iops) || (provisioned && iops < 1000) || iops < storage / 2 || iops > storage * 50) {
          problems.add(`\`topology.iops\` must be a whole number from ${Math.max(provisioned ? 1000 : 0, Math.ceil(storage / 2))} to ${storage * 50} `
            + `for ${storage} GiB (0.5 to 50 IOPS per GiB${provisioned ? ', at least 1,000' : ''}), got: ${show(iops)}. Change \`iops\` or \`allocatedStorage\`.`);
        }
      }
    } else {
      if (type !== 'aurora-mysql' && type !== 'aurora-postgresql') {
        problems.add(`\`topology.engine\` must be Aurora MySQL (version 2 or later) or Aurora PostgreSQL, got: ${type}. `
          + 'Use rds.DatabaseClusterEngine.auroraMysql() or auroraPostgres().');
      }
      checkInteger(problems, 'topology.readers', t._readers, 0, 15, 'An Aurora cluster has one writer and up to 15 replicas.');
      if (unresolved(t._readers)) {
        problems.add('`topology.readers` must be known at synth, got a deploy-time value: it decides how many instances the template holds. Give a number.');
      }
    }
  }

  private validateDatabaseProps(problems: Problems): void {
    const p = this.props;
    const type = this.engineType;
    checkInteger(problems, 'port', p.port, 1150, 65535, 'RDS accepts ports from 1150 to 65535.');
    const retention = p.backupRetention;
    if (retention?.isUnresolved() && !converts(() => retention.toDays())) {
      problems.add('`backupRetention` is only known at deploy time, so it must be given in days: Duration.days(parameter.valueAsNumber).');
    }
    if (retention !== undefined && !retention.isUnresolved()) {
      const days = retention.toMilliseconds() / Duration.days(1).toMilliseconds();
      if (!Number.isInteger(days) || days < 1 || days > 35) {
        problems.add(`\`backupRetention\` must be whole days from 1 to 35, got: ${show(retention)}. Backups are what point-in-time recovery `
          + 'restores from after a mistake that failover copies to every zone; give e.g. Duration.days(7).');
      }
    }
    if (p.removalPolicy === RemovalPolicy.DESTROY && p.deletionProtection !== false) {
      problems.add('`removalPolicy` is DESTROY but `deletionProtection` is on: CloudFormation cannot delete a protected database, so deleting the '
        + 'stack would fail. Set `deletionProtection: false` as well, or keep RemovalPolicy.SNAPSHOT.');
    }
    const name = p.databaseName;
    if (name !== undefined && !unresolved(name)) {
      if (type.startsWith('sqlserver')) {
        problems.add(`\`databaseName\` is not supported by SQL Server, got: ${show(name)}. Remove it and create the database after deployment.`);
      } else {
        const max = type.startsWith('oracle') ? 8 : 63;
        const pattern = type.startsWith('oracle') ? /^[A-Za-z][A-Za-z0-9]*$/ : /^[A-Za-z][A-Za-z0-9_]*$/;
        if (name.length > max || !pattern.test(name)) {
          problems.add(`\`databaseName\` must start with a letter and hold up to ${max} letters, digits${type.startsWith('oracle') ? '' : ' or underscores'}, got: ${show(name)}.`);
        }
      }
    }
    if (p.proxy && this.engineFamily === undefined) {
      problems.add(`\`proxy\` is not available for ${type}: RDS Proxy supports MySQL, MariaDB, PostgreSQL and SQL Server (and Aurora). Remove \`proxy\`.`);
    }
  }

  private validateAlarms(problems: Problems): void {
    const a = this.props.alarms ?? {};
    const t = this.topology;
    const cpu = a.cpuUtilizationPercent;
    if (cpu !== undefined && !unresolved(cpu) && !(cpu >= 1 && cpu <= 100)) {
      problems.add(`\`alarms.cpuUtilizationPercent\` must be a number from 1 to 100, got: ${show(cpu)}.`);
    }
    checkInteger(problems, 'alarms.maxConnections', a.maxConnections, 1, 1_000_000, 'Give the connection count that should page you, below max_connections.');
    const free = a.freeStorageSpace;
    if (free !== undefined && t._mode === 'aurora') {
      problems.add('`alarms.freeStorageSpace` does not apply to Aurora, whose storage grows by itself. Remove it.');
    } else if (free?.isUnresolved()) {
      if (!converts(() => free.toBytes())) {
        problems.add('`alarms.freeStorageSpace` is only known at deploy time, so it must be given in bytes: Size.bytes(parameter.valueAsNumber).');
      }
    } else if (free !== undefined) {
      const storage = t._allocatedStorage ?? DEFAULT_STORAGE;
      const bytes = free.toBytes({ rounding: SizeRoundingBehavior.NONE });
      if (!(bytes > 0) || (!unresolved(storage) && bytes >= Size.gibibytes(storage).toBytes())) {
        problems.add(`\`alarms.freeStorageSpace\` must be above 0 and below the allocated storage (${storage} GiB), got: ${gib(free)} GiB.`);
      }
    }
    const lag = a.replicaLag;
    if (lag === undefined) {
      return;
    }
    if (t._mode === 'instance') {
      problems.add('`alarms.replicaLag` does not apply to a Multi-AZ DB instance: its standby is not readable and reports no lag. Remove it.');
    } else if (t._mode === 'aurora' && (t._readers ?? DEFAULT_READERS) === 0) {
      problems.add('`alarms.replicaLag` needs at least one Aurora reader to measure: set `readers`, or remove the threshold.');
    } else if (lag.isUnresolved()) {
      if (!converts(() => lagThreshold(lag, t._mode === 'aurora'))) {
        problems.add(`\`alarms.replicaLag\` is only known at deploy time, so it must be given in the unit of the metric: ${t._mode === 'aurora'
          ? 'Duration.millis(parameter.valueAsNumber) for AuroraReplicaLag' : 'Duration.seconds(parameter.valueAsNumber) for ReplicaLag'}.`);
      }
    } else if (!(lag.toMilliseconds({ integral: false }) > 0)) {
      problems.add(`\`alarms.replicaLag\` must be longer than 0, got: ${show(lag)}.`);
    }
  }
}

interface CommonSettings {
  readonly subnets: ec2.SubnetSelection;
  readonly backupRetention: Duration;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly dbPort: number;
  /** Distinct zones of the subnets, empty when unknown. */
  readonly availabilityZones: string[];
}

const DEFAULT_STORAGE = 100;
const DEFAULT_CLUSTER_IOPS = 1000;
const DEFAULT_READERS = 1;
const DEFAULT_CPU_PERCENT = 80;
const DEFAULT_FREE_STORAGE_GIB = 10;
const DEFAULT_REPLICA_LAG_SECONDS = 30;
const DEFAULT_USERNAME = 'admin';

/** Engines with IAM database authentication. */
const IAM_AUTH_ENGINES = ['mysql', 'mariadb', 'postgres', 'aurora-mysql', 'aurora-postgresql'];

/** RDS Proxy listens on its engine family's default port. */
const PROXY_PORTS: Record<string, number> = { MYSQL: 3306, POSTGRESQL: 5432, SQLSERVER: 1433 };

function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  return { subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS };
}

function defaultPort(engineType: string): number {
  if (engineType.includes('postgres')) {
    return 5432;
  }
  if (engineType.startsWith('oracle')) {
    return 1521;
  }
  if (engineType.startsWith('sqlserver')) {
    return 1433;
  }
  if (engineType.startsWith('db2')) {
    return 50000;
  }
  return 3306;
}

/** The error log of the MySQL and PostgreSQL families, for diagnosing a failover. */
function logExports(engineType: string): string[] | undefined {
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
function placeholderCredentials(username: string): rds.Credentials {
  return rds.Credentials.fromPassword(username, SecretValue.unsafePlainText('replaced-by-manage-master-user-password'));
}

function useManagedPassword(cfn: rds.CfnDBInstance | rds.CfnDBCluster): void {
  cfn.masterUserPassword = undefined;
  cfn.manageMasterUserPassword = true;
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

/** AuroraReplicaLag is in milliseconds, the ReplicaLag of a Multi-AZ DB cluster in seconds. */
function lagThreshold(lag: Duration, aurora: boolean): number {
  if (lag.isUnresolved()) {
    return aurora ? lag.toMilliseconds() : lag.toSeconds();
  }
  const ms = lag.toMilliseconds({ integral: false });
  return aurora ? ms : ms / 1000;
}

/** False when aws-cdk-lib cannot convert a deploy-time value to the unit needed. */
function converts(conversion: () => unknown): boolean {
  try {
    conversion();
    return true;
  } catch {
    return false;
  }
}


function gib(size: Size): string {
  return String(Math.round(size.toBytes() / 1024 ** 3 * 100) / 100);
}

import { Annotations, Arn, ArnComponents, ArnFormat, Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createDatabaseAlarms } from './database-alarms';
import { allowPublishing, createEventSubscription } from './database-notifications';
import { MultiAzDatabaseProps } from './database-options';
import type { DatabaseTopology } from './database-topology';
import { validateDatabase } from './database-validation';
import { DatabaseResourceType, IMultiAzDatabase, MultiAzDatabaseAttributes, MultiAzDatabaseBase } from './multi-az-database-base';
import { BoundDatabase, TopologySpec } from './topology-strategy';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { databaseFailover } from '../objectives/model/rds';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { AlarmFactory, NotifyTopic } from '../private/alarm-factory';
import { createAlarmTopic, Warning } from '../private/alarm-topic';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { knownRegion } from '../private/region';
import { checkInteger, show, unresolved } from '../private/validate';

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
export class MultiAzDatabase extends MultiAzDatabaseBase implements IRecoveryPathProvider {
  /**
   * Imports a multi-AZ database by attributes, e.g. for a runbook or a drill in another
   * region. Its region and account are those of `databaseArn`.
   */
  public static fromMultiAzDatabaseAttributes(scope: Construct, id: string, attrs: MultiAzDatabaseAttributes): IMultiAzDatabase {
    const problems = new Problems(scope);
    validateAttributes(problems, attrs);
    problems.throwIfAny();

    class Import extends MultiAzDatabaseBase {
      public readonly databaseIdentifier = attrs.databaseIdentifier;
      public readonly databaseArn = attrs.databaseArn;
      public readonly resourceType = attrs.resourceType;
      public readonly endpoint = attrs.endpoint;
      public readonly port = attrs.port;
      public readonly connections = new ec2.Connections({ securityGroups: attrs.securityGroups, defaultPort: ec2.Port.tcp(attrs.port) });

      constructor() {
        super(scope, id, { environmentFromArn: attrs.databaseArn });
      }
    }
    return new Import();
  }

  /** Where clients connect: the proxy's security groups with `proxy`, else the database's. */
  public readonly connections: ec2.Connections;
  /** The hostname clients should use: the proxy endpoint with `proxy`, else the writer endpoint. */
  public readonly endpoint: string;
  /** The port clients should use: the proxy's with `proxy`, else the database's. */
  public readonly port: number;
  /** The DB instance identifier, or the DB cluster identifier. */
  public readonly databaseIdentifier: string;
  /** The ARN of the DB instance or DB cluster. */
  public readonly databaseArn: string;
  /** `DB_INSTANCE` for the Multi-AZ DB instance topology, `DB_CLUSTER` for the others. */
  public readonly resourceType: DatabaseResourceType;
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
  /**
   * The Aurora global database created from this cluster. Its `attrGlobalEndpoint` is the global
   * writer endpoint, which always names the current primary's writer: clients that use it follow
   * a switchover or a failover to another region, as the cross-region paths assume.
   *
   * @default - undefined unless the topology is `auroraGlobalPrimary()`
   */
  public readonly globalCluster?: rds.CfnGlobalCluster;
  /** The subscription that sends the database's failover events to the alarm topic. */
  public readonly eventSubscription: rds.CfnEventSubscription;
  /** The topic told about failovers and alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** The CloudWatch alarms: CPU, free storage, connections and replica lag, as they apply. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** The modeled recovery from the loss of the writer's Availability Zone. */
  public readonly estimate: RecoveryEstimate;

  private readonly topology: TopologySpec;
  private readonly database: BoundDatabase;
  private readonly engineType: string;
  private readonly iamAuthentication: boolean;
  private readonly warnings: Warning[] = [];

  constructor(scope: Construct, id: string, private readonly props: MultiAzDatabaseProps) {
    super(scope, id);
    this.topology = props.topology._spec;
    const t = this.topology;
    this.engineType = t.engineType;
    this.iamAuthentication = IAM_AUTH_ENGINES.includes(this.engineType);
    this.masterUsername = t.defaultUsername ?? DEFAULT_USERNAME;
    this.resourceType = t.resourceType;

    const subnets = props.vpcSubnets ?? defaultSubnets(props.vpc);
    const availabilityZones = validateDatabase(this, props, subnets, this.warnings);

    const dbPort = props.port ?? defaultPort(this.engineType);
    const database = props.topology._bind(this, {
      vpc: props.vpc,
      subnets,
      availabilityZones,
      backupRetention: props.backupRetention ?? Duration.days(7),
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
      port: props.port,
      dbPort,
      databaseName: props.databaseName,
      masterUsername: this.masterUsername,
      iamAuthentication: this.iamAuthentication,
    });
    this.database = database;
    this.instance = database.instance;
    this.cluster = database.cluster;
    this.cfnCluster = database.cfnCluster;
    this.databaseIdentifier = database.identifier;
    this.databaseArn = database.arn;
    this.secret = database.secret ?? secretsmanager.Secret.fromSecretCompleteArn(this, 'Secret', database.secretArn);
    this.globalCluster = database.globalCluster;

    if (props.proxy) {
      this.dbProxy = this.createProxy(subnets);
      const proxyPort = PROXY_PORTS[this.engineFamily!];
      this.connections = new ec2.Connections({ securityGroups: this.dbProxy.connections.securityGroups, defaultPort: ec2.Port.tcp(proxyPort) });
      this.endpoint = this.dbProxy.endpoint;
      this.port = proxyPort;
    } else {
      this.connections = database.connections;
      this.endpoint = database.endpoint;
      this.port = dbPort;
    }

    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this);
    const alarmFactory = new AlarmFactory(this, new NotifyTopic(this.alarmTopic));
    createDatabaseAlarms(this, alarmFactory, t, props.alarms ?? {});
    database.addAlarms?.(alarmFactory, this);
    this.alarms = alarmFactory.alarms;
    const topicWarning = allowPublishing(this, this.alarmTopic, this.alarms);
    this.eventSubscription = createEventSubscription(this, this.alarmTopic);
    if (topicWarning) {
      this.warnings.push(topicWarning);
    }

    this.estimate = RecoveryEstimate._fromModel(databaseFailover({
      mode: t.mode,
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
    return this.database.grantConnect(grantee, dbUser);
  }

  private get engineFamily(): string | undefined {
    return this.topology.engineFamily;
  }

  /** Failover targets: the standby, the two readable standbys, or the Aurora readers. */
  private get replicas(): number {
    return this.topology.replicas;
  }

  /** @internal whether the database was built with `topology` (a strategy checks the workload used the one it gave). */
  public _builtWith(topology: DatabaseTopology): boolean {
    return this.props.topology === topology;
  }

  /**
   * The failover to the standby or a replica in another Availability Zone; for a global
   * secondary, also the switchover and the failover from the primary region.
   */
  public recoveryPaths(): RecoveryPath[] {
    return [this.inRegionPath(), ...this.database.recoveryPaths?.(this, this.props.assumptions) ?? []];
  }

  private inRegionPath(): RecoveryPath {
    const t = this.topology;
    const region = knownRegion(this);
    const via = this.props.proxy ? ', via RDS Proxy' : '';
    const health = 'RDS automatic failover';
    return new RecoveryPath({
      id: 'failover',
      kind: RecoveryPathKind.MULTI_AZ_DATABASE,
      name: `${this.node.id} (${t.description}, ${this.engineType}${via})`,
      endpoints: [
        { label: `${this.node.id} writer`, role: EndpointRole.PRIMARY, region, health },
        { label: t.failoverTarget, role: EndpointRole.SECONDARY, region, health },
      ],
      estimate: this.estimate,
      warnings: this.warnings.map((w) => w.message),
    });
  }

  private createProxy(subnets: ec2.SubnetSelection): rds.DatabaseProxy {
    return new rds.DatabaseProxy(this, 'Proxy', {
      // Without the aws-cdk-lib feature flag the proxy would be named `Proxy`, the same for every
      // database of the account and region.
      dbProxyName: `${Names.uniqueResourceName(this, { maxLength: 54 })}-proxy`,
      proxyTarget: this.database.proxyTarget(),
      secrets: [this.secret],
      vpc: this.props.vpc,
      vpcSubnets: subnets,
      requireTLS: true,
      iamAuth: true,
    });
  }
}

const DEFAULT_USERNAME = 'admin';

/** Engines with IAM database authentication. */
const IAM_AUTH_ENGINES = ['mysql', 'mariadb', 'postgres', 'aurora-mysql', 'aurora-postgresql'];

/** RDS Proxy listens on its engine family's default port. */
const PROXY_PORTS: Record<string, number> = { MYSQL: 3306, POSTGRESQL: 5432, SQLSERVER: 1433 };

/** The ARN's resource type of each kind of database. */
const ARN_RESOURCE: Record<DatabaseResourceType, string> = {
  [DatabaseResourceType.DB_INSTANCE]: 'db',
  [DatabaseResourceType.DB_CLUSTER]: 'cluster',
};

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

/** The literal parts of imported attributes: an RDS ARN of the resource type, naming the identifier. */
function validateAttributes(problems: Problems, attrs: MultiAzDatabaseAttributes): void {
  checkInteger(problems, 'port', attrs.port, 1, 65535, 'Give the port clients connect to.');
  if (unresolved(attrs.databaseArn)) {
    return;
  }
  const expected = ARN_RESOURCE[attrs.resourceType];
  let arn: ArnComponents | undefined;
  try {
    arn = Arn.split(attrs.databaseArn, ArnFormat.COLON_RESOURCE_NAME);
  } catch {
    arn = undefined;
  }
  if (!arn || arn.service !== 'rds' || arn.resource !== expected) {
    problems.add(`\`databaseArn\` must be the ARN of an RDS ${attrs.resourceType === DatabaseResourceType.DB_INSTANCE ? 'DB instance' : 'DB cluster'} `
      + `(arn:aws:rds:<region>:<account>:${expected}:<identifier>) for \`resourceType\` ${attrs.resourceType}, got: ${show(attrs.databaseArn)}.`);
  } else if (!unresolved(attrs.databaseIdentifier) && arn.resourceName?.toLowerCase() !== attrs.databaseIdentifier.toLowerCase()) {
    problems.add(`\`databaseIdentifier\` must be the identifier in \`databaseArn\` (${arn.resourceName}), got: ${show(attrs.databaseIdentifier)}.`);
  }
}

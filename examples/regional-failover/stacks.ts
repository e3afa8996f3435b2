// In your own app, import from 'cdk-failover'.
import * as path from 'path';
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  ActiveRegion, DatabaseTopology, DnsFailover, FailbackRunbook, FailoverDashboard, FailoverRunbook, FailoverTarget, Fence, ManagedRpo,
  MultiAzDatabase, MultiAzService, PromoteData, RecoveryObjectives, RegionSwitchPlan, RoutingControls, RpoGuard, RunbookStep, ScaleCapacity,
  ServiceTargets, SwitchTraffic, VerifyRecovery, WaitHealthy,
} from '../../src';
import { accessLogsBucket, alarmTopic, regionalVpc } from '../regional-base';

/**
 * Settings of the example; override them with `-c account=... -c primaryRegion=... -c zoneId=...`.
 */
export interface RegionalFailoverSettings {
  readonly account: string;
  readonly primaryRegion: string;
  readonly recoveryRegion: string;
  readonly zoneId: string;
  readonly zoneName: string;
  /** The public name clients use: `<recordName>.<zoneName>`. */
  readonly recordName: string;
  /** Prefix of every deterministic name the Regions meet by. */
  readonly prefix: string;
}

function settingsFrom(app: App): RegionalFailoverSettings {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  return {
    account: get('account', '111111111111'),
    primaryRegion: get('primaryRegion', 'us-east-1'),
    recoveryRegion: get('recoveryRegion', 'us-west-2'),
    zoneId: get('zoneId', 'Z0000000000EXAMPLE'),
    zoneName: get('zoneName', 'example.com'),
    recordName: get('recordName', 'app'),
    prefix: get('prefix', 'orders'),
  };
}

/**
 * The names the Regions meet by: each stack computes them from the settings, none is exported.
 */
class Names {
  /** The web service, in the ECS cluster of each Region. */
  public readonly service = 'web';
  constructor(private readonly s: RegionalFailoverSettings) {}
  public get globalCluster(): string {
    return `${this.s.prefix}-global`;
  }
  /** The Aurora cluster of a Region, e.g. `orders-us-west-2`. */
  public cluster(region: string): string {
    return `${this.s.prefix}-${region}`;
  }
  /** The ECS cluster of a Region. */
  public ecsCluster(region: string): string {
    return `${this.s.prefix}-${region}`;
  }
  public get controlPanel(): string {
    return this.s.prefix;
  }
  public get publicName(): string {
    return `${this.s.recordName}.${this.s.zoneName}`;
  }
  public regionalName(region: string): string {
    return `${region}.${this.publicName}`;
  }
  public get healthUrl(): string {
    return `https://${this.publicName}/health`;
  }
}

/**
 * The application at its peak: 4 tasks. `MultiAzService` runs `ceil(4 / 2) = 2` per zone in 3
 * zones (6 tasks, so losing a zone leaves 4) in the active Region; the standby runs 1 task and
 * the failover runbook scales it to 6.
 */
const PEAK_TASKS = 4;
const STANDBY_TASKS = 1;
const ENGINE = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
const INSTANCE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
/** The lag the failover's RPO guard accepts: the alarm of the Aurora secondary fires above it. */
const MAX_LAG = Duration.minutes(1);

interface ExampleProps extends StackProps {
  readonly settings: RegionalFailoverSettings;
}

interface AppProps extends ExampleProps {
  /** The active-Region parameter of this stack's Region (in its own stack). */
  readonly active: ActiveRegion;
  /** The routing controls (in the us-west-2 routing stack); reached by their parameter's name. */
  readonly controls: RoutingControls;
}

/** Named AZs: no context lookup, so synth needs no AWS credentials. */
abstract class NamedAzStack extends Stack {
  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }
}

/**
 * The active Region, in a small stack of each Region: the application stack of the Region reads
 * it at deploy time (a stack cannot read a parameter it creates), and the runbooks write it.
 */
export class ActiveRegionStack extends Stack {
  public readonly activeRegion: ActiveRegion;

  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props);
    const { settings } = props;
    this.activeRegion = new ActiveRegion(this, 'ActiveRegion', {
      appName: settings.prefix,
      primaryRegion: settings.primaryRegion,
      regions: [settings.primaryRegion, settings.recoveryRegion],
    });
  }
}

/**
 * What both Regions run: a VPC over three zones, the web service (Fargate behind an ALB, with
 * the regional record `<region>.app.example.com`), sized by the active Region, and the Aurora
 * cluster of the global database, each under a deterministic name.
 */
abstract class RegionalAppStack extends NamedAzStack {
  public readonly settings: RegionalFailoverSettings;
  public readonly names: Names;
  public readonly vpc: ec2.Vpc;
  public readonly service: MultiAzService;
  public readonly alarmTopic: sns.Topic;
  public readonly zone: route53.IHostedZone;

  constructor(scope: Construct, id: string, props: AppProps, cidr: string) {
    super(scope, id, props);
    const settings = this.settings = props.settings;
    const names = this.names = new Names(settings);
    this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });

    this.vpc = regionalVpc(this, cidr, true);

    this.alarmTopic = alarmTopic(this);

    const logs = accessLogsBucket(this);

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: names.regionalName(this.region),
      subjectAlternativeNames: [names.publicName],
      validation: acm.CertificateValidation.fromDns(this.zone),
    });
    // The runbooks scale and poll the ECS service by name.
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      clusterName: names.ecsCluster(this.region),
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.service = new MultiAzService(this, 'Web', {
      vpc: this.vpc,
      peakCapacity: PEAK_TASKS,
      targets: ServiceTargets.fargate({
        image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'web')),
        cluster,
        environment: { REGION: this.region },
      }),
      healthCheck: { path: '/health' },
      certificate,
      zone: this.zone,
      recordName: settings.recordName,
      alarmTopic: this.alarmTopic,
      accessLogsBucket: logs,
    });
    const service = this.service.fargateService!.node.defaultChild as ecs.CfnService;
    service.serviceName = names.service;
    // Full capacity where the Region is active, a pilot light where it stands by. The value is
    // read when this stack deploys, so a deploy after a failover keeps the runbook's capacity.
    service.desiredCount = props.active.capacityFor(this, this.service.minCapacity, STANDBY_TASKS);
    NagSuppressions.addResourceSuppressions(this.service.fargateService!.taskDefinition, [
      { id: 'AwsSolutions-ECS2', reason: 'The only variable is REGION, the Region marker the page returns: not a secret, and fixed per stack.' },
      { id: 'AwsSolutions-IAM5', reason: 'Pulling the image asset needs ecr:GetAuthorizationToken, which has no resource-level permission; the pulls are scoped to the assets repository.', appliesTo: ['Resource::*'] },
    ], true);
    NagSuppressions.addResourceSuppressions(this.service.loadBalancer, [
      { id: 'AwsSolutions-EC23', reason: 'A public web service: its load balancer accepts HTTP and HTTPS from anywhere (HTTP only redirects).' },
    ], true);
  }

  /** Names the Aurora cluster, so that the runbooks of both Regions can call it by name. */
  protected nameCluster(database: MultiAzDatabase): void {
    (database.cluster!.node.defaultChild as rds.CfnDBCluster).dbClusterIdentifier = this.names.cluster(this.region);
  }
}

/**
 * The primary Region: the Aurora global database's primary cluster, the web service, and the
 * failback runbook (it runs in the Region it moves back to).
 */
export class PrimaryAppStack extends RegionalAppStack {
  public readonly database: MultiAzDatabase;
  public readonly failback: FailbackRunbook;
  /** The failback's steps, which the Region switch plan takes too. */
  public readonly failbackSteps: RunbookStep[];

  constructor(scope: Construct, id: string, props: AppProps) {
    super(scope, id, props, '10.50.0.0/16');
    const { settings, names } = this;

    // Commits block while no secondary is within the RPO: the RPO is a bound, not a hope.
    this.database = new MultiAzDatabase(this, 'Orders', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      topology: DatabaseTopology.auroraGlobalPrimary({
        engine: ENGINE,
        globalClusterIdentifier: names.globalCluster,
        instanceType: INSTANCE,
        readers: 2,
        managedRpo: ManagedRpo.fromObjectives(),
        secretReplicaRegions: [settings.recoveryRegion],
      }),
      databaseName: 'orders',
      alarmTopic: this.alarmTopic,
    });
    this.nameCluster(this.database);
    this.database.connections.allowDefaultPortFrom(this.service.fargateService!, 'the web tasks');
    // RDS cannot manage the master password of a global database cluster, so the construct
    // generates a secret and replicates it to the recovery region.
    NagSuppressions.addResourceSuppressionsByPath(this, `${this.database.node.path}/Cluster/Secret/Resource`, [
      { id: 'AwsSolutions-SMG4', reason: 'Break-glass credentials of the global cluster, replicated to the recovery region; clients use IAM authentication. Rotating them needs a rotation function with a route to Secrets Manager from the isolated subnets, left to the application.' },
    ]);

    // After a failover this cluster is the secondary: its lag, as the failback's guard reads it.
    // No data (it is not replicating yet) refuses the failback.
    const lagAlarm = new cloudwatch.Alarm(this, 'FailbackLag', {
      alarmDescription: `The lag of ${names.cluster(this.region)} behind the global database's writer; OK when a switchover back loses nothing and waits little.`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName: 'AuroraGlobalDBRPOLag',
        dimensionsMap: { DBClusterIdentifier: names.cluster(this.region) },
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 5_000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    // Started by a person once the primary Region is back and its cluster has rejoined the
    // global database as a secondary: nothing is lost, then traffic comes back.
    this.failbackSteps = [
      RpoGuard.alarm({ alarm: lagAlarm, maxLag: Duration.seconds(5), source: `the ${settings.prefix} database in ${this.region}` }),
      PromoteData.auroraGlobalSwitchover({
        globalClusterIdentifier: names.globalCluster,
        clusterIdentifier: names.cluster(this.region),
        primaryClusterIdentifier: names.cluster(settings.recoveryRegion),
        primaryRegion: settings.recoveryRegion,
      }),
      WaitHealthy.targetGroup({ targetGroup: this.service.targetGroup, minimumHealthy: this.service.minCapacity }),
      SwitchTraffic.routingControls({ controls: props.controls, region: this.region }),
      VerifyRecovery.http({ url: names.healthUrl, header: { name: 'x-region', value: this.region } }),
    ];
    this.failback = new FailbackRunbook(this, 'Failback', {
      fromRegion: settings.recoveryRegion,
      stateMachineName: `${settings.prefix}-failback`,
      activeRegion: props.active,
      steps: this.failbackSteps,
    });
  }
}

/** What the failover steps need from the recovery Region's stack. */
export interface FailoverParts {
  readonly settings: RegionalFailoverSettings;
  readonly controls: RoutingControls;
  readonly lagAlarm: cloudwatch.IAlarm;
  readonly service: MultiAzService;
}

/**
 * The failover, in order: the one description that the runbook runs, and that a Region switch
 * plan will be generated from.
 */
export function failoverSteps(p: FailoverParts): RunbookStep[] {
  const names = new Names(p.settings);
  const { primaryRegion, recoveryRegion } = p.settings;
  return [
    // Refuse while the secondary lags more than the RPO (or reports nothing), unless the
    // operator accepts the loss: start with { "allowDataLoss": true }.
    RpoGuard.alarm({ alarm: p.lagAlarm, maxLag: MAX_LAG, source: `the ${p.settings.prefix} database` }),
    // Turn the old primary's routing control Off through ARC's data plane, which does not depend
    // on the failed Region: no client reaches it while it may still take writes.
    Fence.routingControl({ controls: p.controls, region: primaryRegion }),
    PromoteData.auroraGlobalFailover({
      globalClusterIdentifier: names.globalCluster,
      clusterIdentifier: names.cluster(recoveryRegion),
      primaryClusterIdentifier: names.cluster(primaryRegion),
      primaryRegion,
    }),
    ScaleCapacity.ecsService({ clusterName: names.ecsCluster(recoveryRegion), serviceName: names.service, desiredCount: p.service.minCapacity }),
    WaitHealthy.targetGroup({ targetGroup: p.service.targetGroup, minimumHealthy: p.service.minCapacity }),
    SwitchTraffic.routingControls({ controls: p.controls, region: recoveryRegion }),
    VerifyRecovery.http({ url: names.healthUrl, header: { name: 'x-region', value: recoveryRegion } }),
  ];
}

/**
 * The recovery Region: the Aurora secondary, the web service as a pilot light, and the
 * failover runbook. Deployed after the primary; it reaches the primary's resources by name only.
 */
export class RecoveryAppStack extends RegionalAppStack {
  public readonly database: MultiAzDatabase;
  public readonly failover: FailoverRunbook;
  /** The failover's steps, which the Region switch plan takes too. */
  public readonly failoverSteps: RunbookStep[];

  constructor(scope: Construct, id: string, props: AppProps) {
    super(scope, id, props, '10.51.0.0/16');
    const { settings, names } = this;

    // A reader in a second zone, so a promoted secondary is Multi-AZ from its first minute.
    this.database = new MultiAzDatabase(this, 'Orders', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      topology: DatabaseTopology.auroraGlobalSecondary({
        engine: ENGINE,
        globalClusterIdentifier: names.globalCluster,
        primaryRegion: settings.primaryRegion,
        instanceType: INSTANCE,
        readers: 1,
        rpoLagAlarmThreshold: MAX_LAG,
      }),
      alarmTopic: this.alarmTopic,
    });
    this.nameCluster(this.database);
    this.database.connections.allowDefaultPortFrom(this.service.fargateService!, 'the web tasks');
    const lagAlarm = this.database.alarms.find((a) => a.node.id === 'GlobalLag')!;

    this.failoverSteps = failoverSteps({ settings, controls: props.controls, lagAlarm, service: this.service });
    this.failover = new FailoverRunbook(this, 'Failover', {
      fromRegion: settings.primaryRegion,
      stateMachineName: `${settings.prefix}-failover`,
      activeRegion: props.active,
      steps: this.failoverSteps,
    });
  }
}

/**
 * ARC routing controls and the DNS failover that follows them, in us-west-2 (where
 * CloudFormation has the ARC resources). Health checks and records are global; the regional
 * records are reached by name. The routing controls write their configuration (cluster
 * endpoints, control ARNs) into an SSM parameter in both Regions, where the runbooks read it.
 */
export class RoutingStack extends Stack {
  public readonly controls: RoutingControls;
  public readonly failover: DnsFailover;

  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props);
    const { settings } = props;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });
    this.controls = new RoutingControls(this, 'Controls', {
      regions: [settings.primaryRegion, settings.recoveryRegion],
      controlPanelName: new Names(settings).controlPanel,
      controlNamePrefix: `${settings.prefix}-`,
    });
    this.failover = new DnsFailover(this, 'AppFailover', {
      zone,
      recordName: settings.recordName,
      primary: FailoverTarget.regionalRecord(settings.primaryRegion),
      secondary: FailoverTarget.regionalRecord(settings.recoveryRegion),
      primaryHealthCheck: this.controls.healthCheck(settings.primaryRegion),
      secondaryHealthCheck: this.controls.healthCheck(settings.recoveryRegion),
    });
  }
}

/** The stacks of the example. */
export interface RegionalFailoverExample {
  readonly primaryState: ActiveRegionStack;
  readonly recoveryState: ActiveRegionStack;
  readonly primary: PrimaryAppStack;
  readonly recovery: RecoveryAppStack;
  readonly routing: RoutingStack;
}

/**
 * Builds the example into `app`: the active-Region parameter of each Region, the primary
 * Region's application, the recovery Region's, and the routing in us-west-2.
 */
export function buildRegionalFailoverExample(app: App): RegionalFailoverExample {
  const settings = settingsFrom(app);
  const env = (region: string) => ({ account: settings.account, region });
  // RTO 30 min: the failover runbook's worst case is 26 min 25 s, dominated by the decision
  // (a person sees the outage and starts it: 10 min assumed); then the Aurora failover and the
  // ECS scale-out (5 min each, assumed until a drill measures them). RPO 1 min: the managed RPO
  // (rds.global_db_rpo, from this objective) bounds the lag, and the runbook's RPO guard refuses above it.
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30), rpo: MAX_LAG });

  const routing = new RoutingStack(app, 'RegionalFailoverRouting', { env: env('us-west-2'), settings });
  const primaryState = new ActiveRegionStack(app, 'RegionalFailoverPrimaryState', { env: env(settings.primaryRegion), settings });
  const recoveryState = new ActiveRegionStack(app, 'RegionalFailoverRecoveryState', { env: env(settings.recoveryRegion), settings });
  const primary = new PrimaryAppStack(app, 'RegionalFailoverPrimary', {
    env: env(settings.primaryRegion), settings, active: primaryState.activeRegion, controls: routing.controls,
  });
  const recovery = new RecoveryAppStack(app, 'RegionalFailoverRecovery', {
    env: env(settings.recoveryRegion), settings, active: recoveryState.activeRegion, controls: routing.controls,
  });
  // The managed alternative to the runbooks: an ARC Region switch plan from the same steps, in
  // the routing stack, whose routing controls its blocks reference. The steps no block can run
  // (the guards, the waits, the verification, the fence under the assertion rule) are left out,
  // with a warning; the plan's path in the report counts the whole replication lag.
  new RegionSwitchPlan(routing, 'RegionSwitch', {
    planName: `${settings.prefix}-region-switch`,
    primaryRegion: settings.primaryRegion,
    standbyRegion: settings.recoveryRegion,
    failoverSteps: recovery.failoverSteps,
    failbackSteps: primary.failbackSteps,
    omitStepsWithoutBlock: true,
  });
  // One dashboard for the app: the paths against the objectives, the health checks, the lag, the drills.
  new FailoverDashboard(routing, 'Dashboard', { dashboardName: `${settings.prefix}-failover` });
  // Deploy order only: the regional records exist before the failover records alias them. No exports.
  routing.addDependency(primary);
  routing.addDependency(recovery);
  return { primaryState, recoveryState, primary, recovery, routing };
}

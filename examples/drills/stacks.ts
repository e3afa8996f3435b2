// In your own app, import from 'cdk-failover'.
import * as path from 'path';
import { App, CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  DatabaseTopology, DnsFailover, DrillFault, DrillInjection, DrillResults, EndpointHealthCheck, FailoverDashboard, FailoverDrill, FailoverTarget,
  FisExperiment, MeasureUntil, MultiAzDatabase, MultiAzService, RecoveryObjectives, ServiceTargets,
} from '../../src';
import { accessLogsBucket, alarmTopic, regionalVpc } from '../regional-base';

/**
 * Settings of the example; override them with `-c account=... -c primaryRegion=... -c zoneId=...`.
 */
export interface DrillsSettings {
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

function settingsFrom(app: App): DrillsSettings {
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

/** The names the Regions meet by: each stack computes them from the settings, none is exported. */
export class DrillNames {
  constructor(private readonly s: DrillsSettings) {}
  public get publicName(): string {
    return `${this.s.recordName}.${this.s.zoneName}`;
  }
  /** The regional record of a Region, e.g. `us-east-1.app.example.com`. */
  public regionalName(region: string): string {
    return `${region}.${this.publicName}`;
  }
  /** The Aurora cluster of the primary Region. */
  public cluster(region: string): string {
    return `${this.s.prefix}-${region}`;
  }
  /** A drill's name: its metrics' `Drill` dimension and its summaries' folder. */
  public drill(what: string): string {
    return `${this.s.prefix}-${what}`;
  }
}

/**
 * When no drill starts (UTC), for both drills: never on a Friday, never on the freeze dates. A
 * scheduled game day falling in them is refused at its start, like a manual one.
 */
export const DRILL_CALENDAR = {
  blockedWindows: ['Fri:00:00-Fri:23:59'],
  blockedDates: ['2026-12-24', '2026-12-31'],
};

/** Where to start the drill and find its summaries: outputs to read, never exports. */
function drillOutputs(drill: FailoverDrill): void {
  const scope = drill.node.scope!;
  new CfnOutput(scope, `${drill.node.id}StateMachine`, { value: drill.stateMachine.stateMachineArn, description: `Start ${drill.drillName} here` });
  new CfnOutput(scope, `${drill.node.id}Results`, { value: drill.resultsBucket.bucketName, description: `The summaries of ${drill.drillName}, under drills/${drill.drillName}/` });
}

const ENGINE = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
const INSTANCE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);

interface ExampleProps extends StackProps {
  readonly settings: DrillsSettings;
}

function importZone(scope: Construct, settings: DrillsSettings): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });
}

/**
 * What both Regions run: a VPC over three zones and a small web service (Fargate behind an ALB)
 * whose answers carry an `x-region` header naming the Region, under the regional record
 * `<region>.app.example.com` that the failover pair points at.
 */
export class RegionalWebStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly service: MultiAzService;
  public readonly alarmTopic: sns.Topic;

  /** Named AZs: no context lookup, so synth needs no AWS credentials. */
  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }

  constructor(scope: Construct, id: string, props: ExampleProps, cidr: string) {
    super(scope, id, props);
    const { settings } = props;
    const names = new DrillNames(settings);
    const zone = importZone(this, settings);

    this.vpc = regionalVpc(this, cidr, true);

    this.alarmTopic = alarmTopic(this);

    const logs = accessLogsBucket(this);

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: names.regionalName(this.region),
      subjectAlternativeNames: [names.publicName],
      validation: acm.CertificateValidation.fromDns(zone),
    });
    // Peak 2 tasks: one per zone in three zones, so losing a zone leaves 2.
    this.service = new MultiAzService(this, 'Web', {
      vpc: this.vpc,
      peakCapacity: 2,
      targets: ServiceTargets.fargate({
        image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'web')),
        environment: { REGION: this.region },
      }),
      healthCheck: { path: '/health' },
      certificate,
      zone,
      recordName: settings.recordName,
      // AWS shifts traffic away from an impaired zone; its practice runs keep the drills' calendar.
      zonalAutoshift: { blockedWindows: DRILL_CALENDAR.blockedWindows, blockedDates: DRILL_CALENDAR.blockedDates },
      alarmTopic: this.alarmTopic,
      accessLogsBucket: logs,
    });
    NagSuppressions.addResourceSuppressions(this.service.fargateService!.taskDefinition, [
      { id: 'AwsSolutions-ECS2', reason: 'The only variable is REGION, the Region marker the page returns: not a secret, and fixed per stack.' },
      { id: 'AwsSolutions-IAM5', reason: 'Pulling the image asset needs ecr:GetAuthorizationToken, which has no resource-level permission; the pulls are scoped to the assets repository.', appliesTo: ['Resource::*'] },
    ], true);
    NagSuppressions.addResourceSuppressions(this.service.loadBalancer, [
      { id: 'AwsSolutions-EC23', reason: 'A public web service: its load balancer accepts HTTP and HTTPS from anywhere (HTTP only redirects).' },
    ], true);
  }
}

/**
 * The primary Region: the web service, an Aurora cluster (a writer and a reader in another
 * zone), and the Aurora failover drill: an FIS experiment fails the cluster over, stopped by the
 * web service's error-rate alarm, while the drill's client measures until requests are served
 * again. An in-region fault: the primary Region survives it, so the drill runs there.
 */
export class PrimaryStack extends RegionalWebStack {
  public readonly database: MultiAzDatabase;
  public readonly experiment: FisExperiment;
  public readonly drill: FailoverDrill;

  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props, '10.60.0.0/16');
    const names = new DrillNames(props.settings);

    // Encrypted, deletion-protected and retained: a drill must never be what loses the data.
    this.database = new MultiAzDatabase(this, 'Orders', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      topology: DatabaseTopology.aurora({ engine: ENGINE, instanceType: INSTANCE, readers: 1 }),
      databaseName: 'orders',
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      alarmTopic: this.alarmTopic,
    });
    (this.database.cluster!.node.defaultChild as rds.CfnDBCluster).dbClusterIdentifier = names.cluster(this.region);
    this.database.connections.allowDefaultPortFrom(this.service.fargateService!, 'the web tasks');

    // The writer moves to the reader; FIS stops the experiment if clients see too many errors.
    this.experiment = new FisExperiment(this, 'AuroraFailover', {
      faults: [DrillFault.auroraClusterFailover({ cluster: this.database.cluster! })],
      errorRateAlarm: this.service.errorRateAlarm,
    });

    this.drill = new FailoverDrill(this, 'AuroraDrill', {
      drillName: names.drill('aurora-failover'),
      injection: DrillInjection.fisExperiment({ experiment: this.experiment }),
      path: this.database,
      pathId: 'failover',
      // The regional name: this Region's service, whatever DNS answers. A client sees the
      // failover only if the page reads the database: point this at such a page of your app
      // (the stand-in web page of the example never does, so its drill reports no impact).
      measure: { url: `https://${names.regionalName(this.region)}/health`, until: MeasureUntil.RECOVERED },
      ...DRILL_CALENDAR,
    });
    drillOutputs(this.drill);
  }
}

/** The recovery Region's web service: the standby the DNS drill's client must see answer. */
export class RecoveryStack extends RegionalWebStack {
  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props, '10.61.0.0/16');
  }
}

/**
 * The regional DNS failover and its drill, in the recovery Region (the one that survives the
 * drill): the failover pair `app.example.com` between the regional records, the health check
 * of the primary's regional name, and the drill that inverts that check so that Route 53
 * answers with the recovery Region, measured by a client that waits for `x-region: us-west-2`.
 * Health checks and records are global; the regional records are reached by name.
 */
export class DnsDrillStack extends Stack {
  public readonly failover: DnsFailover;
  public readonly primaryCheck: EndpointHealthCheck;
  public readonly drill: FailoverDrill;

  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props);
    const { settings } = props;
    const names = new DrillNames(settings);
    const zone = importZone(this, settings);

    this.primaryCheck = new EndpointHealthCheck(this, 'PrimaryCheck', {
      domainName: names.regionalName(settings.primaryRegion),
      resourcePath: '/health',
      searchString: 'ok',
    });
    this.failover = new DnsFailover(this, 'AppFailover', {
      zone,
      recordName: settings.recordName,
      primary: FailoverTarget.regionalRecord(settings.primaryRegion),
      secondary: FailoverTarget.regionalRecord(settings.recoveryRegion),
      primaryHealthCheck: this.primaryCheck,
    });

    // The cheapest regional drill: nothing is broken, Route 53 only sees the primary unhealthy.
    // The drill reverts the inversion as soon as its client has seen the recovery Region answer.
    this.drill = new FailoverDrill(this, 'DnsDrill', {
      drillName: names.drill('dns-failover'),
      injection: DrillInjection.healthCheckInversion({ healthCheck: this.primaryCheck }),
      path: this.failover,
      measure: {
        url: `https://${names.publicName}/health`,
        standbyHeaderName: 'x-region',
        standbyHeaderValue: settings.recoveryRegion,
      },
      ...DRILL_CALENDAR,
      // A game day every first Tuesday of the month at 14:00 UTC. Created disabled: enable it
      // once a dry run and a manual drill have passed.
      gameDay: {
        schedule: scheduler.ScheduleExpression.cron({ weekDay: 'TUE#1', hour: '14', minute: '0' }),
        // enabled: true,
      },
    });
    drillOutputs(this.drill);

    // One dashboard for the app: the paths against the objectives, the health check, the drills.
    // Its drills graph reads each drill's metrics in the drill's own Region (the Aurora drill publishes in the primary's).
    new FailoverDashboard(this, 'Dashboard', { dashboardName: `${settings.prefix}-failover` });
  }
}

/** The stacks of the example. */
export interface DrillsExample {
  readonly primary: PrimaryStack;
  readonly recovery: RecoveryStack;
  readonly dns: DnsDrillStack;
  readonly results: DrillResults;
}

/**
 * Builds the example into `app`: the web service in both Regions (the Aurora cluster and its
 * drill in the primary), the DNS failover and its drill in the recovery Region, the objectives,
 * and what past drills measured.
 */
export function buildDrillsExample(app: App): DrillsExample {
  const settings = settingsFrom(app);
  const env = (region: string) => ({ account: settings.account, region });
  // RTO 15 min: zonal autoshift is the slowest path (up to 10 min for AWS to detect an impaired
  // zone); the drilled paths model far less. RPO 0: Aurora's failover within the
  // Region loses nothing committed.
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(15), rpo: Duration.seconds(0) });
  // What the drills measured, beside the model in the report: the drill results file your drills
  // wrote (`-c cdk-failover:drill-results=<file>`), else the checked-in SAMPLE, whose figures
  // are illustrative and say so.
  const results = DrillResults.fromContext(app, 'DrillResults')
    ?? DrillResults.fromFile(app, 'DrillResults', path.join(__dirname, 'drill-results.sample.json'));

  const primary = new PrimaryStack(app, 'DrillsPrimary', { env: env(settings.primaryRegion), settings });
  const recovery = new RecoveryStack(app, 'DrillsRecovery', { env: env(settings.recoveryRegion), settings });
  const dns = new DnsDrillStack(app, 'DrillsDns', { env: env(settings.recoveryRegion), settings });
  // Deploy order only: the regional records exist before the failover records alias them. No exports.
  dns.addDependency(primary);
  dns.addDependency(recovery);
  return { primary, recovery, dns, results };
}

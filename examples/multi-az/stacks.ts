// In your own app, import from 'cdk-failover'.
import { App, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DatabaseTopology, MultiAzDatabase, MultiAzService, RecoveryObjectives, ServiceTargets } from '../../src';

/** Settings of the example; override them with `-c account=... -c zoneId=...`. */
export interface MultiAzSettings {
  readonly account: string;
  readonly region: string;
  readonly zoneId: string;
  readonly zoneName: string;
  readonly recordName: string;
}

function settingsFrom(app: App): MultiAzSettings {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  return {
    account: get('account', '111111111111'),
    region: get('region', 'us-east-1'),
    zoneId: get('zoneId', 'Z0000000000EXAMPLE'),
    zoneName: get('zoneName', 'example.com'),
    recordName: get('recordName', 'shop'),
  };
}

interface MultiAzProps extends StackProps {
  readonly settings: MultiAzSettings;
}

/**
 * A web service and its database in three Availability Zones of one region: either survives
 * the loss of a zone without a deploy.
 */
export class MultiAzStack extends Stack {
  public readonly service: MultiAzService;
  public readonly database: MultiAzDatabase;

  /** Named AZs: no context lookup, so synth needs no AWS credentials. */
  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }

  constructor(scope: Construct, id: string, props: MultiAzProps) {
    super(scope, id, props);
    const { settings } = props;
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });

    // One NAT gateway per zone: a zone's outage does not take the others' egress with it.
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.30.0.0/16'),
      maxAzs: 3,
      natGateways: 3,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });

    const key = new kms.Key(this, 'AlarmKey', { enableKeyRotation: true, description: 'Encrypts the alarm topic' });
    const alarms = new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
    // A service publishes to an encrypted topic only if the key lets it use the key. The web
    // service's alarms need this statement; MultiAzDatabase adds one for RDS events and its own
    // alarms to a key of the app (and warns when the key is imported).
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'WebAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy `*` is this key.
      resources: ['*'],
    }));

    const logs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(logs, [
      { id: 'AwsSolutions-S1', reason: 'This bucket receives the load balancer access logs; logging it again would loop.' },
    ]);

    const regionalName = `${this.region}.${settings.recordName}.${settings.zoneName}`;
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: regionalName,
      subjectAlternativeNames: [`${settings.recordName}.${settings.zoneName}`],
      validation: acm.CertificateValidation.fromDns(zone),
    });

    // Peak: 4 tasks. Three zones of 2 tasks: losing one leaves 4. Scales out to 12 on CPU.
    this.service = new MultiAzService(this, 'Web', {
      vpc,
      peakCapacity: 4,
      maxCapacity: 12,
      targets: ServiceTargets.fargate({ image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') }),
      certificate,
      zone,
      recordName: settings.recordName,
      // AWS shifts traffic away from an impaired zone; no practice run on weekends.
      zonalAutoshift: { blockedWindows: ['Sat:00:00-Sat:23:59', 'Sun:00:00-Sun:23:59'] },
      alarmTopic: alarms,
      accessLogsBucket: logs,
    });

    // Aurora PostgreSQL: a writer and two readers, one per zone, behind RDS Proxy, in the
    // isolated subnets. Failover events and alarms go to the same topic.
    this.database = new MultiAzDatabase(this, 'Orders', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      topology: DatabaseTopology.aurora({
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        readers: 2,
      }),
      proxy: true,
      databaseName: 'orders',
      alarmTopic: alarms,
    });
    this.database.connections.allowDefaultPortFrom(this.service.fargateService!, 'the web tasks');
    this.database.grantConnect(this.service.fargateService!.taskDefinition.taskRole, this.database.masterUsername);

    NagSuppressions.addResourceSuppressions(this.service.loadBalancer, [
      { id: 'AwsSolutions-EC23', reason: 'A public web service: its load balancer accepts HTTP and HTTPS from anywhere (HTTP only redirects).' },
    ], true);
  }
}

/** Builds the example into `app`. */
export function buildMultiAzExample(app: App): { stack: MultiAzStack } {
  const settings = settingsFrom(app);
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(15), rpo: Duration.seconds(0) });
  const stack = new MultiAzStack(app, 'MultiAz', { env: { account: settings.account, region: settings.region }, settings });
  return { stack };
}

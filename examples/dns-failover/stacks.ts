// In your own app, import from 'cdk-failover'.
import { App, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  DnsFailover, EndpointHealthCheck, FailoverTarget, RecoveryObjectives, RegionalRecord,
} from '../../src';

/** Settings of the example; override them with `-c account=... -c zoneId=... -c zoneName=...`. */
export interface ExampleSettings {
  readonly account: string;
  readonly zoneId: string;
  readonly zoneName: string;
  readonly recordName: string;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
}

export function settingsFrom(app: App): ExampleSettings {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  return {
    account: get('account', '111111111111'),
    zoneId: get('zoneId', 'Z0000000000EXAMPLE'),
    zoneName: get('zoneName', 'example.com'),
    recordName: get('recordName', 'app'),
    primaryRegion: get('primaryRegion', 'us-east-1'),
    secondaryRegion: get('secondaryRegion', 'us-west-2'),
  };
}

/** The zone exists already; importing it by ID needs no lookup. */
function importZone(scope: Construct, settings: ExampleSettings): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });
}

interface RegionalProps extends StackProps {
  readonly settings: ExampleSettings;
}

/**
 * One region: a load balancer that answers `/health`, and the regional record
 * `<region>.app.example.com` that the failover pair points at.
 */
export class RegionalStack extends Stack {
  /** Named AZs: no context lookup, so synth needs no AWS credentials. */
  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }

  constructor(scope: Construct, id: string, props: RegionalProps) {
    super(scope, id, props);
    const { settings } = props;
    const zone = importZone(this, settings);
    const failoverName = `${settings.recordName}.${settings.zoneName}`;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
    });
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

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      dropInvalidHeaderFields: true,
    });
    alb.logAccessLogs(logs);
    NagSuppressions.addResourceSuppressions(alb, [
      { id: 'AwsSolutions-EC23', reason: 'A public load balancer: HTTPS from anywhere is the point, and Route 53 checkers probe it from 8 regions.' },
    ], true);

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: `${this.region}.${failoverName}`,
      subjectAlternativeNames: [failoverName],
      validation: acm.CertificateValidation.fromDns(zone),
    });
    alb.addListener('Https', {
      port: 443,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      // Stands in for the application: answers every path, including /health.
      defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'text/plain', messageBody: 'ok' }),
    });

    new RegionalRecord(this, 'RegionalRecord', {
      zone,
      recordName: settings.recordName,
      target: FailoverTarget.loadBalancer(alb),
    });
  }
}

interface GlobalProps extends StackProps {
  readonly settings: ExampleSettings;
}

/**
 * The failover pair for `app.example.com` and its health checks. It lives in the standby
 * region, so it stays manageable when the primary region is down; failover itself needs no
 * deploy and no API call.
 */
export class GlobalStack extends Stack {
  public readonly failover: DnsFailover;

  constructor(scope: Construct, id: string, props: GlobalProps) {
    super(scope, id, props);
    const { settings } = props;
    const zone = importZone(this, settings);
    const regional = (region: string) => `${region}.${settings.recordName}.${settings.zoneName}`;

    this.failover = new DnsFailover(this, 'AppFailover', {
      zone,
      recordName: settings.recordName,
      primary: FailoverTarget.regionalRecord(settings.primaryRegion),
      secondary: FailoverTarget.regionalRecord(settings.secondaryRegion),
      primaryHealthCheck: new EndpointHealthCheck(this, 'PrimaryCheck', {
        domainName: regional(settings.primaryRegion),
        resourcePath: '/health',
        searchString: 'ok',
      }),
      secondaryHealthCheck: new EndpointHealthCheck(this, 'SecondaryCheck', {
        domainName: regional(settings.secondaryRegion),
        resourcePath: '/health',
        searchString: 'ok',
      }),
    });
  }
}

/** Builds the example into `app`: two regional stacks, the failover stack, the objectives. */
export function buildExample(app: App): { primary: RegionalStack; secondary: RegionalStack; global: GlobalStack } {
  const settings = settingsFrom(app);
  const env = (region: string) => ({ account: settings.account, region });

  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(3) });

  const primary = new RegionalStack(app, 'DnsFailoverPrimary', { env: env(settings.primaryRegion), settings });
  const secondary = new RegionalStack(app, 'DnsFailoverSecondary', { env: env(settings.secondaryRegion), settings });
  const global = new GlobalStack(app, 'DnsFailoverGlobal', { env: env(settings.secondaryRegion), settings });
  // Deploy order only: the regional records must exist before aliases point at them. No exports.
  global.addDependency(primary);
  global.addDependency(secondary);
  return { primary, secondary, global };
}

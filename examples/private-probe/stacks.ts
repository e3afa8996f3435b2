// In your own app, import from 'cdk-failover'.
import { App, CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DnsFailover, FailoverTarget, HealthProbe, RecoveryObjectives, RegionalRecord } from '../../src';

/** Settings of the example; override them with `-c account=... -c zoneId=...`. */
export interface PrivateSettings {
  readonly account: string;
  readonly zoneId: string;
  readonly zoneName: string;
  readonly recordName: string;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
}

function settingsFrom(app: App): PrivateSettings {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  return {
    account: get('account', '111111111111'),
    zoneId: get('zoneId', 'Z0000000000PRIVATE'),
    zoneName: get('zoneName', 'internal.example.com'),
    recordName: get('recordName', 'orders'),
    primaryRegion: get('primaryRegion', 'us-east-1'),
    secondaryRegion: get('secondaryRegion', 'us-west-2'),
  };
}

interface RegionProps extends StackProps {
  readonly settings: PrivateSettings;
  /** A literal CIDR, so security group rules are checkable at synth. */
  readonly cidr: string;
}

/**
 * One region of a private service: an internal load balancer in isolated subnets, reachable
 * only inside the VPC, so Route 53's own checkers cannot see it.
 */
class PrivateRegion extends Stack {
  public readonly alb: elbv2.ApplicationLoadBalancer;
  public readonly vpc: ec2.Vpc;
  public readonly zone: route53.IHostedZone;
  public readonly monitoring: ec2.InterfaceVpcEndpoint;

  /** Named AZs: no context lookup, so synth needs no AWS credentials. */
  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }

  constructor(scope: Construct, id: string, props: RegionProps) {
    super(scope, id, props);
    const { settings } = props;
    this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });

    // No internet: the probe reaches CloudWatch and DynamoDB through VPC endpoints.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
      gatewayEndpoints: { dynamodb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    // Opened to the probe only, below.
    this.monitoring = this.vpc.addInterfaceEndpoint('Monitoring', { service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, open: false });

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
    this.alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc: this.vpc, internetFacing: false, dropInvalidHeaderFields: true });
    this.alb.logAccessLogs(logs);
    this.alb.connections.allowFrom(ec2.Peer.ipv4(props.cidr), ec2.Port.tcp(80), 'clients in the VPC');
    this.alb.addListener('Http', {
      port: 80,
      // Internal: only the VPC may connect (the listener opens to 0.0.0.0/0 otherwise).
      open: false,
      // Stands in for the application: answers every path, including /health.
      defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'text/plain', messageBody: 'orders: ok' }),
    });
  }
}

/** Builds the example into `app`: a private service in two regions, failed over by a probe. */
export function buildPrivateExample(app: App): { primary: PrivateRegion; secondary: PrivateRegion; failover: DnsFailover } {
  const settings = settingsFrom(app);
  const env = (region: string) => ({ account: settings.account, region });
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });

  const secondary = new PrivateRegion(app, 'PrivateSecondary', { env: env(settings.secondaryRegion), settings, cidr: '10.20.0.0/16' });
  new RegionalRecord(secondary, 'RegionalRecord', { zone: secondary.zone, recordName: settings.recordName, target: FailoverTarget.loadBalancer(secondary.alb) });

  const primary = new PrivateRegion(app, 'PrivatePrimary', { env: env(settings.primaryRegion), settings, cidr: '10.10.0.0/16' });
  // The probe runs inside the primary's VPC, six samples a minute; the latch keeps traffic on
  // the secondary until an operator resets it.
  const probe = new HealthProbe(primary, 'Probe', { vpc: primary.vpc, samplesPerMinute: 6, failuresToAlarm: 3 });
  primary.alb.connections.allowFrom(probe.function.connections, ec2.Port.tcp(80), 'the health probe');
  primary.monitoring.connections.allowDefaultPortFrom(probe.function.connections, 'the health probe publishes its metrics');
  const check = probe.addHttpTarget('orders-api', {
    url: `http://${primary.alb.loadBalancerDnsName}/health`,
    searchString: 'orders: ok',
    timeout: Duration.seconds(3),
    latch: true,
  });

  // The one command an operator runs to let traffic return after an outage.
  new CfnOutput(primary, 'OrdersLatchReset', { value: check.resetCommand!, description: 'Resets the orders-api latch: traffic returns to the primary' });

  // In the primary's stack, next to its probe: failover itself needs no deploy, and the
  // secondary is reached by its regional name.
  const failover = new DnsFailover(primary, 'OrdersFailover', {
    zone: primary.zone,
    recordName: settings.recordName,
    primary: FailoverTarget.loadBalancer(primary.alb),
    secondary: FailoverTarget.regionalRecord(settings.secondaryRegion),
    primaryHealthCheck: check,
  });
  primary.addDependency(secondary);

  NagSuppressions.addStackSuppressions(primary, [
    { id: 'AwsSolutions-IAM4', reason: 'The probe function uses the AWS-managed Lambda VPC execution policy for its network interfaces and logs.' },
  ]);
  return { primary, secondary, failover };
}

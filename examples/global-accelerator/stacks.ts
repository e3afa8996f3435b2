// In your own app, import from 'cdk-failover'.
import * as path from 'path';
import { Annotations, App, CfnOutput, Duration, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  AcceleratorEndpoint, AcceleratorEndpointKind, AcceleratorFailover, FailoverDashboard, MultiAzService, RecoveryObjectives, ServiceTargets,
} from '../../src';
import { accessLogsBucket, alarmTopic, regionalVpc } from '../regional-base';

/**
 * Settings of the example; override them with `-c account=... -c primaryRegion=... -c zoneId=...`.
 */
export interface GlobalAcceleratorSettings {
  readonly account: string;
  readonly primaryRegion: string;
  readonly recoveryRegion: string;
  readonly zoneId: string;
  readonly zoneName: string;
  /** The public name clients use: `<recordName>.<zoneName>`. */
  readonly recordName: string;
  /** Prefix of every deterministic name the Regions meet by. */
  readonly prefix: string;
  /**
   * The literal ARN of the recovery Region's load balancer (`-c recoveryLoadBalancerArn=arn:...`).
   * It is known only after the recovery stack's first deploy (its output `LoadBalancerArn`);
   * until then a placeholder of the right shape stands in, and the primary stack must not be
   * deployed with it.
   */
  readonly recoveryLoadBalancerArn: string;
  /** Whether `recoveryLoadBalancerArn` is the placeholder (no context value given). */
  readonly recoveryLoadBalancerArnIsPlaceholder: boolean;
  /** Whether to alias `<recordName>.<zoneName>` to the accelerator (`-c aliasRecord=false` leaves it out). */
  readonly aliasRecord: boolean;
}

/** The names the Regions meet by: each stack computes them from the settings, none is exported. */
export class AcceleratorNames {
  constructor(private readonly s: Pick<GlobalAcceleratorSettings, 'prefix' | 'recordName' | 'zoneName'>) {}
  public get publicName(): string {
    return `${this.s.recordName}.${this.s.zoneName}`;
  }
  /** The regional record of a Region, e.g. `us-east-1.app.example.com`. */
  public regionalName(region: string): string {
    return `${region}.${this.publicName}`;
  }
  /** The load balancer of a Region, e.g. `orders-web-us-west-2` (at most 32 characters). */
  public loadBalancer(region: string): string {
    const name = `${this.s.prefix}-web-${region}`;
    if (name.length > 32) {
      throw new Error(`The load balancer name ${name} is longer than the 32 characters ELB allows: give a shorter -c prefix=...`);
    }
    return name;
  }
  /** The accelerator. */
  public get accelerator(): string {
    return `${this.s.prefix}-accelerator`;
  }
}

/**
 * A stand-in for the recovery load balancer's ARN until its first deploy: the name is the one the
 * recovery stack gives it, the id (the last part) is known only once ELB has created it.
 */
export function placeholderLoadBalancerArn(account: string, region: string, name: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${name}/0000000000000000`;
}

function settingsFrom(app: App): GlobalAcceleratorSettings {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  const base = {
    account: get('account', '111111111111'),
    primaryRegion: get('primaryRegion', 'us-east-1'),
    recoveryRegion: get('recoveryRegion', 'us-west-2'),
    zoneId: get('zoneId', 'Z0000000000EXAMPLE'),
    zoneName: get('zoneName', 'example.com'),
    recordName: get('recordName', 'app'),
    prefix: get('prefix', 'orders'),
  };
  const given = app.node.tryGetContext('recoveryLoadBalancerArn') as string | undefined;
  const placeholder = placeholderLoadBalancerArn(base.account, base.recoveryRegion, new AcceleratorNames(base).loadBalancer(base.recoveryRegion));
  return {
    ...base,
    recoveryLoadBalancerArn: given ?? placeholder,
    recoveryLoadBalancerArnIsPlaceholder: given === undefined,
    aliasRecord: String(get('aliasRecord', 'true')) !== 'false',
  };
}

interface ExampleProps extends StackProps {
  readonly settings: GlobalAcceleratorSettings;
}

/**
 * What both Regions run: a VPC over three zones and a small web service (Fargate behind an ALB
 * named `<prefix>-web-<region>`) whose answers carry an `x-region` header naming the Region,
 * under the regional record `<region>.app.example.com`. Its certificate also covers
 * `app.example.com`: the accelerator forwards TCP 443 as it is, so the ALB answers for that name.
 */
export class RegionalWebStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly service: MultiAzService;
  public readonly alarmTopic: sns.Topic;
  public readonly zone: route53.IHostedZone;

  /** Named AZs: no context lookup, so synth needs no AWS credentials. */
  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((suffix) => `${this.region}${suffix}`);
  }

  constructor(scope: Construct, id: string, props: ExampleProps, cidr: string) {
    super(scope, id, props);
    const { settings } = props;
    const names = new AcceleratorNames(settings);
    this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: settings.zoneId, zoneName: settings.zoneName });

    this.vpc = regionalVpc(this, cidr, false);

    this.alarmTopic = alarmTopic(this);

    const logs = accessLogsBucket(this);

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: names.regionalName(this.region),
      subjectAlternativeNames: [names.publicName],
      validation: acm.CertificateValidation.fromDns(this.zone),
    });
    // Peak 2 tasks: one per zone in three zones, so losing a zone leaves 2. The target group
    // checks /health every 10 s (MultiAzService's defaults): the accelerator follows that health.
    this.service = new MultiAzService(this, 'Web', {
      vpc: this.vpc,
      peakCapacity: 2,
      targets: ServiceTargets.fargate({
        image: ecs.ContainerImage.fromAsset(path.join(__dirname, 'web')),
        environment: { REGION: this.region },
      }),
      healthCheck: { path: '/health' },
      certificate,
      zone: this.zone,
      recordName: settings.recordName,
      // AWS shifts traffic away from a zone it sees impaired (practice runs stopped by the error-rate alarm).
      zonalAutoshift: {},
      alarmTopic: this.alarmTopic,
      accessLogsBucket: logs,
    });
    // An impaired zone is not the accelerator's to handle: its load balancer still has healthy
    // targets, so the Region stays healthy. Zonal autoshift moves the traffic, after AWS has
    // detected the impairment (up to 10 min, docs/aws-facts.md): these paths get an objective of
    // their own, and the 2-minute one of the app stays for losing a Region.
    new RecoveryObjectives(this.service, 'ZoneObjectives', { rto: Duration.minutes(15) });
    // A deterministic name: the other Region finds this load balancer by it (its ARN adds an id
    // ELB picks at creation). A named load balancer cannot be replaced in place: change the
    // prefix to replace it.
    (this.service.loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer).name = names.loadBalancer(this.region);
    NagSuppressions.addResourceSuppressions(this.service.fargateService!.taskDefinition, [
      { id: 'AwsSolutions-ECS2', reason: 'The only variable is REGION, the Region marker the page returns: not a secret, and fixed per stack.' },
      { id: 'AwsSolutions-IAM5', reason: 'Pulling the image asset needs ecr:GetAuthorizationToken, which has no resource-level permission; the pulls are scoped to the assets repository.', appliesTo: ['Resource::*'] },
    ], true);
    NagSuppressions.addResourceSuppressions(this.service.loadBalancer, [
      { id: 'AwsSolutions-EC23', reason: 'A public web service: its load balancer accepts HTTP and HTTPS from anywhere, directly and through the accelerator (HTTP only redirects).' },
    ], true);
  }
}

/**
 * The primary Region: the web service and the accelerator, active-passive with this Region's
 * group at 100 % and the recovery Region's at 0 %.
 *
 * The accelerator lives here rather than in a stack of its own because its failover path starts
 * with the primary failing, and the model reads that detection from the primary load balancer's
 * target groups only when the load balancer is given as a construct of the accelerator's stack.
 * In a stack of its own, both load balancers would be ARNs (a construct of another stack would
 * be a cross-stack export), and detection would rest on the `targetHealthDetection` assumption.
 * Failover does not need this stack, or its Region's control plane: Global Accelerator moves
 * traffic on health alone, in its data plane (docs/aws-facts.md#arc-and-global-accelerator).
 */
export class PrimaryStack extends RegionalWebStack {
  public readonly accelerator: AcceleratorFailover;
  /** `app.example.com` aliased to the accelerator, unless `-c aliasRecord=false`. */
  public readonly aliasRecord?: route53.ARecord;

  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props, '10.70.0.0/16');
    const { settings } = props;
    const names = new AcceleratorNames(settings);

    this.accelerator = new AcceleratorFailover(this, 'Accelerator', {
      acceleratorName: names.accelerator,
      endpoints: [
        // This stack's load balancer: the model reads its target group's health check.
        AcceleratorEndpoint.applicationLoadBalancer(this.service.loadBalancer),
        // The recovery Region's, by the literal ARN read from context.
        AcceleratorEndpoint.fromArn(settings.recoveryRegion, settings.recoveryLoadBalancerArn, AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
      ],
      primaryRegion: settings.primaryRegion,
    });
    if (settings.recoveryLoadBalancerArnIsPlaceholder) {
      Annotations.of(this.accelerator).addWarningV2('example:recovery-arn-placeholder',
        `The recovery load balancer's ARN is a placeholder (${settings.recoveryLoadBalancerArn}). Deploy the recovery stack first, then this one `
        + 'with -c recoveryLoadBalancerArn=<its LoadBalancerArn output>.');
    }

    if (settings.aliasRecord) {
      // A convenience for people and browsers. The alias is only the first lookup: it answers
      // with the accelerator's static addresses, which never change on failover, so no DNS TTL
      // or client cache enters the failover path. Clients may as well keep the addresses.
      this.aliasRecord = new route53.ARecord(this, 'Alias', {
        zone: this.zone,
        recordName: settings.recordName,
        target: route53.RecordTarget.fromAlias(new targets.GlobalAcceleratorTarget(this.accelerator.accelerator)),
      });
    }

    new CfnOutput(this, 'AcceleratorDnsName', { value: this.accelerator.accelerator.dnsName, description: 'The accelerator\'s name (its two static addresses)' });
    new CfnOutput(this, 'AcceleratorAddresses', {
      value: Fn.join(',', this.accelerator.accelerator.ipv4Addresses ?? []),
      description: 'The accelerator\'s static IPv4 addresses: clients can keep them',
    });
    new CfnOutput(this, 'StandbyEndpointGroup', {
      value: this.accelerator.endpointGroup(settings.recoveryRegion).endpointGroupArn,
      description: 'The recovery Region\'s endpoint group: turn its traffic dial for drills and failback (control plane, us-west-2)',
    });

    // One dashboard for the app: the paths against the objectives.
    new FailoverDashboard(this, 'Dashboard', { dashboardName: `${settings.prefix}-failover` });
  }
}

/** The recovery Region's web service: the standby the accelerator fails over to. */
export class RecoveryStack extends RegionalWebStack {
  constructor(scope: Construct, id: string, props: ExampleProps) {
    super(scope, id, props, '10.71.0.0/16');
    const names = new AcceleratorNames(props.settings);
    // Read after the first deploy, and given to the accelerator's stack as a literal: an output, never an export.
    new CfnOutput(this, 'LoadBalancerArn', {
      value: this.service.loadBalancerArn,
      description: `The ARN of ${names.loadBalancer(this.region)}: deploy the primary stack with -c recoveryLoadBalancerArn=<this>`,
    });
  }
}

/** The stacks of the example. */
export interface GlobalAcceleratorExample {
  readonly settings: GlobalAcceleratorSettings;
  readonly primary: PrimaryStack;
  readonly recovery: RecoveryStack;
}

/**
 * Builds the example into `app`: the web service in both Regions, the accelerator (with the
 * optional alias) in the primary, and the objectives.
 */
export function buildGlobalAcceleratorExample(app: App): GlobalAcceleratorExample {
  const settings = settingsFrom(app);
  const env = (region: string) => ({ account: settings.account, region });
  // RTO 2 min: the accelerator path models 55 s at worst (the target group's 25 s detection,
  // then 30 s assumed for the reroute), with no DNS term. A DNS failover pair models 121 s and
  // would miss it. No data path here, so no RPO.
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(2) });

  const recovery = new RecoveryStack(app, 'GlobalAcceleratorRecovery', { env: env(settings.recoveryRegion), settings });
  const primary = new PrimaryStack(app, 'GlobalAcceleratorPrimary', { env: env(settings.primaryRegion), settings });
  // Deploy order only: the recovery load balancer exists (and its ARN is known) before the
  // accelerator names it. No exports.
  primary.addDependency(recovery);
  return { settings, primary, recovery };
}

import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { CfnZonalAutoshiftConfiguration } from 'aws-cdk-lib/aws-arczonalshift';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { IMultiAzService, MultiAzServiceAttributes, MultiAzServiceBase } from './multi-az-service-base';
import { createErrorRateAlarm, createZoneAlarms } from './service-alarms';
import { loadBalancerFullName, targetGroupFullName, validateServiceAttributes } from './service-attributes';
import { MultiAzServiceProps } from './service-options';
import { DEFAULT_HEALTH, validateService } from './service-validation';
import { createAutoshift } from './zonal-autoshift';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { ElbHealthInput, elbRerouting, elbTargetDetection } from '../objectives/model/elb';
import { Term } from '../objectives/model/term';
import { zonalShift } from '../objectives/model/zonal-shift';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { actionsFor, AlarmFactory } from '../private/alarm-factory';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { knownRegion } from '../private/region';
import { selectSubnets } from '../private/subnets';
import { secondsOf } from '../private/validate';
import { FailoverTarget } from '../routing/failover-target';
import { RegionalRecord } from '../routing/regional-record';

const DEFAULT_DEREGISTRATION_DELAY = 30;
const ALARM_PERIOD = Duration.minutes(1);

/**
 * A load-balanced service that survives the loss of an Availability Zone: an Application Load
 * Balancer over two or more zones (three recommended) in front of an EC2 Auto Scaling group or
 * a Fargate service.
 *
 * - **Static stability.** Each zone runs `ceil(peakCapacity / (zones - 1))` targets, so the
 *   zones left after losing one still serve the peak without scaling.
 * - **Fast, non-flapping target health.** Checks every 10 s with a 5 s timeout; a target is out
 *   after 2 failures (at most 25 s) and back after 3 passes.
 * - **Zonal shift** is enabled on the load balancer; `zonalAutoshift` lets AWS shift for you,
 *   with weekly practice runs judged by your alarms.
 * - **Per-zone alarms** fire when a zone's healthy targets stay below its share.
 * - **A regional record** `<region>.<name>` for DNS failover between regions.
 *
 * Both recovery paths, a failed target and an impaired zone, appear in the failover report.
 */
export class MultiAzService extends MultiAzServiceBase implements IRecoveryPathProvider {
  /**
   * Imports a multi-AZ service by attributes, e.g. for a runbook or a drill in another region.
   * Its region and account are those of `loadBalancerArn`.
   */
  public static fromMultiAzServiceAttributes(scope: Construct, id: string, attrs: MultiAzServiceAttributes): IMultiAzService {
    const problems = new Problems(scope);
    validateServiceAttributes(problems, attrs);
    problems.throwIfAny();

    class Import extends MultiAzServiceBase {
      public readonly loadBalancerArn = attrs.loadBalancerArn;
      public readonly loadBalancerDnsName = attrs.loadBalancerDnsName;
      public readonly targetGroupArn = attrs.targetGroupArn;
      public readonly availabilityZones = attrs.availabilityZones;
      public readonly zonalAutoshiftEnabled = attrs.zonalAutoshiftEnabled ?? false;
      protected readonly _loadBalancerFullName = loadBalancerFullName(attrs.loadBalancerArn);
      protected readonly _targetGroupFullName = targetGroupFullName(attrs.targetGroupArn);

      constructor() {
        super(scope, id, { environmentFromArn: attrs.loadBalancerArn });
      }
    }
    return new Import();
  }

  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener clients reach (HTTPS with a certificate, else HTTP). */
  public readonly listener: elbv2.ApplicationListener;
  /** The target group. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /**
   * The Auto Scaling group, with `ServiceTargets.autoScaling`.
   *
   * @default - undefined with `ServiceTargets.fargate`
   */
  public readonly autoScalingGroup?: autoscaling.AutoScalingGroup;
  /**
   * The ECS service, with `ServiceTargets.fargate`.
   *
   * @default - undefined with `ServiceTargets.autoScaling`
   */
  public readonly fargateService?: ecs.FargateService;
  /** Number of Availability Zones the targets spread over. */
  public readonly zoneCount: number;
  /** Targets per zone: `ceil(peakCapacity / (zoneCount - 1))`. */
  public readonly capacityPerZone: number;
  /** The statically stable capacity, `capacityPerZone x zoneCount`: the minimum and desired capacity. */
  public readonly minCapacity: number;
  /** The most targets scaling may reach. */
  public readonly maxCapacity: number;
  /** One alarm per zone: healthy targets below `capacityPerZone`. */
  public readonly zoneAlarms: cloudwatch.IAlarm[];
  /** The load balancer's 5xx error rate above `errorRatePercent`. */
  public readonly errorRateAlarm: cloudwatch.IAlarm;
  /**
   * The regional record, when `zone` is given.
   *
   * @default - undefined without `zone`
   */
  public readonly regionalRecord?: RegionalRecord;
  /**
   * The zonal autoshift configuration, when `zonalAutoshift` is given.
   *
   * @default - undefined without `zonalAutoshift`
   */
  public readonly autoshiftConfiguration?: CfnZonalAutoshiftConfiguration;
  /** The ARN of the load balancer. */
  public readonly loadBalancerArn: string;
  /** The DNS name of the load balancer. */
  public readonly loadBalancerDnsName: string;
  /** The ARN of the target group. */
  public readonly targetGroupArn: string;
  /** The Availability Zones the targets spread over; only known at deploy time in an environment-agnostic stack. */
  public readonly availabilityZones: string[];
  /** Whether `zonalAutoshift` is set. */
  public readonly zonalAutoshiftEnabled: boolean;
  /** @internal */
  protected readonly _loadBalancerFullName: string;
  /** @internal */
  protected readonly _targetGroupFullName: string;

  private readonly zones: string[];
  private readonly health: ElbHealthInput & { readonly healthyThreshold: number };

  constructor(scope: Construct, id: string, private readonly props: MultiAzServiceProps) {
    super(scope, id);
    const hc = props.healthCheck ?? {};
    this.health = {
      interval: secondsOf(hc.interval, DEFAULT_HEALTH.interval),
      timeout: secondsOf(hc.timeout, DEFAULT_HEALTH.timeout),
      unhealthyThreshold: hc.unhealthyThreshold ?? DEFAULT_HEALTH.unhealthyThreshold,
      healthyThreshold: hc.healthyThreshold ?? DEFAULT_HEALTH.healthyThreshold,
    };
    const targetSubnets = props.targetSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    // The zones come from the selection, so a selection that fails stops here.
    const subnetProblems = new Problems(this);
    const selected = selectSubnets(subnetProblems, 'targetSubnets', props.vpc, targetSubnets, props.targetSubnets === undefined,
      { kind: 'private subnets with egress', why: 'The targets belong in private subnets with egress (they pull images and reach AWS APIs)' });
    subnetProblems.throwIfAny();
    this.zones = [...new Set(selected!.availabilityZones)];
    this.zoneCount = this.zones.length;
    validateService(this, props, this.zones);

    this.capacityPerZone = Math.ceil(props.peakCapacity / (this.zoneCount - 1));
    this.minCapacity = this.capacityPerZone * this.zoneCount;
    this.maxCapacity = props.maxCapacity ?? this.minCapacity;
    if (this.zones.some((z) => Token.isUnresolved(z))) {
      Annotations.of(this).addWarningV2('cdk-failover:az-count-unknown',
        `The Availability Zones of ${props.vpc.node.path} are only known at deploy time (environment-agnostic stack), so the capacity is `
        + `sized for the ${this.zoneCount} zones the VPC has here: ${this.capacityPerZone} per zone, ${this.minCapacity} in all. `
        + 'Give the stack an `env` (account and region) so the zones are known and checked.');
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: props.internetFacing ?? true,
      vpcSubnets: props.loadBalancerSubnets
        ?? { subnetType: props.internetFacing === false ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    // Zonal shift is off by default and aws-cdk-lib has no ALB prop for it (docs/aws-facts.md#zonal-shift-and-zonal-autoshift).
    this.loadBalancer.setAttribute('zonal_shift.config.enabled', 'true');
    if (props.accessLogsBucket) {
      this.loadBalancer.logAccessLogs(props.accessLogsBucket);
    }

    const targets = props.targets._spec;
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: targets.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: targets.targetType,
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(DEFAULT_DEREGISTRATION_DELAY),
      healthCheck: {
        path: hc.path ?? '/',
        interval: hc.interval ?? Duration.seconds(DEFAULT_HEALTH.interval),
        timeout: hc.timeout ?? Duration.seconds(DEFAULT_HEALTH.timeout),
        unhealthyThresholdCount: this.health.unhealthyThreshold,
        healthyThresholdCount: this.health.healthyThreshold,
        healthyHttpCodes: hc.healthyHttpCodes ?? '200',
      },
    });
    const dnsFailover = props.dnsFailoverMinimumHealthyTargets;
    if (dnsFailover) {
      this.targetGroup.setAttribute('target_group_health.dns_failover.minimum_healthy_targets.count',
        dnsFailover.count === undefined ? 'off' : String(dnsFailover.count));
      this.targetGroup.setAttribute('target_group_health.dns_failover.minimum_healthy_targets.percentage',
        dnsFailover.percentage === undefined ? 'off' : String(dnsFailover.percentage));
    }
    this.loadBalancerArn = this.loadBalancer.loadBalancerArn;
    this.loadBalancerDnsName = this.loadBalancer.loadBalancerDnsName;
    this.targetGroupArn = this.targetGroup.targetGroupArn;
    this._loadBalancerFullName = this.loadBalancer.loadBalancerFullName;
    this._targetGroupFullName = this.targetGroup.targetGroupFullName;
    this.availabilityZones = this.zones;
    this.zonalAutoshiftEnabled = props.zonalAutoshift !== undefined;

    this.listener = props.certificate
      ? this.httpsListener(props.certificate)
      : this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [this.targetGroup] });

    const bound = props.targets._bind(this, {
      vpc: props.vpc,
      subnets: targetSubnets,
      loadBalancer: this.loadBalancer,
      targetGroup: this.targetGroup,
      minCapacity: this.minCapacity,
      maxCapacity: this.maxCapacity,
      alarmTopic: props.alarmTopic,
    });
    this.autoScalingGroup = bound.autoScalingGroup;
    this.fargateService = bound.fargateService;

    const alarms = new AlarmFactory(this, actionsFor(props.alarmTopic));
    const alarmSettings = {
      zones: this.zones,
      period: ALARM_PERIOD,
      capacityPerZone: this.capacityPerZone,
      zoneAlarmPeriods: props.zoneAlarmPeriods ?? 3,
      errorRatePercent: props.errorRatePercent ?? 5,
    };
    this.zoneAlarms = createZoneAlarms(alarms, this, alarmSettings);
    this.errorRateAlarm = createErrorRateAlarm(alarms, this, alarmSettings);
    if (props.zonalAutoshift) {
      this.autoshiftConfiguration = createAutoshift(this, this.loadBalancer, props.zonalAutoshift, this.errorRateAlarm);
    }
    if (props.zone) {
      this.regionalRecord = new RegionalRecord(this, 'RegionalRecord', {
        zone: props.zone,
        recordName: props.recordName,
        target: FailoverTarget.loadBalancer(this.loadBalancer),
      });
    }

    FailoverReport.of(this);
  }

  /** A target failing its health checks: the load balancer routes around it. */
  public get estimate(): RecoveryEstimate {
    return RecoveryEstimate._fromModel(this.targetFailureTerms());
  }

  /** A zone impaired in a way health checks do not see: a zonal shift moves the traffic. */
  public get zonalShiftEstimate(): RecoveryEstimate {
    return RecoveryEstimate._fromModel(this.zonalShiftTerms());
  }

  private httpsListener(certificate: acm.ICertificate): elbv2.ApplicationListener {
    this.loadBalancer.addRedirect({
      sourcePort: 80,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: 443,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
    });
    return this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultTargetGroups: [this.targetGroup],
    });
  }

  private targetFailureTerms(): Term[] {
    return [elbTargetDetection(this.health), ...elbRerouting()];
  }

  private zonalShiftTerms(): Term[] {
    const given = (a: RecoveryAssumption) => givenAssumption(this, this.props.assumptions, a);
    return zonalShift({
      autoshift: this.props.zonalAutoshift !== undefined,
      alarmPeriod: ALARM_PERIOD.toSeconds(),
      alarmEvaluationPeriods: this.props.zoneAlarmPeriods ?? 3,
      operatorResponse: given(RecoveryAssumption.OPERATOR_RESPONSE),
      autoshiftDetection: given(RecoveryAssumption.AUTOSHIFT_DETECTION),
      clientDnsCache: given(RecoveryAssumption.CLIENT_DNS_CACHE),
    });
  }

  private get pathName(): string {
    return this.regionalRecord?.domainName ?? this.node.path;
  }

  private get region(): string | undefined {
    return knownRegion(this);
  }

  private get zoneLabels(): string {
    return this.zones.some((z) => Token.isUnresolved(z)) ? `${this.zoneCount} zones (known at deploy time)` : this.zones.join(', ');
  }

  private pathWarnings(): string[] {
    return this.zoneCount === 2
      ? [`Two zones: losing one leaves a single zone, which must carry the whole peak (${this.capacityPerZone} per zone, ${this.minCapacity} in all). `
        + 'Three zones halve the spare capacity and survive a second failure in a degraded state.']
      : [];
  }

  /**
   * Two paths: a target failing its health checks (the load balancer routes around it), and a
   * zone impaired in a way health checks do not see (a zonal shift moves the traffic).
   */
  public recoveryPaths(): RecoveryPath[] {
    const h = this.health;
    const auto = this.props.zonalAutoshift !== undefined;
    const healthy = 'ELB health check';
    return [
      new RecoveryPath({
        id: 'target-failure',
        kind: RecoveryPathKind.MULTI_AZ_LOAD_BALANCING,
        name: `${this.pathName} (target failure)`,
        endpoints: [
          {
            label: `${this.props.targets._spec.description} targets in ${this.zoneLabels}`,
            role: EndpointRole.PRIMARY,
            region: this.region,
            health: `ELB health check every ${h.interval} s, ${h.timeout} s timeout, unhealthy after ${h.unhealthyThreshold}`,
          },
          {
            label: `the healthy targets: ${this.capacityPerZone} per zone, ${this.minCapacity} in all for a peak of ${this.props.peakCapacity}`,
            role: EndpointRole.SECONDARY,
            region: this.region,
            health: healthy,
          },
        ],
        estimate: this.estimate,
        warnings: this.pathWarnings(),
      }),
      new RecoveryPath({
        id: 'zone-impaired',
        kind: auto ? RecoveryPathKind.ZONAL_AUTOSHIFT : RecoveryPathKind.ZONAL_SHIFT,
        name: `${this.pathName} (zone impaired)`,
        endpoints: [
          {
            label: `the load balancer's nodes and targets in one of ${this.zoneLabels}`,
            role: EndpointRole.PRIMARY,
            region: this.region,
            health: auto ? 'AWS internal monitoring (zonal autoshift)' : `per-zone alarms: healthy targets below ${this.capacityPerZone}`,
          },
          {
            label: `the other ${this.zoneCount - 1} zone(s), ${this.capacityPerZone * (this.zoneCount - 1)} targets for a peak of ${this.props.peakCapacity}`,
            role: EndpointRole.SECONDARY,
            region: this.region,
            health: healthy,
          },
        ],
        estimate: this.zonalShiftEstimate,
        warnings: this.pathWarnings(),
      }),
    ];
  }
}

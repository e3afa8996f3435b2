import { Annotations, Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import { CfnZonalAutoshiftConfiguration } from 'aws-cdk-lib/aws-arczonalshift';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AutoScalingTargetsOptions, FargateTargetsOptions, ServiceTargets } from './service-targets';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import {
  ELB_DEREGISTRATION_DELAY, ELB_INTERVAL, ELB_THRESHOLD, ELB_TIMEOUT, ElbHealthInput, elbRerouting, elbTargetDetection,
} from '../objectives/model/elb';
import { Term } from '../objectives/model/term';
import { zonalShift } from '../objectives/model/zonal-shift';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { checkSameRegion } from '../private/records';
import { TargetsKind } from '../private/targets';
import { checkInteger, checkSeconds, secondsOf, show, unresolved } from '../private/validate';
import { FailoverTarget } from '../routing/failover-target';
import { RegionalRecord } from '../routing/regional-record';

/**
 * The target-group health check of a `MultiAzService`.
 */
export interface ServiceHealthCheck {
  /**
   * The path the load balancer requests.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * Time between checks of one target: 5 s to 300 s.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * How long a check waits for the answer: 2 s to 120 s, and shorter than `interval`.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive failed checks that make a target unhealthy: 2 to 10.
   *
   * @default 2
   */
  readonly unhealthyThreshold?: number;

  /**
   * Consecutive passed checks that bring an unhealthy target back: 2 to 10.
   *
   * @default 3
   */
  readonly healthyThreshold?: number;

  /**
   * The HTTP codes of a healthy answer, e.g. `200` or `200-299`.
   *
   * @default '200'
   */
  readonly healthyHttpCodes?: string;
}

/**
 * Zonal autoshift: AWS shifts the load balancer's traffic away from an Availability Zone it
 * sees impaired, and runs a weekly practice shift, which your alarms judge.
 */
export interface ZonalAutoshiftOptions {
  /**
   * Alarms that tell a practice run it hurt your application: 1 to 10. A practice run whose
   * outcome alarm fires is stopped and reported as failed.
   *
   * @default - the service's error-rate alarm (`errorRateAlarm`)
   */
  readonly outcomeAlarms?: cloudwatch.IAlarm[];

  /**
   * Alarms that keep a practice run from starting while they are in ALARM (e.g. a deployment
   * in progress): at most 10.
   *
   * @default - none
   */
  readonly blockingAlarms?: cloudwatch.IAlarm[];

  /**
   * Days with no practice run, as `YYYY-MM-DD` (UTC).
   *
   * @default - none
   */
  readonly blockedDates?: string[];

  /**
   * Weekly windows with no practice run, as `Mon:09:00-Mon:17:00` (UTC).
   *
   * @default - none
   */
  readonly blockedWindows?: string[];
}

/**
 * ELB stops answering the load balancer's DNS name with a zone whose target group has fewer
 * healthy targets than this (target-group-health DNS failover).
 */
export interface MinimumHealthyTargets {
  /**
   * The least number of healthy targets per zone.
   *
   * @default - no count threshold
   */
  readonly count?: number;

  /**
   * The least percentage of healthy targets per zone: 1 to 100.
   *
   * @default - no percentage threshold
   */
  readonly percentage?: number;
}

/** The named assumptions of the zonal paths. */
const ASSUMPTIONS = [RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.AUTOSHIFT_DETECTION, RecoveryAssumption.CLIENT_DNS_CACHE];

/**
 * Properties of `MultiAzService`.
 */
export interface MultiAzServiceProps {
  /** The VPC; its subnets decide the Availability Zones. */
  readonly vpc: ec2.IVpc;

  /** What serves behind the load balancer: `ServiceTargets.autoScaling(...)` or `ServiceTargets.fargate(...)`. */
  readonly targets: ServiceTargets;

  /**
   * Instances or tasks needed to serve your declared peak. The service runs
   * `ceil(peakCapacity / (zones - 1))` in each zone, so that losing any one zone still leaves
   * `peakCapacity` (static stability: no scaling needed during a zonal failure).
   */
  readonly peakCapacity: number;

  /**
   * The most instances or tasks to scale out to, on CPU at 50 %. At least the statically stable
   * capacity.
   *
   * @default - the statically stable capacity, no scaling
   */
  readonly maxCapacity?: number;

  /**
   * Subnets of the targets: one per zone the service spreads over; at least two zones.
   *
   * @default - the private subnets with egress
   */
  readonly targetSubnets?: ec2.SubnetSelection;

  /**
   * Subnets of the load balancer.
   *
   * @default - public subnets when `internetFacing`, else the private subnets with egress
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

  /**
   * Whether the load balancer has public addresses.
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * A certificate for an HTTPS listener on 443 (HTTP on 80 then redirects to it).
   *
   * @default - an HTTP listener on port 80
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The target-group health check.
   *
   * @default - path '/', every 10 s, 5 s timeout, unhealthy after 2 failures, healthy after 3 passes
   */
  readonly healthCheck?: ServiceHealthCheck;

  /**
   * How long a target being removed (scale-in, deployment) keeps its in-flight requests: 0 s to
   * 3600 s.
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Zonal autoshift with its weekly practice runs.
   *
   * @default - off: zonal shift is enabled on the load balancer, but only an operator starts it
   */
  readonly zonalAutoshift?: ZonalAutoshiftOptions;

  /**
   * Target-group-health DNS failover: a zone with fewer healthy targets leaves the load
   * balancer's DNS answers.
   *
   * @default - off (ELB's default)
   */
  readonly dnsFailoverMinimumHealthyTargets?: MinimumHealthyTargets;

  /**
   * Consecutive 60 s periods a zone must stay below its capacity before its alarm fires.
   *
   * @default 3
   */
  readonly zoneAlarmPeriods?: number;

  /**
   * The 5xx error rate, in percent of requests, that puts `errorRateAlarm` in ALARM after three
   * 60 s periods.
   *
   * @default 5
   */
  readonly errorRatePercent?: number;

  /**
   * Topic the alarms notify (and, for Auto Scaling groups, the scaling events).
   *
   * @default - the alarms have no actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Bucket for the load balancer's access logs.
   *
   * @default - no access logs
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * The hosted zone of the regional record `<region>.<recordName>` (DESIGN principle 3), which
   * `DnsFailover` reaches with `FailoverTarget.regionalRecord(region)`.
   *
   * @default - no regional record
   */
  readonly zone?: route53.IHostedZone;

  /**
   * The failover name this region serves, relative to `zone` or fully qualified; the regional
   * record is `<region>.<recordName>`. Only with `zone`.
   *
   * @default - the zone apex
   */
  readonly recordName?: string;

  /**
   * Values that replace the defaults of the model's named assumptions for this service, by id:
   * `operatorResponse` (from a per-zone alarm to an operator starting a zonal shift, without
   * autoshift), `autoshiftDetection` (from a zone impairment to AWS starting an autoshift) and
   * `clientDnsCache`. Give what your game days and practice runs measured.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

/** ALB target-group health check defaults chosen here (see the README section "Multi-AZ service"). */
const DEFAULT_HEALTH = { interval: 10, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 3 };
const DEFAULT_DEREGISTRATION_DELAY = 30;
/** Outcome and blocking alarms of a practice-run configuration: 1..10 (FACTS.md ELB, zonal autoshift). */
const MAX_PRACTICE_ALARMS = 10;
const ALARM_PERIOD = Duration.minutes(1);
const BLOCKED_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A window starts and ends on the same day (ARC zonal shift API, PracticeRunConfiguration). */
const BLOCKED_WINDOW = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):[0-5]\d-\1:([01]\d|2[0-3]):[0-5]\d$/;
/** Blocked dates and blocked windows: at most 15 each (ARC zonal shift API, PracticeRunConfiguration). */
const MAX_BLOCKED = 15;
/** EC2 Auto Scaling and ECS both cap a group or service far above this; it bounds typos. */
const MAX_CAPACITY = 10_000;

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
export class MultiAzService extends Construct implements IRecoveryPathProvider {
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
    this.zones = [...new Set(props.vpc.selectSubnets(targetSubnets).availabilityZones)];
    this.zoneCount = this.zones.length;
    this.validate();

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
    // Zonal shift is off by default and aws-cdk-lib has no ALB prop for it (FACTS.md ELB).
    this.loadBalancer.setAttribute('zonal_shift.config.enabled', 'true');
    if (props.accessLogsBucket) {
      this.loadBalancer.logAccessLogs(props.accessLogsBucket);
    }

    const port = props.targets._kind === TargetsKind.AUTO_SCALING
      ? props.targets._autoScaling!.port ?? 80
      : props.targets._fargate!.containerPort ?? 80;
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: props.targets._kind === TargetsKind.FARGATE ? elbv2.TargetType.IP : elbv2.TargetType.INSTANCE,
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

    this.listener = props.certificate
      ? this.httpsListener(props.certificate)
      : this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [this.targetGroup] });

    if (props.targets._kind === TargetsKind.AUTO_SCALING) {
      this.autoScalingGroup = this.autoScaling(props.targets._autoScaling!, targetSubnets, port);
    } else {
      this.fargateService = this.fargate(props.targets._fargate!, targetSubnets, port);
    }

    this.zoneAlarms = this.zones.map((zone, i) => this.zoneAlarm(zone, i));
    this.errorRateAlarm = this.createErrorRateAlarm();
    if (props.zonalAutoshift) {
      this.autoshiftConfiguration = this.autoshift(props.zonalAutoshift);
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

  private validate(): void {
    const p = this.props;
    const problems = new Problems(this);
    if (this.zoneCount < 2) {
      problems.add(`\`targetSubnets\` must span at least two Availability Zones (three recommended), got ${this.zoneCount}: `
        + `${show(this.zones)}. Give the VPC more zones (\`maxAzs: 3\`) or select subnets in more zones.`);
    }
    // These size the capacity or feed the recovery model, so they must be known at synth.
    const literal: Array<[string, unknown]> = [
      ['peakCapacity', p.peakCapacity], ['maxCapacity', p.maxCapacity], ['zoneAlarmPeriods', p.zoneAlarmPeriods],
      ['healthCheck.interval', p.healthCheck?.interval], ['healthCheck.timeout', p.healthCheck?.timeout],
      ['healthCheck.unhealthyThreshold', p.healthCheck?.unhealthyThreshold],
      // aws-cdk-lib validates these target-group attributes at synth and rejects Tokens.
      ['dnsFailoverMinimumHealthyTargets.count', p.dnsFailoverMinimumHealthyTargets?.count],
      ['dnsFailoverMinimumHealthyTargets.percentage', p.dnsFailoverMinimumHealthyTargets?.percentage],
    ];
    for (const [prop, value] of literal) {
      if (unresolved(value)) {
        problems.add(`\`${prop}\` must be a literal value, got a deploy-time Token: it sizes the capacity or the modeled recovery time at synth. `
          + 'Pass a number or Duration, not a parameter or an attribute.');
      }
    }
    checkInteger(problems, 'peakCapacity', p.peakCapacity, 1, MAX_CAPACITY, 'Give the instances or tasks your peak needs.');
    if (p.maxCapacity !== undefined && !unresolved(p.maxCapacity) && this.zoneCount >= 2 && Number.isInteger(p.peakCapacity)) {
      const min = Math.ceil(p.peakCapacity / (this.zoneCount - 1)) * this.zoneCount;
      if (!Number.isInteger(p.maxCapacity) || p.maxCapacity < min || p.maxCapacity > MAX_CAPACITY) {
        problems.add(`\`maxCapacity\` must be an integer from the statically stable capacity ${min} `
          + `(ceil(peakCapacity ${p.peakCapacity} / (${this.zoneCount} zones - 1)) x ${this.zoneCount}) to ${MAX_CAPACITY}, got: ${show(p.maxCapacity)}. `
          + 'Raise it, or remove it for no scaling.');
      }
    }
    const hc = p.healthCheck ?? {};
    checkSeconds(problems, 'healthCheck.interval', hc.interval, ELB_INTERVAL.min, ELB_INTERVAL.max);
    checkSeconds(problems, 'healthCheck.timeout', hc.timeout, ELB_TIMEOUT.min, ELB_TIMEOUT.max);
    const interval = secondsOf(hc.interval, DEFAULT_HEALTH.interval);
    const timeout = secondsOf(hc.timeout, DEFAULT_HEALTH.timeout);
    if (!unresolved(hc.interval) && !unresolved(hc.timeout) && timeout >= interval) {
      problems.add(`\`healthCheck.timeout\` (${timeout} s) must be shorter than \`healthCheck.interval\` (${interval} s): ELB rejects it. `
        + 'Shorten the timeout or lengthen the interval.');
    }
    checkInteger(problems, 'healthCheck.unhealthyThreshold', hc.unhealthyThreshold, ELB_THRESHOLD.min, ELB_THRESHOLD.max,
      '2 detects fastest without ejecting a target for one slow answer.');
    checkInteger(problems, 'healthCheck.healthyThreshold', hc.healthyThreshold, ELB_THRESHOLD.min, ELB_THRESHOLD.max, '');
    if (hc.path !== undefined && !unresolved(hc.path) && !/^\/[\x21-\x7e]{0,1023}$/.test(hc.path)) {
      problems.add(`\`healthCheck.path\` must start with / and hold at most 1024 printable characters without spaces, got: ${show(hc.path)}.`);
    }
    if (hc.healthyHttpCodes !== undefined && !unresolved(hc.healthyHttpCodes)
      && !/^([1-5]\d\d(-[1-5]\d\d)?)(,[1-5]\d\d(-[1-5]\d\d)?)*$/.test(hc.healthyHttpCodes)) {
      problems.add(`\`healthCheck.healthyHttpCodes\` must be codes 100-599 and ranges, comma-separated (e.g. "200" or "200-299"), got: ${show(hc.healthyHttpCodes)}.`);
    }
    checkSeconds(problems, 'deregistrationDelay', p.deregistrationDelay, ELB_DEREGISTRATION_DELAY.min, ELB_DEREGISTRATION_DELAY.max);
    checkInteger(problems, 'zoneAlarmPeriods', p.zoneAlarmPeriods, 1, 10, 'The alarm fires after that many 60 s periods below capacity.');
    if (p.errorRatePercent !== undefined && !unresolved(p.errorRatePercent) && !(p.errorRatePercent > 0 && p.errorRatePercent <= 100)) {
      problems.add(`\`errorRatePercent\` must be above 0 and at most 100, got: ${show(p.errorRatePercent)}.`);
    }
    const dns = p.dnsFailoverMinimumHealthyTargets;
    if (dns) {
      if (dns.count === undefined && dns.percentage === undefined) {
        problems.add('`dnsFailoverMinimumHealthyTargets` needs `count`, `percentage` or both; remove it to leave DNS failover off.');
      }
      checkInteger(problems, 'dnsFailoverMinimumHealthyTargets.count', dns.count, 1, MAX_CAPACITY, '');
      checkInteger(problems, 'dnsFailoverMinimumHealthyTargets.percentage', dns.percentage, 1, 100, '');
    }
    checkSameRegion(problems, this, 'alarmTopic', p.alarmTopic, 'Alarms notify a topic of their own region: create the topic in this stack\'s region.');
    checkSameRegion(problems, this, 'accessLogsBucket', p.accessLogsBucket, 'ELB writes access logs to a bucket of its own region.');
    if (p.recordName !== undefined && !p.zone) {
      problems.add('`recordName` is only used with `zone`: give the hosted zone of the regional record, or remove `recordName`.');
    }
    checkAssumptions(problems, p.assumptions, ASSUMPTIONS);
    this.validateAutoshift(problems);
    this.validateTargets(problems);
    problems.throwIfAny();
  }

  private validateAutoshift(problems: Problems): void {
    const a = this.props.zonalAutoshift;
    if (!a) {
      return;
    }
    if (a.outcomeAlarms !== undefined && (a.outcomeAlarms.length < 1 || a.outcomeAlarms.length > MAX_PRACTICE_ALARMS)) {
      problems.add(`\`zonalAutoshift.outcomeAlarms\` must hold 1 to ${MAX_PRACTICE_ALARMS} alarms, got ${a.outcomeAlarms.length}. `
        + 'Remove it to use the service\'s error-rate alarm.');
    }
    if ((a.blockingAlarms?.length ?? 0) > MAX_PRACTICE_ALARMS) {
      problems.add(`\`zonalAutoshift.blockingAlarms\` must hold at most ${MAX_PRACTICE_ALARMS} alarms, got ${a.blockingAlarms!.length}.`);
    }
    // ARC takes alarms of the resource's own region only.
    (a.outcomeAlarms ?? []).concat(a.blockingAlarms ?? []).forEach((alarm) => this.checkAlarmRegion(problems, alarm));
    if ((a.blockedDates?.length ?? 0) > MAX_BLOCKED || (a.blockedWindows?.length ?? 0) > MAX_BLOCKED) {
      problems.add(`\`zonalAutoshift.blockedDates\` and \`zonalAutoshift.blockedWindows\` take at most ${MAX_BLOCKED} entries each, `
        + `got ${a.blockedDates?.length ?? 0} and ${a.blockedWindows?.length ?? 0}.`);
    }
    for (const date of a.blockedDates ?? []) {
      if (!unresolved(date) && !BLOCKED_DATE.test(date)) {
        problems.add(`\`zonalAutoshift.blockedDates\` entries must be YYYY-MM-DD, got: ${show(date)}.`);
      }
    }
    for (const window of a.blockedWindows ?? []) {
      if (!unresolved(window) && !BLOCKED_WINDOW.test(window)) {
        problems.add(`\`zonalAutoshift.blockedWindows\` entries must be like Mon:09:00-Mon:17:00 (UTC), within one day, got: ${show(window)}. `
          + 'Split a window across days into one per day.');
      }
    }
  }

  private validateTargets(problems: Problems): void {
    const asg = this.props.targets._autoScaling;
    const fargate = this.props.targets._fargate;
    checkInteger(problems, 'targets.port', asg?.port, 1, 65535, '');
    checkInteger(problems, 'targets.containerPort', fargate?.containerPort, 1, 65535, '');
    const clusterVpc = fargate?.cluster?.vpc;
    // Two VPC objects are the same VPC only if both ids are known and equal (an import of it).
    const sameVpc = clusterVpc === undefined || clusterVpc === this.props.vpc
      || (!unresolved(clusterVpc.vpcId) && clusterVpc.vpcId === this.props.vpc.vpcId);
    if (clusterVpc && !sameVpc) {
      problems.add(`\`targets.cluster\` is in VPC ${clusterVpc.node.path}, not in \`vpc\` ${this.props.vpc.node.path}: `
        + 'the tasks must run where the load balancer reaches them. Pass a cluster of the same VPC, or none.');
    }
  }

  /** An imported alarm's region comes from its ARN. */
  private checkAlarmRegion(problems: Problems, alarm: cloudwatch.IAlarm): void {
    const here = Stack.of(this).region;
    // An alarm imported by ARN carries its region in the ARN only.
    const there = unresolved(alarm.alarmArn) ? alarm.env.region : Arn.split(alarm.alarmArn, ArnFormat.COLON_RESOURCE_NAME).region ?? alarm.env.region;
    if (!unresolved(here) && !unresolved(there) && here !== there) {
      problems.add(`\`zonalAutoshift\` alarm ${alarm.node.path} is in ${there}, but the load balancer is in ${here}: `
        + 'practice runs take alarms of the resource\'s own region. Create the alarm in this region.');
    }
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

  private autoScaling(options: AutoScalingTargetsOptions, subnets: ec2.SubnetSelection, port: number): autoscaling.AutoScalingGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: this.props.vpc,
      description: 'Instances of the multi-AZ service: HTTP from its load balancer only',
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: options.machineImage,
      instanceType: options.instanceType,
      userData: options.userData,
      role: options.role,
      securityGroup,
      requireImdsv2: true,
      detailedMonitoring: true,
    });
    const group = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: this.props.vpc,
      vpcSubnets: subnets,
      launchTemplate,
      minCapacity: this.minCapacity,
      maxCapacity: this.maxCapacity,
      // The load balancer's verdict replaces instances that are up but not serving.
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: options.healthCheckGracePeriod ?? Duration.minutes(5),
      }),
      notifications: this.props.alarmTopic ? [{ topic: this.props.alarmTopic }] : undefined,
    });
    group.attachToApplicationTargetGroup(this.targetGroup);
    group.connections.allowFrom(this.loadBalancer, ec2.Port.tcp(port), 'HTTP from the load balancer');
    if (this.maxCapacity > this.minCapacity) {
      group.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });
    }
    return group;
  }

  private fargate(options: FargateTargetsOptions, subnets: ec2.SubnetSelection, port: number): ecs.FargateService {
    const cluster = options.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: this.props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: options.cpu ?? 256,
      memoryLimitMiB: options.memoryLimitMiB ?? 512,
    });
    const container = taskDefinition.addContainer('App', {
      image: options.image,
      environment: options.environment,
      portMappings: [{ containerPort: port }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'app', logRetention: logs.RetentionDays.ONE_MONTH }),
    });
    const service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition,
      desiredCount: this.minCapacity,
      vpcSubnets: subnets,
      assignPublicIp: false,
      // Deployments start new tasks before stopping old ones: capacity never dips below the
      // statically stable count.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      healthCheckGracePeriod: options.healthCheckGracePeriod ?? Duration.seconds(60),
    });
    // Keep the tasks spread evenly over the zones after a zone comes back (no L2 prop yet).
    (service.node.defaultChild as ecs.CfnService).availabilityZoneRebalancing = 'ENABLED';
    this.targetGroup.addTarget(service.loadBalancerTarget({ containerName: container.containerName, containerPort: port }));
    service.connections.allowFrom(this.loadBalancer, ec2.Port.tcp(port), 'HTTP from the load balancer');
    if (this.maxCapacity > this.minCapacity) {
      service.autoScaleTaskCount({ minCapacity: this.minCapacity, maxCapacity: this.maxCapacity })
        .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 50 });
    }
    return service;
  }

  private zoneAlarm(zone: string, index: number): cloudwatch.Alarm {
    const periods = this.props.zoneAlarmPeriods ?? 3;
    const label = Token.isUnresolved(zone) ? `zone ${index + 1}` : zone;
    const alarm = new cloudwatch.Alarm(this, `ZoneAlarm${index + 1}`, {
      alarmDescription: `${this.node.path}: healthy targets in ${label} below its share of the statically stable capacity (${this.capacityPerZone}). `
        + 'If the zone is impaired, start a zonal shift away from it.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/ApplicationELB',
        metricName: 'HealthyHostCount',
        dimensionsMap: {
          LoadBalancer: this.loadBalancer.loadBalancerFullName,
          TargetGroup: this.targetGroup.targetGroupFullName,
          AvailabilityZone: zone,
        },
        statistic: cloudwatch.Stats.MINIMUM,
        period: ALARM_PERIOD,
      }),
      threshold: this.capacityPerZone,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      // ELB publishes nothing for a zone without registered targets: a zone that lost them all is down.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  private createErrorRateAlarm(): cloudwatch.Alarm {
    const metric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensionsMap: { LoadBalancer: this.loadBalancer.loadBalancerFullName },
      statistic: cloudwatch.Stats.SUM,
      period: ALARM_PERIOD,
    });
    const percent = this.props.errorRatePercent ?? 5;
    const alarm = new cloudwatch.Alarm(this, 'ErrorRateAlarm', {
      alarmDescription: `${this.node.path}: more than ${percent} % of requests answered with a 5xx by the load balancer or the targets.`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)',
        usingMetrics: {
          requests: metric('RequestCount'),
          elb5xx: metric('HTTPCode_ELB_5XX_Count'),
          target5xx: metric('HTTPCode_Target_5XX_Count'),
        },
        label: '5xx error rate (%)',
        period: ALARM_PERIOD,
      }),
      threshold: percent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // No requests is no evidence of errors.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(alarm);
    return alarm;
  }

  private notify(alarm: cloudwatch.Alarm): void {
    if (this.props.alarmTopic) {
      alarm.addAlarmAction(new cw_actions.SnsAction(this.props.alarmTopic));
    }
  }

  private autoshift(options: ZonalAutoshiftOptions): CfnZonalAutoshiftConfiguration {
    const condition = (alarm: cloudwatch.IAlarm) => ({ type: 'CLOUDWATCH', alarmIdentifier: alarm.alarmArn });
    const config = new CfnZonalAutoshiftConfiguration(this, 'ZonalAutoshift', {
      resourceIdentifier: this.loadBalancer.loadBalancerArn,
      zonalAutoshiftStatus: 'ENABLED',
      practiceRunConfiguration: {
        outcomeAlarms: (options.outcomeAlarms ?? [this.errorRateAlarm]).map(condition),
        blockingAlarms: options.blockingAlarms?.length ? options.blockingAlarms.map(condition) : undefined,
        blockedDates: options.blockedDates?.length ? options.blockedDates : undefined,
        blockedWindows: options.blockedWindows?.length ? options.blockedWindows : undefined,
      },
    });
    // The load balancer must allow zonal shifts before ARC accepts the configuration.
    config.node.addDependency(this.loadBalancer);
    return config;
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
    const region = Stack.of(this).region;
    return Token.isUnresolved(region) ? undefined : region;
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
            label: `${this.props.targets._kind} targets in ${this.zoneLabels}`,
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

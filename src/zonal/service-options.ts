import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceTargets } from './service-targets';

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
   * The hosted zone of the regional record `<region>.<recordName>` (regions meet by DNS name), which
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

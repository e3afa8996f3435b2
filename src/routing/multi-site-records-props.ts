import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FailoverTarget } from './failover-target';
import { MultiSiteRouting } from './multi-site-routing';

/**
 * One region answering for the multi-site name.
 */
export interface MultiSiteRegion {
  /** The region, e.g. `us-east-1`: the record's set identifier, and its latency region. */
  readonly region: string;

  /**
   * Where this region's answers send clients. Regions meet by name: the default is the
   * region's `RegionalRecord` (`us-east-1.app.example.com`), created by its own stack. An
   * address target gives at most one address per family: a weighted or latency record holds
   * one value.
   *
   * @default FailoverTarget.regionalRecord(region)
   */
  readonly target?: FailoverTarget;

  /**
   * The health check that takes this region out of the answers. Required unless the target is
   * a load balancer in this stack (its target health then decides, more slowly). Probe the
   * region's own name, e.g. `us-east-1.app.example.com`, never the multi-site name.
   *
   * @default - none: the load balancer's target health (EvaluateTargetHealth)
   */
  readonly healthCheck?: route53.IHealthCheck;

  /**
   * The load this region can carry, in the unit of `peakLoad` (requests per second, targets,
   * ...): used to check that the other regions can carry the peak when one is lost.
   *
   * @default - the running targets (`minCapacity`) of the `MultiAzService` of this app that
   *   the target points at, if there is one; otherwise unknown and the check says so
   */
  readonly capacity?: number;
}

/**
 * Properties of `MultiSiteRecords`.
 */
export interface MultiSiteRecordsProps {
  /** The hosted zone of the name. */
  readonly zone: route53.IHostedZone;

  /**
   * The name the regions answer for, relative to the zone (`app`) or fully qualified.
   *
   * @default - the zone apex
   */
  readonly recordName?: string;

  /** The regions that answer, at least two, each at most once. */
  readonly regions: MultiSiteRegion[];

  /**
   * How Route 53 chooses between the healthy regions.
   *
   * @default MultiSiteRouting.latency()
   */
  readonly routing?: MultiSiteRouting;

  /**
   * The peak load of the whole name, in the unit of each region's `capacity`: after losing any
   * one region the others must carry it.
   *
   * @default - unknown: each path says the remaining capacity is unchecked
   */
  readonly peakLoad?: number;

  /**
   * TTL of address and CNAME records: at most 60 s. Alias records take the TTL of their
   * target and reject this prop.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;

  /**
   * Values that replace the defaults of the model's named assumptions, by id:
   * `healthToDnsAnswer`, `clientDnsCache`, `targetHealthDetection` and `unpublishedAliasTtl`.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

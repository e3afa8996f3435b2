import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DatabaseTopology } from '../zonal/database-topology';
import { MultiAzDatabase } from '../zonal/multi-az-database';
import { MultiAzService } from '../zonal/multi-az-service';
import type { RegionalWorkloadContextProps } from './private/workload-context';

/**
 * What a Region does in a disaster-recovery strategy.
 */
export enum RegionRole {
  /** Serves all traffic while it is healthy (active-passive strategies). */
  PRIMARY = 'primary',
  /** Stands by: nothing (backup and restore), a pilot light, a warm or a hot standby. */
  STANDBY = 'standby',
  /** Serves beside the other Regions (active-active). */
  ACTIVE = 'active',
}

/**
 * What the strategy tells the workload about the Region it builds. A class, not a struct, so
 * that every jsii language receives it as one object.
 */
export class RegionalWorkloadContext {
  /** @internal */
  public static _of(props: RegionalWorkloadContextProps): RegionalWorkloadContext {
    return new RegionalWorkloadContext(props);
  }

  /** The Region, e.g. `us-west-2`: the stack's own. */
  public readonly region: string;

  /** What this Region does in the strategy. */
  public readonly role: RegionRole;

  /**
   * How many tasks (or instances) to run here now. A deploy-time number in the strategies that
   * keep a failover across deploys (`ActiveRegion.capacityFor`: full where the Region is active,
   * the standby capacity elsewhere): use it as is. The strategy also sets it on the service you
   * return, so you may ignore it.
   */
  public readonly capacity: number;

  /** The capacity that carries the peak load: give it to `MultiAzService` as `peakCapacity`. */
  public readonly peakCapacity: number;

  /**
   * The database topology the strategy chose for this Region (an Aurora global primary or
   * secondary, a regional cluster, or a cluster restored from the copied backup). Build one
   * `MultiAzDatabase` with it and return it as `database`.
   *
   * @default - no database in this Region: return none
   */
  public readonly databaseTopology?: DatabaseTopology;

  /** The hosted zone of the public name: give it to `MultiAzService` as `zone`. */
  public readonly zone: route53.IHostedZone;

  /**
   * The public name's record in the zone: give it to `MultiAzService` as `recordName`, so that
   * the service's regional record is `<region>.<recordName>.<zone>`, the name the Regions meet by.
   */
  public readonly recordName: string;

  /** The application's name, which every deterministic name of the strategy starts with. */
  public readonly appName: string;

  private constructor(props: RegionalWorkloadContextProps) {
    this.region = props.region;
    this.role = props.role;
    this.capacity = props.capacity;
    this.peakCapacity = props.peakCapacity;
    this.databaseTopology = props.databaseTopology;
    this.zone = props.zone;
    this.recordName = props.recordName;
    this.appName = props.appName;
  }
}

/**
 * What the workload built in one Region, for the strategy to wire.
 */
export interface RegionalWorkloadParts {
  /**
   * The load-balanced service, with its regional record (built with the `zone` and `recordName`
   * given). The strategy names its ECS cluster and service, and sets its capacity.
   */
  readonly service: MultiAzService;

  /**
   * The database built with the `databaseTopology` given.
   *
   * @default - none: give one exactly when `databaseTopology` was given
   */
  readonly database?: MultiAzDatabase;
}

/**
 * Your regional workload, described once: the strategy calls `buildRegion` for each Region with the
 * Region's role and capacity, and wires the rest (replication, routing, runbooks, drills).
 * Implement it in any jsii language.
 */
export interface IRegionalWorkload {
  /**
   * Builds the workload of one Region into `scope` (a stack of that Region).
   *
   * @param scope the Region's stack
   * @param context the Region, its role and capacity, and the names to use
   */
  buildRegion(scope: Construct, context: RegionalWorkloadContext): RegionalWorkloadParts;
}

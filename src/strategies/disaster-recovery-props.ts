import { Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { RecoveryStrategy } from './recovery-strategy';
import { IRegionalWorkload } from './regional-workload';
import { StandbyPricing } from './standby-pricing';
import { EndpointProtocol } from '../health/endpoint-health-check';

/**
 * The database a `DisasterRecovery` keeps in each Region: an Aurora cluster, replicated or backed
 * up as the strategy says.
 */
export interface StrategyDatabaseOptions {
  /** The Aurora engine: `rds.DatabaseClusterEngine.auroraPostgres(...)` or `auroraMysql(...)`. */
  readonly engine: rds.IClusterEngine;

  /**
   * The instance class of every instance.
   *
   * @default - db.r6g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Aurora replicas besides the writer in the serving Region(s): 0 to 15. The standby's cluster
   * keeps them in a hot standby and active-active, and none in a pilot light or warm standby.
   *
   * @default 1
   */
  readonly readers?: number;

  /**
   * The lag beyond which the failover runbook refuses to promote (unless the operator accepts the
   * loss): the alarm on the standby's replication lag fires above it. 1 second to 1 hour.
   *
   * @default Duration.minutes(1)
   */
  readonly maxLag?: Duration;

  /**
   * How much data a backup holds, for the restore time of a backup-and-restore strategy.
   *
   * @default Size.gibibytes(100)
   */
  readonly size?: Size;
}

/**
 * Properties of `DisasterRecovery`.
 */
export interface DisasterRecoveryProps {
  /**
   * The application's name: 1 to 24 lower-case letters, digits and hyphens, starting with a
   * letter. Every name the Regions meet by starts with it (stacks, ECS cluster and service, Aurora
   * clusters, the active-Region parameter, the runbooks); give each strategy of one account its own.
   */
  readonly appName: string;

  /** The strategy: backup and restore, pilot light, warm or hot standby, active-active. */
  readonly strategy: RecoveryStrategy;

  /** Your regional workload: built once per Region. */
  readonly workload: IRegionalWorkload;

  /** The Region that serves (active-active: the database's writer Region). */
  readonly primaryRegion: string;

  /** The Region that recovers (active-active: the other serving Region). */
  readonly recoveryRegion: string;

  /**
   * The account of every stack.
   *
   * @default - the stacks are account-agnostic
   */
  readonly account?: string;

  /**
   * The Region of the global stack (health checks and DNS records, which are global).
   *
   * @default 'us-east-1'
   */
  readonly globalRegion?: string;

  /**
   * The capacity (tasks or instances) that carries the peak load: each Region's service gets it
   * as `peakCapacity`, and runs its statically stable capacity (`MultiAzService.minCapacity`)
   * when it serves.
   */
  readonly peakCapacity: number;

  /**
   * The database.
   *
   * @default - a stateless workload: no database, no data path
   */
  readonly database?: StrategyDatabaseOptions;

  /** The public hosted zone's ID. */
  readonly hostedZoneId: string;

  /** The public hosted zone's name, e.g. `example.com`. */
  readonly zoneName: string;

  /**
   * The public name's record in the zone (not the apex): clients use `<recordName>.<zoneName>`,
   * and each Region's service is `<region>.<recordName>.<zoneName>`.
   */
  readonly recordName: string;

  /**
   * How Route 53 checks each Region's regional name.
   *
   * @default - as the Region's load balancer listens: HTTPS with a certificate, else HTTP
   */
  readonly healthCheckProtocol?: EndpointProtocol;

  /**
   * The path Route 53 checks on each Region's regional name.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * The prices and volumes of the standby-cost estimate.
   *
   * @default - us-east-1 list prices (docs/aws-facts.md#pricing), 100 GB a month across Regions
   */
  readonly pricing?: StandbyPricing;
}

import { Duration } from 'aws-cdk-lib';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { AcceleratorEndpoint } from './accelerator-endpoint';

/**
 * Properties of `AcceleratorFailover`.
 */
export interface AcceleratorFailoverProps {
  /**
   * The load balancers behind the accelerator, in at least two Regions. Endpoints of one
   * Region form one endpoint group.
   */
  readonly endpoints: AcceleratorEndpoint[];

  /**
   * Active-passive: the Region that takes the traffic (traffic dial 100 %); every other
   * Region's dial is 0 %. Global Accelerator ignores traffic dials when it fails over, so a
   * standby dialled to 0 still takes the traffic as soon as the primary has no healthy endpoint:
   * failover needs no API call. A runbook can also turn the dials for a planned move.
   *
   * @default - active-active: every Region's dial is 100 % (or as given in `trafficDials`)
   */
  readonly primaryRegion?: string;

  /**
   * Traffic dials by Region, 0..100 %: the share of the traffic that Global Accelerator would
   * send to that Region's group that it does send there; the rest goes to the other groups.
   * Override the defaults of active-passive (primary 100, others 0) or active-active (all 100).
   *
   * @default - see `primaryRegion`
   */
  readonly trafficDials?: { [region: string]: number };

  /**
   * An existing accelerator to add the listener to.
   *
   * @default - a new accelerator
   */
  readonly accelerator?: ga.IAccelerator;

  /**
   * The name of the new accelerator: 1..64 characters. Not allowed with `accelerator`.
   *
   * @default - generated from the construct path
   */
  readonly acceleratorName?: string;

  /**
   * The ports the listener accepts: 1..10 ranges within 1..65535.
   *
   * @default - TCP 80 and 443
   */
  readonly portRanges?: ga.PortRange[];

  /**
   * The protocol of the listener.
   *
   * @default ga.ConnectionProtocol.TCP
   */
  readonly protocol?: ga.ConnectionProtocol;

  /**
   * Whether each client sticks to one endpoint.
   *
   * @default ga.ClientAffinity.NONE
   */
  readonly clientAffinity?: ga.ClientAffinity;

  /**
   * Time between two health checks of an endpoint group: 10 or 30 seconds. The library takes
   * 10 s, the faster of the two that AWS allows (AWS defaults to 30 s). It applies to EC2
   * instance and Elastic IP endpoints: for load balancers Global Accelerator follows their
   * target groups' health checks, so tune those.
   *
   * @default Duration.seconds(10)
   */
  readonly healthCheckInterval?: Duration;

  /**
   * Consecutive failed (or passed) health checks before an endpoint turns unhealthy (or healthy
   * again): 1..10. 3 is the AWS default; 1 would act on a single lost check and flap. Applies
   * to EC2 instance and Elastic IP endpoints, like `healthCheckInterval`.
   *
   * @default 3
   */
  readonly healthCheckThreshold?: number;

  /**
   * Values that replace the defaults of the model's named assumptions, by id:
   * `acceleratorReroute` (from an endpoint group turning unhealthy to new connections reaching
   * another) and `targetHealthDetection` (how long the target health of a load balancer given
   * by ARN takes). Give what your drills measured.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import * as endpoints from 'aws-cdk-lib/aws-globalaccelerator-endpoints';
import { BoundAcceleratorEndpoint } from './private/accelerator-binding';
import { loadBalancerTargetHealth } from './private/accelerator-target-health';
import { regionOf } from '../private/region';
import { unresolved } from '../private/validate';

/**
 * The kind of load balancer behind a Global Accelerator endpoint given by its ARN.
 */
export enum AcceleratorEndpointKind {
  /** An Application Load Balancer (`loadbalancer/app/...`). */
  APPLICATION_LOAD_BALANCER = 'application-load-balancer',
  /** A Network Load Balancer (`loadbalancer/net/...`). */
  NETWORK_LOAD_BALANCER = 'network-load-balancer',
}

/**
 * Options of a Global Accelerator endpoint.
 */
export interface AcceleratorEndpointOptions {
  /**
   * The endpoint's share of its group's traffic, relative to the other endpoints of the group:
   * 0..255. An endpoint of weight 0 takes no traffic, not even on failover, so every group
   * needs one endpoint above 0.
   *
   * @default 128
   */
  readonly weight?: number;

  /**
   * Whether the load balancer sees the client's IP address. Global Accelerator then creates
   * network interfaces in the load balancer's VPC; supported only in some Regions.
   *
   * @default - Global Accelerator's default: on for Application Load Balancers, off for Network Load Balancers
   */
  readonly preserveClientIp?: boolean;
}

/**
 * An endpoint of an `AcceleratorFailover`: an Application or Network Load Balancer. Regions
 * meet by name or literal ARN, never by a cross-stack reference: give the load balancer itself
 * when it is in the accelerator's stack (or imported there), and its literal ARN otherwise.
 */
export class AcceleratorEndpoint {
  /**
   * An Application Load Balancer of the accelerator's stack, or imported there. Global
   * Accelerator follows its target groups' health; the model reads them when they are in the app.
   *
   * @param alb the load balancer
   * @param options weight and client IP preservation
   */
  public static applicationLoadBalancer(alb: elbv2.IApplicationLoadBalancer, options: AcceleratorEndpointOptions = {}): AcceleratorEndpoint {
    return new AcceleratorEndpoint(AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER, options, alb, undefined);
  }

  /**
   * A Network Load Balancer of the accelerator's stack, or imported there. Global Accelerator
   * follows its target groups' health; the model reads them when they are in the app.
   *
   * @param nlb the load balancer
   * @param options weight and client IP preservation
   */
  public static networkLoadBalancer(nlb: elbv2.INetworkLoadBalancer, options: AcceleratorEndpointOptions = {}): AcceleratorEndpoint {
    return new AcceleratorEndpoint(AcceleratorEndpointKind.NETWORK_LOAD_BALANCER, options, undefined, nlb);
  }

  /**
   * A load balancer of another stack (usually another Region), by its literal ARN: no
   * cross-stack reference. Its target groups are not visible, so the model takes the
   * `targetHealthDetection` assumption for it.
   *
   * @param region the load balancer's Region, e.g. `us-east-1`
   * @param loadBalancerArn its literal ARN
   * @param kind Application or Network Load Balancer
   * @param options weight and client IP preservation
   */
  public static fromArn(region: string, loadBalancerArn: string, kind: AcceleratorEndpointKind,
    options: AcceleratorEndpointOptions = {}): AcceleratorEndpoint {
    return new AcceleratorEndpoint(kind, options, undefined, undefined, region, loadBalancerArn);
  }

  private constructor(
    private readonly kind: AcceleratorEndpointKind,
    private readonly options: AcceleratorEndpointOptions,
    private readonly alb?: elbv2.IApplicationLoadBalancer,
    private readonly nlb?: elbv2.INetworkLoadBalancer,
    private readonly region?: string,
    private readonly arn?: string,
  ) {}

  /** @internal */
  public _bind(): BoundAcceleratorEndpoint {
    const { kind, options } = this;
    const lb = this.alb ?? this.nlb;
    if (lb) {
      const alb = this.alb;
      const nlb = this.nlb;
      const region = regionOf(lb);
      return {
        region: unresolved(region) ? undefined : region,
        label: `${shortKind(kind)} ${lb.node.path}`,
        kind,
        loadBalancerArn: lb.loadBalancerArn,
        options,
        construct: lb,
        targetHealth: () => loadBalancerTargetHealth(lb),
        endpoint: () => alb
          ? new endpoints.ApplicationLoadBalancerEndpoint(alb, options)
          : new endpoints.NetworkLoadBalancerEndpoint(nlb!, options),
      };
    }
    const arn = this.arn!;
    const region = unresolved(this.region) ? undefined : this.region;
    return {
      region,
      label: `${shortKind(kind)} ${arnName(arn)}${region ? ` in ${region}` : ''}`,
      kind,
      loadBalancerArn: arn,
      options,
      targetHealth: () => undefined,
      endpoint: () => new ga.RawEndpoint({ endpointId: arn, weight: options.weight, preserveClientIp: options.preserveClientIp, region }),
    };
  }
}

function shortKind(kind: AcceleratorEndpointKind): string {
  return kind === AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER ? 'ALB' : 'NLB';
}

/** `my-alb` from `arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/my-alb/50dc6c495c0c9188`. */
function arnName(arn: string): string {
  if (Token.isUnresolved(arn)) {
    return '(ARN known at deploy time)';
  }
  const match = /:loadbalancer\/(?:app|net)\/([^/]+)\//.exec(arn);
  return match ? match[1] : arn;
}

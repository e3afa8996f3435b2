import { Duration } from 'aws-cdk-lib';
import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { Construct } from 'constructs';
import { AcceleratorEndpoint } from './accelerator-endpoint';
import { AcceleratorFailoverProps } from './accelerator-failover-props';
import { BoundAcceleratorEndpoint } from './private/accelerator-binding';
import { validateAcceleratorFailover } from './private/accelerator-validation';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import {
  acceleratorFailover, acceleratorMonthlyCost, groupDetection, loadBalancerEndpointDetection,
} from '../objectives/model/global-accelerator';
import { Term } from '../objectives/model/term';
import { EndpointRole, IRecoveryPathProvider, PathEndpoint, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { givenAssumption } from '../private/assumptions';

// The faster of the two intervals AWS allows, and AWS's own threshold (docs/aws-facts.md#arc-and-global-accelerator).
const DEFAULT_INTERVAL = 10;
const DEFAULT_THRESHOLD = 3;
const DEFAULT_PORTS: ga.PortRange[] = [{ fromPort: 80 }, { fromPort: 443 }];
/** The marker on a given accelerator once its hours are counted: it is billed once, whatever shares it. */
const COST_COUNTED = 'CdkFailoverCostCounted';

/**
 * Regional failover through AWS Global Accelerator: an accelerator (or yours), a listener
 * (TCP 80 and 443 by default) and one endpoint group per Region, with the Region's Application
 * or Network Load Balancers as endpoints.
 *
 * Clients keep the accelerator's two static anycast addresses, so failover has no DNS TTL or
 * client cache term. When a Region's group has no healthy endpoint, Global Accelerator sends
 * new connections to the nearest group with one, ignoring traffic dials: active-passive by
 * dials (primary 100 %, standbys 0 %) fails over on health alone, in the data plane. If the
 * three closest groups have none, it fails open to the closest group. A name aliased to the
 * accelerator is only the first lookup: the addresses it returns never change.
 *
 * Load balancer endpoints are healthy by their target groups' health checks, which the model
 * reads when the load balancer is in the app; a load balancer given by ARN rests on the
 * `targetHealthDetection` assumption. Changing dials and endpoints is a control-plane call
 * (us-west-2), for drills and failback only.
 *
 * @exampleMetadata fixture=accelerator
 * @example
 * new AcceleratorFailover(this, 'Accelerator', {
 *   endpoints: [
 *     AcceleratorEndpoint.fromArn('us-east-1',
 *       'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188',
 *       AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
 *     AcceleratorEndpoint.fromArn('us-west-2',
 *       'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/6d0ecf831eec9f09',
 *       AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
 *   ],
 *   primaryRegion: 'us-east-1',
 *   assumptions: { targetHealthDetection: Duration.seconds(25) },
 * });
 */
export class AcceleratorFailover extends Construct implements IRecoveryPathProvider {
  /** The accelerator: the one given, or the one created. */
  public readonly accelerator: ga.IAccelerator;
  /** The listener that holds the endpoint groups. */
  public readonly listener: ga.Listener;
  /** The Regions of the endpoint groups, in the order of `endpoints`. */
  public readonly regions: string[];
  /**
   * The Region that takes the traffic in active-passive.
   *
   * @default - none: active-active
   */
  public readonly primaryRegion?: string;
  /**
   * The fixed monthly price of the accelerator in USD: 0.025 USD per accelerator-hour x 730 h,
   * billed whether it is enabled or not. The data transfer premium per GB comes on top. A
   * given accelerator may be shared with other listeners; it is billed once.
   */
  public readonly monthlyFixedCostUsd: number;
  /** How `monthlyFixedCostUsd` is reckoned, with its source. */
  public readonly monthlyFixedCostBasis: string;

  private readonly bound: BoundAcceleratorEndpoint[];
  private readonly groups = new Map<string, ga.EndpointGroup>();

  constructor(scope: Construct, id: string, private readonly props: AcceleratorFailoverProps) {
    super(scope, id);
    this.bound = (props.endpoints ?? []).map((e: AcceleratorEndpoint) => e._bind());
    validateAcceleratorFailover(this, props, this.bound);
    this.regions = [...new Set(this.bound.map((b) => b.region!))];
    this.primaryRegion = props.primaryRegion;
    const cost = acceleratorMonthlyCost();
    // An accelerator is billed once however many listeners share it: the first AcceleratorFailover on a given one counts it.
    const counted = props.accelerator?.node.tryFindChild(COST_COUNTED);
    if (props.accelerator && !counted) {
      new Construct(props.accelerator, COST_COUNTED);
    }
    this.monthlyFixedCostUsd = counted ? 0 : cost.usd;
    this.monthlyFixedCostBasis = !props.accelerator ? cost.basis
      : counted ? `the accelerator ${props.accelerator.node.path} is billed once, and counted by the first AcceleratorFailover that uses it`
        : `${cost.basis}; the accelerator is given, and billed once however many listeners share it`;

    this.accelerator = props.accelerator ?? new ga.Accelerator(this, 'Accelerator', { acceleratorName: props.acceleratorName });
    this.listener = new ga.Listener(this, 'Listener', {
      accelerator: this.accelerator,
      portRanges: props.portRanges ?? DEFAULT_PORTS,
      protocol: props.protocol,
      clientAffinity: props.clientAffinity,
    });
    const groups = new Construct(this, 'EndpointGroups');
    for (const region of this.regions) {
      this.groups.set(region, new ga.EndpointGroup(groups, region, {
        listener: this.listener,
        region,
        endpoints: this.bound.filter((b) => b.region === region).map((b) => b.endpoint()),
        healthCheckInterval: props.healthCheckInterval ?? Duration.seconds(DEFAULT_INTERVAL),
        healthCheckThreshold: props.healthCheckThreshold ?? DEFAULT_THRESHOLD,
        trafficDialPercentage: this.dial(region),
      }));
    }
    FailoverReport.of(this);
  }

  /**
   * The endpoint group of a Region (its ARN is what a runbook turns the dial of).
   *
   * @param region one of `regions`
   */
  public endpointGroup(region: string): ga.EndpointGroup {
    const group = this.groups.get(region);
    if (!group) {
      throw new Error(`${this.node.path}: no endpoint group in ${JSON.stringify(region)}; the groups are in ${this.regions.join(', ')}.`);
    }
    return group;
  }

  /**
   * Active-passive: one path per standby Region, from the primary failing to new connections
   * reaching the standby. Active-active: one path per Region, losing that Region.
   */
  public recoveryPaths(): RecoveryPath[] {
    const primary = this.primaryRegion;
    const lost = primary !== undefined ? [primary] : this.regions;
    const paths: RecoveryPath[] = [];
    for (const from of lost) {
      const others = this.regions.filter((r) => r !== from);
      const targets = primary !== undefined ? others.map((to) => [to]) : [others];
      for (const to of targets) {
        paths.push(this.path(from, to));
      }
    }
    return paths;
  }

  private path(from: string, to: string[]): RecoveryPath {
    const activePassive = this.primaryRegion !== undefined;
    const detections = this.bound.filter((b) => b.region === from).map((b) => this.detection(b));
    const terms: Term[] = acceleratorFailover({
      detection: groupDetection(from, detections),
      acceleratorReroute: givenAssumption(this, this.props.assumptions, RecoveryAssumption.ACCELERATOR_REROUTE),
    });
    const endpoints: PathEndpoint[] = [
      ...this.endpointsOf(from, activePassive ? EndpointRole.PRIMARY : EndpointRole.ACTIVE),
      ...to.flatMap((r) => this.endpointsOf(r, activePassive ? EndpointRole.SECONDARY : EndpointRole.ACTIVE)),
    ];
    const warnings: string[] = [];
    if (activePassive && this.regions.length > 2) {
      warnings.push(`Global Accelerator sends each client to the nearest healthy group, not to a fixed standby: traffic from ${from} may go to any of `
        + `${this.regions.filter((r) => r !== from).join(', ')}.`);
    }
    if (!activePassive) {
      warnings.push(`The remaining Regions (${to.join(', ')}) must carry ${from}'s traffic as well as their own.`);
    }
    const unseen = this.bound.filter((b) => b.region === from && b.targetHealth() === undefined);
    if (unseen.length > 0) {
      warnings.push(`The target groups of ${unseen.map((b) => b.label).join(', ')} are not visible to the model: detection rests on `
        + '`targetHealthDetection`. Set it to what a drill measured, or give the load balancer itself.');
    }
    return new RecoveryPath({
      id: activePassive ? `to-${to[0]}` : `lose-${from}`,
      kind: RecoveryPathKind.GLOBAL_ACCELERATOR,
      name: activePassive ? `${from} to ${to[0]}` : `losing ${from}`,
      endpoints,
      estimate: RecoveryEstimate._fromModel(terms),
      warnings,
      cost: { monthlyUsd: this.monthlyFixedCostUsd, basis: `${this.monthlyFixedCostBasis}; plus the data transfer premium per GB, not counted` },
    });
  }

  /** Load balancer endpoints are judged by their target groups; the group's own settings do not apply to them. */
  private detection(b: BoundAcceleratorEndpoint): Term {
    return loadBalancerEndpointDetection({
      label: b.label,
      elb: b.targetHealth(),
      targetHealthDetection: givenAssumption(this, this.props.assumptions, RecoveryAssumption.TARGET_HEALTH_DETECTION),
    });
  }

  private endpointsOf(region: string, role: EndpointRole): PathEndpoint[] {
    return this.bound.filter((b) => b.region === region).map((b) => {
      const elb = b.targetHealth();
      return {
        label: b.label,
        role,
        region,
        health: elb
          ? `ELB target health (${elb.interval} s x ${elb.unhealthyThreshold} + ${elb.timeout} s), traffic dial ${this.dial(region)} %`
          : `ELB target health (not visible), traffic dial ${this.dial(region)} %`,
      };
    });
  }

  private dial(region: string): number {
    const given = this.props.trafficDials?.[region];
    if (given !== undefined) {
      return given;
    }
    return this.primaryRegion === undefined || this.primaryRegion === region ? 100 : 0;
  }
}

/**
 * The standby cost of a strategy: what it keeps running in the recovery Region while nothing
 * fails, and its failover machinery, from the built resources and the prices.
 */
import { Annotations, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { BuiltRegion } from './region-pair';
import { EndpointHealthCheck } from '../../health/endpoint-health-check';
import {
  CostItem, databaseInstances, fargateTasks, healthChecks, interRegionTransfer, LIST_PRICES, loadBalancers, Prices, total,
} from '../../objectives/model/standby-cost';
import { PathCost } from '../../objectives/path';
import { annotationTarget } from '../../objectives/report/failover-report';
import type { StandbyPricing } from '../standby-pricing';

/** What stands in the recovery Region while idle, as the strategy built it. */
export interface StandbyInventory {
  /** The Region whose idle resources are counted, with its service and database; none when nothing stands there. */
  readonly standby?: BuiltRegion;
  /** Tasks running there while idle. */
  readonly tasks: number;
  /** Database instances running there while idle. */
  readonly databaseInstances: number;
  /** The instance class of the database, e.g. `r6g.large`. */
  readonly instanceClass?: string;
  /** Every health check the strategy created, besides those that only compute (calculated, alarm). */
  readonly endpointChecks: EndpointHealthCheck[];
  /** Health checks that only compute (calculated or alarm-based): the base price each. */
  readonly otherChecks: number;
  /** Whether data crosses Regions (a database replicated or backed up). */
  readonly replicates: boolean;
}

export function pricesOf(p: StandbyPricing = {}): Prices {
  return {
    fargateVcpuHour: p.fargateVcpuHour ?? LIST_PRICES.fargateVcpuHour,
    fargateGbHour: p.fargateGbHour ?? LIST_PRICES.fargateGbHour,
    databaseInstanceHour: p.databaseInstanceHour ?? LIST_PRICES.databaseInstanceHour,
    loadBalancerHour: p.loadBalancerHour ?? LIST_PRICES.loadBalancerHour,
    healthCheckMonth: p.healthCheckMonth ?? LIST_PRICES.healthCheckMonth,
    healthCheckFeatureMonth: p.healthCheckFeatureMonth ?? LIST_PRICES.healthCheckFeatureMonth,
    interRegionGb: p.interRegionGb ?? LIST_PRICES.interRegionGb,
  };
}

/** The estimate, one item per kind of resource; warnings where a figure had to be assumed. */
export function standbyCost(owner: IConstruct, inv: StandbyInventory, pricing: StandbyPricing = {}): PathCost {
  const prices = pricesOf(pricing);
  const items: CostItem[] = [];
  if (inv.standby && inv.tasks > 0) {
    items.push(computeCost(owner, inv.standby, inv.tasks, prices));
  }
  if (inv.standby) {
    items.push(loadBalancers(1, prices));
  }
  if (inv.databaseInstances > 0) {
    const instanceClass = inv.instanceClass ?? 'r6g.large';
    if (pricing.databaseInstanceHour === undefined && instanceClass !== 'r6g.large') {
      Annotations.of(annotationTarget(owner)).addWarningV2('cdk-failover:strategy-price-assumed',
        `${owner.node.path}: the standby cost prices each database instance at ${LIST_PRICES.databaseInstanceHour} USD an hour (db.r6g.large), but the database uses db.${instanceClass}: `
        + 'give `pricing.databaseInstanceHour` for an estimate of your class.');
    }
    items.push(databaseInstances(inv.databaseInstances, `db.${instanceClass}`, prices));
  }
  const features = inv.endpointChecks.reduce((n, c) => n + checkFeatures(c), 0);
  items.push(healthChecks(inv.endpointChecks.length + inv.otherChecks, features, prices));
  if (inv.replicates) {
    items.push(interRegionTransfer(pricing.replicatedGbPerMonth ?? 100, prices));
  }
  const sum = total(items);
  const assumedVolume = inv.replicates && pricing.replicatedGbPerMonth === undefined ? ' (an assumed volume: give `pricing.replicatedGbPerMonth`)' : '';
  return {
    monthlyUsd: sum.monthlyUsd,
    basis: `${sum.basis}${assumedVolume}; us-east-1 list prices read 2026 unless given (docs/aws-facts.md#pricing); `
      + 'not counted: the network (NAT gateways), logs, alarms, storage (backups and their copies included) and Aurora\'s replicated write I/O',
  };
}

/** Fargate tasks priced by their task definition's CPU and memory. */
function computeCost(owner: IConstruct, region: BuiltRegion, tasks: number, prices: Prices): CostItem {
  const service = region.parts.service.fargateService;
  const cfn = service?.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition | undefined;
  const cpu = cfn?.cpu;
  const memory = cfn?.memory;
  if (!cfn || cpu === undefined || memory === undefined || Token.isUnresolved(cpu) || Token.isUnresolved(memory)) {
    Annotations.of(annotationTarget(owner)).addWarningV2('cdk-failover:strategy-compute-unpriced',
      `${owner.node.path}: the standby's ${tasks} task(s) in ${region.region} are not priced: only a Fargate task definition with literal CPU and memory is. `
      + 'The estimate leaves its compute out.');
    return { monthlyUsd: 0, basis: `${tasks} task(s) not priced (not Fargate, or CPU and memory unknown at synth)` };
  }
  return fargateTasks(tasks, Number(cpu) / 1024, Number(memory) / 1024, prices);
}

/** Route 53 bills each optional feature of a check: HTTPS, string matching, the fast interval, latency. */
function checkFeatures(check: EndpointHealthCheck): number {
  const cfn = check.healthCheck.node.defaultChild as route53.CfnHealthCheck;
  const config = cfn.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
  const type = config.type ?? '';
  const https = type.startsWith('HTTPS') ? 1 : 0;
  const match = type.endsWith('STR_MATCH') ? 1 : 0;
  const latency = config.measureLatency === true ? 1 : 0;
  const fast = config.requestInterval === 10 ? 1 : 0;
  return https + match + latency + fast;
}

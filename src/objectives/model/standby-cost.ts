/**
 * What a disaster-recovery strategy costs a month while nothing fails: what stands in the
 * recovery Region, and the failover machinery. List prices of us-east-1 (docs/aws-facts.md#pricing),
 * each overridable; an estimate, labelled so.
 */
import { HOURS_PER_MONTH } from './global-accelerator';

/** Prices the estimate uses, in US dollars. */
export interface Prices {
  readonly fargateVcpuHour: number;
  readonly fargateGbHour: number;
  readonly databaseInstanceHour: number;
  readonly loadBalancerHour: number;
  readonly healthCheckMonth: number;
  readonly healthCheckFeatureMonth: number;
  readonly interRegionGb: number;
}

/** us-east-1 list prices, read 2026 (docs/aws-facts.md#pricing). */
export const LIST_PRICES: Prices = {
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  databaseInstanceHour: 0.26,
  loadBalancerHour: 0.0225,
  healthCheckMonth: 0.5,
  healthCheckFeatureMonth: 1,
  interRegionGb: 0.02,
};

/** One line of an estimate. */
export interface CostItem {
  readonly monthlyUsd: number;
  readonly basis: string;
}

/** Rounded to the cent. */
export function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** Fargate tasks running all month: tasks x (vCPU x price + GiB x price) x 730 h. */
export function fargateTasks(tasks: number, vcpu: number, memoryGib: number, p: Prices): CostItem {
  const hourly = vcpu * p.fargateVcpuHour + memoryGib * p.fargateGbHour;
  return {
    monthlyUsd: cents(tasks * hourly * HOURS_PER_MONTH),
    basis: `${tasks} Fargate task(s) of ${vcpu} vCPU and ${memoryGib} GiB: ${tasks} x (${vcpu} x ${p.fargateVcpuHour} + ${memoryGib} x ${p.fargateGbHour}) USD x ${HOURS_PER_MONTH} h`,
  };
}

/** Database instances running all month. */
export function databaseInstances(instances: number, instanceClass: string, p: Prices): CostItem {
  return {
    monthlyUsd: cents(instances * p.databaseInstanceHour * HOURS_PER_MONTH),
    basis: `${instances} ${instanceClass} instance(s): ${instances} x ${p.databaseInstanceHour} USD x ${HOURS_PER_MONTH} h`,
  };
}

/** Load balancers running all month (the hourly charge; capacity units are usage, not counted). */
export function loadBalancers(count: number, p: Prices): CostItem {
  return {
    monthlyUsd: cents(count * p.loadBalancerHour * HOURS_PER_MONTH),
    basis: `${count} Application Load Balancer(s): ${count} x ${p.loadBalancerHour} USD x ${HOURS_PER_MONTH} h (capacity units not counted)`,
  };
}

/** Route 53 health checks: a base price each, and one per optional feature (HTTPS, string match, fast interval, latency). */
export function healthChecks(checks: number, features: number, p: Prices): CostItem {
  return {
    monthlyUsd: cents(checks * p.healthCheckMonth + features * p.healthCheckFeatureMonth),
    basis: `${checks} Route 53 health check(s) x ${p.healthCheckMonth} USD + ${features} optional feature(s) x ${p.healthCheckFeatureMonth} USD`,
  };
}

/** Bytes crossing Regions a month (replicated writes, copied backups), an assumed volume. */
export function interRegionTransfer(gbPerMonth: number, p: Prices): CostItem {
  return {
    monthlyUsd: cents(gbPerMonth * p.interRegionGb),
    basis: `${gbPerMonth} GB a month across Regions x ${p.interRegionGb} USD/GB`,
  };
}

/** The sum of the items, and their bases in one sentence. */
export function total(items: CostItem[]): CostItem {
  const counted = items.filter((i) => i.monthlyUsd > 0 || !i.basis.startsWith('0 '));
  return {
    monthlyUsd: cents(items.reduce((s, i) => s + i.monthlyUsd, 0)),
    basis: counted.map((i) => `${i.basis} = ${i.monthlyUsd.toFixed(2)}`).join('; '),
  };
}

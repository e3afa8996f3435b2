/**
 * The prices and volumes the standby-cost estimate of `DisasterRecovery` uses. The defaults
 * are us-east-1 list prices read in 2026 (docs/aws-facts.md#pricing); give yours for another
 * Region, a discount or a newer price. Every figure is in US dollars.
 */
export interface StandbyPricing {
  /**
   * Fargate, per vCPU-hour (Linux, x86).
   *
   * @default 0.04048
   */
  readonly fargateVcpuHour?: number;

  /**
   * Fargate, per GB of memory per hour (Linux, x86).
   *
   * @default 0.004445
   */
  readonly fargateGbHour?: number;

  /**
   * One database instance, per hour, of the class the database uses.
   *
   * @default 0.26 - Aurora db.r6g.large on demand (a warning names any other class priced at it)
   */
  readonly databaseInstanceHour?: number;

  /**
   * One Application Load Balancer, per hour (its capacity units are usage, not counted).
   *
   * @default 0.0225
   */
  readonly loadBalancerHour?: number;

  /**
   * One Route 53 health check of an AWS endpoint, per month.
   *
   * @default 0.5
   */
  readonly healthCheckMonth?: number;

  /**
   * Each optional feature of a health check (HTTPS, string matching, fast interval, latency
   * measurement), per month.
   *
   * @default 1
   */
  readonly healthCheckFeatureMonth?: number;

  /**
   * Data transfer between Regions, per GB.
   *
   * @default 0.02
   */
  readonly interRegionGb?: number;

  /**
   * How many GB cross Regions a month: the database's replicated writes, or the copied backups.
   * An assumption: give your own volume.
   *
   * @default 100
   */
  readonly replicatedGbPerMonth?: number;
}

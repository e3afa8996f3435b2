import { SplitRule } from '../objectives/model/multi-site';

/**
 * Options of weighted multi-site routing.
 */
export interface WeightedRoutingOptions {
  /**
   * The weight of each region, by region name: 0 to 255. Route 53 answers with a region in
   * proportion to its weight over the sum of the healthy regions' weights. A region of weight
   * 0 gets traffic only once every region with a weight is unhealthy. When given, it must name
   * every region of the records and no other.
   *
   * @default - every region weighs 1: an even split
   */
  readonly weights?: { [region: string]: number };
}

/**
 * How Route 53 chooses between the healthy regions of `MultiSiteRecords`.
 */
export class MultiSiteRouting {
  /**
   * Latency records: each client gets the region with the lowest latency from its resolver
   * (Route 53's measurements between networks and AWS Regions). Losing a region sends its clients
   * to their next nearest healthy region, so only the survivors' total capacity can be checked.
   */
  public static latency(): MultiSiteRouting {
    return new MultiSiteRouting(SplitRule.LATENCY);
  }

  /**
   * Weighted records: each region gets its weight's share of the answers. Losing a region spreads
   * its share over the others by their weights, so each survivor's share is checked against its
   * capacity.
   */
  public static weighted(options: WeightedRoutingOptions = {}): MultiSiteRouting {
    return new MultiSiteRouting(SplitRule.WEIGHTED, options.weights);
  }

  /** @internal */
  public readonly _rule: SplitRule;
  /** @internal */
  public readonly _weights?: { [region: string]: number };

  private constructor(rule: SplitRule, weights?: { [region: string]: number }) {
    this._rule = rule;
    this._weights = weights;
  }
}

/**
 * Finding drill results above a construct, for the report. By a symbol, not by class: the
 * report must not import the construct (which imports the report).
 */
import { IConstruct } from 'constructs';
import type { Drill, MeasuredAssumption } from './drill-summaries';
import { RecoveryAssumptions } from '../../objectives/assumptions';

export const DRILL_RESULTS_SYMBOL = Symbol.for('cdk-failover.DrillResults');

interface Results {
  readonly _latest: Map<string, Drill>;
  readonly _assumptions: Map<string, MeasuredAssumption>;
}

function isResults(x: unknown): x is Results {
  return x !== null && typeof x === 'object' && DRILL_RESULTS_SYMBOL in x;
}

/** The latest measurement of `pathId` in the nearest `DrillResults` above `construct` that has one. */
export function drillFor(construct: IConstruct, pathId: string): Drill | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const child of scope.node.children) {
      if (isResults(child) && child._latest.has(pathId)) {
        return child._latest.get(pathId);
      }
    }
  }
  return undefined;
}

/**
 * The drill an assumption value of `construct` came from: when the nearest scope that sets the
 * assumption (as `RecoveryAssumptions._find` looks) is a `DrillResults`.
 */
export function measuredAssumptionFor(construct: IConstruct, assumptionId: string): MeasuredAssumption | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const child of scope.node.children) {
      if (RecoveryAssumptions.isRecoveryAssumptions(child) && child.values[assumptionId] !== undefined) {
        return isResults(child) ? child._assumptions.get(assumptionId) : undefined;
      }
    }
  }
  return undefined;
}

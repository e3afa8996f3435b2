/**
 * A recovery path as the renderers see it: plain values, deploy-time values already replaced
 * by placeholders, figures computed, objectives checked.
 */
import { MeasuredCheck, ObjectiveCheck } from './check';
import { Step, Totals } from '../model/compose';
import { EndpointRole, RecoveryPathKind } from '../path';

export interface ReportEndpoint {
  readonly label: string;
  readonly role: EndpointRole;
  readonly region?: string;
  readonly health?: string;
}

export interface ReportPath {
  /** `<construct path>#<path id>`. */
  readonly id: string;
  readonly constructPath: string;
  readonly kind: RecoveryPathKind;
  readonly name: string;
  readonly endpoints: ReportEndpoint[];
  readonly step: Step;
  readonly totals: Totals;
  /** What a drill measured (seconds), from the path itself or from `DrillResults`, checked. */
  readonly measured?: ReportMeasured;
  /** What the path's failover machinery costs a month while idle (an estimate), as the path declares it. */
  readonly cost?: { readonly monthlyUsd: number; readonly basis: string };
  /** The disaster-recovery strategy this path realizes end to end, as the path names it. */
  readonly strategy?: string;
  /** Assumption values that came from a drill, by assumption id. */
  readonly measuredAssumptions: ReportMeasuredAssumption[];
  readonly check: ObjectiveCheck;
  /** The path's own warnings, then one per missed objective. */
  readonly warnings: string[];
}

export interface Report {
  readonly stage: string;
  /** True for the analysis of templates (`cdk-failover analyze`), where `stage` lists what was read. */
  readonly analysed?: boolean;
  readonly paths: ReportPath[];
}

export interface ReportMeasured {
  readonly rto?: number;
  readonly rpo?: number;
  readonly source: string;
  /** When the drill ran; undefined for a path's own `measured`. */
  readonly at?: string;
  readonly check: MeasuredCheck;
}

export interface ReportMeasuredAssumption {
  readonly id: string;
  readonly seconds: number;
  readonly source: string;
  readonly at: string;
}

/**
 * The JSON report: every path with its terms, its composition, its figures and its check.
 */
import { Report, ReportPath } from './report-path';
import { flatten, Step, timeline } from '../model/compose';
import { Term } from '../model/term';

/** Bumped on any change a reader of the JSON would notice. */
const FORMAT_VERSION = 2;

export function reportJson(report: Report) {
  return {
    generatedBy: 'cdk-failover',
    formatVersion: FORMAT_VERSION,
    stage: report.stage,
    paths: report.paths.map(pathJson),
  };
}

function pathJson(p: ReportPath) {
  const terms = flatten(p.step);
  const starts = new Map(timeline(p.step).map((x) => [x.term, x]));
  const t = p.totals;
  const c = p.check;
  return {
    id: p.id,
    constructPath: p.constructPath,
    kind: p.kind.id,
    kindLabel: p.kind.label,
    name: p.name,
    endpoints: p.endpoints,
    terms: terms.map((x) => termJson(x, starts.get(x)?.start, starts.get(x)?.lane)),
    composition: compositionJson(p.step, terms),
    rto: {
      applicable: t.rtoMax !== undefined,
      bestSeconds: t.rtoMin,
      worstSeconds: t.rtoMax,
      objectiveSeconds: c.objectives?.rto,
      met: c.rtoMet,
      dominantTerm: t.dominant?.kind.id,
      dominantTermId: t.dominant?.id,
    },
    rpo: { applicable: t.rpoMax !== undefined, worstSeconds: t.rpoMax, objectiveSeconds: c.objectives?.rpo, met: c.rpoMet },
    measured: p.measured && {
      rtoSeconds: p.measured.rto,
      rpoSeconds: p.measured.rpo,
      source: p.measured.source,
      at: p.measured.at,
      rtoMet: p.measured.check.rtoMet,
      rpoMet: p.measured.check.rpoMet,
      rtoWithinModel: p.measured.check.rtoWithinModel,
      rpoWithinModel: p.measured.check.rpoWithinModel,
    },
    cost: p.cost && { monthlyUsd: p.cost.monthlyUsd, basis: p.cost.basis, estimate: true },
    strategy: p.strategy,
    measuredAssumptions: p.measuredAssumptions.length === 0 ? undefined
      : p.measuredAssumptions.map((a) => ({ id: a.id, seconds: a.seconds, source: a.source, at: a.at })),
    objectivesDeclaredAt: c.objectives?.declaredAt,
    enforcement: c.objectives?.enforcement,
    assumptions: terms.filter((x) => x.assumption).map((x) => `${x.kind.id}: ${x.basis}`),
    warnings: p.warnings,
  };
}

function termJson(t: Term, start: number | undefined, lane: string | undefined) {
  return {
    id: t.id,
    term: t.kind.id,
    name: t.kind.label,
    measure: t.kind.measure,
    minSeconds: t.min,
    maxSeconds: t.max,
    startSeconds: start,
    branch: lane || undefined,
    basis: t.basis,
    assumption: t.assumption,
    assumptionId: t.assumptionId,
    remedy: t.remedy,
  };
}

/** The composition as a tree of indexes into `terms`. */
function compositionJson(step: Step, terms: Term[]): unknown {
  if (step.type === 'term') {
    return terms.indexOf(step.term);
  }
  return { [step.type]: step.steps.map((s) => compositionJson(s, terms)) };
}

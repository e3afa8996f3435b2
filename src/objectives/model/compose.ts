/**
 * Composition of terms: steps one after another (series) and steps that run at the same time
 * (parallel), with the best and worst cases and the timeline the report draws.
 */
import { isData, round, Term } from './term';

/** A term, or terms in series or in parallel. */
export type Step =
  | { readonly type: 'term'; readonly term: Term }
  | { readonly type: 'series' | 'parallel'; readonly steps: readonly Step[] };

/** Summary figures of a composition. */
export interface Totals {
  /** Best-case recovery time, or undefined when no term takes time (a data-only path). */
  readonly rtoMin?: number;
  /** Worst-case recovery time, or undefined when no term takes time. */
  readonly rtoMax?: number;
  /** Worst-case data loss, or undefined when the path carries no data. */
  readonly rpoMax?: number;
  /** The time term on the worst-case critical path with the largest maximum. */
  readonly dominant?: Term;
  /** The data term with the largest maximum in the worst-case data-loss window. */
  readonly dominantData?: Term;
}

export function series(steps: readonly Step[]): Step {
  return { type: 'series', steps };
}

export function parallel(steps: readonly Step[]): Step {
  return { type: 'parallel', steps };
}

export function ofTerms(terms: readonly Term[]): Step {
  return series(terms.map((term) => ({ type: 'term', term })));
}

/** Every term, in the order the steps were given. */
export function flatten(step: Step): Term[] {
  return step.type === 'term' ? [step.term] : step.steps.flatMap(flatten);
}

interface Figures {
  readonly min: number;
  readonly max: number;
  readonly timed: boolean;
  readonly data?: number;
  readonly dominant?: Term;
  readonly dominantData?: Term;
}

/**
 * - series: times add; data-loss windows add too (a backup interval, then the copy delay);
 * - parallel: recovery is done when the last branch is (so the best case is the largest of the
 *   branches' best cases, the worst the largest worst case); independent data windows do not
 *   add, the largest counts;
 * - the dominant term is the largest term on the worst-case critical path.
 */
function figures(step: Step): Figures {
  if (step.type === 'term') {
    const t = step.term;
    return isData(t)
      ? { min: 0, max: 0, timed: false, data: t.max, dominantData: t }
      : { min: t.min, max: t.max, timed: true, dominant: t };
  }
  const parts = step.steps.map(figures);
  const timed = parts.filter((p) => p.timed);
  const withData = parts.filter((p) => p.data !== undefined);
  const data = withData.map((p) => p.data!);
  const largestData = withData.reduce<Figures | undefined>((a, b) => (a === undefined || b.data! > a.data! ? b : a), undefined);
  if (step.type === 'series') {
    const dominant = timed.map((p) => p.dominant!).reduce<Term | undefined>((a, b) => (a === undefined || b.max > a.max ? b : a), undefined);
    return {
      min: timed.reduce((s, p) => s + p.min, 0),
      max: timed.reduce((s, p) => s + p.max, 0),
      timed: timed.length > 0,
      data: data.length > 0 ? data.reduce((s, d) => s + d, 0) : undefined,
      dominant,
      dominantData: withData.map((p) => p.dominantData!).reduce<Term | undefined>((a, b) => (a === undefined || b.max > a.max ? b : a), undefined),
    };
  }
  const critical = timed.reduce<Figures | undefined>((a, b) => (a === undefined || b.max > a.max ? b : a), undefined);
  return {
    min: Math.max(0, ...timed.map((p) => p.min)),
    max: critical?.max ?? 0,
    timed: timed.length > 0,
    data: data.length > 0 ? Math.max(...data) : undefined,
    dominant: critical?.dominant,
    dominantData: largestData?.dominantData,
  };
}

export function totals(step: Step): Totals {
  const f = figures(step);
  return {
    rtoMin: f.timed ? round(f.min) : undefined,
    rtoMax: f.timed ? round(f.max) : undefined,
    rpoMax: f.data === undefined ? undefined : round(f.data),
    dominant: f.dominant,
    dominantData: f.dominantData,
  };
}

/** Where one time term sits on the worst-case timeline of its path. */
export interface Placed {
  readonly term: Term;
  /** Seconds from the failure to the term starting, when every earlier step takes its worst case. */
  readonly start: number;
  /** Which parallel branch it is on, e.g. `1.2` (empty on the main line). */
  readonly lane: string;
}

/** The time terms with their worst-case start: series start one after another, parallel branches together. */
export function timeline(step: Step): Placed[] {
  const out: Placed[] = [];
  place(step, 0, '', out);
  return out;
}

function place(step: Step, start: number, lane: string, out: Placed[]): number {
  if (step.type === 'term') {
    if (isData(step.term)) {
      return start;
    }
    out.push({ term: step.term, start: round(start), lane });
    return start + step.term.max;
  }
  if (step.type === 'series') {
    return step.steps.reduce((at, s) => place(s, at, lane, out), start);
  }
  return Math.max(start, ...step.steps.map((s, i) => place(s, start, lane ? `${lane}.${i + 1}` : `${i + 1}`, out)));
}

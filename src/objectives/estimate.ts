import { Duration } from 'aws-cdk-lib';
import { flatten, ofTerms, parallel, series, Step, totals } from './model/compose';
import { Term } from './model/term';
import { RecoveryTermKind } from './term-kind';
import { literalSeconds } from '../private/validate';

/**
 * One term of a recovery estimate.
 */
export interface RecoveryTerm {
  /**
   * Stable identifier of the term, e.g. `route53-health-check`; the report and drills refer to
   * it.
   *
   * @default - the kind's id
   */
  readonly id?: string;
  /** The phase this term measures. */
  readonly kind: RecoveryTermKind;
  /** Shortest duration of the phase. */
  readonly min: Duration;
  /** Longest duration of the phase. */
  readonly max: Duration;
  /** How the figures were obtained, with their inputs. */
  readonly basis: string;
  /**
   * True when the figure is a stated assumption rather than documented AWS behaviour.
   *
   * @default false
   */
  readonly assumption?: boolean;
  /**
   * The id of the named assumption (`RecoveryAssumption.id`) the figure rests on.
   *
   * @default - none
   */
  readonly assumptionId?: string;
  /** What to change to shorten this term. */
  readonly remedy: string;
}

/**
 * How long a recovery path takes (RTO) and how much data it can lose (RPO), term by term.
 *
 * Estimates compose: `series` for steps one after another (a runbook's fence, promote, switch),
 * `parallel` for steps that run at the same time (the traffic switch beside a database
 * promotion: clients are served once both are done). Time terms add in series and take the
 * longest branch in parallel; data-loss windows add in series and take the largest in parallel.
 * An estimate of data terms only is a data path: it has an RPO and no RTO.
 */
export class RecoveryEstimate {
  /**
   * An estimate of terms one after another.
   */
  public static of(terms: RecoveryTerm[]): RecoveryEstimate {
    if (terms.length === 0) {
      throw new Error('RecoveryEstimate.of: `terms` must hold at least one term; got none. Give the phases of the path, e.g. detection, switch and propagation.');
    }
    return new RecoveryEstimate(ofTerms(terms.map(fromTerm)));
  }

  /**
   * Estimates one after another: the recovery time is the sum.
   */
  public static series(estimates: RecoveryEstimate[]): RecoveryEstimate {
    return new RecoveryEstimate(series(nonEmpty('series', estimates).map((e) => e.step)));
  }

  /**
   * Estimates that run at the same time, recovery being done when all are: the recovery time is
   * the longest.
   */
  public static parallel(estimates: RecoveryEstimate[]): RecoveryEstimate {
    return new RecoveryEstimate(parallel(nonEmpty('parallel', estimates).map((e) => e.step)));
  }

  /** @internal */
  public static _fromModel(terms: Term[]): RecoveryEstimate {
    terms.forEach(checkFigures);
    return new RecoveryEstimate(ofTerms(terms));
  }

  private constructor(private readonly step: Step) {}

  /** Every term, in the order the steps were given (parallel branches one after another). */
  public get terms(): RecoveryTerm[] {
    return flatten(this.step).map(toTerm);
  }

  /**
   * Best-case recovery time.
   *
   * @returns undefined for a data path (no term takes time)
   */
  public get rtoBest(): Duration | undefined {
    const t = totals(this.step).rtoMin;
    return t === undefined ? undefined : seconds(t);
  }

  /**
   * Worst-case recovery time: what the recovery time objective is checked against.
   *
   * @returns undefined for a data path (no term takes time)
   */
  public get rtoWorst(): Duration | undefined {
    const t = totals(this.step).rtoMax;
    return t === undefined ? undefined : seconds(t);
  }

  /**
   * Worst-case data loss.
   *
   * @returns undefined when the path carries no data
   */
  public get rpoWorst(): Duration | undefined {
    const rpo = totals(this.step).rpoMax;
    return rpo === undefined ? undefined : seconds(rpo);
  }

  /**
   * The time term with the longest maximum on the worst-case critical path: the first thing
   * to shorten.
   *
   * @returns undefined for a data path
   */
  public get dominantTerm(): RecoveryTerm | undefined {
    const d = totals(this.step).dominant;
    return d === undefined ? undefined : toTerm(d);
  }

  /** The assumptions the estimate rests on, one sentence each. */
  public get assumptions(): string[] {
    return flatten(this.step).filter((t) => t.assumption).map((t) => `${t.kind.label}: ${t.basis}`);
  }

  /** A new estimate: this one, then `other`. */
  public then(other: RecoveryEstimate): RecoveryEstimate {
    return RecoveryEstimate.series([this, other]);
  }

  /** A new estimate: this one and `other` at the same time. */
  public alongside(other: RecoveryEstimate): RecoveryEstimate {
    return RecoveryEstimate.parallel([this, other]);
  }

  /** @internal */
  public get _step(): Step {
    return this.step;
  }

  /** @internal */
  public get _terms(): Term[] {
    return flatten(this.step);
  }
}

function nonEmpty(what: string, estimates: RecoveryEstimate[]): RecoveryEstimate[] {
  if (estimates.length === 0) {
    throw new Error(`RecoveryEstimate.${what}: \`estimates\` must hold at least one estimate; got none.`);
  }
  return estimates;
}

/**
 * The model's own terms never hold a figure that is not a time: a non-finite or negative
 * figure means a Token or a bad prop reached the model, which is a bug to report, not a
 * figure to print.
 */
function checkFigures(t: Term): void {
  if (!(Number.isFinite(t.min) && Number.isFinite(t.max) && t.min >= 0 && t.max >= t.min)) {
    throw new Error(`cdk-failover bug: the ${t.id} term has min ${t.min} s and max ${t.max} s; figures must be finite, `
      + `zero or more, and max at least min (basis: ${t.basis}). Please report it with the props that led to it.`);
  }
}

function seconds(value: number): Duration {
  return Duration.millis(Math.round(value * 1000));
}

function toTerm(t: Term): RecoveryTerm {
  return {
    id: t.id,
    kind: t.kind,
    min: seconds(t.min),
    max: seconds(t.max),
    basis: t.basis,
    assumption: t.assumption,
    assumptionId: t.assumptionId,
    remedy: t.remedy,
  };
}

function fromTerm(t: RecoveryTerm): Term {
  const name = t.id ?? t.kind.id;
  if (t.min.isUnresolved() || t.max.isUnresolved()) {
    throw new Error(`RecoveryEstimate.of: the ${name} term has a min or max that is only known at deploy time; give literal Durations.`);
  }
  const min = literalSeconds(t.min);
  const max = literalSeconds(t.max);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0) {
    throw new Error(`RecoveryEstimate.of: the ${name} term needs finite min and max of zero or more, got ${t.min.toHumanString()} and ${t.max.toHumanString()}.`);
  }
  if (max < min) {
    throw new Error(`RecoveryEstimate.of: the ${name} term has max ${t.max.toHumanString()} below min ${t.min.toHumanString()}; give max >= min.`);
  }
  return {
    id: name,
    kind: t.kind,
    min,
    max,
    basis: t.basis,
    assumption: t.assumption ?? false,
    assumptionId: t.assumptionId,
    remedy: t.remedy,
  };
}

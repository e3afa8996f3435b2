import { Duration } from 'aws-cdk-lib';
import { Term, totals } from './model';
import { RecoveryTermKind } from './term-kind';

/**
 * One term of a recovery estimate.
 */
export interface RecoveryTerm {
  /** The phase this term measures. */
  readonly kind: RecoveryTermKind;
  /** Shortest duration of the phase. */
  readonly min: Duration;
  /** Longest duration of the phase. */
  readonly max: Duration;
  /** How the figures were obtained, with their inputs. */
  readonly basis: string;
  /** True when the figure is a stated assumption rather than documented AWS behaviour. */
  readonly assumption: boolean;
  /** What to change to shorten this term. */
  readonly remedy: string;
}

/**
 * How long a recovery path takes (RTO) and how much data it can lose (RPO), term by term.
 *
 * The worst case is the sum of the maxima of the time terms; the best case the sum of their
 * minima; the data loss is the largest data-loss term.
 */
export class RecoveryEstimate {
  /**
   * An estimate from its terms.
   */
  public static of(terms: RecoveryTerm[]): RecoveryEstimate {
    if (!terms.some((t) => t.kind !== RecoveryTermKind.DATA_LOSS)) {
      throw new Error('RecoveryEstimate.of: `terms` must hold at least one time term (detection, decision, switch, propagation or clientCache); '
        + `got ${terms.length} term(s), none of them a time term.`);
    }
    return new RecoveryEstimate(terms.map(fromTerm));
  }

  /** @internal */
  public static _fromModel(terms: Term[]): RecoveryEstimate {
    return new RecoveryEstimate(terms);
  }

  private constructor(private readonly modelTerms: Term[]) {
    totals(modelTerms);
  }

  /** The terms, in the order the phases happen. */
  public get terms(): RecoveryTerm[] {
    return this.modelTerms.map(toTerm);
  }

  /** Best-case recovery time. */
  public get rtoBest(): Duration {
    return seconds(totals(this.modelTerms).rtoMin);
  }

  /** Worst-case recovery time: what the recovery time objective is checked against. */
  public get rtoWorst(): Duration {
    return seconds(totals(this.modelTerms).rtoMax);
  }

  /**
   * Worst-case data loss.
   *
   * @returns undefined when the path carries no data
   */
  public get rpoWorst(): Duration | undefined {
    const rpo = totals(this.modelTerms).rpoMax;
    return rpo === undefined ? undefined : seconds(rpo);
  }

  /** The time term with the longest maximum: the first thing to shorten. */
  public get dominantTerm(): RecoveryTerm {
    return toTerm(totals(this.modelTerms).dominant);
  }

  /** The assumptions the estimate rests on, one sentence each. */
  public get assumptions(): string[] {
    return this.modelTerms.filter((t) => t.assumption).map((t) => `${t.kind}: ${t.basis}`);
  }

  /** A new estimate with the terms of both, for paths in series. */
  public plus(other: RecoveryEstimate): RecoveryEstimate {
    return new RecoveryEstimate([...this.modelTerms, ...other.modelTerms]);
  }

  /** @internal */
  public get _terms(): Term[] {
    return [...this.modelTerms];
  }
}

function seconds(value: number): Duration {
  return Duration.millis(Math.round(value * 1000));
}

function toTerm(t: Term): RecoveryTerm {
  return {
    kind: t.kind,
    min: seconds(t.min),
    max: seconds(t.max),
    basis: t.basis,
    assumption: t.assumption,
    remedy: t.remedy,
  };
}

function fromTerm(t: RecoveryTerm): Term {
  if (t.min.isUnresolved() || t.max.isUnresolved()) {
    throw new Error(`RecoveryEstimate.of: the ${t.kind} term has a min or max that is only known at deploy time; give literal Durations.`);
  }
  const min = t.min.toMilliseconds({ integral: false }) / 1000;
  const max = t.max.toMilliseconds({ integral: false }) / 1000;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new Error(`RecoveryEstimate.of: the ${t.kind} term needs finite min and max, got ${t.min.toHumanString()} and ${t.max.toHumanString()}.`);
  }
  if (max < min) {
    throw new Error(`RecoveryEstimate.of: the ${t.kind} term has max ${t.max.toHumanString()} below min ${t.min.toHumanString()}; give max >= min.`);
  }
  return {
    kind: t.kind,
    min,
    max,
    basis: t.basis,
    assumption: t.assumption,
    remedy: t.remedy,
  };
}

/**
 * The model's own view of a term: plain seconds, no constructs, so that the constructs, the
 * report and the benchmarks all compute the same figures. The facts behind every constant are
 * in docs/aws-facts.md; where AWS publishes no figure the model takes a named assumption
 * (assumptions.ts) and marks the term.
 */
import type { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind, TermMeasure } from '../term-kind';

/** One term of an estimate, in seconds. */
export interface Term {
  /** Stable identifier of the term within its family, e.g. `route53-detection`. */
  readonly id: string;
  readonly kind: RecoveryTermKind;
  readonly min: number;
  readonly max: number;
  /** How the figure was obtained, with the inputs. */
  readonly basis: string;
  /** True when the figure is a stated assumption rather than an AWS-documented behaviour. */
  readonly assumption: boolean;
  /** The named assumption the figure rests on, when there is one (see `RecoveryAssumption`). */
  readonly assumptionId?: string;
  /** What to change to make this term shorter. */
  readonly remedy: string;
}

/** Rounds to milliseconds, so sums of fractions print cleanly. */
export function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

export function isData(t: Term): boolean {
  return t.kind.measure === TermMeasure.DATA;
}

/** A step that takes no time because it needs nothing done (an automatic decision, an instant switch). */
export function instant(id: string, kind: RecoveryTermKind, basis: string): Term {
  return { id, kind, min: 0, max: 0, basis, assumption: false, remedy: 'none needed' };
}

/** The basis suffix of a term that rests on a named assumption. */
export function assumedText(assumed: boolean, why = 'AWS does not publish it'): string {
  return assumed ? ` (assumed: ${why})` : '';
}

/**
 * A term from 0 up to a named assumption: the value the user gave (in seconds), else the
 * assumption's default, in which case the term is marked as an assumption.
 */
export function assumedTerm(id: string, kind: RecoveryTermKind, a: RecoveryAssumption, given: number | undefined,
  basis: (seconds: number) => string, remedy: string): Term {
  const seconds = given ?? a._defaultSeconds;
  return {
    id,
    kind,
    min: 0,
    max: seconds,
    basis: basis(seconds) + assumedText(given === undefined, a.basis),
    assumption: given === undefined,
    assumptionId: a.id,
    remedy,
  };
}

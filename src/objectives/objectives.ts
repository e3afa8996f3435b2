import { Duration } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { FailoverReport } from './report/failover-report';
import { Problems } from '../private/errors';
import { checkDuration } from '../private/validate';

const OBJECTIVES_SYMBOL = Symbol.for('cdk-failover.RecoveryObjectives');

/**
 * What happens when a modeled recovery path misses its objectives.
 */
export enum ObjectiveEnforcement {
  /** Synthesis fails, naming the path, the dominant term and the fix. */
  FAIL = 'fail',
  /**
   * Synthesis succeeds with a warning (`cdk-failover:objective-missed`) that can be
   * acknowledged; the report still shows the miss.
   */
  WARN = 'warn',
}

/**
 * Properties of `RecoveryObjectives`.
 */
export interface RecoveryObjectivesProps {
  /**
   * Recovery time objective: the longest acceptable time from a failure to clients being
   * served again. Every recovery path below the scope is checked against it with its
   * modeled worst case. A literal Duration above zero: objectives are checked at synth, so a
   * Token (a parameter) is rejected.
   */
  readonly rto: Duration;

  /**
   * Recovery point objective: the most data, as time of writes, that a recovery may lose.
   * Checked against paths that replicate data; paths that carry no data show "n/a". A literal
   * Duration of zero or more, like `rto`.
   *
   * @default - no RPO objective
   */
  readonly rpo?: Duration;

  /**
   * What a miss does.
   *
   * @default ObjectiveEnforcement.FAIL
   */
  readonly enforcement?: ObjectiveEnforcement;
}

/**
 * Declares the recovery objectives (RTO, RPO) for every recovery path in a scope: an app, a
 * stage, a stack or any construct. A path is checked against the nearest declaration above it,
 * so a construct-level declaration overrides a stack-level one.
 *
 * @example
 * new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.minutes(1) });
 */
export class RecoveryObjectives extends Construct {
  /**
   * Whether `x` is a `RecoveryObjectives` (also across copies of this library).
   */
  public static isRecoveryObjectives(x: any): x is RecoveryObjectives {
    return x !== null && typeof x === 'object' && OBJECTIVES_SYMBOL in x;
  }

  /**
   * The objectives that apply to `construct`: the nearest declaration on it or on one of its
   * ancestors.
   *
   * @returns undefined when none is declared
   */
  public static of(construct: IConstruct): RecoveryObjectives | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      const found = scope.node.children.find((c) => RecoveryObjectives.isRecoveryObjectives(c));
      if (found) {
        return found as RecoveryObjectives;
      }
    }
    return undefined;
  }

  /** Recovery time objective. */
  public readonly rto: Duration;
  /**
   * Recovery point objective.
   *
   * @default - none
   */
  public readonly rpo?: Duration;
  /** What a miss does. */
  public readonly enforcement: ObjectiveEnforcement;

  constructor(scope: Construct, id: string, props: RecoveryObjectivesProps) {
    super(scope, id);
    Object.defineProperty(this, OBJECTIVES_SYMBOL, { value: true });

    const problems = new Problems(this);
    const existing = scope.node.children.find((c) => c !== this && RecoveryObjectives.isRecoveryObjectives(c));
    if (existing) {
      problems.add(`\`${scope.node.path || 'the app'}\` already declares objectives at ${existing.node.path}; declare one RecoveryObjectives per scope, or put this one on a narrower construct.`);
    }
    // Objectives are a synth-time contract: a Token would switch the check off without a word.
    const literal = 'objectives are a synth-time contract: every recovery path is checked against them at synth';
    checkDuration(problems, 'rto', props.rto, {
      aboveMin: true, literal, fix: 'Give the longest outage you accept, e.g. Duration.minutes(5).',
    });
    checkDuration(problems, 'rpo', props.rpo, {
      literal, fix: 'Give the most data, as time of writes, you accept to lose, e.g. Duration.minutes(1), or leave it out.',
    });
    problems.throwIfAny();

    this.rto = props.rto;
    this.rpo = props.rpo;
    this.enforcement = props.enforcement ?? ObjectiveEnforcement.FAIL;
    // The stage's report finds every recovery path, also those of constructs outside this library.
    FailoverReport.of(this);
  }
}

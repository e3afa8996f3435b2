import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { checkDurationMap, secondsOf } from './validate';
import { RecoveryAssumption, RecoveryAssumptions } from '../objectives/assumptions';

/** Assumption values a construct was given in its `assumptions` prop, by id. */
export type AssumptionValues = { [id: string]: Duration } | undefined;

/**
 * Checks a construct's `assumptions` prop: literal durations, and only ids that this construct
 * uses, so a typo does not silently leave the default in place.
 */
export function checkAssumptions(problems: Problems, values: AssumptionValues, used: RecoveryAssumption[]): void {
  checkDurationMap(problems, 'assumptions', values);
  const allowed = used.map((a) => a.id);
  for (const key of Object.keys(values ?? {})) {
    if (!allowed.includes(key)) {
      problems.add(`\`assumptions\` sets ${JSON.stringify(key)}, which this construct does not use; ${allowed.length === 0 ? 'it uses none' : `it uses: ${allowed.join(', ')}`}. `
        + 'Fix the id, or set it where it is used (or for a whole scope with RecoveryAssumptions).');
    }
  }
}

/**
 * The value a construct was given for an assumption: its own `assumptions` prop, else the
 * nearest `RecoveryAssumptions` above it, in seconds; undefined leaves the model on the default
 * (and the term marked as an assumption).
 */
export function givenAssumption(scope: IConstruct, values: AssumptionValues, assumption: RecoveryAssumption): number | undefined {
  const given = values?.[assumption.id] ?? RecoveryAssumptions._find(scope, assumption.id);
  return secondsOf(given, undefined);
}

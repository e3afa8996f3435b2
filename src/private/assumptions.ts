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
  const own = values?.[assumption.id];
  if (own !== undefined) {
    ownIds(scope).add(assumption.id);
  }
  const given = own ?? RecoveryAssumptions._find(scope, assumption.id);
  return secondsOf(given, undefined);
}

const OWN_IDS = new WeakMap<IConstruct, Set<string>>();

function ownIds(scope: IConstruct): Set<string> {
  let ids = OWN_IDS.get(scope);
  if (!ids) {
    ids = new Set();
    OWN_IDS.set(scope, ids);
  }
  return ids;
}

/**
 * Whether `scope` used its own `assumptions` prop for an assumption (rather than a scope's
 * `RecoveryAssumptions` or the default): the report names a drill as the source of a value only
 * when the construct did not give its own.
 */
export function usedOwnAssumption(scope: IConstruct, id: string): boolean {
  return OWN_IDS.get(scope)?.has(id) ?? false;
}

import * as iam from 'aws-cdk-lib/aws-iam';
import { NagRule } from '../../private/nag';

/** A target filter of an FIS target: a path in the resource's description and its allowed values. */
export interface TargetFilter {
  readonly path: string;
  readonly values: string[];
}

/**
 * What a `DrillFault` resolves to inside a stack: the exact resources FIS acts on, and what the
 * experiment role needs to act on them.
 */
export interface BoundFault {
  /** The ARNs of the target (FIS takes at most 5 per target: botocore's `resourceArns` max). */
  readonly resourceArns: string[];
  /** Filters FIS applies to the target's resources. */
  readonly filters: TargetFilter[];
  /** The permissions the action documents, scoped as tightly as the action allows. */
  readonly statements: iam.PolicyStatement[];
  /** cdk-nag acknowledgements for the statements that cannot name exact ARNs. */
  readonly nag: NagRule[];
}

/** The longest an FIS experiment may run (docs/aws-facts.md#fis-and-drs, quotas). */
export const MAX_EXPERIMENT_SECONDS = 12 * 3600;
/** Resource ARNs per FIS target (botocore's FIS model: `resourceArns` max 5). */
export const MAX_TARGET_ARNS = 5;

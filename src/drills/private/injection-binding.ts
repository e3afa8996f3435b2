/**
 * What a `FailoverDrill` gives an injection when it builds it, and what the injection gives back:
 * the states that inject, follow and restore (each phase's task answers go to
 * `$.results.<phase>`, a failure to the phase's failure target with the error in `$.failure`).
 */
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { Problems } from '../../private/errors';
import { StepContext } from '../../runbooks/private/step-context';

export interface InjectionContext {
  readonly scope: Construct;
  readonly problems: Problems;
  /** Whether a measuring client runs beside the follow branch. */
  readonly measured: boolean;
  /** The phases: `inject` fails to the drill's restore, `follow` to a Fail state of its branch, `restore` to the restore failure. */
  readonly inject: StepContext;
  readonly follow: StepContext;
  readonly restore: StepContext;
}

export interface BoundInjection {
  /** Starts the fault. */
  readonly inject: sfn.Chain;
  /** Waits for the fault to end, in a branch parallel to the measurement; none when the measurement alone decides. */
  readonly follow?: sfn.Chain;
  /** Puts things back; safe to run whatever the inject states did. */
  readonly restore: sfn.Chain;
  /** How long the follow branch may take, in seconds (for the state machine's timeout). */
  readonly followSeconds: number;
}

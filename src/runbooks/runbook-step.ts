import type { StepBinding, StepContext } from './private/step-context';
import type { StepSpec } from './private/step-spec';

/**
 * What a runbook step does, in the order a runbook allows them: the RPO guard before anything
 * changes, the fence before the data is promoted or traffic switched, the promotion before the
 * switch, the verification after it. Scaling, waiting and approvals go anywhere.
 */
export enum RunbookStepRole {
  /** Refuses to go on while the replication lag is over the RPO (unless data loss is accepted). */
  RPO_GUARD = 'rpoGuard',
  /** Stops the old primary taking writes or traffic, so two writers never diverge. */
  FENCE = 'fence',
  /** Makes the recovery side's data the writer. */
  PROMOTE = 'promote',
  /** Grows the recovery side's capacity. */
  SCALE = 'scale',
  /** Waits until the recovery side is healthy. */
  WAIT_HEALTHY = 'waitHealthy',
  /** Moves traffic to the recovery side. */
  SWITCH = 'switch',
  /** Checks from outside that clients are served. */
  VERIFY = 'verify',
  /** Waits for a person to approve. */
  APPROVAL = 'approval',
}

/**
 * One step of a failover or failback runbook. Steps come from the enum-like classes of this
 * module, one per concern (`RpoGuard`, `Fence`, `PromoteData`, `ScaleCapacity`, `WaitHealthy`,
 * `SwitchTraffic`, `VerifyRecovery`, `ManualApproval`); a runbook runs them in the order given.
 */
export abstract class RunbookStep {
  /** What the step does. */
  public abstract readonly role: RunbookStepRole;

  /** The step in words, e.g. `switch over the Aurora global database to app-west`. */
  public abstract readonly description: string;

  /**
   * What the step is, as plain data (for the Region switch plan).
   *
   * @internal
   */
  public abstract readonly _spec: StepSpec;

  /**
   * Builds the step's states in a runbook and returns them with the step's terms.
   *
   * @internal
   */
  public abstract _bind(ctx: StepContext): StepBinding;
}

import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ActiveRegion } from './active-region';

/**
 * What the failover and the failback runbook take alike, besides their steps.
 */
export interface RunbookOptions {
  /**
   * The active-Region parameter: the runbook writes its own Region into its copy right after
   * the switch (or the promotion), so that a later `cdk deploy` sizes this Region as the active
   * one.
   *
   * @default - no parameter is written
   */
  readonly activeRegion?: ActiveRegion;

  /**
   * The state machine's name: 1 to 80 letters, digits, hyphens or underscores.
   *
   * @default - a name CloudFormation generates
   */
  readonly stateMachineName?: string;

  /**
   * The longest a run may take: 1 minute to 1 year. The runbook ends `FAILED` (States.Timeout) after it.
   *
   * @default Duration.hours(2)
   */
  readonly timeout?: Duration;

  /**
   * The CloudWatch namespace of the run's metrics (`RunbookDuration`, `StepDuration`, `RunbookOutcome`).
   *
   * @default 'CdkFailover/Runbooks'
   */
  readonly metricNamespace?: string;

  /**
   * How long the execution logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Values that replace the defaults of the named assumptions of the steps, by id, e.g.
   * `{ operatorResponse: Duration.minutes(5), globalDatabaseFailover: Duration.minutes(2) }`.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

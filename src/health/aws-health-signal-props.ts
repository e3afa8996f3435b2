import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Properties of `AwsHealthSignal`.
 */
export interface AwsHealthSignalProps {
  /**
   * The services whose AWS Health issue events raise the alarm, as AWS Health names them (the
   * event's `detail.service`), e.g. `['EC2', 'RDS', 'ELASTICLOADBALANCING']`: 2 to 30 characters
   * of upper-case letters, digits and underscores each (event patterns match case-sensitively),
   * at most 50, no duplicates. Name the services your recovery path depends on.
   */
  readonly services: string[];

  /**
   * The impacted Regions to watch (the event's `detail.eventRegion`). AWS Health delivers an
   * event to EventBridge in the Region it affects, and public events also to a backup Region
   * (us-west-2 for every Region of the standard partition, us-east-1 for us-west-2), so the stack
   * must be in each Region given or in its backup Region; the backup only ever receives public
   * events, not those about your own resources (docs/aws-facts.md#aws-health).
   *
   * @default - the stack's Region
   */
  readonly regions?: string[];

  /**
   * The alarm's period: it goes into ALARM once a period holds a matching event, and back to OK
   * after a whole period without one (between one and two periods after the last event or
   * update). Whole minutes, from 1 minute to 1 day. Longer holds the alarm through the gaps
   * between AWS Health's updates, at the price of a slower worst case in the model.
   *
   * @default Duration.minutes(15)
   */
  readonly period?: Duration;

  /**
   * A topic told when the alarm goes into ALARM and back to OK.
   *
   * @default - no actions: the alarm is read by a health check or a runbook
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Values for the named assumption this signal takes (`awsHealthSignal`), by id, e.g.
   * `{ awsHealthSignal: Duration.minutes(20) }` from your incidents' timelines.
   *
   * @default - the nearest `RecoveryAssumptions`, else the default
   */
  readonly assumptions?: { [id: string]: Duration };
}

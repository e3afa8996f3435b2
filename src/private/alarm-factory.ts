import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { Problems } from './errors';
import { show, truncate } from './validate';

/** CloudWatch's limit on `AlarmDescription` (docs/aws-facts.md#cloudwatch-alarms). */
const MAX_ALARM_DESCRIPTION = 1024;

/**
 * What happens when an alarm changes state, as an object (the action strategy of
 * cdk-monitoring-constructs' AlarmFactory), so every alarm of a construct gets the same actions.
 */
export interface IAlarmActionStrategy {
  addActions(alarm: cloudwatch.Alarm): void;
}

/**
 * ALARM and OK both notify the topic: whoever is paged also learns that it cleared, instead of
 * checking the console.
 */
export class NotifyTopic implements IAlarmActionStrategy {
  constructor(private readonly topic: sns.ITopic) {}

  public addActions(alarm: cloudwatch.Alarm): void {
    const action = new cw_actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

/** No actions: the alarm is only read (dashboards, practice-run outcome, health checks). */
export class NoActions implements IAlarmActionStrategy {
  public addActions(): void {}
}

/** The action strategy of a construct with an optional alarm topic. */
export function actionsFor(topic: sns.ITopic | undefined): IAlarmActionStrategy {
  return topic ? new NotifyTopic(topic) : new NoActions();
}

/** An alarm as the factory takes it: what it watches, and why, without the owner's path. */
export interface AlarmSpec extends Omit<cloudwatch.AlarmProps, 'alarmDescription' | 'actionsEnabled'> {
  /** Why it fires and what to do; the factory prefixes the owner's path. */
  readonly description: string;
}

/**
 * The one entry point for the alarms of a construct: each alarm's description starts with the
 * owner's path, and each gets the same actions.
 */
export class AlarmFactory {
  private readonly created: cloudwatch.Alarm[] = [];

  constructor(private readonly owner: IConstruct, private readonly actions: IAlarmActionStrategy) {}

  /** Characters left for a description after the owner's path, within the 1,024 CloudWatch allows. */
  public get descriptionRoom(): number {
    return MAX_ALARM_DESCRIPTION - this.prefix.length;
  }

  /** Creates an alarm under `scope` (the owner unless given) with the factory's actions. */
  public addAlarm(id: string, spec: AlarmSpec, scope: Construct = this.owner as Construct): cloudwatch.Alarm {
    const { description, ...props } = spec;
    const alarmDescription = `${this.prefix}${description}`;
    // A Token's placeholder is not its length: only literal descriptions are judged.
    if (!Token.isUnresolved(alarmDescription) && alarmDescription.length > MAX_ALARM_DESCRIPTION) {
      const problems = new Problems(this.owner);
      problems.add(`the description of alarm ${id} would be ${count(alarmDescription.length)} characters, more than the ${count(MAX_ALARM_DESCRIPTION)} `
        + `CloudWatch allows for \`AlarmDescription\`, got: ${show(truncate(alarmDescription))}. It starts with the construct path `
        + `(${count(this.owner.node.path.length)} characters): use shorter construct ids or fewer levels.`);
      problems.throwIfAny();
    }
    const alarm = new cloudwatch.Alarm(scope, id, { ...props, alarmDescription });
    this.actions.addActions(alarm);
    this.created.push(alarm);
    return alarm;
  }

  /** Every alarm created so far, in order. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this.created];
  }

  private get prefix(): string {
    return `${this.owner.node.path}: `;
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

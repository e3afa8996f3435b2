import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { MultiAzDatabaseBase } from './multi-az-database-base';
import { allowToPublish, Warning } from '../private/alarm-topic';

/**
 * `FailoverEvents`: the failover events of the database (docs/aws-facts.md#rds-and-aurora, event IDs). A Multi-AZ DB
 * instance reports failover started RDS-EVENT-0013 and completed RDS-EVENT-0015 /
 * RDS-EVENT-0049; a cluster (Multi-AZ DB cluster or Aurora) started RDS-EVENT-0072 /
 * RDS-EVENT-0073, completed RDS-EVENT-0071, failed RDS-EVENT-0069. All are in the `failover`
 * category.
 */
export function createEventSubscription(database: MultiAzDatabaseBase, topic: sns.ITopic): rds.CfnEventSubscription {
  const subscription = new rds.CfnEventSubscription(database, 'FailoverEvents', {
    snsTopicArn: topic.topicArn,
    sourceType: database.resourceType,
    sourceIds: [database.databaseIdentifier],
    eventCategories: ['failover'],
    enabled: true,
  });
  // RDS checks that it may publish when the subscription is created: the topic policy first
  // (see allowToPublish, which runs before). The topic itself is referenced already.
  const policy = topic.node.tryFindChild('Policy');
  if (policy) {
    subscription.node.addDependency(policy);
  }
  return subscription;
}

/**
 * The topic policy: RDS events of this database, and its alarms, may publish; and, when the
 * topic is encrypted with a key of this app, the key policy lets them use the key.
 */
export function allowPublishing(database: MultiAzDatabaseBase, topic: sns.ITopic, alarms: cloudwatch.IAlarm[]): Warning | undefined {
  return allowToPublish(database, topic, {
    publishers: [
      { sid: 'RdsFailoverEvents', service: 'events.rds.amazonaws.com', sourceArns: database.databaseArn },
      { sid: 'DatabaseAlarms', service: 'cloudwatch.amazonaws.com', sourceArns: alarms.map((a) => a.alarmArn) },
    ],
    keyServices: ['cloudwatch.amazonaws.com', 'events.rds.amazonaws.com'],
    keySid: 'PublishToTheEncryptedTopic',
    what: 'failover events and alarms',
    consequence: 'Otherwise RDS drops the events without an error.',
  });
}

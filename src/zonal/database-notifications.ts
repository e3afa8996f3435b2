import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { Warning } from './database-validation';
import type { MultiAzDatabaseBase } from './multi-az-database-base';

/**
 * An encrypted topic, `AlarmTopic`. CloudWatch and RDS events publish to an encrypted topic
 * only if the key lets them use it, which the AWS managed key `alias/aws/sns` cannot: hence a
 * key of its own, `AlarmTopicKey`, with rotation.
 */
export function createAlarmTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the alarm topic of ${scope.node.path}`,
    enableKeyRotation: true,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'PublishToTheEncryptedTopic',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.rds.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy `*` is this key. Who may publish is scoped by the topic policy.
    resources: ['*'],
  }));
  return new sns.Topic(scope, 'AlarmTopic', {
    displayName: `Failovers and alarms of ${scope.node.id}`.slice(0, 100),
    masterKey: key,
    enforceSSL: true,
  });
}

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
  // (see allowPublishing, which runs before). The topic itself is referenced already.
  const policy = topic.node.tryFindChild('Policy');
  if (policy) {
    subscription.node.addDependency(policy);
  }
  return subscription;
}

/**
 * The topic policy: RDS events of this database, and its alarms, may publish. Returns a
 * warning when the topic is imported, whose policy cannot be changed here.
 */
export function allowPublishing(database: MultiAzDatabaseBase, topic: sns.ITopic, alarms: cloudwatch.IAlarm[]): Warning | undefined {
  const account = Stack.of(database).account;
  const rdsEvents = topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'RdsFailoverEvents',
    principals: [new iam.ServicePrincipal('events.rds.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnLike: { 'aws:SourceArn': database.databaseArn }, StringEquals: { 'aws:SourceAccount': account } },
  }));
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DatabaseAlarms',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnLike: { 'aws:SourceArn': alarms.map((a) => a.alarmArn) }, StringEquals: { 'aws:SourceAccount': account } },
  }));
  if (rdsEvents.statementAdded) {
    return undefined;
  }
  return {
    id: 'cdk-failover:imported-alarm-topic',
    message: `The alarm topic ${topic.topicArn} is imported, so its policy cannot be changed here: failover events and alarms `
      + 'reach it only if its policy lets events.rds.amazonaws.com and cloudwatch.amazonaws.com publish (and, if it is encrypted, its key lets them use it). '
      + 'Check its policy, or leave `alarmTopic` unset to get a topic set up for you.',
  };
}

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
 * key of its own, `AlarmTopicKey`, with rotation. `allowPublishing` writes its key policy.
 */
export function createAlarmTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the alarm topic of ${scope.node.path}`,
    enableKeyRotation: true,
  });
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
 * The topic policy: RDS events of this database, and its alarms, may publish; and, when the
 * topic is encrypted with a key of this app, the key policy lets them use the key. Returns a
 * warning when the topic or its key is imported, whose policy cannot be changed here.
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
  if (!rdsEvents.statementAdded) {
    return {
      id: 'cdk-failover:imported-alarm-topic',
      message: `The alarm topic ${topic.topicArn} is imported, so its policy cannot be changed here: failover events and alarms `
        + 'reach it only if its policy lets events.rds.amazonaws.com and cloudwatch.amazonaws.com publish, and, if it is encrypted, '
        + 'its KMS key policy lets them use the key (kms:GenerateDataKey* and kms:Decrypt). Otherwise RDS drops the events without an error. '
        + 'Check both policies, or leave `alarmTopic` unset to get a topic set up for you.',
    };
  }
  return allowKeyUse(topic);
}

/**
 * SNS encrypts what a service publishes with the topic's key, as that service: without
 * kms:GenerateDataKey* and kms:Decrypt in the key policy, RDS events and alarm notifications are
 * dropped. A key created in the app gets the statement; an imported key cannot, hence a warning.
 */
function allowKeyUse(topic: sns.ITopic): Warning | undefined {
  const key = topic.masterKey;
  if (key === undefined) {
    return undefined;
  }
  const added = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'PublishToTheEncryptedTopic',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.rds.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy `*` is this key. AWS documents no condition keys that these services
    // send with their KMS calls, so none is set: who may publish is scoped by the topic policy,
    // which carries aws:SourceArn and aws:SourceAccount.
    resources: ['*'],
  })).statementAdded;
  if (added) {
    return undefined;
  }
  return {
    id: 'cdk-failover:imported-alarm-topic-key',
    message: `The alarm topic ${topic.node.path} is encrypted with the imported KMS key ${key.keyArn}, whose policy cannot be changed here: `
      + 'failover events and alarms reach the topic only if the key policy lets events.rds.amazonaws.com and cloudwatch.amazonaws.com '
      + 'use it (kms:GenerateDataKey* and kms:Decrypt). Otherwise RDS drops the events without an error. Add that statement to the key policy, '
      + 'or encrypt the topic with a key created in this app.',
  };
}

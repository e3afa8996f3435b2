import { Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';

/** A warning to attach to the construct, with its acknowledgeable id. */
export interface TopicWarning {
  readonly id: string;
  readonly message: string;
}

/**
 * Lets the construct's alarms (read at synth) publish to the topic: a topic policy scoped to the alarms, and, when
 * the topic is encrypted with a key of this app, the key policy statement CloudWatch needs (it
 * encrypts as itself). A topic or key imported from elsewhere cannot be changed: a warning says so.
 */
export function allowAlarmsToPublish(owner: IConstruct, topic: sns.ITopic, alarms: () => cloudwatch.IAlarm[]): TopicWarning | undefined {
  const added = topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ReplicationAlarms',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    // Read at synth: alarms added later (addReplica) are included.
    conditions: { ArnLike: { 'aws:SourceArn': Lazy.list({ produce: () => alarms().map((a) => a.alarmArn) }) }, StringEquals: { 'aws:SourceAccount': Stack.of(owner).account } },
  })).statementAdded;
  if (!added) {
    return {
      id: 'cdk-failover:imported-alarm-topic',
      message: `The alarm topic ${topic.topicArn} is imported, so its policy cannot be changed here: the replication alarms reach it only if `
        + 'its policy lets cloudwatch.amazonaws.com publish and, if it is encrypted, its KMS key policy lets CloudWatch use the key '
        + '(kms:GenerateDataKey* and kms:Decrypt). Check both policies, or leave `alarmTopic` unset to get a topic set up for you.',
    };
  }
  const key = topic.masterKey;
  if (key === undefined) {
    return undefined;
  }
  const keyAdded = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ReplicationAlarmsPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy `*` is this key; who may publish is scoped by the topic policy above.
    resources: ['*'],
  })).statementAdded;
  return keyAdded ? undefined : {
    id: 'cdk-failover:imported-alarm-topic-key',
    message: `The alarm topic ${topic.node.path} is encrypted with the imported KMS key ${key.keyArn}, whose policy cannot be changed here: `
      + 'the replication alarms reach the topic only if the key policy lets cloudwatch.amazonaws.com use it (kms:GenerateDataKey* and kms:Decrypt).',
  };
}

import { Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';

/** A warning for what the environment hides, shown with an id users can acknowledge. */
export interface Warning {
  readonly id: string;
  readonly message: string;
}

/**
 * An encrypted topic, `AlarmTopic`. CloudWatch, RDS events and S3 publish to an encrypted topic
 * only if the key lets them use it, which the AWS managed key `alias/aws/sns` cannot: hence a key
 * of its own, `AlarmTopicKey`, with rotation. `allowToPublish` writes its key policy.
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

/** One service that publishes to the topic, and from which resources. */
export interface TopicPublisher {
  readonly sid: string;
  /** e.g. `cloudwatch.amazonaws.com` */
  readonly service: string;
  /** `aws:SourceArn` values; a `Lazy.list` is read at synth. */
  readonly sourceArns: string | string[];
}

/** Who publishes to an alarm topic, and what the warnings say when its policies cannot be changed. */
export interface PublishingGrant {
  /** Topic policy statements; the first one tells whether the topic is imported. */
  readonly publishers: TopicPublisher[];
  /** Every service that publishes (also those whose topic statement aws-cdk-lib writes), for the key policy. */
  readonly keyServices: string[];
  readonly keySid: string;
  /** What reaches the topic, e.g. `failover events and alarms`. */
  readonly what: string;
  /** What happens without the policy, one sentence, e.g. `Otherwise RDS drops the events without an error.` */
  readonly consequence?: string;
}

/**
 * The topic policy for each publisher (scoped to its sources and this account), and, when the
 * topic is encrypted with a key of this app, the key policy statement those services need: SNS
 * encrypts what a service publishes with the topic's key, as that service, and drops it without
 * kms:GenerateDataKey* and kms:Decrypt. A topic or key imported from elsewhere cannot be
 * changed: a warning says so.
 */
export function allowToPublish(owner: IConstruct, topic: sns.ITopic, grant: PublishingGrant): Warning | undefined {
  const account = Stack.of(owner).account;
  const added = grant.publishers.map((p) => topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: p.sid,
    principals: [new iam.ServicePrincipal(p.service)],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnLike: { 'aws:SourceArn': p.sourceArns }, StringEquals: { 'aws:SourceAccount': account } },
  })).statementAdded);
  const services = grant.keyServices.join(' and ');
  const consequence = grant.consequence ? ` ${grant.consequence}` : '';
  if (!added[0]) {
    return {
      id: 'cdk-failover:imported-alarm-topic',
      message: `The alarm topic ${topic.topicArn} is imported, so its policy cannot be changed here: ${grant.what} reach it only if its policy lets `
        + `${services} publish, and, if it is encrypted, its KMS key policy lets them use the key (kms:GenerateDataKey* and kms:Decrypt).${consequence} `
        + 'Check both policies, or leave `alarmTopic` unset to get a topic set up for you.',
    };
  }
  const key = topic.masterKey;
  if (key === undefined) {
    return undefined;
  }
  const keyAdded = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: grant.keySid,
    principals: grant.keyServices.map((s) => new iam.ServicePrincipal(s)),
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy `*` is this key. AWS documents no condition keys that these services send
    // with their KMS calls, so none is set: who may publish is scoped by the topic policy, which
    // carries aws:SourceArn and aws:SourceAccount.
    resources: ['*'],
  })).statementAdded;
  return keyAdded ? undefined : {
    id: 'cdk-failover:imported-alarm-topic-key',
    message: `The alarm topic ${topic.node.path} is encrypted with the imported KMS key ${key.keyArn}, whose policy cannot be changed here: `
      + `${grant.what} reach the topic only if the key policy lets ${services} use it (kms:GenerateDataKey* and kms:Decrypt).${consequence} `
      + 'Add that statement to the key policy, or encrypt the topic with a key created in this app.',
  };
}

/** A topic only alarms publish to; the alarms are read at synth, so alarms added later count. */
export function allowAlarmsToPublish(owner: IConstruct, topic: sns.ITopic, alarms: () => cloudwatch.IAlarm[]): Warning | undefined {
  return allowToPublish(owner, topic, {
    publishers: [{ sid: 'ReplicationAlarms', service: 'cloudwatch.amazonaws.com', sourceArns: Lazy.list({ produce: () => alarms().map((a) => a.alarmArn) }) }],
    keyServices: ['cloudwatch.amazonaws.com'],
    keySid: 'ReplicationAlarmsPublish',
    what: 'the replication alarms',
  });
}

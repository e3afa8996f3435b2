// What the regional stacks of the examples share: the network, the alarm topic and the bucket of
// the load balancer's access logs. In your own app, import from 'cdk-failover' and write your own.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * Three zones with one NAT gateway each (a zone's outage does not take the others' egress with
 * it), public and app subnets, isolated data subnets when asked, and rejected traffic logged.
 */
export function regionalVpc(scope: Construct, cidr: string, dataSubnets: boolean, availabilityZones?: string[]): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    // Named zones need no context lookup (so no credentials at synth); otherwise the stack's three.
    ...availabilityZones ? { availabilityZones } : { maxAzs: 3 },
    natGateways: 3,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ...dataSubnets ? [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] : [],
    ],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.REJECT } },
  });
}

/** An encrypted topic for the web service's alarms, whose key lets CloudWatch publish. */
export function alarmTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'AlarmKey', { enableKeyRotation: true, description: 'Encrypts the alarm topic' });
  const topic = new sns.Topic(scope, 'Alarms', { masterKey: key, enforceSSL: true });
  // CloudWatch publishes the web service's alarms to the encrypted topic only if the key lets it.
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'WebAlarmsPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy `*` is this key.
    resources: ['*'],
  }));
  return topic;
}

/** The bucket of the load balancer's access logs: encrypted, TLS only, versioned, retained. */
export function accessLogsBucket(scope: Construct): s3.Bucket {
  const logs = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  NagSuppressions.addResourceSuppressions(logs, [
    { id: 'AwsSolutions-S1', reason: 'This bucket receives the load balancer access logs; logging it again would loop.' },
  ]);
  return logs;
}

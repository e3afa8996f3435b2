import * as path from 'path';
import { App, Aspects, Duration, Lazy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeleteMarkerReplication, RecoveryObjectives, ReplicatedBucket, ReplicatedBucketProps } from '../../src';
import { readJson, testApp, testStack } from '../util';

const EAST = 'acme-orders-us-east-1';
const WEST = 'acme-orders-us-west-2';

/** A source in us-east-1 replicating to a destination-only bucket in us-west-2, in one app. */
function oneWay(props: Partial<ReplicatedBucketProps> = {}, app: App = testApp()) {
  const east = (app.node.tryFindChild('East') as Stack | undefined) ?? testStack(app, 'East', 'us-east-1');
  const west = testStack(app, 'West', 'us-west-2');
  const source = new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, ...props });
  const replica = new ReplicatedBucket(west, 'Orders', { bucketName: WEST });
  return { app, east, west, source, replica };
}

/** Each bucket the other's destination, in two regions. */
function twoWay(props: Partial<ReplicatedBucketProps> = {}, app: App = testApp()) {
  const east = testStack(app, 'East', 'us-east-1');
  const west = testStack(app, 'West', 'us-west-2');
  const a = new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, twoWay: true, ...props });
  const b = new ReplicatedBucket(west, 'Orders', { bucketName: WEST, destination: { bucketName: EAST, region: 'us-east-1' }, twoWay: true, ...props });
  return { app, east, west, a, b };
}

/** The same pair, in a stage of its own. */
function twoWayIn(stage: Stage) {
  const east = new Stack(stage, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
  const west = new Stack(stage, 'West', { env: { account: '111111111111', region: 'us-west-2' } });
  new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, twoWay: true });
  new ReplicatedBucket(west, 'Orders', { bucketName: WEST, destination: { bucketName: EAST, region: 'us-east-1' }, twoWay: true });
  return { east, west };
}

function reportOf(app: App) {
  return readJson(path.join(app.synth().directory, 'failover-report.json'));
}

describe('ReplicatedBucket, one way', () => {
  test('the bucket is versioned, KMS-encrypted with a key of its own, private and retained', () => {
    // GIVEN
    const { east } = oneWay();

    // WHEN
    const template = Template.fromStack(east);

    // THEN
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketName: EAST,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/s3-replication/${EAST}` });
  });

  test('the rule composes replicationRules: RTC and metrics at 15 minutes, SSE-KMS objects, the replica key by alias ARN, no delete markers', () => {
    // GIVEN
    const { east } = oneWay();

    // THEN
    const bucket = Object.values(Template.fromStack(east).findResources('AWS::S3::Bucket'))[0];
    const rules = east.resolve(bucket.Properties.ReplicationConfiguration.Rules);
    expect(rules).toEqual([{
      Id: `to-${WEST}`,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { ReplicaModifications: { Status: 'Disabled' }, SseKmsEncryptedObjects: { Status: 'Enabled' } },
      Destination: {
        Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${WEST}`]] },
        EncryptionConfiguration: { ReplicaKmsKeyID: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:us-west-2:111111111111:alias/s3-replication/${WEST}`]] } },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
      },
    }]);
  });

  test('deleteMarkerReplication: REPLICATE turns delete marker replication on, and lets the role replicate deletes', () => {
    // GIVEN
    const { east } = oneWay({ deleteMarkerReplication: DeleteMarkerReplication.REPLICATE });

    // THEN
    const template = Template.fromStack(east);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: { Rules: [Match.objectLike({ DeleteMarkerReplication: { Status: 'Enabled' } })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReplicateToDestination', Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'] })]) },
    });
  });

  test('without RTC the rule keeps its metrics and drops ReplicationTime', () => {
    // GIVEN
    const { east } = oneWay({ replicationTimeControl: false });

    // THEN
    Template.fromStack(east).hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Rules: [Match.objectLike({
          Destination: Match.objectLike({ ReplicationTime: Match.absent(), Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } } }),
        })],
      },
    });
  });

  test('the replication role is scoped to both buckets and both keys, with the conditions AWS documents', () => {
    // GIVEN
    const { east } = oneWay();
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, resource]] });

    // THEN
    const template = Template.fromStack(east);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.stringLikeRegexp(`^s3-replication-${EAST}-[0-9a-f]{8}$`),
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] },
    });
    const policy = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('ReplicationRole') } }))[0];
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      { Sid: 'ReadSourceConfiguration', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: arn(`:s3:::${EAST}`) },
      { Sid: 'ReadSourceVersions', Effect: 'Allow', Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], Resource: arn(`:s3:::${EAST}/*`) },
      { Sid: 'ReplicateToDestination', Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateTags'], Resource: arn(`:s3:::${WEST}/*`) },
      {
        Sid: 'DecryptSource',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersKey/), 'Arn'] },
        Condition: {
          StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [arn(`:s3:::${EAST}`), arn(`:s3:::${EAST}/*`)] },
        },
      },
      {
        Sid: 'EncryptReplicas',
        Effect: 'Allow',
        Action: 'kms:Encrypt',
        Resource: arn(':kms:us-west-2:111111111111:key/*'),
        Condition: {
          'StringEquals': { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
          'StringLike': { 'kms:EncryptionContext:aws:s3:arn': [arn(`:s3:::${WEST}`), arn(`:s3:::${WEST}/*`)] },
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/s3-replication/${WEST}` },
        },
      },
    ]);
    expect(policy.Metadata.cdk_nag.rules_to_suppress[0].id).toEqual('AwsSolutions-IAM5');
  });

  test('failed and late replications are S3 event notifications to the topic (SNS: EventBridge carries no replication events)', () => {
    // GIVEN
    const { east } = oneWay();

    // THEN
    const template = Template.fromStack(east);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        TopicConfigurations: [
          { Events: ['s3:Replication:OperationFailedReplication'], TopicArn: { Ref: Match.stringLikeRegexp('^OrdersAlarmTopic') } },
          { Events: ['s3:Replication:OperationMissedThreshold'], TopicArn: { Ref: Match.stringLikeRegexp('^OrdersAlarmTopic') } },
        ],
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 's3.amazonaws.com' }, Action: 'sns:Publish' }),
          Match.objectLike({ Sid: 'ReplicationAlarms', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'PublishReplicationEvents', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });

  test('without RTC only failed replications notify: missed thresholds need RTC', () => {
    // GIVEN
    const { east } = oneWay({ replicationTimeControl: false });

    // THEN
    Template.fromStack(east).hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { TopicConfigurations: [Match.objectLike({ Events: ['s3:Replication:OperationFailedReplication'] })] },
    });
  });

  test('alarms on OperationsFailedReplication and ReplicationLatency, per rule, notify the topic', () => {
    // GIVEN
    const { east } = oneWay();
    const dimensions = [
      { Name: 'DestinationBucket', Value: WEST },
      { Name: 'RuleId', Value: `to-${WEST}` },
      { Name: 'SourceBucket', Value: { Ref: Match.stringLikeRegexp('^OrdersBucket') } },
    ];

    // THEN
    const template = Template.fromStack(east);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3',
      MetricName: 'OperationsFailedReplication',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: dimensions,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OrdersAlarmTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^OrdersAlarmTopic') }],
      AlarmDescription: Match.stringLikeRegexp('^East/Orders: objects failed to replicate'),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/S3', MetricName: 'ReplicationLatency', Statistic: 'Maximum', Threshold: 900, Dimensions: dimensions,
    });
  });

  test('without RTC the latency alarm fires above the assumed lag', () => {
    // GIVEN
    const { east } = oneWay({ replicationTimeControl: false, assumptions: { s3ReplicationLag: Duration.minutes(30) } });

    // THEN
    Template.fromStack(east).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicationLatency', Threshold: 1800 });
  });

  test('a given alarm topic is used, and no topic is created', () => {
    // GIVEN
    const app = testApp();
    const east = testStack(app, 'East', 'us-east-1');
    const topic = new sns.Topic(east, 'Ops');

    // WHEN
    oneWay({ alarmTopic: topic }, app);

    // THEN
    const template = Template.fromStack(east);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Ops') }] });
  });

  test('an imported alarm topic gets a warning: its policy cannot be changed here', () => {
    // GIVEN
    const app = testApp();
    const east = testStack(app, 'East', 'us-east-1');
    const topic = sns.Topic.fromTopicArn(east, 'Ops', 'arn:aws:sns:us-east-1:111111111111:ops');

    // WHEN
    oneWay({ alarmTopic: topic }, app);

    // THEN
    Annotations.fromStack(east).hasWarning('/East/Orders', Match.stringLikeRegexp('is imported.*s3\\.amazonaws\\.com.*cdk-failover:imported-alarm-topic'));
  });

  test('a warning, which can be acknowledged, says existing objects need S3 Batch Replication', () => {
    // GIVEN
    const { east, west } = oneWay();

    // THEN
    Annotations.fromStack(east).hasWarning('/East/Orders', Match.stringLikeRegexp('S3 Batch Replication.*cdk-failover:s3-existing-objects'));
    expect(Annotations.fromStack(west).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('the source stack depends on the destination stack, so cdk deploy --all creates the destination first', () => {
    // GIVEN
    const { east, west } = oneWay();

    // THEN
    expect(east.dependencies).toEqual([west]);
    expect(west.dependencies).toEqual([]);
  });

  test('the order holds whichever bucket is constructed first', () => {
    // GIVEN
    const app = testApp();
    const east = testStack(app, 'East', 'us-east-1');
    const west = testStack(app, 'West', 'us-west-2');

    // WHEN
    new ReplicatedBucket(west, 'Orders', { bucketName: WEST });
    new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' } });

    // THEN
    expect(east.dependencies).toEqual([west]);
  });

  test('a destination-only bucket has no rule, no role, no alarm and no path', () => {
    // GIVEN
    const { west, replica } = oneWay();

    // THEN
    const template = Template.fromStack(west);
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: WEST, ReplicationConfiguration: Match.absent() });
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(replica.recoveryPaths()).toEqual([]);
  });
});

describe('ReplicatedBucket, two way', () => {
  test('two stacks in two regions synthesize with no dependency cycle and no Fn::ImportValue', () => {
    // GIVEN
    const { app, east, west } = twoWay();

    // WHEN
    const assembly = app.synth();

    // THEN
    for (const stack of [east, west]) {
      const text = JSON.stringify(assembly.getStackByName(stack.stackName).template);
      expect(text).not.toContain('Fn::ImportValue');
      expect(text).not.toContain('ExportsWriter');
    }
    expect(west.dependencies).toEqual([east]);
    expect(east.dependencies).toEqual([]);
  });

  test('the bucket created second carries its own rule and applies the first bucket\'s, both with replica modifications', () => {
    // GIVEN
    const { east, west } = twoWay();

    // THEN: the first bucket (its name sorts first) has no rule in its own template
    Template.fromStack(east).hasResourceProperties('AWS::S3::Bucket', { BucketName: EAST, ReplicationConfiguration: Match.absent() });
    Template.fromStack(east).resourceCountIs('Custom::AWS', 0);
    const westTemplate = Template.fromStack(west);
    westTemplate.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: WEST,
      ReplicationConfiguration: { Rules: [Match.objectLike({ Id: `to-${EAST}`, SourceSelectionCriteria: Match.objectLike({ ReplicaModifications: { Status: 'Enabled' } }) })] },
    });
    const peer = Object.values(westTemplate.findResources('Custom::AWS'))[0];
    // The call is a JSON string joined with deploy-time values: those read as placeholders.
    const call = JSON.parse(peer.Properties.Create['Fn::Join'][1].map((x: unknown) => (typeof x === 'string' ? x : 'TOKEN')).join(''));
    expect(call).toMatchObject({ service: 'S3', action: 'PutBucketReplication', region: 'us-east-1', physicalResourceId: { id: `${EAST}/replication` } });
    expect(call.parameters.Bucket).toEqual(EAST);
    // The role is the first bucket's, met by its deterministic name.
    const firstRole = Object.values(Template.fromStack(east).findResources('AWS::IAM::Role'))[0].Properties.RoleName;
    expect(firstRole).toMatch(new RegExp(`^s3-replication-${EAST}-[0-9a-f]{8}$`));
    expect(call.parameters.ReplicationConfiguration.Role).toEqual(`arn:TOKEN:iam::111111111111:role/${firstRole}`);
    expect(call.parameters.ReplicationConfiguration.Rules).toEqual([{
      ID: `to-${WEST}`,
      Priority: 0,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' }, ReplicaModifications: { Status: 'Enabled' } },
      Destination: {
        Bucket: 'TOKEN',
        EncryptionConfiguration: { ReplicaKmsKeyID: 'TOKEN' },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
      },
    }]);
    expect(peer.Properties.Delete).toBeUndefined();
  });

  test('the custom resource may only put the first bucket\'s replication configuration and pass its role', () => {
    // GIVEN
    const { west } = twoWay();

    // THEN
    Template.fromStack(west).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 's3:PutReplicationConfiguration', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${EAST}`]] } }),
          Match.objectLike({ Action: 'iam:PassRole', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(`:iam::111111111111:role/s3-replication-${EAST}-`)]] } }),
        ],
      },
    });
  });

  test('each direction is a data path, from an active bucket to a replica, in the report with its RPO', () => {
    // GIVEN
    const { app } = twoWay();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(15) });

    // WHEN
    const json = reportOf(app);

    // THEN
    expect(json.paths.map((p: any) => [p.id, p.kind, p.rto.applicable, p.rpo.worstSeconds, p.rpo.objectiveSeconds, p.rpo.met])).toEqual([
      ['East/Orders#replication-to-us-west-2', 'data-replication', false, 900, 900, true],
      ['West/Orders#replication-to-us-east-1', 'data-replication', false, 900, 900, true],
    ]);
    expect(json.paths[0].endpoints).toEqual([
      { label: EAST, role: 'active', region: 'us-east-1' },
      { label: WEST, role: 'replica', region: 'us-west-2' },
    ]);
    expect(json.paths[0].terms.map((t: any) => [t.id, t.term, t.maxSeconds, t.assumption])).toEqual([['s3-replication-rtc', 'replicationLag', 900, false]]);
    expect(json.paths[0].terms[0].basis).toContain('0.01 % is not bounded');
  });

  test.each([
    ['one side not two-way', { twoWay: false }, {}, /replicate to each other, but `twoWay` is true here and false there/],
    ['different RTC', {}, { replicationTimeControl: false }, /`replicationTimeControl` and `deleteMarkerReplication` must be the same on both buckets of a two-way pair/],
    ['different delete markers', { deleteMarkerReplication: DeleteMarkerReplication.REPLICATE }, {}, /must be the same on both buckets of a two-way pair/],
  ])('fails when the pair disagrees: %s', (_name, eastProps, westProps, message) => {
    // GIVEN
    const app = testApp();
    const east = testStack(app, 'East', 'us-east-1');
    const west = testStack(app, 'West', 'us-west-2');
    new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, twoWay: true, ...eastProps });

    // THEN
    expect(() => new ReplicatedBucket(west, 'Orders', { bucketName: WEST, destination: { bucketName: EAST, region: 'us-east-1' }, twoWay: true, ...westProps }))
      .toThrow(message);
  });

  test('fails with our message when the deploy order two-way needs is the reverse of one the stacks already have', () => {
    // GIVEN: East already deploys after West (say, an Aurora secondary in East)
    const app = testApp();
    const east = testStack(app, 'East', 'us-east-1');
    const west = testStack(app, 'West', 'us-west-2');
    east.addDependency(west);
    new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, twoWay: true });

    // THEN: EAST sorts first, so West would have to deploy after East
    expect(() => new ReplicatedBucket(west, 'Orders', { bucketName: WEST, destination: { bucketName: EAST, region: 'us-east-1' }, twoWay: true }))
      .toThrow(/^West\/Orders: S3 two-way replication: acme-orders-us-east-1 sorts first, so it is created first and West\/Orders's stack applies both rules, so West must deploy after East, but East already deploys after West: the two stacks would wait for each other\. Name the buckets so that the bucket of the stack that deploys first sorts first/);
  });

  test('the bucket created first warns when the other side is not in the app: its rule comes from that side\'s stack', () => {
    // GIVEN
    const app = testApp();
    const east = testStack(app, 'East', 'us-east-1');
    const west = testStack(app, 'West', 'us-west-2');

    // WHEN: only one side of the pair in this app, each way round
    new ReplicatedBucket(east, 'Orders', { bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, twoWay: true });
    new ReplicatedBucket(west, 'Other', { bucketName: 'zz-orders-us-west-2', destination: { bucketName: 'aa-orders-us-east-1', region: 'us-east-1' }, twoWay: true });
    app.synth();

    // THEN
    Annotations.fromStack(east).hasWarning('/East/Orders', Match.stringLikeRegexp(
      'acme-orders-us-east-1 sorts before acme-orders-us-west-2, so its replication rule is applied by the stack of acme-orders-us-west-2, which is not in this app.*cdk-failover:s3-peer-not-in-app'));
    // The second side carries both rules itself: nothing to warn about.
    Annotations.fromStack(west).hasNoWarning('/West/Other', Match.stringLikeRegexp('s3-peer-not-in-app'));
  });

  test('with both sides in the app there is no such warning', () => {
    const { app, east } = twoWay();
    app.synth();
    Annotations.fromStack(east).hasNoWarning('*', Match.stringLikeRegexp('s3-peer-not-in-app'));
  });

  test('two stages may each hold the same pair of bucket names: each stage orders its own stacks', () => {
    // GIVEN
    const app = testApp();
    const stages = ['Beta', 'Prod'].map((name) => new Stage(app, name));

    // WHEN
    const pairs = stages.map((stage) => twoWayIn(stage));

    // THEN
    for (const { east, west } of pairs) {
      expect(west.dependencies).toEqual([east]);
      expect(east.dependencies).toEqual([]);
    }
  });

  test('fails when two-way names a bucket of the app that does not replicate back', () => {
    // GIVEN
    const app = testApp();
    new ReplicatedBucket(testStack(app, 'West', 'us-west-2'), 'Orders', { bucketName: WEST });

    // THEN
    expect(() => new ReplicatedBucket(testStack(app, 'East', 'us-east-1'), 'Orders', {
      bucketName: EAST, destination: { bucketName: WEST, region: 'us-west-2' }, twoWay: true,
    })).toThrow(/`twoWay` is true, but West\/Orders \(acme-orders-us-west-2\) does not replicate back to this bucket/);
  });
});

describe('ReplicatedBucket and the recovery objectives', () => {
  test('RTC off: the RPO is the s3ReplicationLag assumption, marked as one', () => {
    // GIVEN
    const { app } = oneWay({ replicationTimeControl: false });

    // WHEN
    const json = reportOf(app);

    // THEN
    expect(json.paths[0].rpo.worstSeconds).toEqual(7200);
    expect(json.paths[0].terms[0]).toMatchObject({ id: 's3-replication-lag', assumption: true, assumptionId: 's3ReplicationLag' });
    expect(json.paths[0].assumptions).toEqual([expect.stringMatching(/^replicationLag: S3 replication without Replication Time Control has no published bound/)]);
  });

  test('a missed RPO fails synth naming the dominant term and its fix', () => {
    // GIVEN
    const { app } = oneWay();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(5) });

    // THEN
    expect(() => app.synth()).toThrow(new RegExp('\\[East/Orders\\] data replication of acme-orders-us-east-1 to acme-orders-us-west-2: '
      + 'modeled worst-case data loss 15 min exceeds the RPO objective 5 min \\(declared at Objectives\\)\\. '
      + 'Dominant term: replication lag up to 15 min \\(S3 Replication Time Control replicates 99\\.99 % of objects within 15 minutes.*\\)\\. '
      + 'Fix: S3 replication bounds its lag at 15 minutes at best'));
  });
});

describe('ReplicatedBucket validation', () => {
  const destination = { bucketName: WEST, region: 'us-west-2' };

  test.each<[string, Partial<ReplicatedBucketProps>, RegExp]>([
    ['a short bucket name', { bucketName: 'ab' }, /`bucketName` must be 3 to 63 characters \(got 2\), got: "ab"\. Give a bucket name that follows the S3 naming rules/],
    ['an upper-case bucket name', { bucketName: 'Acme-Orders' }, /`bucketName` must hold only lower-case letters, digits, dots and hyphens/],
    ['adjacent dots', { bucketName: 'acme..orders' }, /`bucketName` must not hold two adjacent dots, nor a dot beside a hyphen/],
    ['a dot beside a hyphen', { bucketName: 'acme-.orders' }, /`bucketName` must not hold two adjacent dots, nor a dot beside a hyphen/],
    ['an IP address', { bucketName: '192.168.1.10' }, /`bucketName` must not look like an IP address/],
    ['a reserved prefix', { bucketName: 'xn--orders' }, /`bucketName` must not start with "xn--" \(reserved by S3\)/],
    ['a reserved suffix', { bucketName: 'orders-s3alias' }, /`bucketName` must not end with "-s3alias" \(reserved by S3\)/],
    ['a Token bucket name', { bucketName: Lazy.string({ produce: () => 'acme' }) }, /`bucketName` is a deploy-time Token, but regions meet by bucket name/],
    ['a bad destination name', { destination: { bucketName: 'UP', region: 'us-west-2' } }, /`destination.bucketName` must be 3 to 63 characters/],
    ['the same name both sides', { destination: { bucketName: EAST, region: 'us-west-2' } }, /`destination.bucketName` must differ from `bucketName`, got: "acme-orders-us-east-1" for both/],
    ['an unknown region', { destination: { bucketName: WEST, region: 'us-middle-9' } }, /`destination.region` must be an AWS region aws-cdk-lib knows, got: "us-middle-9"/],
    ['the same region', { destination: { bucketName: WEST, region: 'us-east-1' } }, /`destination.region` must differ from this stack's region, got: "us-east-1" for both/],
    ['another partition', { destination: { bucketName: WEST, region: 'cn-north-1' } }, /`destination.region` must be in this stack's partition \(aws\), got: "cn-north-1" \(aws-cn\)/],
    ['a Token region', { destination: { bucketName: WEST, region: Lazy.string({ produce: () => 'us-west-2' }) } }, /`destination.region` is a deploy-time Token/],
    ['twoWay without destination', { destination: undefined, twoWay: true }, /`twoWay` is true but `destination` is not set/],
    ['delete markers without destination', { destination: undefined, deleteMarkerReplication: DeleteMarkerReplication.REPLICATE }, /`deleteMarkerReplication` is set but `destination` is not/],
    ['RTC without destination', { destination: undefined, replicationTimeControl: true }, /`replicationTimeControl` is set but `destination` is not/],
    ['a bad delete-marker choice', { deleteMarkerReplication: 'ALWAYS' as DeleteMarkerReplication }, /`deleteMarkerReplication` must be one of DO_NOT_REPLICATE, REPLICATE, got: "ALWAYS"/],
    ['the lag assumption with RTC', { assumptions: { s3ReplicationLag: Duration.hours(1) } }, /`assumptions` sets "s3ReplicationLag", which this construct does not use; it uses none\./],
    ['a Token lag assumption', { replicationTimeControl: false, assumptions: { s3ReplicationLag: Duration.seconds(Lazy.number({ produce: () => 1 })) } },
      /`assumptions.s3ReplicationLag` is a deploy-time Token/],
  ])('fails with %s', (_name, props, message) => {
    // GIVEN
    const stack = testStack(testApp(), 'East', 'us-east-1');

    // THEN
    expect(() => new ReplicatedBucket(stack, 'Orders', { bucketName: EAST, destination, ...props })).toThrow(message);
  });

  test('fails with an alarm topic without destination, or from another region', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'East', 'us-east-1');
    const other = testStack(app, 'West', 'us-west-2');

    // THEN
    expect(() => new ReplicatedBucket(stack, 'A', { bucketName: EAST, alarmTopic: new sns.Topic(stack, 'T') }))
      .toThrow(/`alarmTopic` is set but `destination` is not/);
    expect(() => new ReplicatedBucket(stack, 'B', { bucketName: EAST, destination, alarmTopic: new sns.Topic(other, 'T') }))
      .toThrow(/`alarmTopic` is West\/T in us-west-2, but this stack is in us-east-1/);
  });

  test('fails with an access-logs bucket of another region', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'East', 'us-east-1');
    const logs = s3.Bucket.fromBucketAttributes(stack, 'Logs', { bucketName: 'acme-logs-us-west-2', region: 'us-west-2' });

    // THEN
    expect(() => new ReplicatedBucket(stack, 'A', { bucketName: EAST, destination, serverAccessLogsBucket: logs }))
      .toThrow(/`serverAccessLogsBucket` is East\/Logs, imported from us-west-2, but this stack is in us-east-1: .* S3 delivers server access logs only to a bucket of the same region/);
  });

  test('server access logs go to the bucket given, under its prefix', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'East', 'us-east-1');
    const logs = new s3.Bucket(stack, 'Logs');

    // WHEN
    new ReplicatedBucket(stack, 'A', { bucketName: EAST, destination, serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'orders/' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketName: EAST,
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'orders/' },
    });
  });

  test('the findings cdk-nag reports on aws-cdk-lib\'s own per-stack handlers are acknowledged with a reason', () => {
    // GIVEN
    const { app, west } = twoWay();
    Aspects.of(app).add(new AwsSolutionsChecks());

    // WHEN
    app.synth();

    // THEN: the notifications handler and the AwsCustomResource function carry no open finding
    const open = west.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && /AwsSolutions-(IAM4|L1)/.test(String(m.data))
        && /BucketNotificationsHandler|AWS679f53fac002430cb0da5b7982bd2287/.test(c.node.path))
      .map((m) => `${c.node.path}: ${m.data}`));
    expect(open).toEqual([]);
    expect(west.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287')).toBeDefined();
  });

  test('an environment-agnostic stack replicates, with a warning that the regions cannot be checked', () => {
    // GIVEN
    const stack = new Stack(testApp(), 'Agnostic');

    // WHEN
    const bucket = new ReplicatedBucket(stack, 'Orders', { bucketName: EAST, destination });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Agnostic/Orders', Match.stringLikeRegexp('no region at synth.*cdk-failover:s3-replication-region-unknown'));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'DecryptSource',
          Condition: Match.objectLike({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } }),
        })]),
      },
    });
    expect(bucket.recoveryPaths()[0].endpoints[0].region).toBeUndefined();
  });

  test('lists every problem at once, after the construct path', () => {
    // GIVEN
    const stack = testStack(testApp(), 'East', 'us-east-1');

    // THEN
    expect(() => new ReplicatedBucket(stack, 'Orders', { bucketName: 'X', destination: { bucketName: 'Y', region: 'mars-1' } }))
      .toThrow(/^East\/Orders: 3 problems:\n {2}- `bucketName`.*\n {2}- `destination.bucketName`.*\n {2}- `destination.region`/);
  });
});

import * as path from 'path';
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CrossRegionReadReplica, CrossRegionReadReplicaProps, RecoveryObjectives } from '../../src';
import { readJson, testApp, testStack } from '../util';

function replica(stack: Stack, props: Partial<CrossRegionReadReplicaProps> = {}): CrossRegionReadReplica {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.IVpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  return new CrossRegionReadReplica(stack, 'Replica', {
    sourceInstanceIdentifier: 'orders-db',
    sourceRegion: 'us-east-1',
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    vpc,
    ...props,
  });
}

describe('CrossRegionReadReplica', () => {
  test('replicates the source by its ARN, encrypted with a key of this region, protected and retained', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'Stack', 'us-west-2');

    // WHEN
    const r = replica(stack);

    // THEN
    const t = Template.fromStack(stack);
    t.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({
        SourceDBInstanceIdentifier: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111111111111:db:orders-db']] },
        SourceRegion: 'us-east-1',
        StorageEncrypted: Match.absent(),
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicaKey'), 'Arn'] },
        DeletionProtection: true,
        PubliclyAccessible: false,
        DBInstanceClass: 'db.r6g.large',
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: { cdk_nag: { rules_to_suppress: [Match.objectLike({ id: 'AwsSolutions-RDS2', reason: Match.stringLikeRegexp('encrypted as its source is') })] } },
    });
    t.hasResourceProperties('AWS::KMS::Key', { Description: 'Encrypts the cross-region read replica Stack/Replica', EnableKeyRotation: true });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/Fn::ImportValue/);
    expect(r.sourceInstanceArn).toContain(':rds:us-east-1:111111111111:db:orders-db');
  });

  test('the source account, engine, key and instance props are taken as given', () => {
    const stack = testStack(testApp(), 'Stack', 'us-west-2');
    const key = new kms.Key(stack, 'MyKey');

    replica(stack, {
      sourceAccount: '222222222222',
      sourceEngine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0 }),
      storageEncryptionKey: key,
      multiAz: true,
      storageType: rds.StorageType.GP3,
      backupRetention: Duration.days(7),
    });

    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', {
      SourceDBInstanceIdentifier: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:222222222222:db:orders-db']] },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('MyKey'), 'Arn'] },
      MultiAZ: true,
      StorageType: 'gp3',
      BackupRetentionPeriod: 7,
    });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 2);
  });

  test('a ReplicaLag alarm with the declared RPO as threshold notifies an encrypted topic', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'Stack', 'us-west-2');
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(2) });

    // WHEN
    replica(stack);

    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/RDS',
      MetricName: 'ReplicaLag',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: { Ref: Match.stringLikeRegexp('Replica') } }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 120,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'missing',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('ReplicaAlarmTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('ReplicaAlarmTopic') }],
      AlarmDescription: 'Stack/Replica: the replica lagged its source orders-db in us-east-1 by more than 2 min (the declared RPO) for 3 minutes: '
        + 'promoting it now would lose more than that.',
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReplicationAlarms', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test.each([
    ['no RPO: the assumed lag', undefined, 60],
    ['the prop', Duration.seconds(45), 45],
  ])('the alarm threshold with %s', (_title, threshold, expected) => {
    const stack = testStack(testApp(), 'Stack', 'us-west-2');

    replica(stack, { replicaLagThreshold: threshold });

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicaLag', Threshold: expected });
  });

  test('an imported topic is used and carries a warning', () => {
    const stack = testStack(testApp(), 'Stack', 'us-west-2');
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-west-2:111111111111:ops');

    const r = replica(stack, { alarmTopic: topic });

    expect(r.alarmTopic).toBe(topic);
    Annotations.fromStack(stack).hasWarning('/Stack/Replica', Match.stringLikeRegexp('is imported, so its policy cannot be changed here'));
  });

  describe('the promotion path in the report', () => {
    test('data: the assumed replica lag; time: decision, promotion, endpoint switch, client cache', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(5) });

      // WHEN
      replica(stack);
      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;

      // THEN
      expect(p).toMatchObject({
        id: 'Stack/Replica#promotion',
        kind: 'database-failover',
        name: 'orders-db promoted in us-west-2 (Replica)',
        endpoints: [
          { label: 'orders-db (source)', role: 'primary', region: 'us-east-1' },
          { label: 'Replica (read replica)', role: 'secondary', region: 'us-west-2', health: 'ReplicaLag alarm above 5 min (the declared RPO)' },
        ],
        rto: { applicable: true, worstSeconds: 1510, objectiveSeconds: 3600, met: true, dominantTerm: 'promote', dominantTermId: 'rds-replica-promotion' },
        rpo: { applicable: true, worstSeconds: 60, objectiveSeconds: 300, met: true },
      });
      expect(p.terms.map((t: any) => [t.term, t.maxSeconds, t.assumptionId])).toEqual([
        ['replicationLag', 60, 'rdsReplicaLag'],
        ['decision', 600, 'operatorResponse'],
        ['promote', 900, 'replicaPromotion'],
        ['switch', 5, 'endpointDnsTtl'],
        ['clientCache', 5, 'clientDnsCache'],
      ]);
      expect(p.warnings).toEqual([
        expect.stringMatching(/^Clients must move to the promoted replica's endpoint, another name than the source's/),
        expect.stringMatching(/^The detection of the source region's failure is not modeled/),
      ]);
    });

    test('assumptions given to the construct replace the defaults', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');

      replica(stack, {
        assumptions: { rdsReplicaLag: Duration.seconds(5), replicaPromotion: Duration.minutes(6), operatorResponse: Duration.minutes(2) },
      });

      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;
      expect([p.rpo.worstSeconds, p.rto.worstSeconds]).toEqual([5, 490]);
    });

    test('fails synth when the replica lag misses the RPO, naming the dominant term and the fix', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.seconds(30) });

      replica(stack);

      expect(() => app.synth()).toThrow(new RegExp(
        'Stack/Replica\\] cross-region database failover of orders-db promoted in us-west-2 \\(Replica\\): '
        + 'modeled worst-case data loss 1 min exceeds the RPO objective 30 s '
        + '\\(declared at Objectives\\)\\. Dominant term: replication lag up to 1 min \\(cross-region read replicas apply the source\'s changes asynchronously.*'
        + 'Fix: measure ReplicaLag and set `assumptions\\.rdsReplicaLag`; for a bounded lag use Aurora Global Database'));
    });

    test('fails synth when the promotion misses the RTO, naming the promotion', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(15) });

      replica(stack);

      expect(() => app.synth()).toThrow(/modeled worst-case recovery time 25 min 10 s exceeds the RTO objective 15 min .* Dominant term: promote up to 15 min/);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<CrossRegionReadReplicaProps>, RegExp]>([
      ['a source in this region', { sourceRegion: 'us-west-2' },
        /^Stack\/Replica: `sourceRegion` is "us-west-2", the stack's own region: this construct builds a replica in another region\. For a replica in the same region use rds\.DatabaseInstanceReadReplica\.$/],
      ['a source region that is no region', { sourceRegion: 'east' }, /`sourceRegion` must be a region name, known at synth: the source is addressed by its ARN, got: "east"\./],
      ['a deploy-time source region', { sourceRegion: Lazy.string({ produce: () => 'us-east-1' }) }, /`sourceRegion` must be a region name, known at synth/],
      ['an identifier with two hyphens', { sourceInstanceIdentifier: 'orders--db' }, /`sourceInstanceIdentifier` must be an RDS DB instance identifier .* got: "orders--db"/],
      ['an identifier ending in a hyphen', { sourceInstanceIdentifier: 'orders-' }, /`sourceInstanceIdentifier` must be an RDS DB instance identifier/],
      ['an identifier starting with a digit', { sourceInstanceIdentifier: '1orders' }, /`sourceInstanceIdentifier` must be an RDS DB instance identifier/],
      ['an identifier of 64 characters', { sourceInstanceIdentifier: `a${'b'.repeat(63)}` }, /`sourceInstanceIdentifier` must be an RDS DB instance identifier/],
      ['an account that is no account', { sourceAccount: '1234' }, /`sourceAccount` must be a 12-digit AWS account id, got: "1234"\./],
      ['DESTROY with deletion protection', { removalPolicy: RemovalPolicy.DESTROY }, /`removalPolicy` is DESTROY, but deletion protection is on \(the default here\)/],
      ['a threshold of 0', { replicaLagThreshold: Duration.seconds(0) }, /`replicaLagThreshold` must be whole seconds above 0, got: 0 seconds/],
      ['a threshold in milliseconds', { replicaLagThreshold: Duration.millis(1500) }, /`replicaLagThreshold` must be whole seconds above 0, got: 1 second 500 millis\./],
      ['a deploy-time threshold in minutes', { replicaLagThreshold: Duration.minutes(Lazy.number({ produce: () => 1 })) },
        /`replicaLagThreshold` is only known at deploy time, so it must be given in seconds, the unit of ReplicaLag: Duration\.seconds\(parameter\.valueAsNumber\)\./],
      ['backups on a PostgreSQL replica', { sourceEngine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_3 }), backupRetention: Duration.days(7) },
        /`backupRetention` is set, but postgres keeps no automated backups on read replicas\./],
      ['an assumption the path does not use', { assumptions: { dynamoDbReplicationLag: Duration.seconds(1) } },
        /`assumptions` sets "dynamoDbReplicationLag", which this construct does not use; it uses: rdsReplicaLag, operatorResponse, replicaPromotion, endpointDnsTtl, clientDnsCache/],
    ])('fails with %s', (_title, props, message) => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      expect(() => replica(stack, props)).toThrow(message);
    });

    test('fails with a key or a topic of another region, listing both', () => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:ops');

      expect(() => replica(stack, { storageEncryptionKey: key, alarmTopic: topic })).toThrow(
        /^Stack\/Replica: 2 problems:\n {2}- `alarmTopic` is Stack\/Topic, imported from us-east-1[^\n]*\n {2}- `storageEncryptionKey` is Stack\/Key, imported from us-east-1/);
    });

    test('fails in an environment-agnostic stack', () => {
      const stack = new Stack(testApp(), 'Stack');

      expect(() => replica(stack)).toThrow(/^Stack\/Replica: the stack has no literal region: a cross-region replica must be in a known region other than its source's\./);
    });

    test('a deploy-time identifier and threshold in seconds are accepted', () => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      replica(stack, { sourceInstanceIdentifier: Lazy.string({ produce: () => 'orders-db' }), replicaLagThreshold: Duration.seconds(Lazy.number({ produce: () => 90 })) });

      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicaLag', Threshold: 90 });
    });
  });
});

import * as path from 'path';
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GlobalTable, GlobalTableProps, ObjectiveEnforcement, RecoveryAssumptions, RecoveryObjectives } from '../../src';
import { readJson, testApp, testStack } from '../util';

const partitionKey = { name: 'pk', type: dynamodb.AttributeType.STRING };

function table(stack: Stack, props: Partial<GlobalTableProps> = {}, id = 'Orders'): GlobalTable {
  return new GlobalTable(stack, id, { partitionKey, replicas: [{ region: 'us-west-2' }], ...props });
}

function mrsc(stack: Stack, props: Partial<GlobalTableProps> = {}): GlobalTable {
  return table(stack, { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG, replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }], ...props });
}

function alarms(stack: Stack) {
  return Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
}

describe('GlobalTable', () => {
  describe('the table', () => {
    test('keeps its data by default: deletion protection and 35 days of PITR on every replica, retained', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-east-1');

      // WHEN
      table(stack, { replicas: [{ region: 'us-west-2' }, { region: 'eu-west-1' }] });

      // THEN
      const t = Template.fromStack(stack);
      t.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const [resource] = Object.values(t.findResources('AWS::DynamoDB::GlobalTable'));
      expect(resource.Properties.Replicas.map((r: any) => [r.Region, r.DeletionProtectionEnabled, r.PointInTimeRecoverySpecification])).toEqual(
        ['us-west-2', 'eu-west-1', 'us-east-1'].map((r) => [r, true, { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 }]),
      );
      expect(resource.Properties.MultiRegionConsistency).toBeUndefined();
    });

    test('passes TableV2 props through as given, opt-outs included', () => {
      const stack = testStack(testApp(), 'Stack', 'us-east-1');

      const t = table(stack, {
        tableName: 'orders',
        sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
        deletionProtection: false,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        timeToLiveAttribute: 'expires',
      });

      Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: 'orders',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
        Replicas: Match.arrayWith([Match.objectLike({ Region: 'us-west-2', DeletionProtectionEnabled: false, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } })]),
      });
      expect(t.table.tableName).toBeDefined();
      expect(t.replicaRegions).toEqual(['us-west-2']);
    });
  });

  describe('ReplicationLatency alarms', () => {
    test('one per replica region in the table\'s region, threshold the declared RPO, notifying an encrypted topic', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.seconds(30) });

      // WHEN
      const t = table(stack);
      t.addReplica({ region: 'eu-west-1' });

      // THEN
      const template = Template.fromStack(stack);
      for (const region of ['us-west-2', 'eu-west-1']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ReplicationLatency',
          Dimensions: Match.arrayWith([{ Name: 'ReceivingRegion', Value: region }, { Name: 'TableName', Value: { Ref: Match.stringLikeRegexp('OrdersTable') } }]),
          Statistic: 'Maximum',
          Period: 300,
          Threshold: 30000,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          DatapointsToAlarm: Match.absent(),
          TreatMissingData: 'missing',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('OrdersAlarmTopic') }],
          OKActions: [{ Ref: Match.stringLikeRegexp('OrdersAlarmTopic') }],
          AlarmDescription: `Stack/Orders: replication from us-east-1 to ${region} lagged more than 30 s (the declared RPO) within 5 minutes: `
            + `writes made in us-east-1 and not yet in ${region} would be lost if us-east-1 failed now.`,
        });
      }
      expect(t.alarms).toHaveLength(2);
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersAlarmTopicKey'), 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReplicationAlarmsPublish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Sid: 'ReplicationAlarms',
            Condition: { ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicationLatencyuswest2'), 'Arn'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicationLatencyeuwest1'), 'Arn'] }] } },
          })]),
        },
      });
    });

    test('objectives declared after the table still set the threshold (read at synth)', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      table(stack);
      new RecoveryObjectives(stack, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.minutes(2) });

      app.synth();

      expect(Object.values(alarms(stack)).map((a) => a.Properties.Threshold)).toEqual([120000]);
    });

    test.each([
      ['no RPO: the default assumed lag', undefined, {}, undefined, 10000],
      ['an RPO of 0: the assumed lag', Duration.seconds(0), {}, undefined, 10000],
      ['no RPO: the lag set for the scope', undefined, { dynamoDbReplicationLag: Duration.seconds(3) }, undefined, 3000],
      ['the prop wins over the RPO', Duration.seconds(30), {}, Duration.millis(1500), 1500],
    ])('threshold with %s', (_title, rpo, scopeValues, threshold, expected) => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      if (rpo) {
        // WARN: MREC cannot meet an RPO of 0; the alarm must still get a threshold that can clear.
        new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo, enforcement: ObjectiveEnforcement.WARN });
      }
      new RecoveryAssumptions(app, 'Assumptions', { values: scopeValues });
      table(stack, { replicationLatencyThreshold: threshold });

      expect(Object.values(alarms(stack)).map((a) => a.Properties.Threshold)).toEqual([expected]);
    });

    test('a deploy-time threshold in milliseconds goes to the alarm as is', () => {
      const stack = testStack(testApp(), 'Stack', 'us-east-1');

      table(stack, { replicationLatencyThreshold: Duration.millis(Lazy.number({ produce: () => 2500 })) });

      const [alarm] = Object.values(alarms(stack));
      expect(alarm.Properties.Threshold).toEqual(2500);
      expect(alarm.Properties.AlarmDescription).toContain('lagged more than the deploy-time threshold within 5 minutes');
    });

    test('a given topic is used, and an imported one carries a warning', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:ops');

      const t = table(stack, { alarmTopic: topic });

      expect(t.alarmTopic).toBe(topic);
      Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-east-1:111111111111:ops'] });
      Annotations.fromStack(stack).hasWarning('/Stack/Orders', Match.stringLikeRegexp('The alarm topic arn:aws:sns:us-east-1:111111111111:ops is imported'));
    });
  });

  describe('MRSC', () => {
    test('three regions: the mode is set, no lag alarm and no topic, RPO 0 on every path', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.seconds(0) });

      const t = mrsc(stack);

      const json = readJson(path.join(app.synth().directory, 'failover-report.json'));
      Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', { MultiRegionConsistency: 'STRONG' });
      Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
      Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
      expect(t.alarmTopic).toBeUndefined();
      expect(json.paths.map((p: any) => [p.id, p.name, p.rpo.worstSeconds, p.rpo.met, p.terms[0].id])).toEqual([
        ['Stack/Orders#replica-us-east-2', 'Orders (DynamoDB global table, MRSC) to us-east-2', 0, true, 'dynamodb-mrsc'],
        ['Stack/Orders#replica-us-west-2', 'Orders (DynamoDB global table, MRSC) to us-west-2', 0, true, 'dynamodb-mrsc'],
      ]);
    });

    test('two replicas and a witness', () => {
      const stack = testStack(testApp(), 'Stack', 'eu-west-1');

      const t = mrsc(stack, { replicas: [{ region: 'eu-central-1' }], witnessRegion: 'eu-west-3' });

      Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        MultiRegionConsistency: 'STRONG', GlobalTableWitnesses: [{ Region: 'eu-west-3' }],
      });
      expect(t.recoveryPaths().map((p) => p.name)).toEqual(['Orders (DynamoDB global table, MRSC, witness eu-west-3) to eu-central-1']);
    });

    test('fails to add a replica after creation', () => {
      const t = mrsc(testStack(testApp(), 'Stack', 'us-east-1'));

      expect(() => t.addReplica({ region: 'us-west-1' })).toThrow(
        /^Stack\/Orders: addReplica\("us-west-1"\): an MRSC table spans exactly three regions, fixed when it is created\./);
    });
  });

  describe('the recovery paths in the report', () => {
    test('one data path per replica: the assumed MREC lag against the RPO', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.minutes(1) });

      // WHEN
      table(stack, { replicas: [{ region: 'us-west-2' }, { region: 'eu-west-1' }] });
      const json = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      expect(json.paths).toHaveLength(2);
      expect(json.paths[0]).toMatchObject({
        id: 'Stack/Orders#replica-us-west-2',
        kind: 'data-replication',
        name: 'Orders (DynamoDB global table, MREC) to us-west-2',
        endpoints: [
          { label: 'Orders in us-east-1', role: 'active', region: 'us-east-1' },
          { label: 'Orders in us-west-2', role: 'replica', region: 'us-west-2', health: 'ReplicationLatency alarm above 1 min' },
        ],
        rto: { applicable: false },
        rpo: { applicable: true, worstSeconds: 10, objectiveSeconds: 60, met: true },
      });
      expect(json.paths[0].terms.map((t: any) => [t.id, t.term, t.maxSeconds, t.assumption, t.assumptionId])).toEqual([
        ['dynamodb-replication-lag', 'replicationLag', 10, true, 'dynamoDbReplicationLag'],
      ]);
      expect(json.paths[1].id).toEqual('Stack/Orders#replica-eu-west-1');
    });

    test('the lag given in `assumptions` replaces the default and is no longer an assumption', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');

      table(stack, { assumptions: { dynamoDbReplicationLag: Duration.seconds(2) } });

      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;
      expect([p.rpo.worstSeconds, p.terms[0].assumption]).toEqual([2, false]);
    });

    test('fails synth when the MREC lag misses the RPO, naming the dominant term and the fix', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.seconds(5) });

      // WHEN
      table(stack);

      // THEN
      expect(() => app.synth()).toThrow(new RegExp(
        'Stack/Orders\\] data replication of Orders \\(DynamoDB global table, MREC\\) to us-west-2: modeled worst-case data loss 10 s exceeds the RPO objective 5 s '
        + '\\(declared at Objectives\\)\\. Dominant term: replication lag up to 10 s \\(multi-Region eventual consistency \\(MREC\\) replicates asynchronously.*'
        + 'Fix: measure ReplicationLatency and set `assumptions\\.dynamoDbReplicationLag`; for RPO 0 create the table with `multiRegionConsistency: MultiRegionConsistency\\.STRONG`'));
    });
  });

  describe('the table as it will deploy, checked at synth', () => {
    test('fails when a replica was added to the TableV2 directly', () => {
      const app = testApp();
      const t = table(testStack(app, 'Stack', 'us-east-1'));

      t.table.addReplica({ region: 'eu-west-1' });

      expect(() => app.synth()).toThrow(/Stack\/Orders\] the table has replicas in eu-west-1 that were added with table\.addReplica\(\): they would have no replication alarm and no recovery path\. Add them with GlobalTable\.addReplica\(\) instead\./);
    });

    test('fails when an escape hatch flips the consistency mode', () => {
      const app = testApp();
      const t = table(testStack(app, 'Stack', 'us-east-1'));

      (t.table.node.defaultChild as dynamodb.CfnGlobalTable).multiRegionConsistency = 'STRONG';

      expect(() => app.synth()).toThrow(/the table's MultiRegionConsistency is "STRONG", but it was created as EVENTUAL: DynamoDB fixes the consistency mode when a global table is created and rejects a change/);
    });

    test('fails when a replica is added to an MRSC table through the TableV2', () => {
      const app = testApp();
      const t = mrsc(testStack(app, 'Stack', 'us-east-1'));

      t.table.addReplica({ region: 'us-west-1' });

      expect(() => app.synth()).toThrow(/the MRSC table would have 4 replica\(s\) and 0 witness\(es\): MRSC needs exactly three regions/);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<GlobalTableProps>, string, RegExp]>([
      ['no replica', { replicas: [] }, 'us-east-1', /^Stack\/Orders: `replicas` is empty, so the table would not be global/],
      ['a replica in the stack\'s region', { replicas: [{ region: 'us-east-1' }] }, 'us-east-1', /`replicas` has "us-east-1", the stack's own region/],
      ['a replica region twice', { replicas: [{ region: 'us-west-2' }, { region: 'us-west-2' }] }, 'us-east-1', /`replicas` has "us-west-2" twice/],
      ['a replica that is no region', { replicas: [{ region: 'uswest2' }] }, 'us-east-1', /`replicas` has "uswest2", which is not a region name/],
      ['a witness with MREC', { witnessRegion: 'us-east-2' }, 'us-east-1', /`witnessRegion` is "us-east-2", but a witness exists only for multi-Region strong consistency \(MRSC\)/],
      ['MRSC with two regions', { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG }, 'us-east-1',
        /`replicas` has 1 region\(s\), so the MRSC table would span 2 replica region\(s\), not 3\. An MRSC table spans exactly three regions/],
      ['MRSC with a witness and two replicas', { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG, witnessRegion: 'us-east-2', replicas: [{ region: 'us-west-2' }, { region: 'us-east-2' }] }, 'us-east-1',
        /2 problems:\n {2}- `replicas` has 2 region\(s\) beside `witnessRegion` "us-east-2", so the MRSC table would span 3 replica region\(s\), not 2\.[^\n]*\n {2}- `witnessRegion` "us-east-2" holds a replica already/],
      ['MRSC across region sets', { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG, replicas: [{ region: 'us-east-2' }, { region: 'eu-west-1' }] }, 'us-east-1',
        /MRSC needs every region of the table in one region set, but "eu-west-1" is outside the US set of the stack's region "us-east-1"\. Region sets: US: us-east-1, us-east-2, us-west-2; EU:/],
      ['MRSC from a region of no set', { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG, replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }] }, 'us-west-1',
        /MRSC needs every region of the table in one region set, but "us-west-1" is in none/],
      ['DESTROY with deletion protection', { removalPolicy: RemovalPolicy.DESTROY }, 'us-east-1',
        /`removalPolicy` is DESTROY, but deletion protection is on \(the default here\): CloudFormation cannot delete a protected table/],
      ['a threshold of 0', { replicationLatencyThreshold: Duration.seconds(0) }, 'us-east-1', /`replicationLatencyThreshold` must be whole milliseconds above 0, got: 0 seconds/],
      ['a deploy-time threshold in seconds', { replicationLatencyThreshold: Duration.seconds(Lazy.number({ produce: () => 30 })) }, 'us-east-1',
        /`replicationLatencyThreshold` is only known at deploy time, so it must be given in milliseconds, the unit of ReplicationLatency: Duration\.millis\(parameter\.valueAsNumber\)\./],
      ['a threshold with MRSC', { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG, replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }], replicationLatencyThreshold: Duration.seconds(5) }, 'us-east-1',
        /`replicationLatencyThreshold` is set, but an MRSC table has no replication-lag alarms/],
      ['an assumption the table does not use', { assumptions: { rdsReplicaLag: Duration.seconds(5) } }, 'us-east-1',
        /`assumptions` sets "rdsReplicaLag", which this construct does not use; it uses: dynamoDbReplicationLag/],
      ['the MREC lag assumption on an MRSC table', { multiRegionConsistency: dynamodb.MultiRegionConsistency.STRONG, replicas: [{ region: 'us-east-2' }, { region: 'us-west-2' }], assumptions: { dynamoDbReplicationLag: Duration.seconds(1) } }, 'us-east-1',
        /`assumptions` sets "dynamoDbReplicationLag", which this construct does not use/],
    ])('fails with %s', (_title, props, region, message) => {
      const stack = testStack(testApp(), 'Stack', region);

      expect(() => table(stack, props)).toThrow(message);
    });

    test('fails in an environment-agnostic stack', () => {
      const stack = new Stack(testApp(), 'Stack');

      expect(() => table(stack)).toThrow(/^Stack\/Orders: the stack has no literal region: a global table places its replicas and their alarms by region/);
    });

    test('fails with an alarm topic of another region', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-east-1');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111111111111:ops');

      expect(() => table(stack, { alarmTopic: topic })).toThrow(/`alarmTopic` is Stack\/Topic, imported from eu-west-1, but this stack is in us-east-1/);
    });

    test('fails to add a replica in a region that has one', () => {
      const t = table(testStack(testApp(), 'Stack', 'us-east-1'));

      expect(() => t.addReplica({ region: 'us-west-2' })).toThrow(/^Stack\/Orders: addReplica\("us-west-2"\): give the name of a region that holds no replica of this table yet/);
      expect(() => t.addReplica({ region: 'us-east-1' })).toThrow(/addReplica\("us-east-1"\)/);
    });
  });
});

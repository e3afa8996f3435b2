import * as path from 'path';
import { App, Aspects, CfnParameter, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { buildMultiAzExample } from '../../examples/multi-az/stacks';
import { RecoveryObjectives } from '../../src';
import { MultiAzDatabaseProps } from '../../src/zonal/database-options';
import { DatabaseTopology } from '../../src/zonal/database-topology';
import { MultiAzDatabase } from '../../src/zonal/multi-az-database';
import { readJson, testApp, testStack } from '../util';

const MYSQL = rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 });
const POSTGRES = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_3 });
const AURORA_MYSQL = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 });
const AURORA_POSTGRES = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });

/** A stack with a VPC of isolated subnets in `azs` zones (the test context names them dummy1a, dummy1b, ...). */
function setup(azs = 3, stack?: Stack) {
  const app = stack ? stack.node.root as App : testApp();
  const s = stack ?? testStack(app);
  const vpc = new ec2.Vpc(s, 'Vpc', {
    maxAzs: azs,
    natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { app, stack: s, vpc };
}

const instanceTopology = (engine: rds.IInstanceEngine = MYSQL) => DatabaseTopology.multiAzInstance({ engine });
const clusterTopology = (engine: rds.IInstanceEngine = POSTGRES) => DatabaseTopology.multiAzCluster({ engine });
const auroraTopology = (readers?: number, engine: rds.IClusterEngine = AURORA_MYSQL) => DatabaseTopology.aurora({ engine, readers });

function terms(db: MultiAzDatabase): Array<[string, number, number]> {
  return db.estimate.terms.map((t) => [t.kind.id, t.min.toSeconds(), t.max.toSeconds()]);
}

describe('MultiAzDatabase', () => {
  describe('Multi-AZ DB instance', () => {
    test('safe defaults: Multi-AZ, encrypted, protected, backed up, snapshot on delete, RDS-managed password', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::RDS::DBInstance', 1);
      template.hasResource('AWS::RDS::DBInstance', {
        Properties: {
          Engine: 'mysql',
          EngineVersion: '8.0.39',
          MultiAZ: true,
          DBInstanceClass: 'db.m6i.large',
          AllocatedStorage: '100',
          StorageType: 'gp3',
          StorageEncrypted: true,
          DeletionProtection: true,
          BackupRetentionPeriod: 7,
          CopyTagsToSnapshot: true,
          EnableIAMDatabaseAuthentication: true,
          EnableCloudwatchLogsExports: ['error', 'slowquery'],
          ManageMasterUserPassword: true,
          MasterUsername: 'admin',
          MasterUserPassword: Match.absent(),
          PubliclyAccessible: false,
        },
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
      });
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^VpcdbSubnet1') }, { Ref: Match.stringLikeRegexp('^VpcdbSubnet2') }, { Ref: Match.stringLikeRegexp('^VpcdbSubnet3') }],
      });
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      expect(db.instance).toBeDefined();
      expect(db.cluster).toBeUndefined();
      expect(db.cfnCluster).toBeUndefined();
      expect(db.dbProxy).toBeUndefined();
      expect(db.port).toEqual(3306);
      expect(db.masterUsername).toEqual('admin');
      expect(stack.resolve(db.endpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbInstance/), 'Endpoint.Address'] });
      expect(stack.resolve(db.secret.secretArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbInstance/), 'MasterUserSecret.SecretArn'] });
    });

    test('failover events of the instance go to an encrypted topic', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::RDS::EventSubscription', {
        Properties: {
          SourceType: 'db-instance',
          EventCategories: ['failover'],
          SourceIds: [{ Ref: Match.stringLikeRegexp('^DbInstance') }],
          SnsTopicArn: { Ref: Match.stringLikeRegexp('^DbAlarmTopic') },
          Enabled: true,
        },
        // On the topic policy only: the topic itself is referenced (an explicit DependsOn on it would be redundant).
        DependsOn: [Match.stringLikeRegexp('^DbAlarmTopicPolicy')],
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Sid: 'PublishToTheEncryptedTopic',
            Effect: 'Allow',
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.rds.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
          }]),
        },
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbAlarmTopicKey'), 'Arn'] } });
    });

    test('the topic policy requires TLS and lets only this database\'s events and this construct\'s alarms publish', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });

      // THEN
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement;
      expect(statements).toEqual([
        expect.objectContaining({ Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        {
          Sid: 'RdsFailoverEvents',
          Effect: 'Allow',
          Principal: { Service: 'events.rds.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: expect.stringMatching(/^DbAlarmTopic/) },
          Condition: {
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-west-2:111111111111:db:', { Ref: expect.stringMatching(/^DbInstance/) }]] } },
            StringEquals: { 'aws:SourceAccount': '111111111111' },
          },
        },
        {
          Sid: 'DatabaseAlarms',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: { Ref: expect.stringMatching(/^DbAlarmTopic/) },
          Condition: {
            ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [expect.stringMatching(/^DbAlarmsCpu/), 'Arn'] }, { 'Fn::GetAtt': [expect.stringMatching(/^DbAlarmsFreeStorage/), 'Arn'] }] },
            StringEquals: { 'aws:SourceAccount': '111111111111' },
          },
        },
      ]);
    });

    test('alarms: CPU above 80 % for 5 minutes and free storage below 10 GiB, notifying the topic both ways; no lag alarm', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
      const topic = { Ref: Match.stringLikeRegexp('^DbAlarmTopic') };
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/RDS',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'DBInstanceIdentifier', Value: { Ref: Match.stringLikeRegexp('^DbInstance') } }],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'missing',
        AlarmActions: [topic],
        OKActions: [topic],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'FreeStorageSpace',
        Statistic: 'Minimum',
        Period: 300,
        Threshold: 10 * 1024 ** 3,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'missing',
        AlarmActions: [topic],
      });
      expect(db.alarms).toHaveLength(2);
    });

    test('estimate: 60-120 s failover, then up to 5 s endpoint TTL and 5 s client cache; no data loss', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });

      // THEN
      expect(terms(db)).toEqual([['detection', 60, 120], ['decision', 0, 0], ['propagation', 0, 5], ['clientCache', 0, 5], ['dataLoss', 0, 0]]);
      expect(db.estimate.rtoBest!.toSeconds()).toEqual(60);
      expect(db.estimate.rtoWorst!.toSeconds()).toEqual(130);
      expect(db.estimate.rpoWorst?.toSeconds()).toEqual(0);
      expect(db.estimate.assumptions).toHaveLength(2);
    });

    test('measured DNS delays replace the assumptions', () => {
      const { stack, vpc } = setup();
      const db = new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: instanceTopology(),
        assumptions: { endpointDnsTtl: Duration.seconds(1), clientDnsCache: Duration.seconds(0) },
      });
      expect(db.estimate.rtoWorst!.toSeconds()).toEqual(121);
      expect(db.estimate.assumptions).toEqual([]);
    });

    test('with proxy: 120 s worst case, TLS and IAM required, clients use the proxy endpoint and port', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(POSTGRES), proxy: true, port: 6543 });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBProxy', {
        EngineFamily: 'POSTGRESQL',
        RequireTLS: true,
        DBProxyName: Match.stringLikeRegexp('^StackDb[A-F0-9]+-proxy$'),
        Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbInstance'), 'MasterUserSecret.SecretArn'] } }],
      });
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', { DBInstanceIdentifiers: [{ Ref: Match.stringLikeRegexp('^DbInstance') }] });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbInstance'), 'MasterUserSecret.SecretArn'] } }] },
      });
      expect(db.dbProxy).toBeDefined();
      expect(db.port).toEqual(5432);
      expect(stack.resolve(db.endpoint)).toEqual(stack.resolve(db.dbProxy!.endpoint));
      expect(terms(db)).toEqual([['detection', 60, 120], ['decision', 0, 0], ['switch', 0, 0], ['dataLoss', 0, 0]]);
      expect(db.estimate.rtoWorst!.toSeconds()).toEqual(120);
    });

    test('props reach the instance; RETAIN keeps it', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: DatabaseTopology.multiAzInstance({
          engine: POSTGRES,
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE),
          allocatedStorage: 500,
          storageType: rds.StorageType.IO2,
        }),
        databaseName: 'orders',
        port: 6543,
        backupRetention: Duration.days(35),
        deletionProtection: false,
        removalPolicy: RemovalPolicy.RETAIN,
      });

      // THEN
      Template.fromStack(stack).hasResource('AWS::RDS::DBInstance', {
        Properties: Match.objectLike({
          Engine: 'postgres',
          DBInstanceClass: 'db.r6g.xlarge',
          AllocatedStorage: '500',
          StorageType: 'io2',
          DBName: 'orders',
          Port: '6543',
          BackupRetentionPeriod: 35,
          DeletionProtection: false,
          MasterUsername: 'postgres',
          EnableCloudwatchLogsExports: ['postgresql'],
        }),
        DeletionPolicy: 'Retain',
      });
    });

    test('alarm thresholds as given, with a connections alarm', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: instanceTopology(),
        alarms: { cpuUtilizationPercent: 90, freeStorageSpace: Size.gibibytes(20), maxConnections: 500 },
      });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 90 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Threshold: 20 * 1024 ** 3 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'DatabaseConnections',
        Statistic: 'Maximum',
        Threshold: 500,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'missing',
      });
      expect(db.alarms).toHaveLength(3);
    });

    test('SQL Server: no IAM database authentication and no log exports; Oracle: its default port', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const sqlServer = new MultiAzDatabase(stack, 'SqlServer', {
        vpc,
        topology: instanceTopology(rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16 })),
      });
      const oracle = new MultiAzDatabase(stack, 'Oracle', {
        vpc,
        topology: instanceTopology(rds.DatabaseInstanceEngine.oracleSe2({ version: rds.OracleEngineVersion.VER_19 })),
      });

      // THEN
      const instances = Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBInstance')).map((r) => r.Properties);
      for (const props of instances) {
        expect(props.EnableIAMDatabaseAuthentication).toBeUndefined();
        expect(props.EnableCloudwatchLogsExports).toBeUndefined();
        expect(props.MultiAZ).toBe(true);
      }
      expect(sqlServer.port).toEqual(1433);
      expect(oracle.port).toEqual(1521);
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => sqlServer.grantConnect(role, 'app')).toThrow(/^Stack\/SqlServer: grantConnect\(\) needs IAM database authentication, which sqlserver-se does not offer/);
    });
  });

  describe('Multi-AZ DB cluster', () => {
    test('the L1 cluster with safe defaults: io1 at 1,000 IOPS, encrypted, protected, managed password, own subnet group', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: clusterTopology() });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::RDS::DBCluster', {
        Properties: {
          Engine: 'postgres',
          EngineVersion: '16.3',
          DBClusterInstanceClass: 'db.m6gd.large',
          AllocatedStorage: 100,
          StorageType: 'io1',
          Iops: 1000,
          DBSubnetGroupName: { Ref: Match.stringLikeRegexp('^DbSubnetGroup') },
          VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] }],
          MasterUsername: 'postgres',
          ManageMasterUserPassword: true,
          StorageEncrypted: true,
          DeletionProtection: true,
          BackupRetentionPeriod: 7,
          PubliclyAccessible: false,
          CopyTagsToSnapshot: true,
          EnableIAMDatabaseAuthentication: true,
          EnableCloudwatchLogsExports: ['postgresql'],
          Port: 5432,
        },
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
      });
      template.resourceCountIs('AWS::RDS::DBInstance', 0);
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcdbSubnet3') }]) });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Multi-AZ DB cluster Stack/Db',
        SecurityGroupIngress: Match.absent(),
      });
      template.hasResourceProperties('AWS::RDS::EventSubscription', {
        SourceType: 'db-cluster',
        EventCategories: ['failover'],
        SourceIds: [{ Ref: Match.stringLikeRegexp('^DbCluster') }],
      });
      expect(db.cfnCluster).toBeDefined();
      expect(db.port).toEqual(5432);
      expect(db.masterUsername).toEqual('postgres');
      expect(stack.resolve(db.endpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'Endpoint.Address'] });
    });

    test('alarms on the cluster: CPU, free storage and ReplicaLag in seconds', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: clusterTopology(), alarms: { replicaLag: Duration.seconds(10) } });

      // THEN
      const template = Template.fromStack(stack);
      const dimensions = [{ Name: 'DBClusterIdentifier', Value: { Ref: Match.stringLikeRegexp('^DbCluster') } }];
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Dimensions: dimensions });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Dimensions: dimensions });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ReplicaLag',
        Dimensions: dimensions,
        Statistic: 'Maximum',
        Threshold: 10,
        EvaluationPeriods: 3,
        TreatMissingData: 'notBreaching',
      });
      expect(db.alarms).toHaveLength(3);
    });

    test('estimate: under 35 s failover, 45 s worst case; 35 s through RDS Proxy', () => {
      const { stack, vpc } = setup();
      const direct = new MultiAzDatabase(stack, 'Direct', { vpc, topology: clusterTopology() });
      const proxied = new MultiAzDatabase(stack, 'Proxied', { vpc, topology: clusterTopology(MYSQL), proxy: true });
      expect(terms(direct)).toEqual([['detection', 0, 35], ['decision', 0, 0], ['propagation', 0, 5], ['clientCache', 0, 5], ['dataLoss', 0, 0]]);
      expect(direct.estimate.rtoWorst!.toSeconds()).toEqual(45);
      expect(proxied.estimate.rtoWorst!.toSeconds()).toEqual(35);
      expect(proxied.port).toEqual(3306);
    });

    test('with proxy: the proxy targets the cluster and may reach its port', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: clusterTopology(), proxy: true, port: 6543 });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBProxy', { EngineFamily: 'POSTGRESQL', RequireTLS: true });
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', { DBClusterIdentifiers: [{ Ref: Match.stringLikeRegexp('^DbCluster') }] });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbProxyProxySecurityGroup'), 'GroupId'] },
        FromPort: 6543,
        ToPort: 6543,
      });
    });

    test('gp3 storage needs no IOPS; RETAIN keeps the cluster and its subnet group', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: DatabaseTopology.multiAzCluster({ engine: MYSQL, storageType: rds.StorageType.GP3, allocatedStorage: 50 }),
        removalPolicy: RemovalPolicy.RETAIN,
      });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({ StorageType: 'gp3', AllocatedStorage: 50, Iops: Match.absent(), MasterUsername: 'admin', EnableCloudwatchLogsExports: ['error', 'slowquery'] }),
        DeletionPolicy: 'Retain',
      });
      template.hasResource('AWS::RDS::DBSubnetGroup', { DeletionPolicy: 'Retain' });
    });

    test('grantConnect without proxy: rds-db:connect on the cluster resource ID', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: clusterTopology() });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

      // WHEN
      db.grantConnect(role, 'app');

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{
            Action: 'rds-db:connect',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds-db:us-west-2:111111111111:dbuser:', { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbCluster'), 'DBClusterResourceId'] }, '/app']] },
          }],
        },
      });
    });
  });

  describe('Aurora', () => {
    test('writer and reader pinned to different zones, the reader a tier-1 failover target; no storage alarm', () => {
      // GIVEN
      const { stack, vpc } = setup();

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: auroraTopology() });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({
          Engine: 'aurora-mysql',
          StorageEncrypted: true,
          DeletionProtection: true,
          BackupRetentionPeriod: 7,
          CopyTagsToSnapshot: true,
          EnableIAMDatabaseAuthentication: true,
          ManageMasterUserPassword: true,
          MasterUserPassword: Match.absent(),
          EnableCloudwatchLogsExports: ['error', 'slowquery'],
        }),
        DeletionPolicy: 'Snapshot',
      });
      template.resourceCountIs('AWS::RDS::DBInstance', 2);
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 0, AvailabilityZone: 'dummy1a', PubliclyAccessible: false });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 1, AvailabilityZone: 'dummy1b', PubliclyAccessible: false });
      template.hasResourceProperties('AWS::RDS::EventSubscription', { SourceType: 'db-cluster', EventCategories: ['failover'] });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLag', Threshold: 30_000, TreatMissingData: 'notBreaching' });
      expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.MetricName)).toEqual(['CPUUtilization', 'AuroraReplicaLag']);
      expect(db.cluster).toBeDefined();
      expect(stack.resolve(db.endpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'Endpoint.Address'] });
    });

    test('three readers go round the zones after the writer\'s', () => {
      const { stack, vpc } = setup();
      new MultiAzDatabase(stack, 'Db', { vpc, topology: auroraTopology(3, AURORA_POSTGRES) });
      const instances = Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBInstance')).map((r) => [r.Properties.PromotionTier, r.Properties.AvailabilityZone]);
      expect(instances).toEqual([[0, 'dummy1a'], [1, 'dummy1b'], [1, 'dummy1c'], [1, 'dummy1a']]);
    });

    test('estimate: under 60 s with a replica (70 s worst case, 60 s through the proxy); up to 10 minutes without', () => {
      const { stack, vpc } = setup();
      const one = new MultiAzDatabase(stack, 'One', { vpc, topology: auroraTopology() });
      const proxied = new MultiAzDatabase(stack, 'Proxied', { vpc, topology: auroraTopology(2, AURORA_POSTGRES), proxy: true });
      const none = new MultiAzDatabase(stack, 'None', { vpc, topology: auroraTopology(0) });
      expect(one.estimate.rtoWorst!.toSeconds()).toEqual(70);
      expect(proxied.estimate.rtoWorst!.toSeconds()).toEqual(60);
      expect(none.estimate.rtoWorst!.toSeconds()).toEqual(610);
      expect(none.estimate.dominantTerm!.remedy).toMatch(/add an Aurora replica/);
      expect(none.estimate.rpoWorst?.toSeconds()).toEqual(0);
      expect(none.alarms.length).toEqual(1);
    });

    test('with proxy: targets the cluster after its instances', () => {
      const { stack, vpc } = setup();
      new MultiAzDatabase(stack, 'Db', { vpc, topology: auroraTopology(), proxy: true });
      Template.fromStack(stack).hasResource('AWS::RDS::DBProxyTargetGroup', {
        Properties: { DBClusterIdentifiers: [{ Ref: Match.stringLikeRegexp('^DbCluster') }], DBProxyName: Match.anyValue(), TargetGroupName: 'default', ConnectionPoolConfigurationInfo: {} },
        DependsOn: Match.arrayWith([Match.stringLikeRegexp('^DbClusterReader1'), Match.stringLikeRegexp('^DbClusterWriter')]),
      });
    });
  });

  describe('deploy-time values', () => {
    test('are passed through, not judged', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const p = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;

      // WHEN
      new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: DatabaseTopology.multiAzCluster({ engine: POSTGRES, allocatedStorage: p('Storage'), iops: p('Iops') }),
        port: p('Port'),
        backupRetention: Duration.days(p('Days')),
        alarms: {
          cpuUtilizationPercent: p('Cpu'),
          maxConnections: p('Connections'),
          freeStorageSpace: Size.bytes(p('Free')),
          replicaLag: Duration.seconds(p('Lag')),
        },
      });
      new MultiAzDatabase(stack, 'Aurora', { vpc, topology: auroraTopology(), alarms: { replicaLag: Duration.millis(p('AuroraLag')) } });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        AllocatedStorage: { Ref: 'Storage' }, Iops: { Ref: 'Iops' }, Port: { Ref: 'Port' }, BackupRetentionPeriod: { Ref: 'Days' },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: { Ref: 'Cpu' } });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: { Ref: 'Connections' } });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeStorageSpace', Threshold: { Ref: 'Free' } });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicaLag', Threshold: { Ref: 'Lag' } });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLag', Threshold: { Ref: 'AuroraLag' } });
    });

    test('fail when they decide the template or cannot be converted to the unit needed', () => {
      const { stack, vpc } = setup();
      const p = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
      expect(() => new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: auroraTopology(p('Readers')),
        backupRetention: Duration.hours(p('Hours')),
        alarms: { replicaLag: Duration.seconds(p('Lag')) },
      })).toThrow(/3 problems:\n {2}- `topology\.readers` must be known at synth[\s\S]*`backupRetention` is only known at deploy time, so it must be given in days: Duration\.days[\s\S]*`alarms\.replicaLag` is only known at deploy time, so it must be given in the unit of the metric: Duration\.millis\(parameter\.valueAsNumber\) for AuroraReplicaLag/);
      expect(() => new MultiAzDatabase(stack, 'Instance', { vpc, topology: instanceTopology(), alarms: { freeStorageSpace: Size.gibibytes(p('Free')) } }))
        .toThrow(/`alarms\.freeStorageSpace` is only known at deploy time, so it must be given in bytes: Size\.bytes/);
    });
  });

  describe('connections and grants', () => {
    test('without proxy, clients are let into the database\'s security group on its port', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: clusterTopology() });
      const client = new ec2.SecurityGroup(stack, 'Client', { vpc });

      // WHEN
      db.connections.allowDefaultPortFrom(client);

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
        FromPort: 5432,
      });
    });

    test('with proxy, clients are let into the proxy\'s security group on the proxy port, and granted on the proxy', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(), proxy: true, port: 3307 });
      const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });

      // WHEN
      db.connections.allowDefaultPortFrom(client);
      db.grantConnect(role, 'app');

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbProxyProxySecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
        FromPort: 3306,
        ToPort: 3306,
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Role') }],
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'rds-db:connect', Resource: { 'Fn::Join': ['', Match.arrayWith([':rds-db:us-west-2:111111111111:dbuser:'])] } })] },
      });
    });

    test('grantConnect without proxy goes to the instance or the Aurora cluster', () => {
      const { stack, vpc } = setup();
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
      new MultiAzDatabase(stack, 'Instance', { vpc, topology: instanceTopology() }).grantConnect(role, 'app');
      new MultiAzDatabase(stack, 'Aurora', { vpc, topology: auroraTopology() }).grantConnect(role, 'app');
      const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
      expect(statements).toHaveLength(2);
      expect(statements.every((s: any) => s.Action === 'rds-db:connect')).toBe(true);
    });
  });

  describe('report', () => {
    test('synth writes the path with its terms and RPO 0', () => {
      // GIVEN
      const app = testApp();
      const { vpc, stack } = setup(3, testStack(app));
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(3), rpo: Duration.seconds(0) });
      new MultiAzDatabase(stack, 'Orders', { vpc, topology: instanceTopology(POSTGRES) });

      // WHEN
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      expect(report.paths).toHaveLength(1);
      const [p] = report.paths;
      expect(p).toMatchObject({
        id: 'Stack/Orders#failover',
        constructPath: 'Stack/Orders',
        kind: 'multi-az-database',
        kindLabel: 'Multi-AZ database',
        name: 'Orders (Multi-AZ DB instance, postgres)',
        endpoints: [
          { role: 'primary', label: 'Orders writer', region: 'us-west-2', health: 'RDS automatic failover' },
          { role: 'secondary', label: 'synchronous standby in another Availability Zone (not readable)', region: 'us-west-2', health: 'RDS automatic failover' },
        ],
        rto: { bestSeconds: 60, worstSeconds: 130, objectiveSeconds: 180, met: true, dominantTerm: 'detection' },
        rpo: { worstSeconds: 0, objectiveSeconds: 0, met: true, applicable: true },
        warnings: [],
      });
      expect(p.terms.map((t: any) => [t.term, t.minSeconds, t.maxSeconds, t.assumption])).toEqual([
        ['detection', 60, 120, false],
        ['decision', 0, 0, false],
        ['propagation', 0, 5, true],
        ['clientCache', 0, 5, true],
        ['dataLoss', 0, 0, false],
      ]);
    });

    test('the names say the mode, the engine and the proxy', () => {
      const app = testApp();
      const { vpc, stack } = setup(3, testStack(app));
      new MultiAzDatabase(stack, 'Cluster', { vpc, topology: clusterTopology(), proxy: true });
      new MultiAzDatabase(stack, 'Aurora', { vpc, topology: auroraTopology(2) });
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
      expect(report.paths.map((p: any) => [p.name, p.endpoints[1].label, p.rto.worstSeconds])).toEqual([
        ['Cluster (Multi-AZ DB cluster, postgres, via RDS Proxy)', 'one of 2 readable standbys in other Availability Zones', 35],
        ['Aurora (Aurora, aurora-mysql)', 'one of 2 Aurora replica(s), promotion tier 1', 70],
      ]);
    });

    test('an RTO below the Multi-AZ DB instance failover fails synth, naming the failover and the faster modes', () => {
      const app = testApp();
      const { vpc, stack } = setup(3, testStack(app));
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.seconds(90) });
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });
      expect(() => app.synth()).toThrow(/Multi-AZ database of Db \(Multi-AZ DB instance, mysql\): modeled worst-case recovery time 2 min 10 s exceeds the RTO objective 1 min 30 s/);
      expect(() => app.synth({ force: true })).toThrow(/Fix: use a Multi-AZ DB cluster \(under 35 s\) or Aurora with replicas/);
    });
  });

  describe('warnings', () => {
    test('an environment-agnostic stack hides the zones: an acknowledgeable warning, also in the report', () => {
      // GIVEN
      const app = testApp();
      const { vpc, stack } = setup(3, new Stack(app, 'Stack'));

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Db',
        Match.stringLikeRegexp('only known at deploy time.*at least 2 zones.*Give the stack an `env`.*cdk-failover:az-count-unknown'));
      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;
      expect(p.warnings).toEqual([expect.stringMatching(/^The Availability Zones of the selected subnets are only known at deploy time/)]);
      expect(p.endpoints[0].region).toBeUndefined();
    });

    test('an imported topic keeps its policy: a warning says what it must allow', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-west-2:111111111111:ops');

      // WHEN
      const db = new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(), alarmTopic: topic });

      // THEN
      expect(db.alarmTopic).toBe(topic);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::RDS::EventSubscription', { SnsTopicArn: 'arn:aws:sns:us-west-2:111111111111:ops' });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-west-2:111111111111:ops'] });
      Annotations.fromStack(stack).hasWarning('/Stack/Db', Match.stringLikeRegexp('is imported.*events\\.rds\\.amazonaws\\.com.*cdk-failover:imported-alarm-topic'));
    });

    test('an imported topic: the warning says its KMS key must let RDS events use it', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const topic = sns.Topic.fromTopicAttributes(stack, 'Topic', {
        topicArn: 'arn:aws:sns:us-west-2:111111111111:ops',
        keyArn: 'arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555',
      });

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(), alarmTopic: topic });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Db', Match.stringLikeRegexp(
        'is imported.*if it is encrypted, its KMS key policy lets them use the key \\(kms:GenerateDataKey\\* and kms:Decrypt\\)\\. Otherwise RDS drops the events.*cdk-failover:imported-alarm-topic'));
    });

    test('a topic encrypted with a key of the app: the key policy lets RDS events and the alarms use the key', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const topic = new sns.Topic(stack, 'Topic', { masterKey: key });

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: auroraTopology(), alarmTopic: topic });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([{
            Sid: 'PublishToTheEncryptedTopic',
            Effect: 'Allow',
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.rds.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
          }]),
        },
      });
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test('a topic of the app encrypted with an imported key: a warning, acknowledgeable, says what the key policy needs', () => {
      // GIVEN
      const { stack, vpc } = setup();
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555');
      const topic = new sns.Topic(stack, 'Topic', { masterKey: key });

      // WHEN
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(), alarmTopic: topic });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: [Match.objectLike({ Sid: 'RdsFailoverEvents' }), Match.objectLike({ Sid: 'DatabaseAlarms' })] },
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Db', Match.stringLikeRegexp(
        '^The alarm topic Stack/Topic is encrypted with the imported KMS key arn:aws:kms:us-west-2:111111111111:key/11111111-2222-3333-4444-555555555555, '
        + 'whose policy cannot be changed here: .*events\\.rds\\.amazonaws\\.com.*kms:GenerateDataKey\\* and kms:Decrypt.*cdk-failover:imported-alarm-topic-key'));
    });

    test('an unencrypted topic of the app: no key statement and no warning', () => {
      const { stack, vpc } = setup();
      new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(), alarmTopic: new sns.Topic(stack, 'Topic') });
      Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });

    test('examples/multi-az: the alarm topic\'s key lets RDS events use it', () => {
      // GIVEN
      const app = testApp();

      // WHEN
      const { stack } = buildMultiAzExample(app);

      // THEN
      const template = Template.fromStack(stack);
      const keys = template.findResources('AWS::KMS::Key', { Properties: { Description: 'Encrypts the alarm topic' } });
      expect(Object.keys(keys)).toHaveLength(1);
      const statements = (Object.values(keys)[0] as any).Properties.KeyPolicy.Statement as any[];
      const uses = (service: string) => statements.filter((st) => [st.Principal?.Service].flat().includes(service)
        && ['kms:Decrypt', 'kms:GenerateDataKey*'].every((a) => [st.Action].flat().includes(a)));
      expect(uses('events.rds.amazonaws.com')).toHaveLength(1);
      expect(uses('cloudwatch.amazonaws.com')).not.toHaveLength(0);
    });

    test('a topic of the same app gets the publishing statements and no warning', () => {
      const { stack, vpc } = setup();
      const topic = new sns.Topic(stack, 'Topic');
      new MultiAzDatabase(stack, 'Db', { vpc, topology: auroraTopology(), alarmTopic: topic });
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: [Match.objectLike({ Sid: 'RdsFailoverEvents' }), Match.objectLike({ Sid: 'DatabaseAlarms' })] },
      });
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    test.each<[string, DatabaseTopology, boolean, string[]]>([
      ['Multi-AZ DB instance', instanceTopology(), false, ['Db/Instance/Resource: AwsSolutions-RDS11']],
      ['Multi-AZ DB instance with proxy', instanceTopology(POSTGRES), true, ['Db/Instance/Resource: AwsSolutions-RDS11']],
      ['Multi-AZ DB cluster with proxy', clusterTopology(), true, []],
      ['Aurora MySQL with proxy', auroraTopology(), true, ['Db/Cluster/Resource: AwsSolutions-RDS11', 'Db/Cluster/Resource: AwsSolutions-RDS14']],
      ['Aurora PostgreSQL', auroraTopology(1, AURORA_POSTGRES), false, []],
    ])('%s: only the justified findings remain', (_, topology, proxy, expected) => {
      // GIVEN
      const { app, stack, vpc } = setup();
      new MultiAzDatabase(stack, 'Db', { vpc, topology, proxy });

      // WHEN
      Aspects.of(app).add(new AwsSolutionsChecks());
      app.synth();

      // THEN
      const findings = stack.node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && String(m.data).startsWith('AwsSolutions-'))
        .map((m) => `${c.node.path.replace(/^Stack\//, '')}: ${String(m.data).split(':')[0]}`))
        .filter((f) => !f.startsWith('Vpc/'));
      expect(findings.sort()).toEqual(expected);
    });
  });

  describe('fails', () => {
    const otherRegionTopic = (s: Stack) => {
      const other = new Stack(s.node.root as App, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
      return new sns.Topic(other, 'Topic');
    };

    test('with a VPC of public subnets only and no vpcSubnets: the construct path, the prop and what to pass', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'PublicVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'web', subnetType: ec2.SubnetType.PUBLIC }] });
      expect(() => new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology() }))
        .toThrow(/^Stack\/Db: `vpcSubnets` is not given and Stack\/PublicVpc has no private or isolated subnets \(There are no 'Private' subnet groups in this VPC\. Available types: Public\)\. A database belongs in private or isolated subnets: add them to the VPC \(subnetConfiguration\), or pass `vpcSubnets`\./);
    });

    test.each<[string, (s: Stack) => Partial<MultiAzDatabaseProps>, RegExp, number?]>([
      ['with subnets in one zone', () => ({ topology: instanceTopology() }),
        /`vpcSubnets` spans 1 Availability Zone\(s\) \(dummy1a\), but a Multi-AZ DB instance keeps its standby in another Availability Zone\. Select subnets in at least 2 zones/, 1],
      ['with a Multi-AZ DB cluster in two zones', () => ({ topology: clusterTopology() }),
        /`vpcSubnets` spans 2 Availability Zone\(s\) \(dummy1a, dummy1b\), but a Multi-AZ DB cluster puts its writer and two readers in 3 different/, 2],
      ['with Aurora in one zone', () => ({ topology: auroraTopology() }), /`vpcSubnets` spans 1 Availability Zone\(s\).*Aurora needs a DB subnet group in at least 2/, 1],
      ['with a subnet type the VPC lacks', () => ({ topology: instanceTopology(), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
        /`vpcSubnets` selects no subnets of Stack\/Vpc \(There are no 'Public' subnet groups in this VPC\. Available types: Isolated[^)]*\)\. Select the VPC's private or isolated subnets\./],
      ['with MariaDB as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_10_11 })) }),
        /`topology\.engine` must be RDS for MySQL or RDS for PostgreSQL for a Multi-AZ DB cluster, got: mariadb\. MariaDB, Oracle, SQL Server and Db2 have no Multi-AZ DB clusters: use DatabaseTopology\.multiAzInstance\(\)/],
      ['with Oracle as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.oracleEe({ version: rds.OracleEngineVersion.VER_19 })) }),
        /must be RDS for MySQL or RDS for PostgreSQL for a Multi-AZ DB cluster, got: oracle-ee/],
      ['with SQL Server as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.sqlServerEe({ version: rds.SqlServerEngineVersion.VER_16 })) }),
        /got: sqlserver-ee/],
      ['with MySQL 8.0.27 as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_27 })) }),
        /`topology\.engine` version 8\.0\.27 of mysql has no Multi-AZ DB clusters: they need MySQL 8\.0\.28 or later, or 8\.4, got: 8\.0\.27/],
      ['with MySQL 5.7 as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_5_7 })) }),
        /version 5\.7 of mysql has no Multi-AZ DB clusters/],
      ['with PostgreSQL 13.5 as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_13_5 })) }),
        /version 13\.5 of postgres has no Multi-AZ DB clusters: they need PostgreSQL 13\.4, 13\.7 or later, 14\.5 or later, or 15 and later/],
      ['with PostgreSQL 14.4 as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_14_4 })) }),
        /version 14\.4 of postgres/],
      ['with PostgreSQL 12 as a Multi-AZ DB cluster', () => ({ topology: clusterTopology(rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_12 })) }),
        /version 12 of postgres/],
      ['with gp2 storage on a Multi-AZ DB cluster', () => ({ topology: DatabaseTopology.multiAzCluster({ engine: POSTGRES, storageType: rds.StorageType.GP2 }) }),
        /`topology\.storageType` must be IO1, IO2 or GP3 for a Multi-AZ DB cluster, got: gp2/],
      ['with 50 GiB of io1', () => ({ topology: DatabaseTopology.multiAzCluster({ engine: POSTGRES, allocatedStorage: 50, iops: 1000 }) }),
        /`topology\.allocatedStorage` must be an integer from 100 to 65536, got: 50\. io1 and io2 storage starts at 100 GiB/],
      ['with too few IOPS', () => ({ topology: DatabaseTopology.multiAzCluster({ engine: POSTGRES, iops: 500 }) }),
        /`topology\.iops` must be a whole number from 1000 to 5000 for 100 GiB \(0\.5 to 50 IOPS per GiB, at least 1,000\), got: 500/],
      ['with too many IOPS for the storage', () => ({ topology: DatabaseTopology.multiAzCluster({ engine: POSTGRES, iops: 6000 }) }),
        /`topology\.iops` must be a whole number from 1000 to 5000 for 100 GiB/],
      ['with SQL Server Express', () => ({ topology: instanceTopology(rds.DatabaseInstanceEngine.sqlServerEx({ version: rds.SqlServerEngineVersion.VER_16 })) }),
        /`topology\.engine` is SQL Server Express Edition, which has no Multi-AZ deployment/],
      ['with 10 GiB of storage', () => ({ topology: DatabaseTopology.multiAzInstance({ engine: MYSQL, allocatedStorage: 10 }) }),
        /`topology\.allocatedStorage` must be an integer from 20 to 65536, got: 10/],
      ['with 16 readers', () => ({ topology: auroraTopology(16) }), /`topology\.readers` must be an integer from 0 to 15, got: 16\. An Aurora cluster has one writer and up to 15 replicas/],
      ['with -1 reader', () => ({ topology: auroraTopology(-1) }), /`topology\.readers` must be an integer from 0 to 15, got: -1/],
      ['with 1.5 readers', () => ({ topology: auroraTopology(1.5) }), /`topology\.readers` must be an integer from 0 to 15, got: 1\.5/],
      ['with the Aurora MySQL 1 engine', () => ({ topology: DatabaseTopology.aurora({ engine: rds.DatabaseClusterEngine.AURORA }) }),
        /`topology\.engine` must be Aurora MySQL \(version 2 or later\) or Aurora PostgreSQL, got: aurora/],
      ['with no backups', () => ({ topology: instanceTopology(), backupRetention: Duration.days(0) }), /`backupRetention` must be whole days from 1 to 35, got: 0 days/],
      ['with 36 days of backups', () => ({ topology: auroraTopology(), backupRetention: Duration.days(36) }), /`backupRetention` must be whole days from 1 to 35, got: 36 days/],
      ['with backups of 36 hours', () => ({ topology: clusterTopology(), backupRetention: Duration.hours(36) }), /`backupRetention` must be whole days from 1 to 35, got: 1 day 12 hours/],
      ['with DESTROY on a protected database', () => ({ topology: instanceTopology(), removalPolicy: RemovalPolicy.DESTROY }),
        /`removalPolicy` is DESTROY but `deletionProtection` is on: CloudFormation cannot delete a protected database/],
      ['with port 80', () => ({ topology: instanceTopology(), port: 80 }), /`port` must be an integer from 1150 to 65535, got: 80/],
      ['with a database name on SQL Server', () => ({ topology: instanceTopology(rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16 })), databaseName: 'app' }),
        /`databaseName` is not supported by SQL Server, got: "app"/],
      ['with a database name starting with a digit', () => ({ topology: clusterTopology(), databaseName: '1app' }),
        /`databaseName` must start with a letter and hold up to 63 letters, digits or underscores, got: "1app"/],
      ['with a long Oracle database name', () => ({ topology: instanceTopology(rds.DatabaseInstanceEngine.oracleSe2({ version: rds.OracleEngineVersion.VER_19 })), databaseName: 'inventory' }),
        /`databaseName` must start with a letter and hold up to 8 letters, digits, got: "inventory"/],
      ['with a proxy for Oracle', () => ({ topology: instanceTopology(rds.DatabaseInstanceEngine.oracleSe2({ version: rds.OracleEngineVersion.VER_19 })), proxy: true }),
        /`proxy` is not available for oracle-se2: RDS Proxy supports MySQL, MariaDB, PostgreSQL and SQL Server/],
      ['with a CPU threshold of 0', () => ({ topology: instanceTopology(), alarms: { cpuUtilizationPercent: 0 } }), /`alarms\.cpuUtilizationPercent` must be a number from 1 to 100, got: 0/],
      ['with a CPU threshold of 150', () => ({ topology: instanceTopology(), alarms: { cpuUtilizationPercent: 150 } }), /`alarms\.cpuUtilizationPercent` must be a number from 1 to 100, got: 150/],
      ['with 0 connections', () => ({ topology: instanceTopology(), alarms: { maxConnections: 0 } }), /`alarms\.maxConnections` must be an integer from 1 to 1000000, got: 0/],
      ['with a free storage threshold on Aurora', () => ({ topology: auroraTopology(), alarms: { freeStorageSpace: Size.gibibytes(5) } }),
        /`alarms\.freeStorageSpace` does not apply to Aurora, whose storage grows by itself/],
      ['with a free storage threshold above the storage', () => ({ topology: instanceTopology(), alarms: { freeStorageSpace: Size.gibibytes(200) } }),
        /`alarms\.freeStorageSpace` must be above 0 and below the allocated storage \(100 GiB\), got: 200 GiB/],
      ['with a lag threshold on a Multi-AZ DB instance', () => ({ topology: instanceTopology(), alarms: { replicaLag: Duration.seconds(10) } }),
        /`alarms\.replicaLag` does not apply to a Multi-AZ DB instance: its standby is not readable/],
      ['with a lag threshold on Aurora without readers', () => ({ topology: auroraTopology(0), alarms: { replicaLag: Duration.seconds(10) } }),
        /`alarms\.replicaLag` needs at least one Aurora reader/],
      ['with a lag threshold of 0', () => ({ topology: clusterTopology(), alarms: { replicaLag: Duration.seconds(0) } }), /`alarms\.replicaLag` must be whole milliseconds above 0, got: 0 seconds/],
      ['with a lag threshold of Infinity', () => ({ topology: clusterTopology(), alarms: { replicaLag: Duration.seconds(Infinity) } }),
        /`alarms\.replicaLag` must be whole milliseconds above 0, got: Infinity\. The ReplicaLag alarm fires above it/],
      ['with a lag threshold of half a millisecond', () => ({ topology: clusterTopology(), alarms: { replicaLag: Duration.millis(0.5) } }),
        /`alarms\.replicaLag` must be whole milliseconds above 0, got: 0\.5 millis/],
      ['with NaN backups', () => ({ topology: instanceTopology(), backupRetention: Duration.days(NaN) }), /`backupRetention` must be whole days from 1 to 35, got: NaN\. Backups are/],
      ['with a NaN free storage threshold', () => ({ topology: instanceTopology(), alarms: { freeStorageSpace: Size.gibibytes(NaN) } }),
        /`alarms\.freeStorageSpace` must be whole bytes above 0, got: NaN bytes\. Give the free space that should page you/],
      ['with a free storage threshold of half a byte', () => ({ topology: instanceTopology(), alarms: { freeStorageSpace: Size.bytes(0.5) } }),
        /`alarms\.freeStorageSpace` must be whole bytes above 0, got: 0\.5 bytes/],
      ['with a topic in another region', (s) => ({ topology: instanceTopology(), alarmTopic: otherRegionTopic(s) }),
        /`alarmTopic` is East\/Topic in us-east-1, but this stack is in us-west-2: .* RDS events and CloudWatch alarms publish only to a topic in their own region/],
      ['with a topic imported by ARN from another region', (s) => ({ topology: instanceTopology(), alarmTopic: sns.Topic.fromTopicArn(s, 'Imported', 'arn:aws:sns:us-east-1:111111111111:alarms') }),
        /`alarmTopic` is Stack\/Imported, imported from us-east-1, but this stack is in us-west-2: .* RDS events and CloudWatch alarms publish only to a topic in their own region/],
    ])('%s', (_, override, message, azs = 3) => {
      // GIVEN
      const { stack, vpc } = setup(azs);

      // THEN
      expect(() => new MultiAzDatabase(stack, 'Db', { vpc, topology: instanceTopology(), ...override(stack) })).toThrow(message);
      // Nothing is created before the props are valid.
      expect(stack.node.findChild('Db').node.children).toEqual([]);
    });

    test('with a Multi-AZ DB cluster in an environment-agnostic stack: 2 subnets cannot span 3 zones', () => {
      const app = testApp();
      const { vpc, stack } = setup(3, new Stack(app, 'Stack'));
      expect(() => new MultiAzDatabase(stack, 'Db', { vpc, topology: clusterTopology() }))
        .toThrow(/`vpcSubnets` selects 2 subnet\(s\), so at most 2 Availability Zone\(s\), but a Multi-AZ DB cluster .* give the stack an `env` \(account and region\)/);
    });

    test('with several problems, listing them all in one error', () => {
      const { stack, vpc } = setup(1);
      expect(() => new MultiAzDatabase(stack, 'Db', {
        vpc,
        topology: auroraTopology(20),
        backupRetention: Duration.days(0),
        alarms: { cpuUtilizationPercent: 101 },
      })).toThrow(/^Stack\/Db: 4 problems:\n {2}- `vpcSubnets` spans 1[\s\S]*\n {2}- `topology\.readers`[\s\S]*\n {2}- `backupRetention`[\s\S]*\n {2}- `alarms\.cpuUtilizationPercent`/);
    });
  });

  describe('property: validation', () => {
    const readers = fc.oneof(fc.integer({ min: -3, max: 20 }), fc.constantFrom(0.5, 2.5), fc.constant(undefined));
    const retentionDays = fc.oneof(fc.integer({ min: -1, max: 40 }), fc.constant(undefined));
    const retentionHours = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(undefined));
    const cpu = fc.oneof(fc.double({ min: -10, max: 150, noNaN: true }), fc.integer({ min: 0, max: 101 }), fc.constant(undefined));

    test('valid readers, retention and CPU thresholds synthesize; invalid ones fail naming the prop', () => {
      fc.assert(fc.property(readers, retentionDays, retentionHours, cpu, (r, days, hours, c) => {
        // GIVEN
        const { stack, vpc } = setup();
        const backupRetention = hours !== undefined ? Duration.hours(hours) : days !== undefined && days >= 0 ? Duration.days(days) : undefined;
        const expected: string[] = [];
        if (r !== undefined && (!Number.isInteger(r) || r < 0 || r > 15)) {
          expected.push('topology.readers');
        }
        const retentionDaysValue = backupRetention ? backupRetention.toHours() / 24 : 7;
        if (!Number.isInteger(retentionDaysValue) || retentionDaysValue < 1 || retentionDaysValue > 35) {
          expected.push('backupRetention');
        }
        if (c !== undefined && !(c >= 1 && c <= 100)) {
          expected.push('alarms.cpuUtilizationPercent');
        }

        // WHEN
        let db: MultiAzDatabase | undefined;
        let error: Error | undefined;
        try {
          db = new MultiAzDatabase(stack, 'Db', { vpc, topology: auroraTopology(r), backupRetention, alarms: { cpuUtilizationPercent: c } });
        } catch (e) {
          error = e as Error;
        }

        // THEN
        if (expected.length === 0) {
          expect(error).toBeUndefined();
          const template = Template.fromStack(stack);
          template.resourceCountIs('AWS::RDS::DBInstance', 1 + (r ?? 1));
          template.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: retentionDaysValue });
          template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: c ?? 80 });
          expect(db!.estimate.rtoWorst!.toSeconds()).toEqual((r ?? 1) === 0 ? 610 : 70);
        } else {
          expect(error).not.toBeInstanceOf(TypeError);
          for (const prop of expected) {
            expect(error?.message).toContain(`\`${prop}\``);
          }
          expect(error?.message).toMatch(expected.length === 1 ? /^Stack\/Db: `/ : new RegExp(`^Stack/Db: ${expected.length} problems:`));
        }
      }), { numRuns: 60 });
    });
  });
});

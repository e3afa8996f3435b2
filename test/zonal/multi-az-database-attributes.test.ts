import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { DatabaseResourceType, DatabaseTopology, IMultiAzDatabase, MultiAzDatabase, MultiAzDatabaseAttributes } from '../../src';
import { testApp, testStack } from '../util';

const CLUSTER_ARN = 'arn:aws:rds:us-east-1:222222222222:cluster:orders';
const ATTRIBUTES: MultiAzDatabaseAttributes = {
  databaseArn: CLUSTER_ARN,
  databaseIdentifier: 'orders',
  resourceType: DatabaseResourceType.DB_CLUSTER,
  endpoint: 'orders.proxy-abc.us-east-1.rds.amazonaws.com',
  port: 5432,
};

function alarmOn(scope: Construct, metric: cloudwatch.IMetric): Template {
  new cloudwatch.Alarm(scope, 'Alarm', { metric, threshold: 1, evaluationPeriods: 1 });
  return Template.fromStack(Stack.of(scope));
}

function vpcStack(region = 'us-west-2') {
  const stack = testStack(testApp(), 'Stack', region);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc };
}

describe('MultiAzDatabase.fromMultiAzDatabaseAttributes', () => {
  test('a runbook in the recovery region addresses the primary region\'s database: its region and account come from the ARN', () => {
    // GIVEN
    const stack = testStack(testApp(), 'Recovery', 'us-west-2');

    // WHEN
    const database: IMultiAzDatabase = MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Orders', ATTRIBUTES);

    // THEN
    expect(database.env).toEqual({ account: '222222222222', region: 'us-east-1' });
    expect(database.stack.region).toEqual('us-west-2');
    expect(database.databaseArn).toEqual(CLUSTER_ARN);
    expect(database.databaseIdentifier).toEqual('orders');
    expect(database.resourceType).toEqual(DatabaseResourceType.DB_CLUSTER);
    expect(database.endpoint).toEqual('orders.proxy-abc.us-east-1.rds.amazonaws.com');
    expect(database.port).toEqual(5432);
    expect(database.connections.securityGroups).toEqual([]);
    Template.fromStack(stack).templateMatches({ Resources: Match.absent() });
  });

  test('its metrics are by cluster or by instance identifier', () => {
    // GIVEN
    const stack = testStack(testApp(), 'Primary', 'us-east-1');
    const cluster = MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Cluster', ATTRIBUTES);
    const instance = MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Instance', {
      ...ATTRIBUTES, databaseArn: 'arn:aws:rds:us-east-1:222222222222:db:billing', databaseIdentifier: 'billing', resourceType: DatabaseResourceType.DB_INSTANCE,
    });

    // THEN
    expect(stack.resolve(cluster.metric('AuroraReplicaLag').dimensions)).toEqual({ DBClusterIdentifier: 'orders' });
    const template = alarmOn(stack, instance.metric('CPUUtilization', { statistic: 'Maximum' }));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'billing' }],
      Statistic: 'Maximum',
      Period: 300,
    });
  });

  test('connections: the security groups clients must be allowed into, on the port', () => {
    // GIVEN
    const { stack, vpc } = vpcStack('us-east-1');
    const proxyGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'ProxyGroup', 'sg-12345678', { mutable: true });
    const database = MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Orders', { ...ATTRIBUTES, securityGroups: [proxyGroup] });
    const app = new ec2.SecurityGroup(stack, 'App', { vpc });

    // WHEN
    database.connections.allowDefaultPortFrom(app);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-12345678',
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'GroupId'] },
    });
  });

  test('an ARN known at deploy time is taken as it is', () => {
    const stack = testStack(testApp(), 'Primary', 'us-east-1');
    const arn = new CfnParameter(stack, 'DatabaseArn').valueAsString;
    const database = MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Orders', { ...ATTRIBUTES, databaseArn: arn });
    expect(stack.resolve(database.env.region)).toEqual({ 'Fn::Select': [3, { 'Fn::Split': [':', { Ref: 'DatabaseArn' }] }] });
  });

  test.each([
    ['a created Multi-AZ DB instance', DatabaseTopology.multiAzInstance({ engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 }) }),
      DatabaseResourceType.DB_INSTANCE, /^DbInstance/, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-west-2:111111111111:db:', { Ref: expect.stringMatching(/^DbInstance/) }]] }],
    ['a created Multi-AZ DB cluster', DatabaseTopology.multiAzCluster({ engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_3 }) }),
      DatabaseResourceType.DB_CLUSTER, /^DbCluster/, { 'Fn::GetAtt': [expect.stringMatching(/^DbCluster/), 'DBClusterArn'] }],
    ['a created Aurora cluster', DatabaseTopology.aurora({ engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }) }),
      DatabaseResourceType.DB_CLUSTER, /^DbCluster/, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-west-2:111111111111:cluster:', { Ref: expect.stringMatching(/^DbCluster/) }]] }],
  ])('%s has the same attributes', (_, topology, resourceType, logicalId, arn) => {
    // GIVEN
    const { stack, vpc } = vpcStack();

    // WHEN
    const database: IMultiAzDatabase = new MultiAzDatabase(stack, 'Db', { vpc, topology });

    // THEN
    expect(database.resourceType).toEqual(resourceType);
    expect(stack.resolve(database.databaseIdentifier)).toEqual({ Ref: expect.stringMatching(logicalId) });
    expect(stack.resolve(database.databaseArn)).toEqual(arn);
    expect(database.env).toEqual({ account: '111111111111', region: 'us-west-2' });
  });

  test.each([
    ['an instance ARN for a cluster', { databaseArn: 'arn:aws:rds:us-east-1:222222222222:db:orders' },
      '`databaseArn` must be the ARN of an RDS DB cluster (arn:aws:rds:<region>:<account>:cluster:<identifier>) for `resourceType` db-cluster, '
      + 'got: "arn:aws:rds:us-east-1:222222222222:db:orders".'],
    ['a cluster ARN for an instance', { resourceType: DatabaseResourceType.DB_INSTANCE },
      '`databaseArn` must be the ARN of an RDS DB instance (arn:aws:rds:<region>:<account>:db:<identifier>) for `resourceType` db-instance'],
    ['no ARN', { databaseArn: 'orders' }, '`databaseArn` must be the ARN of an RDS DB cluster'],
    ['another identifier', { databaseIdentifier: 'billing' }, '`databaseIdentifier` must be the identifier in `databaseArn` (orders), got: "billing".'],
    ['a port out of range', { port: 0 }, '`port` must be an integer from 1 to 65535, got: 0. Give the port clients connect to.'],
  ])('fails with %s', (_, change, message) => {
    const stack = testStack(testApp(), 'Recovery', 'us-west-2');
    expect(() => MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Orders', { ...ATTRIBUTES, ...change })).toThrow(`Recovery: ${message}`);
  });

  test('an identifier in other case is the same database: RDS identifiers are not case-sensitive', () => {
    const stack = testStack(testApp(), 'Recovery', 'us-west-2');
    expect(() => MultiAzDatabase.fromMultiAzDatabaseAttributes(stack, 'Orders', { ...ATTRIBUTES, databaseIdentifier: 'Orders' })).not.toThrow();
  });
});

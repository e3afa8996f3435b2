import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConnectivityScope, DrillFault, FaultOrder, FisExperiment, FisExperimentProps } from '../../src';
import { testApp, testStack } from '../util';

jest.setTimeout(60_000);

const REGION = 'us-west-2';
const ZONES = ['us-west-2a', 'us-west-2b', 'us-west-2c'];

/** A stack whose region's Availability Zones are known, as `cdk synth` would look them up. */
function zonedStack(): Stack {
  return testStack(testApp({ context: { [`availability-zones:account=111111111111:region=${REGION}`]: ZONES } }));
}

function alarm(stack: Stack, id = 'Errors'): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, {
    metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'ErrorRate' }), threshold: 5, evaluationPeriods: 1,
  });
}

function vpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function experiment(stack: Stack, props: Partial<FisExperimentProps> & Pick<FisExperimentProps, 'faults'>, id = 'Drill'): FisExperiment {
  return new FisExperiment(stack, id, { errorRateAlarm: (stack.node.tryFindChild('Errors') as cloudwatch.IAlarm | undefined) ?? alarm(stack), ...props });
}

function templateProps(stack: Stack): any {
  const [t] = Object.values(Template.fromStack(stack).findResources('AWS::FIS::ExperimentTemplate'));
  return t.Properties;
}

function policyStatements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^DrillRoleDefaultPolicy') } });
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

/** Every synthesized FIS template, as the `CreateExperimentTemplate` request it stands for, against botocore's model. */
function fisModelProblems(stacks: Stack[]): string[] {
  const properties = stacks.flatMap((s) => Object.values(Template.fromStack(s).findResources('AWS::FIS::ExperimentTemplate')).map((r: any) => r.Properties));
  const out = execFileSync('python3', [path.join(__dirname, '..', 'support', 'fis-model-check.py')], { input: JSON.stringify(properties), encoding: 'utf8' });
  return JSON.parse(out);
}

describe('FisExperiment', () => {
  describe('each fault', () => {
    test('Aurora cluster failover: aws:rds:failover-db-cluster on the cluster ARN, no parameters, role scoped to the cluster', () => {
      // GIVEN
      const stack = zonedStack();
      const v = vpc(stack);
      const cluster = new rds.DatabaseCluster(stack, 'Db', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.provisioned('Writer'),
        readers: [rds.ClusterInstance.provisioned('Reader')],
        vpc: v,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });

      // WHEN
      const drill = experiment(stack, { faults: [DrillFault.auroraClusterFailover({ cluster })] });

      // THEN
      const props = templateProps(stack);
      expect(props.Actions).toEqual({
        'fault1-rds-failover-db-cluster': {
          ActionId: 'aws:rds:failover-db-cluster', Description: 'Aurora cluster failover', Targets: { Clusters: 'fault1-clusters' },
        },
      });
      expect(props.Targets['fault1-clusters']).toEqual({
        ResourceType: 'aws:rds:cluster', SelectionMode: 'ALL', ResourceArns: [stack.resolve(cluster.clusterArn)],
      });
      expect(props.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [expect.stringMatching(/^Errors/), 'Arn'] } }]);
      expect(policyStatements(stack)).toEqual([
        { Action: 'rds:FailoverDBCluster', Effect: 'Allow', Resource: stack.resolve(cluster.clusterArn) },
        { Action: 'rds:DescribeDBClusters', Effect: 'Allow', Resource: stack.resolve(cluster.clusterArn) },
      ]);
      expect(drill.faultDuration.toSeconds()).toBe(0);
      expect(stack.resolve(drill.experimentTemplateId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Drill/), 'Id'] });
      expect(drill.node.defaultChild).toBe(drill.node.findChild('Resource'));
    });

    test('Aurora cluster failover by identifier: the ARN is built in the stack\'s account and region', () => {
      // GIVEN
      const stack = zonedStack();

      // WHEN
      experiment(stack, { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' })] });

      // THEN
      expect(stack.resolve(templateProps(stack).Targets['fault1-clusters'].ResourceArns)).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:${REGION}:111111111111:cluster:orders`]] },
      ]);
    });

    test('RDS instance reboot: aws:rds:reboot-db-instances with forceFailover, on the instance', () => {
      // GIVEN
      const stack = zonedStack();
      const instance = rds.DatabaseInstance.fromDatabaseInstanceAttributes(stack, 'Db', {
        instanceIdentifier: 'orders-db', instanceEndpointAddress: 'orders-db.example.com', port: 5432, securityGroups: [],
      });

      // WHEN
      experiment(stack, { faults: [DrillFault.rdsInstanceReboot({ instance, forceFailover: true })] });

      // THEN
      const props = templateProps(stack);
      expect(props.Actions['fault1-rds-reboot-db-instances']).toEqual({
        ActionId: 'aws:rds:reboot-db-instances',
        Description: 'RDS instance reboot with failover',
        Parameters: { forceFailover: 'true' },
        Targets: { DBInstances: 'fault1-dbinstances' },
      });
      expect(props.Targets['fault1-dbinstances'].ResourceType).toBe('aws:rds:db');
      expect(policyStatements(stack).map((s) => s.Action)).toEqual(['rds:RebootDBInstance', 'rds:DescribeDBInstances']);
    });

    test('AZ connectivity loss: aws:network:disrupt-connectivity on the zone\'s subnets, filtered by zone, for the duration', () => {
      // GIVEN
      const stack = zonedStack();
      const v = vpc(stack);
      const az = v.availabilityZones[0];

      // WHEN
      const drill = experiment(stack, {
        faults: [DrillFault.azConnectivityLoss({
          vpc: v, availabilityZone: az, duration: Duration.minutes(5), scope: ConnectivityScope.AVAILABILITY_ZONE,
        })],
      });

      // THEN
      const props = templateProps(stack);
      expect(props.Actions['fault1-network-disrupt-connectivity']).toEqual({
        ActionId: 'aws:network:disrupt-connectivity',
        Description: `loss of connectivity (availability-zone) of ${az}`,
        Parameters: { duration: 'PT5M', scope: 'availability-zone' },
        Targets: { Subnets: 'fault1-subnets' },
      });
      const zoneSubnets = [...v.publicSubnets, ...v.isolatedSubnets].filter((s) => s.availabilityZone === az);
      expect(zoneSubnets).toHaveLength(2);
      expect(props.Targets['fault1-subnets']).toEqual({
        ResourceType: 'aws:ec2:subnet',
        SelectionMode: 'ALL',
        ResourceArns: zoneSubnets.map((s) => stack.resolve(stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s.subnetId }))),
        Filters: [{ Path: 'AvailabilityZone', Values: [az] }],
      });
      const actions = policyStatements(stack).flatMap((s) => [s.Action].flat());
      expect(actions.sort()).toEqual([
        'ec2:CreateNetworkAcl', 'ec2:CreateNetworkAcl', 'ec2:CreateNetworkAclEntry', 'ec2:CreateTags', 'ec2:DeleteNetworkAcl',
        'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:GetManagedPrefixListEntries',
        'ec2:ReplaceNetworkAclAssociation',
      ]);
      expect(drill.faultDuration.toMinutes()).toBe(5);
    });

    test('S3 replication pause: aws:s3:bucket-pause-replication with region, destinations and prefixes', () => {
      // GIVEN
      const stack = zonedStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Source', 'orders-source');
      const replica = s3.Bucket.fromBucketName(stack, 'Replica', 'orders-replica');

      // WHEN
      experiment(stack, {
        faults: [DrillFault.s3ReplicationPause({ bucket, duration: Duration.minutes(30), region: 'us-east-1', destinationBuckets: [replica], prefixes: ['a/', 'b/'] })],
      });

      // THEN
      const props = templateProps(stack);
      expect(props.Actions['fault1-s3-bucket-pause-replication']).toEqual({
        ActionId: 'aws:s3:bucket-pause-replication',
        Description: 'pause of S3 replication to us-east-1',
        Parameters: { duration: 'PT30M', region: 'us-east-1', destinationBuckets: 'orders-replica', prefixes: 'a/,b/' },
        Targets: { Buckets: 'fault1-buckets' },
      });
      expect(stack.resolve(props.Targets['fault1-buckets'].ResourceArns)).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::orders-source']] },
      ]);
      expect(props.Targets['fault1-buckets'].ResourceType).toBe('aws:s3:bucket');
    });

    test('DynamoDB replication pause: aws:dynamodb:global-table-pause-replication on the table, role scoped to it', () => {
      // GIVEN
      const stack = zonedStack();
      const table = dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');

      // WHEN
      experiment(stack, { faults: [DrillFault.dynamoDbReplicationPause({ table, duration: Duration.hours(1) })] });

      // THEN
      const props = templateProps(stack);
      expect(props.Actions['fault1-dynamodb-global-table-pause-replication']).toMatchObject({
        ActionId: 'aws:dynamodb:global-table-pause-replication', Parameters: { duration: 'PT1H' }, Targets: { Tables: 'fault1-tables' },
      });
      expect(props.Targets['fault1-tables'].ResourceType).toBe('aws:dynamodb:global-table');
      expect(policyStatements(stack)).toEqual([{
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
        Effect: 'Allow',
        Resource: stack.resolve(table.tableArn),
      }]);
    });
  });

  describe('the experiment', () => {
    test('faults in sequence: each action starts after the previous one, the modeled duration is the sum', () => {
      // GIVEN
      const stack = zonedStack();
      const table = dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');

      // WHEN
      const drill = experiment(stack, {
        faults: [
          DrillFault.dynamoDbReplicationPause({ table, duration: Duration.minutes(10) }),
          DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' }),
          DrillFault.dynamoDbReplicationPause({ table, duration: Duration.minutes(5) }),
        ],
      });

      // THEN
      const actions = templateProps(stack).Actions;
      expect(Object.keys(actions)).toEqual(['fault1-dynamodb-global-table-pause-replication', 'fault2-rds-failover-db-cluster', 'fault3-dynamodb-global-table-pause-replication']);
      expect(actions['fault1-dynamodb-global-table-pause-replication'].StartAfter).toBeUndefined();
      expect(actions['fault2-rds-failover-db-cluster'].StartAfter).toEqual(['fault1-dynamodb-global-table-pause-replication']);
      expect(actions['fault3-dynamodb-global-table-pause-replication'].StartAfter).toEqual(['fault2-rds-failover-db-cluster']);
      expect(drill.faultDuration.toMinutes()).toBe(15);
      expect(drill.order).toBe(FaultOrder.SEQUENCE);
      expect(drill.faults).toHaveLength(3);
      expect(templateProps(stack).Description).toBe('Drill: pause of DynamoDB global table replication, then Aurora cluster failover, then pause of DynamoDB global table replication');
    });

    test('faults in parallel: no action waits, the modeled duration is the longest', () => {
      // GIVEN
      const stack = zonedStack();
      const table = dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');

      // WHEN
      const drill = experiment(stack, {
        order: FaultOrder.PARALLEL,
        faults: [
          DrillFault.dynamoDbReplicationPause({ table, duration: Duration.minutes(10) }),
          DrillFault.dynamoDbReplicationPause({ table, duration: Duration.minutes(25) }),
        ],
      });

      // THEN
      const actions: any[] = Object.values(templateProps(stack).Actions);
      expect(actions.map((a) => a.StartAfter)).toEqual([undefined, undefined]);
      expect(drill.faultDuration.toMinutes()).toBe(25);
    });

    test('stop conditions: the error-rate alarm and the others; `none` only when opted in', () => {
      // GIVEN
      const stack = zonedStack();
      const other = alarm(stack, 'Latency');

      // WHEN
      experiment(stack, { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'a' })], stopConditions: [other] });
      new FisExperiment(stack, 'Bare', { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'a' })], withoutStopConditions: true });

      // THEN
      const templates: any[] = Object.values(Template.fromStack(stack).findResources('AWS::FIS::ExperimentTemplate'));
      expect(templates[0].Properties.StopConditions.map((s: any) => s.Value['Fn::GetAtt'][0])).toEqual([
        expect.stringMatching(/^Errors/), expect.stringMatching(/^Latency/),
      ]);
      expect(templates[1].Properties.StopConditions).toEqual([{ Source: 'none' }]);
    });

    test('the role trusts FIS from this account only', () => {
      // GIVEN
      const stack = zonedStack();

      // WHEN
      experiment(stack, { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'a' })] });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'fis.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          }],
        },
      });
    });

    test('the experiment report: bucket and prefix, dashboards, pre/post durations, and the role may write the reports only', () => {
      // GIVEN
      const stack = zonedStack();
      const bucket = new s3.Bucket(stack, 'Reports');
      const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard');

      // WHEN
      experiment(stack, {
        faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'a' })],
        experimentReport: { bucket, prefix: 'drills', dashboards: [dashboard], preExperimentDuration: Duration.minutes(10), postExperimentDuration: Duration.minutes(20) },
        tags: { team: 'payments' },
      });

      // THEN
      const props = templateProps(stack);
      expect(props.ExperimentReportConfiguration).toEqual({
        Outputs: { ExperimentReportS3Configuration: { BucketName: { Ref: expect.stringMatching(/^Reports/) }, Prefix: 'drills' } },
        DataSources: { CloudWatchDashboards: [{ DashboardIdentifier: stack.resolve(dashboard.dashboardArn) }] },
        PreExperimentDuration: 'PT10M',
        PostExperimentDuration: 'PT20M',
      });
      expect(props.Tags).toEqual({ team: 'payments' });
      const statements = policyStatements(stack);
      expect(statements).toEqual(expect.arrayContaining([
        expect.objectContaining({ Action: expect.arrayContaining(['s3:PutObject']), Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Reports/), 'Arn'] }, '/drills/*']] } }),
        { Action: 'cloudwatch:GetDashboard', Effect: 'Allow', Resource: stack.resolve(dashboard.dashboardArn) },
        { Action: 'cloudwatch:GetMetricWidgetImage', Effect: 'Allow', Resource: '*' },
      ]));
    });

    test('grantRun lets a role start experiments from this template, follow and stop them', () => {
      // GIVEN
      const stack = zonedStack();
      const drill = experiment(stack, { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'a' })] });
      const runner = new iam.Role(stack, 'Runner', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });

      // WHEN
      drill.grantRun(runner);

      // THEN
      const [policy]: any[] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^RunnerDefaultPolicy') } }));
      const experiments = stack.resolve(stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }));
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Action: 'fis:StartExperiment', Effect: 'Allow', Resource: [stack.resolve(drill.experimentTemplateArn), experiments] },
        { Action: ['fis:GetExperiment', 'fis:StopExperiment'], Effect: 'Allow', Resource: experiments },
      ]);
      expect(stack.resolve(drill.experimentTemplateArn)).toEqual({
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, `:fis:${REGION}:111111111111:experiment-template/`, { 'Fn::GetAtt': [expect.stringMatching(/^Drill/), 'Id'] },
        ]],
      });
      expect(policy.Metadata.cdk_nag.rules_to_suppress).toEqual([expect.objectContaining({ id: 'AwsSolutions-IAM5' })]);
    });

    test('every wildcard of the role carries a cdk-nag acknowledgement', () => {
      // GIVEN
      const stack = zonedStack();

      // WHEN
      experiment(stack, { faults: [DrillFault.azConnectivityLoss({ vpc: vpc(stack), availabilityZone: 'us-west-2a', duration: Duration.minutes(1) })] });

      // THEN
      const [policy]: any[] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('^DrillRole') } }));
      expect(policy.Metadata.cdk_nag.rules_to_suppress).toEqual([expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: expect.arrayContaining(['Resource::*']) })]);
    });
  });

  describe('validation', () => {
    const cluster = () => DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' });

    test.each([
      ['no fault', { faults: [] }, /`faults` must hold 1 to 20 faults \(FIS's actions per experiment template\), got 0\. Split/],
      ['21 faults', { faults: Array.from({ length: 21 }, cluster) }, /`faults` must hold 1 to 20 faults .*got 21\./],
      ['11 faults in parallel', { faults: Array.from({ length: 11 }, cluster), order: FaultOrder.PARALLEL },
        /`faults` holds 11 faults with `order: FaultOrder.PARALLEL`; FIS runs at most 10 actions in parallel\. Use FaultOrder.SEQUENCE/],
      ['a description of 513 characters', { faults: [cluster()], description: 'x'.repeat(513) }, /`description` must be 1 to 512 characters, got 513/],
      ['51 tags', { faults: [cluster()], tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, /`tags` must hold at most 50 tags, got 51\./],
    ])('fails with %s', (_name, props, message) => {
      const stack = zonedStack();
      expect(() => experiment(stack, props as any)).toThrow(new RegExp(`^Stack/Drill: ${message.source}`));
    });

    test('fails with six stop conditions, naming the quota and the fix', () => {
      const stack = zonedStack();
      const alarms = Array.from({ length: 5 }, (_, i) => alarm(stack, `A${i}`));
      expect(() => experiment(stack, { faults: [cluster()], stopConditions: alarms }))
        .toThrow(/^Stack\/Drill: `errorRateAlarm` and `stopConditions` give 6 alarms; FIS takes at most 5 stop conditions per template \(not adjustable\)\. Combine alarms into a composite alarm\.$/);
    });

    test('fails without a stop condition unless opted in, and with both', () => {
      const stack = zonedStack();
      expect(() => new FisExperiment(stack, 'None', { faults: [cluster()] }))
        .toThrow(/^Stack\/None: no stop condition: give `errorRateAlarm` .* or set `withoutStopConditions: true` to run it with none\.$/);
      expect(() => new FisExperiment(stack, 'Both', { faults: [cluster()], errorRateAlarm: alarm(stack), withoutStopConditions: true }))
        .toThrow(/^Stack\/Both: `withoutStopConditions` is true, but 1 alarm\(s\) are given as stop conditions\. Remove the alarms or the flag\.$/);
    });

    test('fails when the faults in sequence last more than 12 hours', () => {
      const stack = zonedStack();
      const table = dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');
      const pause = () => DrillFault.dynamoDbReplicationPause({ table, duration: Duration.hours(7) });
      expect(() => experiment(stack, { faults: [pause(), pause()] }))
        .toThrow(/^Stack\/Drill: the faults last 14 hours in sequence; FIS runs an experiment for at most 12 hours\. Shorten/);
      expect(() => experiment(stack, { faults: [pause(), pause()], order: FaultOrder.PARALLEL }, 'Parallel')).not.toThrow();
    });

    test.each([
      ['neither cluster nor identifier', () => DrillFault.auroraClusterFailover({}), /`faults\[0\]` must give exactly one of `cluster` and `clusterIdentifier`, got neither\./],
      ['a bad identifier', () => DrillFault.auroraClusterFailover({ clusterIdentifier: '1orders' }), /`faults\[0\]\.clusterIdentifier` must be an RDS identifier .*got: "1orders"\./],
      ['an instance identifier ending in a hyphen', () => DrillFault.rdsInstanceReboot({ instanceIdentifier: 'db-' }), /`faults\[0\]\.instanceIdentifier` must be an RDS identifier/],
      ['a zero duration', (s: Stack) => DrillFault.dynamoDbReplicationPause({ table: dynamodb.TableV2.fromTableName(s, 'T', 't'), duration: Duration.seconds(0) }),
        /`faults\[0\]\.duration` must be whole seconds above 0 and at most 43200, got: 0 seconds\. FIS runs an experiment for at most 12 hours\./],
      ['a duration over 12 hours', (s: Stack) => DrillFault.dynamoDbReplicationPause({ table: dynamodb.TableV2.fromTableName(s, 'T', 't'), duration: Duration.hours(13) }),
        /`faults\[0\]\.duration` must be whole seconds above 0 and at most 43200, got: 13 hours\./],
      ['a Token duration', (s: Stack) => DrillFault.dynamoDbReplicationPause({ table: dynamodb.TableV2.fromTableName(s, 'T', 't'), duration: Duration.minutes(Lazy.number({ produce: () => 5 })) }),
        /`faults\[0\]\.duration` is a deploy-time Token, but the experiment's length \(at most 12 hours\) is checked at synth\./],
      ['a bad S3 destination region', (s: Stack) => DrillFault.s3ReplicationPause({ bucket: s3.Bucket.fromBucketName(s, 'B', 'bucket-b'), duration: Duration.minutes(5), region: 'useast1' }),
        /`faults\[0\]\.region` must be a region name such as "us-west-2", got: "useast1"\./],
      ['an S3 prefix with a comma', (s: Stack) => DrillFault.s3ReplicationPause({ bucket: s3.Bucket.fromBucketName(s, 'B', 'bucket-b'), duration: Duration.minutes(5), region: 'us-east-1', prefixes: ['a,b'] }),
        /`faults\[0\]\.prefixes\[0\]` must be a non-empty key prefix without commas/],
      ['a zone the VPC lacks', (s: Stack) => DrillFault.azConnectivityLoss({ vpc: vpc(s), availabilityZone: 'eu-west-1a', duration: Duration.minutes(5) }),
        /`faults\[0\]\.availabilityZone` must be one of the VPC's zones \(us-west-2a, us-west-2b, us-west-2c\), got: "eu-west-1a"\./],
      ['a table of another region', (s: Stack) => DrillFault.dynamoDbReplicationPause({
        table: dynamodb.TableV2.fromTableArn(s, 'T', 'arn:aws:dynamodb:us-east-1:111111111111:table/orders'), duration: Duration.minutes(5),
      }), /`faults\[0\]\.table` is Stack\/T, imported from us-east-1, but this stack is in us-west-2: .* FIS acts on the resources of the experiment's region: define the experiment in a stack of the target's region\./],
      ['a zone name that is none', (s: Stack) => DrillFault.azConnectivityLoss({ vpc: vpc(s), availabilityZone: 'zone a', duration: Duration.minutes(5) }),
        /`faults\[0\]\.availabilityZone` must be an Availability Zone name such as "us-east-1a", got: "zone a"\./],
    ])('fails with %s', (_name, fault, message) => {
      const stack = zonedStack();
      expect(() => experiment(stack, { faults: [fault(stack)] })).toThrow(new RegExp(`^Stack/Drill: ${message.source}`));
    });

    test('fails with more than 5 subnets in the zone, naming the FIS limit and the fix', () => {
      const stack = zonedStack();
      const v = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: Array.from({ length: 6 }, (_, i) => ({ name: `S${i}`, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 })) });
      const fault = DrillFault.azConnectivityLoss({ vpc: v, availabilityZone: v.availabilityZones[0], duration: Duration.minutes(5) });
      expect(() => experiment(stack, { faults: [fault] }))
        .toThrow(/^Stack\/Drill: `faults\[0\]\.subnets` selects 6 subnets in us-west-2a; FIS disrupts at most 5 per action\. Narrow `subnets`/);
    });

    test('fails with every problem at once', () => {
      const stack = zonedStack();
      expect(() => new FisExperiment(stack, 'Drill', { faults: [DrillFault.auroraClusterFailover({})], description: '' }))
        .toThrow(/^Stack\/Drill: 3 problems:\n {2}- no stop condition.*\n {2}- `description` must be 1 to 512.*\n {2}- `faults\[0\]` must give exactly one/);
    });

    test('fails with a bad report prefix or report duration', () => {
      const stack = zonedStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'R', 'reports');
      expect(() => experiment(stack, { faults: [cluster()], experimentReport: { bucket, prefix: 'a b', preExperimentDuration: Duration.millis(1500) } }))
        .toThrow(/`experimentReport\.prefix` must be 1 to 256 characters without whitespace, got: "a b"\.\n {2}- `experimentReport\.preExperimentDuration` must be whole seconds above 0/);
    });
  });

  describe('checked by AWS tools', () => {
    function everyFault(stack: Stack): void {
      const v = vpc(stack);
      const table = dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');
      const bucket = new s3.Bucket(stack, 'Reports');
      experiment(stack, {
        faults: [
          DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' }),
          DrillFault.rdsInstanceReboot({ instanceIdentifier: 'orders-db', forceFailover: true }),
          DrillFault.azConnectivityLoss({
            vpc: v, availabilityZone: v.availabilityZones[1], duration: Duration.minutes(5), scope: ConnectivityScope.S3,
          }),
          DrillFault.s3ReplicationPause({ bucket: s3.Bucket.fromBucketName(stack, 'Src', 'orders-source-bucket'), duration: Duration.minutes(5), region: 'us-east-1' }),
          DrillFault.dynamoDbReplicationPause({ table, duration: Duration.minutes(5) }),
        ],
        experimentReport: { bucket, dashboards: [new cloudwatch.Dashboard(stack, 'Dash')], preExperimentDuration: Duration.minutes(5) },
        tags: { drill: 'all' },
        stopConditions: [alarm(stack, 'Other')],
      }).grantRun(new iam.Role(stack, 'DrillRunner', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') }));
      experiment(stack, { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' })], withoutStopConditions: true, errorRateAlarm: undefined }, 'Bare');
    }

    test('the synthesized template is cfn-lint clean', () => {
      // GIVEN
      const stack = zonedStack();
      everyFault(stack);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fis-lint-'));
      const file = path.join(dir, 'fis.template.json');
      fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));

      // WHEN
      const lint = spawnSync('cfn-lint', ['--format', 'json', '--regions', REGION, '--', file], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });

      // THEN
      expect(lint.error).toBeUndefined();
      // W3010 (zone names written into the subnets) is aws-cdk-lib's Vpc with looked-up zones; none is the experiment's.
      const findings: any[] = JSON.parse(lint.stdout || '[]');
      expect(findings.filter((f) => f.Rule.Id !== 'W3010' || !/^Vpc/.test(f.Location.Path[1]))).toEqual([]);
    });

    test('cdk-nag (AwsSolutions) finds nothing open on the experiments', () => {
      // GIVEN
      const stack = zonedStack();
      everyFault(stack);
      Aspects.of(stack).add(new AwsSolutionsChecks());

      // WHEN
      (stack.node.root as any).synth();

      // THEN
      const open = stack.node.findAll().filter((c) => /^Stack\/(Drill|Bare|DrillRunner)\//.test(c.node.path)).flatMap((c) => c.node.metadata
        .filter((m) => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
    });

    test('each template is a valid CreateExperimentTemplate request for botocore\'s FIS model', () => {
      // GIVEN
      const stack = zonedStack();
      everyFault(stack);

      // WHEN
      const problems = fisModelProblems([stack]);

      // THEN
      expect(problems).toEqual([]);
    });

    test('the model check catches what FIS would refuse (so that it can fail)', () => {
      // GIVEN
      const stack = zonedStack();
      const drill = experiment(stack, { faults: [DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' })] });
      const cfn = drill.node.defaultChild as any;
      cfn.addPropertyOverride('Targets.fault1-clusters.ResourceArns', Array.from({ length: 6 }, (_, i) => `arn:aws:rds:us-west-2:111111111111:cluster:c${i}`));
      cfn.addPropertyOverride('Actions.fault1-rds-failover-db-cluster.Bogus', 'x');

      // WHEN
      const problems = fisModelProblems([stack]);

      // THEN
      expect(problems).toEqual([
        expect.stringMatching(/^Properties\.Actions\.fault1-rds-failover-db-cluster\.Bogus: no such member of CreateExperimentTemplateActionInput/),
        "Properties.Targets.fault1-clusters.ResourceArns: length 6 is above the model's max 5 (ResourceArnList)",
      ]);
    });
  });
});

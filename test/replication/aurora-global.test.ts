import * as path from 'path';
import { App, Duration, Lazy, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseTopology, ManagedRpo, MultiAzDatabase, RecoveryAssumptions, RecoveryObjectives, RecoveryPathKind } from '../../src';
import { AuroraGlobalPrimaryOptions, AuroraGlobalSecondaryOptions } from '../../src/replication/aurora-global';
import { readJson, testApp, testStack } from '../util';

const AURORA_POSTGRES = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
const AURORA_MYSQL = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 });
const GLOBAL_ID = 'orders-global';

function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

function primary(stack: Stack, options: Partial<AuroraGlobalPrimaryOptions> = {}, id = 'Orders'): MultiAzDatabase {
  return new MultiAzDatabase(stack, id, {
    vpc: (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? vpcIn(stack),
    topology: DatabaseTopology.auroraGlobalPrimary({ engine: AURORA_POSTGRES, globalClusterIdentifier: GLOBAL_ID, secretReplicaRegions: ['us-west-2', 'eu-west-1'], ...options }),
  });
}

function secondary(stack: Stack, options: Partial<AuroraGlobalSecondaryOptions> = {}, id = 'Orders', extra: object = {}): MultiAzDatabase {
  return new MultiAzDatabase(stack, id, {
    vpc: (stack.node.tryFindChild('Vpc') as ec2.Vpc | undefined) ?? vpcIn(stack),
    topology: DatabaseTopology.auroraGlobalSecondary({
      engine: AURORA_POSTGRES,
      globalClusterIdentifier: GLOBAL_ID,
      primaryRegion: 'us-east-1',
      ...options,
    }),
    ...extra,
  });
}

/** A primary stack in us-east-1 and a secondary stack in us-west-2 of one app. */
function twoRegions(app: App = testApp()) {
  const primaryStack = testStack(app, 'Primary', 'us-east-1');
  const secondaryStack = testStack(app, 'Secondary', 'us-west-2');
  return { app, primaryStack, secondaryStack };
}

describe('Aurora global database', () => {
  describe('two regions', () => {
    test('the primary and the secondary synthesize in their regions, joined by name: no export, no cross-region reference', () => {
      // GIVEN
      const { app, primaryStack, secondaryStack } = twoRegions();

      // WHEN
      const p = primary(primaryStack, { secretReplicaRegions: ['us-west-2'] });
      secondary(secondaryStack);
      const assembly = app.synth();

      // THEN
      for (const stack of [primaryStack, secondaryStack]) {
        const text = JSON.stringify(assembly.getStackByName(stack.stackName).template);
        expect(text).not.toContain('Fn::ImportValue');
        expect(text).not.toMatch(/ExportsReader|CrossRegion/);
        expect(stack.node.tryGetContext('@aws-cdk/core:crossRegionReferences')).toBeUndefined();
      }
      // An ordering for `cdk deploy --all`, not a reference.
      expect(secondaryStack.dependencies).toEqual([primaryStack]);
      const global = Template.fromStack(primaryStack);
      global.hasResource('AWS::RDS::GlobalCluster', {
        Properties: {
          GlobalClusterIdentifier: GLOBAL_ID,
          SourceDBClusterIdentifier: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111111111111:cluster:', { Ref: Match.stringLikeRegexp('^OrdersCluster') }]],
          },
          DeletionProtection: true,
          Engine: Match.absent(),
          EngineVersion: Match.absent(),
          StorageEncrypted: Match.absent(),
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(p.globalCluster).toBeDefined();
      expect(primaryStack.resolve(p.globalCluster!.attrGlobalEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersGlobalCluster/), 'GlobalEndpoint'] });
    });

    test('the primary: encrypted with its own key, protected, a generated secret by name replicated to the secondary region', () => {
      // GIVEN
      const { primaryStack } = twoRegions();

      // WHEN
      primary(primaryStack, { secretReplicaRegions: ['us-west-2'] });

      // THEN
      const template = Template.fromStack(primaryStack);
      template.hasResource('AWS::RDS::DBCluster', {
        Properties: {
          Engine: 'aurora-postgresql',
          EngineVersion: '16.4',
          StorageEncrypted: true,
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersStorageKey'), 'Arn'] },
          DeletionProtection: true,
          MasterUsername: 'postgres',
          // RDS cannot manage the password of a global database cluster.
          ManageMasterUserPassword: Match.absent(),
          MasterUserPassword: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])] },
          GlobalClusterIdentifier: Match.absent(),
        },
        DeletionPolicy: 'Snapshot',
      });
      template.resourceCountIs('AWS::RDS::DBInstance', 2);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('global database primary') });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'orders-global/master',
        ReplicaRegions: [{ Region: 'us-west-2' }],
      });
    });

    test('the secondary has no credentials of its own: no master user, no password, no secret ("Invalid master password")', () => {
      // GIVEN
      const { secondaryStack } = twoRegions();

      // WHEN
      const db = secondary(secondaryStack, { readers: 2 });

      // THEN
      const template = Template.fromStack(secondaryStack);
      const [cluster] = Object.values(template.findResources('AWS::RDS::DBCluster'));
      expect(cluster.Properties).toMatchObject({ GlobalClusterIdentifier: GLOBAL_ID, Engine: 'aurora-postgresql', EngineVersion: '16.4', StorageEncrypted: true });
      expect(Object.keys(cluster.Properties)).not.toEqual(expect.arrayContaining(['MasterUsername']));
      for (const key of ['MasterUsername', 'MasterUserPassword', 'ManageMasterUserPassword', 'MasterUserSecret', 'DatabaseName']) {
        expect(cluster.Properties[key]).toBeUndefined();
      }
      expect(cluster.DeletionPolicy).toEqual('Snapshot');
      expect(cluster.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersStorageKey/), 'Arn'] });
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      template.resourceCountIs('AWS::RDS::DBInstance', 3);
      template.resourceCountIs('AWS::RDS::GlobalCluster', 0);
      template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
      // The primary's secret, replicated into this region, by name.
      expect(secondaryStack.resolve(db.secret.secretArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-west-2:111111111111:secret:orders-global/master']],
      });
      expect(db.secret.secretName).toEqual('orders-global/master');
      expect(db.globalCluster).toBeUndefined();
    });

    test('each region keeps the Multi-AZ guarantees: replicas in other zones, the in-region failover path, failover events', () => {
      // GIVEN
      const { app, primaryStack, secondaryStack } = twoRegions();

      // WHEN
      const p = primary(primaryStack);
      const s = secondary(secondaryStack);

      // THEN
      for (const stack of [primaryStack, secondaryStack]) {
        const template = Template.fromStack(stack);
        const zones = Object.values(template.findResources('AWS::RDS::DBInstance')).map((i) => i.Properties.AvailabilityZone);
        expect(new Set(zones).size).toEqual(2);
        template.hasResourceProperties('AWS::RDS::EventSubscription', { SourceType: 'db-cluster', EventCategories: ['failover'] });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLag' });
      }
      expect(p.recoveryPaths().map((x) => x.id)).toEqual(['failover']);
      expect(s.recoveryPaths().map((x) => [x.id, x.kind.id])).toEqual([
        ['failover', 'multi-az-database'],
        ['global-switchover', 'database-switchover'],
        ['global-failover', 'database-failover'],
      ]);
      expect(app).toBeDefined();
    });

    test('a headless secondary: the cluster with no instance; its paths first create one', () => {
      // GIVEN
      const { secondaryStack } = twoRegions();

      // WHEN
      const db = secondary(secondaryStack, { headless: true });

      // THEN
      const template = Template.fromStack(secondaryStack);
      template.resourceCountIs('AWS::RDS::DBCluster', 1);
      template.resourceCountIs('AWS::RDS::DBInstance', 0);
      template.hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: GLOBAL_ID, MasterUsername: Match.absent() });
      const [inRegion, switchover, failover] = db.recoveryPaths();
      expect(inRegion.endpoints[1].label).toEqual('no DB instance (headless): Aurora must create one');
      expect(switchover.endpoints[1]).toMatchObject({ label: 'Orders secondary cluster (headless)', role: 'standby' });
      for (const p of [switchover, failover]) {
        expect(p.estimate.terms.map((t) => t.id)).toEqual(expect.arrayContaining(['aurora-global-first-instance']));
        expect(p.estimate.rtoWorst!.toSeconds()).toEqual(600 + 600 + 300 + 5 + 5);
      }
    });

    test('the time to add the first instance of a headless secondary is a named assumption a drill can replace', () => {
      // GIVEN
      const { secondaryStack } = twoRegions();

      // WHEN
      const db = secondary(secondaryStack, { headless: true }, 'Orders', { assumptions: { headlessInstanceCreation: Duration.minutes(2) } });

      // THEN
      const failover = db.recoveryPaths()[2];
      const term = failover.estimate.terms.find((t) => t.id === 'aurora-global-first-instance')!;
      expect([term.max.toSeconds(), term.assumption]).toEqual([120, false]);
      expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(600 + 120 + 300 + 5 + 5);
    });

    test('removalPolicy DESTROY (with deletionProtection off) also lets the global cluster go', () => {
      const { primaryStack } = twoRegions();
      new MultiAzDatabase(primaryStack, 'Orders', {
        vpc: vpcIn(primaryStack),
        topology: DatabaseTopology.auroraGlobalPrimary({ engine: AURORA_POSTGRES, globalClusterIdentifier: GLOBAL_ID }),
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
      });
      Template.fromStack(primaryStack).hasResource('AWS::RDS::GlobalCluster', {
        Properties: { DeletionProtection: false },
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('managed RPO', () => {
    test('ManagedRpo.of() sets rds.global_db_rpo in the primary cluster parameter group', () => {
      // GIVEN
      const { primaryStack } = twoRegions();

      // WHEN
      primary(primaryStack, { managedRpo: ManagedRpo.of(Duration.minutes(1)) });

      // THEN
      const template = Template.fromStack(primaryStack);
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql16',
        Parameters: { 'rds.global_db_rpo': '60' },
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^OrdersClusterParameterGroup') } });
    });

    test('ManagedRpo.fromObjectives() takes the nearest RPO, rounded down to whole seconds', () => {
      // GIVEN
      const { app, primaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30), rpo: Duration.millis(45_900) });

      // WHEN
      primary(primaryStack, { managedRpo: ManagedRpo.fromObjectives() });

      // THEN
      Template.fromStack(primaryStack).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '45' } });
    });

    test('without a managed RPO no parameter group is created', () => {
      const { primaryStack } = twoRegions();
      primary(primaryStack);
      Template.fromStack(primaryStack).resourceCountIs('AWS::RDS::DBClusterParameterGroup', 0);
    });
  });

  describe('lag alarm', () => {
    test('AuroraGlobalDBRPOLag of the secondary against the RPO objective, in ms, to the alarm topic', () => {
      // GIVEN
      const { app, secondaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30), rpo: Duration.seconds(30) });

      // WHEN
      const db = secondary(secondaryStack);

      // THEN
      const template = Template.fromStack(secondaryStack);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 30_000,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        TreatMissingData: 'missing',
        AlarmDescription: Match.stringLikeRegexp('^Secondary/Orders: AuroraGlobalDBRPOLag of the global database secondary above 30 seconds'),
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OrdersAlarmTopic') }],
        Metrics: [{
          Id: 'expr_1',
          Label: 'AuroraGlobalDBRPOLag',
          Period: 60,
          Expression: {
            'Fn::Join': ['', [
              'SELECT MAX(AuroraGlobalDBRPOLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = \'',
              { Ref: Match.stringLikeRegexp('^OrdersCluster') },
              '\'',
            ]],
          },
        }],
      });
      expect(db.alarms.map((a) => a.node.id)).toEqual(['Cpu', 'ReplicaLag', 'GlobalLag']);
      // The topic policy lets the lag alarm publish too.
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Sid: 'DatabaseAlarms',
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersAlarmsGlobalLag'), 'Arn'] }]) } }),
          })]),
        },
      });
    });

    test('without objectives the threshold is the managed RPO of the primary in the app, else the lag assumption', () => {
      // GIVEN
      const { primaryStack, secondaryStack } = twoRegions();
      primary(primaryStack, { managedRpo: ManagedRpo.of(Duration.seconds(90)) });
      const other = testStack(secondaryStack.node.root as App, 'Other', 'eu-west-1');

      // WHEN
      secondary(secondaryStack);
      secondary(other, { globalClusterIdentifier: 'elsewhere' });

      // THEN
      Template.fromStack(secondaryStack).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 90_000, Metrics: Match.anyValue() });
      Template.fromStack(other).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 10_000, Metrics: Match.anyValue() });
    });

    test('two stages with the same global cluster name: each secondary sees the primary of its own stage', () => {
      // GIVEN: beta bounds its RPO at 60 s, prod declares no managed RPO
      const app = testApp();
      const [beta, prod] = ['Beta', 'Prod'].map((name) => new Stage(app, name));
      const stacks = (stage: Stage) => [
        new Stack(stage, 'Primary', { env: { account: '111111111111', region: 'us-east-1' } }),
        new Stack(stage, 'Secondary', { env: { account: '111111111111', region: 'us-west-2' } }),
      ];
      const [betaPrimary, betaSecondary] = stacks(beta);
      const [prodPrimary, prodSecondary] = stacks(prod);
      primary(betaPrimary, { managedRpo: ManagedRpo.of(Duration.seconds(60)) });
      primary(prodPrimary);

      // WHEN
      secondary(betaSecondary);
      const prodDb = secondary(prodSecondary);

      // THEN: prod's failover path loses its own assumed lag, not beta's bound; each stage orders its own stacks
      const failover = prodDb.recoveryPaths().find((p) => p.kind === RecoveryPathKind.DATABASE_FAILOVER)!;
      expect(failover.estimate.rpoWorst!.toSeconds()).toEqual(10);
      expect(prodSecondary.dependencies).toEqual([prodPrimary]);
      expect(betaSecondary.dependencies).toEqual([betaPrimary]);
      Template.fromStack(prodSecondary).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 10_000, Metrics: Match.anyValue() });
    });

    test('rpoLagAlarmThreshold wins; Aurora MySQL version 2 watches AuroraGlobalDBReplicationLag', () => {
      const { secondaryStack } = twoRegions();
      const mysql2 = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_12_1 });
      secondary(secondaryStack, { engine: mysql2, rpoLagAlarmThreshold: Duration.millis(2500) });
      Template.fromStack(secondaryStack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 2500,
        Metrics: [Match.objectLike({ Label: 'AuroraGlobalDBReplicationLag' })],
      });
    });
  });

  describe('report', () => {
    test('the secondary reports the switchover (RPO 0) and the failover (RPO = the managed RPO) with their terms', () => {
      // GIVEN
      const { app, primaryStack, secondaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(20), rpo: Duration.minutes(1) });
      primary(primaryStack, { managedRpo: ManagedRpo.fromObjectives() });
      secondary(secondaryStack);

      // WHEN
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      const paths = report.paths.filter((p: any) => p.constructPath === 'Secondary/Orders');
      expect(paths.map((p: any) => p.id)).toEqual(['Secondary/Orders#failover', 'Secondary/Orders#global-switchover', 'Secondary/Orders#global-failover']);
      const [, switchover, failover] = paths;
      expect(switchover).toMatchObject({
        kind: 'database-switchover',
        name: 'Orders (Aurora global database orders-global, us-east-1 to us-west-2, planned switchover)',
        endpoints: [
          { role: 'primary', label: 'orders-global primary cluster', region: 'us-east-1' },
          { role: 'secondary', label: 'Orders secondary cluster', region: 'us-west-2', health: 'AuroraGlobalDBRPOLag alarm' },
        ],
        rto: { worstSeconds: 910, objectiveSeconds: 1200, met: true, dominantTerm: 'decision' },
        rpo: { worstSeconds: 0, objectiveSeconds: 60, met: true, applicable: true },
      });
      expect(failover).toMatchObject({
        kind: 'database-failover',
        rto: { worstSeconds: 910, met: true },
        rpo: { worstSeconds: 60, objectiveSeconds: 60, met: true, applicable: true },
        warnings: [],
      });
      expect(failover.terms.map((t: any) => [t.id, t.term, t.maxSeconds, t.assumption])).toEqual([
        ['aurora-global-decision', 'decision', 600, true],
        ['aurora-global-failover', 'promote', 300, true],
        ['aurora-global-endpoint-dns', 'propagation', 5, true],
        ['client-dns-cache', 'clientCache', 5, true],
        ['aurora-global-lag', 'replicationLag', 60, false],
      ]);
    });

    test('without a managed RPO the failover loses the assumed lag, which assumptions can replace', () => {
      // GIVEN
      const { app, secondaryStack } = twoRegions();
      new RecoveryAssumptions(app, 'Assumptions', { values: { operatorResponse: Duration.minutes(2) } });

      // WHEN
      secondary(secondaryStack, { engine: AURORA_MYSQL }, 'Orders', { assumptions: { auroraGlobalLag: Duration.seconds(3), globalDatabaseFailover: Duration.seconds(90) } });
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      const failover = report.paths.find((p: any) => p.id === 'Secondary/Orders#global-failover');
      expect(failover.rpo.worstSeconds).toEqual(3);
      expect(failover.rto.worstSeconds).toEqual(120 + 90 + 5 + 5);
      expect(failover.terms.find((t: any) => t.id === 'aurora-global-lag')).toMatchObject({ maxSeconds: 3, assumption: false });
    });

    test('a managed RPO bounds only the least-lagging of several secondaries: a warning says so', () => {
      const app = testApp();
      primary(testStack(app, 'Primary', 'us-east-1'), { managedRpo: ManagedRpo.of(Duration.seconds(30)) });
      const west = secondary(testStack(app, 'West', 'us-west-2'));
      secondary(testStack(app, 'Europe', 'eu-west-1'));
      const failover = west.recoveryPaths().find((p) => p.id === 'global-failover')!;
      expect(failover.warnings).toEqual([expect.stringMatching(/least-lagging secondary of orders-global/)]);
    });

    test('an RPO below the lag fails synth, naming the failover and the dominant term', () => {
      // GIVEN
      const { app, secondaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(20), rpo: Duration.seconds(5) });

      // WHEN
      secondary(secondaryStack);

      // THEN
      expect(() => app.synth()).toThrow(/cross-region database failover of Orders \(Aurora global database orders-global, us-east-1 to us-west-2, failover with data loss\): modeled worst-case data loss 10 s exceeds the RPO objective 5 s/);
      expect(() => app.synth({ force: true })).toThrow(/Dominant term: replication lag up to 10 s .*Fix: bound the lag with a managed RPO/);
    });

    test('an RTO below the operator response fails synth naming the decision', () => {
      const { app, secondaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
      secondary(secondaryStack);
      expect(() => app.synth()).toThrow(/database switchover of Orders .*Dominant term: decision up to 10 min/);
    });
  });

  describe('validation', () => {
    test('fails with a managed RPO on Aurora MySQL', () => {
      const { primaryStack } = twoRegions();
      expect(() => primary(primaryStack, { engine: AURORA_MYSQL, managedRpo: ManagedRpo.of(Duration.seconds(60)) }))
        .toThrow(/^Primary\/Orders: `topology.managedRpo` is only available for Aurora PostgreSQL \(the parameter rds.global_db_rpo\), got engine aurora-mysql/);
    });

    test.each([
      [Duration.seconds(19), 'got: 19 seconds'],
      [Duration.millis(20_500), 'got: 20 seconds 500 millis'],
      [Duration.seconds(2_147_483_648), 'got: 24855 days 3 hours'],
    ])('fails with a managed RPO of %s', (rpo, got) => {
      const { primaryStack } = twoRegions();
      expect(() => primary(primaryStack, { managedRpo: ManagedRpo.of(rpo) }))
        .toThrow(`Primary/Orders: \`topology.managedRpo\` must be whole seconds from 20 to 2147483647, ${got}.`);
    });

    test('fails with a deploy-time managed RPO or primaryRegion', () => {
      const { primaryStack, secondaryStack } = twoRegions();
      expect(() => primary(primaryStack, { managedRpo: ManagedRpo.of(Duration.seconds(Lazy.number({ produce: () => 60 }))) }))
        .toThrow(/`topology.managedRpo` is a deploy-time Token, but it is written into the parameter group and the recovery model/);
      expect(() => secondary(secondaryStack, { primaryRegion: Lazy.string({ produce: () => 'us-east-1' }) }))
        .toThrow(/`topology.primaryRegion` is a deploy-time Token, but the recovery paths name it at synth/);
    });

    test('fails with ManagedRpo.fromObjectives() and no RPO objective', () => {
      const { app, primaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
      expect(() => primary(primaryStack, { managedRpo: ManagedRpo.fromObjectives() }))
        .toThrow(/`topology.managedRpo` is ManagedRpo.fromObjectives\(\), but no RecoveryObjectives with an `rpo` is declared/);
    });

    test('fails with ManagedRpo.fromObjectives() and an RPO objective below 20 s', () => {
      const { app, primaryStack } = twoRegions();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.seconds(10) });
      expect(() => primary(primaryStack, { managedRpo: ManagedRpo.fromObjectives() }))
        .toThrow(/the RPO objective at Objectives is 10 seconds, below the 20 s that rds.global_db_rpo accepts/);
    });

    test.each(['', '1orders', 'orders--global', 'orders-', 'orders_global', 'a'.repeat(64)])('fails with globalClusterIdentifier %j', (id) => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { globalClusterIdentifier: id }))
        .toThrow(`Secondary/Orders: \`topology.globalClusterIdentifier\` must be 1 to 63 letters, digits or hyphens, starting with a letter, with no two hyphens in a row and no hyphen at the end, got: ${JSON.stringify(id)}.`);
    });

    test('fails with a deploy-time globalClusterIdentifier', () => {
      const { primaryStack } = twoRegions();
      expect(() => primary(primaryStack, { globalClusterIdentifier: Lazy.string({ produce: () => 'x' }) }))
        .toThrow(/`topology.globalClusterIdentifier` is a deploy-time Token, but the secondaries in other regions' stacks join the global database by this name/);
    });

    test('fails with the secondary in the primary region, or a primaryRegion that is no region', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { primaryRegion: 'us-west-2' }))
        .toThrow(/`topology.primaryRegion` is "us-west-2", this stack's own region/);
      expect(() => secondary(secondaryStack, { primaryRegion: 'virginia' }, 'Other'))
        .toThrow(/`topology.primaryRegion` must be an AWS region name, got: "virginia"/);
    });

    test('fails with readers on a headless secondary', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { headless: true, readers: 1 }))
        .toThrow(/`topology.readers` is 1, but `topology.headless` is true: a headless secondary has no DB instance/);
    });

    test('fails with a databaseName on the secondary', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, {}, 'Orders', { databaseName: 'orders' }))
        .toThrow(/`databaseName` is "orders", but a secondary cluster of a global database takes its databases from the primary/);
    });

    test('fails with secret replica regions that are no region, the primary region, or twice', () => {
      const { primaryStack } = twoRegions();
      expect(() => primary(primaryStack, { secretReplicaRegions: ['west', 'us-east-1', 'us-west-2', 'us-west-2'] })).toThrow(
        'Primary/Orders: 3 problems:\n'
        + '  - `topology.secretReplicaRegions` must hold AWS region names, got: "west". Give the regions of the secondaries, e.g. ["us-west-2"].\n'
        + '  - `topology.secretReplicaRegions` holds "us-east-1", the primary\'s own region, where the secret already is. Remove it.\n'
        + '  - `topology.secretReplicaRegions` holds "us-west-2" twice. Give each region once.');
    });

    test('fails with a storage key of another region', () => {
      const { primaryStack, secondaryStack } = twoRegions();
      const key = new kms.Key(primaryStack, 'Key');
      expect(() => secondary(secondaryStack, { storageEncryptionKey: key }))
        .toThrow(/`topology.storageEncryptionKey` is Primary\/Key in us-east-1, but this stack is in us-west-2/);
      const imported = kms.Key.fromKeyArn(secondaryStack, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555');
      expect(() => secondary(secondaryStack, { storageEncryptionKey: imported }, 'Other'))
        .toThrow(/`topology.storageEncryptionKey` is Secondary\/Imported, imported from eu-west-1/);
    });

    test('fails with an rpoLagAlarmThreshold of zero', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { rpoLagAlarmThreshold: Duration.seconds(0) }))
        .toThrow(/`topology.rpoLagAlarmThreshold` must be whole milliseconds above 0, got: 0 seconds/);
    });

    test('fails with a deploy-time rpoLagAlarmThreshold', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { rpoLagAlarmThreshold: Duration.seconds(Lazy.number({ produce: () => 60 })) }))
        .toThrow(/`topology.rpoLagAlarmThreshold` is a deploy-time Token, but the alarm is set up at synth against the RPO it names/);
    });

    test('a secondary carries the managed RPO in its own parameter group, so the bound survives a switchover', () => {
      // GIVEN
      const { primaryStack, secondaryStack } = twoRegions();
      primary(primaryStack, { managedRpo: ManagedRpo.of(Duration.seconds(45)) });
      const other = testStack(secondaryStack.node.root as App, 'Other', 'eu-west-1');

      // WHEN
      secondary(secondaryStack);
      secondary(other, { managedRpo: ManagedRpo.of(Duration.seconds(30)) });

      // THEN: inherited from the primary of the stage, or given
      Template.fromStack(secondaryStack).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '45' } });
      Template.fromStack(other).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.global_db_rpo': '30' } });
    });

    test('a secondary of a primary without a managed RPO has no parameter group of its own', () => {
      const { primaryStack, secondaryStack } = twoRegions();
      primary(primaryStack);
      secondary(secondaryStack);
      Template.fromStack(secondaryStack).resourceCountIs('AWS::RDS::DBClusterParameterGroup', 0);
    });

    test('fails with a managed RPO on an Aurora MySQL secondary', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { engine: AURORA_MYSQL, managedRpo: ManagedRpo.of(Duration.seconds(60)) }))
        .toThrow(/managedRpo/);
    });

    test('a secondary whose global cluster name no primary of the app carries warns; with the primary it does not', () => {
      // GIVEN
      const { app, primaryStack, secondaryStack } = twoRegions();
      primary(primaryStack);
      const other = testStack(app, 'Other', 'eu-west-1');

      // WHEN
      secondary(secondaryStack);
      secondary(other, { globalClusterIdentifier: 'orders-globl' });
      app.synth();

      // THEN
      Annotations.fromStack(other).hasWarning('/Other/Orders', Match.stringLikeRegexp(
        '`topology.globalClusterIdentifier` is orders-globl, but no auroraGlobalPrimary\\(\\) of that name is in this app.*cdk-failover:global-primary-not-in-app'));
      Annotations.fromStack(secondaryStack).hasNoWarning('/Secondary/Orders', Match.stringLikeRegexp('global-primary-not-in-app'));
    });

    test('fails when the primary in the same stage does not replicate its master secret to the secondary\'s region', () => {
      // GIVEN
      const { primaryStack, secondaryStack } = twoRegions();
      primary(primaryStack, { secretReplicaRegions: ['eu-west-1'] });

      // THEN
      expect(() => secondary(secondaryStack))
        .toThrow(/^Secondary\/Orders: `topology\.globalClusterIdentifier` is orders-global, whose primary \(Primary\) replicates its master secret to \["eu-west-1"\], not to us-west-2, where this secondary reads it\. Add "us-west-2" to the primary's `secretReplicaRegions`\./);
    });

    test('the primary\'s master secret is kept when the stack is deleted, like the data', () => {
      const { primaryStack } = twoRegions();
      primary(primaryStack);
      Template.fromStack(primaryStack).hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test('fails with an engine other than the primary\'s in the same app', () => {
      const { primaryStack, secondaryStack } = twoRegions();
      primary(primaryStack);
      const older = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_15_4 });
      expect(() => secondary(secondaryStack, { engine: older })).toThrow(
        'Secondary/Orders: `topology.engine` is aurora-postgresql 15.4, but the primary of orders-global (Primary) runs aurora-postgresql 16.4: '
        + 'every cluster of a global database runs the same engine and version. Give the primary\'s engine.');
    });

    test('fails with an engine without a version', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { engine: rds.DatabaseClusterEngine.AURORA_POSTGRESQL }))
        .toThrow(/`topology.engine` must give a version: the primary and every secondary of a global database run the same one/);
    });

    test('fails with an assumption the database does not use; the global ones are accepted on a secondary only', () => {
      const { primaryStack, secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, {}, 'Orders', { assumptions: { auroraGlobalLag: Duration.seconds(1), s3ReplicationLag: Duration.seconds(1) } }))
        .toThrow(/`assumptions` sets "s3ReplicationLag", which this construct does not use; it uses: endpointDnsTtl, clientDnsCache, operatorResponse, globalDatabaseFailover, auroraGlobalLag/);
      expect(() => new MultiAzDatabase(primaryStack, 'Orders', {
        vpc: vpcIn(primaryStack),
        topology: DatabaseTopology.auroraGlobalPrimary({ engine: AURORA_POSTGRES, globalClusterIdentifier: GLOBAL_ID }),
        assumptions: { auroraGlobalLag: Duration.seconds(1) },
      })).toThrow(/`assumptions` sets "auroraGlobalLag", which this construct does not use; it uses: endpointDnsTtl, clientDnsCache\./);
    });

    test('problems are collected: every one in one error', () => {
      const { secondaryStack } = twoRegions();
      expect(() => secondary(secondaryStack, { globalClusterIdentifier: 'bad--id', primaryRegion: 'nowhere', readers: 16 }))
        .toThrow(/^Secondary\/Orders: 3 problems:/);
    });
  });

  test('an environment-agnostic secondary warns that its zones are unknown and still reports its paths', () => {
    const app = testApp();
    const stack = new Stack(app, 'Agnostic');
    const db = secondary(stack);
    Annotations.fromStack(stack).hasWarning('/Agnostic/Orders', Match.stringLikeRegexp('cdk-failover:az-count-unknown'));
    expect(db.recoveryPaths().map((p) => p.endpoints[1].region)).toEqual([undefined, undefined, undefined]);
  });
});

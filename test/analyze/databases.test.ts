import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { databasePaths } from '../../src/analyze/private/databases';
import { TemplateFindings } from '../../src/analyze/private/findings';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { RecoveryAssumption } from '../../src/objectives/assumptions';
import { Term } from '../../src/objectives/model/term';
import { RecoveryPath } from '../../src/objectives/path';
import { DatabaseTopology } from '../../src/zonal/database-topology';
import { MultiAzDatabase } from '../../src/zonal/multi-az-database';
import { testApp } from '../util';

const MYSQL = rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_0_39 });
const POSTGRES = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_3 });
const AURORA_MYSQL = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 });
const AURORA_POSTGRES = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });

const ENDPOINT_TTL = RecoveryAssumption.ENDPOINT_DNS_TTL._defaultSeconds;
const CLIENT_CACHE = RecoveryAssumption.CLIENT_DNS_CACHE._defaultSeconds;

/** The model's terms as the library declares them; the analysis rewrites only the remedies. */
const figures = (p: RecoveryPath) => p.estimate._terms.map(({ remedy, ...rest }: Term) => rest);
const seconds = (p: RecoveryPath) => [p.estimate.rtoWorst?.toSeconds(), p.estimate.rpoWorst?.toSeconds()];
const byId = (found: TemplateFindings, id: string) => found.paths.find((p) => p.id === id)!;

/** An imported VPC of isolated subnets in three zones: no resources to synthesize. */
function vpcIn(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-1', availabilityZones: ['a', 'b', 'c'].map((z) => `${stack.region}${z}`), isolatedSubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'],
  });
}

/** The library's databases with the same settings as the raw ones, built (not synthesized) for their paths. */
function library() {
  const app = new App();
  const east = new Stack(app, 'Lib', { env: { account: '111111111111', region: 'us-east-1' } });
  const west = new Stack(app, 'LibWest', { env: { account: '111111111111', region: 'us-west-2' } });
  const vpc = vpcIn(east);
  const db = (id: string, topology: DatabaseTopology, stack = east) =>
    new MultiAzDatabase(stack, id, { vpc: stack === east ? vpc : vpcIn(stack), topology });
  return {
    instance: db('Instance', DatabaseTopology.multiAzInstance({ engine: MYSQL })),
    cluster: db('Cluster', DatabaseTopology.multiAzCluster({ engine: POSTGRES })),
    aurora: db('Aurora', DatabaseTopology.aurora({ engine: AURORA_MYSQL, readers: 2 })),
    lone: db('Lone', DatabaseTopology.aurora({ engine: AURORA_MYSQL, readers: 0 })),
    secondary: db('Secondary', DatabaseTopology.auroraGlobalSecondary({
      engine: AURORA_POSTGRES, globalClusterIdentifier: 'orders-global', primaryRegion: 'us-east-1',
    }), west),
  };
}

describe('RDS and Aurora written with aws-cdk-lib', () => {
  let east: LoadedTemplate;
  let west: LoadedTemplate;
  let lib: ReturnType<typeof library>;

  beforeAll(() => {
    // GIVEN: an app of raw aws-cdk-lib databases, in two regions
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = vpcIn(stack);
    const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    new rds.DatabaseInstance(stack, 'Orders', { engine: MYSQL, vpc, vpcSubnets, multiAz: true });
    new rds.DatabaseInstance(stack, 'Single', { engine: MYSQL, vpc, vpcSubnets });
    const carts = new rds.DatabaseCluster(stack, 'Carts', {
      engine: AURORA_MYSQL,
      vpc,
      vpcSubnets,
      writer: rds.ClusterInstance.provisioned('Writer'),
      readers: [rds.ClusterInstance.provisioned('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')],
    });
    new rds.DatabaseCluster(stack, 'Lone', { engine: AURORA_MYSQL, vpc, vpcSubnets, writer: rds.ClusterInstance.provisioned('Writer') });
    new rds.CfnDBCluster(stack, 'Ledger', {
      engine: 'postgres',
      dbClusterInstanceClass: 'db.m6gd.large',
      allocatedStorage: 100,
      storageType: 'io1',
      iops: 1000,
      masterUsername: 'admin',
      manageMasterUserPassword: true,
    });
    new rds.CfnGlobalCluster(stack, 'Global', { globalClusterIdentifier: 'carts-global', sourceDbClusterIdentifier: carts.clusterArn });
    const westStack = new Stack(app, 'RawWest', { env: { account: '111111111111', region: 'us-west-2' } });
    const secondary = new rds.CfnDBCluster(westStack, 'OrdersWest', { engine: 'aurora-postgresql', globalClusterIdentifier: 'orders-global' });
    // Two instances, as the library's secondary has by default (one reader).
    for (const id of ['OrdersWest1', 'OrdersWest2']) {
      new rds.CfnDBInstance(westStack, id, { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: secondary.ref });
    }
    const read = readTemplates([app.synth().directory]).templates;
    east = read.find((t) => t.name === 'Raw')!;
    west = read.find((t) => t.name === 'RawWest')!;
    lib = library();
  });

  test('a Multi-AZ DB instance: the figures of MultiAzDatabase with multiAzInstance()', () => {
    // WHEN
    const found = databasePaths(east);

    // THEN
    const path = found.paths.find((p) => p.id.startsWith('failover-Orders'))!;
    expect(figures(path)).toEqual(figures(lib.instance.recoveryPaths()[0]));
    // 120 s failover (detection and promotion), then the endpoint's DNS TTL and the clients' cache, both assumed.
    expect(seconds(path)).toEqual([120 + ENDPOINT_TTL + CLIENT_CACHE, 0]);
    expect(path.estimate.terms[0].remedy).toMatch(/^replace the AWS::RDS::DBInstance Orders[0-9A-F]{8} with a Multi-AZ DB cluster .*MultiAzDatabase/);
  });

  test('a single-AZ instance has no path, and says why', () => {
    const found = databasePaths(east);

    expect(found.paths.some((p) => p.id.startsWith('failover-Single'))).toBe(false);
    expect(found.notAnalysed.filter((n) => n.logicalId.startsWith('Single')).map((n) => n.reason))
      .toEqual(['single-AZ: no standby to fail over to; set `MultiAZ: true`']);
  });

  test('Aurora with two readers, and Aurora without: the figures of MultiAzDatabase with aurora()', () => {
    const found = databasePaths(east);

    const carts = found.paths.find((p) => p.id.startsWith('failover-Carts'))!;
    const lone = found.paths.find((p) => p.id.startsWith('failover-Lone'))!;
    expect(figures(carts)).toEqual(figures(lib.aurora.recoveryPaths()[0]));
    expect(figures(lone)).toEqual(figures(lib.lone.recoveryPaths()[0]));
    expect(carts.endpoints[1].label).toBe('one of 2 Aurora replica(s)');
    // Under 60 s with a replica; up to 10 minutes without, while Aurora creates a writer.
    expect([seconds(carts), seconds(lone)]).toEqual([[60 + ENDPOINT_TTL + CLIENT_CACHE, 0], [600 + ENDPOINT_TTL + CLIENT_CACHE, 0]]);
    expect(lone.estimate.terms[0].remedy).toMatch(/^add an `AWS::RDS::DBInstance` whose `DBClusterIdentifier` is the AWS::RDS::DBCluster Lone/);
  });

  test('a Multi-AZ DB cluster: the figures of MultiAzDatabase with multiAzCluster()', () => {
    const found = databasePaths(east);

    const ledger = byId(found, 'failover-Ledger');
    expect(figures(ledger)).toEqual(figures(lib.cluster.recoveryPaths()[0]));
    expect(seconds(ledger)).toEqual([35 + ENDPOINT_TTL + CLIENT_CACHE, 0]);
  });

  test('a global cluster with its primary only: the cross-region paths to a secondary not seen, taken headless', () => {
    const found = databasePaths(east);

    const switchover = found.paths.find((p) => p.id.startsWith('global-switchover-Carts'))!;
    const failover = found.paths.find((p) => p.id.startsWith('global-failover-Carts'))!;
    expect(found.resources[failover.id]).toContain('Global');
    expect(failover.estimate._terms.map((t) => t.id)).toContain('aurora-global-first-instance');
    expect(failover.warnings.join('\n')).toMatch(/The secondary clusters of carts-global are not in this template/);
    const headless = RecoveryAssumption.HEADLESS_INSTANCE_CREATION._defaultSeconds;
    const lag = RecoveryAssumption.AURORA_GLOBAL_LAG._defaultSeconds;
    const common = RecoveryAssumption.OPERATOR_RESPONSE._defaultSeconds + headless + RecoveryAssumption.GLOBAL_DATABASE_FAILOVER._defaultSeconds
      + ENDPOINT_TTL + CLIENT_CACHE;
    expect([seconds(switchover), seconds(failover)]).toEqual([[common, 0], [common, lag]]);
  });

  test('a secondary cluster in its own region: the figures of MultiAzDatabase with auroraGlobalSecondary()', () => {
    const found = databasePaths(west);

    const libPaths = lib.secondary.recoveryPaths();
    expect(found.paths.map((p) => p.kind.id)).toEqual(['multi-az-database', 'database-switchover', 'database-failover']);
    found.paths.forEach((p, i) => expect(figures(p)).toEqual(figures(libPaths[i])));
    expect(found.paths[0].endpoints[1].label).toBe(libPaths[0].endpoints[1].label);
    expect(found.paths[2].warnings.join('\n')).toMatch(/The primary cluster of orders-global is not in this template/);
    expect(found.paths[2].endpoints.map((e) => [e.role, e.region])).toEqual([['primary', undefined], ['secondary', 'us-west-2']]);
  });
});

describe('RDS and Aurora in hand-written templates', () => {
  const template = (resources: object, parameters: object = {}): LoadedTemplate =>
    ({ name: 'Hand', file: 'hand.json', region: 'eu-west-1', template: { Parameters: parameters as any, Resources: resources as any } });

  test('MultiAZ under Fn::If is not analysed, with the reason; with both branches true it is Multi-AZ', () => {
    const found = databasePaths(template({
      Maybe: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', MultiAZ: { 'Fn::If': ['Prod', true, false] } } },
      Always: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', MultiAZ: { 'Fn::If': ['Prod', true, 'true'] } } },
    }));

    expect(found.paths.map((p) => p.id)).toEqual(['failover-Always']);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([['Maybe',
      '`MultiAZ` is not decided by the template (Fn::If on the condition Prod, which the template does not define): when it is false the instance has no standby '
      + 'to fail over to, so no failover path is modeled. Set `MultiAZ: true`.']]);
  });

  test('an engine from a parameter without default: a cluster without DBClusterInstanceClass is Aurora, with a warning', () => {
    const found = databasePaths(template({
      Db: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: { Ref: 'Engine' }, MasterUsername: 'admin' } },
      Writer: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.r6g.large' } },
      Reader: { Type: 'AWS::RDS::DBInstance', Condition: 'Prod', Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.r6g.large' } },
    }, { Engine: { Type: 'String' } }));

    // The reader exists only under a condition: not counted, so Aurora recreates the writer (600 s).
    expect(found.paths.map((p) => [p.name, seconds(p)[0]])).toEqual([['Db (Aurora, Aurora, engine not known)', 600 + ENDPOINT_TTL + CLIENT_CACHE]]);
    expect(found.paths[0].warnings).toEqual([
      'Reader exist only under a condition the template does not decide: not counted as replicas (the slowest case).',
      'The engine is not decided by the template (the parameter Engine, which has no default): a cluster without `DBClusterInstanceClass` is Aurora.',
    ]);
    expect(found.resources['failover-Db']).toEqual(['Db', 'Writer', 'Reader']);
  });

  test('a reader whose condition the template decides true counts as a replica, as one without a condition does', () => {
    // GIVEN: the same cluster, its reader once under a condition the default makes true, once without one.
    const resources = (condition?: string) => ({
      Db: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', MasterUsername: 'admin' } },
      Writer: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.r6g.large' } },
      Reader: { Type: 'AWS::RDS::DBInstance', Condition: condition, Properties: { DBClusterIdentifier: { Ref: 'Db' }, DBInstanceClass: 'db.r6g.large' } },
    });
    const decided = template(resources('Prod'), { Env: { Type: 'String', Default: 'prod' } });
    const withCondition = databasePaths({ ...decided, template: { ...decided.template, Conditions: { Prod: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } } } });
    const without = databasePaths(template(resources()));

    // THEN: the same figures (a reader to promote), and no warning.
    expect(seconds(withCondition.paths[0])).toEqual(seconds(without.paths[0]));
    expect(withCondition.paths[0].warnings).toEqual([]);
  });

  test('an instance of a cluster not in the template, and a non-Aurora cluster without instance class, are not analysed', () => {
    const found = databasePaths(template({
      Orphan: { Type: 'AWS::RDS::DBInstance', Properties: { DBClusterIdentifier: 'elsewhere', DBInstanceClass: 'db.r6g.large' } },
      Odd: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'mysql' } },
    }));

    expect(found.paths).toEqual([]);
    expect(found.notAnalysed.map((n) => n.logicalId)).toEqual(['Orphan', 'Odd']);
    expect(found.notAnalysed[0].reason).toMatch(/^an instance of the DB cluster elsewhere, which is not in this template/);
  });

  test('a global primary with a managed RPO bounds the failover\'s loss; a headless secondary creates an instance first', () => {
    const primary = databasePaths(template({
      G: { Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: 'g1', Engine: 'aurora-postgresql' } },
      P: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', GlobalClusterIdentifier: { Ref: 'G' }, MasterUsername: 'admin', DBClusterParameterGroupName: { Ref: 'Params' } } },
      Params: { Type: 'AWS::RDS::DBClusterParameterGroup', Properties: { Family: 'aurora-postgresql16', Parameters: { 'rds.global_db_rpo': '30' } } },
    }));
    const secondary = databasePaths(template({
      S: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'g1' } },
    }));

    expect(primary.paths.map((p) => [p.id, seconds(p)[1]])).toEqual([['failover-P', 0], ['global-switchover-P', 0], ['global-failover-P', 30]]);
    expect(primary.resources['global-failover-P']).toEqual(['P', 'G']);
    const failover = byId(secondary, 'global-failover-S');
    expect(failover.endpoints[1]).toMatchObject({ label: 'Hand/S secondary cluster (headless)', role: 'standby' });
    expect(failover.estimate._terms.find((t) => t.id === 'aurora-global-first-instance')!.remedy)
      .toMatch(/^add an `AWS::RDS::DBInstance` to the AWS::RDS::DBCluster S/);
    // Without its primary, the lag is the assumption's, whatever the secondary's own parameter group says.
    expect(seconds(failover)[1]).toBe(RecoveryAssumption.AURORA_GLOBAL_LAG._defaultSeconds);
  });

  test('an RDS Proxy in front of a database is said, and the model keeps the direct endpoint, the slowest', () => {
    const found = databasePaths(template({
      Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'mysql', MultiAZ: 'true' } },
      Targets: { Type: 'AWS::RDS::DBProxyTargetGroup', Properties: { DBProxyName: 'p', TargetGroupName: 'default', DBInstanceIdentifiers: [{ Ref: 'Db' }] } },
    }));

    expect(found.paths[0].estimate._terms.map((t) => t.id)).toContain('rds-endpoint-dns');
    expect(found.paths[0].warnings).toEqual([expect.stringMatching(/^An RDS Proxy targets this database: clients that connect through the proxy endpoint skip/)]);
  });

  test('odd shapes are skipped, never thrown', () => {
    const found = databasePaths(template({
      A: { Type: 'AWS::RDS::DBInstance', Properties: null },
      B: { Type: 'AWS::RDS::DBCluster' },
      C: { Type: 'AWS::RDS::GlobalCluster', Properties: { SourceDBClusterIdentifier: { 'Fn::GetAtt': ['Missing', 'Arn'] } } },
      D: null,
    }));

    // B: a cluster with nothing said is Aurora without a replica.
    expect(found.paths.map((p) => p.id)).toEqual(['failover-B']);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason.split(':')[0]])).toEqual([
      ['A', 'single-AZ'],
      ['C', 'a global cluster with no DB cluster in this template (source Fn'],
    ]);
  });
});

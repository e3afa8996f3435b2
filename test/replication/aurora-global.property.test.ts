import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as fc from 'fast-check';
import { DatabaseTopology, ManagedRpo, MultiAzDatabase, ObjectiveEnforcement, RecoveryObjectives } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

/** Mostly valid values, so that most runs synthesize, and sometimes anything. */
function mostly<T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: any, weight: 1 });
}

const POSTGRES = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
const engine = mostly(fc.constant(POSTGRES), fc.constantFrom(
  rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 }),
  rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_12_1 }),
  rds.DatabaseClusterEngine.AURORA_POSTGRESQL,
));

const identifier = mostly(fc.constantFrom('orders-global', 'a', 'x'.repeat(63), 'A1-b2'), fc.oneof(
  fc.constantFrom('x'.repeat(64), '', '1abc', 'a--b', 'a-'),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/),
  fc.constant(Lazy.string({ produce: () => 'lazy' })),
));

const seconds = fc.oneof(
  fc.integer({ min: 0, max: 200 }).map((s) => Duration.seconds(s)),
  fc.integer({ min: 0, max: 200_000 }).map((ms) => Duration.millis(ms)),
  fc.constant(Duration.seconds(2_147_483_648)),
  fc.constant(Duration.seconds(Lazy.number({ produce: () => 60 }))),
);

const managedRpo = fc.option(fc.oneof(
  mostly(fc.integer({ min: 20, max: 600 }).map((s) => Duration.seconds(s)), seconds).map((d) => ManagedRpo.of(d)),
  fc.constant(ManagedRpo.fromObjectives()),
), { nil: undefined });

const props = fc.record({
  engine,
  globalClusterIdentifier: identifier,
  managedRpo,
  objectiveRpo: fc.option(mostly(fc.integer({ min: 20, max: 600 }), fc.integer({ min: 0, max: 19 })), { nil: undefined }),
  primaryReaders: fc.option(mostly(fc.integer({ min: 0, max: 15 }), fc.constantFrom(-1, 16, 1.5)), { nil: undefined }),
  secondaryReaders: fc.option(mostly(fc.integer({ min: 0, max: 15 }), fc.constantFrom(-1, 16, 1.5)), { nil: undefined }),
  primaryRegion: mostly(fc.constant('us-east-1'), fc.constantFrom('us-west-2', 'not-a-region')),
  headless: fc.option(fc.boolean(), { nil: undefined }),
  rpoLagAlarmThreshold: fc.option(mostly(fc.integer({ min: 1, max: 600_000 }).map((ms) => Duration.millis(ms)), seconds), { nil: undefined }),
});

test('random props either synthesize a joined global database or fail with our error', () => {
  let synthesized = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const app = testApp();
    if (p.objectiveRpo !== undefined) {
      // A miss is a warning here: the objective check has its own tests.
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.seconds(p.objectiveRpo), enforcement: ObjectiveEnforcement.WARN });
    }
    const primaryStack = testStack(app, 'Primary', 'us-east-1');
    const secondaryStack = testStack(app, 'Secondary', 'us-west-2');
    const vpc = (stack: typeof primaryStack) => new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 3, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });

    // WHEN
    let secondary: MultiAzDatabase;
    try {
      new MultiAzDatabase(primaryStack, 'Db', {
        vpc: vpc(primaryStack),
        topology: DatabaseTopology.auroraGlobalPrimary({
          engine: p.engine, globalClusterIdentifier: p.globalClusterIdentifier, managedRpo: p.managedRpo, readers: p.primaryReaders, secretReplicaRegions: ['us-west-2'],
        }),
      });
      secondary = new MultiAzDatabase(secondaryStack, 'Db', {
        vpc: vpc(secondaryStack),
        topology: DatabaseTopology.auroraGlobalSecondary({
          engine: p.engine,
          globalClusterIdentifier: p.globalClusterIdentifier,
          primaryRegion: p.primaryRegion,
          readers: p.secondaryReaders,
          headless: p.headless,
          rpoLagAlarmThreshold: p.rpoLagAlarmThreshold,
        }),
      });
    } catch (e) {
      // THEN: our error, naming the construct and a prop, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^(Primary|Secondary)\/Db: (\d+ problems:\n {2}- )?`[a-zA-Z.]+`/);
      return;
    }

    // THEN: the secondary joins by the literal name, with no credentials
    const cluster = Object.values(Template.fromStack(secondaryStack).findResources('AWS::RDS::DBCluster'))[0].Properties;
    expect(cluster.GlobalClusterIdentifier).toEqual(p.globalClusterIdentifier);
    expect([cluster.MasterUsername, cluster.MasterUserPassword, cluster.ManageMasterUserPassword]).toEqual([undefined, undefined, undefined]);
    const primaryTemplate = Template.fromStack(primaryStack);
    expect(JSON.stringify(primaryTemplate.toJSON())).not.toContain('Fn::ImportValue');
    // A managed RPO only on Aurora PostgreSQL, in whole seconds from 20
    const groups = Object.values(primaryTemplate.findResources('AWS::RDS::DBClusterParameterGroup'));
    expect(groups.length).toEqual(p.managedRpo === undefined ? 0 : 1);
    for (const g of groups) {
      expect(p.engine.engineType).toEqual('aurora-postgresql');
      const value = Number(g.Properties.Parameters['rds.global_db_rpo']);
      expect(Number.isInteger(value) && value >= 20 && value <= 2_147_483_647).toBe(true);
    }
    // The switchover loses nothing; the failover loses at most the managed RPO when there is one
    const [, switchover, failover] = secondary.recoveryPaths();
    expect(switchover.estimate.rpoWorst!.toMilliseconds()).toEqual(0);
    const rpo = failover.estimate.rpoWorst!.toSeconds({ integral: false });
    expect(rpo).toEqual(groups.length === 1 ? Number(groups[0].Properties.Parameters['rds.global_db_rpo']) : 10);
    const alarm = Object.values(Template.fromStack(secondaryStack).findResources('AWS::CloudWatch::Alarm')).find((a) => a.Properties.Metrics);
    expect(alarm!.Properties.Threshold).toBeGreaterThan(0);
    synthesized++;
  }), { numRuns: 40 });
  // The valid runs are not all rejected.
  expect(synthesized).toBeGreaterThan(0);
});

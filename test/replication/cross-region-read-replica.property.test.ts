import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { CrossRegionReadReplica } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const weighted = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });

const identifier = weighted(
  fc.stringMatching(/^[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,2}$/),
  fc.constantFrom('', '1db', 'db--1', 'db-', `a${'b'.repeat(63)}`),
);
const region = weighted(fc.constantFrom('us-east-1', 'eu-west-1', 'ap-northeast-1'), fc.constantFrom('us-west-2', 'east', ''));
const account = fc.option(weighted(fc.constantFrom('111111111111', '222222222222'), fc.constantFrom('1234', 'abc')), { nil: undefined });
const duration = weighted(
  fc.integer({ min: 1, max: 4000 }).map((s) => Duration.seconds(s)),
  fc.oneof(
    fc.integer({ min: 0, max: 100_000 }).map((ms) => Duration.millis(ms)),
    fc.constantFrom(Duration.seconds(0), Duration.seconds(Lazy.number({ produce: () => 30 })), Duration.minutes(Lazy.number({ produce: () => 1 }))),
  ),
);

const props = fc.record({
  identifier,
  region,
  account,
  threshold: fc.option(duration, { nil: undefined }),
  lag: fc.option(duration, { nil: undefined }),
  promotion: fc.option(duration, { nil: undefined }),
  deletionProtection: fc.option(fc.boolean(), { nil: undefined }),
  destroy: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
});

test('random props either synthesize an encrypted, protected replica of the source ARN with its lag alarm, or fail with our error', () => {
  let ok = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(testApp(), 'Stack', 'us-west-2');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-1', availabilityZones: ['us-west-2a', 'us-west-2b'], privateSubnetIds: ['subnet-1', 'subnet-2'],
    });
    const assumptions: { [id: string]: Duration } = {};
    if (p.lag) {
      assumptions.rdsReplicaLag = p.lag;
    }
    if (p.promotion) {
      assumptions.replicaPromotion = p.promotion;
    }

    // WHEN
    let replica: CrossRegionReadReplica;
    try {
      replica = new CrossRegionReadReplica(stack, 'Replica', {
        sourceInstanceIdentifier: p.identifier,
        sourceRegion: p.region,
        sourceAccount: p.account,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        vpc,
        replicaLagThreshold: p.threshold,
        deletionProtection: p.deletionProtection,
        removalPolicy: p.destroy ? RemovalPolicy.DESTROY : undefined,
        assumptions,
      });
    } catch (e) {
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Stack\/Replica: (\d+ problems:\n {2}- )?`[a-zA-Z.]+`/);
      return;
    }

    // THEN
    ok++;
    const template = Template.fromStack(stack);
    const [db] = Object.values(template.findResources('AWS::RDS::DBInstance'));
    // Encryption follows the source; this region's key is what the replica is encrypted with.
    expect(db.Properties.StorageEncrypted).toBeUndefined();
    expect(db.Properties.KmsKeyId).toBeDefined();
    expect(db.Properties.DeletionProtection).toBe(p.deletionProtection ?? true);
    expect(db.DeletionPolicy).toBe(p.destroy ? 'Delete' : 'Retain');
    expect(db.Properties.SourceRegion).toBe(p.region);
    expect(JSON.stringify(db.Properties.SourceDBInstanceIdentifier)).toContain(`:rds:${p.region}:${p.account ?? '111111111111'}:db:${p.identifier}`);
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarm.MetricName).toBe('ReplicaLag');
    if (typeof alarm.Threshold === 'number') {
      expect(alarm.Threshold).toBeGreaterThan(0);
    }
    const [path] = replica.recoveryPaths();
    // Token assumptions are rejected above, so given ones are literal here.
    const seconds = (d: Duration | undefined, fallback: number) => (d ? d.toMilliseconds() / 1000 : fallback);
    expect(path.estimate.rpoWorst!.toMilliseconds() / 1000).toEqual(seconds(p.lag, 60));
    expect(path.estimate.rtoWorst!.toMilliseconds() / 1000).toBeCloseTo(600 + seconds(p.promotion, 900) + 5 + 5, 6);
  }), { numRuns: 100 });
  // Most random props must reach the template, or the test checks only errors.
  expect(ok).toBeGreaterThan(15);
});

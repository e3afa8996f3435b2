import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as fc from 'fast-check';
import { GlobalTable } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'us-west-1', 'eu-west-1', 'eu-west-3', 'ap-northeast-1'];
const region = fc.oneof({ arbitrary: fc.constantFrom(...REGIONS), weight: 9 }, { arbitrary: fc.constantFrom('', 'useast1', 'US-EAST-1'), weight: 1 });
const replicas = fc.oneof(
  { arbitrary: fc.uniqueArray(fc.constantFrom(...REGIONS), { minLength: 1, maxLength: 3 }), weight: 4 },
  { arbitrary: fc.array(region, { maxLength: 3 }), weight: 1 },
);

const duration = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 4000 }).map((s) => Duration.seconds(s)), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 100_000 }).map((ms) => Duration.millis(ms)), weight: 3 },
  {
    arbitrary: fc.constantFrom(Duration.seconds(Lazy.number({ produce: () => 30 })), Duration.millis(Lazy.number({ produce: () => 30 }))),
    weight: 1,
  },
);

const SETS = [['us-east-1', 'us-east-2', 'us-west-2'], ['eu-west-1', 'eu-west-3', 'eu-central-1']];

/** An MRSC layout that AWS accepts: three regions of one set, or two and a witness. */
const validStrong = fc.constantFrom(...SETS).chain((set) => fc.boolean().map((witness) => ({
  stackRegion: set[0],
  replicas: witness ? [set[1]] : [set[1], set[2]],
  strong: true,
  witness: witness ? set[2] : undefined,
})));

const layout = fc.oneof(
  { arbitrary: fc.record({ stackRegion: fc.constantFrom('us-east-1', 'eu-west-1', 'us-west-1'), replicas, strong: fc.constant(false), witness: fc.constant(undefined) }), weight: 5 },
  { arbitrary: validStrong, weight: 2 },
  { arbitrary: fc.record({ stackRegion: fc.constantFrom('us-east-1', 'eu-west-1', 'us-west-1'), replicas, strong: fc.boolean(), witness: fc.option(region, { nil: undefined }) }), weight: 2 },
);

const props = fc.record({
  layout,
  deletionProtection: fc.option(fc.boolean(), { nil: undefined }),
  destroy: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
  threshold: fc.option(duration, { nil: undefined }),
  lag: fc.option(duration, { nil: undefined }),
});

test('random props either synthesize a protected global table with one alarm per MREC replica, or fail with our error', () => {
  let ok = 0;
  fc.assert(fc.property(props, ({ layout: l, ...p }) => {
    // GIVEN
    const stack = testStack(testApp(), 'Stack', l.stackRegion);

    // WHEN
    let table: GlobalTable;
    try {
      table = new GlobalTable(stack, 'Table', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        replicas: l.replicas.map((r) => ({ region: r })),
        multiRegionConsistency: l.strong ? dynamodb.MultiRegionConsistency.STRONG : undefined,
        witnessRegion: l.witness,
        deletionProtection: p.deletionProtection,
        removalPolicy: p.destroy ? RemovalPolicy.DESTROY : undefined,
        replicationLatencyThreshold: p.threshold,
        assumptions: p.lag && { dynamoDbReplicationLag: p.lag },
      });
    } catch (e) {
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Stack\/Table: (\d+ problems:\n {2}- )?(`[a-zA-Z.]+`|the stack|MRSC needs)/);
      return;
    }

    // THEN
    ok++;
    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    const deployed = resource.Properties.Replicas;
    expect(deployed.map((r: any) => r.Region).sort()).toEqual([l.stackRegion, ...l.replicas].sort());
    for (const r of deployed) {
      expect(r.DeletionProtectionEnabled).toBe(p.deletionProtection ?? true);
      expect(r.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
    }
    expect(resource.DeletionPolicy).toBe(p.destroy ? 'Delete' : 'Retain');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => a.Dimensions.find((d: any) => d.Name === 'ReceivingRegion').Value).sort()).toEqual(l.strong ? [] : [...l.replicas].sort());
    for (const a of alarms) {
      if (typeof a.Threshold === 'number') {
        expect(a.Threshold).toBeGreaterThan(0);
      }
    }
    const paths = table.recoveryPaths();
    // A Token lag is rejected above, so a given lag is literal here.
    const rpo = l.strong ? 0 : (p.lag ? p.lag.toMilliseconds() / 1000 : 10);
    expect(paths.map((x) => x.estimate.rpoWorst!.toMilliseconds() / 1000)).toEqual(l.replicas.map(() => rpo));
  }), { numRuns: 150 });
  // Most random layouts must reach the template, or the test checks only errors.
  expect(ok).toBeGreaterThan(20);
});

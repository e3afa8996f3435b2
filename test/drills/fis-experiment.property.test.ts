import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { DrillFault, FaultOrder, FisExperiment } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const seconds = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 4 * 3600 }), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 14 * 3600 }), weight: 2 },
  { arbitrary: fc.constantFrom(0.5, 12 * 3600, 12 * 3600 + 1), weight: 1 },
);

type FaultSpec = { kind: 'failover'; id: string } | { kind: 'reboot'; id: string; force: boolean } | { kind: 'ddb'; s: number } | { kind: 's3'; s: number; region: string };

const identifier = fc.oneof({ arbitrary: fc.constantFrom('orders', 'db-1', 'a'), weight: 5 }, { arbitrary: fc.constantFrom('1db', 'db-', 'a--b', ''), weight: 1 });
const fault: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({ kind: fc.constant('failover' as const), id: identifier }),
  fc.record({ kind: fc.constant('reboot' as const), id: identifier, force: fc.boolean() }),
  fc.record({ kind: fc.constant('ddb' as const), s: seconds }),
  fc.record({ kind: fc.constant('s3' as const), s: seconds, region: fc.constantFrom('us-east-1', 'eu-west-1', 'nowhere') }),
);

const props = fc.record({
  faults: fc.array(fault, { minLength: 0, maxLength: 22 }),
  parallel: fc.boolean(),
  alarms: fc.integer({ min: 0, max: 6 }),
  none: fc.boolean(),
});

function build(stack: Stack, spec: FaultSpec): DrillFault {
  switch (spec.kind) {
    case 'failover': return DrillFault.auroraClusterFailover({ clusterIdentifier: spec.id });
    case 'reboot': return DrillFault.rdsInstanceReboot({ instanceIdentifier: spec.id, forceFailover: spec.force });
    case 'ddb': return DrillFault.dynamoDbReplicationPause({ table: table(stack), duration: Duration.millis(spec.s * 1000) });
    case 's3': return DrillFault.s3ReplicationPause({ bucket: bucket(stack), duration: Duration.millis(spec.s * 1000), region: spec.region });
  }
}

const table = (stack: Stack) => (stack.node.tryFindChild('Table') as dynamodb.ITable | undefined) ?? dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');
const bucket = (stack: Stack) => (stack.node.tryFindChild('Bucket') as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(stack, 'Bucket', 'orders-bucket');

test('random props either synthesize a template within FIS\'s quotas, or fail with our error', () => {
  let ok = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(testApp());
    const alarms = Array.from({ length: p.alarms }, (_, i) => new cloudwatch.Alarm(stack, `A${i}`, {
      metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
    }));
    const order = p.parallel ? FaultOrder.PARALLEL : FaultOrder.SEQUENCE;

    // WHEN
    let drill: FisExperiment;
    try {
      drill = new FisExperiment(stack, 'Drill', { faults: p.faults.map((f) => build(stack, f)), order, stopConditions: alarms, withoutStopConditions: p.none });
    } catch (e) {
      // THEN (rejected): our error, naming the construct
      expect((e as Error).message).toMatch(/^Stack\/Drill: /);
      return;
    }

    // THEN (accepted): the quotas hold, and the template says what the faults say
    ok++;
    const durations = p.faults.map((f) => ('s' in f ? f.s : 0));
    expect(p.faults.length).toBeGreaterThanOrEqual(1);
    expect(p.faults.length).toBeLessThanOrEqual(p.parallel ? 10 : 20);
    expect(p.alarms).toBeLessThanOrEqual(5);
    expect(p.none).toBe(p.alarms === 0);
    durations.forEach((s) => expect(Number.isInteger(s) && s >= 0 && s <= 12 * 3600).toBe(true));
    const modeled = p.parallel ? Math.max(...durations) : durations.reduce((a, b) => a + b, 0);
    expect(modeled).toBeLessThanOrEqual(12 * 3600);
    expect(drill.faultDuration.toSeconds()).toBe(modeled);

    const [resource]: any[] = Object.values(Template.fromStack(stack).findResources('AWS::FIS::ExperimentTemplate'));
    const actions: any[] = Object.values(resource.Properties.Actions);
    expect(actions.map((a) => a.ActionId)).toEqual(drill.faults.map((f) => f.actionId));
    expect(actions.filter((a) => a.StartAfter !== undefined)).toHaveLength(p.parallel ? 0 : p.faults.length - 1);
    expect(resource.Properties.StopConditions).toHaveLength(Math.max(1, p.alarms));
    for (const target of Object.values(resource.Properties.Targets) as any[]) {
      expect(target.ResourceArns.length).toBeLessThanOrEqual(5);
    }
    expect(resource.Properties.Description.length).toBeLessThanOrEqual(512);
  }), { numRuns: 100 });
  expect(ok).toBeGreaterThan(5);
});

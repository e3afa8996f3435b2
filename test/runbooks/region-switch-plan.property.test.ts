import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import {
  Fence, ManualApproval, PromoteData, RegionSwitchPlan, RoutingControls, RpoGuard, RunbookStep, ScaleCapacity, SwitchTraffic, VerifyRecovery,
} from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const BLOCKS = ['ARCRoutingControl', 'ManualApproval', 'AuroraGlobalDatabase', 'RdsPromoteReadReplica', 'ECSServiceScaling'];
/** The writes a block makes: never granted on `*`. */
const WRITES = /^(rds:(Switchover|Failover)GlobalCluster|rds:PromoteReadReplica|rds:ModifyDBInstance|ecs:UpdateService|route53-recovery-cluster:UpdateRoutingControlStates)$/;

const region = fc.oneof({ arbitrary: fc.constantFrom(EAST, WEST), weight: 8 }, { arbitrary: fc.constantFrom('eu-west-1', '', 'US-EAST-1'), weight: 1 });
/** The plan's two Regions: mostly the controls' pair. */
const layout = fc.oneof(
  { arbitrary: fc.constantFrom({ primaryRegion: EAST, standbyRegion: WEST }, { primaryRegion: WEST, standbyRegion: EAST }), weight: 8 },
  { arbitrary: fc.record({ primaryRegion: region, standbyRegion: region }), weight: 1 },
);
const planName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,30}[a-zA-Z0-9]$/), weight: 5 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);
const minutes = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 10_080 }), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 20_000 }), weight: 1 },
);
const rto = fc.option(fc.oneof(
  { arbitrary: minutes.map((m) => Duration.minutes(m)), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 1_000_000 }).map((s) => Duration.seconds(s)), weight: 1 },
), { nil: undefined, freq: 10 });
/** Steps by name: the ones with a block, and some without. */
const KINDS = ['switch', 'failover', 'switchover', 'replica', 'ecs', 'approval', 'fence', 'rpoGuard', 'verify'] as const;
const timeout = fc.option(fc.integer({ min: 0, max: 600 }).map((m) => Duration.minutes(m)), { nil: undefined });
const kind = fc.oneof({ arbitrary: fc.constantFrom(...KINDS.slice(0, 6)), weight: 12 }, { arbitrary: fc.constantFrom(...KINDS.slice(6)), weight: 1 });
/** A step's Region: mostly the one that fits its workflow (the activated one, or the one left for a fence or a promotion's primary). */
const step = fc.record({ kind, timeout, region: fc.oneof({ arbitrary: fc.constant(undefined), weight: 12 }, { arbitrary: region, weight: 1 }) });

/** The runbooks' order: fence, approval, promotions, scaling, switch; most runs keep it. */
const RANK: { [k: string]: number } = { fence: 0, rpoGuard: 0, approval: 1, failover: 2, switchover: 2, replica: 2, ecs: 3, switch: 4, verify: 5 };
const ordered = <T extends { kind: string }>(steps: T[]) => [...steps].sort((a, b) => RANK[a.kind] - RANK[b.kind]);
const failoverSteps = fc.oneof(
  { arbitrary: fc.array(step, { minLength: 0, maxLength: 5 }).map(ordered), weight: 4 },
  { arbitrary: fc.array(step, { minLength: 0, maxLength: 5 }), weight: 1 },
);
/** Failback steps: mostly lossless. */
const failbackStep = fc.record({
  kind: fc.oneof({ arbitrary: fc.constantFrom('switchover' as const, 'switch' as const, 'ecs' as const), weight: 8 }, { arbitrary: kind, weight: 1 }),
  timeout,
  region: fc.constant(undefined),
});

const props = fc.record({
  planName,
  layout,
  recoveryTimeObjective: rto,
  failoverSteps,
  failbackSteps: fc.option(fc.array(failbackStep, { minLength: 1, maxLength: 3 }).map(ordered), { nil: undefined }),
  assertionRule: fc.boolean(),
});

test('random props either make a plan AWS accepts, with writes scoped to ARNs, or fail with our error', () => {
  let ok = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(testApp(), 'Stack', WEST);
    const controls = new RoutingControls(stack, 'Controls', { regions: [EAST, WEST], controlPanelName: 'app', assertionRule: p.assertionRule });
    const topic = new sns.Topic(stack, 'Topic');
    const alarm = new cloudwatch.Alarm(stack, 'Lag', { metric: new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName: 'Lag' }), threshold: 1, evaluationPeriods: 1 });
    const { primaryRegion, standbyRegion } = p.layout;
    const make = (to: string, from: string) => (s: { kind: typeof KINDS[number]; timeout?: Duration; region?: string }): RunbookStep => {
      switch (s.kind) {
        case 'switch': return SwitchTraffic.routingControls({ controls, region: s.region ?? to });
        case 'fence': return Fence.routingControl({ controls, region: s.region ?? from });
        case 'failover': return PromoteData.auroraGlobalFailover({ globalClusterIdentifier: 'g', clusterIdentifier: 'c1', primaryClusterIdentifier: 'c2', primaryRegion: s.region ?? from, timeout: s.timeout });
        case 'switchover': return PromoteData.auroraGlobalSwitchover({ globalClusterIdentifier: 'g', clusterIdentifier: 'c1', primaryClusterIdentifier: 'c2', primaryRegion: s.region ?? from, timeout: s.timeout });
        case 'replica': return PromoteData.readReplica({ instanceIdentifier: 'db-1', timeout: s.timeout });
        case 'ecs': return ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 2, timeout: s.timeout });
        case 'approval': return ManualApproval.snsTopic({ topic, timeout: s.timeout });
        case 'rpoGuard': return RpoGuard.alarm({ alarm, maxLag: Duration.seconds(30) });
        case 'verify': return VerifyRecovery.http({ url: 'https://app.example.com' });
      }
    };

    // WHEN
    let plan: RegionSwitchPlan;
    try {
      plan = new RegionSwitchPlan(stack, 'Plan', {
        planName: p.planName,
        primaryRegion,
        standbyRegion,
        recoveryTimeObjective: p.recoveryTimeObjective,
        failoverSteps: p.failoverSteps.map(make(standbyRegion, primaryRegion)),
        failbackSteps: p.failbackSteps?.map(make(primaryRegion, standbyRegion)),
      });
    } catch (e) {
      // THEN
      expect((e as Error).message).toMatch(/^Stack\/Plan: /);
      expect((e as Error).message).not.toMatch(/undefined|NaN|\[object/);
      return;
    }
    ok++;
    const template = Template.fromStack(stack);
    const [resource] = Object.values(template.findResources('AWS::ARCRegionSwitch::Plan'));
    const r = resource.Properties;
    expect(r.Name.length).toBeLessThanOrEqual(32);
    expect(r.Name).toMatch(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/);
    expect(r.Regions).toEqual([primaryRegion, standbyRegion]);
    expect(new Set(r.Regions).size).toBe(2);
    expect(r.RecoveryTimeObjectiveMinutes).toBe(plan.recoveryTimeObjectiveMinutes);
    const rtoMinutes = r.RecoveryTimeObjectiveMinutes;
    expect(Number.isInteger(rtoMinutes) && rtoMinutes >= 1 && rtoMinutes <= 10_080).toBe(true);
    expect(r.Workflows).toHaveLength(p.failbackSteps ? 2 : 1);
    expect(r.Workflows[0].Steps).toHaveLength(p.failoverSteps.length);
    for (const [i, w] of r.Workflows.entries()) {
      expect(w.WorkflowTargetAction).toBe('activate');
      const types: string[] = w.Steps.map((x: any) => x.ExecutionBlockType);
      const promote = Math.max(types.lastIndexOf('AuroraGlobalDatabase'), types.lastIndexOf('RdsPromoteReadReplica'));
      const switched = w.Steps.findIndex((x: any) => x.ExecutionBlockType === 'ARCRoutingControl' && x.Name.startsWith('switch'));
      expect(switched < 0 || promote < switched).toBe(true);
      if (i === 1) {
        expect(JSON.stringify(w.Steps)).not.toMatch(/"Behavior":"failover"|RdsPromoteReadReplica/);
      }
      for (const s of w.Steps) {
        expect(BLOCKS).toContain(s.ExecutionBlockType);
        const timeoutMinutes = Object.values<any>(s.ExecutionBlockConfiguration)[0].TimeoutMinutes;
        expect(timeoutMinutes === undefined || (Number.isInteger(timeoutMinutes) && timeoutMinutes >= 1)).toBe(true);
      }
    }
    const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((x) => /^PlanExecutionRoleDefaultPolicy/.test(x.Properties.PolicyName))
      .flatMap((x) => x.Properties.PolicyDocument.Statement);
    for (const s of statements) {
      const actions: string[] = [s.Action].flat();
      if (actions.some((a) => WRITES.test(a))) {
        expect([s.Resource].flat()).not.toContain('*');
      }
    }
  }), { numRuns: 100 });
  expect(ok).toBeGreaterThan(10);
});

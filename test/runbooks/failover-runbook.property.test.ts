import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { EAST, runbookParts, RunbookParts, WEST } from './runbook-fixture';
import {
  FailoverRunbook, Fence, ManualApproval, PromoteData, RpoGuard, RunbookStep, RunbookStepRole, ScaleCapacity, SwitchTraffic, VerifyRecovery,
  WaitHealthy,
} from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 60 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

/** Every step kind, some with bad options (a count of 0, a URL without a scheme). */
const STEP_MAKERS: Array<(p: RunbookParts, bad: boolean) => RunbookStep> = [
  (p) => RpoGuard.alarm({ alarm: p.lagAlarm, maxLag: Duration.seconds(30) }),
  (p) => Fence.routingControl({ controls: p.controls, region: EAST }),
  (_p, bad) => Fence.autoScalingGroup({ autoScalingGroupName: 'web-east', region: bad ? 'east' : EAST }),
  () => PromoteData.auroraGlobalFailover({
    globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion: EAST,
  }),
  () => PromoteData.auroraGlobalSwitchover({
    globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion: EAST,
  }),
  (_p, bad) => ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: bad ? 0 : 2 }),
  (p) => WaitHealthy.targetGroup({ targetGroup: p.targetGroup }),
  (p) => SwitchTraffic.routingControls({ controls: p.controls, region: WEST }),
  (_p, bad) => VerifyRecovery.http({ url: bad ? 'app.example.com' : 'https://app.example.com' }),
  (p) => ManualApproval.snsTopic({ topic: p.topic }),
];

// One step in ten has bad options.
const plan = fc.array(fc.record({ kind: fc.nat(STEP_MAKERS.length - 1), bad: fc.nat(9).map((n) => n === 0) }), { minLength: 0, maxLength: 7 });

test('random step lists either build a runbook that keeps the order of one writer, or fail with our error', () => {
  let built = 0;
  fc.assert(fc.property(plan, (picks) => {
    // GIVEN
    const stack = testStack(testApp());
    const parts = runbookParts(stack);
    const steps = picks.map(({ kind, bad }) => STEP_MAKERS[kind](parts, bad));

    // WHEN
    try {
      new FailoverRunbook(stack, 'Failover', { fromRegion: EAST, steps });
    } catch (e) {
      // THEN: our message, naming the construct
      expect((e as Error).message).toMatch(/^Stack\/Failover: /);
      return;
    }
    built++;
    // THEN: the order that keeps one writer held
    const roles = steps.map((s) => s.role);
    const first = (r: RunbookStepRole) => roles.indexOf(r);
    const last = (r: RunbookStepRole) => roles.lastIndexOf(r);
    const lossy = steps.findIndex((s) => s instanceof PromoteData && !s.lossless);
    expect(steps.length).toBeGreaterThan(0);
    if (lossy >= 0) {
      expect(first(RunbookStepRole.FENCE)).toBeGreaterThanOrEqual(0);
      expect(first(RunbookStepRole.FENCE)).toBeLessThan(lossy);
    }
    for (const later of [RunbookStepRole.FENCE, RunbookStepRole.PROMOTE, RunbookStepRole.SWITCH]) {
      if (first(later) >= 0 && last(RunbookStepRole.RPO_GUARD) >= 0) {
        expect(last(RunbookStepRole.RPO_GUARD)).toBeLessThan(first(later));
      }
    }
    if (first(RunbookStepRole.SWITCH) >= 0 && last(RunbookStepRole.PROMOTE) >= 0) {
      expect(last(RunbookStepRole.PROMOTE)).toBeLessThan(first(RunbookStepRole.SWITCH));
    }
    // and the state machine exists with a begin state per step
    const definition = JSON.stringify(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
    expect(definition.match(/: begin\\"/g)?.length ?? 0).toBeGreaterThanOrEqual(steps.length);
  }), { numRuns: 60 });
  // The generator must reach valid lists too, or the property says nothing about them.
  expect(built).toBeGreaterThan(5);
});

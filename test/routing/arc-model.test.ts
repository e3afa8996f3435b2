import { operatorDecision, routingControlDetection, routingControlSwitch } from '../../src/objectives/model/arc';
import { RecoveryTermKind } from '../../src/objectives/term-kind';

describe('ARC routing control model', () => {
  test('defaults: a 600 s operator decision and a 30 s flip, both assumptions', () => {
    const [decision, flip] = routingControlDetection();
    expect([decision.id, decision.kind, decision.min, decision.max, decision.assumption, decision.assumptionId])
      .toEqual(['arc-operator-decision', RecoveryTermKind.DECISION, 0, 600, true, 'operatorResponse']);
    expect([flip.id, flip.kind, flip.min, flip.max, flip.assumption, flip.assumptionId])
      .toEqual(['arc-routing-control-switch', RecoveryTermKind.SWITCH, 0, 30, true, 'routingControlToHealthStatus']);
    expect(flip.basis).toMatch(/one atomic UpdateRoutingControlStates on any of the 5 cluster endpoints/);
  });

  test('measured values replace the defaults and are no longer assumptions', () => {
    expect(operatorDecision(120)).toMatchObject({ max: 120, assumption: false });
    expect(routingControlSwitch(4.5)).toMatchObject({ max: 4.5, assumption: false });
    expect(routingControlDetection({ operatorResponse: 60, controlToHealthStatus: 5 }).map((t) => t.max)).toEqual([60, 5]);
  });

  test('no Route 53 interval or threshold term: nothing probes the endpoint', () => {
    expect(routingControlDetection().map((t) => t.kind)).not.toContain(RecoveryTermKind.DETECTION);
  });
});

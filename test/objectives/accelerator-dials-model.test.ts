import { dialEffect, dialSwitch, GLOBAL_ACCELERATOR_API_REGION } from '../../src/objectives/model/accelerator-dials';
import { RecoveryTermKind } from '../../src/objectives/term-kind';

describe('Global Accelerator traffic dials model', () => {
  test('the Global Accelerator API is called in us-west-2', () => {
    expect(GLOBAL_ACCELERATOR_API_REGION).toEqual('us-west-2');
  });

  test('the target up, each other down, one runbookTask each, then the dials taking effect on acceleratorReroute: 5 + 5 + 5 + 30 s', () => {
    // WHEN
    const terms = dialSwitch('switch', { target: 'us-west-2', others: ['us-east-1', 'eu-west-1'] });

    // THEN
    expect(terms.map((t) => [t.id, t.kind, t.min, t.max, t.assumption, t.assumptionId])).toEqual([
      ['switch-dial-us-west-2', RecoveryTermKind.SWITCH, 0, 5, true, 'runbookTask'],
      ['switch-dial-us-east-1', RecoveryTermKind.SWITCH, 0, 5, true, 'runbookTask'],
      ['switch-dial-eu-west-1', RecoveryTermKind.SWITCH, 0, 5, true, 'runbookTask'],
      ['switch-dial-effect', RecoveryTermKind.SWITCH, 0, 30, true, 'acceleratorReroute'],
    ]);
    expect(terms.reduce((s, t) => s + t.max, 0)).toEqual(45);
    expect(terms[0].basis).toMatch(/^dial us-west-2 to 100 % \(UpdateEndpointGroup, Global Accelerator control plane in us-west-2\): one task, up to 5 s/);
    expect(terms[1].basis).toMatch(/^dial us-east-1 to 0 % \(UpdateEndpointGroup/);
  });

  test('others left as they are: one call and the effect', () => {
    expect(dialSwitch('s', { target: 'us-east-1', others: [] }).map((t) => [t.id, t.max])).toEqual([['s-dial-us-east-1', 5], ['s-dial-effect', 30]]);
  });

  test('given values replace both assumptions', () => {
    // WHEN
    const terms = dialSwitch('switch', { target: 'us-east-1', others: ['us-west-2'], runbookTask: 2, acceleratorReroute: 12.5 });

    // THEN
    expect(terms.map((t) => [t.id, t.max, t.assumption])).toEqual([
      ['switch-dial-us-east-1', 2, false], ['switch-dial-us-west-2', 2, false], ['switch-dial-effect', 12.5, false],
    ]);
  });

  test('the effect says AWS publishes no figure, and that established connections stay', () => {
    // WHEN
    const assumed = dialEffect();
    const given = dialEffect(8);

    // THEN
    expect([assumed.id, assumed.kind, assumed.min, assumed.max, assumed.assumption]).toEqual(['accelerator-dial-effect', RecoveryTermKind.SWITCH, 0, 30, true]);
    expect(assumed.basis).toMatch(/^the new traffic dials taking effect for new connections: up to 30 s, the `acceleratorReroute` assumption, as AWS publishes no figure for a dial change; established connections are not moved/);
    expect(assumed.remedy).toEqual('measure it with a drill and set `assumptions.acceleratorReroute`');
    expect([given.max, given.assumption]).toEqual([8, false]);
  });
});

import { dataPlaneSwitchTerms, switchAlarm, switchDecision, switchRead } from '../../src/objectives/model/data-plane-switch';
import { RecoveryTermKind } from '../../src/objectives/term-kind';

describe('data-plane switch model', () => {
  test('defaults: a 600 s decision, a 65 s read and a 120 s alarm, 785 s in all', () => {
    // GIVEN / WHEN
    const terms = dataPlaneSwitchTerms({ readTimeout: 2, publish: 3 });

    // THEN
    expect(terms.map((t) => [t.id, t.kind, t.min, t.max, t.assumption, t.assumptionId])).toEqual([
      ['switch-operator-decision', RecoveryTermKind.DECISION, 0, 600, true, 'operatorResponse'],
      ['switch-flag-read', RecoveryTermKind.SWITCH, 0, 65, false, undefined],
      ['switch-alarm', RecoveryTermKind.SWITCH, 0, 120, true, 'alarmToHealthStatus'],
    ]);
    expect(terms.reduce((s, t) => s + t.max, 0)).toEqual(785);
  });

  test('the bases name the inputs', () => {
    expect(switchRead({ readTimeout: 2, publish: 3 }).basis)
      .toEqual('the probe reads the active-region parameter once a minute: up to 60 s to the next read, + 2 s GetParameter timeout + 3 s to publish RegionEnabled');
    expect(switchAlarm().basis)
      .toMatch(/^the switch alarm \(1 x 60 s\) sees the new value when its period closes: up to 60 s, \+ 60 s for the alarm to reach Route 53 /);
    expect(switchDecision().basis).toMatch(/writes the active-region parameter: up to 600 s/);
  });

  test('measured values replace the defaults and are no longer assumptions', () => {
    expect(switchDecision(90)).toMatchObject({ max: 90, assumption: false });
    expect(switchAlarm(12.5)).toMatchObject({ max: 72.5, assumption: false });
    expect(switchRead({ readTimeout: 1.5, publish: 0.25 })).toMatchObject({ max: 61.75 });
    const measured = dataPlaneSwitchTerms({ readTimeout: 2, publish: 3, operatorResponse: 60, alarmToHealthStatus: 10 });
    expect(measured.map((t) => t.max)).toEqual([60, 65, 70]);
  });

  test('no detection term: nothing probes the endpoint', () => {
    expect(dataPlaneSwitchTerms({ readTimeout: 2, publish: 3 }).map((t) => t.kind)).not.toContain(RecoveryTermKind.DETECTION);
  });
});

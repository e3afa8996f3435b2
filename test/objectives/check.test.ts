import { Duration } from 'aws-cdk-lib';
import { RecoveryObjectives, RecoveryTermKind } from '../../src';
import { ofTerms, totals } from '../../src/objectives/model/compose';
import { Term } from '../../src/objectives/model/term';
import { checkObjectives, Objectives } from '../../src/objectives/report/check';
import { regionalFailover, testApp, testStack } from '../util';

const term = (kind: RecoveryTermKind, max: number): Term => ({
  id: kind.id, kind, min: 0, max, basis: `${kind.id} basis`, assumption: false, remedy: `shorten ${kind.id}`,
});
const objectives = (rto: number, rpo?: number, enforcement = 'fail'): Objectives => ({ declaredAt: 'Objectives', rto, rpo, enforcement });
/** A path of 30 s detection, 90 s switch and a 20 s replication lag. */
const figures = totals(ofTerms([
  term(RecoveryTermKind.DETECTION, 30),
  term(RecoveryTermKind.SWITCH, 90),
  term(RecoveryTermKind.REPLICATION_LAG, 20),
]));

describe('checkObjectives', () => {
  test('a worst case exactly equal to the RTO meets it', () => {
    expect(checkObjectives('path', figures, objectives(120))).toEqual({ objectives: objectives(120), rtoMet: true, rpoMet: undefined, messages: [] });
  });

  test('a worst case 1 s over the RTO misses it, naming the dominant term and its remedy', () => {
    const check = checkObjectives('path', figures, objectives(119));
    expect(check.rtoMet).toBe(false);
    expect(check.messages).toEqual([expect.stringMatching(
      /^path: modeled worst-case recovery time 2 min exceeds the RTO objective 1 min 59 s \(declared at Objectives\)\. Dominant term: switch up to 1 min 30 s \(switch basis\)\. Fix: shorten switch; or raise the objective, or set enforcement: ObjectiveEnforcement\.WARN to accept the miss\.$/,
    )]);
  });

  test('a miss that rounding would hide is printed in exact seconds', () => {
    expect(checkObjectives('path', figures, objectives(119.999, 19.95)).messages).toEqual([
      expect.stringMatching(/^path: modeled worst-case recovery time 120 s exceeds the RTO objective 119\.999 s /),
      expect.stringMatching(/^path: modeled worst-case data loss 20 s exceeds the RPO objective 19\.95 s /),
    ]);
  });

  test('a data loss exactly equal to the RPO meets it', () => {
    const check = checkObjectives('path', figures, objectives(120, 20));
    expect([check.rtoMet, check.rpoMet, check.messages]).toEqual([true, true, []]);
  });

  test('the RPO-miss branch: a data-loss term over the RPO', () => {
    const check = checkObjectives('path', figures, objectives(120, 19, 'warn'));
    expect([check.rtoMet, check.rpoMet]).toEqual([true, false]);
    expect(check.messages).toEqual([
      'path: modeled worst-case data loss 20 s exceeds the RPO objective 19 s (declared at Objectives). '
      + 'Dominant term: replication lag up to 20 s (replicationLag basis). Fix: shorten replicationLag; or raise the objective.',
    ]);
  });

  test('an RPO miss names the largest data term of the worst data-loss window', () => {
    const backup = term(RecoveryTermKind.BACKUP_INTERVAL, 3600);
    const copy = term(RecoveryTermKind.COPY, 600);
    const series = totals(ofTerms([copy, backup]));
    expect(series.dominantData).toBe(backup);
    const parallel = totals({ type: 'parallel', steps: [ofTerms([copy]), ofTerms([term(RecoveryTermKind.REPLICATION_LAG, 20)])] });
    expect(parallel.dominantData).toBe(copy);
    expect(checkObjectives('path', series, objectives(60, 60)).messages).toEqual([
      expect.stringMatching(/data loss 70 min exceeds the RPO objective 1 min .* Dominant term: backup interval up to 60 min \(backupInterval basis\)\. Fix: shorten backupInterval; or raise/),
    ]);
  });

  test('no RPO objective, or no data on the path, leaves the RPO unjudged', () => {
    expect(checkObjectives('path', figures, objectives(120)).rpoMet).toBeUndefined();
    const timeOnly = totals(ofTerms([term(RecoveryTermKind.DETECTION, 30)]));
    expect(checkObjectives('path', timeOnly, objectives(120, 1)).rpoMet).toBeUndefined();
  });

  test('no objectives: nothing judged', () => {
    expect(checkObjectives('path', figures, undefined)).toEqual({ messages: [] });
  });
});

describe('objectives through a construct', () => {
  test('a failover pair whose worst case equals the RTO passes synth', () => {
    // GIVEN: the example topology models 2 min 1 s
    const app = testApp();
    const stack = testStack(app);
    const failover = regionalFailover(stack);
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(121);

    // WHEN
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.seconds(121) });

    // THEN
    expect(() => app.synth()).not.toThrow();
  });

  test('one second less fails synth', () => {
    const app = testApp();
    regionalFailover(testStack(app));
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.seconds(120) });
    expect(() => app.synth()).toThrow(/modeled worst-case recovery time 2 min 1 s exceeds the RTO objective 2 min/);
  });
});

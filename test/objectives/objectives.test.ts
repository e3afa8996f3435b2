import { Duration, Lazy } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ObjectiveEnforcement, RecoveryEstimate, RecoveryObjectives, RecoveryTermKind } from '../../src';
import { regionalFailover, testApp, testStack } from '../util';

describe('RecoveryObjectives', () => {
  test('the nearest declaration applies: construct over stack over app', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    const inner = new Construct(stack, 'Inner');
    const leaf = new Construct(inner, 'Leaf');
    const other = new Construct(stack, 'Other');

    // WHEN
    const onApp = new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(10) });
    const onInner = new RecoveryObjectives(inner, 'Objectives', { rto: Duration.minutes(1), rpo: Duration.seconds(0) });

    // THEN
    expect(RecoveryObjectives.of(leaf)).toBe(onInner);
    expect(RecoveryObjectives.of(inner)).toBe(onInner);
    expect(RecoveryObjectives.of(other)).toBe(onApp);
    expect(RecoveryObjectives.of(stack)).toBe(onApp);
    expect(onApp.enforcement).toEqual(ObjectiveEnforcement.FAIL);
    expect(onInner.rpo?.toSeconds()).toEqual(0);
  });

  test('none declared', () => {
    expect(RecoveryObjectives.of(testStack())).toBeUndefined();
  });

  test('isRecoveryObjectives', () => {
    const app = testApp();
    expect(RecoveryObjectives.isRecoveryObjectives(new RecoveryObjectives(app, 'O', { rto: Duration.minutes(1) }))).toBe(true);
    expect(RecoveryObjectives.isRecoveryObjectives(new Construct(app, 'C'))).toBe(false);
    expect(RecoveryObjectives.isRecoveryObjectives(undefined)).toBe(false);
  });

  test.each([
    ['rto of zero', { rto: Duration.seconds(0) }, /`rto` must be whole milliseconds above 0, got: 0 seconds\. Give the longest outage/],
    ['rto of 0 ms', { rto: Duration.millis(0) }, /`rto` must be whole milliseconds above 0/],
    ['rto of NaN', { rto: Duration.seconds(NaN) }, /`rto` must be whole milliseconds above 0, got: NaN/],
    ['rto of Infinity', { rto: Duration.seconds(Infinity) }, /`rto` must be whole milliseconds above 0, got: Infinity/],
    ['rto of half a millisecond', { rto: Duration.millis(0.5) }, /`rto` must be whole milliseconds above 0, got: 0\.5 millis/],
    ['rto from a parameter', { rto: Duration.seconds(Lazy.number({ produce: () => 60 })) },
      /^Objectives: `rto` is a deploy-time Token, but objectives are a synth-time contract: every recovery path is checked against them at synth\. Give a literal Duration/],
    ['rpo from a parameter', { rto: Duration.minutes(5), rpo: Duration.minutes(Lazy.number({ produce: () => 1 })) },
      /`rpo` is a deploy-time Token, but objectives are a synth-time contract/],
    ['rpo of NaN', { rto: Duration.minutes(5), rpo: Duration.seconds(NaN) }, /`rpo` must be whole milliseconds of 0 or more, got: NaN/],
    ['rpo of Infinity', { rto: Duration.minutes(5), rpo: Duration.seconds(Infinity) }, /`rpo` must be whole milliseconds of 0 or more, got: Infinity/],
  ])('fails with %s', (_, props, message) => {
    const app = testApp();
    expect(() => new RecoveryObjectives(app, 'Objectives', props)).toThrow(message);
  });

  test('an rpo of zero is an objective: no data loss', () => {
    expect(new RecoveryObjectives(testApp(), 'Objectives', { rto: Duration.minutes(1), rpo: Duration.seconds(0) }).rpo!.toSeconds()).toEqual(0);
  });

  test('fails with two declarations in one scope, naming the first', () => {
    const stack = testStack();
    new RecoveryObjectives(stack, 'First', { rto: Duration.minutes(1) });
    expect(() => new RecoveryObjectives(stack, 'Second', { rto: Duration.minutes(2) }))
      .toThrow(/^Stack\/Second: `Stack` already declares objectives at Stack\/First/);
  });
});

describe('objective checks at synth', () => {
  test('fails synth when the worst case exceeds the RTO, naming path, dominant term and fix', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(1) });
    regionalFailover(stack);

    // THEN
    expect(() => app.synth()).toThrow(/\[Stack\/Failover\] DNS failover of app\.example\.com \(A\): modeled worst-case recovery time 2 min 1 s exceeds the RTO objective 1 min/);
    expect(() => app.synth({ force: true })).toThrow(/Dominant term: propagation up to 1 min/);
    expect(() => app.synth({ force: true })).toThrow(/Fix: the TTL of an alias record is fixed by its target/);
    expect(() => app.synth({ force: true })).toThrow(/ObjectiveEnforcement\.WARN/);
  });

  test('with WARN, a miss is an acknowledgeable warning and synth succeeds', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(1), enforcement: ObjectiveEnforcement.WARN });
    regionalFailover(stack);

    // WHEN
    app.synth();

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Failover',
      Match.stringLikeRegexp('exceeds the RTO objective 1 min.*\\[ack: cdk-failover:objective-missed\\]'));
  });

  test('an objective that is met adds no warning', () => {
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(stack, 'Objectives', { rto: Duration.minutes(3) });
    regionalFailover(stack);
    app.synth();
    expect(Annotations.fromStack(stack).findWarning('*', /objective/)).toEqual([]);
  });

  test('a construct-level objective overrides the stack-level one', () => {
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(stack, 'Objectives', { rto: Duration.seconds(30) });
    const failover = regionalFailover(stack);
    new RecoveryObjectives(failover, 'Objectives', { rto: Duration.minutes(5) });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('RecoveryEstimate', () => {
  const term = (kind: RecoveryTermKind, min: number, max: number, assumption = false) => ({
    kind, min: Duration.seconds(min), max: Duration.seconds(max), basis: `${kind} basis`, assumption, remedy: `shorten ${kind}`,
  });

  test('sums, dominant term and assumptions', () => {
    // WHEN
    const estimate = RecoveryEstimate.of([
      term(RecoveryTermKind.DETECTION, 10, 20),
      term(RecoveryTermKind.SWITCH, 0, 30, true),
      term(RecoveryTermKind.DATA_LOSS, 0, 5),
    ]);

    // THEN
    expect(estimate.rtoBest!.toSeconds()).toEqual(10);
    expect(estimate.rtoWorst!.toSeconds()).toEqual(50);
    expect(estimate.rpoWorst?.toSeconds()).toEqual(5);
    expect(estimate.dominantTerm!.kind).toEqual(RecoveryTermKind.SWITCH);
    expect(estimate.assumptions).toEqual(['switch: switch basis']);
    expect(estimate.terms.map((t) => t.remedy)).toEqual(['shorten detection', 'shorten switch', 'shorten dataLoss']);
  });

  test('then puts paths in series', () => {
    const a = RecoveryEstimate.of([term(RecoveryTermKind.DETECTION, 1, 2)]);
    const b = RecoveryEstimate.of([term(RecoveryTermKind.SWITCH, 3, 4)]);
    expect(a.then(b).rtoWorst!.toSeconds()).toEqual(6);
    expect(a.then(b).rpoWorst).toBeUndefined();
  });

  test('fractional seconds survive as milliseconds', () => {
    const e = RecoveryEstimate.of([term(RecoveryTermKind.DETECTION, 0, 0), { ...term(RecoveryTermKind.SWITCH, 0, 0), max: Duration.millis(1500) }]);
    expect(e.rtoWorst!.toMilliseconds()).toEqual(1500);
  });

  test('fails when a term has max below min', () => {
    expect(() => RecoveryEstimate.of([term(RecoveryTermKind.DETECTION, 5, 1)])).toThrow(/the detection term has max 1 second below min 5 seconds/);
  });

  test('data terms alone make a data path: an RPO and no RTO', () => {
    const e = RecoveryEstimate.of([term(RecoveryTermKind.DATA_LOSS, 0, 1)]);
    expect(e.rpoWorst?.toSeconds()).toEqual(1);
    expect([e.rtoBest, e.rtoWorst, e.dominantTerm]).toEqual([undefined, undefined, undefined]);
  });

  test('fails without terms', () => {
    expect(() => RecoveryEstimate.of([])).toThrow(/`terms` must hold at least one term; got none/);
  });

  test('fails with a deploy-time Duration', () => {
    const t = { ...term(RecoveryTermKind.DETECTION, 0, 1), max: Duration.seconds(Lazy.number({ produce: () => 5 })) };
    expect(() => RecoveryEstimate.of([t])).toThrow(/the detection term has a min or max that is only known at deploy time/);
  });
});

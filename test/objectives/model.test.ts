import { RecoveryEstimate, RecoveryTermKind } from '../../src';
import { alarmDetection, probeAlarmDetection, slowestAlarm } from '../../src/objectives/model/alarms';
import { ofTerms, totals as composed } from '../../src/objectives/model/compose';
import { dnsFailover, resolverCaching } from '../../src/objectives/model/dns';
import { calculatedDetection, endpointDetection, probeTimeout } from '../../src/objectives/model/route53';
import { Term } from '../../src/objectives/model/term';

/** The figures of terms one after another. */
const totals = (terms: Term[]) => composed(ofTerms(terms));

describe('endpointDetection', () => {
  test.each([
    // interval, threshold, protocol, min, max
    [10, 2, 'HTTPS', 18.2, 26],
    [10, 1, 'HTTPS', 8.2, 16],
    [30, 3, 'HTTPS', 84.6, 96],
    [30, 1, 'HTTP', 24.6, 36],
    [10, 10, 'HTTP', 98.2, 106],
    [10, 1, 'TCP', 8.2, 20],
    [30, 2, 'TCP', 54.6, 70],
  ] as const)('%i s x %i over %s detects in %d..%d s', (interval, failureThreshold, protocol, min, max) => {
    // WHEN
    const term = endpointDetection({ interval, failureThreshold, protocol });

    // THEN
    expect(term.kind).toEqual(RecoveryTermKind.DETECTION);
    expect(term.min).toEqual(min);
    expect(term.max).toEqual(max);
    expect(term.assumption).toBe(false);
  });

  test('the basis names the inputs and the 18 % rule', () => {
    const term = endpointDetection({ interval: 10, failureThreshold: 2, protocol: 'HTTPS' });
    expect(term.basis).toMatch(/2 failed probe\(s\) x 10 s interval/);
    expect(term.basis).toMatch(/18 % rule/);
    expect(term.basis).toMatch(/6 s probe timeout \(4 s connect \+ 2 s response\)/);
  });

  test('probe timeouts: HTTP(S) 4 s connect + 2 s response, TCP 10 s connect', () => {
    expect(probeTimeout('HTTP')).toEqual(6);
    expect(probeTimeout('HTTPS')).toEqual(6);
    expect(probeTimeout('TCP')).toEqual(10);
  });
});

describe('probeAlarmDetection', () => {
  test.each([
    // samples, failuresToAlarm, timeout, publish, min, max
    [3, 2, 5, 3, 20, 2 * 60 + 5 + 3 + 60],
    [6, 3, 2, 3, 20, 2 * 60 + 2 + 3 + 60],
    [1, 1, 10, 3, 0, 2 * 60 + 10 + 3 + 60],
    [6, 6, 5, 3, 50, 2 * 60 + 5 + 3 + 60],
  ])('%i samples, %i to alarm, %i s timeout, %i s to publish: %d..%d s', (samples, failuresToAlarm, timeout, publish, min, max) => {
    const term = probeAlarmDetection({ samples, failuresToAlarm, timeout, publish });
    expect([term.min, term.max]).toEqual([min, max]);
    expect(term.assumption).toBe(true);
    expect(term.basis).toMatch(new RegExp(`${failuresToAlarm} of ${samples} samples failed in a 60 s period`));
  });

  test('a measured alarm delay is no assumption', () => {
    const term = probeAlarmDetection({ samples: 3, failuresToAlarm: 2, timeout: 5, publish: 3, alarmToHealthStatus: 20 });
    expect(term.max).toEqual(148);
    expect(term.assumption).toBe(false);
  });
});

describe('alarmDetection', () => {
  test.each([
    // period, evaluationPeriods, min, max
    [60, 1, 0, 180],
    [60, 3, 120, 300],
    [300, 2, 300, 960],
  ])('%i s x %i: %d..%d s', (period, evaluationPeriods, min, max) => {
    const term = alarmDetection({ period, evaluationPeriods });
    expect([term.min, term.max]).toEqual([min, max]);
    expect(term.assumption).toBe(true);
  });
});

describe('calculatedDetection', () => {
  const fast = endpointDetection({ interval: 10, failureThreshold: 2, protocol: 'HTTPS' }); // 18.2..26
  const slow = endpointDetection({ interval: 30, failureThreshold: 3, protocol: 'HTTPS' }); // 84.6..96
  const tcp = endpointDetection({ interval: 10, failureThreshold: 1, protocol: 'TCP' }); // 8.2..20

  test.each([
    // threshold, min, max: unhealthy once (children - threshold + 1) children have failed
    [3, 8.2, 20],
    [2, 18.2, 26],
    [1, 84.6, 96],
  ])('health threshold %i of 3 detects in %d..%d s', (threshold, min, max) => {
    const term = calculatedDetection([slow, fast, tcp], threshold);
    expect(term.min).toEqual(min);
    expect(term.max).toEqual(max);
    expect(term.basis).toMatch(new RegExp(`${3 - threshold + 1} of 3 child checks fail`));
  });

  test('an assumed child makes the calculated term an assumption', () => {
    const term = calculatedDetection([{ ...fast, assumption: true }, slow], 1);
    expect(term.assumption).toBe(true);
  });

  test.each([0, 4, -1])('fails with health threshold %i of 3', (threshold) => {
    expect(() => calculatedDetection([slow, fast, tcp], threshold)).toThrow(/health threshold/);
  });
});

describe('dnsFailover', () => {
  const detection = endpointDetection({ interval: 10, failureThreshold: 2, protocol: 'HTTPS' });

  test('the default alias path: 18.2 s best, 121 s worst, propagation dominates', () => {
    // WHEN
    const terms = dnsFailover({ detection, ttl: { ttl: 60, source: 'ELB', assumed: false, alias: true } });
    const t = totals(terms);

    // THEN
    expect(terms.map((x) => x.kind)).toEqual([
      RecoveryTermKind.DETECTION, RecoveryTermKind.DECISION, RecoveryTermKind.SWITCH, RecoveryTermKind.PROPAGATION, RecoveryTermKind.CLIENT_CACHE,
    ]);
    expect(terms.map((x) => x.max)).toEqual([26, 0, 30, 60, 5]);
    expect(t.rtoMin).toEqual(18.2);
    expect(t.rtoMax).toEqual(121);
    expect(t.rpoMax).toBeUndefined();
    expect(t.dominant!.kind).toEqual(RecoveryTermKind.PROPAGATION);
  });

  test('given assumptions replace the defaults and are no longer assumptions', () => {
    const terms = dnsFailover({
      detection,
      ttl: { ttl: 10, source: 'ttl', assumed: false, alias: false },
      healthToDnsAnswer: 4,
      clientDnsCache: 0,
    });
    expect(terms.filter((x) => x.assumption)).toEqual([]);
    expect(totals(terms).rtoMax).toEqual(26 + 4 + 10);
    expect(totals(terms).dominant!.kind).toEqual(RecoveryTermKind.DETECTION);
  });

  test('the aws-cdk-lib defaults: 30 s x 3 and a 30 minute TTL', () => {
    const terms = dnsFailover({
      detection: endpointDetection({ interval: 30, failureThreshold: 3, protocol: 'HTTPS' }),
      ttl: { ttl: 1800, source: 'aws-cdk-lib default', assumed: false, alias: false },
    });
    expect(totals(terms).rtoMax).toEqual(96 + 30 + 1800 + 5);
  });

  test('an alias TTL remedy points away from `ttl`', () => {
    expect(resolverCaching({ ttl: 60, source: 'ELB', assumed: false, alias: true }).remedy).toMatch(/fixed by its target/);
    expect(resolverCaching({ ttl: 60, source: 'ttl', assumed: false, alias: false }).remedy).toMatch(/lower `ttl`/);
  });
});

describe('totals', () => {
  test('data-loss windows in series add up, and do not add to the recovery time', () => {
    const t = totals([
      { id: 'a', kind: RecoveryTermKind.DETECTION, min: 1, max: 2, basis: '', assumption: false, remedy: '' },
      { id: 'b', kind: RecoveryTermKind.DATA_LOSS, min: 0, max: 15, basis: '', assumption: false, remedy: '' },
      { id: 'c', kind: RecoveryTermKind.DATA_LOSS, min: 0, max: 900, basis: '', assumption: false, remedy: '' },
    ]);
    expect(t.rtoMax).toEqual(2);
    // Data-loss windows one after another add up (a backup interval, then the copy delay).
    expect(t.rpoMax).toEqual(915);
  });

  test('sums are rounded to milliseconds', () => {
    const term = (max: number) => ({ id: 'x', kind: RecoveryTermKind.SWITCH, min: 0.1, max, basis: '', assumption: false, remedy: '' });
    expect(totals([term(0.1), term(0.2)]).rtoMax).toEqual(0.3);
    expect(totals([term(1), term(1), term(1)]).rtoMin).toEqual(0.3);
  });

  test('without a time term there is no recovery time (a data path)', () => {
    expect(totals([])).toEqual({ rtoMin: undefined, rtoMax: undefined, rpoMax: undefined, dominant: undefined });
  });
});

describe('slowestAlarm', () => {
  test.each([
    // period, evaluationPeriods -> modeled period, evaluationPeriods, slowest
    [60, 3, 60, 3, false],
    [60, undefined, 60, 1440, true], // periods under an hour look back at most a day
    [3600, undefined, 3600, 168, true], // longer periods look back at most 7 days
    [undefined, 2, 302_400, 2, true],
    [undefined, 200, 420, 200, true], // 7 days / 200 is under an hour: a day / 200, in whole minutes
    [undefined, undefined, 604_800, 1, true],
  ])('period %p, evaluation periods %p are modeled as a %i s period, %i periods', (period, evaluationPeriods, p, n, slowest) => {
    expect(slowestAlarm(period, evaluationPeriods)).toEqual({ period: p, evaluationPeriods: n, slowest });
  });
});

describe('the estimate guard', () => {
  test.each([
    ['a negative best case', -300, 60],
    ['a NaN worst case', 0, NaN],
    ['an infinite worst case', 0, Infinity],
    ['a worst case below the best', 10, 5],
  ])('rejects a model term with %s loudly', (_, min, max) => {
    const term: Term = { id: 'alarm', kind: RecoveryTermKind.DETECTION, min, max, basis: 'b', assumption: false, remedy: 'r' };
    expect(() => RecoveryEstimate._fromModel([term])).toThrow(/^cdk-failover bug: the alarm term has min .* s and max .* s; figures must be finite, zero or more, and max at least min/);
  });
});

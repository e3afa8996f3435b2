import { RecoveryAssumption, RecoveryTermKind } from '../../src';
import { ofTerms, totals as composed } from '../../src/objectives/model/compose';
import { elbRerouting, elbTargetDetection } from '../../src/objectives/model/elb';
import { DATABASE_FAILOVER, DatabaseFailoverInput, databaseFailover } from '../../src/objectives/model/rds';
import { Term } from '../../src/objectives/model/term';
import { zonalShift } from '../../src/objectives/model/zonal-shift';

/** The figures of terms one after another. */
const totals = (terms: Term[]) => composed(ofTerms(terms));

const { DETECTION, DECISION, SWITCH, PROPAGATION, CLIENT_CACHE, DATA_LOSS } = RecoveryTermKind;
const TIME_KINDS = [DETECTION, DECISION, SWITCH, PROPAGATION, CLIENT_CACHE];

describe('elbTargetDetection', () => {
  test('the MultiAzService defaults, 10 s x 2 + 5 s timeout, detect in 10..25 s', () => {
    // WHEN
    const term = elbTargetDetection({ interval: 10, timeout: 5, unhealthyThreshold: 2 });

    // THEN
    expect(term.kind).toEqual(RecoveryTermKind.DETECTION);
    expect([term.min, term.max]).toEqual([10, 25]);
    expect(term.assumption).toBe(false);
    expect(term.basis).toEqual('ELB target health: 2 failed checks x 10 s interval + 5 s timeout');
    expect(term.remedy).toMatch(/2 is the least ELB allows/);
  });

  test.each([
    // interval, timeout, unhealthyThreshold, min, max
    [30, 5, 2, 30, 65], // the ALB target-group defaults
    [5, 2, 2, 5, 12], // the fastest ELB allows
    [5, 4, 10, 45, 54],
    [300, 120, 10, 2700, 3120], // the slowest
    [10, 5, 3, 20, 35],
    [7.5, 2.5, 2, 7.5, 17.5],
  ])('%d s interval, %d s timeout, %i failures: %d..%d s', (interval, timeout, unhealthyThreshold, min, max) => {
    const term = elbTargetDetection({ interval, timeout, unhealthyThreshold });
    expect([term.min, term.max]).toEqual([min, max]);
    expect(term.basis).toEqual(`ELB target health: ${unhealthyThreshold} failed checks x ${interval} s interval + ${timeout} s timeout`);
  });
});

describe('elbRerouting', () => {
  test('an automatic decision and an immediate switch, both 0 s and documented', () => {
    // WHEN
    const terms = elbRerouting();

    // THEN
    expect(terms.map((t) => [t.kind, t.min, t.max, t.assumption])).toEqual([
      [RecoveryTermKind.DECISION, 0, 0, false],
      [RecoveryTermKind.SWITCH, 0, 0, false],
    ]);
  });

  test('with the default detection, a failed target is routed around in 10..25 s, detection dominating', () => {
    const t = totals([elbTargetDetection({ interval: 10, timeout: 5, unhealthyThreshold: 2 }), ...elbRerouting()]);
    expect([t.rtoMin, t.rtoMax]).toEqual([10, 25]);
    expect(t.rpoMax).toBeUndefined();
    expect(t.dominant!.kind).toEqual(RecoveryTermKind.DETECTION);
  });
});

describe('zonalShift', () => {
  const manual = { autoshift: false, alarmPeriod: 60, alarmEvaluationPeriods: 3 };
  const auto = { autoshift: true, alarmPeriod: 60, alarmEvaluationPeriods: 3 };

  test('the assumptions are 10 minutes each', () => {
    expect(RecoveryAssumption.OPERATOR_RESPONSE.defaultValue.toSeconds()).toEqual(600);
    expect(RecoveryAssumption.AUTOSHIFT_DETECTION.defaultValue.toSeconds()).toEqual(600);
  });

  test('manual: 3 alarm periods of 60 s, an operator, the ELB TTL and the client cache: 120..905 s', () => {
    // WHEN
    const terms = zonalShift(manual);
    const t = totals(terms);

    // THEN
    expect(terms.map((x) => x.kind)).toEqual(TIME_KINDS);
    expect(terms.map((x) => [x.min, x.max])).toEqual([[120, 240], [0, 600], [0, 0], [0, 60], [0, 5]]);
    expect(terms.map((x) => x.assumption)).toEqual([false, true, false, false, true]);
    expect(terms[0].basis).toEqual('per-AZ alarm: 3 breaching period(s) of 60 s (up to 4)');
    expect(terms[1].basis).toMatch(/^an operator starts a zonal shift .*, up to 600 s \(assumed: a human step AWS cannot publish\)$/);
    expect(terms[3].basis).toMatch(/60 s \(the load balancer DNS name drops the zone's addresses; ELB TTL\)/);
    expect(t.rtoMin).toEqual(120);
    expect(t.rtoMax).toEqual(905);
    expect(t.rpoMax).toBeUndefined();
    expect(t.dominant!.kind).toEqual(RecoveryTermKind.DECISION);
    expect(t.dominant!.remedy).toMatch(/enable `zonalAutoshift`/);
  });

  test.each([
    // periods, detection min, max, worst total
    [1, 0, 120, 785],
    [2, 60, 180, 845],
    [5, 240, 360, 1025],
    [10, 540, 660, 1325],
  ])('manual with %i alarm period(s): detection %d..%d s, worst %d s', (periods, min, max, worst) => {
    const terms = zonalShift({ ...manual, alarmEvaluationPeriods: periods });
    expect([terms[0].min, terms[0].max]).toEqual([min, max]);
    expect(totals(terms).rtoMax).toEqual(worst);
  });

  test('autoshift: AWS detects (assumed 0..600 s) and decides at once: 0..665 s', () => {
    // WHEN
    const terms = zonalShift(auto);
    const t = totals(terms);

    // THEN
    expect(terms.map((x) => x.kind)).toEqual(TIME_KINDS);
    expect(terms.map((x) => [x.min, x.max])).toEqual([[0, 600], [0, 0], [0, 0], [0, 60], [0, 5]]);
    expect(terms.map((x) => x.assumption)).toEqual([true, false, false, false, true]);
    expect(terms[0].basis).toEqual('zonal autoshift: AWS internal monitoring detects the impairment, up to 600 s (assumed: AWS does not publish it)');
    expect(terms[1].basis).toEqual('automatic: zonal autoshift starts the shift');
    expect([t.rtoMin, t.rtoMax]).toEqual([0, 665]);
    expect(t.dominant!.kind).toEqual(RecoveryTermKind.DETECTION);
  });

  test('autoshift ignores the alarm periods and the operator', () => {
    const terms = zonalShift({ ...auto, alarmEvaluationPeriods: 10, operatorResponse: 3600 });
    expect(totals(terms).rtoMax).toEqual(665);
  });

  test('manual ignores the autoshift detection', () => {
    expect(totals(zonalShift({ ...manual, autoshiftDetection: 3600 })).rtoMax).toEqual(905);
  });

  test('given figures replace the defaults and are no longer assumptions: manual', () => {
    // WHEN
    const terms = zonalShift({ ...manual, operatorResponse: 120, clientDnsCache: 0 });

    // THEN
    expect(terms.filter((x) => x.assumption)).toEqual([]);
    expect(terms[1].max).toEqual(120);
    expect(terms[1].basis).not.toMatch(/assumed/);
    expect(terms[4].max).toEqual(0);
    expect(totals(terms).rtoMax).toEqual(240 + 120 + 60);
    expect(totals(terms).dominant!.kind).toEqual(RecoveryTermKind.DETECTION);
  });

  test('given figures replace the defaults and are no longer assumptions: autoshift', () => {
    const terms = zonalShift({ ...auto, autoshiftDetection: 300, clientDnsCache: 30 });
    expect(terms.filter((x) => x.assumption)).toEqual([]);
    expect(terms[0].basis).toEqual('zonal autoshift: AWS internal monitoring detects the impairment, up to 300 s');
    expect(totals(terms).rtoMax).toEqual(300 + 60 + 30);
  });

  test('a given 0 is a figure, not a missing value', () => {
    const terms = zonalShift({ ...manual, operatorResponse: 0 });
    expect(terms[1].max).toEqual(0);
    expect(terms[1].assumption).toBe(false);
    expect(totals(terms).rtoMax).toEqual(305);
  });
});

describe('databaseFailover', () => {
  test('the figures per mode', () => {
    expect(DATABASE_FAILOVER.instance).toMatchObject({ min: 60, max: 120 });
    expect(DATABASE_FAILOVER.cluster).toMatchObject({ min: 0, max: 35 });
    expect(DATABASE_FAILOVER.aurora).toMatchObject({ min: 0, max: 60 });
    expect(DATABASE_FAILOVER.auroraWithoutReplica).toMatchObject({ min: 0, max: 600 });
    expect(RecoveryAssumption.ENDPOINT_DNS_TTL.defaultValue.toSeconds()).toEqual(5);
  });

  test.each<[string, DatabaseFailoverInput, number, number]>([
    // name, input, failover min, max
    ['a Multi-AZ DB instance', { mode: 'instance', replicas: 0, proxy: false }, 60, 120],
    ['a Multi-AZ DB cluster', { mode: 'cluster', replicas: 0, proxy: false }, 0, 35],
    ['Aurora with a replica', { mode: 'aurora', replicas: 1, proxy: false }, 0, 60],
    ['Aurora with two replicas', { mode: 'aurora', replicas: 2, proxy: false }, 0, 60],
    ['Aurora without a replica', { mode: 'aurora', replicas: 0, proxy: false }, 0, 600],
  ])('without a proxy, %s: failover, then the endpoint TTL and the client cache (5 s each, assumed)', (_, input, min, max) => {
    // WHEN
    const terms = databaseFailover(input);
    const t = totals(terms);

    // THEN
    expect(terms.map((x) => x.kind)).toEqual([
      RecoveryTermKind.DETECTION, RecoveryTermKind.DECISION, RecoveryTermKind.PROPAGATION, RecoveryTermKind.CLIENT_CACHE, RecoveryTermKind.DATA_LOSS,
    ]);
    expect(terms.map((x) => [x.min, x.max])).toEqual([[min, max], [0, 0], [0, 5], [0, 5], [0, 0]]);
    expect(terms.map((x) => x.assumption)).toEqual([false, false, true, true, false]);
    expect(terms[2].basis).toMatch(/up to 5 s \(assumed: AWS does not publish the endpoint TTL\)$/);
    expect(t.rtoMin).toEqual(min);
    expect(t.rtoMax).toEqual(max + 10);
    expect(t.rpoMax).toEqual(0);
    expect(t.dominant!.kind).toEqual(RecoveryTermKind.DETECTION);
  });

  test.each<[string, DatabaseFailoverInput, number, number]>([
    ['a Multi-AZ DB instance', { mode: 'instance', replicas: 0, proxy: true }, 60, 120],
    ['a Multi-AZ DB cluster', { mode: 'cluster', replicas: 0, proxy: true }, 0, 35],
    ['Aurora with a replica', { mode: 'aurora', replicas: 1, proxy: true }, 0, 60],
    ['Aurora without a replica', { mode: 'aurora', replicas: 0, proxy: true }, 0, 600],
  ])('with RDS Proxy, %s: a 0 s switch and no DNS terms', (_, input, min, max) => {
    // WHEN
    const terms = databaseFailover(input);
    const t = totals(terms);

    // THEN
    expect(terms.map((x) => x.kind)).toEqual([DETECTION, DECISION, SWITCH, DATA_LOSS]);
    expect(terms.map((x) => [x.min, x.max])).toEqual([[min, max], [0, 0], [0, 0], [0, 0]]);
    expect(terms.filter((x) => x.assumption)).toEqual([]);
    expect(terms[2].basis).toMatch(/^RDS Proxy keeps the client connections/);
    expect([t.rtoMin, t.rtoMax, t.rpoMax]).toEqual([min, max, 0]);
  });

  test('with RDS Proxy the endpoint TTL and client cache do not count, even when given', () => {
    const terms = databaseFailover({ mode: 'instance', replicas: 0, proxy: true, endpointDnsTtl: 30, clientDnsCache: 30 });
    expect(totals(terms).rtoMax).toEqual(120);
  });

  test('a given endpoint TTL and client cache are no longer assumptions', () => {
    // WHEN
    const terms = databaseFailover({ mode: 'instance', replicas: 0, proxy: false, endpointDnsTtl: 2, clientDnsCache: 0 });

    // THEN
    expect(terms.filter((x) => x.assumption)).toEqual([]);
    expect(terms[2].max).toEqual(2);
    expect(terms[2].basis).toMatch(/up to 2 s$/);
    expect(terms[3].max).toEqual(0);
    expect(totals(terms).rtoMax).toEqual(122);
  });

  test('replicas count only for Aurora: a cluster without replicas keeps its 35 s', () => {
    expect(databaseFailover({ mode: 'cluster', replicas: 0, proxy: true })[0].max).toEqual(35);
    expect(databaseFailover({ mode: 'instance', replicas: 3, proxy: true })[0].max).toEqual(120);
  });

  test.each<[DatabaseFailoverInput, RegExp]>([
    [{ mode: 'instance', replicas: 0, proxy: false }, /use a Multi-AZ DB cluster \(under 35 s\) or Aurora with replicas/],
    [{ mode: 'cluster', replicas: 0, proxy: false }, /none within this mode/],
    [{ mode: 'aurora', replicas: 1, proxy: false }, /none within this mode/],
    [{ mode: 'aurora', replicas: 0, proxy: false }, /add an Aurora replica in another Availability Zone/],
  ])('the failover remedy of %o', (input, remedy) => {
    expect(databaseFailover(input)[0].remedy).toMatch(remedy);
  });

  test.each<[DatabaseFailoverInput, RegExp]>([
    [{ mode: 'instance', replicas: 0, proxy: false }, /^synchronous replication to the standby/],
    [{ mode: 'cluster', replicas: 0, proxy: false }, /^semi-synchronous replication/],
    [{ mode: 'aurora', replicas: 0, proxy: false }, /^Aurora storage keeps six copies in three AZs/],
  ])('no data loss in any mode: %o', (input, basis) => {
    const loss = databaseFailover(input).find((x) => x.kind === RecoveryTermKind.DATA_LOSS)!;
    expect([loss.min, loss.max, loss.assumption]).toEqual([0, 0, false]);
    expect(loss.basis).toMatch(basis);
  });
});

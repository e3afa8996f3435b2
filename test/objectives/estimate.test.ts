import { Duration } from 'aws-cdk-lib';
import { RecoveryEstimate, RecoveryTermKind, TermMeasure } from '../../src';

const term = (kind: RecoveryTermKind, min: number, max: number, id?: string) => ({
  id, kind, min: Duration.seconds(min), max: Duration.seconds(max), basis: `${id ?? kind.id} basis`, remedy: `shorten ${id ?? kind.id}`,
});
const figures = (e: RecoveryEstimate) => ({
  best: e.rtoBest?.toSeconds(),
  worst: e.rtoWorst?.toSeconds(),
  rpo: e.rpoWorst?.toSeconds(),
  dominant: e.dominantTerm?.id,
});

describe('composing estimates', () => {
  // A regional failover: detection, then the traffic switch alongside the database promotion
  // (fence then promote), clients served once both are done; replication lag as the data loss.
  const detection = RecoveryEstimate.of([term(RecoveryTermKind.DETECTION, 20, 40, 'detect')]);
  const traffic = RecoveryEstimate.of([term(RecoveryTermKind.SWITCH, 0, 30, 'dns'), term(RecoveryTermKind.PROPAGATION, 0, 60, 'ttl')]);
  const database = RecoveryEstimate.of([
    term(RecoveryTermKind.FENCE, 5, 10, 'fence'),
    term(RecoveryTermKind.PROMOTE, 60, 120, 'promote'),
    term(RecoveryTermKind.REPLICATION_LAG, 0, 1, 'lag'),
  ]);

  test('in series the best and worst cases add up', () => {
    // WHEN
    const e = RecoveryEstimate.series([traffic, database]);

    // THEN: best 0 + 0 + 5 + 60, worst 30 + 60 + 10 + 120
    expect(figures(e)).toEqual({ best: 65, worst: 220, rpo: 1, dominant: 'promote' });
  });

  test('in parallel the recovery is done when the slowest branch is, for the best and the worst case', () => {
    // WHEN
    const e = RecoveryEstimate.parallel([traffic, database]);

    // THEN: best max(0, 65), worst max(90, 130); the dominant term is on the critical branch
    expect(figures(e)).toEqual({ best: 65, worst: 130, rpo: 1, dominant: 'promote' });
  });

  test('a shorter branch in parallel does not count; the critical path gives the dominant term', () => {
    // WHEN: a branch with a large best case but a smaller worst case than the other
    const slowStart = RecoveryEstimate.of([term(RecoveryTermKind.SCALE, 80, 100, 'scale')]);
    const e = RecoveryEstimate.parallel([slowStart, database]);

    // THEN: best max(80, 65), worst max(100, 130)
    expect(figures(e)).toEqual({ best: 80, worst: 130, rpo: 1, dominant: 'promote' });
  });

  test('series of a step and a parallel block: detection, then switch and promotion together', () => {
    // WHEN
    const e = detection.then(traffic.alongside(database));

    // THEN: best 20 + 65, worst 40 + 130
    expect(figures(e)).toEqual({ best: 85, worst: 170, rpo: 1, dominant: 'promote' });
    expect(e.terms.map((t) => t.id)).toEqual(['detect', 'dns', 'ttl', 'fence', 'promote', 'lag']);
  });

  test('data-loss windows add in series and take the largest in parallel', () => {
    const backup = RecoveryEstimate.of([term(RecoveryTermKind.BACKUP_INTERVAL, 0, 3600, 'interval')]);
    const copy = RecoveryEstimate.of([term(RecoveryTermKind.DATA_LOSS, 0, 900, 'copy')]);
    const lag = RecoveryEstimate.of([term(RecoveryTermKind.REPLICATION_LAG, 0, 1, 'lag')]);

    expect(figures(backup.then(copy))).toEqual({ best: undefined, worst: undefined, rpo: 4500, dominant: undefined });
    expect(figures(RecoveryEstimate.parallel([backup.then(copy), lag])).rpo).toEqual(4500);
    expect(figures(RecoveryEstimate.parallel([lag, copy])).rpo).toEqual(900);
  });

  test('a data path in parallel with a traffic path keeps the traffic path\'s time', () => {
    const lag = RecoveryEstimate.of([term(RecoveryTermKind.REPLICATION_LAG, 0, 1, 'lag')]);
    expect(figures(traffic.alongside(lag))).toEqual({ best: 0, worst: 90, rpo: 1, dominant: 'ttl' });
  });

  test.each([
    ['series', () => RecoveryEstimate.series([])],
    ['parallel', () => RecoveryEstimate.parallel([])],
  ])('fails: %s of nothing', (name, build) => {
    expect(build).toThrow(new RegExp(`RecoveryEstimate\\.${name}: \`estimates\` must hold at least one estimate`));
  });
});

describe('RecoveryTermKind', () => {
  test('well-known kinds say what they measure, in words', () => {
    expect([RecoveryTermKind.CLIENT_CACHE.id, RecoveryTermKind.CLIENT_CACHE.label]).toEqual(['clientCache', 'client cache']);
    expect(RecoveryTermKind.REPLICATION_LAG.measure).toEqual(TermMeasure.DATA);
    expect(RecoveryTermKind.PROMOTE.measure).toEqual(TermMeasure.TIME);
  });

  test('custom kinds: time or data', () => {
    const warmUp = RecoveryTermKind.time('cacheWarmUp', 'cache warm-up');
    const backlog = RecoveryTermKind.data('queueBacklog', 'queue backlog');
    const e = RecoveryEstimate.of([term(warmUp, 1, 2), term(backlog, 0, 7)]);
    expect(figures(e)).toEqual({ best: 1, worst: 2, rpo: 7, dominant: 'cacheWarmUp' });
  });

  test.each([
    ['', 'x', /`id` must be 1 to 64 letters/],
    ['has space', 'x', /`id` must be 1 to 64 letters, digits or hyphens starting with a letter, got: "has space"/],
    ['ok', ' ', /`label` must be 1 to 64 characters/],
  ])('fails with id %j and label %j', (id, label, message) => {
    expect(() => RecoveryTermKind.time(id, label)).toThrow(message);
  });
});

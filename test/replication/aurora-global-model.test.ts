import { globalFailover, globalSwitchover, managedRpoFor } from '../../src/objectives/model/aurora-global';
import { totals, ofTerms } from '../../src/objectives/model/compose';
import { Term } from '../../src/objectives/model/term';

const figures = (terms: Term[]) => terms.map((t) => [t.id, t.kind.id, t.min, t.max, t.assumption]);

describe('Aurora global database model', () => {
  test('switchover: operator, promotion, global endpoint, client cache, and no data lost', () => {
    // WHEN
    const terms = globalSwitchover({});

    // THEN
    expect(figures(terms)).toEqual([
      ['aurora-global-decision', 'decision', 0, 600, true],
      ['aurora-global-switchover', 'promote', 0, 300, true],
      ['aurora-global-endpoint-dns', 'propagation', 0, 5, true],
      ['client-dns-cache', 'clientCache', 0, 5, true],
      ['aurora-global-switchover-data', 'replicationLag', 0, 0, false],
    ]);
    const t = totals(ofTerms(terms));
    expect([t.rtoMax, t.rpoMax, t.dominant?.id, t.dominantData?.id]).toEqual([910, 0, 'aurora-global-decision', 'aurora-global-switchover-data']);
  });

  test('failover without a managed RPO loses the assumed lag; given figures replace the assumptions', () => {
    expect(figures(globalFailover({}))).toContainEqual(['aurora-global-lag', 'replicationLag', 0, 10, true]);
    const given = globalFailover({ operatorResponse: 60, globalDatabaseFailover: 120, endpointDnsTtl: 1, clientDnsCache: 0, lag: 2.5 });
    expect(figures(given)).toEqual([
      ['aurora-global-decision', 'decision', 0, 60, false],
      ['aurora-global-failover', 'promote', 0, 120, false],
      ['aurora-global-endpoint-dns', 'propagation', 0, 1, false],
      ['client-dns-cache', 'clientCache', 0, 0, false],
      ['aurora-global-lag', 'replicationLag', 0, 2.5, false],
    ]);
    const t = totals(ofTerms(given));
    expect([t.rtoMax, t.rpoMax, t.dominant?.id]).toEqual([181, 2.5, 'aurora-global-failover']);
  });

  test('a headless secondary first gets an instance, before the promotion', () => {
    const terms = globalFailover({ headless: true });
    expect(figures(terms).slice(0, 3)).toEqual([
      ['aurora-global-decision', 'decision', 0, 600, true],
      ['aurora-global-first-instance', 'scale', 0, 600, true],
      ['aurora-global-failover', 'promote', 0, 300, true],
    ]);
    expect(totals(ofTerms(globalSwitchover({ headless: true }))).rtoMax).toEqual(1510);
  });

  test('failover with a managed RPO loses at most the managed RPO, whatever lag is assumed', () => {
    const [lag] = globalFailover({ managedRpo: 45, lag: 3 }).slice(-1);
    expect([lag.max, lag.assumption, lag.assumptionId]).toEqual([45, false, undefined]);
    expect(lag.basis).toMatch(/rds.global_db_rpo = 45 s\) blocks commits on the primary/);
    expect(lag.remedy).toMatch(/lower the managed RPO/);
  });

  test.each([
    [19.999, undefined],
    [20, 20],
    [20.9, 20],
    [60, 60],
    [86_400, 86_400],
    [3e9, 2_147_483_647],
  ])('managed RPO for an RPO objective of %s s: %s', (objective, managed) => {
    expect(managedRpoFor(objective)).toEqual(managed);
  });
});

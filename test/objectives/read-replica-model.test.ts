import { RecoveryEstimate, RecoveryTermKind } from '../../src';
import { replicaLagThreshold, replicaPromotion } from '../../src/objectives/model/read-replica';

describe('cross-region read replica model', () => {
  test('defaults: 60 s of lag lost; decision 10 min, promotion 15 min, endpoint 5 s, client cache 5 s, all assumptions', () => {
    const terms = replicaPromotion({ replicaRegion: 'us-west-2' });

    expect(terms.map((t) => [t.id, t.kind, t.min, t.max, t.assumption, t.assumptionId])).toEqual([
      ['rds-replica-lag', RecoveryTermKind.REPLICATION_LAG, 0, 60, true, 'rdsReplicaLag'],
      ['rds-promotion-decision', RecoveryTermKind.DECISION, 0, 600, true, 'operatorResponse'],
      ['rds-replica-promotion', RecoveryTermKind.PROMOTE, 0, 900, true, 'replicaPromotion'],
      ['rds-replica-endpoint', RecoveryTermKind.SWITCH, 0, 5, true, 'endpointDnsTtl'],
      ['client-dns-cache', RecoveryTermKind.CLIENT_CACHE, 0, 5, true, 'clientDnsCache'],
    ]);
    const estimate = RecoveryEstimate._fromModel(terms);
    expect([estimate.rtoWorst!.toSeconds(), estimate.rpoWorst!.toSeconds(), estimate.dominantTerm!.id]).toEqual([1510, 60, 'rds-replica-promotion']);
    expect(terms[0].basis).toContain('the ReplicaLag alarm reports a longer lag, it does not bound it');
    expect(terms[1].basis).toContain('RDS never promotes by itself');
    expect(terms[2].basis).toContain('several minutes or longer');
    expect(terms[3].basis).toContain('clients must move to the replica\'s own endpoint');
  });

  test('measured figures replace the defaults and are no longer assumptions', () => {
    const terms = replicaPromotion({ replicaRegion: 'us-west-2', replicaLag: 2, operatorResponse: 60, replicaPromotion: 240, endpointDnsTtl: 30, clientDnsCache: 0 });

    expect(terms.map((t) => [t.max, t.assumption])).toEqual([[2, false], [60, false], [240, false], [30, false], [0, false]]);
    expect(RecoveryEstimate._fromModel(terms).rtoWorst!.toSeconds()).toEqual(330);
  });

  test.each([
    [120, undefined, 120, 'the declared RPO'],
    [0, undefined, 60, 'the rdsReplicaLag assumption'],
    [undefined, 15, 15, 'the rdsReplicaLag assumption'],
    [0, 0, 60, 'the rdsReplicaLag assumption'],
  ])('the alarm threshold for RPO %p and lag %p is %p s', (rpo, lag, seconds, source) => {
    expect(replicaLagThreshold(rpo, lag)).toEqual({ seconds, source });
  });
});

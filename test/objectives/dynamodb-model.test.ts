import { RecoveryTermKind } from '../../src';
import { globalTableReplica, replicationLatencyThreshold } from '../../src/objectives/model/dynamodb';

describe('DynamoDB global table model', () => {
  test('MREC: the replica may miss up to the assumed lag, 10 s by default, marked as an assumption', () => {
    const t = globalTableReplica({ consistency: 'eventual', replicaRegion: 'us-west-2' });
    expect(t).toMatchObject({
      id: 'dynamodb-replication-lag', kind: RecoveryTermKind.REPLICATION_LAG, min: 0, max: 10, assumption: true, assumptionId: 'dynamoDbReplicationLag',
    });
    expect(t.basis).toMatch(/^multi-Region eventual consistency \(MREC\) replicates asynchronously, typically within a second: writes not yet in us-west-2 are lost with their region, up to 10 s \(assumed: AWS gives no SLA/);
    expect(t.remedy).toMatch(/MultiRegionConsistency\.STRONG/);
  });

  test('MREC with a measured lag: that figure, no longer an assumption', () => {
    const t = globalTableReplica({ consistency: 'eventual', replicaRegion: 'eu-west-1', replicationLag: 2.5 });
    expect([t.max, t.assumption, t.basis.includes('assumed')]).toEqual([2.5, false, false]);
  });

  test('MRSC: RPO 0, documented behaviour', () => {
    const t = globalTableReplica({ consistency: 'strong', replicaRegion: 'us-east-2', replicationLag: 30 });
    expect([t.id, t.min, t.max, t.assumption, t.assumptionId]).toEqual(['dynamodb-mrsc', 0, 0, false, undefined]);
    expect(t.basis).toContain('us-east-2 holds every acknowledged write (RPO 0)');
  });

  test.each([
    [60, undefined, 60, 'the declared RPO'],
    [0.5, 3, 0.5, 'the declared RPO'],
    [0, undefined, 10, 'the dynamoDbReplicationLag assumption'],
    [0, 4, 4, 'the dynamoDbReplicationLag assumption'],
    [undefined, undefined, 10, 'the dynamoDbReplicationLag assumption'],
    [undefined, 20, 20, 'the dynamoDbReplicationLag assumption'],
    [undefined, 0, 10, 'the dynamoDbReplicationLag assumption'],
  ])('the alarm threshold for RPO %p and lag %p is %p s (%s)', (rpo, lag, seconds, source) => {
    expect(replicationLatencyThreshold(rpo, lag)).toEqual({ seconds, source });
  });
});

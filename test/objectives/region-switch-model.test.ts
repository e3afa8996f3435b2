import { RecoveryAssumption } from '../../src/objectives/assumptions';
import {
  approvalBlock, auroraGlobalBlock, blockCall, blockWait, ecsScalingBlock, readReplicaBlock, REGION_SWITCH_BLOCK_TIMEOUT_MINUTES,
  REGION_SWITCH_MAX_NAME, REGION_SWITCH_RTO_MINUTES, routingControlBlock,
} from '../../src/objectives/model/region-switch';
import { RecoveryTermKind } from '../../src/objectives/term-kind';

const figures = (terms: { id: string; kind: RecoveryTermKind; max: number; assumption: boolean }[]) =>
  terms.map((t) => [t.id, t.kind.id, t.max, t.assumption]);

describe('Region switch model', () => {
  test('the documented limits', () => {
    expect(REGION_SWITCH_BLOCK_TIMEOUT_MINUTES).toBe(60);
    expect(REGION_SWITCH_RTO_MINUTES).toEqual({ min: 1, max: 10_080 });
    expect(REGION_SWITCH_MAX_NAME).toBe(32);
  });

  test('a block\'s call is the runbookTask assumption, or the value given', () => {
    expect(blockCall('x', RecoveryTermKind.SWITCH, 'ARCRoutingControl', 'flip')).toMatchObject({
      id: 'x',
      max: 5,
      assumption: true,
      assumptionId: 'runbookTask',
      basis: expect.stringMatching(/^Region switch runs the ARCRoutingControl block \(flip\): its call, up to 5 s \(assumed: /),
    });
    expect(blockCall('x', RecoveryTermKind.SWITCH, 'ARCRoutingControl', 'flip', 2)).toMatchObject({ max: 2, assumption: false });
  });

  test.each([
    // given, timeout minutes, max, capped
    [undefined, 60, 300, false],
    [120, 60, 120, false],
    [7200, 60, 3600, true],
    [7200, 90, 5400, true],
    [59, 1, 59, false],
    [61, 1, 60, true],
  ])('a wait of %p s under a %p min timeout is %p s', (given, timeout, max, capped) => {
    const t = blockWait({
      id: 'w',
      kind: RecoveryTermKind.PROMOTE,
      assumption: RecoveryAssumption.GLOBAL_DATABASE_FAILOVER,
      given,
      timeoutMinutes: timeout,
      what: 'the writer moves',
      remedy: 'r',
    });
    expect(t.max).toBe(max);
    expect(t.assumption).toBe(given === undefined);
    expect(t.basis.includes(`the block's ${timeout} min timeout fails the step after it`)).toBe(capped);
  });

  test('a switch block: the call, the health check, the DNS answer, the resolvers\' and clients\' caches', () => {
    const terms = routingControlBlock('switch', { states: 'us-west-2 On, us-east-1 Off', fence: false, recordTtl: 60, ttlSource: 'the DnsFailover default' });
    expect(figures(terms)).toEqual([
      ['switch-routing-controls', 'switch', 5, true],
      ['switch-routing-control-health', 'switch', 30, true],
      ['switch-dns-answer', 'switch', 30, true],
      ['switch-resolver-cache', 'propagation', 60, false],
      ['switch-client-cache', 'clientCache', 5, true],
    ]);
    const given = routingControlBlock('switch', {
      states: 's', fence: false, recordTtl: 10, ttlSource: 'as given', runbookTask: 1, controlToHealthStatus: 2, healthToDnsAnswer: 3, clientDnsCache: 4,
    });
    expect(figures(given).map(([, , max, a]) => [max, a])).toEqual([[1, false], [2, false], [3, false], [10, false], [4, false]]);
  });

  test('a fence block is its call only', () => {
    expect(figures(routingControlBlock('fence', { states: 'us-east-1 Off', fence: true, recordTtl: 60, ttlSource: 'x' })))
      .toEqual([['fence-routing-controls', 'fence', 5, true]]);
  });

  test('an Aurora switchover loses nothing; a failover loses up to the lag, with no guard', () => {
    expect(figures(auroraGlobalBlock('promote', { switchover: true, clusterIdentifier: 'orders-west', timeoutMinutes: 60 }))).toEqual([
      ['promote-aurora-global-call', 'promote', 5, true],
      ['promote-aurora-global-switchover', 'promote', 300, true],
      ['promote-switchover-data', 'replicationLag', 0, false],
    ]);
    const failover = auroraGlobalBlock('promote', { switchover: false, clusterIdentifier: 'orders-west', timeoutMinutes: 3, auroraGlobalLag: 20 });
    expect(figures(failover)).toEqual([
      ['promote-aurora-global-call', 'promote', 5, true],
      ['promote-aurora-global-failover', 'promote', 180, true],
      ['promote-failover-lag', 'replicationLag', 20, false],
    ]);
    expect(failover[2].basis).toMatch(/AllowDataLoss.*up to 20 s; a plan has no RPO guard block/);
  });

  test('a read replica promotion: the call, the promotion, the replica lag', () => {
    expect(figures(readReplicaBlock('promote', { instanceIdentifier: 'db', timeoutMinutes: 60 }))).toEqual([
      ['promote-promote-replica-call', 'promote', 5, true],
      ['promote-replica-promotion', 'promote', 900, true],
      ['promote-replica-lag', 'replicationLag', 60, true],
    ]);
    expect(readReplicaBlock('p', { instanceIdentifier: 'db', timeoutMinutes: 10, replicaPromotion: 700, rdsReplicaLag: 3 }).map((t) => t.max))
      .toEqual([5, 600, 3]);
  });

  test('an ECS scaling block: the call and the scale-out, capped by the timeout', () => {
    expect(figures(ecsScalingBlock('scale', { serviceName: 'web', timeoutMinutes: 60 }))).toEqual([
      ['scale-ecs-scaling-call', 'scale', 5, true],
      ['scale-ecs-scale-out', 'scale', 300, true],
    ]);
    expect(ecsScalingBlock('scale', { serviceName: 'web', timeoutMinutes: 2, ecsScaleOut: 400 })[1].max).toBe(120);
  });

  test('an approval waits the approvalWait assumption, at most the timeout', () => {
    expect(approvalBlock('approval', 60)).toMatchObject({ id: 'approval-wait', max: 900, assumption: true, assumptionId: 'approvalWait' });
    expect(approvalBlock('approval', 10)).toMatchObject({ max: 600 });
    expect(approvalBlock('approval', 60, 120)).toMatchObject({ max: 120, assumption: false });
  });
});

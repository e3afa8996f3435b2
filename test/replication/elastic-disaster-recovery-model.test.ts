import { DRS_SERVER_HOUR_USD, drsMonthlyCost, drsRecovery } from '../../src/objectives/model/drs';

describe('the DRS model', () => {
  test('defaults: 30 s of replication lag; 600 s decision, 1200 s launch, 300 s boot, each an assumption', () => {
    // WHEN
    const terms = drsRecovery({ recoveryRegion: 'us-west-2', sourceServers: 3 });

    // THEN
    expect(terms.map((t) => [t.id, t.kind.id, t.min, t.max, t.assumption, t.assumptionId])).toEqual([
      ['drs-replication-lag', 'replicationLag', 0, 30, true, 'drsReplicationLag'],
      ['drs-recovery-decision', 'decision', 0, 600, true, 'operatorResponse'],
      ['drs-recovery-launch', 'restore', 0, 1200, true, 'drsRecoveryLaunch'],
      ['drs-instance-boot', 'restore', 0, 300, true, 'drsInstanceBoot'],
    ]);
    expect(terms[2].basis).toBe('DRS converts the 3 source servers\' latest point in time and launches the recovery instances, minutes by AWS\'s account: '
      + 'up to 1200 s (assumed: AWS says DRS recovers with an RTO of minutes, with no figure for conversion and launch; 20 minutes is a placeholder until a drill times the job)');
  });

  test('given figures replace the assumptions and are no longer marked', () => {
    const terms = drsRecovery({ recoveryRegion: 'eu-west-1', sourceServers: 1, replicationLag: 2, operatorResponse: 0, recoveryLaunch: 480, instanceBoot: 90 });

    expect(terms.map((t) => [t.max, t.assumption])).toEqual([[2, false], [0, false], [480, false], [90, false]]);
    expect(terms[1].basis).toBe('a person or a runbook starts the recovery of the 1 source server in eu-west-1: up to 0 s; DRS never starts one by itself');
  });

  test('idle cost: the price x the servers x 730 h, rounded to the tenth of a cent, and the staging area left out', () => {
    expect(DRS_SERVER_HOUR_USD).toBe(0.028);
    expect(drsMonthlyCost({ sourceServers: 10, serverHourUsd: 0.028, priceGiven: false })).toEqual({
      monthlyUsd: 204.4,
      basis: 'an estimate: 0.028 USD per source server-hour (about, us-east-1; a secondary source: docs/aws-facts.md#pricing) x 10 source servers x 730 h; '
        + 'the staging area (replication servers, EBS volumes and snapshots) and drill or recovery instances are billed by EC2 and EBS and not counted',
    });
    expect(drsMonthlyCost({ sourceServers: 1, serverHourUsd: 0.0333, priceGiven: true }).monthlyUsd).toBe(24.309);
    expect(drsMonthlyCost({ sourceServers: 1, serverHourUsd: 0, priceGiven: true }).basis).toMatch(/^an estimate: 0 USD per source server-hour \(given\) x 1 source server x 730 h; /);
  });
});

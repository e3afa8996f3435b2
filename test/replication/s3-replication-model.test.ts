import { RecoveryEstimate, RecoveryTermKind } from '../../src';
import { s3ReplicationLag, S3_RTC_SECONDS } from '../../src/objectives/model/s3-replication';

describe('s3ReplicationLag', () => {
  test('with RTC: AWS\'s 15 minutes, a fact, whose basis says the 0.01 % tail is not bounded', () => {
    // WHEN
    const term = s3ReplicationLag({ rtc: true });

    // THEN
    expect(S3_RTC_SECONDS).toEqual(900);
    expect(term).toMatchObject({ id: 's3-replication-rtc', min: 0, max: 900, assumption: false });
    expect(term.assumptionId).toBeUndefined();
    expect(term.kind).toBe(RecoveryTermKind.REPLICATION_LAG);
    expect(term.basis).toContain('99.99 % of objects within 15 minutes (docs/aws-facts.md#s3-replication)');
    expect(term.basis).toContain('the remaining 0.01 % is not bounded');
  });

  test('with RTC a given lag is ignored: the bound is AWS\'s', () => {
    expect(s3ReplicationLag({ rtc: true, lag: 60 }).max).toEqual(900);
  });

  test('without RTC: the s3ReplicationLag assumption, 2 hours by default, marked as an assumption', () => {
    // WHEN
    const term = s3ReplicationLag({ rtc: false });

    // THEN
    expect(term).toMatchObject({ id: 's3-replication-lag', min: 0, max: 7200, assumption: true, assumptionId: 's3ReplicationLag' });
    expect(term.basis).toMatch(/^S3 replication without Replication Time Control has no published bound; up to 7200 s \(assumed: without RTC/);
    expect(term.remedy).toContain('replicationTimeControl: true');
  });

  test('without RTC a measured lag replaces the default and is no longer an assumption', () => {
    // WHEN
    const term = s3ReplicationLag({ rtc: false, lag: 1800 });

    // THEN
    expect(term).toMatchObject({ max: 1800, assumption: false, assumptionId: 's3ReplicationLag' });
  });

  test('the term alone is a data path: an RPO and no RTO', () => {
    // WHEN
    const estimate = RecoveryEstimate._fromModel([s3ReplicationLag({ rtc: true })]);

    // THEN
    expect(estimate.rpoWorst?.toSeconds()).toEqual(900);
    expect(estimate.rtoWorst).toBeUndefined();
  });
});

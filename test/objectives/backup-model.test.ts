import { backupRestore, restoreTerm, scheduleGap } from '../../src/objectives/model/backup';

const HOUR = 3600;
const DAY = 86400;

describe('scheduleGap', () => {
  test.each([
    ['rate(1 hour)', HOUR, HOUR],
    ['rate(90 minutes)', 5400, 5400],
    ['rate(7 days)', 7 * DAY, 7 * DAY],
    ['cron(0 5 ? * * *)', DAY, DAY],
    ['cron(0 * ? * * *)', HOUR, HOUR],
    ['cron(15 */6 * * ? *)', 6 * HOUR, 6 * HOUR],
    ['cron(0 1,13 ? * * *)', 12 * HOUR, 12 * HOUR],
    ['cron(0 2,5 ? * * *)', 21 * HOUR, 3 * HOUR],
    ['cron(0 3 ? * MON-FRI *)', 3 * DAY, DAY],
    ['cron(0 3 ? * 2,6 *)', 4 * DAY, 3 * DAY],
    ['cron(0 3 ? * SUN *)', 7 * DAY, 7 * DAY],
    ['cron(0 0 1 * ? *)', 31 * DAY, 28 * DAY],
    ['cron(0 0 L * ? *)', 31 * DAY, 28 * DAY],
    ['cron(0 0 31 * ? *)', 61 * DAY, 31 * DAY],
    ['cron(30 4 1 JAN,JUL ? *)', 184 * DAY, 181 * DAY],
    ['cron(0 0 29 2 ? *)', 4 * 365 * DAY + DAY, 4 * 365 * DAY + DAY],
  ])('%s: longest %d s, shortest %d s', (expression, longest, shortest) => {
    expect(scheduleGap(expression)).toEqual({ kind: 'known', longest, shortest });
  });

  test.each([
    ['rate(0 hours)', /positive whole number/],
    ['rate(2 hour)', /singular unit for 1/],
    ['every day', /must be rate\(\.\.\.\) or cron\(\.\.\.\)/],
    ['cron(0 5 * *)', /6 fields .* got 4/],
    ['cron(0 5 * * * *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(0 5 ? * ? *)', /exactly one of day-of-month and day-of-week must be \?/],
    ['cron(60 5 ? * * *)', /minute field "60" must stay within 0-59/],
    ['cron(0 5-2 ? * * *)', /hour field "5-2" must stay within 0-23, ranges low to high/],
    ['cron(0 5 ? FOO * *)', /month field "FOO" has a value that is not a number or a name/],
    ['cron(0 0 30 2 ? *)', /never runs/],
    ['cron(0 5 ? * * +)', /year field/],
  ])('%s is not read as a schedule', (expression, reason) => {
    const gap = scheduleGap(expression);
    expect(gap.kind).not.toEqual('known');
    expect((gap as { reason: string }).reason).toMatch(reason);
  });

  test('valid forms the model does not read are unknown, not invalid', () => {
    expect(scheduleGap('cron(0 5 ? * 6#3 *)')).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/uses L, W or #/) });
    expect(scheduleGap('cron(0 5 15W * ? *)')).toMatchObject({ kind: 'unknown' });
    expect(scheduleGap('cron(0 5 ? * * 2027-2030)')).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/year field "2027-2030"/) });
  });
});

describe('backupRestore', () => {
  test('defaults: schedule, window and copy are the data terms, the decision the time term', () => {
    const terms = backupRestore({ interval: DAY, intervalBasis: 'daily', intervalAssumed: false, window: 9 * HOUR, continuous: false });
    expect(terms.map((t) => [t.id, t.kind.id, t.min, t.max, t.assumption])).toEqual([
      ['backup-schedule', 'backupInterval', 0, DAY, false],
      ['backup-window', 'backupInterval', 0, 9 * HOUR, false],
      ['backup-copy', 'copy', 0, 14400, true],
      ['restore-decision', 'decision', 0, 600, true],
    ]);
  });

  test('given values replace the assumptions, and a continuous rule says its copies are snapshots', () => {
    const terms = backupRestore({
      interval: HOUR, intervalBasis: 'hourly', intervalAssumed: false, window: 2 * HOUR, continuous: true, copyTime: 1800, operatorResponse: 300,
    });
    expect(terms.map((t) => [t.max, t.assumption])).toEqual([[HOUR, false], [2 * HOUR, false], [1800, false], [300, false]]);
    expect(terms[0].basis).toMatch(/cross-Region copies are snapshots taken on this schedule, without point-in-time restore/);
  });
});

describe('restoreTerm', () => {
  test('start-up plus size at the service rate, each default marked as assumed', () => {
    const t = restoreTerm({ name: 'Orders', service: 'rds', sizeGiB: 100, defaultSize: false });
    expect([t.id, t.kind.id, t.min, t.max, t.assumption, t.assumptionId]).toEqual(['restore-Orders', 'restore', 1800, 1800 + 100 * 20, true, 'rdsRestorePerGiB']);
    expect(t.basis).toEqual('restore Orders (RDS/Aurora snapshot, 100 GiB): 1800 s start-up + 100 GiB x 20 s/GiB '
      + '(assumed: AWS publishes no figure for: restore start-up, RDS/Aurora snapshot restore rate)');
  });

  test.each([
    ['dynamodb', 30],
    ['ebs', 5],
    ['efs', 30],
    ['s3', 10],
  ] as const)('%s restores at %d s per GiB by default', (service, rate) => {
    expect(restoreTerm({ name: 'R', service, sizeGiB: 10, defaultSize: false }).max).toEqual(1800 + 10 * rate);
  });

  test('measured rate and start-up with a given size: no assumption', () => {
    const t = restoreTerm({ name: 'Table', service: 'dynamodb', sizeGiB: 2, defaultSize: false, perGiB: 12 }, 600);
    expect([t.min, t.max, t.assumption, t.assumptionId]).toEqual([600, 624, false, undefined]);
  });

  test('a default size is an assumption too', () => {
    const t = restoreTerm({ name: 'Volume', service: 'ebs', sizeGiB: 100, defaultSize: true, perGiB: 5 }, 600);
    expect(t.assumption).toBe(true);
    expect(t.basis).toMatch(/AWS publishes no figure for: data size \(none given\)/);
  });
});

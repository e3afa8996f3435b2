import { Duration, Lazy, Size } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as fc from 'fast-check';
import { BackupService, CrossRegionBackup } from '../../src';
import { scheduleGap } from '../../src/objectives/model/backup';
import { testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

/** Mostly valid values, sometimes not: both outcomes are exercised. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid, weight: 1 });

const days = mostly(
  fc.integer({ min: 1, max: 500 }).map((d) => Duration.days(d)),
  fc.oneof(
    fc.constant(Duration.days(0)),
    fc.integer({ min: 1, max: 72 }).map((h) => Duration.hours(h)),
    fc.constant(Duration.days(Lazy.number({ produce: () => 30 }))),
  ),
);

const window = mostly(
  fc.integer({ min: 60, max: 48 * 60 }).map((m) => Duration.minutes(m)),
  fc.oneof(fc.integer({ min: 0, max: 59 }).map((m) => Duration.minutes(m)), fc.integer({ min: 3000, max: 8000 }).map((s) => Duration.seconds(s))),
);

const cronField = (min: number, max: number) => fc.oneof(
  fc.constant('*'),
  fc.integer({ min, max }).map(String),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${a}-${b}`),
  fc.tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 12 })).map(([a, n]) => `${a}/${n}`),
  fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((v) => v.join(',')),
);

const schedule = fc.oneof(
  { arbitrary: fc.constantFrom('0', '15').chain((minute) => fc.constantFrom('*', '*/6', '3', '1,13').map((hour) => events.Schedule.cron({ minute, hour }))), weight: 4 },
  fc.record({
    minute: cronField(0, 59),
    hour: cronField(0, 23),
    day: fc.option(cronField(1, 31), { nil: undefined }),
    month: fc.option(cronField(1, 12), { nil: undefined }),
  })
    .map((c) => events.Schedule.cron(c)),
  fc.record({ minute: cronField(0, 59), hour: cronField(0, 23), weekDay: cronField(1, 7) }).map((c) => events.Schedule.cron(c)),
  fc.integer({ min: 1, max: 48 }).map((h) => events.Schedule.rate(Duration.hours(h))),
);

/** Absent three times in four: cold storage limits are easy to miss at random. */
const rarely = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: a, weight: 1 });

const props = fc.record({
  recoveryRegion: mostly(fc.constantFrom('us-west-2', 'eu-west-1'), fc.constantFrom('us-east-1', 'cn-north-1', 'nowhere')),
  copyVaultName: mostly(fc.stringMatching(/^[a-zA-Z0-9_-]{2,50}$/), fc.oneof(fc.constantFrom('x', 'a.b'), fc.stringMatching(/^[a-zA-Z0-9_-]{51,55}$/))),
  schedule: fc.option(schedule, { nil: undefined }),
  startWindow: fc.option(window, { nil: undefined }),
  completionWindow: fc.option(window, { nil: undefined }),
  retention: fc.option(days, { nil: undefined }),
  moveToColdStorageAfter: rarely(days),
  copyRetention: fc.option(days, { nil: undefined }),
  copyMoveToColdStorageAfter: rarely(days),
  continuousBackup: rarely(fc.boolean()),
  sizeGiB: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  copyTime: fc.option(fc.integer({ min: 0, max: 86400 }).map((s) => Duration.seconds(s)), { nil: undefined }),
});

test('random props either synthesize a plan that AWS Backup accepts with a consistent estimate, or fail with our error', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(undefined, 'Primary', 'us-east-1');

    // WHEN
    let b: CrossRegionBackup;
    try {
      b = new CrossRegionBackup(stack, 'Backup', {
        ...p,
        resources: [{
          resource: backup.BackupResource.fromArn('arn:aws:dynamodb:us-east-1:111111111111:table/orders'),
          service: BackupService.DYNAMODB,
          size: p.sizeGiB === undefined ? undefined : Size.gibibytes(p.sizeGiB),
        }],
        assumptions: p.copyTime && { backupCopyTime: p.copyTime },
      });
    } catch (e) {
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Primary\/Backup: (\d+ problems:\n {2}- )?`[a-zA-Z.[\]0-9]+`/);
      return;
    }

    // THEN: a cron schedule at most hourly, windows of an hour or more, cold storage 90 days before deletion
    const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Backup::BackupPlan'))[0].Properties.BackupPlan.BackupPlanRule;
    const gap = scheduleGap(rule.ScheduleExpression);
    expect(gap.kind === 'known' && gap.shortest >= 3600).toBe(true);
    expect(rule.StartWindowMinutes).toBeGreaterThanOrEqual(60);
    expect(rule.CompletionWindowMinutes).toBeGreaterThanOrEqual(60);
    for (const lifecycle of [rule.Lifecycle, rule.CopyActions[0].Lifecycle]) {
      if (lifecycle.MoveToColdStorageAfterDays !== undefined) {
        expect(lifecycle.DeleteAfterDays).toBeGreaterThanOrEqual(lifecycle.MoveToColdStorageAfterDays + 90);
      }
    }
    if (rule.Lifecycle.MoveToColdStorageAfterDays !== undefined) {
      const copyLands = (rule.StartWindowMinutes + rule.CompletionWindowMinutes) * 60 + (p.copyTime?.toSeconds() ?? 14400);
      expect(rule.Lifecycle.MoveToColdStorageAfterDays * 86400).toBeGreaterThan(copyLands);
    }
    expect(JSON.stringify(stack.resolve(rule.CopyActions[0].DestinationBackupVaultArn))).toContain(`:backup:${p.recoveryRegion}:`);
    // the RPO holds the whole schedule gap, both windows and the copy
    const rpo = b.estimate.rpoWorst!.toSeconds();
    expect(rpo).toBeGreaterThanOrEqual((gap as { longest: number }).longest + (rule.StartWindowMinutes + rule.CompletionWindowMinutes) * 60);
    expect(b.estimate.rtoWorst!.toSeconds()).toBeGreaterThanOrEqual(1800 + 600);
  }), { numRuns: 120 });
});

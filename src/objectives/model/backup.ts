/**
 * Backup and restore across regions with AWS Backup (docs/aws-facts.md#aws-backup): the data
 * the recovery region lacks (the schedule's longest gap, the backup window, the copy) and the
 * time to restore (an operator's decision, then every resource restored in parallel).
 */
import { assumedText, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** What the model makes of a schedule expression. */
export type ScheduleGap =
  /** The longest and shortest gaps between two runs, in seconds. */
  | { readonly kind: 'known'; readonly longest: number; readonly shortest: number }
  /** An expression AWS would reject; `reason` says why. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** A valid form the model does not read (L, W, # in day-of-week, a year range); `reason` says which. */
  | { readonly kind: 'unknown'; readonly reason: string };

const MINUTE = 60;
const DAY_MINUTES = 1440;

const RATE_UNITS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86400, days: 86400 };

/**
 * The gaps between the runs of an EventBridge-style schedule: `rate(n unit)` directly; for
 * `cron(minute hour day-of-month month day-of-week year)` the longest and shortest gaps over 29
 * years of the calendar (the 28-year cycle of weekdays and leap years, plus one year to wrap),
 * in UTC.
 */
export function scheduleGap(expression: string): ScheduleGap {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1 || (n === 1) === rate[2].endsWith('s')) {
      return { kind: 'invalid', reason: `a rate is a positive whole number with a singular unit for 1 and a plural one otherwise, got ${expression}` };
    }
    return { kind: 'known', longest: n * RATE_UNITS[rate[2]], shortest: n * RATE_UNITS[rate[2]] };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) {
    return { kind: 'invalid', reason: `an expression must be rate(...) or cron(...), got ${expression}` };
  }
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    return { kind: 'invalid', reason: `a cron expression has 6 fields (minute hour day-of-month month day-of-week year), got ${fields.length} in ${expression}` };
  }
  return cronGap(fields);
}

type Field = Set<number> | { readonly invalid: string } | { readonly unknown: string };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function cronGap([minuteText, hourText, domText, monthText, dowText, yearText]: string[]): ScheduleGap {
  if (yearText !== '*') {
    return { kind: 'unknown', reason: `the year field ${JSON.stringify(yearText)} ends or skips the schedule` };
  }
  if ((domText === '?') === (dowText === '?')) {
    return { kind: 'invalid', reason: 'exactly one of day-of-month and day-of-week must be ?' };
  }
  const lastDay = domText === 'L';
  const fields: Field[] = [
    parseField('minute', minuteText, 0, 59),
    parseField('hour', hourText, 0, 23),
    lastDay || domText === '?' ? new Set<number>() : parseField('day-of-month', domText, 1, 31),
    parseField('month', monthText, 1, 12, MONTHS),
    dowText === '?' ? new Set<number>() : parseField('day-of-week', dowText, 1, 7, WEEKDAYS),
  ];
  for (const f of fields) {
    if ('invalid' in f) {
      return { kind: 'invalid', reason: f.invalid };
    }
    if ('unknown' in f) {
      return { kind: 'unknown', reason: f.unknown };
    }
  }
  const [minutes, hours, doms, months, dows] = fields as Set<number>[];
  const times = [...hours].sort((a, b) => a - b).flatMap((h) => [...minutes].sort((a, b) => a - b).map((m) => h * 60 + m));
  const days = matchingDays((date) => {
    if (!months.has(date.getUTCMonth() + 1)) {
      return false;
    }
    if (dowText !== '?') {
      return dows.has(date.getUTCDay() + 1);
    }
    if (lastDay) {
      return new Date(date.getTime() + 86_400_000).getUTCDate() === 1;
    }
    return doms.has(date.getUTCDate());
  });
  if (days.length < 2) {
    return { kind: 'invalid', reason: 'the expression never runs (no calendar day matches its day and month fields)' };
  }
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    gaps.push(times[i] - times[i - 1]);
  }
  for (let i = 1; i < days.length; i++) {
    gaps.push((days[i] - days[i - 1]) * DAY_MINUTES + times[0] - times[times.length - 1]);
  }
  return { kind: 'known', longest: Math.max(...gaps) * MINUTE, shortest: Math.min(...gaps) * MINUTE };
}

/** Day numbers from 2001-01-01 over 29 years that match. */
function matchingDays(match: (date: Date) => boolean): number[] {
  const start = Date.UTC(2001, 0, 1);
  const days: number[] = [];
  for (let d = 0; d < 29 * 366; d++) {
    if (match(new Date(start + d * 86_400_000))) {
      days.push(d);
    }
  }
  return days;
}

function parseField(name: string, text: string, min: number, max: number, names?: string[]): Field {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) {
      return /[LW#]/.test(item)
        ? { unknown: `the ${name} field ${JSON.stringify(text)} uses L, W or #` }
        : { invalid: `the ${name} field ${JSON.stringify(text)} is not a cron field` };
    }
    const [from, to] = m[1] === '*' ? [min, max] : m[1].split('-').map((v) => value(v, names));
    const end = m[1] === '*' || m[1].includes('-') ? to ?? from : (m[2] ? max : from);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if ([from, end].some((v) => v === undefined || Number.isNaN(v))) {
      return /[LW]/.test(item)
        ? { unknown: `the ${name} field ${JSON.stringify(text)} uses L or W` }
        : { invalid: `the ${name} field ${JSON.stringify(text)} has a value that is not a number${names ? ' or a name' : ''}` };
    }
    if (from < min || end > max || from > end || step < 1) {
      return { invalid: `the ${name} field ${JSON.stringify(text)} must stay within ${min}-${max}, ranges low to high, steps of 1 or more` };
    }
    for (let v = from; v <= end; v += step) {
      values.add(v);
    }
  }
  return values;
}

function value(text: string, names?: string[]): number {
  if (/^\d+$/.test(text)) {
    return Number(text);
  }
  const i = names?.indexOf(text.toUpperCase()) ?? -1;
  return i < 0 ? NaN : i + 1;
}

/** What a service's restore rate is, per GiB, and its named assumption. */
export type BackupServiceName = 'rds' | 'dynamodb' | 'ebs' | 'efs' | 's3';

const RESTORE_RATE: Record<BackupServiceName, { assumption: RecoveryAssumption; label: string }> = {
  rds: { assumption: RecoveryAssumption.RDS_RESTORE_PER_GIB, label: 'RDS/Aurora snapshot' },
  dynamodb: { assumption: RecoveryAssumption.DYNAMODB_RESTORE_PER_GIB, label: 'DynamoDB backup' },
  ebs: { assumption: RecoveryAssumption.EBS_RESTORE_PER_GIB, label: 'EBS snapshot' },
  efs: { assumption: RecoveryAssumption.EFS_RESTORE_PER_GIB, label: 'EFS backup' },
  s3: { assumption: RecoveryAssumption.S3_RESTORE_PER_GIB, label: 'S3 backup' },
};

/** The service's per-GiB restore assumption. */
export function restoreRateAssumption(service: BackupServiceName): RecoveryAssumption {
  return RESTORE_RATE[service].assumption;
}

/** One resource to restore. */
export interface RestoreInput {
  /** Its name in the report, e.g. `Orders`. */
  readonly name: string;
  readonly service: BackupServiceName;
  /** Its data in GiB. */
  readonly sizeGiB: number;
  /** True when the size is the default, not the user's. */
  readonly defaultSize: boolean;
  /** Seconds per GiB given for the service (undefined: the assumption's default). */
  readonly perGiB?: number;
}

/** Inputs of the backup-and-restore path. */
export interface BackupRestoreInput {
  /** The longest gap between two scheduled backups, in seconds. */
  readonly interval: number;
  /** How the interval was read, e.g. `cron(0 5 ? * * *): daily`. */
  readonly intervalBasis: string;
  /** True when the schedule could not be read and the interval is the slowest the model takes. */
  readonly intervalAssumed: boolean;
  /** Start window plus completion window, in seconds. */
  readonly window: number;
  readonly copyTime?: number;
  readonly operatorResponse?: number;
  readonly restoreStartup?: number;
  readonly continuous: boolean;
}

/**
 * The data terms (series: the recovery region lacks what was written since the last backup's
 * point in time, until its copy lands there) and the decision to restore. Restore terms come
 * from `restoreTerm`, one per resource, composed in parallel by the caller.
 */
export function backupRestore(input: BackupRestoreInput): Term[] {
  const copy = RecoveryAssumption.BACKUP_COPY_TIME;
  const operator = RecoveryAssumption.OPERATOR_RESPONSE;
  const copySeconds = input.copyTime ?? copy._defaultSeconds;
  const operatorSeconds = input.operatorResponse ?? operator._defaultSeconds;
  const continuousNote = input.continuous
    ? '; the rule is continuous, but its cross-Region copies are snapshots taken on this schedule, without point-in-time restore'
    : '';
  return [
    {
      id: 'backup-schedule',
      kind: RecoveryTermKind.BACKUP_INTERVAL,
      min: 0,
      max: input.interval,
      basis: `the longest gap between scheduled backups, ${input.intervalBasis}${continuousNote}`
        + assumedText(input.intervalAssumed, 'the schedule cannot be read at synth, so the slowest the model takes'),
      assumption: input.intervalAssumed,
      remedy: 'back up more often (`schedule`, at most hourly), or add continuous replication for this data',
    },
    {
      id: 'backup-window',
      kind: RecoveryTermKind.BACKUP_INTERVAL,
      min: 0,
      max: input.window,
      basis: `a backup job may start up to the start window after its scheduled time and run up to the completion window, ${input.window} s in all`,
      assumption: false,
      remedy: 'shorten `startWindow` and `completionWindow` (a job that runs longer is cancelled and alarms)',
    },
    {
      id: 'backup-copy',
      kind: RecoveryTermKind.COPY,
      min: 0,
      max: copySeconds,
      basis: `the cross-Region copy lands up to ${copySeconds} s after the backup completes`
        + assumedText(input.copyTime === undefined, 'AWS Backup publishes no copy time'),
      assumption: input.copyTime === undefined,
      assumptionId: copy.id,
      remedy: 'measure your copy jobs and set `assumptions.backupCopyTime`',
    },
    {
      id: 'restore-decision',
      kind: RecoveryTermKind.DECISION,
      min: 0,
      max: operatorSeconds,
      basis: `an operator decides to restore in the recovery Region, up to ${operatorSeconds} s`
        + assumedText(input.operatorResponse === undefined, 'a human step AWS cannot publish'),
      assumption: input.operatorResponse === undefined,
      assumptionId: operator.id,
      remedy: 'automate the restore in a runbook, or measure your response in a game day and set `assumptions.operatorResponse`',
    },
  ];
}

/** Restoring one resource: the restore job's start-up, then its data at the service's rate. */
export function restoreTerm(input: RestoreInput, restoreStartup?: number): Term {
  const startup = RecoveryAssumption.RESTORE_STARTUP;
  const rate = RESTORE_RATE[input.service];
  const startupSeconds = restoreStartup ?? startup._defaultSeconds;
  const perGiB = input.perGiB ?? rate.assumption._defaultSeconds;
  const assumed = input.perGiB === undefined || restoreStartup === undefined || input.defaultSize;
  const why = [
    restoreStartup === undefined ? 'restore start-up' : undefined,
    input.perGiB === undefined ? `${rate.label} restore rate` : undefined,
    input.defaultSize ? 'data size (none given)' : undefined,
  ].filter((x) => x !== undefined).join(', ');
  return {
    id: `restore-${input.name}`,
    kind: RecoveryTermKind.RESTORE,
    min: startupSeconds,
    max: startupSeconds + input.sizeGiB * perGiB,
    basis: `restore ${input.name} (${rate.label}, ${input.sizeGiB} GiB): ${startupSeconds} s start-up + ${input.sizeGiB} GiB x ${perGiB} s/GiB`
      + assumedText(assumed, `AWS publishes no figure for: ${why}`),
    assumption: assumed,
    assumptionId: input.perGiB === undefined ? rate.assumption.id : (restoreStartup === undefined ? startup.id : undefined),
    remedy: 'restore less data (split it), keep a warm copy (replication) for this resource, or measure a restore test and set the rate in `assumptions`',
  };
}

/** The size a restore is modeled at when the data's size is not known (a resource without a given size, a template). */
export const DEFAULT_RESTORE_SIZE_GIB = 100;

/** The schedule interval the model takes for a schedule it cannot read: the slowest it models, a cron that fires once a year. */
export const SLOWEST_INTERVAL = 366 * 86400;

/** AWS Backup runs a plan rule at most hourly (docs/aws-facts.md#aws-backup). */
export const MIN_INTERVAL = 3600;

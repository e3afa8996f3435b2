import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DrillInjection } from './drill-injection';
import { IRecoveryPathProvider } from '../objectives/path';

/** What the measuring client waits for. */
export enum MeasureUntil {
  /**
   * Until the standby answers, recognized by its marker: a regional failover. The RTO is the
   * first standby answer's time since the injection.
   */
  STANDBY = 'standby',
  /**
   * Until requests are served again after failing, `stableSamples` in a row: an in-region fault
   * (a database failover, a lost Availability Zone). The RTO is the first served request of that
   * run; when nothing failed, no RTO is claimed.
   */
  RECOVERED = 'recovered',
}

/**
 * How the drill's measuring client sees the failover: it requests `url` about every `interval`
 * from the injection on, and the time until the standby answers (or, with
 * `MeasureUntil.RECOVERED`, until requests are served again) is the RTO a client sees.
 * With `MeasureUntil.STANDBY`, give at least one of the standby's markers (`standbyHeaderName`
 * with `standbyHeaderValue`, or `standbyBodyContains`); with both, both must match.
 */
export interface DrillMeasurement {
  /** The public name's http:// or https:// URL, as clients use it, known at synth, e.g. `https://app.example.com/health`. */
  readonly url: string;

  /**
   * What the client waits for.
   *
   * @default MeasureUntil.STANDBY
   */
  readonly until?: MeasureUntil;

  /**
   * With `MeasureUntil.RECOVERED`: how many served requests in a row, after a failure, make the
   * recovery. 1 to 60.
   *
   * @default 5
   */
  readonly stableSamples?: number;

  /**
   * A response header only the standby sends, e.g. `x-region`: an HTTP header name, known at synth.
   *
   * @default - no header marker (give `standbyBodyContains`)
   */
  readonly standbyHeaderName?: string;

  /**
   * The value of `standbyHeaderName` that marks the standby, e.g. `us-west-2`: not blank (the client
   * compares it trimmed), known at synth.
   *
   * @default - required with `standbyHeaderName`
   */
  readonly standbyHeaderValue?: string;

  /**
   * A string only the standby's response body contains, e.g. `"region":"us-west-2"`: 1 byte to
   * 64 KiB, known at synth (the client searches the body's first 64 KiB).
   *
   * @default - no body marker (give the header)
   */
  readonly standbyBodyContains?: string;

  /**
   * The time between two requests: the measured RTO is within one interval of the true one.
   * 10 ms to 60 s.
   *
   * @default Duration.seconds(1)
   */
  readonly interval?: Duration;

  /**
   * How long the client waits for the standby. At most 14 minutes (a Lambda function runs 15).
   *
   * @default Duration.minutes(10)
   */
  readonly maxWait?: Duration;

  /**
   * The HTTP statuses that count as served: a non-empty list of statuses 100 to 599.
   *
   * @default - 200 to 399
   */
  readonly expectStatus?: number[];
}

/**
 * A game day: an EventBridge Scheduler schedule that starts the drill. It is created disabled
 * unless `enabled` is true: a drill that breaks things on a timer is an explicit choice. The
 * drill's blocked windows and dates hold for scheduled runs too.
 */
export interface GameDayOptions {
  /** When the drill runs, e.g. `ScheduleExpression.cron({ weekDay: 'TUE', hour: '14', minute: '0' })` (UTC unless the expression says otherwise). */
  readonly schedule: scheduler.ScheduleExpression;

  /**
   * Whether the schedule runs. Off by default: turn it on once a dry run and a manual drill passed.
   *
   * @default false
   */
  readonly enabled?: boolean;

  /**
   * Whether the scheduled runs are dry runs (every step but the injection).
   *
   * @default false
   */
  readonly dryRun?: boolean;
}

/**
 * Properties of `FailoverDrill`.
 */
export interface FailoverDrillProps {
  /** The fault: an FIS experiment, the failover runbook, or a health-check inversion. */
  readonly injection: DrillInjection;

  /**
   * The construct whose recovery path the drill exercises, e.g. the `DnsFailover` of the name
   * whose health check is inverted. The path must have an RTO objective (`RecoveryObjectives`
   * above it): the drill compares what it measured with it.
   */
  readonly path: IRecoveryPathProvider;

  /**
   * Which of `path`'s recovery paths, by id (e.g. `failover`).
   *
   * @default - the only path that takes time
   */
  readonly pathId?: string;

  /**
   * The measuring client: without it the drill injects, waits and restores, and measures nothing.
   *
   * @default - no measurement
   */
  readonly measure?: DrillMeasurement;

  /**
   * Replication-lag alarms (in the drill's Region) that must all be OK before the drill
   * injects: a drill must not fail over while the standby lags behind more than the RPO. At
   * most 100, each of the drill's stack or imported by name (`Alarm.fromAlarmName`): the drill
   * reads them by name, never through a cross-stack export.
   *
   * @default - no lag check
   */
  readonly lagAlarms?: cloudwatch.IAlarm[];

  /**
   * Weekly windows in which the drill does not start, as `Mon:09:00-Mon:17:00` (UTC, within
   * one day), like zonal autoshift's practice runs. At most 15.
   *
   * @default - none
   */
  readonly blockedWindows?: string[];

  /**
   * Days on which the drill does not start, as `YYYY-MM-DD` (UTC). At most 15.
   *
   * @default - none
   */
  readonly blockedDates?: string[];

  /**
   * Whether executions are dry runs unless their input says `{ "dryRun": false }`: every step
   * runs but the injection (and so the restore), and the client samples for one minute.
   *
   * @default false
   */
  readonly dryRun?: boolean;

  /**
   * The drill's name: the `Drill` dimension of its metrics, its summaries' folder and its lock
   * holder. 1 to 64 letters, digits, hyphens or underscores.
   *
   * @default - the construct's id
   */
  readonly drillName?: string;

  /**
   * The name of the lock the drill takes: drills of one stack with the same lock name never run
   * at once. 1 to 64 letters, digits, hyphens or underscores.
   *
   * @default 'drills'
   */
  readonly lockName?: string;

  /**
   * Where the drill writes its summary (a drill results file per execution, which
   * `DrillResults.fromFile` reads). Of the drill's stack, or imported into it by name: the drill
   * never references another stack.
   *
   * @default - a bucket of its own: versioned, encrypted, TLS only, retained
   */
  readonly resultsBucket?: s3.IBucket;

  /**
   * The key prefix of the summaries: `<prefix>/<drill name>/<start>-<execution>.json`. 1 to 200
   * letters, digits and `!_.*'()/-`, with no leading, trailing or double `/`.
   *
   * @default 'drills'
   */
  readonly resultsPrefix?: string;

  /**
   * The topic told of every drill's outcome (met, missed, failed, blocked). Of the drill's stack,
   * or imported into it by ARN: the drill never references another stack.
   *
   * @default - a topic of its own, encrypted
   */
  readonly topic?: sns.ITopic;

  /**
   * The CloudWatch namespace of `MeasuredRTO` and `ModeledRTOWorst`: 1 to 255 letters, digits or
   * `. - _ / # :`, not starting with `AWS/` or `:`.
   *
   * @default 'CdkFailover/Drills'
   */
  readonly metricNamespace?: string;

  /**
   * How long an execution may run, and how long its lock holds if it dies without releasing it.
   * 10 minutes to 24 hours, and with `measure`, at least its `maxWait` plus 5 minutes: a timed-out
   * execution runs no restore.
   *
   * @default - the injection's wait, twice (inject and restore), plus the client's wait and 30 minutes
   */
  readonly timeout?: Duration;

  /**
   * A game-day schedule that starts the drill.
   *
   * @default - no schedule
   */
  readonly gameDay?: GameDayOptions;

  /**
   * How long the state machine's execution logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

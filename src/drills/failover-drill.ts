import { Arn, ArnFormat, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEFAULTS, HANDLER_MARGIN_MS, LIMITS, MAX_BODY_BYTES, MeasureEvent } from './drill-client-contract';
import { DrillClientFunction } from './drill-client-function';
import { DrillControlFunction } from './drill-control-function';
import { DrillInjection } from './drill-injection';
import { DrillMeasurement, FailoverDrillProps, MeasureUntil } from './failover-drill-props';
import { buildDrill, lockTable } from './private/build-drill';
import { suppressWildcardFinding } from '../health/probe-shared';
import { FailoverReport, isPathProvider } from '../objectives/report/failover-report';
import { dateProblem, windowProblem } from '../private/calendar';
import { Problems } from '../private/errors';
import { acknowledgeFindings, defaultPolicyOf } from '../private/nag';
import { checkSameRegion } from '../private/region';
import { stackSingleton } from '../private/singleton';
import { checkDuration, show, unresolved } from '../private/validate';
import { acknowledgeStateMachineRole } from '../runbooks/private/runbook-nag';

/** The namespace of the drills' metrics unless a drill names another (the dashboard reads it). */
const DEFAULT_NAMESPACE = 'CdkFailover/Drills';
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Blocked windows and dates: at most 15 each, as for zonal autoshift practice runs. */
const MAX_BLOCKED = 15;
/** DescribeAlarms takes at most 100 names. */
const MAX_LAG_ALARMS = 100;
/** The client's Lambda runs 15 minutes; it stops sampling a margin before (drill-client-contract.ts). */
const MAX_WAIT_MS = 15 * 60 * 1000 - HANDLER_MARGIN_MS - 54_000;
/** An HTTP header name (RFC 9110 token), as the client checks it. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What a drill's `timeout` must leave after the client's wait: the restore, the summary and the release of the lock. */
const AFTER_MEASURE_SECONDS = 5 * 60;

/** The recovery path a drill measures, once the report has described it. */
interface DrilledPath {
  readonly label: string;
  readonly modeledRtoWorst: number;
  readonly objectiveRto: number;
}

/**
 * A failover drill: a Step Functions state machine, in the Region that survives the drill, that
 * injects a real fault (an FIS experiment, the failover runbook, or a Route 53 health-check
 * inversion), measures the recovery as a client of the public name sees it, compares it with
 * the modeled worst case and the RTO objective, and always puts things back.
 *
 * An execution plans (blocked windows and dates), takes a lock (no two drills of the stack with
 * the same lock run at once), checks the lag alarms, injects, measures beside following the
 * fault, restores, and then publishes: `ModeledRTOWorst` (and, from the client, `MeasuredRTO`)
 * per drill and path, a summary in S3 that is a drill results file (`DrillResults.fromFile`
 * reads it into the next synth), and a notification saying whether the measured RTO met the
 * objective. Every state after the lock has a Catch that leads to the restore, the summary and
 * the release of the lock. `{ "dryRun": true }` as the execution input runs every step but the
 * injection.
 *
 * Stopping an execution by hand (StopExecution) skips the restore: let it end, or restore by hand.
 *
 * @exampleMetadata fixture=drill
 * @example
 * new FailoverDrill(this, 'DnsDrill', {
 *   injection: DrillInjection.healthCheckInversion({ healthCheck: primaryCheck }),
 *   path: failover,
 *   measure: { url: 'https://app.example.com/health', standbyHeaderName: 'x-region', standbyHeaderValue: 'us-west-2' },
 *   blockedWindows: ['Fri:00:00-Fri:23:59'],
 * });
 */
export class FailoverDrill extends Construct {
  /** The drill's state machine: start an execution to run the drill. */
  public readonly stateMachine: sfn.StateMachine;
  /** The bucket the summaries go to. */
  public readonly resultsBucket: s3.IBucket;
  /** The topic told of every drill's outcome. */
  public readonly topic: sns.ITopic;
  /** The drill's name: the `Drill` dimension of its metrics. */
  public readonly drillName: string;
  /**
   * The game-day schedule.
   *
   * @default - none
   */
  public readonly gameDay?: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: FailoverDrillProps) {
    super(scope, id);
    const problems = new Problems(this);
    validate(problems, this, props);
    const measure = measurement(problems, props.measure);
    problems.throwIfAny();

    this.drillName = props.drillName ?? id.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, '-');
    const prefix = props.resultsPrefix ?? 'drills';
    this.resultsBucket = props.resultsBucket ?? resultsBucket(this);
    this.topic = props.topic ?? drillTopic(this);
    const namespace = props.metricNamespace ?? DEFAULT_NAMESPACE;
    const control = controlFunction(this);
    let client: lambda.IFunction | undefined;
    // Read when the template is rendered (the app is complete then); a problem is reported by the validation.
    const facts = () => this.resolvePath(props).path ?? { label: '-', modeledRtoWorst: 0, objectiveRto: 0 };
    const built = buildDrill(this, problems, {
      injection: props.injection,
      measure,
      lagAlarms: props.lagAlarms ?? [],
      blockedWindows: props.blockedWindows ?? [],
      blockedDates: props.blockedDates ?? [],
      dryRun: props.dryRun ?? false,
      drillName: this.drillName,
      lockName: props.lockName ?? 'drills',
      lockTable: stackSingleton(this, 'CdkFailoverDrillLock', {}, (stack, tableId) => lockTable(stack, tableId)),
      bucket: this.resultsBucket,
      prefix,
      topic: this.topic,
      namespace,
      timeout: props.timeout,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      pathLabel: Lazy.string({ produce: () => facts().label }),
      modeledRtoWorst: Lazy.number({ produce: () => facts().modeledRtoWorst }),
      objectiveRto: Lazy.number({ produce: () => facts().objectiveRto }),
      control,
      client: () => client ??= clientFunction(this, namespace),
    });
    problems.throwIfAny();
    this.stateMachine = built!;
    acknowledgeStateMachineRole(this.stateMachine.role);
    acknowledgeFindings(defaultPolicyOf(this.stateMachine.role), [{
      id: 'AwsSolutions-IAM5',
      reason: 'The drill starts, follows and stops executions and experiments whose IDs exist only once they start (<state machine>:*, experiment/*), '
        + 'and writes one summary object per execution under its prefix.',
    }]);

    if (props.gameDay) {
      this.gameDay = new scheduler.Schedule(this, 'GameDay', {
        schedule: props.gameDay.schedule,
        enabled: props.gameDay.enabled ?? false,
        description: `Game day: starts the failover drill ${this.drillName}${props.gameDay.dryRun ? ' (dry run)' : ''}`,
        target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
          input: scheduler.ScheduleTargetInput.fromObject({ dryRun: props.gameDay.dryRun ?? false, gameDay: true }),
        }),
      });
    }
    FailoverReport.of(props.path);
    this.node.addValidation({ validate: () => this.resolvePath(props).problems });
  }

  /** Lets `grantee` start the drill and read its executions. */
  public grantStart(grantee: iam.IGrantable): iam.Grant {
    const grant = this.stateMachine.grantStartExecution(grantee);
    this.stateMachine.grantRead(grantee);
    return grant;
  }

  /** The drilled path from the report, or why there is none (reported by the validation). */
  private resolvePath(props: FailoverDrillProps): { path?: DrilledPath; problems: string[] } {
    const provider = props.path;
    const all = FailoverReport.of(provider)._paths().filter((p) => p.constructPath === provider.node.path);
    const timed = all.filter((p) => p.totals.rtoMax !== undefined);
    const ids = all.map((p) => p.id.slice(provider.node.path.length + 1));
    let chosen;
    if (props.pathId !== undefined) {
      chosen = all.find((p) => p.id === `${provider.node.path}#${props.pathId}`);
      if (!chosen) {
        return { problems: [`\`pathId\` ${show(props.pathId)} is not a path of ${provider.node.path}, whose paths are: ${ids.join(', ') || 'none'}.`] };
      }
    } else if (timed.length !== 1) {
      return {
        problems: [`\`path\` ${provider.node.path} has ${timed.length} recovery paths that take time (${timed.map((p) => p.id).join(', ') || 'none'}): `
          + 'give `pathId` to say which one the drill measures.'],
      };
    } else {
      chosen = timed[0];
    }
    if (chosen.totals.rtoMax === undefined) {
      return { problems: [`\`pathId\` ${show(props.pathId)} of ${provider.node.path} carries data only, with no recovery time to drill. Drill a path that takes time.`] };
    }
    const objectives = chosen.check.objectives;
    if (!objectives) {
      return {
        problems: [`${chosen.id} has no RTO objective: a drill compares what it measured with the objective. `
          + 'Declare `new RecoveryObjectives(scope, \'Objectives\', { rto: ... })` on a scope above it.'],
      };
    }
    return { path: { label: chosen.id, modeledRtoWorst: chosen.totals.rtoMax, objectiveRto: objectives.rto }, problems: [] };
  }
}

function validate(problems: Problems, scope: Construct, props: FailoverDrillProps): void {
  if (!(props.injection instanceof DrillInjection)) {
    problems.add(`\`injection\` must be a DrillInjection (DrillInjection.fisExperiment, .runbook or .healthCheckInversion), got: ${show(props.injection)}.`);
  }
  if (!props.path || !isPathProvider(props.path)) {
    problems.add(`\`path\` must be a construct that declares recovery paths (IRecoveryPathProvider, e.g. a DnsFailover), got: ${show(props.path)}.`);
  }
  for (const [prop, value] of [['drillName', props.drillName], ['lockName', props.lockName]] as const) {
    if (value !== undefined && (typeof value !== 'string' || unresolved(value) || !NAME.test(value))) {
      problems.add(`\`${prop}\` must be 1 to 64 letters, digits, hyphens or underscores, known at synth, got: ${show(value)}. Give e.g. 'orders-dns'.`);
    }
  }
  const prefix = props.resultsPrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || unresolved(prefix) || !/^[A-Za-z0-9!_.*'()/-]{1,200}$/.test(prefix)
    || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//'))) {
    problems.add('`resultsPrefix` must be 1 to 200 characters of letters, digits and !_.*\'()/-, with no leading, trailing or double /, known at synth, '
      + `got: ${show(prefix)}. Give e.g. 'drills' or 'team/drills' (the drill adds /<drill name>/).`);
  }
  const ns = props.metricNamespace;
  // docs/aws-facts.md#cloudwatch-alarms (Metric namespaces): not AWS/, not starting with ':'.
  if (ns !== undefined && (typeof ns !== 'string' || unresolved(ns) || !/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(ns) || ns.startsWith('AWS/') || ns.startsWith(':'))) {
    problems.add('`metricNamespace` must be 1 to 255 letters, digits or . - _ / # :, not starting with AWS/ (reserved for AWS) or :, known at synth, '
      + `got: ${show(ns)}. Give e.g. 'MyApp/Drills'.`);
  }
  checkLagAlarms(problems, scope, props.lagAlarms);
  for (const [prop, value, fix] of [
    ['resultsBucket', props.resultsBucket, 's3.Bucket.fromBucketName(this, \'Results\', \'<its literal name>\')'],
    ['topic', props.topic, 'sns.Topic.fromTopicArn(this, \'Topic\', \'<its literal ARN>\')'],
  ] as const) {
    if (value !== undefined && Stack.of(value) !== Stack.of(scope)) {
      problems.add(`\`${prop}\` (${value.node.path}) is in the stack ${Stack.of(value).node.path}, not the drill's (${Stack.of(scope).node.path}): the drill would `
        + `need its name through a cross-stack reference, which cdk-failover never makes (and which fails across Regions). Give ${fix} in the drill's stack.`);
    }
  }
  for (const [prop, entries, check] of [['blockedWindows', props.blockedWindows, windowProblem], ['blockedDates', props.blockedDates, calendarDateProblem]] as const) {
    if (entries === undefined) {
      continue;
    }
    const example = prop === 'blockedWindows' ? 'Fri:00:00-Fri:23:59' : '2026-12-24';
    if (!Array.isArray(entries) || unresolved(entries)) {
      problems.add(`\`${prop}\` must be a list of strings known at synth, got: ${show(entries)}. Give e.g. ['${example}'].`);
      continue;
    }
    if (entries.length > MAX_BLOCKED) {
      problems.add(`\`${prop}\` takes at most ${MAX_BLOCKED} entries, got ${entries.length}. Merge neighbouring entries, or drop past ones.`);
    }
    for (const entry of entries) {
      const problem = unresolved(entry)
        ? `\`${prop}\` entries must be known at synth (the drill reads them when it starts), got the Token ${show(entry)}. Give a literal, e.g. '${example}'.`
        : check(prop, entry);
      if (problem) {
        problems.add(problem);
      }
    }
  }
  const timeout = checkDuration(problems, 'timeout', props.timeout, { unit: 'seconds', min: 600, max: 86_400, literal: 'it bounds the lock', fix: 'Give e.g. Duration.hours(2).' });
  // A timed-out execution runs no Catch, hence no restore: the timeout must outlast the client's wait.
  const maxWait = props.measure?.maxWait;
  const waitMs = maxWait === undefined ? DEFAULTS.maxWaitMs
    : maxWait instanceof Duration && !maxWait.isUnresolved() ? maxWait.toMilliseconds({ integral: false }) : undefined;
  // A bad maxWait has its own message.
  const waitSeconds = props.measure === undefined || waitMs === undefined || waitMs > MAX_WAIT_MS ? 0 : waitMs / 1000;
  if (timeout !== undefined && props.measure !== undefined && timeout < waitSeconds + AFTER_MEASURE_SECONDS) {
    problems.add(`\`timeout\` (${show(props.timeout)}) must be at least the measuring client's wait (${waitSeconds} s) plus ${AFTER_MEASURE_SECONDS / 60} minutes: `
      + 'a timed-out execution skips the restore and leaves the fault in place. Raise `timeout`, or lower `measure.maxWait`.');
  }
}

/**
 * Why `text` is not a blocked date: `dateProblem`, and a day the month has (Date.parse takes
 * 2026-02-30 for 2026-03-02, a date the drill would never see).
 */
function calendarDateProblem(prop: string, text: unknown): string | undefined {
  const problem = dateProblem(prop, text);
  if (problem !== undefined || typeof text !== 'string') {
    return problem;
  }
  const [year, month, day] = text.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return date.getUTCMonth() === month - 1 ? undefined
    : `\`${prop}\` entries must be days of the calendar, got: ${show(text)} (${text.slice(0, 7)} has ${last} days). Give e.g. ${text.slice(0, 8)}${last}.`;
}

/** The lag alarms: at most 100, each an alarm the drill can read by name in its own Region, without a cross-stack reference. */
function checkLagAlarms(problems: Problems, scope: Construct, alarms: FailoverDrillProps['lagAlarms']): void {
  if (alarms === undefined) {
    return;
  }
  if (!Array.isArray(alarms)) {
    problems.add(`\`lagAlarms\` must be a list of CloudWatch alarms, got: ${show(alarms)}. Give e.g. [replicationLagAlarm].`);
    return;
  }
  if (alarms.length > MAX_LAG_ALARMS) {
    problems.add(`\`lagAlarms\` holds ${alarms.length} alarms; the drill reads at most ${MAX_LAG_ALARMS} (one DescribeAlarms call). Combine them into composite alarms.`);
  }
  const here = Stack.of(scope);
  alarms.forEach((a, i) => {
    if (a === undefined || a === null || typeof a.alarmName !== 'string' || typeof a.alarmArn !== 'string') {
      problems.add(`\`lagAlarms[${i}]\` must be a CloudWatch alarm, got: ${show(a)}. Give an Alarm, or Alarm.fromAlarmName(this, 'Lag', name).`);
      return;
    }
    const before = problems.count;
    checkSameRegion(problems, scope, `lagAlarms[${i}]`, a, 'The drill reads the lag alarms of its own Region: give alarms of this Region.', true);
    if (problems.count > before) {
      return;
    }
    // An import by ARN (Alarm.fromAlarmArn) keeps its stack's environment: read the ARN's Region.
    const region = unresolved(a.alarmArn) ? undefined : Arn.split(a.alarmArn, ArnFormat.COLON_RESOURCE_NAME).region;
    if (region !== undefined && !unresolved(here.region) && region !== here.region) {
      problems.add(`\`lagAlarms[${i}]\` is the alarm ${show(a.alarmArn)} of ${region}, but the drill is in ${here.region}: `
        + 'DescribeAlarms reads the alarms of its own Region only. Give alarms of this Region.');
    } else if (Stack.of(a) !== here) {
      problems.add(`\`lagAlarms[${i}]\` (${a.node.path}) is in the stack ${Stack.of(a).node.path}, not the drill's (${here.node.path}): its name would come `
        + 'through a cross-stack export, which cdk-failover never makes. Give Alarm.fromAlarmName(this, \'Lag\', \'<its literal name>\') in the drill\'s stack.');
    }
  });
}

/** The client's event from the props, checked with the client's own limits (drill-client-measure.ts), so no event it would refuse is built. */
function measurement(problems: Problems, m: DrillMeasurement | undefined)
  : (Omit<MeasureEvent, 'injectedAt' | 'maxWaitMs' | 'publish'> & { maxWaitMs: number }) | undefined {
  if (m === undefined) {
    return undefined;
  }
  if (typeof m !== 'object' || m === null) {
    problems.add(`\`measure\` must be a DrillMeasurement, got: ${show(m)}. Give e.g. { url: 'https://app.example.com/health', standbyBodyContains: 'us-west-2' }.`);
    return undefined;
  }
  if (!httpUrl(m.url)) {
    problems.add(`\`measure.url\` must be an http:// or https:// URL known at synth, as clients use it, got: ${show(m.url)}. `
      + 'Give e.g. \'https://app.example.com/health\'.');
  }
  const header = m.standbyHeaderName !== undefined || m.standbyHeaderValue !== undefined;
  if (header && (m.standbyHeaderName === undefined || m.standbyHeaderValue === undefined)) {
    problems.add(`\`measure.standbyHeaderName\` and \`measure.standbyHeaderValue\` go together, got: ${show(m.standbyHeaderName)} and ${show(m.standbyHeaderValue)}. `
      + 'Give both, e.g. x-region and us-west-2.');
  } else if (header) {
    if (typeof m.standbyHeaderName !== 'string' || unresolved(m.standbyHeaderName) || !HEADER_NAME.test(m.standbyHeaderName)) {
      problems.add(`\`measure.standbyHeaderName\` must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-) known at synth, got: ${show(m.standbyHeaderName)}. `
        + 'Give e.g. x-region.');
    }
    if (typeof m.standbyHeaderValue !== 'string' || unresolved(m.standbyHeaderValue) || m.standbyHeaderValue.trim() === '') {
      problems.add(`\`measure.standbyHeaderValue\` must be a non-blank string known at synth (the client compares it trimmed), got: ${show(m.standbyHeaderValue)}. `
        + 'Give e.g. us-west-2.');
    }
  }
  const until = m.until ?? MeasureUntil.STANDBY;
  if (!Object.values(MeasureUntil).includes(until)) {
    problems.add(`\`measure.until\` must be a MeasureUntil member (STANDBY or RECOVERED), got: ${show(until)}. Give e.g. MeasureUntil.RECOVERED.`);
  }
  if (until === MeasureUntil.STANDBY && !header && m.standbyBodyContains === undefined) {
    problems.add('`measure` must say how the standby is recognized, got no marker: give `standbyHeaderName` with `standbyHeaderValue`, or `standbyBodyContains` '
      + '(or `until: MeasureUntil.RECOVERED` for an in-region fault, which has no standby).');
  }
  let stableOk = true;
  if (m.stableSamples !== undefined && until !== MeasureUntil.RECOVERED) {
    stableOk = false;
    problems.add(`\`measure.stableSamples\` (${show(m.stableSamples)}) applies only with \`until: MeasureUntil.RECOVERED\`. Remove it, or measure until recovered.`);
  } else if (m.stableSamples !== undefined && (unresolved(m.stableSamples) || !Number.isInteger(m.stableSamples)
    || m.stableSamples < LIMITS.minStableSamples || m.stableSamples > LIMITS.maxStableSamples)) {
    stableOk = false;
    problems.add(`\`measure.stableSamples\` must be a whole number from ${LIMITS.minStableSamples} to ${LIMITS.maxStableSamples}, known at synth, `
      + `got: ${unresolved(m.stableSamples) ? 'a Token' : show(m.stableSamples)}. Give e.g. ${DEFAULTS.stableSamples}.`);
  }
  if (m.standbyBodyContains !== undefined && (typeof m.standbyBodyContains !== 'string' || unresolved(m.standbyBodyContains)
    || m.standbyBodyContains.length === 0 || Buffer.byteLength(m.standbyBodyContains) > MAX_BODY_BYTES)) {
    const text = typeof m.standbyBodyContains === 'string' && m.standbyBodyContains.length > 80 ? `${m.standbyBodyContains.length} characters` : show(m.standbyBodyContains);
    problems.add(`\`measure.standbyBodyContains\` must be a string of 1 to ${MAX_BODY_BYTES} bytes known at synth (the client searches the body's first `
      + `${MAX_BODY_BYTES} bytes), got: ${text}. Give a short string only the standby serves, e.g. "region":"us-west-2".`);
  }
  const interval = checkDuration(problems, 'measure.interval', m.interval, {
    unit: 'millis', min: LIMITS.minIntervalMs, max: LIMITS.maxIntervalMs, literal: 'the client samples at it', fix: 'Give e.g. Duration.seconds(1).',
  });
  const maxWait = checkDuration(problems, 'measure.maxWait', m.maxWait, {
    unit: 'millis',
    min: 1000,
    max: MAX_WAIT_MS,
    literal: 'the client waits for it',
    fix: 'A Lambda function runs 15 minutes: give 1 second to 14 minutes, e.g. Duration.minutes(10).',
  });
  const statuses = m.expectStatus;
  if (statuses !== undefined && (!Array.isArray(statuses) || statuses.length === 0)) {
    problems.add(`\`measure.expectStatus\` must be a non-empty list of HTTP statuses, got: ${show(statuses)}. Give e.g. [200], or leave it out for 200 to 399.`);
  }
  for (const [i, s] of (Array.isArray(statuses) ? statuses : []).entries()) {
    if (unresolved(s) || !Number.isInteger(s) || s < 100 || s > 599) {
      problems.add(`\`measure.expectStatus[${i}]\` must be an HTTP status 100 to 599 known at synth, got: ${unresolved(s) ? 'a Token' : show(s)}. Give e.g. 200.`);
    }
  }
  const standby = {
    ...header ? { header: { name: m.standbyHeaderName!, value: m.standbyHeaderValue! } } : {},
    ...m.standbyBodyContains !== undefined ? { bodyContains: m.standbyBodyContains } : {},
  };
  // checkDuration returns seconds: the client's event takes milliseconds.
  const intervalMs = interval !== undefined ? Math.round(interval * 1000) : DEFAULTS.intervalMs;
  const maxWaitMs = maxWait !== undefined ? Math.round(maxWait * 1000) : DEFAULTS.maxWaitMs;
  // Judged only on valid figures: a bad interval, maxWait or stableSamples has its own message.
  const figuresOk = stableOk && (m.interval === undefined || interval !== undefined) && (m.maxWait === undefined || maxWait !== undefined);
  if (until === MeasureUntil.RECOVERED && figuresOk && (m.stableSamples ?? DEFAULTS.stableSamples) * intervalMs > maxWaitMs) {
    problems.add(`\`measure.maxWait\` (${maxWaitMs} ms) leaves no room for ${m.stableSamples ?? DEFAULTS.stableSamples} served requests ${intervalMs} ms apart: `
      + 'raise `maxWait`, or lower `stableSamples` or `interval`.');
  }
  return {
    url: m.url,
    until,
    ...Object.keys(standby).length > 0 ? { standby } : {},
    ...until === MeasureUntil.RECOVERED ? { stableSamples: m.stableSamples ?? DEFAULTS.stableSamples } : {},
    intervalMs,
    maxWaitMs,
    ...Array.isArray(statuses) && statuses.length ? { expectStatus: [...statuses] } : {},
  };
}

/** Whether `url` is a literal http:// or https:// URL that the client's `new URL` accepts, with a host. */
function httpUrl(url: unknown): boolean {
  if (typeof url !== 'string' || unresolved(url)) {
    return false;
  }
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** The drill's results bucket: versioned, encrypted, TLS only, retained. */
function resultsBucket(scope: Construct): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'Results', {
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeFindings(bucket.node.defaultChild, [{
    id: 'AwsSolutions-S1',
    reason: 'Only the drill\'s state machine writes here, one summary per execution; give `resultsBucket` to use a bucket with server access logs.',
  }]);
  return bucket;
}

/** The drill's topic, encrypted with a key of its own (rotated). */
function drillTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'TopicKey', { description: `Encrypts the topic of the drill ${scope.node.path}`, enableKeyRotation: true });
  return new sns.Topic(scope, 'Topic', { displayName: `Failover drill ${scope.node.id}`.slice(0, 100), masterKey: key, enforceSSL: true });
}

/** The drills' control function of the stack: plans and summarizes, no AWS permission. */
function controlFunction(scope: Construct): lambda.Function {
  return stackSingleton(scope, 'CdkFailoverDrillControl', {}, (stack, id) => {
    const logGroup = new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    return new DrillControlFunction(stack, id, {
      description: 'cdk-failover drills: plans a drill (blocked windows, dry run, lock) and writes its summary',
      timeout: Duration.seconds(30),
      memorySize: 256,
      role: ownRole(stack, `${id}Role`, logGroup, 'cdk-failover drills\' control function'),
      logGroup,
    });
  });
}

/** The drills' measuring client of the stack; it may publish to the drills' namespaces only. */
function clientFunction(scope: Construct, namespace: string): lambda.Function {
  const fn = stackSingleton(scope, 'CdkFailoverDrillClient', {}, (stack, id) => {
    const logGroup = new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });
    return new DrillClientFunction(stack, id, {
      description: 'cdk-failover drills: measures a failover as a client of the public name sees it',
      timeout: Duration.minutes(15),
      memorySize: 256,
      role: ownRole(stack, `${id}Role`, logGroup, 'cdk-failover drills\' measuring client'),
      logGroup,
    });
  });
  const marker = `Metrics${namespace.replace(/[^A-Za-z0-9]/g, '')}`;
  if (!fn.node.tryFindChild(marker)) {
    new Construct(fn, marker);
    // PutMetricData has no resource-level permission; the namespace condition narrows it.
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
    }));
    suppressWildcardFinding(fn);
  }
  return fn;
}

/** A role that writes to its own log group only (no AWS managed policy). */
function ownRole(scope: Construct, id: string, logGroup: logs.ILogGroup, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
    inlinePolicies: {
      Logs: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
      }),
    },
  });
}


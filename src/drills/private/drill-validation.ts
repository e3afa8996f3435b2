/**
 * The checks of `FailoverDrill`'s props, each problem named with its prop, its value, what is
 * allowed and the fix; and the measuring client's event built from `measure`, with the client's
 * own limits (drill-client-contract.ts), so the drill never builds an event the client refuses.
 */
import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isPathProvider } from '../../objectives/report/failover-report';
import { dateProblem, windowProblem } from '../../private/calendar';
import { Problems } from '../../private/errors';
import { checkSameRegion } from '../../private/region';
import { checkDuration, show, unresolved } from '../../private/validate';
import { DEFAULTS, HANDLER_MARGIN_MS, LIMITS, MAX_BODY_BYTES, MeasureEvent } from '../drill-client-contract';
import { DrillInjection } from '../drill-injection';
import { DrillMeasurement, FailoverDrillProps, MeasureUntil } from '../failover-drill-props';

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

export function validate(problems: Problems, scope: Construct, props: FailoverDrillProps): void {
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
  const gameDay = props.gameDay;
  if (gameDay !== undefined) {
    if (typeof gameDay.schedule?.expressionString !== 'string') {
      problems.add(`\`gameDay.schedule\` must be a ScheduleExpression, got: ${show(gameDay.schedule)}. `
        + 'Give e.g. ScheduleExpression.cron({ weekDay: \'TUE\', hour: \'14\', minute: \'0\' }).');
    }
    for (const [prop, value] of [['enabled', gameDay.enabled], ['dryRun', gameDay.dryRun]] as const) {
      if (value !== undefined && typeof value !== 'boolean') {
        problems.add(`\`gameDay.${prop}\` must be true or false, got: ${show(value)}.`);
      }
    }
  }
  for (const [prop, value, fix] of [
    ['resultsBucket', props.resultsBucket, 's3.Bucket.fromBucketName(this, \'Results\', \'<its literal name>\')'],
    ['topic', props.topic, 'sns.Topic.fromTopicArn(this, \'Topic\', \'<its literal ARN>\')'],
  ] as const) {
    if (value !== undefined && Stack.of(value) !== Stack.of(scope)) {
      problems.add(`\`${prop}\` (${value.node.path}) is in the stack ${Stack.of(value).node.path}, not the drill's (${Stack.of(scope).node.path}): the drill would `
        + `need its name through a cross-stack reference, which cdk-failover never makes (and which fails across Regions). Give ${fix} in the drill's stack.`);
    }
  }
  for (const [prop, entries, check] of [['blockedWindows', props.blockedWindows, windowProblem], ['blockedDates', props.blockedDates, dateProblem]] as const) {
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
export function measurement(problems: Problems, m: DrillMeasurement | undefined)
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


import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { dnsDrill, drillDefinition, DrillParts, drillParts, experiment } from './drill-fixture';
import {
  DrillInjection, EndpointHealthCheck, EndpointRole, FailbackRunbook, FailoverDrill, FailoverDrillProps, FailoverRunbook, IRecoveryPathProvider,
  MeasureUntil,
  RecoveryEstimate, RecoveryPath, RecoveryPathKind, RecoveryTermKind, VerifyRecovery,
} from '../../src';
import { testApp, testStack } from '../util';

const URL = 'https://app.example.com/health';
const HEADER = { url: URL, standbyHeaderName: 'x-region', standbyHeaderValue: 'us-west-2' };

/** Builds the DNS drill of the fixture with `props`, and returns the error it throws. */
function errorOf(props: Partial<FailoverDrillProps>, parts: DrillParts = drillParts()): string {
  try {
    dnsDrill(parts, props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the drill was accepted');
}

/** The message of the validation error `app.synth()` throws for the drill. */
function synthErrorOf(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the app synthesized');
}

/** A user's provider with paths of its own: `timed` ids take time, `data` ids carry data only. */
class TwoWayProvider extends Construct implements IRecoveryPathProvider {
  constructor(scope: Construct, id: string, private readonly ids: { timed: string[]; data: string[] }) {
    super(scope, id);
  }

  public recoveryPaths(): RecoveryPath[] {
    const endpoints = [
      { label: 'orders', role: EndpointRole.PRIMARY, region: 'us-east-1' },
      { label: 'orders replica', role: EndpointRole.REPLICA, region: 'us-west-2' },
    ];
    const time = { kind: RecoveryTermKind.DECISION, min: Duration.seconds(0), max: Duration.seconds(60), basis: 'on-call', remedy: 'automate it' };
    const lag = { kind: RecoveryTermKind.REPLICATION_LAG, min: Duration.seconds(0), max: Duration.seconds(5), basis: 'copier', remedy: 'copy more often' };
    return [
      ...this.ids.timed.map((id) => new RecoveryPath({ id, kind: RecoveryPathKind.RUNBOOK, name: `orders (${id})`, endpoints, estimate: RecoveryEstimate.of([time]) })),
      ...this.ids.data.map((id) => new RecoveryPath({ id, kind: RecoveryPathKind.DATA_REPLICATION, name: `orders (${id})`, endpoints, estimate: RecoveryEstimate.of([lag]) })),
    ];
  }
}

/** The failover runbook in the drill's stack, and the East stack (us-east-1) for the failback. */
function runbookParts(stack: Stack): { failover: FailoverRunbook; east: Stack; verify: (region: string) => VerifyRecovery } {
  const verify = (region: string) => VerifyRecovery.http({ url: URL, header: { name: 'x-region', value: region } });
  const east = new Stack(stack.node.root, 'East', { env: { account: stack.account, region: 'us-east-1' } });
  return { failover: new FailoverRunbook(stack, 'FailoverRunbook', { fromRegion: 'us-east-1', steps: [verify('us-west-2')] }), east, verify };
}

function alarm(stack: Stack, id: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, { metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
}

describe('FailoverDrill validation', () => {
  test('the fixture\'s drill is valid (the failing cases below differ from it by one prop)', () => {
    // GIVEN
    const parts = drillParts();
    // WHEN
    dnsDrill(parts, { drillName: 'orders-dns', lockName: 'orders', resultsPrefix: 'team/drills', metricNamespace: 'MyApp/Drills' });
    // THEN
    expect(() => (parts.stack.node.root as App).synth()).not.toThrow();
  });

  describe('names', () => {
    test.each([
      ['drillName', 'a b'],
      ['drillName', 'x'.repeat(65)],
      ['lockName', ''],
      ['lockName', 'lock/1'],
    ])('fails %s %j', (prop, value) => {
      // WHEN
      const message = errorOf({ [prop]: value });
      // THEN
      expect(message).toBe(`Stack/Drill: \`${prop}\` must be 1 to 64 letters, digits, hyphens or underscores, known at synth, got: ${JSON.stringify(value)}. Give e.g. 'orders-dns'.`);
    });

    test('fails a drillName that is a Token', () => {
      // WHEN
      const message = errorOf({ drillName: Token.asString({ Ref: 'Name' }) });
      // THEN
      expect(message).toMatch(/^Stack\/Drill: `drillName` must be 1 to 64 letters, digits, hyphens or underscores, known at synth, got: "\$\{Token\[TOKEN\.\d+\]\}"\. Give e.g\. 'orders-dns'\.$/);
    });

    test.each(['/drills', 'drills/', 'a//b', 'drills?', 'x'.repeat(201)])('fails resultsPrefix %j', (value) => {
      // WHEN
      const message = errorOf({ resultsPrefix: value });
      // THEN
      expect(message).toBe(`Stack/Drill: \`resultsPrefix\` must be 1 to 200 characters of letters, digits and !_.*'()/-, with no leading, trailing or double /, known at synth, got: ${JSON.stringify(value)}. Give e.g. 'drills' or 'team/drills' (the drill adds /<drill name>/).`);
    });

    test.each(['AWS/Drills', ':Drills', 'My Drills', '', 'x'.repeat(256)])('fails metricNamespace %j', (value) => {
      // WHEN
      const message = errorOf({ metricNamespace: value });
      // THEN
      expect(message).toBe(`Stack/Drill: \`metricNamespace\` must be 1 to 255 letters, digits or . - _ / # :, not starting with AWS/ (reserved for AWS) or :, known at synth, got: ${JSON.stringify(value)}. Give e.g. 'MyApp/Drills'.`);
    });
  });

  describe('resultsBucket and topic', () => {
    test.each(['us-west-2', 'us-east-1'])('fails a results bucket and a topic of another stack (in %s)', (region) => {
      // GIVEN
      const parts = drillParts();
      const other = testStack(parts.stack.node.root as App, 'Other', region);
      // WHEN
      const message = errorOf({ resultsBucket: new s3.Bucket(other, 'Results'), topic: new sns.Topic(other, 'Topic') }, parts);
      // THEN
      expect(message).toBe([
        'Stack/Drill: 2 problems:',
        '  - `resultsBucket` (Other/Results) is in the stack Other, not the drill\'s (Stack): the drill would need its name through a cross-stack reference, '
        + 'which cdk-failover never makes (and which fails across Regions). Give s3.Bucket.fromBucketName(this, \'Results\', \'<its literal name>\') in the drill\'s stack.',
        '  - `topic` (Other/Topic) is in the stack Other, not the drill\'s (Stack): the drill would need its name through a cross-stack reference, '
        + 'which cdk-failover never makes (and which fails across Regions). Give sns.Topic.fromTopicArn(this, \'Topic\', \'<its literal ARN>\') in the drill\'s stack.',
      ].join('\n'));
    });

    test('accepts a bucket and a topic imported into the drill\'s stack', () => {
      // GIVEN
      const parts = drillParts();
      const resultsBucket = s3.Bucket.fromBucketName(parts.stack, 'Results', 'orders-drills');
      const topic = sns.Topic.fromTopicArn(parts.stack, 'Topic', 'arn:aws:sns:us-west-2:111111111111:drills');
      // WHEN
      dnsDrill(parts, { resultsBucket, topic });
      // THEN
      expect(() => (parts.stack.node.root as App).synth()).not.toThrow();
    });
  });

  describe('lagAlarms', () => {
    test('fails more than 100 alarms', () => {
      // GIVEN
      const parts = drillParts();
      const alarms = Array.from({ length: 101 }, (_, i) => cloudwatch.Alarm.fromAlarmName(parts.stack, `L${i}`, `lag-${i}`));
      // WHEN
      const message = errorOf({ lagAlarms: alarms }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `lagAlarms` holds 101 alarms; the drill reads at most 100 (one DescribeAlarms call). Combine them into composite alarms.');
    });

    test('accepts 100 alarms', () => {
      // GIVEN
      const parts = drillParts();
      const alarms = Array.from({ length: 100 }, (_, i) => cloudwatch.Alarm.fromAlarmName(parts.stack, `L${i}`, `lag-${i}`));
      // THEN
      expect(() => dnsDrill(parts, { lagAlarms: alarms })).not.toThrow();
    });

    test('fails an alarm of a stack in another Region', () => {
      // GIVEN
      const parts = drillParts();
      const east = new Stack(parts.stack.node.root, 'East', { env: { account: parts.stack.account, region: 'us-east-1' } });
      // WHEN
      const message = errorOf({ lagAlarms: [parts.lag, alarm(east, 'Lag')] }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `lagAlarms[1]` is East/Lag in us-east-1, but this stack is in us-west-2: a reference across regions needs a cross-region export, '
        + 'which can block deploys and cannot change after a disaster. The drill reads the lag alarms of its own Region: give alarms of this Region.');
    });

    test('fails an alarm imported by the ARN of another Region', () => {
      // GIVEN
      const parts = drillParts();
      const imported = cloudwatch.Alarm.fromAlarmArn(parts.stack, 'Imported', 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-lag');
      // WHEN
      const message = errorOf({ lagAlarms: [imported] }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `lagAlarms[0]` is the alarm "arn:aws:cloudwatch:us-east-1:111111111111:alarm:orders-lag" of us-east-1, but the drill is in us-west-2: '
        + 'DescribeAlarms reads the alarms of its own Region only. Give alarms of this Region.');
    });

    test('fails an alarm of another stack in the same Region (its name would need an export)', () => {
      // GIVEN
      const parts = drillParts();
      const other = testStack(parts.stack.node.root as App, 'Other', 'us-west-2');
      // WHEN
      const message = errorOf({ lagAlarms: [alarm(other, 'Lag')] }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `lagAlarms[0]` (Other/Lag) is in the stack Other, not the drill\'s (Stack): its name would come through a cross-stack export, '
        + 'which cdk-failover never makes. Give Alarm.fromAlarmName(this, \'Lag\', \'<its literal name>\') in the drill\'s stack.');
    });

    test('fails an entry that is not an alarm', () => {
      // WHEN
      const message = errorOf({ lagAlarms: [undefined as any] });
      // THEN
      expect(message).toBe('Stack/Drill: `lagAlarms[0]` must be a CloudWatch alarm, got: undefined. Give an Alarm, or Alarm.fromAlarmName(this, \'Lag\', name).');
    });
  });

  describe('calendar', () => {
    test.each([
      ['Mon:09:00-Tue:17:00', 'must be like Mon:09:00-Mon:17:00 (UTC), within one day, got: "Mon:09:00-Tue:17:00". Split a window across days into one per day.'],
      ['Mon 09:00-17:00', 'must be like Mon:09:00-Mon:17:00 (UTC), within one day, got: "Mon 09:00-17:00". Split a window across days into one per day.'],
      ['Mon:24:00-Mon:24:30', 'must be like Mon:09:00-Mon:17:00 (UTC), within one day, got: "Mon:24:00-Mon:24:30". Split a window across days into one per day.'],
      ['Mon:17:00-Mon:09:00', 'must end after they start, got: "Mon:17:00-Mon:09:00" (inverted). Give the start first, e.g. Mon:09:00-Mon:17:00.'],
    ])('fails blockedWindows %j', (value, rest) => {
      // WHEN
      const message = errorOf({ blockedWindows: [value] });
      // THEN
      expect(message).toBe(`Stack/Drill: \`blockedWindows\` entries ${rest}`);
    });

    test.each(['2026-13-01', '2026-02-32', '26-12-24', '2026-12-24T00:00'])('fails blockedDates %j', (value) => {
      // WHEN
      const message = errorOf({ blockedDates: [value] });
      // THEN
      expect(message).toBe(`Stack/Drill: \`blockedDates\` entries must be YYYY-MM-DD (UTC), got: ${JSON.stringify(value)}.`);
    });

    test.each([
      ['2026-02-29', '2026-02 has 28 days', '2026-02-28'],
      ['2026-04-31', '2026-04 has 30 days', '2026-04-30'],
    ])('fails blockedDates %j, a day the month does not have (Date.parse would roll it over)', (value, why, fix) => {
      // WHEN
      const message = errorOf({ blockedDates: [value] });
      // THEN
      expect(message).toBe(`Stack/Drill: \`blockedDates\` entries must be days of the calendar, got: "${value}" (${why}). Give e.g. ${fix}.`);
      expect(() => dnsDrill(drillParts(), { blockedDates: ['2028-02-29'] })).not.toThrow();
    });

    test.each([
      ['blockedWindows', (i: number) => `Mon:${String(i).padStart(2, '0')}:00-Mon:${String(i).padStart(2, '0')}:30`],
      ['blockedDates', (i: number) => `2026-12-${String(i + 1).padStart(2, '0')}`],
    ] as const)('fails more than 15 %s, and accepts 15', (prop, entry) => {
      // GIVEN
      const entries = Array.from({ length: 16 }, (_, i) => entry(i));
      // WHEN
      const message = errorOf({ [prop]: entries });
      // THEN
      expect(message).toBe(`Stack/Drill: \`${prop}\` takes at most 15 entries, got 16. Merge neighbouring entries, or drop past ones.`);
      expect(() => dnsDrill(drillParts(), { [prop]: entries.slice(0, 15) })).not.toThrow();
    });

    test.each([
      ['blockedWindows', 'Fri:00:00-Fri:23:59'],
      ['blockedDates', '2026-12-24'],
    ])('fails %s entries that are Tokens', (prop, example) => {
      // WHEN
      const message = errorOf({ [prop]: [Token.asString({ Ref: 'Quiet' })] });
      // THEN
      expect(message).toMatch(new RegExp(`^Stack/Drill: \`${prop}\` entries must be known at synth \\(the drill reads them when it starts\\), `
        + `got the Token "\\$\\{Token\\[TOKEN\\.\\d+\\]\\}"\\. Give a literal, e\\.g\\. '${example}'\\.$`));
    });

    test('fails blockedWindows that is a list Token', () => {
      // WHEN
      const message = errorOf({ blockedWindows: Token.asList({ Ref: 'Quiet' }) });
      // THEN
      expect(message).toMatch(/^Stack\/Drill: `blockedWindows` must be a list of strings known at synth, got: \[".*"\]\. Give e\.g\. \['Fri:00:00-Fri:23:59'\]\.$/);
    });
  });

  describe('timeout', () => {
    test.each([
      [Duration.minutes(9), 'got: 9 minutes.'],
      [Duration.seconds(86_401), 'got: 1 day 1 second.'],
      [Duration.millis(600_500), 'got: 10 minutes 500 millis.'],
    ])('fails timeout %s', (timeout, got) => {
      // WHEN
      const message = errorOf({ timeout, measure: undefined });
      // THEN
      expect(message).toBe(`Stack/Drill: \`timeout\` must be whole seconds from 600 to 86400, ${got} Give e.g. Duration.hours(2).`);
    });

    test('fails a timeout that is a Token', () => {
      // WHEN
      const message = errorOf({ timeout: Duration.seconds(Token.asNumber({ Ref: 'Timeout' })) });
      // THEN
      expect(message).toBe('Stack/Drill: `timeout` is a deploy-time Token, but it bounds the lock. Give a literal Duration, e.g. Duration.seconds(30).');
    });

    test('fails a timeout shorter than the client\'s wait plus 5 minutes (a timed-out execution runs no restore)', () => {
      // WHEN
      const message = errorOf({ timeout: Duration.minutes(15), measure: { ...HEADER, maxWait: Duration.minutes(11) } });
      // THEN
      expect(message).toBe('Stack/Drill: `timeout` (15 minutes) must be at least the measuring client\'s wait (660 s) plus 5 minutes: '
        + 'a timed-out execution skips the restore and leaves the fault in place. Raise `timeout`, or lower `measure.maxWait`.');
      expect(() => dnsDrill(drillParts(), { timeout: Duration.minutes(16), measure: { ...HEADER, maxWait: Duration.minutes(11) } })).not.toThrow();
      expect(errorOf({ timeout: Duration.minutes(14), measure: HEADER })).toMatch(/measuring client's wait \(600 s\) plus 5 minutes/);
    });
  });

  describe('measure', () => {
    test.each(['app.example.com', 'ftp://app.example.com', 'https://', 'http://:80/', 'https://[', ''])('fails url %j', (url) => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, url } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.url\` must be an http:// or https:// URL known at synth, as clients use it, got: ${JSON.stringify(url)}. `
        + 'Give e.g. \'https://app.example.com/health\'.');
    });

    test('fails a url that is a Token', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, url: Token.asString({ Ref: 'Url' }) } });
      // THEN
      expect(message).toMatch(/^Stack\/Drill: `measure.url` must be an http:\/\/ or https:\/\/ URL known at synth, as clients use it, got: "\$\{Token\[TOKEN\.\d+\]\}"\./);
    });

    test('fails a header name without a value', () => {
      // WHEN
      const message = errorOf({ measure: { url: URL, standbyHeaderName: 'x-region' } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.standbyHeaderName` and `measure.standbyHeaderValue` go together, got: "x-region" and undefined. Give both, e.g. x-region and us-west-2.');
    });

    test('fails a header value without a name', () => {
      // WHEN
      const message = errorOf({ measure: { url: URL, standbyHeaderValue: 'us-west-2' } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.standbyHeaderName` and `measure.standbyHeaderValue` go together, got: undefined and "us-west-2". Give both, e.g. x-region and us-west-2.');
    });

    test.each(['x region', '', 'x-région'])('fails a header name %j the client would refuse', (name) => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, standbyHeaderName: name } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.standbyHeaderName\` must be an HTTP header name (letters, digits and !#$%&'*+.^_\`|~-) known at synth, got: ${JSON.stringify(name)}. Give e.g. x-region.`);
    });

    test.each(['', '  '])('fails a blank header value %j the client would refuse', (value) => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, standbyHeaderValue: value } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.standbyHeaderValue\` must be a non-blank string known at synth (the client compares it trimmed), got: ${JSON.stringify(value)}. Give e.g. us-west-2.`);
    });

    test('fails STANDBY with no marker', () => {
      // WHEN
      const message = errorOf({ measure: { url: URL } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure` must say how the standby is recognized, got no marker: give `standbyHeaderName` with `standbyHeaderValue`, or `standbyBodyContains` '
        + '(or `until: MeasureUntil.RECOVERED` for an in-region fault, which has no standby).');
    });

    test('accepts RECOVERED with no marker, and STANDBY with a body marker only', () => {
      expect(() => dnsDrill(drillParts(), { measure: { url: URL, until: MeasureUntil.RECOVERED } })).not.toThrow();
      expect(() => dnsDrill(drillParts(), { measure: { url: URL, standbyBodyContains: '"region":"us-west-2"' } })).not.toThrow();
    });

    test.each(['', 'x'.repeat(64 * 1024 + 1)])('fails standbyBodyContains of %#: empty, or above 64 KiB', (body) => {
      // WHEN
      const message = errorOf({ measure: { url: URL, standbyBodyContains: body } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.standbyBodyContains\` must be a string of 1 to 65536 bytes known at synth (the client searches the body's first 65536 bytes), got: ${body.length > 80 ? `${body.length} characters` : JSON.stringify(body)}. `
        + 'Give a short string only the standby serves, e.g. "region":"us-west-2".');
    });

    test('fails an until that is not a MeasureUntil', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, until: 'eventually' as MeasureUntil } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.until` must be a MeasureUntil member (STANDBY or RECOVERED), got: "eventually". Give e.g. MeasureUntil.RECOVERED.');
    });

    test('fails stableSamples without RECOVERED', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, stableSamples: 3 } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.stableSamples` (3) applies only with `until: MeasureUntil.RECOVERED`. Remove it, or measure until recovered.');
    });

    test.each([0, 61, 2.5, -1, NaN])('fails stableSamples %p (and only that: no room message from a bad figure)', (stableSamples) => {
      // WHEN
      const message = errorOf({ measure: { url: URL, until: MeasureUntil.RECOVERED, stableSamples } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.stableSamples\` must be a whole number from 1 to 60, known at synth, got: ${stableSamples}. Give e.g. 5.`);
    });

    test('fails stableSamples that is a Token', () => {
      // WHEN
      const message = errorOf({ measure: { url: URL, until: MeasureUntil.RECOVERED, stableSamples: Token.asNumber({ Ref: 'N' }) } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.stableSamples` must be a whole number from 1 to 60, known at synth, got: a Token. Give e.g. 5.');
    });

    test.each([
      [Duration.millis(9), 'got: 9 millis.'],
      [Duration.millis(60_001), 'got: 1 minute 1 milli.'],
      [Duration.millis(10.5), 'got: 10.5 millis.'],
    ])('fails interval %s', (interval, got) => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, interval } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.interval\` must be whole milliseconds from 10 to 60000, ${got} Give e.g. Duration.seconds(1).`);
    });

    test('fails an interval that is a Token', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, interval: Duration.millis(Token.asNumber({ Ref: 'I' })) } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.interval` is a deploy-time Token, but the client samples at it. Give a literal Duration, e.g. Duration.millis(500).');
    });

    test.each([
      [Duration.seconds(841), 'got: 14 minutes 1 second.'],
      [Duration.minutes(15), 'got: 15 minutes.'],
      [Duration.millis(999), 'got: 999 millis.'],
    ])('fails maxWait %s (over 14 minutes, or under a second)', (maxWait, got) => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, maxWait } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.maxWait\` must be whole milliseconds from 1000 to 840000, ${got} `
        + 'A Lambda function runs 15 minutes: give 1 second to 14 minutes, e.g. Duration.minutes(10).');
    });

    test('accepts maxWait of 14 minutes', () => {
      expect(() => dnsDrill(drillParts(), { measure: { ...HEADER, maxWait: Duration.minutes(14) } })).not.toThrow();
    });

    test('fails a maxWait too short for stableSamples x interval', () => {
      // WHEN
      const recovered = (maxWait: Duration) => ({
        url: URL,
        until: MeasureUntil.RECOVERED,
        stableSamples: 30,
        interval: Duration.seconds(2),
        maxWait,
      });
      const message = errorOf({ measure: recovered(Duration.seconds(59)) });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.maxWait` (59000 ms) leaves no room for 30 served requests 2000 ms apart: '
        + 'raise `maxWait`, or lower `stableSamples` or `interval`.');
      expect(() => dnsDrill(drillParts(), { measure: recovered(Duration.seconds(60)) })).not.toThrow();
    });

    test('gives the client its interval and wait in milliseconds', () => {
      // GIVEN
      const parts = drillParts();
      // WHEN
      dnsDrill(parts, {
        measure: { url: URL, until: MeasureUntil.RECOVERED, stableSamples: 30, interval: Duration.seconds(2), maxWait: Duration.minutes(3) },
      });
      // THEN
      const text = JSON.stringify(drillDefinition(parts.stack));
      expect(text).toContain('"intervalMs":2000');
      expect(text).toContain('"maxWaitMs":180000');
      expect(text).toContain('"stableSamples":30');
    });

    test('fails a maxWait too short for the default 5 samples of 1 s', () => {
      // WHEN
      const message = errorOf({ measure: { url: URL, until: MeasureUntil.RECOVERED, maxWait: Duration.seconds(4) } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.maxWait` (4000 ms) leaves no room for 5 served requests 1000 ms apart: raise `maxWait`, or lower `stableSamples` or `interval`.');
    });

    test.each([[99], [600], [200.5]])('fails expectStatus [200, %p]', (status) => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, expectStatus: [200, status] } });
      // THEN
      expect(message).toBe(`Stack/Drill: \`measure.expectStatus[1]\` must be an HTTP status 100 to 599 known at synth, got: ${status}. Give e.g. 200.`);
    });

    test('fails an empty expectStatus (nothing would count as served)', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, expectStatus: [] } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.expectStatus` must be a non-empty list of HTTP statuses, got: []. Give e.g. [200], or leave it out for 200 to 399.');
    });

    test('fails an expectStatus that is not a list with a message, not a crash', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, expectStatus: 200 as any } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.expectStatus` must be a non-empty list of HTTP statuses, got: 200. Give e.g. [200], or leave it out for 200 to 399.');
    });

    test('fails an expectStatus entry that is a Token', () => {
      // WHEN
      const message = errorOf({ measure: { ...HEADER, expectStatus: [Token.asNumber({ Ref: 'S' })] } });
      // THEN
      expect(message).toBe('Stack/Drill: `measure.expectStatus[0]` must be an HTTP status 100 to 599 known at synth, got: a Token. Give e.g. 200.');
    });
  });

  describe('injection', () => {
    test('fails an injection that is not a DrillInjection', () => {
      // WHEN
      const message = errorOf({ injection: { description: 'invert' } as any });
      // THEN
      expect(message).toBe('Stack/Drill: `injection` must be a DrillInjection (DrillInjection.fisExperiment, .runbook or .healthCheckInversion), got: [object Object].');
    });

    test('fails an inversion with neither healthCheck nor healthCheckId', () => {
      // WHEN
      const message = errorOf({ injection: DrillInjection.healthCheckInversion({}) });
      // THEN
      expect(message).toBe('Stack/Drill: `injection` must give exactly one of `healthCheck` and `healthCheckId`, got neither.');
    });

    test('fails an inversion with both healthCheck and healthCheckId', () => {
      // GIVEN
      const parts = drillParts();
      // WHEN
      const message = errorOf({ injection: DrillInjection.healthCheckInversion({ healthCheck: parts.check, healthCheckId: '0a1b2c3d-0000-4000-8000-000000000000' }) }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `injection` must give exactly one of `healthCheck` and `healthCheckId`, got both.');
    });

    test.each(['abc', '0A1B2C3D-0000-4000-8000-000000000000', ''])('fails healthCheckId %j', (healthCheckId) => {
      // WHEN
      const message = errorOf({ injection: DrillInjection.healthCheckInversion({ healthCheckId }) });
      // THEN
      expect(message).toBe(`Stack/Drill: \`injection.healthCheckId\` must be a Route 53 health check ID (a UUID such as 0a1b2c3d-...), got: ${JSON.stringify(healthCheckId)}.`);
    });

    test.each([
      [Duration.seconds(59), 'got: 59 seconds.'],
      [Duration.seconds(3601), 'got: 1 hour 1 second.'],
    ])('fails holdFor %s', (holdFor, got) => {
      // GIVEN
      const parts = drillParts();
      // WHEN
      const message = errorOf({ measure: undefined, injection: DrillInjection.healthCheckInversion({ healthCheck: parts.check, holdFor }) }, parts);
      // THEN
      expect(message).toBe(`Stack/Drill: \`injection.holdFor\` must be whole seconds from 60 to 3600, ${got} Give e.g. Duration.minutes(5).`);
    });

    test('fails a health check of another stack', () => {
      // GIVEN
      const parts = drillParts();
      const other = testStack(parts.stack.node.root as App, 'Other', 'us-west-2');
      const check = new EndpointHealthCheck(other, 'Check', { domainName: 'us-east-1.app.example.com', statusAlarm: false });
      // WHEN
      const message = errorOf({ injection: DrillInjection.healthCheckInversion({ healthCheck: check }) }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `injection.healthCheck` (Other/Check) is in the stack Other, not the drill\'s (Stack): the drill would need the health check\'s ID '
        + 'through a cross-stack export, which cdk-failover never makes (regions meet by name). Define the drill in the same stack.');
    });

    test('fails an FIS experiment of another stack', () => {
      // GIVEN
      const parts = drillParts();
      const other = testStack(parts.stack.node.root as App, 'Other', 'us-west-2');
      const fis = experiment(other, alarm(other, 'Errors'));
      // WHEN
      const message = errorOf({ injection: DrillInjection.fisExperiment({ experiment: fis }) }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `injection.experiment` (Other/Experiment) is in the stack Other, not the drill\'s (Stack): the drill would need the experiment template\'s ID '
        + 'through a cross-stack export, which cdk-failover never makes (regions meet by name). Define the drill in the same stack.');
    });

    test('fails a failover runbook of another Region', () => {
      // GIVEN
      const parts = drillParts();
      const { east, verify } = runbookParts(parts.stack);
      const failback = new FailbackRunbook(east, 'Failback', { fromRegion: 'us-west-2', stateMachineName: 'orders-failback', steps: [verify('us-east-1')] });
      const failover = new FailoverRunbook(east, 'FailoverEast', { fromRegion: 'us-west-2', stateMachineName: 'orders-failover-east', steps: [verify('us-west-2')] });
      // WHEN
      const message = errorOf({ injection: DrillInjection.runbook({ failover, failback }) }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `injection.failover` runs in us-east-1, but the drill is in us-west-2: a failover runbook runs in the Region it moves to, '
        + 'which is the one that survives the drill. Define the drill in that Region.');
    });

    test('fails a runbook of another stack without a literal stateMachineName', () => {
      // GIVEN
      const parts = drillParts();
      const { failover, east, verify } = runbookParts(parts.stack);
      const failback = new FailbackRunbook(east, 'Unnamed', { fromRegion: 'us-west-2', steps: [verify('us-east-1')] });
      // WHEN
      const message = errorOf({ injection: DrillInjection.runbook({ failover, failback }) }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `injection.failback` (East/Unnamed) is in another stack, and its ARN is known there only: give the runbook a literal `stateMachineName` '
        + '(and its stack an account and Region), so the drill calls it by name; or define the drill in the same stack.');
    });

    test('accepts a failover runbook in the drill\'s stack and a named failback in the primary\'s Region', () => {
      const parts = drillParts();
      const { failover, east, verify } = runbookParts(parts.stack);
      const failback = new FailbackRunbook(east, 'Failback', { fromRegion: 'us-west-2', stateMachineName: 'orders-failback', steps: [verify('us-east-1')] });
      expect(() => dnsDrill(parts, { injection: DrillInjection.runbook({ failover, failback }) })).not.toThrow();
    });
  });

  describe('path', () => {
    test('fails a path that is not a path provider', () => {
      // GIVEN
      const parts = drillParts();
      // WHEN
      const message = errorOf({ path: new Construct(parts.stack, 'Plain') as any }, parts);
      // THEN
      expect(message).toBe('Stack/Drill: `path` must be a construct that declares recovery paths (IRecoveryPathProvider, e.g. a DnsFailover), got: Stack/Plain.');
    });

    test('fails an unknown pathId at synth', () => {
      // GIVEN
      const parts = drillParts();
      dnsDrill(parts, { pathId: 'nope' });
      // WHEN
      const message = synthErrorOf(parts.stack.node.root as App);
      // THEN
      expect(message).toContain('[Stack/Drill] `pathId` "nope" is not a path of Stack/Failover, whose paths are: failover.');
    });

    test('fails a provider with several timed paths and no pathId at synth, and accepts one with a pathId', () => {
      // GIVEN
      const parts = drillParts();
      const provider = new TwoWayProvider(parts.stack, 'Orders', { timed: ['switch', 'restore'], data: ['copy'] });
      dnsDrill(parts, { path: provider });
      // WHEN
      const message = synthErrorOf(parts.stack.node.root as App);
      // THEN
      expect(message).toContain('[Stack/Drill] `path` Stack/Orders has 2 recovery paths that take time (Stack/Orders#switch, Stack/Orders#restore): '
        + 'give `pathId` to say which one the drill measures.');

      const again = drillParts();
      dnsDrill(again, { path: new TwoWayProvider(again.stack, 'Orders', { timed: ['switch', 'restore'], data: ['copy'] }), pathId: 'restore' });
      expect(() => (again.stack.node.root as App).synth()).not.toThrow();
    });

    test('fails a pathId of a data-only path at synth', () => {
      // GIVEN
      const parts = drillParts();
      dnsDrill(parts, { path: new TwoWayProvider(parts.stack, 'Orders', { timed: ['switch'], data: ['copy'] }), pathId: 'copy' });
      // WHEN
      const message = synthErrorOf(parts.stack.node.root as App);
      // THEN
      expect(message).toContain('[Stack/Drill] `pathId` "copy" of Stack/Orders carries data only, with no recovery time to drill. Drill a path that takes time.');
    });

    test('fails a path without an RTO objective at synth', () => {
      // GIVEN: the fixture's stack without RecoveryObjectives
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const provider = new TwoWayProvider(stack, 'Orders', { timed: ['switch'], data: [] });
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: 'us-east-1.app.example.com', statusAlarm: false });
      new FailoverDrill(stack, 'Drill', {
        injection: DrillInjection.healthCheckInversion({ healthCheck: check }),
        path: provider,
      });
      // WHEN
      const message = synthErrorOf(stack.node.root as App);
      // THEN
      expect(message).toContain('[Stack/Drill] Stack/Orders#switch has no RTO objective: a drill compares what it measured with the objective. '
        + 'Declare `new RecoveryObjectives(scope, \'Objectives\', { rto: ... })` on a scope above it.');
    });
  });

  test('reports several problems at once, in one error', () => {
    // WHEN
    const message = errorOf({
      drillName: 'a b',
      metricNamespace: 'AWS/Drills',
      blockedDates: ['tomorrow'],
      timeout: Duration.minutes(5),
      measure: { url: 'app.example.com', until: MeasureUntil.RECOVERED, stableSamples: 0, interval: Duration.millis(5) },
    });
    // THEN
    expect(message).toBe([
      'Stack/Drill: 7 problems:',
      '  - `drillName` must be 1 to 64 letters, digits, hyphens or underscores, known at synth, got: "a b". Give e.g. \'orders-dns\'.',
      '  - `metricNamespace` must be 1 to 255 letters, digits or . - _ / # :, not starting with AWS/ (reserved for AWS) or :, known at synth, got: "AWS/Drills". Give e.g. \'MyApp/Drills\'.',
      '  - `blockedDates` entries must be YYYY-MM-DD (UTC), got: "tomorrow".',
      '  - `timeout` must be whole seconds from 600 to 86400, got: 5 minutes. Give e.g. Duration.hours(2).',
      '  - `measure.url` must be an http:// or https:// URL known at synth, as clients use it, got: "app.example.com". Give e.g. \'https://app.example.com/health\'.',
      '  - `measure.stableSamples` must be a whole number from 1 to 60, known at synth, got: 0. Give e.g. 5.',
      '  - `measure.interval` must be whole milliseconds from 10 to 60000, got: 5 millis. Give e.g. Duration.seconds(1).',
    ].join('\n'));
  });
});

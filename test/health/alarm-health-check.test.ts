import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AlarmHealthCheck } from '../../src';
import { regionalFailover, testStack } from '../util';

function alarm(stack: Stack, props: Partial<cloudwatch.AlarmProps> = {}, metric: Partial<cloudwatch.MetricProps> = {}): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, 'Alarm', {
    metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Errors', period: Duration.minutes(1), statistic: 'Sum', ...metric }),
    threshold: 5,
    evaluationPeriods: 2,
    ...props,
  });
}

describe('AlarmHealthCheck', () => {
  test('an alarm-based check that is unhealthy without data by default', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const check = new AlarmHealthCheck(stack, 'Check', { alarm: alarm(stack) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Name: { Ref: Match.stringLikeRegexp('^Alarm') }, Region: 'us-west-2' },
        InsufficientDataHealthStatus: 'Unhealthy',
      },
    });
    // 2 periods of 60 s: from 60 s to 3 periods + 60 s assumed for Route 53
    expect(check.detection.terms[0].min.toSeconds()).toEqual(60);
    expect(check.detection.terms[0].max.toSeconds()).toEqual(240);
    expect(check.detection.terms[0].assumption).toBe(true);
    expect(check.summary).toEqual('alarm Stack/Alarm (2 x 60 s)');
  });

  test('a measured delay and another insufficient-data status', () => {
    const stack = testStack();
    const check = new AlarmHealthCheck(stack, 'Check', {
      alarm: alarm(stack, { evaluationPeriods: 1 }),
      alarmToHealthStatus: Duration.seconds(20),
      insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { InsufficientDataHealthStatus: 'LastKnownStatus' },
    });
    expect(check.detection.terms[0].max.toSeconds()).toEqual(140);
    expect(check.detection.terms[0].assumption).toBe(false);
  });

  test('an alarm that leaves missing data as missing gets an acknowledgeable warning', () => {
    const stack = testStack();
    new AlarmHealthCheck(stack, 'Check', { alarm: alarm(stack) });
    Annotations.fromStack(stack).hasWarning('/Stack/Check', Match.stringLikeRegexp('treats missing data as missing.*cdk-failover:alarm-missing-data'));
    const other = testStack();
    new AlarmHealthCheck(other, 'Check', { alarm: alarm(other, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING }) });
    expect(Annotations.fromStack(other).findWarning('*', Match.stringLikeRegexp('missing data'))).toEqual([]);
  });

  test('a single labelled metric is not metric math', () => {
    // GIVEN: aws-cdk-lib renders a labelled metric in the Metrics form of the alarm
    const stack = testStack();
    const labelled = alarm(stack, {}, { label: 'Order errors' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: Match.absent(),
      Metrics: [Match.objectLike({ Label: 'Order errors', MetricStat: Match.objectLike({ Period: 60, Stat: 'Sum' }) })],
    });

    // WHEN
    const check = new AlarmHealthCheck(stack, 'Check', { alarm: labelled });

    // THEN: modeled from the metric's period
    expect(check.detection.terms[0].max.toSeconds()).toEqual(240);
    expect(check.summary).toEqual('alarm Stack/Alarm (2 x 60 s)');
  });

  test('evaluation periods from a parameter are modeled at the slowest CloudWatch allows, with the acknowledgeable warning', () => {
    // GIVEN
    const stack = testStack();
    const periods = new CfnParameter(stack, 'Periods', { type: 'Number', default: 2 });

    // WHEN
    const check = new AlarmHealthCheck(stack, 'Check', { alarm: alarm(stack, { evaluationPeriods: periods.valueAsNumber }) });
    regionalFailover(stack, { primaryHealthCheck: check });

    // THEN: 60 s periods look back at most a day, 1440 periods; the worst case is 1441 periods and the alarm delay
    const term = check.detection.terms[0];
    expect([term.min.toSeconds(), term.max.toSeconds(), term.assumption]).toEqual([1439 * 60, 1441 * 60 + 60, true]);
    expect(check.summary).toEqual('alarm Stack/Alarm (? x 60 s)');
    Annotations.fromStack(stack).hasWarning('/Stack/Failover',
      Match.stringLikeRegexp('has a period or evaluation periods only known at deploy time, modeled at the slowest CloudWatch allows \\(1440 x 60 s\\).*cdk-failover:unmodeled-health-check'));
  });

  describe('fails', () => {
    test.each<[string, (s: Stack) => cloudwatch.Alarm, RegExp]>([
      ['metric math', (s) => new cloudwatch.Alarm(s, 'Alarm', {
        metric: new cloudwatch.MathExpression({ expression: 'm1 * 2', usingMetrics: { m1: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }) } }),
        threshold: 1,
        evaluationPeriods: 1,
      }), /uses metric math, which Route 53 does not accept/],
      ['a percentile', (s) => alarm(s, {}, { statistic: 'p99' }), /uses the statistic "p99"; Route 53 accepts Average, Minimum, Maximum, Sum, SampleCount/],
      ['a high-resolution period', (s) => alarm(s, {}, { period: Duration.seconds(10) }), /has a 10 s period \(high resolution\)/],
      ['M out of N', (s) => alarm(s, { evaluationPeriods: 3, datapointsToAlarm: 2 }), /alarms on 2 out of 3 datapoints; Route 53 does not support "M out of N"/],
      ['an expression without metrics', (s) => new cloudwatch.Alarm(s, 'Alarm', {
        metric: new cloudwatch.MathExpression({ expression: 'TIME_SERIES(1)', usingMetrics: {}, period: Duration.minutes(1) }),
        threshold: 1,
        evaluationPeriods: 1,
      }), /uses metric math, which Route 53 does not accept/],
      ['a labelled percentile', (s) => alarm(s, {}, { statistic: 'p99', label: 'x' }), /uses the statistic "p99"; Route 53 accepts Average, Minimum, Maximum, Sum, SampleCount/],
      ['a labelled high-resolution period', (s) => alarm(s, {}, { period: Duration.seconds(10), label: 'x' }), /has a 10 s period \(high resolution\)/],
      ['a metric of another account', (s) => alarm(s, {}, { account: '222222222222' }),
        /reads a metric of account 222222222222; Route 53 follows alarms on metrics of its own account \(111111111111\) only/],
    ])('with %s', (_, make, message) => {
      const stack = testStack();
      expect(() => new AlarmHealthCheck(stack, 'Check', { alarm: make(stack) })).toThrow(message);
    });

    test.each([
      ['Infinity', Duration.seconds(Infinity), /^Stack\/Check: `alarmToHealthStatus` must be whole milliseconds of 0 or more, got: Infinity\. Give what a drill measured/],
      ['half a millisecond', Duration.millis(0.5), /`alarmToHealthStatus` must be whole milliseconds of 0 or more, got: 0\.5 millis/],
    ])('with an alarmToHealthStatus of %s', (_, alarmToHealthStatus, message) => {
      const stack = testStack();
      expect(() => new AlarmHealthCheck(stack, 'Check', { alarm: alarm(stack), alarmToHealthStatus })).toThrow(message);
    });

    test.each([0, -1, 1.5])('with %p evaluation periods', (evaluationPeriods) => {
      const stack = testStack();
      expect(() => new AlarmHealthCheck(stack, 'Check', { alarm: alarm(stack, { evaluationPeriods, datapointsToAlarm: evaluationPeriods }) }))
        .toThrow(new RegExp(`^Stack/Check: \`alarm\` Stack/Alarm has ${evaluationPeriods} evaluation periods; an alarm needs a whole number of 1 or more`));
    });

    test('with an alarm of another account', () => {
      const app = new App();
      const other = new Stack(app, 'Other', { env: { account: '222222222222', region: 'us-west-2' } });
      const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-west-2' } });
      expect(() => new AlarmHealthCheck(stack, 'Check', { alarm: alarm(other) }))
        .toThrow(/^Stack\/Check: `alarm` Other\/Alarm is in account 222222222222; Route 53 follows alarms of its own account \(111111111111\) only/);
    });
  });
});

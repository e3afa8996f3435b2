import { App, CfnParameter, Duration, Resource, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  CalculatedHealthCheck, EndpointHealthCheck, EndpointHealthCheckProps, EndpointProtocol, IModeledHealthCheck, RecoveryEstimate, RecoveryTermKind,
} from '../../src';
import { detectionOf } from '../../src/health/detection';

function testStack(): Stack {
  const app = new App();
  return new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-west-2' } });
}

/** Minimum and maximum of the single detection term, in milliseconds. */
function range(estimate: RecoveryEstimate): [number, number] {
  expect(estimate.terms).toHaveLength(1);
  const [term] = estimate.terms;
  expect(term.kind).toEqual(RecoveryTermKind.DETECTION);
  return [term.min.toMilliseconds(), term.max.toMilliseconds()];
}

describe('EndpointHealthCheck detection', () => {
  test('defaults (HTTPS, 10 s x 2): 18.2 s to 26 s', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const check = new EndpointHealthCheck(stack, 'Check', { domainName: 'app.example.com', statusAlarm: false });

    // THEN: best (2 - 1) x 10 + 82 % of 10; worst 2 x 10 + 6 s HTTPS timeout
    expect(range(check.detection)).toEqual([18_200, 26_000]);
    const [term] = check.detection.terms;
    expect(term.assumption).toBe(false);
    expect(term.basis).toContain('Route 53 HTTPS check: 2 failed probe(s) x 10 s interval');
    expect(term.basis).toContain('6 s probe timeout (4 s connect + 2 s response)');
    expect(check.detection.rtoWorst!.toMilliseconds()).toEqual(26_000);
    expect(check.detection.rtoBest!.toMilliseconds()).toEqual(18_200);
    expect(check.detection.rpoWorst).toBeUndefined();
    expect(check.detection.assumptions).toEqual([]);
  });

  test.each<[string, EndpointProtocol, Duration, number, number, number]>([
    ['HTTPS 30 s x 3', EndpointProtocol.HTTPS, Duration.seconds(30), 3, 84_600, 96_000],
    ['HTTPS 10 s x 1', EndpointProtocol.HTTPS, Duration.seconds(10), 1, 8_200, 16_000],
    ['HTTPS 30 s x 10', EndpointProtocol.HTTPS, Duration.seconds(30), 10, 294_600, 306_000],
    ['HTTP 10 s x 2', EndpointProtocol.HTTP, Duration.seconds(10), 2, 18_200, 26_000],
    ['TCP 10 s x 1', EndpointProtocol.TCP, Duration.seconds(10), 1, 8_200, 20_000],
    ['TCP 30 s x 3', EndpointProtocol.TCP, Duration.seconds(30), 3, 84_600, 100_000],
  ])('%s', (_, protocol, requestInterval, failureThreshold, min, max) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const check = new EndpointHealthCheck(stack, 'Check', {
      domainName: 'app.example.com', protocol, port: 8080, requestInterval, failureThreshold, statusAlarm: false,
    });

    // THEN
    expect(range(check.detection)).toEqual([min, max]);
  });

  test('TCP basis names the 10 s connect timeout', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const check = new EndpointHealthCheck(stack, 'Check', { domainName: 'db.example.com', protocol: EndpointProtocol.TCP, port: 5432, statusAlarm: false });

    // THEN
    expect(check.detection.terms[0].basis).toContain('10 s TCP connect timeout');
  });

  test('an unresolved interval is modeled as 30 s, an unresolved threshold as 10', () => {
    // GIVEN
    const stack = testStack();
    const interval = new CfnParameter(stack, 'Interval', { type: 'Number' });
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' });

    // WHEN
    const slowInterval = new EndpointHealthCheck(stack, 'A', {
      domainName: 'a.example.com', requestInterval: Duration.seconds(interval.valueAsNumber), statusAlarm: false,
    });
    const slowThreshold = new EndpointHealthCheck(stack, 'B', {
      domainName: 'b.example.com', failureThreshold: threshold.valueAsNumber, statusAlarm: false,
    });

    // THEN
    expect(range(slowInterval.detection)).toEqual([54_600, 66_000]);
    expect(range(slowThreshold.detection)).toEqual([98_200, 106_000]);
  });

  test.each<[string, EndpointHealthCheckProps, string]>([
    ['defaults', { domainName: 'app.example.com' }, 'HTTPS app.example.com:443/ (10 s x 2)'],
    [
      'HTTP with port and path',
      { domainName: 'app.example.com', protocol: EndpointProtocol.HTTP, port: 8080, resourcePath: '/health', requestInterval: Duration.seconds(30), failureThreshold: 3 },
      'HTTP app.example.com:8080/health (30 s x 3)',
    ],
    ['TCP', { domainName: 'db.example.com', protocol: EndpointProtocol.TCP, port: 5432, failureThreshold: 1 }, 'TCP db.example.com:5432 (10 s x 1)'],
    ['an IP address', { ipAddress: '8.8.8.8' }, 'HTTPS 8.8.8.8:443/ (10 s x 2)'],
    ['Duration.minutes(0.5)', { domainName: 'app.example.com', requestInterval: Duration.minutes(0.5) }, 'HTTPS app.example.com:443/ (30 s x 2)'],
  ])('summary: %s', (_, props, summary) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const check = new EndpointHealthCheck(stack, 'Check', { ...props, statusAlarm: false });

    // THEN
    expect(check.summary).toEqual(summary);
  });
});

describe('detectionOf', () => {
  test('a raw check with a deploy-time threshold: the slowest Route 53 accepts, an assumption with a warning', () => {
    // GIVEN
    const stack = testStack();
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' });
    const check = new route53.HealthCheck(stack, 'Raw', { type: route53.HealthCheckType.HTTPS, fqdn: 'a.example.com', failureThreshold: threshold.valueAsNumber });

    // WHEN
    const detection = detectionOf(check);

    // THEN
    expect(detection.term).toMatchObject({ min: 294.6, max: 306, assumption: true });
    expect(detection.summary).toEqual('HTTPS a.example.com (30 s x ?)');
    expect(detection.warning).toMatch(/Stack\/Raw has a request interval or failure threshold that is only known at deploy time/);
  });

  test('our check with a deploy-time threshold says so in its summary and warning', () => {
    const stack = testStack();
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' });
    const check = new EndpointHealthCheck(stack, 'Check', { domainName: 'a.example.com', failureThreshold: threshold.valueAsNumber, statusAlarm: false });
    expect(check.summary).toEqual('HTTPS a.example.com:443/ (10 s x ?)');
    expect(check.detection.terms[0].assumption).toBe(true);
    expect(detectionOf(check).warning).toMatch(/Stack\/Check has a request interval or failure threshold/);
  });

  test('a calculated check passes its children\'s warnings up', () => {
    const stack = testStack();
    const imported = route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abc');
    const own = new EndpointHealthCheck(stack, 'Own', { domainName: 'a.example.com', statusAlarm: false });
    const calculated = new CalculatedHealthCheck(stack, 'Calc', { children: [imported, own], statusAlarm: false });
    expect(detectionOf(calculated).warning).toMatch(/Stack\/Imported is modeled as the slowest Route 53 endpoint check/);
  });

  test('our endpoint check: its own term and summary, no warning', () => {
    // GIVEN
    const stack = testStack();
    const check = new EndpointHealthCheck(stack, 'Check', {
      domainName: 'app.example.com', requestInterval: Duration.seconds(30), failureThreshold: 3, statusAlarm: false,
    });

    // WHEN
    const detection = detectionOf(check);

    // THEN
    expect(detection.term).toMatchObject({ kind: RecoveryTermKind.DETECTION, min: 84.6, max: 96, assumption: false });
    expect(detection.term.min * 1000).toEqual(check.detection.terms[0].min.toMilliseconds());
    expect(detection.term.max * 1000).toEqual(check.detection.terms[0].max.toMilliseconds());
    expect(detection.summary).toEqual(check.summary);
    expect(detection.warning).toBeUndefined();
  });

  test('our calculated check: its own term', () => {
    // GIVEN
    const stack = testStack();
    const a = new EndpointHealthCheck(stack, 'A', { domainName: 'a.example.com', statusAlarm: false });
    const b = new EndpointHealthCheck(stack, 'B', { domainName: 'b.example.com', failureThreshold: 1, statusAlarm: false });
    const calc = new CalculatedHealthCheck(stack, 'Calc', { children: [a, b], healthThreshold: 1, statusAlarm: false });

    // WHEN
    const detection = detectionOf(calc);

    // THEN: both must fail, so the slower child (10 s x 2) decides
    expect(detection.term).toMatchObject({ min: 18.2, max: 26, assumption: false });
    expect(detection.summary).toEqual(calc.summary);
    expect(detection.warning).toBeUndefined();
  });

  test('an aws-cdk-lib HealthCheck with its defaults: 30 s x 3 read from the template', () => {
    // GIVEN
    const stack = testStack();
    const raw = new route53.HealthCheck(stack, 'Raw', { type: route53.HealthCheckType.HTTPS, fqdn: 'app.example.com' });

    // WHEN
    const detection = detectionOf(raw);

    // THEN
    expect(detection.term).toMatchObject({ kind: RecoveryTermKind.DETECTION, min: 84.6, max: 96, assumption: false });
    expect(detection.summary).toEqual('HTTPS app.example.com (30 s x 3)');
    expect(detection.warning).toBeUndefined();
  });

  test('an aws-cdk-lib HealthCheck with explicit interval and threshold', () => {
    // GIVEN
    const stack = testStack();
    const raw = new route53.HealthCheck(stack, 'Raw', {
      type: route53.HealthCheckType.HTTPS_STR_MATCH,
      fqdn: 'app.example.com',
      searchString: 'ok',
      requestInterval: Duration.seconds(10),
      failureThreshold: 2,
    });

    // WHEN
    const detection = detectionOf(raw);

    // THEN
    expect(detection.term).toMatchObject({ min: 18.2, max: 26, assumption: false });
    expect(detection.term.basis).toContain('Route 53 HTTPS check');
    expect(detection.summary).toEqual('HTTPS_STR_MATCH app.example.com (10 s x 2)');
  });

  test('an aws-cdk-lib TCP HealthCheck on an IP address', () => {
    // GIVEN
    const stack = testStack();
    const raw = new route53.HealthCheck(stack, 'Raw', {
      type: route53.HealthCheckType.TCP, ipAddress: '8.8.8.8', port: 53, requestInterval: Duration.seconds(10), failureThreshold: 1,
    });

    // WHEN
    const detection = detectionOf(raw);

    // THEN
    expect(detection.term).toMatchObject({ min: 8.2, max: 20 });
    expect(detection.term.basis).toContain('10 s TCP connect timeout');
    expect(detection.summary).toEqual('TCP 8.8.8.8 (10 s x 1)');
  });

  test('an aws-cdk-lib HTTP_STR_MATCH HealthCheck is modeled as HTTP', () => {
    // GIVEN
    const stack = testStack();
    const raw = new route53.HealthCheck(stack, 'Raw', { type: route53.HealthCheckType.HTTP_STR_MATCH, fqdn: 'app.example.com', searchString: 'ok' });

    // WHEN
    const detection = detectionOf(raw);

    // THEN
    expect(detection.term).toMatchObject({ min: 84.6, max: 96 });
    expect(detection.term.basis).toContain('Route 53 HTTP check');
  });

  test('an imported health check: the slowest endpoint check as an assumption, with a warning naming its path', () => {
    // GIVEN
    const stack = testStack();
    const imported = route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abcdef01-2345-6789-abcd-ef0123456789');

    // WHEN
    const detection = detectionOf(imported);

    // THEN
    expect(detection.term).toMatchObject({ kind: RecoveryTermKind.DETECTION, min: 294.6, max: 310, assumption: true });
    expect(detection.term.basis).toMatch(/^assumed the slowest Route 53 endpoint check \(30 s x 10, TCP\): /);
    expect(detection.summary).toEqual('health check Stack/Imported (unknown)');
    expect(detection.warning).toEqual(
      'The health check at Stack/Imported is modeled as the slowest Route 53 endpoint check (30 s x 10, TCP) because it is imported, '
      + 'so its interval and threshold are unknown; import it with EndpointHealthCheck.fromHealthCheckAttributes() to state them.',
    );
  });

  test('an imported check with its attributes is modeled from them', () => {
    const stack = testStack();
    const imported = EndpointHealthCheck.fromHealthCheckAttributes(stack, 'Imported', {
      healthCheckId: 'abc', requestInterval: Duration.seconds(10), failureThreshold: 3, protocol: EndpointProtocol.TCP, domainName: 'a.example.com',
    });
    const detection = detectionOf(imported);
    expect(detection.term).toMatchObject({ min: 28.2, max: 40, assumption: false });
    expect(detection.summary).toEqual('TCP a.example.com (10 s x 3) (imported)');
    expect(detection.warning).toBeUndefined();
    expect(imported.healthCheckId).toEqual('abc');
  });

  test.each([
    ['an interval of 20 s', { requestInterval: Duration.seconds(20), failureThreshold: 3 }, /`requestInterval` must be 10 or 30 seconds, got: 20 seconds\. Give the interval Imported was created with/],
    ['a threshold of 0', { requestInterval: Duration.seconds(10), failureThreshold: 0 }, /`failureThreshold` must be an integer from 1 to 10, got: 0/],
  ])('fails to import with %s', (_, attrs, message) => {
    const stack = testStack();
    expect(() => EndpointHealthCheck.fromHealthCheckAttributes(stack, 'Imported', { healthCheckId: 'abc', ...attrs })).toThrow(message);
  });

  test('an inverted check is modeled as unknown, with a warning', () => {
    const stack = testStack();
    const inverted = new route53.HealthCheck(stack, 'Inverted', { type: route53.HealthCheckType.HTTPS, fqdn: 'a.example.com', inverted: true });
    const detection = detectionOf(inverted);
    expect(detection.term.assumption).toBe(true);
    expect(detection.warning).toMatch(/Stack\/Inverted .* because it is inverted/);
  });

  test('a user-implemented IModeledHealthCheck is modeled from its own detection', () => {
    const stack = testStack();
    const own = new class extends Resource implements IModeledHealthCheck {
      public readonly healthCheckId = 'custom';
      public readonly summary = 'custom probe';
      public readonly healthCheckRef = { healthCheckId: 'custom' };
      public readonly detection = RecoveryEstimate.of([{
        kind: RecoveryTermKind.DETECTION, min: Duration.seconds(1), max: Duration.seconds(2), basis: 'measured', assumption: false, remedy: 'none',
      }]);
    }(stack, 'Own');
    expect(detectionOf(own)).toMatchObject({ term: { min: 1, max: 2, basis: 'measured' }, summary: 'custom probe' });
  });

  test('a CLOUDWATCH_METRIC health check is not modeled: the slowest, and a warning', () => {
    // GIVEN
    const stack = testStack();
    const alarmBased = new route53.HealthCheck(stack, 'AlarmBased', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { name: 'probe-failing', region: 'us-west-2' },
    });

    // WHEN
    const detection = detectionOf(alarmBased);

    // THEN
    expect(detection.term).toMatchObject({ min: 294.6, max: 310, assumption: true });
    expect(detection.warning).toContain('Stack/AlarmBased');
    expect(detection.warning).toContain('CLOUDWATCH_METRIC health checks are not modeled');
    expect(detection.summary).toEqual('health check Stack/AlarmBased (unknown)');
  });

  test('a RECOVERY_CONTROL health check is not modeled: defaults and a warning', () => {
    // GIVEN
    const stack = testStack();
    const control = new route53.HealthCheck(stack, 'Control', {
      type: route53.HealthCheckType.RECOVERY_CONTROL,
      routingControl: 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc/routingcontrol/def',
    });

    // WHEN
    const detection = detectionOf(control);

    // THEN
    expect(detection.term.assumption).toBe(true);
    expect(detection.warning).toContain('RECOVERY_CONTROL health checks are not modeled');
  });
});

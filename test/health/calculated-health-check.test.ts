import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CalculatedHealthCheck, EndpointHealthCheck, EndpointProtocol, RecoveryTermKind } from '../../src';
import { regionalFailover } from '../util';

function testStack(region = 'us-west-2'): Stack {
  const app = new App();
  return new Stack(app, 'Stack', { env: { account: '111111111111', region } });
}

/** `count` endpoint checks without status alarms, named Child0, Child1, ... */
function endpointChecks(stack: Stack, count: number): EndpointHealthCheck[] {
  return Array.from({ length: count }, (_, i) =>
    new EndpointHealthCheck(stack, `Child${i}`, { domainName: `r${i}.app.example.com`, statusAlarm: false }));
}

function ref(stack: Stack, check: route53.IHealthCheck): unknown {
  return stack.resolve(check.healthCheckId);
}

describe('CalculatedHealthCheck', () => {
  test('a CALCULATED check over its children, majority by default', () => {
    // GIVEN
    const stack = testStack();
    const children = endpointChecks(stack, 3);

    // WHEN
    const calc = new CalculatedHealthCheck(stack, 'Calc', { children, statusAlarm: false });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HealthCheck', 4);
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        ChildHealthChecks: children.map((c) => ref(stack, c)),
        HealthThreshold: 2,
        RequestInterval: Match.absent(),
        FailureThreshold: Match.absent(),
      },
    });
    expect(calc.healthCheck).toBeInstanceOf(route53.HealthCheck);
    expect(stack.resolve(calc.healthCheckId)).toEqual({ Ref: stack.getLogicalId(calc.healthCheck.node.defaultChild as route53.CfnHealthCheck) });
    expect(stack.resolve(calc.healthCheckRef.healthCheckId)).toEqual(stack.resolve(calc.healthCheckId));
  });

  test.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [8, 5],
  ])('with %i children the default threshold is %i', (count, threshold) => {
    // GIVEN
    const stack = testStack();
    const children = endpointChecks(stack, count);

    // WHEN
    new CalculatedHealthCheck(stack, 'Calc', { children, statusAlarm: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: threshold, ChildHealthChecks: Match.arrayWith([ref(stack, children[0])]) },
    });
  });

  test('an explicit threshold', () => {
    // GIVEN
    const stack = testStack();
    const children = endpointChecks(stack, 3);

    // WHEN
    new CalculatedHealthCheck(stack, 'Calc', { children, healthThreshold: 1, statusAlarm: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 1 } });
  });

  test('children of any kind: ours, aws-cdk-lib HealthCheck, imported', () => {
    // GIVEN
    const stack = testStack();
    const ours = new EndpointHealthCheck(stack, 'Ours', { domainName: 'a.example.com', statusAlarm: false });
    const raw = new route53.HealthCheck(stack, 'Raw', { type: route53.HealthCheckType.HTTPS, fqdn: 'b.example.com' });
    const imported = route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abcdef01-2345-6789-abcd-ef0123456789');

    // WHEN
    new CalculatedHealthCheck(stack, 'Calc', { children: [ours, raw, imported], statusAlarm: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        ChildHealthChecks: [ref(stack, ours), ref(stack, raw), 'abcdef01-2345-6789-abcd-ef0123456789'],
        HealthThreshold: 2,
      },
    });
  });

  test('256 children are accepted', () => {
    // GIVEN
    const stack = testStack();
    const children = Array.from({ length: 256 }, (_, i) => route53.HealthCheck.fromHealthCheckId(stack, `Child${i}`, `id-${i}`));

    // WHEN
    new CalculatedHealthCheck(stack, 'Calc', { children, statusAlarm: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 129, ChildHealthChecks: Match.arrayWith(['id-0', 'id-255']) },
    });
  });

  test('a threshold token is not judged', () => {
    // GIVEN
    const stack = testStack();
    const children = endpointChecks(stack, 2);
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' });

    // WHEN
    const calc = new CalculatedHealthCheck(stack, 'Calc', { children, healthThreshold: threshold.valueAsNumber, statusAlarm: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: { Ref: 'Threshold' } },
    });
    // modeled as the slowest: every child must fail
    expect(calc.detection.terms[0].max.toMilliseconds()).toEqual(26_000);
  });

  test('a threshold token is modeled at the slowest as an assumption, with the acknowledgeable warning', () => {
    // GIVEN
    const stack = testStack();
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' });
    const calc = new CalculatedHealthCheck(stack, 'Calc', { children: endpointChecks(stack, 2), healthThreshold: threshold.valueAsNumber, statusAlarm: false });

    // WHEN
    regionalFailover(stack, { primaryHealthCheck: calc });

    // THEN
    expect(calc.detection.terms[0].assumption).toBe(true);
    expect(calc.summary).toMatch(/^calculated: \? of 2 healthy \[/);
    Annotations.fromStack(stack).hasWarning('/Stack/Failover',
      Match.stringLikeRegexp('The calculated health check at Stack/Calc has a `healthThreshold` that is only known at deploy time.*cdk-failover:unmodeled-health-check'));
  });

  describe('validation', () => {
    test('fails with no children', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children: [] });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `children` must hold 1 to 256 health checks, got 0\./);
    });

    test('fails with 257 children', () => {
      // GIVEN
      const stack = testStack();
      const children = Array.from({ length: 257 }, (_, i) => route53.HealthCheck.fromHealthCheckId(stack, `Child${i}`, `id-${i}`));

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `children` must hold 1 to 256 health checks, got 257\./);
    });

    test('fails with a CalculatedHealthCheck as child', () => {
      // GIVEN
      const stack = testStack();
      const inner = new CalculatedHealthCheck(stack, 'Inner', { children: endpointChecks(stack, 2), statusAlarm: false });
      const other = new EndpointHealthCheck(stack, 'Other', { domainName: 'c.example.com', statusAlarm: false });

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children: [inner, other] });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `children` must not contain calculated health checks \(Route 53 does not nest them\), got: Stack\/Inner\./);
    });

    test('fails with an aws-cdk-lib CALCULATED HealthCheck as child', () => {
      // GIVEN
      const stack = testStack();
      const [a, b] = endpointChecks(stack, 2);
      const raw = new route53.HealthCheck(stack, 'RawCalc', { type: route53.HealthCheckType.CALCULATED, childHealthChecks: [a, b] });

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children: [raw, a] });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `children` must not contain calculated health checks.*got: Stack\/RawCalc\. List their children directly instead\./);
    });

    test('fails with the same child twice', () => {
      // GIVEN
      const stack = testStack();
      const [a, b] = endpointChecks(stack, 2);

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children: [a, b, a] });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `children` must not list the same health check twice\./);
    });

    test.each<[string, number, RegExp]>([
      ['0', 0, /`healthThreshold` must be an integer from 1 to 2 \(the number of children\), got: 0\. A threshold of 0 is always healthy, so it would never fail over\./],
      ['above the number of children', 3, /`healthThreshold` must be an integer from 1 to 2 \(the number of children\), got: 3\. Use a majority, the default\./],
      ['not an integer', 1.5, /`healthThreshold` must be an integer from 1 to 2 \(the number of children\), got: 1\.5\./],
      ['negative', -1, /`healthThreshold` must be an integer from 1 to 2 \(the number of children\), got: -1\./],
      ['NaN', NaN, /`healthThreshold` must be an integer from 1 to 2 \(the number of children\), got: NaN\./],
    ])('fails with a healthThreshold %s', (_, healthThreshold, message) => {
      // GIVEN two children, each attempt in a fresh stack
      // WHEN
      const create = () => {
        const stack = testStack();
        return new CalculatedHealthCheck(stack, 'Calc', { children: endpointChecks(stack, 2), healthThreshold });
      };

      // THEN
      expect(create).toThrow(/^Stack\/Calc: /);
      expect(create).toThrow(message);
    });

    test('fails with an alarmTopic outside us-east-1', () => {
      // GIVEN
      const stack = testStack();
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-west-2:111111111111:alerts');

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children: endpointChecks(stack, 1), alarmTopic: topic });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `alarmTopic` must be in us-east-1, where the status alarm lives, got a topic in us-west-2\./);
    });

    test('fails with an alarmTopic and statusAlarm: false', () => {
      // GIVEN
      const stack = testStack();
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts');

      // WHEN
      const create = () => new CalculatedHealthCheck(stack, 'Calc', { children: endpointChecks(stack, 1), alarmTopic: topic, statusAlarm: false });

      // THEN
      expect(create).toThrow(/^Stack\/Calc: `alarmTopic` needs the status alarm/);
    });

    test('fails with every problem in one error', () => {
      // GIVEN a nested calculated check, a repeated child and threshold 0, each attempt in a fresh stack
      // WHEN
      const create = () => {
        const stack = testStack();
        const [a, b] = endpointChecks(stack, 2);
        const inner = new CalculatedHealthCheck(stack, 'Inner', { children: [a, b], statusAlarm: false });
        return new CalculatedHealthCheck(stack, 'Calc', { children: [inner, a, a], healthThreshold: 0 });
      };

      // THEN
      expect(create).toThrow(/^Stack\/Calc: 3 problems:\n {2}- `children` must not contain calculated health checks/);
      expect(create).toThrow(/\n {2}- `children` must not list the same health check twice/);
      expect(create).toThrow(/\n {2}- `healthThreshold` must be an integer from 1 to 3 \(the number of children\), got: 0\./);
    });
  });

  describe('detection', () => {
    /** A 10 s x 2 HTTPS child (18.2..26 s) and a 30 s x 3 HTTPS child (84.6..96 s). */
    function fastAndSlow(stack: Stack): [EndpointHealthCheck, EndpointHealthCheck] {
      return [
        new EndpointHealthCheck(stack, 'Fast', { domainName: 'fast.example.com', statusAlarm: false }),
        new EndpointHealthCheck(stack, 'Slow', {
          domainName: 'slow.example.com', requestInterval: Duration.seconds(30), failureThreshold: 3, statusAlarm: false,
        }),
      ];
    }

    test('threshold 2 of 2: the first failing child already makes it unhealthy', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: fastAndSlow(stack), healthThreshold: 2, statusAlarm: false });

      // THEN
      const [term] = calc.detection.terms;
      expect(calc.detection.terms).toHaveLength(1);
      expect(term.kind).toEqual(RecoveryTermKind.DETECTION);
      expect(term.min.toMilliseconds()).toEqual(18_200);
      expect(term.max.toMilliseconds()).toEqual(26_000);
      expect(term.assumption).toBe(false);
      expect(term.basis).toContain('unhealthy once 1 of 2 child checks fail (health threshold 2)');
    });

    test('threshold 1 of 2: both children must fail', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: fastAndSlow(stack), healthThreshold: 1, statusAlarm: false });

      // THEN
      const [term] = calc.detection.terms;
      expect(term.min.toMilliseconds()).toEqual(84_600);
      expect(term.max.toMilliseconds()).toEqual(96_000);
      expect(term.basis).toContain('unhealthy once 2 of 2 child checks fail (health threshold 1)');
    });

    test('majority of 3: the second fastest child decides', () => {
      // GIVEN
      const stack = testStack();
      const [fast, slow] = fastAndSlow(stack);
      const tcp = new EndpointHealthCheck(stack, 'Tcp', {
        domainName: 'db.example.com', protocol: EndpointProtocol.TCP, port: 5432, failureThreshold: 1, statusAlarm: false,
      });

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: [slow, fast, tcp], statusAlarm: false });

      // THEN: 2 of 3 healthy needed, so 2 children must fail: TCP 8.2..20 s, fast 18.2..26 s, slow 84.6..96 s
      expect(calc.detection.terms[0].min.toMilliseconds()).toEqual(18_200);
      expect(calc.detection.terms[0].max.toMilliseconds()).toEqual(26_000);
    });

    test('an imported child makes the figure an assumption', () => {
      // GIVEN
      const stack = testStack();
      const fast = new EndpointHealthCheck(stack, 'Fast', { domainName: 'fast.example.com', statusAlarm: false });
      const imported = route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abcdef01-2345-6789-abcd-ef0123456789');

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: [fast, imported], healthThreshold: 1, statusAlarm: false });

      // THEN: the imported child is modeled as the slowest endpoint check, 30 s x 10 over TCP
      expect(calc.detection.terms[0].max.toMilliseconds()).toEqual(310_000);
      expect(calc.detection.terms[0].assumption).toBe(true);
      expect(calc.detection.assumptions).toHaveLength(1);
    });

    test('summary names the threshold and every child', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: fastAndSlow(stack), statusAlarm: false });

      // THEN
      expect(calc.summary).toEqual('calculated: 2 of 2 healthy [HTTPS fast.example.com:443/ (10 s x 2); HTTPS slow.example.com:443/ (30 s x 3)]');
    });
  });
});

import { Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as fc from 'fast-check';
import { DataPlaneSwitch, HealthProbe } from '../../src';
import { testApp, testStack } from '../util';

const validRegion = fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2', 'eu-central-1');
const region = fc.oneof(
  { arbitrary: validRegion, weight: 4 },
  { arbitrary: fc.constantFrom('US-EAST-1', 'us-east', '', 'eu-west-1 ', Lazy.string({ produce: () => 'us-east-1' })), weight: 1 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
);
const appName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,30}$/), weight: 4 },
  { arbitrary: fc.constantFrom('', 'a b', 'x'.repeat(200), 'x'.repeat(210), Lazy.string({ produce: () => 'orders' })), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);
const parameterName = fc.option(fc.oneof(
  fc.stringMatching(/^(\/[a-z0-9_.-]{1,10}){1,4}$/),
  fc.constantFrom('orders', '/aws/x', '/a//b', '/ssm'),
  fc.string({ maxLength: 20 }),
), { nil: undefined, freq: 2 });

const switchProps = fc.record({
  stackRegion: validRegion,
  appName,
  regions: fc.option(fc.oneof(
    fc.uniqueArray(validRegion, { minLength: 2, maxLength: 5 }),
    fc.array(region, { maxLength: 6 }),
  ), { nil: undefined, freq: 8 }),
  parameterName,
});

test('random switch props either synthesize one alarm per other region or fail with our error', () => {
  let synthesized = 0;
  fc.assert(fc.property(switchProps, ({ stackRegion, ...p }) => {
    // GIVEN
    const stack = testStack(testApp(), 'App', stackRegion);
    const probe = new HealthProbe(stack, 'Probe');

    // WHEN
    let sw: DataPlaneSwitch;
    try {
      sw = new DataPlaneSwitch(stack, 'Switch', { ...p, probe });
    } catch (e) {
      // THEN: our error, naming the construct, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^App\/Switch: /);
      return;
    }

    // THEN
    synthesized++;
    const regions = p.regions!;
    expect(regions).toContain(stackRegion);
    expect(new Set(regions).size).toEqual(regions.length);
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[];
    const names = alarms.map((a) => a.Properties.AlarmName as string);
    expect(names).toEqual(regions.filter((r) => r !== stackRegion).map((r) => `cdk-failover-${p.appName}-${r}-not-active-per-${stackRegion}`));
    expect(sw.alarmNames).toEqual(names);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(255);
    }
    for (const a of alarms) {
      expect(a.Properties).toMatchObject({ EvaluationPeriods: 1, Period: 60, TreatMissingData: 'ignore', Statistic: 'Minimum' });
    }
  }), { numRuns: 60 });
  expect(synthesized).toBeGreaterThan(0);
});

const checkProps = fc.record({
  appName,
  region,
  observerRegion: region,
  insufficientDataHealthStatus: fc.option(fc.constantFrom(...Object.values(route53.InsufficientDataHealthStatusEnum)), { nil: undefined }),
});

test('random health check props either make a check on the observer\'s alarm or fail with our error', () => {
  let made = 0;
  fc.assert(fc.property(checkProps, (p) => {
    const stack = testStack(testApp(), 'Dns', 'us-east-1');
    try {
      DataPlaneSwitch.healthCheckFor(stack, 'Check', p);
    } catch (e) {
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Dns\/Check: /);
      return;
    }
    made++;
    expect(p.region).not.toEqual(p.observerRegion);
    expect(p.insufficientDataHealthStatus).not.toEqual(route53.InsufficientDataHealthStatusEnum.UNHEALTHY);
    const config = Object.values(Template.fromStack(stack).findResources('AWS::Route53::HealthCheck'))[0].Properties.HealthCheckConfig;
    expect(config).toEqual({
      Type: 'CLOUDWATCH_METRIC',
      AlarmIdentifier: { Name: `cdk-failover-${p.appName}-${p.region}-not-active-per-${p.observerRegion}`, Region: p.observerRegion },
      InsufficientDataHealthStatus: p.insufficientDataHealthStatus ?? 'LastKnownStatus',
      Inverted: false,
    });
  }), { numRuns: 80 });
  expect(made).toBeGreaterThan(0);
});

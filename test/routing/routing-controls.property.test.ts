import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { RoutingControls } from '../../src';
import { testStack } from '../util';

const validRegion = fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'eu-central-1');
const region = fc.oneof(
  validRegion,
  fc.constantFrom('US-EAST-1', 'us-east', '', 'eu-west-1 '),
  fc.string({ maxLength: 12 }),
);

const name = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9-]{1,20}$/), weight: 4 },
  { arbitrary: fc.string({ maxLength: 70 }), weight: 1 },
  { arbitrary: fc.constantFrom('a b', '\t', 'x'.repeat(64), 'x'.repeat(65)), weight: 1 },
);

const anyProps = fc.record({
  regions: fc.oneof(fc.uniqueArray(validRegion, { minLength: 2, maxLength: 6 }), fc.array(region, { maxLength: 12 })),
  clusterArn: fc.option(fc.oneof(
    fc.constant('arn:aws:route53-recovery-control::111111111111:cluster/0123abcd'),
    fc.constant(Lazy.string({ produce: () => 'arn' })),
    fc.string({ maxLength: 40 }),
  ), { nil: undefined, freq: 2 }),
  clusterName: fc.option(name, { nil: undefined, freq: 2 }),
  controlPanelName: fc.option(name, { nil: undefined, freq: 2 }),
  controlNamePrefix: fc.option(name, { nil: undefined, freq: 2 }),
  minimumOn: fc.option(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double({ min: 0, max: 5, noNaN: true })), { nil: undefined, freq: 2 }),
  assertionRule: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
  gatingControl: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
  waitPeriod: fc.option(fc.oneof(
    fc.integer({ min: 0, max: 120_000 }).map((ms) => Duration.millis(ms)),
    fc.double({ min: 0, max: 10, noNaN: true }).map((ms) => Duration.millis(ms)),
  ), { nil: undefined, freq: 2 }),
  configParameterName: fc.option(fc.oneof(
    fc.stringMatching(/^(\/[A-Za-z0-9_.-]{1,12}){1,4}$/),
    fc.constantFrom('/aws/x', 'no-slash', '/a//b', '/a/', `/${'a/'.repeat(15)}b`, `/${'x'.repeat(1011)}`),
    fc.string({ maxLength: 30 }),
  ), { nil: undefined, freq: 2 }),
});

// Props ARC accepts, so that every run also exercises the synthesized side.
const validProps = fc.record({
  regions: fc.uniqueArray(validRegion, { minLength: 2, maxLength: 6 }),
  clusterArn: fc.constantFrom(undefined, 'arn:aws:route53-recovery-control::111111111111:cluster/0123abcd'),
  controlPanelName: fc.option(fc.stringMatching(/^[a-z0-9-]{1,64}$/), { nil: undefined }),
  controlNamePrefix: fc.option(fc.stringMatching(/^[a-z0-9-]{0,20}$/), { nil: undefined }),
  gatingControl: fc.option(fc.boolean(), { nil: undefined }),
  waitPeriod: fc.option(fc.integer({ min: 0, max: 120_000 }).map((ms) => Duration.millis(ms)), { nil: undefined }),
});

const props = fc.oneof(anyProps, validProps);

test('random props either synthesize valid ARC resources or fail with our error', () => {
  let synthesized = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    let rc: RoutingControls;
    try {
      rc = new RoutingControls(stack, 'Controls', p);
    } catch (e) {
      // THEN: our error, naming the construct, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Stack\/Controls: /);
      return;
    }

    // THEN: what ARC accepts
    const template = Template.fromStack(stack).toJSON();
    const resources = Object.values(template.Resources) as any[];
    const controls = resources.filter((r) => r.Type === 'AWS::Route53RecoveryControl::RoutingControl');
    expect(p.regions.length).toBeGreaterThanOrEqual(2);
    expect(p.regions.length).toBeLessThanOrEqual(10);
    expect(new Set(p.regions).size).toEqual(p.regions.length);
    expect(controls).toHaveLength(p.regions.length + (p.gatingControl ? 1 : 0));
    const names = controls.map((c) => c.Properties.Name as string);
    expect(new Set(names).size).toEqual(names.length);
    for (const n of names) {
      expect(n).toMatch(/^\S{1,64}$/);
    }
    for (const rule of resources.filter((r) => r.Type === 'AWS::Route53RecoveryControl::SafetyRule')) {
      const wait = (rule.Properties.AssertionRule ?? rule.Properties.GatingRule).WaitPeriodMs;
      expect(Number.isInteger(wait) && wait >= 0).toBe(true);
      const config = rule.Properties.RuleConfig;
      if (config.Type === 'ATLEAST') {
        expect(config.Threshold).toBeGreaterThanOrEqual(1);
        expect(config.Threshold).toBeLessThan(p.regions.length);
      }
    }
    expect(resources.filter((r) => r.Type === 'AWS::Route53::HealthCheck')).toHaveLength(p.regions.length);
    expect(rc.healthCheck(p.regions[0]).detection.rtoWorst!.toSeconds()).toEqual(630);
    // One configuration parameter per Region, under a name SSM accepts.
    const parameters = resources.filter((r) => r.Type === 'Custom::ArcConfigParameter');
    expect(parameters).toHaveLength(p.regions.length);
    expect(rc.configParameterName).toMatch(/^\/[A-Za-z0-9_.\-/]+$/);
    expect(rc.configParameterName).not.toMatch(/^\/(aws|ssm)|\/\/|\/$/i);
    expect(rc.configParameterName.length).toBeLessThanOrEqual(1011);
    expect(rc.configParameterName.split('/').length - 1).toBeLessThanOrEqual(15);
    synthesized++;
  }), { numRuns: 150 });
  // The run must exercise the valid side too, not only the errors.
  expect(synthesized).toBeGreaterThan(20);
});

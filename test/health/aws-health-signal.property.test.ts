import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { AlarmHealthCheck, AwsHealthSignal, AwsHealthSignalProps } from '../../src';

const PROPS = ['services', 'regions', 'period', 'assumptions'];
const HERE = 'us-west-2';

const goodService = fc.stringMatching(/^[A-Z0-9_]{2,30}$/);
const service = fc.oneof(
  { arbitrary: goodService, weight: 10 },
  { arbitrary: fc.constantFrom('EC2', 'RDS', 'ELASTICLOADBALANCING', 'ec2', 'E', '', 'EC2/X', 'A'.repeat(31), 'EC 2'), weight: 3 },
  { arbitrary: fc.string(), weight: 1 },
);
const region = fc.oneof(
  { arbitrary: fc.constantFrom('us-west-2', 'us-east-1', 'eu-central-1', 'ap-southeast-2', 'eu-west-1'), weight: 10 },
  { arbitrary: fc.constantFrom('mars-1', '', 'US-EAST-1', 'cn-north-1', 'us-gov-west-1'), weight: 2 },
);
const seconds = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 1440 }).map((m) => m * 60), weight: 10 },
  { arbitrary: fc.constantFrom(0, 30, 59, 90, 86_460, 172_800, NaN, Infinity, 60.5), weight: 3 },
);
const props: fc.Arbitrary<AwsHealthSignalProps> = fc.record({
  services: fc.array(service, { minLength: 0, maxLength: 6 }),
  regions: fc.option(fc.array(region, { minLength: 0, maxLength: 4 }), { nil: undefined }),
  period: fc.option(seconds.map((s) => Duration.millis(s * 1000)), { nil: undefined }),
  assumptions: fc.option(fc.dictionary(fc.constantFrom('awsHealthSignal', 'clientDnsCache'), seconds.map((s) => Duration.millis(Math.abs(s) * 1000))), { nil: undefined }),
});

test('random props either synthesize a rule and an alarm Route 53 accepts, or fail with our error naming a prop', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: HERE } });

    // WHEN
    let signal: AwsHealthSignal;
    try {
      signal = new AwsHealthSignal(stack, 'Signal', p);
    } catch (e) {
      // THEN: a plain Error from our validation, never a TypeError or aws-cdk-lib's
      const error = e as Error;
      expect(error.name).toEqual('Error');
      expect(error.message).toMatch(/^Stack\/Signal: /);
      const named = [...error.message.matchAll(/`([A-Za-z]+)/g)].map((m) => m[1]);
      expect(named.some((prop) => PROPS.includes(prop))).toBe(true);
      return;
    }

    // THEN
    const template = Template.fromStack(stack);
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0] as any;
    const detail = rule.Properties.EventPattern.detail;
    expect(detail.eventTypeCategory).toEqual(['issue']);
    expect(detail.service).toEqual(p.services);
    expect(detail.service.every((s: string) => /^[A-Z0-9_]{2,30}$/.test(s))).toBe(true);
    expect(new Set(detail.service).size).toEqual(detail.service.length);
    expect(detail.eventRegion).toEqual(p.regions ?? [HERE]);
    // us-west-2 receives the standard partition's events only: never China's or GovCloud's.
    expect(detail.eventRegion.filter((r: string) => /^(cn|us-gov)-/.test(r))).toEqual([]);
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm'))[0] as any;
    expect(alarm.Properties.Period % 60).toEqual(0);
    expect(alarm.Properties.Period).toBeGreaterThanOrEqual(60);
    expect(alarm.Properties.Period).toBeLessThanOrEqual(86_400);
    // Route 53 follows it: the check accepts it, and the model puts the Health delay first.
    const check = new AlarmHealthCheck(stack, 'Check', { alarm: signal.alarm });
    expect(check.detection.terms[0].id).toEqual('aws-health-event');
    expect(check.detection.rtoWorst!.toSeconds()).toEqual(signal.detection.rtoWorst!.toSeconds() + 2 * alarm.Properties.Period + 60);
  }), { numRuns: 200 });
}, 120_000);

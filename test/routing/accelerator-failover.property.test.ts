import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { AcceleratorEndpoint, AcceleratorEndpointKind, AcceleratorFailover } from '../../src';
import { testStack } from '../util';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
/** True one time in ten: mostly valid props, so that both outcomes are exercised. */
const rarely = fc.integer({ min: 0, max: 9 }).map((x) => x === 0);
let built = 0;
/** Valid values nine times in ten. */
function mostly<T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: any, weight: 1 });
}

const arnOf = (region: string, net: boolean, name: string) =>
  `arn:aws:elasticloadbalancing:${region}:111111111111:loadbalancer/${net ? 'net' : 'app'}/${name}/0123456789abcdef`;

const endpoint = fc.record({
  region: fc.oneof({ arbitrary: fc.constantFrom(...REGIONS), weight: 9 }, { arbitrary: fc.constant('us-west'), weight: 1 }),
  arnRegion: fc.constantFrom(...REGIONS),
  otherRegion: rarely,
  net: fc.boolean(),
  wrongKind: rarely,
  name: fc.constantFrom('a', 'b', 'web'),
  weight: fc.option(mostly(fc.integer({ min: 1, max: 255 }), fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constant(0))),
    { nil: undefined, freq: 2 }),
  preserveClientIp: fc.option(fc.boolean(), { nil: undefined }),
  token: rarely,
}).map((e) => {
  const arn = arnOf(e.otherRegion ? e.arnRegion : e.region, e.net, e.name);
  return AcceleratorEndpoint.fromArn(e.region, e.token ? Lazy.string({ produce: () => arn }) : arn,
    e.net !== e.wrongKind ? AcceleratorEndpointKind.NETWORK_LOAD_BALANCER : AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER,
    { weight: e.weight, preserveClientIp: e.preserveClientIp });
});

const props = fc.record({
  endpoints: mostly(
    fc.shuffledSubarray(REGIONS, { minLength: 2 }).map((rs) => rs.map((r) => AcceleratorEndpoint.fromArn(r, arnOf(r, false, 'web'), AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER))),
    fc.array(endpoint, { minLength: 1, maxLength: 4 })),
  primaryRegion: fc.option(mostly(fc.constantFrom(...REGIONS), fc.constant('ap-south-1')), { nil: undefined }),
  trafficDials: fc.option(fc.dictionary(mostly(fc.constantFrom(...REGIONS), fc.constant('sa-east-1')),
    mostly(fc.integer({ min: 0, max: 100 }), fc.integer({ min: -10, max: 120 })), { maxKeys: 2 }), { nil: undefined, freq: 2 }),
  portRanges: fc.option(fc.array(fc.record({
    fromPort: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 70000 })),
    toPort: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
  }), { maxLength: 11 }), { nil: undefined, freq: 3 }),
  healthCheckInterval: fc.option(mostly(fc.constantFrom(10, 30), fc.integer({ min: 0, max: 60 })).map((s) => Duration.seconds(s)),
    { nil: undefined }),
  healthCheckThreshold: fc.option(mostly(fc.integer({ min: 1, max: 10 }), fc.integer({ min: -1, max: 12 })), { nil: undefined }),
  acceleratorReroute: fc.option(fc.integer({ min: 0, max: 120 }).map((s) => Duration.seconds(s)), { nil: undefined }),
});

test('random props either synthesize dials, weights and health settings in range, with a positive modeled RTO, or fail with our error', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    let accelerator: AcceleratorFailover;
    try {
      accelerator = new AcceleratorFailover(stack, 'Accelerator', {
        ...p,
        assumptions: p.acceleratorReroute && { acceleratorReroute: p.acceleratorReroute },
      });
    } catch (e) {
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Stack\/Accelerator: (\d+ problems:\n {2}- )?`[a-zA-Z.\-[\]0-9]+`/);
      return;
    }

    // THEN
    const groups = Object.values(Template.fromStack(stack).findResources('AWS::GlobalAccelerator::EndpointGroup')).map((r) => r.Properties);
    expect(new Set(groups.map((g) => g.EndpointGroupRegion)).size).toEqual(groups.length);
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const g of groups) {
      expect(g.TrafficDialPercentage).toBeGreaterThanOrEqual(0);
      expect(g.TrafficDialPercentage).toBeLessThanOrEqual(100);
      expect([10, 30]).toContain(g.HealthCheckIntervalSeconds);
      expect(g.ThresholdCount).toBeGreaterThanOrEqual(1);
      expect(g.ThresholdCount).toBeLessThanOrEqual(10);
      expect(g.EndpointConfigurations.some((c: any) => c.Weight === undefined || c.Weight > 0)).toBe(true);
    }
    if (p.primaryRegion) {
      expect(groups.find((g) => g.EndpointGroupRegion === p.primaryRegion)!.TrafficDialPercentage).toBeGreaterThan(0);
    }
    built++;
    const paths = accelerator.recoveryPaths();
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      expect(path.estimate.rtoWorst!.toSeconds()).toBeGreaterThan(0);
    }
  }), { numRuns: 200 });
  expect(built).toBeGreaterThan(10);
});

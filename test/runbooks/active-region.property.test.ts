import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { ActiveRegion } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
const region = fc.oneof({ arbitrary: fc.constantFrom(...REGIONS), weight: 9 }, { arbitrary: fc.constantFrom('', 'useast1', 'US-EAST-1'), weight: 1 });
const level = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
const name = fc.oneof(
  { arbitrary: fc.array(level, { minLength: 1, maxLength: 17 }).map((ls) => `/${ls.join('/')}`), weight: 6 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.constantFrom('/aws/x', '/ssm/x', '/a//b', '/a/', `/${'b'.repeat(1011)}`), weight: 1 },
);

/** Regions that AWS would accept: the stack's and the primary among two or more distinct ones. */
const validRegions = fc.uniqueArray(fc.constantFrom(...REGIONS), { minLength: 2, maxLength: 4 }).chain((regions) =>
  fc.record({ regions: fc.constant(regions), stackRegion: fc.constantFrom(...regions), primaryRegion: fc.constantFrom(...regions) }));
const anyRegions = fc.record({ regions: fc.array(region, { maxLength: 4 }), stackRegion: fc.constantFrom(...REGIONS), primaryRegion: region });

const props = fc.record({
  layout: fc.oneof({ arbitrary: validRegions, weight: 3 }, { arbitrary: anyRegions, weight: 1 }),
  appName: fc.oneof({ arbitrary: level, weight: 5 }, { arbitrary: fc.string({ maxLength: 20 }), weight: 1 }),
  parameterName: fc.option(name, { nil: undefined }),
});

test('random props either make one write-once parameter with an ARN per region, or fail with our error', () => {
  let ok = 0;
  fc.assert(fc.property(props, ({ layout: { stackRegion, ...regions }, ...rest }) => {
    const p = { ...rest, ...regions };
    // GIVEN
    const stack = testStack(testApp(), 'Stack', stackRegion);

    // WHEN
    let active: ActiveRegion;
    try {
      active = new ActiveRegion(stack, 'ActiveRegion', p);
    } catch (e) {
      // THEN
      expect((e as Error).message).toMatch(/^Stack\/ActiveRegion: /);
      expect((e as Error).message).not.toMatch(/undefined|NaN|\[object/);
      return;
    }
    ok++;
    const expectedName = p.parameterName ?? `/cdk-failover/${p.appName}/active-region`;
    const levels = expectedName.slice(1).split('/');
    expect(expectedName).toMatch(/^(\/[A-Za-z0-9_.-]+)+$/);
    expect(levels.length).toBeLessThanOrEqual(15);
    expect(expectedName.length).toBeLessThanOrEqual(1011);
    expect(levels[0]).not.toMatch(/^(aws|ssm)/i);
    expect(new Set(p.regions).size).toBe(p.regions.length);
    expect(p.regions).toEqual(expect.arrayContaining([p.primaryRegion, stackRegion]));

    const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::ActiveRegionParameter'));
    expect(resource.Properties.Update).toBeUndefined();
    expect(JSON.parse(resource.Properties.Create).parameters).toMatchObject({ Name: expectedName, Value: p.primaryRegion, Overwrite: false });
    expect(active.parameterArns).toHaveLength(p.regions.length);
  }), { numRuns: 100 });
  expect(ok).toBeGreaterThan(0);
});

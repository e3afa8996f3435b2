import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { FailoverRunbook, SwitchTraffic } from '../../src';
import { crossRegionTasks, sdkTasks, stateMachineDefinitions } from '../support/state-machines';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine the runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const LISTENER = 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdef01/listener/0123abcd';
/** Regions, and a key that is no Region name. */
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const KEY = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...REGIONS) }, { weight: 1, arbitrary: fc.constant('east') });

// Mostly valid options (about one run in four builds), each way of being wrong drawn now and then.
const props = fc.uniqueArray(KEY, { minLength: 0, maxLength: 4 }).chain((keys) => fc.record({
  keys: fc.constant(keys),
  // Which group's ARN is malformed (-1: none), and whether two groups share one ARN.
  badArn: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(4) }),
  sameArn: fc.nat(9).map((n) => n === 0),
  target: keys.length > 0
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom(...REGIONS, 'east') })
    : fc.constantFrom(...REGIONS),
  othersToZero: fc.option(fc.boolean(), { nil: undefined }),
  stackRegion: fc.constantFrom('us-west-2', 'eu-central-1'),
}));

test('random options either dial the target up then the others down, granted on exactly those groups, or fail with our error', () => {
  let built = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(testApp(), 'Stack', p.stackRegion);
    const arns = Object.fromEntries(p.keys.map((k, i) => [k, i === p.badArn ? `${LISTENER}/endpointgroup/${i}` : `${LISTENER}/endpoint-group/${p.sameArn ? 0 : i}`]));
    const valid = p.keys.length >= 2 && p.keys.every((k) => k !== 'east') && !(p.badArn >= 0 && p.badArn < p.keys.length)
      && !p.sameArn && p.keys.includes(p.target);

    // WHEN
    try {
      new FailoverRunbook(stack, 'Runbook', {
        fromRegion: 'sa-east-1',
        steps: [SwitchTraffic.acceleratorDials({ endpointGroupArns: arns, region: p.target, othersToZero: p.othersToZero })],
      });
    } catch (e) {
      // THEN: our message, naming the construct and the step, for options that are wrong
      expect((e as Error).message).toMatch(/^Stack\/Runbook: (\d+ problems:\n\s+- )?`steps\[0\]/);
      expect(valid).toBe(false);
      return;
    }
    built++;
    expect(valid).toBe(true);
    // THEN: the target at 100 first, then each other at 0 in the order given, unless othersToZero is false
    const others = p.othersToZero === false ? [] : p.keys.filter((k) => k !== p.target);
    const expected = [[arns[p.target], 100], ...others.map((k) => [arns[k], 0])];
    const [machine] = stateMachineDefinitions(Template.fromStack(stack)).filter((m) => m.definition.States.Begin);
    const calls = p.stackRegion === 'us-west-2' ? sdkTasks(machine.definition) : crossRegionTasks(machine.definition);
    expect(calls.map((t) => [t.parameters.EndpointGroupArn, t.parameters.TrafficDialPercentage])).toEqual(expected);
    // and granted on exactly those groups
    const granted = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((pol: any) => pol.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().includes('globalaccelerator:UpdateEndpointGroup'))
      .flatMap((s: any) => [s.Resource].flat());
    expect(granted.sort()).toEqual(expected.map(([arn]) => arn).sort());
  }), { numRuns: 60 });
  // The generator must reach valid options too, or the property says nothing about them.
  expect(built).toBeGreaterThan(3);
});

import {
  acceleratorDecision, acceleratorFailover, acceleratorHealthDetection, acceleratorMonthlyCost, acceleratorReroute,
  groupDetection, loadBalancerEndpointDetection,
} from '../../src/objectives/model/global-accelerator';
import { Term } from '../../src/objectives/model/term';
import { RecoveryTermKind } from '../../src/objectives/term-kind';

const total = (terms: Term[]) => [terms.reduce((s, t) => s + t.min, 0), terms.reduce((s, t) => s + t.max, 0)];

describe('Global Accelerator model', () => {
  test.each([
    [10, 1, 0, 10],
    [10, 3, 20, 30],
    [30, 3, 60, 90],
    [30, 10, 270, 300],
  ])('EC2 / Elastic IP detection at %i s x %i: %i to %i s, no timeout added', (interval, threshold, min, max) => {
    // WHEN
    const term = acceleratorHealthDetection({ interval, threshold });

    // THEN
    expect([term.id, term.kind, term.min, term.max, term.assumption]).toEqual(['accelerator-health-check', RecoveryTermKind.DETECTION, min, max, false]);
    expect(term.basis).toMatch(new RegExp(`${threshold} failed checks x ${interval} s interval \\(AWS publishes no timeout for these checks, so none is added\\)`));
  });

  test('load balancer endpoints follow ELB target health: the target groups\' settings when known', () => {
    // WHEN
    const term = loadBalancerEndpointDetection({ label: 'alb-east', elb: { interval: 10, timeout: 5, unhealthyThreshold: 2 } });

    // THEN
    expect([term.id, term.min, term.max, term.assumption, term.assumptionId]).toEqual(['elb-target-health', 10, 25, false, undefined]);
    expect(term.basis).toEqual('Global Accelerator follows the ELB target health of alb-east: '
      + 'ELB target health: 2 failed checks x 10 s interval + 5 s timeout (its slowest target group)');
  });

  test('load balancer endpoints whose target groups are not visible rest on the targetHealthDetection assumption', () => {
    // WHEN
    const assumed = loadBalancerEndpointDetection({ label: 'arn:alb' });
    const given = loadBalancerEndpointDetection({ label: 'arn:alb', targetHealthDetection: 20 });

    // THEN
    expect([assumed.min, assumed.max, assumed.assumption, assumed.assumptionId]).toEqual([30, 65, true, 'targetHealthDetection']);
    expect(assumed.basis).toMatch(/follows the ELB target health of arn:alb, whose target groups the model cannot see: assumed at the ALB target-group defaults/);
    expect(assumed.remedy).toMatch(/set `assumptions\.targetHealthDetection`/);
    expect([given.min, given.max, given.assumption]).toEqual([20, 20, false]);
    expect(given.basis).toMatch(/up to 20 s, as given/);
  });

  test('a group fails with its last endpoint: the slowest detection', () => {
    // GIVEN
    const fast = acceleratorHealthDetection({ interval: 10, threshold: 1 });
    const slow = loadBalancerEndpointDetection({ label: 'alb', elb: { interval: 30, timeout: 5, unhealthyThreshold: 2 } });

    // WHEN
    const group = groupDetection('us-east-1', [fast, slow]);

    // THEN
    expect([group.id, group.min, group.max]).toEqual(['elb-target-health', 30, 65]);
    expect(group.basis).toMatch(/^the last of 2 endpoints in us-east-1 to turn unhealthy; the slowest: Global Accelerator follows/);
    expect(groupDetection('us-east-1', [fast])).toEqual(fast);
    expect(() => groupDetection('us-east-1', [])).toThrow(/no endpoints/);
  });

  test('the decision is automatic and ignores traffic dials; the reroute is the acceleratorReroute assumption', () => {
    expect([acceleratorDecision().min, acceleratorDecision().max]).toEqual([0, 0]);
    expect(acceleratorDecision().basis).toMatch(/ignoring traffic dials \(a standby group dialled to 0 still takes failover traffic\)/);
    const reroute = acceleratorReroute();
    expect([reroute.id, reroute.kind, reroute.min, reroute.max, reroute.assumption, reroute.assumptionId])
      .toEqual(['accelerator-reroute', RecoveryTermKind.SWITCH, 0, 30, true, 'acceleratorReroute']);
    expect(reroute.basis).toMatch(/AWS publishes no figure for moving new connections away from an unhealthy endpoint group; the only published figure is about 30 s/);
    expect([acceleratorReroute(12).max, acceleratorReroute(12).assumption]).toEqual([12, false]);
  });

  test('the path has no DNS or client-cache term', () => {
    // WHEN
    const terms = acceleratorFailover({ detection: acceleratorHealthDetection({ interval: 10, threshold: 3 }) });

    // THEN
    expect(terms.map((t) => t.id)).toEqual(['accelerator-health-check', 'accelerator-decision', 'accelerator-reroute']);
    expect(terms.map((t) => t.kind)).not.toContain(RecoveryTermKind.PROPAGATION);
    expect(terms.map((t) => t.kind)).not.toContain(RecoveryTermKind.CLIENT_CACHE);
  });

  test.each([
    ['ALB endpoints, target groups at the ALB defaults (30 s x 2 + 5 s): 30 to 95 s', { interval: 30, timeout: 5, unhealthyThreshold: 2 }, 30, 95],
    ['ALB endpoints, the library\'s MultiAzService target group (10 s x 2 + 5 s): 10 to 55 s', { interval: 10, timeout: 5, unhealthyThreshold: 2 }, 10, 55],
    ['ALB endpoints, the fastest ELB allows (5 s x 2 + 2 s): 5 to 42 s', { interval: 5, timeout: 2, unhealthyThreshold: 2 }, 5, 42],
  ])('%s', (_, elb, best, worst) => {
    expect(total(acceleratorFailover({ detection: loadBalancerEndpointDetection({ label: 'alb', elb }) }))).toEqual([best, worst]);
  });

  test.each([
    ['EC2 endpoints at the library defaults (10 s x 3): 20 to 60 s', 10, 3, 20, 60],
    ['EC2 endpoints at the fastest settings (10 s x 1): 0 to 40 s', 10, 1, 0, 40],
    ['EC2 endpoints at the AWS defaults (30 s x 3): 60 to 120 s', 30, 3, 60, 120],
  ])('%s', (_, interval, threshold, best, worst) => {
    expect(total(acceleratorFailover({ detection: acceleratorHealthDetection({ interval, threshold }) }))).toEqual([best, worst]);
  });

  test('an accelerator costs 0.025 USD an hour: 18.25 USD a month of 730 h', () => {
    const cost = acceleratorMonthlyCost();
    expect(cost.usd).toEqual(18.25);
    expect(cost.basis).toEqual('0.025 USD per accelerator-hour x 730 h = 18.25 USD a month, billed whether enabled or not; '
      + 'the data transfer premium per GB comes on top (docs/aws-facts.md#pricing)');
  });
});

import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { DnsFailover, EndpointHealthCheck, FailoverTarget } from '../../src';
import { testStack, testZone } from '../util';

const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constant('not-an-ip'),
  fc.constant(''),
  fc.constant(Lazy.string({ produce: () => '54.0.0.1' })),
);

const target = fc.oneof(
  fc.array(address, { maxLength: 3 }).map((a) => FailoverTarget.ipAddresses(a)),
  fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1').chain((r) => fc.boolean().map((ipv6) => FailoverTarget.regionalRecord(r, { ipv6 }))),
  fc.domain().map((d) => FailoverTarget.cname(d)),
);

const duration = fc.oneof(
  fc.integer({ min: 0, max: 4000 }).map((s) => Duration.seconds(s)),
  fc.integer({ min: 0, max: 100_000 }).map((ms) => Duration.millis(ms)),
  fc.constant(Duration.minutes(30)),
  fc.constant(Duration.seconds(Lazy.number({ produce: () => 30 }))),
);

const props = fc.record({
  recordName: fc.option(fc.oneof(fc.constantFrom('app', 'example.com', 'www.example.com', ''), fc.domain()), { nil: undefined }),
  primary: target,
  secondary: target,
  ttl: fc.option(duration, { nil: undefined }),
  withCheck: fc.boolean(),
  sameCheck: fc.boolean(),
  healthToDnsAnswer: fc.option(duration, { nil: undefined }),
});

test('random props either synthesize in-range records or fail with our error', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack();
    const zone = testZone(stack);
    const check = p.withCheck ? new EndpointHealthCheck(stack, 'Check', { domainName: 'primary.example.com', statusAlarm: false }) : undefined;

    // WHEN
    let failover: DnsFailover;
    try {
      failover = new DnsFailover(stack, 'Failover', {
        zone,
        recordName: p.recordName,
        primary: p.primary,
        secondary: p.secondary,
        primaryHealthCheck: check,
        secondaryHealthCheck: p.sameCheck ? check : undefined,
        ttl: p.ttl,
        assumptions: p.healthToDnsAnswer && { healthToDnsAnswer: p.healthToDnsAnswer },
      });
    } catch (e) {
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Stack\/Failover: (\d+ problems:\n {2}- )?`[a-zA-Z.]+`/);
      return;
    }

    // THEN: every record is a failover record with a TTL of at most 60 s, both sides the same types
    const records = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map((r) => r.Properties);
    for (const r of records) {
      expect(['PRIMARY', 'SECONDARY']).toContain(r.Failover);
      if (r.TTL !== undefined) {
        expect(Number(r.TTL)).toBeGreaterThanOrEqual(0);
        expect(Number(r.TTL)).toBeLessThanOrEqual(60);
      }
      if (r.Failover === 'PRIMARY' && !r.AliasTarget) {
        expect(r.HealthCheckId).toBeDefined();
      }
    }
    const types = (side: string) => records.filter((r) => r.Failover === side).map((r) => r.Type).sort();
    expect(types('PRIMARY')).toEqual(types('SECONDARY'));
    expect(failover.estimate.rtoWorst!.toMilliseconds()).toBeGreaterThan(0);
  }), { numRuns: 150 });
});

import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { EndpointHealthCheck, FailoverTarget, MultiSiteRecords, MultiSiteRouting } from '../../src';
import { testStack, testZone } from '../util';

const regionName = fc.oneof(
  { arbitrary: fc.constantFrom('us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'), weight: 30 },
  { arbitrary: fc.constantFrom('us-east-l', ''), weight: 1 },
);

const target = (region: string) => fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 30 },
  fc.boolean().map((ipv6) => FailoverTarget.regionalRecord(region, { ipv6 })),
  fc.constantFrom('us-east-1', 'eu-west-1').map((r) => FailoverTarget.regionalRecord(r)),
  fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('not-an-ip')), { maxLength: 2 }).map((a) => FailoverTarget.ipAddresses(a)),
  fc.domain().map((d) => FailoverTarget.cname(d)),
);

const amount = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 2000 }), weight: 40 },
  { arbitrary: fc.integer({ min: -5, max: 0 }), weight: 1 },
  { arbitrary: fc.double({ min: -1, max: 1e6, noNaN: false }), weight: 1 },
  { arbitrary: fc.constant(Lazy.number({ produce: () => 10 })), weight: 1 },
);

const site = regionName.chain((region) => fc.record({
  region: fc.constant(region),
  target: target(region),
  withCheck: fc.oneof({ arbitrary: fc.constant(true), weight: 20 }, { arbitrary: fc.constant(false), weight: 1 }),
  capacity: fc.oneof({ arbitrary: amount, weight: 10 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  weight: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 40 },
    { arbitrary: fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 300 }), fc.double({ min: 0, max: 10 })), weight: 1 },
  ),
}));

const props = fc.record({
  recordName: fc.oneof({ arbitrary: fc.constantFrom(undefined, 'app', 'www.example.com'), weight: 10 }, { arbitrary: fc.domain(), weight: 1 }),
  sites: fc.uniqueArray(site, { minLength: 2, maxLength: 4, selector: (x) => x.region }).chain((unique) => fc.oneof(
    { arbitrary: fc.constant(unique), weight: 10 },
    { arbitrary: fc.array(site, { maxLength: 4 }), weight: 1 },
  )),
  weighted: fc.boolean(),
  withWeights: fc.boolean(),
  peakLoad: fc.oneof({ arbitrary: amount, weight: 10 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  ttl: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 15 },
    { arbitrary: fc.integer({ min: 0, max: 120 }).map((s) => Duration.seconds(s)), weight: 1 },
  ),
});

let built = 0;
const failed: string[] = [];

test('random props either synthesize one record per region and type, or fail with our error', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack();
    const zone = testZone(stack);
    const weights: { [region: string]: number } = {};
    p.sites.forEach((s) => { if (s.weight !== undefined) weights[s.region] = s.weight; });

    // WHEN
    let multi: MultiSiteRecords;
    try {
      multi = new MultiSiteRecords(stack, 'Multi', {
        zone,
        recordName: p.recordName,
        routing: p.weighted ? MultiSiteRouting.weighted({ weights: p.withWeights ? weights : undefined }) : MultiSiteRouting.latency(),
        peakLoad: p.peakLoad,
        ttl: p.ttl,
        regions: p.sites.map((s, i) => ({
          region: s.region,
          target: s.target,
          capacity: s.capacity,
          healthCheck: s.withCheck ? new EndpointHealthCheck(stack, `Check${i}`, { domainName: `check${i}.example.com`, statusAlarm: false }) : undefined,
        })),
      });
    } catch (e) {
      failed.push((e as Error).message);
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^Stack\/Multi: (\d+ problems:\n {2}- )?`[a-zA-Z.[\]0-9-]+`/);
      return;
    }

    // THEN: one record per region and type, each with the region as set identifier, a TTL of at most 60 s
    const records = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map((r) => r.Properties);
    const types = new Set(records.map((r) => r.Type));
    expect(records).toHaveLength(p.sites.length * types.size);
    expect(new Set(records.map((r) => `${r.SetIdentifier}|${r.Type}`)).size).toEqual(records.length);
    for (const r of records) {
      expect(p.sites.map((s) => s.region)).toContain(r.SetIdentifier);
      expect(p.weighted ? r.Weight : r.Region).toBeDefined();
      expect((r.ResourceRecords ?? []).length).toBeLessThanOrEqual(1);
      if (r.TTL !== undefined) {
        expect(Number(r.TTL)).toBeLessThanOrEqual(60);
      }
    }
    // every path is modeled, and says something about the remaining capacity
    built++;
    const paths = multi.recoveryPaths();
    expect(paths).toHaveLength(p.sites.length);
    for (const path of paths) {
      expect(path.estimate.rtoWorst!.toMilliseconds()).toBeGreaterThan(0);
      expect(path.warnings.some((w) => /capacity/.test(w))).toBe(true);
    }
  }), { numRuns: 150 });
  // the generators reach valid sets too, not only errors
  expect(built).toBeGreaterThan(15);
  expect(failed.length).toBeGreaterThan(15);
});

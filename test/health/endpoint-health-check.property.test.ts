import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { CheckerRegion, EndpointHealthCheck, EndpointHealthCheckProps, EndpointProtocol } from '../../src';
import { ipVersion, nonPublicReason } from '../../src/private/validate';

const PROPS = [
  'domainName', 'ipAddress', 'protocol', 'port', 'resourcePath', 'searchString', 'requestInterval',
  'failureThreshold', 'regions', 'enableSni', 'measureLatency', 'statusAlarm', 'alarmTopic',
];

/** Stands for a deploy-time value; replaced by a CfnParameter of the stack under test. */
const TOKEN = Symbol('token');
type Tokenable<T> = T | typeof TOKEN;

/** Mostly valid values, some invalid ones, some tokens: so that both outcomes are common. */
function mix<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>): fc.Arbitrary<Tokenable<T>> {
  return fc.oneof(
    { arbitrary: valid, weight: 12 },
    { arbitrary: invalid, weight: 2 },
    { arbitrary: fc.constant(TOKEN), weight: 1 },
  );
}

const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -10, max: 70_000 }),
  fc.constantFrom(0, 11, 65536, -1, NaN, Infinity, -Infinity, 2.5, -0, 1e21, Number.MAX_SAFE_INTEGER + 2),
  fc.double(),
);

const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ minLength: 250, maxLength: 300 }),
  fc.constantFrom('', '/', 'health', '/'.repeat(256), ' /health'),
);

const port = mix(fc.integer({ min: 1, max: 65535 }), oddNumber);
const failureThreshold = mix(fc.integer({ min: 1, max: 10 }), oddNumber);
const resourcePath = mix(fc.string({ maxLength: 254 }).map((s) => `/${s}`), oddText);
const searchString = mix(fc.string({ minLength: 1, maxLength: 255 }), oddText);

const domainName = mix(
  fc.domain(),
  fc.oneof(
    fc.string(),
    fc.constantFrom('', 'app..example.com', '-app.example.com', 'app example.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}a`),
  ),
);

const ipAddress = mix(
  fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('8.8.8.8', '2600:1f18::1', '54.239.28.85')),
  fc.oneof(
    fc.ipV4Extended(),
    fc.string(),
    fc.constantFrom(
      '10.0.0.1', '172.16.5.4', '192.168.1.1', '100.64.0.1', '127.0.0.1', '169.254.1.1', '192.0.2.1', '198.51.100.7', '203.0.113.9',
      '224.0.0.1', '240.0.0.1', '0.1.2.3', '::', '::1', 'fc00::1', 'fd12::1', 'fe80::1', 'ff02::1', '2001:db8::1', '::ffff:10.0.0.1',
      '::ffff:8.8.8.8', '1.2.3', '1.2.3.4.5', '',
    ),
  ),
);

const requestInterval = mix(
  fc.constantFrom(Duration.seconds(10), Duration.seconds(30), Duration.minutes(0.5), Duration.millis(10_000)),
  fc.oneof(
    fc.constantFrom(Duration.seconds(5), Duration.seconds(20), Duration.seconds(0), Duration.millis(1500), Duration.minutes(1), Duration.hours(1),
      Duration.seconds(10.0001), Duration.millis(1500.5), Duration.seconds(NaN), Duration.seconds(Infinity)),
    fc.double({ min: 0, max: 120, noNaN: true }).map((s) => Duration.seconds(s)),
    fc.integer({ min: 0, max: 120 }).map((s) => Duration.seconds(s)),
    fc.integer({ min: 0, max: 120_000 }).map((ms) => Duration.millis(ms)),
  ),
);

const ALL_REGIONS: string[] = Object.values(CheckerRegion);
const regions = mix(
  fc.shuffledSubarray(ALL_REGIONS, { minLength: 3 }),
  fc.oneof(
    fc.shuffledSubarray(ALL_REGIONS, { maxLength: 2 }),
    fc.array(fc.constantFrom(...ALL_REGIONS, 'eu-central-1', 'US-EAST-1', ''), { maxLength: 10 }),
  ),
);

/** `arbitrary` present in `percent` % of the runs, else undefined. */
function sometimes<T>(percent: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 100 - percent },
    { arbitrary, weight: percent },
  );
}

const props = fc.record({
  domainName: sometimes(85, domainName),
  ipAddress: sometimes(30, ipAddress),
  protocol: sometimes(75, fc.constantFrom(EndpointProtocol.HTTPS, EndpointProtocol.HTTP, EndpointProtocol.TCP)),
  port: sometimes(50, port),
  resourcePath: sometimes(30, resourcePath),
  searchString: sometimes(25, searchString),
  requestInterval: sometimes(60, requestInterval),
  failureThreshold: sometimes(60, failureThreshold),
  regions: sometimes(30, regions),
  enableSni: sometimes(25, fc.boolean()),
  measureLatency: sometimes(50, fc.boolean()),
  statusAlarm: sometimes(50, fc.boolean()),
  alarmTopicRegion: sometimes(25, fc.constantFrom('us-east-1', 'us-east-1', 'us-west-2')),
});

type Generated = typeof props extends fc.Arbitrary<infer T> ? T : never;

/** Props for the stack under test: each TOKEN becomes a parameter of that stack. */
function materialize(stack: Stack, p: Generated): EndpointHealthCheckProps {
  let n = 0;
  const num = (v: Tokenable<number> | undefined) => (v === TOKEN ? new CfnParameter(stack, `P${n++}`, { type: 'Number' }).valueAsNumber : v);
  const str = (v: Tokenable<string> | undefined) => (v === TOKEN ? new CfnParameter(stack, `P${n++}`).valueAsString : v);
  return {
    domainName: str(p.domainName),
    ipAddress: str(p.ipAddress),
    protocol: p.protocol,
    port: num(p.port),
    resourcePath: str(p.resourcePath),
    searchString: str(p.searchString),
    requestInterval: p.requestInterval === TOKEN ? Duration.seconds(num(TOKEN)!) : p.requestInterval,
    failureThreshold: num(p.failureThreshold),
    regions: (p.regions === TOKEN ? new CfnParameter(stack, `P${n++}`, { type: 'CommaDelimitedList' }).valueAsList : p.regions) as CheckerRegion[],
    enableSni: p.enableSni,
    measureLatency: p.measureLatency,
    statusAlarm: p.statusAlarm,
    alarmTopic: p.alarmTopicRegion === undefined
      ? undefined
      : sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${p.alarmTopicRegion}:111111111111:alerts`),
  };
}

/** The synthesized config has only values Route 53 accepts; tokens (objects) are skipped. */
function expectInRange(config: any): void {
  const literal = (v: unknown) => v !== undefined && typeof v !== 'object';
  if (literal(config.RequestInterval)) {
    expect([10, 30]).toContain(config.RequestInterval);
  }
  if (literal(config.FailureThreshold)) {
    expect(Number.isInteger(config.FailureThreshold)).toBe(true);
    expect(config.FailureThreshold).toBeGreaterThanOrEqual(1);
    expect(config.FailureThreshold).toBeLessThanOrEqual(10);
  }
  if (literal(config.Port)) {
    expect(Number.isInteger(config.Port)).toBe(true);
    expect(config.Port).toBeGreaterThanOrEqual(1);
    expect(config.Port).toBeLessThanOrEqual(65535);
  }
  if (literal(config.ResourcePath)) {
    expect(config.ResourcePath).toMatch(/^\//);
    expect(config.ResourcePath.length).toBeLessThanOrEqual(255);
  }
  if (literal(config.SearchString)) {
    expect(config.SearchString.length).toBeGreaterThanOrEqual(1);
    expect(config.SearchString.length).toBeLessThanOrEqual(255);
  }
  if (Array.isArray(config.Regions)) {
    expect(new Set(config.Regions).size).toEqual(config.Regions.length);
    expect(config.Regions.length).toBeGreaterThanOrEqual(3);
    for (const region of config.Regions.filter(literal)) {
      expect(Object.values(CheckerRegion)).toContain(region);
    }
  }
  if (literal(config.IPAddress)) {
    expect(ipVersion(config.IPAddress)).toBeDefined();
    expect(nonPublicReason(config.IPAddress)).toBeUndefined();
  }
  if (config.Type === 'TCP') {
    expect(config.ResourcePath).toBeUndefined();
    expect(config.SearchString).toBeUndefined();
    expect(config.EnableSNI).toBeUndefined();
    expect(config.Port).toBeDefined();
  }
  expect(config.FullyQualifiedDomainName ?? config.IPAddress).toBeDefined();
}

test('random props either synthesize in-range values or fail with our error', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const checkProps = materialize(stack, p);

    // WHEN
    let check: EndpointHealthCheck;
    try {
      check = new EndpointHealthCheck(stack, 'Check', checkProps);
    } catch (e) {
      // THEN: a plain Error from our validation, never a TypeError or aws-cdk-lib's
      expect(e).toBeInstanceOf(Error);
      const error = e as Error;
      expect(error.name).toEqual('Error');
      expect(error.message).toMatch(/^Stack\/Check: /);
      const named = [...error.message.matchAll(/`([A-Za-z]+)/g)].map((m) => m[1]);
      expect(named.some((prop) => PROPS.includes(prop))).toBe(true);
      return;
    }

    // THEN
    const resources = Template.fromStack(stack).findResources('AWS::Route53::HealthCheck');
    const configs = Object.values(resources).map((r: any) => r.Properties.HealthCheckConfig);
    expect(configs).toHaveLength(1);
    expectInRange(configs[0]);
    expect(check.detection.rtoWorst!.toMilliseconds()).toBeGreaterThan(0);
    expect(check.summary).toMatch(/^(HTTPS|HTTP|TCP) /);
  }), { numRuns: 200 });
}, 120_000);

test('valid props always synthesize', () => {
  const valid = fc.record({
    domainName: fc.domain(),
    protocol: fc.constantFrom(EndpointProtocol.HTTPS, EndpointProtocol.HTTP, EndpointProtocol.TCP),
    port: fc.integer({ min: 1, max: 65535 }),
    path: fc.string({ maxLength: 254 }).map((s) => `/${s}`),
    search: fc.option(fc.string({ minLength: 1, maxLength: 255 }), { nil: undefined }),
    interval: fc.constantFrom(10, 30),
    failureThreshold: fc.integer({ min: 1, max: 10 }),
    regions: fc.option(fc.shuffledSubarray(Object.values(CheckerRegion), { minLength: 3 }), { nil: undefined }),
  });
  fc.assert(fc.property(valid, (p) => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    const http = p.protocol !== EndpointProtocol.TCP;

    // WHEN
    new EndpointHealthCheck(stack, 'Check', {
      domainName: p.domainName,
      protocol: p.protocol,
      port: p.port,
      resourcePath: http ? p.path : undefined,
      searchString: http ? p.search : undefined,
      requestInterval: Duration.seconds(p.interval),
      failureThreshold: p.failureThreshold,
      regions: p.regions,
    });

    // THEN
    const config = Object.values(Template.fromStack(stack).findResources('AWS::Route53::HealthCheck'))[0].Properties.HealthCheckConfig;
    expect(config).toMatchObject({
      FullyQualifiedDomainName: p.domainName, Port: p.port, RequestInterval: p.interval, FailureThreshold: p.failureThreshold,
    });
    expectInRange(config);
  }), { numRuns: 100 });
}, 120_000);

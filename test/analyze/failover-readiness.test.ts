import * as path from 'path';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { failoverRecords, rawPair } from './raw-apps';
import { FailoverReadiness, ObjectiveEnforcement, RecoveryObjectives, ReplicatedBucket } from '../../src';
import { analyse } from '../../src/analyze/private/analysis';
import { flatten } from '../../src/objectives/model/compose';
import { readJson, regionalFailover, testApp } from '../util';

const ENV = { account: '111111111111', region: 'us-east-1' };

/** A raw replicated bucket: the replication rule written on the L1, without Replication Time Control. */
function rawReplication(scope: Construct): void {
  const bucket = new s3.Bucket(scope, 'Orders', { versioned: true });
  (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
    role: 'arn:aws:iam::111111111111:role/replication',
    rules: [{ id: 'all', status: 'Enabled', destination: { bucket: 'arn:aws:s3:::orders-replica' } }],
  };
}

/** The app: raw resources in one stack, the library's constructs in another, one stack with both. */
function build(app: App, readiness?: FailoverReadiness): { raw: Stack; library: Stack; mixed: Stack } {
  const raw = new Stack(app, 'Raw', { env: ENV });
  rawPair(raw, { interval: 10, threshold: 2, ttl: '60' });
  rawReplication(raw);
  const library = new Stack(app, 'Library', { env: ENV });
  regionalFailover(library);
  new ReplicatedBucket(library, 'Bucket', { bucketName: 'library-orders', destination: { bucketName: 'library-replica', region: 'us-west-2' } });
  const mixed = new Stack(app, 'Mixed', { env: ENV });
  regionalFailover(mixed, { recordName: 'api' });
  rawPair(new Construct(mixed, 'Legacy'), { interval: 30, threshold: 3, ttl: '300' });
  if (readiness) {
    Aspects.of(app).add(readiness);
  }
  return { raw, library, mixed };
}

function reportOf(app: App): any {
  return readJson(path.join(app.synth().directory, 'failover-report.json'));
}

describe('FailoverReadiness', () => {
  let withAspect: any;
  let without: any;
  let analysedAssembly: ReturnType<typeof analyse>;
  let app: App;
  beforeAll(() => {
    app = testApp();
    build(app, new FailoverReadiness());
    withAspect = reportOf(app);
    const plain = testApp();
    build(plain);
    without = reportOf(plain);
    // The same app's assembly as the command reads it.
    analysedAssembly = analyse([plain.synth().directory]);
  });

  test('declares the raw resources\' paths with the figures the command finds in the synthesized templates', () => {
    // GIVEN: the report of the app with the aspect, and the command's analysis of the app without it.
    const readiness = withAspect.paths.filter((p: any) => p.constructPath.endsWith('/FailoverReadiness'));
    const commandPaths = analysedAssembly.report.paths.filter((p) => p.id.startsWith('Raw#') || p.id.startsWith('Mixed#dns-failover-Legacy'));

    // THEN: one path per raw family, each with the command's figures, term for term.
    expect(readiness.map((p: any) => p.id)).toEqual([
      'Raw/FailoverReadiness#dns-failover-Primary',
      'Raw/FailoverReadiness#s3-replication-OrdersE0F32A8F-all',
      'Mixed/FailoverReadiness#dns-failover-LegacyPrimaryE4E5B3F1',
    ].map((id) => expect.stringMatching(`^${id.replace(/[A-F0-9]{8}/, '[A-F0-9]{8}')}`)));
    expect(readiness.map((p: any) => [p.rto.bestSeconds, p.rto.worstSeconds, p.rpo.worstSeconds]))
      .toEqual(commandPaths.map((p) => [p.totals.rtoMin, p.totals.rtoMax, p.totals.rpoMax]));
    expect(readiness.map((p: any) => p.terms.map((t: any) => t.id)))
      .toEqual(commandPaths.map((p) => flatten(p.step).map((t) => t.id)));
  });

  test('counts nothing twice: the library\'s constructs keep their own paths, and no readiness path is read from them', () => {
    // THEN: every path of the report without the aspect is still there, unchanged.
    const ids = (r: any) => r.paths.map((p: any) => p.id);
    expect(ids(withAspect)).toEqual(expect.arrayContaining(ids(without)));
    expect(ids(withAspect).filter((id: string) => !ids(without).includes(id))).toHaveLength(3);
    expect(withAspect.paths.filter((p: any) => p.constructPath === 'Library/FailoverReadiness')).toEqual([]);
    // The library's DnsFailover and ReplicatedBucket paths appear once each.
    expect(ids(withAspect).filter((id: string) => id.startsWith('Library/'))).toEqual(ids(without).filter((id: string) => id.startsWith('Library/')));
  });

  test('adds nothing to the templates', () => {
    const plain = build(testApp());
    const analysed = build(testApp(), new FailoverReadiness());
    for (const name of ['raw', 'library', 'mixed'] as const) {
      expect(Template.fromStack(analysed[name]).toJSON()).toEqual(Template.fromStack(plain[name]).toJSON());
    }
  });
});

describe('FailoverReadiness and the objectives', () => {
  test('a raw path that misses a RecoveryObjectives fails synth, naming the path and its dominant term', () => {
    // GIVEN: the raw pair models at 2 min 41 s worst (10 s x 2, TTL 60), above an RTO of 1 min.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: ENV });
    new RecoveryObjectives(stack, 'Objectives', { rto: Duration.minutes(1) });
    rawPair(stack, { interval: 10, threshold: 2, ttl: '60' });
    Aspects.of(app).add(new FailoverReadiness());

    // THEN
    expect(() => app.synth()).toThrow(/Raw\/FailoverReadiness[\s\S]*DNS failover of app\.example\.com \(A\)[\s\S]*RTO/);
  });

  test('with WARN enforcement, the miss is a warning on the stack\'s readiness construct', () => {
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: ENV });
    new RecoveryObjectives(stack, 'Objectives', { rto: Duration.minutes(1), enforcement: ObjectiveEnforcement.WARN });
    rawPair(stack, { interval: 10, threshold: 2, ttl: '60' });
    Aspects.of(app).add(new FailoverReadiness());

    // THEN
    Annotations.fromStack(stack).hasWarning('/Raw/FailoverReadiness', Match.stringLikeRegexp('DNS failover of app\\.example\\.com \\(A\\).*RTO'));
  });
});

describe('FailoverReadiness warnings and exclusions', () => {
  test('a resource met and not modeled is a warning on it, with the reason', () => {
    // GIVEN: a PRIMARY failover record without its SECONDARY.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: ENV });
    new route53.CfnRecordSet(stack, 'Lonely', {
      hostedZoneId: 'Z123', name: 'lonely.example.com', type: 'A', ttl: '60', resourceRecords: ['192.0.2.1'], setIdentifier: 'p', failover: 'PRIMARY',
    });
    Aspects.of(app).add(new FailoverReadiness());

    // THEN
    Annotations.fromStack(stack).hasWarning('/Raw/Lonely', Match.stringLikeRegexp(
      'AWS::Route53::RecordSet Lonely not analysed for failover readiness: a PRIMARY failover record for lonely.example.com \\(A\\) without its SECONDARY'));
  });

  test('leaves out the resources of the constructs given in `exclude`', () => {
    // GIVEN
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: ENV });
    const legacy = new Construct(stack, 'Legacy');
    rawPair(legacy, { interval: 10, threshold: 2, ttl: '60' });
    rawReplication(stack);
    Aspects.of(app).add(new FailoverReadiness({ exclude: [legacy] }));

    // THEN: the replication path only.
    expect(reportOf(app).paths.map((p: any) => p.kind)).toEqual(['data-replication']);
  });

  test('declares a stack\'s paths once however often the aspect is added', () => {
    // GIVEN: the aspect added twice, on the app and on the stack.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: ENV });
    rawPair(stack, { interval: 10, threshold: 2, ttl: '60' });
    Aspects.of(app).add(new FailoverReadiness());
    Aspects.of(stack).add(new FailoverReadiness());

    // THEN
    expect(reportOf(app).paths.map((p: any) => p.id)).toEqual([expect.stringMatching(/^Raw\/FailoverReadiness#dns-failover-Primary/)]);
  });
});

describe('a health check shared across stacks', () => {
  /** The raw pair with its health check in another stack of the app: aws-cdk-lib makes the reference an export and an import. */
  function split(app: App): void {
    const shared = new Stack(app, 'Shared', { env: ENV });
    const check = new route53.HealthCheck(shared, 'PrimaryCheck', {
      type: route53.HealthCheckType.HTTPS,
      fqdn: 'us-east-1.app.example.com',
      resourcePath: '/health',
      requestInterval: Duration.seconds(10),
      failureThreshold: 2,
    });
    const records = new Stack(app, 'Records', { env: ENV });
    failoverRecords(records, check.healthCheckId);
  }

  test('is followed through the import, by the command and by the aspect, to the figures of the pair written in one stack', () => {
    // GIVEN: the pair in one stack, and the same pair split across two.
    const one = testApp();
    rawPair(new Stack(one, 'Raw', { env: ENV }), { interval: 10, threshold: 2, ttl: '60' });
    const expected = analyse([one.synth().directory]).report.paths.map((p) => [p.totals.rtoMin, p.totals.rtoMax]);
    const app = testApp();
    split(app);
    Aspects.of(app).add(new FailoverReadiness());

    // WHEN
    const directory = app.synth().directory;
    const command = analyse([directory]);
    const aspect = readJson(path.join(directory, 'failover-report.json'));

    // THEN: the same figures, no warning of a check modeled at its slowest, the check named in its stack.
    expect(JSON.stringify(readJson(path.join(directory, 'Records.template.json')))).toContain('Fn::ImportValue');
    expect(command.report.paths.map((p) => [p.totals.rtoMin, p.totals.rtoMax])).toEqual(expected);
    expect(aspect.paths.map((p: any) => [p.rto.bestSeconds, p.rto.worstSeconds])).toEqual(expected);
    expect(command.report.paths[0].warnings).toEqual([]);
    expect(command.report.paths[0].endpoints[0].health).toMatch(/^HTTPS check PrimaryCheck[0-9A-F]{8} \(10 s x 2\) \(stack Shared\)$/);
  });
});

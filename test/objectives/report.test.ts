import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, CfnResource, Duration, Fn, Lazy, Stage } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ObjectiveEnforcement, RecoveryObjectives } from '../../src';
import { fmt, readable } from '../../src/objectives/report/format';
import { readJson, regionalFailover, testApp, testStack } from '../util';

describe('failover report', () => {
  test('synth writes failover-report.json with every term of every path', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(3), rpo: Duration.minutes(1) });
    regionalFailover(stack);

    // WHEN
    const assembly = app.synth();

    // THEN
    const report = readJson(path.join(assembly.directory, 'failover-report.json'));
    expect(report.generatedBy).toEqual('cdk-failover');
    expect(report.paths).toHaveLength(1);
    const [p] = report.paths;
    expect(p).toMatchObject({
      id: 'Stack/Failover#failover',
      constructPath: 'Stack/Failover',
      kind: 'dns-failover',
      kindLabel: 'DNS failover',
      name: 'app.example.com (A)',
      endpoints: [
        { label: 'us-east-1.app.example.com', role: 'primary', region: 'us-east-1', health: 'HTTPS us-east-1.app.example.com:443/ (10 s x 2)' },
        { label: 'us-west-2.app.example.com', role: 'secondary', region: 'us-west-2', health: 'EvaluateTargetHealth' },
      ],
      rto: { applicable: true, bestSeconds: 18.2, worstSeconds: 121, objectiveSeconds: 180, met: true, dominantTerm: 'propagation', dominantTermId: 'resolver-cache' },
      rpo: { objectiveSeconds: 60, applicable: false },
      objectivesDeclaredAt: 'Objectives',
      enforcement: 'fail',
    });
    expect(p.terms.map((t: any) => [t.term, t.minSeconds, t.maxSeconds, t.assumption])).toEqual([
      ['detection', 18.2, 26, false],
      ['decision', 0, 0, false],
      ['switch', 0, 30, true],
      ['propagation', 0, 60, true],
      ['clientCache', 0, 5, true],
    ]);
    expect(p.terms.map((t: any) => [t.id, t.name, t.startSeconds])).toEqual([
      ['route53-health-check', 'detection', 0],
      ['route53-failover-decision', 'decision', 26],
      ['route53-dns-answer', 'switch', 26],
      ['resolver-cache', 'propagation', 56],
      ['client-dns-cache', 'client cache', 116],
    ]);
    expect(p.terms.map((t: any) => t.assumptionId)).toEqual([undefined, undefined, 'healthToDnsAnswer', 'unpublishedAliasTtl', 'clientDnsCache']);
    expect(p.composition).toEqual({ series: [0, 1, 2, 3, 4] });
    expect(p.assumptions).toHaveLength(3);
  });

  test('the Markdown report has the summary table, the terms and a Mermaid diagram', () => {
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(1), enforcement: ObjectiveEnforcement.WARN });
    regionalFailover(stack);

    const md = fs.readFileSync(path.join(app.synth().directory, 'failover-report.md'), 'utf8');

    expect(md).toContain('| app.example.com (A) | DNS failover | 18.2 s - 2 min 1 s | 1 min | n/a (no data on this path) | - | MISSED (accepted) |');
    expect(md).toContain('| detection | 18.2 s | 26 s | Route 53 HTTPS check');
    expect(md).toContain('| switch (assumption) | 0 s | 30 s |');
    expect(md).toContain('| **total** | **18.2 s** | **2 min 1 s** | dominant term: propagation |');
    expect(md).toContain('| client cache (assumption) | 0 s | 5 s |');
    expect(md).toMatch(/```mermaid\nflowchart LR\n/);
    expect(md).toContain('p0 -- "primary" --> e0');
    expect(md).toContain('p0 -. "secondary" .-> e1');
    expect(md).toMatch(/```mermaid\ngantt\n  title app\.example\.com \(A\): worst case 2 min 1 s\n/);
    expect(md).toMatch(/Warnings:\n\n- DNS failover of app\.example\.com \(A\): modeled worst-case recovery time 2 min 1 s exceeds/);
  });

  test('without objectives the path says so', () => {
    const app = testApp();
    regionalFailover(testStack(app));
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
    expect(report.paths[0].rto.met).toBeUndefined();
    expect(fs.readFileSync(path.join(app.outdir, 'failover-report.md'), 'utf8')).toContain('| no objective |');
  });

  test('an imported health check is modeled as the slowest endpoint check, with a warning', () => {
    const app = testApp();
    const stack = testStack(app);
    regionalFailover(stack, { primaryHealthCheck: route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abc-123') });
    const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;
    expect(p.terms[0]).toMatchObject({ term: 'detection', minSeconds: 294.6, maxSeconds: 310, assumption: true });
    expect(p.warnings[0]).toMatch(/Stack\/Imported is modeled as the slowest Route 53 endpoint check \(30 s x 10, TCP\) because it is imported/);
  });

  test('each stage writes its own report with its own paths', () => {
    // GIVEN
    const app = testApp();
    regionalFailover(testStack(app, 'Top'));
    const stage = new Stage(app, 'Prod');
    // another name: one zone holds one failover pair per name, across stages too
    regionalFailover(testStack(stage as any, 'Inner'), { recordName: 'api' }, 'StageFailover');

    // WHEN
    const assembly = app.synth();

    // THEN
    const top = readJson(path.join(assembly.directory, 'failover-report.json'));
    const inner = readJson(path.join(assembly.getNestedAssembly(stage.artifactId).directory, 'failover-report.json'));
    expect(top.paths.map((p: any) => p.constructPath)).toEqual(['Top/Failover']);
    expect(inner.stage).toEqual('Prod');
    expect(inner.paths.map((p: any) => p.constructPath)).toEqual(['Prod/Inner/StageFailover']);
  });

  test('deploy-time values become stable, readable placeholders', () => {
    const stack = testStack();
    const bucket = new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket' });
    const param = new CfnParameter(stack, 'Region');
    expect(readable(`lb ${bucket.getAtt('DomainName').toString()} in ${param.valueAsString}`)).toEqual('lb <Stack/Bucket.DomainName> in <Stack/Region.Ref>');
    expect(readable(Fn.join('-', ['a', Lazy.string({ produce: () => 'b' })]))).toEqual('<deploy-time value>');
    expect(readable('plain')).toEqual('plain');
  });

  test.each([
    [0, '0 s'],
    [18.2, '18.2 s'],
    [59.96, '1 min'],
    [60, '1 min'],
    [121, '2 min 1 s'],
    [1931, '32 min 11 s'],
  ])('fmt(%d) = %s', (seconds, text) => {
    expect(fmt(seconds)).toEqual(text);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RecoveryObjectives } from '../src';
import { mermaidBlocks, parseMermaid } from './objectives/mermaid-parse';
import { readJson, testApp } from './util';
import { buildExample as buildDnsFailover } from '../examples/dns-failover/stacks';
import { buildMultiAzExample } from '../examples/multi-az/stacks';
import { buildPrivateExample } from '../examples/private-probe/stacks';
import { buildRegionalDataExample } from '../examples/regional-data/stacks';

/** Every example app, built into a fresh App the way its app.ts does. */
const EXAMPLES: Array<[string, (app: App) => unknown]> = [
  ['dns-failover', buildDnsFailover],
  ['private-probe', buildPrivateExample],
  ['multi-az', buildMultiAzExample],
  ['regional-data', buildRegionalDataExample],
];

test('every example directory is listed here', () => {
  const dirs = fs.readdirSync(path.join(__dirname, '..', 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory()).map((d) => d.name).sort();
  expect(dirs).toEqual(EXAMPLES.map(([name]) => name).sort());
});

test('the regional-data example reports every data path with its RPO, all met, as the README shows', () => {
  // GIVEN
  const app = testApp();
  buildRegionalDataExample(app);

  // WHEN
  const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

  // THEN
  const rows = report.paths.map((p: any) => [p.kind, p.rto.worstSeconds ?? null, p.rpo.worstSeconds, p.rpo.objectiveSeconds, p.rpo.met]);
  expect(rows).toHaveLength(8);
  expect(rows).toEqual(expect.arrayContaining([
    ['data-replication', null, 900, 900, true], // S3 with RTC, each way
    ['data-replication', null, 10, 900, true], // DynamoDB MREC
    ['backup-restore', 3000, 32400, 43200, true], // every 2 h + 1 h + 2 h windows + 4 h copy; 30 min + 20 GiB x 30 s + 10 min
    ['database-switchover', 910, 0, 900, true],
    ['database-failover', 910, 900, 900, true], // the managed RPO, from the objective
  ]));
  expect(report.paths.filter((p: any) => p.kind === 'data-replication' && p.rpo.worstSeconds === 900)).toHaveLength(2);
  expect(report.paths.every((p: any) => p.rpo.met === true)).toBe(true);
});

test.each([
  ['eu-west-1', 'eu-central-1'],
  ['us-west-2', 'us-east-1'],
])('the regional-data example deploys in order for any pair of regions: primary %s, recovery %s', (primaryRegion, recoveryRegion) => {
  // GIVEN
  const app = testApp({ context: { primaryRegion, recoveryRegion } });

  // WHEN
  const { primary, recovery } = buildRegionalDataExample(app);
  app.synth();

  // THEN: the recovery stack (Aurora secondary, second bucket) deploys after the primary, never the reverse
  expect(recovery.dependencies).toContain(primary);
  expect(primary.dependencies).toEqual([]);
});

test('a variant of the regional-data example that asks for a 5-minute RPO in the primary region fails synth on S3, naming its dominant term', () => {
  // GIVEN
  const app = testApp();
  const { primary } = buildRegionalDataExample(app);

  // WHEN
  new RecoveryObjectives(primary, 'Stricter', { rto: Duration.minutes(30), rpo: Duration.minutes(5) });

  // THEN
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/orders-documents-111111111111-primary-us-east-1 to orders-documents-111111111111-recovery-us-west-2 \(two-way\): modeled worst-case data loss 15 min exceeds the RPO objective 5 min \(declared at RegionalDataPrimary\/Stricter\)\. Dominant term: replication lag up to 15 min/);
  expect(message).toMatch(/Fix: S3 replication bounds its lag at 15 minutes at best \(RTC\): for a shorter RPO, have the application write to both regions/);
  // The global table (10 s) meets 5 minutes; the backups keep the objectives of their own scope.
  expect(message).not.toMatch(/Carts|Backup/);
});

describe.each(EXAMPLES)('example %s', (_, build) => {
  let app: App;
  let directory: string;

  beforeAll(() => {
    app = testApp();
    build(app);
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    directory = app.synth().directory;
  });

  test('synthesizes with no cdk-nag AwsSolutions errors or warnings left unsuppressed', () => {
    const findings = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
        && (String(m.data).startsWith('AwsSolutions-') || String(m.data).includes('CdkNagValidationFailure')))
      .map((m) => `${c.node.path}: ${m.data}`));
    expect(findings).toEqual([]);
  });

  test('no error annotations at all', () => {
    const errors = app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => `${c.node.path}: ${m.data}`));
    expect(errors).toEqual([]);
  });

  test('the report is deterministic and readable: two synths give the same bytes, no raw Tokens', () => {
    const again = testApp();
    build(again);
    const second = again.synth().directory;
    for (const file of ['failover-report.json', 'failover-report.md']) {
      const first = fs.readFileSync(path.join(directory, file), 'utf8');
      expect(fs.readFileSync(path.join(second, file), 'utf8')).toEqual(first);
      expect(first).not.toContain('${Token[');
    }
  });

  test('every Mermaid diagram of the report parses: one topology, one timeline per path', () => {
    const md = fs.readFileSync(path.join(directory, 'failover-report.md'), 'utf8');
    const report = readJson(path.join(directory, 'failover-report.json'));
    const diagrams = mermaidBlocks(md).map(parseMermaid);
    expect(diagrams.filter((d) => d.type === 'flowchart')).toHaveLength(1);
    expect(diagrams.filter((d) => d.type === 'gantt')).toHaveLength(report.paths.filter((p: any) => p.rto.applicable).length);
  });

  test('writes both report files, with a modeled RTO for every path that moves traffic and an RPO for every data path', () => {
    expect(fs.existsSync(path.join(directory, 'failover-report.md'))).toBe(true);
    const report = readJson(path.join(directory, 'failover-report.json'));
    expect(report.paths.length).toBeGreaterThan(0);
    for (const p of report.paths) {
      expect(p.rto.applicable || p.rpo.applicable).toBe(true);
      if (p.rto.applicable) {
        expect(p.rto.worstSeconds).toBeGreaterThan(0);
      } else {
        expect(p.rpo.worstSeconds).toBeGreaterThanOrEqual(0);
      }
      expect(p.terms.length).toBeGreaterThan(0);
    }
  });

  test('no cross-region references: no stack imports a value', () => {
    for (const file of fs.readdirSync(directory).filter((f) => f.endsWith('.template.json'))) {
      expect(JSON.stringify(readJson(path.join(directory, file)))).not.toContain('Fn::ImportValue');
    }
  });
});

test('the dns-failover example models 18.2 s to 2 min 1 s against an RTO of 3 min', () => {
  const app = testApp();
  const { global } = buildDnsFailover(app);
  expect(global.failover.estimate.rtoBest!.toMilliseconds()).toEqual(18_200);
  expect(global.failover.estimate.rtoWorst!.toSeconds()).toEqual(121);
});

test('the multi-az example reports an in-region path for the service and the database, with their terms', () => {
  // GIVEN
  const app = testApp();
  buildMultiAzExample(app);

  // WHEN
  const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

  // THEN
  const byKind = (kind: string) => report.paths.find((p: any) => p.kindLabel === kind);
  const terms = (p: any) => p.terms.map((t: any) => [t.term, t.minSeconds, t.maxSeconds]);
  expect(terms(byKind('Multi-AZ load balancing'))).toEqual([['detection', 10, 25], ['decision', 0, 0], ['switch', 0, 0]]);
  expect(terms(byKind('zonal autoshift'))).toEqual([
    ['detection', 0, 600], ['decision', 0, 0], ['switch', 0, 0], ['propagation', 0, 60], ['clientCache', 0, 5],
  ]);
  const database = byKind('Multi-AZ database');
  expect(terms(database)).toEqual([['detection', 0, 60], ['decision', 0, 0], ['switch', 0, 0], ['dataLoss', 0, 0]]);
  expect(database.rpo).toMatchObject({ worstSeconds: 0, objectiveSeconds: 0, met: true, applicable: true });
  expect(report.paths.map((p: any) => [p.kindLabel, p.rto.met])).toEqual([
    ['Multi-AZ load balancing', true], ['zonal autoshift', true], ['Multi-AZ database', true],
  ]);
});

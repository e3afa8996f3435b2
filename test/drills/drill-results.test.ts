import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { DrillResults, ObjectiveEnforcement, RecoveryAssumptions, RecoveryObjectives } from '../../src';
import { mermaidBlocks, parseMermaid } from '../objectives/mermaid-parse';
import { readJson, regionalFailover, testApp, testStack } from '../util';

/** A SAMPLE drill results file, for tests only (see its `description`). */
const SAMPLE = path.join(__dirname, 'sample-drill-results.json');
const OLDER = 'arn:aws:states:us-west-2:111111111111:execution:SampleDrill:older';
const NEWER = 'arn:aws:states:us-west-2:111111111111:execution:SampleDrill:newer';

function reportOf(app: App): { json: any; markdown: string } {
  const assembly = app.synth();
  return {
    json: readJson(path.join(assembly.directory, 'failover-report.json')),
    markdown: fs.readFileSync(path.join(assembly.directory, 'failover-report.md'), 'utf8'),
  };
}

function writeTemp(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-drills-')), 'results.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('DrillResults', () => {
  test('the report shows the latest measured RTO beside the modeled worst case and the objective', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(3) });
    regionalFailover(stack);

    // WHEN
    DrillResults.fromFile(app, 'Drills', SAMPLE);
    const { json, markdown } = reportOf(app);

    // THEN: the largest measured healthToDnsAnswer (22 s, the older drill) replaces the 30 s
    // default: worst case 26 + 22 + 60 + 5 = 113 s; the measured RTO is the newer drill's.
    const [p] = json.paths;
    expect(p.rto).toMatchObject({ bestSeconds: 18.2, worstSeconds: 113, objectiveSeconds: 180, met: true });
    expect(p.measured).toEqual({
      rtoSeconds: 84.5, source: NEWER, at: '2026-11-30T14:05:00Z', rtoMet: true, rtoWithinModel: true,
    });
    expect(p.measuredAssumptions).toEqual([{ id: 'healthToDnsAnswer', seconds: 22, source: OLDER, at: '2026-11-28T10:00:00Z' }]);
    const switchTerm = p.terms.find((t: any) => t.assumptionId === 'healthToDnsAnswer');
    expect(switchTerm).toMatchObject({ maxSeconds: 22, assumption: false });
    expect(switchTerm.basis).toMatch(new RegExp(`\\(measured by drill ${OLDER} at 2026-11-28T10:00:00Z\\)$`));
    expect(markdown).toContain('| app.example.com (A) | DNS failover | 18.2 s - 1 min 53 s | 3 min | n/a (no data on this path) | - | RTO 1 min 24.5 s on 2026-11-30 | met |');
    expect(markdown).toContain(`- measured: RTO 1 min 24.5 s (${NEWER} at 2026-11-30T14:05:00Z)`);
    expect(markdown).toContain(`- measured assumption: healthToDnsAnswer = 22 s (drill ${OLDER} at 2026-11-28T10:00:00Z)`);
    expect(markdown).toContain('  section measured\n  RTO 1 min 24.5 s : milestone, measured, 84500, 84500');
  });

  test('a summary of a path the app no longer declares is a warning', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    regionalFailover(stack);

    // WHEN
    DrillResults.fromFile(stack, 'Drills', SAMPLE);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Drills', Match.stringLikeRegexp(
      'A drill summary measured Stack/Removed#failover, but no construct at Stack/Removed: the app may have changed.*cdk-failover:drill-path-unknown'));
    expect(Annotations.fromStack(stack).findWarning('/Stack/Drills', Match.stringLikeRegexp('Stack/Failover#failover'))).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('/Stack/Drills', Match.stringLikeRegexp('drill-assumption-conflict'))).toEqual([]);
  });

  test('a path id the construct does not declare is a warning naming the ids it does', () => {
    const app = testApp();
    const stack = testStack(app);
    regionalFailover(stack);
    new DrillResults(stack, 'Drills', { summaries: [{ path: 'Stack/Failover#other', at: '2026-11-30T14:05:00Z', source: 'x', rto: Duration.seconds(1) }] });
    Annotations.fromStack(stack).hasWarning('/Stack/Drills', Match.stringLikeRegexp('Stack/Failover#other, but Stack/Failover declares the paths #failover'));
  });

  test('a measured RTO over the objective is a warning, not a synth error, even where the model is enforced', () => {
    // GIVEN: the model meets 2 min (worst 2 min 1 s with the defaults: 121 s; with 18 s measured, 109 s)
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(2) });
    regionalFailover(stack);

    // WHEN
    new DrillResults(app, 'Drills', {
      summaries: [{
        path: 'Stack/Failover#failover',
        at: '2026-11-30T14:05:00Z',
        source: 'drill-1',
        rto: Duration.seconds(150),
        assumptions: { healthToDnsAnswer: Duration.seconds(18) },
      }],
    });

    // THEN
    const { json, markdown } = reportOf(app);
    const [p] = json.paths;
    expect(p.rto).toMatchObject({ worstSeconds: 109, met: true });
    expect(p.measured).toEqual({ rtoSeconds: 150, source: 'drill-1', at: '2026-11-30T14:05:00Z', rtoMet: false, rtoWithinModel: false });
    expect(p.warnings).toEqual([
      'DNS failover of app.example.com (A): measured recovery time 2 min 30 s (drill drill-1 at 2026-11-30T14:05:00Z) exceeds the RTO objective 2 min '
      + '(declared at Objectives); modeled worst case 1 min 49 s. Fix the path, deploy, and drill again; or raise the objective.',
      'DNS failover of app.example.com (A): measured recovery time 2 min 30 s (drill drill-1 at 2026-11-30T14:05:00Z) exceeds the modeled worst case 1 min 49 s: '
      + 'the model is optimistic: give DrillResults the delays the drill measured (`assumptions`), or check that the drill timed from the injection.',
    ]);
    expect(markdown).toContain('| 18.2 s - 1 min 49 s | 2 min | n/a (no data on this path) | - | RTO 2 min 30 s (MISSED) on 2026-11-30 | MISSED (measured) |');
    expect(markdown).toContain('  RTO 2 min 30 s (missed) : crit, milestone, measured, 150000, 150000');
    const gantt = mermaidBlocks(markdown).map(parseMermaid).find((d) => d.type === 'gantt');
    expect(gantt?.type === 'gantt' && gantt.tasks.filter((t) => t.section === 'measured'))
      .toEqual([{ name: 'RTO 2 min 30 s (missed)', tags: ['crit', 'milestone'], id: 'measured', start: 150000, end: 150000, section: 'measured' }]);
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Stack/Failover', Match.stringLikeRegexp('measured recovery time 2 min 30 s .* exceeds the RTO objective 2 min.*cdk-failover:measured-objective-missed'));
    annotations.hasWarning('/Stack/Failover', Match.stringLikeRegexp('exceeds the modeled worst case 1 min 49 s.*cdk-failover:measured-above-model'));
    annotations.hasNoError('*', Match.anyValue());
  });

  test('a measured RPO is checked against the RPO objective of a data path', () => {
    // GIVEN: a path measured only for its data loss, on a DNS path (no data): not compared
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(3), rpo: Duration.seconds(5), enforcement: ObjectiveEnforcement.WARN });
    regionalFailover(stack);
    new DrillResults(app, 'Drills', { summaries: [{ path: 'Stack/Failover#failover', at: '2026-11-30T14:05:00Z', source: 'd', rpo: Duration.seconds(9) }] });

    // WHEN
    const { json, markdown } = reportOf(app);

    // THEN
    expect(json.paths[0].measured).toEqual({ rpoSeconds: 9, source: 'd', at: '2026-11-30T14:05:00Z' });
    expect(markdown).toContain('| RPO 9 s on 2026-11-30 | met |');
  });

  test('a path\'s own measured wins; a construct\'s own assumption is not credited to a drill', () => {
    const app = testApp();
    const stack = testStack(app);
    regionalFailover(stack, { assumptions: { healthToDnsAnswer: Duration.seconds(10) } });
    DrillResults.fromFile(app, 'Drills', SAMPLE);
    const [p] = reportOf(app).json.paths;
    expect(p.rto.worstSeconds).toEqual(101);
    expect(p.measuredAssumptions).toBeUndefined();
    expect(p.terms.find((t: any) => t.assumptionId === 'healthToDnsAnswer').basis).not.toMatch(/measured by drill/);
  });

  test('a nearer RecoveryAssumptions wins over the drill, and the report does not credit the drill', () => {
    const app = testApp();
    const stack = testStack(app);
    regionalFailover(stack);
    DrillResults.fromFile(app, 'Drills', SAMPLE);
    new RecoveryAssumptions(stack, 'Assumptions', { values: { healthToDnsAnswer: Duration.seconds(12) } });
    const [p] = reportOf(app).json.paths;
    expect(p.rto.worstSeconds).toEqual(103);
    expect(p.measuredAssumptions).toBeUndefined();
  });

  test('a RecoveryAssumptions in the same scope setting a measured id is a warning', () => {
    const app = testApp();
    const stack = testStack(app);
    regionalFailover(stack);
    DrillResults.fromFile(stack, 'Drills', SAMPLE);
    new RecoveryAssumptions(stack, 'Assumptions', { values: { healthToDnsAnswer: Duration.seconds(12), clientDnsCache: Duration.seconds(1) } });
    Annotations.fromStack(stack).hasWarning('/Stack/Drills', Match.stringLikeRegexp(
      'Stack/Assumptions sets healthToDnsAnswer in the same scope as these drill results, which measured it: the one declared first wins.*cdk-failover:drill-assumption-conflict'));
  });

  test('results declared on the app reach the paths of a stage, named with the stage', () => {
    // GIVEN
    const app = testApp();
    const stage = new Stage(app, 'Prod');
    const stack = testStack(app);
    regionalFailover(testStack(stage as unknown as App));
    regionalFailover(stack, { recordName: 'api' });

    // WHEN
    new DrillResults(app, 'Drills', {
      summaries: [{ path: 'Prod/Stack/Failover#failover', at: '2026-11-30T14:05:00Z', source: 'prod-drill', rto: Duration.seconds(70) }],
    });
    app.synth();

    // THEN: the stage's path is measured, the app's same-named path is not
    expect(readJson(path.join(stage.outdir, 'failover-report.json')).paths[0].measured).toMatchObject({ rtoSeconds: 70, source: 'prod-drill' });
    expect(readJson(path.join(app.outdir, 'failover-report.json')).paths[0].measured).toBeUndefined();
  });

  test('fromContext reads the file named by cdk-failover:drill-results, and is undefined without it', () => {
    const app = testApp({ context: { 'cdk-failover:drill-results': SAMPLE } });
    const stack = testStack(app);
    regionalFailover(stack);
    expect(DrillResults.fromContext(app, 'Drills')).toBeDefined();
    expect(reportOf(app).json.paths[0].measured.rtoSeconds).toEqual(84.5);
    expect(DrillResults.fromContext(testApp(), 'Drills')).toBeUndefined();
    expect(DrillResults.CONTEXT_KEY).toEqual('cdk-failover:drill-results');
  });

  test('fromFile reads every summary of a directory the drills wrote, the latest per path winning', () => {
    // GIVEN two summaries of one path, as a FailoverDrill writes them under <prefix>/<drill>/
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-drills-'));
    try {
      const summary = (at: string, rto: number) => JSON.stringify({
        format: 'cdk-failover/drill-results',
        formatVersion: 1,
        drills: [{ path: 'Stack/Failover#failover', at, source: `arn:aws:states:us-west-2:111111111111:execution:drill:${rto}`, rtoSeconds: rto }],
        drill: { name: 'dns', outcome: 'MET' },
      });
      fs.mkdirSync(path.join(dir, 'dns'));
      fs.writeFileSync(path.join(dir, 'dns', '2026-11-01T10-00-00-000Z-a.json'), summary('2026-11-01T10:00:00Z', 95));
      fs.writeFileSync(path.join(dir, 'dns', '2026-11-30T10-00-00-000Z-b.json'), summary('2026-11-30T10:00:00Z', 84.5));
      fs.writeFileSync(path.join(dir, 'dns', 'notes.txt'), 'not a summary');
      const app = testApp();
      regionalFailover(testStack(app));

      // WHEN
      const results = DrillResults.fromFile(app, 'Drills', dir);

      // THEN
      expect(results._drills.map((d) => d.rto)).toEqual([95, 84.5]);
      expect(reportOf(app).json.paths[0].measured).toMatchObject({ rtoSeconds: 84.5, source: 'arn:aws:states:us-west-2:111111111111:execution:drill:84.5' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('figures whose source says they are a sample are labelled so in the table', () => {
    // GIVEN
    const app = testApp();
    regionalFailover(testStack(app));
    new DrillResults(app, 'Drills', {
      summaries: [{ path: 'Stack/Failover#failover', at: '2026-11-30T14:05:00Z', source: 'sample: illustrative figures, not a real drill', rto: Duration.seconds(90) }],
    });

    // WHEN
    const { markdown } = reportOf(app);

    // THEN
    expect(markdown).toContain('| RTO 1 min 30 s on 2026-11-30 (sample) |');
    expect(markdown).toContain('- measured: RTO 1 min 30 s (sample: illustrative figures, not a real drill at 2026-11-30T14:05:00Z)');
  });

  test('fails with a file that does not exist or is not JSON', () => {
    expect(() => DrillResults.fromFile(testApp(), 'Drills', 'no/such/results.json'))
      .toThrow(/^Drills: cannot read the drill results file "no\/such\/results.json" \(ENOENT\)\. Give a path relative to the app's working directory/);
    const file = writeTemp('{ not json');
    expect(() => DrillResults.fromFile(testApp(), 'Drills', file)).toThrow(/^Drill results ".*results.json": not JSON \(.*\)\. Give the file the drill wrote/);
    expect(() => DrillResults.fromContext(testApp({ context: { 'cdk-failover:drill-results': '' } }), 'Drills'))
      .toThrow('Drills: the context key cdk-failover:drill-results must be the path of a drill results file, got: "".');
  });

  test('fails with a file of another format or version, listing every problem', () => {
    const file = writeTemp(JSON.stringify({ format: 'other', formatVersion: 2, drills: {} }));
    expect(() => DrillResults.fromFile(testApp(), 'Drills', file)).toThrow(
      '3 problems:\n'
      + '  - `format` must be "cdk-failover/drill-results", got: "other"\n'
      + '  - `formatVersion` 2 is not one this version of cdk-failover reads (1); upgrade cdk-failover or write the file in version 1\n'
      + '  - `drills` must be a list of drill summaries, got: {}.');
  });

  test.each([
    ['a negative RTO', { rtoSeconds: -1 }, 'drills[0].rtoSeconds must be a number of seconds from 0 to 604800 (7 days), got: -1'],
    ['an RTO in milliseconds', { rtoSeconds: 84500000 }, 'drills[0].rtoSeconds must be a number of seconds from 0 to 604800 (7 days), got: 84500000'],
    ['an RPO as text', { rpoSeconds: '9' }, 'drills[0].rpoSeconds must be a number of seconds from 0 to 604800 (7 days), got: "9"'],
    ['a bad assumption figure', { assumptions: { healthToDnsAnswer: null } }, 'drills[0].assumptions.healthToDnsAnswer must be a number of seconds from 0 to 604800 (7 days), got: null'],
    ['assumptions as a list', { assumptions: [18] }, 'drills[0].assumptions must map assumption ids to seconds, e.g. { "healthToDnsAnswer": 18.5 }, got: [18]'],
    ['a local time', { at: '2026-11-30 14:05' }, 'drills[0].at must be the UTC time of the drill in ISO 8601, e.g. `2026-11-30T14:05:00Z`, got: "2026-11-30 14:05"'],
    ['a path without an id', { path: 'Stack/Failover' }, 'drills[0].path must name a recovery path as the report does, `<construct path>#<path id>` (e.g. `Prod/Web/Dns#failover`), got: "Stack/Failover"'],
    ['an empty source', { source: ' ' }, 'drills[0].source must say where the figures come from (e.g. the drill\'s execution ARN), 1 to 2048 characters, got: " "'],
    ['a misspelt field', { rto: 84 }, 'drills[0] has an unknown field "rto"; the fields are: path, at, source, rtoSeconds, rpoSeconds, assumptions'],
  ])('fails with %s', (_, change, message) => {
    const drill = { path: 'Stack/Failover#failover', at: '2026-11-30T14:05:00Z', source: 'drill-1', rtoSeconds: 84.5, ...change };
    const file = writeTemp(JSON.stringify({ format: 'cdk-failover/drill-results', formatVersion: 1, drills: [drill] }));
    expect(() => DrillResults.fromFile(testApp(), 'Drills', file)).toThrow(`: ${message}.`);
  });

  test('fails with a drill that measures nothing', () => {
    const file = writeTemp(JSON.stringify({ format: 'cdk-failover/drill-results', formatVersion: 1, drills: [{ path: 'S/F#p', at: '2026-11-30T14:05:00Z', source: 's' }] }));
    expect(() => DrillResults.fromFile(testApp(), 'Drills', file)).toThrow('drills[0] measures nothing: give `rtoSeconds`, `rpoSeconds` or `assumptions`.');
  });

  test('fails with summaries as props, naming the construct and the prop', () => {
    const app = testApp();
    const stack = testStack(app);
    const token = Duration.seconds(new CfnParameter(stack, 'P', { type: 'Number' }).valueAsNumber);
    expect(() => new DrillResults(app, 'Drills', {
      summaries: [
        { path: 'Stack/Failover#failover', at: 'yesterday', source: 's', rto: Duration.seconds(NaN) },
        { path: 'Stack/Failover#failover', at: '2026-11-30T14:05:00Z', source: 's', rto: token },
        { path: 'Stack/Failover#failover', at: '2026-11-30T14:05:00Z', source: 's', assumptions: { 'bad id': Duration.seconds(1) } },
      ],
    })).toThrow('Drills: 4 problems:\n'
      + '  - summaries[0].at must be the UTC time of the drill in ISO 8601, e.g. `2026-11-30T14:05:00Z`, got: "yesterday"\n'
      + '  - summaries[0].rto must be a number of seconds from 0 to 604800 (7 days), got: NaN\n'
      + '  - summaries[1].rto is a deploy-time Token, but a drill measures a figure known at synth\n'
      + '  - an assumption id must be 1 to 64 letters, digits or hyphens starting with a letter (a RecoveryAssumption.id such as `healthToDnsAnswer`), got: "bad id"');
  });

  test('is a RecoveryAssumptions whose values are the largest measured', () => {
    const results = DrillResults.fromFile(testApp(), 'Drills', SAMPLE);
    expect(RecoveryAssumptions.isRecoveryAssumptions(results)).toBe(true);
    expect(DrillResults.isDrillResults(results)).toBe(true);
    expect(results.values.healthToDnsAnswer.toSeconds()).toEqual(22);
  });
});

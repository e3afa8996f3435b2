import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { runCli } from '../../src/analyze/private/cli';
import { testApp } from '../util';

/** A raw aws-cdk-lib app with one failover pair (a 30 s x 3 HTTPS check, a 60 s TTL: 3 x 30 + 6 + 30 + 60 + 5 = 191 s worst case), synthesized. */
function rawAssembly(): string {
  const app = testApp();
  const stack = new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } });
  const check = new route53.HealthCheck(stack, 'Check', { type: route53.HealthCheckType.HTTPS, fqdn: 'east.app.example.com', requestInterval: Duration.seconds(30), failureThreshold: 3 });
  for (const failover of ['PRIMARY', 'SECONDARY']) {
    new route53.CfnRecordSet(stack, failover, {
      hostedZoneName: 'example.com.',
      name: 'app.example.com',
      type: 'A',
      ttl: '60',
      resourceRecords: ['192.0.2.1'],
      setIdentifier: failover,
      failover,
      healthCheckId: failover === 'PRIMARY' ? check.healthCheckId : undefined,
    });
  }
  return app.synth().directory;
}

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('cdk-failover analyze', () => {
  test('prints the report of a raw app and exits 0 without objectives', () => {
    const result = run(['analyze', rawAssembly()]);
    expect(result.code).toEqual(0);
    expect(result.stdout).toContain('| app.example.com (A) | DNS failover | 1 min 24.6 s - 3 min 11 s |');
    expect(result.stdout).toMatch(/^Analysed: `.*`\. Modeled by cdk-failover from the templates, without deploying;/m);
  });

  test.each([
    [['--rto', '4m'], 0],
    [['--rto', '2m'], 1],
    [['--rto', '191s'], 0],
    [['--rpo', '1m'], 0],
  ])('with %j exits %i', (options, code) => {
    const result = run(['analyze', rawAssembly(), ...options]);
    expect(result.code).toEqual(code);
    if (code === 1) {
      expect(result.stderr).toMatch(/MISSED DNS failover of app.example.com \(A\): modeled worst-case recovery time 3 min 11 s exceeds the RTO objective 2 min \(declared at the command line\)\. .*Fix: set `RequestInterval` to 10 and lower `FailureThreshold` .* on the AWS::Route53::HealthCheck Check[0-9A-F]{8}; cdk-failover's EndpointHealthCheck has those defaults; or raise the objective\.$/m);
    }
  });

  test('never throws on odd assemblies: a null manifest, nested assemblies that point at each other, a null parameter', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-odd-'));
    try {
      const nullManifest = path.join(dir, 'null');
      const loop = path.join(dir, 'loop');
      fs.mkdirSync(nullManifest);
      fs.mkdirSync(path.join(loop, 'inner'), { recursive: true });
      fs.writeFileSync(path.join(nullManifest, 'manifest.json'), 'null');
      // Each manifest names the other's folder as a nested assembly.
      fs.writeFileSync(path.join(loop, 'manifest.json'), JSON.stringify({ artifacts: { Inner: { type: 'cdk:cloud-assembly', properties: { directoryName: 'inner' } } } }));
      fs.writeFileSync(path.join(loop, 'inner', 'manifest.json'), JSON.stringify({ artifacts: { Outer: { type: 'cdk:cloud-assembly', properties: { directoryName: '..' } } } }));
      const nullParameter = path.join(dir, 'null-parameter.yaml');
      fs.writeFileSync(nullParameter, 'Parameters:\n  Env:\nResources:\n  Check:\n    Type: AWS::Route53::HealthCheck\n    Properties:\n      HealthCheckConfig:\n'
        + '        Type: !Ref Env\n');

      // WHEN
      const result = run(['analyze', nullManifest, loop, nullParameter, '--out', nullParameter]);
      const report = run(['analyze', nullManifest, loop, nullParameter]);

      // THEN: --out on a file is a usage error; the rest is a report.
      expect([result.code, result.stderr]).toEqual([2, `cdk-failover analyze: --out ${nullParameter} is a file, not a directory\n`]);
      expect([report.code, report.stdout]).toEqual([0, expect.stringContaining('# Failover report')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writes both files with --out, and lists what it could not read', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-out-'));
    try {
      const result = run(['analyze', rawAssembly(), path.join(out, 'missing.json'), '--out', out]);
      // The report is written, but a template given by name and not read fails the run.
      expect(result.code).toEqual(2);
      expect(result.stderr).toContain(`could not read:\n  ${path.join(out, 'missing.json')}: no such file`);
      const json = JSON.parse(fs.readFileSync(path.join(out, 'failover-report.json'), 'utf8'));
      expect(json.paths.map((p: any) => [p.kind, p.rto.worstSeconds])).toEqual([['dns-failover', 191]]);
      expect(json.unread.map((u: any) => u.reason)).toEqual(['no such file']);
      expect(fs.readFileSync(path.join(out, 'failover-report.md'), 'utf8')).toContain('## Not analysed');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test.each([
    [[], 2, /Usage: cdk-failover analyze/],
    [['analyse'], 2, /unknown command "analyse"/],
    [['analyze'], 2, /give a cloud assembly directory/],
    [['analyze', 'x', '--rto', 'soon'], 2, /--rto needs a duration such as 90s, 5m or 1h, got: "soon"/],
    [['analyze', 'x', '--verbose'], 2, /unknown option --verbose/],
    // Nothing read is not a pass: a gate pointed at the wrong folder fails.
    [['analyze', 'no-such-cdk.out', '--rto', '5m'], 2, /no CloudFormation template could be read:\n {2}no-such-cdk.out: no such file/],
  ])('%j is a usage error', (args, code, message) => {
    const result = run(args);
    expect(result.code).toEqual(code);
    expect(result.stdout + result.stderr).toMatch(message);
  });

  test('runs as a real process, with its exit code', () => {
    const assembly = rawAssembly();
    const cli = path.join(__dirname, '..', '..', 'src', 'analyze', 'cli.ts');
    const tsNode = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'ts-node');
    const proc = (rto: string) => spawnSync(tsNode, ['--transpile-only', cli, 'analyze', assembly, '--rto', rto], { encoding: 'utf8' });
    const missed = proc('2m');
    expect([missed.status, missed.stderr]).toEqual([1, expect.stringMatching(/^MISSED DNS failover of app.example.com/)]);
    const met = proc('5m');
    expect([met.status, met.stdout]).toEqual([0, expect.stringContaining('# Failover report')]);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DrillInjection, DrsDataPlaneRouting, ElasticDisasterRecovery, FailoverDrill, RecoveryObjectives } from '../../src';
import { testApp, testStack } from '../util';

jest.setTimeout(120_000);

const SCHEMAS = path.join(__dirname, 'drs-schemas');
const hasCfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;

/** The construct with every setting, and a drill of it, in us-west-2. */
function stackWithDrs(): Stack {
  const stack = testStack(testApp(), 'Stack', 'us-west-2');
  new RecoveryObjectives(stack, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(1) });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const servers = new ElasticDisasterRecovery(stack, 'Servers', {
    sourceServerCount: 2, vpc, dataPlaneRouting: DrsDataPlaneRouting.PUBLIC_IP, createPublicIp: true, pointInTimeRetention: Duration.days(30),
  });
  servers.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.1.0.0/16'));
  new FailoverDrill(stack, 'Drill', { injection: DrillInjection.drsRecovery({ sourceServerIds: ['s-1234567890abcdef0'] }), path: servers });
  return stack;
}

/** Problems of the template's DRS resources against the schema copies (see drs-schemas/validate.py). */
function schemaProblems(template: any): string[] {
  const run = spawnSync('python3', [path.join(SCHEMAS, 'validate.py')], {
    input: JSON.stringify(template), encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (run.status !== 0) {
    throw new Error(`validate.py failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

describe('ElasticDisasterRecovery against the CloudFormation schemas', () => {
  (hasCfnLint ? test : test.skip)('the template with the DRS templates and the drill is cfn-lint clean (skipped when cfn-lint is not on PATH)', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drs-lint-'));
    const file = path.join(dir, 'drs.template.json');
    fs.writeFileSync(file, JSON.stringify(Template.fromStack(stackWithDrs()).toJSON()));

    // WHEN cfn-lint 1.51.0 has no DRS schema: the copies make the types known
    const lint = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-west-2', '--registry-schemas', SCHEMAS, '--', file], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });

    // THEN
    expect(lint.error).toBeUndefined();
    // W3010 (zone names in the subnets) is aws-cdk-lib's Vpc; W3005 (a DependsOn already implied by a GetAtt) is aws-cdk-lib's,
    // on the roles of its state machine and function: neither is the DRS templates' nor the drill's own.
    const findings: any[] = JSON.parse(lint.stdout || '[]');
    expect(findings.filter((f) => !(f.Rule.Id === 'W3010' && /^Vpc/.test(f.Location.Path[1]))
      && !(f.Rule.Id === 'W3005' && /dependency already enforced by a 'GetAtt' at 'Resources\/\w+\/Properties\/Role(Arn)?'$/.test(f.Message)))).toEqual([]);
  });

  test('the DRS resources\' properties match the schemas: names, types, enums, required fields', () => {
    // GIVEN
    const template = Template.fromStack(stackWithDrs()).toJSON();

    // WHEN
    const problems = schemaProblems(template);

    // THEN
    expect(problems).toEqual([]);
  });

  test('the schema check finds a misspelt property, a bad enum and a missing required field', () => {
    // GIVEN
    const template = Template.fromStack(stackWithDrs()).toJSON();
    const [id] = Object.keys(template.Resources).filter((k) => template.Resources[k].Type === 'AWS::DRS::ReplicationConfigurationTemplate');
    const props = template.Resources[id].Properties;
    props.CreatePublicIp = props.CreatePublicIP;
    delete props.CreatePublicIP;
    props.EbsEncryption = 'KMS';
    delete props.PitPolicy;

    // WHEN
    const problems = schemaProblems(template);

    // THEN
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/'PitPolicy' is a required property/),
      expect.stringMatching(/EbsEncryption: 'KMS' is not one of \['DEFAULT', 'CUSTOM', 'NONE'\]/),
      expect.stringMatching(/Additional properties are not allowed \('CreatePublicIp' was unexpected\)/),
    ]));
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fc from 'fast-check';
import { analyse, renderAnalysis } from '../../src/analyze/private/analysis';
import { contextOf, refResource, resolve, ResourceRef, Unresolved } from '../../src/analyze/private/intrinsics';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { testApp } from '../util';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-templates-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the files given into the test's folder, and returns their paths. */
function files(contents: { [name: string]: string }): string[] {
  return Object.entries(contents).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}

const reasonOf = (v: unknown) => v instanceof Unresolved ? v.reason : `resolved to ${JSON.stringify(v)}`;

const YAML_TEMPLATE = `AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: { Type: String, Default: prod }
  Account: { Type: String, Default: 012345678901 }
Mappings:
  Ttl: { prod: { Seconds: 60 }, dev: { Seconds: 300 } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  EastProd: !And
    - !Condition IsProd
    - !Or [!Equals [!Ref 'AWS::Region', us-east-1], !Condition IsDev]
Resources:
  Check:
    Type: AWS::Route53::HealthCheck
    Properties:
      HealthCheckConfig:
        Type: HTTPS
        FullyQualifiedDomainName: !Sub 'app.\${AWS::Region}.example.com'
        Port: 0443
        RequestInterval: 10
        Enabled: yes
  Primary:
    Type: AWS::Route53::RecordSet
    Properties:
      HealthCheckId: !GetAtt Check.HealthCheckId
      TTL: !If [IsProd, !FindInMap [Ttl, !Ref Env, Seconds], 300]
      SetIdentifier: !Join
        - '-'
        - - !Select [0, !Split [',', 'primary,secondary']]
          - !GetAtt [Check, HealthCheckId]
      ResourceRecords:
        - !ImportValue shared-address
        - !Sub
          - '\${Name}.example.com'
          - Name: !Ref Env
        - !Base64 text
        - !Select [0, !GetAZs '']
        - !Select [0, !Cidr [10.0.0.0/16, 2, 8]]
      Extra: !Transform { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/key' } }
  DevOnly:
    Type: AWS::S3::Bucket
    Condition: IsDev
`;

describe('YAML templates', () => {
  let t: LoadedTemplate;
  beforeAll(() => {
    const { templates, unread } = readTemplates(files({ 'app.template.yaml': YAML_TEMPLATE }));
    expect(unread).toEqual([]);
    t = templates[0];
  });

  test('every short tag reads as its long form; dates, leading zeros and YAML 1.1 booleans stay text', () => {
    const { Resources, ...rest } = t.template;

    expect(t.name).toEqual('app');
    expect(rest).toEqual({
      AWSTemplateFormatVersion: '2010-09-09',
      Transform: 'AWS::Serverless-2016-10-31',
      Parameters: { Env: { Type: 'String', Default: 'prod' }, Account: { Type: 'String', Default: '012345678901' } },
      Mappings: { Ttl: { prod: { Seconds: 60 }, dev: { Seconds: 300 } } },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        EastProd: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, { Condition: 'IsDev' }] }] },
      },
    });
    expect(Resources!.Check.Properties).toEqual({
      HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: { 'Fn::Sub': 'app.${AWS::Region}.example.com' }, Port: '0443', RequestInterval: 10, Enabled: 'yes' },
    });
    expect(Resources!.Primary.Properties).toEqual({
      HealthCheckId: { 'Fn::GetAtt': ['Check', 'HealthCheckId'] },
      TTL: { 'Fn::If': ['IsProd', { 'Fn::FindInMap': ['Ttl', { Ref: 'Env' }, 'Seconds'] }, 300] },
      SetIdentifier: { 'Fn::Join': ['-', [{ 'Fn::Select': [0, { 'Fn::Split': [',', 'primary,secondary'] }] }, { 'Fn::GetAtt': ['Check', 'HealthCheckId'] }]] },
      ResourceRecords: [
        { 'Fn::ImportValue': 'shared-address' },
        { 'Fn::Sub': ['${Name}.example.com', { Name: { Ref: 'Env' } }] },
        { 'Fn::Base64': 'text' },
        { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
        { 'Fn::Select': [0, { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }] },
      ],
      Extra: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/key' } } },
    });
  });

  test('a resource whose condition is false is left out and listed; the conditions decide Fn::If', () => {
    const props = resolve(t.template.Resources!.Primary.Properties, contextOf(t)) as { [k: string]: unknown };

    expect(Object.keys(t.template.Resources!)).toEqual(['Check', 'Primary']);
    expect(t.notCreated).toEqual([{ logicalId: 'DevOnly', type: 'AWS::S3::Bucket', condition: 'IsDev' }]);
    // IsProd: the parameter's default is prod, so the mapping's prod TTL.
    expect(props.TTL).toBe(60);
    expect(reasonOf(props.SetIdentifier)).toEqual('Fn::Join of an attribute of Check, known only at deploy time');
    expect(reasonOf(resolve({ Ref: 'DevOnly' }, contextOf(t)))).toEqual('DevOnly, which is not created: its condition IsDev is false');
  });

  test('files that cannot be read are listed with the reason and where it is', () => {
    const { templates, unread } = readTemplates(files({
      'dup.yaml': 'Resources:\n  A: { Type: AWS::S3::Bucket }\n  A: { Type: AWS::S3::Bucket }\n',
      'list.yml': '- a\n- b\n',
      'broken.json': '{ "Resources": ',
      'plain.template': 'Resources:\n  B: { Type: AWS::S3::Bucket }\n',
    }));

    expect(templates.map((r) => [r.name, Object.keys(r.template.Resources ?? {})])).toEqual([['plain', ['B']]]);
    expect(unread.map((u) => [path.basename(u.file), u.reason])).toEqual([
      // The second `A`, on line 3.
      ['dup.yaml', 'not YAML (Map keys must be unique at line 3, column 3)'],
      ['list.yml', 'not a CloudFormation template: the file holds no YAML mapping'],
      ['broken.json', expect.stringMatching(/^not JSON \(.+\)$/)],
    ]);
  });
});

describe('cross-stack references of a two-stack aws-cdk-lib app', () => {
  let shared: LoadedTemplate;
  let app: LoadedTemplate;
  let assembly: string;
  beforeAll(() => {
    const cdkApp = testApp();
    const env = { account: '111111111111', region: 'us-east-1' };
    const sharedStack = new Stack(cdkApp, 'Shared', { env });
    const check = new route53.CfnHealthCheck(sharedStack, 'Check', { healthCheckConfig: { type: 'HTTPS', fullyQualifiedDomainName: 'app.example.com' } });
    const bucket = new s3.Bucket(sharedStack, 'Logs');
    const appStack = new Stack(cdkApp, 'App', { env });
    new route53.CfnRecordSet(appStack, 'Primary', {
      hostedZoneName: 'example.com.',
      name: 'app.example.com.',
      type: 'CNAME',
      ttl: '60',
      setIdentifier: 'primary',
      failover: 'PRIMARY',
      healthCheckId: check.attrHealthCheckId,
      resourceRecords: [`logs.${bucket.bucketName}.example.com`],
    });
    assembly = cdkApp.synth().directory;
    const { templates } = readTemplates([assembly]);
    shared = templates.find((x) => x.name === 'Shared')!;
    app = templates.find((x) => x.name === 'App')!;
  });

  test('the importing stack resolves the export to the exporting stack\'s resource', () => {
    const raw = Object.values(app.template.Resources!).find((r) => r.Type === 'AWS::Route53::RecordSet')!.Properties!;
    const checkId = Object.keys(shared.template.Resources!).find((id) => shared.template.Resources![id].Type === 'AWS::Route53::HealthCheck')!;
    const bucketId = Object.keys(shared.template.Resources!).find((id) => shared.template.Resources![id].Type === 'AWS::S3::Bucket')!;

    const props = resolve(raw, contextOf(app)) as { [k: string]: unknown };

    // aws-cdk-lib writes the reference as an import of the export it adds to Shared.
    expect(raw.HealthCheckId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Shared:ExportsOutputFnGetAttCheck/) });
    expect(props.HealthCheckId).toEqual(new ResourceRef(checkId, 'HealthCheckId', shared));
    expect((props.HealthCheckId as ResourceRef).stack).toBe(shared);
    expect(refResource(props.HealthCheckId, app)?.resource.Type).toEqual('AWS::Route53::HealthCheck');
    expect(props.ResourceRecords).toEqual([new Unresolved(`Fn::Join of an attribute of ${bucketId} (stack Shared), known only at deploy time`)]);
  });

  test('every stack read shares one map of the exports; the manifest gives each stack its name and account', () => {
    expect(app.exports).toBe(shared.exports);
    expect([...app.exports!.keys()].every((name) => name.startsWith('Shared:ExportsOutput'))).toBe(true);
    expect(app.exports!.size).toBe(2);
    expect(resolve({ 'Fn::Sub': '${AWS::StackName} in ${AWS::AccountId}/${AWS::Region}' }, contextOf(app))).toEqual('App in 111111111111/us-east-1');
  });

  test('the analysis of the app meets the imported references without failing, and prints them', () => {
    const analysis = analyse([assembly]);

    expect(analysis.notAnalysed.filter((n) => n.reason.startsWith('the analysis failed here'))).toEqual([]);
    expect(() => renderAnalysis(analysis)).not.toThrow();
  });
});

describe('exports of template files read together', () => {
  let network: LoadedTemplate;
  let app: LoadedTemplate;
  beforeAll(() => {
    const { templates } = readTemplates(files({
      'network.yaml': `Parameters:
  Prefix: { Type: String, Default: app }
Conditions:
  Never: !Equals [a, b]
Resources:
  Check: { Type: AWS::Route53::HealthCheck, Properties: { HealthCheckConfig: { Type: TCP, IPAddress: 192.0.2.1, Port: 443 } } }
Outputs:
  CheckId:
    Value: !Ref Check
    Export: { Name: !Sub '\${Prefix}-check' }
  Hidden:
    Condition: Never
    Value: hidden
    Export: { Name: hidden }
  Named:
    Value: named
    Export: { Name: !Sub '\${AWS::StackName}-named' }
`,
      'app.json': JSON.stringify({ Resources: { Record: { Type: 'AWS::Route53::RecordSet', Properties: { HealthCheckId: { 'Fn::ImportValue': 'app-check' } } } } }),
    }));
    [network, app] = templates;
  });

  test('an export named by an intrinsic is found by its resolved name', () => {
    const id = resolve(app.template.Resources!.Record.Properties!.HealthCheckId, contextOf(app));

    expect(id).toEqual(new ResourceRef('Check', undefined, network));
    expect(refResource(id, app)?.resource.Properties).toEqual({ HealthCheckConfig: { Type: 'TCP', IPAddress: '192.0.2.1', Port: 443 } });
  });

  test('an output whose condition is false, or whose name a file does not decide, is not exported', () => {
    expect([...app.exports!.keys()]).toEqual(['app-check']);
    expect(reasonOf(resolve({ 'Fn::ImportValue': 'hidden' }, contextOf(app)))).toEqual('Fn::ImportValue of hidden, which no stack read with this one exports');
  });
});

describe('YAML and JSON forms of the same template', () => {
  const LONG: { [long: string]: string } = {
    'Ref': 'Ref',
    'Condition': 'Condition',
    'Fn::GetAtt': 'GetAtt',
    'Fn::Sub': 'Sub',
    'Fn::Join': 'Join',
    'Fn::If': 'If',
    'Fn::Equals': 'Equals',
    'Fn::And': 'And',
    'Fn::Or': 'Or',
    'Fn::Not': 'Not',
    'Fn::Select': 'Select',
    'Fn::Split': 'Split',
    'Fn::FindInMap': 'FindInMap',
    'Fn::ImportValue': 'ImportValue',
    'Fn::GetAZs': 'GetAZs',
    'Fn::Base64': 'Base64',
    'Fn::Cidr': 'Cidr',
    'Fn::Transform': 'Transform',
  };

  /** YAML for a value (what follows `key:` or `-`): short tags for intrinsics, block collections above the flow level, flow below. */
  function yaml(v: unknown, pad: string, flowFrom: number, level = 0, tagged = false): string {
    const flow = level >= flowFrom;
    // A node has one tag at most (`!Base64 !Sub x` is not YAML): an intrinsic right under a tag keeps its long form.
    if (!tagged && v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1) {
      const [long, arg] = Object.entries(v)[0];
      const short = LONG[long];
      if (short === 'GetAtt' && Array.isArray(arg) && arg.length === 2 && arg.every((a) => typeof a === 'string' && /^[A-Za-z0-9]+$/.test(a))) {
        return ` !GetAtt ${arg[0]}.${arg[1]}`;
      }
      // A tagged scalar is text, as CloudFormation reads it: numbers, booleans and null keep the long form.
      const taggable = typeof arg === 'string' ? short !== 'GetAtt' : arg !== null && typeof arg === 'object';
      if (short !== undefined && taggable) {
        return ` !${short}${typeof arg === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(arg) ? ` ${arg}` : yaml(arg, pad, flowFrom, level + 1, true)}`;
      }
    }
    if (Array.isArray(v)) {
      if (v.length === 0 || flow) {
        return ` [${v.map((x) => yaml(x, '', flowFrom, level + 1).trim()).join(', ')}]`;
      }
      return v.map((x) => `\n${pad}-${yaml(x, `${pad}  `, flowFrom, level + 1)}`).join('');
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0 || flow) {
        return ` {${entries.map(([k, x]) => `${JSON.stringify(k)}:${yaml(x, '', flowFrom, level + 1)}`).join(', ')}}`;
      }
      return entries.map(([k, x]) => `\n${pad}${JSON.stringify(k)}:${yaml(x, `${pad}  `, flowFrom, level + 1)}`).join('');
    }
    return ` ${JSON.stringify(v)}`;
  }

  const name = fc.constantFrom('A', 'B', 'Check', 'Env', 'AWS::Region');
  const scalar = fc.oneof(fc.string(), fc.constantFrom('', 'é', '日本', '2010-09-09', '012345678901', 'yes', '~', 'null', '3'), fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, tie('intrinsic'), fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.oneof(name, fc.string()), tie('value'), { maxKeys: 3 })),
    intrinsic: fc.oneof(
      fc.record({ Ref: name }),
      fc.record({ Condition: name }),
      fc.record({ 'Fn::GetAtt': fc.oneof(fc.tuple(name, fc.constantFrom('Arn', 'HealthCheckId', 'DNS.Name')), fc.constant('A.Arn')) }),
      fc.record({ 'Fn::Sub': fc.oneof(fc.string(), fc.tuple(fc.string(), fc.dictionary(name, tie('value'), { maxKeys: 2 }))) }),
      fc.record({ 'Fn::GetAZs': fc.constantFrom('', 'us-east-1') }),
      fc.constantFrom(...Object.keys(LONG)).chain((long) => fc.array(tie('value'), { maxLength: 3 }).map((args) => ({ [long]: args }))),
      fc.constantFrom('Fn::Base64', 'Fn::Transform', 'Fn::ImportValue').chain((long) => tie('value').map((arg) => ({ [long]: arg }))),
    ),
  }));
  const resource = fc.record({ Type: fc.constantFrom('AWS::S3::Bucket', 'AWS::Route53::RecordSet'), Properties: fc.dictionary(fc.string(), value, { maxKeys: 4 }) });
  const template = fc.record({
    AWSTemplateFormatVersion: fc.constant('2010-09-09'),
    Parameters: fc.dictionary(name, fc.record({ Type: fc.constant('String'), Default: scalar }), { maxKeys: 2 }),
    Resources: fc.dictionary(fc.constantFrom('A', 'B', 'Check', 'Primary'), resource, { maxKeys: 3 }),
    Outputs: fc.dictionary(fc.constantFrom('Out'), fc.record({ Value: value })),
  }, { requiredKeys: ['Resources'] });

  test('read to the same object, the one written', () => {
    fc.assert(fc.property(template, fc.integer({ min: 0, max: 5 }), (written, flowFrom) => {
      const [jsonFile, yamlFile] = files({ 'p.json': JSON.stringify(written), 'p.yaml': yaml(written, '', flowFrom).replace(/^\n/, '') });

      const { templates, unread } = readTemplates([jsonFile, yamlFile]);

      expect(unread).toEqual([]);
      expect(templates[1].template).toEqual(templates[0].template);
      expect(templates[0].template).toEqual(JSON.parse(JSON.stringify(written)));
    }), { numRuns: 100, seed: 1515 });
  });
});

import * as fc from 'fast-check';
import { conditionHolds, creationUndecided } from '../../src/analyze/private/conditions';
import { contextOf, refResource, refTarget, resolve, ResolveContext, ResourceRef, Unresolved } from '../../src/analyze/private/intrinsics';
import { CfnTemplate, ExportedValue, LoadedTemplate } from '../../src/analyze/private/templates';

/** A template as the analysis reads it, with its own context. */
function loaded(template: CfnTemplate, region?: string, name = 'Stack', exports?: Map<string, ExportedValue[]>): LoadedTemplate {
  return { name, file: `${name}.template.json`, region, template, exports };
}
const reasonOf = (v: unknown) => v instanceof Unresolved ? v.reason : `resolved to ${JSON.stringify(v)}`;

const CONDITIONAL: CfnTemplate = {
  Parameters: {
    Env: { Type: 'String', Default: 'prod' },
    Size: { Type: 'Number', Default: 3 },
    Owner: { Type: 'String' },
  },
  Conditions: {
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
    InEast: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
    IsThree: { 'Fn::Equals': ['3', { Ref: 'Size' }] },
    HasOwner: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Owner' }, ''] }] },
    ProdOrOwner: { 'Fn::Or': [{ Condition: 'HasOwner' }, { Condition: 'IsProd' }] },
    DevAndOwner: { 'Fn::And': [{ Condition: 'HasOwner' }, { Condition: 'IsDev' }] },
    ProdAndOwner: { 'Fn::And': [{ Condition: 'IsProd' }, { Condition: 'HasOwner' }] },
    Loop: { 'Fn::Not': [{ Condition: 'Loop' }] },
  },
  Resources: {
    Check: { Type: 'AWS::Route53::HealthCheck' },
    Maybe: { Type: 'AWS::S3::Bucket', Condition: 'HasOwner' },
  },
};

describe('conditions', () => {
  test.each([
    ['IsProd', 'us-east-1', true],
    ['IsDev', 'us-east-1', false],
    ['InEast', 'us-east-1', true],
    ['InEast', 'eu-west-1', false],
    // CloudFormation compares as text: the number 3 equals '3'.
    ['IsThree', undefined, true],
    // One true operand decides an Or, one false operand an And, whatever the others.
    ['ProdOrOwner', undefined, true],
    ['DevAndOwner', undefined, false],
  ])('%s in %s is %s', (name, region, expected) => {
    expect(conditionHolds(name, contextOf(loaded(CONDITIONAL, region)))).toBe(expected);
  });

  test.each([
    ['InEast', undefined, 'the condition InEast, which depends on Fn::Equals of AWS::Region of a stack whose region is not known'],
    ['ProdAndOwner', 'us-east-1', 'the condition ProdAndOwner, which depends on the condition HasOwner, which depends on Fn::Equals of the parameter Owner, which has no default'],
    ['Loop', undefined, 'the condition Loop, which depends on the condition Loop, which refers to itself'],
    ['Nope', undefined, 'the condition Nope, which the template does not define'],
  ])('%s in %s is not decided: the reason says why', (name, region, reason) => {
    expect(reasonOf(conditionHolds(name, contextOf(loaded(CONDITIONAL, region))))).toEqual(reason);
  });

  test('Fn::If takes the branch its condition decides; AWS::NoValue leaves the property or the item out', () => {
    const ctx = contextOf(loaded(CONDITIONAL, 'us-east-1'));

    const props = resolve({
      TTL: { 'Fn::If': ['IsProd', 60, 300] },
      HealthCheckId: { 'Fn::If': ['IsDev', { Ref: 'Check' }, { Ref: 'AWS::NoValue' }] },
      Regions: ['a', { 'Fn::If': ['InEast', { Ref: 'AWS::NoValue' }, 'b'] }, 'c'],
      Owner: { 'Fn::If': ['HasOwner', { Ref: 'Owner' }, 'nobody'] },
    }, ctx) as { [k: string]: unknown };

    expect(Object.keys(props)).toEqual(['TTL', 'Regions', 'Owner']);
    expect(props.TTL).toBe(60);
    expect(props.Regions).toEqual(['a', 'c']);
    expect(reasonOf(props.Owner)).toEqual('Fn::If on the condition HasOwner, which depends on Fn::Equals of the parameter Owner, which has no default');
    expect(resolve({ 'Fn::If': ['IsDev', 1, { Ref: 'AWS::NoValue' }] }, ctx)).toBeUndefined();
  });

  test('a resource whose condition is not decided says so; one without a condition or with a decided one does not', () => {
    const t = loaded(CONDITIONAL);

    expect(reasonOf(creationUndecided(t, 'Maybe'))).toEqual('Maybe is created only if the condition HasOwner, which depends on Fn::Equals of the parameter Owner, which has no default');
    expect(creationUndecided(t, 'Check')).toBeUndefined();
  });
});

describe('lists, mappings and parameters', () => {
  const template: CfnTemplate = {
    Parameters: {
      Zones: { Type: 'CommaDelimitedList', Default: 'us-east-1a, us-east-1b' },
      Subnets: { Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,subnet-2' },
      Version: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
      Stage: { Type: 'String', Default: 'beta' },
      Loop: { Type: 'String', Default: { 'Fn::Join': ['', [{ Ref: 'Loop' }, { Ref: 'Loop' }, { Ref: 'Loop' }]] } },
    },
    Mappings: { Ttl: { beta: { Seconds: 300, Name: { Ref: 'Stage' } }, prod: { Seconds: 60 } } },
    Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
  };
  const ctx = contextOf(loaded(template, 'us-east-1'));

  test.each([
    ['Fn::Select of a list parameter (items trimmed)', { 'Fn::Select': [1, { Ref: 'Zones' }] }, 'us-east-1b'],
    ['Fn::Select with the index as text', { 'Fn::Select': ['0', { Ref: 'Subnets' }] }, 'subnet-1'],
    ['Fn::Select of a literal list', { 'Fn::Select': [2, ['a', 'b', { Ref: 'Stage' }]] }, 'beta'],
    ['Fn::Split', { 'Fn::Split': ['.', { 'Fn::Sub': 'app.${Stage}.example.com' }] }, ['app', 'beta', 'example', 'com']],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
    ['Fn::Join of a list parameter', { 'Fn::Join': ['+', { Ref: 'Subnets' }] }, 'subnet-1+subnet-2'],
    ['Fn::FindInMap with a resolved key', { 'Fn::FindInMap': ['Ttl', { Ref: 'Stage' }, 'Seconds'] }, 300],
    ['Fn::FindInMap with a default value', { 'Fn::FindInMap': ['Ttl', 'gamma', 'Seconds', { DefaultValue: 30 }] }, 30],
    ['Fn::Base64', { 'Fn::Base64': { 'Fn::Sub': '${Stage}' } }, Buffer.from('beta').toString('base64')],
    ['AWS::Partition in us-east-1', { Ref: 'AWS::Partition' }, 'aws'],
  ])('%s', (_, value, expected) => {
    expect(resolve(value, ctx)).toEqual(expected);
  });

  test.each([
    ['AWS::Partition in China', 'cn-north-1', { 'Fn::Join': ['/', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::URLSuffix' }]] }, 'aws-cn/amazonaws.com.cn'],
    ['AWS::Partition in GovCloud', 'us-gov-west-1', { Ref: 'AWS::Partition' }, 'aws-us-gov'],
  ])('%s', (_, region, value, expected) => {
    expect(resolve(value, contextOf(loaded(template, region)))).toEqual(expected);
  });

  test.each([
    ['an SSM parameter (its default names it)', { Ref: 'Version' }, 'the parameter Version, read from the SSM parameter "/cdk-bootstrap/hnb659fds/version" at deploy time'],
    ['Fn::Select out of range', { 'Fn::Select': [2, { Ref: 'Zones' }] }, 'Fn::Select of item 2 of a list of 2'],
    ['Fn::Select of Fn::GetAZs', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }, 'Fn::Select of Fn::GetAZs: the Availability Zones an account sees are known only at deploy time'],
    ['Fn::Split of a resource attribute', { 'Fn::Split': [':', { 'Fn::GetAtt': ['Bucket', 'Arn'] }] }, 'Fn::Split of an attribute of Bucket, known only at deploy time'],
    ['Fn::FindInMap of a missing key', { 'Fn::FindInMap': ['Ttl', 'gamma', 'Seconds'] }, 'Fn::FindInMap of Ttl/gamma/Seconds, which the template\'s Mappings do not hold'],
    ['Fn::FindInMap of an SSM parameter', { 'Fn::FindInMap': ['Ttl', { Ref: 'Version' }, 'Seconds'] }, 'Fn::FindInMap of the parameter Version, read from the SSM parameter "/cdk-bootstrap/hnb659fds/version" at deploy time'],
    ['a default that is not a literal', { Ref: 'Loop' }, 'the parameter Loop, whose default is not a literal value'],
    ['a mapping value that is not a literal', { 'Fn::FindInMap': ['Ttl', 'beta', 'Name'] }, 'Fn::FindInMap of Ttl/beta/Name, which is not a literal value'],
    ['Fn::Cidr', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, 'Fn::Cidr is not resolved by the analysis'],
    ['a malformed Fn::Select', { 'Fn::Select': ['one', ['a']] }, 'a malformed Fn::Select'],
    ['a malformed Fn::If', { 'Fn::If': 'Nope' }, 'Fn::If on a malformed condition name'],
  ])('%s stays unresolved, with the reason', (_, value, reason) => {
    expect(reasonOf(resolve(value, ctx))).toEqual(reason);
  });
});

describe('Fn::ImportValue across the stacks read', () => {
  const exports = new Map<string, ExportedValue[]>();
  const east = loaded({
    Parameters: { Prefix: { Type: 'String', Default: 'app' }, Secret: { Type: 'String' } },
    Resources: { Check: { Type: 'AWS::Route53::HealthCheck' } },
  }, 'us-east-1', 'East', exports);
  const west = loaded({ Resources: { Check: { Type: 'AWS::Route53::HealthCheck' } } }, 'us-west-2', 'West', exports);
  const relay = loaded({ Resources: {} }, 'us-east-1', 'Relay', exports);
  const importer = loaded({ Resources: { Record: { Type: 'AWS::Route53::RecordSet' } } }, 'us-east-1', 'Importer', exports);
  exports.set('check-id', [{ stack: east, value: { Ref: 'Check' } }, { stack: west, value: { Ref: 'Check' } }]);
  exports.set('check-arn', [{ stack: east, value: { 'Fn::GetAtt': ['Check', 'Arn'] } }]);
  exports.set('name', [{ stack: east, value: { 'Fn::Sub': '${Prefix}.example.com' } }]);
  exports.set('secret', [{ stack: east, value: { Ref: 'Secret' } }]);
  exports.set('relayed', [{ stack: relay, value: { 'Fn::ImportValue': 'check-id' } }]);
  exports.set('both', [{ stack: east, value: 'e' }, { stack: relay, value: 'r' }]);
  exports.set('ping', [{ stack: relay, value: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'pong' }, { 'Fn::ImportValue': 'pong' }]] } }]);
  exports.set('pong', [{ stack: east, value: { 'Fn::ImportValue': 'ping' } }]);

  test('a reference to a resource of the exporting stack names that stack', () => {
    const ctx = contextOf(importer);

    const id = resolve({ 'Fn::ImportValue': 'check-id' }, ctx);
    const arn = resolve({ 'Fn::ImportValue': { 'Fn::Join': ['-', ['check', 'arn']] } }, ctx);

    // Only the stack in the importer's region exports it there.
    expect(id).toEqual(new ResourceRef('Check', undefined, east));
    expect(arn).toEqual(new ResourceRef('Check', 'Arn', east));
    // Not a resource of the importing template, which has no `Check`...
    expect(refTarget(id)).toBeUndefined();
    // ...but one the analysers can follow.
    expect(refResource(id, importer)).toEqual({ logicalId: 'Check', stack: east, resource: east.template.Resources!.Check });
    expect(resolve({ 'Fn::ImportValue': 'relayed' }, ctx)).toEqual(new ResourceRef('Check', undefined, east));
    // Printed with the stack's name only.
    expect(JSON.stringify(id)).toEqual('{"logicalId":"Check","stack":"East"}');
  });

  test('a value the exporting stack decides is resolved there', () => {
    expect(resolve({ 'Fn::Sub': ['https://${Host}/', { Host: { 'Fn::ImportValue': 'name' } }] }, contextOf(importer))).toEqual('https://app.example.com/');
  });

  test.each([
    ['an export nobody writes', { 'Fn::ImportValue': 'nope' }, 'Fn::ImportValue of nope, which no stack read with this one exports'],
    ['an export two stacks of the region write', { 'Fn::ImportValue': 'both' }, 'Fn::ImportValue of both, which several stacks read export (East, Relay)'],
    ['exports that import each other', { 'Fn::ImportValue': 'ping' },
      'Fn::ImportValue of ping, exported by Relay as Fn::Join of Fn::ImportValue of pong, exported by East as Fn::ImportValue of ping, exported by Relay as an import that leads back to ping'],
    ['an export the exporter does not decide', { 'Fn::ImportValue': 'secret' }, 'Fn::ImportValue of secret, exported by East as the parameter Secret, which has no default'],
    ['a resource attribute in a text', { 'Fn::Join': [':', ['arn', { 'Fn::ImportValue': 'check-arn' }]] }, 'Fn::Join of an attribute of Check (stack East), known only at deploy time'],
    ['a name the importer does not decide', { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-check' } },
      'Fn::ImportValue of Fn::Sub of AWS::StackName of a stack whose name is not known (a template file)'],
    ['a pseudo parameter no template decides', { 'Fn::ImportValue': { Ref: 'AWS::NotificationARNs' } }, 'Fn::ImportValue of the pseudo parameter AWS::NotificationARNs'],
  ])('%s stays unresolved, with the reason', (_, value, reason) => {
    expect(reasonOf(resolve(value, contextOf(importer)))).toEqual(reason);
  });

  test('a context written by hand, without exports, resolves nothing imported', () => {
    const ctx: ResolveContext = { template: { Resources: {} } };

    expect(reasonOf(resolve({ 'Fn::ImportValue': 'check-id' }, ctx))).toEqual('Fn::ImportValue of check-id, which no stack read with this one exports');
  });
});

describe('any value, any template', () => {
  const name = fc.constantFrom('A', 'B', 'C', 'P', 'AWS::Region', 'AWS::NoValue');
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.anything({ maxDepth: 1, maxKeys: 2 }), tie('intrinsic'), fc.array(tie('value'), { maxLength: 3 })),
    intrinsic: fc.oneof(
      fc.record({ Ref: fc.oneof(name, fc.anything({ maxDepth: 1, maxKeys: 2 })) }),
      fc.record({ Condition: name }),
      fc.constantFrom('Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::If', 'Fn::Select', 'Fn::Split', 'Fn::FindInMap', 'Fn::ImportValue', 'Fn::Base64',
        'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::GetAZs').chain((fn) => fc.oneof(tie('value'), fc.array(fc.oneof(name, tie('value')), { maxLength: 4 }))
        .map((arg) => ({ [fn]: arg }))),
    ),
  }));
  const few = { maxKeys: 3 };
  const template = fc.record({
    Parameters: fc.dictionary(name, fc.record({ Type: fc.constantFrom('String', 'CommaDelimitedList', 'AWS::SSM::Parameter::Value<String>'), Default: value }), few),
    Conditions: fc.dictionary(name, value, few),
    Mappings: fc.dictionary(name, fc.dictionary(name, fc.dictionary(name, value, few), few), few),
    Resources: fc.dictionary(name, fc.record({ Type: fc.constant('AWS::S3::Bucket'), Condition: name }, { requiredKeys: ['Type'] }), few),
  }, { requiredKeys: [] });

  test('resolve and conditionHolds never throw: what they cannot decide is Unresolved', () => {
    fc.assert(fc.property(template, template, value, fc.constantFrom(undefined, 'us-east-1'), (mine, theirs, v, region) => {
      const exports = new Map<string, ExportedValue[]>();
      const t = loaded(mine as CfnTemplate, region, 'Mine', exports);
      const other = loaded(theirs as CfnTemplate, region, 'Theirs', exports);
      exports.set('A', [{ stack: other, value: v }, { stack: t, value: { 'Fn::ImportValue': 'B' } }]);
      exports.set('B', [{ stack: other, value: { 'Fn::ImportValue': 'A' } }]);

      resolve(v, contextOf(t));
      for (const c of Object.keys(mine.Conditions ?? {})) {
        const holds = conditionHolds(c, contextOf(t));
        expect(typeof holds === 'boolean' || holds instanceof Unresolved).toBe(true);
      }
    }), { numRuns: 200, seed: 1515 });
  });
});

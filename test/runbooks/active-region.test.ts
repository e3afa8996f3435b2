import { App, Aspects, CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ActiveRegion, ActiveRegionProps } from '../../src';
import { testApp, testStack } from '../util';

const REGIONS = ['us-east-1', 'us-west-2'];
const NAME = '/cdk-failover/orders/active-region';

function activeRegion(stack: Stack, props: Partial<ActiveRegionProps> = {}): ActiveRegion {
  return new ActiveRegion(stack, 'ActiveRegion', { appName: 'orders', primaryRegion: 'us-east-1', regions: REGIONS, ...props });
}

function arn(region: string, name = NAME) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${region}:111111111111:parameter${name}`]] };
}

/** The two stacks of one region: the state, then the service that reads it. */
function regionPair(app: App, region: string) {
  const state = testStack(app, `State-${region}`, region);
  const service = testStack(app, `Service-${region}`, region);
  return { state, service, active: activeRegion(state) };
}

function createCall(stack: Stack): any {
  const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::ActiveRegionParameter'));
  return JSON.parse(resource.Properties.Create);
}

describe('ActiveRegion', () => {
  describe('the parameter', () => {
    test('is written once, on create, with the primary region and no overwrite; update and delete make no call', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      // WHEN
      activeRegion(stack);

      // THEN
      const t = Template.fromStack(stack);
      t.resourceCountIs('Custom::ActiveRegionParameter', 1);
      t.resourceCountIs('AWS::SSM::Parameter', 0);
      const [resource] = Object.values(t.findResources('Custom::ActiveRegionParameter'));
      expect(resource.Properties.Update).toBeUndefined();
      expect(resource.Properties.Delete).toBeUndefined();
      expect(createCall(stack)).toEqual({
        service: 'SSM',
        action: 'PutParameter',
        parameters: expect.objectContaining({ Name: NAME, Value: 'us-east-1', Type: 'String', Overwrite: false }),
        physicalResourceId: { id: NAME },
        ignoreErrorCodesMatching: 'ParameterAlreadyExists',
      });
    });

    test('each region creates its own copy under the same name, with no export or cross-region reference', () => {
      // GIVEN
      const app = testApp();

      // WHEN
      const east = regionPair(app, 'us-east-1');
      const west = regionPair(app, 'us-west-2');

      // THEN
      expect(createCall(east.state).parameters).toEqual(createCall(west.state).parameters);
      for (const stack of [east.state, west.state]) {
        expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toMatch(/Fn::ImportValue|ExportsReader|Export/);
      }
      expect(east.active.parameterArn).not.toEqual(west.active.parameterArn);
    });

    test('a changed primaryRegion changes only the create call, never an update: a redeploy cannot reset the value', () => {
      // GIVEN
      const first = testStack(testApp(), 'Stack', 'us-west-2');
      const second = testStack(testApp(), 'Stack', 'us-west-2');

      // WHEN
      activeRegion(first);
      activeRegion(second, { primaryRegion: 'us-west-2' });

      // THEN
      const logicalIds = (s: Stack) => Object.keys(Template.fromStack(s).findResources('Custom::ActiveRegionParameter'));
      expect(logicalIds(first)).toEqual(logicalIds(second));
      expect(createCall(second).physicalResourceId).toEqual(createCall(first).physicalResourceId);
      expect(createCall(second).parameters.Value).toBe('us-west-2');
      const [resource] = Object.values(Template.fromStack(second).findResources('Custom::ActiveRegionParameter'));
      expect(resource.Properties.Update).toBeUndefined();
    });

    test('the custom resource may put only this region\'s copy', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      // WHEN
      activeRegion(stack);

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: 'ssm:PutParameter', Effect: 'Allow', Resource: arn('us-west-2') }] },
      });
    });

    test('cdk-nag reports nothing open on the state stack: aws-cdk-lib\'s handler findings are acknowledged with a reason', () => {
      // GIVEN
      const app = testApp();
      const { state } = regionPair(app, 'us-east-1');
      Aspects.of(app).add(new AwsSolutionsChecks());

      // WHEN
      app.synth();

      // THEN
      const open = state.node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && /AwsSolutions-/.test(String(m.data)))
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
      expect(state.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287')).toBeDefined();
    });

    test('warns in an environment-agnostic stack, whose region cannot be checked against the regions', () => {
      // GIVEN
      const stack = new Stack(testApp(), 'Agnostic');

      // WHEN
      activeRegion(stack);

      // THEN
      Annotations.fromStack(stack).hasWarning('/Agnostic/ActiveRegion', Match.stringLikeRegexp(
        'this stack has no literal region, so it cannot be checked against `regions` \\["us-east-1","us-west-2"\\].*cdk-failover:active-region-agnostic-stack'));
      Template.fromStack(stack).resourceCountIs('Custom::ActiveRegionParameter', 1);
    });

    test('takes a custom name', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      // WHEN
      const active = activeRegion(stack, { parameterName: '/team/orders/active' });

      // THEN
      expect(active.parameterName).toBe('/team/orders/active');
      expect(createCall(stack).parameters.Name).toBe('/team/orders/active');
      expect(Stack.of(stack).resolve(active.parameterArnIn('us-east-1'))).toEqual(arn('us-east-1', '/team/orders/active'));
    });
  });

  describe('grants', () => {
    test('grantUpdate allows put and get on the exact ARN of every region\'s copy', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const active = activeRegion(stack);
      const role = new iam.Role(stack, 'Runbook', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });

      // WHEN
      active.grantUpdate(role);

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Runbook') }],
        PolicyDocument: {
          Statement: [{
            Action: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:GetParameters'],
            Effect: 'Allow',
            Resource: [arn('us-east-1'), arn('us-west-2')],
          }],
        },
      });
    });

    test('grantRead allows only get', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const active = activeRegion(stack);
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

      // WHEN
      active.grantRead(role);

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }],
        PolicyDocument: { Statement: [{ Action: ['ssm:GetParameter', 'ssm:GetParameters'], Effect: 'Allow', Resource: [arn('us-east-1'), arn('us-west-2')] }] },
      });
    });
  });

  describe('reading it at deploy time', () => {
    test('capacityFor is an Fn::If on a condition over the SSM-typed parameter, and nothing is looked up at synth', () => {
      // GIVEN
      const app = testApp();
      const { service, active } = regionPair(app, 'us-west-2');

      // WHEN
      const desiredCount = active.capacityFor(service, 6, 1);
      new CfnResource(service, 'Service', { type: 'AWS::ECS::Service', properties: { DesiredCount: desiredCount } });

      // THEN
      const template = Template.fromStack(service).toJSON();
      const [parameterId] = Object.entries<any>(template.Parameters)
        .filter(([, p]) => p.Default === NAME).map(([id]) => id);
      expect(template.Parameters[parameterId]).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: NAME });
      const [conditionId] = Object.keys(template.Conditions);
      expect(template.Conditions[conditionId]).toEqual({ 'Fn::Equals': [{ Ref: parameterId }, 'us-west-2'] });
      expect(template.Resources.Service.Properties.DesiredCount).toEqual({ 'Fn::If': [conditionId, 6, 1] });
      expect(app.synth().manifest.missing).toBeUndefined();
    });

    test('one condition per stack, however often it is asked', () => {
      // GIVEN
      const { service, active } = regionPair(testApp(), 'us-east-1');

      // WHEN
      const a = active.isActiveCondition(service);
      active.capacityFor(service, 4, 0);
      active.capacityFor(service, 2, 1);

      // THEN
      expect(active.isActiveCondition(service)).toBe(a);
      expect(Object.keys(Template.fromStack(service).toJSON().Conditions)).toHaveLength(1);
    });

    test('activeRegionValue is the SSM-typed parameter, and the reading stack deploys after the state stack', () => {
      // GIVEN
      const { state, service, active } = regionPair(testApp(), 'us-east-1');

      // WHEN
      const value = active.activeRegionValue(service);

      // THEN
      const ref = service.resolve(value).Ref;
      expect(service.resolve(value)).toEqual({ Ref: ref });
      expect(Template.fromStack(service).toJSON().Parameters[ref]).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: NAME });
      expect(service.dependencies).toContain(state);
    });

    test('an environment-agnostic reader compares with its own AWS::Region', () => {
      // GIVEN
      const app = testApp();
      const state = testStack(app, 'State', 'us-east-1');
      const active = activeRegion(state);
      const reader = new Stack(app, 'Agnostic');

      // WHEN
      active.isActiveCondition(reader);

      // THEN
      const [condition] = Object.values<any>(Template.fromStack(reader).toJSON().Conditions);
      expect(condition['Fn::Equals'][1]).toEqual({ Ref: 'AWS::Region' });
    });

    test('takes deploy-time capacities as they are', () => {
      // GIVEN
      const { service, active } = regionPair(testApp(), 'us-east-1');

      // WHEN
      const n = active.capacityFor(service, Lazy.number({ produce: () => 8 }), 2);

      // THEN
      expect(service.resolve(n)).toEqual({ 'Fn::If': [service.resolve(active.isActiveCondition(service).logicalId), 8, 2] });
    });

    test('fails to read in the stack that creates the parameter', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-east-1');
      const active = activeRegion(stack);

      // THEN
      expect(() => active.capacityFor(stack, 2, 1)).toThrow(
        'Stack/ActiveRegion: Stack reads the active region in the stack that creates its parameter, but CloudFormation reads it before creating any resource',
      );
    });

    test('fails to read another region\'s copy', () => {
      // GIVEN
      const app = testApp();
      const { active } = regionPair(app, 'us-east-1');
      const west = testStack(app, 'West', 'us-west-2');

      // THEN
      expect(() => active.activeRegionValue(west)).toThrow(
        'State-us-east-1/ActiveRegion: West is in us-west-2, but this copy of the parameter is in us-east-1: each region reads its own copy.',
      );
    });

    test.each([
      [-1, 0, '`activeCapacity` must be a whole number of 0 or more, got: -1.'],
      [2, 1.5, '`standbyCapacity` must be a whole number of 0 or more, got: 1.5.'],
      [1, 3, '`standbyCapacity` (3) must not exceed `activeCapacity` (1)'],
    ])('fails capacityFor(%p, %p)', (activeCapacity, standbyCapacity, message) => {
      // GIVEN
      const { service, active } = regionPair(testApp(), 'us-east-1');

      // THEN
      expect(() => active.capacityFor(service, activeCapacity, standbyCapacity)).toThrow(message);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<ActiveRegionProps>, string]>([
      ['an app name with a slash', { appName: 'a/b' }, '`appName` must be letters, digits, `_`, `.` or `-` (it is one level of the parameter name), got: "a/b".'],
      ['an app name that is a Token', { appName: Lazy.string({ produce: () => 'x' }) }, '`appName` is a deploy-time Token'],
      ['a name without a leading slash', { parameterName: 'orders/active' }, '`parameterName` must start with `/`'],
      ['a name with a space', { parameterName: '/orders/active region' }, '`parameterName` may hold only letters, digits, `_`, `.`, `-` and `/`, got: "/orders/active region".'],
      ['a name with an empty level', { parameterName: '/orders//active' }, '`parameterName` must not have an empty level'],
      ['a name with a trailing slash', { parameterName: '/orders/active/' }, '`parameterName` must not have an empty level'],
      ['a name under aws', { parameterName: '/aws/orders' }, '`parameterName` must not begin with `aws` or `ssm`'],
      ['a name under SSM', { parameterName: '/SSMthings/orders' }, '`parameterName` must not begin with `aws` or `ssm`'],
      ['a name 16 levels deep', { parameterName: '/a'.repeat(16) }, '`parameterName` must be at most 15 levels deep, got 16'],
      ['a name of 1012 characters', { parameterName: `/${'a'.repeat(1011)}` }, '`parameterName` must be at most 1011 characters, got 1012'],
      ['an app name making a long default name', { appName: 'a'.repeat(1000) }, 'the parameter name made from `appName` must be at most 1011 characters, got 1028'],
      ['a name that is a Token', { parameterName: Lazy.string({ produce: () => '/x' }) }, '`parameterName` is a deploy-time Token'],
      ['one region', { regions: ['us-east-1'] }, '`regions` must name at least 2 regions'],
      ['a region twice', { regions: ['us-east-1', 'us-east-1', 'us-west-2'] }, '`regions` names us-east-1 twice.'],
      ['a bad region', { regions: ['us-east-1', 'us-west-2', 'uswest2'] }, '`regions` must hold AWS region names, got: "uswest2".'],
      ['a region that is a Token', { regions: ['us-east-1', 'us-west-2', Lazy.string({ produce: () => 'eu-west-1' })] }, '`regions` has a deploy-time Token'],
      ['a primary outside the regions', { primaryRegion: 'eu-west-1' }, '`primaryRegion` must be one of `regions` ["us-east-1", "us-west-2"], got: "eu-west-1".'],
      ['a primary that is a Token', { primaryRegion: Lazy.string({ produce: () => 'us-east-1' }) }, '`primaryRegion` is a deploy-time Token'],
      ['a stack outside the regions', { regions: ['us-east-1', 'eu-west-1'] }, 'this stack is in us-west-2, which is not one of `regions`'],
    ])('fails with %s', (_, props, message) => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      // THEN
      expect(() => activeRegion(stack, props)).toThrow(message);
    });

    test('fails once, listing every problem, before creating anything', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      // WHEN
      const create = () => activeRegion(stack, { appName: 'a b', primaryRegion: 'mars-1', regions: ['us-west-2'] });

      // THEN
      expect(create).toThrow(/^Stack\/ActiveRegion: 3 problems:/);
      expect(stack.node.tryFindChild('ActiveRegion')?.node.children ?? []).toHaveLength(0);
    });
  });
});

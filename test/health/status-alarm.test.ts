import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CalculatedHealthCheck, EndpointHealthCheck } from '../../src';
import { ROUTE53_METRICS_REGION, StatusAlarm } from '../../src/health/status-alarm';

function testStack(region?: string, stackName?: string): Stack {
  const app = new App();
  return new Stack(app, 'Stack', { stackName, env: region ? { account: '111111111111', region } : undefined });
}

function environmentAgnosticStack(): Stack {
  return new Stack(new App(), 'Stack');
}

/**
 * An AwsCustomResource call as the object it was serialized from. Tokens inside the JSON
 * string (a Fn::Join) become `<Ref:LogicalId>` placeholders.
 */
function parseCall(value: unknown): any {
  if (typeof value === 'string') {
    return JSON.parse(value);
  }
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  if (!join || join[0] !== '') {
    throw new Error(`not a serialized call: ${JSON.stringify(value)}`);
  }
  const text = join[1].map((part) => (typeof part === 'string' ? part : `<Ref:${(part as { Ref?: string }).Ref}>`)).join('');
  return JSON.parse(text);
}

function onlyResource(template: Template, type: string): { logicalId: string; properties: any } {
  const resources = template.findResources(type);
  const ids = Object.keys(resources);
  expect(ids).toHaveLength(1);
  return { logicalId: ids[0], properties: resources[ids[0]].Properties };
}

/** Every Resource of every statement of every IAM policy in the template. */
function policyResources(template: Template): unknown[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Resource].flat()));
}

const DOMAIN = 'us-east-1.app.example.com';

describe('status alarm', () => {
  test('is published in us-east-1', () => {
    expect(ROUTE53_METRICS_REGION).toEqual('us-east-1');
  });

  describe('in a us-east-1 stack', () => {
    test('a plain CloudWatch alarm on HealthCheckStatus, Minimum over 60 s below 1 in 2 of 3 minutes, missing data breaching', () => {
      // GIVEN
      const stack = testStack('us-east-1');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      const healthCheck = onlyResource(template, 'AWS::Route53::HealthCheck');
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      template.resourceCountIs('Custom::HealthCheckStatusAlarm', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Route53',
        MetricName: 'HealthCheckStatus',
        Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: healthCheck.logicalId } }],
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmDescription: Match.stringLikeRegexp('^Route 53 health check HTTPS us-east-1\\.app\\.example\\.com:443/ \\(10 s x 2\\) at Stack/Check\\. '),
        AlarmActions: Match.absent(),
        OKActions: Match.absent(),
      });
      const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm');
      expect(stack.resolve(check.statusAlarmName)).toEqual({ Ref: alarm.logicalId });
      expect(stack.resolve(check.statusAlarmArn)).toEqual({ 'Fn::GetAtt': [alarm.logicalId, 'Arn'] });
    });

    test('with a topic: alarm and OK actions', () => {
      // GIVEN
      const stack = testStack('us-east-1');
      const topic = new sns.Topic(stack, 'Topic');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      const template = Template.fromStack(stack);
      const topicId = onlyResource(template, 'AWS::SNS::Topic').logicalId;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
      });
    });

    test('with an imported us-east-1 topic', () => {
      // GIVEN
      const stack = testStack('us-east-1');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmActions: ['arn:aws:sns:us-east-1:111111111111:alerts'],
        OKActions: ['arn:aws:sns:us-east-1:111111111111:alerts'],
      });
    });

    test('statusAlarm: false creates no alarm', () => {
      // GIVEN
      const stack = testStack('us-east-1');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, statusAlarm: false });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('Custom::HealthCheckStatusAlarm', 0);
      expect(check.statusAlarmName).toBeUndefined();
      expect(check.statusAlarmArn).toBeUndefined();
    });

    test('StatusAlarm on its own, with a literal health check ID', () => {
      // GIVEN
      const stack = testStack('us-east-1');

      // WHEN
      new StatusAlarm(stack, 'Alarm', { healthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789', description: 'Check X.' });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: [{ Name: 'HealthCheckId', Value: 'abcdef01-2345-6789-abcd-ef0123456789' }],
        AlarmDescription: 'Check X. In alarm when Route 53 reports the endpoint unhealthy, or publishes no status, for 2 of 3 minutes.',
      });
    });
  });

  describe('in a us-west-2 stack', () => {
    test('a custom resource that puts and deletes the alarm in us-east-1', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      const healthCheck = onlyResource(template, 'AWS::Route53::HealthCheck');
      const alarm = onlyResource(template, 'Custom::HealthCheckStatusAlarm');
      const alarmName = check.statusAlarmName!;
      expect(alarmName).toMatch(/^Stack-/);
      expect(alarm.properties.InstallLatestAwsSdk).toBe(false);

      const put = {
        service: 'CloudWatch',
        action: 'putMetricAlarm',
        region: 'us-east-1',
        parameters: {
          AlarmName: alarmName,
          AlarmDescription: expect.stringMatching(/^Route 53 health check HTTPS us-east-1\.app\.example\.com:443\/ \(10 s x 2\) at Stack\/Check\. /),
          Namespace: 'AWS/Route53',
          MetricName: 'HealthCheckStatus',
          Dimensions: [{ Name: 'HealthCheckId', Value: `<Ref:${healthCheck.logicalId}>` }],
          Statistic: 'Minimum',
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
          AlarmActions: [],
          OKActions: [],
        },
        physicalResourceId: { id: alarmName },
      };
      expect(parseCall(alarm.properties.Create)).toEqual(put);
      expect(parseCall(alarm.properties.Update)).toEqual(put);
      expect(parseCall(alarm.properties.Delete)).toEqual({
        service: 'CloudWatch',
        action: 'deleteAlarms',
        region: 'us-east-1',
        parameters: { AlarmNames: [alarmName] },
      });
    });

    test('the delete call matches as serialized JSON', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      Template.fromStack(stack).hasResourceProperties('Custom::HealthCheckStatusAlarm', {
        Delete: Match.serializedJson({
          service: 'CloudWatch',
          action: 'deleteAlarms',
          region: 'us-east-1',
          parameters: { AlarmNames: [check.statusAlarmName] },
        }),
      });
    });

    test('the role may put and delete exactly this alarm, no wildcard', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      const arn = {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:us-east-1:111111111111:alarm:${check.statusAlarmName}`]],
      };
      expect(stack.resolve(check.statusAlarmArn)).toEqual(arn);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'], Resource: arn }],
        },
      });
      expect(policyResources(template)).toEqual([arn]);
      expect(JSON.stringify(policyResources(template))).not.toContain('*');
    });

    test('with a us-east-1 topic: its ARN in AlarmActions and OKActions', () => {
      // GIVEN
      const stack = testStack('us-west-2');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      const alarm = onlyResource(Template.fromStack(stack), 'Custom::HealthCheckStatusAlarm');
      const put = parseCall(alarm.properties.Create);
      expect(put.parameters.AlarmActions).toEqual(['arn:aws:sns:us-east-1:111111111111:alerts']);
      expect(put.parameters.OKActions).toEqual(['arn:aws:sns:us-east-1:111111111111:alerts']);
      expect(parseCall(alarm.properties.Update).parameters.AlarmActions).toEqual(['arn:aws:sns:us-east-1:111111111111:alerts']);
    });

    test('two checks get two alarms with distinct names, each with its own scoped policy', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const a = new EndpointHealthCheck(stack, 'A', { domainName: DOMAIN });
      const b = new EndpointHealthCheck(stack, 'B', { domainName: 'us-west-2.app.example.com' });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::HealthCheckStatusAlarm', 2);
      template.resourceCountIs('AWS::Lambda::Function', 1);
      expect(a.statusAlarmName).not.toEqual(b.statusAlarmName);
      expect(policyResources(template)).toEqual(expect.arrayContaining([stack.resolve(a.statusAlarmArn), stack.resolve(b.statusAlarmArn)]));
      expect(policyResources(template)).toHaveLength(2);
    });

    test('a long stack name still gives an alarm name of at most 255 characters', () => {
      // GIVEN
      const stack = testStack('us-west-2', 'S'.repeat(128));

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      expect(check.statusAlarmName!.length).toBeLessThanOrEqual(255);
      expect(check.statusAlarmName).toMatch(/^S{128}-/);
    });

    test('statusAlarm: false creates no custom resource', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, statusAlarm: false });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::HealthCheckStatusAlarm', 0);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
      expect(check.statusAlarmName).toBeUndefined();
      expect(check.statusAlarmArn).toBeUndefined();
    });
  });

  describe('in other partitions: the Route 53 home region of the partition', () => {
    test.each([
      ['aws', 'eu-west-1', 'us-east-1'],
      ['aws-cn', 'cn-north-1', 'cn-northwest-1'],
      ['aws-us-gov', 'us-gov-east-1', 'us-gov-west-1'],
    ])('%s: a stack in %s puts the alarm in %s', (_, region, home) => {
      // GIVEN
      const stack = testStack(region);

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: 'primary.app.example.com' });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      const alarm = onlyResource(template, 'Custom::HealthCheckStatusAlarm');
      expect(parseCall(alarm.properties.Create)).toMatchObject({ region: home, parameters: { AlarmName: check.statusAlarmName } });
      expect(parseCall(alarm.properties.Delete)).toMatchObject({ region: home });
      const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${home}:111111111111:alarm:${check.statusAlarmName}`]] };
      expect(stack.resolve(check.statusAlarmArn)).toEqual(arn);
      expect(policyResources(template)).toEqual([arn]);
      // No trace of another partition's home region.
      expect(JSON.stringify(template.toJSON())).not.toContain(region === 'eu-west-1' ? 'cn-northwest-1' : 'us-east-1');
    });

    test.each([
      ['aws-cn', 'cn-northwest-1'],
      ['aws-us-gov', 'us-gov-west-1'],
    ])('%s: a stack in %s, the home region, gets a plain alarm there', (_, region) => {
      // GIVEN
      const stack = testStack(region);

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      template.resourceCountIs('Custom::HealthCheckStatusAlarm', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
    });

    test('aws-cn: a topic imported from cn-northwest-1 is accepted', () => {
      // GIVEN
      const stack = testStack('cn-north-1');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws-cn:sns:cn-northwest-1:111111111111:alerts');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      const alarm = onlyResource(Template.fromStack(stack), 'Custom::HealthCheckStatusAlarm');
      expect(parseCall(alarm.properties.Create).parameters.AlarmActions).toEqual(['arn:aws-cn:sns:cn-northwest-1:111111111111:alerts']);
    });

    test('fails in aws-cn with a topic in us-east-1, naming the home region', () => {
      const stack = testStack('cn-north-1');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts');
      expect(() => new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic }))
        .toThrow(/`alarmTopic` must be in cn-northwest-1, where the status alarm lives, got a topic in us-east-1/);
    });

    test.each([
      ['us-iso-east-1', 'aws-iso'],
      ['eu-isoe-west-1', 'aws-iso-e'],
    ])('fails in %s: the %s partition\'s home region is not known', (region, partition) => {
      const stack = testStack(region);
      expect(() => new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN }))
        .toThrow(new RegExp(`^Stack/Check: \`statusAlarm\` needs the region where Route 53 publishes health-check metrics, which is not known for the ${partition} partition `
          + `\\(stack region ${region}; known: aws, aws-cn, aws-us-gov\\)\\. Set \`statusAlarm: false\``));
      expect(() => new StatusAlarm(testStack(region), 'Alarm', { healthCheckId: 'abc', description: 'X.' })).toThrow(/not known for the aws-iso/);
    });

    test('statusAlarm: false works in a partition whose home region is not known', () => {
      const stack = testStack('us-iso-east-1');
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, statusAlarm: false });
      Template.fromStack(stack).resourceCountIs('AWS::Route53::HealthCheck', 1);
    });
  });

  test('the same stack deployed to two regions gets two alarm names in us-east-1', () => {
    const names = ['us-west-2', 'eu-west-1'].map((region) => {
      const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region } });
      return new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN }).statusAlarmName;
    });
    expect(names[0]).not.toEqual(names[1]);
    expect(names[0]).toContain('us-west-2');
  });

  test('both forms are the same alarm: the CloudWatch alarm in us-east-1 and the PutMetricAlarm call elsewhere', () => {
    // GIVEN
    const east = testStack('us-east-1');
    const west = testStack('us-west-2');
    const topicArn = 'arn:aws:sns:us-east-1:111111111111:alerts';

    // WHEN
    for (const stack of [east, west]) {
      new StatusAlarm(stack, 'Alarm', {
        healthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789',
        description: 'Check X.',
        topic: sns.Topic.fromTopicArn(stack, 'Topic', topicArn),
      });
    }

    // THEN: every property of the alarm resource is a parameter of the call, with the same value
    const { AlarmName, ...parameters } = parseCall(onlyResource(Template.fromStack(west), 'Custom::HealthCheckStatusAlarm').properties.Create).parameters;
    expect(AlarmName).toMatch(/^Stack-us-west-2-/);
    expect(onlyResource(Template.fromStack(east), 'AWS::CloudWatch::Alarm').properties).toEqual(parameters);
  });

  test('fails with a topic from a stack in another region, pointing at fromTopicArn', () => {
    const app = new App();
    const east = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
    const west = new Stack(app, 'West', { env: { account: '111111111111', region: 'us-west-2' } });
    const topic = new sns.Topic(east, 'Topic');
    expect(() => new EndpointHealthCheck(west, 'Check', { domainName: DOMAIN, alarmTopic: topic }))
      .toThrow(/`alarmTopic` is East\/Topic in us-east-1, but this stack is in us-west-2: .* sns\.Topic\.fromTopicArn\(\)/);
  });

  describe('in an environment-agnostic stack', () => {
    test('a custom resource targeting us-east-1, scoped to the alarm ARN in the deploying account', () => {
      // GIVEN
      const stack = environmentAgnosticStack();

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      const alarm = onlyResource(template, 'Custom::HealthCheckStatusAlarm');
      expect(parseCall(alarm.properties.Create)).toMatchObject({ action: 'putMetricAlarm', region: 'us-east-1' });
      expect(parseCall(alarm.properties.Update)).toMatchObject({ action: 'putMetricAlarm', region: 'us-east-1' });
      expect(parseCall(alarm.properties.Delete)).toMatchObject({ action: 'deleteAlarms', region: 'us-east-1' });
      // The name carries the deploying region, so the same stack in two regions gets two alarms.
      const arn = {
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:', { Ref: 'AWS::AccountId' }, ':alarm:Stack-',
          { Ref: 'AWS::Region' }, '-Stack-Check-StatusAlarm-6F3E05B2',
        ]],
      };
      expect(stack.resolve(check.statusAlarmArn)).toEqual(arn);
      expect(policyResources(template)).toEqual([arn]);
    });

    test('an environment-agnostic topic is not judged', () => {
      // GIVEN
      const stack = environmentAgnosticStack();
      const topic = new sns.Topic(stack, 'Topic');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      const template = Template.fromStack(stack);
      const topicId = onlyResource(template, 'AWS::SNS::Topic').logicalId;
      const put = parseCall(onlyResource(template, 'Custom::HealthCheckStatusAlarm').properties.Create);
      expect(put.parameters.AlarmActions).toEqual([`<Ref:${topicId}>`]);
    });
  });

  describe('of a calculated check', () => {
    test('in us-east-1: a plain alarm on the calculated check', () => {
      // GIVEN
      const stack = testStack('us-east-1');
      const a = new EndpointHealthCheck(stack, 'A', { domainName: 'a.example.com', statusAlarm: false });
      const b = new EndpointHealthCheck(stack, 'B', { domainName: 'b.example.com', statusAlarm: false });

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: [a, b] });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'HealthCheckStatus',
        Dimensions: [{ Name: 'HealthCheckId', Value: stack.resolve(calc.healthCheckId) }],
        AlarmDescription: Match.stringLikeRegexp('^Route 53 calculated health check \\(2 of 2 children healthy\\) at Stack/Calc\\. '),
      });
      const alarm = onlyResource(template, 'AWS::CloudWatch::Alarm');
      expect(stack.resolve(calc.statusAlarmName)).toEqual({ Ref: alarm.logicalId });
      expect(stack.resolve(calc.statusAlarmArn)).toEqual({ 'Fn::GetAtt': [alarm.logicalId, 'Arn'] });
    });

    test('in us-west-2: a custom resource in us-east-1', () => {
      // GIVEN
      const stack = testStack('us-west-2');
      const a = new EndpointHealthCheck(stack, 'A', { domainName: 'a.example.com', statusAlarm: false });

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: [a] });

      // THEN
      const template = Template.fromStack(stack);
      const put = parseCall(onlyResource(template, 'Custom::HealthCheckStatusAlarm').properties.Create);
      const calcId = stack.getLogicalId(calc.healthCheck.node.defaultChild as route53.CfnHealthCheck);
      expect(put).toMatchObject({
        region: 'us-east-1',
        parameters: { AlarmName: calc.statusAlarmName, Dimensions: [{ Name: 'HealthCheckId', Value: `<Ref:${calcId}>` }] },
      });
      expect(policyResources(template)).toEqual([stack.resolve(calc.statusAlarmArn)]);
    });

    test('statusAlarm: false creates no alarm', () => {
      // GIVEN
      const stack = testStack('us-east-1');
      const a = new EndpointHealthCheck(stack, 'A', { domainName: 'a.example.com', statusAlarm: false });

      // WHEN
      const calc = new CalculatedHealthCheck(stack, 'Calc', { children: [a], statusAlarm: false });

      // THEN
      Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
      expect(calc.statusAlarmName).toBeUndefined();
      expect(calc.statusAlarmArn).toBeUndefined();
    });
  });
});

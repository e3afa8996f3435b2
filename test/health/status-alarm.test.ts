import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CalculatedHealthCheck, EndpointHealthCheck } from '../../src';
import { ROUTE53_METRICS_REGION, StatusAlarm } from '../../src/health/status-alarm';
import { STATUS_ALARMS_HANDLER } from '../../src/health/status-alarm-provider';

function testStack(region?: string, stackName?: string): Stack {
  const app = new App();
  return new Stack(app, 'Stack', { stackName, env: region ? { account: '111111111111', region } : undefined });
}

function environmentAgnosticStack(): Stack {
  return new Stack(new App(), 'Stack');
}

/**
 * A JSON property as the object it was serialized from. Tokens inside the JSON string (a
 * Fn::Join) become `<Ref:LogicalId>` placeholders.
 */
function parseJson(value: unknown): any {
  if (typeof value === 'string') {
    return JSON.parse(value);
  }
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  if (!join || join[0] !== '') {
    throw new Error(`not serialized JSON: ${JSON.stringify(value)}`);
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

/** The PutMetricAlarm parameters of every alarm the stack's shared custom resource puts. */
function alarmsOf(template: Template): any[] {
  return parseJson(onlyResource(template, 'Custom::HealthCheckStatusAlarms').properties.Alarms);
}

/** Every Resource of every statement of every IAM policy, inline or not, in the template. */
function policyResources(template: Template): unknown[] {
  const documents = [
    ...Object.values(template.findResources('AWS::IAM::Policy')).map((p: any) => p.Properties.PolicyDocument),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r: any) => (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)),
  ];
  return documents.flatMap((d: any) => d.Statement.flatMap((s: any) => [s.Resource].flat()));
}

/** The ARN of an alarm of the test stack in `region`, as the template writes it. */
function alarmArn(region: string, name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${region}:111111111111:alarm:${name}`]] };
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
      template.resourceCountIs('Custom::HealthCheckStatusAlarms', 0);
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
      template.resourceCountIs('Custom::HealthCheckStatusAlarms', 0);
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
    test('the stack\'s shared custom resource puts the alarm in us-east-1', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      const healthCheck = onlyResource(template, 'AWS::Route53::HealthCheck');
      const alarmName = check.statusAlarmName!;
      expect(alarmName).toEqual('Stack-us-west-2-status-Stack-Check-StatusAlarm-6F3E05B2');
      expect(alarmsOf(template)).toEqual([{
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
      }]);
      const resource = onlyResource(template, 'Custom::HealthCheckStatusAlarms');
      expect(resource.properties.PhysicalId).toEqual('Stack-us-west-2-status-alarms');
      const fn = onlyResource(template, 'AWS::Lambda::Function');
      expect(resource.properties.ServiceToken).toEqual({ 'Fn::GetAtt': [fn.logicalId, 'Arn'] });
      expect(fn.properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Timeout: 600,
        Code: { ZipFile: STATUS_ALARMS_HANDLER },
        Environment: { Variables: { ALARM_REGION: 'us-east-1' } },
      });
    });

    test('the handler fits CloudFormation\'s inline code limit of 4,096 characters', () => {
      expect(STATUS_ALARMS_HANDLER.length).toBeLessThanOrEqual(4096);
    });

    test('the role may put and delete the alarms under the stack\'s prefix only, in an inline policy', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      expect(stack.resolve(check.statusAlarmArn)).toEqual(alarmArn('us-east-1', check.statusAlarmName!));
      template.resourceCountIs('AWS::IAM::Policy', 0);
      const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');
      template.hasResourceProperties('AWS::IAM::Role', {
        Policies: [{
          PolicyName: 'StatusAlarms',
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'], Resource: alarmArn('us-east-1', 'Stack-us-west-2-status-*') },
              { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup.logicalId, 'Arn'] } },
            ],
          },
        }],
      });
      expect(check.statusAlarmName!.startsWith('Stack-us-west-2-status-')).toBe(true);
    });

    test('with a us-east-1 topic: its ARN in AlarmActions and OKActions', () => {
      // GIVEN
      const stack = testStack('us-west-2');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:alerts');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      const [alarm] = alarmsOf(Template.fromStack(stack));
      expect(alarm.AlarmActions).toEqual(['arn:aws:sns:us-east-1:111111111111:alerts']);
      expect(alarm.OKActions).toEqual(['arn:aws:sns:us-east-1:111111111111:alerts']);
    });

    test('two checks share one custom resource, function, role and log group', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const a = new EndpointHealthCheck(stack, 'A', { domainName: DOMAIN });
      const b = new EndpointHealthCheck(stack, 'B', { domainName: 'us-west-2.app.example.com' });

      // THEN
      const template = Template.fromStack(stack);
      for (const type of ['Custom::HealthCheckStatusAlarms', 'AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::Logs::LogGroup']) {
        template.resourceCountIs(type, 1);
      }
      template.resourceCountIs('AWS::IAM::Policy', 0);
      expect(a.statusAlarmName).not.toEqual(b.statusAlarmName);
      expect(alarmsOf(template).map((alarm) => alarm.AlarmName)).toEqual([a.statusAlarmName, b.statusAlarmName]);
      expect(policyResources(template)).toHaveLength(2);
    });

    test('a long stack name still gives an alarm name of at most 255 characters', () => {
      // GIVEN
      const stack = testStack('us-west-2', 'S'.repeat(128));

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      expect(check.statusAlarmName!.length).toBeLessThanOrEqual(255);
      expect(check.statusAlarmName).toMatch(/^S{128}-us-west-2-status-/);
    });

    test('statusAlarm: false creates no custom resource', () => {
      // GIVEN
      const stack = testStack('us-west-2');

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, statusAlarm: false });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::HealthCheckStatusAlarms', 0);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::IAM::Role', 0);
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
      expect(alarmsOf(template).map((alarm) => alarm.AlarmName)).toEqual([check.statusAlarmName]);
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { ALARM_REGION: home } } });
      expect(stack.resolve(check.statusAlarmArn)).toEqual(alarmArn(home, `Stack-${region}-status-Stack-Check-StatusAlarm-6F3E05B2`));
      expect(policyResources(template)).toContainEqual(alarmArn(home, `Stack-${region}-status-*`));
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
      template.resourceCountIs('Custom::HealthCheckStatusAlarms', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
    });

    test('aws-cn: a topic imported from cn-northwest-1 is accepted', () => {
      // GIVEN
      const stack = testStack('cn-north-1');
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws-cn:sns:cn-northwest-1:111111111111:alerts');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      expect(alarmsOf(Template.fromStack(stack))[0].AlarmActions).toEqual(['arn:aws-cn:sns:cn-northwest-1:111111111111:alerts']);
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
    const [{ AlarmName, ...parameters }] = alarmsOf(Template.fromStack(west));
    expect(AlarmName).toMatch(/^Stack-us-west-2-status-/);
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
    test('the shared custom resource targets us-east-1, scoped to the prefix in the deploying account', () => {
      // GIVEN
      const stack = environmentAgnosticStack();

      // WHEN
      const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { ALARM_REGION: 'us-east-1' } } });
      // The name carries the deploying region, so the same stack in two regions gets two alarms.
      const arn = (name: string) => ({
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:', { Ref: 'AWS::AccountId' }, ':alarm:Stack-',
          { Ref: 'AWS::Region' }, `-status-${name}`,
        ]],
      });
      expect(stack.resolve(check.statusAlarmArn)).toEqual(arn('Stack-Check-StatusAlarm-6F3E05B2'));
      expect(policyResources(template)).toContainEqual(arn('*'));
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
      expect(alarmsOf(template)[0].AlarmActions).toEqual([`<Ref:${topicId}>`]);
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
      const calcId = stack.getLogicalId(calc.healthCheck.node.defaultChild as route53.CfnHealthCheck);
      expect(alarmsOf(template)).toEqual([expect.objectContaining({
        AlarmName: calc.statusAlarmName, Dimensions: [{ Name: 'HealthCheckId', Value: `<Ref:${calcId}>` }],
      })]);
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { ALARM_REGION: 'us-east-1' } } });
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

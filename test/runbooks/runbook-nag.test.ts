import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allSteps, EAST, failoverRunbook, runbookParts, WEST } from './runbook-fixture';
import { RoutingControls } from '../../src';
import { testApp, testStack } from '../util';

/** cdk-nag AwsSolutions findings left on the runbook's own constructs (the fixture's other parts aside). */
function runbookFindings(app: App): string[] {
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  return app.node.findAll()
    .filter((c) => /\/(Failover|CdkFailoverRunbookFunction[^/]*)(\/|$)/.test(c.node.path))
    .flatMap((c) => c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && String(m.data).startsWith('AwsSolutions-'))
      .map((m) => `${c.node.path}: ${/^AwsSolutions-[A-Z0-9]+(\[[^\]]*\])?/.exec(String(m.data))![0]}`));
}

/** A failover runbook whose routing controls are in another stack (Regions meet by name). */
function runbookWithRemoteControls(app: App): Stack {
  const arc = testStack(app, 'Arc', WEST);
  const controls = new RoutingControls(arc, 'Controls', { regions: [EAST, WEST], controlNamePrefix: 'app-' });
  const stack = testStack(app, 'Runbook', WEST);
  const parts = { ...runbookParts(stack), controls };
  failoverRunbook(stack, { steps: allSteps(parts) }, parts);
  return stack;
}

describe('the runbooks and cdk-nag AwsSolutions', () => {
  test('a runbook with every step kind leaves no finding on its state machine, its role or its function', () => {
    // GIVEN
    const app = testApp();
    failoverRunbook(testStack(app));

    // WHEN
    const findings = runbookFindings(app);

    // THEN
    expect(findings).toEqual([]);
  });

  test('with routing controls of another stack, the account-wide routing control grant is acknowledged, with its reason', () => {
    // GIVEN
    const app = testApp();
    const stack = runbookWithRemoteControls(app);

    // WHEN
    const findings = runbookFindings(app);

    // THEN
    expect(findings).toEqual([]);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const functionPolicy = Object.entries(policies).find(([id]) => id.startsWith('CdkFailoverRunbookFunctionRole'))![1];
    expect(JSON.stringify(functionPolicy.Properties.PolicyDocument)).toContain(':controlpanel/*/routingcontrol/*');
    const reasons = functionPolicy.Metadata.cdk_nag.rules_to_suppress.map((r: any) => [r.id, r.reason]);
    expect(reasons).toEqual([
      ['AwsSolutions-IAM5', expect.stringMatching(/PutMetricData has no resource-level permissions/)],
      ['AwsSolutions-IAM5', expect.stringMatching(/routing controls are in another stack/)],
    ]);
  });

  test('the function has a role of its own, with no AWS managed policy, that writes to its own log group only', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);

    // WHEN
    failoverRunbook(stack);

    // THEN
    const template = Template.fromStack(stack);
    const roles = template.findResources('AWS::IAM::Role');
    const [roleId, role] = Object.entries(roles).find(([id]) => id.startsWith('CdkFailoverRunbookFunctionRole'))!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('CdkFailoverRunbookFunctionLogs'))!;
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'Logs',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }] },
    }]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
  });

  test('the acknowledgements are granular: another wildcard on the state machine\'s role is still reported', () => {
    // GIVEN
    const app = testApp();
    const runbook = failoverRunbook(testStack(app));

    // WHEN
    runbook.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] }));

    // THEN
    expect(runbookFindings(app)).toEqual(['Stack/Failover/StateMachine/Role/DefaultPolicy/Resource: AwsSolutions-IAM5[Resource::arn:aws:s3:::reports/*]']);
  });
});

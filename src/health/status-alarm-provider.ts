import { Aws, CfnResource, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings } from '../private/nag';
import { stackSingleton } from '../private/singleton';

/**
 * The deploy-time handler, inline (CloudFormation `ZipFile`, at most 4,096 characters): it puts
 * every alarm of the stack with PutMetricAlarm and deletes, with DeleteAlarms, the alarms that
 * left the list (all of them when the stack or the last alarm goes). The alarms travel as one
 * JSON string, so numbers stay numbers. The physical ID never changes after Create: a new one
 * would make CloudFormation delete the old resource, and with it every alarm.
 * The Node.js runtime provides the AWS SDK for JavaScript v3 and `fetch`.
 */
export const STATUS_ALARMS_HANDLER = `'use strict';
const { CloudWatchClient, PutMetricAlarmCommand, DeleteAlarmsCommand } = require('@aws-sdk/client-cloudwatch');
const cloudwatch = new CloudWatchClient({ region: process.env.ALARM_REGION, maxAttempts: 10, retryMode: 'adaptive' });
const alarmsOf = (props) => (props && props.Alarms ? JSON.parse(props.Alarms) : []);
const notFound = (e) => e && (e.name === 'ResourceNotFound' || e.name === 'ResourceNotFoundException');
async function remove(names) {
  for (let i = 0; i < names.length; i += 100) {
    const batch = names.slice(i, i + 100);
    try {
      await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: batch }));
    } catch (e) {
      if (!notFound(e)) throw e;
      for (const name of batch) {
        try { await cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] })); } catch (e2) { if (!notFound(e2)) throw e2; }
      }
    }
  }
}
async function apply(event) {
  const wanted = event.RequestType === 'Delete' ? [] : alarmsOf(event.ResourceProperties);
  const before = event.RequestType === 'Update' ? alarmsOf(event.OldResourceProperties)
    : event.RequestType === 'Delete' ? alarmsOf(event.ResourceProperties) : [];
  for (const alarm of wanted) {
    await cloudwatch.send(new PutMetricAlarmCommand(alarm));
  }
  const kept = new Set(wanted.map((a) => a.AlarmName));
  await remove(before.map((a) => a.AlarmName).filter((name) => !kept.has(name)));
}
exports.handler = async (event) => {
  let status = 'SUCCESS';
  let reason = 'OK';
  try {
    await apply(event);
  } catch (e) {
    status = 'FAILED';
    reason = String((e && e.message) || e).slice(0, 500);
    console.error(e);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId || event.ResourceProperties.PhysicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
};
`;

/**
 * The status alarms of one stack that live in another region, behind one custom resource
 * (`Custom::HealthCheckStatusAlarms`), one function and one role whose inline policy covers the
 * stack's alarm-name prefix. A failover pair then costs its records, its health check and
 * nothing more; the four shared resources are paid once per stack.
 *
 * Children: `Logs` (the function's log group), `Role`, `Function`, `Resource` (the custom resource).
 */
export class StatusAlarmProvider extends Construct {
  /** The provider of the stack of `scope`, created by the first status alarm that needs it. */
  public static of(scope: IConstruct, homeRegion: string): StatusAlarmProvider {
    return stackSingleton(scope, 'CdkFailoverStatusAlarms', {}, (stack, id) => new StatusAlarmProvider(stack, id, homeRegion));
  }

  /**
   * Every alarm name starts with it: the stack name and region (the same app deployed to two
   * regions must not share alarms) and `status-`. `status-` sets the names apart from those of
   * the one-custom-resource-per-alarm versions: on update CloudFormation deletes those resources
   * after creating this one, and each deletes its own alarm by name.
   */
  public readonly alarmNamePrefix: string;
  private readonly homeRegion: string;
  private readonly alarms: Array<Record<string, unknown>> = [];

  private constructor(scope: Stack, id: string, homeRegion: string) {
    super(scope, id);
    this.homeRegion = homeRegion;
    this.alarmNamePrefix = `${scope.stackName}-${scope.region}-status-`;

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Puts and deletes the Route 53 status alarms of ${scope.stackName} in ${homeRegion}`,
      // Inline, so that the policy exists before the function runs and costs no resource of its own.
      inlinePolicies: {
        StatusAlarms: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
              // `*` after the stack's own prefix: the names are fixed at synth, but one
              // statement per alarm would outgrow the role's 10,240-character policy quota.
              resources: [this.alarmArn(`${this.alarmNamePrefix}*`)],
            }),
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    acknowledgeFindings(role.node.defaultChild, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The alarms are named <stack>-<region>-status-<construct>; the wildcard covers this stack\'s alarm names only.',
    }]);

    const fn = new lambda.Function(this, 'Function', {
      description: `Puts and deletes the Route 53 status alarms of ${scope.stackName} in ${homeRegion}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(STATUS_ALARMS_HANDLER),
      // PutMetricAlarm is throttled per account: the SDK's adaptive retries pace a large stack.
      timeout: Duration.minutes(10),
      role,
      logGroup,
      environment: { ALARM_REGION: homeRegion },
    });

    new CfnResource(this, 'Resource', {
      type: 'Custom::HealthCheckStatusAlarms',
      properties: {
        ServiceToken: fn.functionArn,
        PhysicalId: `${this.alarmNamePrefix}alarms`,
        Alarms: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.alarms) }),
      },
    });
  }

  /** The ARN of an alarm of this stack in the Route 53 home region. */
  public alarmArn(alarmName: string): string {
    return `arn:${Aws.PARTITION}:cloudwatch:${this.homeRegion}:${Stack.of(this).account}:alarm:${alarmName}`;
  }

  /** Adds the PutMetricAlarm parameters of one alarm. */
  public addAlarm(parameters: Record<string, unknown>): void {
    this.alarms.push(parameters);
  }
}

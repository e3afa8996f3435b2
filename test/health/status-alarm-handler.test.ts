import * as vm from 'vm';
import { STATUS_ALARMS_HANDLER } from '../../src/health/status-alarm-provider';

/** A CloudWatch error as the SDK throws it. */
function sdkError(name: string): Error {
  const e = new Error(`${name}: alarm missing`);
  e.name = name;
  return e;
}

/**
 * Loads the inline handler as Lambda would, with the CloudWatch client and `fetch` replaced:
 * calls are recorded as [command, input], responses as the parsed bodies PUT to the response URL.
 */
function loadHandler(fail: (command: string, input: any) => Error | undefined = () => undefined) {
  const calls: Array<[string, any]> = [];
  const responses: any[] = [];
  let clientConfig: unknown;
  const command = (name: string) => class {
    public readonly name = name;
    constructor(public readonly input: unknown) {}
  };
  const sdk = {
    CloudWatchClient: class {
      constructor(config: unknown) { clientConfig = config; }
      public async send(c: { name: string; input: any }) {
        calls.push([c.name, c.input]);
        const error = fail(c.name, c.input);
        if (error) {
          throw error;
        }
        return {};
      }
    },
    PutMetricAlarmCommand: command('PutMetricAlarm'),
    DeleteAlarmsCommand: command('DeleteAlarms'),
  };
  const module = { exports: {} as { handler?: (event: unknown) => Promise<void> } };
  const context = vm.createContext({
    module,
    exports: module.exports,
    require: (id: string) => {
      if (id !== '@aws-sdk/client-cloudwatch') {
        throw new Error(`unexpected require: ${id}`);
      }
      return sdk;
    },
    process: { env: { ALARM_REGION: 'cn-northwest-1' } },
    console: { error: () => undefined },
    fetch: async (url: string, init: { method: string; body: string }) => {
      responses.push({ url, method: init.method, ...JSON.parse(init.body) });
      return { ok: true };
    },
  });
  vm.runInContext(STATUS_ALARMS_HANDLER, context);
  return { handler: module.exports.handler!, calls, responses, clientConfig: () => clientConfig };
}

const alarm = (name: string) => ({ AlarmName: name, Namespace: 'AWS/Route53', MetricName: 'HealthCheckStatus', Period: 60, Threshold: 1 });
const props = (...names: string[]) => ({ ServiceToken: 'arn', PhysicalId: 'S-us-west-2-status-alarms', Alarms: JSON.stringify(names.map(alarm)) });
const event = (requestType: string, extra: Record<string, unknown>) => ({
  RequestType: requestType,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/x',
  StackId: 'stack-id',
  RequestId: 'request-id',
  LogicalResourceId: 'CdkFailoverStatusAlarms',
  ...extra,
});

describe('status alarms handler', () => {
  test('Create puts every alarm in the home region, numbers as numbers, and answers with the fixed physical ID', async () => {
    // GIVEN
    const { handler, calls, responses, clientConfig } = loadHandler();

    // WHEN
    await handler(event('Create', { ResourceProperties: props('a', 'b') }));

    // THEN
    expect(clientConfig()).toMatchObject({ region: 'cn-northwest-1' });
    expect(calls).toEqual([['PutMetricAlarm', alarm('a')], ['PutMetricAlarm', alarm('b')]]);
    expect(responses).toEqual([{
      url: 'https://cloudformation-custom-resource-response.example/x',
      method: 'PUT',
      Status: 'SUCCESS',
      Reason: 'OK',
      PhysicalResourceId: 'S-us-west-2-status-alarms',
      StackId: 'stack-id',
      RequestId: 'request-id',
      LogicalResourceId: 'CdkFailoverStatusAlarms',
    }]);
  });

  test('Update puts the new list, deletes only the alarms that left it, and keeps the physical ID', async () => {
    // GIVEN
    const { handler, calls, responses } = loadHandler();

    // WHEN
    await handler(event('Update', { PhysicalResourceId: 'old-id', ResourceProperties: props('b', 'c'), OldResourceProperties: props('a', 'b') }));

    // THEN
    expect(calls).toEqual([['PutMetricAlarm', alarm('b')], ['PutMetricAlarm', alarm('c')], ['DeleteAlarms', { AlarmNames: ['a'] }]]);
    expect(responses[0]).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'old-id' });
  });

  test('Delete deletes every alarm, at most 100 names per call', async () => {
    // GIVEN
    const { handler, calls } = loadHandler();
    const names = Array.from({ length: 150 }, (_, i) => `n${i}`);

    // WHEN
    await handler(event('Delete', { PhysicalResourceId: 'id', ResourceProperties: props(...names) }));

    // THEN
    expect(calls).toEqual([['DeleteAlarms', { AlarmNames: names.slice(0, 100) }], ['DeleteAlarms', { AlarmNames: names.slice(100) }]]);
  });

  test('Delete succeeds when an alarm is already gone: the others are deleted one by one', async () => {
    // GIVEN
    const { handler, calls, responses } = loadHandler((_, input) => (input.AlarmNames.includes('gone') ? sdkError('ResourceNotFound') : undefined));

    // WHEN
    await handler(event('Delete', { PhysicalResourceId: 'id', ResourceProperties: props('a', 'gone') }));

    // THEN
    expect(calls.map(([, input]) => input.AlarmNames)).toEqual([['a', 'gone'], ['a'], ['gone']]);
    expect(responses[0].Status).toEqual('SUCCESS');
  });

  test('fails the resource with the error when CloudWatch refuses, and still answers CloudFormation', async () => {
    // GIVEN
    const { handler, calls, responses } = loadHandler((name) => (name === 'PutMetricAlarm' ? sdkError('AccessDenied') : undefined));

    // WHEN
    await handler(event('Create', { ResourceProperties: props('a', 'b') }));

    // THEN
    expect(calls).toHaveLength(1);
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: 'AccessDenied: alarm missing', PhysicalResourceId: 'S-us-west-2-status-alarms' })]);
  });

  test('an empty list deletes what the old list had', async () => {
    const { handler, calls } = loadHandler();
    await handler(event('Update', { PhysicalResourceId: 'id', ResourceProperties: { ...props(), Alarms: '[]' }, OldResourceProperties: props('a') }));
    expect(calls).toEqual([['DeleteAlarms', { AlarmNames: ['a'] }]]);
  });
});

import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { closeAll, httpServer } from './servers';
import { ProbeEvent } from '../../src/health/probe-contract';
import { handler } from '../../src/health/probe.lambda';

const cloudwatch = mockClient(CloudWatchClient);

beforeEach(() => cloudwatch.reset());
afterAll(closeAll);

const context = { getRemainingTimeInMillis: () => 30_000 };

async function event(): Promise<ProbeEvent> {
  const up = await httpServer((_, res) => res.end('ok'));
  return {
    probe: 'orders',
    namespace: 'CdkFailover/Probe',
    samples: 1,
    periodMs: 60_000,
    targets: [{
      kind: 'http',
      id: 'api',
      url: `http://127.0.0.1:${up}/health`,
      timeoutMs: 2000,
      expectedStatus: [[200, 299]],
      searchBytes: 5120,
      search: 'ok',
      followRedirects: 0,
      validateCertificate: true,
    }],
  };
}

test('one PutMetricData per round with the exact data', async () => {
  // GIVEN
  cloudwatch.on(PutMetricDataCommand).resolves({});
  jest.spyOn(console, 'log').mockImplementation(() => undefined);

  // WHEN
  const report = await handler(await event(), context);

  // THEN
  expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  const at = new Date(report.rounds[0].startedAt);
  const latency = report.rounds[0].results[0].latencyMs;
  expect(cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
    Namespace: 'CdkFailover/Probe',
    MetricData: [
      { MetricName: 'Failure', Dimensions: [{ Name: 'Probe', Value: 'orders' }, { Name: 'Target', Value: 'api' }], Timestamp: at, Value: 0, Unit: 'Count' },
      { MetricName: 'Latency', Dimensions: [{ Name: 'Probe', Value: 'orders' }, { Name: 'Target', Value: 'api' }], Timestamp: at, Value: latency, Unit: 'Milliseconds' },
      { MetricName: 'FailedTargets', Dimensions: [{ Name: 'Probe', Value: 'orders' }], Timestamp: at, Value: 0, Unit: 'Count' },
    ],
  });
});

test('a CloudWatch error is retried', async () => {
  cloudwatch.on(PutMetricDataCommand).rejectsOnce(new Error('Throttling')).resolves({});
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  await handler(await event(), context);
  expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 2);
});

test('a CloudWatch error that persists fails the invocation, never swallowed', async () => {
  cloudwatch.on(PutMetricDataCommand).rejects(new Error('AccessDenied: not authorized to perform cloudwatch:PutMetricData'));
  await expect(handler(await event(), context)).rejects.toThrow(/could not publish metrics after 3 attempts: AccessDenied/);
  expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 3);
});

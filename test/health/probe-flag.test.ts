import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { closeAll, httpServer } from './servers';
import { ActiveRegionRead, FLAG_READ_TIMEOUT_MS, ProbeEvent } from '../../src/health/probe-contract';
import { flagData, FlagReader, readFlag } from '../../src/health/probe-flag';
import { Datum, MetricSink, runInvocation } from '../../src/health/probe-run';
import { handler } from '../../src/health/probe.lambda';

const READ: ActiveRegionRead = { parameterName: '/cdk-failover/orders/active-region', regions: ['us-east-1', 'us-west-2'] };
const context = { getRemainingTimeInMillis: () => 30_000 };

afterAll(closeAll);

class FakeSink implements MetricSink {
  public readonly calls: Array<{ namespace: string; data: Datum[] }> = [];
  public async put(namespace: string, data: Datum[]): Promise<void> {
    this.calls.push({ namespace, data });
  }
}

function reader(value: string | Error): FlagReader & { calls: Array<[string, number]> } {
  const calls: Array<[string, number]> = [];
  return {
    calls,
    read: async (name, timeoutMs) => {
      calls.push([name, timeoutMs]);
      if (value instanceof Error) {
        throw value;
      }
      return value;
    },
  };
}

function enabled(data: Datum[]): Array<[string, number]> {
  return data.filter((d) => d.MetricName === 'RegionEnabled').map((d) => [d.Dimensions[1].Value, d.Value]);
}

describe('readFlag and flagData', () => {
  test('one datum per region: 1 for the region the parameter names, 0 for the others', async () => {
    // GIVEN
    const r = reader('us-west-2\n');

    // WHEN
    const report = await readFlag(READ, r);
    const data = flagData('orders-probe', READ, report.value!, 1_700_000_000_000);

    // THEN
    expect(report).toEqual({ value: 'us-west-2' });
    expect(r.calls).toEqual([['/cdk-failover/orders/active-region', FLAG_READ_TIMEOUT_MS]]);
    const at = new Date(1_700_000_000_000);
    expect(data).toEqual([
      { MetricName: 'RegionEnabled', Dimensions: [{ Name: 'Probe', Value: 'orders-probe' }, { Name: 'Region', Value: 'us-east-1' }], Timestamp: at, Value: 0, Unit: 'Count' },
      { MetricName: 'RegionEnabled', Dimensions: [{ Name: 'Probe', Value: 'orders-probe' }, { Name: 'Region', Value: 'us-west-2' }], Timestamp: at, Value: 1, Unit: 'Count' },
    ]);
  });

  test('a value that names no region of the set is an error, not "every region off"', async () => {
    expect(await readFlag(READ, reader('us-east1'))).toEqual({
      error: '/cdk-failover/orders/active-region holds "us-east1", which names none of us-east-1, us-west-2: nothing published',
    });
    expect((await readFlag(READ, reader(''))).error).toMatch(/holds "", which names none/);
  });

  test('a failed read is an error with the cause', async () => {
    expect(await readFlag(READ, reader(new Error('ThrottlingException: Rate exceeded')))).toEqual({
      error: 'GetParameter /cdk-failover/orders/active-region failed: ThrottlingException: Rate exceeded',
    });
    expect(await readFlag(READ, undefined)).toEqual({ error: 'no parameter reader was given to the probe' });
  });
});

describe('runInvocation with the active region', () => {
  async function event(activeRegion?: ActiveRegionRead, samples = 2): Promise<ProbeEvent> {
    const up = await httpServer((_, res) => res.end('ok'));
    return {
      probe: 'p',
      namespace: 'Test',
      samples,
      periodMs: 200,
      targets: [{ kind: 'http', id: 'api', url: `http://127.0.0.1:${up}/`, timeoutMs: 500, expectedStatus: [[200, 299]], searchBytes: 5120, followRedirects: 0, validateCertificate: true }],
      activeRegion,
    };
  }

  test('the read is published once, with the first round, in the same call', async () => {
    // GIVEN
    const sink = new FakeSink();
    const r = reader('us-east-1');

    // WHEN
    const report = await runInvocation(await event(READ), sink, Date.now() + 10_000, undefined, undefined, r);

    // THEN
    expect(report.flag).toEqual({ value: 'us-east-1' });
    expect(r.calls).toHaveLength(1);
    expect(sink.calls).toHaveLength(2);
    expect(enabled(sink.calls[0].data)).toEqual([['us-east-1', 1], ['us-west-2', 0]]);
    expect(sink.calls[0].data.map((d) => d.MetricName)).toEqual(['Failure', 'Latency', 'FailedTargets', 'RegionEnabled', 'RegionEnabled']);
    expect(enabled(sink.calls[1].data)).toEqual([]);
  });

  test('a failed read publishes no RegionEnabled, keeps the targets\' rounds, and fails the invocation afterwards', async () => {
    // GIVEN
    const sink = new FakeSink();

    // WHEN
    const run = runInvocation(await event(READ), sink, Date.now() + 10_000, undefined, undefined, reader(new Error('AccessDeniedException')));

    // THEN
    await expect(run).rejects.toThrow('the active region was not published (the switch keeps its last state): '
      + 'GetParameter /cdk-failover/orders/active-region failed: AccessDeniedException');
    expect(sink.calls).toHaveLength(2);
    expect(sink.calls.flatMap((c) => enabled(c.data))).toEqual([]);
    expect(sink.calls.flatMap((c) => c.data.filter((d) => d.MetricName === 'Failure').map((d) => d.Value))).toEqual([0, 0]);
  });

  test('without activeRegion in the event nothing is read (the read is opt-in)', async () => {
    const sink = new FakeSink();
    const r = reader('us-east-1');
    const report = await runInvocation(await event(undefined), sink, Date.now() + 10_000, undefined, undefined, r);
    expect(r.calls).toEqual([]);
    expect(report.flag).toBeUndefined();
    expect(sink.calls.flatMap((c) => enabled(c.data))).toEqual([]);
  });

  test('a probe with no targets publishes the read alone, in one call', async () => {
    const sink = new FakeSink();
    const report = await runInvocation({ probe: 'p', namespace: 'Test', samples: 3, periodMs: 60_000, targets: [], activeRegion: READ },
      sink, Date.now() + 10_000, undefined, undefined, reader('us-west-2'));
    expect(report).toEqual({ rounds: [], skipped: 0, flag: { value: 'us-west-2' } });
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0].data.map((d) => d.MetricName)).toEqual(['RegionEnabled', 'RegionEnabled']);
    expect(enabled(sink.calls[0].data)).toEqual([['us-east-1', 0], ['us-west-2', 1]]);
  });
});

describe('handler with the active region', () => {
  const cloudwatch = mockClient(CloudWatchClient);
  const ssm = mockClient(SSMClient);

  beforeEach(() => {
    cloudwatch.reset();
    ssm.reset();
    cloudwatch.on(PutMetricDataCommand).resolves({});
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  const switchOnly: ProbeEvent = { probe: 'orders', namespace: 'CdkFailover/Probe', samples: 3, periodMs: 60_000, targets: [], activeRegion: READ };

  test('reads this region\'s copy with GetParameter and publishes RegionEnabled per region', async () => {
    // GIVEN
    ssm.on(GetParameterCommand, { Name: READ.parameterName }).resolves({ Parameter: { Name: READ.parameterName, Value: 'us-west-2' } });

    // WHEN
    const report = await handler(switchOnly, context);

    // THEN
    expect(report.flag).toEqual({ value: 'us-west-2' });
    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/cdk-failover/orders/active-region' });
    expect(cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'CdkFailover/Probe',
      MetricData: [
        expect.objectContaining({ MetricName: 'RegionEnabled', Dimensions: [{ Name: 'Probe', Value: 'orders' }, { Name: 'Region', Value: 'us-east-1' }], Value: 0 }),
        expect.objectContaining({ MetricName: 'RegionEnabled', Dimensions: [{ Name: 'Probe', Value: 'orders' }, { Name: 'Region', Value: 'us-west-2' }], Value: 1 }),
      ],
    });
  });

  test('a missing parameter publishes nothing and fails the invocation with the SSM error', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('ParameterNotFound'), { name: 'ParameterNotFound' }));
    await expect(handler(switchOnly, context)).rejects.toThrow(/GetParameter \/cdk-failover\/orders\/active-region failed: ParameterNotFound/);
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  test('a parameter without a value publishes nothing', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: READ.parameterName } });
    await expect(handler(switchOnly, context)).rejects.toThrow(/has no value/);
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });
});

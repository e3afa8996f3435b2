import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  ConflictException,
  EndpointTemporarilyUnavailableException,
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
  ValidationException,
} from '@aws-sdk/client-route53-recovery-cluster';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ArcConfiguration, MAX_BODY_BYTES, MAX_DATA_PER_CALL, RecordRunEvent, SwitchRoutingControlsEvent, VerifyHttpEvent } from '../../src/runbooks/runbook-contract';
import { recordRun } from '../../src/runbooks/runbook-record';
import { switchRoutingControls } from '../../src/runbooks/runbook-switch';
import { verifyHttp } from '../../src/runbooks/runbook-verify';
import { handler } from '../../src/runbooks/runbook.lambda';
import { closeAll, closedPort, httpServer } from '../health/servers';

const arc = mockClient(Route53RecoveryClusterClient);
const ssm = mockClient(SSMClient);
const cloudwatch = mockClient(CloudWatchClient);

beforeEach(() => {
  arc.reset();
  ssm.reset();
  cloudwatch.reset();
});
afterAll(closeAll);

const PARAMETER = '/cdk-failover/arc/app';
const EAST = 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc/routingcontrol/east';
const WEST = 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc/routingcontrol/west';
const RULE = 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc/safetyrule/atleast';
const ENDPOINT_REGIONS = ['ap-northeast-1', 'ap-southeast-2', 'eu-west-1', 'us-east-1', 'us-west-2'];
const endpointOf = (region: string) => `https://host-abc.route53-recovery-cluster.${region}.amazonaws.com/v1`;
const CONFIG: ArcConfiguration = {
  clusterArn: 'arn:aws:route53-recovery-control::111111111111:cluster/abc',
  endpoints: ENDPOINT_REGIONS.map((region) => ({ region, endpoint: endpointOf(region) })),
  controls: { 'us-east-1': EAST, 'us-west-2': WEST },
  assertionRuleArn: RULE,
};

const FAILOVER: SwitchRoutingControlsEvent = {
  action: 'switchRoutingControls',
  configParameterName: PARAMETER,
  states: { 'us-east-1': 'Off', 'us-west-2': 'On' },
};

function configIs(config: unknown = CONFIG) {
  ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves({ Parameter: { Name: PARAMETER, Value: typeof config === 'string' ? config : JSON.stringify(config) } });
}

/** Clients made by the switch, each remembered with its endpoint so a fake knows which endpoint was called. */
function clusterClients() {
  const endpoints = new Map<unknown, string>();
  const made: Array<{ endpoint: string; region: string }> = [];
  const cluster = (endpoint: string, region: string) => {
    const client = new Route53RecoveryClusterClient({ endpoint, region, credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x' } });
    endpoints.set(client, endpoint);
    made.push({ endpoint, region });
    return client;
  };
  return { cluster, made, endpointOf: (getClient: () => unknown) => endpoints.get(getClient())! };
}

type Behaviour = 'ok' | 'hang' | Error;

/** UpdateRoutingControlStates answers per endpoint; the calls are listed in order. */
function endpointsBehave(clients: ReturnType<typeof clusterClients>, behaviour: { [region: string]: Behaviour }) {
  const called: string[] = [];
  arc.on(UpdateRoutingControlStatesCommand).callsFake(async (_input, getClient) => {
    const endpoint = clients.endpointOf(getClient);
    called.push(endpoint);
    const b = behaviour[ENDPOINT_REGIONS.find((r) => endpointOf(r) === endpoint)!] ?? 'ok';
    if (b === 'hang') {
      return new Promise(() => undefined);
    }
    if (b instanceof Error) {
      throw b;
    }
    return {};
  });
  return called;
}

const conflict = () => new ConflictException({ message: 'Cannot update: blocked by safety rule atleast', resourceId: RULE, resourceType: 'SafetyRule', $metadata: { httpStatusCode: 409 } });
const unavailable = () => new EndpointTemporarilyUnavailableException({ message: 'endpoint under maintenance', $metadata: { httpStatusCode: 503 } });
const refused4xx = () => Object.assign(new Error('throttled'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });

describe('switchRoutingControls', () => {
  test('one UpdateRoutingControlStates with every entry, to the endpoint of the function\'s own Region first', async () => {
    // GIVEN
    configIs();
    const clients = clusterClients();
    const called = endpointsBehave(clients, {});

    // WHEN
    const result = await switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, preferRegion: 'us-west-2' });

    // THEN
    expect(result).toEqual({ endpoint: endpointOf('us-west-2'), region: 'us-west-2', attempts: [] });
    expect(arc).toHaveReceivedCommandTimes(UpdateRoutingControlStatesCommand, 1);
    expect(arc).toHaveReceivedCommandWith(UpdateRoutingControlStatesCommand, {
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: EAST, RoutingControlState: 'Off' },
        { RoutingControlArn: WEST, RoutingControlState: 'On' },
      ],
      SafetyRulesToOverride: undefined,
    });
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: PARAMETER });
    expect(called).toEqual([endpointOf('us-west-2')]);
    // The client's Region is the endpoint's.
    expect(clients.made).toEqual([{ endpoint: endpointOf('us-west-2'), region: 'us-west-2' }]);
  });

  test('without a preferred Region the endpoints go in the configuration\'s order', async () => {
    configIs();
    const clients = clusterClients();
    const called = endpointsBehave(clients, {});
    const result = await switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster });
    expect(result.region).toEqual('ap-northeast-1');
    expect(called).toEqual([endpointOf('ap-northeast-1')]);
  });

  test('an endpoint that times out, then one that fails: the third takes the change, and the attempts say why', async () => {
    // GIVEN
    configIs();
    const clients = clusterClients();
    const called = endpointsBehave(clients, { 'us-west-2': 'hang', 'ap-northeast-1': unavailable() });

    // WHEN
    const started = Date.now();
    const result = await switchRoutingControls(FAILOVER, {
      ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, preferRegion: 'us-west-2', attemptTimeoutMs: 50,
    });

    // THEN
    expect(Date.now() - started).toBeLessThan(2000);
    expect(called).toEqual([endpointOf('us-west-2'), endpointOf('ap-northeast-1'), endpointOf('ap-southeast-2')]);
    expect(result).toEqual({
      endpoint: endpointOf('ap-southeast-2'),
      region: 'ap-southeast-2',
      attempts: [
        { endpoint: endpointOf('us-west-2'), error: 'TimeoutError: no answer within 50 ms' },
        { endpoint: endpointOf('ap-northeast-1'), error: 'EndpointTemporarilyUnavailableException: endpoint under maintenance' },
      ],
    });
    // Every attempt sends the same single call with every entry.
    expect(arc).toHaveReceivedCommandTimes(UpdateRoutingControlStatesCommand, 3);
    for (let i = 0; i < 3; i++) {
      expect(arc).toHaveReceivedNthCommandWith(i + 1, UpdateRoutingControlStatesCommand, {
        UpdateRoutingControlStateEntries: [
          { RoutingControlArn: EAST, RoutingControlState: 'Off' },
          { RoutingControlArn: WEST, RoutingControlState: 'On' },
        ],
      });
    }
  });

  test('fails with RoutingControlsUnreachable when every endpoint fails, listing each', async () => {
    configIs();
    const clients = clusterClients();
    const called = endpointsBehave(clients, Object.fromEntries(ENDPOINT_REGIONS.map((r, i) => [r, i % 2 ? 'hang' : unavailable()])));
    const failed = switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, attemptTimeoutMs: 20 });
    await expect(failed).rejects.toMatchObject({ name: 'RoutingControlsUnreachable' });
    await expect(failed).rejects.toThrow(new RegExp(`^no cluster endpoint took the change: ${escape(endpointOf('ap-northeast-1'))} \\(EndpointTemporarilyUnavailableException: endpoint under maintenance\\); `
      + `${escape(endpointOf('ap-southeast-2'))} \\(TimeoutError: no answer within 20 ms\\);`));
    expect(called).toHaveLength(5);
  });

  test('fails with RoutingControlsRefused on a safety rule\'s ConflictException, without trying another endpoint', async () => {
    // GIVEN: the controls are still in their old states (East On).
    configIs();
    const clients = clusterClients();
    const called = endpointsBehave(clients, { 'ap-northeast-1': refused4xx(), 'ap-southeast-2': conflict() });
    arc.on(GetRoutingControlStateCommand).resolves({ RoutingControlState: 'On' });

    // WHEN
    const failed = switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster });

    // THEN
    await expect(failed).rejects.toMatchObject({ name: 'RoutingControlsRefused' });
    await expect(failed).rejects.toThrow(`ARC refused the change at ${endpointOf('ap-southeast-2')}: ConflictException: Cannot update: blocked by safety rule atleast`);
    expect(called).toEqual([endpointOf('ap-northeast-1'), endpointOf('ap-southeast-2')]);
    // The states were read back on the refusing endpoint, and the first one already differs.
    expect(arc).toHaveReceivedCommandTimes(GetRoutingControlStateCommand, 1);
    expect(arc).toHaveReceivedCommandWith(GetRoutingControlStateCommand, { RoutingControlArn: EAST });
  });

  test('fails with RoutingControlsRefused on a ValidationException', async () => {
    configIs();
    const clients = clusterClients();
    endpointsBehave(clients, { 'ap-northeast-1': new ValidationException({ message: 'bad ARN', reason: 'other', $metadata: { httpStatusCode: 400 } }) });
    arc.on(GetRoutingControlStateCommand).rejects(new ValidationException({ message: 'bad ARN', reason: 'other', $metadata: { httpStatusCode: 400 } }));
    await expect(switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster }))
      .rejects.toMatchObject({ name: 'RoutingControlsRefused', message: expect.stringContaining('ValidationException: bad ARN') });
    expect(arc).toHaveReceivedCommandTimes(UpdateRoutingControlStatesCommand, 1);
  });

  test('a refusal after a timed-out attempt reads the states back: already in place is a success', async () => {
    // GIVEN: the first endpoint took the change but its answer was lost; the next one is inside the wait period.
    configIs();
    const clients = clusterClients();
    endpointsBehave(clients, { 'ap-northeast-1': 'hang', 'ap-southeast-2': conflict() });
    arc.on(GetRoutingControlStateCommand, { RoutingControlArn: EAST }).resolves({ RoutingControlArn: EAST, RoutingControlState: 'Off' });
    arc.on(GetRoutingControlStateCommand, { RoutingControlArn: WEST }).resolves({ RoutingControlArn: WEST, RoutingControlState: 'On' });

    // WHEN
    const result = await switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, attemptTimeoutMs: 30 });

    // THEN
    expect(result).toEqual({
      endpoint: endpointOf('ap-southeast-2'),
      region: 'ap-southeast-2',
      attempts: [{ endpoint: endpointOf('ap-northeast-1'), error: 'TimeoutError: no answer within 30 ms' }],
      alreadyApplied: true,
    });
    expect(arc).toHaveReceivedCommandTimes(GetRoutingControlStateCommand, 2);
  });

  test('a refusal with the states already in place, on the first endpoint (a retried invocation took the change), is a success', async () => {
    configIs();
    const clients = clusterClients();
    endpointsBehave(clients, { 'ap-northeast-1': conflict() });
    arc.on(GetRoutingControlStateCommand, { RoutingControlArn: EAST }).resolves({ RoutingControlState: 'Off' });
    arc.on(GetRoutingControlStateCommand, { RoutingControlArn: WEST }).resolves({ RoutingControlState: 'On' });
    await expect(switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster }))
      .resolves.toEqual({ endpoint: endpointOf('ap-northeast-1'), region: 'ap-northeast-1', attempts: [], alreadyApplied: true });
    expect(arc).toHaveReceivedCommandTimes(UpdateRoutingControlStatesCommand, 1);
  });

  test('a refusal after a timed-out attempt, with the states not in place, is refused', async () => {
    configIs();
    const clients = clusterClients();
    endpointsBehave(clients, { 'ap-northeast-1': 'hang', 'ap-southeast-2': conflict() });
    arc.on(GetRoutingControlStateCommand).resolves({ RoutingControlState: 'On' });
    await expect(switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, attemptTimeoutMs: 30 }))
      .rejects.toMatchObject({ name: 'RoutingControlsRefused' });
  });

  test('the override passes the assertion rule: the fence turns every Region Off', async () => {
    configIs();
    const clients = clusterClients();
    endpointsBehave(clients, {});
    await switchRoutingControls({ ...FAILOVER, states: { 'us-east-1': 'Off', 'us-west-2': 'Off' }, overrideSafetyRules: true },
      { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster });
    expect(arc).toHaveReceivedCommandWith(UpdateRoutingControlStatesCommand, {
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: EAST, RoutingControlState: 'Off' },
        { RoutingControlArn: WEST, RoutingControlState: 'Off' },
      ],
      SafetyRulesToOverride: [RULE],
    });
  });

  test('the override is empty when the controls have no assertion rule: there is nothing to override', async () => {
    configIs({ ...CONFIG, assertionRuleArn: undefined });
    const clients = clusterClients();
    endpointsBehave(clients, {});
    await switchRoutingControls({ ...FAILOVER, states: { 'us-east-1': 'Off', 'us-west-2': 'Off' }, overrideSafetyRules: true },
      { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster });
    expect(arc).toHaveReceivedCommandWith(UpdateRoutingControlStatesCommand, { SafetyRulesToOverride: undefined });
  });

  test.each<[string, unknown, Partial<SwitchRoutingControlsEvent>, RegExp]>([
    ['a Region missing from the configuration', CONFIG, { states: { 'eu-west-1': 'On' } },
      /^the ARC configuration \/cdk-failover\/arc\/app has no routing control for eu-west-1; it has us-east-1, us-west-2\. Add the Region/],
    ['a parameter that is not JSON', '{"clusterArn":', {}, /^the ARC configuration parameter \/cdk-failover\/arc\/app is not JSON\. RoutingControls writes it/],
    ['a configuration without a cluster', { ...CONFIG, clusterArn: undefined }, {}, /^the ARC configuration parameter \/cdk-failover\/arc\/app has no clusterArn\./],
    ['a configuration without endpoints', { ...CONFIG, endpoints: [] }, {}, /has no list of endpoints/],
    ['an endpoint without its Region', { ...CONFIG, endpoints: [{ endpoint: endpointOf('us-west-2') }] }, {}, /has no list of endpoints \(\{ region, endpoint \}\)/],
    ['a configuration without controls', { ...CONFIG, controls: undefined }, {}, /has no controls by Region/],
  ])('fails with RoutingControlsMisconfigured on %s', async (_name, config, event, message) => {
    configIs(config);
    const clients = clusterClients();
    endpointsBehave(clients, {});
    const failed = switchRoutingControls({ ...FAILOVER, ...event }, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster });
    await expect(failed).rejects.toMatchObject({ name: 'RoutingControlsMisconfigured' });
    await expect(failed).rejects.toThrow(message);
    expect(arc).not.toHaveReceivedCommand(UpdateRoutingControlStatesCommand);
  });

  test('fails with RoutingControlsMisconfigured when the parameter is not in this Region', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: { httpStatusCode: 400 } }));
    const failed = switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'eu-west-1' }), cluster: clusterClients().cluster });
    await expect(failed).rejects.toMatchObject({ name: 'RoutingControlsMisconfigured' });
    await expect(failed).rejects.toThrow(/^the ARC configuration parameter \/cdk-failover\/arc\/app does not exist in eu-west-1\. Deploy RoutingControls/);
  });

  test('a Parameter Store error other than a missing parameter is passed on as it is, for the state machine to retry', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clusterClients().cluster }))
      .rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
  });

  test('a refusal after a timed-out attempt whose read-back fails is refused', async () => {
    configIs();
    const clients = clusterClients();
    endpointsBehave(clients, { 'ap-northeast-1': 'hang', 'ap-southeast-2': conflict() });
    arc.on(GetRoutingControlStateCommand).rejects(unavailable());
    await expect(switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, attemptTimeoutMs: 30 }))
      .rejects.toMatchObject({ name: 'RoutingControlsRefused' });
    expect(arc).toHaveReceivedCommandTimes(GetRoutingControlStateCommand, 1);
  });

  test('fails with RunbookEventInvalid on a state other than On or Off', async () => {
    configIs();
    await expect(switchRoutingControls({ ...FAILOVER, states: { 'us-east-1': 'ON' as any } }, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clusterClients().cluster }))
      .rejects.toMatchObject({ name: 'RunbookEventInvalid' });
    expect(ssm).not.toHaveReceivedCommand(GetParameterCommand);
  });

  test('past the deadline no endpoint is tried', async () => {
    configIs();
    const clients = clusterClients();
    const called = endpointsBehave(clients, {});
    await expect(switchRoutingControls(FAILOVER, { ssm: new SSMClient({ region: 'us-west-2' }), cluster: clients.cluster, deadline: Date.now() - 1 }))
      .rejects.toMatchObject({ name: 'RoutingControlsUnreachable', message: expect.stringContaining(`${endpointOf('ap-northeast-1')} (not tried: the function ran out of time)`) });
    expect(called).toEqual([]);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('verifyHttp', () => {
  const check = (url: string, more: Partial<VerifyHttpEvent> = {}): VerifyHttpEvent => ({
    action: 'verifyHttp', url, attempts: 5, intervalSeconds: 0.01, timeoutSeconds: 1, ...more,
  });

  test('fails twice, then serves: ok on the third attempt, after two pauses of the interval', async () => {
    // GIVEN
    let requests = 0;
    const port = await httpServer((_req, res) => {
      requests++;
      res.statusCode = requests <= 2 ? 503 : 200;
      res.end('ok');
    });
    const pauses: number[] = [];

    // WHEN
    const result = await verifyHttp(check(`http://127.0.0.1:${port}/health`, { intervalSeconds: 0.02 }),
      { sleep: async (ms) => { pauses.push(ms); } });

    // THEN
    expect(result).toEqual({ ok: true, status: 200, attempt: 3, elapsedMs: expect.any(Number) });
    expect(requests).toEqual(3);
    expect(pauses).toEqual([20, 20]);
  });

  test('the body marker: a page without it does not count', async () => {
    let requests = 0;
    const port = await httpServer((_req, res) => res.end(++requests < 3 ? 'served by us-east-1' : 'served by us-west-2'));
    const result = await verifyHttp(check(`http://127.0.0.1:${port}/`, { bodyContains: 'us-west-2' }));
    expect(result).toMatchObject({ status: 200, attempt: 3 });
  });

  test('the header marker: the Region header must have the new Region', async () => {
    let requests = 0;
    const port = await httpServer((_req, res) => {
      res.setHeader('X-Region', ++requests < 2 ? 'us-east-1' : 'us-west-2');
      res.end();
    });
    const result = await verifyHttp(check(`http://127.0.0.1:${port}/`, { header: { name: 'x-region', value: 'us-west-2' } }));
    expect(result).toMatchObject({ status: 200, attempt: 2 });
  });

  test('fails with VerificationFailed naming the last mismatch: a header that never changes', async () => {
    const port = await httpServer((_req, res) => {
      res.setHeader('x-region', 'us-east-1');
      res.end();
    });
    const failed = verifyHttp(check(`http://127.0.0.1:${port}/`, { attempts: 2, header: { name: 'X-Region', value: 'us-west-2' } }));
    await expect(failed).rejects.toMatchObject({ name: 'VerificationFailed' });
    await expect(failed).rejects.toThrow(`http://127.0.0.1:${port}/ did not verify in 2 attempt(s); last: attempt 2: status 200, header X-Region is "us-east-1", expected "us-west-2"`);
  });

  test('fails with VerificationFailed on a body without the marker', async () => {
    const port = await httpServer((_req, res) => res.end('served by us-east-1'));
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/`, { attempts: 1, bodyContains: 'us-west-2' })))
      .rejects.toThrow(/last: attempt 1: status 200, the body lacks "us-west-2"$/);
  });

  test(`the body marker is searched in the first ${MAX_BODY_BYTES} bytes only`, async () => {
    const port = await httpServer((req, res) => {
      const filler = 'a'.repeat(MAX_BODY_BYTES);
      res.end(req.url === '/early' ? `us-west-2${filler}` : `${filler}us-west-2`);
    });
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/early`, { attempts: 1, bodyContains: 'us-west-2' }))).resolves.toMatchObject({ attempt: 1 });
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/late`, { attempts: 1, bodyContains: 'us-west-2' }))).rejects.toThrow(/the body lacks "us-west-2"$/);
  });

  test('statuses: 200 to 399 by default, exactly the listed ones when given', async () => {
    const port = await httpServer((req, res) => {
      res.statusCode = Number(req.url!.slice(1));
      res.end();
    });
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/302`, { attempts: 1 }))).resolves.toMatchObject({ status: 302 });
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/404`, { attempts: 1 }))).rejects.toThrow(/status 404, expected 200 to 399$/);
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/204`, { attempts: 1, expectStatus: [200] }))).rejects.toThrow(/status 204, expected 200$/);
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/418`, { attempts: 1, expectStatus: [200, 418] }))).resolves.toMatchObject({ status: 418 });
  });

  test('a server that never answers: each attempt times out, and the run fails within the attempts\' time', async () => {
    // GIVEN
    const port = await httpServer(() => undefined);

    // WHEN
    const started = Date.now();
    const failed = verifyHttp(check(`http://127.0.0.1:${port}/`, { attempts: 3, timeoutSeconds: 0.1 }));

    // THEN
    await expect(failed).rejects.toMatchObject({ name: 'VerificationFailed', message: expect.stringMatching(/last: attempt 3: no response within 100 ms$/) });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(1500);
  });

  test('a closed port fails with the connection error', async () => {
    const port = await closedPort();
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/`, { attempts: 2 }))).rejects.toThrow(/last: attempt 2: Error: connect ECONNREFUSED 127\.0\.0\.1/);
  });

  test('stops at the deadline instead of running into the Lambda timeout', async () => {
    const port = await httpServer(() => undefined);
    const started = Date.now();
    await expect(verifyHttp(check(`http://127.0.0.1:${port}/`, { attempts: 100, timeoutSeconds: 0.05 }), { deadline: Date.now() + 200 }))
      .rejects.toThrow(/did not verify in 100 attempt\(s\); last: attempt \d+: no response within \d+ ms; then the function ran out of time$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test.each<[string, Partial<VerifyHttpEvent>, RegExp]>([
    ['a URL of another scheme', { url: 'ftp://example.com/' }, /url "ftp:\/\/example.com\/" is not http or https/],
    ['no URL', { url: 'not a url' }, /url "not a url" is not a URL/],
    ['0 attempts', { attempts: 0 }, /attempts must be a whole number of 1 or more, got 0/],
    ['a negative interval', { intervalSeconds: -1 }, /intervalSeconds must be 0 or more, got -1/],
    ['a zero timeout', { timeoutSeconds: 0 }, /timeoutSeconds must be more than 0, got 0/],
  ])('fails with RunbookEventInvalid on %s', async (_name, more, message) => {
    const failed = verifyHttp(check('http://127.0.0.1:1/', more));
    await expect(failed).rejects.toMatchObject({ name: 'RunbookEventInvalid' });
    await expect(failed).rejects.toThrow(message);
  });
});

describe('recordRun', () => {
  const NOW = Date.parse('2026-11-30T10:02:00.000Z');
  const RUN: RecordRunEvent = {
    action: 'recordRun',
    runbook: 'orders-failover',
    namespace: 'CdkFailover/Runbook',
    outcome: 'SUCCEEDED',
    startedAt: '2026-11-30T10:00:00.000Z',
    // Given out of order: the summary lists the steps in the order they started.
    steps: {
      promote: { start: '2026-11-30T10:00:04.500Z', end: '2026-11-30T10:01:34.750Z' },
      fence: { start: '2026-11-30T10:00:01.000Z', end: '2026-11-30T10:00:04.500Z' },
      approve: {},
    },
  };

  test('exact seconds per step and in total, and one PutMetricData with every datum timestamped', async () => {
    // GIVEN
    cloudwatch.on(PutMetricDataCommand).resolves({});

    // WHEN
    const summary = await recordRun(RUN, new CloudWatchClient({ region: 'us-west-2' }), NOW);

    // THEN
    expect(summary).toEqual({
      runbook: 'orders-failover',
      outcome: 'SUCCEEDED',
      startedAt: '2026-11-30T10:00:00.000Z',
      endedAt: '2026-11-30T10:02:00.000Z',
      totalSeconds: 120,
      steps: [{ step: 'fence', seconds: 3.5 }, { step: 'promote', seconds: 90.25 }],
    });
    expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    const runbook = { Name: 'Runbook', Value: 'orders-failover' };
    expect(cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'CdkFailover/Runbook',
      MetricData: [
        { MetricName: 'RunbookDuration', Dimensions: [runbook, { Name: 'Outcome', Value: 'SUCCEEDED' }], Timestamp: new Date(NOW), Value: 120, Unit: 'Seconds' },
        { MetricName: 'RunbookOutcome', Dimensions: [runbook, { Name: 'Outcome', Value: 'SUCCEEDED' }], Timestamp: new Date(NOW), Value: 1, Unit: 'Count' },
        { MetricName: 'StepDuration', Dimensions: [runbook, { Name: 'Step', Value: 'fence' }], Timestamp: new Date('2026-11-30T10:00:04.500Z'), Value: 3.5, Unit: 'Seconds' },
        { MetricName: 'StepDuration', Dimensions: [runbook, { Name: 'Step', Value: 'promote' }], Timestamp: new Date('2026-11-30T10:01:34.750Z'), Value: 90.25, Unit: 'Seconds' },
      ],
    });
  });

  test('a failed run: the step that never ended counts up to now and is marked incomplete; the error is kept', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const error = { Error: 'RoutingControlsRefused', Cause: 'ARC refused the change' };
    const summary = await recordRun({
      ...RUN,
      outcome: 'FAILED',
      steps: { ...RUN.steps, switch: { start: '2026-11-30T10:01:34.750Z' } },
      error,
    }, new CloudWatchClient({ region: 'us-west-2' }), NOW);
    expect(summary.steps).toEqual([
      { step: 'fence', seconds: 3.5 },
      { step: 'promote', seconds: 90.25 },
      { step: 'switch', seconds: 25.25, incomplete: true },
    ]);
    expect(summary.error).toEqual(error);
    const data = cloudwatch.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData!;
    expect(data.find((d) => d.Dimensions?.[1].Value === 'switch')).toEqual({
      MetricName: 'StepDuration',
      Dimensions: [{ Name: 'Runbook', Value: 'orders-failover' }, { Name: 'Step', Value: 'switch' }],
      Timestamp: new Date(NOW),
      Value: 25.25,
      Unit: 'Seconds',
    });
    expect(data.filter((d) => d.MetricName !== 'StepDuration').map((d) => d.Dimensions![1])).toEqual([
      { Name: 'Outcome', Value: 'FAILED' }, { Name: 'Outcome', Value: 'FAILED' },
    ]);
  });

  test(`more than ${MAX_DATA_PER_CALL} data go in calls of at most ${MAX_DATA_PER_CALL}`, async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const steps = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`s${i}`, { start: '2026-11-30T10:00:00.000Z', end: '2026-11-30T10:00:01.000Z' }]));
    await recordRun({ ...RUN, steps }, new CloudWatchClient({ region: 'us-west-2' }), NOW);
    expect(cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!.length)).toEqual([1000, 502]);
  });

  test.each<[string, Partial<RecordRunEvent>, RegExp]>([
    ['a start that is not a time', { steps: { fence: { start: 'yesterday' } } }, /steps\.fence\.start must be an ISO 8601 time, got "yesterday"/],
    ['an end before the start', { steps: { fence: { start: '2026-11-30T10:00:02Z', end: '2026-11-30T10:00:01Z' } } }, /step fence ends \(2026-11-30T10:00:01Z\) before it starts/],
    ['an unknown outcome', { outcome: 'DONE' as any }, /recordRun needs `runbook`, `namespace` and `outcome` \(SUCCEEDED, FAILED, REFUSED\)/],
  ])('fails with RunbookEventInvalid on %s, publishing nothing', async (_name, more, message) => {
    const failed = recordRun({ ...RUN, ...more }, new CloudWatchClient({ region: 'us-west-2' }), NOW);
    await expect(failed).rejects.toMatchObject({ name: 'RunbookEventInvalid' });
    await expect(failed).rejects.toThrow(message);
    expect(cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });
});

describe('handler', () => {
  const context = { getRemainingTimeInMillis: () => 30_000 };

  test('routes each action to its task, with the function\'s Region preferred for the switch', async () => {
    // GIVEN
    const region = process.env.AWS_REGION;
    process.env.AWS_REGION = 'us-west-2';
    configIs();
    arc.on(UpdateRoutingControlStatesCommand).resolves({});
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const port = await httpServer((_req, res) => res.end('ok'));

    try {
      // WHEN / THEN
      await expect(handler(FAILOVER, context)).resolves.toEqual({ endpoint: endpointOf('us-west-2'), region: 'us-west-2', attempts: [] });
      await expect(handler({ action: 'verifyHttp', url: `http://127.0.0.1:${port}/`, attempts: 1, intervalSeconds: 0, timeoutSeconds: 1 }, context))
        .resolves.toMatchObject({ ok: true, status: 200, attempt: 1 });
      await expect(handler({ ...RUN_FOR_HANDLER, startedAt: new Date(Date.now() - 1000).toISOString() }, context)).resolves.toMatchObject({ runbook: 'r', outcome: 'REFUSED' });
      expect(cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    } finally {
      process.env.AWS_REGION = region;
    }
  });

  test('fails with RunbookEventInvalid on an unknown action', async () => {
    await expect(handler({ action: 'reboot' } as any, context)).rejects.toMatchObject({
      name: 'RunbookEventInvalid', message: 'unknown action "reboot"; expected one of switchRoutingControls, verifyHttp, recordRun',
    });
  });
});

const RUN_FOR_HANDLER: RecordRunEvent = { action: 'recordRun', runbook: 'r', namespace: 'N', outcome: 'REFUSED', startedAt: '', steps: {} };

import { closeAll, httpServer, tcpServer } from './servers';

afterAll(closeAll);

test('a CloudWatch endpoint that never answers cannot hold the invocation past its deadline', async () => {
  // GIVEN CloudWatch at a 127.0.0.1 socket that accepts and never answers, and a healthy target
  const silent = await tcpServer(() => undefined);
  const up = await httpServer((_, res) => res.end('ok'));
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDWATCH: `http://127.0.0.1:${silent}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  });
  let handler: typeof import('../../src/health/probe.lambda').handler;
  jest.isolateModules(() => {
    // The handler builds its clients when loaded: load it after the endpoint is set.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require('../../src/health/probe.lambda').handler;
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const started = Date.now();

  // WHEN the invocation has 8 s left: its deadline is 6 s away
  const run = handler!({
    probe: 'p',
    namespace: 'N',
    samples: 1,
    periodMs: 60_000,
    targets: [{ kind: 'http', id: 'a', url: `http://127.0.0.1:${up}/`, timeoutMs: 1000, expectedStatus: [[200, 299]], searchBytes: 5120, followRedirects: 0, validateCertificate: true }],
  }, { getRemainingTimeInMillis: () => 8000 });

  // THEN it fails, reporting the publication, before the deadline
  await expect(run).rejects.toThrow(/could not publish metrics/);
  expect(Date.now() - started).toBeLessThan(6000);
  process.env = saved;
}, 15_000);

import * as dns from 'dns';
import { blockThreadPool, certificate, Certificate, closeAll, closedPort, dnsServer, hasIpv6Loopback, httpServer, httpsServer, tcpServer } from './servers';
import { certificateExpiry, forbiddenAddress, HttpTarget, isExpectedStatus, probe, ProbeResult, ProbeTarget, redirectProblem, TlsTarget } from '../../src/health/probe-check';
import { isPort, resolverProblem } from '../../src/health/probe-resolve';
import { probeAll } from '../../src/health/probe-run';

const TIMEOUT = 600;
/**
 * A verdict comes when the timer fires, long before the slowest server here answers (3 s). The
 * slack is generous because a loaded 2-core machine delays timers by hundreds of milliseconds.
 */
const SLACK = 1000;

function httpTarget(url: string, extra: Partial<HttpTarget> = {}): HttpTarget {
  return {
    kind: 'http',
    id: 't',
    url,
    timeoutMs: TIMEOUT,
    expectedStatus: [[200, 299]],
    searchBytes: 5120,
    followRedirects: 0,
    validateCertificate: true,
    ...extra,
  };
}

function expectVerdict(result: ProbeResult, healthy: boolean, reason: string, detail?: RegExp): void {
  expect({ healthy: result.healthy, reason: result.reason }).toEqual({ healthy, reason });
  if (detail) {
    expect(result.detail).toMatch(detail);
  }
  expect(result.latencyMs).toBeLessThan(TIMEOUT + SLACK);
}

let ca: Certificate;
let good: Certificate;
let expired: Certificate;
let wrongHost: Certificate;
let selfSigned: Certificate;
let expiringSoon: Certificate;

beforeAll(() => {
  ca = certificate({ names: [], isCa: true, notBeforeDays: -1, notAfterDays: 365 });
  good = certificate({ names: ['localhost', '127.0.0.1'], issuer: ca, notBeforeDays: -1, notAfterDays: 30 });
  expired = certificate({ names: ['localhost', '127.0.0.1'], issuer: ca, notBeforeDays: -30, notAfterDays: -1 });
  wrongHost = certificate({ names: ['other.test'], issuer: ca, notBeforeDays: -1, notAfterDays: 30 });
  selfSigned = certificate({ names: ['localhost', '127.0.0.1'], notBeforeDays: -1, notAfterDays: 30 });
  expiringSoon = certificate({ names: ['localhost'], issuer: ca, notBeforeDays: -1, notAfterDays: 5 });
});

afterAll(closeAll);

describe('HTTP', () => {
  test('healthy: 200 with the search string', async () => {
    const port = await httpServer((_, res) => res.end('status: ok'));
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/health`, { search: 'ok' })), true, 'ok', /"ok" found/);
  });

  test('wrong status', async () => {
    const port = await httpServer((_, res) => { res.statusCode = 503; res.end('down'); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), false, 'status', /status 503/);
  });

  test('a 3xx is judged by the expected statuses when redirects are not followed', async () => {
    const port = await httpServer((_, res) => { res.writeHead(302, { location: '/elsewhere' }); res.end(); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), false, 'status', /status 302/);
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { expectedStatus: [[200, 399]] })), true, 'ok');
  });

  test.each([
    [200, true], [299, true], [300, false],
  ])('default statuses: %d is healthy: %p', async (status, healthy) => {
    const port = await httpServer((_, res) => { res.statusCode = status; res.end(); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), healthy, healthy ? 'ok' : 'status');
  });

  test.each([
    [203, false], [204, true], [205, false], [300, false], [301, true], [302, true], [303, false],
  ])('given statuses 204 and 301-302: %d is healthy: %p', async (status, healthy) => {
    const port = await httpServer((_, res) => { res.statusCode = status; res.end(); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { expectedStatus: [[204, 204], [301, 302]] })), healthy, healthy ? 'ok' : 'status');
  });

  test('body mismatch', async () => {
    const port = await httpServer((_, res) => res.end('maintenance page'));
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { search: 'ok' })), false, 'body', /not in the 16-byte body/);
  });

  test('the search string must be within the first searchBytes bytes', async () => {
    const port = await httpServer((_, res) => res.end('x'.repeat(6000) + 'ok'));
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { search: 'ok' })), false, 'body', /not in the first 5120 bytes/);
  });

  test('slow headers', async () => {
    const port = await httpServer((_, res) => { setTimeout(() => res.end('ok'), 3000); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), false, 'timeout', /waiting for the headers/);
  });

  test('slow body', async () => {
    const port = await httpServer((_, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { search: 'ok' })), false, 'timeout', /reading the body/);
  });

  test('answered, but slower than maxResponseMs', async () => {
    const port = await httpServer((_, res) => { setTimeout(() => res.end('ok'), 200); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { maxResponseMs: 100 })), false, 'slow', /more than 100 ms/);
  });

  test('connection reset mid-body', async () => {
    const port = await httpServer((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => req.socket.resetAndDestroy(), 20);
    });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { search: 'ok' })), false, 'reset');
  });

  test('redirect loop', async () => {
    const port = await httpServer((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/a`, { followRedirects: 5 })), false, 'redirect-loop', /status 302 back to http:\/\/127\.0\.0\.1:\d+\/a, already requested/);
  });

  test.each([
    ['an invalid location', 'http://[bad', /invalid location/],
    ['a location that is not HTTP', 'ftp://files.example.com/', /not HTTP: ftp:\/\/files\.example\.com\//],
  ])('a redirect to %s is a verdict, never a crash', async (_, location, detail) => {
    const port = await httpServer((__, res) => { res.writeHead(302, { location }); res.end(); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { followRedirects: 2 })), false, 'status', detail);
  });

  describe('followRedirects: 3', () => {
    // /hops/n redirects n times, then answers "ok".
    let port: number;
    beforeAll(async () => {
      port = await httpServer((req, res) => {
        const left = Number(req.url?.split('/')[2]);
        if (left === 0) {
          res.end('ok');
        } else {
          res.writeHead(302, { location: `/hops/${left - 1}` });
          res.end();
        }
      });
    });

    test('a chain of exactly 3 redirects is followed', async () => {
      expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/hops/3`, { followRedirects: 3, search: 'ok' })), true, 'ok');
    });

    test('a chain of 4 redirects fails at the 4th', async () => {
      expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/hops/4`, { followRedirects: 3, search: 'ok' })), false, 'redirect-loop',
        /status 302 to http:\/\/127\.0\.0\.1:\d+\/hops\/0 after 3 redirect\(s\), the most followRedirects allows/);
    });
  });

  test.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://169.254.170.2/v2/credentials', '169.254.170.2'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'fd00:ec2::254'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
    ['http://[fe80::1]/', 'fe80::1'],
  ])('a redirect to %s is not followed', async (location, address) => {
    // GIVEN a server that redirects to a link-local or metadata address
    let requests = 0;
    const port = await httpServer((_, res) => { requests++; res.writeHead(302, { location }); res.end(); });

    // WHEN
    const result = await probe(httpTarget(`http://127.0.0.1:${port}/`, { followRedirects: 2 }));

    // THEN a verdict at once, without trying the address
    expectVerdict(result, false, 'redirect', new RegExp(`names ${address.replace(/[.]/g, '\\.')}, a link-local or instance metadata address$`));
    expect(requests).toEqual(1);
    expect(result.latencyMs).toBeLessThan(300);
  });

  test('redirects within the limit are followed', async () => {
    const port = await httpServer((req, res) => {
      if (req.url === '/final') {
        res.end('ok');
      } else {
        res.writeHead(301, { location: '/final' });
        res.end();
      }
    });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/start`, { followRedirects: 2, search: 'ok' })), true, 'ok');
  });

  test('a 100 MB body: only the first bytes are read, memory stays bounded', async () => {
    // GIVEN a server that would stream 100 MB, counting what it manages to send
    let sent = 0;
    const port = await httpServer((_, res) => {
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      chunk.write('ok', 0);
      const pump = () => {
        while (sent < 100 * 1024 * 1024 && res.write(chunk)) {
          sent += chunk.length;
        }
      };
      res.on('drain', pump);
      pump();
    });
    const heapBefore = process.memoryUsage().heapUsed;

    // WHEN
    const found = await probe(httpTarget(`http://127.0.0.1:${port}/`, { search: 'ok' }));
    const missing = await probe(httpTarget(`http://127.0.0.1:${port}/`, { search: 'absent' }));

    // THEN
    expectVerdict(found, true, 'ok');
    expectVerdict(missing, false, 'body', /not in the first 5120 bytes/);
    expect(sent).toBeLessThan(10 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(20 * 1024 * 1024);
  });

  test('an unsolicited 101 Switching Protocols is unhealthy at once', async () => {
    // GIVEN a server that switches protocols without being asked, then stays silent
    const port = await tcpServer((socket) => socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'));

    // WHEN
    const result = await probe(httpTarget(`http://127.0.0.1:${port}/`, { timeoutMs: 5000 }));

    // THEN a status verdict that names 101, well before the 5 s timeout
    expect(result).toMatchObject({ healthy: false, reason: 'status' });
    expect(result.detail).toMatch(/status 101 \(Switching Protocols\) to a request that asked for no upgrade/);
    expect(result.latencyMs).toBeLessThan(2000);
  }, 10_000);

  test('a service that does not speak HTTP', async () => {
    const port = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.0\r\n'));
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), false, 'protocol', /not an HTTP answer \(HPE_/);
  });

  test('nothing listens', async () => {
    const port = await closedPort();
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), false, 'refused');
  });

  test('an address that never answers', async () => {
    // Accepts the connection (the kernel does), then stays silent forever.
    const port = await tcpServer(() => undefined);
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`)), false, 'timeout', /no answer within 600 ms/);
  });

  test('a name that does not exist', async () => {
    expectVerdict(await probe(httpTarget('http://does-not-exist.invalid/')), false, 'nxdomain');
  });
});

describe('host names', () => {
  // The process's resolver (dns.setServers) answers up.test and drops every query for hang*.test.
  let saved: string[];
  beforeAll(async () => {
    saved = dns.getServers();
    dns.setServers([await dnsServer({ 'up.test': '127.0.0.1', 'metadata.test': '169.254.169.254' }, { drop: /^hang/ })]);
  });
  afterAll(() => dns.setServers(saved));

  test('a redirect to a host name that resolves to a link-local address is not followed', async () => {
    const port = await httpServer((_, res) => { res.writeHead(302, { location: 'http://metadata.test/latest/meta-data/' }); res.end(); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { followRedirects: 2 })), false, 'redirect',
      /^redirect not followed: metadata\.test resolves to 169\.254\.169\.254, a link-local or instance metadata address$/);
  });

  test('a redirect to a host name with an ordinary address is followed', async () => {
    const port = await httpServer((req, res) => {
      if (req.headers.host?.startsWith('up.test')) {
        res.end('ok');
      } else {
        res.writeHead(302, { location: `http://up.test:${port}/` });
        res.end();
      }
    });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { followRedirects: 2, search: 'ok' })), true, 'ok');
  });

  test('a host-name target never waits for the thread pool', async () => {
    // GIVEN every thread of libuv's pool held, as four hung getaddrinfo calls would hold it
    const port = await httpServer((_, res) => res.end('ok'));
    const pool = await blockThreadPool();
    try {
      const poolLookup = dns.promises.lookup('localhost');
      poolLookup.catch(() => undefined);
      expect(await Promise.race([poolLookup.then(() => 'answered'), new Promise((r) => setTimeout(() => r('held'), 300))])).toEqual('held');

      // WHEN a target named by a host name is probed
      const result = await probe(httpTarget(`http://up.test:${port}/`, { search: 'ok' }));

      // THEN its name is resolved off the pool, and it is healthy
      expectVerdict(result, true, 'ok');
    } finally {
      await pool.release();
    }
  });

  test.each([
    ['HTTP', (port: number): ProbeTarget => httpTarget(`http://hang.test:${port}/`)],
    ['TCP', (port: number): ProbeTarget => ({ kind: 'tcp', id: 't', host: 'hang.test', port, timeoutMs: TIMEOUT })],
    ['TLS', (port: number): ProbeTarget => ({ kind: 'tls', id: 't', host: 'hang.test', port, serverName: 'hang.test', minCertificateDays: 14, timeoutMs: TIMEOUT })],
  ])('a %s target whose resolver never answers times out while resolving', async (_, target) => {
    const port = await httpServer((__, res) => res.end('ok'));
    expectVerdict(await probe(target(port)), false, 'timeout', /no answer within 600 ms \(resolving the host name\)/);
  });

  test('a TCP target named by a host name', async () => {
    const port = await tcpServer((socket) => socket.end());
    expectVerdict(await probe({ kind: 'tcp', id: 't', host: 'up.test', port, timeoutMs: TIMEOUT }), true, 'ok');
  });
});

describe('HTTPS', () => {
  test('a certificate from a trusted CA', async () => {
    const port = await httpsServer(good, (_, res) => res.end('ok'));
    expectVerdict(await probe(httpTarget(`https://localhost:${port}/`, { ca: ca.cert, search: 'ok' })), true, 'ok');
  });

  test.each([
    ['self-signed', () => selfSigned, /DEPTH_ZERO_SELF_SIGNED_CERT/],
    ['expired', () => expired, /CERT_HAS_EXPIRED/],
    ['for another host', () => wrongHost, /ERR_TLS_CERT_ALTNAME_INVALID/],
  ])('a %s certificate is rejected', async (_, cert, code) => {
    const port = await httpsServer(cert(), (__, res) => res.end('ok'));
    expectVerdict(await probe(httpTarget(`https://localhost:${port}/`, { ca: ca.cert })), false, 'certificate', code);
  });

  test('without validation, like Route 53, a self-signed certificate passes', async () => {
    const port = await httpsServer(selfSigned, (_, res) => res.end('ok'));
    expectVerdict(await probe(httpTarget(`https://localhost:${port}/`, { validateCertificate: false })), true, 'ok');
  });

  test('a redirect from https to http is not followed', async () => {
    // GIVEN an HTTPS endpoint that redirects to a healthy plain-HTTP one
    const plain = await httpServer((_, res) => res.end('ok'));
    const port = await httpsServer(good, (_, res) => { res.writeHead(301, { location: `http://127.0.0.1:${plain}/` }); res.end(); });

    // WHEN / THEN
    expectVerdict(await probe(httpTarget(`https://localhost:${port}/`, { ca: ca.cert, followRedirects: 2, search: 'ok' })), false, 'redirect',
      new RegExp(`^status 301 not followed: http://127\\.0\\.0\\.1:${plain}/ would drop TLS \\(https to http\\)$`));
  });

  test('a redirect from http to https is followed', async () => {
    const secure = await httpsServer(good, (_, res) => res.end('ok'));
    const port = await httpServer((_, res) => { res.writeHead(301, { location: `https://localhost:${secure}/` }); res.end(); });
    expectVerdict(await probe(httpTarget(`http://127.0.0.1:${port}/`, { ca: ca.cert, followRedirects: 2, search: 'ok' })), true, 'ok');
  });

  test('plain HTTP on an HTTPS URL', async () => {
    const port = await httpServer((_, res) => res.end('ok'));
    expectVerdict(await probe(httpTarget(`https://127.0.0.1:${port}/`)), false, 'tls', /wrong version number/);
  });
});

// Skipped only where ::1 cannot be bound: the machine has no IPv6 loopback.
(hasIpv6Loopback() ? describe : describe.skip)('IPv6 literals (skipped when this machine has no ::1)', () => {
  let v6: Certificate;
  beforeAll(() => {
    v6 = certificate({ names: ['::1'], issuer: ca, notBeforeDays: -1, notAfterDays: 30 });
  });

  test('https://[::1]/ with a certificate for the IP address is healthy', async () => {
    const port = await httpsServer(v6, (_, res) => res.end('ok'), [], '::1');
    expectVerdict(await probe(httpTarget(`https://[::1]:${port}/`, { ca: ca.cert, search: 'ok' })), true, 'ok');
  });

  test('https://[::1]/ with a certificate for another address is rejected', async () => {
    const port = await httpsServer(good, (_, res) => res.end('ok'), [], '::1');
    expectVerdict(await probe(httpTarget(`https://[::1]:${port}/`, { ca: ca.cert })), false, 'certificate', /ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  test('a TLS target on ::1 checks the IP address in the certificate', async () => {
    const port = await httpsServer(v6, (_, res) => res.end(), [], '::1');
    const target: TlsTarget = { kind: 'tls', id: 't', host: '::1', port, serverName: '::1', minCertificateDays: 14, timeoutMs: TIMEOUT, ca: ca.cert };
    expectVerdict(await probe(target), true, 'ok');
    expectVerdict(await probe({ ...target, serverName: '::2' }), false, 'certificate', /ERR_TLS_CERT_ALTNAME_INVALID/);
  });
});

describe('TCP and TLS', () => {
  const tlsTarget = (port: number, extra: Partial<TlsTarget> = {}): TlsTarget => ({
    kind: 'tls', id: 't', host: '127.0.0.1', port, serverName: 'localhost', minCertificateDays: 14, timeoutMs: TIMEOUT, ca: ca.cert, ...extra,
  });

  test('TCP connect', async () => {
    const port = await tcpServer((s) => s.end());
    expectVerdict(await probe({ kind: 'tcp', id: 't', host: '127.0.0.1', port, timeoutMs: TIMEOUT }), true, 'ok');
    expectVerdict(await probe({ kind: 'tcp', id: 't', host: '127.0.0.1', port: await closedPort(), timeoutMs: TIMEOUT }), false, 'refused');
  });

  test('TLS handshake with a certificate valid for 30 days', async () => {
    const port = await httpsServer(good, (_, res) => res.end());
    expectVerdict(await probe(tlsTarget(port)), true, 'ok', /valid for (29|30) more day/);
  });

  test('a certificate that expires within the threshold', async () => {
    const port = await httpsServer(expiringSoon, (_, res) => res.end());
    expectVerdict(await probe(tlsTarget(port)), false, 'certificate-expiring', /expires in [45] day\(s\), under 14/);
  });

  test('an intermediate that expires within the threshold fails, though the leaf is valid for 30 days', async () => {
    // GIVEN root (365 days) -> intermediate (2 days) -> leaf (30 days), the server presenting leaf and intermediate
    const intermediate = certificate({ names: [], isCa: true, commonName: 'short-lived intermediate', issuer: ca, notBeforeDays: -1, notAfterDays: 2 });
    const leaf = certificate({ names: ['localhost'], issuer: intermediate, notBeforeDays: -1, notAfterDays: 30 });
    const port = await httpsServer(leaf, (_, res) => res.end(), [intermediate]);

    // WHEN
    const result = await probe(tlsTarget(port));

    // THEN
    expectVerdict(result, false, 'certificate-expiring', /^certificate 1 of the chain \(CN=short-lived intermediate\) expires in [12] day\(s\), under 14$/);
  });

  test.each([
    ['2 minutes more than', 2 * 60_000, true, 'ok'],
    ['2 minutes less than', -2 * 60_000, false, 'certificate-expiring'],
  ])('a certificate valid for %s minCertificateDays (14)', async (_, extraMs, healthy, reason) => {
    const cert = certificate({ names: ['localhost'], issuer: ca, notBeforeDays: -1, notAfterDays: 14, notAfterExtraMs: extraMs });
    const port = await httpsServer(cert, (__, res) => res.end());
    expectVerdict(await probe(tlsTarget(port)), healthy, reason, healthy ? /valid for 14 more day/ : /expires in 13 day\(s\), under 14/);
  });

  test.each([
    ['expired', () => expired, /CERT_HAS_EXPIRED/],
    ['for another host', () => wrongHost, /ERR_TLS_CERT_ALTNAME_INVALID/],
    ['self-signed', () => selfSigned, /DEPTH_ZERO_SELF_SIGNED_CERT/],
  ])('a %s certificate fails the handshake check', async (_, cert, code) => {
    const port = await httpsServer(cert(), (__, res) => res.end());
    expectVerdict(await probe(tlsTarget(port)), false, 'certificate', code);
  });

  test('a peer that never completes the handshake', async () => {
    const port = await tcpServer(() => undefined);
    expectVerdict(await probe(tlsTarget(port)), false, 'timeout', /handshaking/);
  });

  test('a peer that is not TLS', async () => {
    const port = await tcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const result = await probe(tlsTarget(port));
    expect(result.healthy).toBe(false);
    expect(['tls', 'reset', 'protocol']).toContain(result.reason);
  });
});

describe('DNS', () => {
  let server: string;
  beforeAll(async () => {
    server = await dnsServer({ 'db.internal.test': '127.0.0.9' });
  });

  test('a name that resolves', async () => {
    expectVerdict(await probe({ kind: 'dns', id: 't', hostname: 'db.internal.test', recordType: 'A', servers: [server], timeoutMs: TIMEOUT }),
      true, 'ok', /127\.0\.0\.9/);
  });

  test('NXDOMAIN', async () => {
    expectVerdict(await probe({ kind: 'dns', id: 't', hostname: 'gone.internal.test', recordType: 'A', servers: [server], timeoutMs: TIMEOUT }),
      false, 'nxdomain', /does not exist/);
  });

  test('no resolver listening', async () => {
    const result = await probe({ kind: 'dns', id: 't', hostname: 'db.internal.test', recordType: 'A', servers: [`127.0.0.1:${await closedPort()}`], timeoutMs: TIMEOUT });
    expectVerdict(result, false, 'dns', /ECONNREFUSED resolving db\.internal\.test/);
  });

  test('a resolver that never answers', async () => {
    // A UDP socket that reads queries and drops them.
    const silent = await dnsServer({}, { silent: true });
    const result = await probe({ kind: 'dns', id: 't', hostname: 'db.internal.test', recordType: 'A', servers: [silent], timeoutMs: TIMEOUT });
    expectVerdict(result, false, 'timeout', /resolving/);
  });

  test.each(['127.0.0.1:0', '[::1]:0', '127.0.0.1:65536', '127.0.0.1:70000'])('a resolver with port %s is a verdict for its target alone', async (bad) => {
    // GIVEN a healthy target and a DNS target whose resolver's port Node.js cannot use (0 aborts the process)
    const port = await httpServer((_, res) => res.end('ok'));

    // WHEN both are probed in the same round
    const [dnsResult, httpResult] = await probeAll([
      { kind: 'dns', id: 'bad', hostname: 'db.internal.test', recordType: 'A', servers: [server, bad], timeoutMs: TIMEOUT },
      httpTarget(`http://127.0.0.1:${port}/`),
    ], TIMEOUT);

    // THEN the bad resolver fails its own target, with the port, and the other keeps its sample
    expectVerdict(dnsResult, false, 'dns');
    expect(dnsResult.detail).toEqual(`resolver ${bad} has port ${bad.split(':').pop()}, outside 1..65535`);
    expectVerdict(httpResult, true, 'ok');
  });
});

describe('expected statuses', () => {
  test.each([
    [199, false], [200, true], [299, true], [300, false],
  ])('default 200-299: %d is expected: %p', (status, expected) => {
    expect(isExpectedStatus(status, [[200, 299]])).toBe(expected);
  });

  test.each([
    [203, false], [204, true], [205, false], [300, false], [301, true], [302, true], [303, false], [404, true],
  ])('given 204, 301-302 and 404: %d is expected: %p', (status, expected) => {
    expect(isExpectedStatus(status, [[204, 204], [301, 302], [404, 404]])).toBe(expected);
  });
});

describe('certificate expiry', () => {
  const DAY = 86_400_000;
  const now = 1_700_000_000_000;

  test.each([
    ['exactly 14 days', 14 * DAY, true, 'certificate valid for 14 more day(s)'],
    ['14 days less 1 ms', 14 * DAY - 1, false, 'certificate expires in 13 day(s), under 14'],
    ['14 days and 1 ms', 14 * DAY + 1, true, 'certificate valid for 14 more day(s)'],
  ])('a leaf with %s left, at least 14 required', (_, left, ok, detail) => {
    expect(certificateExpiry([{ subject: 'CN=leaf', validTo: now + left }], now, 14)).toEqual({ ok, detail });
  });

  test('the certificate of the chain that expires first decides', () => {
    const chain = [
      { subject: 'CN=leaf', validTo: now + 30 * DAY },
      { subject: 'CN=intermediate', validTo: now + 2 * DAY },
      { subject: 'CN=root', validTo: now + 365 * DAY },
    ];
    expect(certificateExpiry(chain, now, 14)).toEqual({ ok: false, detail: 'certificate 1 of the chain (CN=intermediate) expires in 2 day(s), under 14' });
    expect(certificateExpiry(chain, now, 2)).toEqual({ ok: true, detail: 'certificate valid for 2 more day(s)' });
  });
});

describe('redirect policy', () => {
  test.each([
    ['169.254.0.0', true], ['169.254.169.254', true], ['169.254.255.255', true], ['169.253.255.255', false], ['169.255.0.0', false],
    ['fe80::1', true], ['febf:ffff::1', true], ['fec0::1', false], ['fd00:ec2::254', true], ['fd00:ec2::123', true], ['fd00:ec3::254', false],
    ['::ffff:169.254.169.254', true], ['10.0.0.1', false], ['127.0.0.1', false], ['::1', false], ['metadata.test', false],
  ])('%s is refused after a redirect: %p', (address, refused) => {
    expect(forbiddenAddress(address) !== undefined).toBe(refused);
  });

  test.each([
    ['https://a.example/', 'http://a.example/', 'http://a.example/ would drop TLS (https to http)'],
    ['https://a.example/', 'https://b.example/', undefined],
    ['http://a.example/', 'https://a.example/', undefined],
    ['http://a.example/', 'http://b.example/', undefined],
    ['http://a.example/', 'http://169.254.169.254/', 'http://169.254.169.254/ names 169.254.169.254, a link-local or instance metadata address'],
    ['https://a.example/', 'https://[fd00:ec2::254]/', 'https://[fd00:ec2::254]/ names fd00:ec2::254, a link-local or instance metadata address'],
  ])('a redirect from %s to %s: %p', (from, to, problem) => {
    expect(redirectProblem(new URL(from), new URL(to))).toEqual(problem);
  });
});

describe('ports and resolvers', () => {
  test.each([
    [0, false], [1, true], [53, true], [65535, true], [65536, false], [-1, false], [1.5, false], [NaN, false],
  ])('isPort(%p) is %p', (port, expected) => {
    expect(isPort(port)).toBe(expected);
  });

  test.each([
    '10.0.0.2', '10.0.0.2:53', '10.0.0.2:1', '10.0.0.2:65535', '::1', 'fd00:ec2::253', '[::1]', '[::1]:53', '[fd00:ec2::253]:65535',
  ])('resolver %s is accepted', (server) => {
    expect(resolverProblem(server)).toBeUndefined();
  });

  test.each([
    ['10.0.0.2:0', 'resolver 10.0.0.2:0 has port 0, outside 1..65535'],
    ['10.0.0.2:65536', 'resolver 10.0.0.2:65536 has port 65536, outside 1..65535'],
    ['[::1]:0', 'resolver [::1]:0 has port 0, outside 1..65535'],
    ['10.0.0.2:', 'resolver 10.0.0.2: has port , outside 1..65535'],
    ['10.0.0.2:-1', 'resolver 10.0.0.2:-1 has port -1, outside 1..65535'],
    ['10.0.0.2:dns', 'resolver 10.0.0.2:dns has port dns, outside 1..65535'],
    ['dns.example.com', 'resolver dns.example.com is not an IP address, optionally with :port'],
    ['[10.0.0.2]:53', 'resolver [10.0.0.2]:53 is not an IP address, optionally with :port'],
  ])('resolver %s: %s', (server, problem) => {
    expect(resolverProblem(server)).toEqual(problem);
  });
});

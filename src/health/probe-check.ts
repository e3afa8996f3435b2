/**
 * The checks of the probe Lambda, with no Lambda or SDK types: each probes one target once,
 * within its own timeout, reads at most a bounded number of bytes, and classifies the result.
 * Tests call these directly against real servers on 127.0.0.1.
 */
import * as dns from 'dns';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as tls from 'tls';
import {
  DNS_FAILURE, hostLookup, hostResolver, isPort, REDIRECT_REFUSED, resolverProblem, sni, unbracket,
} from './probe-resolve';

/** One target as the probe receives it (JSON in the schedule's event). */
export type ProbeTarget = HttpTarget | TcpTarget | TlsTarget | DnsTarget;

interface TargetBase {
  /** The metric dimension value: unique within a probe. */
  readonly id: string;
  /** Hard limit for one check, in milliseconds. */
  readonly timeoutMs: number;
}

export interface HttpTarget extends TargetBase {
  readonly kind: 'http';
  /** `http://` or `https://` URL. */
  readonly url: string;
  /** Inclusive status ranges that count as healthy. */
  readonly expectedStatus: Array<[number, number]>;
  /** A string that must appear in the first `searchBytes` bytes of the body. */
  readonly search?: string;
  readonly searchBytes: number;
  /** A response slower than this (to the search string, or the headers) is unhealthy. */
  readonly maxResponseMs?: number;
  /** Redirects to follow (0: a 3xx is judged by `expectedStatus`). */
  readonly followRedirects: number;
  /** Whether HTTPS certificates must be valid for the host. */
  readonly validateCertificate: boolean;
  /** Extra trusted CA certificates (PEM), for private CAs. */
  readonly ca?: string;
}

export interface TcpTarget extends TargetBase {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
}

export interface TlsTarget extends TargetBase {
  readonly kind: 'tls';
  readonly host: string;
  readonly port: number;
  /** SNI and the name the certificate must match. */
  readonly serverName: string;
  /**
   * Every certificate of the presented chain must stay valid at least this many days (of 24 h):
   * exactly that long passes, a second less fails.
   */
  readonly minCertificateDays: number;
  readonly ca?: string;
}

export interface DnsTarget extends TargetBase {
  readonly kind: 'dns';
  readonly hostname: string;
  /** `A` or `AAAA`. */
  readonly recordType: 'A' | 'AAAA';
  /** Resolvers to ask (`ip` or `ip:port`); default the system's. */
  readonly servers?: string[];
}

/** Why a check ended as it did. */
export type Reason =
  | 'ok'
  | 'status' // an unexpected status code
  | 'body' // the search string was not in the first bytes
  | 'slow' // answered, but after maxResponseMs
  | 'timeout' // no complete answer within the timeout
  | 'refused' // nothing listens
  | 'reset' // the peer reset the connection
  | 'unreachable' // no route to the host
  | 'certificate' // TLS certificate rejected (self-signed, expired, wrong host, ...)
  | 'certificate-expiring' // valid, but expires within minCertificateDays
  | 'tls' // TLS handshake failed for another reason
  | 'redirect-loop' // more redirects than allowed, or back to a URL already seen
  | 'redirect' // a redirect the policy never follows: https to http, or to a link-local or metadata address
  | 'protocol' // the peer does not speak HTTP
  | 'nxdomain' // the name does not exist
  | 'no-records' // the name exists without records of the type
  | 'dns' // the resolver failed
  | 'latched' // healthy now, but latched unhealthy until an operator resets it
  | 'error'; // anything else

export interface ProbeResult {
  readonly id: string;
  readonly healthy: boolean;
  readonly reason: Reason;
  /** Time to the verdict, in milliseconds. */
  readonly latencyMs: number;
  /** A short human-readable explanation. */
  readonly detail: string;
}

/** Probes one target once; never throws, never outlives `timeoutMs` by more than a tick. */
export async function probe(target: ProbeTarget): Promise<ProbeResult> {
  const started = Date.now();
  const finish = (healthy: boolean, reason: Reason, detail: string): ProbeResult =>
    ({ id: target.id, healthy, reason, latencyMs: Date.now() - started, detail });
  try {
    switch (target.kind) {
      case 'http': return await checkHttp(target, finish);
      case 'tcp': return await checkTcp(target, finish);
      case 'tls': return await checkTls(target, finish);
      case 'dns': return await checkDns(target, finish);
      default: return finish(false, 'error', `unknown target kind ${(target as { kind: string }).kind}`);
    }
  } catch (e) {
    return finish(false, 'error', describe(e));
  }
}

type Finish = (healthy: boolean, reason: Reason, detail: string) => ProbeResult;

/** Runs `work` with a hard deadline: on expiry `onTimeout` cleans up and the timeout result wins. */
function withTimeout(timeoutMs: number, finish: Finish, phase: () => string,
  work: (settle: (r: ProbeResult) => void, onTimeout: (cleanup: () => void) => void) => void): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    let cleanup: () => void = () => undefined;
    const settle = (r: ProbeResult) => {
      if (!done) {
        done = true;
        clearTimeout(timer);
        cleanup();
        resolve(r);
      }
    };
    const timer = setTimeout(() => settle(finish(false, 'timeout', `no answer within ${timeoutMs} ms (${phase()})`)), timeoutMs);
    try {
      work(settle, (c) => { cleanup = c; });
    } catch (e) {
      settle(finish(false, 'error', describe(e)));
    }
  });
}

function checkHttp(target: HttpTarget, finish: Finish): Promise<ProbeResult> {
  let phase = 'connecting';
  return withTimeout(target.timeoutMs, finish, () => phase, (settle, onTimeout) => {
    const seen = new Set<string>();
    const requests: http.ClientRequest[] = [];
    const resolver = hostResolver(target.timeoutMs);
    onTimeout(() => {
      resolver.cancel();
      requests.forEach((r) => r.destroy());
    });

    const get = (url: string, redirected: boolean) => {
      seen.add(url);
      phase = 'connecting';
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        settle(finish(false, 'error', `not a URL: ${url}`));
        return;
      }
      const secure = parsed.protocol === 'https:';
      const options: https.RequestOptions = {
        method: 'GET',
        headers: { 'user-agent': 'cdk-failover-probe' },
        agent: false,
        lookup: hostLookup(resolver, (resolving) => { phase = resolving ? 'resolving the host name' : 'connecting'; },
          redirected ? forbiddenAddress : undefined),
        ...(secure ? {
          rejectUnauthorized: target.validateCertificate,
          ca: target.ca ? [target.ca] : undefined,
          servername: sni(unbracket(parsed.hostname)),
        } : {}),
      };
      const request = (secure ? https : http).request(parsed, options, (response) => {
        phase = 'reading the body';
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location && target.followRedirects > 0) {
          response.destroy();
          let next: string;
          try {
            next = new URL(location, url).toString();
          } catch {
            settle(finish(false, 'status', `status ${status} to an invalid location: ${location.slice(0, 100)}`));
            return;
          }
          if (!/^https?:/.test(next)) {
            settle(finish(false, 'status', `status ${status} to a location that is not HTTP: ${next.slice(0, 100)}`));
            return;
          }
          const refused = redirectProblem(parsed, new URL(next));
          if (refused !== undefined) {
            settle(finish(false, 'redirect', `status ${status} not followed: ${refused}`));
            return;
          }
          if (seen.has(next)) {
            settle(finish(false, 'redirect-loop', `status ${status} back to ${next}, already requested`));
            return;
          }
          if (seen.size > target.followRedirects) {
            settle(finish(false, 'redirect-loop', `status ${status} to ${next} after ${seen.size - 1} redirect(s), the most followRedirects allows`));
            return;
          }
          get(next, true);
          return;
        }
        // settle() first: it destroys the request, and the events of that must not decide.
        if (!isExpectedStatus(status, target.expectedStatus)) {
          settle(finish(false, 'status', `status ${status}`));
          return;
        }
        if (target.search === undefined) {
          settle(judgeSpeed(target, finish(true, 'ok', `status ${status}`), finish));
          return;
        }
        // Read only the first searchBytes bytes: memory stays bounded whatever the body size.
        const search = Buffer.from(target.search);
        let head = Buffer.alloc(0);
        response.on('data', (chunk: Buffer) => {
          head = Buffer.concat([head, chunk.subarray(0, target.searchBytes - head.length)]);
          if (head.includes(search)) {
            settle(judgeSpeed(target, finish(true, 'ok', `status ${status}, "${target.search}" found`), finish));
          } else if (head.length >= target.searchBytes) {
            settle(finish(false, 'body', `"${target.search}" not in the first ${target.searchBytes} bytes`));
          }
        });
        response.on('end', () => settle(finish(false, 'body', `"${target.search}" not in the ${head.length}-byte body`)));
        response.on('error', (e) => settle(classifyNetworkError(e, finish, phase)));
        response.on('aborted', () => settle(finish(false, 'reset', `connection closed while ${phase}`)));
      });
      requests.push(request);
      // Node.js hands a 101 to 'upgrade' listeners and otherwise waits silently.
      request.on('upgrade', (response: http.IncomingMessage, socket: net.Socket) => {
        socket.destroy();
        settle(finish(false, 'status', `status ${response.statusCode} (Switching Protocols) to a request that asked for no upgrade`));
      });
      request.on('socket', (socket) => socket.once(secure ? 'secureConnect' : 'connect', () => { phase = 'waiting for the headers'; }));
      request.on('error', (e) => settle(classifyNetworkError(e, finish, phase)));
      request.end();
    };
    get(target.url, false);
  });
}

/** Link-local addresses (169.254.0.0/16, fe80::/10) and the EC2 services' IPv6 range (fd00:ec2::/32). */
const LINK_LOCAL = new net.BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
LINK_LOCAL.addSubnet('fd00:ec2::', 32, 'ipv6');

/**
 * Why the probe never connects to `address` after a redirect, or undefined. Link-local addresses
 * hold the instance metadata service (169.254.169.254, fd00:ec2::254), the Amazon DNS server and
 * the ECS credentials endpoint: a redirect there would turn the probe into a way to read them.
 */
export function forbiddenAddress(address: string): string | undefined {
  const family = net.isIP(address);
  if (family !== 0 && LINK_LOCAL.check(address, family === 6 ? 'ipv6' : 'ipv4')) {
    return `${address}, a link-local or instance metadata address`;
  }
  return undefined;
}

/**
 * Why a redirect from `from` to `to` is never followed, or undefined: it would drop TLS (https
 * to http), or it names a link-local or metadata address. A host name's addresses are checked
 * when it is resolved, before connecting.
 */
export function redirectProblem(from: URL, to: URL): string | undefined {
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    return `${to.toString().slice(0, 100)} would drop TLS (https to http)`;
  }
  const refused = forbiddenAddress(unbracket(to.hostname));
  return refused === undefined ? undefined : `${to.toString().slice(0, 100)} names ${refused}`;
}

/** Whether `status` is in one of the inclusive ranges. */
export function isExpectedStatus(status: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  return ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

function judgeSpeed(target: HttpTarget, result: ProbeResult, finish: Finish): ProbeResult {
  if (target.maxResponseMs !== undefined && result.latencyMs > target.maxResponseMs) {
    return finish(false, 'slow', `answered in ${result.latencyMs} ms, more than ${target.maxResponseMs} ms`);
  }
  return result;
}

function checkTcp(target: TcpTarget, finish: Finish): Promise<ProbeResult> {
  if (!isPort(target.port)) {
    return Promise.resolve(finish(false, 'error', `port ${target.port} is outside 1..65535`));
  }
  let phase = 'connecting';
  return withTimeout(target.timeoutMs, finish, () => phase, (settle, onTimeout) => {
    const resolver = hostResolver(target.timeoutMs);
    const lookup = hostLookup(resolver, (resolving) => { phase = resolving ? 'resolving the host name' : 'connecting'; });
    const socket = net.connect({ host: unbracket(target.host), port: target.port, lookup });
    onTimeout(() => {
      resolver.cancel();
      socket.destroy();
    });
    socket.once('connect', () => settle(finish(true, 'ok', `connected to ${target.host}:${target.port}`)));
    socket.once('error', (e) => settle(classifyNetworkError(e, finish, phase)));
  });
}

const DAY_MS = 24 * 60 * 60 * 1000;

function checkTls(target: TlsTarget, finish: Finish): Promise<ProbeResult> {
  if (!isPort(target.port)) {
    return Promise.resolve(finish(false, 'error', `port ${target.port} is outside 1..65535`));
  }
  let phase = 'handshaking';
  return withTimeout(target.timeoutMs, finish, () => phase, (settle, onTimeout) => {
    const serverName = unbracket(target.serverName);
    const resolver = hostResolver(target.timeoutMs);
    const socket = tls.connect({
      host: unbracket(target.host),
      port: target.port,
      lookup: hostLookup(resolver, (resolving) => { phase = resolving ? 'resolving the host name' : 'handshaking'; }),
      servername: sni(serverName),
      // Without SNI, Node.js would check the certificate against the host instead.
      checkServerIdentity: (_, cert) => tls.checkServerIdentity(serverName, cert),
      ca: target.ca ? [target.ca] : undefined,
      rejectUnauthorized: true,
    });
    onTimeout(() => {
      resolver.cancel();
      socket.destroy();
    });
    socket.once('secureConnect', () => {
      const expiry = certificateExpiry(presentedChain(socket.getPeerCertificate(true)), Date.now(), target.minCertificateDays);
      settle(finish(expiry.ok, expiry.ok ? 'ok' : 'certificate-expiring', expiry.detail));
    });
    socket.once('error', (e) => settle(classifyNetworkError(e, finish, phase)));
  });
}

/** One certificate of a chain: its subject and the end of its validity (epoch ms). */
export interface CertificateValidity {
  readonly subject: string;
  readonly validTo: number;
}

/**
 * Judges the certificate of `chain` (leaf first) that expires first: healthy when it has at
 * least `minDays` days of 24 h left; exactly `minDays` days passes.
 */
export function certificateExpiry(chain: CertificateValidity[], now: number, minDays: number): { ok: boolean; detail: string } {
  const first = chain.reduce((a, b) => (b.validTo < a.validTo ? b : a));
  const index = chain.indexOf(first);
  const left = first.validTo - now;
  const days = Math.floor(left / DAY_MS);
  if (left < minDays * DAY_MS) {
    const which = index === 0 ? 'certificate' : `certificate ${index} of the chain (${first.subject})`;
    return { ok: false, detail: `${which} expires in ${days} day(s), under ${minDays}` };
  }
  return { ok: true, detail: `certificate valid for ${days} more day(s)` };
}

/** The chain as the handshake gave it, leaf first, up to a self-signed certificate (whose issuer is itself). */
function presentedChain(leaf: tls.DetailedPeerCertificate): CertificateValidity[] {
  const chain: CertificateValidity[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = leaf;
  while (cert?.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push({ subject: `CN=${cert.subject?.CN ?? '?'}`, validTo: Date.parse(cert.valid_to) });
    cert = cert.issuerCertificate;
  }
  return chain;
}

function checkDns(target: DnsTarget, finish: Finish): Promise<ProbeResult> {
  const bad = (target.servers ?? []).map(resolverProblem).find((p) => p !== undefined);
  if (bad !== undefined) {
    return Promise.resolve(finish(false, 'dns', bad));
  }
  const resolver = new dns.promises.Resolver({ timeout: target.timeoutMs, tries: 1 });
  if (target.servers && target.servers.length > 0) {
    resolver.setServers(target.servers);
  }
  return withTimeout(target.timeoutMs, finish, () => 'resolving', (settle, onTimeout) => {
    onTimeout(() => resolver.cancel());
    const lookup = target.recordType === 'AAAA' ? resolver.resolve6(target.hostname) : resolver.resolve4(target.hostname);
    lookup.then(
      (addresses) => settle(addresses.length > 0
        ? finish(true, 'ok', `${target.hostname} ${target.recordType} ${addresses.join(', ')}`)
        : finish(false, 'no-records', `${target.hostname} has no ${target.recordType} records`)),
      (e: NodeJS.ErrnoException) => {
        switch (e.code) {
          case 'ENOTFOUND': settle(finish(false, 'nxdomain', `${target.hostname} does not exist`)); break;
          case 'ENODATA': settle(finish(false, 'no-records', `${target.hostname} has no ${target.recordType} records`)); break;
          case 'ECANCELLED': break; // the timeout already settled
          default: settle(finish(false, 'dns', `${e.code ?? 'error'} resolving ${target.hostname}`));
        }
      },
    );
  });
}

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED',
]);

function classifyNetworkError(e: unknown, finish: Finish, phase: string): ProbeResult {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (CERTIFICATE_CODES.has(code)) {
    return finish(false, 'certificate', `certificate rejected: ${code}`);
  }
  if (code.startsWith('HPE_')) {
    return finish(false, 'protocol', `not an HTTP answer (${code})`);
  }
  // OpenSSL reports a peer that is not TLS (or speaks another version) as EPROTO.
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    const why = /wrong version number|packet length too long|unexpected eof/i.exec(String((e as Error).message))?.[0] ?? code;
    return finish(false, 'tls', `TLS failed: ${why}`);
  }
  switch (code) {
    case 'ECONNREFUSED': return finish(false, 'refused', `connection refused while ${phase}`);
    case 'ECONNRESET':
    case 'EPIPE': return finish(false, 'reset', `connection reset while ${phase}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return finish(false, 'unreachable', `${code} while ${phase}`);
    case 'ENOTFOUND': return finish(false, 'nxdomain', 'the host name does not exist');
    case DNS_FAILURE: return finish(false, 'dns', (e as Error).message);
    case REDIRECT_REFUSED: return finish(false, 'redirect', `redirect not followed: ${(e as Error).message}`);
    case 'ETIMEDOUT': return finish(false, 'timeout', `timed out while ${phase}`);
    default: return finish(false, 'error', `${describe(e)} while ${phase}`);
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e);
}

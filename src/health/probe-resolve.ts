/**
 * How the probe finds its targets: host names resolved with a resolver of its own, bounded by
 * the target's timeout (never libuv's shared thread pool, which a hanging lookup would starve),
 * resolver addresses checked before use, and IP literals kept out of TLS SNI.
 */
import * as dns from 'dns';
import * as net from 'net';

/** Whether `port` is a TCP or UDP port a client can connect to: an integer from 1 to 65535. */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/**
 * What is wrong with a resolver given as `ip`, `ipv4:port` or `[ipv6]:port`, or undefined.
 * Node.js's `setServers` aborts the whole process on port 0 and wraps ports above 65535 onto
 * another port, so every resolver is checked before it is used.
 */
export function resolverProblem(server: string): string | undefined {
  if (net.isIP(server) !== 0) {
    return undefined;
  }
  const withPort = /^\[([^\]]*)\](?::(.*))?$/.exec(server) ?? /^([^:[\]]*):(.*)$/.exec(server);
  const family = server.startsWith('[') ? 6 : 4;
  if (!withPort || net.isIP(withPort[1]) !== family) {
    return `resolver ${server} is not an IP address, optionally with :port`;
  }
  const port = withPort[2];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && isPort(Number(port)))) {
    return `resolver ${server} has port ${port}, outside 1..65535`;
  }
  return undefined;
}

/**
 * A resolver for one check's host names, asking the process's DNS servers. Host names are never
 * resolved with `dns.lookup`: getaddrinfo runs on libuv's thread pool (4 threads), where no
 * timeout can cancel it, so four targets whose DNS hangs would hold every thread and a healthy
 * target, and the metric publication, would wait behind them. A c-ares query runs on the event
 * loop, has its own timeout and is cancelled with its check.
 */
export function hostResolver(timeoutMs: number): dns.promises.Resolver {
  const resolver = new dns.promises.Resolver({ timeout: timeoutMs, tries: 1 });
  const servers = dns.getServers();
  if (servers.length > 0) {
    resolver.setServers(servers);
  }
  return resolver;
}

/** The code of a resolver failure other than a missing name or a timeout. */
export const DNS_FAILURE = 'EPROBEDNS';
/** The code of a redirect whose host resolves to an address the policy refuses. */
export const REDIRECT_REFUSED = 'EPROBEREDIRECT';

/**
 * A `lookup` for sockets that resolves with `resolver`; `onResolving` follows the phase. With
 * `refuse`, a name with any address it objects to fails before a connection is tried.
 */
export function hostLookup(resolver: dns.promises.Resolver, onResolving: (resolving: boolean) => void,
  refuse?: (address: string) => string | undefined): net.LookupFunction {
  return (hostname, options, callback) => {
    onResolving(true);
    resolveHost(resolver, hostname, options.family).then((addresses) => {
      onResolving(false);
      const why = refuse && addresses.map((a) => refuse(a.address)).find((r) => r !== undefined);
      if (why) {
        callback(Object.assign(new Error(`${hostname} resolves to ${why}`), { code: REDIRECT_REFUSED }), '');
      } else if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    }, (e: NodeJS.ErrnoException) => {
      switch (e.code) {
        case 'ENOTFOUND': callback(e, ''); break;
        case 'ETIMEOUT': callback(Object.assign(new Error(`resolving ${hostname} timed out`), { code: 'ETIMEDOUT' }), ''); break;
        case 'ENODATA': callback(Object.assign(new Error(`${hostname} has no A or AAAA records`), { code: DNS_FAILURE }), ''); break;
        default: callback(Object.assign(new Error(`${e.code ?? 'error'} resolving ${hostname}`), { code: DNS_FAILURE }), '');
      }
    });
  };
}

/** IPv4 addresses first (Lambda functions reach IPv6 only in dual-stack subnets), then IPv6. */
export async function resolveHost(resolver: dns.promises.Resolver, hostname: string, family?: number | string): Promise<dns.LookupAddress[]> {
  // RFC 6761: localhost names are the loopback, never asked of a DNS server.
  const addresses = /(^|\.)localhost\.?$/i.test(hostname)
    ? [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]
    : await resolveAddresses(resolver, hostname);
  const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
  if (wanted.length === 0) {
    throw Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENODATA' });
  }
  return wanted;
}

export async function resolveAddresses(resolver: dns.promises.Resolver, hostname: string): Promise<dns.LookupAddress[]> {
  try {
    return (await resolver.resolve4(hostname)).map((address) => ({ address, family: 4 }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENODATA') {
      throw e;
    }
  }
  return (await resolver.resolve6(hostname)).map((address) => ({ address, family: 6 }));
}

/** A URL's host without the brackets of an IPv6 literal: `[::1]` is `::1`. */
export function unbracket(host: string): string {
  return /^\[(.*)\]$/.exec(host)?.[1] ?? host;
}

/** TLS SNI takes names, never IP addresses. */
export function sni(host: string): string | undefined {
  return net.isIP(host) ? undefined : host;
}


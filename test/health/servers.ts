/**
 * Real servers on 127.0.0.1 for the probe tests, and certificates made for them. Every server
 * binds to 127.0.0.1 only (or ::1 when a test asks), on a free port, and is closed by `closeAll()` (afterAll), with every
 * open connection destroyed, so nothing outlives the test file.
 */
import * as childProcess from 'child_process';
import * as crypto from 'crypto';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as forge from 'node-forge';

const open: Array<{ close: () => void }> = [];

function track<T extends net.Server>(server: T): T {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => sockets.add(s));
  open.push({ close: () => { sockets.forEach((s) => s.destroy()); server.close(); } });
  return server;
}

async function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as net.AddressInfo).port;
}

/** An HTTP server; returns its port. */
export async function httpServer(handler: http.RequestListener): Promise<number> {
  return listen(track(http.createServer(handler)));
}

/** An HTTPS server with the given certificate, followed by `chain` (intermediates); returns its port. */
export async function httpsServer(cert: Certificate, handler: http.RequestListener, chain: Certificate[] = [], host = '127.0.0.1'): Promise<number> {
  return listen(track(https.createServer({ key: cert.key, cert: [cert, ...chain].map((c) => c.cert).join('') }, handler)), host);
}

/** Whether this machine has the IPv6 loopback address, ::1. */
export function hasIpv6Loopback(): boolean {
  return Object.values(os.networkInterfaces()).flat().some((i) => i?.address === '::1');
}

/** A raw TCP server; returns its port. */
export async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  return listen(track(net.createServer(onConnection)));
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A minimal DNS server over UDP: answers A queries for `records` and NXDOMAIN for any other
 * name, or nothing at all when `silent` (or, with `drop`, for the names it matches). Returns
 * `127.0.0.1:port` for a resolver's server list.
 */
export async function dnsServer(records: Record<string, string>, options: { silent?: boolean; drop?: RegExp } = {}): Promise<string> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    if (options.silent) {
      return;
    }
    const id = query.subarray(0, 2);
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString());
      offset += query[offset] + 1;
    }
    if (options.drop?.test(labels.join('.'))) {
      return;
    }
    const question = query.subarray(12, offset + 5);
    const qtype = query.readUInt16BE(offset + 1);
    const address = records[labels.join('.').toLowerCase()];
    const answer = address && qtype === 1
      ? Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]), Buffer.from(address.split('.').map(Number))])
      : Buffer.alloc(0);
    // Flags: response, recursion available; RCODE 3 (NXDOMAIN) for unknown names.
    const flags = Buffer.from([0x81, address ? 0x80 : 0x83]);
    const counts = Buffer.from([0, 1, 0, answer.length > 0 ? 1 : 0, 0, 0, 0, 0]);
    socket.send(Buffer.concat([id, flags, counts, question, answer]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  open.push({ close: () => socket.close() });
  return `127.0.0.1:${socket.address().port}`;
}

export function closeAll(): void {
  open.splice(0).forEach((s) => s.close());
}

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

interface CertificateOptions {
  /** Names in the subjectAltName. */
  readonly names: string[];
  /** Days from now: negative for the past. */
  readonly notBeforeDays: number;
  readonly notAfterDays: number;
  /** Signed by this CA; self-signed when absent. */
  readonly issuer?: Certificate;
  readonly isCa?: boolean;
  /** The subject's common name. @default - the first name, or 'cdk-failover test CA' */
  readonly commonName?: string;
  /** Added to notAfter, for boundaries finer than a day. */
  readonly notAfterExtraMs?: number;
}

/** An X.509 certificate and its key, made with node-forge over a Node-generated RSA key. */
export function certificate(options: CertificateOptions): Certificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = crypto.randomBytes(8).toString('hex').replace(/^[89a-f]/, '1');
  cert.validity.notBefore = new Date(Date.now() + options.notBeforeDays * 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + options.notAfterDays * 86_400_000 + (options.notAfterExtraMs ?? 0));
  const subject = [{ name: 'commonName', value: options.commonName ?? (options.isCa ? 'cdk-failover test CA' : options.names[0]) }];
  cert.setSubject(subject);
  const issuerCert = options.issuer ? forge.pki.certificateFromPem(options.issuer.cert) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: options.isCa === true },
    { name: 'keyUsage', keyCertSign: options.isCa === true, digitalSignature: true, keyEncipherment: true },
    ...(options.isCa ? [] : [{
      name: 'subjectAltName',
      altNames: options.names.map((n) => (net.isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    }]),
  ]);
  const signingKey = forge.pki.privateKeyFromPem(options.issuer ? options.issuer.key : keyPem);
  cert.sign(signingKey, forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

/**
 * Blocks every thread of libuv's pool, as hung getaddrinfo calls would: each thread opens a FIFO
 * that nobody writes. `release()` opens them for writing, which frees the threads, and removes
 * the folder.
 */
export async function blockThreadPool(): Promise<{ release: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-pool-'));
  const fifos = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE) || 4 }, (_, i) => path.join(dir, `fifo-${i}`));
  fifos.forEach((fifo) => childProcess.execFileSync('mkfifo', [fifo]));
  const readers = fifos.map((fifo) => fs.promises.open(fifo, 'r'));
  return {
    release: async () => {
      // O_RDWR never blocks on Linux; kept open until every reader is in, so none waits again.
      const writers = fifos.map((fifo) => fs.openSync(fifo, fs.constants.O_RDWR));
      (await Promise.all(readers)).forEach((r) => void r.close());
      writers.forEach((w) => fs.closeSync(w));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Benchmark of the probe Lambda's runner, run with `npm run bench:probe` (after the bundle task).
 *
 * 1. Wall time of one round over 500 HTTP targets on 127.0.0.1, each with its own random delay,
 *    against the slowest target's delay: probing concurrently, a round should take little more
 *    than its slowest target.
 * 2. Detection latency: the real runner (runInvocation) samples a healthy server, the server
 *    then fails at a random moment (killed: refused; hung: timeout), and the time to the first
 *    unhealthy sample is compared to one sampling interval plus the target timeout.
 * 3. The handler bundle: its size, that it carries its own AWS SDK clients, and its module init
 *    time in fresh Node processes, from a copy outside the repository (so nothing else resolves).
 *
 * Every figure is measured in this run. Servers bind to 127.0.0.1 only and are closed before
 * the bench ends, also on error; nothing calls AWS. The bench asserts nothing: it prints verdict
 * lines and exits 0 unless it could not measure.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Worker } from 'worker_threads';
import * as esbuild from 'esbuild';
import { HttpTarget, ProbeResult } from '../src/health/probe-check';
import { ProbeEvent, PUBLISH_BUDGET_MS } from '../src/health/probe-contract';
import { Clock, Datum, MetricSink, probeAll, REAL_CLOCK, runInvocation } from '../src/health/probe-run';

const ROOT = path.join(__dirname, '..');
/** Park-Miller seed (1 .. 2^31 - 2): fixed, so every run probes the same delays. */
const SEED = 20_260_611;

// Part 1
const TARGETS = 500;
const MAX_DELAY_MS = 500;
const WALL_TIMEOUT_MS = 5000;
const WALL_RUNS = 5;
const WALL_FACTOR = 1.3;
/** Above Node's default of 511, so 500 simultaneous connects never wait in (or overflow) the accept queue. */
const BACKLOG = 2048;
const SEARCH = 'cdk-failover-ok';

// Part 2
const INTERVAL_MS = 1000;
const DETECT_TIMEOUT_MS = 1000;
/** Rounds one invocation may run: the failure comes in the second interval, so this is ample. */
const MAX_ROUNDS = 10;
const DETECT_TRIALS = 5;
const DETECT_BOUND_MS = INTERVAL_MS + DETECT_TIMEOUT_MS;

// Part 3
const BUNDLE = path.join(ROOT, 'assets', 'health', 'probe.lambda', 'index.js');
const SDK_CLIENTS = ['@aws-sdk/client-cloudwatch', '@aws-sdk/client-dynamodb'];
/** The Node built-ins any probe of HTTP, HTTPS, TCP, TLS and DNS loads: the floor under its init. */
const PROBE_BUILTINS = ['http', 'https', 'net', 'tls', 'dns'];
const INIT_RUNS = 15;
const INIT_LIMIT_MS = 50;
/** A child that has not exited by then is killed: the bench must end by itself. */
const CHILD_TIMEOUT_MS = 30_000;

/** Once main() is done, anything still keeping the process alive past this is a leak. */
const EXIT_GUARD_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Helpers: PRNG, statistics, servers on 127.0.0.1
// ---------------------------------------------------------------------------------------------

/** Park-Miller "minimal standard" generator: seeded, no bitwise operations, uniform in [0, 1). */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48_271) % 2_147_483_647;
    return (state - 1) / 2_147_483_646;
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

function yesNo(ok: boolean): string {
  return ok ? 'yes' : 'NO';
}

interface BenchServer {
  readonly port: number;
  /** Stops listening (new connects are refused) and destroys every open connection. */
  kill(): Promise<void>;
}

/** Every server started and not yet killed: main() kills the rest, also on error. */
const live = new Set<BenchServer>();

/**
 * An HTTP server on 127.0.0.1 with its own socket bookkeeping, so it can be killed mid-run.
 * Node's http server sets no connection limit (maxConnections is unset) and the handlers answer
 * with `Connection: close`, as the probe (agent: false) asks: no keep-alive socket is reused.
 */
async function startServer(handler: http.RequestListener): Promise<BenchServer> {
  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', backlog: BACKLOG }, resolve);
  });
  let closed: Promise<void> | undefined;
  const bench: BenchServer = {
    port: (server.address() as net.AddressInfo).port,
    kill: () => {
      live.delete(bench);
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      });
      return closed;
    },
  };
  live.add(bench);
  return bench;
}

async function killAll(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill()));
}

function httpTarget(id: string, url: string, timeoutMs: number): HttpTarget {
  return {
    kind: 'http', id, url, timeoutMs, expectedStatus: [[200, 299]], search: SEARCH, searchBytes: 1024, followRedirects: 0, validateCertificate: true,
  };
}

/** `reason: count` pairs, for runs where not every target was healthy. */
function reasons(results: ProbeResult[]): string {
  const counts = new Map<string, number>();
  results.filter((r) => !r.healthy).forEach((r) => counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1));
  return [...counts].map(([reason, n]) => `${reason} ${n}`).join(', ');
}

// ---------------------------------------------------------------------------------------------
// 1. 500 targets: wall time vs the slowest target
// ---------------------------------------------------------------------------------------------

function somaxconn(): string {
  try {
    return fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The 500-target server runs on a worker thread: its own event loop, so accepting, parsing and
 * answering 500 requests does not run on the probe's thread (as with a remote server), and
 * terminating the worker frees its socket and timers whatever state it is in. Node's http
 * server sets no connection limit (maxConnections is unset), the backlog is raised, and every
 * response says `Connection: close`, as the probe (agent: false) does. Plain JS: the worker
 * does not load ts-node.
 */
const DELAY_SERVER = `
const http = require('http');
const { parentPort, workerData } = require('worker_threads');
const { delays, body, backlog } = workerData;
const server = http.createServer((req, res) => {
  const delay = delays[Number((/^\\/t\\/(\\d+)$/.exec(req.url) || [])[1])];
  res.setHeader('connection', 'close');
  if (delay === undefined) {
    res.statusCode = 404;
    res.end();
    return;
  }
  setTimeout(() => res.end(body), delay);
});
server.listen({ port: 0, host: '127.0.0.1', backlog }, () => parentPort.postMessage(server.address().port));
`;

/** Starts the delay server; `kill()` terminates its worker. */
async function startDelayServer(delays: number[]): Promise<BenchServer> {
  const worker = new Worker(DELAY_SERVER, { eval: true, workerData: { delays, body: `target: ${SEARCH}\n`, backlog: BACKLOG } });
  let ended: Promise<void> | undefined;
  const server = {
    port: 0,
    kill: (): Promise<void> => {
      live.delete(server);
      ended ??= worker.terminate().then(() => undefined);
      return ended;
    },
  };
  live.add(server); // before the first await: main() terminates it even if listening fails
  server.port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.on('error', reject); // after listening, a late error is reported by the runs failing
    worker.once('exit', (code) => reject(new Error(`the delay server exited with ${code} before listening`)));
  });
  return server;
}

async function benchWallTime(random: () => number): Promise<string> {
  // One delay per target, drawn once: the 5 runs repeat the same configuration.
  const delays = Array.from({ length: TARGETS }, () => random() * MAX_DELAY_MS);
  const slowest = Math.max(...delays);
  const server = await startDelayServer(delays);
  const targets = delays.map((_, i) => httpTarget(`t${i}`, `http://127.0.0.1:${server.port}/t/${i}`, WALL_TIMEOUT_MS));

  console.log(`\n1. ${TARGETS} HTTP targets on 127.0.0.1, delays uniform in 0..${MAX_DELAY_MS} ms (seed ${SEED}), `
    + `probeAll with a ${WALL_TIMEOUT_MS} ms timeout per target, search string in the body`);
  console.log(`  one server on a worker thread: listen backlog ${BACKLOG} (kernel somaxconn ${somaxconn()}), no connection limit, `
    + 'Connection: close on every response');
  console.log(`  configured delays: min ${ms(Math.min(...delays))}, median ${ms(median(delays))}, slowest ${ms(slowest)}`);

  const ratios: number[] = [];
  let allHealthy = true;
  try {
    for (let run = 1; run <= WALL_RUNS; run++) {
      const started = performance.now();
      const results = await probeAll(targets, WALL_TIMEOUT_MS);
      const wall = performance.now() - started;
      const healthy = results.filter((r) => r.healthy).length;
      allHealthy &&= healthy === TARGETS;
      ratios.push(wall / slowest);
      const observed = Math.max(...results.map((r) => r.latencyMs));
      console.log(`  run ${run}: wall ${ms(wall)}, slowest configured delay ${ms(slowest)}, ratio ${(wall / slowest).toFixed(3)}x, `
        + `healthy ${healthy}/${TARGETS}${healthy < TARGETS ? ` (${reasons(results)})` : ''}, slowest measured latency ${observed} ms`);
    }
  } finally {
    await server.kill();
  }
  const med = median(ratios);
  const verdict = allHealthy
    ? `median wall/slowest ${med.toFixed(3)}x, within ${WALL_FACTOR}x: ${yesNo(med <= WALL_FACTOR)}`
    : `median wall/slowest ${med.toFixed(3)}x, NOT MEANINGFUL: some targets were not healthy`;
  console.log(`  VERDICT ${verdict} (every target healthy in every run: ${yesNo(allHealthy)})`);
  return `500 targets: ${verdict}`;
}

// ---------------------------------------------------------------------------------------------
// 2. Detection latency with the real runner
// ---------------------------------------------------------------------------------------------

type FailureKind = 'killed' | 'hung';

interface Sample {
  /** When the round started (the datum's Timestamp), Date.now() time base. */
  readonly roundAt: number;
  /** When the sink received the round's data. */
  readonly publishedAt: number;
  readonly failed: boolean;
}

interface Trial {
  readonly start: number;
  readonly failedAt: number;
  readonly samples: Sample[];
  /** The first unhealthy sample published after the failure, if any. */
  readonly detected?: Sample;
  readonly reason?: string;
}

/**
 * One trial: runInvocation samples a healthy server every INTERVAL_MS; at a random moment in the
 * second interval (after at least one healthy round, at a random phase of the sampling) the
 * server fails. Everything uses Date.now(), the runner's own clock, so round times compare.
 */
async function detectionTrial(kind: FailureKind, random: () => number): Promise<Trial> {
  let hung = false;
  // Hung: the connection is accepted and the request read, but never answered.
  const server = await startServer((_, res) => {
    if (!hung) {
      res.setHeader('connection', 'close');
      res.end(SEARCH);
    }
  });
  const event: ProbeEvent = {
    probe: 'bench',
    namespace: 'Bench',
    samples: MAX_ROUNDS,
    periodMs: MAX_ROUNDS * INTERVAL_MS,
    targets: [httpTarget('primary', `http://127.0.0.1:${server.port}/`, DETECT_TIMEOUT_MS)],
  };

  const samples: Sample[] = [];
  let failedAt: number | undefined;
  let stop = false;
  const sink: MetricSink = {
    put: async (_namespace: string, data: Datum[]) => {
      const failure = data.find((d) => d.MetricName === 'Failure')!;
      const sample = { roundAt: failure.Timestamp.getTime(), publishedAt: Date.now(), failed: failure.Value === 1 };
      samples.push(sample);
      stop ||= failedAt !== undefined && sample.failed;
    },
  };
  // The runner has no stop signal: once the failure is seen, this clock jumps past the
  // deadline, so the runner skips its remaining rounds as it would at the end of its minute.
  const clock: Clock = { now: () => Date.now() + (stop ? 3_600_000 : 0), sleep: REAL_CLOCK.sleep };

  const start = Date.now();
  const deadline = start + event.periodMs + DETECT_TIMEOUT_MS + PUBLISH_BUDGET_MS + 1000;
  const failTimer = setTimeout(() => {
    failedAt = Date.now();
    if (kind === 'killed') {
      void server.kill();
    } else {
      hung = true;
    }
  }, INTERVAL_MS * (1 + random()));
  try {
    const report = await runInvocation(event, sink, deadline, clock);
    const detected = samples.find((s) => s.failed && failedAt !== undefined && s.publishedAt >= failedAt);
    const round = report.rounds.find((r) => r.startedAt === detected?.roundAt);
    return { start, failedAt: failedAt ?? NaN, samples, detected, reason: round?.results[0].reason };
  } finally {
    clearTimeout(failTimer);
    await server.kill();
  }
}

function describeTrial(kind: FailureKind, n: number, t: Trial): string {
  const rel = (x: number) => `+${x - t.start} ms`;
  const before = t.samples.filter((s) => s.publishedAt < t.failedAt);
  const falseAlarms = before.filter((s) => s.failed).length;
  const head = `  ${kind} ${n}: failed at ${rel(t.failedAt)} (${(t.failedAt - t.start) % INTERVAL_MS} ms into the interval), `
    + `${before.length} healthy round(s) before${falseAlarms > 0 ? ` (${falseAlarms} UNHEALTHY before the failure)` : ''}`;
  if (!t.detected) {
    return `${head}; NOT DETECTED in ${t.samples.length} rounds`;
  }
  const latency = t.detected.publishedAt - t.failedAt;
  return `${head}; first unhealthy round started ${rel(t.detected.roundAt)}, published ${rel(t.detected.publishedAt)} `
    + `(${t.reason}): detection ${latency} ms = ${(latency / DETECT_BOUND_MS).toFixed(3)}x the bound`;
}

async function benchDetection(kind: FailureKind, title: string, random: () => number): Promise<string> {
  console.log(`  (${kind === 'killed' ? 'a' : 'b'}) ${title}`);
  const latencies: number[] = [];
  for (let n = 1; n <= DETECT_TRIALS; n++) {
    const trial = await detectionTrial(kind, random);
    console.log(describeTrial(kind, n, trial));
    latencies.push(trial.detected ? trial.detected.publishedAt - trial.failedAt : Infinity);
  }
  const max = Math.max(...latencies);
  const verdict = `${kind}: median ${median(latencies)} ms, max ${max} ms = ${(max / DETECT_BOUND_MS).toFixed(3)}x the bound, `
    + `every trial within ${DETECT_BOUND_MS} ms: ${yesNo(max <= DETECT_BOUND_MS)}`;
  console.log(`  VERDICT ${verdict}`);
  return `detection ${verdict}`;
}

// ---------------------------------------------------------------------------------------------
// 3. The handler bundle: size, external SDK clients, init time
// ---------------------------------------------------------------------------------------------

/** Runs in a fresh `node`: times require() of each module named in argv, in order; prints JSON. */
const INIT_SCRIPT = [
  'const times = {};',
  'for (const name of process.argv.slice(1)) {',
  '  const started = process.hrtime.bigint();',
  '  require(name);',
  '  times[name] = Number(process.hrtime.bigint() - started) / 1e6;',
  '}',
  'console.log(JSON.stringify(times));',
].join('\n');

/** Milliseconds per module, required in this order in one fresh process started in `cwd`. */
function timeRequires(modules: string[], env: NodeJS.ProcessEnv, cwd: string): number[] {
  const child = spawnSync(process.execPath, ['-e', INIT_SCRIPT, ...modules], { cwd, env, encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  if (child.status !== 0) {
    throw new Error(`node exited with ${child.status ?? child.signal} requiring ${modules.join(', ')}: ${child.stderr}`);
  }
  const times = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number>;
  return modules.map((m) => times[m]);
}

/**
 * Init of the bundle with and without latches, runs interleaved so that a slow spell of the
 * machine falls on both; then the built-ins alone and the bundle on top of them.
 */
function benchInit(bundle: string, clientOnly: string, env: NodeJS.ProcessEnv, cwd: string): string {
  const latch = { ...env, LATCH_TABLE: 'bench-latches' };
  const plain: number[] = [];
  const latched: number[] = [];
  const client: number[] = [];
  const floor: number[] = [];
  const onTop: number[] = [];
  for (let i = 0; i < INIT_RUNS; i++) {
    plain.push(timeRequires([bundle], env, cwd)[0]);
    latched.push(timeRequires([bundle], latch, cwd)[0]);
    client.push(timeRequires([clientOnly], env, cwd)[0]);
    const [builtins, rest] = breakdown(bundle, env, cwd);
    floor.push(builtins);
    onTop.push(rest);
  }
  const line = (label: string, times: number[]) => {
    const sorted = [...times].sort((x, y) => x - y);
    console.log(`  init, ${label}: min ${ms(sorted[0])}, median ${ms(median(times))}, max ${ms(sorted[sorted.length - 1])}`);
  };
  line('no latch (LATCH_TABLE unset)', plain);
  line('with latches (LATCH_TABLE set, DynamoDB client loaded too)', latched);
  line('a bundle of nothing but a CloudWatchClient and PutMetricDataCommand (same esbuild flags)', client);
  console.log(`  breakdown, no latch: the built-ins ${PROBE_BUILTINS.join(', ')} alone median ${ms(median(floor))} `
    + `(any probe pays this); the bundle on top of them median ${ms(median(onTop))} (the SDK clients and the probe code)`);
  const med = median(plain);
  return `median ${ms(med)} over ${INIT_RUNS} processes, under ${INIT_LIMIT_MS} ms: ${yesNo(med < INIT_LIMIT_MS)}`;
}

function breakdown(bundle: string, env: NodeJS.ProcessEnv, cwd: string): [number, number] {
  const times = timeRequires([...PROBE_BUILTINS, bundle], env, cwd);
  return [times.slice(0, -1).reduce((x, y) => x + y, 0), times[times.length - 1]];
}

function benchBundle(): string {
  const size = fs.statSync(BUNDLE).size;
  const text = fs.readFileSync(BUNDLE, 'utf8');
  console.log(`\n3. The handler bundle ${path.relative(ROOT, BUNDLE)}`);
  console.log(`  size: ${size} bytes (${(size / 1024).toFixed(1)} KiB), minified`);
  for (const client of SDK_CLIENTS) {
    const external = text.includes(`require("${client}")`);
    console.log(`  ${client}: in the bundle ${yesNo(!external)}`);
  }

  // A copy in a directory of its own: require() cannot fall back on the repository's
  // node_modules, so a bundle that is not self-contained fails here. The Lambda runtime sets
  // AWS_REGION; LATCH_TABLE is set only when a target has a latch.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-bundle-'));
  try {
    const copy = path.join(dir, 'index.js');
    fs.copyFileSync(BUNDLE, copy);
    // What the SDK alone costs: the CloudWatch client the handler must use, bundled the same way.
    const clientOnly = path.join(dir, 'client-only.js');
    esbuild.buildSync({
      stdin: {
        contents: "import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';\n"
          + 'export const client = new CloudWatchClient({ maxAttempts: 1 });\nexport const command = PutMetricDataCommand;\n',
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node24',
      minify: true,
      mainFields: ['module', 'main'],
      outfile: clientOnly,
      logLevel: 'error',
    });
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: 'us-east-1' };
    delete env.LATCH_TABLE;
    delete env.NODE_PATH;
    delete env.NODE_OPTIONS;
    console.log('  module init: require() of a copy of the bundle in a directory of its own, timed inside '
      + `${INIT_RUNS} fresh \`node\` processes per line (${process.version}), AWS_REGION=us-east-1`);
    const verdict = benchInit(copy, clientOnly, env, dir);
    console.log(`  VERDICT handler init (no latch) ${verdict}`);
    return `handler init (no latch): ${verdict}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const random = prng(SEED);
  console.log('cdk-failover bench: the probe runner (src/health/probe-run.ts) against servers on 127.0.0.1');
  // Timings depend on the machine and on what else runs on it: say both.
  console.log(`machine: ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`);
  const verdicts: string[] = [];
  try {
    verdicts.push(await benchWallTime(random));
    console.log(`\n2. Detection latency: runInvocation sampling one healthy HTTP target every ${INTERVAL_MS} ms `
      + `(timeout ${DETECT_TIMEOUT_MS} ms), the server failing at a random moment in the second interval`);
    console.log(`  bound: one sampling interval + the timeout = ${DETECT_BOUND_MS} ms; detection = the failure to the `
      + 'first unhealthy round reaching the metric sink');
    verdicts.push(await benchDetection('killed', 'server killed (closed, every socket destroyed): connection refused', random));
    verdicts.push(await benchDetection('hung', 'server hung (accepts, reads the request, never answers): timeout', random));
  } finally {
    await killAll();
  }
  verdicts.push(benchBundle());

  console.log('\nSummary');
  verdicts.forEach((v) => console.log(`  ${v}`));
  console.log(`  bench time: ${((performance.now() - started) / 1000).toFixed(1)} s; servers left open: ${live.size}`);
}

main().then(
  () => {
    // Every server is closed, so the process should exit now; if a leaked handle keeps it
    // alive, say so and end anyway. unref(): the guard itself keeps nothing alive.
    setTimeout(() => {
      console.error(`bench: still running ${EXIT_GUARD_MS} ms after the end, open resources: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(1);
    }, EXIT_GUARD_MS).unref();
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), EXIT_GUARD_MS).unref();
  },
);

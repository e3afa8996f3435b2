/**
 * Benchmark of a DNS failover pair (a health check on the primary), run with `npm run bench`.
 *
 * 1. The modeled failover time of the same topology in three configurations: this library's
 *    defaults, raw aws-cdk-lib defaults, and the fastest configuration AWS allows; each for an
 *    alias record (TTL fixed at 60 s by ELB) and for an address record (TTL settable).
 * 2. The synth time of examples/dns-failover with the real CDK CLI, and its resource counts.
 * 3. Whether the defaults are within 1.2x of the fastest configuration.
 * 4. Resources per failover pair for 1, 50 and 150 pairs in one stack, each pair with a status
 *    alarm in another region (CloudFormation allows 500 resources per stack).
 *
 * Every figure is computed in this run: the constructs are built and the templates synthesized
 * here, nothing is copied from elsewhere. Nothing calls AWS.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { DnsFailover, EndpointHealthCheck, FailoverTarget, RecoveryAssumption, RecoveryEstimate } from '../src';
import { ofTerms, totals } from '../src/objectives/model/compose';
import { dnsFailover, ELB_ALIAS_TTL, RecordTtlInput } from '../src/objectives/model/dns';
import {
  EndpointCheckInput, endpointDetection, ProbeProtocol, ROUTE53_DEFAULT_INTERVAL, ROUTE53_DEFAULT_THRESHOLD,
} from '../src/objectives/model/route53';
import { Term } from '../src/objectives/model/term';

const ZONE = { hostedZoneId: 'Z0000000000EXAMPLE', zoneName: 'example.com' };
const RECORD_NAME = 'app';
/** The name the primary's health check probes: the primary region's own name, never the failover name. */
const PRIMARY_CHECK_NAME = 'us-east-1.app.example.com';
/** Public addresses for the address-record case (documentation ranges would be rejected as non-public). */
const PRIMARY_IPS = ['3.5.140.10'];
const SECONDARY_IPS = ['18.246.1.10'];
/** "Within 1.2x of the fastest" is the question part 3 answers. */
const WITHIN_FACTOR = 1.2;
const SYNTH_RUNS = 5;
const EXAMPLE_DIR = path.join(__dirname, '..', 'examples', 'dns-failover');

type RecordKind = 'alias' | 'address';
const RECORD_KINDS: Array<{ kind: RecordKind; title: string }> = [
  { kind: 'alias', title: 'Alias record: the primary is an alias to a load balancer, so its TTL is fixed at 60 s by ELB' },
  { kind: 'address', title: 'Address record: the primary is an A record with IP addresses, so its TTL is what the template says' },
];

/** One term as the tables show it, whichever way it was obtained (construct or model call). */
interface Row {
  readonly kind: string;
  readonly min: number;
  readonly max: number;
  readonly assumption: boolean;
  readonly basis: string;
}

/** The modeled recovery of one configuration. */
interface Figures {
  readonly label: string;
  /** Where the inputs came from, one line. */
  readonly inputs: string;
  readonly best: number;
  readonly worst: number;
  readonly terms: Row[];
  /** The same inputs read back from this configuration's own template and modeled again. */
  readonly fromTemplate: number;
}

// ---------------------------------------------------------------------------------------------
// Building the topology
// ---------------------------------------------------------------------------------------------

/** A fresh app and stack per configuration, so no construct or cache is shared between them. */
function freshStack(): { app: App; stack: Stack; zone: route53.IHostedZone; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-bench-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bench');
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
  return { app, stack, zone, outdir };
}

/** Two internet-facing ALBs, the primary and the standby: the alias targets of the pair. */
function loadBalancers(stack: Stack): [elbv2.ApplicationLoadBalancer, elbv2.ApplicationLoadBalancer] {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const alb = (id: string) => new elbv2.ApplicationLoadBalancer(stack, id, { vpc, internetFacing: true });
  return [alb('PrimaryAlb'), alb('SecondaryAlb')];
}

/** Synthesizes the stack and returns its template; the temporary assembly is removed. */
function synthesize(app: App, stack: Stack, outdir: string): CfnTemplate {
  try {
    return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** (a) and (c): the library's constructs; `check` and `ttl` are the only props that differ. */
function libraryFailover(kind: RecordKind, label: string, check: { requestInterval?: Duration; failureThreshold?: number }, ttl?: Duration): Figures {
  const { app, stack, zone, outdir } = freshStack();
  const [primary, secondary] = kind === 'alias'
    ? loadBalancers(stack).map((alb) => FailoverTarget.loadBalancer(alb))
    : [FailoverTarget.ipAddresses(PRIMARY_IPS), FailoverTarget.ipAddresses(SECONDARY_IPS)];
  const failover = new DnsFailover(stack, 'Failover', {
    zone,
    recordName: RECORD_NAME,
    primary,
    secondary,
    primaryHealthCheck: new EndpointHealthCheck(stack, 'Check', { domainName: PRIMARY_CHECK_NAME, ...check }),
    ttl, // undefined is the same as leaving the prop out
  });
  const estimate = failover.estimate;
  const fromTemplate = modelTemplate(synthesize(app, stack, outdir));
  const given = [
    check.requestInterval ? `requestInterval ${check.requestInterval.toSeconds()} s` : undefined,
    check.failureThreshold !== undefined ? `failureThreshold ${check.failureThreshold}` : undefined,
    ttl ? `ttl ${ttl.toSeconds()} s` : undefined,
  ].filter((s) => s !== undefined);
  return {
    label,
    inputs: `DnsFailover + EndpointHealthCheck, ${given.length ? given.join(', ') : 'no optional props'}; read from failover.estimate`,
    ...fromEstimate(estimate),
    fromTemplate: fromTemplate.worst,
  };
}

/** (b): the same topology with aws-cdk-lib alone, every optional prop left out. */
function rawCdkFailover(kind: RecordKind): Figures {
  const { app, stack, zone, outdir } = freshStack();
  const healthCheck = new route53.HealthCheck(stack, 'Check', { type: route53.HealthCheckType.HTTPS, fqdn: PRIMARY_CHECK_NAME });
  const [primary, secondary] = kind === 'alias'
    ? loadBalancers(stack).map((alb) => route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(alb, { evaluateTargetHealth: true })))
    : [route53.RecordTarget.fromIpAddresses(...PRIMARY_IPS), route53.RecordTarget.fromIpAddresses(...SECONDARY_IPS)];
  new route53.ARecord(stack, 'Primary', { zone, recordName: RECORD_NAME, target: primary, failover: route53.Failover.PRIMARY, healthCheck });
  new route53.ARecord(stack, 'Secondary', { zone, recordName: RECORD_NAME, target: secondary, failover: route53.Failover.SECONDARY });
  // aws-cdk-lib has no model: what it deploys is read back from the template.
  const modeled = modelTemplate(synthesize(app, stack, outdir));
  return { label: '(b) aws-cdk-lib defaults', ...modeled, fromTemplate: modeled.worst };
}

function fromEstimate(estimate: RecoveryEstimate): Pick<Figures, 'best' | 'worst' | 'terms'> {
  const seconds = (d: Duration) => d.toMilliseconds() / 1000;
  return {
    best: seconds(estimate.rtoBest!),
    worst: seconds(estimate.rtoWorst!),
    terms: estimate.terms.map((t) => ({
      kind: t.kind.id, min: seconds(t.min), max: seconds(t.max), assumption: t.assumption ?? false, basis: t.basis,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a template back into the model
// ---------------------------------------------------------------------------------------------

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

/**
 * Models a synthesized failover pair from what the template says: the primary record's health
 * check (interval, threshold, protocol) and the primary record's TTL. Absent properties mean
 * the Route 53 defaults, because that is what CloudFormation creates. The unpublished delays
 * are left to the model's defaults, so they carry the same values and the same "assumption"
 * marks as the constructs' estimates.
 */
function modelTemplate(template: CfnTemplate): Pick<Figures, 'inputs' | 'best' | 'worst' | 'terms'> {
  const resources = template.Resources ?? {};
  const records = Object.values(resources).filter((r) => r.Type === 'AWS::Route53::RecordSet' && r.Properties?.Failover === 'PRIMARY');
  if (records.length !== 1) {
    throw new Error(`expected one PRIMARY failover record in the template, found ${records.length}`);
  }
  const record = records[0].Properties!;
  const { check, checkText } = checkOf(resources, record.HealthCheckId);
  const ttl = ttlOf(resources, record);
  const terms = dnsFailover({ detection: endpointDetection(check), ttl });
  const t = totals(ofTerms(terms));
  return {
    inputs: `template: ${checkText}; primary record ${ttl.source}`,
    best: t.rtoMin!,
    worst: t.rtoMax!,
    terms: terms.map(toRow),
  };
}

function checkOf(resources: Record<string, CfnResource>, healthCheckId: unknown): { check: EndpointCheckInput; checkText: string } {
  const logicalId = (healthCheckId as { Ref?: string } | undefined)?.Ref;
  const resource = logicalId === undefined ? undefined : resources[logicalId];
  if (resource?.Type !== 'AWS::Route53::HealthCheck') {
    throw new Error(`the PRIMARY record's HealthCheckId does not reference a health check in the template: ${JSON.stringify(healthCheckId)}`);
  }
  const config = resource.Properties!.HealthCheckConfig as { Type: string; RequestInterval?: number; FailureThreshold?: number };
  const protocol = config.Type.replace('_STR_MATCH', '') as ProbeProtocol;
  // CloudFormation leaves an absent property to Route 53, which applies its defaults.
  const interval = config.RequestInterval ?? ROUTE53_DEFAULT_INTERVAL;
  const failureThreshold = config.FailureThreshold ?? ROUTE53_DEFAULT_THRESHOLD;
  const intervalText = config.RequestInterval === undefined
    ? `RequestInterval absent -> ${interval} s (Route 53 default)`
    : `RequestInterval ${interval} s`;
  const thresholdText = config.FailureThreshold === undefined
    ? `FailureThreshold absent -> ${failureThreshold} (Route 53 default)`
    : `FailureThreshold ${failureThreshold}`;
  return {
    check: { interval, failureThreshold, protocol },
    checkText: `HealthCheck ${config.Type}, ${intervalText}, ${thresholdText}`,
  };
}

/** An alias takes its TTL from its target (only ELB is modeled here); an address record has its own. */
function ttlOf(resources: Record<string, CfnResource>, record: Record<string, unknown>): RecordTtlInput {
  if (record.AliasTarget !== undefined) {
    const targetTypes = [...JSON.stringify(record.AliasTarget).matchAll(/"Fn::GetAtt":\["([^"]+)"/g)].map((m) => resources[m[1]]?.Type);
    if (!targetTypes.includes('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      throw new Error(`the PRIMARY record aliases something other than a load balancer: ${JSON.stringify(record.AliasTarget)}`);
    }
    return { ttl: ELB_ALIAS_TTL, source: `alias to an ALB, no TTL in template -> ${ELB_ALIAS_TTL} s (set by ELB)`, assumed: false, alias: true };
  }
  if (record.TTL === undefined) {
    throw new Error('the PRIMARY record has neither an alias nor a TTL');
  }
  return { ttl: Number(record.TTL), source: `TTL "${String(record.TTL)}" in template`, assumed: false, alias: false };
}

function toRow(t: Term): Row {
  return { kind: t.kind.id, min: t.min, max: t.max, assumption: t.assumption, basis: t.basis };
}

// ---------------------------------------------------------------------------------------------
// Part 1: the three configurations
// ---------------------------------------------------------------------------------------------

function configurations(kind: RecordKind): { a: Figures; b: Figures; c: Figures } {
  return {
    a: libraryFailover(kind, '(a) cdk-failover defaults', {}),
    b: rawCdkFailover(kind),
    // The fastest Route 53 allows: 10 s interval, threshold 1; an alias cannot take a TTL at all.
    c: libraryFailover(kind, '(c) fastest AWS allows', { requestInterval: Duration.seconds(10), failureThreshold: 1 },
      kind === 'address' ? Duration.seconds(0) : undefined),
  };
}

/** The worst case without the assumption terms: what the configuration itself controls (detection + TTL). */
function controlled(f: Figures): number {
  return round(f.terms.filter((t) => !t.assumption).reduce((sum, t) => sum + t.max, 0));
}

function assumptionsOf(f: Figures): Row[] {
  return f.terms.filter((t) => t.assumption);
}

/** The term columns, in the order the phases happen; `*` marks an assumption. */
const TERM_COLUMNS = ['detection', 'decision', 'switch', 'propagation', 'clientCache'];

function printKind(title: string, figures: { a: Figures; b: Figures; c: Figures }): void {
  const { a, b, c } = figures;
  const all = [a, b, c];
  console.log(`\n${title}`);
  console.log('  inputs:');
  for (const f of all) {
    console.log(`    ${f.label}: ${f.inputs}`);
  }
  const header = ['configuration'.padEnd(28), 'best'.padStart(7), 'worst'.padStart(7), ...TERM_COLUMNS.map((k) => `${k}${isAssumed(a, k) ? '*' : ''}`.padStart(13))];
  console.log(`\n  ${header.join(' ')}   (seconds; term columns are maxima)`);
  for (const f of all) {
    const cells = TERM_COLUMNS.map((k) => num(f.terms.find((t) => t.kind === k)?.max).padStart(13));
    console.log(`  ${[f.label.padEnd(28), num(f.best).padStart(7), num(f.worst).padStart(7), ...cells].join(' ')}`);
  }
  console.log('  * assumption (AWS publishes no figure); identical in (a), (b) and (c): '
    + (sameAssumptions(all) ? 'yes' : `NO: ${all.map((f) => assumptionsOf(f).map((t) => `${t.kind}=${t.max}`).join(',')).join(' | ')}`));
  console.log(`  template check: each configuration's template, modeled again, gives the same worst case: ${all.every((f) => f.fromTemplate === f.worst)
    ? 'yes'
    : `NO (${all.map((f) => `${f.label}: estimate ${num(f.worst)} s, template ${num(f.fromTemplate)} s`).join('; ')})`}`);

  console.log('\n  worst-case ratios                                           a/c        a/b');
  console.log(`    full model (all terms, assumptions included)        ${ratio(a.worst, c.worst)}   ${ratio(a.worst, b.worst)}`);
  console.log(`    configured terms only (detection + TTL)              ${ratio(controlled(a), controlled(c))}   ${ratio(controlled(a), controlled(b))}`
    + `   (a ${num(controlled(a))} s, b ${num(controlled(b))} s, c ${num(controlled(c))} s)`);
}

function isAssumed(f: Figures, kind: string): boolean {
  return f.terms.some((t) => t.kind === kind && t.assumption);
}

function sameAssumptions(all: Figures[]): boolean {
  const key = (f: Figures) => JSON.stringify(assumptionsOf(f).map((t) => [t.kind, t.min, t.max]));
  return all.every((f) => key(f) === key(all[0]));
}

function printAssumptions(f: Figures): void {
  console.log('\nAssumptions (the terms marked assumption; the same values in every configuration above, so they add');
  console.log('the same seconds to every worst case and only partly cancel in the full-model ratios):');
  for (const t of assumptionsOf(f)) {
    console.log(`  - ${t.kind}: ${num(t.min)}..${num(t.max)} s: ${t.basis}`);
  }
  console.log(`  (model defaults: healthToDnsAnswer ${RecoveryAssumption.HEALTH_TO_DNS_ANSWER.defaultValue.toSeconds()} s, clientDnsCache ${RecoveryAssumption.CLIENT_DNS_CACHE.defaultValue.toSeconds()} s)`);
}

// ---------------------------------------------------------------------------------------------
// Part 2: the example's synth time with the real CDK CLI
// ---------------------------------------------------------------------------------------------

/** Times `npx cdk synth --quiet`; returns the wall times in ms, or the failed run's stderr. */
function timeSynths(): { times: number[] } | { failed: number; stderr: string; status: number | null } {
  // Nothing may wait on the network: no telemetry, no EC2 metadata probing, no jsii notices.
  const env = {
    ...process.env,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  };
  const times: number[] = [];
  for (let run = 1; run <= SYNTH_RUNS; run++) {
    const start = process.hrtime.bigint();
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet'], { cwd: EXAMPLE_DIR, env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
      return { failed: run, stderr: result.error ? String(result.error) : result.stderr, status: result.status };
    }
    times.push(ms);
    console.log(`  run ${run}: ${(ms / 1000).toFixed(2)} s`);
  }
  return { times };
}

/** Resources per stack, from the templates the manifest of the last synth names (not stale files). */
function resourceCounts(cdkOut: string): Array<{ stack: string; resources: number }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([stack, a]) => {
      const template = JSON.parse(fs.readFileSync(path.join(cdkOut, a.properties!.templateFile!), 'utf8')) as CfnTemplate;
      return { stack, resources: Object.keys(template.Resources ?? {}).length };
    });
}

/** Returns false when a synth failed. */
function benchSynth(): boolean {
  const cdkOut = path.join(EXAMPLE_DIR, 'cdk.out');
  // A cdk.out that was there before belongs to someone else: leave it; remove only our own.
  const hadCdkOut = fs.existsSync(cdkOut);
  console.log(`\n2. Synth time of examples/dns-failover: \`npx cdk synth --quiet\`, ${SYNTH_RUNS} runs (wall time, incl. npx and ts-node start-up)`);
  try {
    const outcome = timeSynths();
    if ('failed' in outcome) {
      console.error(`  run ${outcome.failed} failed (exit status ${outcome.status}); its stderr:\n${outcome.stderr}`);
      return false;
    }
    const sorted = [...outcome.times].sort((x, y) => x - y);
    console.log(`  median: ${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(2)} s (min ${(sorted[0] / 1000).toFixed(2)} s, max ${(sorted[sorted.length - 1] / 1000).toFixed(2)} s)`);
    const counts = resourceCounts(cdkOut);
    console.log('  resources per stack (cdk.out/<stack>.template.json):');
    for (const { stack, resources } of counts) {
      console.log(`    ${stack.padEnd(24)} ${String(resources).padStart(4)}`);
    }
    console.log(`    ${'total'.padEnd(24)} ${String(counts.reduce((s, c) => s + c.resources, 0)).padStart(4)}`);
    return true;
  } finally {
    if (!hadCdkOut) {
      fs.rmSync(cdkOut, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Part 4: resources per failover pair
// ---------------------------------------------------------------------------------------------

const PAIR_COUNTS = [1, 50, 150];
/** CloudFormation's quota of resources per stack. */
const STACK_RESOURCE_LIMIT = 500;

/**
 * Synthesizes one us-west-2 stack with `pairs` failover pairs, each with an endpoint health
 * check whose status alarm lives in us-east-1, and counts the template's resources by type.
 */
function pairResources(pairs: number): { total: number; byType: Record<string, number> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-bench-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Pairs', { env: { account: '111111111111', region: 'us-west-2' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
  for (let i = 0; i < pairs; i++) {
    new DnsFailover(stack, `Failover${i}`, {
      zone,
      recordName: `${RECORD_NAME}${i}`,
      primary: FailoverTarget.regionalRecord('us-east-1'),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: new EndpointHealthCheck(stack, `Check${i}`, { domainName: `us-east-1.${RECORD_NAME}${i}.${ZONE.zoneName}` }),
    });
  }
  const byType: Record<string, number> = {};
  for (const r of Object.values(synthesize(app, stack, outdir).Resources ?? {})) {
    byType[r.Type] = (byType[r.Type] ?? 0) + 1;
  }
  return { total: Object.values(byType).reduce((a, b) => a + b, 0), byType };
}

/** Returns false when a stack would exceed the resource limit. */
function benchPairs(): boolean {
  console.log('\n4. Resources per failover pair: one us-west-2 stack, N pairs, each with an HTTPS check and its status alarm in us-east-1');
  let ok = true;
  for (const pairs of PAIR_COUNTS) {
    try {
      const { total, byType } = pairResources(pairs);
      const types = Object.entries(byType).map(([type, n]) => `${type} ${n}`).join(', ');
      console.log(`  ${String(pairs).padStart(3)} pairs: ${String(total).padStart(3)} resources = ${(total / pairs).toFixed(2)} per pair (${types})`);
      ok = ok && total <= STACK_RESOURCE_LIMIT;
    } catch (e) {
      console.log(`  ${String(pairs).padStart(3)} pairs: synth failed: ${(e as Error).message.split('\n')[0]}`);
      ok = false;
    }
  }
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Output helpers and main
// ---------------------------------------------------------------------------------------------

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function num(x: number | undefined): string {
  return x === undefined ? '-' : String(round(x));
}

function ratio(x: number, y: number): string {
  return y === 0 ? '    n/a' : `${(x / y).toFixed(3)}x`.padStart(7);
}

function main(): number {
  console.log('cdk-failover bench: DNS failover pair with an HTTPS health check on the primary');
  console.log('\n1. Modeled failover time: from the primary failing to clients on the secondary (src/objectives/model.ts)');
  const results = RECORD_KINDS.map(({ kind, title }) => {
    const figures = configurations(kind);
    printKind(title, figures);
    return { kind, figures };
  });
  printAssumptions(results[0].figures.a);

  const synthOk = benchSynth();

  console.log(`\n3. Default within ${WITHIN_FACTOR}x of the fastest (worst case, full model): `
    + results.map(({ kind, figures: { a, c } }) => `${kind} record ${a.worst / c.worst <= WITHIN_FACTOR ? 'yes' : 'no'} `
      + `(${num(a.worst)} s vs ${num(c.worst)} s = ${(a.worst / c.worst).toFixed(3)}x)`).join('; '));
  const pairsOk = benchPairs();
  return synthOk && pairsOk ? 0 : 1;
}

process.exitCode = main();

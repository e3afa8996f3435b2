/**
 * The recovery model: pure functions over plain numbers (seconds), no constructs, so that the
 * constructs, the report and the benchmarks all compute the same figures.
 *
 * Every constant comes from FACTS.md (the AWS developer guides); where AWS publishes no figure
 * the model takes a named parameter, and the term is marked as an assumption.
 */
import { RecoveryTermKind } from './term-kind';

/** One term of an estimate, in seconds. */
export interface Term {
  readonly kind: RecoveryTermKind;
  readonly min: number;
  readonly max: number;
  /** How the figure was obtained, with the inputs. */
  readonly basis: string;
  /** True when the figure is a stated assumption rather than an AWS-documented behaviour. */
  readonly assumption: boolean;
  /** What to change to make this term shorter. */
  readonly remedy: string;
}

// Route 53 health checks (FACTS.md "Route 53 health checks").
/** The two request intervals Route 53 accepts, in seconds. */
export const ROUTE53_INTERVALS = [10, 30];
/** Failure threshold bounds. */
export const ROUTE53_MIN_THRESHOLD = 1;
export const ROUTE53_MAX_THRESHOLD = 10;
/** Route 53 considers an endpoint healthy while more than 18 % of its checkers report it healthy. */
export const ROUTE53_HEALTHY_FRACTION = 0.18;
/** HTTP/HTTPS checks: TCP connect within 4 s, then a 2xx/3xx status within 2 s. */
export const ROUTE53_HTTP_CONNECT_TIMEOUT = 4;
export const ROUTE53_HTTP_RESPONSE_TIMEOUT = 2;
/** TCP checks: connect within 10 s. */
export const ROUTE53_TCP_CONNECT_TIMEOUT = 10;
/** aws-cdk-lib `HealthCheck` defaults when a prop is omitted (Route 53 API defaults): 30 s, 3. */
export const ROUTE53_DEFAULT_INTERVAL = 30;
export const ROUTE53_DEFAULT_THRESHOLD = 3;

// Route 53 DNS (FACTS.md "Route 53 failover routing and DNS").
/** An alias record takes its TTL from the target: 60 s for ELB load balancers. */
export const ELB_ALIAS_TTL = 60;

/** The defaults of the unpublished delays; each is a named, overridable assumption. */
export const DEFAULT_ASSUMPTIONS = {
  /**
   * From the health status changing to Route 53 name servers answering with the secondary.
   * AWS publishes no figure (FACTS.md: "health change -> DNS answer: U"); 30 s is a
   * conservative placeholder until measured by a drill.
   */
  healthToDnsAnswer: 30,
  /**
   * How long clients keep an answer beyond the record TTL. AWS publishes none for clients in
   * general; the AWS SDK for Java recommends networkaddress.cache.ttl=5 (FACTS.md).
   */
  clientDnsCache: 5,
  /**
   * TTL of an alias to a target whose TTL AWS does not publish (CloudFront, API Gateway):
   * assumed equal to the documented ELB alias TTL, 60 s.
   */
  unpublishedAliasTtl: ELB_ALIAS_TTL,
  /**
   * From a CloudWatch period closing to its alarm changing state and Route 53 seeing it. AWS
   * publishes neither delay; standard-resolution alarms are evaluated about once a minute, so
   * 60 s is the placeholder until a drill measures it.
   */
  alarmToHealthStatus: 60,
};

// ALB target-group health check defaults (ELB User Guide, "Health checks for Application Load
// Balancer target groups"; FACTS.md ELB): 30 s interval, unhealthy after 2 failures, 5 s timeout.
const ELB_DEFAULT_INTERVAL = 30;
const ELB_DEFAULT_UNHEALTHY_THRESHOLD = 2;
const ELB_DEFAULT_TIMEOUT = 5;

/**
 * Detection without a Route 53 health check: an alias with EvaluateTargetHealth follows ELB
 * target health, whose settings are not visible from the record. Unless told, the model
 * assumes the ALB defaults: one to two 30 s intervals, plus the 5 s timeout.
 */
export function targetHealthDetection(label: string, maxSeconds?: number): Term {
  const defaultMax = ELB_DEFAULT_UNHEALTHY_THRESHOLD * ELB_DEFAULT_INTERVAL + ELB_DEFAULT_TIMEOUT;
  const max = maxSeconds ?? defaultMax;
  return {
    kind: RecoveryTermKind.DETECTION,
    min: Math.min((ELB_DEFAULT_UNHEALTHY_THRESHOLD - 1) * ELB_DEFAULT_INTERVAL, max),
    max,
    basis: maxSeconds === undefined
      ? `EvaluateTargetHealth of ${label}: ELB target health assumed at the ALB target-group defaults `
        + `(${ELB_DEFAULT_UNHEALTHY_THRESHOLD} failures x ${ELB_DEFAULT_INTERVAL} s + ${ELB_DEFAULT_TIMEOUT} s timeout; NLB defaults differ)`
      : `EvaluateTargetHealth of ${label}: up to ${max} s, as given`,
    assumption: maxSeconds === undefined,
    remedy: 'attach an EndpointHealthCheck as `primaryHealthCheck` (its defaults, HTTPS 10 s x 2, detect in at most '
      + `${endpointDetection({ interval: 10, failureThreshold: 2, protocol: 'HTTPS' }).max} s)`,
  };
}

/** The probe protocols of a Route 53 endpoint check. */
export type ProbeProtocol = 'HTTP' | 'HTTPS' | 'TCP';

/** Inputs of a Route 53 endpoint health check. */
export interface EndpointCheckInput {
  /** Seconds between two probes of one checker: 10 or 30. */
  readonly interval: number;
  /** Consecutive failed probes before a checker reports unhealthy: 1..10. */
  readonly failureThreshold: number;
  readonly protocol: ProbeProtocol;
}

/** Worst-case duration of one probe that fails by timing out, in seconds. */
export function probeTimeout(protocol: ProbeProtocol): number {
  return protocol === 'TCP'
    ? ROUTE53_TCP_CONNECT_TIMEOUT
    : ROUTE53_HTTP_CONNECT_TIMEOUT + ROUTE53_HTTP_RESPONSE_TIMEOUT;
}

/**
 * Time from the endpoint failing to Route 53 considering it unhealthy.
 *
 * Each checker needs `failureThreshold` consecutive failed probes. Checkers are not
 * synchronised, so their probes are spread over the interval, and the endpoint turns unhealthy
 * only once more than 82 % of them (the 18 % rule) have reached the threshold.
 * - best case: probes that fail at once (connection refused), checkers spread evenly over the
 *   interval; the 82nd-percentile checker reaches the threshold (threshold - 1) intervals plus
 *   82 % of an interval after the failure;
 * - worst case: the failure lands just after every checker's probe, so the last checker's
 *   threshold-th probe starts a full `threshold` intervals later and runs into its timeout.
 */
export function endpointDetection(input: EndpointCheckInput): Term {
  const { interval, failureThreshold: t, protocol } = input;
  const timeout = probeTimeout(protocol);
  const min = (t - 1) * interval + (1 - ROUTE53_HEALTHY_FRACTION) * interval;
  const max = t * interval + timeout;
  const timeoutText = protocol === 'TCP'
    ? `${timeout} s TCP connect timeout`
    : `${timeout} s probe timeout (${ROUTE53_HTTP_CONNECT_TIMEOUT} s connect + ${ROUTE53_HTTP_RESPONSE_TIMEOUT} s response)`;
  return {
    kind: RecoveryTermKind.DETECTION,
    min: round(min),
    max: round(max),
    basis: `Route 53 ${protocol} check: ${t} failed probe(s) x ${interval} s interval seen by more than 82 % of checkers (18 % rule), + ${timeoutText}`,
    assumption: false,
    remedy: detectionRemedy(interval, t),
  };
}

function detectionRemedy(interval: number, threshold: number): string {
  const steps: string[] = [];
  if (interval > ROUTE53_INTERVALS[0]) {
    steps.push(`use a ${ROUTE53_INTERVALS[0]} s \`requestInterval\` (now ${interval} s)`);
  }
  if (threshold > ROUTE53_MIN_THRESHOLD) {
    steps.push(`lower \`failureThreshold\` (now ${threshold}; each step saves ${interval} s)`);
  }
  return steps.length > 0
    ? `${steps.join(' and ')} on the health check`
    : 'the health check already runs at the fastest Route 53 allows; shorten the other terms';
}

/**
 * Detection of a calculated health check: it turns unhealthy when fewer than `healthThreshold`
 * children are healthy, i.e. once `children - healthThreshold + 1` children have failed. With
 * all children failing together (a regional outage), that is the (children - threshold + 1)-th
 * fastest child, for the best and the worst case alike.
 */
export function calculatedDetection(children: Term[], healthThreshold: number): Term {
  const needed = children.length - healthThreshold + 1;
  if (children.length === 0 || needed < 1 || needed > children.length) {
    throw new Error(`calculated check needs 1..${children.length} as health threshold, got ${healthThreshold}`);
  }
  const mins = children.map((c) => c.min).sort((a, b) => a - b);
  const maxs = children.map((c) => c.max).sort((a, b) => a - b);
  return {
    kind: RecoveryTermKind.DETECTION,
    min: mins[needed - 1],
    max: maxs[needed - 1],
    basis: `calculated check: unhealthy once ${needed} of ${children.length} child checks fail (health threshold ${healthThreshold}); `
      + `the children detect in at most ${children.map((c) => `${c.max} s`).join(', ')}`,
    assumption: children.some((c) => c.assumption),
    remedy: 'speed up the child checks, or raise `healthThreshold` so fewer children must fail',
  };
}

/** Route 53 decides by itself: failover records need no human or automation step. */
export function automaticDecision(): Term {
  return {
    kind: RecoveryTermKind.DECISION,
    min: 0,
    max: 0,
    basis: 'automatic: Route 53 answers with the secondary as soon as the primary is unhealthy',
    assumption: false,
    remedy: 'none needed',
  };
}

/** CloudWatch alarm periods that Route 53 alarm-based checks accept: standard resolution, 60 s (FACTS.md). */
export const ALARM_PERIOD = 60;

/** Inputs of an alarm-based check fed by the probe. */
export interface ProbeAlarmInput {
  /** Sampling rounds per 60 s period. */
  readonly samples: number;
  /** Failed samples in one period that put the alarm in ALARM. */
  readonly failuresToAlarm: number;
  /** The target's timeout, in seconds: a sample's result can arrive this late. */
  readonly timeout: number;
  /** Seconds kept to publish a round's metrics. */
  readonly publish: number;
  /** From the period closing to Route 53 seeing the alarm (assumption unless given). */
  readonly alarmToHealthStatus?: number;
}

/**
 * Detection of a probe target through its CloudWatch alarm and an alarm-based Route 53 check.
 * The alarm sums the failed samples of each 60 s period and fires at `failuresToAlarm`.
 * - best case: the failure lands just before a sample; `failuresToAlarm` samples later the
 *   period closes: (failuresToAlarm - 1) sampling intervals;
 * - worst case: the failure lands just after the sample that leaves the current period short
 *   of `failuresToAlarm` failures, so it takes the rest of that period and a whole next one,
 *   plus the last sample's timeout and publication;
 * then the alarm evaluation and Route 53 reading the alarm, which AWS does not publish.
 */
export function probeAlarmDetection(input: ProbeAlarmInput): Term {
  const interval = ALARM_PERIOD / input.samples;
  const delay = input.alarmToHealthStatus ?? DEFAULT_ASSUMPTIONS.alarmToHealthStatus;
  const min = (input.failuresToAlarm - 1) * interval;
  const max = 2 * ALARM_PERIOD + input.timeout + input.publish + delay;
  return {
    kind: RecoveryTermKind.DETECTION,
    min: round(min),
    max: round(max),
    basis: `probe alarm: ${input.failuresToAlarm} of ${input.samples} samples failed in a ${ALARM_PERIOD} s period (up to 2 periods), `
      + `+ ${input.timeout} s timeout + ${input.publish} s to publish + ${delay} s for the alarm to reach Route 53`
      + (input.alarmToHealthStatus === undefined ? ' (assumed: AWS does not publish it)' : ''),
    assumption: input.alarmToHealthStatus === undefined,
    remedy: 'sample more often (`samplesPerMinute`), lower `failuresToAlarm`, or shorten the target timeout',
  };
}

/** Inputs of an alarm-based check on an alarm whose metric the model does not know. */
export interface AlarmInput {
  /** The alarm's period, in seconds (60 or more). */
  readonly period: number;
  readonly evaluationPeriods: number;
  /** From the last period closing to Route 53 seeing the alarm (assumption unless given). */
  readonly alarmToHealthStatus?: number;
}

/**
 * Detection through an alarm on a metric the model does not know: it breaches from the first
 * bad datapoint. Best case, the failure starts a period and the alarm needs `evaluationPeriods`
 * breaching periods, the first of them already running: (evaluationPeriods - 1) periods. Worst
 * case, the failure lands just after a period started: evaluationPeriods + 1 periods. Then the
 * alarm evaluation and Route 53 reading the alarm, which AWS does not publish.
 */
export function alarmDetection(input: AlarmInput): Term {
  const delay = input.alarmToHealthStatus ?? DEFAULT_ASSUMPTIONS.alarmToHealthStatus;
  return {
    kind: RecoveryTermKind.DETECTION,
    min: round((input.evaluationPeriods - 1) * input.period),
    max: round((input.evaluationPeriods + 1) * input.period + delay),
    basis: `alarm: ${input.evaluationPeriods} breaching period(s) of ${input.period} s (up to ${input.evaluationPeriods + 1}), `
      + `+ ${delay} s for the alarm to reach Route 53` + (input.alarmToHealthStatus === undefined ? ' (assumed: AWS does not publish it)' : ''),
    assumption: input.alarmToHealthStatus === undefined,
    remedy: 'alarm on fewer, 60 s periods, or probe the endpoint with a HealthProbe',
  };
}

/** From the health status change to the name servers answering with the secondary. */
export function dnsAnswerSwitch(healthToDnsAnswer: number, assumed: boolean): Term {
  return {
    kind: RecoveryTermKind.SWITCH,
    min: 0,
    max: healthToDnsAnswer,
    basis: `health status change to a new DNS answer: up to ${healthToDnsAnswer} s (AWS does not publish this delay)`,
    assumption: assumed,
    remedy: 'measure it with a drill and set `assumptions.healthToDnsAnswer`',
  };
}

/** How the TTL of a failover record is known. */
export interface RecordTtlInput {
  /** Seconds resolvers may cache the answer. */
  readonly ttl: number;
  /** Where the TTL comes from, for the report. */
  readonly source: string;
  /** True when the TTL is not documented (alias targets other than ELB). */
  readonly assumed: boolean;
  /** True for alias records, whose TTL cannot be set. */
  readonly alias: boolean;
}

/** Resolvers keep serving the old answer for up to the TTL. */
export function resolverCaching(input: RecordTtlInput): Term {
  return {
    kind: RecoveryTermKind.PROPAGATION,
    min: 0,
    max: input.ttl,
    basis: `resolvers cache the old answer for up to the record TTL: ${input.ttl} s (${input.source})`,
    assumption: input.assumed,
    remedy: input.alias
      ? 'the TTL of an alias record is fixed by its target; point the failover records at IP addresses with a shorter `ttl`, or route with AWS Global Accelerator, which has no DNS TTL term'
      : 'lower `ttl` on the failover records',
  };
}

/** Clients that cache answers beyond the TTL add their own cache time. */
export function clientCaching(clientDnsCache: number, assumed: boolean): Term {
  return {
    kind: RecoveryTermKind.CLIENT_CACHE,
    min: 0,
    max: clientDnsCache,
    basis: `clients keep answers up to ${clientDnsCache} s beyond the TTL`
      + (assumed ? ' (the AWS SDK for Java recommendation networkaddress.cache.ttl=5; some JVM configurations never refresh)' : '')
      + '; connections kept alive to the old primary are not covered',
    assumption: assumed,
    remedy: 'shorten the DNS cache of your clients (JVM: networkaddress.cache.ttl) and set `assumptions.clientDnsCache`',
  };
}

/** Inputs of a DNS failover path. */
export interface DnsFailoverInput {
  readonly detection: Term;
  readonly ttl: RecordTtlInput;
  readonly healthToDnsAnswer?: number;
  readonly clientDnsCache?: number;
}

/** The whole DNS failover path: detection -> decision -> switch -> resolver cache -> client cache. */
export function dnsFailover(input: DnsFailoverInput): Term[] {
  return [
    input.detection,
    automaticDecision(),
    dnsAnswerSwitch(input.healthToDnsAnswer ?? DEFAULT_ASSUMPTIONS.healthToDnsAnswer, input.healthToDnsAnswer === undefined),
    resolverCaching(input.ttl),
    clientCaching(input.clientDnsCache ?? DEFAULT_ASSUMPTIONS.clientDnsCache, input.clientDnsCache === undefined),
  ];
}

/** Summary figures of a list of terms. */
export interface Totals {
  /** Best-case recovery time: the sum of the minima of the time terms. */
  readonly rtoMin: number;
  /** Worst-case recovery time: the sum of the maxima of the time terms. */
  readonly rtoMax: number;
  /** Worst-case data loss, or undefined when the path carries no data. */
  readonly rpoMax?: number;
  /** The time term with the largest maximum. */
  readonly dominant: Term;
}

export function totals(terms: Term[]): Totals {
  const time = terms.filter((t) => t.kind !== RecoveryTermKind.DATA_LOSS);
  const data = terms.filter((t) => t.kind === RecoveryTermKind.DATA_LOSS);
  if (time.length === 0) {
    throw new Error('an estimate needs at least one time term');
  }
  const dominant = time.reduce((a, b) => (b.max > a.max ? b : a));
  return {
    rtoMin: round(time.reduce((s, t) => s + t.min, 0)),
    rtoMax: round(time.reduce((s, t) => s + t.max, 0)),
    rpoMax: data.length > 0 ? round(Math.max(...data.map((t) => t.max))) : undefined,
    dominant,
  };
}

/** Rounds to milliseconds, so sums of fractions print cleanly. */
export function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Zonal paths: a load-balanced service over Availability Zones, Multi-AZ databases.
// ---------------------------------------------------------------------------------------------

/**
 * ALB target-group health check bounds (FACTS.md ELB): interval 5..300 s, timeout 2..120 s,
 * healthy and unhealthy thresholds 2..10 each, deregistration delay 0..3600 s.
 */
export const ELB_INTERVAL = { min: 5, max: 300 };
export const ELB_TIMEOUT = { min: 2, max: 120 };
export const ELB_THRESHOLD = { min: 2, max: 10 };
export const ELB_DEREGISTRATION_DELAY = { min: 0, max: 3600 };

/** Inputs of an ELB target-group health check, in seconds. */
export interface ElbHealthInput {
  readonly interval: number;
  readonly timeout: number;
  readonly unhealthyThreshold: number;
}

/**
 * Detection by ELB target health: a target is unhealthy after `unhealthyThreshold` consecutive
 * failed checks. Best case the first failing check runs just after the failure and is the
 * first of them: (threshold - 1) intervals; worst case the failure lands just after a check,
 * so it takes threshold whole intervals, the last check waiting out its timeout.
 */
export function elbTargetDetection(input: ElbHealthInput): Term {
  return {
    kind: RecoveryTermKind.DETECTION,
    min: round((input.unhealthyThreshold - 1) * input.interval),
    max: round(input.interval * input.unhealthyThreshold + input.timeout),
    basis: `ELB target health: ${input.unhealthyThreshold} failed checks x ${input.interval} s interval + ${input.timeout} s timeout`,
    assumption: false,
    remedy: 'shorten `healthCheck.interval` or `healthCheck.timeout`, or lower `healthCheck.unhealthyThreshold` (2 is the least ELB allows)',
  };
}

/** The load balancer stops sending new requests to an unhealthy target by itself. */
export function elbRerouting(): Term[] {
  return [
    {
      kind: RecoveryTermKind.DECISION,
      min: 0,
      max: 0,
      basis: 'automatic: the load balancer routes only to healthy targets',
      assumption: false,
      remedy: 'none needed',
    },
    {
      kind: RecoveryTermKind.SWITCH,
      min: 0,
      max: 0,
      basis: 'new requests go to the healthy targets in the other Availability Zones at once; requests in flight on the failed target fail',
      assumption: false,
      remedy: 'none needed',
    },
  ];
}

/** The unpublished delays of a zonal shift; each is a named, overridable assumption. */
export const ZONAL_ASSUMPTIONS = {
  /**
   * From a per-AZ alarm firing to an operator starting a zonal shift. A human step: AWS cannot
   * publish it; 10 minutes is a placeholder until a game day measures yours.
   */
  operatorResponse: 600,
  /**
   * From an AZ impairment to AWS starting an autoshift: AWS says it acts when its internal
   * monitoring sees an impairment, and publishes no figure; 10 minutes is a placeholder.
   */
  autoshiftDetection: 600,
};

/** Inputs of the zonal-shift path of a load-balanced service. */
export interface ZonalShiftInput {
  /** True when zonal autoshift is on: AWS detects and decides. */
  readonly autoshift: boolean;
  /** The per-AZ alarms that tell an operator to shift (manual mode). */
  readonly alarmPeriod: number;
  readonly alarmEvaluationPeriods: number;
  readonly operatorResponse?: number;
  readonly autoshiftDetection?: number;
  readonly clientDnsCache?: number;
}

/**
 * An Availability Zone impaired in a way target health checks do not see (gray failure):
 * traffic moves only by a zonal shift. Manual: the per-AZ alarm fires, an operator starts the
 * shift. Autoshift: AWS detects and shifts. Either way the shift removes the zone's load
 * balancer addresses from its DNS name, which clients see after the ELB TTL.
 */
export function zonalShift(input: ZonalShiftInput): Term[] {
  const operator = input.operatorResponse ?? ZONAL_ASSUMPTIONS.operatorResponse;
  const aws = input.autoshiftDetection ?? ZONAL_ASSUMPTIONS.autoshiftDetection;
  const detection: Term = input.autoshift
    ? {
      kind: RecoveryTermKind.DETECTION,
      min: 0,
      max: aws,
      basis: `zonal autoshift: AWS internal monitoring detects the impairment, up to ${aws} s`
        + (input.autoshiftDetection === undefined ? ' (assumed: AWS does not publish it)' : ''),
      assumption: input.autoshiftDetection === undefined,
      remedy: 'measure it in a practice run and set `assumptions.autoshiftDetection`; or shift by hand on the per-AZ alarms',
    }
    : {
      kind: RecoveryTermKind.DETECTION,
      min: round((input.alarmEvaluationPeriods - 1) * input.alarmPeriod),
      max: round((input.alarmEvaluationPeriods + 1) * input.alarmPeriod),
      basis: `per-AZ alarm: ${input.alarmEvaluationPeriods} breaching period(s) of ${input.alarmPeriod} s (up to ${input.alarmEvaluationPeriods + 1})`,
      assumption: false,
      remedy: 'alarm on fewer periods, or enable `zonalAutoshift` so AWS shifts without waiting for your alarm',
    };
  const decision: Term = input.autoshift
    ? { kind: RecoveryTermKind.DECISION, min: 0, max: 0, basis: 'automatic: zonal autoshift starts the shift', assumption: false, remedy: 'none needed' }
    : {
      kind: RecoveryTermKind.DECISION,
      min: 0,
      max: operator,
      basis: `an operator starts a zonal shift (aws arc-zonal-shift start-zonal-shift), up to ${operator} s`
        + (input.operatorResponse === undefined ? ' (assumed: a human step AWS cannot publish)' : ''),
      assumption: input.operatorResponse === undefined,
      remedy: 'enable `zonalAutoshift`, or measure your response in a game day and set `assumptions.operatorResponse`',
    };
  return [
    detection,
    decision,
    {
      kind: RecoveryTermKind.SWITCH,
      min: 0,
      max: 0,
      basis: 'ARC creates the zonal shift at once and the load balancer stops sending new traffic to the zone; connections kept alive drain as clients reconnect',
      assumption: false,
      remedy: 'none needed',
    },
    resolverCaching({ ttl: ELB_ALIAS_TTL, source: 'the load balancer DNS name drops the zone\'s addresses; ELB TTL', assumed: false, alias: true }),
    clientCaching(input.clientDnsCache ?? DEFAULT_ASSUMPTIONS.clientDnsCache, input.clientDnsCache === undefined),
  ];
}

/** How a database is made Multi-AZ. */
export type DatabaseModeName = 'instance' | 'cluster' | 'aurora';

/**
 * Typical failover times, in seconds (FACTS.md RDS / Aurora): Multi-AZ DB instance 60-120 s;
 * Multi-AZ DB cluster under 35 s; Aurora with a replica under 60 s (often under 30 s), without
 * one up to 10 minutes (a new instance is created).
 */
export const DATABASE_FAILOVER: Record<DatabaseModeName | 'auroraWithoutReplica', { min: number; max: number; basis: string }> = {
  instance: { min: 60, max: 120, basis: 'RDS Multi-AZ DB instance failover to the standby: typically 60-120 s' },
  cluster: { min: 0, max: 35, basis: 'RDS Multi-AZ DB cluster failover to a readable standby: typically under 35 s' },
  aurora: { min: 0, max: 60, basis: 'Aurora failover to a replica in another AZ: under 60 s, often under 30 s' },
  auroraWithoutReplica: { min: 0, max: 600, basis: 'Aurora without a replica recreates the writer: up to 10 minutes' },
};

/** The unpublished delay of a database endpoint; a named, overridable assumption. */
export const DATABASE_ASSUMPTIONS = {
  /**
   * TTL of the RDS endpoint's DNS record, which failover repoints. AWS publishes no figure in
   * FACTS.md; 5 s matches the client cache AWS recommends for its SDKs (FACTS.md JVM DNS cache).
   */
  endpointDnsTtl: 5,
};

/** Inputs of a Multi-AZ database failover path. */
export interface DatabaseFailoverInput {
  readonly mode: DatabaseModeName;
  /** Aurora replicas in other AZs (Aurora only). */
  readonly replicas: number;
  /** True when clients connect through RDS Proxy. */
  readonly proxy: boolean;
  readonly endpointDnsTtl?: number;
  readonly clientDnsCache?: number;
}

/**
 * Failover of a Multi-AZ database inside a region. RDS detects the failure and promotes the
 * standby by itself (one term: AWS publishes detection and promotion together). Without RDS
 * Proxy the endpoint's DNS record then points at the new writer, and clients see it after the
 * record TTL and their own cache; with RDS Proxy the proxy endpoint does not change and the
 * proxy reconnects to the new writer. Replication inside the region is synchronous (instance:
 * synchronous standby; cluster: a commit waits for a reader; Aurora: a quorum of storage in
 * three AZs), so the data-loss window is 0.
 */
export function databaseFailover(input: DatabaseFailoverInput): Term[] {
  const key = input.mode === 'aurora' && input.replicas === 0 ? 'auroraWithoutReplica' : input.mode;
  const figure = DATABASE_FAILOVER[key];
  const ttl = input.endpointDnsTtl ?? DATABASE_ASSUMPTIONS.endpointDnsTtl;
  const terms: Term[] = [
    {
      kind: RecoveryTermKind.DETECTION,
      min: figure.min,
      max: figure.max,
      basis: `${figure.basis} (detection and promotion by RDS)`,
      assumption: false,
      remedy: key === 'auroraWithoutReplica'
        ? 'add an Aurora replica in another Availability Zone (`readers`)'
        : key === 'instance'
          ? 'use a Multi-AZ DB cluster (under 35 s) or Aurora with replicas (under 60 s)'
          : 'none within this mode',
    },
    { kind: RecoveryTermKind.DECISION, min: 0, max: 0, basis: 'automatic: RDS fails over by itself', assumption: false, remedy: 'none needed' },
  ];
  if (input.proxy) {
    terms.push({
      kind: RecoveryTermKind.SWITCH,
      min: 0,
      max: 0,
      basis: 'RDS Proxy keeps the client connections and its endpoint, and follows the new writer itself: no DNS change reaches clients',
      assumption: false,
      remedy: 'none needed',
    });
  } else {
    terms.push(
      {
        kind: RecoveryTermKind.PROPAGATION,
        min: 0,
        max: ttl,
        basis: `the endpoint's DNS record now names the new writer; resolvers keep the old answer up to ${ttl} s`
          + (input.endpointDnsTtl === undefined ? ' (assumed: AWS does not publish the endpoint TTL)' : ''),
        assumption: input.endpointDnsTtl === undefined,
        remedy: 'connect through RDS Proxy (`proxy: true`), whose endpoint does not change',
      },
      clientCaching(input.clientDnsCache ?? DEFAULT_ASSUMPTIONS.clientDnsCache, input.clientDnsCache === undefined),
    );
  }
  terms.push({
    kind: RecoveryTermKind.DATA_LOSS,
    min: 0,
    max: 0,
    basis: input.mode === 'instance'
      ? 'synchronous replication to the standby: committed transactions survive'
      : input.mode === 'cluster'
        ? 'semi-synchronous replication: a commit waits for at least one reader, which the failover promotes'
        : 'Aurora storage keeps six copies in three AZs and commits on a write quorum: committed transactions survive',
    assumption: false,
    remedy: 'none needed',
  });
  return terms;
}

import { Annotations, Duration, Lazy, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as events_targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CalculatedHealthCheck } from './calculated-health-check';
import { HealthProbeProps, ProbeAggregateOptions } from './health-probe-props';
import { ProbeTarget } from './probe-check';
import {
  ActiveRegionRead, DEFAULT_NAMESPACE, LATCH_PARTITION_KEY, latchKey, PERIOD_MS, ProbeEvent, PUBLISH_BUDGET_MS,
} from './probe-contract';
import { ProbeFunction } from './probe-function';
import { ProbeHealthCheck } from './probe-health-check';
import { resolverProblem } from './probe-resolve';
import { latchTable, probeFunction, suppressWildcardFinding } from './probe-shared';
import {
  DnsProbeTargetOptions, HttpProbeTargetOptions, IProbeHealthCheck, ProbeDnsRecordType, TcpProbeTargetOptions, TlsProbeTargetOptions,
} from './probe-targets';
import { checkHost, checkNamespace, checkSearchFits, count, hasDynamoDbEndpoint, ruleDescription } from './probe-validation';
import { Problems } from '../private/errors';
import { selectSubnets } from '../private/subnets';
import { checkDomainName, checkDuration, checkInteger, checkLength, checkLiteral, show, truncate, unresolved } from '../private/validate';

const MAX_TARGET_TIMEOUT_MS = 20_000;
const MAX_SAMPLES = 6;
/** Like Route 53's string matching. */
const DEFAULT_SEARCH_BYTES = 5120;
/** A rule target's input is at most 8,192 characters (docs/aws-facts.md#cloudwatch-alarms). */
const MAX_EVENT_CHARS = 8192;
/** Where a new event starts: below MAX_EVENT_CHARS, for Tokens that resolve longer. */
const MAX_INPUT_CHARS = 7_500;
/** The props behind a target's longest fields, to name the one that makes an event too long. */
const EVENT_FIELDS: { [field: string]: [prop: string, fix: string] } = {
  ca: ['caCertificates', 'give only the CA certificates that the target\'s certificates chain to, not a whole bundle.'],
  url: ['url', 'use a shorter URL.'],
  search: ['searchString', 'search for a shorter marker.'],
};
/** EventBridge allows 5 targets per rule. */
const TARGETS_PER_RULE = 5;

/**
 * Probes endpoints from where they are reachable (optionally inside a VPC) and what they must
 * prove (status, body, response time, certificate, DNS), every minute, several times a minute.
 * Each target gets a CloudWatch alarm shaped the way Route 53 accepts it and an alarm-based
 * Route 53 health check that `DnsFailover` takes like any other. A probe that stops (its
 * region down, its function failing) publishes nothing, and missing data counts as unhealthy:
 * the alarm treats it as breaching and the health check's insufficient-data status is
 * Unhealthy, so traffic fails over rather than staying on a primary nobody checks.
 *
 * One bundled function serves every probe of a stack with the same VPC, subnets and security groups.
 *
 * A `DataPlaneSwitch` given this probe makes it also read this region's active-region parameter
 * once a minute and publish `RegionEnabled` per region; a probe used only for that needs no targets.
 */
export class HealthProbe extends Construct {
  /** The function that runs the checks (shared by the probes of the stack). */
  public readonly function: lambda.IFunction;
  /** Sampling rounds per minute. */
  public readonly samplesPerMinute: number;
  /** Failed samples within a minute that make a target unhealthy. */
  public readonly failuresToAlarm: number;
  /** CloudWatch namespace of the metrics. */
  public readonly namespace: string;

  private readonly probeName: string;
  private readonly chunks: ProbeTarget[][] = [[]];
  private readonly ids = new Set<string>();
  private readonly latched = new Set<string>();
  private readonly checks: IProbeHealthCheck[] = [];
  private readonly vpc?: ec2.IVpc;
  private rule?: events.Rule;
  private latchRouteWarned = false;
  private readonly scheduled = new Set<ProbeTarget[]>();
  private activeRegion?: ActiveRegionRead;

  constructor(scope: Construct, id: string, props: HealthProbeProps = {}) {
    super(scope, id);
    this.samplesPerMinute = props.samplesPerMinute ?? 3;
    this.failuresToAlarm = props.failuresToAlarm ?? Math.min(2, this.samplesPerMinute);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const problems = new Problems(this);
    // Both size the schedule, the timeout budget and the modeled detection at synth.
    checkLiteral(problems, 'samplesPerMinute', props.samplesPerMinute, 'the probe\'s rounds and its modeled detection are sized at synth');
    checkLiteral(problems, 'failuresToAlarm', props.failuresToAlarm, 'the modeled detection needs it at synth');
    checkInteger(problems, 'samplesPerMinute', this.samplesPerMinute, 1, MAX_SAMPLES,
      'The schedule runs every minute; 3 samples detect within two minutes without flapping.');
    checkInteger(problems, 'failuresToAlarm', this.failuresToAlarm, 1, unresolved(this.samplesPerMinute) ? MAX_SAMPLES : this.samplesPerMinute,
      'It counts failed samples within one minute, so it cannot exceed `samplesPerMinute`.');
    checkLength(problems, 'namespace', props.namespace, 255, 'Use a CloudWatch namespace such as \'CdkFailover/Probe\'.');
    checkNamespace(problems, props.namespace);
    if (!props.vpc && (props.vpcSubnets || props.securityGroups)) {
      problems.add('`vpcSubnets` and `securityGroups` need `vpc`: give the VPC to probe from, or remove them.');
    }
    if (props.vpc) {
      const selected = selectSubnets(problems, 'vpcSubnets', props.vpc, props.vpcSubnets ?? {}, props.vpcSubnets === undefined,
        { kind: 'private subnets', why: 'The probe runs in private subnets, next to what it checks' });
      if (selected?.hasPublic) {
        // A function in a public subnet gets no public address: it could reach neither CloudWatch nor its targets outside the VPC.
        problems.add(props.vpcSubnets === undefined
          ? `\`vpcSubnets\` is not given and ${props.vpc.node.path} has no private subnets, only public ones, where a Lambda function `
            + 'reaches neither CloudWatch nor the internet. The probe runs in private subnets, next to what it checks: add them to the VPC '
            + '(subnetConfiguration), or pass `vpcSubnets`.'
          : `\`vpcSubnets\` selects public subnets of ${props.vpc.node.path}, where a Lambda function reaches neither CloudWatch nor the internet. `
            + 'Select private subnets (with egress, or isolated with VPC endpoints).');
      }
    }
    problems.throwIfAny();

    this.probeName = Names.uniqueResourceName(this, { maxLength: 200, separator: '-' });
    const fn = probeFunction(this, props);
    this.function = fn;
    fn.addToRolePolicy(new iam.PolicyStatement({
      // PutMetricData has no resource-level permissions; the namespace condition scopes it.
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': this.namespace } },
    }));
    suppressWildcardFinding(fn);
    this.vpc = props.vpc;
    this.node.addValidation({ validate: () => this.validateInputs() });
    // At synth, when the whole app is built: the endpoint may be added after the probe.
    this.node.addValidation({ validate: () => this.warnWithoutLatchRoute() });
  }

  /** Probes an HTTP or HTTPS URL: status, optional body string, optional response time. */
  public addHttpTarget(id: string, options: HttpProbeTargetOptions): IProbeHealthCheck {
    const problems = this.startTarget(id, options.timeout);
    let url: URL | undefined;
    if (!unresolved(options.url)) {
      try {
        url = new URL(options.url);
      } catch {
        problems.add(`\`url\` of target ${id} must be an http:// or https:// URL, got: ${show(options.url)}.`);
      }
      if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
        problems.add(`\`url\` of target ${id} must use http:// or https://, got: ${show(options.url)}.`);
      }
    }
    const codes = options.expectedStatusCodes;
    if (codes !== undefined && (codes.length === 0 || codes.some((c) => !unresolved(c) && (!Number.isInteger(c) || c < 100 || c > 599)))) {
      problems.add(`\`expectedStatusCodes\` of target ${id} must list status codes from 100 to 599, got: ${show(codes)}.`);
    }
    checkLength(problems, 'searchString', options.searchString, 1024, 'Search for a short marker that only a working page contains.');
    checkInteger(problems, 'searchBytes', options.searchBytes, 1, 1_048_576, 'The probe reads at most this much of the body.');
    checkSearchFits(problems, id, options.searchString, options.searchBytes ?? DEFAULT_SEARCH_BYTES);
    checkInteger(problems, 'followRedirects', options.followRedirects, 0, 10, 'Use 0 to judge a redirect by its status code.');
    const timeoutMs = this.timeoutMs(options.timeout);
    const maxResponse = checkDuration(problems, 'maxResponseTime', options.maxResponseTime);
    const maxResponseMs = maxResponse === undefined ? undefined : Math.round(maxResponse * 1000);
    if (maxResponseMs !== undefined && (!(maxResponseMs > 0) || maxResponseMs >= timeoutMs)) {
      problems.add(`\`maxResponseTime\` of target ${id} must be longer than zero and shorter than its timeout (${timeoutMs} ms), got: ${show(options.maxResponseTime)}.`);
    }
    problems.throwIfAny();
    return this.addTarget(id, {
      kind: 'http',
      id,
      url: options.url,
      timeoutMs,
      expectedStatus: codes ? codes.map((c): [number, number] => [c, c]) : [[200, 299]],
      search: options.searchString,
      searchBytes: options.searchBytes ?? DEFAULT_SEARCH_BYTES,
      maxResponseMs,
      followRedirects: options.followRedirects ?? 0,
      validateCertificate: options.validateCertificate ?? true,
      ca: options.caCertificates,
    }, `HTTP ${options.url}`, options.latch);
  }

  /** Probes a TCP port: healthy when a connection opens. */
  public addTcpTarget(id: string, options: TcpProbeTargetOptions): IProbeHealthCheck {
    const problems = this.startTarget(id, options.timeout);
    checkHost(problems, id, options.host);
    checkInteger(problems, 'port', options.port, 1, 65535, 'Give the port the endpoint listens on.');
    problems.throwIfAny();
    return this.addTarget(id, { kind: 'tcp', id, host: options.host, port: options.port, timeoutMs: this.timeoutMs(options.timeout) },
      `TCP ${options.host}:${options.port}`, options.latch);
  }

  /** Probes a TLS handshake: a valid certificate for the name that does not expire soon. */
  public addTlsTarget(id: string, options: TlsProbeTargetOptions): IProbeHealthCheck {
    const problems = this.startTarget(id, options.timeout);
    checkHost(problems, id, options.host);
    checkInteger(problems, 'port', options.port, 1, 65535, 'Give the port the endpoint listens on.');
    checkDomainName(problems, 'serverName', options.serverName);
    const validity = checkDuration(problems, 'minCertificateValidity', options.minCertificateValidity, { unit: 'days', fix: 'E.g. Duration.days(14).' });
    const days = validity === undefined ? 14 : validity / 86_400;
    problems.throwIfAny();
    const port = options.port ?? 443;
    return this.addTarget(id, {
      kind: 'tls',
      id,
      host: options.host,
      port,
      serverName: options.serverName ?? options.host,
      minCertificateDays: days,
      ca: options.caCertificates,
      timeoutMs: this.timeoutMs(options.timeout),
    }, `TLS ${options.host}:${port}`, options.latch);
  }

  /** Probes a DNS name: healthy when it resolves to at least one record of the type. */
  public addDnsTarget(id: string, options: DnsProbeTargetOptions): IProbeHealthCheck {
    const problems = this.startTarget(id, options.timeout);
    checkDomainName(problems, 'hostname', options.hostname);
    const bad = (options.resolvers ?? []).filter((r) => !unresolved(r)).flatMap((r) => resolverProblem(r) ?? []);
    if (bad.length > 0) {
      problems.add(`\`resolvers\` of target ${id} must be IP addresses, optionally with a port 1..65535 (\`10.0.0.2:53\`, \`[fd00::2]:53\`): ${bad.join('; ')}.`);
    }
    problems.throwIfAny();
    const recordType = options.recordType ?? ProbeDnsRecordType.A;
    return this.addTarget(id, {
      kind: 'dns',
      id,
      hostname: options.hostname,
      recordType,
      servers: options.resolvers,
      timeoutMs: this.timeoutMs(options.timeout),
    }, `DNS ${options.hostname} ${recordType}`, options.latch);
  }

  /**
   * A health check over all targets of the probe: unhealthy once `failedTargets` of them are
   * unhealthy. It is a Route 53 calculated check over the targets' own checks, so it counts
   * exactly what each target's alarm decides. Add it after the targets.
   */
  public addAggregate(id: string, options: ProbeAggregateOptions = {}): CalculatedHealthCheck {
    const failedTargets = options.failedTargets ?? 1;
    const problems = new Problems(this);
    if (this.ids.has(id)) {
      problems.add(`${id} is already the id of a target in this probe: give the aggregate its own id.`);
    }
    if (this.checks.length === 0) {
      problems.add('the aggregate needs targets: add them before addAggregate().');
    }
    checkInteger(problems, 'failedTargets', failedTargets, 1, Math.max(1, this.checks.length),
      'It counts targets of this probe.');
    problems.throwIfAny();
    return new CalculatedHealthCheck(this, id, {
      children: [...this.checks],
      healthThreshold: this.checks.length - failedTargets + 1,
      statusAlarm: false,
    });
  }

  private startTarget(id: string, timeout: Duration | undefined): Problems {
    const problems = new Problems(this);
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(id)) {
      problems.add(`the target id must be 1 to 128 letters, digits, '.', '_' or '-', got: ${show(id)}. It becomes a metric dimension.`);
    }
    if (this.ids.has(id)) {
      problems.add(`target ${id} already exists in this probe: give each target its own id.`);
    }
    const seconds = checkDuration(problems, 'timeout', timeout);
    if (seconds !== undefined) {
      const ms = Math.round(seconds * 1000);
      // Every round must end (timeout + publication) before the next one is due, or rounds slip,
      // a minute holds fewer samples than the alarm needs, and a dead target never alarms.
      const roundMs = unresolved(this.samplesPerMinute) ? MAX_TARGET_TIMEOUT_MS : 60_000 / this.samplesPerMinute;
      const maxMs = Math.min(MAX_TARGET_TIMEOUT_MS, roundMs - PUBLISH_BUDGET_MS);
      if (!Number.isInteger(ms) || ms < 1000 || ms > maxMs) {
        problems.add(`\`timeout\` of target ${id} must be 1 to ${maxMs / 1000} seconds, got: ${show(timeout)}. `
          + `With ${this.samplesPerMinute} sample(s) a minute a round must end within ${roundMs / 1000} s, `
          + `${PUBLISH_BUDGET_MS / 1000} s of them to publish; use a shorter timeout or fewer samples.`);
      }
    }
    return problems;
  }

  private timeoutMs(timeout: Duration | undefined): number {
    return timeout === undefined || timeout.isUnresolved() ? 5000 : timeout.toMilliseconds({ integral: false });
  }

  private addTarget(id: string, target: ProbeTarget, summary: string, latch: boolean | undefined): IProbeHealthCheck {
    this.checkEventFits(id, target, latch);
    this.ids.add(id);
    this.place(target);
    let resetCommand: string | undefined;
    if (latch) {
      this.latched.add(id);
      const table = latchTable(this, this.function as ProbeFunction);
      resetCommand = `aws dynamodb delete-item --region ${Stack.of(this).region} --table-name ${table.tableName} `
        + `--key '{"${LATCH_PARTITION_KEY}":{"S":"${latchKey(this.probeName, id)}"}}'`;
    }
    const check = new ProbeHealthCheck(this, id, {
      namespace: this.namespace,
      probeName: this.probeName,
      targetId: id,
      samples: this.samplesPerMinute,
      failuresToAlarm: this.failuresToAlarm,
      timeoutMs: target.timeoutMs,
      summary,
      latched: latch ?? false,
      resetCommand,
    });
    this.checks.push(check);
    return check;
  }

  /** Puts a target into an event of at most MAX_INPUT_CHARS; starts a new schedule target when full. */
  private place(target: ProbeTarget): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk.length > 0 && JSON.stringify(this.event([...chunk, target], chunk === this.chunks[0])).length > MAX_INPUT_CHARS) {
      chunk = [];
      this.chunks.push(chunk);
    }
    chunk.push(target);
    if (!this.scheduled.has(chunk)) {
      this.schedule(chunk);
    }
  }

  private schedule(chunk: ProbeTarget[]): void {
    this.scheduled.add(chunk);
    const index = this.chunks.length - 1;
    if (!this.rule || index % TARGETS_PER_RULE === 0) {
      this.rule = new events.Rule(this, index === 0 ? 'Schedule' : `Schedule${index / TARGETS_PER_RULE}`, {
        schedule: events.Schedule.rate(Duration.minutes(1)),
        description: ruleDescription(this.node.path, `: every minute, ${this.samplesPerMinute} samples`),
      });
    }
    this.rule.addTarget(new events_targets.LambdaFunction(this.function, {
      event: events.RuleTargetInput.fromObject(Lazy.any({ produce: () => this.event(chunk, chunk === this.chunks[0]) })),
      retryAttempts: 0,
    }));
  }

  /** A target travels whole in one event, so alone it must fit a rule target's input. */
  private checkEventFits(id: string, target: ProbeTarget, latch: boolean | undefined): void {
    const chars = JSON.stringify({ ...this.event([target], true), ...(latch ? { latched: [id] } : {}) }).length;
    const fields = Object.entries(target)
      .filter((e): e is [string, string] => e[0] in EVENT_FIELDS && typeof e[1] === 'string')
      .sort((a, b) => b[1].length - a[1].length);
    if (chars <= MAX_EVENT_CHARS || fields.length === 0 || unresolved(fields[0][1])) {
      return;
    }
    const [field, value] = fields[0];
    const [prop, fix] = EVENT_FIELDS[field];
    const problems = new Problems(this);
    problems.add(`\`${prop}\` of target ${id} makes the schedule's event ${count(chars)} characters, more than the ${count(MAX_EVENT_CHARS)} `
      + `EventBridge allows for a rule target's input (\`${prop}\` is ${count(value.length)} characters, got: ${show(truncate(value))}). `
      + `A target is never split over events: ${fix}`);
    problems.throwIfAny();
  }

  /** The event of one schedule target; the first one also carries the active-region read. */
  private event(targets: ProbeTarget[], first: boolean): ProbeEvent {
    const latched = targets.map((t) => t.id).filter((id) => this.latched.has(id));
    return {
      probe: this.probeName,
      namespace: this.namespace,
      samples: this.samplesPerMinute,
      periodMs: PERIOD_MS,
      targets,
      failuresToAlarm: this.failuresToAlarm,
      ...(latched.length > 0 ? { latched } : {}),
      ...(first && this.activeRegion ? { activeRegion: this.activeRegion } : {}),
    };
  }

  /**
   * Makes the probe read this region's copy of the active-region parameter once per invocation
   * and publish `RegionEnabled` per region (for a `DataPlaneSwitch`): grants `ssm:GetParameter`
   * on that parameter only, and schedules the probe even without targets. One parameter per probe.
   *
   * @internal
   */
  public _readActiveRegion(read: ActiveRegionRead, parameterArn: string): { probeName: string; namespace: string } {
    if (this.activeRegion) {
      const problems = new Problems(this);
      problems.add(`the probe already reads the active-region parameter ${this.activeRegion.parameterName} for another DataPlaneSwitch: `
        + 'a probe reads one parameter. Give each switch its own probe, or use one switch per application.');
      problems.throwIfAny();
    }
    this.activeRegion = { parameterName: read.parameterName, regions: [...read.regions] };
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }));
    if (!this.scheduled.has(this.chunks[0])) {
      this.schedule(this.chunks[0]);
    }
    return { probeName: this.probeName, namespace: this.namespace };
  }

  /**
   * A latch reads and writes DynamoDB. From a VPC without a route to it the latch state cannot
   * be read, latched targets count as failed and fail over for good: warn unless the app holds
   * a DynamoDB endpoint in the VPC. A NAT route cannot be told apart from none at synth, so it
   * is the user's to acknowledge.
   */
  private warnWithoutLatchRoute(): string[] {
    const vpc = this.vpc;
    if (!vpc || this.latched.size === 0 || this.latchRouteWarned || hasDynamoDbEndpoint(vpc)) {
      return [];
    }
    this.latchRouteWarned = true;
    const where = vpc.node.defaultChild instanceof ec2.CfnVPC
      ? `the probe runs in VPC ${vpc.node.path}, which has no DynamoDB endpoint in this app`
      : `the probe runs in the imported VPC ${vpc.vpcId}, whose routes cannot be seen at synth`;
    const fix = vpc.node.defaultChild instanceof ec2.CfnVPC
      ? 'Add a gateway endpoint: vpc.addGatewayEndpoint(\'DynamoDb\', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB }). '
        + 'If the subnets reach DynamoDB through a NAT gateway instead, acknowledge this warning.'
      : 'Make sure the subnets reach DynamoDB (a gateway or interface endpoint, or a NAT gateway), then acknowledge this warning.';
    Annotations.of(this).addWarningV2('cdk-failover:latch-no-dynamodb-route',
      `latched targets (${[...this.latched].join(', ')}) read and write a DynamoDB table, but ${where}. `
      + `While the latch state cannot be read, a latched target counts as failed, so traffic fails over for good. ${fix}`);
    return [];
  }

  private validateInputs(): string[] {
    if (this.ids.size === 0 && !this.activeRegion) {
      return ['the probe has no targets: add one with addHttpTarget(), addTcpTarget(), addTlsTarget() or addDnsTarget(), or remove the probe.'];
    }
    return [];
  }
}

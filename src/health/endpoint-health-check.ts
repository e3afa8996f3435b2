import { Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { endpointTerm } from './detection';
import { IModeledHealthCheck, ModeledHealthCheckBase } from './health-check-base';
import { checkAlarmTopic, StatusAlarm } from './status-alarm';
import { RecoveryEstimate } from '../objectives/estimate';
import { ProbeProtocol, ROUTE53_INTERVALS, ROUTE53_MAX_THRESHOLD, ROUTE53_MIN_THRESHOLD } from '../objectives/model/route53';
import { Problems } from '../private/errors';
import { checkDomainName, checkDuration, checkInteger, checkLength, ipVersion, nonPublicReason, show, unresolved } from '../private/validate';

/**
 * How Route 53 probes an endpoint.
 */
export enum EndpointProtocol {
  /**
   * HTTP: TCP connect within 4 s, then a 2xx or 3xx status within 2 s.
   */
  HTTP = 'HTTP',
  /**
   * HTTPS: like HTTP over TLS. Route 53 does not validate the certificate.
   */
  HTTPS = 'HTTPS',
  /**
   * TCP: a connection within 10 s.
   */
  TCP = 'TCP',
}

/**
 * The eight regions Route 53 health checkers run in.
 */
export enum CheckerRegion {
  /** US East (N. Virginia). */
  US_EAST_1 = 'us-east-1',
  /** US West (N. California). */
  US_WEST_1 = 'us-west-1',
  /** US West (Oregon). */
  US_WEST_2 = 'us-west-2',
  /** Europe (Ireland). */
  EU_WEST_1 = 'eu-west-1',
  /** Asia Pacific (Singapore). */
  AP_SOUTHEAST_1 = 'ap-southeast-1',
  /** Asia Pacific (Sydney). */
  AP_SOUTHEAST_2 = 'ap-southeast-2',
  /** Asia Pacific (Tokyo). */
  AP_NORTHEAST_1 = 'ap-northeast-1',
  /** South America (São Paulo). */
  SA_EAST_1 = 'sa-east-1',
}

/**
 * What the recovery model needs to know of an existing endpoint health check.
 */
export interface EndpointHealthCheckAttributes {
  /** The ID of the Route 53 health check. */
  readonly healthCheckId: string;

  /** The request interval it was created with: 10 or 30 seconds. */
  readonly requestInterval: Duration;

  /** The failure threshold it was created with: 1 to 10. */
  readonly failureThreshold: number;

  /**
   * How it probes.
   *
   * @default EndpointProtocol.HTTPS
   */
  readonly protocol?: EndpointProtocol;

  /**
   * The DNS name it probes, for the report and the check that it does not probe the failover
   * name itself.
   *
   * @default - unknown
   */
  readonly domainName?: string;
}

/**
 * Properties of `EndpointHealthCheck`.
 */
export interface EndpointHealthCheckProps {
  /**
   * The DNS name Route 53 resolves and probes, and sends as `Host` header (and TLS SNI).
   * Point it at the regional name of one region (e.g. `us-east-1.app.example.com`), not at
   * the failover name itself, or the check follows the failover.
   *
   * @default - none; give `domainName`, `ipAddress` or both
   */
  readonly domainName?: string;

  /**
   * The public IPv4 or IPv6 address to probe. Private and reserved addresses cannot be
   * reached by Route 53 checkers.
   *
   * @default - Route 53 resolves `domainName`
   */
  readonly ipAddress?: string;

  /**
   * How to probe.
   *
   * @default EndpointProtocol.HTTPS
   */
  readonly protocol?: EndpointProtocol;

  /**
   * The port to probe: 1 to 65535.
   *
   * @default 443 for HTTPS, 80 for HTTP; required for TCP
   */
  readonly port?: number;

  /**
   * The path requested by HTTP and HTTPS checks; starts with `/`, at most 255 characters.
   * Point it at a page that proves the application works, not at a static file.
   *
   * @default '/'
   */
  readonly resourcePath?: string;

  /**
   * A string that must appear in the first 5,120 bytes of the response body
   * (case-sensitive, at most 255 characters). HTTP and HTTPS only.
   *
   * @default - the status code alone decides
   */
  readonly searchString?: string;

  /**
   * Seconds between two probes of each checker: 10 (fast, billed extra) or 30. It cannot be
   * changed after creation.
   *
   * @default Duration.seconds(10)
   */
  readonly requestInterval?: Duration;

  /**
   * Consecutive probe results before a checker changes its view of the endpoint, both to
   * unhealthy and back to healthy: 1 to 10.
   *
   * The default of 2 with a 10 s interval needs a failure that lasts a whole interval across
   * more than 82 % of the checkers before traffic moves, so one lost probe or a short pause
   * never fails over, and traffic returns only after two good probes in a row. It detects in
   * at most 26 s over HTTPS, 10 s more than the fastest setting (1).
   *
   * @default 2
   */
  readonly failureThreshold?: number;

  /**
   * The checker regions: at least 3 of the 8.
   *
   * @default - all 8 regions
   */
  readonly regions?: CheckerRegion[];

  /**
   * Whether HTTPS checks send the domain name in the TLS handshake (SNI). Needed by most
   * load balancers and CDNs that serve several certificates.
   *
   * @default true for HTTPS checks with a `domainName`
   */
  readonly enableSni?: boolean;

  /**
   * Whether Route 53 measures latency from each checker region (billed extra).
   *
   * @default false
   */
  readonly measureLatency?: boolean;

  /**
   * Whether to create a CloudWatch alarm on the check's `HealthCheckStatus` metric. Route 53
   * publishes the metric only in its home region (us-east-1; cn-northwest-1 in China,
   * us-gov-west-1 in GovCloud), so the alarm is created there whatever the stack's region.
   *
   * @default true
   */
  readonly statusAlarm?: boolean;

  /**
   * An SNS topic in Route 53's home region (us-east-1 in the commercial partition) told when
   * the status alarm fires and clears.
   *
   * @default - the alarm has no actions
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A Route 53 endpoint health check with fast, non-flapping defaults (HTTPS, 10 s interval,
 * threshold 2, all checker regions), a status alarm in us-east-1, validation of everything
 * Route 53 would reject, and its detection time in the recovery model.
 *
 * @example
 * new EndpointHealthCheck(this, 'Primary', {
 *   domainName: 'us-east-1.app.example.com',
 *   resourcePath: '/health',
 * });
 */
export class EndpointHealthCheck extends ModeledHealthCheckBase {
  /**
   * Imports an existing Route 53 endpoint health check with the settings the recovery model
   * needs, so that a failover pair built on it is modeled from its real interval and
   * threshold instead of the slowest Route 53 allows.
   */
  public static fromHealthCheckAttributes(scope: Construct, id: string, attrs: EndpointHealthCheckAttributes): IModeledHealthCheck {
    const problems = new Problems(scope);
    const interval = attrs.requestInterval;
    checkDuration(problems, 'requestInterval', interval, {
      unit: 'seconds', allowed: ROUTE53_INTERVALS, fix: `Give the interval ${id} was created with.`,
    });
    checkInteger(problems, 'failureThreshold', attrs.failureThreshold, ROUTE53_MIN_THRESHOLD, ROUTE53_MAX_THRESHOLD,
      'Give the threshold the check was created with.');
    problems.throwIfAny();

    class Import extends ModeledHealthCheckBase {
      public readonly domainName = attrs.domainName;

      constructor() {
        super(scope, id);
        const protocol = attrs.protocol ?? EndpointProtocol.HTTPS;
        const modeled = endpointTerm(this,
          interval.isUnresolved() ? undefined : interval.toSeconds(),
          Token.isUnresolved(attrs.failureThreshold) ? undefined : attrs.failureThreshold,
          protocol as ProbeProtocol);
        this._describe({
          healthCheckId: attrs.healthCheckId,
          detection: RecoveryEstimate._fromModel([modeled.term]),
          summary: `${protocol} ${attrs.domainName ?? attrs.healthCheckId} ${modeled.summary} (imported)`,
          warning: modeled.warning,
        });
      }
    }
    return new Import();
  }

  /** The aws-cdk-lib health check this construct configures. */
  public readonly healthCheck: route53.HealthCheck;
  /**
   * The DNS name probed.
   *
   * @default - none: the check probes `ipAddress`
   */
  public readonly domainName?: string;
  /**
   * Name of the status alarm in Route 53's home region.
   *
   * @default - no status alarm
   */
  public readonly statusAlarmName?: string;
  /**
   * ARN of the status alarm in Route 53's home region.
   *
   * @default - no status alarm
   */
  public readonly statusAlarmArn?: string;

  constructor(scope: Construct, id: string, props: EndpointHealthCheckProps) {
    super(scope, id);

    const protocol = props.protocol ?? EndpointProtocol.HTTPS;
    const interval = props.requestInterval ?? Duration.seconds(10);
    const failureThreshold = props.failureThreshold ?? 2;
    const port = props.port ?? defaultPort(protocol);
    validate(this, props, protocol, interval, failureThreshold);

    const http = protocol !== EndpointProtocol.TCP;
    const type = typeOf(protocol, props.searchString !== undefined);
    this.healthCheck = new route53.HealthCheck(this, 'Resource', {
      type,
      fqdn: props.domainName,
      ipAddress: props.ipAddress,
      port,
      resourcePath: http ? props.resourcePath ?? '/' : undefined,
      searchString: props.searchString,
      requestInterval: interval,
      failureThreshold,
      regions: props.regions,
      enableSNI: protocol === EndpointProtocol.HTTPS ? props.enableSni ?? props.domainName !== undefined : undefined,
      measureLatency: props.measureLatency ?? false,
    });

    const modeled = endpointTerm(this,
      interval.isUnresolved() ? undefined : interval.toSeconds(),
      Token.isUnresolved(failureThreshold) ? undefined : failureThreshold,
      protocol as ProbeProtocol);
    this.domainName = props.domainName;
    const target = props.domainName ?? props.ipAddress ?? '?';
    const where = http ? `${target}:${port}${props.resourcePath ?? '/'}` : `${target}:${port}`;
    this._describe({
      healthCheckId: this.healthCheck.healthCheckId,
      detection: RecoveryEstimate._fromModel([modeled.term]),
      summary: `${protocol} ${where} ${modeled.summary}`,
      warning: modeled.warning,
    });

    if (props.statusAlarm ?? true) {
      const alarm = new StatusAlarm(this, 'StatusAlarm', {
        healthCheckId: this.healthCheckId,
        description: `Route 53 health check ${this.summary} at ${this.node.path}.`,
        topic: props.alarmTopic,
      });
      this.statusAlarmName = alarm.alarmName;
      this.statusAlarmArn = alarm.alarmArn;
    }
  }
}

function defaultPort(protocol: EndpointProtocol): number | undefined {
  switch (protocol) {
    case EndpointProtocol.HTTPS: return 443;
    case EndpointProtocol.HTTP: return 80;
    default: return undefined;
  }
}

function typeOf(protocol: EndpointProtocol, stringMatch: boolean): route53.HealthCheckType {
  switch (protocol) {
    case EndpointProtocol.HTTPS: return stringMatch ? route53.HealthCheckType.HTTPS_STR_MATCH : route53.HealthCheckType.HTTPS;
    case EndpointProtocol.HTTP: return stringMatch ? route53.HealthCheckType.HTTP_STR_MATCH : route53.HealthCheckType.HTTP;
    default: return route53.HealthCheckType.TCP;
  }
}

const ALL_REGIONS: string[] = Object.values(CheckerRegion);

function validate(scope: Construct, props: EndpointHealthCheckProps, protocol: EndpointProtocol, interval: Duration, threshold: number): void {
  const problems = new Problems(scope);

  if (props.domainName === undefined && props.ipAddress === undefined) {
    problems.add('give `domainName`, `ipAddress` or both: Route 53 needs an endpoint to probe. Use the regional name, e.g. domainName: \'us-east-1.app.example.com\'.');
  }
  checkDomainName(problems, 'domainName', props.domainName);
  if (props.ipAddress !== undefined && !unresolved(props.ipAddress)) {
    if (ipVersion(props.ipAddress) === undefined || props.ipAddress.includes('%')) {
      problems.add(`\`ipAddress\` must be an IPv4 or IPv6 address, got: ${show(props.ipAddress)}. Use \`domainName\` for a DNS name.`);
    } else {
      const reason = nonPublicReason(props.ipAddress);
      if (reason) {
        problems.add(`\`ipAddress\` ${props.ipAddress} is a ${reason} address, which Route 53 health checkers cannot reach. `
          + 'Check a public address, or probe the endpoint from inside its VPC with an alarm-based health check (the private probe).');
      }
    }
  }

  checkDuration(problems, 'requestInterval', interval, {
    unit: 'seconds', allowed: ROUTE53_INTERVALS, fix: 'Use Duration.seconds(10) for fast detection.',
  });
  checkInteger(problems, 'failureThreshold', threshold, ROUTE53_MIN_THRESHOLD, ROUTE53_MAX_THRESHOLD,
    'Use 2 (the default) to fail over in at most 26 s without flapping.');

  const port = props.port;
  if (port === undefined && protocol === EndpointProtocol.TCP) {
    problems.add('`port` is required for TCP checks: give the port your service listens on, e.g. port: 5432.');
  }
  checkInteger(problems, 'port', port, 1, 65535, 'Give the port the endpoint listens on.');

  const http = protocol !== EndpointProtocol.TCP;
  if (!http && props.resourcePath !== undefined) {
    problems.add(`\`resourcePath\` applies to HTTP and HTTPS checks only, got: ${show(props.resourcePath)} with protocol TCP. Remove it, or use EndpointProtocol.HTTPS.`);
  }
  if (!http && props.searchString !== undefined) {
    problems.add('`searchString` applies to HTTP and HTTPS checks only. Remove it, or use EndpointProtocol.HTTPS.');
  }
  if (props.resourcePath !== undefined && !unresolved(props.resourcePath)) {
    if (!props.resourcePath.startsWith('/')) {
      problems.add(`\`resourcePath\` must start with "/", got: ${show(props.resourcePath)}. E.g. '/health'.`);
    }
    checkLength(problems, 'resourcePath', props.resourcePath, 255, 'Route 53 accepts at most 255 characters.');
  }
  checkLength(problems, 'searchString', props.searchString, 255,
    'Route 53 matches at most 255 characters in the first 5,120 bytes of the body.');
  if (props.enableSni === true && protocol !== EndpointProtocol.HTTPS) {
    problems.add(`\`enableSni\` applies to HTTPS checks only, got protocol ${protocol}. Remove it.`);
  }

  if (props.regions !== undefined && !unresolved(props.regions)) {
    const unknown = props.regions.filter((r) => !unresolved(r) && !ALL_REGIONS.includes(r));
    const distinct = new Set(props.regions);
    if (unknown.length > 0) {
      problems.add(`\`regions\` must be Route 53 checker regions (${ALL_REGIONS.join(', ')}), got: ${show(unknown)}. Use the CheckerRegion enum.`);
    }
    if (distinct.size !== props.regions.length) {
      problems.add(`\`regions\` must not repeat a region, got: ${show(props.regions)}.`);
    }
    if (distinct.size < 3) {
      problems.add(`\`regions\` must name at least 3 checker regions, got ${distinct.size}: ${show(props.regions)}. Omit it to use all 8.`);
    }
  }

  checkAlarmTopic(problems, scope, props.alarmTopic, props.statusAlarm);
  problems.throwIfAny();
}

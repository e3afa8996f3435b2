import { IResolvable, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import {
  endpointDetection, ProbeProtocol, ROUTE53_DEFAULT_INTERVAL, ROUTE53_DEFAULT_THRESHOLD, ROUTE53_INTERVALS, ROUTE53_MAX_THRESHOLD, Term,
} from '../objectives/model';

/** Marks this library's health checks, which model their own detection. */
export const MODELED_HEALTH_CHECK = Symbol.for('cdk-failover.ModeledHealthCheck');

/** What the model knows of a health check. */
export interface Detection {
  readonly term: Term;
  readonly summary: string;
  /** Set when the figures are not the check's own (imported or unmodeled checks). */
  readonly warning?: string;
}

interface Modeled extends route53.IHealthCheck {
  readonly summary: string;
  _detectionTerm(): Term;
  _detectionWarning(): string | undefined;
}

function isModeled(hc: route53.IHealthCheck): hc is Modeled {
  return MODELED_HEALTH_CHECK in hc;
}

/**
 * The detection term of any health check: this library's own checks model themselves; an
 * aws-cdk-lib `HealthCheck` in the app is read from its template properties; anything else
 * (an imported check) is modeled with the Route 53 defaults and a warning.
 */
export function detectionOf(hc: route53.IHealthCheck): Detection {
  if (isModeled(hc)) {
    return { term: hc._detectionTerm(), summary: hc.summary, warning: hc._detectionWarning() };
  }
  const cfn = hc.node.defaultChild;
  if (cfn instanceof route53.CfnHealthCheck && !Token.isUnresolved(cfn.healthCheckConfig)) {
    const config = cfn.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
    const protocol = probeProtocol(config.type);
    if (protocol) {
      // Absent means the Route 53 default; a Token is unknown until deploy.
      const modeled = endpointTerm(hc,
        config.requestInterval === undefined ? ROUTE53_DEFAULT_INTERVAL : known(config.requestInterval),
        config.failureThreshold === undefined ? ROUTE53_DEFAULT_THRESHOLD : known(config.failureThreshold),
        protocol);
      return { ...modeled, summary: `${config.type} ${config.fullyQualifiedDomainName ?? config.ipAddress ?? ''} ${modeled.summary}` };
    }
    return unmodeled(hc, `${config.type} health checks are not modeled yet; use EndpointHealthCheck or CalculatedHealthCheck`);
  }
  return unmodeled(hc, 'it is imported, so its interval and threshold are unknown');
}

/**
 * The detection of an endpoint check whose interval or threshold may be unknown (a Token,
 * given as undefined): unknowns are modeled at the slowest values Route 53 accepts, and the term
 * becomes an assumption with a warning.
 */
export function endpointTerm(hc: IConstruct, interval: number | undefined, threshold: number | undefined, protocol: ProbeProtocol): Detection {
  const slowestInterval = Math.max(...ROUTE53_INTERVALS);
  const term = endpointDetection({ interval: interval ?? slowestInterval, failureThreshold: threshold ?? ROUTE53_MAX_THRESHOLD, protocol });
  const summary = `(${interval ?? '?'} s x ${threshold ?? '?'})`;
  if (interval !== undefined && threshold !== undefined) {
    return { term, summary };
  }
  return {
    term: { ...term, assumption: true, basis: `unresolved at synth, modeled at the slowest Route 53 accepts (${slowestInterval} s x ${ROUTE53_MAX_THRESHOLD}): ${term.basis}` },
    summary,
    warning: `The health check at ${hc.node.path} has a request interval or failure threshold that is only known at deploy time; `
      + `it is modeled at the slowest Route 53 accepts (${slowestInterval} s x ${ROUTE53_MAX_THRESHOLD}).`,
  };
}

function unmodeled(hc: route53.IHealthCheck, why: string): Detection {
  const term = endpointDetection({ interval: ROUTE53_DEFAULT_INTERVAL, failureThreshold: ROUTE53_DEFAULT_THRESHOLD, protocol: 'HTTPS' });
  return {
    term: { ...term, assumption: true, basis: `assumed Route 53 defaults (${ROUTE53_DEFAULT_INTERVAL} s x ${ROUTE53_DEFAULT_THRESHOLD}, HTTPS): ${term.basis}` },
    summary: `health check ${hc.node.path}`,
    warning: `The health check at ${hc.node.path} is modeled with the Route 53 defaults (${ROUTE53_DEFAULT_INTERVAL} s x ${ROUTE53_DEFAULT_THRESHOLD}) because ${why}.`,
  };
}

function probeProtocol(type: string): ProbeProtocol | undefined {
  switch (type) {
    case 'HTTP':
    case 'HTTP_STR_MATCH':
      return 'HTTP';
    case 'HTTPS':
    case 'HTTPS_STR_MATCH':
      return 'HTTPS';
    case 'TCP':
      return 'TCP';
    default:
      return undefined;
  }
}

function known(value: number | IResolvable | undefined): number | undefined {
  return typeof value === 'number' && !Token.isUnresolved(value) ? value : undefined;
}

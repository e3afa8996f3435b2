import { IResolvable, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { RecoveryEstimate } from '../objectives/estimate';
import { totals } from '../objectives/model/compose';
import {
  endpointDetection, ProbeProtocol, ROUTE53_DEFAULT_INTERVAL, ROUTE53_DEFAULT_THRESHOLD, ROUTE53_INTERVALS, ROUTE53_MAX_THRESHOLD,
} from '../objectives/model/route53';
import { Term } from '../objectives/model/term';
import { RecoveryTermKind } from '../objectives/term-kind';

/** What the model knows of a health check. */
export interface Detection {
  readonly term: Term;
  readonly summary: string;
  /** Set when the figures are not the check's own (imported, unresolved or unmodeled checks). */
  readonly warning?: string;
  /**
   * The check's own terms, kept apart when some are not detection (a routing control health check
   * is a human decision and a switch): a path puts these in place of `term`.
   */
  readonly terms?: Term[];
}

/** The shape of `IModeledHealthCheck`, plus this library's internal warning hook. */
interface Modeled extends route53.IHealthCheck {
  readonly detection: RecoveryEstimate;
  readonly summary?: string;
  _detectionWarning?(): string | undefined;
}

function isModeled(hc: route53.IHealthCheck): hc is Modeled {
  return (hc as Partial<Modeled>).detection instanceof RecoveryEstimate;
}

const SLOWEST_INTERVAL = Math.max(...ROUTE53_INTERVALS);

/**
 * The detection term of any health check:
 * - an `IModeledHealthCheck` (this library's checks, or one a user implements) gives its own;
 * - an aws-cdk-lib `HealthCheck` in the app is read from its template properties;
 * - anything else (an imported check, a type the model does not know) is modeled at the
 *   slowest endpoint check Route 53 allows, as an assumption with a warning.
 */
export function detectionOf(hc: route53.IHealthCheck): Detection {
  if (isModeled(hc)) {
    const own = hc.detection._terms;
    return {
      term: asOneTerm(hc.detection),
      summary: hc.summary ?? `health check ${hc.node.path}`,
      warning: hc._detectionWarning?.(),
      terms: own.some((t) => t.kind !== RecoveryTermKind.DETECTION) ? own : undefined,
    };
  }
  const cfn = hc.node.defaultChild;
  if (!(cfn instanceof route53.CfnHealthCheck) || Token.isUnresolved(cfn.healthCheckConfig)) {
    return unmodeled(hc, 'it is imported, so its interval and threshold are unknown; '
      + 'import it with EndpointHealthCheck.fromHealthCheckAttributes() to state them');
  }
  const config = cfn.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty;
  if (config.inverted === true) {
    // An inverted check reports the opposite of the endpoint (docs/aws-facts.md#route-53-health-checks): only drills do that.
    return unmodeled(hc, 'it is inverted: it reports the endpoint unhealthy while it is healthy, which only a drill should do');
  }
  const protocol = probeProtocol(config.type);
  if (!protocol) {
    return unmodeled(hc, `aws-cdk-lib ${config.type} health checks are not modeled; use EndpointHealthCheck, CalculatedHealthCheck, AlarmHealthCheck or HealthProbe`);
  }
  // Absent means the Route 53 default; a Token is unknown until deploy.
  const modeled = endpointTerm(hc,
    config.requestInterval === undefined ? ROUTE53_DEFAULT_INTERVAL : known(config.requestInterval),
    config.failureThreshold === undefined ? ROUTE53_DEFAULT_THRESHOLD : known(config.failureThreshold),
    protocol);
  return { ...modeled, summary: `${config.type} ${config.fullyQualifiedDomainName ?? config.ipAddress ?? ''} ${modeled.summary}` };
}

/**
 * A health check's own estimate as one detection term: its single term as it is, or several
 * composed into one with their figures and bases.
 */
export function asOneTerm(detection: RecoveryEstimate): Term {
  const terms = detection._terms;
  if (terms.length === 1 && terms[0].kind === RecoveryTermKind.DETECTION) {
    return terms[0];
  }
  const t = totals(detection._step);
  return {
    id: 'health-check',
    kind: RecoveryTermKind.DETECTION,
    min: t.rtoMin ?? 0,
    max: t.rtoMax ?? 0,
    basis: terms.map((x) => x.basis).join('; '),
    assumption: terms.some((x) => x.assumption),
    remedy: t.dominant?.remedy ?? terms[0].remedy,
  };
}

/**
 * The detection of an endpoint check whose interval or threshold may be unknown (a Token,
 * given as undefined): unknowns are modeled at the slowest values Route 53 accepts, and the term
 * becomes an assumption with a warning.
 */
export function endpointTerm(hc: IConstruct, interval: number | undefined, threshold: number | undefined, protocol: ProbeProtocol): Detection {
  const term = endpointDetection({ interval: interval ?? SLOWEST_INTERVAL, failureThreshold: threshold ?? ROUTE53_MAX_THRESHOLD, protocol });
  const summary = `(${interval ?? '?'} s x ${threshold ?? '?'})`;
  if (interval !== undefined && threshold !== undefined) {
    return { term, summary };
  }
  return {
    term: { ...term, assumption: true, basis: `unresolved at synth, modeled at the slowest Route 53 accepts (${SLOWEST_INTERVAL} s x ${ROUTE53_MAX_THRESHOLD}): ${term.basis}` },
    summary,
    warning: `The health check at ${hc.node.path} has a request interval or failure threshold that is only known at deploy time; `
      + `it is modeled at the slowest Route 53 accepts (${SLOWEST_INTERVAL} s x ${ROUTE53_MAX_THRESHOLD}).`,
  };
}

/** The DNS name a health check probes, when it is known. */
export function probedName(hc: route53.IHealthCheck): string | undefined {
  const own = (hc as { domainName?: unknown }).domainName;
  if (typeof own === 'string') {
    return own;
  }
  const cfn = hc.node.defaultChild;
  if (cfn instanceof route53.CfnHealthCheck && !Token.isUnresolved(cfn.healthCheckConfig)) {
    return (cfn.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty).fullyQualifiedDomainName;
  }
  return undefined;
}

/** A check the model cannot read: the slowest endpoint check Route 53 allows, with a warning. */
function unmodeled(hc: route53.IHealthCheck, why: string): Detection {
  const term = endpointDetection({ interval: SLOWEST_INTERVAL, failureThreshold: ROUTE53_MAX_THRESHOLD, protocol: 'TCP' });
  const slowest = `${SLOWEST_INTERVAL} s x ${ROUTE53_MAX_THRESHOLD}, TCP`;
  return {
    term: { ...term, assumption: true, basis: `assumed the slowest Route 53 endpoint check (${slowest}): ${term.basis}` },
    summary: `health check ${hc.node.path} (unknown)`,
    warning: `The health check at ${hc.node.path} is modeled as the slowest Route 53 endpoint check (${slowest}) because ${why}.`,
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

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IModeledHealthCheck } from './health-check-base';

/**
 * The DNS record types the probe can resolve.
 */
export enum ProbeDnsRecordType {
  /** IPv4 addresses. */
  A = 'A',
  /** IPv6 addresses. */
  AAAA = 'AAAA',
}
/**
 * Options common to every probe target.
 */
export interface ProbeTargetOptions {
  /**
   * Time allowed for one check of this target: 1 second to 20 seconds, and at most the
   * sampling interval less 3 s to publish (7 s with 6 samples a minute, 17 s with 3).
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Manual failback: once the target's alarm would fire (`failuresToAlarm` failed samples in
   * a CloudWatch minute, or a minute without samples because the probe did not run), it stays
   * unhealthy until an operator resets it with `resetCommand`, so traffic does not flap back to
   * a half-recovered primary. The latch and the per-minute counts live in a DynamoDB table in
   * the probe's region; setting and resetting them are data-plane calls. While the latch state
   * cannot be read or written, the target counts as failed.
   *
   * @default false
   */
  readonly latch?: boolean;
}
/**
 * Options of an HTTP or HTTPS probe target.
 */
export interface HttpProbeTargetOptions extends ProbeTargetOptions {
  /** The `http://` or `https://` URL to request. */
  readonly url: string;

  /**
   * Status codes that count as healthy.
   *
   * @default - any 2xx
   */
  readonly expectedStatusCodes?: number[];

  /**
   * A string that must appear in the first `searchBytes` bytes of the body, compared as UTF-8
   * bytes: at most `searchBytes` bytes long. The body is searched as it arrives: the probe does
   * not decompress it, so a server that compresses its answer (`Content-Encoding: gzip`)
   * never matches. Have the health page answer uncompressed.
   *
   * @default - the status code alone decides
   */
  readonly searchString?: string;

  /**
   * How many bytes of the body are searched: 1 to 1,048,576, and at least the length of
   * `searchString` in UTF-8 bytes. The rest is never read.
   *
   * @default 5120 - like Route 53
   */
  readonly searchBytes?: number;

  /**
   * An answer slower than this is unhealthy.
   *
   * @default - only the timeout limits it
   */
  readonly maxResponseTime?: Duration;

  /**
   * Redirects to follow: 0 to 10. With 0, a 3xx is judged by `expectedStatusCodes`. A chain of
   * exactly this many redirects passes; one more is unhealthy (`redirect-loop`). A redirect from
   * https to http, or to a link-local or instance metadata address (169.254.0.0/16, fe80::/10,
   * fd00:ec2::/32, as a literal or resolved), is never followed (`redirect`).
   *
   * @default 0
   */
  readonly followRedirects?: number;

  /**
   * Whether HTTPS certificates must be valid for the host (unlike Route 53's own checks).
   *
   * @default true
   */
  readonly validateCertificate?: boolean;

  /**
   * The CA certificates (PEM) to trust, for endpoints whose certificates a private CA issues.
   * They replace the public CAs Node.js trusts rather than adding to them: with this set, a
   * publicly issued certificate fails validation, also on a redirect to another host. Give
   * every CA the target's certificates (and redirects) chain to. The bundle travels in the
   * schedule's event, which holds at most 8,192 characters.
   *
   * @default - the public CAs Node.js trusts
   */
  readonly caCertificates?: string;
}

/**
 * Options of a TCP probe target.
 */
export interface TcpProbeTargetOptions extends ProbeTargetOptions {
  /** Host name or IP address. */
  readonly host: string;
  /** Port: 1 to 65535. */
  readonly port: number;
}

/**
 * Options of a TLS probe target: a handshake with certificate checks.
 */
export interface TlsProbeTargetOptions extends ProbeTargetOptions {
  /** Host name or IP address. */
  readonly host: string;

  /**
   * Port: 1 to 65535.
   *
   * @default 443
   */
  readonly port?: number;

  /**
   * The name sent as SNI and that the certificate must match.
   *
   * @default - `host`
   */
  readonly serverName?: string;

  /**
   * How long every certificate of the chain the server presents (the leaf and each
   * intermediate) must stay valid: in whole days of 24 hours. A certificate with exactly this
   * long left passes; one second less is unhealthy (`certificate-expiring`).
   *
   * @default Duration.days(14)
   */
  readonly minCertificateValidity?: Duration;

  /**
   * The CA certificates (PEM) to trust, for endpoints whose certificates a private CA issues.
   * They replace the public CAs Node.js trusts rather than adding to them: with this set, a
   * publicly issued certificate fails the handshake. The bundle travels in the schedule's
   * event, which holds at most 8,192 characters.
   *
   * @default - the public CAs Node.js trusts
   */
  readonly caCertificates?: string;
}

/**
 * Options of a DNS probe target.
 */
export interface DnsProbeTargetOptions extends ProbeTargetOptions {
  /** The name to resolve. */
  readonly hostname: string;

  /**
   * The record type that must resolve.
   *
   * @default ProbeDnsRecordType.A
   */
  readonly recordType?: ProbeDnsRecordType;

  /**
   * Resolvers to ask, as `ip` or `ip:port`.
   *
   * @default - the resolver of the VPC (or of Lambda)
   */
  readonly resolvers?: string[];
}
/**
 * One probe target seen by Route 53: a CloudWatch alarm on the target's failed samples and an
 * alarm-based health check on it. `HealthProbe.addXTarget()` returns one.
 */
export interface IProbeHealthCheck extends IModeledHealthCheck {
  /** The alarm: in ALARM while the target fails, or while no samples arrive. */
  readonly alarm: cloudwatch.IAlarm;

  /**
   * The AWS CLI command that resets the target's latch (a DynamoDB DeleteItem in the probe's
   * region).
   *
   * @default - the target has no latch
   */
  readonly resetCommand?: string;
}

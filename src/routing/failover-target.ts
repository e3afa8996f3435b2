import { Duration, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { RecoveryAssumption } from '../objectives/assumptions';
import { ELB_ALIAS_TTL, RecordTtlInput } from '../objectives/model/dns';
import { BoundTarget, qualify, TargetKind } from '../private/records';
import { knownRegion, regionLabel } from '../private/region';
import { literalSeconds } from '../private/validate';

/**
 * Options common to every failover target.
 */
export interface FailoverTargetOptions {
  /**
   * The region the target serves from, shown in the failover report.
   *
   * @default - the region of the target's stack, or the first label of a regional record
   *   name; otherwise not shown
   */
  readonly region?: string;
}

/**
 * Options of an alias target.
 */
export interface AliasTargetOptions extends FailoverTargetOptions {
  /**
   * Whether to also answer AAAA (IPv6) queries. The target must serve IPv6: a dualstack load
   * balancer, a distribution with IPv6 enabled, or a regional record that has an AAAA record.
   *
   * @default false
   */
  readonly ipv6?: boolean;
}

/**
 * Options of an alias target whose answer TTL is not documented by AWS or not visible from
 * here: CloudFront, API Gateway, another record in the zone.
 */
export interface ModeledAliasTargetOptions extends AliasTargetOptions {
  /**
   * The TTL that the target's answers carry, for the recovery model only: Route 53 sets the
   * TTL of an alias answer from the target (a record alias answers with the TTL of what it
   * finally points at), and this prop does not change it. Set it from what you measured
   * (`dig`) to turn the assumption into a fact.
   *
   * @default Duration.seconds(60) - assumed, like an alias to a load balancer
   */
  readonly answerTtl?: Duration;
}

/**
 * Where a failover record sends traffic: an AWS resource by alias, another record in the same
 * hosted zone (a regional record: regions meet by DNS name), IP addresses or a CNAME.
 */
export class FailoverTarget {
  /**
   * An Application or Network Load Balancer, by alias with EvaluateTargetHealth: the record
   * counts as unhealthy when a target group with targets has no healthy target; an empty
   * target group counts as unhealthy, and a load balancer with no target group (fixed
   * responses only) never does. The answer TTL is the load balancer's, 60 s.
   *
   * The load balancer must be in this stack's region; for another region point at its
   * regional record with `FailoverTarget.regionalRecord()`.
   */
  public static loadBalancer(loadBalancer: elbv2.ILoadBalancerV2, options: AliasTargetOptions = {}): FailoverTarget {
    return new FailoverTarget(() => ({
      kind: TargetKind.LOAD_BALANCER,
      recordTypes: aliasTypes(options),
      alias: new targets.LoadBalancerTarget(loadBalancer, { evaluateTargetHealth: true }),
      evaluateTargetHealth: true,
      healthKnown: true,
      cloudFront: false,
      label: `load balancer ${loadBalancer.node.path}`,
      region: options.region ?? knownRegion(loadBalancer),
      aliasTtl: () => ({ ttl: ELB_ALIAS_TTL, source: 'alias to a load balancer: 60 s, set by ELB', assumed: false, alias: true }),
      construct: loadBalancer,
    }));
  }

  /**
   * A CloudFront distribution, by alias. Route 53 cannot evaluate a distribution's health, so
   * a record with this target needs a health check, and only one of the pair may be a
   * distribution.
   */
  public static cloudFront(distribution: cloudfront.IDistribution, options: ModeledAliasTargetOptions = {}): FailoverTarget {
    return new FailoverTarget(() => ({
      kind: TargetKind.CLOUDFRONT,
      recordTypes: aliasTypes(options),
      alias: new targets.CloudFrontTarget(distribution),
      evaluateTargetHealth: false,
      healthKnown: false,
      cloudFront: true,
      label: `CloudFront distribution ${distribution.node.path}`,
      region: options.region,
      aliasTtl: aliasTtl('alias to CloudFront', options.answerTtl),
      givenTtl: options.answerTtl,
      construct: distribution,
    }));
  }

  /**
   * An API Gateway custom domain name, by alias. A regional domain gets EvaluateTargetHealth;
   * an edge-optimized one is a CloudFront distribution underneath, so it is treated like
   * `cloudFront()`. Either way the primary needs a health check: AWS advises Route 53 health
   * checks over EvaluateTargetHealth for API Gateway.
   */
  public static apiGateway(domainName: apigw.IDomainName, options: ModeledAliasTargetOptions = {}): FailoverTarget {
    return new FailoverTarget(() => {
      const edge = isEdgeDomain(domainName);
      const alias = new targets.ApiGatewayDomain(domainName);
      return {
        kind: TargetKind.API_GATEWAY,
        recordTypes: aliasTypes(options),
        alias: edge ? alias : withTargetHealth(alias),
        evaluateTargetHealth: !edge,
        healthKnown: false,
        cloudFront: edge,
        label: `API Gateway domain ${domainName.node.path}`,
        region: options.region ?? (edge ? undefined : knownRegion(domainName)),
        aliasTtl: aliasTtl('alias to API Gateway', options.answerTtl),
        givenTtl: options.answerTtl,
        construct: domainName,
      };
    });
  }

  /**
   * Another record in the same hosted zone, by alias with EvaluateTargetHealth. This is how
   * regions meet by DNS name: a regional stack owns `us-east-1.app.example.com`, and the
   * failover pair points at that name. The record is in another stack, so its health is not
   * visible from here: the primary needs a health check on the same name.
   *
   * @param domainName the record's name, relative to the zone (`us-east-1.app`) or fully
   *   qualified (`us-east-1.app.example.com`)
   */
  public static recordName(domainName: string, options: ModeledAliasTargetOptions = {}): FailoverTarget {
    return new FailoverTarget((zone) => {
      const fqdn = qualify(domainName, zone);
      return {
        kind: TargetKind.RECORD,
        recordTypes: aliasTypes(options),
        alias: withTargetHealth({ bind: () => ({ dnsName: fqdn, hostedZoneId: zone.hostedZoneId }) }),
        evaluateTargetHealth: true,
        healthKnown: false,
        cloudFront: false,
        label: fqdn,
        region: options.region ?? regionLabel(domainName),
        aliasTtl: aliasTtl('alias to a record', options.answerTtl, 'it answers with the TTL of what it finally points at'),
        givenTtl: options.answerTtl,
      };
    });
  }

  /**
   * The regional record of `regionName` for the failover name: for `app.example.com` and
   * `us-east-1`, the record `us-east-1.app.example.com` that a `RegionalRecord` in the
   * us-east-1 stack creates.
   */
  public static regionalRecord(regionName: string, options: ModeledAliasTargetOptions = {}): FailoverTarget {
    return new FailoverTarget((zone, recordName) => ({
      ...FailoverTarget.recordName(`${regionName}.${qualify(recordName, zone)}`, { region: regionName, ...options })._bind(zone, recordName),
      regionalRecord: regionName,
    }));
  }

  /**
   * IPv4 and/or IPv6 addresses (A and/or AAAA records) with the pair's `ttl`. The primary
   * needs a health check: Route 53 cannot tell the health of an address by itself.
   */
  public static ipAddresses(addresses: string[], options: FailoverTargetOptions = {}): FailoverTarget {
    return new FailoverTarget(() => {
      const v6 = addresses.filter((a) => !Token.isUnresolved(a) && a.includes(':'));
      const v4 = addresses.filter((a) => !v6.includes(a));
      const values: Partial<Record<route53.RecordType, string[]>> = {};
      if (v4.length > 0) values[route53.RecordType.A] = v4;
      if (v6.length > 0) values[route53.RecordType.AAAA] = v6;
      return {
        kind: TargetKind.IP_ADDRESSES,
        addresses,
        recordTypes: Object.keys(values) as route53.RecordType[],
        values,
        evaluateTargetHealth: false,
        healthKnown: false,
        cloudFront: false,
        label: addresses.join(', '),
        region: options.region,
      };
    });
  }

  /**
   * Another DNS name, by CNAME with the pair's `ttl`. Not allowed at the zone apex. The
   * primary needs a health check.
   */
  public static cname(domainName: string, options: FailoverTargetOptions = {}): FailoverTarget {
    return new FailoverTarget(() => ({
      kind: TargetKind.CNAME,
      recordTypes: [route53.RecordType.CNAME],
      values: { [route53.RecordType.CNAME]: [domainName] },
      evaluateTargetHealth: false,
      healthKnown: false,
      cloudFront: false,
      label: domainName,
      region: options.region ?? regionLabel(domainName),
    }));
  }

  private constructor(private readonly binder: (zone: route53.IHostedZone, recordName: string) => BoundTarget) {}

  /** @internal */
  public _bind(zone: route53.IHostedZone, recordName: string): BoundTarget {
    return this.binder(zone, recordName);
  }
}

function aliasTypes(options: AliasTargetOptions): route53.RecordType[] {
  return options.ipv6 ? [route53.RecordType.A, route53.RecordType.AAAA] : [route53.RecordType.A];
}

/**
 * The TTL of an alias whose target's TTL is not documented: the target's `answerTtl`, else the
 * pair's value of the `unpublishedAliasTtl` assumption, else its default (an assumption).
 */
function aliasTtl(what: string, given: Duration | undefined, unknown = 'not published by AWS'): (unpublished?: number) => RecordTtlInput {
  return (unpublished) => {
    if (given !== undefined && !given.isUnresolved()) {
      return { ttl: literalSeconds(given), source: `${what}, as given`, assumed: false, alias: true };
    }
    if (unpublished !== undefined) {
      return { ttl: unpublished, source: `${what}: ${unknown}; ${unpublished} s as given`, assumed: false, alias: true };
    }
    const assumed = RecoveryAssumption.UNPUBLISHED_ALIAS_TTL._defaultSeconds;
    return { ttl: assumed, source: `${what}: ${unknown}; assumed ${assumed} s like a load balancer`, assumed: true, alias: true };
  };
}

/** aws-cdk-lib's alias targets leave EvaluateTargetHealth unset; failover aliases need it on. */
function withTargetHealth(inner: route53.IAliasRecordTarget): route53.IAliasRecordTarget {
  return {
    bind: (record, zone) => ({ ...inner.bind(record, zone), evaluateTargetHealth: true }),
  };
}

/** An edge-optimized API Gateway domain is served by CloudFront. Unknown (imported, Token): regional. */
function isEdgeDomain(domainName: apigw.IDomainName): boolean {
  const cfn = domainName.node.defaultChild;
  if (!(cfn instanceof apigw.CfnDomainName) || Token.isUnresolved(cfn.endpointConfiguration)) {
    return false;
  }
  const types = (cfn.endpointConfiguration as apigw.CfnDomainName.EndpointConfigurationProperty | undefined)?.types;
  return Array.isArray(types) && types.includes(apigw.EndpointType.EDGE);
}


import { Annotations, Aspects, Duration, IAspect, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { DnsFailover } from './dns-failover';
import { FailoverTarget } from './failover-target';
import { MultiSiteRecordsProps } from './multi-site-records-props';
import { MultiSiteRouting } from './multi-site-routing';
import { BoundRegion, validateMultiSite } from './private/multi-site-validation';
import { Detection, detectionOf } from '../health/detection';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { RecordTtlInput } from '../objectives/model/dns';
import { targetHealthDetection } from '../objectives/model/elb';
import { CapacityCheck, regionLoss, Site, SplitRule, survivorCapacity } from '../objectives/model/multi-site';
import { Term } from '../objectives/model/term';
import { EndpointRole, IRecoveryPathProvider, PathEndpoint, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { givenAssumption } from '../private/assumptions';
import { BoundTarget, MAX_FAILOVER_TTL, qualify, stringifyTtl } from '../private/records';
import { secondsOf } from '../private/validate';
import { MultiAzService } from '../zonal/multi-az-service';

/**
 * Multi-site DNS records for active-active: one name answered by several regions, with Route 53
 * weighted or latency records, each region's record taken out of the answers by its own health
 * check. Regions meet by name: by default each record is an alias of the region's
 * `RegionalRecord` (`us-east-1.app.example.com`), created by that region's stack.
 *
 * Each region has a recovery path, "losing <region>": detection by its health check, the new
 * answer, resolver and client caching, and whether the other regions can carry the peak load
 * (`peakLoad` against each region's `capacity`). A shortfall is a construct warning
 * (`cdk-failover:multi-site-capacity`) and a warning on the path.
 *
 * @exampleMetadata fixture=multi-site
 * @example
 * new MultiSiteRecords(this, 'App', {
 *   zone,
 *   recordName: 'app',
 *   routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 2, 'eu-west-1': 1 } }),
 *   peakLoad: 900,
 *   regions: [
 *     { region: 'us-east-1', capacity: 900, healthCheck: new EndpointHealthCheck(this, 'UsEast1', { domainName: 'us-east-1.app.example.com' }) },
 *     { region: 'eu-west-1', capacity: 600, healthCheck: new EndpointHealthCheck(this, 'EuWest1', { domainName: 'eu-west-1.app.example.com' }) },
 *   ],
 * });
 */
export class MultiSiteRecords extends Construct implements IRecoveryPathProvider {
  /** The fully qualified name the regions answer for. */
  public readonly domainName: string;
  /** The records created, per region name (one per record type). */
  public readonly records: { [region: string]: route53.IRecordSet[] };

  private readonly rule: SplitRule;
  private readonly regions: BoundRegion[];
  private readonly ttl: Duration;

  constructor(scope: Construct, id: string, private readonly props: MultiSiteRecordsProps) {
    super(scope, id);
    this.domainName = qualify(props.recordName ?? '', props.zone);
    const routing = props.routing ?? MultiSiteRouting.latency();
    this.rule = routing._rule;
    this.regions = props.regions.map((spec) => ({
      spec,
      target: (spec.target ?? FailoverTarget.regionalRecord(spec.region))._bind(props.zone, this.domainName),
    }));
    this.ttl = props.ttl ?? Duration.seconds(MAX_FAILOVER_TTL);
    validateMultiSite(this, props, this.regions, routing, this.domainName);

    this.records = {};
    for (const region of this.regions) {
      this.records[region.spec.region] = this.regionRecords(region, routing._weights);
    }

    this.node.addValidation({ validate: () => this.validateUnique() });
    FailoverReport.of(this);
    // Capacities may come from services added after these records: warn once the tree is complete.
    Aspects.of(this).add(new CapacityWarnings(this));
  }

  /** The modeled time until clients stop reaching a lost region, the slowest region's. */
  public get estimate(): RecoveryEstimate {
    const worst = this.regions.map((r) => this.terms(r).terms)
      .reduce((a, b) => (sum(b) > sum(a) ? b : a));
    return RecoveryEstimate._fromModel(worst);
  }

  /** One path per region: losing it, until its clients reach the others. */
  public recoveryPaths(): RecoveryPath[] {
    const types = this.regions[0].target.recordTypes.join(', ');
    return this.regions.map((lost) => {
      const { terms, detection } = this.terms(lost);
      const endpoints: PathEndpoint[] = this.regions.map((r) => ({
        label: r.target.label,
        role: r === lost ? EndpointRole.PRIMARY : EndpointRole.ACTIVE,
        region: r.spec.region,
        health: r === lost ? detection.summary : this.terms(r).detection.summary,
      }));
      return new RecoveryPath({
        id: `lose-${lost.spec.region}`,
        kind: RecoveryPathKind.DNS_FAILOVER,
        name: `${this.domainName} (${types}): losing ${lost.spec.region}`,
        endpoints,
        estimate: RecoveryEstimate._fromModel(terms),
        warnings: this.pathWarnings(lost, detection),
      });
    });
  }

  /** @internal the capacity check of losing each region, by region. */
  public _capacityChecks(): Map<string, CapacityCheck> {
    const sites: Site[] = this.regions.map((r) => ({ region: r.spec.region, weight: this.weightOf(r), ...this.capacityOf(r) }));
    return new Map(this.regions.map((r) => [r.spec.region, survivorCapacity(sites, r.spec.region, this.rule, this.props.peakLoad)]));
  }

  private pathWarnings(lost: BoundRegion, detection: Detection): string[] {
    const warnings: string[] = [];
    if (detection.warning) {
      warnings.push(detection.warning);
    }
    if (!lost.spec.healthCheck) {
      warnings.push(`${lost.spec.region} has no Route 53 health check: it leaves the answers only once the load balancer's target health fails. `
        + 'Attach an EndpointHealthCheck on its regional name for faster, modeled detection.');
    }
    if (this.rule === SplitRule.WEIGHTED && this.weightOf(lost) === 0 && this.regions.some((r) => (this.weightOf(r) ?? 0) > 0)) {
      warnings.push(`${lost.spec.region} has weight 0: it serves only while every weighted region is unhealthy, so losing it moves no clients.`);
    }
    warnings.push(this._capacityChecks().get(lost.spec.region)!.message);
    return warnings;
  }

  private terms(region: BoundRegion): { terms: Term[]; detection: Detection } {
    const given = (a: RecoveryAssumption) => givenAssumption(this, this.props.assumptions, a);
    const detection: Detection = region.spec.healthCheck
      ? detectionOf(region.spec.healthCheck)
      : {
        term: targetHealthDetection(region.target.label, given(RecoveryAssumption.TARGET_HEALTH_DETECTION)),
        summary: `EvaluateTargetHealth of ${region.target.label}`,
      };
    const [, ...after] = regionLoss({
      region: region.spec.region,
      detection: detection.term,
      ttl: this.recordTtl(region.target, given(RecoveryAssumption.UNPUBLISHED_ALIAS_TTL)),
      healthToDnsAnswer: given(RecoveryAssumption.HEALTH_TO_DNS_ANSWER),
      clientDnsCache: given(RecoveryAssumption.CLIENT_DNS_CACHE),
    });
    // A check made of several phases (a routing control: decision, then switch) keeps them apart.
    return { detection, terms: [...detection.terms ?? [detection.term], ...after] };
  }

  private recordTtl(target: BoundTarget, unpublishedAliasTtl: number | undefined): RecordTtlInput {
    if (target.aliasTtl) {
      return target.aliasTtl(unpublishedAliasTtl);
    }
    return {
      ttl: secondsOf(this.ttl, MAX_FAILOVER_TTL),
      source: this.ttl.isUnresolved()
        ? `the record TTL, known only at deploy time: assumed at the ${MAX_FAILOVER_TTL} s limit`
        : this.props.ttl ? 'the record TTL' : 'the record TTL, 60 s by default',
      assumed: this.ttl.isUnresolved(),
      alias: false,
    };
  }

  private weightOf(region: BoundRegion): number | undefined {
    if (this.rule !== SplitRule.WEIGHTED) {
      return undefined;
    }
    const weights = (this.props.routing?._weights);
    return weights === undefined ? 1 : weights[region.spec.region];
  }

  /** The capacity given, else the running targets of a MultiAzService in this app that the target points at. */
  private capacityOf(region: BoundRegion): { capacity?: number; capacitySource?: string } {
    if (region.spec.capacity !== undefined) {
      return { capacity: region.spec.capacity };
    }
    const label = region.target.label.toLowerCase();
    const service = this.node.root.node.findAll().find((c): c is MultiAzService => c instanceof MultiAzService
      && (c.loadBalancer === region.target.construct || c.regionalRecord?.domainName.toLowerCase() === label));
    if (service === undefined || Token.isUnresolved(service.minCapacity)) {
      return {};
    }
    return { capacity: service.minCapacity, capacitySource: `the running targets of ${service.node.path}` };
  }

  private regionRecords(region: BoundRegion, weights: { [region: string]: number } | undefined): route53.IRecordSet[] {
    const group = new Construct(this, region.spec.region);
    const { target, spec } = region;
    const common = {
      zone: this.props.zone,
      recordName: this.domainName,
      setIdentifier: spec.region,
      healthCheck: spec.healthCheck,
      weight: this.rule === SplitRule.WEIGHTED ? weights?.[spec.region] ?? 1 : undefined,
      region: this.rule === SplitRule.LATENCY ? spec.region : undefined,
      comment: `cdk-failover multi-site ${this.rule} record of ${spec.region}: ${target.label}`.slice(0, 256),
    };
    const ttl = target.alias ? undefined : this.ttl;
    return target.recordTypes.map((recordType) => {
      let record: route53.RecordSet;
      if (recordType === route53.RecordType.CNAME) {
        record = new route53.CnameRecord(group, recordType, { ...common, domainName: target.values![recordType]![0], ttl });
      } else {
        const recordTarget = target.alias
          ? route53.RecordTarget.fromAlias(target.alias)
          : route53.RecordTarget.fromValues(...target.values![recordType]!);
        record = recordType === route53.RecordType.A
          ? new route53.ARecord(group, recordType, { ...common, target: recordTarget, ttl })
          : new route53.AaaaRecord(group, recordType, { ...common, target: recordTarget, ttl });
      }
      stringifyTtl(record, ttl);
      return record;
    });
  }

  /** The records this set owns: zone, name and type. */
  private recordKeys(): string[] {
    return this.regions[0].target.recordTypes.map((type) => this.keyOf(this.domainName, type));
  }

  /**
   * Two sets for one name and type would write the same set identifiers: the later one in the
   * tree is reported. A failover pair for the same name and type anywhere is reported here, since
   * Route 53 does not mix routing policies in one name and type and DnsFailover does not look for
   * these records.
   */
  private validateUnique(): string[] {
    const mine = this.recordKeys();
    const errors: string[] = [];
    let before = true;
    for (const other of this.node.root.node.findAll()) {
      if (other === this) {
        before = false;
      } else if (before && other instanceof MultiSiteRecords && other.recordKeys().some((k) => mine.includes(k)) && errors.length === 0) {
        errors.push(`\`recordName\` ${this.domainName} is also the name of ${other.node.path} in the same zone: both would write a record per region `
          + 'with the region as set identifier, which Route 53 rejects. Keep one MultiSiteRecords per name and type, or give this one another `recordName`.');
      } else if (other instanceof DnsFailover
        && other.primaryRecords.some((r) => mine.includes(this.keyOf(other.domainName, r.node.id, zoneOf(r))))) {
        errors.push(`\`recordName\` ${this.domainName} is also the failover name of ${other.node.path} in the same zone: Route 53 does not mix failover `
          + 'and weighted or latency records for one name and type. Give one of them another name, or route that name with one construct.');
      }
    }
    return errors;
  }

  /** A record's identity: its zone (this construct's unless given), name and type. */
  private keyOf(domainName: string, recordType: string, zoneId: string = this.props.zone.hostedZoneId): string {
    return `${zoneId}|${domainName.toLowerCase()}|${recordType}`;
  }
}

/** The zone of a record set of another construct, as its template says (a public and a private zone may share a name). */
function zoneOf(record: IConstruct): string {
  return (record.node.defaultChild as route53.CfnRecordSet | undefined)?.hostedZoneId ?? '';
}

/** Warns on this construct when the survivors of a region loss cannot carry the peak. */
class CapacityWarnings implements IAspect {
  private done = false;

  constructor(private readonly records: MultiSiteRecords) {}

  public visit(node: IConstruct): void {
    if (node !== this.records || this.done) {
      return;
    }
    this.done = true;
    for (const check of this.records._capacityChecks().values()) {
      if (check.status === 'short') {
        Annotations.of(this.records).addWarningV2('cdk-failover:multi-site-capacity', check.message);
      }
    }
  }
}

function sum(terms: Term[]): number {
  return terms.reduce((s, t) => s + t.max, 0);
}

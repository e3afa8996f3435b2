import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FailoverTarget } from './failover-target';
import { Detection, detectionOf, probedName } from '../health/detection';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { dnsFailover, RecordTtlInput } from '../objectives/model/dns';
import { targetHealthDetection } from '../objectives/model/elb';
import { Term } from '../objectives/model/term';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { BoundTarget, checkRecordName, checkRecordTtl, checkTarget, MAX_FAILOVER_TTL, qualify, stringifyTtl, TargetKind } from '../private/records';
import { checkSameRegion } from '../private/region';
import { secondsOf, unresolved } from '../private/validate';

/** The named assumptions a DNS failover path rests on. */
const ASSUMPTIONS = [
  RecoveryAssumption.HEALTH_TO_DNS_ANSWER, RecoveryAssumption.CLIENT_DNS_CACHE,
  RecoveryAssumption.TARGET_HEALTH_DETECTION, RecoveryAssumption.UNPUBLISHED_ALIAS_TTL,
];


/**
 * Properties of `DnsFailover`.
 */
export interface DnsFailoverProps {
  /** The hosted zone of the failover name. */
  readonly zone: route53.IHostedZone;

  /**
   * The name that fails over, relative to the zone (`app`) or fully qualified
   * (`app.example.com`).
   *
   * @default - the zone apex
   */
  readonly recordName?: string;

  /** Where traffic goes while the primary is healthy. */
  readonly primary: FailoverTarget;

  /** Where traffic goes while the primary is unhealthy (and the secondary healthy). */
  readonly secondary: FailoverTarget;

  /**
   * The health check that decides whether the primary is healthy. Required for address,
   * CNAME and CloudFront targets. For alias targets that Route 53 can evaluate (load
   * balancers, API Gateway, records in the zone) it is optional but recommended: without it
   * failover waits for the load balancer's own target health checks, which are slower and
   * not modeled exactly.
   *
   * @default - none: EvaluateTargetHealth of an alias target alone
   */
  readonly primaryHealthCheck?: route53.IHealthCheck;

  /**
   * The health check of the secondary. When both are unhealthy Route 53 answers with the
   * primary, so a check here only matters for what the secondary's own failure means.
   *
   * @default - none: EvaluateTargetHealth of an alias target alone, or always healthy
   */
  readonly secondaryHealthCheck?: route53.IHealthCheck;

  /**
   * TTL of address and CNAME records: at most 60 s (aws-cdk-lib's default of 30 minutes
   * would keep clients on a failed primary for half an hour). Alias records take the TTL of
   * their target and reject this prop.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;

  /**
   * Values that replace the defaults of the model's named assumptions for this pair, by id:
   * `healthToDnsAnswer`, `clientDnsCache`, `targetHealthDetection` (how long the load
   * balancer's target health takes when the primary has no Route 53 health check) and
   * `unpublishedAliasTtl`. Give what your drills measured.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

/**
 * A DNS failover pair: a primary and a secondary Route 53 failover record for one name
 * (A, AAAA or CNAME), health checks attached, EvaluateTargetHealth wherever Route 53
 * supports it, TTL at most 60 s. Failover itself is data plane: Route 53 answers with the
 * secondary as soon as the primary's health check fails, with no API call.
 *
 * Its recovery path (detection, switch, resolver and client caching) goes into the failover
 * report and is checked against the nearest `RecoveryObjectives`.
 *
 * @example
 * new DnsFailover(this, 'Failover', {
 *   zone,
 *   recordName: 'app',
 *   primary: FailoverTarget.regionalRecord('us-east-1'),
 *   secondary: FailoverTarget.regionalRecord('us-west-2'),
 *   primaryHealthCheck: new EndpointHealthCheck(this, 'PrimaryCheck', {
 *     domainName: 'us-east-1.app.example.com',
 *     resourcePath: '/health',
 *   }),
 * });
 */
export class DnsFailover extends Construct implements IRecoveryPathProvider {
  /** The fully qualified failover name. */
  public readonly domainName: string;
  /** The primary failover records (one per record type). */
  public readonly primaryRecords: route53.IRecordSet[];
  /** The secondary failover records (one per record type). */
  public readonly secondaryRecords: route53.IRecordSet[];

  private readonly primary: BoundTarget;
  private readonly secondary: BoundTarget;
  private readonly ttl: Duration;

  constructor(scope: Construct, id: string, private readonly props: DnsFailoverProps) {
    super(scope, id);
    this.domainName = qualify(props.recordName ?? '', props.zone);
    this.primary = props.primary._bind(props.zone, this.domainName);
    this.secondary = props.secondary._bind(props.zone, this.domainName);
    this.ttl = props.ttl ?? Duration.seconds(MAX_FAILOVER_TTL);
    this.validate();

    this.primaryRecords = this.records('Primary', route53.Failover.PRIMARY, this.primary, props.primaryHealthCheck);
    this.secondaryRecords = this.records('Secondary', route53.Failover.SECONDARY, this.secondary, props.secondaryHealthCheck);

    // Another pair for the same name and type may be added after this one: checked once the app is complete.
    this.node.addValidation({ validate: () => this.validateUnique() });
    FailoverReport.of(this);
    for (const warning of this.pathWarnings()) {
      Annotations.of(this).addWarningV2(warning.id, warning.message);
    }
  }

  /** The modeled recovery of this pair: from the primary failing to clients on the secondary. */
  public get estimate(): RecoveryEstimate {
    return RecoveryEstimate._fromModel(this.terms().terms);
  }

  /** The path from the primary failing to clients on the secondary. */
  public recoveryPaths(): RecoveryPath[] {
    const { terms, detection } = this.terms();
    const secondaryHealth = this.props.secondaryHealthCheck
      ? detectionOf(this.props.secondaryHealthCheck).summary
      : this.secondary.evaluateTargetHealth ? 'EvaluateTargetHealth' : 'always healthy (no health check)';
    return [new RecoveryPath({
      id: 'failover',
      kind: RecoveryPathKind.DNS_FAILOVER,
      name: `${this.domainName} (${this.primary.recordTypes.join(', ')})`,
      endpoints: [
        { label: this.primary.label, role: EndpointRole.PRIMARY, region: this.primary.region, health: detection.summary },
        { label: this.secondary.label, role: EndpointRole.SECONDARY, region: this.secondary.region, health: secondaryHealth },
      ],
      estimate: RecoveryEstimate._fromModel(terms),
      warnings: this.pathWarnings().map((w) => w.message),
    })];
  }

  /** What the user should know about this path; also acknowledgeable construct warnings. */
  private pathWarnings(): Array<{ id: string; message: string }> {
    const warnings: Array<{ id: string; message: string }> = [];
    const { detection } = this.terms();
    if (detection.warning) {
      warnings.push({ id: 'cdk-failover:unmodeled-health-check', message: detection.warning });
    }
    if (this.props.ttl?.isUnresolved() && !this.primary.alias) {
      warnings.push({
        id: 'cdk-failover:deploy-time-ttl',
        message: `The record TTL of ${this.domainName} is only known at deploy time, so the 60 s limit cannot be checked; `
          + 'the model assumes 60 s. Give a literal `ttl` to have it checked and modeled.',
      });
    }
    if (!this.props.primaryHealthCheck) {
      warnings.push({
        id: 'cdk-failover:no-primary-health-check',
        message: 'The primary has no Route 53 health check: failover waits for the load balancer\'s target health checks. '
          + 'Attach an EndpointHealthCheck on the regional name for faster, modeled detection.',
      });
    }
    return warnings;
  }

  private terms(): { terms: Term[]; detection: Detection } {
    const given = (a: RecoveryAssumption) => givenAssumption(this, this.props.assumptions, a);
    const detection: Detection = this.props.primaryHealthCheck
      ? detectionOf(this.props.primaryHealthCheck)
      : {
        term: targetHealthDetection(this.primary.label, given(RecoveryAssumption.TARGET_HEALTH_DETECTION)),
        summary: `EvaluateTargetHealth of ${this.primary.label}`,
      };
    const [, ...after] = dnsFailover({
      detection: detection.term,
      ttl: this.recordTtl(given(RecoveryAssumption.UNPUBLISHED_ALIAS_TTL)),
      healthToDnsAnswer: given(RecoveryAssumption.HEALTH_TO_DNS_ANSWER),
      clientDnsCache: given(RecoveryAssumption.CLIENT_DNS_CACHE),
    });
    // A check made of several phases (a routing control: decision, then switch) keeps them apart in the path.
    return { detection, terms: [...detection.terms ?? [detection.term], ...after] };
  }

  /** The TTL resolvers cache: the alias target's, or the record's own. */
  private recordTtl(unpublishedAliasTtl: number | undefined): RecordTtlInput {
    if (this.primary.aliasTtl) {
      return this.primary.aliasTtl(unpublishedAliasTtl);
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

  private records(id: string, failover: route53.Failover, target: BoundTarget, healthCheck?: route53.IHealthCheck): route53.IRecordSet[] {
    const group = new Construct(this, id);
    const setIdentifier = failover === route53.Failover.PRIMARY ? 'primary' : 'secondary';
    const common = {
      zone: this.props.zone,
      recordName: this.domainName,
      failover,
      healthCheck,
      setIdentifier,
      comment: `cdk-failover ${setIdentifier}: ${target.label}`.slice(0, 256),
    };
    return target.recordTypes.map((recordType) => {
      if (target.cloudFront) {
        return cloudFrontRecord(group, recordType, target, common);
      }
      const ttl = target.alias ? undefined : this.ttl;
      const record = new route53.RecordSet(group, recordType, {
        ...common,
        recordType,
        target: target.alias ? route53.RecordTarget.fromAlias(target.alias) : route53.RecordTarget.fromValues(...target.values![recordType]!),
        ttl,
      });
      stringifyTtl(record, ttl);
      return record;
    });
  }

  private validate(): void {
    const problems = new Problems(this);
    const { primary, secondary, props } = this;

    checkRecordName(problems, 'recordName', props.recordName, props.zone, this.domainName);
    const primaryTypes = [...primary.recordTypes].sort().join(', ');
    const secondaryTypes = [...secondary.recordTypes].sort().join(', ');
    if (primaryTypes !== secondaryTypes) {
      problems.add(`\`primary\` answers ${primaryTypes || 'nothing'} but \`secondary\` answers ${secondaryTypes || 'nothing'}: `
        + 'queries of a type only the primary answers would stay on the failed primary. Give both the same address families '
        + '(for alias targets set `ipv6` on both or neither).');
    }
    for (const [name, target] of [['primary', primary], ['secondary', secondary]] as const) {
      checkTarget(problems, name, target);
      if (target.recordTypes.length === 0) {
        problems.add(`\`${name}\` has no addresses: give at least one IPv4 or IPv6 address.`);
      }
      if (target.kind === TargetKind.CNAME && this.isApex()) {
        problems.add(`\`${name}\` is a CNAME, which DNS does not allow at the zone apex (${this.domainName}). Use an alias target, or a name below the apex.`);
      }
      checkSameRegion(problems, this, name, target.construct,
        'Create a RegionalRecord in that stack and use FailoverTarget.regionalRecord() here.', true);
    }
    const sameRegion = 'Create it in this stack (a health check is global), or import it here by ID.';
    checkSameRegion(problems, this, 'zone', props.zone, 'Import the zone in this stack with HostedZone.fromHostedZoneAttributes().');
    checkSameRegion(problems, this, 'primaryHealthCheck', props.primaryHealthCheck, sameRegion);
    checkSameRegion(problems, this, 'secondaryHealthCheck', props.secondaryHealthCheck, sameRegion);
    if (primary.cloudFront && secondary.cloudFront) {
      problems.add('`primary` and `secondary` both end at CloudFront distributions, which Route 53 does not allow in one failover pair. '
        + 'Fail over between origins inside CloudFront (origin groups) instead, or make one side another target.');
    }
    if (!props.primaryHealthCheck && !primary.healthKnown) {
      problems.add(`\`primaryHealthCheck\` is required: Route 53 cannot tell the health of the primary (${primary.kind}) by itself. `
        + 'Add an EndpointHealthCheck on the primary endpoint.');
    }
    for (const [name, check] of [['primaryHealthCheck', props.primaryHealthCheck], ['secondaryHealthCheck', props.secondaryHealthCheck]] as const) {
      const probed = check && probedName(check);
      if (probed !== undefined && !unresolved(probed) && probed.replace(/\.$/, '') === this.domainName) {
        problems.add(`\`${name}\` probes ${probed}, the failover name itself: after failover it would check the secondary and fail back at once. `
          + 'Probe the regional name of that side, e.g. us-east-1.app.example.com.');
      }
    }
    if (props.primaryHealthCheck && props.primaryHealthCheck === props.secondaryHealthCheck) {
      problems.add('`primaryHealthCheck` and `secondaryHealthCheck` are the same check: the secondary would fail together with the primary. '
        + 'Check each side on its own endpoint.');
    }
    checkRecordTtl(problems, props.ttl, primary.alias !== undefined && secondary.alias !== undefined);
    checkAssumptions(problems, props.assumptions, ASSUMPTIONS);
    if (primary.label === secondary.label && primary.kind === secondary.kind) {
      problems.add(`\`primary\` and \`secondary\` are the same target (${primary.label}): failover would change nothing. Point the secondary at the standby.`);
    }
    problems.throwIfAny();
  }

  /** The records this pair owns: zone, name and type (Route 53 allows one failover pair per name and type). */
  private recordKeys(): string[] {
    return this.primary.recordTypes.map((type) => `${this.props.zone.hostedZoneId}|${this.domainName.toLowerCase()}|${type}`);
  }

  /** Two pairs for one name and type write the same set identifiers: the later one in the tree is reported. */
  private validateUnique(): string[] {
    const mine = this.recordKeys();
    for (const other of this.node.root.node.findAll()) {
      if (other === this) {
        return [];
      }
      if (other instanceof DnsFailover && other.recordKeys().some((k) => mine.includes(k))) {
        return [`\`recordName\` ${this.domainName} (${this.primary.recordTypes.join(', ')}) is also the failover name of ${other.node.path} in the same zone: `
          + 'both pairs would write the set identifiers "primary" and "secondary" for one name and type, which Route 53 rejects. '
          + 'Keep one DnsFailover per name and type, or give this one another `recordName`.'];
      }
    }
    return [];
  }

  private isApex(): boolean {
    const zoneName = this.props.zone.zoneName;
    return !Token.isUnresolved(zoneName) && this.domainName === (zoneName.endsWith('.') ? zoneName.slice(0, -1) : zoneName);
  }
}


interface CommonRecordProps {
  readonly zone: route53.IHostedZone;
  readonly recordName: string;
  readonly failover: route53.Failover;
  readonly healthCheck?: route53.IHealthCheck;
  readonly setIdentifier: string;
  readonly comment: string;
}

/**
 * aws-cdk-lib's RecordSet insists on EvaluateTargetHealth for failover aliases, which Route 53
 * does not support for CloudFront. The record is built as a plain alias with its health
 * check, and the failover policy set through the escape hatch.
 */
function cloudFrontRecord(scope: Construct, recordType: route53.RecordType, target: BoundTarget, common: CommonRecordProps): route53.RecordSet {
  const record = new route53.RecordSet(scope, recordType, {
    zone: common.zone,
    recordName: common.recordName,
    recordType,
    target: route53.RecordTarget.fromAlias(target.alias!),
    healthCheck: common.healthCheck,
    comment: common.comment,
  });
  const cfn = record.node.defaultChild as route53.CfnRecordSet;
  cfn.failover = common.failover;
  cfn.setIdentifier = common.setIdentifier;
  return record;
}

import { Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FailoverTarget } from './failover-target';
import { Problems } from '../private/errors';
import { checkRecordName, checkRecordTtl, checkTarget, qualify, stringifyTtl, TargetKind } from '../private/records';
import { checkSameRegion, isRegionName } from '../private/region';
import { checkDomainName, show, unresolved } from '../private/validate';

/**
 * Properties of `RegionalRecord`.
 */
export interface RegionalRecordProps {
  /** The hosted zone of the failover name. */
  readonly zone: route53.IHostedZone;

  /**
   * The failover name this region serves, relative to the zone (`app`) or fully qualified.
   * The record created is `<region>.<recordName>`.
   *
   * @default - the zone apex: the record is `<region>.<zone name>`
   */
  readonly recordName?: string;

  /** What serves this region: usually `FailoverTarget.loadBalancer(alb)`. */
  readonly target: FailoverTarget;

  /**
   * The region this record names.
   *
   * @default - the stack's region, which must then be set (not environment-agnostic)
   */
  readonly region?: string;

  /**
   * TTL of address and CNAME targets: at most 60 s. Alias targets take their target's TTL and
   * reject this prop.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;
}

/**
 * The regional record where regions meet by name: `<region>.<name>` (e.g.
 * `us-east-1.app.example.com`) pointing at this region's endpoint, created by the region's own
 * stack. Failover records in any other stack reach the region through this name
 * (`FailoverTarget.regionalRecord('us-east-1')`), never through a cross-region reference.
 * Alias records evaluate their target's health, so a failover alias on top inherits it.
 */
export class RegionalRecord extends Construct {
  /** The fully qualified regional name, e.g. `us-east-1.app.example.com`. */
  public readonly domainName: string;
  /** The region this record names. */
  public readonly region: string;
  /** The records created (A, AAAA or CNAME). */
  public readonly records: route53.IRecordSet[];

  constructor(scope: Construct, id: string, props: RegionalRecordProps) {
    super(scope, id);
    const stackRegion = Stack.of(this).region;
    const region = props.region ?? stackRegion;
    const problems = new Problems(this);
    if (unresolved(region)) {
      problems.add('`region` is required in an environment-agnostic stack: the record name contains the region. '
        + 'Give the stack an `env`, or pass region: \'us-east-1\'.');
    } else if (!isRegionName(region)) {
      problems.add(`\`region\` must be an AWS region name such as us-east-1, got: ${show(region)}.`);
    } else if (!unresolved(stackRegion) && region !== stackRegion) {
      problems.add(`\`region\` is ${region} but this stack is in ${stackRegion}: the regional record names the region that serves it. `
        + `Create it in the ${region} stack, or remove \`region\`.`);
    }

    const failoverName = qualify(props.recordName ?? '', props.zone);
    const before = problems.count;
    checkRecordName(problems, 'recordName', props.recordName, props.zone, failoverName);
    const domainName = unresolved(region) ? '' : qualify(`${region}.${failoverName}`, props.zone);
    if (problems.count === before && !unresolved(region) && isRegionName(region)) {
      checkDomainName(problems, 'recordName', domainName);
    }
    const target = props.target._bind(props.zone, domainName);
    checkTarget(problems, 'target', target);
    checkRecordTtl(problems, props.ttl, target.alias !== undefined);
    checkSameRegion(problems, this, 'target', target.construct, 'Point each regional record at the endpoint of its own stack.', true);
    checkSameRegion(problems, this, 'zone', props.zone, 'Import the zone in this stack with HostedZone.fromHostedZoneAttributes().');
    if (target.recordTypes.length === 0) {
      problems.add('`target` has no addresses: give at least one IPv4 or IPv6 address.');
    }
    if (target.kind === TargetKind.RECORD && target.label === domainName) {
      problems.add(`\`target\` points at this record itself (${domainName}). Point it at the region's endpoint, e.g. FailoverTarget.loadBalancer(alb).`);
    }
    problems.throwIfAny();

    this.region = region;
    this.domainName = domainName;
    const ttl = target.alias ? undefined : props.ttl ?? Duration.seconds(60);
    this.records = target.recordTypes.map((recordType) => {
      const record = new route53.RecordSet(this, recordType, {
        zone: props.zone,
        recordName: this.domainName,
        recordType,
        target: target.alias ? route53.RecordTarget.fromAlias(target.alias) : route53.RecordTarget.fromValues(...target.values![recordType]!),
        ttl,
        comment: `cdk-failover regional record of ${region}: ${target.label}`.slice(0, 256),
      });
      stringifyTtl(record, ttl);
      return record;
    });
  }
}

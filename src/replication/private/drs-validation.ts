/**
 * The checks of `ElasticDisasterRecoveryProps`, one per concern, each skipping Tokens
 * (limits in docs/aws-facts.md#fis-and-drs).
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { checkDuration, show, truncate, unresolved } from '../../private/validate';
import {
  DrsDataPlaneRouting, DrsLaunchDisposition, DrsOsLicensing, DrsRightSizing, DrsStagingDiskType, ElasticDisasterRecoveryProps,
} from '../elastic-disaster-recovery-props';

/** The assumptions the DRS recovery path uses. */
export const DRS_ASSUMPTIONS = [
  RecoveryAssumption.DRS_REPLICATION_LAG, RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.DRS_RECOVERY_LAUNCH,
  RecoveryAssumption.DRS_INSTANCE_BOOT,
];

/** DRS keeps the daily point-in-time snapshots 1 to 365 days. */
export const PIT_RETENTION_DAYS = { min: 1, max: 365 };

export function validateDrsProps(problems: Problems, props: ElasticDisasterRecoveryProps): void {
  checkCount(problems, props.sourceServerCount);
  checkPrice(problems, props.serverHourPriceUsd);
  checkBandwidth(problems, props.bandwidthThrottlingMbps);
  checkDuration(problems, 'pointInTimeRetention', props.pointInTimeRetention, {
    unit: 'days', min: PIT_RETENTION_DAYS.min, max: PIT_RETENTION_DAYS.max, fix: 'Give e.g. Duration.days(7).',
  });
  if (props.pointInTimeRetention instanceof Duration && props.pointInTimeRetention.isUnresolved() && !inDays(props.pointInTimeRetention)) {
    problems.add('`pointInTimeRetention` is only known at deploy time, so it must be given in days, the unit of the DRS rule: '
      + 'Duration.days(parameter.valueAsNumber).');
  }
  const type = props.replicationServerInstanceType;
  if (type !== undefined && !(type instanceof ec2.InstanceType)) {
    problems.add(`\`replicationServerInstanceType\` must be an ec2.InstanceType, got: ${show(type)}. Give e.g. ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL).`);
  }
  checkEnum(problems, 'dataPlaneRouting', props.dataPlaneRouting, DrsDataPlaneRouting);
  checkEnum(problems, 'stagingDiskType', props.stagingDiskType, DrsStagingDiskType);
  checkEnum(problems, 'launchDisposition', props.launchDisposition, DrsLaunchDisposition);
  checkEnum(problems, 'rightSizing', props.rightSizing, DrsRightSizing);
  checkEnum(problems, 'osLicensing', props.osLicensing, DrsOsLicensing);
  for (const prop of ['useDedicatedReplicationServer', 'createPublicIp', 'autoReplicateNewDisks', 'copyPrivateIp', 'copyTags'] as const) {
    const value = props[prop];
    if (value !== undefined && typeof value !== 'boolean' && !Token.isUnresolved(value)) {
      problems.add(`\`${prop}\` must be true or false, got: ${show(value)}.`);
    }
  }
  if (props.dataPlaneRouting === DrsDataPlaneRouting.PUBLIC_IP && props.createPublicIp === false) {
    problems.add('`dataPlaneRouting` is PUBLIC_IP but `createPublicIp` is false: the source servers could not reach the replication servers. '
      + 'Set `createPublicIp: true`, or route privately (DrsDataPlaneRouting.PRIVATE_IP).');
  }
  checkNetwork(problems, props);
  checkTags(problems, props.stagingAreaTags);
  checkAssumptions(problems, props.assumptions, DRS_ASSUMPTIONS);
}

function checkCount(problems: Problems, count: number): void {
  if (unresolved(count)) {
    problems.add(`\`sourceServerCount\` is a deploy-time Token, but the cost estimate needs it at synth. Give a literal number, got: ${show(count)}.`);
  } else if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    problems.add(`\`sourceServerCount\` must be a whole number of source servers, 1 or more, got: ${show(count)}. Give how many servers replicate with these settings.`);
  }
}

function checkPrice(problems: Problems, price: number | undefined): void {
  if (price === undefined) {
    return;
  }
  if (unresolved(price)) {
    problems.add(`\`serverHourPriceUsd\` is a deploy-time Token, but the cost estimate needs it at synth. Give a literal price, e.g. 0.028, got: ${show(price)}.`);
    return;
  }
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
    problems.add(`\`serverHourPriceUsd\` must be a finite number of US dollars, 0 or more, got: ${show(price)}. Give your region's price, e.g. 0.028.`);
  }
}

function checkBandwidth(problems: Problems, mbps: number | undefined): void {
  if (mbps === undefined || unresolved(mbps)) {
    return;
  }
  if (typeof mbps !== 'number' || !Number.isInteger(mbps) || mbps < 0) {
    problems.add(`\`bandwidthThrottlingMbps\` must be whole Mbps, 0 (no limit) or more, got: ${show(mbps)}. Give e.g. 100, or 0 for no limit.`);
  }
}

function checkEnum(problems: Problems, prop: string, value: string | undefined, allowed: object): void {
  if (value === undefined || unresolved(value)) {
    return;
  }
  const values = Object.values(allowed) as string[];
  if (!values.includes(value)) {
    problems.add(`\`${prop}\` must be one of ${values.join(', ')}, got: ${show(value)}. Use the enum's members.`);
  }
}

function checkNetwork(problems: Problems, props: ElasticDisasterRecoveryProps): void {
  const vpc = props.vpc as unknown;
  if (vpc === undefined || vpc === null || typeof (vpc as ec2.IVpc).vpcId !== 'string') {
    problems.add(`\`vpc\` must be an ec2.IVpc, got: ${show(vpc)}. Give the VPC of the staging area.`);
    return;
  }
  if (props.stagingSubnet !== undefined) {
    if (typeof (props.stagingSubnet as ec2.ISubnet).subnetId !== 'string') {
      problems.add(`\`stagingSubnet\` must be an ec2.ISubnet, got: ${show(props.stagingSubnet)}. Give a subnet of \`vpc\`.`);
    }
  } else if (defaultStagingSubnet(props.vpc) === undefined) {
    problems.add(`\`stagingSubnet\` is not given and the VPC ${props.vpc.node.path} has no private subnet: replication servers never get a public `
      + 'subnet by default. Give `stagingSubnet`, or add a private subnet (with egress or VPC endpoints for DRS, EC2 and S3).');
  }
  if (props.securityGroups !== undefined && (!Array.isArray(props.securityGroups) || props.securityGroups.length === 0
    || props.securityGroups.length > 5)) {
    problems.add(`\`securityGroups\` must list 1 to 5 security groups, got: ${show(props.securityGroups)}. Omit it for a new group.`);
  }
}

/** The VPC's first private subnet with egress, else its first isolated subnet. */
export function defaultStagingSubnet(vpc: ec2.IVpc): ec2.ISubnet | undefined {
  return vpc.privateSubnets[0] ?? vpc.isolatedSubnets[0];
}

function checkTags(problems: Problems, tags: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (unresolved(key) || unresolved(value)) {
      continue;
    }
    if (key.length === 0 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
      problems.add(`\`stagingAreaTags\` has the key ${show(truncate(key))}: a tag key must be 1 to 128 characters, not starting with \`aws:\`.`);
    }
    if (typeof value !== 'string' || value.length > 256) {
      problems.add(`\`stagingAreaTags\` sets ${show(truncate(key))} to ${show(typeof value === 'string' ? truncate(value) : value)}: a tag value must be a string of at most 256 characters.`);
    }
  }
}

/** Whether a deploy-time Duration was given in days (aws-cdk-lib converts a Token only within its own unit). */
function inDays(d: Duration): boolean {
  try {
    d.toDays();
    return true;
  } catch {
    return false;
  }
}

/** The retention in whole days, for the template. */
export function retentionDays(retention: Duration | undefined): number {
  return retention === undefined ? 7 : retention.toDays();
}

/**
 * The checks of a GlobalTable's props, before anything is created, and of its table at synth
 * (docs/aws-facts.md#dynamodb-global-tables).
 */
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { isRegionName } from '../../private/region';
import { checkDuration, show } from '../../private/validate';
import type { GlobalTableProps } from '../global-table';

/**
 * The regions an MRSC global table may span: its replicas and witness all in one set (the
 * CloudFormation GlobalTableWitness page).
 */
const MRSC_REGION_SETS: Record<string, string[]> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

const STRONG_FIX = 'An MRSC table spans exactly three regions: the stack\'s and two `replicas`, or the stack\'s, one replica and a `witnessRegion`.';

export function validateGlobalTableProps(problems: Problems, region: string, props: GlobalTableProps): void {
  const strong = props.multiRegionConsistency === dynamodb.MultiRegionConsistency.STRONG;
  if (Token.isUnresolved(region)) {
    problems.add('the stack has no literal region: a global table places its replicas and their alarms by region. '
      + 'Give the stack an `env` with its region.');
  }
  const replicas = (props.replicas ?? []).map((r) => r.region);
  if (replicas.length === 0) {
    problems.add('`replicas` is empty, so the table would not be global: nothing would survive the loss of this region. '
      + 'Give at least one replica in another region, e.g. `replicas: [{ region: \'us-west-2\' }]`.');
  }
  const seen = new Set<string>();
  for (const r of replicas) {
    if (Token.isUnresolved(r)) {
      problems.add('`replicas` has a region that is a deploy-time Token: alarms and recovery paths are built per region at synth. Give region names.');
    } else if (!isRegionName(r)) {
      problems.add(`\`replicas\` has ${show(r)}, which is not a region name. Give e.g. 'us-west-2'.`);
    } else if (r === region) {
      problems.add(`\`replicas\` has ${show(r)}, the stack's own region, which holds the table already. Give other regions.`);
    } else if (seen.has(r)) {
      problems.add(`\`replicas\` has ${show(r)} twice; a global table has one replica per region.`);
    }
    seen.add(r);
  }
  validateConsistency(problems, region, replicas, props.witnessRegion, strong);
  const deletionProtection = props.deletionProtection ?? true;
  if (props.removalPolicy === RemovalPolicy.DESTROY && deletionProtection) {
    problems.add('`removalPolicy` is DESTROY, but deletion protection is on (the default here): CloudFormation cannot delete a protected table. '
      + 'Keep the default RETAIN, or set `deletionProtection: false` as well to delete the table and its data with the stack.');
  }
  if (strong && props.replicationLatencyThreshold !== undefined) {
    problems.add('`replicationLatencyThreshold` is set, but an MRSC table has no replication-lag alarms: its writes are acknowledged only once '
      + 'another region has them. Remove it, or use MultiRegionConsistency.EVENTUAL.');
  }
  const threshold = props.replicationLatencyThreshold;
  if (threshold?.isUnresolved() && !inMillis(threshold)) {
    problems.add('`replicationLatencyThreshold` is only known at deploy time, so it must be given in milliseconds, the unit of ReplicationLatency: '
      + 'Duration.millis(parameter.valueAsNumber).');
  }
  checkDuration(problems, 'replicationLatencyThreshold', threshold, {
    aboveMin: true, fix: 'Give the lag at which you want to be told, e.g. Duration.seconds(30); by default it is the declared RPO.',
  });
  checkAssumptions(problems, props.assumptions, strong ? [] : [RecoveryAssumption.DYNAMODB_REPLICATION_LAG]);
}

function validateConsistency(problems: Problems, region: string, replicas: string[], witness: string | undefined, strong: boolean): void {
  if (!strong) {
    if (witness !== undefined) {
      problems.add(`\`witnessRegion\` is ${show(witness)}, but a witness exists only for multi-Region strong consistency (MRSC). `
        + 'Remove it, or set `multiRegionConsistency: MultiRegionConsistency.STRONG` (only when the table is created).');
    }
    return;
  }
  const regions = [region, ...replicas];
  const expected = witness === undefined ? 3 : 2;
  if (regions.length !== expected) {
    problems.add(`\`replicas\` has ${replicas.length} region(s)${witness === undefined ? '' : ` beside \`witnessRegion\` ${show(witness)}`}, `
      + `so the MRSC table would span ${regions.length} replica region(s), not ${expected}. ${STRONG_FIX}`);
  }
  if (witness !== undefined) {
    if (Token.isUnresolved(witness) || !isRegionName(witness)) {
      problems.add(`\`witnessRegion\` must be a region name, got: ${show(witness)}.`);
      return;
    }
    if (regions.includes(witness)) {
      problems.add(`\`witnessRegion\` ${show(witness)} holds a replica already; the witness must be a third region. ${STRONG_FIX}`);
    }
    regions.push(witness);
  }
  if (regions.some((r) => Token.isUnresolved(r))) {
    return;
  }
  const set = Object.entries(MRSC_REGION_SETS).find(([, members]) => members.includes(region));
  const outside = set ? regions.filter((r) => !set[1].includes(r)) : [region];
  if (outside.length > 0) {
    const sets = Object.entries(MRSC_REGION_SETS).map(([name, members]) => `${name}: ${members.join(', ')}`).join('; ');
    problems.add(`MRSC needs every region of the table in one region set, but ${outside.map((r) => show(r)).join(', ')} `
      + `${set ? `is outside the ${set[0]} set of the stack's region ${show(region)}` : 'is in none'}. Region sets: ${sets}.`);
  }
}

/** aws-cdk-lib converts a Token Duration only from the unit it was given in. */
function inMillis(d: Duration): boolean {
  try {
    d.toMilliseconds();
    return true;
  } catch {
    return false;
  }
}

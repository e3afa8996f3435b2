/**
 * The checks of a CrossRegionReadReplica's props, before anything is created
 * (docs/aws-facts.md#rds-and-aurora).
 */
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { checkAssumptions } from '../../private/assumptions';
import { Problems } from '../../private/errors';
import { isRegionName } from '../../private/region';
import { checkDuration, show, unresolved } from '../../private/validate';
import type { CrossRegionReadReplicaProps } from '../cross-region-read-replica';

/** The assumptions the promotion path uses. */
export const REPLICA_ASSUMPTIONS = [
  RecoveryAssumption.RDS_REPLICA_LAG, RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.REPLICA_PROMOTION,
  RecoveryAssumption.ENDPOINT_DNS_TTL, RecoveryAssumption.CLIENT_DNS_CACHE,
];

/** RDS DB instance identifiers: a letter, then letters, digits and single hyphens, at most 63, no trailing hyphen. */
const IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/;

export function validateReadReplicaProps(problems: Problems, region: string, props: CrossRegionReadReplicaProps): void {
  if (Token.isUnresolved(region)) {
    problems.add('the stack has no literal region: a cross-region replica must be in a known region other than its source\'s. '
      + 'Give the stack an `env` with its region.');
  }
  const id = props.sourceInstanceIdentifier;
  if (!unresolved(id) && (!IDENTIFIER.test(id) || id.endsWith('-'))) {
    problems.add('`sourceInstanceIdentifier` must be an RDS DB instance identifier (a letter, then up to 62 letters, digits or single hyphens, '
      + `no trailing hyphen), got: ${show(id)}. Give the identifier of the source instance, e.g. 'orders-db'.`);
  }
  const source = props.sourceRegion;
  if (unresolved(source) || !isRegionName(source)) {
    problems.add(`\`sourceRegion\` must be a region name, known at synth: the source is addressed by its ARN, got: ${show(source)}.`);
  } else if (source === region) {
    problems.add(`\`sourceRegion\` is ${show(source)}, the stack's own region: this construct builds a replica in another region. `
      + 'For a replica in the same region use rds.DatabaseInstanceReadReplica.');
  }
  const account = props.sourceAccount;
  if (account !== undefined && !unresolved(account) && !/^\d{12}$/.test(account)) {
    problems.add(`\`sourceAccount\` must be a 12-digit AWS account id, got: ${show(account)}.`);
  }
  if (props.removalPolicy === RemovalPolicy.DESTROY && (props.deletionProtection ?? true)) {
    problems.add('`removalPolicy` is DESTROY, but deletion protection is on (the default here): CloudFormation cannot delete a protected instance. '
      + 'Keep the default RETAIN, or set `deletionProtection: false` as well.');
  }
  const engine = props.sourceEngine;
  if (engine && !engine.supportsReadReplicaBackups && props.backupRetention !== undefined) {
    problems.add(`\`backupRetention\` is set, but ${engine.engineType} keeps no automated backups on read replicas. `
      + 'Remove it; set the retention on the promoted instance after a failover.');
  }
  const threshold = props.replicaLagThreshold;
  if (threshold?.isUnresolved() && !inSeconds(threshold)) {
    problems.add('`replicaLagThreshold` is only known at deploy time, so it must be given in seconds, the unit of ReplicaLag: '
      + 'Duration.seconds(parameter.valueAsNumber).');
  }
  checkDuration(problems, 'replicaLagThreshold', threshold, {
    unit: 'seconds', aboveMin: true, fix: 'Give the lag at which you want to be told, e.g. Duration.seconds(30); by default it is the declared RPO.',
  });
  checkAssumptions(problems, props.assumptions, REPLICA_ASSUMPTIONS);
}

/** aws-cdk-lib converts a Token Duration only from the unit it was given in. */
function inSeconds(d: Duration): boolean {
  try {
    d.toSeconds();
    return true;
  } catch {
    return false;
  }
}

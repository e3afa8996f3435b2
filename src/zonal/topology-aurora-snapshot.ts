import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { AuroraFromSnapshotOptions } from './database-topology';
import { AuroraTopology } from './topology-aurora';
import { BoundDatabase, DatabaseBindContext } from './topology-strategy';
import { Problems } from '../private/errors';
import { acknowledgeFindings } from '../private/nag';
import { show } from '../private/validate';

/**
 * An Aurora cluster restored from a cluster snapshot (a backup copied to this Region), then
 * the `aurora()` topology: the recovery Region's database of a backup-and-restore strategy.
 */
export class AuroraFromSnapshotTopology extends AuroraTopology {
  public readonly description: string = 'Aurora (restored from a snapshot)';

  constructor(private readonly restore: AuroraFromSnapshotOptions) {
    super(restore);
  }

  public validate(problems: Problems): void {
    super.validate(problems);
    const id = this.restore.snapshotIdentifier;
    if (typeof id !== 'string' || id.trim().length === 0) {
      problems.add(`\`topology.snapshotIdentifier\` must name the cluster snapshot to restore (its ARN, or its identifier in this Region), got: ${show(id)}. `
        + 'Give the recovery point\'s ARN, e.g. through a CfnParameter set when the stack is deployed to recover.');
    }
  }

  public bind(scope: Construct, c: DatabaseBindContext): BoundDatabase {
    const bound = super.bind(scope, c);
    // The snapshot brings the data, the master user, the database and the encryption
    // (CloudFormation refuses them beside SnapshotIdentifier), and its engine version (the
    // code's may be older after minor upgrades, and a restore cannot downgrade). RDS then
    // manages the master password (the aurora() topology asks for it).
    const cfn = bound.cluster!.node.defaultChild as rds.CfnDBCluster;
    cfn.snapshotIdentifier = this.restore.snapshotIdentifier;
    cfn.masterUsername = undefined;
    cfn.databaseName = undefined;
    cfn.storageEncrypted = undefined;
    cfn.engineVersion = undefined;
    acknowledgeFindings(cfn, [{
      id: 'AwsSolutions-RDS2',
      reason: 'Restored from a snapshot of an encrypted cluster: the cluster inherits its encryption (CloudFormation refuses StorageEncrypted beside SnapshotIdentifier).',
    }]);
    return bound;
  }
}

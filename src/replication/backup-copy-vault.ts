import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { checkVaultName } from './private/backup-validation';
import { Problems } from '../private/errors';

/**
 * Properties of `BackupCopyVault`.
 */
export interface BackupCopyVaultProps {
  /**
   * The name of the vault: 2 to 50 letters, digits, hyphens or underscores, known at synth. The
   * primary region's `CrossRegionBackup` addresses the vault by this name and its region
   * (`copyVaultName`), never by a cross-region reference.
   */
  readonly backupVaultName: string;

  /**
   * The KMS key that encrypts the vault: every copy that lands here is re-encrypted with it.
   *
   * @default - a new key with yearly rotation, kept on stack deletion (`removalPolicy`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Deny `backup:DeleteRecoveryPoint` and `backup:UpdateRecoveryPointLifecycle` to every
   * principal in the vault's access policy, so that nobody (an operator's mistake, a stolen
   * credential) can delete a copy or shorten its retention. AWS Backup still expires copies at
   * the end of their retention. An administrator can lift it by changing the policy; for a
   * guarantee that nobody can, add `lockConfiguration`.
   *
   * @default true
   */
  readonly blockRecoveryPointDeletion?: boolean;

  /**
   * AWS Backup Vault Lock: the retention every recovery point in the vault must have, enforced
   * by AWS Backup. Without `changeableFor` the lock is in governance mode (users with the right
   * IAM permissions can remove it); with `changeableFor` (3 days or more) it becomes compliance
   * mode once that time has passed, and then nobody, AWS included, can remove the lock or
   * delete a copy before its retention ends. Compliance mode is irreversible, so it is not a
   * default. The copy retention of `CrossRegionBackup` (`copyRetention`) must lie between the
   * lock's `minRetention` and `maxRetention`, or copy jobs fail.
   *
   * @default - no lock
   */
  readonly lockConfiguration?: backup.LockConfiguration;

  /**
   * What happens to the vault and the key created for it when they leave the stack. A vault
   * that holds recovery points cannot be deleted anyway; the key must outlive every copy it
   * encrypts.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The vault in the recovery region that receives the cross-region copies of a
 * `CrossRegionBackup`, with its own KMS key and protection against deleting copies.
 *
 * Deploy it in the recovery region's stack before the primary region's backup plan first copies
 * to it. The two stacks meet by the vault's name: give the same name to
 * `CrossRegionBackup.copyVaultName`.
 *
 * @exampleMetadata fixture=regional
 * @example
 * // in the recovery region's stack (us-west-2)
 * new BackupCopyVault(west, 'CopyVault', { backupVaultName: 'orders-dr' });
 * // in the primary region's stack (us-east-1)
 * new CrossRegionBackup(east, 'Backup', {
 *   recoveryRegion: 'us-west-2',
 *   copyVaultName: 'orders-dr',
 *   resources: [{ resource: backup.BackupResource.fromDynamoDbTable(table), service: BackupService.DYNAMODB, size: Size.gibibytes(20) }],
 * });
 */
export class BackupCopyVault extends Construct {
  /** The vault. */
  public readonly backupVault: backup.BackupVault;
  /** The key that encrypts the vault and the copies in it. */
  public readonly encryptionKey: kms.IKey;
  /** The vault's name, as given. */
  public readonly backupVaultName: string;
  /** The vault's ARN, built from its name, region and account (what the primary region's copy action names). */
  public readonly backupVaultArn: string;

  constructor(scope: Construct, id: string, props: BackupCopyVaultProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkVaultName(problems, 'backupVaultName', props.backupVaultName);
    problems.throwIfAny();

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the AWS Backup vault ${props.backupVaultName} and the cross-region copies in it`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.backupVault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.backupVaultName,
      encryptionKey: this.encryptionKey,
      blockRecoveryPointDeletion: props.blockRecoveryPointDeletion ?? true,
      lockConfiguration: props.lockConfiguration,
      removalPolicy,
    });
    this.backupVaultName = props.backupVaultName;
    this.backupVaultArn = Stack.of(this).formatArn({
      service: 'backup',
      resource: 'backup-vault',
      resourceName: props.backupVaultName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}


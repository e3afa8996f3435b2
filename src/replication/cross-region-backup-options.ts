import { Duration, Size, TimeZone } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * The AWS service of a backed-up resource: it decides the restore rate the model takes, and
 * the copy limits that apply.
 */
export enum BackupService {
  /** An RDS DB instance or an Aurora DB cluster (restore rate `rdsRestorePerGiB`). */
  RDS = 'rds',
  /** A DynamoDB table (restore rate `dynamoDbRestorePerGiB`). */
  DYNAMODB = 'dynamodb',
  /** An EBS volume, or an EC2 instance and its volumes (restore rate `ebsRestorePerGiB`). */
  EBS = 'ebs',
  /** An EFS file system (restore rate `efsRestorePerGiB`). */
  EFS = 'efs',
  /** An S3 bucket (restore rate `s3RestorePerGiB`). */
  S3 = 's3',
}

/**
 * A resource that `CrossRegionBackup` backs up and copies, and what the restore model needs
 * of it.
 */
export interface CrossRegionBackupResource {
  /** What to back up: a construct, an ARN or a tag, as aws-cdk-lib's `backup.BackupResource` selects it. */
  readonly resource: backup.BackupResource;
  /**
   * Its service. Checked against the resource when synth can tell (a construct, a literal ARN).
   */
  readonly service: BackupService;
  /**
   * How much data it holds: the restore time grows with it.
   *
   * @default - 100 GiB, with a warning (`cdk-failover:backup-size-unknown`)
   */
  readonly size?: Size;
  /**
   * Its name in the report and in the restore term's id.
   *
   * @default - the construct's id, the ARN's resource name, or `tag <key>=<value>`
   */
  readonly name?: string;
}

/**
 * Properties of `CrossRegionBackup`.
 */
export interface CrossRegionBackupProps {
  /** The region the copies go to, e.g. `us-west-2`: another region of the same partition. */
  readonly recoveryRegion: string;

  /**
   * The name of the vault in the recovery region that receives the copies: a
   * `BackupCopyVault` deployed there with this `backupVaultName`. Addressed by its ARN, built
   * from this name, `recoveryRegion` and this stack's account.
   */
  readonly copyVaultName: string;

  /** What to back up, at least one resource. */
  readonly resources: CrossRegionBackupResource[];

  /**
   * When backups run: a cron expression (AWS Backup takes no `rate()`), at most hourly.
   *
   * @default - daily at 05:00 UTC, AWS Backup's default: `Schedule.cron({ minute: '0', hour: '5' })`
   */
  readonly schedule?: events.Schedule;

  /**
   * The time zone of `schedule`. Outside UTC a daylight-saving change can stretch a gap by an
   * hour, which the model adds.
   *
   * @default TimeZone.ETC_UTC
   */
  readonly scheduleTimezone?: TimeZone;

  /**
   * How long after its scheduled time a backup job may start before it is cancelled, in whole
   * minutes, at least 60. Counted in the RPO.
   *
   * @default Duration.hours(1)
   */
  readonly startWindow?: Duration;

  /**
   * How long a started backup job may run before it is cancelled, in whole minutes, at least 60.
   * Counted in the RPO; a cancelled job reaches the alarm topic. Raise it for a large first full
   * backup.
   *
   * @default Duration.hours(8)
   */
  readonly completionWindow?: Duration;

  /**
   * How long backups are kept in the primary region, in whole days. With `continuousBackup`,
   * 1 to 35 days.
   *
   * @default Duration.days(35)
   */
  readonly retention?: Duration;

  /**
   * When backups in the primary region move to cold storage, in whole days. A backup in cold
   * storage cannot be copied, so it must come after the backup window and the copy time; and
   * `retention` must be 90 days longer. Not with `continuousBackup`.
   *
   * @default - never
   */
  readonly moveToColdStorageAfter?: Duration;

  /**
   * How long copies are kept in the recovery region, in whole days. It must lie within the copy
   * vault's lock (`BackupCopyVault.lockConfiguration`) if it has one.
   *
   * @default - `retention`
   */
  readonly copyRetention?: Duration;

  /**
   * When copies move to cold storage, in whole days; `copyRetention` must be 90 days longer.
   *
   * @default - never
   */
  readonly copyMoveToColdStorageAfter?: Duration;

  /**
   * Continuous backups with point-in-time restore in the primary region (RDS, Aurora, S3).
   * Their cross-region copies are snapshots taken on `schedule`, without point-in-time restore:
   * the RPO in the recovery region is the same as without it.
   *
   * @default false
   */
  readonly continuousBackup?: boolean;

  /**
   * The vault in the primary region.
   *
   * @default - a new vault encrypted with its own key, both retained, deletion of recovery points denied
   */
  readonly backupVault?: backup.IBackupVault;

  /**
   * The topic told about failed, aborted or expired backup jobs and failed copy jobs.
   *
   * @default - a new topic encrypted with its own key
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Values that replace the defaults of the model's named assumptions, by id: `backupCopyTime`,
   * `operatorResponse`, `restoreStartup`, and the restore rate of each service selected
   * (`rdsRestorePerGiB`, `dynamoDbRestorePerGiB`, `ebsRestorePerGiB`, `efsRestorePerGiB`,
   * `s3RestorePerGiB`, time per GiB).
   *
   * @default - the defaults, or the nearest `RecoveryAssumptions`
   */
  readonly assumptions?: { [id: string]: Duration };
}

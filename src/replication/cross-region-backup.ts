import { Annotations, Arn, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BackupCopyVault } from './backup-copy-vault';
import { BackupService, CrossRegionBackupProps, CrossRegionBackupResource } from './cross-region-backup-options';
import {
  checkColdStorage, checkDays, checkRecoveryRegion, checkVaultName, checkWindow, inspectResource, ResourceInfo,
} from './private/backup-validation';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import {
  backupRestore, BackupServiceName, DEFAULT_RESTORE_SIZE_GIB, MIN_INTERVAL, restoreRateAssumption, restoreTerm, scheduleGap, SLOWEST_INTERVAL,
} from '../objectives/model/backup';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { createAlarmTopic } from '../private/alarm-topic';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { acknowledgeFindings } from '../private/nag';
import { knownRegion } from '../private/region';
import { constructsOfStage, warnUnlessFound } from '../private/stage';
import { checkSize, show } from '../private/validate';


const BACKUP_FAILED_STATES = ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'];
const COPY_FAILED_STATES = ['FAILED', 'PARTIAL'];

/**
 * The backup-and-restore tier of regional recovery: an AWS Backup plan in the primary region that
 * copies every backup to a vault in the recovery region, alerts on failed backup and copy jobs,
 * and declares its recovery path: the data lost (the schedule's longest gap, the backup window,
 * the copy time) and the time to restore (a decision, then each resource restored in parallel
 * at its service's rate).
 *
 * Limits of cross-region copies it checks or states (docs/aws-facts.md#aws-backup): a backup in
 * cold storage cannot be copied; continuous backups are copied as snapshots without
 * point-in-time restore; Multi-AZ DB cluster snapshots cannot be copied; RDS option groups are
 * not copied (create the same option group in the recovery region).
 *
 * Failed jobs reach `alarmTopic` through EventBridge rules on AWS Backup's job state changes:
 * unlike vault notifications, the events carry the job state (so only failures page) and
 * include copy jobs.
 *
 * @exampleMetadata fixture=regional
 * @example
 * // in the recovery region's stack (us-west-2)
 * new BackupCopyVault(west, 'CopyVault', { backupVaultName: 'orders-dr' });
 * // in the primary region's stack (us-east-1)
 * new CrossRegionBackup(east, 'Backup', {
 *   recoveryRegion: 'us-west-2',
 *   copyVaultName: 'orders-dr',
 *   schedule: events.Schedule.cron({ minute: '0' }), // hourly
 *   resources: [{ resource: backup.BackupResource.fromDynamoDbTable(table), service: BackupService.DYNAMODB, size: Size.gibibytes(20) }],
 * });
 */
export class CrossRegionBackup extends Construct implements IRecoveryPathProvider {
  /** The backup plan. */
  public readonly backupPlan: backup.BackupPlan;
  /** The vault in the primary region. */
  public readonly backupVault: backup.IBackupVault;
  /** The copy vault in the recovery region, imported by ARN. */
  public readonly copyVault: backup.IBackupVault;
  /** The selection of resources. */
  public readonly selection: backup.BackupSelection;
  /** The topic told about failed backup and copy jobs. */
  public readonly alarmTopic: sns.ITopic;
  /** The EventBridge rules that send failed backup and copy jobs to the topic. */
  public readonly failureRules: events.Rule[];
  /** The modeled data loss and restore time. */
  public readonly estimate: RecoveryEstimate;

  private readonly warnings: string[] = [];
  private readonly resourceNames: string[];

  constructor(scope: Construct, id: string, private readonly props: CrossRegionBackupProps) {
    super(scope, id);
    const checked = this.validate();

    this.backupVault = props.backupVault ?? this.createVault();
    this.copyVault = backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', copyVaultArn(this, props.recoveryRegion, props.copyVaultName));
    const retention = Duration.days(checked.retention);
    this.backupPlan = new backup.BackupPlan(this, 'Plan', {
      // Plan names are unique per account and region; aws-cdk-lib would name every plan `Plan`.
      backupPlanName: Names.uniqueResourceName(this, { maxLength: 50 }),
      backupVault: this.backupVault,
    });
    this.backupPlan.addRule(new backup.BackupPlanRule({
      ruleName: 'CrossRegionCopy',
      scheduleExpression: checked.schedule,
      scheduleExpressionTimezone: props.scheduleTimezone,
      startWindow: Duration.seconds(checked.startWindow),
      completionWindow: Duration.seconds(checked.completionWindow),
      deleteAfter: retention,
      moveToColdStorageAfter: props.moveToColdStorageAfter,
      enableContinuousBackup: props.continuousBackup,
      copyActions: [{
        destinationBackupVault: this.copyVault,
        deleteAfter: props.copyRetention ?? retention,
        moveToColdStorageAfter: props.copyMoveToColdStorageAfter,
      }],
    }));
    this.selection = this.backupPlan.addSelection('Selection', { resources: props.resources.map((r) => r.resource) });
    // AWSBackupServiceRolePolicyForBackup does not cover S3: S3 backups need AWS Backup's own S3
    // policy on the role, or every job fails (docs/aws-facts.md#aws-backup).
    const backsUpS3 = props.resources.some((r) => r.service === BackupService.S3);
    if (backsUpS3) {
      (this.selection.grantPrincipal as iam.Role).addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Backup'));
    }
    suppressManagedPolicyFinding(this.selection, backsUpS3);

    this.alarmTopic = props.alarmTopic ?? createAlarmTopic(this);
    this.failureRules = this.createFailureRules();

    this.resourceNames = checked.resources.map((r) => r.name);
    this.estimate = this.model(checked);
    FailoverReport.of(this);
    this.warnWithoutCopyVault();
  }

  /**
   * The copy vault is named, not referenced: a name that no `BackupCopyVault` of the app
   * carries is said once the app is built (a typo makes every copy job fail at run time; a
   * vault of another app is fine, and the warning can be acknowledged).
   */
  private warnWithoutCopyVault(): void {
    const name = this.props.copyVaultName;
    warnUnlessFound(this, 'cdk-failover:backup-copy-vault-not-in-app',
      () => Token.isUnresolved(name) || constructsOfStage(this).some((c) => c instanceof BackupCopyVault && c.backupVaultName === name), () =>
        `\`copyVaultName\` is ${name}, but no BackupCopyVault of that name is in this app: copy jobs fail unless a vault of that name exists in ${this.props.recoveryRegion} `
        + 'before the first backup. Check the name, or deploy the vault from its own app.');
  }

  /** The backup-and-restore path: the copy in the recovery region, restored there. */
  public recoveryPaths(): RecoveryPath[] {
    const region = knownRegion(this);
    return [new RecoveryPath({
      id: 'backup-restore',
      kind: RecoveryPathKind.BACKUP_RESTORE,
      name: `${this.node.id} (AWS Backup copy to ${this.props.recoveryRegion})`,
      endpoints: [
        { label: this.resourceNames.join(', '), role: EndpointRole.PRIMARY, region },
        { label: `backup vault ${this.props.copyVaultName}`, role: EndpointRole.REPLICA, region: this.props.recoveryRegion },
      ],
      estimate: this.estimate,
      warnings: [...this.warnings],
    })];
  }

  private validate(): Checked {
    const p = this.props;
    const problems = new Problems(this);
    checkRecoveryRegion(problems, this, p.recoveryRegion);
    checkVaultName(problems, 'copyVaultName', p.copyVaultName);
    const resources = this.checkResources(problems);
    const schedule = p.schedule ?? events.Schedule.cron({ minute: '0', hour: '5' });
    const gap = this.checkSchedule(problems, schedule);
    const startWindow = checkWindow(problems, 'startWindow', p.startWindow ?? Duration.hours(1));
    const completionWindow = checkWindow(problems, 'completionWindow', p.completionWindow ?? Duration.hours(8));
    const continuous = p.continuousBackup ?? false;
    const retention = checkDays(problems, 'retention', p.retention ?? Duration.days(35), 1, continuous ? 35 : 36500);
    const cold = checkDays(problems, 'moveToColdStorageAfter', p.moveToColdStorageAfter, 1);
    const copyRetention = checkDays(problems, 'copyRetention', p.copyRetention, 1) ?? retention;
    const copyCold = checkDays(problems, 'copyMoveToColdStorageAfter', p.copyMoveToColdStorageAfter, 1);
    checkColdStorage(problems, 'moveToColdStorageAfter', cold, 'retention', retention);
    checkColdStorage(problems, 'copyMoveToColdStorageAfter', copyCold, 'copyRetention', copyRetention,
      p.copyRetention ? '' : ' (not given: the copies keep `retention`)');
    if (continuous && cold !== undefined) {
      problems.add('`moveToColdStorageAfter` cannot be set with `continuousBackup`: continuous backups do not move to cold storage. Remove one of them.');
    }
    const services = [...new Set(resources.map((r) => r.service))];
    const used = [
      RecoveryAssumption.BACKUP_COPY_TIME, RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.RESTORE_STARTUP,
      ...services.map(restoreRateAssumption),
    ];
    checkAssumptions(problems, p.assumptions, used);
    const copyTime = givenAssumption(this, p.assumptions, RecoveryAssumption.BACKUP_COPY_TIME) ?? RecoveryAssumption.BACKUP_COPY_TIME._defaultSeconds;
    if (cold !== undefined && startWindow !== undefined && completionWindow !== undefined
      && cold * 86400 <= startWindow + completionWindow + copyTime) {
      problems.add(`\`moveToColdStorageAfter\` (${cold} days) must be later than the backup window and the copy time `
        + `(${startWindow + completionWindow + copyTime} s): a backup in cold storage cannot be copied to another region. Move it to cold storage later.`);
    }
    problems.throwIfAny();
    if (continuous) {
      this.warn('cdk-failover:backup-copy-no-pitr', `${this.node.path}: \`continuousBackup\` gives point-in-time restore in this region only: `
        + `the copies in ${p.recoveryRegion} are snapshots taken on the schedule, without point-in-time restore.`);
    }
    if (services.includes('rds')) {
      this.warnings.push(`RDS option groups are not copied: create the same option groups in ${p.recoveryRegion} before restoring there.`);
    }
    return {
      schedule, gap: gap!, startWindow: startWindow!, completionWindow: completionWindow!, retention: retention!, continuous, resources,
    };
  }

  private checkResources(problems: Problems): CheckedResource[] {
    const resources = this.props.resources;
    if (resources.length === 0) {
      problems.add('`resources` must hold at least one resource, got none. Select what to back up, e.g. '
        + '`{ resource: backup.BackupResource.fromDynamoDbTable(table), service: BackupService.DYNAMODB }`.');
    }
    const checked = resources.map((r, i) => this.checkResource(problems, r, i));
    const seen = new Set<string>();
    checked.forEach((r, i) => {
      if (seen.has(r.name)) {
        problems.add(`\`resources[${i}]\` is named ${show(r.name)} like an earlier resource: each needs its own name in the report. Give \`name\`.`);
      }
      seen.add(r.name);
    });
    return checked;
  }

  private checkResource(problems: Problems, r: CrossRegionBackupResource, i: number): CheckedResource {
    const prop = `resources[${i}]`;
    const info: ResourceInfo = inspectResource(r.resource, i);
    if (info.services.length > 0 && !info.services.includes(r.service)) {
      problems.add(`\`${prop}.service\` is ${r.service}, but the resource ${info.label} is ${info.services.join(' and ')}: `
        + 'the restore rate would be the wrong one. Give the service of the resource.');
    }
    for (const path of info.multiAzClusters) {
      problems.add(`\`${prop}.resource\` selects ${path}, a Multi-AZ DB cluster: AWS Backup cannot copy its snapshots to another region, `
        + 'so every copy job would fail. Protect it across regions with a cross-region read replica, or select other resources.');
    }
    const name = r.name ?? info.label;
    if (r.name !== undefined && (Token.isUnresolved(r.name) || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(r.name))) {
      problems.add(`\`${prop}.name\` must be 1 to 64 letters, digits, dots, underscores or hyphens, known at synth, got: ${show(r.name)}.`);
    }
    const bytes = checkSize(problems, `${prop}.size`, r.size, { literal: 'the restore model needs it at synth' });
    if (r.size === undefined) {
      this.warn('cdk-failover:backup-size-unknown', `${this.node.path}: \`${prop}.size\` is not given, so the restore time of ${name} `
        + `is modeled at ${DEFAULT_RESTORE_SIZE_GIB} GiB. Give its size, e.g. Size.gibibytes(20).`);
    }
    return {
      name: name.replace(/[^A-Za-z0-9._-]/g, '-'),
      service: r.service as unknown as BackupServiceName,
      sizeGiB: bytes === undefined ? DEFAULT_RESTORE_SIZE_GIB : Math.round(bytes / 2 ** 30 * 1000) / 1000,
      defaultSize: r.size === undefined,
    };
  }

  private checkSchedule(problems: Problems, schedule: events.Schedule): { seconds: number; basis: string; assumed: boolean } | undefined {
    const expression = schedule.expressionString;
    const slowest = (why: string) => {
      this.warn('cdk-failover:backup-schedule-unknown', `${this.node.path}: ${why}, so the model takes the slowest interval it models, `
        + `${SLOWEST_INTERVAL / 86400} days. Give a cron expression with literal fields.`);
      return { seconds: SLOWEST_INTERVAL, basis: `unknown (${why})`, assumed: true };
    };
    if (Token.isUnresolved(expression)) {
      if (!expression.startsWith('cron(')) {
        problems.add('`schedule` is a deploy-time Token, but AWS Backup takes cron expressions only, which synth checks by their `cron(` prefix. '
          + 'Give Schedule.expression(`cron(${fields})`) or a literal Schedule.cron({...}).');
        return undefined;
      }
      return slowest('`schedule` is only known at deploy time');
    }
    if (expression.startsWith('rate(')) {
      problems.add(`\`schedule\` must be a cron expression, got: ${expression}. AWS Backup takes no rate(); `
        + 'give e.g. Schedule.cron({ minute: \'0\' }) for hourly, or Schedule.cron({ minute: \'0\', hour: \'5\' }) for daily.');
      return undefined;
    }
    const gap = scheduleGap(expression);
    if (gap.kind === 'invalid') {
      problems.add(`\`schedule\` is not a valid schedule: ${gap.reason}. Give e.g. Schedule.cron({ minute: '0', hour: '5' }).`);
      return undefined;
    }
    if (gap.kind === 'unknown') {
      return slowest(`the model cannot read \`schedule\` ${expression}: ${gap.reason}`);
    }
    if (gap.shortest < MIN_INTERVAL) {
      problems.add(`\`schedule\` runs ${gap.shortest / 60} minutes apart at times, got: ${expression}. AWS Backup runs a rule at most hourly; `
        + 'for a shorter RPO use `continuousBackup` in this region, or replication across regions.');
      return undefined;
    }
    const tz = this.props.scheduleTimezone?.timezoneName;
    const dst = tz !== undefined && !['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT'].includes(tz) ? 3600 : 0;
    const basis = `${expression}: ${describeGap(gap.longest)}` + (dst ? ` in ${tz}, plus 1 h for a daylight-saving change` : ' (UTC)');
    return { seconds: gap.longest + dst, basis, assumed: false };
  }

  private warn(id: string, message: string): void {
    Annotations.of(this).addWarningV2(id, message);
    this.warnings.push(message);
  }

  private createVault(): backup.BackupVault {
    const key = new kms.Key(this, 'VaultKey', {
      description: `Encrypts the AWS Backup vault of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return new backup.BackupVault(this, 'Vault', { encryptionKey: key, blockRecoveryPointDeletion: true, removalPolicy: RemovalPolicy.RETAIN });
  }

  /**
   * AWS Backup emits job state changes to EventBridge in its own region: copy jobs too, since
   * the source vault's region runs them. Vault notifications would page on every completed
   * job, and their failure events are no longer sent.
   */
  private createFailureRules(): events.Rule[] {
    const target = new targets.SnsTopic(this.alarmTopic);
    const backupJobs = new events.Rule(this, 'BackupJobFailed', {
      description: `${this.node.path}: a backup job into the primary vault failed, was aborted or expired`.slice(0, 512),
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change'],
        detail: { state: BACKUP_FAILED_STATES, backupVaultName: [this.backupVault.backupVaultName] },
      },
      targets: [target],
    });
    const copyJobs = new events.Rule(this, 'CopyJobFailed', {
      description: `${this.node.path}: a copy job to ${this.props.recoveryRegion} failed`.slice(0, 512),
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Copy Job State Change'],
        detail: { state: COPY_FAILED_STATES, destinationBackupVaultArn: [this.copyVault.backupVaultArn] },
      },
      targets: [target],
    });
    return [backupJobs, copyJobs];
  }

  private model(checked: Checked): RecoveryEstimate {
    const a = this.props.assumptions;
    const data = RecoveryEstimate._fromModel(backupRestore({
      interval: checked.gap.seconds,
      intervalBasis: checked.gap.basis,
      intervalAssumed: checked.gap.assumed,
      window: checked.startWindow + checked.completionWindow,
      continuous: checked.continuous,
      copyTime: givenAssumption(this, a, RecoveryAssumption.BACKUP_COPY_TIME),
      operatorResponse: givenAssumption(this, a, RecoveryAssumption.OPERATOR_RESPONSE),
    }));
    const startup = givenAssumption(this, a, RecoveryAssumption.RESTORE_STARTUP);
    const restores = checked.resources.map((r) => RecoveryEstimate._fromModel([restoreTerm({
      ...r, perGiB: givenAssumption(this, a, restoreRateAssumption(r.service)),
    }, startup)]));
    return data.then(RecoveryEstimate.parallel(restores));
  }
}

interface CheckedResource {
  readonly name: string;
  readonly service: BackupServiceName;
  readonly sizeGiB: number;
  readonly defaultSize: boolean;
}

interface Checked {
  readonly schedule: events.Schedule;
  readonly gap: { seconds: number; basis: string; assumed: boolean };
  readonly startWindow: number;
  readonly completionWindow: number;
  readonly retention: number;
  readonly continuous: boolean;
  readonly resources: CheckedResource[];
}

function describeGap(seconds: number): string {
  if (seconds % 86400 === 0) {
    return seconds === 86400 ? 'daily (longest gap 1 day)' : `longest gap ${seconds / 86400} days`;
  }
  return seconds % 3600 === 0 ? `longest gap ${seconds / 3600} h` : `longest gap ${seconds / 60} min`;
}

/**
 * cdk-nag flags the AWS managed policy of the selection's role (AwsSolutions-IAM4). It is AWS
 * Backup's own service-role policy, which AWS keeps up to date with the actions each resource
 * type needs; the finding is suppressed on that role only, in the metadata cdk-nag reads (no
 * dependency on cdk-nag).
 */
function suppressManagedPolicyFinding(selection: backup.BackupSelection, s3: boolean): void {
  const policies = ['service-role/AWSBackupServiceRolePolicyForBackup', ...(s3 ? ['AWSBackupServiceRolePolicyForS3Backup'] : [])];
  acknowledgeFindings(selection.node.tryFindChild('Role')?.node.defaultChild, [{
    id: 'AwsSolutions-IAM4',
    reason: 'AWS Backup\'s own service-role policies (and its S3 policy when S3 is backed up), maintained by AWS for every resource type it backs up.',
    applies_to: policies.map((p) => `Policy::arn:<AWS::Partition>:iam::aws:policy/${p}`),
  }]);
}

/** The ARN of the copy vault: its name and region, this stack's account and partition. */
function copyVaultArn(scope: Construct, region: string, name: string): string {
  return Arn.format({ service: 'backup', region, resource: 'backup-vault', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(scope));
}

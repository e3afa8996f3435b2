import { App, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { backupPaths } from '../../src/analyze/private/backup';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { RecoveryAssumption } from '../../src/objectives/assumptions';
import { Term } from '../../src/objectives/model/term';
import { RecoveryPath } from '../../src/objectives/path';
import { CrossRegionBackup } from '../../src/replication/cross-region-backup';
import { BackupService } from '../../src/replication/cross-region-backup-options';
import { testApp } from '../util';

const HOURLY = events.Schedule.cron({ minute: '0' });
const COPY_TIME = RecoveryAssumption.BACKUP_COPY_TIME._defaultSeconds;
const OPERATOR = RecoveryAssumption.OPERATOR_RESPONSE._defaultSeconds;
const STARTUP = RecoveryAssumption.RESTORE_STARTUP._defaultSeconds;
const rate = (a: RecoveryAssumption) => a._defaultSeconds;
/** The slowest per-GiB restore rate the model takes. */
const SLOWEST_RATE = Math.max(...[
  RecoveryAssumption.RDS_RESTORE_PER_GIB, RecoveryAssumption.DYNAMODB_RESTORE_PER_GIB, RecoveryAssumption.EBS_RESTORE_PER_GIB,
  RecoveryAssumption.EFS_RESTORE_PER_GIB, RecoveryAssumption.S3_RESTORE_PER_GIB,
].map(rate));

/** Term figures; a restore's id and basis carry the resource's name, which differs between the two apps. */
const figures = (p: RecoveryPath) => p.estimate._terms.map((t: Term) => [/^restore-(?!decision)/.test(t.id) ? 'restore' : t.id, t.kind.id, t.min, t.max, t.assumption]);
const seconds = (p: RecoveryPath) => [p.estimate.rtoWorst?.toSeconds(), p.estimate.rpoWorst?.toSeconds()];

describe('AWS Backup plans written with aws-cdk-lib', () => {
  let raw: LoadedTemplate;
  let library: CrossRegionBackup;

  beforeAll(() => {
    // GIVEN: an hourly plan that copies a table's backups to us-west-2, and a plan that keeps them in the region
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } });
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const plan = new backup.BackupPlan(stack, 'Plan');
    plan.addRule(new backup.BackupPlanRule({
      ruleName: 'Hourly',
      scheduleExpression: HOURLY,
      startWindow: Duration.hours(1),
      completionWindow: Duration.hours(8),
      copyActions: [{ destinationBackupVault: backup.BackupVault.fromBackupVaultArn(stack, 'Copy', 'arn:aws:backup:us-west-2:111111111111:backup-vault:orders-dr') }],
    }));
    plan.addSelection('Selection', { resources: [backup.BackupResource.fromDynamoDbTable(table)] });
    const local = new backup.BackupPlan(stack, 'Local');
    local.addRule(new backup.BackupPlanRule({ ruleName: 'Daily' }));
    local.addSelection('Selection', { resources: [backup.BackupResource.fromDynamoDbTable(table)] });
    raw = readTemplates([app.synth().directory]).templates.find((t) => t.name === 'Raw')!;

    // The library's construct with the same schedule, windows and resource, built for its path.
    const libStack = new Stack(new App(), 'Lib', { env: { account: '111111111111', region: 'us-east-1' } });
    const libTable = new dynamodb.Table(libStack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    library = new CrossRegionBackup(libStack, 'Backup', {
      recoveryRegion: 'us-west-2',
      copyVaultName: 'orders-dr',
      schedule: HOURLY,
      resources: [{ resource: backup.BackupResource.fromDynamoDbTable(libTable), service: BackupService.DYNAMODB }],
    });
  });

  test('a rule with a copy action to another region: the figures of CrossRegionBackup with the same schedule', () => {
    // WHEN
    const found = backupPaths(raw);

    // THEN
    const path = found.paths.find((p) => p.id.startsWith('backup-Plan'))!;
    expect(path.name).toBe('Plan rule Hourly (AWS Backup copy to us-west-2)');
    expect(figures(path)).toEqual(figures(library.recoveryPaths()[0]));
    // RPO: the hourly gap, the 1 h + 8 h window, the copy; RTO: the decision, then 100 GiB of DynamoDB restored.
    expect(seconds(path)).toEqual([OPERATOR + STARTUP + 100 * rate(RecoveryAssumption.DYNAMODB_RESTORE_PER_GIB), 3600 + 9 * 3600 + COPY_TIME]);
    expect(path.endpoints.map((e) => [e.label, e.region])).toEqual([[expect.stringMatching(/^Orders[0-9A-F]{8}$/), 'us-east-1'], ['backup vault orders-dr', 'us-west-2']]);
    expect(path.estimate.terms[0].remedy).toMatch(/^run the rule Hourly of the AWS::Backup::BackupPlan Plan[0-9A-F]{8} more often \(`ScheduleExpression`.*CrossRegionBackup/);
    expect(found.resources[path.id]).toEqual([expect.stringMatching(/^Plan/), expect.stringMatching(/^PlanSelection/), expect.stringMatching(/^Orders/)]);
  });

  test('a rule without a copy action: an in-region path, without the copy, at AWS Backup\'s default schedule and windows', () => {
    const found = backupPaths(raw);

    const path = found.paths.find((p) => p.id.startsWith('backup-Local'))!;
    expect(path.estimate._terms.map((t) => t.id)).not.toContain('backup-copy');
    // cron(0 5 ? * * *) daily; start window 8 h and completion window 7 days when the rule gives none.
    expect(seconds(path)[1]).toBe(86400 + (480 + 10080) * 60);
    expect(path.warnings).toContain('The backups stay in us-east-1: they are lost with it. Add a `CopyActions` entry with a `DestinationBackupVaultArn` '
      + 'in another region (cdk-failover\'s CrossRegionBackup copies every backup).');
  });
});

describe('AWS Backup plans in hand-written templates', () => {
  const template = (resources: object, parameters: object = {}): LoadedTemplate =>
    ({ name: 'Hand', file: 'hand.json', region: 'eu-west-1', template: { Parameters: parameters as any, Resources: resources as any } });
  const selection = (s: object) => ({ Type: 'AWS::Backup::BackupSelection', Properties: { BackupPlanId: { Ref: 'Plan' }, BackupSelection: s } });
  const plan = (rules: object[]) => ({ Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'p', BackupPlanRule: rules } } });
  const account = { Ref: 'AWS::AccountId' };

  test('ARNs with the account left open still name the service and the copy region; tags take the slowest rate, with a warning', () => {
    const found = backupPaths(template({
      Plan: plan([{
        RuleName: 'r',
        ScheduleExpression: 'cron(0 */2 * * ? *)',
        StartWindowMinutes: 60,
        CompletionWindowMinutes: 120,
        CopyActions: [{ DestinationBackupVaultArn: { 'Fn::Join': ['', ['arn:aws:backup:eu-central-1:', account, ':backup-vault:dr']] } }],
      }]),
      Sel: selection({
        SelectionName: 's',
        Resources: [{ 'Fn::Join': ['', ['arn:aws:rds:eu-west-1:', account, ':db:orders']] }],
        ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup', ConditionValue: 'yes' }],
      }),
    }));

    const [path] = found.paths;
    expect(path.endpoints.map((e) => [e.label, e.region])).toEqual([['orders, Sel-tagged', 'eu-west-1'], ['backup vault dr', 'eu-central-1']]);
    const restores = path.estimate._terms.filter((t) => t.kind.id === 'restore').map((t) => [t.id, t.max]);
    expect(restores).toEqual([
      ['restore-orders', STARTUP + 100 * rate(RecoveryAssumption.RDS_RESTORE_PER_GIB)],
      ['restore-Sel-tagged', STARTUP + 100 * SLOWEST_RATE],
    ]);
    expect(path.warnings[0]).toMatch(/^resources Sel selects by tags or conditions, whose service the template does not tell: .* slowest rate/);
    expect(path.warnings).toContain('RDS option groups are not copied: create the same option groups in eu-central-1 before restoring there.');
    // Every 2 hours; windows of 1 h and 2 h.
    expect(seconds(path)[1]).toBe(7200 + 3 * 3600 + COPY_TIME);
  });

  test('a schedule from a parameter without default: the slowest interval, with a warning; a rate() rule and a plan nothing selects are not analysed', () => {
    const found = backupPaths(template({
      Plan: plan([{ RuleName: 'param', ScheduleExpression: { Ref: 'Schedule' } }, { RuleName: 'rate', ScheduleExpression: 'rate(1 hour)' }]),
      Sel: selection({ SelectionName: 's', Resources: ['arn:aws:dynamodb:eu-west-1:111111111111:table/carts'] }),
      Alone: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'alone', BackupPlanRule: [{ RuleName: 'x' }] } } },
    }, { Schedule: { Type: 'String' } }));

    expect(found.paths.map((p) => [p.id, seconds(p)[1]])).toEqual([['backup-Plan-param-in-region', 366 * 86400 + (480 + 10080) * 60]]);
    expect(found.paths[0].warnings[0]).toBe('`ScheduleExpression` is not decided by the template (the parameter Schedule, which has no default): '
      + 'modeled at the slowest interval the model takes, 366 days.');
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['Plan', 'the rule rate: `ScheduleExpression` rate(1 hour) is a rate, which AWS Backup does not take (cron only)'],
      ['Alone', 'no AWS::Backup::BackupSelection of this template selects resources for this plan'],
    ]);
  });

  test('copies that cannot succeed are said: backups moved to cold storage before the copy, a Multi-AZ DB cluster\'s snapshots', () => {
    const found = backupPaths(template({
      Plan: plan([{
        RuleName: 'r',
        ScheduleExpression: 'cron(0 5 * * ? *)',
        CompletionWindowMinutes: 2880,
        Lifecycle: { MoveToColdStorageAfterDays: 1 },
        CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-central-1:111111111111:backup-vault:dr' }],
      }]),
      Sel: selection({ SelectionName: 's', Resources: ['arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-1', { 'Fn::GetAtt': ['Ledger', 'DBClusterArn'] }] }),
      Ledger: { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'postgres', DBClusterInstanceClass: 'db.m6gd.large' } },
    }));

    const warnings = found.paths[0].warnings;
    expect(warnings.filter((w) => w.startsWith('`MoveToColdStorageAfterDays` (1) comes before the backup window and the copy'))).toHaveLength(1);
    expect(warnings).toContain('Ledger: snapshots of a Multi-AZ DB cluster cannot be copied to another region, so these copy jobs fail; '
      + 'protect it across regions with a cross-region read replica.');
    // EFS and RDS, restored in parallel.
    expect(found.paths[0].estimate._terms.filter((t) => t.kind.id === 'restore').map((t) => t.id)).toEqual(['restore-fs-1', 'restore-Ledger']);
  });

  test('a continuous rule kept in the region says point-in-time restore may do better; a window from a parameter is not analysed', () => {
    const found = backupPaths(template({
      Plan: plan([
        { RuleName: 'pitr', EnableContinuousBackup: true, StartWindowMinutes: 60, CompletionWindowMinutes: 120 },
        { RuleName: 'open', CompletionWindowMinutes: { Ref: 'Window' } },
      ]),
      Sel: selection({ SelectionName: 's', Resources: ['arn:aws:s3:::orders'] }),
    }, { Window: { Type: 'Number' } }));

    const [path] = found.paths;
    expect(path.estimate._terms.find((t) => t.id === 'backup-schedule')!.basis).not.toMatch(/cross-Region copies/);
    expect(path.warnings[0]).toMatch(/^The rule is continuous: point-in-time restore in this region can recover writes made after the last scheduled backup/);
    expect(seconds(path)[1]).toBe(86400 + 3 * 3600);
    expect(found.notAnalysed.map((n) => n.reason)).toEqual([
      'the rule open: `CompletionWindowMinutes` is not decided by the template ({"Ref":"Window"}), and AWS Backup publishes no largest window to take instead',
    ]);
  });

  test('a negative window is refused by AWS Backup: the rule is not analysed, with the reason', () => {
    const found = backupPaths(template({
      Plan: plan([{ RuleName: 'early', StartWindowMinutes: -5 }, { RuleName: 'late', StartWindowMinutes: 60, CompletionWindowMinutes: '-1' }, { RuleName: 'ok' }]),
      Sel: selection({ SelectionName: 's', Resources: ['arn:aws:s3:::orders'] }),
    }));

    expect(found.paths.map((p) => p.name)).toEqual(['p rule ok (AWS Backup in eu-west-1, no copy to another region)']);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['Plan', 'the rule early: `StartWindowMinutes` is -5: a window is 0 minutes or more, so AWS Backup refuses this rule. Give a window of 0 minutes or more'],
      ['Plan', 'the rule late: `CompletionWindowMinutes` is -1: a window is 0 minutes or more, so AWS Backup refuses this rule. Give a window of 0 minutes or more'],
    ]);
  });

  test('selections that name no resource and no tags are no path: not analysed, with the reason', () => {
    const found = backupPaths(template({
      Plan: plan([{ RuleName: 'r' }]),
      Empty: selection({ SelectionName: 'e', Resources: [] }),
      Listed: selection({ SelectionName: 'l', Resources: { Ref: 'Arns' }, ListOfTags: [] }),
    }, { Arns: { Type: 'CommaDelimitedList' } }));

    expect(found.paths).toEqual([]);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['Plan', 'its selections name no resource the analysis can read, and select none by tags or conditions (Empty has no `Resources`; the `Resources` of '
        + 'Listed are the parameter Arns, which has no default, not a list the template decides). Give `Resources` a literal list of ARNs.'],
    ]);
  });

  test('odd shapes are skipped, never thrown', () => {
    const found = backupPaths(template({
      Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanRule: 'none' } } },
      Sel: { Type: 'AWS::Backup::BackupSelection', Properties: null },
      X: null,
    }));

    expect(found.paths).toEqual([]);
    expect(found.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['Plan', 'a backup plan without rules the analysis can read'],
      ['Sel', 'a selection for a backup plan that is not in this template: its plan\'s template models it'],
    ]);
  });
});

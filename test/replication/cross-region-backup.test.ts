import * as path from 'path';
import { App, Aspects, Duration, Lazy, RemovalPolicy, Size, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  BackupCopyVault, BackupService, CrossRegionBackup, CrossRegionBackupProps, RecoveryAssumptions, RecoveryObjectives,
} from '../../src';
import { readJson, testApp, testStack } from '../util';

const COPY_VAULT_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:us-west-2:111111111111:backup-vault:orders-dr']] };

function setup(app: App = testApp()) {
  const primary = testStack(app, 'Primary', 'us-east-1');
  const recovery = testStack(app, 'Recovery', 'us-west-2');
  const table = new dynamodb.TableV2(primary, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  return { app, primary, recovery, table };
}

function tableResource(table: dynamodb.ITableV2) {
  return { resource: backup.BackupResource.fromDynamoDbTable(table), service: BackupService.DYNAMODB, size: Size.gibibytes(20) };
}

function crossRegionBackup(stack: Stack, table: dynamodb.ITableV2, props: Partial<CrossRegionBackupProps> = {}): CrossRegionBackup {
  return new CrossRegionBackup(stack, 'Backup', {
    recoveryRegion: 'us-west-2',
    copyVaultName: 'orders-dr',
    resources: [tableResource(table)],
    ...props,
  });
}

function auroraCluster(stack: Stack, id: string, engine: string, instanceClass?: string): rds.CfnDBCluster {
  return new rds.CfnDBCluster(stack, id, { engine, dbClusterInstanceClass: instanceClass, storageEncrypted: true });
}

describe('CrossRegionBackup', () => {
  test('a daily plan copies to the vault in the recovery region, addressed by ARN, with no export', () => {
    // GIVEN
    const { primary, recovery, table } = setup();
    new BackupCopyVault(recovery, 'CopyVault', { backupVaultName: 'orders-dr' });

    // WHEN
    crossRegionBackup(primary, table);

    // THEN
    const t = Template.fromStack(primary);
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.stringLikeRegexp('^PrimaryBackup'),
        BackupPlanRule: [{
          RuleName: 'CrossRegionCopy',
          ScheduleExpression: 'cron(0 5 * * ? *)',
          StartWindowMinutes: 60,
          CompletionWindowMinutes: 480,
          Lifecycle: { DeleteAfterDays: 35 },
          CopyActions: [{ DestinationBackupVaultArn: COPY_VAULT_ARN, Lifecycle: { DeleteAfterDays: 35 } }],
          TargetBackupVault: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVault'), 'BackupVaultName'] },
        }],
      },
    });
    t.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] }] },
    });
    for (const stack of [primary, recovery]) {
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toMatch(/Fn::ImportValue/);
    }
  });

  test('the primary vault and its key are retained, encrypted, and deny deleting recovery points', () => {
    const { primary, table } = setup();
    crossRegionBackup(primary, table);
    const t = Template.fromStack(primary);
    t.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVaultKey'), 'Arn'] },
        AccessPolicy: { Statement: [{ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Principal: { AWS: '*' } }] },
      },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { Description: 'Encrypts the AWS Backup vault of Primary/Backup', EnableKeyRotation: true } });
  });

  test('failed, aborted, expired or partial backup jobs and failed copy jobs reach the encrypted topic through EventBridge', () => {
    const { primary, table } = setup();
    const b = crossRegionBackup(primary, table);
    const t = Template.fromStack(primary);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.backup'],
        'detail-type': ['Backup Job State Change'],
        'detail': { state: ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'], backupVaultName: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupVault'), 'BackupVaultName'] }] },
      },
      Targets: [{ Arn: { Ref: Match.stringLikeRegexp('^BackupAlarmTopic') } }],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'detail-type': ['Copy Job State Change'], 'detail': { state: ['FAILED', 'PARTIAL'], destinationBackupVaultArn: [COPY_VAULT_ARN] } },
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupAlarmTopicKey'), 'Arn'] } });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } })]) },
    });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    expect(b.failureRules).toHaveLength(2);
  });

  test('a given topic and vault are used, and the lifecycles and windows go to the rule', () => {
    const { primary, table } = setup();
    const topic = new sns.Topic(primary, 'Topic');
    const vault = new backup.BackupVault(primary, 'MyVault');
    const b = crossRegionBackup(primary, table, {
      alarmTopic: topic,
      backupVault: vault,
      schedule: events.Schedule.cron({ minute: '30', hour: '*/6' }),
      startWindow: Duration.hours(2),
      completionWindow: Duration.minutes(150),
      retention: Duration.days(200),
      moveToColdStorageAfter: Duration.days(30),
      copyRetention: Duration.days(400),
      copyMoveToColdStorageAfter: Duration.days(60),
    });
    expect([b.alarmTopic, b.backupVault]).toEqual([topic, vault]);
    const t = Template.fromStack(primary);
    t.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({
          ScheduleExpression: 'cron(30 */6 * * ? *)',
          StartWindowMinutes: 120,
          CompletionWindowMinutes: 150,
          Lifecycle: { DeleteAfterDays: 200, MoveToColdStorageAfterDays: 30 },
          CopyActions: [{ DestinationBackupVaultArn: COPY_VAULT_ARN, Lifecycle: { DeleteAfterDays: 400, MoveToColdStorageAfterDays: 60 } }],
        })],
      },
    });
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::Backup::BackupVault', 1);
  });

  test('cdk-nag (AWS Solutions) finds nothing in either region', () => {
    const { app, primary, recovery, table } = setup();
    new BackupCopyVault(recovery, 'CopyVault', { backupVaultName: 'orders-dr' });
    crossRegionBackup(primary, table);
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();
    for (const stack of [primary, recovery]) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-'))).toEqual([]);
    }
  });

  describe('report', () => {
    test('the backup-and-restore path: schedule, window and copy make the RPO; decision and restore the RTO', () => {
      // GIVEN
      const { app, primary, table } = setup();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(4), rpo: Duration.hours(48) });

      // WHEN
      crossRegionBackup(primary, table);
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      expect(report.paths).toHaveLength(1);
      const [p] = report.paths;
      expect(p).toMatchObject({
        id: 'Primary/Backup#backup-restore',
        kind: 'backup-restore',
        name: 'Backup (AWS Backup copy to us-west-2)',
        endpoints: [
          { role: 'primary', label: 'Table', region: 'us-east-1' },
          { role: 'replica', label: 'backup vault orders-dr', region: 'us-west-2' },
        ],
        rto: { bestSeconds: 1800, worstSeconds: 600 + 1800 + 20 * 30, objectiveSeconds: 14400, met: true, dominantTermId: 'restore-Table' },
        rpo: { worstSeconds: 86400 + 9 * 3600 + 14400, objectiveSeconds: 172800, met: true, applicable: true },
        warnings: [],
      });
      expect(p.terms.map((x: any) => [x.id, x.term, x.maxSeconds, x.assumption])).toEqual([
        ['backup-schedule', 'backupInterval', 86400, false],
        ['backup-window', 'backupInterval', 32400, false],
        ['backup-copy', 'copy', 14400, true],
        ['restore-decision', 'decision', 600, true],
        ['restore-Table', 'restore', 2400, true],
      ]);
      expect(p.terms[0].basis).toEqual('the longest gap between scheduled backups, cron(0 5 * * ? *): daily (longest gap 1 day) (UTC)');
    });

    test('resources restore in parallel: the slowest dominates the RTO', () => {
      const { app, primary, table } = setup();
      const aurora = auroraCluster(primary, 'Aurora', 'aurora-postgresql');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1) });
      crossRegionBackup(primary, table, {
        resources: [
          tableResource(table),
          { resource: backup.BackupResource.fromArn(aurora.attrDbClusterArn), service: BackupService.RDS, size: Size.gibibytes(500) },
        ],
      });
      expect(() => app.synth()).toThrow(/backup and restore of Backup \(AWS Backup copy to us-west-2\): modeled worst-case recovery time 206 min 40 s exceeds the RTO objective 60 min .* Dominant term: restore up to 196 min 40 s \(restore Aurora \(RDS\/Aurora snapshot, 500 GiB\): 1800 s start-up \+ 500 GiB x 20 s\/GiB/);
    });

    test('an RPO below a daily backup fails synth, naming the backup interval and how to shorten it', () => {
      // GIVEN
      const { app, primary, table } = setup();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(4), rpo: Duration.hours(24) });

      // WHEN
      crossRegionBackup(primary, table);

      // THEN
      expect(() => app.synth()).toThrow(new RegExp('\\[Primary/Backup\\] backup and restore of Backup \\(AWS Backup copy to us-west-2\\): '
        + 'modeled worst-case data loss 2220 min exceeds the RPO objective 1440 min \\(declared at Objectives\\)\\. '
        + 'Dominant term: backup interval up to 1440 min \\(the longest gap between scheduled backups, cron\\(0 5 \\* \\* \\? \\*\\): daily .*\\)\\. '
        + 'Fix: back up more often \\(`schedule`, at most hourly\\)'));
    });

    test('an hourly schedule with measured copy time meets a 4 h RPO', () => {
      const { app, primary, table } = setup();
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(4), rpo: Duration.hours(4) });
      const b = crossRegionBackup(primary, table, {
        schedule: events.Schedule.cron({ minute: '0' }),
        completionWindow: Duration.hours(1),
        assumptions: { backupCopyTime: Duration.minutes(30) },
      });
      expect(b.estimate.rpoWorst?.toSeconds()).toEqual(3600 + 7200 + 1800);
      expect(() => app.synth()).not.toThrow();
    });

    test('assumptions come from the construct, else from the nearest RecoveryAssumptions', () => {
      const { app, primary, table } = setup();
      new RecoveryAssumptions(app, 'Assumptions', { values: { restoreStartup: Duration.minutes(10), dynamoDbRestorePerGiB: Duration.seconds(6) } });
      const b = crossRegionBackup(primary, table, { assumptions: { operatorResponse: Duration.minutes(2) } });
      expect(b.estimate.rtoWorst?.toSeconds()).toEqual(120 + 600 + 20 * 6);
      const restore = b.estimate.terms.find((x) => x.id === 'restore-Table')!;
      expect(restore.assumption).toBe(false);
    });

    test('a time zone with daylight saving stretches a gap by an hour', () => {
      const { primary, table } = setup();
      const b = crossRegionBackup(primary, table, { scheduleTimezone: TimeZone.EUROPE_LONDON });
      const schedule = b.estimate.terms.find((x) => x.id === 'backup-schedule')!;
      expect(schedule.max.toSeconds()).toEqual(86400 + 3600);
      expect(schedule.basis).toMatch(/in Europe\/London, plus 1 h for a daylight-saving change/);
    });
  });

  describe('warnings', () => {
    test('a resource without a size is modeled at 100 GiB, with a warning', () => {
      const { primary, table } = setup();
      const b = crossRegionBackup(primary, table, { resources: [{ ...tableResource(table), size: undefined }] });
      Annotations.fromStack(primary).hasWarning('/Primary/Backup', Match.stringLikeRegexp('`resources\\[0\\].size` is not given, so the restore time of Table is modeled at 100 GiB'));
      expect(b.estimate.terms.find((x) => x.id === 'restore-Table')!.max.toSeconds()).toEqual(1800 + 100 * 30);
    });

    test('continuous backups: the copies have no point-in-time restore', () => {
      const { primary, table } = setup();
      const b = crossRegionBackup(primary, table, { continuousBackup: true, retention: Duration.days(35) });
      Annotations.fromStack(primary).hasWarning('/Primary/Backup', Match.stringLikeRegexp('copies in us-west-2 are snapshots taken on the schedule, without point-in-time restore'));
      expect(b.recoveryPaths()[0].warnings).toHaveLength(1);
      Template.fromStack(primary).hasResourceProperties('AWS::Backup::BackupPlan', { BackupPlan: { BackupPlanRule: [Match.objectLike({ EnableContinuousBackup: true })] } });
    });

    test('RDS resources: option groups are not copied (a path warning)', () => {
      const { primary } = setup();
      const aurora = auroraCluster(primary, 'Aurora', 'aurora-mysql');
      const b = new CrossRegionBackup(primary, 'Backup', {
        recoveryRegion: 'us-west-2',
        copyVaultName: 'orders-dr',
        resources: [{ resource: backup.BackupResource.fromConstruct(aurora), service: BackupService.RDS, size: Size.gibibytes(1) }],
      });
      expect(b.recoveryPaths()[0].warnings).toEqual(['RDS option groups are not copied: create the same option groups in us-west-2 before restoring there.']);
    });

    test.each([
      ['a deploy-time schedule', events.Schedule.expression(`cron(${Lazy.string({ produce: () => '0 5 * * ? *' })})`), /`schedule` is only known at deploy time/],
      ['a schedule with #', events.Schedule.expression('cron(0 5 ? * 6#3 *)'), /the model cannot read `schedule` cron\(0 5 \? \* 6#3 \*\): the day-of-week field "6#3" uses L, W or #/],
    ])('%s is modeled at the slowest interval, 366 days, with a warning', (_, schedule, message) => {
      const { primary, table } = setup();
      const b = crossRegionBackup(primary, table, { schedule });
      Annotations.fromStack(primary).hasWarning('/Primary/Backup', Match.stringLikeRegexp(message.source));
      const term = b.estimate.terms.find((x) => x.id === 'backup-schedule')!;
      expect([term.max.toDays(), term.assumption]).toEqual([366, true]);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<CrossRegionBackupProps>, RegExp]>([
      ['the recovery region is this region', { recoveryRegion: 'us-east-1' }, /`recoveryRegion` is us-east-1, the region of this stack: a copy in the same region does not survive/],
      ['the recovery region is no region', { recoveryRegion: 'west' }, /`recoveryRegion` must be a region name such as `us-west-2`, got: "west"/],
      ['the recovery region is in another partition', { recoveryRegion: 'cn-north-1' }, /`recoveryRegion` cn-north-1 is in partition aws-cn, but this stack's region us-east-1 is in aws/],
      ['the recovery region is a Token', { recoveryRegion: Lazy.string({ produce: () => 'us-west-2' }) }, /`recoveryRegion` is a deploy-time Token, but the copy action names the vault by its region/],
      ['the copy vault name is too short', { copyVaultName: 'x' }, /`copyVaultName` must be 2 to 50 letters, digits, hyphens or underscores, got: "x"/],
      ['the copy vault name has a dot', { copyVaultName: 'orders.dr' }, /`copyVaultName` must be 2 to 50 letters/],
      ['no resources', { resources: [] }, /`resources` must hold at least one resource, got none/],
      ['a rate schedule', { schedule: events.Schedule.rate(Duration.hours(1)) }, /`schedule` must be a cron expression, got: rate\(1 hour\)\. AWS Backup takes no rate\(\)/],
      ['a schedule more often than hourly', { schedule: events.Schedule.cron({ minute: '0/30' }) }, /`schedule` runs 30 minutes apart at times, got: cron\(0\/30 \* \* \* \? \*\)\. AWS Backup runs a rule at most hourly/],
      ['a schedule that is a Token', { schedule: events.Schedule.expression(Lazy.string({ produce: () => 'cron(0 5 * * ? *)' })) }, /`schedule` is a deploy-time Token, but AWS Backup takes cron expressions only/],
      ['a schedule that never runs', { schedule: events.Schedule.cron({ minute: '0', hour: '0', day: '30', month: '2' }) }, /`schedule` is not a valid schedule: the expression never runs/],
      ['a start window under an hour', { startWindow: Duration.minutes(30) }, /`startWindow` must be whole seconds from 3600 to \d+, got: 30 minutes\. Give at least Duration\.hours\(1\)/],
      ['a completion window of fractional minutes', { completionWindow: Duration.seconds(3630) }, /`completionWindow` must be whole minutes, got: 1 hour 30 seconds/],
      ['a deploy-time window', { startWindow: Duration.minutes(Lazy.number({ produce: () => 60 })) }, /`startWindow` is a deploy-time Token, but the recovery model counts it in the RPO/],
      ['a retention of hours', { retention: Duration.hours(36) }, /`retention` must be whole days from 1 to 36500, got: 1 day 12 hours/],
      ['a continuous retention over 35 days', { continuousBackup: true, retention: Duration.days(40) }, /`retention` must be whole days from 1 to 35, got: 40 days/],
      ['cold storage with continuous backups', { continuousBackup: true, moveToColdStorageAfter: Duration.days(1), retention: Duration.days(35) }, /`moveToColdStorageAfter` cannot be set with `continuousBackup`/],
      ['cold storage without 90 days there', { moveToColdStorageAfter: Duration.days(30), retention: Duration.days(100) }, /`retention` must be at least 90 days after `moveToColdStorageAfter` \(30 days\), got: 100 days\. AWS Backup keeps a recovery point in cold storage for 90 days at least: keep it 120 days or more/],
      ['copies in cold storage without 90 days there', { copyMoveToColdStorageAfter: Duration.days(10) }, /`copyRetention` must be at least 90 days after `copyMoveToColdStorageAfter` \(10 days\), got: 35 days \(not given: the copies keep `retention`\)/],
      ['an explicit copy retention too short for cold storage', { copyRetention: Duration.days(50), copyMoveToColdStorageAfter: Duration.days(10) }, /`copyRetention` must be at least 90 days after `copyMoveToColdStorageAfter`/],
      ['cold storage before the copy lands', { moveToColdStorageAfter: Duration.days(1), retention: Duration.days(100), completionWindow: Duration.hours(20) }, /`moveToColdStorageAfter` \(1 days\) must be later than the backup window and the copy time \(90000 s\): a backup in cold storage cannot be copied to another region/],
      ['an assumption the construct does not use', { assumptions: { s3ReplicationLag: Duration.minutes(1) } }, /`assumptions` sets "s3ReplicationLag", which this construct does not use; it uses: backupCopyTime, operatorResponse, restoreStartup, dynamoDbRestorePerGiB/],
    ])('fails when %s', (_, props, message) => {
      const { primary, table } = setup();
      expect(() => crossRegionBackup(primary, table, props)).toThrow(message);
    });

    test('fails with every problem at once, starting with the construct path', () => {
      const { primary, table } = setup();
      expect(() => crossRegionBackup(primary, table, { recoveryRegion: 'us-east-1', copyVaultName: 'x', retention: Duration.hours(1) }))
        .toThrow(/^Primary\/Backup: 3 problems:\n {2}- `recoveryRegion`[\s\S]*\n {2}- `copyVaultName`[\s\S]*\n {2}- `retention`/);
    });

    test('fails when a Multi-AZ DB cluster is selected, by construct or by its ARN: its snapshots cannot be copied', () => {
      const { primary } = setup();
      const cluster = auroraCluster(primary, 'Cluster', 'postgres', 'db.m6gd.large');
      const selections = [
        backup.BackupResource.fromConstruct(cluster),
        backup.BackupResource.fromArn(cluster.attrDbClusterArn),
        backup.BackupResource.fromRdsDatabaseCluster(cluster),
      ];
      selections.forEach((resource, i) => {
        expect(() => new CrossRegionBackup(primary, `Backup${i}`, {
          recoveryRegion: 'us-west-2', copyVaultName: 'orders-dr', resources: [{ resource, service: BackupService.RDS, size: Size.gibibytes(1) }],
        })).toThrow(/`resources\[0\]\.resource` selects Primary\/Cluster, a Multi-AZ DB cluster: AWS Backup cannot copy its snapshots to another region/);
      });
    });

    test('fails when the service is not the resource\'s, by construct or literal ARN', () => {
      const { primary, table } = setup();
      expect(() => crossRegionBackup(primary, table, { resources: [{ ...tableResource(table), service: BackupService.RDS }] }))
        .toThrow(/`resources\[0\]\.service` is rds, but the resource Table is dynamodb: the restore rate would be the wrong one/);
      const arn = 'arn:aws:elasticfilesystem:us-east-1:111111111111:file-system/fs-0123456789abcdef0';
      expect(() => new CrossRegionBackup(primary, 'Arn', {
        recoveryRegion: 'us-west-2', copyVaultName: 'orders-dr', resources: [{ resource: backup.BackupResource.fromArn(arn), service: BackupService.EBS }],
      })).toThrow(/`resources\[0\]\.service` is ebs, but the resource fs-0123456789abcdef0 is efs/);
    });

    test('fails when two resources share a name, or a name or size is unusable', () => {
      const { primary, table } = setup();
      expect(() => crossRegionBackup(primary, table, {
        resources: [tableResource(table), tableResource(table), { ...tableResource(table), name: 'has space' }, { ...tableResource(table), name: 'Big', size: Size.gibibytes(Lazy.number({ produce: () => 1 })) }],
      })).toThrow(/3 problems:[\s\S]*`resources\[2\]\.name` must be 1 to 64 letters[\s\S]*`resources\[3\]\.size` is a deploy-time Token, but the restore model needs it at synth[\s\S]*`resources\[1\]` is named "Table" like an earlier resource/);
    });

    test('tags and literal ARNs name their resources', () => {
      const { primary } = setup();
      const b = new CrossRegionBackup(primary, 'Backup', {
        recoveryRegion: 'us-west-2',
        copyVaultName: 'orders-dr',
        resources: [
          { resource: backup.BackupResource.fromTag('backup', 'dr'), service: BackupService.EBS, size: Size.gibibytes(8) },
          { resource: backup.BackupResource.fromArn('arn:aws:s3:::orders-bucket'), service: BackupService.S3, size: Size.gibibytes(8) },
        ],
      });
      expect(b.estimate.terms.filter((x) => x.kind.id === 'restore').map((x) => x.id)).toEqual(['restore-tag-backup-dr', 'restore-orders-bucket']);
    });

    test('an S3 resource gives the selection role AWS Backup\'s S3 policy, which its general policy lacks; without S3 the role has only the general one', () => {
      // GIVEN
      const { primary, table } = setup();
      const withS3 = new CrossRegionBackup(primary, 'WithS3', {
        recoveryRegion: 'us-west-2',
        copyVaultName: 'orders-dr',
        resources: [{ resource: backup.BackupResource.fromArn('arn:aws:s3:::orders-bucket'), service: BackupService.S3, size: Size.gibibytes(8) }],
      });
      const withoutS3 = crossRegionBackup(primary, table);

      // THEN
      const policies = (b: CrossRegionBackup) => JSON.stringify(primary.resolve((b.selection.node.findChild('Role').node.defaultChild as iam.CfnRole).managedPolicyArns));
      expect(policies(withS3)).toContain(':iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup');
      expect(policies(withS3)).toContain(':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup');
      expect(policies(withoutS3)).not.toContain('S3Backup');
    });
  });
});

describe('CrossRegionBackup and its copy vault', () => {
  test('a copy vault name that no BackupCopyVault of the app carries is a warning; the matching vault silences it', () => {
    // GIVEN
    const { app, primary, recovery, table } = setup();
    const typo = crossRegionBackup(primary, table, { copyVaultName: 'orders-dr-typo' });
    new BackupCopyVault(recovery, 'CopyVault', { backupVaultName: 'orders-dr' });
    const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'us-east-1' } });
    const right = crossRegionBackup(other, new dynamodb.TableV2(other, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }), { copyVaultName: 'orders-dr' });

    // WHEN
    app.synth();

    // THEN
    Annotations.fromStack(primary).hasWarning(`/${typo.node.path}`, Match.stringLikeRegexp(
      '`copyVaultName` is orders-dr-typo, but no BackupCopyVault of that name is in this app: copy jobs fail unless a vault of that name exists in us-west-2.*cdk-failover:backup-copy-vault-not-in-app'));
    Annotations.fromStack(other).hasNoWarning(`/${right.node.path}`, Match.stringLikeRegexp('backup-copy-vault-not-in-app'));
  });
});

describe('BackupCopyVault', () => {
  test('a named vault with its own rotated key, both retained, deleting copies denied', () => {
    // GIVEN
    const { recovery } = setup();

    // WHEN
    const vault = new BackupCopyVault(recovery, 'CopyVault', { backupVaultName: 'orders-dr' });

    // THEN
    const t = Template.fromStack(recovery);
    t.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        BackupVaultName: 'orders-dr',
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CopyVaultKey'), 'Arn'] },
        AccessPolicy: { Statement: [{ Effect: 'Deny', Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'], Principal: { AWS: '*' }, Resource: '*' }] },
      },
    });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(recovery.resolve(vault.backupVaultArn)).toEqual(COPY_VAULT_ARN);
    expect(vault.backupVaultName).toEqual('orders-dr');
  });

  test('a vault lock, an own key, no deny policy and another removal policy are passed on', () => {
    const { recovery } = setup();
    const key = new kms.Key(recovery, 'MyKey');
    new BackupCopyVault(recovery, 'CopyVault', {
      backupVaultName: 'orders-dr',
      encryptionKey: key,
      blockRecoveryPointDeletion: false,
      lockConfiguration: { minRetention: Duration.days(7), maxRetention: Duration.days(400), changeableFor: Duration.days(3) },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const t = Template.fromStack(recovery);
    t.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Delete',
      Properties: {
        AccessPolicy: Match.absent(),
        EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] },
        LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 400, ChangeableForDays: 3 },
      },
    });
    t.resourceCountIs('AWS::KMS::Key', 1);
  });

  test.each([
    ['a name too long', 'x'.repeat(51), /`backupVaultName` must be 2 to 50 letters, digits, hyphens or underscores/],
    ['a deploy-time name', Lazy.string({ produce: () => 'orders-dr' }), /`backupVaultName` is a deploy-time Token, but the other region addresses the vault by its name/],
  ])('fails with %s', (_, backupVaultName, message) => {
    const { recovery } = setup();
    expect(() => new BackupCopyVault(recovery, 'CopyVault', { backupVaultName })).toThrow(message);
  });
});

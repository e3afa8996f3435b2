import * as fc from 'fast-check';
import { backupPaths } from '../../src/analyze/private/backup';
import { databasePaths } from '../../src/analyze/private/databases';
import { LoadedTemplate } from '../../src/analyze/private/templates';

const TYPES = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::GlobalCluster', 'AWS::RDS::DBClusterParameterGroup', 'AWS::RDS::DBProxyTargetGroup',
  'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection', 'AWS::DynamoDB::Table'];
const ref = fc.record({ Ref: fc.constantFrom('A', 'B', 'C', 'P', 'AWS::Region', 'AWS::AccountId', 'Nope') });
const value = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(true, 'true', false, 'aurora-postgresql', 'mysql', 'serverless', 'db.m6gd.large', 'g1', 'cron(0 5 ? * * *)', 'cron(0 * * * ? *)', 'rate(1 hour)', 60, '30'),
  ref,
  fc.record({ 'Fn::GetAtt': fc.tuple(fc.constantFrom('A', 'B', 'C'), fc.constantFrom('Arn', 'DBClusterArn', 'BackupPlanId')) }),
  fc.record({ 'Fn::If': fc.tuple(fc.constant('Cond'), fc.anything({ maxDepth: 1 }), fc.anything({ maxDepth: 1 })) }),
  fc.record({ 'Fn::Join': fc.tuple(fc.constant(''), fc.array(fc.oneof(fc.constantFrom('arn:aws:backup:us-west-2:', ':backup-vault:v', 'arn:aws:rds:us-east-1:', ':db:x'), ref))) }),
);
const schedule = fc.constantFrom('cron(0 5 ? * * *)', 'cron(0 * * * ? *)', 'cron(0 5 L * ? *)', 'rate(1 hour)', 'cron(0 5 * * ? 2030)');
const rule = fc.record({
  RuleName: value,
  ScheduleExpression: fc.oneof(schedule, value),
  StartWindowMinutes: value,
  CompletionWindowMinutes: value,
  EnableContinuousBackup: value,
  Lifecycle: fc.oneof(fc.record({ MoveToColdStorageAfterDays: value }), value),
  CopyActions: fc.oneof(fc.array(fc.record({ DestinationBackupVaultArn: value })), value),
}, { requiredKeys: [] });
const properties = fc.dictionary(
  fc.constantFrom('MultiAZ', 'Engine', 'EngineMode', 'DBClusterIdentifier', 'DBInstanceIdentifier', 'DBClusterInstanceClass', 'GlobalClusterIdentifier',
    'SourceDBClusterIdentifier', 'MasterUsername', 'DBClusterParameterGroupName', 'Parameters', 'DBInstanceIdentifiers', 'DBClusterIdentifiers',
    'BackupPlanId', 'SourceDBInstanceIdentifier'),
  value, { maxKeys: 6 },
);
const generic = fc.record({ Type: fc.constantFrom(...TYPES), Condition: fc.constant('Cond'), Properties: fc.oneof(properties, fc.anything({ maxDepth: 1 })) },
  { requiredKeys: ['Type'] });
const plan = fc.record({
  Type: fc.constant('AWS::Backup::BackupPlan'),
  Properties: fc.record({
    BackupPlan: fc.record({ BackupPlanName: value, BackupPlanRule: fc.oneof(fc.array(rule, { maxLength: 2 }), value) }, { requiredKeys: [] }),
  }),
});
const selection = fc.record({
  Type: fc.constant('AWS::Backup::BackupSelection'),
  Properties: fc.record({
    BackupPlanId: fc.oneof(fc.record({ Ref: fc.constantFrom('A', 'B', 'C') }), value),
    BackupSelection: fc.record({ Resources: fc.array(value, { maxLength: 3 }), ListOfTags: value }, { requiredKeys: [] }),
  }),
});
const resource = fc.oneof(generic, plan, selection);

test('any database or backup template, well formed or not, gives paths with finite figures or reasons, never an error', () => {
  fc.assert(fc.property(fc.dictionary(fc.constantFrom('A', 'B', 'C'), resource), fc.option(fc.constantFrom('us-east-1')), (resources, region) => {
    const t: LoadedTemplate = { name: 'Fuzz', file: 'fuzz.json', region: region ?? undefined, template: { Parameters: { P: { Default: 'g1' } }, Resources: resources as any } };
    for (const found of [databasePaths(t), backupPaths(t)]) {
      for (const p of found.paths) {
        expect(p.estimate._terms.every((term) => Number.isFinite(term.min) && Number.isFinite(term.max) && term.min <= term.max)).toBe(true);
        expect(found.resources[p.id].length).toBeGreaterThan(0);
      }
      expect(found.notAnalysed.every((n) => n.reason.length > 0)).toBe(true);
    }
  }), { numRuns: 300, seed: 1515 });
});

/**
 * The analysis of templates written by others, second part: Global Accelerator, AWS Backup, Aurora
 * and RDS, two of them in YAML (fixtures/SOURCES.md). Every figure is derived here from the
 * fixture's own settings through the model functions the library's constructs use.
 */
import * as fs from 'fs';
import * as path from 'path';
import { files, figures, FIXTURES, largest, ofType, template } from './third-party';
import { analyse, renderAnalysis } from '../../src/analyze/private/analysis';
import { parseYamlTemplate } from '../../src/analyze/private/yaml-template';
import { RecoveryAssumption } from '../../src/objectives/assumptions';
import { globalFailover, globalSwitchover } from '../../src/objectives/model/aurora-global';
import { backupRestore, DEFAULT_RESTORE_SIZE_GIB, restoreTerm, scheduleGap } from '../../src/objectives/model/backup';
import { ofTerms, parallel, series, totals } from '../../src/objectives/model/compose';
import { databaseFailover } from '../../src/objectives/model/rds';

/** A YAML fixture, read by the analysis' own YAML reader, to read its settings. */
function yamlTemplate(fixture: string, file: string): any {
  const parsed = parseYamlTemplate(fs.readFileSync(path.join(FIXTURES, fixture, file), 'utf8'));
  if (!('value' in parsed)) {
    throw new Error(parsed.reason);
  }
  return parsed.value;
}

describe('aws-cdk-lib snapshot: Global Accelerator endpoints (integ.globalaccelerator-endpoints)', () => {
  test('one endpoint group, in the stack\'s own region: no other region to fail over to, and the report says so', () => {
    // GIVEN
    const fixture = 'globalaccelerator-endpoints';
    const t = template(fixture, 'global-accelerator-endpoints2.template.json');
    const groups = ofType(t, 'AWS::GlobalAccelerator::EndpointGroup');
    expect(groups.map((g) => t.Resources[g].Properties.EndpointGroupRegion)).toEqual([{ Ref: 'AWS::Region' }]);
    const listener = t.Resources[groups[0]].Properties.ListenerArn['Fn::GetAtt'][0];

    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(a.report.paths).toEqual([]);
    expect(a.notAnalysed).toEqual([{
      stack: 'global-accelerator-endpoints2',
      logicalId: groups[0],
      type: 'AWS::GlobalAccelerator::EndpointGroup',
      reason: `the only endpoint group (with an endpoint of weight above 0) of the listener ${listener}: Global Accelerator has no other Region `
        + 'to send its traffic to. Add an endpoint group in another Region to the listener.',
    }]);
    expect(a.unread).toEqual([]);
  });
});

describe('aws-cdk-lib snapshot: AWS Backup plans (integ.backup)', () => {
  const fixture = 'backup-plan-copy-actions';
  const t = template(fixture, 'cdk-backup.template.json');

  test('one path per rule of the selected plan; the copy to a vault of the same template stays in this region', () => {
    // GIVEN: the plan a selection names, its rules, and what the selection names (a table, a file system) besides its tag conditions.
    const [selectionId] = ofType(t, 'AWS::Backup::BackupSelection');
    const planId: string = t.Resources[selectionId].Properties.BackupPlanId['Fn::GetAtt'][0];
    const rules: any[] = t.Resources[planId].Properties.BackupPlan.BackupPlanRule;
    const copies = rules.flatMap((r) => r.CopyActions ?? []).map((c: any) => t.Resources[c.DestinationBackupVaultArn['Fn::GetAtt'][0]].Type);
    expect(copies).toEqual(['AWS::Backup::BackupVault']); // a vault of this stack: the same region
    expect(t.Resources[selectionId].Properties.BackupSelection.Conditions).toBeDefined();
    const [table] = ofType(t, 'AWS::DynamoDB::Table');
    const [fileSystem] = ofType(t, 'AWS::EFS::FileSystem');

    // WHEN
    const a = analyse(files(fixture));

    // THEN: the data lost is the longest gap of the schedule plus the windows AWS Backup defaults to (start 8 h, completion 7 days;
    // the rules set neither); the restore is the decision, then the restores in parallel, each of 100 GiB: the table (DynamoDB),
    // the file system (EFS), and what the tag conditions select, at the slowest rate the model takes (DynamoDB's).
    const window = (8 * 60 + 7 * 24 * 60) * 60;
    const restores = parallel([
      { name: table, service: 'dynamodb' as const },
      { name: fileSystem, service: 'efs' as const },
      { name: `${selectionId}-tagged`, service: 'dynamodb' as const },
    ].map((s) => ofTerms([restoreTerm({ ...s, sizeGiB: DEFAULT_RESTORE_SIZE_GIB, defaultSize: true })])));
    const expected = rules.map((rule) => {
      // No ScheduleExpression: AWS Backup's own default, cron(0 5 ? * * *) (docs/aws-facts.md, AWS Backup).
      const gap = scheduleGap(rule.ScheduleExpression ?? 'cron(0 5 ? * * *)');
      const interval = gap.kind === 'known' ? gap.longest : NaN;
      const data = backupRestore({ interval, intervalBasis: '', intervalAssumed: false, window, continuous: false })
        .filter((term) => term.id !== 'backup-copy'); // restored from this region's vaults: no copy on the path
      const model = totals(series([ofTerms(data), restores]));
      return {
        id: `cdk-backup#backup-${planId}-${rule.RuleName}-in-region`,
        name: `Plan rule ${rule.RuleName} (AWS Backup in this region, no copy to another region)`,
        rtoBest: model.rtoMin,
        rtoWorst: model.rtoMax,
        rpoWorst: model.rpoMax,
        dominant: model.dominant?.id,
        dominantData: model.dominantData?.id,
        warnings: [
          expect.stringMatching(`^resources ${selectionId} selects by tags or conditions, whose service the template does not tell`),
          `A template gives no data sizes: each restore is modeled at ${DEFAULT_RESTORE_SIZE_GIB} GiB.`,
          expect.stringMatching(/^The backups stay in this region: they are lost with it\. Add a `CopyActions` entry/),
        ],
      };
    });
    expect(figures(a)).toEqual(expected);
    // By hand: daily, weekly, monthly (31 days at the longest), the copy rule (no schedule: daily), the last (monthly), each + the windows.
    expect(expected.map((e) => e.rpoWorst)).toEqual([1, 7, 31, 1, 31].map((days) => days * 86400 + window));
    // The windows (7 days 8 h) outweigh a daily or weekly gap; a month outweighs them.
    expect(expected.map((e) => e.dominantData)).toEqual(['backup-window', 'backup-window', 'backup-schedule', 'backup-window', 'backup-schedule']);
    expect(expected[0].dominant).toEqual(`restore-${table}`);
  });

  test('the plan no selection names is not analysed, and says why', () => {
    // GIVEN
    const plans = ofType(t, 'AWS::Backup::BackupPlan');
    const selected = ofType(t, 'AWS::Backup::BackupSelection').map((s) => t.Resources[s].Properties.BackupPlanId['Fn::GetAtt'][0]);
    const [unselected] = plans.filter((p) => !selected.includes(p));

    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(a.notAnalysed).toEqual([{
      stack: 'cdk-backup', logicalId: unselected, type: 'AWS::Backup::BackupPlan', reason: 'no AWS::Backup::BackupSelection of this template selects resources for this plan',
    }]);
    expect(a.unread).toEqual([]);
  });
});

describe('aws-cdk-lib snapshot: Aurora clusters, one replicating from the other (integ.cluster-replication)', () => {
  test('each cluster has its writer only: Aurora recreates it, up to 10 minutes', () => {
    // GIVEN: two Aurora MySQL clusters, one DB instance each.
    const fixture = 'aurora-cluster-replication';
    const t = template(fixture, 'cluster-replication.template.json');
    const clusters = ofType(t, 'AWS::RDS::DBCluster');
    const members = (c: string) => ofType(t, 'AWS::RDS::DBInstance').filter((i) => t.Resources[i].Properties.DBClusterIdentifier.Ref === c);
    expect(clusters.map((c) => members(c).length)).toEqual([1, 1]);
    expect(t.Resources[clusters[1]].Properties.ReplicationSourceIdentifier).toBeDefined(); // binlog replication from the first

    // WHEN
    const a = analyse(files(fixture));

    // THEN: no replica (1 instance - the writer), as MultiAzDatabase with DatabaseTopology.aurora({ readers: 0 }) models it.
    const terms = databaseFailover({ mode: 'aurora', replicas: 0, proxy: false });
    const model = totals(ofTerms(terms));
    expect(figures(a)).toEqual(clusters.map((c) => ({
      id: `cluster-replication#failover-${c}`,
      name: `${c} (Aurora, ${t.Resources[c].Properties.Engine})`,
      rtoBest: model.rtoMin,
      rtoWorst: model.rtoMax,
      rpoWorst: 0, // six copies in three AZs, committed on a quorum
      dominant: largest(terms).id,
      dominantData: 'aurora-without-replica-data',
      warnings: [],
    })));
    expect(largest(terms)).toMatchObject({ id: 'aurora-without-replica-failover', max: 600 });
    expect(a.report.paths[0].totals.dominant?.remedy).toContain(`add an \`AWS::RDS::DBInstance\` whose \`DBClusterIdentifier\` is the AWS::RDS::DBCluster ${clusters[0]}`);
  });
});

describe('AWS sample (YAML): RDS MySQL with a read replica', () => {
  test('read: the instance is single-AZ by its parameter\'s default, the replica is not promoted by RDS; no path', () => {
    // GIVEN
    const fixture = 'rds-mysql-read-replica';
    const file = 'RDS_MySQL_With_Read_Replica.yaml';
    const t = yamlTemplate(fixture, file);
    expect(t.Resources.MainDB.Properties.MultiAZ).toEqual({ Ref: 'MultiAZ' });
    expect(t.Parameters.MultiAZ.Default).toEqual('false');
    expect(t.Resources.ReplicaDB.Properties.SourceDBInstanceIdentifier).toEqual({ Ref: 'MainDB' });

    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(a.unread).toEqual([]);
    expect(a.report.paths).toEqual([]);
    expect(a.notAnalysed.map((n) => [n.logicalId, n.reason])).toEqual([
      ['MainDB', 'single-AZ: no standby to fail over to; set `MultiAZ: true`'],
      ['ReplicaDB', 'a read replica of MainDB: RDS never promotes it by itself, and the promotion of a read replica is not analysed yet '
        + '(cdk-failover\'s CrossRegionReadReplica models it for a replica in another region)'],
    ]);
    expect(renderAnalysis(a).markdown).toContain('No recovery paths.');
  });
});

describe('AWS sample (YAML): Aurora global database deployed by a StackSet (route-53-application-recovery-controller)', () => {
  test('the cluster\'s failover and its global paths, each at the slowest the undecided parameters and conditions allow', () => {
    // GIVEN: the instances exist only under conditions on DBQuantity, a parameter without default; the global cluster is joined
    // only under the PrimaryRegion condition, which depends on the stack's region.
    const fixture = 'aurora-global-database';
    const t = yamlTemplate(fixture, 'stack-db.yml');
    const instances = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === 'AWS::RDS::DBInstance');
    expect(instances.map((i) => t.Resources[i].Condition)).toEqual(['CreateInstance1', 'CreateInstance2', 'CreateInstance3']);
    expect(t.Parameters.DBQuantity.Default).toBeUndefined();
    expect(t.Resources.DBCluster.Properties.GlobalClusterIdentifier['Fn::If'][0]).toEqual('PrimaryRegion');
    const group = t.Resources[t.Resources.DBCluster.Properties.DBClusterParameterGroupName.Ref].Properties.Parameters;
    expect(group['rds.global_db_rpo']).toBeUndefined(); // no managed RPO

    // WHEN
    const a = analyse(files(fixture));

    // THEN: no instance counted, so Aurora recreates the writer; the secondary is not in the template, so it is taken headless.
    const conditional = `${instances.join(', ')} exist only under a condition the template does not decide: not counted as replicas (the slowest case).`;
    const unseen = expect.stringMatching(/^The secondary clusters of a global cluster the template does not name \(Fn::If on the condition PrimaryRegion.* are not in this template/);
    const expected = [
      ['failover', databaseFailover({ mode: 'aurora', replicas: 0, proxy: false }), [conditional]],
      ['global-switchover', globalSwitchover({ headless: true }), [conditional, unseen]],
      ['global-failover', globalFailover({ headless: true }), [conditional, unseen]],
    ] as const;
    expect(figures(a).map(({ name, ...f }) => f)).toEqual(expected.map(([id, terms, warnings]) => {
      const model = totals(ofTerms(terms));
      return {
        id: `stack-db#${id}-DBCluster`,
        rtoBest: model.rtoMin,
        rtoWorst: model.rtoMax,
        rpoWorst: model.rpoMax,
        dominant: model.dominant?.id,
        dominantData: model.dominantData?.id,
        warnings,
      };
    }));
    // Committed writes survive the failover inside the region and the switchover; the failover with data loss loses the assumed lag.
    expect(a.report.paths.map((p) => p.totals.rpoMax)).toEqual([0, 0, RecoveryAssumption.AURORA_GLOBAL_LAG._defaultSeconds]);
    // The global cluster is the one the cluster joins under PrimaryRegion: modeled on the cluster, not reported as in other templates.
    expect(a.notAnalysed).toEqual([]);
    expect(a.unread).toEqual([]);
  });
});

import * as path from 'path';
import * as ts from 'typescript';

/**
 * The public API rules of STYLE.md that the compiler does not enforce, checked on the sources
 * reachable from src/index.ts: every optional prop documents its default, every prop is
 * readonly, every exported declaration has a doc comment.
 */
const program = ts.createProgram([path.join(__dirname, '..', 'src', 'index.ts')], { target: ts.ScriptTarget.ES2022 });
const checker = program.getTypeChecker();
const index = program.getSourceFile(path.join(__dirname, '..', 'src', 'index.ts'))!;
// TypeScript's symbol and modifier flags are bit sets.
/* eslint-disable no-bitwise */
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)
  .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s));
const isPrivate = (m: ts.ClassElement) => (ts.getCombinedModifierFlags(m as ts.Declaration) & ts.ModifierFlags.Private) !== 0;
/* eslint-enable no-bitwise */

function tags(node: ts.Node): string[] {
  return ts.getJSDocTags(node).map((t) => t.tagName.text);
}

function hasDoc(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).length > 0;
}

test('the public API exports what the README documents', () => {
  expect(exported.map((s) => s.getName()).sort()).toEqual([
    'AcceleratorEndpoint', 'AcceleratorEndpointKind', 'AcceleratorEndpointOptions', 'AcceleratorFailover', 'AcceleratorFailoverProps',
    'ActiveActiveOptions', 'ActiveRegion', 'ActiveRegionProps', 'AlarmHealthCheck', 'AlarmHealthCheckProps', 'AliasTargetOptions',
    'AuroraClusterFailoverOptions', 'AuroraFromSnapshotOptions', 'AuroraGlobalPrimaryOptions', 'AuroraGlobalSecondaryOptions', 'AuroraOptions',
    'AutoScalingTargetsOptions', 'AwaitDnsFailoverOptions', 'AwsHealthSignal', 'AwsHealthSignalProps', 'AzConnectivityLossOptions',
    'BackupAndRestoreOptions', 'BackupCopyVault', 'BackupCopyVaultProps', 'BackupService', 'CalculatedHealthCheck', 'CalculatedHealthCheckProps',
    'CheckerRegion', 'ConnectivityScope', 'CrossRegionBackup', 'CrossRegionBackupProps', 'CrossRegionBackupResource', 'CrossRegionReadReplica',
    'CrossRegionReadReplicaProps', 'DataPlaneSwitch', 'DataPlaneSwitchHealthCheck', 'DataPlaneSwitchHealthCheckProps', 'DataPlaneSwitchProps',
    'DatabaseAlarmThresholds', 'DatabaseResourceType', 'DatabaseTopology', 'DeleteMarkerReplication', 'DisasterRecovery', 'DisasterRecoveryProps',
    'DnsFailover', 'DnsFailoverProps', 'DnsProbeTargetOptions', 'DrillFault', 'DrillInjection', 'DrillMeasurement', 'DrillResults',
    'DrillResultsProps', 'DrillSummary', 'DrsDataPlaneRouting', 'DrsLaunchDisposition', 'DrsOsLicensing', 'DrsRecoveryInjectionOptions',
    'DrsRightSizing', 'DrsStagingDiskType', 'DynamoDbReplicationPauseOptions', 'ElasticDisasterRecovery', 'ElasticDisasterRecoveryProps',
    'EndpointHealthCheck', 'EndpointHealthCheckAttributes', 'EndpointHealthCheckProps', 'EndpointProtocol', 'EndpointRole', 'FailbackRunbook',
    'FailbackRunbookProps', 'FailoverDashboard', 'FailoverDashboardProps', 'FailoverDrill', 'FailoverDrillProps', 'FailoverReadiness', 'FailoverReadinessProps', 'FailoverRunbook',
    'FailoverRunbookProps', 'FailoverTarget', 'FailoverTargetOptions', 'FargateTargetsOptions', 'FaultOrder', 'Fence',
    'FenceAutoScalingGroupOptions', 'FenceEcsServiceOptions', 'FenceRoutingControlOptions', 'FisExperiment', 'FisExperimentProps',
    'FisExperimentReportOptions', 'FisInjectionOptions', 'GameDayOptions', 'GlobalTable', 'GlobalTableProps', 'HealthCheckInversionOptions',
    'HealthProbe', 'HealthProbeProps', 'HttpProbeTargetOptions', 'IModeledHealthCheck', 'IMultiAzDatabase', 'IMultiAzService', 'IProbeHealthCheck',
    'IRecoveryPathProvider', 'IRegionalWorkload', 'ManagedRpo', 'ManualApproval', 'ManualApprovalOptions', 'MeasureUntil', 'MeasuredRecovery',
    'MinimumHealthyTargets', 'ModeledAliasTargetOptions', 'ModeledHealthCheckBase', 'MultiAzClusterOptions', 'MultiAzDatabase',
    'MultiAzDatabaseAttributes', 'MultiAzDatabaseBase', 'MultiAzDatabaseProps', 'MultiAzInstanceOptions', 'MultiAzService',
    'MultiAzServiceAttributes', 'MultiAzServiceBase', 'MultiAzServiceProps', 'MultiSiteRecords', 'MultiSiteRecordsProps', 'MultiSiteRegion',
    'MultiSiteRouting', 'ObjectiveEnforcement', 'PathCost', 'PathEndpoint', 'ProbeAggregateOptions', 'ProbeDnsRecordType', 'ProbeTargetOptions',
    'PromoteAuroraGlobalOptions', 'PromoteData', 'PromoteReadReplicaOptions', 'RdsInstanceRebootOptions', 'RecoveryAssumption',
    'RecoveryAssumptions', 'RecoveryAssumptionsProps', 'RecoveryEstimate', 'RecoveryObjectives', 'RecoveryObjectivesProps', 'RecoveryPath',
    'RecoveryPathKind', 'RecoveryPathProps', 'RecoveryStrategy', 'RecoveryStrategyKind', 'RecoveryTerm', 'RecoveryTermKind', 'RegionMarkerHeader',
    'RegionRole', 'RegionSwitchPlan', 'RegionSwitchPlanProps', 'RegionalRecord', 'RegionalRecordProps', 'RegionalWorkloadContext',
    'RegionalWorkloadParts', 'ReplicatedBucket', 'ReplicatedBucketProps', 'ReplicationDestination', 'RoutingControlHealthCheck',
    'RoutingControlHealthCheckProps', 'RoutingControls', 'RoutingControlsProps', 'RpoGuard', 'RpoGuardAlarmOptions', 'RunbookInjectionOptions',
    'RunbookOptions', 'RunbookStep', 'RunbookStepRole', 'S3ReplicationPauseOptions', 'ScaleAutoScalingGroupOptions', 'ScaleCapacity',
    'ScaleEcsServiceOptions', 'ServiceHealthCheck', 'ServiceTargets', 'StandbyOptions', 'StandbyPricing', 'StrategyDatabaseOptions',
    'SwitchAcceleratorDialsOptions', 'SwitchDataPlaneOptions', 'SwitchRoutingControlsOptions', 'SwitchTraffic', 'TcpProbeTargetOptions',
    'TermMeasure', 'TlsProbeTargetOptions', 'VerifyHttpOptions', 'VerifyRecovery', 'WaitHealthy', 'WaitHealthyAlarmOptions',
    'WaitHealthyTargetGroupOptions', 'WeightedRoutingOptions', 'ZonalAutoshiftOptions',
  ]);
});

describe.each(exported.map((s) => [s.getName(), s] as const))('%s', (_, symbol) => {
  const declaration = symbol.declarations![0];

  test('has a doc comment', () => {
    expect(hasDoc(declaration)).toBe(true);
  });

  const props = ts.isInterfaceDeclaration(declaration) ? declaration.members.filter(ts.isPropertySignature) : [];
  if (props.length > 0) {
    test.each(props.map((m) => [m.name.getText(), m] as const))('prop %s is readonly, documented, with @default when optional', (name, member) => {
      expect(member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword)).toBe(true);
      expect(hasDoc(member)).toBe(true);
      if (member.questionToken) {
        expect({ name, tags: tags(member) }).toEqual({ name, tags: expect.arrayContaining(['default']) });
      }
    });
  }

  if (ts.isClassDeclaration(declaration)) {
    test('public members are documented; optional ones say their default', () => {
      const members = declaration.members.filter((m) => !isPrivate(m)
        && !ts.isConstructorDeclaration(m) && m.name !== undefined && !m.name.getText().startsWith('_'));
      for (const m of members) {
        expect({ member: m.name!.getText(), documented: hasDoc(m) }).toEqual({ member: m.name!.getText(), documented: true });
        if (ts.isPropertyDeclaration(m) && m.questionToken) {
          expect({ member: m.name.getText(), tags: tags(m) }).toEqual({ member: m.name.getText(), tags: expect.arrayContaining(['default']) });
        }
      }
    });
  }
});

/**
 * The failover and failback runbooks of the strategies that keep a replicated database: the
 * steps in the order that keeps one writer, with the scaling where the strategy needs it.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { BuiltRegion, RegionState, StrategyNames } from './region-pair';
import { FailbackRunbook } from '../../runbooks/failback-runbook';
import { FailoverRunbook } from '../../runbooks/failover-runbook';
import { RunbookStep } from '../../runbooks/runbook-step';
import { Fence } from '../../runbooks/steps/fence';
import { PromoteData } from '../../runbooks/steps/promote-data';
import { RpoGuard } from '../../runbooks/steps/rpo-guard';
import { ScaleCapacity } from '../../runbooks/steps/scale-capacity';
import { SwitchTraffic } from '../../runbooks/steps/switch-traffic';
import { WaitHealthy } from '../../runbooks/steps/wait-healthy';
import { RecoveryStrategyKind } from '../recovery-strategy';

/** The lag a failback waits under before it switches back: it loses nothing, so it only bounds the wait. */
const FAILBACK_LAG = Duration.seconds(5);

/** What the runbooks of a Region pair need. */
export interface RunbookInput {
  readonly kind: RecoveryStrategyKind;
  readonly names: StrategyNames;
  readonly primary: BuiltRegion;
  readonly recovery: BuiltRegion;
  /** The data-plane switches; none in active-active, where DNS moves traffic by itself. */
  readonly primaryState?: RegionState;
  readonly recoveryState?: RegionState;
  readonly maxLag: Duration;
}

/** The failover runbook in the recovery Region. */
export function failoverRunbook(input: RunbookInput): FailoverRunbook {
  const { names, primary, recovery, kind } = input;
  const full = recovery.parts.service.minCapacity;
  const steps: RunbookStep[] = [];
  const database = recovery.parts.database;
  if (database) {
    const lagAlarm = database.alarms.find((a) => a.node.id === 'GlobalLag')!;
    steps.push(
      // Refuses while the standby lags more than `maxLag` or reports nothing, unless the operator
      // accepts the loss ({ "allowDataLoss": true }).
      RpoGuard.alarm({ alarm: lagAlarm, maxLag: input.maxLag, source: `the ${names.appName} database` }),
      // No task of the old primary may write once the standby is promoted.
      Fence.ecsService({ clusterName: names.ecsCluster(primary.region), serviceName: names.service, region: primary.region }),
      PromoteData.auroraGlobalFailover({
        globalClusterIdentifier: names.globalCluster,
        clusterIdentifier: names.auroraCluster(recovery.region),
        primaryClusterIdentifier: names.auroraCluster(primary.region),
        primaryRegion: primary.region,
      }),
    );
  }
  const scale = ScaleCapacity.ecsService({ clusterName: names.ecsCluster(recovery.region), serviceName: names.service, desiredCount: full });
  const wait = WaitHealthy.targetGroup({ targetGroup: recovery.parts.service.targetGroup, minimumHealthy: full });
  const switchTo = input.recoveryState
    && SwitchTraffic.dataPlaneSwitch({ dataPlaneSwitch: input.recoveryState.dataPlaneSwitch, region: recovery.region });
  switch (kind) {
    case RecoveryStrategyKind.PILOT_LIGHT:
      steps.push(scale, wait, switchTo!);
      break;
    case RecoveryStrategyKind.WARM_STANDBY:
      // The standby serves at its reduced capacity from the switch on; full capacity follows.
      steps.push(switchTo!, scale);
      break;
    case RecoveryStrategyKind.HOT_STANDBY:
      steps.push(switchTo!);
      break;
    default:
      // Active-active: DNS already sends every client to the surviving Region.
      break;
  }
  return new FailoverRunbook(recovery.stack, 'Failover', {
    fromRegion: primary.region,
    stateMachineName: names.runbook('failover'),
    activeRegion: input.recoveryState?.activeRegion,
    steps,
  });
}

/** The failback runbook in the primary Region: planned, so the database switches over without loss. */
export function failbackRunbook(input: RunbookInput): FailbackRunbook {
  const { names, primary, recovery } = input;
  const full = primary.parts.service.minCapacity;
  const steps: RunbookStep[] = [];
  if (primary.parts.database) {
    // After a failover this Region's cluster is the secondary: its lag, as the failback's guard
    // reads it. No data (it is not replicating yet) refuses the failback.
    const lagAlarm = new cloudwatch.Alarm(primary.stack, 'FailbackLag', {
      alarmDescription: `The lag of ${names.auroraCluster(primary.region)} behind the global database's writer; OK when a switchover back loses nothing and waits little.`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName: 'AuroraGlobalDBRPOLag',
        dimensionsMap: { DBClusterIdentifier: names.auroraCluster(primary.region) },
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: FAILBACK_LAG.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    steps.push(
      RpoGuard.alarm({ alarm: lagAlarm, maxLag: FAILBACK_LAG, source: `the ${names.appName} database in ${primary.region}` }),
      PromoteData.auroraGlobalSwitchover({
        globalClusterIdentifier: names.globalCluster,
        clusterIdentifier: names.auroraCluster(primary.region),
        primaryClusterIdentifier: names.auroraCluster(recovery.region),
        primaryRegion: recovery.region,
      }),
    );
  }
  if (!input.primaryState) {
    // Active-active: the failover fenced this Region's service; it serves again once the writer is back.
    steps.push(
      ScaleCapacity.ecsService({ clusterName: names.ecsCluster(primary.region), serviceName: names.service, desiredCount: full }),
      WaitHealthy.targetGroup({ targetGroup: primary.parts.service.targetGroup, minimumHealthy: full }),
    );
  } else {
    steps.push(
      ScaleCapacity.ecsService({ clusterName: names.ecsCluster(primary.region), serviceName: names.service, desiredCount: full }),
      WaitHealthy.targetGroup({ targetGroup: primary.parts.service.targetGroup, minimumHealthy: full }),
      SwitchTraffic.dataPlaneSwitch({ dataPlaneSwitch: input.primaryState.dataPlaneSwitch, region: primary.region }),
    );
  }
  return new FailbackRunbook(primary.stack, 'Failback', {
    fromRegion: recovery.region,
    stateMachineName: names.runbook('failback'),
    activeRegion: input.primaryState?.activeRegion,
    steps,
  });
}

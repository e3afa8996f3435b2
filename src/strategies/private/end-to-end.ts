/**
 * A strategy's end-to-end path: its parts' paths composed. Clients are served again once the
 * traffic has moved, the data is writable there and the runbook has done what serving needs, all
 * at the same time (in parallel); backup and restore is one thing after another (the restore,
 * the Region's deploy, then DNS).
 */
import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { RecoveryEstimate } from '../../objectives/estimate';
import { assumedTerm } from '../../objectives/model/term';
import { EndpointRole, PathCost, RecoveryPath, RecoveryPathKind } from '../../objectives/path';
import { fmt as fmtSeconds } from '../../objectives/report/format';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { givenAssumption } from '../../private/assumptions';
import { CrossRegionBackup } from '../../replication/cross-region-backup';
import { DnsFailover } from '../../routing/dns-failover';
import { MultiSiteRecords } from '../../routing/multi-site-records';
import { FailoverRunbook } from '../../runbooks/failover-runbook';
import { MultiAzDatabase } from '../../zonal/multi-az-database';
import type { DisasterRecoveryProps } from '../disaster-recovery-props';
import { RecoveryStrategyKind } from '../recovery-strategy';

/** The parts of a strategy whose paths make its end-to-end path. */
export interface StrategyParts {
  readonly kind: RecoveryStrategyKind;
  readonly traffic: DnsFailover | MultiSiteRecords;
  readonly backup?: CrossRegionBackup;
  /** The recovery Region's database (its cross-Region failover path). */
  readonly data?: MultiAzDatabase;
  readonly runbook?: FailoverRunbook;
  readonly cost: PathCost;
}

/** The parts' estimates, named for tests and messages. */
interface ComposedParts {
  readonly traffic: RecoveryEstimate;
  readonly backup?: RecoveryEstimate;
  readonly provisioning?: RecoveryEstimate;
  readonly data?: RecoveryEstimate;
  readonly runbook?: RecoveryEstimate;
}

/** The parts' estimates as the end-to-end path composes them. */
function partEstimates(owner: IConstruct, parts: StrategyParts, props: DisasterRecoveryProps): ComposedParts {
  const traffic = trafficPath(parts, props).estimate;
  if (parts.kind === RecoveryStrategyKind.BACKUP_AND_RESTORE) {
    const given = givenAssumption(owner, undefined, RecoveryAssumption.REGION_PROVISIONING);
    const provisioning = RecoveryEstimate._fromModel([assumedTerm('region-provisioning', RecoveryTermKind.RESTORE, RecoveryAssumption.REGION_PROVISIONING, given,
      (s) => `deploying the recovery Region's stack (network, load balancer, service) takes up to ${fmtSeconds(s)}, counted after the database's restore: a bound, `
        + 'as CloudFormation may create some of it while the restore runs',
      'keep the network and load balancer deployed in the recovery Region (a pilot light), or measure a recovery deploy and set `regionProvisioning` with RecoveryAssumptions')]);
    return { traffic, provisioning, backup: parts.backup?.recoveryPaths()[0].estimate };
  }
  return {
    traffic,
    data: parts.data?.recoveryPaths().find((p) => p.id === 'global-failover')?.estimate,
    runbook: parts.runbook?._servedEstimate(),
  };
}

/** The strategy's end-to-end path. */
export function endToEnd(owner: IConstruct, parts: StrategyParts, props: DisasterRecoveryProps): RecoveryPath {
  const e = partEstimates(owner, parts, props);
  const estimate = parts.kind === RecoveryStrategyKind.BACKUP_AND_RESTORE
    ? RecoveryEstimate.series([...e.backup ? [e.backup] : [], e.provisioning!, e.traffic])
    : RecoveryEstimate.parallel([e.traffic, ...e.data ? [e.data] : [], ...e.runbook ? [e.runbook] : []]);
  const warnings: string[] = [];
  const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
  const full = seconds(parts.runbook?.recoveryPaths()[0].estimate.rtoWorst);
  const served = seconds(e.runbook?.rtoWorst);
  if (full !== undefined && served !== undefined && full > served) {
    warnings.push(`clients are served at the standby's capacity once the traffic switch is done; the runbook reaches full capacity up to ${fmtSeconds(full)} after it starts `
      + `(${fmtSeconds(full - served)} more).`);
  }
  if (parts.kind === RecoveryStrategyKind.ACTIVE_ACTIVE) {
    warnings.push(`writes go to the database's writer Region (${props.primaryRegion}); the other Region reads locally and sends writes there (or uses Aurora write forwarding). `
      + `Losing ${props.recoveryRegion} needs DNS only; losing ${props.primaryRegion} needs the failover runbook to promote the writer.`);
  }
  if (parts.kind === RecoveryStrategyKind.BACKUP_AND_RESTORE) {
    warnings.push(`to recover, deploy the stack of ${props.recoveryRegion}${parts.backup ? ' with RestoreFrom = the newest recovery point copied there' : ''}; `
      + 'until then nothing runs there.');
  }
  if (parts.runbook && parts.data) {
    warnings.push(`the failover runbook fences the ECS service in ${props.primaryRegion} before it promotes the database; when that Region's API cannot be reached `
      + 'the fence fails and the runbook stops: once the Region is known to be down, start it again with { "allowUnfenced": true }. '
      + 'The modeled figure counts one start.');
  }
  if (parts.data && (parts.kind === RecoveryStrategyKind.WARM_STANDBY || parts.kind === RecoveryStrategyKind.HOT_STANDBY)) {
    warnings.push(`while the primary's endpoint check fails, Route 53 sends clients to ${props.recoveryRegion} even before the runbook promotes its database: `
      + 'until then writes there fail (or go to the writer through the global writer endpoint or write forwarding, if the workload uses them).');
  }
  return new RecoveryPath({
    id: 'region-lost',
    kind: RecoveryPathKind.REGIONAL_FAILOVER,
    name: `${props.appName}: ${props.primaryRegion} lost, ${props.recoveryRegion} serves (${parts.kind})`,
    endpoints: [
      { label: `${props.appName} in ${props.primaryRegion}`, role: parts.kind === RecoveryStrategyKind.ACTIVE_ACTIVE ? EndpointRole.ACTIVE : EndpointRole.PRIMARY, region: props.primaryRegion },
      { label: `${props.appName} in ${props.recoveryRegion}`, role: parts.kind === RecoveryStrategyKind.ACTIVE_ACTIVE ? EndpointRole.ACTIVE : EndpointRole.STANDBY, region: props.recoveryRegion },
    ],
    estimate,
    warnings,
    cost: parts.cost,
    strategy: parts.kind,
  });
}

/** The traffic part: the failover records, or the multi-site records losing the primary Region. */
function trafficPath(parts: StrategyParts, props: DisasterRecoveryProps): RecoveryPath {
  const paths = parts.traffic.recoveryPaths();
  return paths.find((p) => p.id === `lose-${props.primaryRegion}`) ?? paths[0];
}

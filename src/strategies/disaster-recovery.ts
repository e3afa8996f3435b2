import { CfnParameter, Size, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DisasterRecoveryProps } from './disaster-recovery-props';
import { endToEnd, StrategyParts } from './private/end-to-end';
import { BuiltRegion, buildRegion, endpointCheck, regionState, strategyStack, StrategyNames } from './private/region-pair';
import { standbyCost } from './private/strategy-cost';
import { failbackRunbook, failoverRunbook } from './private/strategy-runbooks';
import { validateStrategy, ValidatedStrategy } from './private/strategy-validation';
import { RecoveryStrategy, RecoveryStrategyKind } from './recovery-strategy';
import { RegionRole } from './regional-workload';
import { CalculatedHealthCheck } from '../health/calculated-health-check';
import { EndpointHealthCheck } from '../health/endpoint-health-check';
import { IRecoveryPathProvider, RecoveryPath } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { BackupCopyVault } from '../replication/backup-copy-vault';
import { CrossRegionBackup } from '../replication/cross-region-backup';
import { BackupService } from '../replication/cross-region-backup-options';
import { DataPlaneSwitch } from '../routing/data-plane-switch';
import { DnsFailover } from '../routing/dns-failover';
import { FailoverTarget } from '../routing/failover-target';
import { MultiSiteRecords } from '../routing/multi-site-records';
import { MultiSiteRouting } from '../routing/multi-site-routing';
import { FailbackRunbook } from '../runbooks/failback-runbook';
import { FailoverRunbook } from '../runbooks/failover-runbook';
import { acknowledgeCrossRegionFunction } from '../runbooks/private/runbook-nag';
import { DatabaseTopology } from '../zonal/database-topology';

/**
 * A regional workload made into a Region pair with a disaster-recovery strategy: your workload
 * (`IRegionalWorkload`) built in each Region's stack, and around it what the strategy needs (the
 * database's replication or backups, the health checks and DNS records in a global stack, the
 * active-Region state, the data-plane switch, the failover and failback runbooks). Regions meet
 * by deterministic names only: no stack references another Region's.
 *
 * Stacks (`<appName>-...`): one per Region (`<region>`), the global stack (`global`), and per
 * Region its state (`state-<region>`: the active-Region parameter, the probe, the switch;
 * backup and restore keeps only the copy vault there, `vault-<region>`). Deploy the state
 * stacks, then the primary's, the recovery Region's and the global stack. Backup and restore
 * deploys the recovery Region's stack only to recover, with the recovery point to restore as the
 * `RestoreFrom` parameter.
 *
 * The strategy is a recovery path in the report, composed from its parts' paths (the traffic
 * switch, the data's replication or backup, the runbook), with its standby cost; the report
 * compares every strategy of the app side by side.
 *
 * @exampleMetadata fixture=strategies
 * @example
 * new DisasterRecovery(app, 'Orders', {
 *   appName: 'orders',
 *   strategy: RecoveryStrategy.warmStandby({ standbyCapacity: 2 }),
 *   workload: new WebWorkload(),
 *   primaryRegion: 'us-east-1',
 *   recoveryRegion: 'us-west-2',
 *   peakCapacity: 4,
 *   database: { engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }) },
 *   hostedZoneId: 'Z0000000000EXAMPLE',
 *   zoneName: 'example.com',
 *   recordName: 'app',
 * });
 */
export class DisasterRecovery extends Construct implements IRecoveryPathProvider {
  /** The strategy. */
  public readonly strategy: RecoveryStrategy;
  /** The primary Region's workload stack. */
  public readonly primaryStack: Stack;
  /** The recovery Region's workload stack. */
  public readonly recoveryStack: Stack;
  /** The global stack: health checks and DNS records. */
  public readonly globalStack: Stack;
  /** The capacity each Region runs when it serves: the service's statically stable capacity. */
  public readonly fullCapacity: number;
  /** The capacity the recovery Region runs while it stands by (0 for backup and restore, which runs nothing). */
  public readonly standbyCapacity: number;
  /**
   * The failover runbook, in the recovery Region.
   *
   * @default - none: backup and restore, and a stateless active-active, recover without one
   */
  public readonly failoverRunbook?: FailoverRunbook;
  /**
   * The failback runbook, in the primary Region.
   *
   * @default - none, as for the failover runbook
   */
  public readonly failbackRunbook?: FailbackRunbook;

  private readonly validated: ValidatedStrategy;
  private readonly parts: StrategyParts;

  constructor(scope: Construct, id: string, private readonly props: DisasterRecoveryProps) {
    super(scope, id);
    this.strategy = props.strategy;
    this.validated = validateStrategy(this, props);
    const names = new StrategyNames(props.appName, props.recordName, props.zoneName);
    const kind = props.strategy.kind;
    this.globalStack = strategyStack(this, 'Global', props, props.globalRegion ?? 'us-east-1', names.stack('global'));

    let built: BuiltPair;
    if (kind === RecoveryStrategyKind.BACKUP_AND_RESTORE) {
      built = this.backupAndRestore(names);
    } else if (kind === RecoveryStrategyKind.ACTIVE_ACTIVE) {
      built = this.activeActive(names);
    } else {
      built = this.standby(names);
    }
    this.primaryStack = built.primary.stack;
    this.recoveryStack = built.recovery.stack;
    this.fullCapacity = built.recovery.parts.service.minCapacity;
    this.standbyCapacity = built.standbyTasks;
    this.failoverRunbook = built.failover;
    this.failbackRunbook = built.failback;
    // The runbooks' cross-Region steps share aws-cdk-lib's function, created by the last of them.
    acknowledgeCrossRegionFunction(this.primaryStack);
    acknowledgeCrossRegionFunction(this.recoveryStack);
    this.parts = {
      kind,
      traffic: built.traffic,
      backup: built.backup,
      data: built.recovery.parts.database,
      runbook: built.failover,
      cost: standbyCost(this, {
        standby: kind === RecoveryStrategyKind.BACKUP_AND_RESTORE ? undefined : built.recovery,
        tasks: built.standbyTasks,
        databaseInstances: built.standbyDatabaseInstances,
        instanceClass: props.database?.instanceType?.toString(),
        endpointChecks: built.endpointChecks,
        otherChecks: built.otherChecks,
        replicates: props.database !== undefined,
      }, props.pricing),
    };
    FailoverReport.of(this);
  }

  /** The strategy end to end: its parts' paths composed, with its standby cost. */
  public recoveryPaths(): RecoveryPath[] {
    return [endToEnd(this, this.parts, this.props)];
  }

  private backupAndRestore(names: StrategyNames): BuiltPair {
    const { props } = this;
    const db = props.database;
    const vaultStack = strategyStack(this, 'RecoveryVault', props, props.recoveryRegion, names.stack(`vault-${props.recoveryRegion}`));
    new BackupCopyVault(vaultStack, 'CopyVault', { backupVaultName: names.copyVault });
    const primary = buildRegion(this, props, names, {
      id: 'Primary',
      region: props.primaryRegion,
      role: RegionRole.PRIMARY,
      capacity: (full) => full,
      databaseTopology: db && (() => DatabaseTopology.aurora({ engine: db.engine, instanceType: db.instanceType, readers: db.readers })),
    });
    let backupPlan: CrossRegionBackup | undefined;
    if (primary.parts.database) {
      const options = props.strategy._options.backup ?? {};
      backupPlan = new CrossRegionBackup(primary.stack, 'Backup', {
        recoveryRegion: props.recoveryRegion,
        copyVaultName: names.copyVault,
        resources: [{
          resource: backup.BackupResource.fromRdsDatabaseCluster(primary.parts.database.cluster!),
          service: BackupService.RDS,
          size: db?.size ?? Size.gibibytes(100),
          name: names.auroraCluster(props.primaryRegion),
        }],
        schedule: options.schedule ?? events.Schedule.cron({ minute: '0' }),
        continuousBackup: options.continuousBackup,
        copyRetention: options.copyRetention,
      });
      primary.stack.node.addDependency(vaultStack);
    }
    // Synthesized (so that it is checked) and deployed only to recover, with the copy to restore.
    const recovery = buildRegion(this, props, names, {
      id: 'Recovery',
      region: props.recoveryRegion,
      role: RegionRole.STANDBY,
      capacity: (full) => full,
      databaseTopology: db && ((stack) => DatabaseTopology.auroraFromSnapshot({
        engine: db.engine,
        instanceType: db.instanceType,
        readers: db.readers,
        snapshotIdentifier: new CfnParameter(stack, 'RestoreFrom', {
          type: 'String',
          minLength: 1,
          description: `The recovery point to restore: the ARN of a cluster snapshot that AWS Backup copied into the ${names.copyVault} vault of this Region.`,
        }).valueAsString,
      })),
    });
    const primaryCheck = endpointCheck(this.globalStack, 'PrimaryHealth', props, names, primary);
    const recoveryCheck = endpointCheck(this.globalStack, 'RecoveryHealth', props, names, recovery);
    // The recovery Region's record exists only once it is deployed: a CNAME may name it before.
    const traffic = new DnsFailover(this.globalStack, 'Failover', {
      zone: this.globalZone(),
      recordName: props.recordName,
      primary: FailoverTarget.cname(names.regionalName(props.primaryRegion)),
      secondary: FailoverTarget.cname(names.regionalName(props.recoveryRegion)),
      primaryHealthCheck: primaryCheck,
      secondaryHealthCheck: recoveryCheck,
    });
    return {
      primary,
      recovery,
      traffic,
      backup: backupPlan,
      standbyTasks: 0,
      standbyDatabaseInstances: 0,
      endpointChecks: [primaryCheck, recoveryCheck],
      otherChecks: 0,
    };
  }

  private standby(names: StrategyNames): BuiltPair {
    const { props, validated } = this;
    const db = props.database;
    const primaryState = regionState(this, 'PrimaryState', props, names, props.primaryRegion);
    const recoveryState = regionState(this, 'RecoveryState', props, names, props.recoveryRegion);
    const kind = props.strategy.kind;
    const primary = buildRegion(this, props, names, {
      id: 'Primary',
      region: props.primaryRegion,
      role: RegionRole.PRIMARY,
      capacity: (full, stack) => primaryState.activeRegion.capacityFor(stack, full, validated.standbyCapacity(full)),
      activeRegion: kind === RecoveryStrategyKind.HOT_STANDBY ? undefined : primaryState.activeRegion,
      databaseTopology: this.globalPrimary(names),
    });
    const standbyReaders = kind === RecoveryStrategyKind.HOT_STANDBY ? db?.readers ?? 1 : 0;
    const recovery = buildRegion(this, props, names, {
      id: 'Recovery',
      region: props.recoveryRegion,
      role: RegionRole.STANDBY,
      capacity: (full, stack) => recoveryState.activeRegion.capacityFor(stack, full, validated.standbyCapacity(full)),
      activeRegion: kind === RecoveryStrategyKind.HOT_STANDBY ? undefined : recoveryState.activeRegion,
      databaseTopology: this.globalSecondary(names, standbyReaders),
    });
    this.joinGlobalDatabase(primary, recovery);
    const primaryEndpoint = endpointCheck(this.globalStack, 'PrimaryEndpointHealth', props, names, primary);
    const recoveryCheck = endpointCheck(this.globalStack, 'RecoveryHealth', props, names, recovery);
    // The primary serves while its endpoint is healthy AND the recovery Region's copy of the
    // active-Region parameter names it: the runbook's switch is one regional write.
    const switchCheck = DataPlaneSwitch.healthCheckFor(this.globalStack, 'PrimarySwitchHealth', {
      appName: props.appName, region: props.primaryRegion, observerRegion: props.recoveryRegion,
    });
    const primaryCheck = new CalculatedHealthCheck(this.globalStack, 'PrimaryHealth', {
      children: [primaryEndpoint, switchCheck],
      healthThreshold: 2,
    });
    const traffic = new DnsFailover(this.globalStack, 'Failover', {
      zone: this.globalZone(),
      recordName: props.recordName,
      primary: FailoverTarget.regionalRecord(props.primaryRegion),
      secondary: FailoverTarget.regionalRecord(props.recoveryRegion),
      primaryHealthCheck: primaryCheck,
      secondaryHealthCheck: recoveryCheck,
    });
    this.globalAfter(primary, recovery);
    const input = { kind, names, primary, recovery, primaryState, recoveryState, maxLag: validated.maxLag };
    const standbyTasks = validated.standbyCapacity(recovery.parts.service.minCapacity);
    return {
      primary,
      recovery,
      traffic,
      failover: failoverRunbook(input),
      failback: failbackRunbook(input),
      standbyTasks,
      standbyDatabaseInstances: db ? 1 + standbyReaders : 0,
      endpointChecks: [primaryEndpoint, recoveryCheck],
      otherChecks: 2,
    };
  }

  private activeActive(names: StrategyNames): BuiltPair {
    const { props, validated } = this;
    const db = props.database;
    const primary = buildRegion(this, props, names, {
      id: 'Primary',
      region: props.primaryRegion,
      role: RegionRole.ACTIVE,
      capacity: (full) => validated.standbyCapacity(full),
      databaseTopology: this.globalPrimary(names),
    });
    const recovery = buildRegion(this, props, names, {
      id: 'Recovery',
      region: props.recoveryRegion,
      role: RegionRole.ACTIVE,
      capacity: (full) => validated.standbyCapacity(full),
      databaseTopology: this.globalSecondary(names, db?.readers),
    });
    this.joinGlobalDatabase(primary, recovery);
    const checks = [primary, recovery].map((r, i) => endpointCheck(this.globalStack, i === 0 ? 'PrimaryHealth' : 'RecoveryHealth', props, names, r));
    const capacity = validated.standbyCapacity(recovery.parts.service.minCapacity);
    const traffic = new MultiSiteRecords(this.globalStack, 'Records', {
      zone: this.globalZone(),
      recordName: props.recordName,
      routing: props.strategy._options.routing ?? MultiSiteRouting.latency(),
      regions: [primary, recovery].map((r, i) => ({
        region: r.region,
        target: FailoverTarget.regionalRecord(r.region),
        healthCheck: checks[i],
        capacity,
      })),
      peakLoad: recovery.parts.service.minCapacity,
    });
    this.globalAfter(primary, recovery);
    const input = { kind: props.strategy.kind, names, primary, recovery, maxLag: validated.maxLag };
    return {
      primary,
      recovery,
      traffic,
      failover: db ? failoverRunbook(input) : undefined,
      failback: db ? failbackRunbook(input) : undefined,
      standbyTasks: capacity,
      standbyDatabaseInstances: db ? 1 + (db.readers ?? 1) : 0,
      endpointChecks: checks,
      otherChecks: 0,
    };
  }

  /** The primary's cluster of the Aurora global database, when there is a database. */
  private globalPrimary(names: StrategyNames): (() => DatabaseTopology) | undefined {
    const db = this.props.database;
    return db && (() => DatabaseTopology.auroraGlobalPrimary({
      engine: db.engine,
      instanceType: db.instanceType,
      readers: db.readers,
      globalClusterIdentifier: names.globalCluster,
      secretReplicaRegions: [this.props.recoveryRegion],
    }));
  }

  /** The recovery Region's cluster of the Aurora global database, with `readers` replicas. */
  private globalSecondary(names: StrategyNames, readers: number | undefined): (() => DatabaseTopology) | undefined {
    const db = this.props.database;
    return db && (() => DatabaseTopology.auroraGlobalSecondary({
      engine: db.engine,
      instanceType: db.instanceType,
      readers,
      globalClusterIdentifier: names.globalCluster,
      primaryRegion: this.props.primaryRegion,
      rpoLagAlarmThreshold: this.validated.maxLag,
    }));
  }

  /** The secondary cluster joins the global database the primary creates: the primary's stack deploys first. */
  private joinGlobalDatabase(primary: BuiltRegion, recovery: BuiltRegion): void {
    if (primary.parts.database) {
      recovery.stack.addDependency(primary.stack, 'the secondary cluster joins the global database the primary creates');
    }
  }

  /** The records alias both regional records: the global stack deploys after both Regions. */
  private globalAfter(primary: BuiltRegion, recovery: BuiltRegion): void {
    this.globalStack.addDependency(primary.stack, 'the records alias both regional records');
    this.globalStack.addDependency(recovery.stack, 'the records alias both regional records');
  }

  private globalZone(): route53.IHostedZone {
    return route53.HostedZone.fromHostedZoneAttributes(this.globalStack, 'Zone', { hostedZoneId: this.props.hostedZoneId, zoneName: this.props.zoneName });
  }
}

/** What each strategy's builder returns. */
interface BuiltPair {
  readonly primary: BuiltRegion;
  readonly recovery: BuiltRegion;
  readonly traffic: DnsFailover | MultiSiteRecords;
  readonly backup?: CrossRegionBackup;
  readonly failover?: FailoverRunbook;
  readonly failback?: FailbackRunbook;
  readonly standbyTasks: number;
  readonly standbyDatabaseInstances: number;
  readonly endpointChecks: EndpointHealthCheck[];
  readonly otherChecks: number;
}


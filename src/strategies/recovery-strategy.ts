import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { StrategyOptions } from './private/strategy-options';
import { MultiSiteRouting } from '../routing/multi-site-routing';

/**
 * Options of `RecoveryStrategy.backupAndRestore`.
 */
export interface BackupAndRestoreOptions {
  /**
   * When the database is backed up (and the backup copied to the recovery Region). The interval
   * between backups is the strategy's data loss.
   *
   * @default - hourly: `Schedule.cron({ minute: '0' })`
   */
  readonly schedule?: events.Schedule;

  /**
   * Whether AWS Backup keeps continuous backups (point-in-time recovery) in the primary Region.
   * The copies in the recovery Region are snapshots either way.
   *
   * @default false
   */
  readonly continuousBackup?: boolean;

  /**
   * How long the copies in the recovery Region are kept.
   *
   * @default Duration.days(35)
   */
  readonly copyRetention?: Duration;
}

/**
 * Options of `RecoveryStrategy.pilotLight`, `warmStandby` and `hotStandby`.
 */
export interface StandbyOptions {
  /**
   * How many tasks run in the standby Region while it stands by. Pilot light: 0 to the full
   * capacity (the runbook scales it up before the switch); warm standby: 1 to one less than the
   * full capacity (it serves from the switch on, then the runbook scales it up); hot standby:
   * the full capacity (the runbook only switches). The full capacity is the service's statically
   * stable capacity for `peakCapacity`.
   *
   * @default - pilot light: 0; warm standby: a quarter of the full capacity, at least 1; hot standby: the full capacity
   */
  readonly standbyCapacity?: number;
}

/**
 * Options of `RecoveryStrategy.activeActive`.
 */
export interface ActiveActiveOptions {
  /**
   * How clients are spread over the Regions.
   *
   * @default MultiSiteRouting.latency()
   */
  readonly routing?: MultiSiteRouting;

  /**
   * How many tasks (or instances) each Region runs. With two Regions, each must carry the peak
   * alone when the other is lost, so the default is the full capacity in each.
   *
   * @default - the full capacity in each Region
   */
  readonly regionCapacity?: number;
}

/** The strategies, as the report names them. */
export enum RecoveryStrategyKind {
  /** Backups copied to the recovery Region; only code stands there until a recovery deploys it. */
  BACKUP_AND_RESTORE = 'backup and restore',
  /** Data replicated, compute at zero in the standby: the runbook scales it up. */
  PILOT_LIGHT = 'pilot light',
  /** Data replicated, compute running at reduced capacity in the standby: the runbook scales it up. */
  WARM_STANDBY = 'warm standby',
  /** Data replicated, compute at full capacity in the standby: the switch only. */
  HOT_STANDBY = 'hot standby',
  /** Both Regions serve; losing one leaves the other serving all clients. */
  ACTIVE_ACTIVE = 'active-active',
}

/**
 * A disaster-recovery strategy for `DisasterRecovery`: how much stands in the recovery Region,
 * and so how fast recovery is and what it costs while idle.
 */
export class RecoveryStrategy {
  /**
   * Backup and restore: the primary's database is backed up and each backup copied to the
   * recovery Region's vault. Only the code stands there: a recovery deploys the recovery
   * Region's stack, which restores the database from the newest copy, and DNS fails over to it.
   */
  public static backupAndRestore(options: BackupAndRestoreOptions = {}): RecoveryStrategy {
    return new RecoveryStrategy(RecoveryStrategyKind.BACKUP_AND_RESTORE, { backup: options });
  }

  /**
   * Pilot light: the database is replicated (an Aurora global database) and the standby's
   * compute is at zero. The failover runbook fences the primary, promotes the database, scales
   * the standby to full capacity, waits until it is healthy, and switches traffic.
   */
  public static pilotLight(options: StandbyOptions = {}): RecoveryStrategy {
    return new RecoveryStrategy(RecoveryStrategyKind.PILOT_LIGHT, { standbyCapacity: options.standbyCapacity });
  }

  /**
   * Warm standby: like the pilot light, with the standby serving at reduced capacity, so the
   * switch comes right after the promotion and the runbook scales to full capacity after it.
   */
  public static warmStandby(options: StandbyOptions = {}): RecoveryStrategy {
    return new RecoveryStrategy(RecoveryStrategyKind.WARM_STANDBY, { standbyCapacity: options.standbyCapacity });
  }

  /**
   * Hot standby: the standby runs at full capacity; the runbook fences, promotes and switches.
   */
  public static hotStandby(options: StandbyOptions = {}): RecoveryStrategy {
    return new RecoveryStrategy(RecoveryStrategyKind.HOT_STANDBY, { standbyCapacity: options.standbyCapacity });
  }

  /**
   * Active-active: both Regions serve behind weighted or latency records with health checks.
   * Writes go to the Aurora global database's writer Region (reads are local): losing the
   * writer's Region needs the failover runbook to promote the other; losing the other Region
   * needs nothing but DNS.
   */
  public static activeActive(options: ActiveActiveOptions = {}): RecoveryStrategy {
    return new RecoveryStrategy(RecoveryStrategyKind.ACTIVE_ACTIVE, {
      standbyCapacity: options.regionCapacity,
      routing: options.routing,
    });
  }

  /** The strategy. */
  public readonly kind: RecoveryStrategyKind;

  /** @internal */
  public readonly _options: StrategyOptions;

  private constructor(kind: RecoveryStrategyKind, options: StrategyOptions) {
    this.kind = kind;
    this._options = options;
  }
}

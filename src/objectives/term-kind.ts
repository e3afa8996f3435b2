/**
 * What a term of a recovery estimate measures: time until clients are served again (RTO), or
 * data written before the failure that the recovery side does not have (RPO).
 */
export enum TermMeasure {
  /** Adds to the recovery time. */
  TIME = 'time',
  /** Adds to the data-loss window. */
  DATA = 'data',
}

/**
 * The phase of a recovery path that a term measures. An open set: the well-known phases
 * below, plus your own with `RecoveryTermKind.time()` or `RecoveryTermKind.data()`.
 */
export class RecoveryTermKind {
  /** From the failure to the failure being known (health checks, alarms). */
  public static readonly DETECTION = new RecoveryTermKind('detection', 'detection', TermMeasure.TIME);
  /** From the failure being known to the decision to fail over (automatic or human). */
  public static readonly DECISION = new RecoveryTermKind('decision', 'decision', TermMeasure.TIME);
  /** Stopping writes on the failed side so that two writers never diverge. */
  public static readonly FENCE = new RecoveryTermKind('fence', 'fence', TermMeasure.TIME);
  /** Making a replica the writer (a database promotion, a global-cluster failover). */
  public static readonly PROMOTE = new RecoveryTermKind('promote', 'promote', TermMeasure.TIME);
  /** Growing the recovery side to carry the load (pilot light, warm standby). */
  public static readonly SCALE = new RecoveryTermKind('scale', 'scale', TermMeasure.TIME);
  /** Rebuilding from a backup. */
  public static readonly RESTORE = new RecoveryTermKind('restore', 'restore', TermMeasure.TIME);
  /** From the decision to the new target being served (a DNS answer, a routing control). */
  public static readonly SWITCH = new RecoveryTermKind('switch', 'switch', TermMeasure.TIME);
  /** Caches between the switch and the clients (resolver TTLs). */
  public static readonly PROPAGATION = new RecoveryTermKind('propagation', 'propagation', TermMeasure.TIME);
  /** Caching inside the clients beyond the record TTL. */
  public static readonly CLIENT_CACHE = new RecoveryTermKind('clientCache', 'client cache', TermMeasure.TIME);
  /** Checking that the recovery side serves before declaring recovery done. */
  public static readonly VERIFY = new RecoveryTermKind('verify', 'verify', TermMeasure.TIME);
  /** Writes not yet copied to the recovery side when the failure strikes. */
  public static readonly REPLICATION_LAG = new RecoveryTermKind('replicationLag', 'replication lag', TermMeasure.DATA);
  /** Writes made since the last backup or copy the recovery side has. */
  public static readonly BACKUP_INTERVAL = new RecoveryTermKind('backupInterval', 'backup interval', TermMeasure.DATA);
  /** Writes made while a backup is still being copied to the recovery side. */
  public static readonly COPY = new RecoveryTermKind('copy', 'copy', TermMeasure.DATA);
  /** Any other data written before the failure that the recovery side does not have. */
  public static readonly DATA_LOSS = new RecoveryTermKind('dataLoss', 'data loss', TermMeasure.DATA);

  /**
   * A phase of your own that adds to the recovery time.
   *
   * @param id stable identifier, e.g. `cacheWarmUp`
   * @param label the phase in words, e.g. `cache warm-up`
   */
  public static time(id: string, label: string): RecoveryTermKind {
    return RecoveryTermKind.custom(id, label, TermMeasure.TIME);
  }

  /**
   * A phase of your own that adds to the data-loss window.
   *
   * @param id stable identifier, e.g. `queueBacklog`
   * @param label the phase in words, e.g. `queue backlog`
   */
  public static data(id: string, label: string): RecoveryTermKind {
    return RecoveryTermKind.custom(id, label, TermMeasure.DATA);
  }

  private static custom(id: string, label: string, measure: TermMeasure): RecoveryTermKind {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(id)) {
      throw new Error(`RecoveryTermKind: \`id\` must be 1 to 64 letters, digits or hyphens starting with a letter, got: ${JSON.stringify(id)}. `
        + 'Give a stable identifier such as `cacheWarmUp`.');
    }
    if (label.trim().length === 0 || label.length > 64) {
      throw new Error(`RecoveryTermKind: \`label\` must be 1 to 64 characters, got ${JSON.stringify(label)}. Give the phase in words, e.g. \`cache warm-up\`.`);
    }
    return new RecoveryTermKind(id, label, measure);
  }

  /** Stable identifier, as the JSON report shows it, e.g. `clientCache`. */
  public readonly id: string;
  /** The phase in words, as the Markdown report and messages show it, e.g. `client cache`. */
  public readonly label: string;
  /** Whether the phase adds to the recovery time or to the data-loss window. */
  public readonly measure: TermMeasure;

  private constructor(id: string, label: string, measure: TermMeasure) {
    this.id = id;
    this.label = label;
    this.measure = measure;
  }

  /** The identifier. */
  public toString(): string {
    return this.id;
  }
}

import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RecoveryEstimate } from './estimate';
import { checkDuration } from '../private/validate';

/**
 * The kind of a recovery path. An open set: the kinds this library builds, plus your own with
 * `RecoveryPathKind.custom()`.
 */
export class RecoveryPathKind {
  /** Route 53 failover records: a primary and a secondary behind one name. */
  public static readonly DNS_FAILOVER = new RecoveryPathKind('dns-failover', 'DNS failover');
  /** A load balancer routing around failed targets across Availability Zones. */
  public static readonly MULTI_AZ_LOAD_BALANCING = new RecoveryPathKind('multi-az-load-balancing', 'Multi-AZ load balancing');
  /** An operator moving traffic out of an impaired zone with an ARC zonal shift. */
  public static readonly ZONAL_SHIFT = new RecoveryPathKind('zonal-shift', 'zonal shift (manual)');
  /** AWS moving traffic out of an impaired zone by itself (ARC zonal autoshift). */
  public static readonly ZONAL_AUTOSHIFT = new RecoveryPathKind('zonal-autoshift', 'zonal autoshift');
  /** A database failing over to a standby or replica in another Availability Zone. */
  public static readonly MULTI_AZ_DATABASE = new RecoveryPathKind('multi-az-database', 'Multi-AZ database');
  /** Data copied to another place: the path carries data, its figure is the RPO. */
  public static readonly DATA_REPLICATION = new RecoveryPathKind('data-replication', 'data replication');
  /** Recovery from a backup copied elsewhere. */
  public static readonly BACKUP_RESTORE = new RecoveryPathKind('backup-restore', 'backup and restore');
  /** A planned move of a database's writer to another region with no data loss (Aurora global switchover). */
  public static readonly DATABASE_SWITCHOVER = new RecoveryPathKind('database-switchover', 'database switchover');
  /** An unplanned move of a database's writer to another region: a replica promoted, losing its lag. */
  public static readonly DATABASE_FAILOVER = new RecoveryPathKind('database-failover', 'cross-region database failover');
  /** A runbook that moves the workload step by step. */
  public static readonly RUNBOOK = new RecoveryPathKind('runbook', 'runbook');
  /** A whole workload recovering in another region. */
  public static readonly REGIONAL_FAILOVER = new RecoveryPathKind('regional-failover', 'regional failover');
  /** AWS Global Accelerator shifting traffic between endpoint groups. */
  public static readonly GLOBAL_ACCELERATOR = new RecoveryPathKind('global-accelerator', 'Global Accelerator failover');
  /** Servers recovered from continuous block replication (AWS Elastic Disaster Recovery). */
  public static readonly SERVER_RECOVERY = new RecoveryPathKind('server-recovery', 'server recovery (DRS)');

  /**
   * A kind of your own.
   *
   * @param id stable identifier, e.g. `queue-failover`
   * @param label the kind in words, e.g. `queue failover`
   */
  public static custom(id: string, label: string): RecoveryPathKind {
    if (!/^[a-z][a-z0-9-]{0,63}$/.test(id)) {
      throw new Error(`RecoveryPathKind.custom: \`id\` must be 1 to 64 lower-case letters, digits or hyphens starting with a letter, got: ${JSON.stringify(id)}. `
        + 'Give a stable identifier such as `queue-failover`.');
    }
    if (label.trim().length === 0 || label.length > 64) {
      throw new Error(`RecoveryPathKind.custom: \`label\` must be 1 to 64 characters, got ${JSON.stringify(label)}. Give the kind in words, e.g. \`queue failover\`.`);
    }
    return new RecoveryPathKind(id, label);
  }

  /** Stable identifier, as the JSON report shows it. */
  public readonly id: string;
  /** The kind in words, as the Markdown report and messages show it. */
  public readonly label: string;

  private constructor(id: string, label: string) {
    this.id = id;
    this.label = label;
  }
}

/**
 * What an endpoint does on a recovery path.
 */
export enum EndpointRole {
  /** Serves while healthy; traffic leaves it on failure. */
  PRIMARY = 'primary',
  /** Takes over when the primary fails. */
  SECONDARY = 'secondary',
  /** Serves all the time, beside other active endpoints (active-active). */
  ACTIVE = 'active',
  /** Kept ready, not serving, until recovery brings it in (pilot light, warm standby). */
  STANDBY = 'standby',
  /** Holds a copy of the data (a replica, a backup vault). */
  REPLICA = 'replica',
}

/**
 * One end of a recovery path.
 */
export interface PathEndpoint {
  /** What serves or holds the data there, e.g. `us-east-1.app.example.com`. */
  readonly label: string;
  /** What it does on the path. */
  readonly role: EndpointRole;
  /**
   * Its region.
   *
   * @default - unknown (an environment-agnostic stack)
   */
  readonly region?: string;
  /**
   * How its health is judged, e.g. `HTTPS health check (10 s x 2)`.
   *
   * @default - not judged on this path
   */
  readonly health?: string;
}

/**
 * A recovery time (and data loss) measured by a drill, shown beside the modeled figures.
 */
export interface MeasuredRecovery {
  /** The measured time from the injected failure to clients being served again. */
  readonly rto: Duration;
  /**
   * The measured data loss.
   *
   * @default - not measured
   */
  readonly rpo?: Duration;
  /** Where the figure comes from, e.g. `drill 2026-11-30, experiment EXP123`. */
  readonly source: string;
}

/**
 * What the failover machinery of a path costs a month while idle, an estimate: an accelerator,
 * an ARC cluster, health checks. Paths that share the machinery give the same `basis`; the report
 * counts each construct's machinery once.
 */
export interface PathCost {
  /** US dollars a month (730 hours), 0 or more. */
  readonly monthlyUsd: number;
  /** How it is reckoned and from which price, e.g. `0.025 USD per accelerator-hour x 730 h (us-east-1 list price, 2026)`. */
  readonly basis: string;
}

/**
 * Properties of `RecoveryPath`.
 */
export interface RecoveryPathProps {
  /**
   * Identifier of the path, unique among the paths of its construct and stable across
   * synths, e.g. `zone-impaired`. The report names the path `<construct path>#<id>`.
   */
  readonly id: string;
  /** The kind of path. */
  readonly kind: RecoveryPathKind;
  /** What recovers, for people, e.g. `app.example.com (A)`. */
  readonly name: string;
  /**
   * The ends of the path: where traffic or data is, and where it goes.
   *
   * @default - none
   */
  readonly endpoints?: PathEndpoint[];
  /** How long recovery takes and how much data it can lose, term by term. */
  readonly estimate: RecoveryEstimate;
  /**
   * Things the user should know about this path.
   *
   * @default - none
   */
  readonly warnings?: string[];
  /**
   * What a drill measured on this path.
   *
   * @default - not measured
   */
  readonly measured?: MeasuredRecovery;
  /**
   * What the path's failover machinery costs a month while idle, an estimate.
   *
   * @default - not estimated
   */
  readonly cost?: PathCost;
  /**
   * The disaster-recovery strategy this path realizes end to end, e.g. `warm standby`. The
   * report compares every path that names one, side by side: modeled RTO, RPO, idle cost, and
   * whether it meets its objectives.
   *
   * @default - not a strategy's end-to-end path
   */
  readonly strategy?: string;
}

/**
 * One way the system gets back to serving, or back to its data, after one kind of failure: a
 * DNS failover pair, a zonal shift, a database failover, a replication link, a runbook.
 * Constructs declare their paths by implementing `IRecoveryPathProvider`; the failover report
 * finds them in the construct tree at synth, checks each against the nearest
 * `RecoveryObjectives` and renders it.
 */
export class RecoveryPath {
  /** Identifier, unique within its construct. */
  public readonly id: string;
  /** The kind of path. */
  public readonly kind: RecoveryPathKind;
  /** What recovers. */
  public readonly name: string;
  /** The ends of the path. */
  public readonly endpoints: PathEndpoint[];
  /** The modeled figures. */
  public readonly estimate: RecoveryEstimate;
  /** Things the user should know. */
  public readonly warnings: string[];
  /**
   * What a drill measured.
   *
   * @default - not measured
   */
  public readonly measured?: MeasuredRecovery;
  /**
   * What the path's failover machinery costs a month while idle.
   *
   * @default - not estimated
   */
  public readonly cost?: PathCost;
  /**
   * The disaster-recovery strategy this path realizes end to end.
   *
   * @default - not a strategy's end-to-end path
   */
  public readonly strategy?: string;

  constructor(props: RecoveryPathProps) {
    const problems: string[] = [];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(props.id)) {
      problems.push(`\`id\` must be 1 to 64 letters, digits, dots, underscores or hyphens, got: ${JSON.stringify(props.id)}; give e.g. \`zone-impaired\``);
    }
    if (props.name.trim().length === 0) {
      problems.push('`name` must say what recovers, e.g. `app.example.com (A)`');
    }
    for (const e of props.endpoints ?? []) {
      if (e.label.trim().length === 0) {
        problems.push(`an endpoint with role ${e.role} has an empty \`label\`; name what serves there`);
      }
    }
    const sink = { add: (m: string) => problems.push(m.replace(/\.$/, '')) };
    const literal = { literal: 'a drill measures a figure, known at synth' };
    checkDuration(sink, 'measured.rto', props.measured?.rto, literal);
    checkDuration(sink, 'measured.rpo', props.measured?.rpo, literal);
    const cost = props.cost;
    if (cost !== undefined && (typeof cost.monthlyUsd !== 'number' || !Number.isFinite(cost.monthlyUsd) || cost.monthlyUsd < 0)) {
      problems.push(`\`cost.monthlyUsd\` must be a finite number of US dollars, 0 or more, got: ${JSON.stringify(cost.monthlyUsd)}`);
    }
    if (cost !== undefined && (typeof cost.basis !== 'string' || cost.basis.trim().length === 0)) {
      problems.push('`cost.basis` must say how the cost is reckoned and from which price');
    }
    if (props.strategy !== undefined && (props.strategy.trim().length === 0 || props.strategy.length > 64)) {
      problems.push(`\`strategy\` must be 1 to 64 characters, got: ${JSON.stringify(props.strategy)}; name the strategy, e.g. \`warm standby\``);
    }
    if (problems.length > 0) {
      throw new Error(`RecoveryPath ${JSON.stringify(props.id)}: ${problems.join('; ')}.`);
    }
    this.id = props.id;
    this.kind = props.kind;
    this.name = props.name;
    this.endpoints = [...props.endpoints ?? []];
    this.estimate = props.estimate;
    this.warnings = [...props.warnings ?? []];
    this.measured = props.measured;
    this.cost = props.cost;
    this.strategy = props.strategy;
  }
}

/**
 * A construct that builds recovery paths. Implement it on your own constructs to have their
 * paths in the failover report and checked against `RecoveryObjectives`, like this library's.
 */
export interface IRecoveryPathProvider extends IConstruct {
  /**
   * The recovery paths this construct builds. Called once per synthesis, after the app is
   * complete.
   */
  recoveryPaths(): RecoveryPath[];
}

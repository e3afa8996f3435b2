import { Duration } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { Problems } from '../private/errors';
import { checkDuration, checkDurationMap } from '../private/validate';

const ASSUMPTIONS_SYMBOL = Symbol.for('cdk-failover.RecoveryAssumptions');

/**
 * A delay the recovery model needs but AWS does not publish. Each has a stable id, a default
 * and the reason for it; the report marks terms that rest on a default as assumptions. Replace a
 * default with what your drills measure, per construct (its `assumptions` prop) or for a whole
 * scope (`RecoveryAssumptions`), by id.
 */
export class RecoveryAssumption {
  /**
   * From Route 53 seeing the primary unhealthy to its name servers answering with the
   * secondary. AWS publishes no figure; 30 s is a conservative placeholder until a drill
   * measures it.
   */
  public static readonly HEALTH_TO_DNS_ANSWER = new RecoveryAssumption('healthToDnsAnswer', 30,
    'AWS does not publish the delay from a health status change to a new DNS answer; 30 s is a placeholder until a drill measures it');

  /**
   * How long clients keep a DNS answer beyond its TTL. The AWS SDK for Java recommends
   * networkaddress.cache.ttl=5; some JVM configurations never refresh.
   */
  public static readonly CLIENT_DNS_CACHE = new RecoveryAssumption('clientDnsCache', 5,
    'the AWS SDK for Java recommendation networkaddress.cache.ttl=5; some JVM configurations never refresh');

  /**
   * The TTL of an alias to a target whose TTL AWS does not publish (CloudFront, API Gateway):
   * assumed equal to the documented ELB alias TTL, 60 s.
   */
  public static readonly UNPUBLISHED_ALIAS_TTL = new RecoveryAssumption('unpublishedAliasTtl', 60,
    'AWS publishes the alias TTL of load balancers only (60 s); other alias targets are assumed the same');

  /**
   * From a CloudWatch period closing to its alarm changing state and Route 53 seeing it.
   * Standard-resolution alarms are evaluated about once a minute; AWS publishes neither delay.
   */
  public static readonly ALARM_TO_HEALTH_STATUS = new RecoveryAssumption('alarmToHealthStatus', 60,
    'AWS publishes neither the alarm evaluation delay nor how soon Route 53 sees an alarm; 60 s is a placeholder');

  /**
   * The longest time a load balancer's own target health checks take to mark a target
   * unhealthy when the model cannot see its target groups: the ALB defaults, 2 x 30 s + 5 s.
   */
  public static readonly TARGET_HEALTH_DETECTION = new RecoveryAssumption('targetHealthDetection', 65,
    'the target groups are not visible from the record: the ALB defaults are assumed (2 failures x 30 s + 5 s timeout; NLB defaults differ)');

  /**
   * From a per-zone alarm firing to an operator starting a zonal shift: a human step, 10
   * minutes until a game day measures yours.
   */
  public static readonly OPERATOR_RESPONSE = new RecoveryAssumption('operatorResponse', 600,
    'a human step AWS cannot publish; 10 minutes is a placeholder until a game day measures yours');

  /**
   * From a zone impairment to AWS starting a zonal autoshift. AWS acts when its internal
   * monitoring sees an impairment and publishes no figure; 10 minutes is a placeholder.
   */
  public static readonly AUTOSHIFT_DETECTION = new RecoveryAssumption('autoshiftDetection', 600,
    'AWS does not publish how soon its internal monitoring starts an autoshift; 10 minutes is a placeholder');

  /**
   * The TTL of an RDS endpoint's DNS record, which a failover repoints. AWS publishes none; 5 s
   * matches the client cache AWS recommends for its SDKs.
   */
  public static readonly ENDPOINT_DNS_TTL = new RecoveryAssumption('endpointDnsTtl', 5,
    'AWS does not publish the TTL of RDS endpoints; 5 s matches the client cache AWS recommends for its SDKs');

  /**
   * How far S3 replication without Replication Time Control (RTC) may lag. AWS says most
   * objects replicate within 15 minutes but some take hours, with no bound; 2 hours is a
   * placeholder until your `ReplicationLatency` metric shows yours. RTC replaces this with
   * AWS's published 15 minutes.
   */
  public static readonly S3_REPLICATION_LAG = new RecoveryAssumption('s3ReplicationLag', 7200,
    'without RTC, AWS gives no bound on S3 replication time (most objects within 15 minutes, some take hours); 2 hours is a placeholder');

  /**
   * How far a DynamoDB global table replica with multi-Region eventual consistency (MREC) may
   * lag. AWS says typically within a second and gives no SLA; 10 s is a margin until your
   * `ReplicationLatency` metric shows yours.
   */
  public static readonly DYNAMODB_REPLICATION_LAG = new RecoveryAssumption('dynamoDbReplicationLag', 10,
    'AWS gives no SLA for global table replication (typically within a second); 10 s is a margin until ReplicationLatency shows yours');

  /**
   * How far an Aurora global database secondary may lag when no managed RPO bounds it. AWS
   * says typically under a second; 10 s is a margin until `AuroraGlobalDBRPOLag` shows yours.
   */
  public static readonly AURORA_GLOBAL_LAG = new RecoveryAssumption('auroraGlobalLag', 10,
    'AWS says typically under a second and bounds it only with a managed RPO (Aurora PostgreSQL); 10 s is a margin until AuroraGlobalDBRPOLag shows yours');

  /**
   * From starting an Aurora global database switchover or failover to the new primary
   * accepting writes. AWS says minutes and publishes no figure; 5 minutes is a placeholder.
   */
  public static readonly GLOBAL_DATABASE_FAILOVER = new RecoveryAssumption('globalDatabaseFailover', 300,
    'AWS describes cross-Region switchover and failover as taking minutes, with no figure; 5 minutes is a placeholder until a drill measures it');

  /**
   * From starting to add a DB instance to a headless Aurora global secondary to the instance
   * being available. AWS publishes no figure; 10 minutes, like Aurora recreating a writer
   * without a replica, is a placeholder.
   */
  public static readonly HEADLESS_INSTANCE_CREATION = new RecoveryAssumption('headlessInstanceCreation', 600,
    'AWS publishes no time for adding an instance to a headless secondary; 10 minutes (as long as Aurora takes to recreate a writer without a replica) is a placeholder');

  /**
   * How far a cross-Region RDS read replica may lag. Replication is asynchronous and AWS
   * publishes no bound; 60 s is a placeholder until your `ReplicaLag` metric shows yours.
   */
  public static readonly RDS_REPLICA_LAG = new RecoveryAssumption('rdsReplicaLag', 60,
    'cross-Region read replicas replicate asynchronously with no published bound; 60 s is a placeholder until ReplicaLag shows yours');

  /**
   * From starting the promotion of a cross-Region read replica to it accepting writes. AWS
   * says several minutes or longer; 15 minutes is a placeholder.
   */
  public static readonly REPLICA_PROMOTION = new RecoveryAssumption('replicaPromotion', 900,
    'AWS says promoting a read replica takes several minutes or longer, with no figure; 15 minutes is a placeholder');

  /**
   * From a backup completing to its cross-Region copy completing. AWS publishes no copy
   * time; 4 hours is a placeholder until your copy jobs show yours.
   */
  public static readonly BACKUP_COPY_TIME = new RecoveryAssumption('backupCopyTime', 14400,
    'AWS Backup publishes no cross-Region copy time; 4 hours is a placeholder until your copy jobs show yours');

  /**
   * The fixed part of a restore from AWS Backup, before any data is read: the restore job
   * starting and the new resource being created. AWS publishes no figure; 30 minutes.
   */
  public static readonly RESTORE_STARTUP = new RecoveryAssumption('restoreStartup', 1800,
    'AWS publishes no restore time; 30 minutes for the job to start and the new resource to be created is a placeholder');

  /** Time to restore one GiB of an RDS or Aurora snapshot. AWS publishes no rate. */
  public static readonly RDS_RESTORE_PER_GIB = new RecoveryAssumption('rdsRestorePerGiB', 20,
    'AWS publishes no restore rate for RDS and Aurora snapshots; 20 s per GiB is a placeholder until a restore test measures yours');

  /** Time to restore one GiB of a DynamoDB backup into a new table. AWS publishes no rate. */
  public static readonly DYNAMODB_RESTORE_PER_GIB = new RecoveryAssumption('dynamoDbRestorePerGiB', 30,
    'AWS publishes no restore rate for DynamoDB backups (it depends on size and partitions); 30 s per GiB is a placeholder');

  /** Time to restore one GiB of an EBS snapshot to a usable volume. AWS publishes no rate. */
  public static readonly EBS_RESTORE_PER_GIB = new RecoveryAssumption('ebsRestorePerGiB', 5,
    'a restored EBS volume is usable at once but loads blocks lazily; 5 s per GiB until fully hydrated is a placeholder');

  /** Time to restore one GiB of an EFS backup. AWS publishes no rate. */
  public static readonly EFS_RESTORE_PER_GIB = new RecoveryAssumption('efsRestorePerGiB', 30,
    'AWS publishes no restore rate for EFS backups; 30 s per GiB is a placeholder until a restore test measures yours');

  /** Time to restore one GiB of an S3 backup into a bucket. AWS publishes no rate. */
  public static readonly S3_RESTORE_PER_GIB = new RecoveryAssumption('s3RestorePerGiB', 10,
    'AWS publishes no restore rate for S3 backups (object count matters as much as size); 10 s per GiB is a placeholder');

  /**
   * From an `UpdateRoutingControlStates` call succeeding (after rotating past unavailable
   * cluster endpoints) to Route 53 reporting the new status of the routing control's health
   * check. AWS publishes no figure; 30 s is a placeholder until a drill measures it.
   */
  public static readonly ROUTING_CONTROL_TO_HEALTH_STATUS = new RecoveryAssumption('routingControlToHealthStatus', 30,
    'AWS publishes no delay from a routing control state change to its health check status; 30 s is a placeholder until a drill measures it');

  /**
   * One runbook task calling an AWS API (or the runbook's function) and getting its answer,
   * throttling retries included. AWS publishes no latency for Step Functions' SDK
   * integrations; 5 s is a placeholder.
   */
  public static readonly RUNBOOK_TASK = new RecoveryAssumption('runbookTask', 5,
    'AWS publishes no latency for a Step Functions task calling an AWS API; 5 s, throttling retries included, is a placeholder');

  /**
   * From a fenced ECS service's desired count reaching 0 to its last task stopped: the target
   * group's deregistration delay (300 s by default) and the container stop timeout (30 s by
   * default). The runbook does not know the target group's setting, so 330 s.
   */
  public static readonly SERVICE_DRAIN = new RecoveryAssumption('serviceDrain', 330,
    'the ELB deregistration delay (300 s by default) and the ECS stop timeout (30 s by default) of a service scaled to 0');

  /**
   * From an ECS service's desired count raised to its tasks running: placement, image pull,
   * container start and the health-check grace. AWS publishes no figure; 300 s is a placeholder.
   */
  public static readonly ECS_SCALE_OUT = new RecoveryAssumption('ecsScaleOut', 300,
    'AWS publishes no time for ECS tasks to start (placement, image pull, start, health-check grace); 300 s is a placeholder');

  /**
   * From an Auto Scaling group's desired capacity raised to its new instances InService: launch,
   * boot, user data and the health-check grace. AWS publishes no figure; 600 s is a placeholder.
   */
  public static readonly INSTANCE_LAUNCH = new RecoveryAssumption('instanceLaunch', 600,
    'AWS publishes no time for EC2 instances to launch, boot and pass the group\'s health check; 600 s is a placeholder');

  /**
   * From a runbook asking for a manual approval to a person giving it. 900 s is a placeholder:
   * set what your on-call rota achieves.
   */
  public static readonly APPROVAL_WAIT = new RecoveryAssumption('approvalWait', 900,
    'how long a person takes to approve a runbook step depends on the on-call rota; 900 s is a placeholder');

  /**
   * From a Region switch plan's trigger alarm turning red to the plan's execution starting.
   * AWS does not publish it; 60 s is a placeholder until a practice run measures it.
   */
  public static readonly REGION_SWITCH_TRIGGER = new RecoveryAssumption('regionSwitchTrigger', 60,
    'AWS does not publish how soon a Region switch trigger starts the plan after its alarm turns red; 60 s is a placeholder');

  /**
   * From a service impairment to its AWS Health issue event reaching EventBridge. AWS publishes
   * no figure: it posts once it has confirmed an issue. 30 minutes is an assumption, a
   * placeholder until your own incidents' timelines show yours.
   */
  public static readonly AWS_HEALTH_SIGNAL = new RecoveryAssumption('awsHealthSignal', 1800,
    'AWS publishes no delay from an impairment to its AWS Health event (posted once AWS has confirmed the issue) nor to EventBridge delivery; 30 minutes is an assumed placeholder until your incidents show yours');

  /**
   * From a Global Accelerator endpoint group turning unhealthy to new connections reaching
   * another group. AWS publishes no figure for it; the only published one is about 30 s for
   * traffic to return to a recovered group, used as the placeholder.
   */
  public static readonly ACCELERATOR_REROUTE = new RecoveryAssumption('acceleratorReroute', 30,
    'AWS publishes no figure for moving new connections away from an unhealthy endpoint group; the only published figure is about 30 s for traffic to return to a recovered group, used as a placeholder until a drill measures it');

  /**
   * From a recovery deploy starting to the recovery Region's stack being created: network, load
   * balancer, service (the database restore is its own term). AWS publishes no figure; 1,800 s
   * is a placeholder until a restore test measures it.
   */
  public static readonly REGION_PROVISIONING = new RecoveryAssumption('regionProvisioning', 1800,
    'AWS publishes no time for CloudFormation to create a Region\'s network, load balancer and service; 1,800 s is a placeholder until a restore test measures it');

  /**
   * The writes of a source server that AWS Elastic Disaster Recovery has not yet replicated to
   * the staging area. AWS says RPOs of seconds, with no figure; 30 s is a placeholder until you
   * read your servers' lag.
   */
  public static readonly DRS_REPLICATION_LAG = new RecoveryAssumption('drsReplicationLag', 30,
    'AWS says DRS recovers with an RPO of seconds, with no figure; 30 s is a placeholder until your servers\' replication lag is read');

  /**
   * From a DRS recovery (or drill) started to its recovery instances launched: conversion of the
   * point-in-time snapshot and the EC2 launch. AWS says RTOs of minutes, with no figure; 20
   * minutes is a placeholder until a drill times the job.
   */
  public static readonly DRS_RECOVERY_LAUNCH = new RecoveryAssumption('drsRecoveryLaunch', 1200,
    'AWS says DRS recovers with an RTO of minutes, with no figure for conversion and launch; 20 minutes is a placeholder until a drill times the job');

  /**
   * From a DRS recovery instance launched to its applications serving: boot, services, warm-up.
   * It depends on the server; 5 minutes is a placeholder.
   */
  public static readonly DRS_INSTANCE_BOOT = new RecoveryAssumption('drsInstanceBoot', 300,
    'the boot of a recovered server and the start of its applications depend on the server; 5 minutes is a placeholder');

  /**
   * An assumption of your own, for the terms of your own recovery paths.
   *
   * @param id stable identifier, e.g. `cacheWarmUp`; must not be one of the well-known ids
   * @param defaultValue the value used until replaced
   * @param basis why this default, in one sentence
   */
  public static custom(id: string, defaultValue: Duration, basis: string): RecoveryAssumption {
    const problems: string[] = [];
    if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(id)) {
      problems.push(`\`id\` must be 1 to 64 letters, digits or hyphens starting with a letter, got: ${JSON.stringify(id)}`);
    } else if (RecoveryAssumption.wellKnown().some((a) => a.id === id)) {
      problems.push(`\`id\` ${JSON.stringify(id)} is a well-known assumption: use RecoveryAssumption.${constantName(id)} instead`);
    }
    const seconds = checkDuration({ add: (m) => problems.push(m.replace(/\.$/, '')) }, 'defaultValue', defaultValue,
      { literal: 'the recovery model needs the figure at synth' });
    if (basis.trim().length === 0) {
      problems.push('`basis` must say why this default, in one sentence');
    }
    if (problems.length > 0) {
      throw new Error(`RecoveryAssumption.custom: ${problems.join('; ')}.`);
    }
    return new RecoveryAssumption(id, seconds!, basis);
  }

  /** Every well-known assumption, in the order of the docs. */
  public static wellKnown(): RecoveryAssumption[] {
    return [
      RecoveryAssumption.HEALTH_TO_DNS_ANSWER, RecoveryAssumption.CLIENT_DNS_CACHE, RecoveryAssumption.UNPUBLISHED_ALIAS_TTL,
      RecoveryAssumption.ALARM_TO_HEALTH_STATUS, RecoveryAssumption.TARGET_HEALTH_DETECTION, RecoveryAssumption.OPERATOR_RESPONSE,
      RecoveryAssumption.AUTOSHIFT_DETECTION, RecoveryAssumption.ENDPOINT_DNS_TTL,
      RecoveryAssumption.S3_REPLICATION_LAG, RecoveryAssumption.DYNAMODB_REPLICATION_LAG, RecoveryAssumption.AURORA_GLOBAL_LAG,
      RecoveryAssumption.GLOBAL_DATABASE_FAILOVER, RecoveryAssumption.HEADLESS_INSTANCE_CREATION, RecoveryAssumption.RDS_REPLICA_LAG,
      RecoveryAssumption.REPLICA_PROMOTION,
      RecoveryAssumption.BACKUP_COPY_TIME, RecoveryAssumption.RESTORE_STARTUP, RecoveryAssumption.RDS_RESTORE_PER_GIB,
      RecoveryAssumption.DYNAMODB_RESTORE_PER_GIB, RecoveryAssumption.EBS_RESTORE_PER_GIB, RecoveryAssumption.EFS_RESTORE_PER_GIB,
      RecoveryAssumption.S3_RESTORE_PER_GIB, RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS,
      RecoveryAssumption.RUNBOOK_TASK, RecoveryAssumption.SERVICE_DRAIN, RecoveryAssumption.ECS_SCALE_OUT,
      RecoveryAssumption.INSTANCE_LAUNCH, RecoveryAssumption.APPROVAL_WAIT,
      RecoveryAssumption.REGION_SWITCH_TRIGGER,
      RecoveryAssumption.AWS_HEALTH_SIGNAL,
      RecoveryAssumption.ACCELERATOR_REROUTE,
      RecoveryAssumption.REGION_PROVISIONING,
      RecoveryAssumption.DRS_REPLICATION_LAG, RecoveryAssumption.DRS_RECOVERY_LAUNCH, RecoveryAssumption.DRS_INSTANCE_BOOT,
    ];
  }

  /** Stable identifier: the key to replace it by, in `assumptions` props and in `RecoveryAssumptions`. */
  public readonly id: string;
  /** The value used until replaced. */
  public readonly defaultValue: Duration;
  /** Why this default. */
  public readonly basis: string;
  /** @internal */
  public readonly _defaultSeconds: number;

  private constructor(id: string, defaultSeconds: number, basis: string) {
    this.id = id;
    this._defaultSeconds = defaultSeconds;
    this.defaultValue = Duration.millis(Math.round(defaultSeconds * 1000));
    this.basis = basis;
  }
}

function constantName(id: string): string {
  return id.replace(/([A-Z])/g, '_$1').toUpperCase();
}

/**
 * Properties of `RecoveryAssumptions`.
 */
export interface RecoveryAssumptionsProps {
  /**
   * Values that replace the defaults of named assumptions, by id (`RecoveryAssumption.id`),
   * e.g. `{ clientDnsCache: Duration.seconds(30) }`. Give what your drills measured.
   */
  readonly values: { [id: string]: Duration };
}

/**
 * Replaces the defaults of named assumptions for every recovery path in a scope: an app, a
 * stage, a stack or any construct. A construct's own `assumptions` prop wins over this; the
 * nearest declaration above a construct wins over farther ones.
 *
 * @example
 * new RecoveryAssumptions(app, 'Assumptions', {
 *   values: { healthToDnsAnswer: Duration.seconds(20), clientDnsCache: Duration.seconds(30) },
 * });
 */
export class RecoveryAssumptions extends Construct {
  /**
   * Whether `x` is a `RecoveryAssumptions` (also across copies of this library).
   */
  public static isRecoveryAssumptions(x: any): x is RecoveryAssumptions {
    return x !== null && typeof x === 'object' && ASSUMPTIONS_SYMBOL in x;
  }

  /**
   * The value of an assumption for a construct: its nearest `RecoveryAssumptions` that sets
   * it, or the default.
   */
  public static valueFor(construct: IConstruct, assumption: RecoveryAssumption): Duration {
    return RecoveryAssumptions._find(construct, assumption.id) ?? assumption.defaultValue;
  }

  /** @internal */
  public static _find(construct: IConstruct, id: string): Duration | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      for (const child of scope.node.children) {
        if (RecoveryAssumptions.isRecoveryAssumptions(child) && child.values[id] !== undefined) {
          return child.values[id];
        }
      }
    }
    return undefined;
  }

  /** The values set here, by assumption id. */
  public readonly values: { [id: string]: Duration };

  constructor(scope: Construct, id: string, props: RecoveryAssumptionsProps) {
    super(scope, id);
    Object.defineProperty(this, ASSUMPTIONS_SYMBOL, { value: true });
    const problems = new Problems(this);
    checkDurationMap(problems, 'values', props.values);
    problems.throwIfAny();
    this.values = { ...props.values };
  }
}

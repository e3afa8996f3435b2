import { Duration, Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { DatabaseAlarmThresholds } from './database-options';
import type { MultiAzDatabaseBase } from './multi-az-database-base';
import { LagMetric, TopologySpec } from './topology-strategy';
import { AlarmFactory } from '../private/alarm-factory';

const DEFAULT_CPU_PERCENT = 80;
const DEFAULT_FREE_STORAGE_GIB = 10;
const DEFAULT_REPLICA_LAG_SECONDS = 30;

/** CPU, free storage, connections and replica lag, as the topology and thresholds call for, under `Alarms`. */
export function createDatabaseAlarms(database: MultiAzDatabaseBase, factory: AlarmFactory, spec: TopologySpec,
  a: DatabaseAlarmThresholds): cloudwatch.Alarm[] {
  const group = new Construct(database, 'Alarms');
  const metric = (metricName: string, statistic: string, period: Duration) => database.metric(metricName, { statistic, period });
  // A gap in RDS metrics means the database published nothing (stopped, failing over,
  // replaced): it says nothing about load or space, so these alarms keep their state
  // (MISSING); the failover itself reaches the topic through the event subscription.
  const cpu = a.cpuUtilizationPercent ?? DEFAULT_CPU_PERCENT;
  factory.addAlarm('Cpu', {
    description: `CPU utilization above ${cpu} % for 5 minutes.`,
    metric: metric('CPUUtilization', cloudwatch.Stats.AVERAGE, Duration.minutes(1)),
    threshold: cpu,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
  }, group);
  if ('allocatedGib' in spec.storage) {
    const free = a.freeStorageSpace ?? Size.gibibytes(DEFAULT_FREE_STORAGE_GIB);
    factory.addAlarm('FreeStorage', {
      description: `free storage below ${free.isUnresolved() ? 'the deploy-time threshold' : `${gib(free)} GiB`}.`,
      metric: metric('FreeStorageSpace', cloudwatch.Stats.MINIMUM, Duration.minutes(5)),
      threshold: free.isUnresolved() ? free.toBytes() : free.toBytes({ rounding: SizeRoundingBehavior.NONE }),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    }, group);
  }
  if (a.maxConnections !== undefined) {
    factory.addAlarm('Connections', {
      description: `more than ${a.maxConnections} database connections for 3 minutes.`,
      metric: metric('DatabaseConnections', cloudwatch.Stats.MAXIMUM, Duration.minutes(1)),
      threshold: a.maxConnections,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    }, group);
  }
  if ('metricName' in spec.replicaLag) {
    const lag = a.replicaLag ?? Duration.seconds(DEFAULT_REPLICA_LAG_SECONDS);
    factory.addAlarm('ReplicaLag', {
      description: `replica lag above ${lag.toHumanString()} for 3 minutes.`,
      metric: metric(spec.replicaLag.metricName, cloudwatch.Stats.MAXIMUM, Duration.minutes(1)),
      threshold: lagThreshold(lag, spec.replicaLag),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // Readers publish lag only while they replicate: none while one restarts or after it
      // is promoted, which is no lag.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }, group);
  }
  return factory.alarms;
}

/** The threshold in the metric's unit. */
export function lagThreshold(lag: Duration, metric: LagMetric): number {
  const ms = metric.unit === 'ms';
  if (lag.isUnresolved()) {
    return ms ? lag.toMilliseconds() : lag.toSeconds();
  }
  const millis = lag.toMilliseconds({ integral: false });
  return ms ? millis : millis / 1000;
}

export function gib(size: Size): string {
  return String(Math.round(size.toBytes() / 1024 ** 3 * 100) / 100);
}

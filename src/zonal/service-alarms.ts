import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { MultiAzServiceBase } from './multi-az-service-base';
import { AlarmFactory } from '../private/alarm-factory';

/** What the alarms of a `MultiAzService` watch and when they fire. */
export interface ServiceAlarmSettings {
  readonly zones: string[];
  /** The period of both alarms, which the zonal-shift model also reads. */
  readonly period: Duration;
  /** A zone alarms below this many healthy targets: its share of the statically stable capacity. */
  readonly capacityPerZone: number;
  /** Consecutive periods below capacity before a zone alarms. */
  readonly zoneAlarmPeriods: number;
  readonly errorRatePercent: number;
}

/** One alarm per zone, `ZoneAlarm1`..n: healthy targets below the zone's share. */
export function createZoneAlarms(factory: AlarmFactory, service: MultiAzServiceBase, s: ServiceAlarmSettings): cloudwatch.Alarm[] {
  return s.zones.map((zone, index) => {
    const label = Token.isUnresolved(zone) ? `zone ${index + 1}` : zone;
    return factory.addAlarm(`ZoneAlarm${index + 1}`, {
      description: `healthy targets in ${label} below its share of the statically stable capacity (${s.capacityPerZone}). `
        + 'If the zone is impaired, start a zonal shift away from it.',
      metric: service.metricHealthyHostCount(zone, { period: s.period }),
      threshold: s.capacityPerZone,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: s.zoneAlarmPeriods,
      datapointsToAlarm: s.zoneAlarmPeriods,
      // ELB publishes nothing for a zone without registered targets: a zone that lost them all is down.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  });
}

/** `ErrorRateAlarm`: the 5xx rate of the load balancer and its targets, the default practice-run outcome alarm. */
export function createErrorRateAlarm(factory: AlarmFactory, service: MultiAzServiceBase, s: ServiceAlarmSettings): cloudwatch.Alarm {
  return factory.addAlarm('ErrorRateAlarm', {
    description: `more than ${s.errorRatePercent} % of requests answered with a 5xx by the load balancer or the targets.`,
    metric: service.metricErrorRate({ period: s.period }),
    threshold: s.errorRatePercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // No requests is no evidence of errors.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

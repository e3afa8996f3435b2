/**
 * What an alarm must be for a Route 53 alarm-based health check to follow it
 * (docs/aws-facts.md#route-53-health-checks, alarm-based checks): one metric of this account, standard resolution (period of 60 s or
 * more), a basic statistic, no metric math, no "M out of N". `AlarmHealthCheck` checks the
 * user's alarm with it and `HealthProbe` the alarm it builds, so the two cannot disagree.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { show, unresolved } from './validate';
import { ALARM_PERIOD } from '../objectives/model/alarms';

/** The statistics a Route 53 alarm-based check accepts. */
const ROUTE53_STATISTICS = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'];

/** An alarm as Route 53 sees it, read from its template; values unknown at synth are undefined. */
export interface AlarmShape {
  /** An expression, or more than one metric. */
  readonly math: boolean;
  readonly statistic?: string;
  /** Seconds. */
  readonly period?: number;
  /** Set when the metric is another account's. */
  readonly metricAccount?: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

/**
 * Reads both forms aws-cdk-lib renders: a plain metric at the top level, or the `Metrics` list,
 * which it uses for metric math and also for one metric with a label or of another account.
 * A list of one metric without an expression is one metric, not math.
 */
export function alarmShape(alarm: cloudwatch.Alarm): AlarmShape {
  const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
  const common = { evaluationPeriods: known(cfn.evaluationPeriods), datapointsToAlarm: known(cfn.datapointsToAlarm) };
  const metrics = cfn.metrics;
  if (metrics === undefined) {
    // Any extended statistic (a percentile, a trimmed mean) is refused, even one unknown at synth.
    const statistic = cfn.extendedStatistic !== undefined ? String(cfn.extendedStatistic) : text(cfn.statistic);
    return { ...common, math: false, statistic, period: known(cfn.period) };
  }
  if (Token.isUnresolved(metrics)) {
    return { ...common, math: false };
  }
  const queries = metrics as Array<cloudwatch.CfnAlarm.MetricDataQueryProperty | object>;
  const query = queries.length === 1 && !Token.isUnresolved(queries[0]) ? queries[0] as cloudwatch.CfnAlarm.MetricDataQueryProperty : undefined;
  if (!query || query.expression !== undefined || query.metricStat === undefined) {
    return { ...common, math: true };
  }
  if (Token.isUnresolved(query.metricStat)) {
    return { ...common, math: false };
  }
  const stat = query.metricStat as cloudwatch.CfnAlarm.MetricStatProperty;
  return { ...common, math: false, statistic: text(stat.stat), period: known(stat.period), metricAccount: text(query.accountId) };
}

/** Adds a problem for every rule the alarm breaks; `scope` is the health check that follows it. */
export function checkRoute53Alarm(problems: Problems, scope: IConstruct, alarm: cloudwatch.Alarm): void {
  const shape = alarmShape(alarm);
  const name = `\`alarm\` ${alarm.node.path}`;
  const fix = 'Route 53 alarm-based health checks need one metric, a basic statistic, a period of 60 s or more and no "M out of N".';
  if (shape.math) {
    problems.add(`${name} uses metric math, which Route 53 does not accept. ${fix}`);
  }
  if (shape.statistic !== undefined && !ROUTE53_STATISTICS.includes(shape.statistic)) {
    problems.add(`${name} uses the statistic ${show(shape.statistic)}; Route 53 accepts ${ROUTE53_STATISTICS.join(', ')}. ${fix}`);
  }
  if (shape.period !== undefined && shape.period < ALARM_PERIOD) {
    problems.add(`${name} has a ${shape.period} s period (high resolution); Route 53 accepts standard-resolution periods of 60 s or more. ${fix}`);
  }
  const { evaluationPeriods, datapointsToAlarm } = shape;
  if (datapointsToAlarm !== undefined && evaluationPeriods !== undefined && datapointsToAlarm !== evaluationPeriods) {
    problems.add(`${name} alarms on ${datapointsToAlarm} out of ${evaluationPeriods} datapoints; Route 53 does not support "M out of N". `
      + 'Make datapointsToAlarm equal to evaluationPeriods.');
  }
  const here = Stack.of(scope).account;
  const there = Stack.of(alarm).account;
  if (!unresolved(here) && !unresolved(there) && here !== there) {
    problems.add(`${name} is in account ${there}; Route 53 follows alarms of its own account (${here}) only.`);
  }
  if (shape.metricAccount !== undefined && !unresolved(here) && shape.metricAccount !== here) {
    problems.add(`${name} reads a metric of account ${shape.metricAccount}; Route 53 follows alarms on metrics of its own account (${here}) only. `
      + 'Alarm in the account that owns the metric, and check that alarm from there.');
  }
}

function known(value: unknown): number | undefined {
  return typeof value === 'number' && !Token.isUnresolved(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && !Token.isUnresolved(value) ? value : undefined;
}

import { Aspects, Duration, IAspect, Lazy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { FailoverDrill } from './failover-drill';
import { HealthProbe } from '../health/health-probe';
import { METRICS as PROBE_METRICS } from '../health/probe-contract';
import { RecoveryObjectives } from '../objectives/objectives';
import { FailoverReport, isPathProvider } from '../objectives/report/failover-report';
import { fmt } from '../objectives/report/format';
import { ReportPath } from '../objectives/report/report-path';
import { Problems } from '../private/errors';
import { partitionOf, route53HomeRegion } from '../private/region';
import { constructsOfStage } from '../private/stage';
import { show } from '../private/validate';

/** The namespace drills publish `MeasuredRTO` to, per drill and path (seconds). */
const DRILL_NAMESPACE = 'CdkFailover/Drills';
const MEASURED_RTO = 'MeasuredRTO';
const MODELED_RTO = 'ModeledRTOWorst';

/**
 * The replication-lag metrics of the data paths this library builds, with the unit they are
 * published in (docs/aws-facts.md): the dashboard draws the RPO in the same unit.
 */
const LAG_METRICS = [
  { namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBRPOLag', dimension: 'DBClusterIdentifier', toUnit: 1000, unit: 'ms', label: 'Aurora global lag' },
  { namespace: 'AWS/RDS', metricName: 'ReplicaLag', dimension: 'DBInstanceIdentifier', toUnit: 1, unit: 's', label: 'RDS read replica lag' },
  { namespace: 'AWS/DynamoDB', metricName: 'ReplicationLatency', dimension: 'TableName', toUnit: 1000, unit: 'ms', label: 'DynamoDB replication latency' },
  { namespace: 'AWS/S3', metricName: 'ReplicationLatency', dimension: 'SourceBucket', toUnit: 1, unit: 's', label: 'S3 replication latency' },
];

/**
 * Properties of `FailoverDashboard`.
 */
export interface FailoverDashboardProps {
  /**
   * The dashboard's name: 1 to 255 letters, digits, hyphens or underscores.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The period of the graphs: whole minutes, 1 to 60.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
}

/**
 * A CloudWatch dashboard for the failover of an app (or a stage): every recovery path with its
 * modeled figures against the objectives, the Route 53 health checks' status, the replication
 * lag of each data path against the RPO, the probes' failures, and the drills' measured RTO
 * against the RTO objective.
 *
 * It reads the metrics by search expressions on deterministic names (the metric names and
 * namespaces, the Regions of the stacks), never by another stack's resource ids: a dashboard in
 * one Region needs no cross-Region reference to show another Region's metrics. Its widgets are
 * filled at synthesis, from the constructs of the stage, so put it anywhere in the app.
 *
 * @exampleMetadata fixture=runbook
 * @example
 * new FailoverDashboard(this, 'Dashboard', { dashboardName: 'orders-failover' });
 */
export class FailoverDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  private readonly period: Duration;
  private filled = false;

  constructor(scope: Construct, id: string, props: FailoverDashboardProps = {}) {
    super(scope, id);
    const problems = new Problems(this);
    const name = props.dashboardName;
    if (name !== undefined && !Token.isUnresolved(name) && !/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      problems.add(`\`dashboardName\` must be 1 to 255 letters, digits, hyphens or underscores, got: ${show(name)}. Give e.g. \`orders-failover\`.`);
    }
    const period = props.period;
    if (period !== undefined && (period.isUnresolved() || !Number.isInteger(period.toSeconds({ integral: false }) / 60)
      || period.toMinutes({ integral: false }) < 1 || period.toMinutes({ integral: false }) > 60)) {
      problems.add(`\`period\` must be whole minutes from 1 to 60, got: ${show(period)}. Give e.g. Duration.minutes(1).`);
    }
    problems.throwIfAny();
    this.period = period ?? Duration.minutes(1);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: name });
    const stage = Stage.of(this);
    if (stage) {
      Aspects.of(stage).add(new Filler(this));
    }
  }

  /** @internal fills the widgets once, when the construct tree is complete. */
  public _fill(): void {
    if (this.filled) {
      return;
    }
    this.filled = true;
    const constructs = constructsOfStage(this);
    const rows: cloudwatch.IWidget[][] = [
      ...this.pathRows(constructs),
      this.healthCheckRow(constructs),
      this.lagRow(constructs),
      this.probeRow(constructs),
      this.drillRow(constructs),
    ].filter((row) => row.length > 0);
    rows.forEach((row) => this.dashboard.addWidgets(...row));
  }

  /**
   * One table of every path: modeled RTO and RPO against the nearest objectives, as the failover
   * report describes them (rendered when the template is, after the report has asked each
   * provider for its paths once).
   */
  private pathRows(constructs: IConstruct[]): cloudwatch.IWidget[][] {
    const count = constructs.filter(isPathProvider).length;
    if (count === 0) {
      return [];
    }
    const report = FailoverReport.of(this);
    const markdown = Lazy.string({
      produce: () => ['## Recovery paths (modeled at synth)', '', '| path | kind | RTO worst | RTO objective | RPO worst | RPO objective |',
        '| --- | --- | --- | --- | --- | --- |', ...report._paths().map(pathLine)].join('\n'),
    });
    return [[new cloudwatch.TextWidget({ markdown, width: 24, height: Math.min(20, 4 + 2 * count) })]];
  }

  /** The status of every Route 53 health check, in the partition's Route 53 home Region. */
  private healthCheckRow(constructs: IConstruct[]): cloudwatch.IWidget[] {
    if (!constructs.some((c) => c instanceof route53.CfnHealthCheck)) {
      return [];
    }
    const region = route53HomeRegion(partitionOf(Stack.of(this).region)) ?? 'us-east-1';
    return [new cloudwatch.GraphWidget({
      title: 'Route 53 health checks: status (1 healthy, 0 unhealthy)',
      left: [search('{AWS/Route53,HealthCheckId} MetricName="HealthCheckStatus"', 'Minimum', this.period, region, 'status')],
      leftYAxis: { min: 0, max: 1 },
      width: 24,
    })];
  }

  /** Replication lag of each data family present, per Region, against the nearest RPO. */
  private lagRow(constructs: IConstruct[]): cloudwatch.IWidget[] {
    const regions = [...new Set(constructs.filter(isPathProvider).map((c) => Stack.of(c).region).filter((r) => !Token.isUnresolved(r)))].sort();
    const rpo = RecoveryObjectives.of(this)?.rpo;
    return LAG_METRICS.filter((m) => constructs.some((c) => usesLagMetric(c, m.metricName))).map((m) => new cloudwatch.GraphWidget({
      title: `${m.label} (${m.unit})${rpo ? ` against the RPO ${rpo.toHumanString()}` : ''}`,
      left: regions.map((region) => search(`{${m.namespace},${m.dimension}} MetricName="${m.metricName}"`, 'Maximum', this.period, region, region)),
      leftAnnotations: rpo ? [{ value: rpo.toSeconds({ integral: false }) * m.toUnit, label: 'RPO', color: cloudwatch.Color.RED }] : [],
      width: 12,
    }));
  }

  /** The probes' failed targets, per probe namespace and Region. */
  private probeRow(constructs: IConstruct[]): cloudwatch.IWidget[] {
    const probes = constructs.filter((c): c is HealthProbe => c instanceof HealthProbe);
    const sources = [...new Map(probes.map((p) => [`${p.namespace}|${Stack.of(p).region}`, p])).values()];
    if (sources.length === 0) {
      return [];
    }
    return [new cloudwatch.GraphWidget({
      title: 'Health probes: failed targets per round',
      left: sources.map((p) => search(`{${p.namespace},Probe} MetricName="${PROBE_METRICS.failedTargets}"`, 'Maximum', this.period,
        Token.isUnresolved(Stack.of(p).region) ? undefined : Stack.of(p).region, p.namespace)),
      width: 24,
    })];
  }

  /**
   * The drills' measured RTO and modeled worst case, per drill and path, against the RTO
   * objective: in the default namespace and every namespace a `FailoverDrill` of the stage uses.
   */
  private drillRow(constructs: IConstruct[]): cloudwatch.IWidget[] {
    const rto = RecoveryObjectives.of(this)?.rto;
    // Where drills publish: the default namespace here, and each drill's namespace in its own Region.
    const here = Stack.of(this).region;
    const drills = constructs.filter((c): c is FailoverDrill => c instanceof FailoverDrill);
    const sources = [...new Map([{ ns: DRILL_NAMESPACE, region: here }, ...drills.map((d) => ({ ns: d.metricNamespace, region: Stack.of(d).region }))]
      .map((x) => [`${x.ns}|${x.region}`, x])).values()];
    const label = (what: string, x: { ns: string; region: string }) => sources.length === 1 ? what
      : `${what} (${x.ns}${x.region === here || Token.isUnresolved(x.region) ? '' : `, ${x.region}`})`;
    return [new cloudwatch.GraphWidget({
      title: `Drills: measured RTO and modeled worst case (s)${rto ? ` against the RTO ${rto.toHumanString()}` : ''}`,
      left: sources.flatMap((x) => {
        const region = x.region === here || Token.isUnresolved(x.region) ? undefined : x.region;
        return [
          search(`{${x.ns},Drill,Path} MetricName="${MEASURED_RTO}"`, 'Maximum', Duration.hours(1), region, label('measured', x)),
          search(`{${x.ns},Drill,Path} MetricName="${MODELED_RTO}"`, 'Maximum', Duration.hours(1), region, label('modeled worst', x)),
        ];
      }),
      leftAnnotations: rto ? [{ value: rto.toSeconds({ integral: false }), label: 'RTO', color: cloudwatch.Color.RED }] : [],
      width: 24,
    })];
  }
}

/** Fills the dashboard when the aspects run: the construct tree is complete then. */
class Filler implements IAspect {
  constructor(private readonly dashboard: FailoverDashboard) {}

  public visit(node: IConstruct): void {
    if (node === this.dashboard) {
      this.dashboard._fill();
    }
  }
}

function search(expression: string, statistic: string, period: Duration, region: string | undefined, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('${expression}', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    period,
    label,
    searchRegion: region,
  });
}

/** Whether a construct's subtree alarms on the lag metric (the data constructs' lag alarms). */
function usesLagMetric(c: IConstruct, metricName: string): boolean {
  if (!(c instanceof cloudwatch.CfnAlarm)) {
    return false;
  }
  const alarm = c as cloudwatch.CfnAlarm;
  if (alarm.metricName === metricName) {
    return true;
  }
  return JSON.stringify(Stack.of(c).resolve(alarm.metrics) ?? '').includes(metricName);
}

function pathLine(p: ReportPath): string {
  const cell = (seconds: number | undefined) => (seconds === undefined ? '-' : fmt(seconds));
  const o = p.check.objectives;
  return `| ${p.id} | ${p.kind.label} | ${cell(p.totals.rtoMax)} | ${cell(o?.rto)} | ${cell(p.totals.rpoMax)} | ${cell(o?.rpo)} |`;
}

import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DrillFault } from './drill-fault';
import { BoundFault, MAX_EXPERIMENT_SECONDS } from './private/fault-binding';
import { Problems } from '../private/errors';
import { acknowledgeFindings, defaultPolicyOf, NagRule } from '../private/nag';
import { checkDuration, literalSeconds, show, truncate, unresolved } from '../private/validate';

/** How the faults of an experiment run (docs/aws-facts.md#fis-and-drs, quotas). */
export enum FaultOrder {
  /** One after the other, each starting when the previous one ends. */
  SEQUENCE = 'SEQUENCE',
  /** All at once (FIS runs at most 10 actions in parallel). */
  PARALLEL = 'PARALLEL',
}

/**
 * The FIS experiment report: a PDF summary FIS writes to S3 after the experiment, with the
 * graphs of CloudWatch dashboards before, during and after it.
 */
export interface FisExperimentReportOptions {
  /** The bucket FIS writes the report to. The experiment role may write under `prefix` only. */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix of the reports (at most 256 characters, no whitespace).
   *
   * @default 'fis-reports'
   */
  readonly prefix?: string;

  /**
   * Dashboards whose widgets the report shows.
   *
   * @default - none: the report has no graphs
   */
  readonly dashboards?: cloudwatch.Dashboard[];

  /**
   * How long before the experiment the report's graphs start.
   *
   * @default - FIS's default
   */
  readonly preExperimentDuration?: Duration;

  /**
   * How long after the experiment the report's graphs end.
   *
   * @default - FIS's default
   */
  readonly postExperimentDuration?: Duration;
}

/** Properties of `FisExperiment`. */
export interface FisExperimentProps {
  /** The faults the experiment injects: 1 to 20 (FIS's actions per template). */
  readonly faults: DrillFault[];

  /**
   * Whether the faults run one after the other or all at once.
   *
   * @default FaultOrder.SEQUENCE
   */
  readonly order?: FaultOrder;

  /**
   * The service's error-rate alarm: FIS stops the experiment when it goes into ALARM. This is
   * the stop condition every drill should have; give it unless `withoutStopConditions` is set.
   *
   * @default - none; then `stopConditions` must hold an alarm, or `withoutStopConditions` be true
   */
  readonly errorRateAlarm?: cloudwatch.IAlarm;

  /**
   * More alarms that stop the experiment. With `errorRateAlarm`, at most 5 in all (FIS's stop
   * conditions per template, not adjustable).
   *
   * @default - only `errorRateAlarm`
   */
  readonly stopConditions?: cloudwatch.IAlarm[];

  /**
   * Run the experiment with no stop condition (FIS's `none` source): nothing stops it early but
   * an operator. Only with no alarm given.
   *
   * @default false
   */
  readonly withoutStopConditions?: boolean;

  /**
   * The description of the experiment template (at most 512 characters).
   *
   * @default - the faults' descriptions
   */
  readonly description?: string;

  /**
   * Where FIS writes the experiment report, and which dashboards it shows.
   *
   * @default - no report
   */
  readonly experimentReport?: FisExperimentReportOptions;

  /**
   * Tags of the experiment template (at most 50). Experiments started from it are tagged alike.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** FIS quotas and limits the construct checks (docs/aws-facts.md#fis-and-drs). */
const MAX_ACTIONS = 20;
const MAX_PARALLEL = 10;
const MAX_STOP_CONDITIONS = 5;
const MAX_DESCRIPTION = 512;
const MAX_TAGS = 50;
const MAX_PREFIX = 256;

/**
 * An AWS FIS experiment template that injects one or more `DrillFault`s, with an execution role
 * scoped to the faults' exact targets and documented permissions, CloudWatch alarms as stop
 * conditions, and optionally the FIS experiment report.
 *
 * The experiment declares no recovery path: the drill that starts it measures the recovery.
 * The template is the L1 `AWS::FIS::ExperimentTemplate` under id `Resource`.
 *
 * @exampleMetadata fixture=fis
 * @example
 * const experiment = new FisExperiment(this, 'ZoneDrill', {
 *   faults: [
 *     DrillFault.azConnectivityLoss({ vpc, availabilityZone: 'us-east-1a', duration: Duration.minutes(10), scope: ConnectivityScope.ALL }),
 *     DrillFault.auroraClusterFailover({ cluster }),
 *   ],
 *   order: FaultOrder.PARALLEL,
 *   errorRateAlarm: errorRate,
 * });
 * new CfnOutput(this, 'TemplateId', { value: experiment.experimentTemplateId });
 */
export class FisExperiment extends Construct {
  /** The ID of the experiment template, to start an experiment from (`fis:StartExperiment`). */
  public readonly experimentTemplateId: string;

  /** The faults the experiment injects, in the order given. */
  public readonly faults: DrillFault[];

  /** Whether the faults run one after the other or all at once. */
  public readonly order: FaultOrder;

  /**
   * How long the faults last in the model: the sum of their durations in sequence, the longest
   * in parallel. Instant faults (a failover, a reboot) count 0.
   */
  public readonly faultDuration: Duration;

  /** The ARN of the experiment template. */
  public readonly experimentTemplateArn: string;

  /** The role FIS assumes to run the experiment. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: FisExperimentProps) {
    super(scope, id);
    const problems = new Problems(this);
    const faults = props.faults ?? [];
    const order = props.order ?? FaultOrder.SEQUENCE;
    const alarms = [...(props.errorRateAlarm ? [props.errorRateAlarm] : []), ...(props.stopConditions ?? [])];
    validateShape(problems, props, faults, order, alarms);
    const seconds = faultSeconds(faults, order);
    // A single fault over the limit is reported by the fault itself.
    if (seconds > MAX_EXPERIMENT_SECONDS && faults.every((f) => faultSeconds([f], order) <= MAX_EXPERIMENT_SECONDS)) {
      problems.add(`the faults last ${show(Duration.seconds(seconds))} ${order === FaultOrder.SEQUENCE ? 'in sequence' : 'at most'}; `
        + 'FIS runs an experiment for at most 12 hours. Shorten the faults\' `duration`, or split them over several experiments.');
    }
    const bound = faults.map((f, i) => f._bind(this, problems, `faults[${i}]`));
    problems.throwIfAny();

    this.faults = [...faults];
    this.order = order;
    this.faultDuration = Duration.seconds(seconds);

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: `Runs the FIS experiment ${this.node.path}`,
    });
    this.role = role;
    const nag: NagRule[] = [];
    for (const b of bound as BoundFault[]) {
      b.statements.forEach((s) => role.addToPrincipalPolicy(s));
      nag.push(...b.nag);
    }

    const actions: { [key: string]: fis.CfnExperimentTemplate.ExperimentTemplateActionProperty } = {};
    const targets: { [key: string]: fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty } = {};
    const keys = faults.map((f, i) => `fault${i + 1}-${f.actionId.split(':').slice(1).join('-')}`);
    faults.forEach((fault, i) => {
      const b = bound[i] as BoundFault;
      const targetKey = `fault${i + 1}-${fault.targetKey.toLowerCase()}`;
      targets[targetKey] = {
        resourceType: fault.targetResourceType,
        resourceArns: b.resourceArns,
        selectionMode: 'ALL',
        filters: b.filters.length > 0 ? b.filters : undefined,
      };
      actions[keys[i]] = {
        actionId: fault.actionId,
        description: cut(fault.description),
        parameters: Object.keys(fault.parameters).length > 0 ? { ...fault.parameters } : undefined,
        targets: { [fault.targetKey]: targetKey },
        startAfter: order === FaultOrder.SEQUENCE && i > 0 ? [keys[i - 1]] : undefined,
      };
    });

    const report = props.experimentReport ? this.reportConfiguration(props.experimentReport, role, nag) : undefined;
    const resource = new fis.CfnExperimentTemplate(this, 'Resource', {
      description: props.description ?? cut(`Drill: ${faults.map((f) => f.description).join(order === FaultOrder.SEQUENCE ? ', then ' : ' and ')}`),
      roleArn: role.roleArn,
      actions,
      targets,
      stopConditions: alarms.length > 0
        ? alarms.map((a) => ({ source: 'aws:cloudwatch:alarm', value: a.alarmArn }))
        : [{ source: 'none' }],
      experimentReportConfiguration: report,
      tags: props.tags,
    });
    this.experimentTemplateId = resource.attrId;
    this.experimentTemplateArn = Stack.of(this).formatArn({ service: 'fis', resource: 'experiment-template', resourceName: resource.attrId });
    acknowledgeFindings(defaultPolicyOf(role), nag);
  }

  /**
   * Lets `grantee` start experiments from this template, follow them and stop them
   * (`fis:StartExperiment`, `fis:GetExperiment`, `fis:StopExperiment`): what a drill's
   * orchestration needs to inject the fault and to put things back.
   */
  public grantRun(grantee: iam.IGrantable): iam.Grant {
    // An experiment's ID is made when it starts, so its ARN cannot be named in advance.
    const experiments = Stack.of(this).formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' });
    const grant = iam.Grant.addToPrincipal({ grantee, actions: ['fis:StartExperiment'], resourceArns: [this.experimentTemplateArn, experiments] });
    grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['fis:GetExperiment', 'fis:StopExperiment'], resourceArns: [experiments] }));
    acknowledgeFindings(defaultPolicyOf(grantee.grantPrincipal instanceof iam.Role ? grantee.grantPrincipal : undefined), [{
      id: 'AwsSolutions-IAM5',
      reason: 'An FIS experiment gets its ID when it starts, so the experiments a drill starts, follows and stops cannot be named in advance.',
      applies_to: [{ regex: '/^Resource::arn:<AWS::Partition>:fis:.*:experiment\\/\\*$/g' }],
    }]);
    return grant;
  }

  private reportConfiguration(options: FisExperimentReportOptions, role: iam.Role, nag: NagRule[])
    : fis.CfnExperimentTemplate.ExperimentTemplateExperimentReportConfigurationProperty {
    const prefix = options.prefix ?? 'fis-reports';
    options.bucket.grantPut(role, `${prefix}/*`);
    const dashboards = options.dashboards ?? [];
    if (dashboards.length > 0) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetDashboard'], resources: dashboards.map((d) => d.dashboardArn) }));
      // GetMetricWidgetImage takes no resource-level permissions.
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricWidgetImage'], resources: ['*'] }));
      nag.push({
        id: 'AwsSolutions-IAM5',
        reason: 'The FIS experiment report renders dashboard graphs with cloudwatch:GetMetricWidgetImage, which takes no resource-level permissions.',
        applies_to: ['Resource::*'],
      });
    }
    nag.push({
      id: 'AwsSolutions-IAM5',
      reason: 'FIS writes one report object per experiment under the report prefix; the object keys are not known in advance.',
      applies_to: [{ regex: '/^Action::s3:(Abort|PutObject).*$/g' }, { regex: '/^Resource::.*\\/\\*$/g' }],
    });
    return {
      outputs: { experimentReportS3Configuration: { bucketName: options.bucket.bucketName, prefix } },
      dataSources: dashboards.length > 0 ? { cloudWatchDashboards: dashboards.map((d) => ({ dashboardIdentifier: d.dashboardArn })) } : undefined,
      preExperimentDuration: options.preExperimentDuration?.toIsoString(),
      postExperimentDuration: options.postExperimentDuration?.toIsoString(),
    };
  }
}

/** The props' checks that need no fault binding: counts, quotas, lengths. */
function validateShape(problems: Problems, props: FisExperimentProps, faults: DrillFault[], order: FaultOrder, alarms: cloudwatch.IAlarm[]): void {
  if (!Array.isArray(props.faults) || faults.length === 0 || faults.length > MAX_ACTIONS) {
    problems.add(`\`faults\` must hold 1 to ${MAX_ACTIONS} faults (FIS's actions per experiment template), got ${faults.length}. `
      + 'Split the faults over several experiments.');
  }
  if (!Object.values(FaultOrder).includes(order)) {
    problems.add(`\`order\` must be FaultOrder.SEQUENCE or FaultOrder.PARALLEL, got: ${show(order)}.`);
  }
  if (order === FaultOrder.PARALLEL && faults.length > MAX_PARALLEL) {
    problems.add(`\`faults\` holds ${faults.length} faults with \`order: FaultOrder.PARALLEL\`; FIS runs at most ${MAX_PARALLEL} actions in parallel. `
      + 'Use FaultOrder.SEQUENCE, or split the faults over several experiments.');
  }
  if (alarms.length > MAX_STOP_CONDITIONS) {
    problems.add(`\`errorRateAlarm\` and \`stopConditions\` give ${alarms.length} alarms; FIS takes at most ${MAX_STOP_CONDITIONS} stop conditions `
      + 'per template (not adjustable). Combine alarms into a composite alarm.');
  }
  if (alarms.length === 0 && !props.withoutStopConditions) {
    problems.add('no stop condition: give `errorRateAlarm` (the service\'s error-rate alarm), so that FIS stops the experiment when clients suffer, '
      + 'or set `withoutStopConditions: true` to run it with none.');
  }
  if (alarms.length > 0 && props.withoutStopConditions) {
    problems.add(`\`withoutStopConditions\` is true, but ${alarms.length} alarm(s) are given as stop conditions. Remove the alarms or the flag.`);
  }
  if (props.description !== undefined && !unresolved(props.description)
    && (props.description.length === 0 || props.description.length > MAX_DESCRIPTION)) {
    problems.add(`\`description\` must be 1 to ${MAX_DESCRIPTION} characters, got ${props.description.length}: ${show(truncate(props.description))}.`);
  }
  const tagCount = Object.keys(props.tags ?? {}).length;
  if (tagCount > MAX_TAGS) {
    problems.add(`\`tags\` must hold at most ${MAX_TAGS} tags, got ${tagCount}. Tag the experiment template with fewer.`);
  }
  const report = props.experimentReport;
  if (report !== undefined) {
    const prefix = report.prefix;
    if (prefix !== undefined && !Token.isUnresolved(prefix) && (prefix.length === 0 || prefix.length > MAX_PREFIX || /\s/.test(prefix))) {
      problems.add(`\`experimentReport.prefix\` must be 1 to ${MAX_PREFIX} characters without whitespace, got: ${show(truncate(prefix))}.`);
    }
    const rule = { unit: 'seconds' as const, min: 0, aboveMin: true, max: MAX_EXPERIMENT_SECONDS, literal: 'FIS takes it as an ISO 8601 string written at synth' };
    checkDuration(problems, 'experimentReport.preExperimentDuration', report.preExperimentDuration, rule);
    checkDuration(problems, 'experimentReport.postExperimentDuration', report.postExperimentDuration, rule);
  }
}

/** The modeled length of the faults: the sum in sequence, the longest in parallel. */
function faultSeconds(faults: DrillFault[], order: FaultOrder): number {
  const each = faults.map((f) => (f.duration instanceof Duration && !f.duration.isUnresolved() ? literalSeconds(f.duration) : 0));
  return order === FaultOrder.PARALLEL ? Math.max(0, ...each) : each.reduce((a, b) => a + b, 0);
}

/** A generated description cut to what FIS takes. */
function cut(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 3)}...` : text;
}

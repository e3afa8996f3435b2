import { Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { detectionOf } from './detection';
import { ModeledHealthCheckBase } from './health-check-base';
import { checkAlarmTopic, StatusAlarm } from './status-alarm';
import { RecoveryEstimate } from '../objectives/estimate';
import { calculatedDetection } from '../objectives/model/route53';
import { Problems } from '../private/errors';
import { show, unresolved } from '../private/validate';

/** Route 53 accepts at most 256 child checks in a calculated check (docs/aws-facts.md#route-53-health-checks). */
const MAX_CHILDREN = 256;

/**
 * Properties of `CalculatedHealthCheck`.
 */
export interface CalculatedHealthCheckProps {
  /**
   * The health checks this one combines: 1 to 256, none of them calculated (Route 53 does not
   * nest calculated checks). A disabled child counts as healthy.
   */
  readonly children: route53.IHealthCheck[];

  /**
   * How many children must be healthy for this check to be healthy: 1 to the number of
   * children.
   *
   * @default - a majority: floor(children / 2) + 1
   */
  readonly healthThreshold?: number;

  /**
   * Whether to create a CloudWatch alarm on the check's status, in us-east-1.
   *
   * @default true
   */
  readonly statusAlarm?: boolean;

  /**
   * An SNS topic in us-east-1 told when the status alarm fires and clears.
   *
   * @default - the alarm has no actions
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A Route 53 calculated health check: healthy while at least `healthThreshold` of its
 * children are. Use it to fail a region over only when most of its endpoints are down, or to
 * combine an endpoint check with other signals.
 *
 * Its detection time is modeled from its children: with every child failing together, the
 * check turns unhealthy when the (children - threshold + 1)-th fastest child does.
 */
export class CalculatedHealthCheck extends ModeledHealthCheckBase {
  /** The aws-cdk-lib health check this construct configures. */
  public readonly healthCheck: route53.HealthCheck;
  /**
   * Name of the status alarm in us-east-1.
   *
   * @default - no status alarm
   */
  public readonly statusAlarmName?: string;
  /**
   * ARN of the status alarm in us-east-1.
   *
   * @default - no status alarm
   */
  public readonly statusAlarmArn?: string;

  constructor(scope: Construct, id: string, props: CalculatedHealthCheckProps) {
    super(scope, id);

    const count = props.children.length;
    const threshold = props.healthThreshold ?? Math.floor(count / 2) + 1;
    this.validate(props, threshold);

    this.healthCheck = new route53.HealthCheck(this, 'Resource', {
      type: route53.HealthCheckType.CALCULATED,
      childHealthChecks: props.children,
      healthThreshold: threshold,
    });

    const children = props.children.map(detectionOf);
    const warnings = children.map((c) => c.warning).filter((w): w is string => w !== undefined);
    // An unresolved threshold is modeled as the slowest: every child must fail.
    const unknown = Token.isUnresolved(threshold);
    const term = calculatedDetection(children.map((c) => c.term), unknown ? 1 : threshold);
    if (unknown) {
      warnings.push(`The calculated health check at ${this.node.path} has a \`healthThreshold\` that is only known at deploy time; `
        + 'it is modeled at the slowest: unhealthy once every child has failed.');
    }
    this._describe({
      healthCheckId: this.healthCheck.healthCheckId,
      detection: RecoveryEstimate._fromModel([unknown
        ? { ...term, assumption: true, basis: `healthThreshold unresolved at synth, modeled as every child failing: ${term.basis}` }
        : term]),
      summary: `calculated: ${unknown ? '?' : threshold} of ${count} healthy [${children.map((c) => c.summary).join('; ')}]`,
      warning: warnings.length > 0 ? warnings.join(' ') : undefined,
    });

    if (props.statusAlarm ?? true) {
      const alarm = new StatusAlarm(this, 'StatusAlarm', {
        healthCheckId: this.healthCheckId,
        description: `Route 53 calculated health check (${threshold} of ${count} children healthy) at ${this.node.path}.`,
        topic: props.alarmTopic,
      });
      this.statusAlarmName = alarm.alarmName;
      this.statusAlarmArn = alarm.alarmArn;
    }
  }

  private validate(props: CalculatedHealthCheckProps, threshold: number): void {
    const problems = new Problems(this);
    const count = props.children.length;
    if (count < 1 || count > MAX_CHILDREN) {
      problems.add(`\`children\` must hold 1 to ${MAX_CHILDREN} health checks, got ${count}. Add the endpoint checks this one combines.`);
    }
    const nested = props.children.filter((c) => c instanceof CalculatedHealthCheck
      || (c.node.defaultChild instanceof route53.CfnHealthCheck
        && (c.node.defaultChild.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty)?.type === 'CALCULATED'));
    if (nested.length > 0) {
      problems.add(`\`children\` must not contain calculated health checks (Route 53 does not nest them), got: ${nested.map((c) => c.node.path).join(', ')}. `
        + 'List their children directly instead.');
    }
    if (new Set(props.children).size !== count) {
      problems.add('`children` must not list the same health check twice.');
    }
    if (!unresolved(threshold) && count >= 1 && (!Number.isInteger(threshold) || threshold < 1 || threshold > count)) {
      problems.add(`\`healthThreshold\` must be an integer from 1 to ${count} (the number of children), got: ${show(threshold)}. `
        + (threshold === 0 ? 'A threshold of 0 is always healthy, so it would never fail over.' : 'Use a majority, the default.'));
    }
    checkAlarmTopic(problems, this, props.alarmTopic, props.statusAlarm);
    problems.throwIfAny();
  }
}

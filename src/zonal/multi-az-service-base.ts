import { Duration, IResource, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A load-balanced service that survives the loss of an Availability Zone: a `MultiAzService`,
 * or one imported with `MultiAzService.fromMultiAzServiceAttributes()` (e.g. by a runbook or a
 * drill in another region). Its region and account are those of its load balancer.
 */
export interface IMultiAzService extends IResource {
  /**
   * The ARN of the Application Load Balancer: the resource that a zonal shift or autoshift
   * moves traffic on.
   *
   * @attribute
   */
  readonly loadBalancerArn: string;

  /**
   * The DNS name of the load balancer.
   *
   * @attribute
   */
  readonly loadBalancerDnsName: string;

  /**
   * The ARN of the target group whose targets serve the service (its health tells whether a
   * zone can take traffic).
   *
   * @attribute
   */
  readonly targetGroupArn: string;

  /** The Availability Zones, by name, that the targets spread over. */
  readonly availabilityZones: string[];

  /** Whether zonal autoshift is on: AWS shifts traffic away from a zone it sees impaired. */
  readonly zonalAutoshiftEnabled: boolean;

  /**
   * The healthy targets of the target group in one Availability Zone (`HealthyHostCount`).
   *
   * @param availabilityZone a zone name, one of `availabilityZones`
   * @param props change the default minimum over 1 minute
   */
  metricHealthyHostCount(availabilityZone: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The percentage of requests answered with a 5xx, by the load balancer or by the targets;
   * 0 without requests.
   *
   * @param props change the default period of 1 minute or the label
   */
  metricErrorRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression;
}

/**
 * What a runbook or a drill needs to address an existing multi-AZ service, in its region or
 * from another one.
 */
export interface MultiAzServiceAttributes {
  /** The ARN of the Application Load Balancer; the service's region and account are its. */
  readonly loadBalancerArn: string;

  /** The DNS name of the load balancer. */
  readonly loadBalancerDnsName: string;

  /** The ARN of the target group behind the load balancer, in its region and account. */
  readonly targetGroupArn: string;

  /** The Availability Zones, by name, that the targets spread over: at least two. */
  readonly availabilityZones: string[];

  /**
   * Whether zonal autoshift is on for the load balancer.
   *
   * @default false
   */
  readonly zonalAutoshiftEnabled?: boolean;
}

const METRIC_PERIOD = Duration.minutes(1);

/**
 * What a created and an imported `MultiAzService` share: the metrics, which need the full names
 * of the load balancer and the target group.
 */
export abstract class MultiAzServiceBase extends Resource implements IMultiAzService {
  /** The ARN of the Application Load Balancer. */
  public abstract readonly loadBalancerArn: string;
  /** The DNS name of the load balancer. */
  public abstract readonly loadBalancerDnsName: string;
  /** The ARN of the target group. */
  public abstract readonly targetGroupArn: string;
  /** The Availability Zones the targets spread over. */
  public abstract readonly availabilityZones: string[];
  /** Whether zonal autoshift is on. */
  public abstract readonly zonalAutoshiftEnabled: boolean;

  /** @internal `app/<name>/<id>`, the `LoadBalancer` dimension of ELB metrics. */
  protected abstract readonly _loadBalancerFullName: string;
  /** @internal `targetgroup/<name>/<id>`, the `TargetGroup` dimension of ELB metrics. */
  protected abstract readonly _targetGroupFullName: string;

  /** The healthy targets in one Availability Zone: minimum over 1 minute unless `props` say otherwise. */
  public metricHealthyHostCount(availabilityZone: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      ...props,
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensionsMap: {
        LoadBalancer: this._loadBalancerFullName,
        TargetGroup: this._targetGroupFullName,
        AvailabilityZone: availabilityZone,
      },
      statistic: props.statistic ?? cloudwatch.Stats.MINIMUM,
      period: props.period ?? METRIC_PERIOD,
    });
  }

  /** The 5xx error rate in percent, per minute unless `props` say otherwise. */
  public metricErrorRate(props: cloudwatch.MathExpressionOptions = {}): cloudwatch.MathExpression {
    const metric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensionsMap: { LoadBalancer: this._loadBalancerFullName },
      statistic: cloudwatch.Stats.SUM,
      period: METRIC_PERIOD,
    });
    return new cloudwatch.MathExpression({
      ...props,
      expression: 'IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)',
      usingMetrics: {
        requests: metric('RequestCount'),
        elb5xx: metric('HTTPCode_ELB_5XX_Count'),
        target5xx: metric('HTTPCode_Target_5XX_Count'),
      },
      label: props.label ?? '5xx error rate (%)',
      period: props.period ?? METRIC_PERIOD,
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { checkArcArn } from './private/arc-validation';
import { ModeledHealthCheckBase } from '../health/health-check-base';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { routingControlDetection } from '../objectives/model/arc';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';

/** The named assumptions a routing control health check rests on. */
const ASSUMPTIONS = [RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS];

/**
 * Properties of `RoutingControlHealthCheck`.
 */
export interface RoutingControlHealthCheckProps {
  /**
   * The ARN of the ARC routing control the check follows: healthy while the control is On,
   * unhealthy while it is Off.
   */
  readonly routingControlArn: string;

  /**
   * What the failover report calls the control, e.g. `us-east-1`.
   *
   * @default - the routing control ARN
   */
  readonly label?: string;

  /**
   * Values that replace the defaults of the model's named assumptions for this check, by id:
   * `operatorResponse` (from the failure to someone flipping the control) and
   * `routingControlToHealthStatus` (from the flip to Route 53 reporting the new status).
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

/**
 * A Route 53 `RECOVERY_CONTROL` health check: it follows an ARC routing control, not an endpoint.
 * Give it to `DnsFailover` as `primaryHealthCheck` or `secondaryHealthCheck`.
 *
 * Nothing probes the endpoint, so the model has no request interval or failure threshold
 * (Route 53 has none for this type): the path waits for an operator or a runbook to decide
 * (`operatorResponse`) and for the flip to reach Route 53 (`routingControlToHealthStatus`).
 * `RoutingControls` creates one per Region; create one yourself for a routing control made elsewhere.
 */
export class RoutingControlHealthCheck extends ModeledHealthCheckBase {
  /** The aws-cdk-lib health check this construct configures. */
  public readonly healthCheck: route53.HealthCheck;
  /** The ARN of the routing control the check follows. */
  public readonly routingControlArn: string;

  constructor(scope: Construct, id: string, props: RoutingControlHealthCheckProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkArcArn(problems, 'routingControlArn', props.routingControlArn, 'routingcontrol',
      'arn:aws:route53-recovery-control::123456789012:controlpanel/0123abcd/routingcontrol/4567ef01');
    checkAssumptions(problems, props.assumptions, ASSUMPTIONS);
    problems.throwIfAny();

    this.routingControlArn = props.routingControlArn;
    this.healthCheck = new route53.HealthCheck(this, 'Resource', {
      type: route53.HealthCheckType.RECOVERY_CONTROL,
      routingControl: props.routingControlArn,
    });
    const given = (a: RecoveryAssumption) => givenAssumption(this, props.assumptions, a);
    this._describe({
      healthCheckId: this.healthCheck.healthCheckId,
      detection: RecoveryEstimate._fromModel(routingControlDetection({
        operatorResponse: given(RecoveryAssumption.OPERATOR_RESPONSE),
        controlToHealthStatus: given(RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS),
      })),
      summary: `ARC routing control ${props.label ?? props.routingControlArn} (flipped by an operator or a runbook)`,
    });
  }
}

import { Resource } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { aws_route53 as route53_refs } from 'aws-cdk-lib/interfaces';
import { RecoveryEstimate } from '../objectives/estimate';

/**
 * A health check whose detection time the recovery model knows.
 */
export interface IModeledHealthCheck extends route53.IHealthCheck {
  /**
   * The detection term of this check: from the endpoint failing to Route 53 reporting it
   * unhealthy.
   */
  readonly detection: RecoveryEstimate;

  /**
   * A one-line description for the failover report, e.g. `HTTPS app.example.com:443/health (10 s x 2)`.
   */
  readonly summary: string;
}

/** What a health check of this library tells the model once its Route 53 check exists. */
interface Described {
  readonly healthCheckId: string;
  readonly detection: RecoveryEstimate;
  readonly summary: string;
  readonly warning?: string;
}

/**
 * The members every health check of this library shares, created or imported: the Route 53
 * ID, the detection term, the report's summary and the model's warning. To model a check of
 * your own, implement `IModeledHealthCheck`.
 */
export abstract class ModeledHealthCheckBase extends Resource implements IModeledHealthCheck {
  // Set once the subclass has validated its props and created its check: its ID is known only then.
  private described?: Described;

  /** The ID of the Route 53 health check. */
  public get healthCheckId(): string {
    return this.state().healthCheckId;
  }

  /** The detection term of this check: from the endpoint failing to Route 53 reporting it unhealthy. */
  public get detection(): RecoveryEstimate {
    return this.state().detection;
  }

  /** A one-line description for the failover report. */
  public get summary(): string {
    return this.state().summary;
  }

  /** A reference to the Route 53 health check. */
  public get healthCheckRef(): route53_refs.HealthCheckReference {
    return { healthCheckId: this.healthCheckId };
  }

  /**
   * Why the model's figures are not the check's own (imported or unresolved settings).
   *
   * @internal
   */
  public _detectionWarning(): string | undefined {
    return this.state().warning;
  }

  /** @internal */
  protected _describe(described: Described): void {
    this.described = described;
  }

  private state(): Described {
    if (!this.described) {
      throw new Error(`${this.node.path}: the health check was read before it was created (a bug in cdk-failover).`);
    }
    return this.described;
  }
}

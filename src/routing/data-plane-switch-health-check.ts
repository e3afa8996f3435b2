import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { checkAppName, checkInsufficientDataStatus, checkRegionName, switchAlarmName } from './private/switch-validation';
import { ModeledHealthCheckBase } from '../health/health-check-base';
import { FLAG_READ_TIMEOUT_MS, PUBLISH_BUDGET_MS } from '../health/probe-contract';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { dataPlaneSwitchTerms } from '../objectives/model/data-plane-switch';
import { checkAssumptions, givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';

/** The named assumptions a data-plane switch health check rests on. */
const ASSUMPTIONS = [RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.ALARM_TO_HEALTH_STATUS];

/**
 * Properties of `DataPlaneSwitchHealthCheck`.
 */
export interface DataPlaneSwitchHealthCheckProps {
  /** The application's name, as given to the `DataPlaneSwitch` of `observerRegion`. */
  readonly appName: string;

  /** The region whose records this check guards: healthy while it is the active region. */
  readonly region: string;

  /**
   * The region whose copy of the active-region parameter (and whose switch alarm) decides: a
   * region that survives when `region` fails, so another region than `region`.
   */
  readonly observerRegion: string;

  /**
   * What the check reports while the alarm has no data: the observer region or its probe is
   * down, or the parameter cannot be read. `UNHEALTHY` is rejected: it would let the observer's
   * own outage take traffic away from `region`.
   *
   * @default route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS - a failed read changes nothing; a new check starts healthy
   */
  readonly insufficientDataHealthStatus?: route53.InsufficientDataHealthStatusEnum;

  /**
   * Values that replace the defaults of the model's named assumptions for this check, by id:
   * `operatorResponse` (from the failure to someone writing the parameter) and
   * `alarmToHealthStatus` (from the alarm's period closing to Route 53 reporting the status).
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };
}

/**
 * A Route 53 alarm-based health check that follows a `DataPlaneSwitch`: healthy while
 * `observerRegion`'s copy of the active-region parameter names `region`, unhealthy once it names
 * another region. It finds the switch alarm by its deterministic name in `observerRegion`, so it
 * can live in any stack (health checks are global): no cross-region reference.
 *
 * Give it to the PRIMARY record only (alone, or with the primary's endpoint check in a
 * `CalculatedHealthCheck` with `healthThreshold` = 2): it pulls the primary when the operator
 * names another region. A secondary needs no switch check; one observed from the primary's region
 * would stay unhealthy while that region is down, and with both sides unhealthy Route 53 answers
 * with the primary.
 *
 * Nothing probes the endpoint, so the model has no request interval or threshold: the path waits
 * for an operator or a runbook to decide (`operatorResponse`), for the probe's next read, and for
 * the alarm to reach Route 53 (`alarmToHealthStatus`).
 */
export class DataPlaneSwitchHealthCheck extends ModeledHealthCheckBase {
  /** The aws-cdk-lib health check this construct configures. */
  public readonly healthCheck: route53.HealthCheck;
  /** The name of the switch alarm the check follows. */
  public readonly alarmName: string;
  /** The region of that alarm. */
  public readonly observerRegion: string;
  /** The region whose records the check guards. */
  public readonly region: string;

  private secondaryWarned = false;

  constructor(scope: Construct, id: string, props: DataPlaneSwitchHealthCheckProps) {
    super(scope, id);
    const problems = new Problems(this);
    checkAppName(problems, props.appName);
    const known = checkRegionName(problems, 'region', props.region) && checkRegionName(problems, 'observerRegion', props.observerRegion);
    if (known && props.region === props.observerRegion) {
      problems.add(`\`observerRegion\` must be another region than \`region\` (${props.region}): a region cannot be switched off from itself once it fails. `
        + 'Use the region traffic fails over to.');
    }
    checkInsufficientDataStatus(problems, props.insufficientDataHealthStatus);
    checkAssumptions(problems, props.assumptions, ASSUMPTIONS);
    problems.throwIfAny();

    this.region = props.region;
    this.observerRegion = props.observerRegion;
    this.alarmName = switchAlarmName(props.appName, props.region, props.observerRegion);
    this.healthCheck = new route53.HealthCheck(this, 'Resource', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { name: this.alarmName, region: props.observerRegion },
      insufficientDataHealthStatus: props.insufficientDataHealthStatus ?? route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS,
    });
    const given = (a: RecoveryAssumption) => givenAssumption(this, props.assumptions, a);
    this._describe({
      healthCheckId: this.healthCheck.healthCheckId,
      detection: RecoveryEstimate._fromModel(dataPlaneSwitchTerms({
        readTimeout: FLAG_READ_TIMEOUT_MS / 1000,
        publish: PUBLISH_BUDGET_MS / 1000,
        operatorResponse: given(RecoveryAssumption.OPERATOR_RESPONSE),
        alarmToHealthStatus: given(RecoveryAssumption.ALARM_TO_HEALTH_STATUS),
      })),
      summary: `data-plane switch: ${props.region} while the active-region parameter in ${props.observerRegion} names it (set by an operator or a runbook)`,
    });
    // Once the app is built: the records may be created after the check.
    this.node.addValidation({ validate: () => this.warnOnSecondary() });
  }

  /** A secondary failover record on this check (or on a calculated check over it) could block the failover. */
  private warnOnSecondary(): string[] {
    if (this.secondaryWarned) {
      return [];
    }
    const all = this.node.root.node.findAll();
    const guarded = new Set([this.healthCheckId]);
    for (const c of all) {
      const config = c instanceof route53.CfnHealthCheck ? c.healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty : undefined;
      if (config && !Token.isUnresolved(config) && config.childHealthChecks?.includes(this.healthCheckId)) {
        guarded.add((c as route53.CfnHealthCheck).ref);
      }
    }
    const record = all.find((c): c is route53.CfnRecordSet => c instanceof route53.CfnRecordSet && c.failover === 'SECONDARY'
      && c.healthCheckId !== undefined && guarded.has(c.healthCheckId));
    if (record) {
      this.secondaryWarned = true;
      Annotations.of(this).addWarningV2('cdk-failover:switch-on-secondary',
        `the secondary failover record ${record.node.path} follows this switch check. While ${this.region} is not the active region `
        + `(from ${this.observerRegion}'s point of view) it stays unhealthy, and if ${this.observerRegion} is down it keeps its last status; `
        + 'with both records unhealthy Route 53 answers with the primary, so the failover would not happen. '
        + 'Give the switch check to the primary record only; the secondary needs its endpoint check at most.');
    }
    return [];
  }
}

import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataPlaneSwitchHealthCheck, DataPlaneSwitchHealthCheckProps } from './data-plane-switch-health-check';
import { checkAppName, checkRegions, switchAlarmName } from './private/switch-validation';
import { HealthProbe } from '../health/health-probe';
import { DIMENSIONS, METRICS } from '../health/probe-contract';
import { AlarmFactory, NoActions } from '../private/alarm-factory';
import { Problems } from '../private/errors';
import { checkSameRegion, knownRegion } from '../private/region';
import { show } from '../private/validate';
import { ActiveRegion } from '../runbooks/active-region';
import { checkParameterName, defaultParameterName } from '../runbooks/private/active-region-validation';

/**
 * Properties of `DataPlaneSwitch`.
 */
export interface DataPlaneSwitchProps {
  /**
   * The application's name: part of every alarm name, so the same in every region and in the
   * DNS stack's `DataPlaneSwitch.healthCheckFor()`. Letters, digits, `_`, `.` and `-`.
   */
  readonly appName: string;

  /**
   * The probe of this region that reads the parameter once a minute and publishes
   * `RegionEnabled`. It may have no targets of its own.
   */
  readonly probe: HealthProbe;

  /**
   * This region's `ActiveRegion`: the parameter and the regions are taken from it. Give either
   * this, or `regions` (and `parameterName` if it is not the default).
   *
   * @default - the parameter named by `parameterName`, for `regions`
   */
  readonly activeRegion?: ActiveRegion;

  /**
   * The regions of the set, when `activeRegion` is not given; this stack's region is one of them.
   *
   * @default - the regions of `activeRegion`
   */
  readonly regions?: string[];

  /**
   * The name of the active-region parameter, when `activeRegion` is not given.
   *
   * @default `/cdk-failover/<appName>/active-region` - the ActiveRegion default
   */
  readonly parameterName?: string;
}

/**
 * A traffic switch that an operator or a runbook flips with one regional SSM call, without an
 * ARC cluster (about 1,800 USD a month, docs/aws-facts.md#pricing) and without editing Route 53: the regional half. Create
 * one in each region's stack; put the health checks (`DataPlaneSwitch.healthCheckFor()`) in the
 * DNS stack.
 *
 * How it works. The `ActiveRegion` parameter, one copy per region, holds the active region's name.
 * This region's `HealthProbe` reads this region's copy once a minute (`ssm:GetParameter` on that
 * parameter only) and publishes `RegionEnabled` = 1 for the region it names, 0 for the others. For
 * each OTHER region X, an alarm here, named `cdk-failover-<appName>-<X>-not-active-per-<this
 * region>`, fires while this region's copy names another region than X. A Route 53 alarm-based
 * check on it pulls X out of DNS; give it to X's PRIMARY record only (a secondary held unhealthy
 * from a failed region would stop the failover: `cdk-failover:switch-on-secondary` warns). To fail
 * over from X, write the surviving region's copy (`switchCommand(survivor)` on the survivor's
 * switch prints the one regional call; `grantSwitch` allows it); writing X's copy is best
 * effort. Failback writes every copy back.
 *
 * What it survives: the failed region's control and data planes (nothing is called there), the
 * Route 53 control plane in us-east-1 (no record or health-check edit), and a failed read: a read
 * that fails, or a value that names no region of the set, publishes nothing, and the alarms keep
 * their last state (missing data is ignored) as do the health checks (last known status), so a
 * glitch never moves traffic; the function's errors show it. What it does not survive: the
 * surviving region's SSM or CloudWatch being down (the switch cannot be flipped there), and
 * copies that disagree (each observer region decides for itself: write every reachable copy).
 * The README section "The data-plane switch: failover without an ARC cluster" compares it with ARC routing controls, point by point.
 *
 * The switch is not a recovery path of its own: a `DnsFailover` whose primary check is the switch
 * check alone carries its terms (the operator's decision, the probe's next read, the alarm
 * reaching Route 53). Combined with the endpoint check in a `CalculatedHealthCheck` (both must be
 * healthy, as below), the report models the endpoint's automatic detection, the faster way out,
 * and lists the switch in the check's summary.
 *
 * @exampleMetadata fixture=switch
 * @example
 * const regions = ['us-east-1', 'us-west-2'];
 * for (const region of regions) {
 *   const stack = new Stack(app, `App-${region}`, { env: { region } });
 *   const activeRegion = new ActiveRegion(stack, 'ActiveRegion', { appName: 'orders', primaryRegion: 'us-east-1', regions });
 *   new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', activeRegion, probe: new HealthProbe(stack, 'Probe') });
 * }
 * // The DNS stack: us-east-1 serves while its endpoint is healthy AND us-west-2's copy names it.
 * const dns = new Stack(app, 'Dns', { env: { region: 'us-east-1' } });
 * const primaryHealthCheck = new CalculatedHealthCheck(dns, 'Primary', {
 *   children: [
 *     new EndpointHealthCheck(dns, 'Endpoint', { domainName: 'us-east-1.app.example.com' }),
 *     DataPlaneSwitch.healthCheckFor(dns, 'Switch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' }),
 *   ],
 *   healthThreshold: 2,
 * });
 * new DnsFailover(dns, 'Failover', {
 *   zone,
 *   recordName: 'app',
 *   primary: FailoverTarget.regionalRecord('us-east-1'),
 *   secondary: FailoverTarget.regionalRecord('us-west-2'),
 *   primaryHealthCheck,
 * });
 */
export class DataPlaneSwitch extends Construct {
  /**
   * The name of the switch alarm in `observerRegion` that fires while that region's copy of the
   * parameter names another region than `region`.
   *
   * @param appName the application's name
   * @param region the region the alarm is about
   * @param observerRegion the region of the alarm and of the copy it follows
   */
  public static alarmNameFor(appName: string, region: string, observerRegion: string): string {
    return switchAlarmName(appName, region, observerRegion);
  }

  /**
   * The Route 53 health check of `region`'s records that follows the switch alarm of
   * `observerRegion`, found by its name: create it in the DNS stack.
   *
   * @param scope where to create the check
   * @param id its construct id
   * @param props the regions and the application
   */
  public static healthCheckFor(scope: Construct, id: string, props: DataPlaneSwitchHealthCheckProps): DataPlaneSwitchHealthCheck {
    return new DataPlaneSwitchHealthCheck(scope, id, props);
  }

  /** The application's name. */
  public readonly appName: string;
  /** Every region of the set. */
  public readonly regions: string[];
  /** The name of the parameter the probe reads. */
  public readonly parameterName: string;
  /** The ARN of this region's copy of the parameter. */
  public readonly parameterArn: string;
  /** The names of this region's switch alarms, one per other region, in the order of `regions`. */
  public readonly alarmNames: string[];

  private readonly alarmsByRegion = new Map<string, cloudwatch.Alarm>();

  constructor(scope: Construct, id: string, props: DataPlaneSwitchProps) {
    super(scope, id);
    const here = this.validate(props);
    this.appName = props.appName;
    this.regions = [...props.activeRegion?.regions ?? props.regions ?? []];
    this.parameterName = props.activeRegion?.parameterName ?? props.parameterName ?? defaultParameterName(props.appName);
    this.parameterArn = props.activeRegion?.parameterArn ?? Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: this.parameterName.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    const { probeName, namespace } = props.probe._readActiveRegion({ parameterName: this.parameterName, regions: this.regions }, this.parameterArn);
    const factory = new AlarmFactory(this, new NoActions());
    for (const region of this.regions.filter((r) => r !== here)) {
      const alarm = factory.addAlarm(`NotActive-${region}`, {
        alarmName: switchAlarmName(this.appName, region, here),
        description: `${region} is not the active region according to ${here}'s copy of ${this.parameterName}: Route 53 health checks on `
          + `this alarm take ${region} out of DNS. Missing data (the probe or the read failing) keeps the last state.`,
        metric: new cloudwatch.Metric({
          namespace,
          metricName: METRICS.regionEnabled,
          dimensionsMap: { [DIMENSIONS.probe]: probeName, [DIMENSIONS.region]: region },
          // Any read in the period that names another region counts.
          statistic: cloudwatch.Stats.MINIMUM,
          period: Duration.seconds(60),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
      this.alarmsByRegion.set(region, alarm);
    }
    this.alarmNames = [...this.alarmsByRegion.keys()].map((r) => switchAlarmName(this.appName, r, here));
  }

  /**
   * The alarm that fires while this region's copy names another region than `region`.
   *
   * @param region another region of the set
   */
  public alarm(region: string): cloudwatch.IAlarm {
    const alarm = this.alarmsByRegion.get(region);
    if (!alarm) {
      const problems = new Problems(this);
      problems.add(`there is no switch alarm for ${show(region)} in this region: the alarms are about the other regions of the set, `
        + `${[...this.alarmsByRegion.keys()].join(', ')}.`);
      problems.throwIfAny();
    }
    return alarm!;
  }

  /**
   * The AWS CLI command that makes `activeRegion` the active region in this region's copy: the one
   * call an operator makes in the surviving region to fail over (a regional SSM call, no Route 53
   * or failed-region call).
   *
   * @param activeRegion the region that should take the traffic, one of `regions`
   */
  public switchCommand(activeRegion: string): string {
    if (!this.regions.includes(activeRegion)) {
      const problems = new Problems(this);
      problems.add(`\`activeRegion\` must be one of the regions ${show(this.regions)}, got: ${show(activeRegion)}: a value that names no region `
        + 'is ignored by the probe (the switch keeps its last state).');
      problems.throwIfAny();
    }
    return `aws ssm put-parameter --overwrite --type String --region ${Stack.of(this).region} --name ${this.parameterName} --value ${activeRegion}`;
  }

  /**
   * Lets `grantee` flip the switch from this region: read and write this region's copy of the
   * parameter (its exact ARN). Who holds this can move traffic away from every other region.
   *
   * @param grantee who switches traffic (an operator role, the failover runbook)
   */
  public grantSwitch(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:PutParameter', 'ssm:GetParameter'],
      resourceArns: [this.parameterArn],
    });
  }

  /** Checks the props; returns this stack's region. */
  private validate(props: DataPlaneSwitchProps): string {
    const problems = new Problems(this);
    checkAppName(problems, props.appName);
    const here = knownRegion(this);
    if (here === undefined) {
      problems.add('this stack has no literal region, but the switch alarms are named after it and the parameter is read there. '
        + 'Give the stack an `env` with its region.');
    }
    let regions: string[] = [];
    if (props.activeRegion) {
      if (props.regions !== undefined || props.parameterName !== undefined) {
        problems.add('`regions` and `parameterName` are taken from `activeRegion`: give either `activeRegion`, or `regions` (and `parameterName`), not both.');
      }
      regions = props.activeRegion.regions;
      checkSameRegion(problems, this, 'activeRegion', props.activeRegion, 'Give the ActiveRegion of this region: each region reads its own copy.');
    } else if (props.regions === undefined) {
      problems.add('give `activeRegion` (this region\'s ActiveRegion), or `regions` (and `parameterName` if it is not the default): '
        + 'the switch needs the regions of the set.');
    } else {
      regions = props.regions;
      checkRegions(problems, regions);
      if (props.parameterName !== undefined) {
        checkParameterName(problems, '`parameterName`', props.parameterName);
      }
    }
    if (here !== undefined && regions.length > 0 && !regions.includes(here)) {
      problems.add(`this stack is in ${here}, which is not one of the regions ${show(regions)}: the probe reads this region's copy. `
        + 'Create the switch in a stack of one of them, or add the region.');
    }
    checkSameRegion(problems, this, 'probe', props.probe, 'Give the HealthProbe of this region: it reads this region\'s copy.');
    problems.throwIfAny();
    return here!;
  }
}

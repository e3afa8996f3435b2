import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as arc from 'aws-cdk-lib/aws-route53recoverycontrol';
import { Construct } from 'constructs';
import { writeArcConfiguration } from './private/arc-configuration';
import { checkArcArn, checkArcName } from './private/arc-validation';
import { RoutingControlHealthCheck } from './routing-control-health-check';
import { RecoveryAssumption } from '../objectives/assumptions';
import { ARC_DEFAULT_WAIT_PERIOD_MS, ARC_MAX_CONTROLS_PER_PANEL, ARC_MAX_CONTROLS_PER_UPDATE, ARC_MAX_NAME } from '../objectives/model/arc';
import { checkAssumptions } from '../private/assumptions';
import { Problems } from '../private/errors';
import { isRegionName, knownRegion } from '../private/region';
import { checkDuration, checkInteger, show, unresolved } from '../private/validate';
import { checkParameterName } from '../runbooks/private/active-region-validation';
import { ARC_CONFIG_PARAMETER_PREFIX } from '../runbooks/runbook-contract';

/** The Regions whose CloudFormation has the AWS::Route53RecoveryControl types (docs/aws-facts.md#arc-and-global-accelerator). */
const ARC_STACK_REGIONS = ['us-west-2', 'us-east-1'];

/**
 * Properties of `RoutingControls`.
 */
export interface RoutingControlsProps {
  /**
   * The Regions traffic can go to, by name (`us-east-1`): one routing control and one
   * `RECOVERY_CONTROL` health check each. At least 2, no duplicates, at most 10 (one
   * `UpdateRoutingControlStates` call changes at most 10 controls, and a failover must be one
   * atomic call).
   */
  readonly regions: string[];

  /**
   * An existing ARC cluster to put the control panel in, by ARN. A cluster is billed every hour
   * and an account has at most 2, so share one between applications.
   *
   * @default - a new cluster
   */
  readonly clusterArn?: string;

  /**
   * The name of the new cluster: 1 to 64 characters without whitespace. Not allowed with
   * `clusterArn`.
   *
   * @default - a name unique to this construct's path
   */
  readonly clusterName?: string;

  /**
   * The name of the control panel: 1 to 64 characters without whitespace.
   *
   * @default - a name unique to this construct's path
   */
  readonly controlPanelName?: string;

  /**
   * Put before each Region's name to name its routing control (`app-` gives `app-us-east-1`);
   * names must be unique in the control panel and 1 to 64 characters without whitespace.
   *
   * @default '' - each routing control is named after its Region
   */
  readonly controlNamePrefix?: string;

  /**
   * How many Regions' controls must stay On: an assertion safety rule (ATLEAST n) rejects any
   * flip that would leave fewer, so no one can switch every Region off. From 1 to the number of
   * Regions minus 1 (with all of them the controls could never be turned off to fail over).
   *
   * @default 1
   */
  readonly minimumOn?: number;

  /**
   * Whether to add the assertion safety rule of `minimumOn`. Without it a flip may turn every
   * Region off, and Route 53 then answers with the primary as if it were healthy.
   *
   * @default true
   */
  readonly assertionRule?: boolean;

  /**
   * Whether to add a gating routing control (named `<controlNamePrefix>gate`) and a gating safety
   * rule: the Regions' controls can change only while the gate is On. Leave the gate Off to
   * stop anyone (or automation) from flipping Regions until someone turns it On on purpose.
   *
   * @default false
   */
  readonly gatingControl?: boolean;

  /**
   * The wait period of the safety rules: after a change, requests against the controls fail for
   * this long, which stops flapping. Whole milliseconds, 0 or more.
   *
   * @default Duration.millis(5000) - ARC's default
   */
  readonly waitPeriod?: Duration;

  /**
   * What happens to a cluster this construct creates when it leaves the stack.
   *
   * A cluster holds no data, and retaining it would not keep the switch: the controls of a new
   * cluster do not carry the old states (retained or not), while a retained cluster goes on
   * billing every hour outside any stack. So the default removes it.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Values that replace the defaults of the health checks' named assumptions, by id:
   * `operatorResponse` and `routingControlToHealthStatus`.
   *
   * @default - the nearest `RecoveryAssumptions`, else each assumption's default
   */
  readonly assumptions?: { [id: string]: Duration };

  /**
   * The name of the SSM String parameter that this construct writes, in each of `regions`, with
   * the configuration a runbook needs to flip the controls (the cluster's endpoints, each
   * Region's routing control, the safety rules). A runbook in any of the Regions reads it by this
   * name. A hierarchical SSM name: starts with `/`; letters, digits, `_`, `.`, `-`; at most 15
   * levels and 1011 characters; not beginning with `aws` or `ssm`.
   *
   * @default `/cdk-failover/arc/<controlPanelName>` (with the default control panel name when
   * `controlPanelName` is not given)
   */
  readonly configParameterName?: string;
}

/**
 * ARC routing controls for a set of Regions: a cluster (or an existing one), a control panel,
 * a routing control per Region, safety rules, and a Route 53 `RECOVERY_CONTROL` health check per
 * Region to give `DnsFailover` (or any record) as its health check.
 *
 * Costs: an ARC cluster is billed for every hour it exists, about 2.5 USD (so about 1,800 USD a
 * month; see docs/aws-facts.md#pricing), whether or not anything is flipped. Pass `clusterArn`
 * to share one cluster between applications.
 *
 * Flipping: this construct never changes a control's state. The failover runbook (or an
 * operator) does, with one atomic `UpdateRoutingControlStates` call that turns the failed Region
 * Off and the standby On, sent to any of the cluster's five Regional endpoints (data plane) and
 * rotated to the next endpoint on failure. Creating, editing or deleting controls goes through
 * the control plane in us-west-2 and is never part of a failover. CloudFormation sets no
 * control's state: check the states of new controls, and turn the primary's On, before pointing
 * traffic at these checks. The health checks cannot move to another control (ARC forbids it), so
 * a new control means a new check.
 *
 * Where: CloudFormation has these resources in us-west-2 (and us-east-1) only. Health checks
 * and records are global, so put this construct and the `DnsFailover` that uses its checks in one
 * us-west-2 stack: the checks then need no cross-stack reference.
 *
 * The runbooks' configuration: the runbook runs in the recovery Region, this construct in a
 * us-west-2 stack, and Regions meet by name, never by export. So this construct writes an SSM
 * String parameter named `configParameterName` in each of `regions`, holding JSON
 * `{ clusterArn, endpoints: [{ region, endpoint }], controls: { <region>: <routing control ARN> },
 * assertionRuleArn?, gatingControlArn? }`. The cluster's endpoints are read at deploy time with
 * DescribeCluster (also for a cluster given by `clusterArn`), since CloudFormation cannot put the
 * cluster's list of endpoints into a string. The parameters are written on every deploy that
 * changes them and deleted with the construct. The copy in Region R has the ARN
 * `arn:<partition>:ssm:<R>:<account>:parameter<configParameterName>`: grant a runbook in this app
 * with `grantReadConfig`, and one in another app by that ARN (`ssm:GetParameter`).
 *
 * The recovery model sees the controls through their health checks: a failover path whose
 * primary check is one of them waits for the decision (`operatorResponse`) and the flip
 * (`routingControlToHealthStatus`), not for Route 53 to probe anything.
 *
 * @exampleMetadata fixture=arc
 * @example
 * const controls = new RoutingControls(this, 'Controls', {
 *   regions: ['us-east-1', 'us-west-2'],
 *   controlPanelName: 'app',
 *   controlNamePrefix: 'app-',
 * });
 * // A runbook in either Region finds the cluster's endpoints and the controls by this name.
 * const arcConfig: string = controls.configParameterName; // '/cdk-failover/arc/app'
 * new DnsFailover(this, 'Failover', {
 *   zone,
 *   recordName: 'app',
 *   primary: FailoverTarget.regionalRecord('us-east-1'),
 *   secondary: FailoverTarget.regionalRecord('us-west-2'),
 *   primaryHealthCheck: controls.healthCheck('us-east-1'),
 *   secondaryHealthCheck: controls.healthCheck('us-west-2'),
 * });
 */
export class RoutingControls extends Construct {
  /** The ARN of the cluster that holds the controls. */
  public readonly clusterArn: string;
  /**
   * The cluster this construct created; its `attrClusterEndpoints` are the five endpoints a
   * runbook flips the controls through.
   *
   * @default - none: an existing cluster was given by `clusterArn`
   */
  public readonly cluster?: arc.CfnCluster;
  /** The ARN of the control panel. */
  public readonly controlPanelArn: string;
  /** The Regions, in the order given. */
  public readonly regions: string[];
  /**
   * The ARN of the gating routing control.
   *
   * @default - no gating control
   */
  public readonly gatingControlArn?: string;
  /** The name of the configuration parameter written in each of `regions` (see the class doc). */
  public readonly configParameterName: string;

  private readonly controls = new Map<string, arc.CfnRoutingControl>();
  private readonly checks = new Map<string, RoutingControlHealthCheck>();

  constructor(scope: Construct, id: string, props: RoutingControlsProps) {
    super(scope, id);
    const prefix = props.controlNamePrefix ?? '';
    const panelName = props.controlPanelName ?? Names.uniqueResourceName(this, { maxLength: ARC_MAX_NAME, separator: '-' });
    this.configParameterName = props.configParameterName ?? `${ARC_CONFIG_PARAMETER_PREFIX}${panelName}`;
    this.validate(props, prefix);
    this.regions = [...props.regions];
    const stackRegion = knownRegion(this);
    if (stackRegion !== undefined && !ARC_STACK_REGIONS.includes(stackRegion)) {
      Annotations.of(this).addWarningV2('cdk-failover:arc-stack-region',
        `This stack is in ${stackRegion}, but CloudFormation offers the ARC routing control resources in ${ARC_STACK_REGIONS.join(' and ')} only `
        + '(docs/aws-facts.md#arc-and-global-accelerator), so the deploy would fail. Put RoutingControls, and the DnsFailover that uses its health checks, '
        + 'in a us-west-2 stack (health checks and records are global).');
    }

    if (props.clusterArn !== undefined) {
      this.clusterArn = props.clusterArn;
    } else {
      this.cluster = new arc.CfnCluster(this, 'Cluster', { name: props.clusterName ?? Names.uniqueResourceName(this, { maxLength: ARC_MAX_NAME }) });
      this.cluster.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
      this.clusterArn = this.cluster.attrClusterArn;
    }
    const panel = new arc.CfnControlPanel(this, 'ControlPanel', {
      clusterArn: this.clusterArn,
      name: panelName,
    });
    this.controlPanelArn = panel.attrControlPanelArn;

    const controls = new Construct(this, 'Controls');
    const checks = new Construct(this, 'HealthChecks');
    for (const region of this.regions) {
      const control = new arc.CfnRoutingControl(controls, region, {
        clusterArn: this.clusterArn,
        controlPanelArn: this.controlPanelArn,
        name: `${prefix}${region}`,
      });
      this.controls.set(region, control);
      this.checks.set(region, new RoutingControlHealthCheck(checks, region, {
        routingControlArn: control.attrRoutingControlArn,
        label: `${prefix}${region}`,
        assumptions: props.assumptions,
      }));
    }
    const regional = this.regions.map((r) => this.controls.get(r)!.attrRoutingControlArn);
    const waitPeriodMs = props.waitPeriod?.toMilliseconds() ?? ARC_DEFAULT_WAIT_PERIOD_MS;

    let assertionRule: arc.CfnSafetyRule | undefined;
    if (props.assertionRule ?? true) {
      const minimumOn = props.minimumOn ?? 1;
      assertionRule = new arc.CfnSafetyRule(this, 'AssertionRule', {
        controlPanelArn: this.controlPanelArn,
        name: `at-least-${minimumOn}-on`,
        assertionRule: { assertedControls: regional, waitPeriodMs },
        ruleConfig: { type: 'ATLEAST', threshold: minimumOn, inverted: false },
      });
    }
    if (props.gatingControl) {
      const gate = new arc.CfnRoutingControl(this, 'GatingControl', {
        clusterArn: this.clusterArn,
        controlPanelArn: this.controlPanelArn,
        name: `${prefix}gate`,
      });
      this.gatingControlArn = gate.attrRoutingControlArn;
      new arc.CfnSafetyRule(this, 'GatingRule', {
        controlPanelArn: this.controlPanelArn,
        name: 'gate-on',
        gatingRule: { gatingControls: [gate.attrRoutingControlArn], targetControls: regional, waitPeriodMs },
        ruleConfig: { type: 'OR', threshold: 1, inverted: false },
      });
    }

    writeArcConfiguration(this, 'Config', {
      parameterName: this.configParameterName,
      clusterArn: this.clusterArn,
      regions: this.regions,
      controls: Object.fromEntries(this.regions.map((r) => [r, this.routingControlArn(r)])),
      assertionRuleArn: assertionRule?.attrSafetyRuleArn,
      gatingControlArn: this.gatingControlArn,
      parameterArn: (r) => this.configParameterArn(r),
    });
  }

  /**
   * The ARN of the configuration parameter's copy in a Region.
   *
   * @param region a Region given in `regions`
   */
  public configParameterArn(region: string): string {
    this.control(region);
    return Stack.of(this).formatArn({
      service: 'ssm',
      region,
      resource: 'parameter',
      resourceName: this.configParameterName.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets `grantee` read the configuration parameter (`ssm:GetParameter`), scoped to its exact
   * ARN: the copy in `region`, or every copy.
   *
   * @param grantee the runbook's function
   * @param region a Region given in `regions`; by default every one of them
   */
  public grantReadConfig(grantee: iam.IGrantable, region?: string): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter'],
      resourceArns: (region === undefined ? this.regions : [region]).map((r) => this.configParameterArn(r)),
    });
  }

  /**
   * The ARN of a Region's routing control.
   *
   * @param region a Region given in `regions`
   */
  public routingControlArn(region: string): string {
    return this.control(region).attrRoutingControlArn;
  }

  /**
   * The `RECOVERY_CONTROL` health check of a Region's routing control: healthy while the control
   * is On. Give it to `DnsFailover` as `primaryHealthCheck` or `secondaryHealthCheck`.
   *
   * @param region a Region given in `regions`
   */
  public healthCheck(region: string): RoutingControlHealthCheck {
    this.control(region);
    return this.checks.get(region)!;
  }

  private control(region: string): arc.CfnRoutingControl {
    const control = this.controls.get(region);
    if (!control) {
      throw new Error(`${this.node.path}: no routing control for ${show(region)}; the Regions are ${this.regions.join(', ')}. `
        + 'Ask for one of them, or add the Region to `regions`.');
    }
    return control;
  }

  private validate(props: RoutingControlsProps, prefix: string): void {
    const problems = new Problems(this);
    const regions = props.regions;
    const bad = regions.filter((r) => !unresolved(r) && !isRegionName(r));
    if (bad.length > 0) {
      problems.add(`\`regions\` must be Region names such as us-east-1, got: ${bad.map(show).join(', ')}. Give the Regions by name.`);
    }
    if (regions.some((r) => unresolved(r))) {
      problems.add('`regions` holds a deploy-time Token, but the Regions name the routing controls and their construct IDs. Give literal Region names.');
    }
    if (regions.length < 2 || regions.length > ARC_MAX_CONTROLS_PER_UPDATE) {
      problems.add(`\`regions\` must hold 2 to ${ARC_MAX_CONTROLS_PER_UPDATE} Regions, got ${regions.length}: `
        + `a failover moves traffic from one Region to another, in one UpdateRoutingControlStates call of at most ${ARC_MAX_CONTROLS_PER_UPDATE} controls.`);
    }
    const duplicates = regions.filter((r, i) => regions.indexOf(r) !== i);
    if (duplicates.length > 0) {
      problems.add(`\`regions\` must not repeat a Region, got ${[...new Set(duplicates)].map(show).join(', ')} more than once. List each Region once.`);
    }
    if (props.clusterArn !== undefined && props.clusterName !== undefined) {
      problems.add('`clusterName` names a new cluster, but `clusterArn` gives an existing one. Give one of them.');
    }
    if (props.clusterArn !== undefined && props.removalPolicy !== undefined) {
      problems.add('`removalPolicy` applies to a cluster this construct creates, but `clusterArn` gives an existing one. Remove `removalPolicy`.');
    }
    checkArcArn(problems, 'clusterArn', props.clusterArn, 'cluster', 'arn:aws:route53-recovery-control::123456789012:cluster/0123abcd-4567-89ef');
    checkArcName(problems, 'clusterName', props.clusterName, 'Give a shorter name, e.g. "app-failover".');
    checkArcName(problems, 'controlPanelName', props.controlPanelName, 'Give a shorter name, e.g. "app".');
    if (!unresolved(prefix)) {
      for (const name of [...regions.filter((r) => !unresolved(r)).map((r) => `${prefix}${r}`), ...props.gatingControl ? [`${prefix}gate`] : []]) {
        checkArcName(problems, 'controlNamePrefix', name, `It makes the routing control name ${show(name)}; give a shorter prefix without whitespace.`);
      }
    } else {
      problems.add('`controlNamePrefix` is a deploy-time Token, but the routing control names are checked at synth. Give a literal prefix.');
    }
    const controls = regions.length + (props.gatingControl ? 1 : 0);
    if (controls > ARC_MAX_CONTROLS_PER_PANEL) {
      problems.add(`a control panel holds at most ${ARC_MAX_CONTROLS_PER_PANEL} routing controls, and this one would hold ${controls}.`);
    }
    if (props.assertionRule === false && props.minimumOn !== undefined) {
      problems.add('`minimumOn` sets the assertion rule, but `assertionRule` is false. Remove `minimumOn`, or keep the rule.');
    }
    checkInteger(problems, 'minimumOn', props.minimumOn, 1, Math.max(1, regions.length - 1),
      'At least 1 keeps some Region serving; fewer than all the Regions lets a failover turn one Off.');
    checkDuration(problems, 'waitPeriod', props.waitPeriod, { unit: 'millis', min: 0, literal: 'the safety rules need it at synth', fix: 'Give e.g. Duration.seconds(5), ARC\'s default.' });
    checkAssumptions(problems, props.assumptions, [RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS]);
    if (props.configParameterName !== undefined) {
      checkParameterName(problems, '`configParameterName`', props.configParameterName, 'Use a name like `/cdk-failover/arc/orders`.');
    } else if (props.controlPanelName !== undefined && new RegExp(`^\\S{1,${ARC_MAX_NAME}}$`).test(props.controlPanelName)) {
      // A name ARC rejects is reported above; a name ARC accepts may still not fit SSM's rules.
      checkParameterName(problems, 'the configuration parameter name made from `controlPanelName`', this.configParameterName,
        'Give `configParameterName`, e.g. `/cdk-failover/arc/orders`, or a control panel name of letters, digits, `_`, `.` and `-`.');
    }
    problems.throwIfAny();
  }
}

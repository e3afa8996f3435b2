import { Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { RegionMarkerHeader } from './verify-recovery';
import { FLAG_READ_TIMEOUT_MS, PUBLISH_BUDGET_MS } from '../../health/probe-contract';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { dialSwitch } from '../../objectives/model/accelerator-dials';
import { routingControlSwitch } from '../../objectives/model/arc';
import { switchAlarm, switchRead } from '../../objectives/model/data-plane-switch';
import { clientCaching, dnsAnswerSwitch, resolverCaching } from '../../objectives/model/dns';
import { taskCall } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { checkDuration, show } from '../../private/validate';
import { AcceleratorFailover } from '../../routing/accelerator-failover';
import { DataPlaneSwitch } from '../../routing/data-plane-switch';
import { DnsFailover } from '../../routing/dns-failover';
import { RoutingControls } from '../../routing/routing-controls';
import { dialGroups, dialTasks } from '../private/accelerator-dials';
import { flipRoutingControls } from '../private/routing-control-flip';
import { functionTask, resultPath, sdkTask, StepBinding, StepContext, stateName } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { ACTIONS } from '../runbook-contract';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * Options of `SwitchTraffic.routingControls`.
 */
export interface SwitchRoutingControlsOptions {
  /** The routing controls; the runbook reads their configuration parameter in its own Region. */
  readonly controls: RoutingControls;
  /** The Region to send traffic to: its control On, every other Off, in one atomic call. */
  readonly region: string;
  /**
   * The TTL of the failover records that follow the controls' health checks, for the model.
   *
   * @default Duration.seconds(60) - the `DnsFailover` default
   */
  readonly recordTtl?: Duration;
}

/**
 * Options of `SwitchTraffic.dataPlaneSwitch`.
 */
export interface SwitchDataPlaneOptions {
  /** The switch: its parameter's name and Regions. The runbook writes the copy in its own Region. */
  readonly dataPlaneSwitch: DataPlaneSwitch;
  /** The Region to send traffic to, one of the switch's Regions. */
  readonly region: string;
  /**
   * The TTL of the failover records that follow the switch's health checks, for the model.
   *
   * @default Duration.seconds(60) - the `DnsFailover` default
   */
  readonly recordTtl?: Duration;
}

/**
 * Options of `SwitchTraffic.awaitDnsFailover`.
 */
export interface AwaitDnsFailoverOptions {
  /** The public URL, whose answers move when Route 53 fails over: `https://app.example.com/health`. */
  readonly url: string;
  /**
   * The header that marks the recovery side's answers, e.g. `x-region: us-west-2`. Give it or `bodyContains`.
   *
   * @default - the body string marks the recovery side
   */
  readonly header?: RegionMarkerHeader;
  /**
   * A string only the recovery side's answers contain. Give it or `header`.
   *
   * @default - the header marks the recovery side
   */
  readonly bodyContains?: string;
  /**
   * The failover records, whose modeled worst case bounds the wait in the report.
   *
   * @default - the wait is modeled at its timeout
   */
  readonly failover?: DnsFailover;
  /**
   * How long to wait for the recovery side to answer: 1 to 14 minutes.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Options of `SwitchTraffic.acceleratorDials`: the endpoint groups (by the `AcceleratorFailover`
 * of the runbook's stack, or by literal ARN), and the Region that takes the traffic.
 */
export interface SwitchAcceleratorDialsOptions {
  /**
   * The accelerator, when it is in the runbook's stack. An accelerator of another stack (it
   * usually is: one stack holds it, the runbook runs in the recovery Region) is refused, as its
   * endpoint group ARNs could only be referenced through a cross-stack export: give
   * `endpointGroupArns` instead.
   *
   * @default - the groups of `endpointGroupArns`
   */
  readonly failover?: AcceleratorFailover;
  /**
   * The endpoint groups of one listener by Region, as literal ARNs
   * (`arn:aws:globalaccelerator::<account>:accelerator/<id>/listener/<id>/endpoint-group/<id>`):
   * `aws globalaccelerator list-endpoint-groups --region us-west-2 --listener-arn <listener>` lists
   * them once the accelerator is deployed. A Token of another stack is refused.
   *
   * @default - the groups of `failover`
   */
  readonly endpointGroupArns?: { [region: string]: string };
  /** The Region to send traffic to: its endpoint group is dialled to 100 %. */
  readonly region: string;
  /**
   * Whether every other endpoint group is dialled to 0 % after `region` is at 100 %
   * (active-passive); with false, only `region` is dialled up and the others keep their dials
   * (e.g. to bring a Region back into an active-active accelerator).
   *
   * @default true
   */
  readonly othersToZero?: boolean;
}

/**
 * Move traffic to the recovery side with data-plane calls only, so that the switch works while
 * the Route 53 API or the failed Region's APIs are down: ARC routing controls flipped through the
 * cluster's endpoints, the data-plane switch's parameter written in the surviving Region, or
 * Route 53's own failover waited for. The failover records follow health checks, so no record or
 * health check is edited. The one exception, for planned switches, failback and drills only:
 * Global Accelerator's traffic dials, a control-plane call in us-west-2.
 */
export class SwitchTraffic extends RunbookStep {
  /**
   * One `UpdateRoutingControlStates` call: `region` On, every other Region Off. The assertion
   * rule holds (one Region stays On); a gating rule whose gate is Off refuses the call, and the
   * runbook fails with `RoutingControlsRefused`.
   */
  public static routingControls(options: SwitchRoutingControlsOptions): SwitchTraffic {
    return new SwitchTraffic(`send traffic to ${options.region} (routing controls)`, { kind: 'switchRoutingControls', options }, (ctx) => {
      const regions = options.controls.regions;
      if (!regions.includes(options.region)) {
        ctx.problems.add(`\`${ctx.prop}.region\` must be one of the routing controls' Regions (${regions.join(', ')}), got: ${show(options.region)}. `
          + 'Give the Region that takes the traffic.');
      }
      const ttl = checkDuration(ctx.problems, `${ctx.prop}.recordTtl`, options.recordTtl, { literal: 'the model needs the record TTL' }) ?? 60;
      const states = Object.fromEntries(regions.map((r): [string, 'On' | 'Off'] => [r, r === options.region ? 'On' : 'Off']));
      const task = flipRoutingControls(ctx, options.controls, states, false);
      const healthToDns = ctx.given(RecoveryAssumption.HEALTH_TO_DNS_ANSWER);
      return {
        chain: sfn.Chain.start(task),
        terms: [
          taskCall(`${ctx.id}-routing-controls`, RecoveryTermKind.SWITCH, `turn ${options.region} On and the others Off (UpdateRoutingControlStates)`,
            ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
          { ...routingControlSwitch(ctx.given(RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS)), id: `${ctx.id}-routing-control-health` },
          { ...dnsAnswerSwitch(healthToDns ?? RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds, healthToDns === undefined), id: `${ctx.id}-dns-answer` },
          { ...resolverCaching({ ttl, source: options.recordTtl ? 'as given' : 'the DnsFailover default', assumed: false, alias: false }), id: `${ctx.id}-resolver-cache` },
          { ...clientCaching(ctx.given(RecoveryAssumption.CLIENT_DNS_CACHE)), id: `${ctx.id}-client-cache` },
        ],
      };
    });
  }

  /**
   * Write `region` into the data-plane switch's parameter (`DataPlaneSwitch`, no ARC cluster):
   * first the copy in the runbook's Region, which the Route 53 checks follow through that
   * Region's probe and alarms, then the other Regions' copies, best effort (a Region that is down
   * is skipped, and the step goes on).
   */
  public static dataPlaneSwitch(options: SwitchDataPlaneOptions): SwitchTraffic {
    return new SwitchTraffic(`send traffic to ${options.region} (data-plane switch)`, { kind: 'switchDataPlane', options }, (ctx) => {
      const sw = options.dataPlaneSwitch;
      if (!sw.regions.includes(options.region)) {
        ctx.problems.add(`\`${ctx.prop}.region\` must be one of the switch's Regions (${sw.regions.join(', ')}), got: ${show(options.region)}. `
          + 'Give the Region that takes the traffic.');
      }
      if (ctx.region !== undefined && !sw.regions.includes(ctx.region)) {
        ctx.problems.add(`the runbook's Region ${ctx.region} has no copy of the switch's parameter (Regions: ${sw.regions.join(', ')}): `
          + 'the runbook writes the copy of its own Region. Put the runbook in one of them.');
      }
      const ttl = checkDuration(ctx.problems, `${ctx.prop}.recordTtl`, options.recordTtl, { literal: 'the model needs the record TTL' }) ?? 60;
      const stack = Stack.of(ctx.scope);
      const parameterArn = (region: string) => stack.formatArn({ service: 'ssm', region, resource: 'parameter', resourceName: sw.parameterName.replace(/^\//, '') });
      const here = sdkTask(ctx, 'PutParameter (this Region)', {
        service: 'ssm',
        action: 'putParameter',
        parameters: { Name: sw.parameterName, Value: options.region, Overwrite: true },
        iamResources: [parameterArn(stack.region)],
        read: false,
        errorPrefix: 'Ssm',
        timeout: Duration.seconds(30),
      });
      // The other copies only keep every Region's view the same: a failure there is not the switch's.
      let chain: sfn.INextable[] = [here];
      for (const other of sw.regions.filter((r) => r !== ctx.region)) {
        const put = new tasks.CallAwsServiceCrossRegion(ctx.scope, `PutParameter ${other}`, {
          stateName: stateName(ctx, `PutParameter (${other}, best effort)`),
          service: 'ssm',
          action: 'putParameter',
          parameters: { Name: sw.parameterName, Value: options.region, Overwrite: true },
          iamResources: [parameterArn(other)],
          region: other,
          resultPath: sfn.JsonPath.DISCARD,
          taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
        });
        const skipped = new sfn.Pass(ctx.scope, `Skipped ${other}`, { stateName: stateName(ctx, `${other} not written`), resultPath: sfn.JsonPath.DISCARD });
        put.addCatch(skipped, { resultPath: `${resultPath(ctx)}.skipped` });
        chain.forEach((c) => c.next(put));
        chain = [put, skipped];
      }
      const ends = chain.length === 1 ? [here] : chain;
      const last = new sfn.Pass(ctx.scope, 'Switched', { stateName: stateName(ctx, 'switched') });
      ends.forEach((e) => e.next(last));
      const alarmDelay = ctx.given(RecoveryAssumption.ALARM_TO_HEALTH_STATUS);
      const healthToDns = ctx.given(RecoveryAssumption.HEALTH_TO_DNS_ANSWER);
      return {
        chain: sfn.Chain.custom(here, [last], last),
        terms: [
          taskCall(`${ctx.id}-put-parameter`, RecoveryTermKind.SWITCH, `write ${options.region} into ${sw.parameterName} (PutParameter)`,
            ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
          { ...switchRead({ readTimeout: FLAG_READ_TIMEOUT_MS / 1000, publish: PUBLISH_BUDGET_MS / 1000 }), id: `${ctx.id}-flag-read` },
          { ...switchAlarm(alarmDelay), id: `${ctx.id}-switch-alarm` },
          { ...dnsAnswerSwitch(healthToDns ?? RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds, healthToDns === undefined), id: `${ctx.id}-dns-answer` },
          { ...resolverCaching({ ttl, source: options.recordTtl ? 'as given' : 'the DnsFailover default', assumed: false, alias: false }), id: `${ctx.id}-resolver-cache` },
          { ...clientCaching(ctx.given(RecoveryAssumption.CLIENT_DNS_CACHE)), id: `${ctx.id}-client-cache` },
        ],
      };
    });
  }

  /**
   * Turn Global Accelerator's traffic dials: `region`'s endpoint group to 100 % first (so that
   * no moment has every dial at 0), then each other group to 0 % (unless `othersToZero` is
   * false), one `UpdateEndpointGroup` each, sent to the Global Accelerator API in us-west-2
   * (through aws-cdk-lib's cross-Region task when the runbook is elsewhere), granted on the
   * endpoint group ARNs only. Only the dial is sent: the groups' endpoints and health settings
   * stay.
   *
   * This is a control-plane call, and it depends on us-west-2. The accelerator's failover needs
   * no call at all: when a Region's group has no healthy endpoint, Global Accelerator sends new
   * connections to a healthy group whatever the dials say (`AcceleratorFailover`). Use this step
   * for planned switches, failback and drills, and leave a lost Region to the health-based
   * failover. A dial moves new connections only; established ones stay until reset. Dials move
   * traffic among healthy groups only: a Region dialled to 100 % with no healthy endpoint gets
   * none. The stack still declares the dials it was deployed with: a later deploy that updates
   * the endpoint groups can set them back, so change `primaryRegion` (or `trafficDials`) to match.
   *
   * The model: one `runbookTask` per call, then the dials taking effect, for which AWS publishes
   * no figure: the `acceleratorReroute` assumption stands in for it. ARC Region switch has no
   * block for it.
   *
   * @exampleMetadata fixture=runbook
   * @example
   * const groups = 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdef01/listener/0123abcd/endpoint-group';
   * new FailoverRunbook(this, 'PlannedSwitch', {
   *   fromRegion: 'us-east-1',
   *   steps: [
   *     SwitchTraffic.acceleratorDials({
   *       endpointGroupArns: { 'us-east-1': `${groups}/098765abcdef`, 'us-west-2': `${groups}/0a1b2c3d4e5f` },
   *       region: 'us-west-2',
   *     }),
   *   ],
   * });
   */
  public static acceleratorDials(options: SwitchAcceleratorDialsOptions): SwitchTraffic {
    return new SwitchTraffic(`send traffic to ${options.region} (Global Accelerator traffic dials)`, { kind: 'switchAcceleratorDials', options }, (ctx) => {
      const groups = dialGroups(ctx, options);
      const target = groups.filter((g) => g.region === options.region);
      const others = (options.othersToZero ?? true) ? groups.filter((g) => g.region !== options.region) : [];
      const calls = dialTasks(ctx, [...target.map((group) => ({ group, dial: 100 })), ...others.map((group) => ({ group, dial: 0 }))]);
      // With problems (no target), the runbook throws before it is built: the Pass only keeps the chain whole.
      const first: sfn.TaskStateBase | sfn.Pass = calls[0] ?? new sfn.Pass(ctx.scope, 'No dials', { stateName: `${ctx.id}: no dials` });
      let last: sfn.TaskStateBase | sfn.Pass = first;
      for (const call of calls.slice(1)) {
        last.next(call);
        last = call;
      }
      return {
        chain: sfn.Chain.custom(first, [last], last),
        terms: dialSwitch(ctx.id, {
          target: options.region,
          others: others.map((g) => g.region),
          runbookTask: ctx.given(RecoveryAssumption.RUNBOOK_TASK),
          acceleratorReroute: ctx.given(RecoveryAssumption.ACCELERATOR_REROUTE),
        }),
      };
    });
  }

  /**
   * Wait for Route 53's automatic failover (the DNS failover health-check path): the runbook
   * changes nothing, it requests the public URL until the recovery side answers (its marker),
   * from the runbook's function, so it only needs DNS and the recovery side. Use it when the
   * records fail over on their health checks and the runbook does the rest (data, capacity).
   */
  public static awaitDnsFailover(options: AwaitDnsFailoverOptions): SwitchTraffic {
    return new SwitchTraffic(`wait until ${options.url} answers from the recovery side (DNS failover)`, { kind: 'awaitDnsFailover', options }, (ctx) => {
      const p = ctx.problems;
      if (!options.header && options.bodyContains === undefined) {
        p.add(`\`${ctx.prop}\` needs \`header\` or \`bodyContains\`: without a marker any answer, the old side's too, would pass. `
          + 'Give the header or body string only the recovery side sends.');
      }
      const timeout = checkDuration(p, `${ctx.prop}.timeout`, options.timeout, { unit: 'seconds', min: 60, max: 840, literal: 'the runbook waits it' }) ?? 600;
      const interval = 10;
      const requestTimeout = 5;
      const attempts = Math.max(1, Math.floor((timeout + interval) / (interval + requestTimeout)));
      const task = functionTask(ctx, `await DNS failover of ${options.url}`, {
        payload: {
          action: ACTIONS.verifyHttp,
          url: options.url,
          ...options.bodyContains !== undefined ? { bodyContains: options.bodyContains } : {},
          ...options.header ? { header: { name: options.header.name, value: options.header.value } } : {},
          attempts,
          intervalSeconds: interval,
          timeoutSeconds: requestTimeout,
        },
        timeout: Duration.seconds(timeout + 60),
      });
      const modeled = options.failover?.recoveryPaths().find((r) => r.id === 'failover')?.estimate.rtoWorst;
      const max = modeled ? modeled.toSeconds({ integral: false }) : timeout;
      return {
        chain: sfn.Chain.start(task),
        terms: [{
          id: `${ctx.id}-dns-failover`,
          kind: RecoveryTermKind.SWITCH,
          min: 0,
          max,
          basis: modeled
            ? `Route 53 fails over on its own; the runbook waits until ${options.url} answers from the recovery side, at worst the failover records' modeled ${max} s`
            : `Route 53 fails over on its own; the runbook waits until ${options.url} answers from the recovery side, at most its ${timeout} s timeout (give \`failover\` to model it)`,
          assumption: !modeled,
          remedy: 'faster health checks on the failover records, a shorter TTL, or a routing-control switch the runbook flips',
        }],
      };
    });
  }

  /** What the step does: switch the traffic. */
  public readonly role = RunbookStepRole.SWITCH;

  /** @internal */
  public readonly _spec: StepSpec;

  private constructor(public readonly description: string, spec: StepSpec, private readonly build: (ctx: StepContext) => StepBinding) {
    super();
    this._spec = spec;
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    return this.build(ctx);
  }
}

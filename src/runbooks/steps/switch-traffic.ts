import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { routingControlSwitch } from '../../objectives/model/arc';
import { clientCaching, dnsAnswerSwitch, resolverCaching } from '../../objectives/model/dns';
import { taskCall } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { checkDuration, show } from '../../private/validate';
import { RoutingControls } from '../../routing/routing-controls';
import { flipRoutingControls } from '../private/routing-control-flip';
import { StepBinding, StepContext } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
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
 * Move traffic to the recovery side with data-plane calls only (DESIGN principle 2): ARC
 * routing controls flipped through the cluster's endpoints. Route 53's failover records follow
 * the controls' health checks, so no record or health check is edited.
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

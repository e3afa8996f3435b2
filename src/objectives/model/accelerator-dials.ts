/**
 * A runbook turning Global Accelerator's traffic dials (docs/aws-facts.md#arc-and-global-accelerator):
 * one `UpdateEndpointGroup` per endpoint group, sent to the Global Accelerator API in us-west-2
 * (control plane), then the dials taking effect for new connections. The accelerator's own
 * failover moves traffic on endpoint health and needs none of this: these terms are for planned
 * switches, failback and drills. Figures in seconds.
 */
import { taskCall } from './runbook';
import { assumedTerm, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/** Where the Global Accelerator API takes calls, whatever the endpoint groups' Regions. */
export const GLOBAL_ACCELERATOR_API_REGION = 'us-west-2';

/** Inputs of a switch by traffic dials. */
export interface DialSwitchInput {
  /** The Region dialled to 100 %: its call comes first. */
  readonly target: string;
  /** The Regions dialled to 0 % after it, in order; empty when their dials are left as they are. */
  readonly others: string[];
  /** The value given for `runbookTask` (seconds), if any. */
  readonly runbookTask?: number;
  /** The value given for `acceleratorReroute` (seconds), if any. */
  readonly acceleratorReroute?: number;
}

/**
 * The dials taking effect: from the last `UpdateEndpointGroup` answered to new connections
 * following the new dials. AWS publishes no figure; the `acceleratorReroute` assumption (the
 * ~30 s AWS gives for traffic returning to a recovered group) stands in for it.
 */
export function dialEffect(given?: number): Term {
  return assumedTerm('accelerator-dial-effect', RecoveryTermKind.SWITCH, RecoveryAssumption.ACCELERATOR_REROUTE, given,
    (s) => `the new traffic dials taking effect for new connections: up to ${s} s, the \`acceleratorReroute\` assumption, as AWS publishes `
      + 'no figure for a dial change; established connections are not moved, they stay until the client or server resets them',
    'measure it with a drill and set `assumptions.acceleratorReroute`');
}

/**
 * The whole switch: the target's dial to 100 first (so that no moment has every dial at 0), then
 * each other Region's to 0, one task each, then the dials taking effect.
 */
export function dialSwitch(id: string, input: DialSwitchInput): Term[] {
  const call = (region: string, dial: number) => taskCall(`${id}-dial-${region}`, RecoveryTermKind.SWITCH,
    `dial ${region} to ${dial} % (UpdateEndpointGroup, Global Accelerator control plane in ${GLOBAL_ACCELERATOR_API_REGION})`, input.runbookTask);
  return [
    call(input.target, 100),
    ...input.others.map((r) => call(r, 0)),
    { ...dialEffect(input.acceleratorReroute), id: `${id}-dial-effect` },
  ];
}

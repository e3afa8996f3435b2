/**
 * Detection through AWS Health (docs/aws-facts.md#aws-health): AWS posts an event once it has
 * confirmed an issue, and publishes no delay from an impairment to that event nor to its
 * delivery to EventBridge. The whole delay is the named assumption `awsHealthSignal`; the alarm
 * that follows the event is modeled by its own family (alarms.ts) where it is used.
 */
import { assumedTerm, Term } from './term';
import { RecoveryAssumption } from '../assumptions';
import { RecoveryTermKind } from '../term-kind';

/**
 * From an impairment of a service AWS Health reports on to the event reaching EventBridge: 0 (AWS
 * may post before your endpoints see anything) up to the assumption.
 *
 * @param services the services the rule matches, for the basis
 * @param given the value a user gave for the assumption, in seconds; undefined for the default
 */
export function awsHealthDetection(services: string[], given?: number): Term {
  return assumedTerm('aws-health-event', RecoveryTermKind.DETECTION, RecoveryAssumption.AWS_HEALTH_SIGNAL, given,
    (s) => `AWS Health posts an issue event for ${services.join(', ')} and EventBridge delivers it: up to ${s} s`,
    'nothing in this app shortens it: AWS decides when to post; rely on endpoint health checks first, and set '
    + '`assumptions.awsHealthSignal` to what your incidents\' timelines show');
}

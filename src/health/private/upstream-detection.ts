/**
 * What happens before an alarm can breach, for the alarms whose metric follows a signal the model
 * knows (an AWS Health event): the construct that makes the alarm records the terms here, and
 * whoever follows the alarm (an `AlarmHealthCheck`, a runbook's `startOnAlarm`) puts them before
 * the alarm's own evaluation. Keyed by the alarm object, so nothing is shared across apps.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Term } from '../../objectives/model/term';

const UPSTREAM = new WeakMap<cloudwatch.IAlarm, Term[]>();

/** Records the terms before `alarm` can breach. */
export function recordUpstreamDetection(alarm: cloudwatch.IAlarm, terms: Term[]): void {
  UPSTREAM.set(alarm, [...terms]);
}

/** The terms before `alarm` can breach: none for an alarm on a metric the model does not know. */
export function upstreamDetection(alarm: cloudwatch.IAlarm | undefined): Term[] {
  return alarm ? [...UPSTREAM.get(alarm) ?? []] : [];
}

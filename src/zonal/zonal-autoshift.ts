import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { CfnZonalAutoshiftConfiguration } from 'aws-cdk-lib/aws-arczonalshift';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { ZonalAutoshiftOptions } from './service-options';
import { apiWindow, dateProblem, windowProblem } from '../private/calendar';
import { Problems } from '../private/errors';
import { unresolved } from '../private/validate';

/** Outcome and blocking alarms of a practice-run configuration: 1..10 (docs/aws-facts.md#zonal-shift-and-zonal-autoshift). */
const MAX_PRACTICE_ALARMS = 10;
/** Blocked dates and blocked windows: at most 15 each (ARC zonal shift API, PracticeRunConfiguration). */
const MAX_BLOCKED = 15;

/** The checks of `zonalAutoshift`; `scope` is the service, whose region the alarms must share. */
export function validateAutoshift(problems: Problems, scope: Construct, a: ZonalAutoshiftOptions | undefined): void {
  if (!a) {
    return;
  }
  if (a.outcomeAlarms !== undefined && (a.outcomeAlarms.length < 1 || a.outcomeAlarms.length > MAX_PRACTICE_ALARMS)) {
    problems.add(`\`zonalAutoshift.outcomeAlarms\` must hold 1 to ${MAX_PRACTICE_ALARMS} alarms, got ${a.outcomeAlarms.length}. `
      + 'Remove it to use the service\'s error-rate alarm.');
  }
  if ((a.blockingAlarms?.length ?? 0) > MAX_PRACTICE_ALARMS) {
    problems.add(`\`zonalAutoshift.blockingAlarms\` must hold at most ${MAX_PRACTICE_ALARMS} alarms, got ${a.blockingAlarms!.length}.`);
  }
  // ARC takes alarms of the resource's own region only.
  (a.outcomeAlarms ?? []).concat(a.blockingAlarms ?? []).forEach((alarm) => checkAlarmRegion(problems, scope, alarm));
  if ((a.blockedDates?.length ?? 0) > MAX_BLOCKED || (a.blockedWindows?.length ?? 0) > MAX_BLOCKED) {
    problems.add(`\`zonalAutoshift.blockedDates\` and \`zonalAutoshift.blockedWindows\` take at most ${MAX_BLOCKED} entries each, `
      + `got ${a.blockedDates?.length ?? 0} and ${a.blockedWindows?.length ?? 0}.`);
  }
  for (const date of a.blockedDates ?? []) {
    const problem = unresolved(date) ? undefined : dateProblem('zonalAutoshift.blockedDates', date);
    if (problem) {
      problems.add(problem);
    }
  }
  for (const window of a.blockedWindows ?? []) {
    const problem = unresolved(window) ? undefined : windowProblem('zonalAutoshift.blockedWindows', window);
    if (problem) {
      problems.add(problem);
    }
  }
}

/** An imported alarm's region comes from its ARN. */
function checkAlarmRegion(problems: Problems, scope: Construct, alarm: cloudwatch.IAlarm): void {
  const here = Stack.of(scope).region;
  // An alarm imported by ARN carries its region in the ARN only.
  const there = unresolved(alarm.alarmArn) ? alarm.env.region : Arn.split(alarm.alarmArn, ArnFormat.COLON_RESOURCE_NAME).region ?? alarm.env.region;
  if (!unresolved(here) && !unresolved(there) && here !== there) {
    problems.add(`\`zonalAutoshift\` alarm ${alarm.node.path} is in ${there}, but the load balancer is in ${here}: `
      + 'practice runs take alarms of the resource\'s own region. Create the alarm in this region.');
  }
}

/**
 * Zonal autoshift of the load balancer with its practice runs, judged by `defaultOutcomeAlarm`
 * unless the options name outcome alarms.
 */
export function createAutoshift(scope: Construct, loadBalancer: elbv2.IApplicationLoadBalancer, options: ZonalAutoshiftOptions,
  defaultOutcomeAlarm: cloudwatch.IAlarm): CfnZonalAutoshiftConfiguration {
  const condition = (alarm: cloudwatch.IAlarm) => ({ type: 'CLOUDWATCH', alarmIdentifier: alarm.alarmArn });
  const config = new CfnZonalAutoshiftConfiguration(scope, 'ZonalAutoshift', {
    resourceIdentifier: loadBalancer.loadBalancerArn,
    zonalAutoshiftStatus: 'ENABLED',
    practiceRunConfiguration: {
      outcomeAlarms: (options.outcomeAlarms ?? [defaultOutcomeAlarm]).map(condition),
      blockingAlarms: options.blockingAlarms?.length ? options.blockingAlarms.map(condition) : undefined,
      blockedDates: options.blockedDates?.length ? options.blockedDates : undefined,
      blockedWindows: options.blockedWindows?.length ? options.blockedWindows.map((w) => (unresolved(w) ? w : apiWindow(w))) : undefined,
    },
  });
  // The load balancer must allow zonal shifts before ARC accepts the configuration: the reference
  // to its ARN orders them, and the zonal-shift attribute is part of the load balancer resource.
  return config;
}

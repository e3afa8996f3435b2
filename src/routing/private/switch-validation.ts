/**
 * The checks of a DataPlaneSwitch's props and of its health checks, and the alarm name both
 * sides compute: regions meet by that name (docs/aws-facts.md#data-plane-switch).
 */
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Problems } from '../../private/errors';
import { isRegionName } from '../../private/region';
import { show, truncate, unresolved } from '../../private/validate';

/** CloudWatch alarm names are 1 to 255 characters (docs/aws-facts.md#data-plane-switch). */
const MAX_ALARM_NAME = 255;
const APP_NAME = /^[A-Za-z0-9_.-]+$/;

/** The name of the alarm in `observerRegion` that says `region` is not the active region there. */
export function switchAlarmName(appName: string, region: string, observerRegion: string): string {
  return `cdk-failover-${appName}-${region}-not-active-per-${observerRegion}`;
}

/** `appName` is part of every alarm name, so it must be a literal of safe characters. */
export function checkAppName(problems: Problems, appName: string): void {
  if (unresolved(appName)) {
    problems.add('`appName` is a deploy-time Token, but the alarm names that regions meet by are built from it at synth. Give a literal name.');
  } else if (!APP_NAME.test(appName)) {
    problems.add(`\`appName\` must be letters, digits, \`_\`, \`.\` or \`-\` (it is part of the alarm names), got: ${show(truncate(appName))}. `
      + 'Use the `appName` of the ActiveRegion, e.g. `\'orders\'`.');
  } else {
    const longest = switchAlarmName(appName, 'ap-southeast-5', 'ap-southeast-5').length;
    if (longest > MAX_ALARM_NAME) {
      problems.add(`\`appName\` is ${appName.length} characters, so the alarm names would reach ${longest}, more than the ${MAX_ALARM_NAME} CloudWatch allows. `
        + 'Use a shorter `appName`.');
    }
  }
}

/** A literal region name; `prop` names it in messages. */
export function checkRegionName(problems: Problems, prop: string, region: string): boolean {
  if (unresolved(region)) {
    problems.add(`\`${prop}\` is a deploy-time Token, but the alarm names are built from it at synth. Give a region name, e.g. \`'us-east-1'\`.`);
    return false;
  }
  if (!isRegionName(region)) {
    problems.add(`\`${prop}\` must be an AWS region name, got: ${show(region)}. Use e.g. \`'us-east-1'\`.`);
    return false;
  }
  return true;
}

/** The regions of the set: at least 2, each a literal name, none twice. */
export function checkRegions(problems: Problems, regions: string[]): void {
  const seen = new Set<string>();
  for (const r of regions) {
    if (checkRegionName(problems, 'regions', r) && seen.has(r)) {
      problems.add(`\`regions\` names ${r} twice. Name each region once.`);
    }
    seen.add(r);
  }
  if (regions.length < 2) {
    problems.add(`\`regions\` must name at least 2 regions (the active one and where traffic can go), got: ${show(regions)}. `
      + 'Give every region of the ActiveRegion.');
  }
}

/**
 * Unhealthy on insufficient data would let the observer region's own outage (or a probe that
 * stops) take traffic away from a healthy region: rejected.
 */
export function checkInsufficientDataStatus(problems: Problems, status: route53.InsufficientDataHealthStatusEnum | undefined): void {
  if (status === route53.InsufficientDataHealthStatusEnum.UNHEALTHY) {
    problems.add('`insufficientDataHealthStatus` must not be UNHEALTHY: the alarm has no data when the observer region or its probe is down, '
      + 'and that must not take traffic away from the region this check guards. Use LAST_KNOWN_STATUS (the default: a failed read changes nothing) '
      + 'or HEALTHY (a failed read puts the region back).');
  }
}

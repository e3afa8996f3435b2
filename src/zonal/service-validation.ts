import { Construct } from 'constructs';
import { MultiAzServiceProps } from './service-options';
import { validateAutoshift } from './zonal-autoshift';
import { RecoveryAssumption } from '../objectives/assumptions';
import { ELB_DEREGISTRATION_DELAY, ELB_INTERVAL, ELB_THRESHOLD, ELB_TIMEOUT } from '../objectives/model/elb';
import { checkAssumptions } from '../private/assumptions';
import { Problems } from '../private/errors';
import { checkSameRegion } from '../private/region';
import { checkInteger, checkSeconds, secondsOf, show, unresolved } from '../private/validate';

/** ALB target-group health check defaults chosen here (see the README section "Multi-AZ service"). */
export const DEFAULT_HEALTH = { interval: 10, timeout: 5, unhealthyThreshold: 2, healthyThreshold: 3 };
/** EC2 Auto Scaling and ECS both cap a group or service far above this; it bounds typos. */
const MAX_CAPACITY = 10_000;

/** The success codes an ALB target group's health check accepts (ELB API, Matcher.HttpCode). */
const ALB_HTTP_CODES = { min: 200, max: 499 };

/** `200`, `200-299` or `200,202,300-399`: each code within the ALB range, each range ascending. */
function albHttpCodes(codes: string): boolean {
  const inRange = (c: number) => c >= ALB_HTTP_CODES.min && c <= ALB_HTTP_CODES.max;
  return codes.split(',').every((part) => {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m) {
      return false;
    }
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return inRange(lo) && inRange(hi) && lo <= hi;
  });
}

/** Every check of the props of `service`, before any child exists, reported together. */
export function validateService(service: Construct, p: MultiAzServiceProps, zones: string[]): void {
  const problems = new Problems(service);
  const zoneCount = zones.length;
  if (zoneCount < 2) {
    problems.add(`\`targetSubnets\` must span at least two Availability Zones (three recommended), got ${zoneCount}: `
      + `${show(zones)}. Give the VPC more zones (\`maxAzs: 3\`) or select subnets in more zones.`);
  }
  // These size the capacity or feed the recovery model, so they must be known at synth.
  const literal: Array<[string, unknown]> = [
    ['peakCapacity', p.peakCapacity], ['maxCapacity', p.maxCapacity], ['zoneAlarmPeriods', p.zoneAlarmPeriods],
    ['healthCheck.interval', p.healthCheck?.interval], ['healthCheck.timeout', p.healthCheck?.timeout],
    ['healthCheck.unhealthyThreshold', p.healthCheck?.unhealthyThreshold],
    // aws-cdk-lib validates these target-group attributes at synth and rejects Tokens.
    ['dnsFailoverMinimumHealthyTargets.count', p.dnsFailoverMinimumHealthyTargets?.count],
    ['dnsFailoverMinimumHealthyTargets.percentage', p.dnsFailoverMinimumHealthyTargets?.percentage],
  ];
  for (const [prop, value] of literal) {
    if (unresolved(value)) {
      problems.add(`\`${prop}\` must be a literal value, got a deploy-time Token: it sizes the capacity or the modeled recovery time at synth. `
        + 'Pass a number or Duration, not a parameter or an attribute.');
    }
  }
  checkInteger(problems, 'peakCapacity', p.peakCapacity, 1, MAX_CAPACITY, 'Give the instances or tasks your peak needs.');
  if (p.maxCapacity !== undefined && !unresolved(p.maxCapacity) && zoneCount >= 2 && Number.isInteger(p.peakCapacity)) {
    const min = Math.ceil(p.peakCapacity / (zoneCount - 1)) * zoneCount;
    if (!Number.isInteger(p.maxCapacity) || p.maxCapacity < min || p.maxCapacity > MAX_CAPACITY) {
      problems.add(`\`maxCapacity\` must be an integer from the statically stable capacity ${min} `
        + `(ceil(peakCapacity ${p.peakCapacity} / (${zoneCount} zones - 1)) x ${zoneCount}) to ${MAX_CAPACITY}, got: ${show(p.maxCapacity)}. `
        + 'Raise it, or remove it for no scaling.');
    }
  }
  const hc = p.healthCheck ?? {};
  checkSeconds(problems, 'healthCheck.interval', hc.interval, ELB_INTERVAL.min, ELB_INTERVAL.max);
  checkSeconds(problems, 'healthCheck.timeout', hc.timeout, ELB_TIMEOUT.min, ELB_TIMEOUT.max);
  const interval = secondsOf(hc.interval, DEFAULT_HEALTH.interval);
  const timeout = secondsOf(hc.timeout, DEFAULT_HEALTH.timeout);
  if (!unresolved(hc.interval) && !unresolved(hc.timeout) && timeout >= interval) {
    problems.add(`\`healthCheck.timeout\` (${timeout} s) must be shorter than \`healthCheck.interval\` (${interval} s): ELB rejects it. `
      + 'Shorten the timeout or lengthen the interval.');
  }
  checkInteger(problems, 'healthCheck.unhealthyThreshold', hc.unhealthyThreshold, ELB_THRESHOLD.min, ELB_THRESHOLD.max,
    '2 detects fastest without ejecting a target for one slow answer.');
  checkInteger(problems, 'healthCheck.healthyThreshold', hc.healthyThreshold, ELB_THRESHOLD.min, ELB_THRESHOLD.max, '');
  if (hc.path !== undefined && !unresolved(hc.path) && !/^\/[\x21-\x7e]{0,1023}$/.test(hc.path)) {
    problems.add(`\`healthCheck.path\` must start with / and hold at most 1024 printable characters without spaces, got: ${show(hc.path)}.`);
  }
  if (hc.healthyHttpCodes !== undefined && !unresolved(hc.healthyHttpCodes) && !albHttpCodes(hc.healthyHttpCodes)) {
    problems.add(`\`healthCheck.healthyHttpCodes\` must be codes from ${ALB_HTTP_CODES.min} to ${ALB_HTTP_CODES.max} and ranges of them, `
      + `comma-separated (e.g. "200" or "200-299"), got: ${show(hc.healthyHttpCodes)}. An ALB target group accepts no other codes.`);
  }
  checkSeconds(problems, 'deregistrationDelay', p.deregistrationDelay, ELB_DEREGISTRATION_DELAY.min, ELB_DEREGISTRATION_DELAY.max);
  checkInteger(problems, 'zoneAlarmPeriods', p.zoneAlarmPeriods, 1, 10, 'The alarm fires after that many 60 s periods below capacity.');
  if (p.errorRatePercent !== undefined && !unresolved(p.errorRatePercent) && !(p.errorRatePercent > 0 && p.errorRatePercent <= 100)) {
    problems.add(`\`errorRatePercent\` must be above 0 and at most 100, got: ${show(p.errorRatePercent)}.`);
  }
  const dns = p.dnsFailoverMinimumHealthyTargets;
  if (dns) {
    if (dns.count === undefined && dns.percentage === undefined) {
      problems.add('`dnsFailoverMinimumHealthyTargets` needs `count`, `percentage` or both; remove it to leave DNS failover off.');
    }
    checkInteger(problems, 'dnsFailoverMinimumHealthyTargets.count', dns.count, 1, MAX_CAPACITY, '');
    checkInteger(problems, 'dnsFailoverMinimumHealthyTargets.percentage', dns.percentage, 1, 100, '');
  }
  checkSameRegion(problems, service, 'alarmTopic', p.alarmTopic, 'Alarms notify a topic of their own region: create the topic in this stack\'s region.', true);
  checkSameRegion(problems, service, 'accessLogsBucket', p.accessLogsBucket, 'ELB writes access logs to a bucket of its own region.', true);
  if (p.recordName !== undefined && !p.zone) {
    problems.add('`recordName` is only used with `zone`: give the hosted zone of the regional record, or remove `recordName`.');
  }
  checkAssumptions(problems, p.assumptions, [
    RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.AUTOSHIFT_DETECTION, RecoveryAssumption.CLIENT_DNS_CACHE,
  ]);
  validateAutoshift(problems, service, p.zonalAutoshift);
  p.targets._spec.validate(problems, p.vpc);
  problems.throwIfAny();
}

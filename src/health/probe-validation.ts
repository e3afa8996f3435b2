/**
 * The checks of a probe's inputs that need no state of the construct: names, search strings,
 * the namespace, and what the schedule's text must fit in.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Problems } from '../private/errors';
import { checkDomainName, ipVersion, show, truncate, unresolved } from '../private/validate';

/** A rule's description is at most 512 characters (docs/aws-facts.md#cloudwatch-alarms). */
const MAX_RULE_DESCRIPTION = 512;

/** The schedule rule's description; a long path loses its start, so that it fits EventBridge's limit. */
export function ruleDescription(path: string, schedule: string): string {
  const lead = 'cdk-failover probe ';
  const room = MAX_RULE_DESCRIPTION - lead.length - schedule.length;
  return `${lead}${path.length > room ? `...${path.slice(path.length - room + 3)}` : path}${schedule}`;
}

/** Whether the app holds a DynamoDB endpoint (gateway or interface, L2 or L1) in the VPC. */
export function hasDynamoDbEndpoint(vpc: ec2.IVpc): boolean {
  return vpc.node.root.node.findAll().some((c) => c instanceof ec2.CfnVPCEndpoint && c.vpcId === vpc.vpcId
    // The service name is `com.amazonaws.<region>.dynamodb`, often with the region as a Token.
    && /\.dynamodb(-fips)?"/.test(JSON.stringify(Stack.of(c).resolve(c.serviceName))));
}

export function checkHost(problems: Problems, id: string, host: string): void {
  if (unresolved(host) || ipVersion(host) !== undefined) {
    return;
  }
  checkDomainName(problems, `host of target ${id}`, host);
}

/** The probe compares UTF-8 bytes within the first `searchBytes`: a longer search string never matches. */
export function checkSearchFits(problems: Problems, id: string, search: string | undefined, searchBytes: number): void {
  if (search === undefined || unresolved(search) || unresolved(searchBytes)) {
    return;
  }
  const bytes = Buffer.byteLength(search, 'utf8');
  if (bytes > searchBytes) {
    problems.add(`\`searchString\` of target ${id} is ${bytes} bytes, longer than \`searchBytes\` (${searchBytes}), so it can never match, `
      + `got: ${show(truncate(search))}. Raise \`searchBytes\` to at least ${bytes} or search for a shorter marker.`);
  }
}

/** CloudWatch namespaces: ASCII without control characters, not starting with ':' or 'AWS/' (docs/aws-facts.md#cloudwatch-alarms). */
export function checkNamespace(problems: Problems, namespace: string | undefined): void {
  if (namespace === undefined || unresolved(namespace)) {
    return;
  }
  if (!/^[\x20-\x7e]*$/.test(namespace)) {
    problems.add(`\`namespace\` must be ASCII characters without control characters, got: ${show(truncate(namespace))}. Use e.g. 'Orders/Probe'.`);
  }
  if (namespace.startsWith(':')) {
    problems.add(`\`namespace\` must not start with ":", got: ${show(truncate(namespace))}. Use e.g. 'Orders/Probe'.`);
  }
  if (namespace.startsWith('AWS/')) {
    problems.add(`\`namespace\` must not start with "AWS/" (reserved for AWS services), got: ${show(truncate(namespace))}.`);
  }
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Remedies in the terms of a raw template: the model's remedies name cdk-failover's props
 * (`requestInterval`), a template's reader needs the CloudFormation property and the resource,
 * and the cdk-failover construct that would set it for them.
 */
import { Term } from '../../objectives/model/term';

/** The remedy of each term the analysis can name in CloudFormation terms, by term id. */
const REMEDIES: { [termId: string]: ((resource: string) => string) | undefined } = {
  'route53-health-check': (r) => `set \`RequestInterval\` to 10 and lower \`FailureThreshold\` (2 keeps one probe's blip from failing over) on ${r}; `
    + 'cdk-failover\'s EndpointHealthCheck has those defaults',
  'route53-calculated-check': (r) => `speed up the child checks of ${r}, or raise its \`HealthThreshold\` so fewer children must fail; `
    + 'cdk-failover\'s CalculatedHealthCheck models each child',
  'resolver-cache': (r) => `set \`TTL\` to 60 or less on ${r}; cdk-failover's DnsFailover writes 60 s by default`,
  'elb-target-health': (r) => `attach a Route 53 health check (\`HealthCheckId\`) to ${r}, on the load balancer's regional name; `
    + 'cdk-failover\'s DnsFailover takes an EndpointHealthCheck as `primaryHealthCheck`',
  's3-replication-lag': (r) => `add \`ReplicationTime: { Status: Enabled, Time: { Minutes: 15 } }\` and \`Metrics\` to the rule's \`Destination\` in ${r}; `
    + 'cdk-failover\'s ReplicatedBucket turns Replication Time Control on by default',
  'accelerator-health-check': (r) => `set \`HealthCheckIntervalSeconds\` to 10 and lower \`ThresholdCount\` (1 is the least Global Accelerator allows) on ${r}; `
    + 'cdk-failover\'s AcceleratorFailover checks every 10 s by default',
  'accelerator-reroute': (r) => `no property of ${r} shortens it (AWS publishes no figure): measure a failover with a drill; `
    + 'cdk-failover\'s AcceleratorFailover declares the path and takes what you measured as `assumptions.acceleratorReroute`',
  'arc-operator-decision': (r) => `nothing in ${r} sets it: page on the alarms that mean "fail over" and flip the routing controls from a runbook `
    + '(one UpdateRoutingControlStates call); cdk-failover\'s RoutingControls writes the configuration a FailoverRunbook flips them with (SwitchTraffic.routingControls), '
    + 'and takes what a game day measured as `assumptions.operatorResponse`',
  'arc-routing-control-switch': (r) => `no property of ${r} shortens it (AWS publishes no figure): measure the flip with a drill; `
    + 'cdk-failover\'s RoutingControls takes it as `assumptions.routingControlToHealthStatus`',
  'autoshift-detection': (r) => `no property of ${r} shortens it (AWS's monitoring decides): measure it in a practice run, and alarm per zone to shift by hand `
    + 'when you see the impairment first; cdk-failover\'s MultiAzService with `zonalAutoshift` does both and takes `assumptions.autoshiftDetection`',
};

/** The terms with their remedies in CloudFormation terms, where one is known; `resources` names the resource of each. */
export function inTemplateTerms(terms: Term[], resources: { [termId: string]: string }): Term[] {
  return terms.map((t) => {
    const remedy = REMEDIES[t.id];
    const resource = resources[t.id];
    return remedy && resource ? { ...t, remedy: remedy(resource) } : t;
  });
}

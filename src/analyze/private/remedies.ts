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
  'elb-target-group-health': (r) => 'lower `HealthCheckIntervalSeconds` (5 is the least), `HealthCheckTimeoutSeconds` (2) and `UnhealthyThresholdCount` (2) '
    + `on ${r}, or attach a Route 53 health check (\`HealthCheckId\`) to the record; cdk-failover's MultiAzService checks its targets every 10 s `
    + '(5 s timeout, 2 failures) by default, and DnsFailover and MultiSiteRecords take an EndpointHealthCheck',
  'multi-az-instance-failover': (r) => `replace ${r} with a Multi-AZ DB cluster (\`AWS::RDS::DBCluster\` with \`DBClusterInstanceClass\`, under 35 s) `
    + 'or Aurora with a reader (under 60 s); cdk-failover\'s MultiAzDatabase builds either with DatabaseTopology.multiAzCluster() or aurora()',
  'aurora-without-replica-failover': (r) => `add an \`AWS::RDS::DBInstance\` whose \`DBClusterIdentifier\` is ${r}, in another Availability Zone, `
    + 'so Aurora promotes it instead of creating a writer; cdk-failover\'s MultiAzDatabase with DatabaseTopology.aurora() has one reader by default',
  'rds-endpoint-dns': (r) => `put an \`AWS::RDS::DBProxy\` in front of ${r} and connect to its endpoint, which does not change on failover; `
    + 'cdk-failover\'s MultiAzDatabase creates one with `proxy: true`',
  'aurora-global-lag': (r) => `set \`rds.global_db_rpo\` (20 s or more, Aurora PostgreSQL) in the \`AWS::RDS::DBClusterParameterGroup\` of the primary cluster of ${r}; `
    + 'cdk-failover\'s MultiAzDatabase with DatabaseTopology.auroraGlobalPrimary({ managedRpo }) sets it',
  'aurora-global-first-instance': (r) => `add an \`AWS::RDS::DBInstance\` to ${r} (\`DBClusterIdentifier\`), ready to be promoted; `
    + 'cdk-failover\'s MultiAzDatabase with DatabaseTopology.auroraGlobalSecondary() gives the secondary instances unless `headless`',
  'backup-schedule': (r) => `run ${r} more often (\`ScheduleExpression\`, a cron at most hourly), or replicate this data continuously; `
    + 'cdk-failover\'s CrossRegionBackup takes `schedule`',
  'backup-window': (r) => `lower \`StartWindowMinutes\` (60 at least) and \`CompletionWindowMinutes\` of ${r} (AWS Backup defaults to 8 h and 7 days); `
    + 'cdk-failover\'s CrossRegionBackup sets 1 h and 8 h',
  'backup-copy': (r) => `measure the copy jobs of ${r}'s \`CopyActions\` (an EventBridge rule on \`Copy Job State Change\` sees them end); `
    + 'cdk-failover\'s CrossRegionBackup alerts on failed copy jobs and takes the measured time as `assumptions.backupCopyTime`',
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

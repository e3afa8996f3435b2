/**
 * What every strategy builds alike: the stacks, each Region's workload (named and sized for the
 * runbooks), the active-Region state and data-plane switch, and the Route 53 health checks.
 */
import { Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as applicationautoscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { EndpointHealthCheck, EndpointProtocol } from '../../health/endpoint-health-check';
import { HealthProbe } from '../../health/health-probe';
import { Problems } from '../../private/errors';
import { qualify } from '../../private/records';
import { DataPlaneSwitch } from '../../routing/data-plane-switch';
import { ActiveRegion } from '../../runbooks/active-region';
import { DatabaseTopology } from '../../zonal/database-topology';
import type { DisasterRecoveryProps } from '../disaster-recovery-props';
import { IRegionalWorkload, RegionalWorkloadContext, RegionalWorkloadParts, RegionRole } from '../regional-workload';

/** The names the Regions meet by, all from the application's name. */
export class StrategyNames {
  constructor(public readonly appName: string, private readonly recordName: string, private readonly zoneName: string) {}
  /** The ECS service, in each Region's cluster. */
  public get service(): string {
    return this.appName;
  }
  public ecsCluster(region: string): string {
    return `${this.appName}-${region}`;
  }
  public auroraCluster(region: string): string {
    return `${this.appName}-${region}`;
  }
  public get globalCluster(): string {
    return `${this.appName}-global`;
  }
  public get copyVault(): string {
    return `${this.appName}-copies`;
  }
  public stack(what: string): string {
    return `${this.appName}-${what}`;
  }
  public runbook(kind: 'failover' | 'failback'): string {
    return `${this.appName}-${kind}`;
  }
  /** The public name, fully qualified (a record name given fully qualified is kept). */
  public get publicName(): string {
    return qualify(this.recordName, { zoneName: this.zoneName } as route53.IHostedZone);
  }
  public regionalName(region: string): string {
    return `${region}.${this.publicName}`;
  }
}

/** A Region's workload as built and wired. */
export interface BuiltRegion {
  readonly region: string;
  readonly role: RegionRole;
  readonly stack: Stack;
  readonly parts: RegionalWorkloadParts;
}

/** How to build one Region. */
export interface RegionSpec {
  readonly id: string;
  readonly region: string;
  readonly role: RegionRole;
  /** The capacity the Region runs, from the service's full capacity once it exists. */
  readonly capacity: (full: number, stack: Stack) => number;
  /**
   * The Region's active-Region parameter, when its capacity follows it: the service's alarms then
   * act only while the Region is active (a standby below its zones' capacity is always in alarm).
   */
  readonly activeRegion?: ActiveRegion;
  /** The database's topology, made in the Region's stack (a restore takes a parameter of it). */
  readonly databaseTopology?: (stack: Stack) => DatabaseTopology;
}

/** A stack of the strategy, in a Region, under a deterministic name. */
export function strategyStack(scope: Construct, id: string, props: DisasterRecoveryProps, region: string, name: string): Stack {
  return new Stack(scope, id, {
    env: { account: props.account, region },
    stackName: name,
    description: `${props.appName}: ${props.strategy.kind} (cdk-failover DisasterRecovery)`,
  });
}

/**
 * Builds the workload in its stack, checks what it returned, names the ECS cluster, service and
 * Aurora cluster as the runbooks call them, and sets the capacity.
 */
export function buildRegion(scope: Construct, props: DisasterRecoveryProps, names: StrategyNames, spec: RegionSpec): BuiltRegion {
  const stack = strategyStack(scope, spec.id, props, spec.region, names.stack(spec.region));
  let capacity: number | undefined;
  const topology = spec.databaseTopology?.(stack);
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.zoneName });
  const parts = callWorkload(props.workload, stack, RegionalWorkloadContext._of({
    region: spec.region,
    role: spec.role,
    capacity: Lazy.number({ produce: () => capacity }),
    peakCapacity: props.peakCapacity,
    databaseTopology: topology,
    zone,
    recordName: props.recordName,
    appName: props.appName,
  }));
  checkParts(scope, stack, spec, parts, names, topology);
  capacity = spec.capacity(parts.service.minCapacity, stack);
  nameAndSize(parts, names, spec.region, capacity);
  if (spec.activeRegion) {
    const active = spec.activeRegion.isActiveCondition(stack);
    for (const alarm of [...parts.service.zoneAlarms, parts.service.errorRateAlarm]) {
      if (alarm instanceof cloudwatch.Alarm) {
        (alarm.node.defaultChild as cloudwatch.CfnAlarm).actionsEnabled = Fn.conditionIf(active.logicalId, true, false);
      }
    }
  }
  return { region: spec.region, role: spec.role, stack, parts };
}

function callWorkload(workload: IRegionalWorkload, stack: Stack, context: RegionalWorkloadContext): RegionalWorkloadParts {
  const parts = workload.buildRegion(stack, context);
  if (parts === undefined || parts === null || typeof parts !== 'object') {
    throw new Error(`${stack.node.path}: \`workload.build\` returned ${String(parts)}; it must return the parts it built: { service, database }.`);
  }
  return parts;
}

function checkParts(owner: IConstruct, stack: Stack, spec: RegionSpec, parts: RegionalWorkloadParts, names: StrategyNames,
  topology: DatabaseTopology | undefined): void {
  const withDatabase = topology !== undefined;
  const problems = new Problems(owner);
  const where = `the workload of ${spec.region} (${stack.node.path})`;
  const service = parts.service;
  if (service === undefined) {
    problems.add(`${where} returned no \`service\`: return the MultiAzService it built.`);
  } else {
    if (Stack.of(service) !== stack) {
      problems.add(`${where} returned a \`service\` of another stack (${Stack.of(service).node.path}): build it in the scope given.`);
    }
    const record = service.regionalRecord;
    if (record === undefined) {
      problems.add(`${where} returned a service without a regional record: give MultiAzService the \`zone\` and \`recordName\` the strategy passes, `
        + `so that ${names.regionalName(spec.region)} exists.`);
    } else if (!Token.isUnresolved(record.domainName) && record.domainName !== names.regionalName(spec.region)) {
      problems.add(`${where} returned a service whose regional record is ${record.domainName}, not ${names.regionalName(spec.region)}: `
        + 'give MultiAzService the `zone` and `recordName` the strategy passes.');
    }
    if (!service.fargateService) {
      problems.add(`${where} returned a service of an Auto Scaling group: the strategies' runbooks fence, scale and name ECS services, so they take `
        + 'a Fargate service (ServiceTargets.fargate) for now.');
    } else if (!(service.fargateService.cluster instanceof ecs.Cluster && Stack.of(service.fargateService.cluster) === stack)) {
      problems.add(`${where} runs its service on an ECS cluster of another stack, or an imported one: create the cluster in the scope given, `
        + `so that the strategy can name it ${names.ecsCluster(spec.region)} for the runbooks.`);
    }
  }
  const database = parts.database;
  if (withDatabase && database === undefined) {
    problems.add(`${where} was given a \`databaseTopology\` but returned no \`database\`: build a MultiAzDatabase with it and return it.`);
  }
  if (!withDatabase && database !== undefined) {
    problems.add(`${where} returned a \`database\`, but the strategy gave it no \`databaseTopology\` (no database in this Region, or none declared): `
      + 'give DisasterRecovery a `database`, or return none.');
  }
  if (database !== undefined && topology !== undefined && !database._builtWith(topology)) {
    problems.add(`${where} returned a database built with another topology than the \`databaseTopology\` given: the strategy chose that one for the Region `
      + '(a global primary or secondary, a regional cluster, a restore). Build the MultiAzDatabase with `topology: context.databaseTopology`.');
  }
  problems.throwIfAny();
}

/** The deterministic names and the Region's capacity, on the L1s. */
function nameAndSize(parts: RegionalWorkloadParts, names: StrategyNames, region: string, capacity: number): void {
  const service = parts.service;
  if (service.fargateService) {
    const cfn = service.fargateService.node.defaultChild as ecs.CfnService;
    cfn.serviceName = names.service;
    cfn.desiredCount = capacity;
    (service.fargateService.cluster.node.defaultChild as ecs.CfnCluster).clusterName = names.ecsCluster(region);
    // The scaling target's floor follows the capacity, or it would scale a standby back up.
    for (const target of service.fargateService.node.findAll().filter((c) => c instanceof applicationautoscaling.CfnScalableTarget)) {
      (target as applicationautoscaling.CfnScalableTarget).minCapacity = capacity;
    }
  }
  if (parts.database?.cluster) {
    (parts.database.cluster.node.defaultChild as rds.CfnDBCluster).dbClusterIdentifier = names.auroraCluster(region);
  }
}

/** The active-Region parameter, the probe and the data-plane switch of one Region, in a stack of their own. */
export interface RegionState {
  readonly stack: Stack;
  readonly activeRegion: ActiveRegion;
  readonly dataPlaneSwitch: DataPlaneSwitch;
}

export function regionState(scope: Construct, id: string, props: DisasterRecoveryProps, names: StrategyNames, region: string): RegionState {
  const stack = strategyStack(scope, id, props, region, names.stack(`state-${region}`));
  const activeRegion = new ActiveRegion(stack, 'ActiveRegion', {
    appName: props.appName,
    primaryRegion: props.primaryRegion,
    regions: [props.primaryRegion, props.recoveryRegion],
  });
  const probe = new HealthProbe(stack, 'Probe');
  const dataPlaneSwitch = new DataPlaneSwitch(stack, 'Switch', { appName: props.appName, activeRegion, probe });
  return { stack, activeRegion, dataPlaneSwitch };
}

/**
 * Route 53's check of one Region's regional name, in the protocol its load balancer listens in
 * (HTTPS with a certificate, else HTTP) unless `healthCheckProtocol` says otherwise.
 */
export function endpointCheck(scope: Construct, id: string, props: DisasterRecoveryProps, names: StrategyNames,
  region: BuiltRegion): EndpointHealthCheck {
  const listener = region.parts.service.listener.node.defaultChild as elbv2.CfnListener;
  return new EndpointHealthCheck(scope, id, {
    domainName: names.regionalName(region.region),
    protocol: props.healthCheckProtocol ?? (listener.protocol === 'HTTPS' ? EndpointProtocol.HTTPS : EndpointProtocol.HTTP),
    resourcePath: props.healthCheckPath ?? '/',
  });
}

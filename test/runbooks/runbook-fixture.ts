/**
 * The runbooks the tests share, and a simulated world for their local executions: which Region
 * gets traffic, which databases accept writes, what the services run. The mocks move the world
 * the way AWS would, and check the invariant after every task: never two Regions that both get
 * traffic and both accept writes.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  ActiveRegion, Fence, FailoverRunbook, FailoverRunbookProps, ManualApproval, PromoteData, RoutingControls, RpoGuard, RunbookStep,
  ScaleCapacity, SwitchTraffic, VerifyRecovery, WaitHealthy,
} from '../../src';

export const EAST = 'us-east-1';
export const WEST = 'us-west-2';
export const WEST_CLUSTER_ARN = 'arn:aws:rds:us-west-2:111111111111:cluster:orders-west';
export const EAST_CLUSTER_ARN = 'arn:aws:rds:us-east-1:111111111111:cluster:orders-east';

/** What the runbook's steps need in the recovery Region's stack. */
export interface RunbookParts {
  readonly controls: RoutingControls;
  readonly lagAlarm: cloudwatch.Alarm;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly topic: sns.Topic;
  readonly activeRegion: ActiveRegion;
}

export function runbookParts(stack: Stack): RunbookParts {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return {
    controls: new RoutingControls(stack, 'Controls', { regions: [EAST, WEST], controlNamePrefix: 'app-' }),
    lagAlarm: new cloudwatch.Alarm(stack, 'Lag', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBRPOLag', dimensionsMap: { DBClusterIdentifier: 'orders-west' } }),
      threshold: 30_000,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    }),
    targetGroup: new elbv2.ApplicationTargetGroup(stack, 'Targets', { vpc, port: 80 }),
    topic: new sns.Topic(stack, 'Approvers'),
    activeRegion: new ActiveRegion(stack, 'Active', { appName: 'orders', primaryRegion: EAST, regions: [EAST, WEST] }),
  };
}

/** Every step kind, in the order the invariant asks for. */
export function allSteps(p: RunbookParts): RunbookStep[] {
  return [
    RpoGuard.alarm({ alarm: p.lagAlarm, maxLag: Duration.seconds(30), source: 'the orders database' }),
    Fence.routingControl({ controls: p.controls, region: EAST }),
    ManualApproval.snsTopic({ topic: p.topic, timeout: Duration.minutes(30) }),
    PromoteData.auroraGlobalFailover({
      globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion: EAST,
    }),
    ScaleCapacity.ecsService({ clusterName: 'app', serviceName: 'web', desiredCount: 4 }),
    WaitHealthy.targetGroup({ targetGroup: p.targetGroup, minimumHealthy: 4 }),
    SwitchTraffic.routingControls({ controls: p.controls, region: WEST }),
    VerifyRecovery.http({ url: 'https://app.example.com/health', header: { name: 'x-region', value: WEST } }),
  ];
}

export function failoverRunbook(stack: Stack, props: Partial<FailoverRunbookProps> = {}, p = runbookParts(stack)): FailoverRunbook {
  return new FailoverRunbook(stack, 'Failover', {
    fromRegion: EAST,
    steps: allSteps(p),
    activeRegion: p.activeRegion,
    stateMachineName: 'orders-failover',
    ...props,
  });
}

/** The world a local execution acts on. */
export class World {
  /** Routing control state per Region. */
  public readonly traffic: { [region: string]: 'On' | 'Off' } = { [EAST]: 'On', [WEST]: 'Off' };
  /** Regions whose database accepts writes. The old primary's stays writable: a lost Region cannot be demoted. */
  public readonly writable = new Set<string>([EAST]);
  public running = 1;
  public activeRegion = EAST;
  public lagAlarm = 'OK';
  /** Every task, in order, with a snapshot after it. */
  public readonly log: string[] = [];
  /** Invariant breaches seen. */
  public readonly breaches: string[] = [];

  /** Regions that get traffic and accept writes: more than one is split brain. */
  public writers(): string[] {
    return [EAST, WEST].filter((r) => this.traffic[r] === 'On' && this.writable.has(r));
  }

  /**
   * The mocks of every task of a runbook's definition, by state name. `fail` names the state
   * that throws `error`; every other task moves the world.
   */
  public mocks(stateNames: string[], fail?: string, error = 'States.TaskFailed'): { [state: string]: (input: any) => any } {
    const mocks: { [state: string]: (input: any) => any } = {};
    for (const name of stateNames) {
      mocks[name] = (input: any) => {
        if (name === fail) {
          this.log.push(`${name} (failed)`);
          throw Object.assign(new Error(`${name} injected`), { name: error });
        }
        const out = this.answer(name, input);
        this.log.push(name);
        if (this.writers().length > 1 || (this.writable.size > 1 && this.traffic[EAST] === 'On')) {
          this.breaches.push(`after ${name}: traffic ${JSON.stringify(this.traffic)}, writable ${[...this.writable].join(', ')}`);
        }
        return out;
      };
    }
    return mocks;
  }

  private answer(name: string, input: any): any {
    if (name.endsWith('DescribeAlarms')) {
      return { MetricAlarms: [{ AlarmName: 'lag', StateValue: this.lagAlarm }] };
    }
    if (name.includes('UpdateRoutingControlStates')) {
      for (const [region, state] of Object.entries(input.states as { [r: string]: 'On' | 'Off' })) {
        this.traffic[region] = state;
      }
      return { endpoint: 'https://host-aaaa.us-west-2.example', region: WEST, attempts: [] };
    }
    if (name.endsWith('ask for approval')) {
      return {};
    }
    if (name.endsWith('FailoverGlobalCluster') || name.endsWith('SwitchoverGlobalCluster')) {
      this.writable.add(WEST);
      if (name.endsWith('SwitchoverGlobalCluster')) {
        this.writable.delete(EAST);
      }
      return { GlobalCluster: { Status: 'failing-over' } };
    }
    if (name.endsWith('DescribeGlobalClusters')) {
      return {
        GlobalClusters: [{
          Status: 'available',
          GlobalClusterMembers: [{ DBClusterArn: WEST_CLUSTER_ARN, IsWriter: true }, { DBClusterArn: EAST_CLUSTER_ARN, IsWriter: false }],
        }],
      };
    }
    if (name.endsWith('UpdateService to 0')) {
      this.traffic[EAST] = 'Off';
      return { Service: { DesiredCount: 0 } };
    }
    if (name.endsWith('DescribeServices (stopping)')) {
      return { Services: [{ RunningCount: 0 }] };
    }
    if (name.endsWith('UpdateAutoScalingGroup')) {
      // A cross-Region call carries the API's parameters under `parameters`.
      const desired = (input.parameters ?? input).DesiredCapacity;
      if (desired === 0) {
        this.traffic[EAST] = 'Off';
      } else {
        this.running = desired;
      }
      return {};
    }
    if (name.endsWith('DescribeAutoScalingGroups')) {
      const count = name.startsWith('fence') ? 0 : this.running;
      return { AutoScalingGroups: [{ Instances: Array.from({ length: count }, () => ({ LifecycleState: 'InService' })) }] };
    }
    if (name.endsWith('PromoteReadReplica')) {
      this.writable.add(WEST);
      return { DBInstance: { DBInstanceStatus: 'modifying' } };
    }
    if (name.endsWith('DescribeDBInstances')) {
      return { DBInstances: [{ DBInstanceStatus: 'available' }] };
    }
    if (name.endsWith('UpdateService')) {
      this.running = input.DesiredCount ?? 4;
      return { Service: { DesiredCount: this.running } };
    }
    if (name.endsWith('DescribeServices')) {
      return { Services: [{ RunningCount: this.running }] };
    }
    if (name.endsWith('DescribeTargetHealth')) {
      return { TargetHealthDescriptions: Array.from({ length: this.running }, () => ({ TargetHealth: { State: 'healthy' } })) };
    }
    if (name.includes('PutParameter')) {
      if (!name.includes('best effort')) {
        this.activeRegion = input.Value;
      }
      return { Version: 2 };
    }
    if (name.startsWith('verify')) {
      return { ok: true, status: 200, attempt: 1, elapsedMs: 120 };
    }
    if (name.startsWith('Record')) {
      return { runbook: input.runbook, outcome: input.outcome, steps: Object.keys(input.steps) };
    }
    throw new Error(`no answer for ${name}`);
  }
}

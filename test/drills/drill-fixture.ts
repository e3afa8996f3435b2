/**
 * Drills for the tests: one stack (us-west-2, the Region that survives) with a DNS failover pair
 * whose primary check the drill can invert, an RTO objective, a lag alarm, a FIS experiment and
 * the failover and failback runbooks, and the drill's Lambda handlers as mocks of its Tasks.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  DnsFailover, DrillFault, DrillInjection, EndpointHealthCheck, FailbackRunbook, FailoverDrill, FailoverDrillProps, FailoverRunbook,
  FisExperiment, RecoveryObjectives, VerifyRecovery,
} from '../../src';
import { handler as control } from '../../src/drills/drill-control.lambda';
import { stateMachineDefinitions } from '../support/state-machines';
import { regionalFailover, testApp, testStack } from '../util';

export interface DrillParts {
  readonly stack: Stack;
  readonly failover: DnsFailover;
  readonly check: EndpointHealthCheck;
  readonly lag: cloudwatch.Alarm;
}

/** The stack, the pair and its check, an objective of 5 minutes and a lag alarm. */
export function drillParts(stack: Stack = testStack(testApp(), 'Stack', 'us-west-2')): DrillParts {
  new RecoveryObjectives(stack, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.minutes(1) });
  const failover = regionalFailover(stack);
  const check = stack.node.findChild('FailoverCheck') as EndpointHealthCheck;
  const lag = new cloudwatch.Alarm(stack, 'Lag', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBRPOLag', period: Duration.minutes(1) }),
    threshold: 60_000,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  return { stack, failover, check, lag };
}

/** The DNS drill: the primary check inverted, measured by the client. */
export function dnsDrill(parts: DrillParts, props: Partial<FailoverDrillProps> = {}): FailoverDrill {
  return new FailoverDrill(parts.stack, 'Drill', {
    injection: DrillInjection.healthCheckInversion({ healthCheck: parts.check }),
    path: parts.failover,
    measure: { url: 'https://app.example.com/health', standbyHeaderName: 'x-region', standbyHeaderValue: 'us-west-2' },
    lagAlarms: [parts.lag],
    ...props,
  });
}

/** An FIS experiment in the drill's stack. */
export function experiment(stack: Stack, alarm: cloudwatch.IAlarm): FisExperiment {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  return new FisExperiment(stack, 'Experiment', {
    faults: [DrillFault.azConnectivityLoss({ vpc, availabilityZone: vpc.availabilityZones[0], duration: Duration.minutes(5) })],
    errorRateAlarm: alarm,
  });
}

/** The failover runbook in the drill's stack (us-west-2), the failback in the primary's (us-east-1), named. */
export function runbooks(stack: Stack): { failover: FailoverRunbook; failback: FailbackRunbook } {
  const verify = (region: string) => VerifyRecovery.http({ url: 'https://app.example.com/health', header: { name: 'x-region', value: region } });
  const east = new Stack(stack.node.root, 'East', { env: { account: stack.account, region: 'us-east-1' } });
  return {
    failover: new FailoverRunbook(stack, 'FailoverRunbook', {
      fromRegion: 'us-east-1', steps: [verify('us-west-2')], assumptions: { operatorResponse: Duration.minutes(1) },
    }),
    failback: new FailbackRunbook(east, 'Failback', { fromRegion: 'us-west-2', stateMachineName: 'orders-failback', steps: [verify('us-east-1')] }),
  };
}

/** The drill's state machine definition (the first one of the stack that is a drill). */
export function drillDefinition(stack: Stack): any {
  const found = stateMachineDefinitions(Template.fromStack(stack)).find((d) => d.logicalId.startsWith('Drill'));
  if (!found) {
    throw new Error('no drill state machine in the stack');
  }
  return found.definition;
}

/** The control function's real handler as the mock of the Plan and Summarize tasks. */
export const controlTasks = {
  Plan: (input: any) => control(input),
  Summarize: (input: any) => control(input),
};

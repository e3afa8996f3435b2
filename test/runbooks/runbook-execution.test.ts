/**
 * The runbooks executed locally (aws-local-stepfunctions) against a simulated world: the happy
 * path, then every task failing in turn, the guard refusing, a fence that cannot reach the old
 * Region, a poll that gives up. Every run must end in a defined state, and the invariant must
 * hold after every task: never two Regions that both get traffic and accept writes, and the
 * fence before any promotion or switch.
 */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { allSteps, EAST, failoverRunbook, runbookParts, WEST, World } from './runbook-fixture';
import { DataPlaneSwitch, FailbackRunbook, Fence, HealthProbe, PromoteData, RpoGuard, ScaleCapacity, SwitchTraffic, VerifyRecovery } from '../../src';
import { checkSdkCalls, crossRegionTasks, forEachState, runLocally, sdkTasks, stateMachineDefinitions, validateAsl } from '../support/state-machines';
import { testStack } from '../util';

jest.setTimeout(120_000);

function definitionOf(stack: any): any {
  const machines = stateMachineDefinitions(Template.fromStack(stack)).filter((m) => m.definition.States.Begin);
  expect(machines).toHaveLength(1);
  return machines[0].definition;
}

function taskStates(definition: any): string[] {
  const names: string[] = [];
  forEachState(definition, (name, state) => {
    if (state.Type === 'Task') {
      names.push(name);
    }
  });
  return names;
}

/** The steps whose begin state the run entered, in order. */
function stepsRun(trace: string[]): string[] {
  return trace.filter((s) => s.endsWith(': begin')).map((s) => s.replace(': begin', ''));
}

const stack = testStack();
failoverRunbook(stack);
const definition = definitionOf(stack);
const tasks = taskStates(definition);
/** The tasks that do the failover (not the record of the run). */
const stepTasks = tasks.filter((t) => !t.startsWith('Record'));

describe('the failover runbook\'s definition', () => {
  test('is valid ASL', () => {
    expect(validateAsl(definition)).toEqual([]);
  });

  test('calls every AWS API with an action and parameters its API model accepts', () => {
    const sdk = sdkTasks(definition);
    expect(sdk.map((t) => `${t.service}:${t.action}`).sort()).toEqual([
      'cloudwatch:describeAlarms', 'ecs:describeServices', 'ecs:updateService', 'elasticloadbalancingv2:describeTargetHealth',
      'rds:describeGlobalClusters', 'rds:failoverGlobalCluster', 'ssm:putParameter',
    ]);
    expect(checkSdkCalls(sdk)).toEqual([]);
  });

  test('gives every task a timeout and a catch', () => {
    forEachState(definition, (name, state) => {
      if (state.Type === 'Task') {
        expect({ name, timeout: state.TimeoutSeconds > 0, caught: (state.Catch ?? []).length > 0 }).toEqual({ name, timeout: true, caught: true });
      }
    });
  });
});

describe('a local run of the failover runbook', () => {
  test('runs every step in order, moves the writer and the traffic, and records the run', async () => {
    // GIVEN
    const world = new World();
    // WHEN
    const run = await runLocally(definition, { tasks: world.mocks(tasks) });
    // THEN
    expect(run.status).toEqual('SUCCEEDED');
    expect(stepsRun(run.trace)).toEqual(['rpoGuard', 'fence', 'approval', 'promote', 'scale', 'waitHealthy', 'switch', 'record-active-region', 'verify']);
    expect(run.trace.slice(-2)).toEqual(['Record: succeeded', 'Done']);
    expect(world.traffic).toEqual({ [EAST]: 'Off', [WEST]: 'On' });
    expect(world.writable.has(WEST)).toBe(true);
    expect(world.activeRegion).toEqual(WEST);
    expect(world.breaches).toEqual([]);
    expect(run.output.summary).toEqual({
      runbook: 'orders-failover',
      outcome: 'SUCCEEDED',
      steps: ['rpoGuard', 'fence', 'approval', 'promote', 'scale', 'waitHealthy', 'switch', 'record_active_region', 'verify'],
    });
    // Every step's times are recorded for the summary and the metrics.
    expect(Object.values(run.output.steps).every((s: any) => typeof s.start === 'string' && typeof s.end === 'string')).toBe(true);
  });

  test.each(stepTasks)('ends Failed, with the fence before any promotion or switch, when "%s" fails', async (failing) => {
    // GIVEN
    const world = new World();
    // WHEN
    const run = await runLocally(definition, { tasks: world.mocks(tasks, failing, 'Injected.Failure') });
    // THEN
    expect(run.status).toEqual('FAILED');
    expect(run.error).toEqual('Injected.Failure');
    const step = failing.split(':')[0];
    expect(run.trace.slice(-3)).toEqual([`${step}: failed`, 'Record: failed', 'Failed']);
    // Nothing ran after the failure but its record (read calls are retried, so the failing task may appear more than once).
    const after = world.log.slice(world.log.indexOf(`${failing} (failed)`));
    expect(after.filter((t) => t !== `${failing} (failed)`)).toEqual(['Record: failed']);
    expect(world.breaches).toEqual([]);
    const order = world.log.map((t) => t.split(':')[0]);
    const fenced = order.indexOf('fence');
    for (const later of ['promote', 'switch']) {
      if (order.includes(later)) {
        expect(fenced).toBeGreaterThanOrEqual(0);
        expect(order.indexOf(later)).toBeGreaterThan(fenced);
      }
    }
  });

  test('refuses before changing anything when the lag alarm is not OK', async () => {
    const world = new World();
    world.lagAlarm = 'ALARM';
    const run = await runLocally(definition, { tasks: world.mocks(tasks) });
    expect(run.status).toEqual('FAILED');
    expect(run.error).toEqual('RpoGuardRefused');
    expect(run.cause).toMatch(/allowDataLoss/);
    expect(run.trace.slice(-4)).toEqual(['rpoGuard: lag over the RPO', 'rpoGuard: refused', 'Record: refused', 'Refused']);
    expect(world.log).toEqual(['rpoGuard: DescribeAlarms', 'Record: refused']);
    expect(world.traffic[EAST]).toEqual('On');
  });

  test('goes on past the guard when the input accepts the data loss', async () => {
    const world = new World();
    world.lagAlarm = 'INSUFFICIENT_DATA';
    const run = await runLocally(definition, { tasks: world.mocks(tasks), input: { allowDataLoss: true } });
    expect(run.status).toEqual('SUCCEEDED');
    expect(run.trace).toContain('rpoGuard: data loss accepted');
  });

  test('stops at a failed fence, unless the input says the old Region is down', async () => {
    const fence = stepTasks.find((t) => t.startsWith('fence:'))!;
    const stopped = await runLocally(definition, { tasks: new World().mocks(tasks, fence, 'RoutingControlsUnreachable') });
    expect(stopped.status).toEqual('FAILED');
    expect(stopped.trace.slice(-4)).toEqual(['fence: go on unfenced?', 'fence: failed', 'Record: failed', 'Failed']);

    // The operator knows the old Region is down: its database takes no writes.
    const world = new World();
    world.writable.delete(EAST);
    const unfenced = await runLocally(definition, { tasks: world.mocks(tasks, fence, 'RoutingControlsUnreachable'), input: { allowUnfenced: true } });
    expect(unfenced.status).toEqual('SUCCEEDED');
    expect(unfenced.output.steps.fence).toEqual(expect.objectContaining({ error: 'RoutingControlsUnreachable', unfenced: true }));
    expect(world.breaches).toEqual([]);
  });

  test('gives up polling with RunbookStepTimedOut when the writer never moves', async () => {
    const world = new World();
    const mocks = world.mocks(tasks);
    mocks['promote: DescribeGlobalClusters'] = () => ({ GlobalClusters: [{ Status: 'failing-over', GlobalClusterMembers: [] }] });
    const run = await runLocally(definition, { tasks: mocks });
    expect(run.status).toEqual('FAILED');
    expect(run.error).toEqual('RunbookStepTimedOut');
    expect(run.cause).toMatch(/new writer available did not happen within 30 minutes \(90 checks, 20 seconds apart\)/);
    expect(run.trace.filter((s) => s === 'promote: DescribeGlobalClusters')).toHaveLength(90);
    expect(world.traffic).toEqual({ [EAST]: 'Off', [WEST]: 'Off' });
  });

  test('ends Failed with States.Timeout when no one approves in time', async () => {
    const world = new World();
    const run = await runLocally(definition, { tasks: world.mocks(tasks, 'approval: ask for approval', 'States.Timeout') });
    expect(run.status).toEqual('FAILED');
    expect(run.error).toEqual('States.Timeout');
    expect(world.log.some((t) => t.startsWith('promote'))).toBe(false);
  });

  test('keeps the outcome when the record itself fails', async () => {
    const world = new World();
    const run = await runLocally(definition, { tasks: world.mocks(tasks, 'Record: succeeded', 'Lambda.Unknown') });
    expect(run.status).toEqual('SUCCEEDED');
    expect(run.output.recordError.Error).toEqual('Lambda.Unknown');
  });
});

describe('a local run of the failback runbook', () => {
  const back = testStack(undefined, 'East', EAST);
  const parts = runbookParts(back);
  new FailbackRunbook(back, 'Failback', {
    fromRegion: WEST,
    activeRegion: parts.activeRegion,
    steps: [
      RpoGuard.alarm({ alarm: parts.lagAlarm, maxLag: Duration.seconds(5) }),
      PromoteData.auroraGlobalSwitchover({
        globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-east', primaryClusterIdentifier: 'orders-west', primaryRegion: WEST,
      }),
      SwitchTraffic.routingControls({ controls: parts.controls, region: EAST }),
      VerifyRecovery.http({ url: 'https://app.example.com/health' }),
    ],
  });
  const failback = definitionOf(back);
  const failbackTasks = taskStates(failback);

  test('is valid, and its SDK calls match the API models', () => {
    expect(validateAsl(failback)).toEqual([]);
    expect(checkSdkCalls(sdkTasks(failback))).toEqual([]);
    expect(sdkTasks(failback).map((t) => t.action)).toContain('switchoverGlobalCluster');
  });

  test('switches over with no data loss and sends traffic back', async () => {
    const world = new World();
    // After the failover: the west serves and writes, the east caught up as a secondary.
    world.traffic[EAST] = 'Off';
    world.traffic[WEST] = 'On';
    world.writable.clear();
    world.writable.add(WEST);
    const mocks = world.mocks(failbackTasks);
    mocks['promote: SwitchoverGlobalCluster'] = () => {
      world.writable.clear();
      world.writable.add(EAST);
      return { GlobalCluster: { Status: 'switching-over' } };
    };
    mocks['promote: DescribeGlobalClusters'] = () => ({
      GlobalClusters: [{ Status: 'available', GlobalClusterMembers: [{ DBClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:orders-east', IsWriter: true }] }],
    });
    const run = await runLocally(failback, { tasks: mocks });
    expect(run.status).toEqual('SUCCEEDED');
    expect(stepsRun(run.trace)).toEqual(['rpoGuard', 'promote', 'switch', 'record-active-region', 'verify']);
    expect(world.traffic).toEqual({ [EAST]: 'On', [WEST]: 'Off' });
    expect([...world.writable]).toEqual([EAST]);
    expect(world.breaches).toEqual([]);
  });
});

test('the steps used by the fixture are every kind the runbook accepts', () => {
  const roles = allSteps(runbookParts(testStack(undefined, 'Other'))).map((s) => s.role);
  expect(new Set(roles).size).toEqual(8);
});

describe('a runbook of Auto Scaling groups and a read replica', () => {
  const asg = testStack(undefined, 'Asg');
  const parts = runbookParts(asg);
  failoverRunbook(asg, {
    steps: [
      RpoGuard.alarm({ alarm: parts.lagAlarm, maxLag: Duration.minutes(1) }),
      Fence.autoScalingGroup({ autoScalingGroupName: 'web-east', region: EAST }),
      PromoteData.readReplica({ instanceIdentifier: 'orders-west' }),
      ScaleCapacity.autoScalingGroup({ autoScalingGroupName: 'web-west', desiredCapacity: 3, maxCapacity: 6 }),
    ],
  }, parts);
  const asgDefinition = definitionOf(asg);
  const asgTasks = taskStates(asgDefinition);

  test('is valid, and its calls (in this Region and in the old one) match the API models', () => {
    expect(validateAsl(asgDefinition)).toEqual([]);
    const calls = [...sdkTasks(asgDefinition), ...crossRegionTasks(asgDefinition)];
    expect(calls.map((t) => `${t.service}:${t.action}`).sort()).toEqual([
      'autoscaling:describeAutoScalingGroups', 'autoscaling:describeAutoScalingGroups', 'autoscaling:updateAutoScalingGroup',
      'autoscaling:updateAutoScalingGroup', 'cloudwatch:describeAlarms', 'rds:describeDBInstances', 'rds:promoteReadReplica', 'ssm:putParameter',
    ]);
    expect(checkSdkCalls(calls)).toEqual([]);
  });

  test('fences the old group, promotes the replica and waits for the new instances', async () => {
    const world = new World();
    const run = await runLocally(asgDefinition, { tasks: world.mocks(asgTasks) });
    expect(run.status).toEqual('SUCCEEDED');
    expect(stepsRun(run.trace)).toEqual(['rpoGuard', 'fence', 'promote', 'record-active-region', 'scale']);
    expect(world.breaches).toEqual([]);
    expect(run.output.results.scale.summary).toEqual({ count: 3, kinds: 1, inService: true });
  });

  test('fails in a defined state when the group does not exist', async () => {
    const world = new World();
    const mocks = world.mocks(asgTasks);
    mocks['scale: DescribeAutoScalingGroups'] = () => ({ AutoScalingGroups: [] });
    const run = await runLocally(asgDefinition, { tasks: mocks });
    expect(run.status).toEqual('FAILED');
    expect(run.error).toEqual('AutoScalingGroupNotFound');
    expect(run.trace.slice(-4)).toEqual(['scale: group not found', 'scale: failed', 'Record: failed', 'Failed']);
  });
});

describe('a runbook that switches with the data-plane switch', () => {
  const switching = testStack(undefined, 'Switching');
  const parts = runbookParts(switching);
  const dataPlaneSwitch = new DataPlaneSwitch(switching, 'Switch', { appName: 'orders', activeRegion: parts.activeRegion, probe: new HealthProbe(switching, 'Probe') });
  failoverRunbook(switching, {
    activeRegion: undefined,
    steps: [
      Fence.ecsService({ clusterName: 'app', serviceName: 'web', region: EAST }),
      PromoteData.readReplica({ instanceIdentifier: 'orders-west' }),
      SwitchTraffic.dataPlaneSwitch({ dataPlaneSwitch, region: WEST }),
    ],
  }, parts);
  const switchDefinition = definitionOf(switching);
  const switchTasks = taskStates(switchDefinition);

  test('writes this Region\'s copy, then the others best effort, with calls the API models accept', () => {
    expect(validateAsl(switchDefinition)).toEqual([]);
    const calls = [...sdkTasks(switchDefinition), ...crossRegionTasks(switchDefinition)];
    expect(calls.filter((t) => t.service === 'ssm').map((t) => [t.state, t.parameters.Value])).toEqual([
      ['switch: PutParameter (this Region)', WEST], ['switch: PutParameter (us-east-1, best effort)', WEST],
    ]);
    expect(checkSdkCalls(calls)).toEqual([]);
  });

  test('takes alarmToHealthStatus among the runbook\'s assumptions, for the switch\'s alarm', () => {
    const given = testStack(undefined, 'Given');
    const p = runbookParts(given);
    const sw = new DataPlaneSwitch(given, 'Switch', { appName: 'orders', activeRegion: p.activeRegion, probe: new HealthProbe(given, 'Probe') });
    const runbook = failoverRunbook(given, {
      activeRegion: undefined,
      steps: [SwitchTraffic.dataPlaneSwitch({ dataPlaneSwitch: sw, region: WEST })],
      assumptions: { alarmToHealthStatus: Duration.seconds(20) },
    }, p);
    const alarm = runbook.recoveryPaths()[0].estimate.terms.find((t) => t.id === 'switch-switch-alarm');
    expect(alarm?.assumption).toBe(false);
    expect(alarm?.basis).toMatch(/20 s/);
  });

  test('goes on when the old Region\'s copy cannot be written, and fails when this Region\'s cannot', async () => {
    const world = new World();
    const mocks = world.mocks(switchTasks, 'switch: PutParameter (us-east-1, best effort)', 'Ssm.InternalServerErrorException');
    const run = await runLocally(switchDefinition, { tasks: mocks });
    expect(run.status).toEqual('SUCCEEDED');
    expect(run.trace).toContain('switch: us-east-1 not written');
    expect(world.activeRegion).toEqual(WEST);

    const failed = await runLocally(switchDefinition, { tasks: new World().mocks(switchTasks, 'switch: PutParameter (this Region)', 'Ssm.InternalServerErrorException') });
    expect(failed.status).toEqual('FAILED');
    expect(failed.trace.slice(-3)).toEqual(['switch: failed', 'Record: failed', 'Failed']);
  });
});

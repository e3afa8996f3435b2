/**
 * SwitchTraffic.acceleratorDials: the calls (UpdateEndpointGroup in us-west-2, locally or across
 * Regions), their IAM, a local run against simulated dials, the validation of every option, the
 * model terms, and the Region switch plan's refusal.
 */
import * as path from 'path';
import { App, Aspects, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AcceleratorEndpoint, AcceleratorEndpointKind, AcceleratorFailover, FailoverRunbook, FailoverRunbookProps, PromoteData, RecoveryObjectives,
  RegionSwitchPlan, SwitchAcceleratorDialsOptions, SwitchTraffic,
} from '../../src';
import { checkSdkCalls, crossRegionTasks, forEachState, runLocally, SdkTask, sdkTasks, stateMachineDefinitions, validateAsl } from '../support/state-machines';
import { readJson, testApp, testStack } from '../util';

jest.setTimeout(120_000);

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const LISTENER = 'arn:aws:globalaccelerator::111111111111:accelerator/1234abcd-abcd-1234-abcd-1234abcdef01/listener/0123abcd';
const EAST_GROUP = `${LISTENER}/endpoint-group/098765abcdef`;
const WEST_GROUP = `${LISTENER}/endpoint-group/0a1b2c3d4e5f`;
const EU_GROUP = `${LISTENER}/endpoint-group/77aa88bb99cc`;
const LITERAL = { [EAST]: EAST_GROUP, [WEST]: WEST_GROUP };

function accelerator(stack: Stack, id = 'Accelerator'): AcceleratorFailover {
  return new AcceleratorFailover(stack, id, {
    endpoints: [
      AcceleratorEndpoint.fromArn(EAST, 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web-east/50dc6c495c0c9188',
        AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
      AcceleratorEndpoint.fromArn(WEST, 'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web-west/6d0ecf831eec9f09',
        AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
    ],
    primaryRegion: EAST,
  });
}

function runbook(stack: Stack, options: SwitchAcceleratorDialsOptions, props: Partial<FailoverRunbookProps> = {}): FailoverRunbook {
  return new FailoverRunbook(stack, 'Runbook', {
    fromRegion: options.region === EAST ? WEST : EAST,
    steps: [SwitchTraffic.acceleratorDials(options)],
    stateMachineName: 'orders-switch',
    ...props,
  });
}

function definitionOf(stack: Stack): any {
  const machines = stateMachineDefinitions(Template.fromStack(stack)).filter((m) => m.definition.States.Begin);
  expect(machines).toHaveLength(1);
  return machines[0].definition;
}

function taskStates(definition: any): string[] {
  const names: string[] = [];
  forEachState(definition, (name, state) => {
    if (state.Type === 'Task') names.push(name);
  });
  return names;
}

/** Every IAM statement of the template that grants a Global Accelerator action. */
function acceleratorStatements(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('globalaccelerator:')));
}

/** The dials of the simulated accelerator, by endpoint group ARN, moved by each call as Global Accelerator would. */
class Dials {
  public readonly calls: any[] = [];
  constructor(public readonly dials: { [arn: string]: number }, private readonly regions: { [arn: string]: string }) {}

  public mocks(states: string[], fail?: string, error = 'GlobalAccelerator.InternalServiceErrorException'): { [state: string]: (input: any) => any } {
    return Object.fromEntries(states.filter((s) => s.includes('UpdateEndpointGroup')).map((s) => [s, (input: any) => {
      // The cross-Region task's payload holds the parameters; the SDK task's input is the parameters.
      const params = input.parameters ?? input;
      this.calls.push({ state: s, ...input });
      if (s === fail) {
        throw Object.assign(new Error(`${s} injected`), { name: error });
      }
      this.dials[params.EndpointGroupArn] = params.TrafficDialPercentage;
      const arn = params.EndpointGroupArn;
      return {
        EndpointGroup: { EndpointGroupArn: arn, EndpointGroupRegion: this.regions[arn], TrafficDialPercentage: params.TrafficDialPercentage },
      };
    }]));
  }
}

function reportPath(app: App): any {
  const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
  return report.paths.find((p: any) => p.kind === 'runbook');
}

describe('SwitchTraffic.acceleratorDials', () => {
  describe('with the AcceleratorFailover of the runbook\'s stack, in us-west-2', () => {
    const stack = testStack(undefined, 'Stack', WEST);
    const ga = accelerator(stack);
    runbook(stack, { failover: ga, region: WEST });
    const definition = definitionOf(stack);
    const groupId = (region: string) => stack.getLogicalId(ga.endpointGroup(region).node.defaultChild as any);

    test('is valid ASL, and calls UpdateEndpointGroup in this Region: the target to 100 first, then the other to 0', () => {
      expect(validateAsl(definition)).toEqual([]);
      const calls = sdkTasks(definition);
      expect(crossRegionTasks(definition)).toEqual([]);
      expect(calls.map((t) => [t.state, t.service, t.action, Object.keys(t.parameters), t.parameters.TrafficDialPercentage])).toEqual([
        ['switch: UpdateEndpointGroup (us-west-2 dial 100)', 'globalaccelerator', 'updateEndpointGroup', ['EndpointGroupArn', 'TrafficDialPercentage'], 100],
        ['switch: UpdateEndpointGroup (us-east-1 dial 0)', 'globalaccelerator', 'updateEndpointGroup', ['EndpointGroupArn', 'TrafficDialPercentage'], 0],
      ]);
      expect(calls.map((t) => t.parameters.EndpointGroupArn)).toEqual([
        expect.stringContaining(groupId(WEST)), expect.stringContaining(groupId(EAST)),
      ]);
      expect(checkSdkCalls(calls)).toEqual([]);
    });

    test('retries throttling and internal errors only (setting a dial twice is harmless), with a timeout and a catch', () => {
      for (const t of sdkTasks(definition)) {
        expect(t.retry).toEqual([
          expect.objectContaining({ ErrorEquals: ['GlobalAccelerator.ThrottlingException'] }),
          expect.objectContaining({ ErrorEquals: ['GlobalAccelerator.InternalServiceErrorException'], MaxAttempts: 3 }),
        ]);
        expect(t.catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'switch: failed' })]);
      }
      forEachState(definition, (name, s) => {
        if (name.includes('UpdateEndpointGroup')) expect(s.TimeoutSeconds).toEqual(30);
      });
    });

    test('grants UpdateEndpointGroup on the two endpoint groups only', () => {
      expect(acceleratorStatements(stack)).toEqual([
        { Action: 'globalaccelerator:UpdateEndpointGroup', Effect: 'Allow', Resource: { 'Fn::GetAtt': [groupId(WEST), 'EndpointGroupArn'] } },
        { Action: 'globalaccelerator:UpdateEndpointGroup', Effect: 'Allow', Resource: { 'Fn::GetAtt': [groupId(EAST), 'EndpointGroupArn'] } },
      ]);
    });

    test('runs locally: the dials end at us-west-2 100 and us-east-1 0, each call with exactly the ARN and the dial', async () => {
      // GIVEN
      const [westArn, eastArn] = sdkTasks(definition).map((t) => t.parameters.EndpointGroupArn);
      const world = new Dials({ [eastArn]: 100, [westArn]: 0 }, { [eastArn]: EAST, [westArn]: WEST });

      // WHEN
      const run = await runLocally(definition, { tasks: { ...world.mocks(taskStates(definition)), ...recordMocks(definition) } });

      // THEN
      expect(run.status).toEqual('SUCCEEDED');
      expect(world.calls).toEqual([
        { state: 'switch: UpdateEndpointGroup (us-west-2 dial 100)', EndpointGroupArn: westArn, TrafficDialPercentage: 100 },
        { state: 'switch: UpdateEndpointGroup (us-east-1 dial 0)', EndpointGroupArn: eastArn, TrafficDialPercentage: 0 },
      ]);
      expect(world.dials).toEqual({ [eastArn]: 0, [westArn]: 100 });
      expect(run.trace.filter((s) => s.startsWith('switch:'))).toEqual([
        'switch: begin', 'switch: UpdateEndpointGroup (us-west-2 dial 100)', 'switch: UpdateEndpointGroup (us-east-1 dial 0)', 'switch: end',
      ]);
    });

    test('a call that fails ends the step failed, after the target is up: both dials at 100 share the traffic, none is at 0', async () => {
      // GIVEN
      const [westArn, eastArn] = sdkTasks(definition).map((t) => t.parameters.EndpointGroupArn);
      const world = new Dials({ [eastArn]: 100, [westArn]: 0 }, { [eastArn]: EAST, [westArn]: WEST });

      // WHEN
      const run = await runLocally(definition, {
        tasks: { ...world.mocks(taskStates(definition), 'switch: UpdateEndpointGroup (us-east-1 dial 0)', 'GlobalAccelerator.AccessDeniedException'), ...recordMocks(definition) },
      });

      // THEN
      expect(run.status).toEqual('FAILED');
      expect(run.error).toEqual('GlobalAccelerator.AccessDeniedException');
      expect(run.trace.slice(-3)).toEqual(['switch: failed', 'Record: failed', 'Failed']);
      expect(world.dials).toEqual({ [eastArn]: 100, [westArn]: 100 });
    });
  });

  describe('with literal ARNs, from a runbook in another Region', () => {
    const stack = testStack(undefined, 'Stack', EAST);
    runbook(stack, { endpointGroupArns: LITERAL, region: EAST });
    const definition = definitionOf(stack);

    test('goes through the cross-Region task to us-west-2, with calls the API model accepts', () => {
      expect(validateAsl(definition)).toEqual([]);
      expect(sdkTasks(definition).filter((t) => t.service.includes('accelerator'))).toEqual([]);
      const calls = crossRegionTasks(definition);
      expect(calls.map((t) => [t.state, t.service, t.action, t.parameters])).toEqual([
        ['switch: UpdateEndpointGroup (us-east-1 dial 100)', 'global-accelerator', 'updateEndpointGroup', { EndpointGroupArn: EAST_GROUP, TrafficDialPercentage: 100 }],
        ['switch: UpdateEndpointGroup (us-west-2 dial 0)', 'global-accelerator', 'updateEndpointGroup', { EndpointGroupArn: WEST_GROUP, TrafficDialPercentage: 0 }],
      ]);
      forEachState(definition, (name, s) => {
        if (name.includes('UpdateEndpointGroup')) expect(s.Parameters.region).toEqual(WEST);
      });
      // The task names the SDK v3 client package (@aws-sdk/client-global-accelerator); the model check knows the service as Step Functions names it.
      expect(checkSdkCalls(calls.map((t): SdkTask => ({ ...t, service: t.service.replace(/-/g, '') })))).toEqual([]);
    });

    test('grants the cross-Region function UpdateEndpointGroup on the two literal ARNs only', () => {
      expect(acceleratorStatements(stack)).toEqual([
        { Action: 'globalaccelerator:UpdateEndpointGroup', Effect: 'Allow', Resource: EAST_GROUP },
        { Action: 'globalaccelerator:UpdateEndpointGroup', Effect: 'Allow', Resource: WEST_GROUP },
      ]);
    });

    test('runs locally: the payload carries exactly the ARN, the dial and us-west-2', async () => {
      // GIVEN
      const world = new Dials({ [EAST_GROUP]: 0, [WEST_GROUP]: 100 }, { [EAST_GROUP]: EAST, [WEST_GROUP]: WEST });

      // WHEN
      const run = await runLocally(definition, { tasks: { ...world.mocks(taskStates(definition)), ...recordMocks(definition) } });

      // THEN
      expect(run.status).toEqual('SUCCEEDED');
      expect(world.calls).toEqual([
        expect.objectContaining({
          service: 'global-accelerator',
          action: 'updateEndpointGroup',
          region: WEST,
          parameters: { EndpointGroupArn: EAST_GROUP, TrafficDialPercentage: 100 },
        }),
        expect.objectContaining({
          service: 'global-accelerator',
          action: 'updateEndpointGroup',
          region: WEST,
          parameters: { EndpointGroupArn: WEST_GROUP, TrafficDialPercentage: 0 },
        }),
      ]);
      expect(world.dials).toEqual({ [EAST_GROUP]: 100, [WEST_GROUP]: 0 });
    });
  });

  test('othersToZero: false dials only the target up, and the model counts one call', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'Stack', EAST);

    // WHEN
    runbook(stack, { endpointGroupArns: { ...LITERAL, 'eu-west-1': EU_GROUP }, region: EAST, othersToZero: false });

    // THEN
    expect(crossRegionTasks(definitionOf(stack)).map((t) => t.parameters)).toEqual([{ EndpointGroupArn: EAST_GROUP, TrafficDialPercentage: 100 }]);
    expect(reportPath(app).terms.map((t: any) => t.id)).toEqual(['runbook-decision', 'switch-dial-us-east-1', 'switch-dial-effect']);
  });

  test('three Regions: the target up, then each other down, in the order given', () => {
    const stack = testStack(undefined, 'Stack', WEST);
    runbook(stack, { endpointGroupArns: { 'eu-west-1': EU_GROUP, ...LITERAL }, region: WEST });
    expect(sdkTasks(definitionOf(stack)).map((t) => [t.state, t.parameters.TrafficDialPercentage])).toEqual([
      ['switch: UpdateEndpointGroup (us-west-2 dial 100)', 100],
      ['switch: UpdateEndpointGroup (eu-west-1 dial 0)', 0],
      ['switch: UpdateEndpointGroup (us-east-1 dial 0)', 0],
    ]);
  });

  describe('the model', () => {
    test('one runbookTask per call, then the dials taking effect on the acceleratorReroute assumption', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', EAST);

      // WHEN
      runbook(stack, { endpointGroupArns: LITERAL, region: EAST });

      // THEN
      const p = reportPath(app);
      expect(p.terms.map((t: any) => [t.id, t.term, t.minSeconds, t.maxSeconds, t.assumption, t.assumptionId ?? null])).toEqual([
        ['runbook-decision', 'decision', 0, 600, true, 'operatorResponse'],
        ['switch-dial-us-east-1', 'switch', 0, 5, true, 'runbookTask'],
        ['switch-dial-us-west-2', 'switch', 0, 5, true, 'runbookTask'],
        ['switch-dial-effect', 'switch', 0, 30, true, 'acceleratorReroute'],
      ]);
      expect(p.terms[1].basis).toMatch(/^dial us-east-1 to 100 % \(UpdateEndpointGroup, Global Accelerator control plane in us-west-2\): one task, up to 5 s/);
      expect(p.terms[3].basis).toMatch(/^the new traffic dials taking effect for new connections: up to 30 s, the `acceleratorReroute` assumption, as AWS publishes no figure/);
    });

    test('takes the runbook\'s assumptions', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', EAST);

      // WHEN
      runbook(stack, { endpointGroupArns: LITERAL, region: EAST }, {
        assumptions: { runbookTask: Duration.seconds(2), acceleratorReroute: Duration.seconds(12) },
      });

      // THEN
      const p = reportPath(app);
      expect(p.terms.slice(1).map((t: any) => [t.id, t.maxSeconds, t.assumption])).toEqual([
        ['switch-dial-us-east-1', 2, false], ['switch-dial-us-west-2', 2, false], ['switch-dial-effect', 12, false],
      ]);
    });
    test('a missed RTO fails synth naming the dial change as the dominant term, with its fix', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', EAST);
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.seconds(30) });

      // WHEN
      runbook(stack, { endpointGroupArns: LITERAL, region: EAST }, { assumptions: { operatorResponse: Duration.seconds(1) } });

      // THEN: 1 + 5 + 5 + 30 s
      expect(() => app.synth()).toThrow(new RegExp('modeled worst-case recovery time 41 s exceeds the RTO objective 30 s .*Dominant term: switch up to 30 s '
        + '\\(the new traffic dials taking effect for new connections.*measure it with a drill and set `assumptions.acceleratorReroute`'));
    });
  });

  describe('validation', () => {
    const other = (app: App) => accelerator(testStack(app, 'Accelerators', WEST));
    test.each<[string, (app: App) => SwitchAcceleratorDialsOptions, RegExp]>([
      ['neither source', () => ({ region: EAST }),
        /`steps\[0\]` needs exactly one of `failover` and `endpointGroupArns`, got neither\. Give the AcceleratorFailover when it is in the runbook's stack, else the literal ARNs/],
      ['both sources', (app) => ({ region: EAST, failover: other(app), endpointGroupArns: LITERAL }),
        /`steps\[0\]` needs exactly one of `failover` and `endpointGroupArns`, got both\./],
      ['a failover of another stack', (app) => ({ region: EAST, failover: other(app) }),
        /`steps\[0\]\.failover` \(Accelerators\/Accelerator\) is in stack Accelerators, not in the runbook's stack Stack: its endpoint group ARNs hold ids Global Accelerator generates.*cross-stack export.*Give `endpointGroupArns` instead.*aws globalaccelerator list-endpoint-groups --region us-west-2/],
      ['a region without a group', () => ({ region: 'eu-west-1', endpointGroupArns: LITERAL }),
        /`steps\[0\]\.region` must be one of the accelerator's endpoint group Regions \(us-east-1, us-west-2\), got: "eu-west-1"\. Give the Region that takes the traffic\./],
      ['one group', () => ({ region: EAST, endpointGroupArns: { [EAST]: EAST_GROUP } }),
        /`steps\[0\]\.endpointGroupArns` must name at least two Regions' endpoint groups, got 1: a switch moves traffic from one Region to another\./],
      ['a key that is no Region', () => ({ region: EAST, endpointGroupArns: { ...LITERAL, east2: EU_GROUP } }),
        /`steps\[0\]\.endpointGroupArns` has the key "east2", which is not an AWS Region name such as us-east-1\./],
      ['an ARN that is not an endpoint group\'s', () => ({ region: EAST, endpointGroupArns: { ...LITERAL, [WEST]: `${LISTENER}` } }),
        /`steps\[0\]\.endpointGroupArns\["us-west-2"\]` must be the ARN of an endpoint group \(arn:aws:globalaccelerator::<account>:accelerator\/<id>\/listener\/<id>\/endpoint-group\/<id>\), got: "arn:aws:globalaccelerator::111111111111:accelerator\/1234abcd-.*"\./],
      ['the same group twice', () => ({ region: EAST, endpointGroupArns: { [EAST]: EAST_GROUP, [WEST]: EAST_GROUP } }),
        /`steps\[0\]\.endpointGroupArns\["us-west-2"\]` is the same endpoint group as `steps\[0\]\.endpointGroupArns\["us-east-1"\]`\./],
      ['groups of two listeners', () => ({ region: EAST, endpointGroupArns: { ...LITERAL, [WEST]: WEST_GROUP.replace('0123abcd', '4567ef01') } }),
        /`steps\[0\]\.endpointGroupArns` holds endpoint groups of 2 listeners .*: dials share the traffic of one listener\. Give the groups of one listener, one step per listener\./],
      ['a Token ARN of another stack', (app) => ({ region: EAST, endpointGroupArns: { ...LITERAL, [WEST]: other(app).endpointGroup(WEST).endpointGroupArn } }),
        /`steps\[0\]\.endpointGroupArns\["us-west-2"\]` references Accelerators\/Accelerator\/EndpointGroups\/us-west-2\/Resource of stack Accelerators, not the runbook's stack Stack: a cross-stack reference.*give the endpoint group's literal ARN/],
      ['an imported ARN', () => ({ region: EAST, endpointGroupArns: { ...LITERAL, [WEST]: Fn.importValue('west-group') } }),
        /`steps\[0\]\.endpointGroupArns\["us-west-2"\]` imports a value of another stack \(Fn::ImportValue\).*give the endpoint group's literal ARN\./],
    ])('fails on %s', (_, options, message) => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', EAST);

      // WHEN / THEN
      expect(() => runbook(stack, options(app), { fromRegion: WEST })).toThrow(message);
    });

    test('a Token ARN of the runbook\'s own stack is taken', () => {
      const stack = testStack(undefined, 'Stack', WEST);
      const ga = accelerator(stack);
      runbook(stack, { endpointGroupArns: { [EAST]: ga.endpointGroup(EAST).endpointGroupArn, [WEST]: WEST_GROUP }, region: WEST });
      expect(sdkTasks(definitionOf(stack)).map((t) => t.parameters.TrafficDialPercentage)).toEqual([100, 0]);
    });
  });

  test.each([WEST, EAST])('leaves no cdk-nag AwsSolutions finding on the runbook or the cross-Region function, in %s', (region) => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app, 'Stack', region);
    runbook(stack, { endpointGroupArns: LITERAL, region });

    // WHEN
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    app.synth();

    // THEN
    const findings = app.node.findAll()
      .filter((c) => /\/(Runbook|CrossRegionAwsSdk[^/]*|CdkFailoverRunbookFunction[^/]*)(\/|$)/.test(c.node.path))
      .flatMap((c) => c.node.metadata.filter((m) => ['aws:cdk:error', 'aws:cdk:warning'].includes(m.type) && String(m.data).startsWith('AwsSolutions-'))
        .map((m) => `${c.node.path}: ${String(m.data).slice(0, 120)}`));
    expect(findings).toEqual([]);
    expect(app.node.findAll().some((c) => /CrossRegionAwsSdk/.test(c.node.path))).toBe(region !== WEST);
  });

  describe('in a Region switch plan', () => {
    const planOf = (stack: Stack, omit: boolean) => new RegionSwitchPlan(stack, 'Plan', {
      planName: 'orders',
      primaryRegion: EAST,
      standbyRegion: WEST,
      recoveryTimeObjective: Duration.minutes(30),
      omitStepsWithoutBlock: omit,
      failoverSteps: [
        PromoteData.auroraGlobalFailover({ globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-west', primaryClusterIdentifier: 'orders-east', primaryRegion: EAST }),
        SwitchTraffic.acceleratorDials({ endpointGroupArns: LITERAL, region: WEST }),
      ],
    });

    test('is refused: there is no block, and the accelerator needs no step to fail over', () => {
      const stack = testStack(undefined, 'Stack', WEST);
      expect(() => planOf(stack, false)).toThrow(new RegExp('`failoverSteps\\[1\\]` \\(switchAcceleratorDials: send traffic to us-west-2 \\(Global Accelerator '
        + 'traffic dials\\)\\) has no Region switch execution block: Region switch has no Global Accelerator block .*An AcceleratorFailover needs no step '
        + 'to fail over.*Remove it from the plan\'s steps, or keep the Step Functions runbook for planned switches, failback and drills\\.'));
    });

    test('is left out with omitStepsWithoutBlock, with a warning', () => {
      const stack = testStack(undefined, 'Stack', WEST);
      planOf(stack, true);
      const plans = Template.fromStack(stack).findResources('AWS::ARCRegionSwitch::Plan');
      const [workflow] = (Object.values(plans)[0] as any).Properties.Workflows;
      expect(workflow.Steps.map((s: any) => s.ExecutionBlockType)).toEqual(['AuroraGlobalDatabase']);
      Annotations.fromStack(stack).hasWarning('/Stack/Plan', Match.stringLikeRegexp('`failoverSteps\\[1\\]` \\(switchAcceleratorDials: '));
    });
  });
});

/** The record of the run (the runbook's bookkeeping), answered as a success. */
function recordMocks(definition: any): { [state: string]: (input: any) => any } {
  return Object.fromEntries(taskStates(definition).filter((s) => s.startsWith('Record')).map((s) => [s, () => ({ recorded: true })]));
}

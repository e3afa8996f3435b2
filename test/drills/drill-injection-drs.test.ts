import { Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as fc from 'fast-check';
import { controlTasks, drillDefinition } from './drill-fixture';
import { DrillInjection, DrsRecoveryInjectionOptions, ElasticDisasterRecovery, FailoverDrill, RecoveryObjectives } from '../../src';
import { checkSdkCalls, forEachState, runLocally, sdkTasks, validateAsl } from '../support/state-machines';
import { testApp, testStack } from '../util';

jest.setTimeout(120_000);

const START = '2026-11-30T12:00:00.000Z';
const S1 = 's-1234567890abcdef0';
const S2 = 's-0fedcba0987654321';
const JOB = 'drsjob-1234567890abcdef0';

/** A stack in the Region the servers replicate to, with the DRS templates and a drill of two servers. */
function drsDrill(options: Partial<DrsRecoveryInjectionOptions> = {}): Stack {
  const stack = testStack(testApp(), 'Stack', 'us-west-2');
  new RecoveryObjectives(stack, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(1) });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const servers = new ElasticDisasterRecovery(stack, 'Servers', { sourceServerCount: 2, vpc });
  new FailoverDrill(stack, 'Drill', {
    injection: DrillInjection.drsRecovery({ sourceServerIds: [S1, S2], ...options }),
    path: servers,
  });
  return stack;
}

/** Every Task answered as in a drill that goes well; `calls` records each Task's input. */
function happyTasks(calls: Array<[string, any]>): { [state: string]: (input: any) => any } {
  const tasks: { [state: string]: (input: any) => any } = {
    'Plan': (input: any) => controlTasks.Plan({ ...input, startedAt: START }),
    'Summarize': (input: any) => controlTasks.Summarize({ ...input, startedAt: START }),
    'Take the lock': () => ({}),
    'Publish the modeled RTO': () => ({}),
    'Write the summary': () => ({}),
    'Notify': () => ({}),
    'Notify: no summary': () => ({}),
    'Notify: not started': () => ({}),
    'Release the lock': () => ({}),
    'inject: StartRecovery': () => ({ Job: { JobID: JOB, Status: 'PENDING' } }),
    'follow: DescribeJobs': () => ({ Items: [{ JobID: JOB, Status: 'COMPLETED', ParticipatingServers: launched('LAUNCHED', 'LAUNCHED') }] }),
    'restore-wait: DescribeJobs': () => ({ Items: [{ JobID: JOB, Status: 'COMPLETED', ParticipatingServers: launched('LAUNCHED', 'LAUNCHED') }] }),
    'restore: DescribeRecoveryInstances': () => ({
      Items: [
        { RecoveryInstanceID: 'i-00000000000000001', SourceServerID: S1, IsDrill: true },
        { RecoveryInstanceID: 'i-00000000000000002', SourceServerID: S2, IsDrill: true },
        { RecoveryInstanceID: 'i-0000000000000000f', SourceServerID: S2, IsDrill: false },
      ],
    }),
    'restore: TerminateRecoveryInstances': () => ({ Job: { JobID: 'drsjob-000000000000000ff' } }),
  };
  return Object.fromEntries(Object.entries(tasks).map(([name, mock]) => [name, (input: any) => {
    calls.push([name, input]);
    return mock(input);
  }]));
}

function launched(...statuses: string[]): any[] {
  return statuses.map((s, i) => ({ SourceServerID: [S1, S2][i], RecoveryInstanceID: `i-0000000000000000${i + 1}`, LaunchStatus: s }));
}

function failing(name: string): () => never {
  return () => {
    throw Object.assign(new Error(`${name} failed (injected by the test)`), { name: 'States.TaskFailed' });
  };
}

function inputOf(calls: Array<[string, any]>, state: string): any[] {
  return calls.filter(([n]) => n === state).map(([, i]) => i);
}

describe('DrillInjection.drsRecovery', () => {
  test('synthesizes a valid state machine whose DRS calls match the API model', () => {
    // GIVEN
    const definition = drillDefinition(drsDrill());

    // WHEN
    const drs = sdkTasks(definition).filter((t) => t.service === 'drs');

    // THEN
    expect(validateAsl(definition)).toEqual([]);
    expect(drs.map((t) => `${t.state} ${t.action}`).sort()).toEqual([
      'follow: DescribeJobs describeJobs',
      'inject: StartRecovery startRecovery',
      'restore-wait: DescribeJobs describeJobs',
      'restore: DescribeRecoveryInstances describeRecoveryInstances',
      'restore: TerminateRecoveryInstances terminateRecoveryInstances',
    ]);
    expect(checkSdkCalls(sdkTasks(definition))).toEqual([]);
  });

  test('a drill that goes well starts a drill recovery, follows its job, and terminates only the drill instances', async () => {
    // GIVEN
    const calls: Array<[string, any]> = [];

    // WHEN
    const run = await runLocally(drillDefinition(drsDrill()), { tasks: happyTasks(calls) });

    // THEN
    expect(run.status).toBe('SUCCEEDED');
    expect(inputOf(calls, 'inject: StartRecovery')).toEqual([{ SourceServers: [{ SourceServerID: S1 }, { SourceServerID: S2 }], IsDrill: true }]);
    expect(inputOf(calls, 'follow: DescribeJobs')).toEqual([{ Filters: { JobIDs: [JOB] } }]);
    expect(inputOf(calls, 'restore: DescribeRecoveryInstances')).toEqual([{ Filters: { SourceServerIDs: [S1, S2] }, MaxResults: 200 }]);
    expect(inputOf(calls, 'restore: TerminateRecoveryInstances')).toEqual([{ RecoveryInstanceIDs: ['i-00000000000000001'] }, { RecoveryInstanceIDs: ['i-00000000000000002'] }]);
    expect(run.trace).toEqual(expect.arrayContaining(['follow: recovery drill launched', 'restore: recovery started?', 'Release the lock']));
    expect(run.trace.indexOf('restore: TerminateRecoveryInstances')).toBeGreaterThan(run.trace.indexOf('follow: recovery drill launched'));
  });

  test('the follow polls while the job is pending or started, or not yet listed', async () => {
    // GIVEN
    const calls: Array<[string, any]> = [];
    const answers = [{ Items: [] }, { Items: [{ Status: 'PENDING' }] }, { Items: [{ Status: 'STARTED' }] },
      { Items: [{ Status: 'COMPLETED', ParticipatingServers: launched('LAUNCHED', 'LAUNCHED') }] }];
    const tasks = { ...happyTasks(calls), 'follow: DescribeJobs': () => answers.shift() };

    // WHEN
    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    // THEN
    expect(run.status).toBe('SUCCEEDED');
    expect(run.trace.filter((s) => s === 'follow: DescribeJobs')).toHaveLength(4);
  });

  test('a job that completes with no server fails the drill', async () => {
    const tasks = { ...happyTasks([]), 'follow: DescribeJobs': () => ({ Items: [{ Status: 'COMPLETED', ParticipatingServers: [] }] }) };

    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    expect([run.error, run.cause]).toEqual(['DrillRecoveryNotLaunched', `the DRS drill job ${JOB} completed with no source server`]);
  });

  test('a job that completes with a server not launched fails the drill, after the restore terminated the drill instances', async () => {
    // GIVEN
    const calls: Array<[string, any]> = [];
    const tasks = {
      ...happyTasks(calls),
      'follow: DescribeJobs': () => ({ Items: [{ Status: 'COMPLETED', ParticipatingServers: launched('LAUNCHED', 'FAILED') }] }),
    };

    // WHEN
    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    // THEN
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('DrillRecoveryNotLaunched');
    expect(run.cause).toBe(`the DRS drill job ${JOB} did not launch source server ${S2}: FAILED`);
    expect(inputOf(calls, 'restore: TerminateRecoveryInstances')).toHaveLength(2);
    expect(run.trace).toContain('Release the lock');
  });

  test('a job that never completes times out the follow, and the restore still terminates', async () => {
    // GIVEN
    const calls: Array<[string, any]> = [];
    const tasks = {
      ...happyTasks(calls),
      'follow: DescribeJobs': () => ({ Items: [{ Status: 'STARTED' }] }),
      'restore-wait: DescribeJobs': () => ({ Items: [{ Status: 'STARTED' }] }),
    };

    // WHEN
    const run = await runLocally(drillDefinition(drsDrill({ timeout: Duration.minutes(1) })), { tasks });

    // THEN the restore's own wait gives up too, and terminates what is there
    expect(run.status).toBe('FAILED');
    expect(run.trace).toEqual(expect.arrayContaining(['follow: recovery job completed: gave up', 'restore-wait: recovery job ended: gave up']));
    expect(inputOf(calls, 'restore: TerminateRecoveryInstances')).toHaveLength(2);
  });

  test.each([
    'follow: DescribeJobs',
    'restore-wait: DescribeJobs',
  ])('a failing %s is caught: the restore runs and terminates the drill instances', async (step) => {
    // GIVEN
    const calls: Array<[string, any]> = [];
    const tasks = { ...happyTasks(calls), [step]: failing(step) };

    // WHEN
    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    // THEN
    expect(run.trace).toContain('restore: recovery started?');
    expect(inputOf(calls, 'restore: TerminateRecoveryInstances')).toHaveLength(2);
    expect(run.trace).toContain('Release the lock');
  });

  test('a start that fails without a job ID terminates whatever drill instances exist, without waiting for a job', async () => {
    // GIVEN DRS may have started the job all the same
    const calls: Array<[string, any]> = [];
    const tasks = { ...happyTasks(calls), 'inject: StartRecovery': failing('inject: StartRecovery') };

    // WHEN
    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    // THEN
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('States.TaskFailed');
    expect(inputOf(calls, 'restore-wait: DescribeJobs')).toEqual([]);
    expect(inputOf(calls, 'restore: TerminateRecoveryInstances')).toHaveLength(2);
  });

  test('with no drill instance, the restore terminates nothing', async () => {
    const calls: Array<[string, any]> = [];
    const tasks = {
      ...happyTasks(calls),
      'restore: DescribeRecoveryInstances': () => ({ Items: [{ RecoveryInstanceID: 'i-0000000000000000f', SourceServerID: S1, IsDrill: false }] }),
    };

    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.trace).toContain('restore: not a drill instance');
    expect(inputOf(calls, 'restore: TerminateRecoveryInstances')).toEqual([]);
  });

  test('a failing terminate is a failed restore', async () => {
    const tasks = { ...happyTasks([]), 'restore: TerminateRecoveryInstances': failing('restore: TerminateRecoveryInstances') };

    const run = await runLocally(drillDefinition(drsDrill()), { tasks });

    expect(run.status).toBe('FAILED');
    expect(run.trace).toContain('Release the lock');
  });

  test('grants StartRecovery on the source servers, Terminate on drill instances, and PassRole only to DRS roles for EC2', () => {
    // GIVEN
    const stack = drsDrill();

    // WHEN
    const statements: any[] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const of = (action: string) => statements.filter((s) => [s.Action].flat().includes(action)).map((s) => stack.resolve(s.Resource));

    // THEN
    const arn = (what: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:drs:us-west-2:111111111111:${what}`]] });
    expect(of('drs:StartRecovery')).toEqual([[arn(`source-server/${S1}`), arn(`source-server/${S2}`)]]);
    expect(of('drs:TerminateRecoveryInstances')).toEqual([arn('recovery-instance/*')]);
    expect(of('drs:DescribeJobs')).toEqual(['*']);
    expect(of('ec2:RunInstances')).toEqual(['*']);
    expect(statements.find((s) => s.Action === 'iam:PassRole')).toEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/service-role/AWSElasticDisasterRecovery*']] },
    });
  });

  test('cdk-nag (AwsSolutions) finds nothing open on the drill and the templates', () => {
    // GIVEN
    const stack = drsDrill();
    Aspects.of(stack).add(new AwsSolutionsChecks());

    // WHEN
    (stack.node.root as any).synth();

    // THEN
    const open = stack.node.findAll().filter((c) => !/\/(Vpc|Objectives)(\/|$)/.test(c.node.path)).flatMap((c) => c.node.metadata
      .filter((m) => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
      .map((m) => `${c.node.path}: ${m.data}`));
    expect(open).toEqual([]);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Metadata: { cdk_nag: { rules_to_suppress: Match.arrayWith([Match.objectLike({ reason: Match.stringLikeRegexp('^A DRS recovery drill') })]) } },
    });
    expect(Object.keys(policies)).toEqual([expect.stringMatching(/^DrillStateMachineRoleDefaultPolicy/)]);
  });

  test('the default timeout is an hour for the follow and for the restore\'s wait', () => {
    const states: { [name: string]: any } = {};
    forEachState(drillDefinition(drsDrill()), (name, state) => states[name] = state);

    expect(states['follow: recovery job completed: gave up'].Parameters.Cause).toBe('follow: recovery job completed did not happen within 1 hour (240 checks, 15 seconds apart)');
    expect(states['restore-wait: recovery job ended: gave up'].Parameters.Cause).toBe('restore-wait: recovery job ended did not happen within 1 hour (240 checks, 15 seconds apart)');
  });

  describe('validation', () => {
    test.each<[string, Partial<DrsRecoveryInjectionOptions>, RegExp]>([
      ['no servers', { sourceServerIds: [] }, /`injection\.sourceServerIds` must list 1 to 200 DRS source server IDs, got: \[\]\. Give the IDs the DRS console shows/],
      ['201 servers', { sourceServerIds: Array.from({ length: 201 }, (_, i) => `s-${String(i).padStart(17, '0')}`) }, /`injection\.sourceServerIds` must list 1 to 200/],
      ['an instance ID', { sourceServerIds: ['i-1234567890abcdef0'] }, /`injection\.sourceServerIds` must be DRS source server IDs \(s- and 17 letters or digits\), got: "i-1234567890abcdef0"\. The DRS agent makes them/],
      ['a short ID', { sourceServerIds: [S1, 's-123'] }, /got: "s-123"\./],
      ['a repeated ID', { sourceServerIds: [S1, S1] }, /`injection\.sourceServerIds` lists "s-1234567890abcdef0" more than once\. Give each server once\./],
      ['a timeout under a minute', { timeout: Duration.seconds(30) }, /`injection\.timeout` must be whole seconds from 60 to 43200, got: 30 seconds/],
    ])('fails with %s', (_title, options, message) => {
      expect(() => drsDrill(options)).toThrow(message);
    });

    test('a deploy-time ID is accepted', () => {
      expect(() => drsDrill({ sourceServerIds: [Lazy.string({ produce: () => S1 })] })).not.toThrow();
    });
  });

  test('says what it injects', () => {
    expect(DrillInjection.drsRecovery({ sourceServerIds: [S1] }).description).toBe('DRS recovery drill of 1 source server');
    expect(DrillInjection.drsRecovery({ sourceServerIds: [S1, S2] }).description).toBe('DRS recovery drill of 2 source servers');
  });
});

describe('DrillInjection.drsRecovery with random source server IDs', () => {
  const id = fc.stringMatching(/^s-[0-9a-zA-Z]{17}$/);
  const bad = fc.oneof(fc.string({ maxLength: 25 }), fc.stringMatching(/^i-[0-9a-f]{17}$/), fc.constant(''));
  const ids = fc.oneof({ arbitrary: fc.array(id, { minLength: 1, maxLength: 5 }), weight: 4 },
    { arbitrary: fc.array(fc.oneof(id, bad), { minLength: 0, maxLength: 5 }), weight: 1 });

  test('either build a drill that starts exactly those servers, or fail naming `injection.sourceServerIds`', () => {
    let built = 0;
    fc.assert(fc.property(ids, (given) => {
      let stack: Stack;
      try {
        stack = drsDrill({ sourceServerIds: given });
      } catch (e) {
        expect((e as Error).message).toMatch(/^Stack\/Drill: `injection\.sourceServerIds` (must|lists)/);
        return;
      }
      built++;
      const start = sdkTasks(drillDefinition(stack)).find((t) => t.action === 'startRecovery')!;
      expect(start.parameters).toEqual({ SourceServers: given.map((s) => ({ SourceServerID: s })), IsDrill: true });
    }), { numRuns: 25 });
    expect(built).toBeGreaterThan(3);
  });
});

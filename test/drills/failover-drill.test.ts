import { Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { AwsSolutionsChecks } from 'cdk-nag';
import { controlTasks, dnsDrill, drillDefinition, drillParts, DrillParts, experiment, runbooks } from './drill-fixture';
import { DrillInjection, FailoverDrillProps, MeasureUntil } from '../../src';
import { parseDrillResults } from '../../src/drills/private/drill-summaries';
import { checkSdkCalls, crossRegionTasks, forEachState, runLocally, sdkTasks, validateAsl } from '../support/state-machines';

jest.setTimeout(120_000);

/** A Monday noon, outside the fixture's blocked windows. */
const START = '2026-11-30T12:00:00.000Z';

type Kind = 'inversion' | 'fis' | 'runbook';

/** A drill of each kind in the fixture's stack, measured by the client. */
function drillOf(kind: Kind, props: Partial<FailoverDrillProps> = {}): DrillParts {
  const parts = drillParts();
  if (kind === 'inversion') {
    dnsDrill(parts, props);
  } else if (kind === 'fis') {
    dnsDrill(parts, { injection: DrillInjection.fisExperiment({ experiment: experiment(parts.stack, parts.lag) }), ...props });
  } else {
    const rb = runbooks(parts.stack);
    dnsDrill(parts, { injection: DrillInjection.runbook(rb), path: rb.failover, ...props });
  }
  return parts;
}

const MEASURED = {
  until: 'standby',
  switched: true,
  measuredRtoSeconds: 84.5,
  injectedAt: START,
  sampledTo: '2026-11-30T12:01:30.000Z',
  counts: { primary: 10, standby: 1, failed: 60 },
  failureWindowMs: 60_000,
  failureWindowClosed: true,
};

/** Every Task of a drill answered as in a drill that goes well; `calls` records each Task's input. */
function happyTasks(kind: Kind, calls: Array<[string, any]>, measurement: any = MEASURED): { [state: string]: (input: any) => any } {
  const tasks: { [state: string]: (input: any) => any } = {
    'Plan': (input: any) => controlTasks.Plan({ ...input, startedAt: START }),
    'Summarize': (input: any) => controlTasks.Summarize({ ...input, startedAt: START }),
    'Take the lock': () => ({}),
    'precheck: DescribeAlarms': () => ({ MetricAlarms: [{ StateValue: 'OK' }] }),
    'measure: sample': () => measurement,
    'measure: sample (dry run)': () => ({ ...measurement, switched: false, measuredRtoSeconds: undefined }),
    'Publish the modeled RTO': () => ({}),
    'Write the summary': () => ({}),
    'Notify': () => ({}),
    'Notify: no summary': () => ({}),
    'Notify: not started': () => ({}),
    'Release the lock': () => ({}),
    ...{
      inversion: {
        'inject: Invert health check': () => ({}),
        'restore: Revert health check': () => ({}),
      },
      fis: {
        'inject: StartExperiment': () => ({ Experiment: { Id: 'EXP1' } }),
        'follow: GetExperiment': () => ({ Experiment: { State: { Status: 'completed' } } }),
        'restore: GetExperiment': () => ({ Experiment: { State: { Status: 'completed' } } }),
        'restore: StopExperiment': () => ({}),
        'restore: ListExperiments': () => ({ Experiments: [{ Id: 'EXP0', State: { Status: 'completed' } }, { Id: 'EXP1', State: { Status: 'running' } }] }),
        'restore: stop a running experiment': () => ({}),
      },
      runbook: {
        'inject: StartExecution (failover)': () => ({ ExecutionArn: 'arn:aws:states:us-west-2:111111111111:execution:failover:drill-run' }),
        'follow: DescribeExecution (failover)': () => ({ Status: 'SUCCEEDED' }),
        'restore: DescribeExecution (failover)': () => ({ Status: 'SUCCEEDED', ExecutionArn: 'arn:aws:states:us-west-2:111111111111:execution:failover:drill-failover-run' }),
        'restore: StopExecution': () => ({}),
        'failback: StartExecution (failback)': () => ({ ExecutionArn: 'arn:aws:states:us-east-1:111111111111:execution:orders-failback:drill-run' }),
        'failback-wait: DescribeExecution (failback)': () => ({ Status: 'SUCCEEDED' }),
      },
    }[kind],
  };
  return Object.fromEntries(Object.entries(tasks).map(([name, mock]) => [name, (input: any) => {
    calls.push([name, input]);
    return mock(input);
  }]));
}

/** The states that put things back, per kind: at least the first must run after an injection. */
const RESTORE_STATES: Record<Kind, string[]> = {
  inversion: ['restore: Revert health check'],
  fis: ['restore: experiment started?'],
  runbook: ['restore: DescribeExecution (failover)'],
};

/** Bookkeeping after the restore: its failure is caught and the drill still ends as it would. */
const BOOKKEEPING = ['Summarize', 'Publish the modeled RTO', 'Write the summary', 'Notify', 'Notify: no summary', 'Release the lock'];

function taskStates(definition: any): Set<string> {
  const names = new Set<string>();
  forEachState(definition, (name, state) => {
    if (state.Type === 'Task') names.add(name);
  });
  return names;
}

function failing(name: string): () => never {
  return () => {
    throw Object.assign(new Error(`${name} failed (injected by the test)`), { name: 'States.TaskFailed' });
  };
}

describe('FailoverDrill', () => {
  describe.each<Kind>(['inversion', 'fis', 'runbook'])('with a %s', (kind) => {
    test('synthesizes a valid state machine whose SDK calls match the API models', () => {
      const { stack } = drillOf(kind);
      const definition = drillDefinition(stack);
      expect(validateAsl(definition)).toEqual([]);
      expect(checkSdkCalls([...sdkTasks(definition), ...crossRegionTasks(definition)])).toEqual([]);
    });

    test('a drill that goes well injects, measures, restores, publishes and releases the lock', async () => {
      // GIVEN
      const { stack } = drillOf(kind);
      const calls: Array<[string, any]> = [];

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks: happyTasks(kind, calls) });

      // THEN
      expect(run.status).toBe('SUCCEEDED');
      const trace = run.trace;
      const order = ['Plan', 'Take the lock', 'precheck: DescribeAlarms', 'Injecting', 'measure: sample', RESTORE_STATES[kind][0], 'Summarize',
        'Publish the modeled RTO', 'Write the summary', 'Notify', 'Release the lock', 'Done'];
      expect(order.map((s) => trace.indexOf(s))).toEqual([...order.map((s) => trace.indexOf(s))].sort((a, b) => a - b));
      expect(order.every((s) => trace.includes(s))).toBe(true);
      RESTORE_STATES[kind].forEach((s) => expect(trace).toContain(s));
      const summary = run.output.summary;
      expect(summary.outcome).toBe('MET');
      // The summary is a drill results file the next synth reads back.
      const path = kind === 'runbook' ? 'Stack/FailoverRunbook#failover' : 'Stack/Failover#failover';
      expect(parseDrillResults(summary.body, 'summary')).toEqual([{
        path, at: START, source: 'arn:aws:states:us-east-1:123456789012:execution:local:run', rto: 84.5, rpo: undefined, assumptions: {},
      }]);
      const write = calls.find(([n]) => n === 'Write the summary')![1];
      expect(write).toEqual(expect.objectContaining({ Key: summary.key, Body: summary.body, ContentType: 'application/json' }));
      expect(summary.key).toBe('drills/Drill/2026-11-30T12-00-00-000Z-run.json');
      const release = calls.find(([n]) => n === 'Release the lock')![1];
      expect(release).toBeDefined();
    });

    test('every step that fails after the lock is caught: the restore runs if the fault was injected, and the lock is released', async () => {
      // GIVEN the states a good drill runs, after the lock is taken
      const { stack } = drillOf(kind);
      const definition = drillDefinition(stack);
      const tasks = taskStates(definition);
      const good = await runLocally(definition, { tasks: happyTasks(kind, []) });
      const steps = [...new Set(good.trace.slice(good.trace.indexOf('Take the lock') + 1).filter((s) => tasks.has(s)))];
      expect(steps.length).toBeGreaterThan(8);
      const injectedAt = good.trace.indexOf('Injecting');

      for (const step of steps) {
        // WHEN that state fails
        const run = await runLocally(definition, { tasks: { ...happyTasks(kind, []), [step]: failing(step) } });

        // THEN
        const context = `${step} failed: ${run.trace.join(' > ')}`;
        expect([context, run.trace.includes('Release the lock')]).toEqual([context, true]);
        const wasInjected = good.trace.indexOf(step) > injectedAt;
        const restoring = RESTORE_STATES[kind].includes(step) || step.startsWith('restore:') || step.startsWith('failback');
        if (wasInjected) {
          expect([context, run.trace.includes(RESTORE_STATES[kind][0])]).toEqual([context, true]);
        } else {
          expect([context, run.trace.some((s) => RESTORE_STATES[kind].includes(s))]).toEqual([context, false]);
        }
        if (BOOKKEEPING.includes(step)) {
          expect([context, run.status]).toEqual([context, 'SUCCEEDED']);
        } else if (restoring) {
          expect([context, run.status, run.error]).toEqual([context, 'FAILED', 'States.TaskFailed']);
          expect([context, run.trace[run.trace.length - 1]]).toEqual([context, 'Restore failed']);
        } else {
          expect([context, run.status, run.error]).toEqual([context, 'FAILED', 'States.TaskFailed']);
          expect([context, run.trace[run.trace.length - 1]]).toEqual([context, 'Failed']);
        }
      }
    });

    test('a dry run runs every step but the injection and the restore', async () => {
      // GIVEN
      const { stack } = drillOf(kind);

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks: happyTasks(kind, []), input: { dryRun: true } });

      // THEN
      expect(run.status).toBe('SUCCEEDED');
      expect(run.trace).toEqual(expect.arrayContaining(['Dry run: no injection', 'measure: sample (dry run)', 'Summarize', 'Release the lock']));
      expect(run.trace.filter((s) => s.startsWith('inject:') || s.startsWith('restore:') || s.startsWith('failback'))).toEqual([]);
      expect(run.trace.filter((s) => s.startsWith('follow:'))).toEqual(kind === 'inversion' ? ['follow: nothing to follow'] : ['follow: dry run?', 'follow: nothing to follow']);
      expect(run.output.summary.outcome).toBe('DRY_RUN');
      expect(parseDrillResults(run.output.summary.body, 'summary')).toEqual([]);
    });
  });

  describe('before the lock', () => {
    test('a blocked window stops the drill before anything changes, and says why', async () => {
      // GIVEN Mondays are blocked, and the drill starts on one
      const { stack } = drillOf('inversion', { blockedWindows: ['Mon:09:00-Mon:17:00'] });
      const calls: Array<[string, any]> = [];

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks: happyTasks('inversion', calls) });

      // THEN
      expect(run).toEqual(expect.objectContaining({
        status: 'FAILED',
        error: 'DrillBlocked',
        cause: '2026-11-30T12:00:00.000Z is in the blocked window Mon:09:00-Mon:17:00 (UTC): the drill does not start. Start it outside the blocked windows and dates.',
      }));
      expect(run.trace).toEqual(['Begin', 'Plan', 'Blocked?', 'Blocked', 'Notify: not started', 'Not started']);
      expect(calls.find(([n]) => n === 'Notify: not started')![1].Message).toMatch(/^Drill Drill did not start: DrillBlocked: 2026-11-30T12:00:00.000Z is in the blocked window/);
    });

    test('a blocked date stops it too', async () => {
      const { stack } = drillOf('inversion', { blockedDates: ['2026-11-30'] });
      const run = await runLocally(drillDefinition(stack), { tasks: happyTasks('inversion', []) });
      expect([run.error, run.cause]).toEqual(['DrillBlocked', '2026-11-30 is a blocked date: the drill does not start. Start it outside the blocked windows and dates.']);
    });

    test('a lock held by another drill stops it without releasing the other\'s lock', async () => {
      // GIVEN
      const { stack } = drillOf('inversion');
      const tasks = happyTasks('inversion', []);
      tasks['Take the lock'] = () => {
        throw Object.assign(new Error('The conditional request failed'), { name: 'DynamoDB.ConditionalCheckFailedException' });
      };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN
      expect(run.error).toBe('DrillLocked');
      expect(run.cause).toMatch(/^another drill holds the lock "drills"/);
      expect(run.trace).not.toContain('Release the lock');
      expect(run.trace).not.toContain('Injecting');
    });

    test('the lock is a conditional put that a lapsed lock does not block, and the release deletes only its own', () => {
      // GIVEN
      const { stack } = drillOf('inversion', { lockName: 'orders-drills' });

      // WHEN
      const states: { [name: string]: any } = {};
      forEachState(drillDefinition(stack), (name, state) => states[name] = state);

      // THEN
      expect(states['Take the lock'].Parameters).toEqual(expect.objectContaining({
        ConditionExpression: 'attribute_not_exists(#lock) OR #expires < :now',
        Item: expect.objectContaining({ lock: { S: 'orders-drills' }, holder: { 'S.$': '$$.Execution.Id' }, expiresAt: { 'N.$': 'States.Format(\'{}\', $.plan.lockExpiresAt)' } }),
      }));
      expect(states['Release the lock'].Parameters).toEqual(expect.objectContaining({
        ConditionExpression: '#holder = :me',
        ExpressionAttributeValues: { ':me': { 'S.$': '$$.Execution.Id' } },
      }));
    });
  });

  describe('pre-checks', () => {
    test.each([
      ['in ALARM', [{ StateValue: 'ALARM' }]],
      ['without data', [{ StateValue: 'INSUFFICIENT_DATA' }]],
      ['missing', []],
    ])('a lag alarm %s stops the drill before the injection, and the lock is released', async (_, alarms) => {
      // GIVEN
      const { stack } = drillOf('inversion');
      const tasks = { ...happyTasks('inversion', []), 'precheck: DescribeAlarms': () => ({ MetricAlarms: alarms }) };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN
      expect(run.error).toBe('DrillPreCheckFailed');
      expect(run.trace).not.toContain('Injecting');
      expect(run.trace).toContain('Release the lock');
    });
  });

  describe('outcomes', () => {
    test('a measured RTO over the objective is MISSED: the drill succeeds and says so', async () => {
      // GIVEN the objective is 5 minutes
      const { stack } = drillOf('inversion');
      const calls: Array<[string, any]> = [];

      // WHEN the client measured 6 min 40 s
      const run = await runLocally(drillDefinition(stack), { tasks: happyTasks('inversion', calls, { ...MEASURED, measuredRtoSeconds: 400 }) });

      // THEN
      expect(run.status).toBe('SUCCEEDED');
      expect(run.output.summary.outcome).toBe('MISSED');
      const notify = calls.find(([n]) => n === 'Notify')![1];
      expect(notify.Subject).toBe('Drill Drill: missed');
      expect(notify.Message).toContain('Measured RTO (as a client saw it): 400 s.');
      expect(notify.Message).toContain('RTO objective: 300 s.');
      expect(notify.Message).toContain('Modeled worst case: 121 s.');
    });

    test('an FIS experiment stopped by its stop condition fails the drill, after the restore', async () => {
      // GIVEN
      const { stack } = drillOf('fis');
      const tasks = {
        ...happyTasks('fis', []),
        'follow: GetExperiment': () => ({ Experiment: { State: { Status: 'stopped', Reason: 'Stop condition met' } } }),
      };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN
      expect(run.error).toBe('DrillExperimentNotCompleted');
      expect(run.cause).toBe('the FIS experiment ended stopped: {"Status":"stopped","Reason":"Stop condition met"}');
      expect(run.trace).toEqual(expect.arrayContaining(['restore: GetExperiment', 'restore: experiment not running', 'Release the lock']));
    });

    test('an FIS experiment still running when the drill fails is stopped', async () => {
      // GIVEN the client fails while the experiment runs
      const { stack } = drillOf('fis');
      const calls: Array<[string, any]> = [];
      const tasks = {
        ...happyTasks('fis', calls),
        'measure: sample': failing('measure: sample'),
        'restore: GetExperiment': () => ({ Experiment: { State: { Status: 'running' } } }),
      };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN
      expect(run.trace).toContain('restore: StopExperiment');
      expect(calls.find(([n]) => n === 'restore: StopExperiment')![1]).toEqual({ Id: 'EXP1' });
      expect(run.error).toBe('States.TaskFailed');
    });

    test('an FIS start that fails without an ID stops whatever of the template still runs', async () => {
      // GIVEN the start call fails (FIS may have started the experiment all the same)
      const { stack } = drillOf('fis');
      const calls: Array<[string, any]> = [];
      const tasks = { ...happyTasks('fis', calls), 'inject: StartExperiment': failing('inject: StartExperiment') };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN only the running one is stopped
      expect(calls.find(([n]) => n === 'restore: ListExperiments')![1]).toEqual({ ExperimentTemplateId: expect.any(String), MaxResults: 100 });
      expect(calls.filter(([n]) => n === 'restore: stop a running experiment').map(([, i]) => i)).toEqual([{ Id: 'EXP1' }]);
      expect(run.trace).toEqual(expect.arrayContaining(['restore: experiment ended', 'Release the lock']));
      expect(run.error).toBe('States.TaskFailed');
    });

    test('a runbook start that fails before the execution exists has no failover to undo, and no failback runs', async () => {
      // GIVEN
      const { stack } = drillOf('runbook');
      const calls: Array<[string, any]> = [];
      const tasks = {
        ...happyTasks('runbook', calls),
        'inject: StartExecution (failover)': failing('inject: StartExecution (failover)'),
        'restore: DescribeExecution (failover)': (input: any) => {
          calls.push(['restore: DescribeExecution (failover)', input]);
          throw Object.assign(new Error('Execution Does Not Exist'), { name: 'Sfn.ExecutionDoesNotExistException' });
        },
      };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN the restore looked the execution up by the name the drill gives it
      expect(calls.find(([n]) => n === 'restore: DescribeExecution (failover)')![1]).toEqual({
        ExecutionArn: expect.stringMatching(/^arn:aws:states:us-west-2:111111111111:execution:.+:drill-failover-run$/),
      });
      expect(run.trace).toContain('restore: no failover to undo');
      expect(run.trace.filter((s) => s.startsWith('failback'))).toEqual([]);
      expect(run.trace).toContain('Release the lock');
      expect(run.error).toBe('States.TaskFailed');
    });

    test('a failover runbook that fails is stopped if still running, then failed back', async () => {
      // GIVEN
      const { stack } = drillOf('runbook');
      const calls: Array<[string, any]> = [];
      const tasks = {
        ...happyTasks('runbook', calls),
        'follow: DescribeExecution (failover)': () => ({ Status: 'FAILED' }),
      };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN
      expect([run.error, run.cause]).toEqual(['DrillRunbookFailed', 'the failover runbook ended FAILED']);
      expect(run.trace).toEqual(expect.arrayContaining(['failback: StartExecution (failback)', 'failback-wait: failback succeeded', 'Release the lock']));
      // The failback runbook is in the primary's Region: called there, by its name.
      expect(calls.find(([n]) => n === 'failback: StartExecution (failback)')![1]).toEqual({
        service: 'sfn',
        action: 'startExecution',
        region: 'us-east-1',
        parameters: { StateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:orders-failback', Name: 'drill-failback-run', Input: '{"drill": true}' },
      });
    });

    test('a failback that fails is a failed restore: the execution fails with it, after the summary and the release', async () => {
      // GIVEN
      const { stack } = drillOf('runbook');
      const calls: Array<[string, any]> = [];
      const tasks = { ...happyTasks('runbook', calls), 'failback-wait: DescribeExecution (failback)': () => ({ Status: 'TIMED_OUT' }) };

      // WHEN
      const run = await runLocally(drillDefinition(stack), { tasks });

      // THEN
      expect([run.error, run.cause]).toEqual(['DrillRunbookFailed', 'the failback runbook ended TIMED_OUT']);
      expect(run.trace.slice(-3)).toEqual(['Release the lock', 'Outcome?', 'Restore failed']);
      const notify = calls.find(([n]) => n === 'Notify')![1];
      expect(notify.Subject).toBe('Drill Drill: restore failed');
      expect(notify.Message).toContain('RESTORE FAILED: DrillRunbookFailed: the failback runbook ended TIMED_OUT. Put the system back by hand.');
    });

    test('an in-region drill measures until requests are served again', async () => {
      // GIVEN
      const parts = drillParts();
      dnsDrill(parts, {
        injection: DrillInjection.fisExperiment({ experiment: experiment(parts.stack, parts.lag) }),
        measure: { url: 'https://app.example.com/health', until: MeasureUntil.RECOVERED, stableSamples: 3 },
      });
      const calls: Array<[string, any]> = [];
      const measured = { until: 'recovered', switched: false, impactSeen: true, measuredRtoSeconds: 42, injectedAt: START, sampledTo: START };

      // WHEN
      const run = await runLocally(drillDefinition(parts.stack), { tasks: happyTasks('fis', calls, measured) });

      // THEN
      expect(calls.find(([n]) => n === 'measure: sample')![1]).toEqual(expect.objectContaining({ until: 'recovered', stableSamples: 3 }));
      expect(calls.find(([n]) => n === 'measure: sample')![1].standby).toBeUndefined();
      expect(run.output.summary.outcome).toBe('MET');
    });
  });

  describe('the template', () => {
    test('measures with the client, publishing MeasuredRTO per drill and path, and the modeled worst case', () => {
      // GIVEN
      const { stack } = drillOf('inversion', { drillName: 'dns-inversion', metricNamespace: 'Orders/Drills' });

      // WHEN
      const states: { [name: string]: any } = {};
      forEachState(drillDefinition(stack), (name, state) => states[name] = state);

      // THEN
      expect(states['measure: sample'].Parameters).toEqual({
        'url': 'https://app.example.com/health',
        'until': 'standby',
        'standby': { header: { name: 'x-region', value: 'us-west-2' } },
        'intervalMs': 1000,
        'injectedAt.$': '$.injection.at',
        'maxWaitMs.$': '$.plan.maxWaitMs',
        'publish': { namespace: 'Orders/Drills', drill: 'dns-inversion', path: 'Stack/Failover#failover' },
      });
      expect(states['measure: sample (dry run)'].Parameters.publish).toBeUndefined();
      expect(states['Publish the modeled RTO'].Parameters.MetricData).toEqual([{
        MetricName: 'ModeledRTOWorst',
        Dimensions: [{ Name: 'Drill', Value: 'dns-inversion' }, { Name: 'Path', Value: 'Stack/Failover#failover' }],
        Unit: 'Seconds',
        Value: 121,
      }]);
      expect(states.Summarize.Parameters).toEqual(expect.objectContaining({ modeledRtoWorst: 121, objectiveRto: 300 }));
    });

    test('inverts exactly the primary\'s health check, and only it', () => {
      const { stack } = drillOf('inversion');
      const statements = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      const all = JSON.stringify(statements);
      expect(all).toContain('"Action":"route53:updateHealthCheck","Effect":"Allow","Resource":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":route53:::healthcheck/",{"Ref":"FailoverCheck');
    });

    test('its bucket keeps every summary, its topic and lock are its own, its logs are kept', () => {
      const template = Template.fromStack(drillOf('inversion').stack);
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' } }),
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::DynamoDB::Table', Match.objectLike({
        KeySchema: [{ AttributeName: 'lock', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }));
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      });
    });

    test('a game day schedule is off unless enabled, and starts the drill with its dry-run flag', () => {
      // GIVEN
      const off = drillOf('inversion', { gameDay: { schedule: scheduler.ScheduleExpression.cron({ weekDay: 'TUE', hour: '14', minute: '0' }) } });
      const on = drillOf('inversion', { gameDay: { schedule: scheduler.ScheduleExpression.rate(Duration.days(7)), enabled: true, dryRun: true } });

      // THEN
      Template.fromStack(off.stack).hasResourceProperties('AWS::Scheduler::Schedule', {
        State: 'DISABLED',
        ScheduleExpression: 'cron(0 14 ? * TUE *)',
        Target: Match.objectLike({ Input: '{"dryRun":false,"gameDay":true}' }),
      });
      Template.fromStack(on.stack).hasResourceProperties('AWS::Scheduler::Schedule', {
        State: 'ENABLED',
        Target: Match.objectLike({ Input: '{"dryRun":true,"gameDay":true}' }),
      });
      expect(Template.fromStack(drillOf('inversion').stack).findResources('AWS::Scheduler::Schedule')).toEqual({});
    });

    test('a game day needs a schedule expression, and plain flags', () => {
      expect(() => drillOf('inversion', { gameDay: { schedule: 'cron(0 14 ? * TUE *)' as any } })).toThrow(
        'Stack/Drill: `gameDay.schedule` must be a ScheduleExpression, got: "cron(0 14 ? * TUE *)". '
        + 'Give e.g. ScheduleExpression.cron({ weekDay: \'TUE\', hour: \'14\', minute: \'0\' }).');
      expect(() => drillOf('inversion', { gameDay: { schedule: scheduler.ScheduleExpression.rate(Duration.days(7)), enabled: 'yes' as any } }))
        .toThrow('`gameDay.enabled` must be true or false, got: "yes".');
    });

    test('the default timeout covers the waits, and the lock holds as long', () => {
      // the inversion: 10 min of measurement + 30 min; FIS: 2 x (5 + 15) min + 10 + 30 min
      const timeouts = (['inversion', 'fis'] as Kind[]).map((k) => {
        const states: { [name: string]: any } = {};
        const definition = drillDefinition(drillOf(k).stack);
        forEachState(definition, (name, state) => states[name] = state);
        return [definition.TimeoutSeconds, states.Plan.Parameters.lockSeconds];
      });
      expect(timeouts).toEqual([[2400, 2400], [4800, 4800]]);
    });

    test('may publish to its encrypted topic: the topic and its key', () => {
      const policies = JSON.stringify(Template.fromStack(drillOf('inversion').stack).findResources('AWS::IAM::Policy'));
      expect(policies).toMatch(/"Action":"sns:Publish","Effect":"Allow","Resource":\{"Ref":"DrillTopic[0-9A-F]+"\}/);
      expect(policies).toMatch(/"Action":\["kms:Decrypt","kms:GenerateDataKey\*"\],"Effect":"Allow","Resource":\{"Fn::GetAtt":\["DrillTopicKey[0-9A-F]+","Arn"\]\}/);
    });

    test('a timeout shorter than the waits of the injection and its restore is refused', () => {
      // the FIS experiment's wait is 20 min (5 min of fault + 15), the client's 10 min: 55 min in all
      expect(() => drillOf('fis', { timeout: Duration.minutes(50) })).toThrow(
        'Stack/Drill: `timeout` (50 minutes) is shorter than the drill\'s waits: the injection\'s and the restore\'s (1200 s each), the client\'s (600 s) '
        + 'and 5 minutes for the rest, 3300 s in all: a timed-out execution skips the restore and leaves the fault in place. '
        + 'Raise `timeout`, or lower `injection.timeout` or `measure.maxWait`.');
      expect(() => drillOf('fis', { timeout: Duration.minutes(55) })).not.toThrow();
    });

    test('a dry run waits long enough for a stable recovery run', () => {
      const parts = drillParts();
      dnsDrill(parts, {
        injection: DrillInjection.fisExperiment({ experiment: experiment(parts.stack, parts.lag) }),
        measure: { url: 'https://app.example.com/health', until: MeasureUntil.RECOVERED, stableSamples: 20, interval: Duration.seconds(5) },
      });
      const states: { [name: string]: any } = {};
      forEachState(drillDefinition(parts.stack), (name, state) => states[name] = state);
      expect(states.Plan.Parameters.dryRunMaxWaitMs).toBe(105_000);
    });

    test('cdk-nag (AwsSolutions) finds nothing open on the drills', () => {
      // GIVEN
      const stacks: Stack[] = (['inversion', 'fis', 'runbook'] as Kind[]).map((k) => drillOf(k).stack);
      stacks.forEach((s) => Aspects.of(s).add(new AwsSolutionsChecks()));

      // WHEN
      stacks.forEach((s) => (s.node.root as any).synth());

      // THEN
      const open = stacks.flatMap((s) => s.node.findAll()).filter((c) => !/\/(Failover|FailoverCheck|Lag|Objectives|Vpc|Experiment)(\/|$)/.test(c.node.path)).flatMap((c) => c.node.metadata
        .filter((m) => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
    });
  });
});

import { CONTROL_INVALID, plan, PlanEvent, summarize, SummarizeEvent } from '../../src/drills/drill-control';
import { handler } from '../../src/drills/drill-control.lambda';
import { parseDrillResults } from '../../src/drills/private/drill-summaries';

const PLAN: PlanEvent = {
  action: 'plan',
  startedAt: '2026-11-30T12:00:00.000Z', // a Monday
  blockedWindows: ['Fri:00:00-Fri:23:59'],
  blockedDates: ['2026-12-24'],
  lockSeconds: 2400,
  dryRun: false,
  input: {},
  maxWaitMs: 600_000,
  dryRunMaxWaitMs: 60_000,
};

const SUMMARY: SummarizeEvent = {
  action: 'summarize',
  drill: 'dns',
  path: 'Prod/Web/Dns#failover',
  execution: 'arn:aws:states:us-west-2:111111111111:execution:drill:abc',
  startedAt: '2026-11-30T12:00:00.000Z',
  prefix: 'drills/',
  fault: 'Route 53 health check inversion',
  modeledRtoWorst: 121,
  objectiveRto: 300,
  state: {
    plan: { now: 0, lockExpiresAt: 1, dryRun: false, maxWaitMs: 600_000 },
    injection: { at: '2026-11-30T12:00:01.000Z', started: true },
    observed: {
      measurement: {
        until: 'standby',
        switched: true,
        measuredRtoSeconds: 84.5,
        injectedAt: '2026-11-30T12:00:01.000Z',
        sampledTo: '2026-11-30T12:01:26.000Z',
        failureWindowMs: 60_000,
        failureWindowClosed: true,
      } as any,
    },
  },
};

describe('the drill control function', () => {
  describe('plan', () => {
    test('a free time: the lock holds for the timeout from the start', () => {
      expect(plan(PLAN)).toEqual({ now: 1796040000, lockExpiresAt: 1796042400, dryRun: false, maxWaitMs: 600_000 });
    });

    test('a dry run from the input samples for the dry-run wait only', () => {
      expect(plan({ ...PLAN, input: { dryRun: true } })).toEqual(expect.objectContaining({ dryRun: true, maxWaitMs: 60_000 }));
      expect(plan({ ...PLAN, dryRun: true, input: { dryRun: false } }).dryRun).toBe(false);
      expect(plan({ ...PLAN, dryRun: true }).dryRun).toBe(true);
    });

    test.each([
      ['2026-12-04T10:00:00.000Z', '2026-12-04T10:00:00.000Z is in the blocked window Fri:00:00-Fri:23:59 (UTC): the drill does not start. Start it outside the blocked windows and dates.'],
      ['2026-12-24T10:00:00.000Z', '2026-12-24 is a blocked date: the drill does not start. Start it outside the blocked windows and dates.'],
    ])('%s is blocked', (startedAt, reason) => {
      expect(plan({ ...PLAN, startedAt }).blocked).toBe(reason);
    });

    test.each([
      [{ startedAt: 'yesterday' }, /startedAt must be an ISO 8601 time/],
      [{ lockSeconds: 0 }, /lockSeconds must be a positive integer/],
      [{ input: { dryRun: 'yes' } }, /the execution input's dryRun must be true or false, got "yes"/],
      [{ blockedWindows: 'Fri' }, /blockedWindows and blockedDates must be lists/],
    ])('rejects %j', (change, message) => {
      expect(() => plan({ ...PLAN, ...change } as any)).toThrow(message);
    });
  });

  describe('summarize', () => {
    test('a met objective: a drill results file the next synth reads, and a notification that says so', () => {
      // WHEN
      const s = summarize(SUMMARY);

      // THEN
      expect(s.outcome).toBe('MET');
      expect(s.key).toBe('drills/dns/2026-11-30T12-00-00-000Z-abc.json');
      expect(s.subject).toBe('Drill dns: met');
      expect(s.message).toBe([
        'Drill dns: Route 53 health check inversion, on Prod/Web/Dns#failover.',
        'Outcome: the measured RTO met the objective.',
        'Measured RTO (as a client saw it): 84.5 s.',
        'Modeled worst case: 121 s.',
        'RTO objective: 300 s.',
        'Requests failed for 60 s.',
        'Execution: arn:aws:states:us-west-2:111111111111:execution:drill:abc',
      ].join('\n'));
      expect(parseDrillResults(s.body, 'summary')).toEqual([{
        path: 'Prod/Web/Dns#failover', at: '2026-11-30T12:00:01.000Z', source: SUMMARY.execution, rto: 84.5, rpo: undefined, assumptions: {},
      }]);
    });

    test.each([
      ['MISSED', { observed: { measurement: { ...SUMMARY.state.observed!.measurement, measuredRtoSeconds: 301 } } }, 'Drill dns: missed'],
      ['FAILED', { failure: { Error: 'DrillRunbookFailed', Cause: 'the failover runbook ended FAILED' } }, 'Drill dns: failed'],
      ['RESTORE_FAILED', { restoreFailure: { Error: 'States.TaskFailed', Cause: 'access denied' } }, 'Drill dns: restore failed'],
      ['DRY_RUN', { plan: { ...SUMMARY.state.plan!, dryRun: true } }, 'Drill dns: dry run'],
      ['NOT_MEASURED', { observed: { measurement: { ...SUMMARY.state.observed!.measurement, switched: false, measuredRtoSeconds: undefined, stoppedBy: 'maxWait' } } },
        'Drill dns: not measured'],
    ])('%s', (outcome, change, subject) => {
      const s = summarize({ ...SUMMARY, state: { ...SUMMARY.state, ...change } as any });
      expect([s.outcome, s.subject]).toEqual([outcome, subject]);
      // Only a measured drill that ran is a figure for the report.
      expect(parseDrillResults(s.body, 'summary').length).toBe(['MET', 'MISSED', 'FAILED', 'RESTORE_FAILED'].includes(outcome) ? 1 : 0);
    });

    test('an in-region drill that saw no impact claims no RTO, and says why', () => {
      const s = summarize({
        ...SUMMARY,
        state: {
          ...SUMMARY.state,
          observed: { measurement: { until: 'recovered', switched: false, impactSeen: false, stoppedBy: 'maxWait', injectedAt: '2026-11-30T12:00:01.000Z', sampledTo: '2026-11-30T12:10:01.000Z' } as any },
        },
      });
      expect(s.outcome).toBe('NOT_MEASURED');
      expect(s.message).toContain('The client saw no failed request within 600 s: the fault did not reach clients, so no RTO is claimed.');
    });

    test('a drill stopped before the injection restores nothing, and says so', () => {
      const s = summarize({ ...SUMMARY, state: { plan: SUMMARY.state.plan, injection: { started: false }, failure: { Error: 'DrillPreCheckFailed', Cause: 'lag' } } });
      expect(s.outcome).toBe('FAILED');
      expect(s.message).toContain('Nothing was injected, so nothing was restored.');
    });

    test('a subject is printable ASCII of under 100 characters', () => {
      const s = summarize({ ...SUMMARY, drill: 'd'.repeat(64) + 'é' });
      expect(s.subject.length).toBeLessThan(100);
      expect(s.subject).toMatch(/^[\x20-\x7e]+$/);
    });

    test('rejects an event without its names', () => {
      expect(() => summarize({ ...SUMMARY, path: '' })).toThrow(/path must be a non-empty string/);
    });
  });

  test('the handler dispatches by action and names a malformed event', async () => {
    await expect(handler(PLAN)).resolves.toEqual(expect.objectContaining({ dryRun: false }));
    await expect(handler(SUMMARY)).resolves.toEqual(expect.objectContaining({ outcome: 'MET' }));
    await expect(handler({ action: 'launch' } as any)).rejects.toMatchObject({ name: CONTROL_INVALID, message: 'Invalid drill control event: unknown action "launch".' });
    await expect(handler(undefined as any)).rejects.toMatchObject({ name: CONTROL_INVALID });
  });
});

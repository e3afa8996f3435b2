import * as fs from 'fs';
import * as path from 'path';
import { Duration, Lazy, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { mermaidBlocks, parseMermaid } from './mermaid-parse';
import {
  EndpointRole, FailoverTarget, IRecoveryPathProvider, MeasuredRecovery, ObjectiveEnforcement, PathCost, RecoveryAssumption, RecoveryAssumptions,
  RecoveryEstimate, RecoveryObjectives, RecoveryPath, RecoveryPathKind, RecoveryTermKind,
} from '../../src';
import { readJson, regionalFailover, testApp, testStack } from '../util';

interface QueueProps {
  readonly lagSeconds: number;
  readonly drainSeconds?: number;
  readonly measured?: MeasuredRecovery;
  readonly cost?: PathCost;
}

/** A user's own construct: a queue replicated to another region, drained there on failover. */
class ReplicatedQueue extends Construct implements IRecoveryPathProvider {
  constructor(scope: Construct, id: string, private readonly props: QueueProps) {
    super(scope, id);
  }

  public recoveryPaths(): RecoveryPath[] {
    const endpoints = [
      { label: 'orders queue', role: EndpointRole.PRIMARY, region: 'us-east-1', health: 'queue age alarm' },
      { label: 'orders queue replica', role: EndpointRole.REPLICA, region: 'us-west-2' },
    ];
    const lag = { kind: RecoveryTermKind.REPLICATION_LAG, min: Duration.seconds(0), max: Duration.seconds(this.props.lagSeconds), basis: 'copier lag', remedy: 'copy more often' };
    const paths = [new RecoveryPath({
      id: 'replication',
      kind: RecoveryPathKind.DATA_REPLICATION,
      name: 'orders queue (copy)',
      endpoints,
      estimate: RecoveryEstimate.of([lag]),
    })];
    if (this.props.drainSeconds !== undefined) {
      paths.push(new RecoveryPath({
        id: 'drain',
        kind: RecoveryPathKind.custom('queue-failover', 'queue failover'),
        name: 'orders queue (drain in us-west-2)',
        endpoints,
        estimate: RecoveryEstimate.of([
          { kind: RecoveryTermKind.DECISION, min: Duration.seconds(0), max: Duration.seconds(60), basis: 'on-call', assumption: true, remedy: 'automate it' },
          { id: 'drain', kind: RecoveryTermKind.time('drain', 'drain'), min: Duration.seconds(10), max: Duration.seconds(this.props.drainSeconds), basis: 'consumers start', remedy: 'keep consumers warm' },
          lag,
        ]),
        measured: this.props.measured,
        cost: this.props.cost,
      }));
    }
    return paths;
  }
}

function synthReport(app: ReturnType<typeof testApp>) {
  const dir = app.synth().directory;
  return { json: readJson(path.join(dir, 'failover-report.json')), md: fs.readFileSync(path.join(dir, 'failover-report.md'), 'utf8') };
}

describe('a user construct that declares recovery paths', () => {
  test('appears in both report files and is checked against RecoveryObjectives', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.seconds(30) });
    new ReplicatedQueue(stack, 'Queue', { lagSeconds: 20, drainSeconds: 120, measured: { rto: Duration.seconds(95), source: 'game day 2026-11-30' } });

    // WHEN
    const { json, md } = synthReport(app);

    // THEN
    expect(json.paths.map((p: any) => [p.id, p.kind, p.rto.applicable, p.rto.worstSeconds, p.rpo.worstSeconds, p.rto.met, p.rpo.met])).toEqual([
      ['Stack/Queue#replication', 'data-replication', false, undefined, 20, undefined, true],
      ['Stack/Queue#drain', 'queue-failover', true, 180, 20, true, true],
    ]);
    expect(json.paths[1].measured).toEqual({ rtoSeconds: 95, source: 'game day 2026-11-30', rtoMet: true, rtoWithinModel: true });
    expect(json.paths[1].endpoints.map((e: any) => e.role)).toEqual(['primary', 'replica']);
    expect(md).toContain('| orders queue (copy) | data replication | n/a (data only) | n/a | 20 s | 30 s | - | met |');
    expect(md).toContain('| orders queue (drain in us-west-2) | queue failover | 10 s - 3 min | 5 min | 20 s | 30 s | RTO 1 min 35 s | met |');
    expect(md).toContain('| drain | 10 s | 2 min | consumers start |');
    expect(md).toContain('| **data loss** | | **20 s** | a data path: no recovery time |');
  });

  test('a path\'s idle cost is in both report files, each construct\'s machinery counted once', () => {
    // GIVEN two queues whose drain paths declare their machinery's cost
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.seconds(30) });
    const cost = { monthlyUsd: 18.25, basis: 'one accelerator: 0.025 USD per hour x 730 h' };
    new ReplicatedQueue(stack, 'Queue', { lagSeconds: 20, drainSeconds: 120, cost });
    new ReplicatedQueue(stack, 'Other', { lagSeconds: 20, drainSeconds: 120, cost: { monthlyUsd: 1.5, basis: 'three health checks' } });

    // WHEN
    const { json, md } = synthReport(app);

    // THEN
    expect(json.paths.find((p: any) => p.id === 'Stack/Queue#drain').cost).toEqual({ ...cost, estimate: true });
    expect(json.paths.find((p: any) => p.id === 'Stack/Queue#replication').cost).toBeUndefined();
    expect(md).toContain('- cost while idle: about 18.25 USD a month, an estimate (one accelerator: 0.025 USD per hour x 730 h)');
    expect(md).toContain('Failover machinery while idle: about 19.75 USD a month, an estimate');
  });

  test.each([
    [{ monthlyUsd: -1, basis: 'x' }, /`cost.monthlyUsd` must be a finite number of US dollars, 0 or more, got: -1/],
    [{ monthlyUsd: Number.NaN, basis: 'x' }, /`cost.monthlyUsd` must be a finite number of US dollars, 0 or more, got: null/],
    [{ monthlyUsd: 1, basis: ' ' }, /`cost.basis` must say how the cost is reckoned and from which price/],
  ])('a cost of %j is refused', (cost, message) => {
    const estimate = RecoveryEstimate.of([{ kind: RecoveryTermKind.DECISION, min: Duration.seconds(0), max: Duration.seconds(1), basis: 'b', remedy: 'r' }]);
    expect(() => new RecoveryPath({ id: 'p', kind: RecoveryPathKind.RUNBOOK, name: 'p', estimate, cost })).toThrow(message);
  });

  test('a miss fails synth on the user construct, naming the path, the figure and the fix', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(1), rpo: Duration.seconds(5) });
    new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 20, drainSeconds: 120 });

    expect(() => app.synth()).toThrow(/\[Stack\/Queue\] data replication of orders queue \(copy\): modeled worst-case data loss 20 s exceeds the RPO objective 5 s \(declared at Objectives\)\. Dominant term: replication lag up to 20 s \(copier lag\)\. Fix: copy more often/);
    expect(() => app.synth({ force: true })).toThrow(/\[Stack\/Queue\] queue failover of orders queue \(drain in us-west-2\): modeled worst-case recovery time 3 min exceeds the RTO objective 1 min .* Dominant term: drain up to 2 min \(consumers start\)\. Fix: keep consumers warm/);
  });

  test('a data path is never checked against the RTO', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.seconds(1) });
    new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 3600 });
    const [p] = synthReport(app).json.paths;
    expect([p.rto.applicable, p.rto.met, p.rpo.worstSeconds, p.rpo.met]).toEqual([false, undefined, 3600, undefined]);
  });

  test('with WARN, a miss is an acknowledgeable warning on the user construct', () => {
    const app = testApp();
    const stack = testStack(app);
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(1), rpo: Duration.seconds(5), enforcement: ObjectiveEnforcement.WARN });
    new ReplicatedQueue(stack, 'Queue', { lagSeconds: 20 });

    const { md } = synthReport(app);

    Annotations.fromStack(stack).hasWarning('/Stack/Queue', Match.stringLikeRegexp('modeled worst-case data loss 20 s exceeds the RPO objective 5 s.*cdk-failover:objective-missed'));
    expect(md).toContain('| MISSED (accepted) |');
  });

  test('each path is described once per synthesis', () => {
    // GIVEN
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
    const queue = new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 1 });
    const spy = jest.spyOn(queue, 'recoveryPaths');

    // WHEN
    app.synth();
    app.synth({ force: true });

    // THEN
    expect(spy).toHaveBeenCalledTimes(2);
  });

  test('two paths with one id fail synth, naming the construct and the id', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
    const queue = new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 1 });
    const [p] = queue.recoveryPaths();
    jest.spyOn(queue, 'recoveryPaths').mockReturnValue([p, p]);
    expect(() => app.synth()).toThrow(/Stack\/Queue: declares two recovery paths with id "replication"; give each path of a construct its own id\./);
  });

  test('a nested stage with its own objectives gets its own report', () => {
    const app = testApp();
    const stage = new Stage(app, 'Prod');
    new RecoveryObjectives(stage, 'Objectives', { rto: Duration.minutes(5) });
    new ReplicatedQueue(new Stack(stage, 'Inner'), 'Queue', { lagSeconds: 1 });
    const assembly = app.synth();
    const inner = readJson(path.join(assembly.getNestedAssembly(stage.artifactId).directory, 'failover-report.json'));
    expect(inner.paths.map((p: any) => p.id)).toEqual(['Prod/Inner/Queue#replication']);
  });

  test('the topology draws an endpoint shared by two paths once, with its health check', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
    new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 1, drainSeconds: 30 });
    const diagrams = mermaidBlocks(synthReport(app).md).map(parseMermaid);
    const topology = diagrams.find((d) => d.type === 'flowchart')!;
    if (topology.type !== 'flowchart') {
      throw new Error('no topology');
    }
    expect([...topology.nodes.values()].filter((l) => l === 'orders queue')).toHaveLength(1);
    expect([...topology.subgraphs.keys()]).toEqual(['us-east-1', 'us-west-2']);
    expect(topology.edges.filter((e) => e.label === 'checks')).toHaveLength(1);
    // The data path serves no clients; the failover path does.
    expect(topology.edges.filter((e) => e.from === 'clients').map((e) => e.to)).toEqual(['p1']);
    expect(topology.edges.filter((e) => e.label === 'replica').every((e) => e.dotted)).toBe(true);
  });
});

describe('the timeline', () => {
  test('a gantt per timed path: each term at its worst-case start, solid to its minimum, open to its maximum, the objective as a milestone', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(4) });
    new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 1, drainSeconds: 120 });
    const gantts = mermaidBlocks(synthReport(app).md).map(parseMermaid).filter((d) => d.type === 'gantt');
    expect(gantts).toHaveLength(1);
    const g = gantts[0];
    if (g.type !== 'gantt') {
      throw new Error('no gantt');
    }
    expect(g.tasks.map((t) => [t.section, t.name, t.tags, t.start, t.end])).toEqual([
      ['decision', 'up to 1 min', ['active'], 0, 60_000],
      ['drain', 'at least 10 s', ['done'], 60_000, 70_000],
      ['drain', 'up to 2 min', ['active'], 70_000, 180_000],
      ['objective', 'RTO 4 min', ['milestone'], 240_000, 240_000],
    ]);
  });

  test('a timeline past an hour shows hours on its axis', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(2) });
    new ReplicatedQueue(testStack(app), 'Queue', { lagSeconds: 1, drainSeconds: 120 });
    const md = synthReport(app).md;
    expect(md).toContain('  axisFormat %H:%M:%S');
    expect(md).not.toContain('  axisFormat %M:%S');
  });

  test('parallel branches start together, on lanes of their own', () => {
    // GIVEN
    const app = testApp();
    const term = (kind: RecoveryTermKind, max: number) => ({ kind, min: Duration.seconds(0), max: Duration.seconds(max), basis: 'b', remedy: 'r' });
    class Composed extends Construct implements IRecoveryPathProvider {
      public recoveryPaths() {
        const estimate = RecoveryEstimate.of([term(RecoveryTermKind.DETECTION, 30)])
          .then(RecoveryEstimate.of([term(RecoveryTermKind.SWITCH, 60)]).alongside(RecoveryEstimate.of([term(RecoveryTermKind.PROMOTE, 90)])));
        return [new RecoveryPath({ id: 'region', kind: RecoveryPathKind.REGIONAL_FAILOVER, name: 'app', estimate })];
      }
    }
    new Composed(testStack(app), 'Composed');
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });

    // WHEN
    const { json, md } = synthReport(app);

    // THEN
    expect(json.paths[0].terms.map((t: any) => [t.term, t.startSeconds, t.branch])).toEqual([
      ['detection', 0, undefined], ['switch', 30, '1'], ['promote', 30, '2'],
    ]);
    expect(json.paths[0].composition).toEqual({ series: [{ series: [0] }, { parallel: [{ series: [1] }, { series: [2] }] }] });
    expect(json.paths[0].rto).toMatchObject({ bestSeconds: 0, worstSeconds: 120, dominantTerm: 'promote' });
    expect(md).toContain('| promote (branch 2) | 0 s | 1 min 30 s | b |');
  });
});

describe('RecoveryAssumptions', () => {
  test('a scope replaces a default for every construct below it; a construct\'s own value wins', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryAssumptions(app, 'Assumptions', { values: { clientDnsCache: Duration.seconds(30), healthToDnsAnswer: Duration.seconds(10) } });

    // WHEN
    const scoped = regionalFailover(stack, {}, 'Scoped');
    const own = regionalFailover(stack, { assumptions: { clientDnsCache: Duration.seconds(1) } }, 'Own');

    // THEN
    const cache = (f: typeof scoped) => f.estimate.terms.find((t) => t.kind === RecoveryTermKind.CLIENT_CACHE)!;
    expect([cache(scoped).max.toSeconds(), cache(scoped).assumption, cache(scoped).assumptionId]).toEqual([30, false, 'clientDnsCache']);
    expect(cache(own).max.toSeconds()).toEqual(1);
    expect(scoped.estimate.rtoWorst!.toSeconds()).toEqual(26 + 10 + 60 + 30);
    expect(RecoveryAssumptions.valueFor(stack, RecoveryAssumption.CLIENT_DNS_CACHE).toSeconds()).toEqual(30);
    expect(RecoveryAssumptions.valueFor(stack, RecoveryAssumption.OPERATOR_RESPONSE).toSeconds()).toEqual(600);
  });

  test('unpublishedAliasTtl replaces the assumed TTL of an alias whose TTL AWS does not publish; a target\'s answerTtl wins', () => {
    // GIVEN
    const app = testApp();
    const stack = testStack(app);
    new RecoveryAssumptions(app, 'Assumptions', { values: { unpublishedAliasTtl: Duration.seconds(20) } });

    // WHEN
    const scoped = regionalFailover(stack, {}, 'Scoped');
    const answered = regionalFailover(stack, {
      recordName: 'api',
      primary: FailoverTarget.regionalRecord('us-east-1', { answerTtl: Duration.seconds(10) }),
      secondary: FailoverTarget.regionalRecord('us-west-2', { answerTtl: Duration.seconds(10) }),
    }, 'Answered');

    // THEN
    const ttl = (f: typeof scoped) => f.estimate.terms.find((t) => t.kind === RecoveryTermKind.PROPAGATION)!;
    expect([ttl(scoped).max.toSeconds(), ttl(scoped).assumption]).toEqual([20, false]);
    expect(ttl(scoped).basis).toMatch(/alias to a record: it answers with the TTL of what it finally points at; 20 s as given/);
    expect([ttl(answered).max.toSeconds(), ttl(answered).assumption]).toEqual([10, false]);
  });

  test('the README example: clients that honour the TTL, a measured DNS answer: 18.2 s to 1 min 41 s', () => {
    const app = testApp();
    new RecoveryAssumptions(app, 'Assumptions', { values: { clientDnsCache: Duration.seconds(0) } });
    const failover = regionalFailover(testStack(app), { assumptions: { healthToDnsAnswer: Duration.seconds(15) } });
    expect([failover.estimate.rtoBest!.toMilliseconds(), failover.estimate.rtoWorst!.toSeconds()]).toEqual([18_200, 26 + 15 + 60 + 0]);
    expect(failover.estimate.assumptions).toHaveLength(1); // the alias TTL of the regional record
  });

  test.each([
    ['a Token', { clientDnsCache: Duration.seconds(Lazy.number({ produce: () => 1 })) }, /`values\.clientDnsCache` is a deploy-time Token, but the recovery model needs the figure at synth/],
    ['NaN', { clientDnsCache: Duration.seconds(NaN) }, /`values\.clientDnsCache` must be whole milliseconds of 0 or more, got: NaN\. Give what a drill measured/],
  ])('fails with %s', (_, values, message) => {
    expect(() => new RecoveryAssumptions(testApp(), 'Assumptions', { values })).toThrow(message);
  });

  test('a construct rejects an assumption id it does not use, listing the ones it does', () => {
    expect(() => regionalFailover(testStack(), { assumptions: { clientDnsCach: Duration.seconds(1) } }))
      .toThrow(/`assumptions` sets "clientDnsCach", which this construct does not use; it uses: healthToDnsAnswer, clientDnsCache, targetHealthDetection, unpublishedAliasTtl\./);
  });

  test('well-known assumptions have ids, defaults and reasons; custom ones are validated', () => {
    expect(RecoveryAssumption.wellKnown().map((a) => [a.id, a.defaultValue.toSeconds()])).toEqual([
      ['healthToDnsAnswer', 30], ['clientDnsCache', 5], ['unpublishedAliasTtl', 60], ['alarmToHealthStatus', 60],
      ['targetHealthDetection', 65], ['operatorResponse', 600], ['autoshiftDetection', 600], ['endpointDnsTtl', 5],
      ['s3ReplicationLag', 7200], ['dynamoDbReplicationLag', 10], ['auroraGlobalLag', 10], ['globalDatabaseFailover', 300], ['headlessInstanceCreation', 600],
      ['rdsReplicaLag', 60], ['replicaPromotion', 900], ['backupCopyTime', 14400], ['restoreStartup', 1800],
      ['rdsRestorePerGiB', 20], ['dynamoDbRestorePerGiB', 30], ['ebsRestorePerGiB', 5], ['efsRestorePerGiB', 30], ['s3RestorePerGiB', 10],
      ['routingControlToHealthStatus', 30],
      ['runbookTask', 5], ['serviceDrain', 330], ['ecsScaleOut', 300], ['instanceLaunch', 600], ['approvalWait', 900],
      ['regionSwitchTrigger', 60],
      ['awsHealthSignal', 1800],
      ['acceleratorReroute', 30],
      ['regionProvisioning', 1800],
      ['drsReplicationLag', 30], ['drsRecoveryLaunch', 1200], ['drsInstanceBoot', 300],
    ]);
    expect(RecoveryAssumption.custom('cacheWarmUp', Duration.seconds(20), 'measured once').defaultValue.toSeconds()).toEqual(20);
    expect(() => RecoveryAssumption.custom('clientDnsCache', Duration.seconds(1), 'x')).toThrow(/is a well-known assumption: use RecoveryAssumption\.CLIENT_DNS_CACHE instead/);
    expect(() => RecoveryAssumption.custom('x y', Duration.seconds(NaN), ' ')).toThrow(/`id` must be .*; `defaultValue` must be whole milliseconds of 0 or more, got: NaN; `basis` must say why/);
  });
});

describe('RecoveryPath', () => {
  const estimate = RecoveryEstimate.of([{ kind: RecoveryTermKind.SWITCH, min: Duration.seconds(0), max: Duration.seconds(1), basis: 'b', remedy: 'r' }]);

  test('fails with a bad id, an empty name or label, and a Token measurement, all at once', () => {
    expect(() => new RecoveryPath({
      id: 'has space',
      kind: RecoveryPathKind.RUNBOOK,
      name: ' ',
      endpoints: [{ label: '', role: EndpointRole.STANDBY }],
      estimate,
      measured: { rto: Duration.seconds(Lazy.number({ produce: () => 1 })), source: 'x' },
    })).toThrow(/^RecoveryPath "has space": `id` must be .*; `name` must say what recovers.*; an endpoint with role standby has an empty `label`.*; `measured\.rto` is a deploy-time Token, but a drill measures a figure/);
  });

  test.each([
    ['an Infinity rto', { rto: Duration.seconds(Infinity), source: 'x' }, /`measured\.rto` must be whole milliseconds of 0 or more, got: Infinity/],
    ['a NaN rpo', { rto: Duration.seconds(1), rpo: Duration.seconds(NaN), source: 'x' }, /`measured\.rpo` must be whole milliseconds of 0 or more, got: NaN/],
  ])('fails with %s measured', (_, measured, message) => {
    expect(() => new RecoveryPath({ id: 'p', kind: RecoveryPathKind.RUNBOOK, name: 'n', estimate, measured })).toThrow(message);
  });

  test.each([['Queue'], ['queue failover'], ['']])('RecoveryPathKind.custom rejects the id %j', (id) => {
    expect(() => RecoveryPathKind.custom(id, 'x')).toThrow(/`id` must be 1 to 64 lower-case letters/);
  });
});

describe('strategies compared in the report', () => {
  class Candidate extends Construct implements IRecoveryPathProvider {
    constructor(scope: Construct, id: string, private readonly seconds: number, private readonly usd: number | undefined,
      private readonly strategy?: string) {
      super(scope, id);
    }

    public recoveryPaths() {
      const estimate = RecoveryEstimate.of([
        { kind: RecoveryTermKind.SWITCH, min: Duration.seconds(10), max: Duration.seconds(this.seconds), basis: 'switch', remedy: 'switch faster' },
        { kind: RecoveryTermKind.REPLICATION_LAG, min: Duration.seconds(0), max: Duration.seconds(30), basis: 'lag', remedy: 'replicate faster' },
      ]);
      return [new RecoveryPath({
        id: 'region',
        kind: RecoveryPathKind.REGIONAL_FAILOVER,
        name: `app (${this.node.id})`,
        estimate,
        strategy: this.strategy,
        cost: this.usd === undefined ? undefined : { monthlyUsd: this.usd, basis: `${this.node.id} standby` },
      })];
    }
  }

  test('a table of every path that names its strategy, with its figures, cost and check; left out of the machinery total', () => {
    // GIVEN
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), enforcement: ObjectiveEnforcement.WARN });
    const stack = testStack(app);
    new Candidate(stack, 'Warm', 120, 250.5, 'warm standby');
    new Candidate(stack, 'Cold', 900, 6, 'backup and restore');
    new Candidate(stack, 'Accelerator', 60, 18.25);

    // WHEN
    const { json, md } = synthReport(app);

    // THEN
    expect(json.paths.map((p: any) => p.strategy)).toEqual(['warm standby', 'backup and restore', undefined]);
    const table = md.slice(md.indexOf('## Strategies compared'), md.indexOf('## Topology'));
    expect(table).toContain('| warm standby | app (Warm) | 10 s - 2 min | 30 s | 250.50 USD | met |');
    expect(table).toContain('| backup and restore | app (Cold) | 10 s - 15 min | 30 s | 6.00 USD | MISSED (accepted) |');
    expect(table).not.toContain('Accelerator');
    expect(md).toContain('Failover machinery while idle: about 18.25 USD a month');
  });

  test('no table without a strategy', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1) });
    new Candidate(testStack(app), 'Plain', 60, undefined);
    expect(synthReport(app).md).not.toContain('## Strategies compared');
  });

  test('fails on an empty or overlong strategy name', () => {
    const estimate = RecoveryEstimate.of([{ kind: RecoveryTermKind.SWITCH, min: Duration.seconds(1), max: Duration.seconds(2), basis: 'b', remedy: 'r' }]);
    for (const strategy of [' ', 'x'.repeat(65)]) {
      expect(() => new RecoveryPath({ id: 'p', kind: RecoveryPathKind.REGIONAL_FAILOVER, name: 'n', estimate, strategy }))
        .toThrow(/`strategy` must be 1 to 64 characters, got: .*; name the strategy, e.g. `warm standby`/);
    }
  });
});

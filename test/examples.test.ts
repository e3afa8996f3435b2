import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DrillResults, RecoveryObjectives } from '../src';
import { mermaidBlocks, parseMermaid } from './objectives/mermaid-parse';
import { EAST, WEST, World } from './runbooks/runbook-fixture';
import { checkSdkCalls, forEachState, runLocally, sdkTasks, stateMachineDefinitions, validateAsl } from './support/state-machines';
import { readJson, testApp } from './util';
import { buildExample as buildDnsFailover } from '../examples/dns-failover/stacks';
import { buildDrillsExample } from '../examples/drills/stacks';
import { buildGlobalAcceleratorExample } from '../examples/global-accelerator/stacks';
import { buildMultiAzExample } from '../examples/multi-az/stacks';
import { buildPrivateExample } from '../examples/private-probe/stacks';
import { addReadiness } from '../examples/readiness/readiness';
import { buildReadinessExample } from '../examples/readiness/stacks';
import { buildRegionalDataExample } from '../examples/regional-data/stacks';
import { buildRegionalFailoverExample } from '../examples/regional-failover/stacks';
import { buildStrategiesExample } from '../examples/strategies/stacks';
import { analyse } from '../src/analyze/private/analysis';
import { handler as drillControl } from '../src/drills/drill-control.lambda';
import { ofTerms, totals } from '../src/objectives/model/compose';
import { dnsFailover } from '../src/objectives/model/dns';
import { globalTableReplica } from '../src/objectives/model/dynamodb';
import { databaseFailover } from '../src/objectives/model/rds';
import { endpointDetection } from '../src/objectives/model/route53';
import { s3ReplicationLag } from '../src/objectives/model/s3-replication';

/** Every example app, built into a fresh App the way its app.ts does. */
const EXAMPLES: Array<[string, (app: App) => unknown]> = [
  ['dns-failover', buildDnsFailover],
  ['private-probe', buildPrivateExample],
  ['multi-az', buildMultiAzExample],
  ['regional-data', buildRegionalDataExample],
  ['regional-failover', buildRegionalFailoverExample],
  ['drills', buildDrillsExample],
  ['global-accelerator', buildGlobalAcceleratorExample],
  ['strategies', buildStrategiesExample],
  ['readiness', (app) => {
    buildReadinessExample(app);
    addReadiness(app);
  }],
];

test('every example directory is listed here', () => {
  const dirs = fs.readdirSync(path.join(__dirname, '..', 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory()).map((d) => d.name).sort();
  expect(dirs).toEqual(EXAMPLES.map(([name]) => name).sort());
});

test('the regional-data example reports every data path with its RPO, all met, as the README shows', () => {
  // GIVEN
  const app = testApp();
  buildRegionalDataExample(app);

  // WHEN
  const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

  // THEN
  const rows = report.paths.map((p: any) => [p.kind, p.rto.worstSeconds ?? null, p.rpo.worstSeconds, p.rpo.objectiveSeconds, p.rpo.met]);
  expect(rows).toHaveLength(8);
  expect(rows).toEqual(expect.arrayContaining([
    ['data-replication', null, 900, 900, true], // S3 with RTC, each way
    ['data-replication', null, 10, 900, true], // DynamoDB MREC
    ['backup-restore', 3000, 32400, 43200, true], // every 2 h + 1 h + 2 h windows + 4 h copy; 30 min + 20 GiB x 30 s + 10 min
    ['database-switchover', 910, 0, 900, true],
    ['database-failover', 910, 900, 900, true], // the managed RPO, from the objective
  ]));
  expect(report.paths.filter((p: any) => p.kind === 'data-replication' && p.rpo.worstSeconds === 900)).toHaveLength(2);
  expect(report.paths.every((p: any) => p.rpo.met === true)).toBe(true);
});

test.each([
  ['eu-west-1', 'eu-central-1'],
  ['us-west-2', 'us-east-1'],
])('the regional-data example deploys in order for any pair of regions: primary %s, recovery %s', (primaryRegion, recoveryRegion) => {
  // GIVEN
  const app = testApp({ context: { primaryRegion, recoveryRegion } });

  // WHEN
  const { primary, recovery } = buildRegionalDataExample(app);
  app.synth();

  // THEN: the recovery stack (Aurora secondary, second bucket) deploys after the primary, never the reverse
  expect(recovery.dependencies).toContain(primary);
  expect(primary.dependencies).toEqual([]);
});

test('a variant of the regional-data example that asks for a 5-minute RPO in the primary region fails synth on S3, naming its dominant term', () => {
  // GIVEN
  const app = testApp();
  const { primary } = buildRegionalDataExample(app);

  // WHEN
  new RecoveryObjectives(primary, 'Stricter', { rto: Duration.minutes(30), rpo: Duration.minutes(5) });

  // THEN
  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/orders-documents-111111111111-primary-us-east-1 to orders-documents-111111111111-recovery-us-west-2 \(two-way\): modeled worst-case data loss 15 min exceeds the RPO objective 5 min \(declared at RegionalDataPrimary\/Stricter\)\. Dominant term: replication lag up to 15 min/);
  expect(message).toMatch(/Fix: S3 replication bounds its lag at 15 minutes at best \(RTC\): for a shorter RPO, have the application write to both regions/);
  // The global table (10 s) meets 5 minutes; the backups keep the objectives of their own scope.
  expect(message).not.toMatch(/Carts|Backup/);
});

describe.each(EXAMPLES)('example %s', (_, build) => {
  let app: App;
  let directory: string;

  beforeAll(() => {
    app = testApp();
    build(app);
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    directory = app.synth().directory;
  });

  test('synthesizes with no cdk-nag AwsSolutions errors or warnings left unsuppressed', () => {
    const findings = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
        && (String(m.data).startsWith('AwsSolutions-') || String(m.data).includes('CdkNagValidationFailure')))
      .map((m) => `${c.node.path}: ${m.data}`));
    expect(findings).toEqual([]);
  });

  test('no error annotations at all', () => {
    const errors = app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => `${c.node.path}: ${m.data}`));
    expect(errors).toEqual([]);
  });

  test('the report is deterministic and readable: two synths give the same bytes, no raw Tokens', () => {
    const again = testApp();
    build(again);
    const second = again.synth().directory;
    for (const file of ['failover-report.json', 'failover-report.md']) {
      const first = fs.readFileSync(path.join(directory, file), 'utf8');
      expect(fs.readFileSync(path.join(second, file), 'utf8')).toEqual(first);
      expect(first).not.toContain('${Token[');
    }
  });

  test('every Mermaid diagram of the report parses: one topology, one timeline per path', () => {
    const md = fs.readFileSync(path.join(directory, 'failover-report.md'), 'utf8');
    const report = readJson(path.join(directory, 'failover-report.json'));
    const diagrams = mermaidBlocks(md).map(parseMermaid);
    expect(diagrams.filter((d) => d.type === 'flowchart')).toHaveLength(1);
    expect(diagrams.filter((d) => d.type === 'gantt')).toHaveLength(report.paths.filter((p: any) => p.rto.applicable).length);
  });

  test('writes both report files, with a modeled RTO for every path that moves traffic and an RPO for every data path', () => {
    expect(fs.existsSync(path.join(directory, 'failover-report.md'))).toBe(true);
    const report = readJson(path.join(directory, 'failover-report.json'));
    expect(report.paths.length).toBeGreaterThan(0);
    for (const p of report.paths) {
      expect(p.rto.applicable || p.rpo.applicable).toBe(true);
      if (p.rto.applicable) {
        expect(p.rto.worstSeconds).toBeGreaterThan(0);
      } else {
        expect(p.rpo.worstSeconds).toBeGreaterThanOrEqual(0);
      }
      expect(p.terms.length).toBeGreaterThan(0);
    }
  });

  test('no cross-region references: no stack imports a value', () => {
    for (const file of fs.readdirSync(directory).filter((f) => f.endsWith('.template.json'))) {
      expect(JSON.stringify(readJson(path.join(directory, file)))).not.toContain('Fn::ImportValue');
    }
  });
});

test('the dns-failover example models 18.2 s to 2 min 1 s against an RTO of 3 min', () => {
  const app = testApp();
  const { global } = buildDnsFailover(app);
  expect(global.failover.estimate.rtoBest!.toMilliseconds()).toEqual(18_200);
  expect(global.failover.estimate.rtoWorst!.toSeconds()).toEqual(121);
});

test('the multi-az example reports an in-region path for the service and the database, with their terms', () => {
  // GIVEN
  const app = testApp();
  buildMultiAzExample(app);

  // WHEN
  const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

  // THEN
  const byKind = (kind: string) => report.paths.find((p: any) => p.kindLabel === kind);
  const terms = (p: any) => p.terms.map((t: any) => [t.term, t.minSeconds, t.maxSeconds]);
  expect(terms(byKind('Multi-AZ load balancing'))).toEqual([['detection', 10, 25], ['decision', 0, 0], ['switch', 0, 0]]);
  expect(terms(byKind('zonal autoshift'))).toEqual([
    ['detection', 0, 600], ['decision', 0, 0], ['switch', 0, 0], ['propagation', 0, 60], ['clientCache', 0, 5],
  ]);
  const database = byKind('Multi-AZ database');
  expect(terms(database)).toEqual([['detection', 0, 60], ['decision', 0, 0], ['switch', 0, 0], ['dataLoss', 0, 0]]);
  expect(database.rpo).toMatchObject({ worstSeconds: 0, objectiveSeconds: 0, met: true, applicable: true });
  expect(report.paths.map((p: any) => [p.kindLabel, p.rto.met])).toEqual([
    ['Multi-AZ load balancing', true], ['zonal autoshift', true], ['Multi-AZ database', true],
  ]);
});

describe('the regional-failover example', () => {
  /** A runbook path's terms as [term id, term, min s, max s]. */
  const terms = (p: any) => p.terms.map((t: any) => [t.id, t.term, t.minSeconds, t.maxSeconds]);
  const runbook = (report: any, id: string) => report.paths.find((p: any) => p.id === id);

  test('reports the failover runbook step by step, its RTO (26 min 25 s, the decision dominating) and RPO (the guard\'s 1 min) checked and met', () => {
    // GIVEN
    const app = testApp();
    buildRegionalFailoverExample(app);

    // WHEN
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

    // THEN: the decision that starts it, then each step's terms in the order the steps run
    const failover = runbook(report, 'RegionalFailoverRecovery/Failover#failover');
    expect(terms(failover)).toEqual([
      ['runbook-decision', 'decision', 0, 600],
      ['rpoGuard-rpo-guard', 'rpoGuard', 0, 5],
      ['rpoGuard-guarded-lag', 'replicationLag', 0, 60],
      ['fence-routing-control-off', 'fence', 0, 5],
      ['promote-FailoverGlobalCluster', 'promote', 0, 5],
      ['promote-aurora-global-failover', 'promote', 0, 300],
      ['scale-ecs-update', 'scale', 0, 5],
      ['scale-ecs-scale-out', 'scale', 0, 300],
      ['waitHealthy-target-health', 'waitHealthy', 0, 65],
      ['switch-routing-controls', 'switch', 0, 5],
      ['switch-routing-control-health', 'switch', 0, 30],
      ['switch-dns-answer', 'switch', 0, 30],
      ['switch-resolver-cache', 'propagation', 0, 60],
      ['switch-client-cache', 'clientCache', 0, 5],
      ['verify-http', 'verify', 0, 170],
    ]);
    // Every step of the runbook has its terms in the path.
    for (const step of ['rpoGuard', 'fence', 'promote', 'scale', 'waitHealthy', 'switch', 'verify']) {
      expect(failover.terms.some((t: any) => t.id.startsWith(`${step}-`))).toBe(true);
    }
    expect(failover.rto).toMatchObject({ applicable: true, worstSeconds: 1585, objectiveSeconds: 1800, met: true, dominantTermId: 'runbook-decision' });
    expect(failover.rpo).toMatchObject({ applicable: true, worstSeconds: 60, objectiveSeconds: 60, met: true });
  });

  test('reports the failback runbook: a planned start, a switchover that loses nothing, 11 min 15 s against the RTO', () => {
    // GIVEN
    const app = testApp();
    buildRegionalFailoverExample(app);

    // WHEN
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

    // THEN
    const failback = runbook(report, 'RegionalFailoverPrimary/Failback#failback');
    expect(terms(failback)).toEqual([
      ['runbook-planned-start', 'decision', 0, 0],
      ['rpoGuard-rpo-guard', 'rpoGuard', 0, 5],
      ['rpoGuard-guarded-lag', 'replicationLag', 0, 5],
      ['promote-SwitchoverGlobalCluster', 'promote', 0, 5],
      ['promote-aurora-global-switchover', 'promote', 0, 300],
      ['waitHealthy-target-health', 'waitHealthy', 0, 65],
      ['switch-routing-controls', 'switch', 0, 5],
      ['switch-routing-control-health', 'switch', 0, 30],
      ['switch-dns-answer', 'switch', 0, 30],
      ['switch-resolver-cache', 'propagation', 0, 60],
      ['switch-client-cache', 'clientCache', 0, 5],
      ['verify-http', 'verify', 0, 170],
    ]);
    expect(failback.rto).toMatchObject({ worstSeconds: 675, objectiveSeconds: 1800, met: true, dominantTermId: 'promote-aurora-global-switchover' });
    expect(failback.rpo).toMatchObject({ worstSeconds: 5, objectiveSeconds: 60, met: true });
    // And every other path of the app meets the objectives too.
    expect(report.paths.filter((p: any) => !(p.rto.met ?? true) || !(p.rpo.met ?? true)).map((p: any) => p.id)).toEqual([]);
  });

  test('builds an ARC Region switch plan from the same steps: the blocks there are, the rest left out with a warning, both paths met', () => {
    // GIVEN
    const app = testApp();
    const { routing } = buildRegionalFailoverExample(app);

    // WHEN
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

    // THEN: the failover keeps the promotion, the scale-out and the switch; the failback the switchover and the switch
    const plans = Object.values(Template.fromStack(routing).findResources('AWS::ARCRegionSwitch::Plan')) as any[];
    expect(plans).toHaveLength(1);
    expect(plans[0].Properties.Workflows.map((w: any) => [w.WorkflowTargetRegion, w.Steps.map((st: any) => st.ExecutionBlockType)])).toEqual([
      ['us-west-2', ['AuroraGlobalDatabase', 'ECSServiceScaling', 'ARCRoutingControl']],
      ['us-east-1', ['AuroraGlobalDatabase', 'ARCRoutingControl']],
    ]);
    Annotations.fromStack(routing).hasWarning('/RegionalFailoverRouting/RegionSwitch', Match.stringLikeRegexp('The plan leaves out 4 step\\(s\\) of `failoverSteps`'));
    const failover = runbook(report, 'RegionalFailoverRouting/RegionSwitch#failover');
    const failback = runbook(report, 'RegionalFailoverRouting/RegionSwitch#failback');
    expect([failover.rto.worstSeconds, failover.rpo.worstSeconds, failover.rto.met, failover.rpo.met]).toEqual([1340, 10, true, true]);
    expect([failback.rto.worstSeconds, failback.rpo.worstSeconds, failback.rto.met, failback.rpo.met]).toEqual([435, 0, true, true]);
  });

  test('each runbook\'s state machine is valid ASL and every SDK call matches the service\'s API model', () => {
    // GIVEN
    const app = testApp();
    const { primary, recovery } = buildRegionalFailoverExample(app);

    // WHEN
    const [failover] = stateMachineDefinitions(Template.fromStack(recovery));
    const [failback] = stateMachineDefinitions(Template.fromStack(primary));

    // THEN
    expect(validateAsl(failover.definition)).toEqual([]);
    expect(validateAsl(failback.definition)).toEqual([]);
    const calls = [...sdkTasks(failover.definition), ...sdkTasks(failback.definition)];
    expect(checkSdkCalls(calls)).toEqual([]);
    expect([...new Set(sdkTasks(failover.definition).map((t) => `${t.service}:${t.action}`))].sort()).toEqual([
      'cloudwatch:describeAlarms', 'ecs:describeServices', 'ecs:updateService', 'elasticloadbalancingv2:describeTargetHealth',
      'rds:describeGlobalClusters', 'rds:failoverGlobalCluster', 'ssm:putParameter',
    ]);
    expect(sdkTasks(failback.definition).map((t) => t.action)).toContain('switchoverGlobalCluster');
  });

  test('the Regions meet by name: the runbook calls the cluster, service and parameters by the names the stacks give them', () => {
    // GIVEN
    const app = testApp();
    const { primary, recovery, routing } = buildRegionalFailoverExample(app);

    // WHEN
    const west = Template.fromStack(recovery);
    const [failover] = stateMachineDefinitions(west);
    const calls = sdkTasks(failover.definition);
    const call = (action: string) => calls.find((t) => t.action === action)!.parameters;

    // THEN: the ECS service and the Aurora clusters carry the names the runbooks use
    west.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'orders-us-west-2' });
    west.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'web' });
    expect(call('updateService')).toMatchObject({ Cluster: 'orders-us-west-2', Service: 'web', DesiredCount: 6 });
    west.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders-us-west-2', GlobalClusterIdentifier: 'orders-global' });
    Template.fromStack(primary).hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders-us-east-1' });
    expect(call('failoverGlobalCluster')).toMatchObject({ GlobalClusterIdentifier: 'orders-global', AllowDataLoss: true });
    expect(JSON.stringify(call('failoverGlobalCluster'))).toContain('cluster:orders-us-west-2');
    // The routing controls' configuration parameter, written by the us-west-2 routing stack, is the one the function reads.
    expect(JSON.stringify(failover.definition)).toContain(`"configParameterName":"${routing.controls.configParameterName}"`);
    expect(routing.controls.configParameterName).toEqual('/cdk-failover/arc/orders');
  });

  test('the web service runs its full 6 tasks where the Region is active and 1 where it stands by, read from the active-Region parameter at deploy', () => {
    // GIVEN
    const app = testApp();
    const { recovery, recoveryState } = buildRegionalFailoverExample(app);

    // WHEN
    const west = Template.fromStack(recovery).toJSON();

    // THEN
    const service = Object.values(west.Resources).find((r: any) => r.Type === 'AWS::ECS::Service') as any;
    const [condition, active, standby] = service.Properties.DesiredCount['Fn::If'];
    expect([active, standby]).toEqual([6, 1]);
    expect(west.Conditions[condition]).toEqual({ 'Fn::Equals': [{ Ref: expect.any(String) }, 'us-west-2'] });
    const parameter = west.Conditions[condition]['Fn::Equals'][0].Ref;
    expect(west.Parameters[parameter]).toMatchObject({ Type: 'AWS::SSM::Parameter::Value<String>', Default: recoveryState.activeRegion.parameterName });
  });

  test.each([
    ['eu-west-1', 'eu-central-1'],
    ['us-west-2', 'us-east-1'],
  ])('deploys in order for any pair of Regions: primary %s, recovery %s', (primaryRegion, recoveryRegion) => {
    // GIVEN
    const app = testApp({ context: { primaryRegion, recoveryRegion } });

    // WHEN
    const { primaryState, recoveryState, primary, recovery, routing } = buildRegionalFailoverExample(app);
    app.synth();

    // THEN: each Region's parameter before the stack that reads it, the Aurora primary before the
    // secondary, both regional records before the failover records; the routing stays in us-west-2
    expect(primary.dependencies).toEqual([primaryState]);
    expect(recovery.dependencies).toEqual(expect.arrayContaining([recoveryState, primary]));
    expect(routing.dependencies).toEqual(expect.arrayContaining([primary, recovery]));
    expect(routing.region).toEqual('us-west-2');
    expect([primary.region, recovery.region]).toEqual([primaryRegion, recoveryRegion]);
  });

  describe('a local run of its failover runbook', () => {
    const app = testApp();
    const { recovery } = buildRegionalFailoverExample(app);
    const [{ definition }] = stateMachineDefinitions(Template.fromStack(recovery));
    const tasks: string[] = [];
    forEachState(definition, (name, state) => {
      if (state.Type === 'Task') {
        tasks.push(name);
      }
    });
    /** The simulated world of the runbook tests, with the example's cluster names. */
    const mocks = (world: World, fail?: string) => ({
      ...world.mocks(tasks, fail, 'Injected.Failure'),
      ...fail === 'promote: DescribeGlobalClusters' ? {} : {
        'promote: DescribeGlobalClusters': () => ({
          GlobalClusters: [{
            Status: 'available',
            GlobalClusterMembers: [
              { DBClusterArn: 'arn:aws:rds:us-west-2:111111111111:cluster:orders-us-west-2', IsWriter: true },
              { DBClusterArn: 'arn:aws:rds:us-east-1:111111111111:cluster:orders-us-east-1', IsWriter: false },
            ],
          }],
        }),
      },
    });

    test('fences us-east-1, promotes and scales us-west-2, then sends it the traffic and records it as active', async () => {
      // GIVEN
      const world = new World();

      // WHEN
      const run = await runLocally(definition, { tasks: mocks(world) });

      // THEN
      expect(run.status).toEqual('SUCCEEDED');
      expect(run.trace.filter((s) => s.endsWith(': begin')).map((s) => s.replace(': begin', '')))
        .toEqual(['rpoGuard', 'fence', 'promote', 'scale', 'waitHealthy', 'switch', 'record-active-region', 'verify']);
      expect(world.traffic).toEqual({ [EAST]: 'Off', [WEST]: 'On' });
      expect(world.writable.has(WEST)).toBe(true);
      expect(world.running).toEqual(6);
      expect(world.activeRegion).toEqual(WEST);
      expect(world.breaches).toEqual([]);
    });

    test.each(tasks.filter((t) => !t.startsWith('Record')))(
      'ends Failed with no two writers when "%s" fails', async (failing) => {
        // GIVEN
        const world = new World();

        // WHEN
        const run = await runLocally(definition, { tasks: mocks(world, failing) });

        // THEN
        expect(run.status).toEqual('FAILED');
        expect(run.trace.slice(-2)).toEqual(['Record: failed', 'Failed']);
        expect(world.breaches).toEqual([]);
        // Traffic reaches us-west-2 only through the switch, after the fence and the promotion.
        expect(world.traffic[WEST] === 'On').toBe(world.log.some((t) => t.startsWith('switch:') && !t.endsWith('(failed)')));
      });
  });

  test('a variant that asks for an RTO of 20 minutes fails synth on the failover runbook, naming its dominant term', () => {
    // GIVEN
    const app = testApp();
    const { recovery } = buildRegionalFailoverExample(app);

    // WHEN
    new RecoveryObjectives(recovery, 'Stricter', { rto: Duration.minutes(20), rpo: Duration.minutes(1) });

    // THEN
    expect(() => app.synth()).toThrow(/failover from us-east-1 to us-west-2[^\n]*26 min 25 s exceeds the RTO objective 20 min[^\n]*Dominant term: decision/);
  });
});

describe('the drills example', () => {
  const DNS_PATH = 'DrillsDns/AppFailover#failover';
  const AURORA_PATH = 'DrillsPrimary/Orders#failover';
  const SAMPLE = path.join(__dirname, '..', 'examples', 'drills', 'drill-results.sample.json');

  /** The example synthesized once, with its report. */
  function synthesized() {
    const app = testApp();
    const example = buildDrillsExample(app);
    const directory = app.synth().directory;
    return {
      ...example,
      json: readJson(path.join(directory, 'failover-report.json')),
      md: fs.readFileSync(path.join(directory, 'failover-report.md'), 'utf8'),
    };
  }

  test('the report shows both drilled paths with their modeled worst case, the sample\'s measured RTO and the objective, all met', () => {
    // GIVEN
    const { json } = synthesized();

    // WHEN
    const row = (id: string) => {
      const p = json.paths.find((x: any) => x.id === id);
      return [p.rto.worstSeconds, p.measured.rtoSeconds, p.rto.objectiveSeconds, p.rto.met, p.measured.rtoMet, p.measured.rtoWithinModel];
    };

    // THEN: the DNS failover models 1 min 49 s (the sample's 18 s DNS answer in place of the assumed 30 s), measured 84.5 s;
    // the Aurora failover models 1 min 10 s, measured 41 s; the objective is 15 min
    expect(row(DNS_PATH)).toEqual([109, 84.5, 900, true, true, true]);
    expect(row(AURORA_PATH)).toEqual([70, 41, 900, true, true, true]);
    // Only the drilled paths carry a measurement, and each says it is a sample.
    const measured = json.paths.filter((p: any) => p.measured);
    expect(measured.map((p: any) => p.id).sort()).toEqual([DNS_PATH, AURORA_PATH].sort());
    for (const p of measured) {
      expect(p.measured.source).toMatch(/^sample: illustrative figures, not a real drill/);
    }
  });

  test('the Markdown report puts modeled, measured and objective side by side, and names the sample in each drilled path\'s section', () => {
    // GIVEN
    const { md } = synthesized();

    // THEN: the summary table (its measured cell shows the figure only, not its source)
    expect(md).toContain('| app.example.com (A) | DNS failover | 18.2 s - 1 min 49 s | 15 min | n/a (no data on this path) | 0 s | RTO 1 min 24.5 s on 2026-11-24 (sample) | met |');
    expect(md).toContain('| Orders (Aurora, aurora-postgresql) | Multi-AZ database | 0 s - 1 min 10 s | 15 min | 0 s | 0 s | RTO 41 s on 2026-11-24 (sample) | met |');
    // Each drilled path's section says where the measured figure comes from.
    expect(md).toContain('- measured: RTO 1 min 24.5 s (sample: illustrative figures, not a real drill (DNS health-check inversion) at 2026-11-24T14:05:00Z)');
    expect(md).toContain('- measured: RTO 41 s (sample: illustrative figures, not a real drill (Aurora failover through FIS) at 2026-11-24T15:10:00Z)');
    // The measured DNS answer delay replaced the assumption, and says which drill measured it.
    expect(md).toContain('- measured assumption: healthToDnsAnswer = 18 s (drill sample: illustrative figures, not a real drill (DNS health-check inversion) at 2026-11-24T14:05:00Z)');
    expect(md).toMatch(/\| switch \| 0 s \| 18 s \| health status change to a new DNS answer: up to 18 s [^\n]*\(measured by drill sample: /);
  });

  test('the checked-in sample is a drill results file whose every summary says it is a sample and names a path the app declares', () => {
    // GIVEN
    const sample = readJson(SAMPLE);
    const app = testApp();
    buildDrillsExample(app);

    // WHEN
    app.synth();
    const warnings = app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));

    // THEN
    expect([sample.format, sample.formatVersion]).toEqual([DrillResults.FILE_FORMAT, DrillResults.FILE_FORMAT_VERSION]);
    expect(sample.description).toMatch(/^SAMPLE: /);
    expect(sample.drills.map((d: any) => d.path)).toEqual([DNS_PATH, AURORA_PATH]);
    for (const d of sample.drills) {
      expect(d.source).toMatch(/^sample: illustrative figures, not a real drill/);
    }
    // No summary names a path the app lacks, and no measured figure misses or exceeds the model.
    expect(warnings.filter((w) => /drill-path-unknown|measured-objective-missed|measured-above-model/.test(w))).toEqual([]);
  });

  test('each drill sits where its brief says: the DNS drill with the check it inverts in the recovery Region, the Aurora drill with its experiment in the primary', () => {
    // GIVEN
    const app = testApp();
    const { primary, recovery, dns } = buildDrillsExample(app);

    // WHEN
    const dnsTemplate = Template.fromStack(dns);
    const primaryTemplate = Template.fromStack(primary);

    // THEN
    expect([dns.region, recovery.region, primary.region]).toEqual(['us-west-2', 'us-west-2', 'us-east-1']);
    expect(dns.dependencies).toEqual(expect.arrayContaining([primary, recovery]));
    dnsTemplate.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    dnsTemplate.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ FullyQualifiedDomainName: 'us-east-1.app.example.com', ResourcePath: '/health' }),
    });
    // The game day is there, and off until someone opts in.
    dnsTemplate.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 14 ? * TUE#1 *)', State: 'DISABLED' });
    // The experiment fails the cluster over and stops on the web service's error-rate alarm.
    const experiment = Object.values(primaryTemplate.findResources('AWS::FIS::ExperimentTemplate')) as any[];
    expect(experiment).toHaveLength(1);
    expect(Object.values(experiment[0].Properties.Actions).map((a: any) => a.ActionId)).toEqual(['aws:rds:failover-db-cluster']);
    expect(experiment[0].Properties.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: expect.anything() }]);
    primaryTemplate.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders-us-east-1', StorageEncrypted: true, DeletionProtection: true });
    primaryTemplate.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    // The dashboard in us-west-2 graphs the measured RTO of the drills of both Regions.
    const [dashboard] = Object.values(dnsTemplate.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const widgets = JSON.parse(dashboard.Properties.DashboardBody['Fn::Join'][1].map((x: any) => (typeof x === 'string' ? x : 'us-west-2')).join('')).widgets;
    const [drills] = widgets.filter((w: any) => /^Drills:/.test(w.properties.title));
    const measured = drills.properties.metrics.filter((m: any) => m[0].expression.includes('MetricName="MeasuredRTO"'))
      .map((m: any) => m[0].region ?? drills.properties.region);
    expect(measured.sort()).toEqual(['us-east-1', 'us-west-2']);
  });

  test.each(['primary', 'dns'] as const)('the %s drill\'s state machine may publish to its encrypted topic: sns:Publish and the topic\'s key', (which) => {
    // GIVEN
    const app = testApp();
    const example = buildDrillsExample(app);
    const stack = example[which];

    // WHEN
    const template = Template.fromStack(stack);
    const topic = Object.values(template.findResources('AWS::SNS::Topic'))
      .find((t: any) => t.Properties.DisplayName?.startsWith('Failover drill')) as any;
    const role = stack.getLogicalId(stack.drill.stateMachine.role.node.defaultChild as iam.CfnRole);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === role))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);

    // THEN: SNS refuses a publisher that cannot use the topic's key
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 'sns:Publish' }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: topic.Properties.KmsMasterKeyId }),
    ]));
  });

  test('every drill state machine is valid ASL and every SDK call matches the service\'s API model', () => {
    // GIVEN
    const app = testApp();
    const { primary, dns } = buildDrillsExample(app);

    // WHEN
    const [dnsDrill] = stateMachineDefinitions(Template.fromStack(dns));
    const [auroraDrill] = stateMachineDefinitions(Template.fromStack(primary));

    // THEN
    expect(validateAsl(dnsDrill.definition)).toEqual([]);
    expect(validateAsl(auroraDrill.definition)).toEqual([]);
    expect(checkSdkCalls([...sdkTasks(dnsDrill.definition), ...sdkTasks(auroraDrill.definition)])).toEqual([]);
    const actions = (d: any) => [...new Set(sdkTasks(d).map((t) => `${t.service}:${t.action}`))].sort();
    expect(actions(dnsDrill.definition)).toEqual(['cloudwatch:putMetricData', 'route53:updateHealthCheck', 's3:putObject']);
    expect(actions(auroraDrill.definition)).toEqual([
      'cloudwatch:putMetricData', 'fis:getExperiment', 'fis:listExperiments', 'fis:startExperiment', 'fis:stopExperiment', 's3:putObject',
    ]);
  });

  describe('a local run of the DNS drill', () => {
    const app = testApp();
    const { dns } = buildDrillsExample(app);
    const [{ definition }] = stateMachineDefinitions(Template.fromStack(dns));
    const tasks: string[] = [];
    forEachState(definition, (name, state) => {
      if (state.Type === 'Task') {
        tasks.push(name);
      }
    });

    /**
     * The start the control function plans with: aws-local-stepfunctions sets
     * `$$.Execution.StartTime` to the wall clock, which may fall on a blocked Friday or freeze date.
     */
    const at = (startedAt: string) => (input: any) => drillControl({ ...input, startedAt });
    const MONDAY = '2026-11-30T12:00:00.000Z';

    /** Every Task mocked, each call logged; the control function is the real handler. */
    function mocks(plan: (input: any) => any = at(MONDAY)) {
      const calls: Array<[string, any]> = [];
      const log = (name: string, answer: (input: any) => any) => async (input: any) => {
        calls.push([name, input]);
        return answer(input);
      };
      const answers: { [state: string]: (input: any) => any } = {
        'Plan': plan,
        'Summarize': drillControl,
        'measure: sample': () => ({
          url: 'https://app.example.com/health',
          injectedAt: '2026-11-30T12:00:00.000Z',
          until: 'standby',
          switched: true,
          stoppedBy: 'switch',
          standbyAt: '2026-11-30T12:01:24.500Z',
          measuredRtoSeconds: 84.5,
          sampledTo: '2026-11-30T12:01:24.600Z',
        }),
      };
      const all = Object.fromEntries(tasks.map((t) => [t, log(t, answers[t] ?? (() => ({})))]));
      return { all, calls };
    }

    test('inverts the primary\'s check, measures the recovery Region answering, reverts, writes a summary of the drilled path and releases the lock', async () => {
      // GIVEN
      const { all, calls } = mocks();

      // WHEN
      const run = await runLocally(definition, { tasks: all });

      // THEN
      expect(run.status).toEqual('SUCCEEDED');
      expect(calls.map(([name]) => name)).toEqual([
        'Plan', 'Take the lock', 'inject: Invert health check', 'measure: sample', 'restore: Revert health check',
        'Summarize', 'Publish the modeled RTO', 'Write the summary', 'Notify', 'Release the lock',
      ]);
      const input = (name: string) => calls.find(([n]) => n === name)![1];
      expect(input('inject: Invert health check')).toMatchObject({ Inverted: true });
      expect(input('restore: Revert health check')).toMatchObject({ Inverted: false });
      expect(input('inject: Invert health check').HealthCheckId).toEqual(input('restore: Revert health check').HealthCheckId);
      expect(input('measure: sample')).toMatchObject({
        url: 'https://app.example.com/health',
        standby: { header: { name: 'x-region', value: 'us-west-2' } },
        until: 'standby',
        injectedAt: '2026-11-30T12:00:00.000Z',
        publish: { namespace: 'CdkFailover/Drills', drill: 'orders-dns-failover', path: DNS_PATH },
      });
      // The summary it writes is a drill results file for the path the sample names, met against the objective.
      const summary = input('Write the summary');
      const body = JSON.parse(summary.Body);
      expect([body.format, body.formatVersion]).toEqual([DrillResults.FILE_FORMAT, DrillResults.FILE_FORMAT_VERSION]);
      expect(body.drills).toEqual([{ path: DNS_PATH, at: '2026-11-30T12:00:00.000Z', source: expect.stringContaining(':execution:'), rtoSeconds: 84.5 }]);
      expect(body.drill).toMatchObject({ name: 'orders-dns-failover', outcome: 'MET', modeledRtoWorstSeconds: 109, objectiveRtoSeconds: 900, restored: true });
      expect(summary.Key).toMatch(/^drills\/orders-dns-failover\//);
      expect(readJson(SAMPLE).drills.map((d: any) => d.path)).toContain(body.drills[0].path);
    });

    test('the summary it writes feeds the next synth: named by cdk-failover:drill-results, it replaces the sample in the report', async () => {
      // GIVEN: the summary of a local run, saved as the drill results file
      const { all, calls } = mocks();
      await runLocally(definition, { tasks: all });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drills-example-'));
      const file = path.join(dir, 'results.json');
      fs.writeFileSync(file, calls.find(([n]) => n === 'Write the summary')![1].Body);

      // WHEN
      const next = testApp({ context: { [DrillResults.CONTEXT_KEY]: file } });
      buildDrillsExample(next);
      const report = readJson(path.join(next.synth().directory, 'failover-report.json'));
      fs.rmSync(dir, { recursive: true });

      // THEN: the DNS path shows the drill's figure and execution; the Aurora path, not drilled in this file, none
      const dnsPath = report.paths.find((p: any) => p.id === DNS_PATH);
      expect(dnsPath.measured).toMatchObject({ rtoSeconds: 84.5, source: expect.stringContaining(':execution:'), rtoMet: true });
      expect(report.paths.find((p: any) => p.id === AURORA_PATH).measured).toBeUndefined();
      // Without the sample's measured DNS answer delay, the model goes back to the assumed 30 s.
      expect(dnsPath.rto.worstSeconds).toEqual(121);
    });

    test.each([
      ['a Friday', '2026-12-04T10:00:00.000Z', /Fri/],
      ['a freeze date', '2026-12-24T10:00:00.000Z', /2026-12-24/],
    ])('does not start on %s: nothing injected, no lock taken, the not-started notification sent', async (_, startedAt, why) => {
      // GIVEN: the execution starts at `startedAt`
      const { all, calls } = mocks(at(startedAt));

      // WHEN
      const run = await runLocally(definition, { tasks: all });

      // THEN
      expect(run.status).toEqual('FAILED');
      expect(run.error).toEqual('DrillBlocked');
      expect(run.cause).toMatch(why);
      expect(calls.map(([name]) => name)).toEqual(['Plan', 'Notify: not started']);
    });
  });
});

describe('the global-accelerator example', () => {
  const PATH = 'GlobalAcceleratorPrimary/Accelerator#to-us-west-2';
  const RECOVERY_ARN = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/orders-web-us-west-2/6d0ecf831eec9f09';
  /** A path's terms as [term id, term, min s, max s]. */
  const terms = (p: any) => p.terms.map((t: any) => [t.id, t.term, t.minSeconds, t.maxSeconds]);

  /** The example synthesized once (with the given context), with its report. */
  function synthesized(context: Record<string, string> = {}) {
    const app = testApp({ context });
    const example = buildGlobalAcceleratorExample(app);
    const directory = app.synth().directory;
    return {
      ...example,
      json: readJson(path.join(directory, 'failover-report.json')),
      md: fs.readFileSync(path.join(directory, 'failover-report.md'), 'utf8'),
    };
  }

  test('the report shows the accelerator path: detection from the service\'s target group, decision, reroute, no DNS term; 10 s to 55 s against the 2 min RTO', () => {
    // GIVEN
    const { json } = synthesized();

    // WHEN
    const accelerator = json.paths.find((p: any) => p.id === PATH);
    const service = json.paths.find((p: any) => p.id === 'GlobalAcceleratorPrimary/Web#target-failure');

    // THEN
    expect(accelerator).toMatchObject({ kind: 'global-accelerator', name: 'us-east-1 to us-west-2', objectivesDeclaredAt: 'Objectives', warnings: [] });
    expect(terms(accelerator)).toEqual([
      ['elb-target-health', 'detection', 10, 25], // the target group's 2 failed checks x 10 s + 5 s timeout
      ['accelerator-decision', 'decision', 0, 0],
      ['accelerator-reroute', 'switch', 0, 30], // the acceleratorReroute assumption
    ]);
    expect(accelerator.rto).toMatchObject({ bestSeconds: 10, worstSeconds: 55, objectiveSeconds: 120, met: true, dominantTermId: 'accelerator-reroute' });
    expect(accelerator.rpo.applicable).toBe(false);
    // The detection is the primary service's own target-failure detection: the model read its target group.
    const detection = accelerator.terms[0];
    const serviceDetection = service.terms.find((t: any) => t.term === 'detection');
    expect([detection.minSeconds, detection.maxSeconds]).toEqual([serviceDetection.minSeconds, serviceDetection.maxSeconds]);
    expect(detection.assumption).toBe(false);
    expect(detection.basis).toMatch(/ELB target health of ALB GlobalAcceleratorPrimary\/Web\/LoadBalancer: .*2 failed checks x 10 s interval \+ 5 s timeout/);
    // No DNS term, even with the alias record: the alias is only the first lookup.
    expect(accelerator.terms.map((t: any) => t.term)).not.toEqual(expect.arrayContaining(['propagation']));
    expect(accelerator.terms.map((t: any) => t.term)).not.toEqual(expect.arrayContaining(['clientCache']));
    expect(accelerator.endpoints).toEqual([
      { label: 'ALB GlobalAcceleratorPrimary/Web/LoadBalancer', role: 'primary', region: 'us-east-1', health: 'ELB target health (10 s x 2 + 5 s), traffic dial 100 %' },
      { label: 'ALB orders-web-us-west-2 in us-west-2', role: 'secondary', region: 'us-west-2', health: 'ELB target health (not visible), traffic dial 0 %' },
    ]);
  });

  test('the Markdown report shows the accelerator path\'s worst case and its terms', () => {
    // GIVEN
    const { md } = synthesized();

    // WHEN
    const section = md.split('\n## ').find((s) => s.startsWith('Global Accelerator failover: us-east-1 to us-west-2'))!;

    // THEN
    expect(md).toContain('| us-east-1 to us-west-2 | Global Accelerator failover | 10 s - 55 s | 2 min | n/a (no data on this path) | - | met |');
    expect(section).toContain('| **total** | **10 s** | **55 s** | dominant term: switch |');
    expect(section).toMatch(/\| detection \| 10 s \| 25 s \|/);
    expect(section).toMatch(/\| switch \(assumption\) \| 0 s \| 30 s \|/);
    expect(section).not.toMatch(/propagation|client cache/);
  });

  test('the zonal paths of each Region have their own 15 min objective; only the accelerator path is held to 2 min', () => {
    // GIVEN
    const { json } = synthesized();

    // THEN
    expect(json.paths.map((p: any) => [p.id, p.rto.worstSeconds, p.rto.objectiveSeconds, p.rto.met])).toEqual(expect.arrayContaining([
      ['GlobalAcceleratorPrimary/Web#target-failure', 25, 900, true],
      ['GlobalAcceleratorPrimary/Web#zone-impaired', 665, 900, true],
      ['GlobalAcceleratorRecovery/Web#target-failure', 25, 900, true],
      ['GlobalAcceleratorRecovery/Web#zone-impaired', 665, 900, true],
      [PATH, 55, 120, true],
    ]));
    expect(json.paths).toHaveLength(5);
  });

  test('the accelerator sits in the primary stack: its ALB by reference, the recovery ALB by the placeholder ARN, with a warning to replace it', () => {
    // GIVEN
    const app = testApp();
    const { primary, recovery } = buildGlobalAcceleratorExample(app);

    // WHEN
    const template = Template.fromStack(primary);

    // THEN: dials 100 / 0, the recovery group names a literal ARN
    template.resourceCountIs('AWS::GlobalAccelerator::Accelerator', 1);
    template.hasResourceProperties('AWS::GlobalAccelerator::Accelerator', { Name: 'orders-accelerator' });
    template.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-east-1',
      TrafficDialPercentage: 100,
      EndpointConfigurations: [Match.objectLike({ EndpointId: { Ref: Match.stringLikeRegexp('^WebLoadBalancer') } })],
    });
    template.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-west-2',
      TrafficDialPercentage: 0,
      EndpointConfigurations: [Match.objectLike({ EndpointId: 'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/orders-web-us-west-2/0000000000000000' })],
    });
    Template.fromStack(recovery).resourceCountIs('AWS::GlobalAccelerator::Accelerator', 0);
    // The recovery load balancer has the name the placeholder (and the operator) uses, and its ARN is an output to read.
    Template.fromStack(recovery).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: 'orders-web-us-west-2' });
    Template.fromStack(recovery).hasOutput('LoadBalancerArn', { Value: { Ref: Match.stringLikeRegexp('^WebLoadBalancer') } });
    expect(template.findOutputs('LoadBalancerArn')).toEqual({});
    const warnings = Annotations.fromStack(primary).findWarning('*', Match.stringLikeRegexp('recovery-arn-placeholder'));
    expect(warnings.map((w) => w.id)).toEqual(['/GlobalAcceleratorPrimary/Accelerator']);
    expect(String(warnings[0].entry.data)).toMatch(/Deploy the recovery stack first, then this one with -c recoveryLoadBalancerArn=/);
  });

  test('with the recovery ARN given by context, the accelerator names it and the warning is gone; the Regions meet by that literal only', () => {
    // GIVEN
    const app = testApp({ context: { recoveryLoadBalancerArn: RECOVERY_ARN } });
    const { primary, recovery } = buildGlobalAcceleratorExample(app);

    // WHEN
    const template = Template.fromStack(primary);

    // THEN
    template.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'us-west-2',
      EndpointConfigurations: [Match.objectLike({ EndpointId: RECOVERY_ARN })],
    });
    expect(Annotations.fromStack(primary).findWarning('*', Match.stringLikeRegexp('recovery-arn-placeholder'))).toEqual([]);
    // Deploy order only: the recovery load balancer exists before the accelerator names it; no output is exported.
    expect(primary.dependencies).toEqual([recovery]);
    expect(recovery.dependencies).toEqual([]);
    for (const stack of [primary, recovery]) {
      const outputs = Template.fromStack(stack).toJSON().Outputs ?? {};
      expect(Object.values(outputs).filter((o: any) => o.Export !== undefined)).toEqual([]);
    }
  });

  test('a recovery ARN from context that is not of the recovery Region fails synth with the accelerator\'s message', () => {
    // GIVEN
    const app = testApp({ context: { recoveryLoadBalancerArn: RECOVERY_ARN.replace(':us-west-2:', ':eu-west-1:') } });

    // THEN
    expect(() => buildGlobalAcceleratorExample(app)).toThrow(/`endpoints\[1\]` is given the Region us-west-2, but its ARN is of eu-west-1/);
  });

  test('a prefix that makes a load balancer name longer than ELB allows fails synth, naming the limit', () => {
    // GIVEN
    const app = testApp({ context: { prefix: 'orders-of-the-northern-shops' } });

    // THEN
    expect(() => buildGlobalAcceleratorExample(app)).toThrow(/orders-of-the-northern-shops-web-us-west-2 is longer than the 32 characters ELB allows/);
  });

  test('app.example.com is an alias to the accelerator, left out with -c aliasRecord=false', () => {
    // GIVEN
    const withAlias = testApp();
    const withoutAlias = testApp({ context: { aliasRecord: 'false' } });

    // WHEN
    const on = Template.fromStack(buildGlobalAcceleratorExample(withAlias).primary);
    const off = Template.fromStack(buildGlobalAcceleratorExample(withoutAlias).primary);

    // THEN
    on.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0000000000EXAMPLE',
      AliasTarget: { HostedZoneId: 'Z2BJ6XQ5FK7U4H', DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Accelerator[0-9A-F]{8}$'), 'DnsName'] } },
    });
    expect(Object.values(off.findResources('AWS::Route53::RecordSet')).map((r: any) => r.Properties.Name)).toEqual(['us-east-1.app.example.com.']);
  });

  test('a variant that asks for an RTO of 45 s fails synth on the accelerator path, naming the reroute assumption as its dominant term', () => {
    // GIVEN
    const app = testApp();
    const { primary } = buildGlobalAcceleratorExample(app);

    // WHEN
    new RecoveryObjectives(primary.accelerator, 'Stricter', { rto: Duration.seconds(45) });

    // THEN
    expect(() => app.synth()).toThrow(/us-east-1 to us-west-2: modeled worst-case recovery time 55 s exceeds the RTO objective 45 s[^\n]*Dominant term: switch up to 30 s[^\n]*Fix: measure it with a drill and set `assumptions.acceleratorReroute`/);
  });
});

describe('the strategies example', () => {
  // One synthesis for both tests: the example has 22 stacks.
  let directory: string;
  let templates: string[];

  beforeAll(() => {
    const app = testApp();
    buildStrategiesExample(app);
    const assembly = app.synth();
    directory = assembly.directory;
    templates = assembly.stacks.map((s) => JSON.stringify(s.template));
  });

  test('its report compares the five strategies, each figure computed by the model', () => {
    // WHEN
    const report = readJson(path.join(directory, 'failover-report.json'));
    const md = fs.readFileSync(path.join(directory, 'failover-report.md'), 'utf8');

    // THEN
    const rows = report.paths.filter((p: any) => p.strategy !== undefined)
      .map((p: any) => [p.strategy, p.rto.bestSeconds, p.rto.worstSeconds, p.rpo.worstSeconds, p.cost.monthlyUsd, p.rto.met && p.rpo.met]);
    expect(rows).toEqual([
      ['backup and restore', 1818.2, 6321, 50400, 6, false],
      ['pilot light', 0, 1900, 60, 213.23, false],
      ['warm standby', 0, 1530, 60, 249.27, true],
      ['hot standby', 0, 1530, 60, 511.15, true],
      ['active-active', 18.2, 1245, 60, 510.15, true],
    ]);
    const start = md.indexOf('## Strategies compared');
    const table = md.slice(start, md.indexOf('\n## ', start + 1));
    expect(table).toContain('| warm standby | orders-warmstandby: us-east-1 lost, us-west-2 serves (warm standby) | 0 s - 25 min 30 s | 1 min | 249.27 USD | met |');
    expect(table.split('\n').filter((l) => /^\| (backup|pilot|warm|hot|active)/.test(l))).toHaveLength(5);
  });

  test('no stack refers to another Region\'s: no export is imported anywhere', () => {
    // THEN
    expect(templates).toHaveLength(22);
    expect(templates.filter((t) => t.includes('Fn::ImportValue') || t.includes('Custom::CrossRegionExport') || t.includes('/cdk/exports/'))).toEqual([]);
  });
});

test('the readiness example: the aspect reports what the command finds in the synthesized plain app, at aws-cdk-lib\'s defaults', () => {
  // GIVEN: the plain app with the aspect, synthesized; the command's analysis of its assembly.
  const app = testApp();
  buildReadinessExample(app);
  addReadiness(app);
  const directory = app.synth().directory;
  const report = readJson(path.join(directory, 'failover-report.json'));
  const command = analyse([directory], { rto: 300, rpo: 900 });

  // THEN: the same four paths and figures either way.
  const rows = report.paths.map((p: any) => [
    p.kind, p.rto.bestSeconds ?? null, p.rto.worstSeconds ?? null, p.rpo.worstSeconds ?? null, p.rto.met ?? p.rpo.met,
  ]);
  expect(command.report.paths.map((p) => [p.kind.id, p.totals.rtoMin ?? null, p.totals.rtoMax ?? null, p.totals.rpoMax ?? null,
    p.check.rtoMet ?? p.check.rpoMet])).toEqual(rows);
  // The pair at aws-cdk-lib's defaults: an HTTPS check every 30 s, 3 failures, and the record's 1800 s TTL.
  const defaults = totals(ofTerms(dnsFailover({
    detection: endpointDetection({ interval: 30, failureThreshold: 3, protocol: 'HTTPS' }),
    ttl: { ttl: 1800, source: 'the record TTL', assumed: false, alias: false },
  })));
  // The data paths and the database, from the same model functions as the library's constructs.
  const s3 = totals(ofTerms([s3ReplicationLag({ rtc: false })]));
  const table = totals(ofTerms([globalTableReplica({ consistency: 'eventual', replicaRegion: 'us-west-2' })]));
  const aurora = totals(ofTerms(databaseFailover({ mode: 'aurora', replicas: 0, proxy: false })));
  expect(rows).toEqual([
    ['dns-failover', defaults.rtoMin, defaults.rtoMax, null, false],
    ['data-replication', null, null, s3.rpoMax, false], // S3 without RTC
    ['data-replication', null, null, table.rpoMax, true], // DynamoDB MREC
    ['multi-az-database', aurora.rtoMin, aurora.rtoMax, aurora.rpoMax, false], // Aurora without a replica recreates its writer
  ]);
  // The figures the README prints.
  expect([s3.rpoMax, table.rpoMax, aurora.rtoMax]).toEqual([7200, 10, 610]);
  expect(defaults.rtoMax).toEqual(1931);
  expect(command.met).toBe(false);
});

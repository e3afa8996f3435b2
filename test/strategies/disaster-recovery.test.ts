import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ENGINE, strategyProps, TestWorkload } from './workload';
import { DisasterRecovery, MultiAzService, RecoveryAssumptions, RecoveryEstimate, RecoveryStrategy, RegionRole, ServiceTargets } from '../../src';
import { partEstimates } from '../../src/strategies/private/end-to-end';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (e: RecoveryEstimate | undefined) => e && [seconds(e.rtoBest), seconds(e.rtoWorst), seconds(e.rpoWorst)];

function build(strategy: RecoveryStrategy, overrides = {}): { app: App; dr: DisasterRecovery } {
  const app = testApp();
  const dr = new DisasterRecovery(app, 'Dr', strategyProps(strategy, overrides));
  return { app, dr };
}

/** The parts' estimates, as the strategy composes them. */
function parts(dr: DisasterRecovery) {
  return partEstimates(dr, (dr as any).parts, (dr as any).props);
}

describe('each strategy\'s end-to-end path is the composition of its parts\' paths', () => {
  test('backup and restore: the backup path, the Region\'s deploy, then DNS, one after another', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.backupAndRestore());

    // WHEN
    const path = dr.recoveryPaths()[0];
    const p = parts(dr);

    // THEN
    expect(figures(p.backup)).toEqual([1800, 4400, 50400]); // 30 min start-up; + 10 min decision + 100 GiB x 20 s; hourly + 1 h + 8 h + 4 h copy
    expect(figures(p.provisioning)).toEqual([0, 1800, undefined]);
    expect(figures(p.traffic)).toEqual([18.2, 121, undefined]);
    expect(figures(path.estimate)).toEqual([1800 + 18.2, 4400 + 1800 + 121, 50400]);
    expect(path.strategy).toEqual('backup and restore');
    expect(path.kind.id).toEqual('regional-failover');
  });

  test.each([
    ['pilot light', RecoveryStrategy.pilotLight(), 1900],
    ['warm standby', RecoveryStrategy.warmStandby(), 1530],
    ['hot standby', RecoveryStrategy.hotStandby(), 1530],
  ])('%s: traffic, data and the runbook up to its switch, at the same time', (name, strategy, worst) => {
    // GIVEN
    const { dr } = build(strategy);

    // WHEN
    const path = dr.recoveryPaths()[0];
    const p = parts(dr);

    // THEN
    const branches = [p.traffic, p.data!, p.runbook!];
    expect(seconds(path.estimate.rtoWorst)).toEqual(Math.max(...branches.map((b) => seconds(b.rtoWorst)!)));
    expect(seconds(path.estimate.rtoBest)).toEqual(Math.max(...branches.map((b) => seconds(b.rtoBest)!)));
    expect(seconds(path.estimate.rpoWorst)).toEqual(Math.max(...branches.map((b) => seconds(b.rpoWorst) ?? 0)));
    expect(figures(path.estimate)).toEqual([0, worst, 60]);
    expect(figures(p.traffic)).toEqual([0, 121, undefined]);
    expect(figures(p.data)).toEqual([0, 910, 10]);
    expect(path.strategy).toEqual(name);
  });

  test('warm standby: the scale-out after the switch is not on the way to serving, and the path says when full capacity follows', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.warmStandby());

    // WHEN
    const path = dr.recoveryPaths()[0];
    const runbook = dr.failoverRunbook!.recoveryPaths()[0];

    // THEN
    expect(seconds(runbook.estimate.rtoWorst)).toEqual(1835);
    expect(seconds(path.estimate.rtoWorst)).toEqual(1530);
    expect(path.warnings).toContain('clients are served at the standby\'s capacity once the traffic switch is done; the runbook reaches full capacity '
      + 'up to 30 min 35 s after it starts (5 min 5 s more).');
  });

  test('active-active: the records losing the primary, the data and the promotion, at the same time', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.activeActive());

    // WHEN
    const path = dr.recoveryPaths()[0];
    const p = parts(dr);

    // THEN
    expect(figures(p.traffic)).toEqual([18.2, 121, undefined]);
    expect(figures(p.runbook)).toEqual([0, 1245, 60]);
    expect(figures(path.estimate)).toEqual([18.2, 1245, 60]);
  });

  test('a measured assumption moves the composed figure: regionProvisioning from RecoveryAssumptions', () => {
    // GIVEN
    const app = testApp();
    const scope = new RecoveryAssumptions(app, 'Measured', { values: { regionProvisioning: Duration.minutes(12) } });
    const dr = new DisasterRecovery(scope, 'Dr', strategyProps(RecoveryStrategy.backupAndRestore()));

    // THEN
    expect(seconds(dr.recoveryPaths()[0].estimate.rtoWorst)).toEqual(4400 + 720 + 121);
  });
});

describe('the stacks', () => {
  test('the workload is built once per Region with its role, and the standby runs its capacity until the active Region says otherwise', () => {
    // GIVEN
    const workload = new TestWorkload();
    const { dr } = build(RecoveryStrategy.warmStandby({ standbyCapacity: 2 }), { workload });

    // THEN
    expect(Object.entries(workload.calls).map(([r, c]) => [r, c.role, c.peakCapacity])).toEqual([
      ['us-east-1', RegionRole.PRIMARY, 4], ['us-west-2', RegionRole.STANDBY, 4],
    ]);
    expect([dr.fullCapacity, dr.standbyCapacity]).toEqual([6, 2]);
    Template.fromStack(dr.recoveryStack).hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'orders',
      DesiredCount: { 'Fn::If': [Match.stringLikeRegexp('IsActiveRegion'), 6, 2] },
    });
    Template.fromStack(dr.recoveryStack).hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'orders-us-west-2' });
    Template.fromStack(dr.recoveryStack).hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'orders-us-west-2', GlobalClusterIdentifier: 'orders-global',
    });
    Template.fromStack(dr.recoveryStack).hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-failover' });
    Template.fromStack(dr.primaryStack).hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'orders-failback' });
  });

  test('backup and restore: the recovery Region\'s stack restores the copy given as a parameter, and nothing runs there until then', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.backupAndRestore());

    // THEN
    const recovery = Template.fromStack(dr.recoveryStack);
    recovery.hasParameter('RestoreFrom', { Type: 'String', MinLength: 1 });
    recovery.hasResourceProperties('AWS::RDS::DBCluster', { SnapshotIdentifier: { Ref: 'RestoreFrom' }, MasterUsername: Match.absent() });
    Template.fromStack(dr.primaryStack).hasResourceProperties('AWS::Backup::BackupPlan', Match.objectLike({}));
    expect(dr.standbyCapacity).toEqual(0);
    expect(dr.recoveryPaths()[0].cost!.basis).not.toMatch(/Fargate|Load Balancer|db\./);
  });

  test('active-active: both Regions serve behind latency records with health checks', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.activeActive());

    // THEN
    const global = Template.fromStack(dr.globalStack);
    global.resourceCountIs('AWS::Route53::HealthCheck', 2);
    global.hasResourceProperties('AWS::Route53::RecordSet', { Region: 'us-west-2', HealthCheckId: Match.anyValue() });
    expect(dr.failoverRunbook!.recoveryPaths()[0].name).toContain('rpoGuard, fence, promote');
  });

  test('a stateless workload has no database, no data path, and its runbook only scales and switches', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.pilotLight(), { database: undefined });

    // THEN
    const path = dr.recoveryPaths()[0];
    expect(path.estimate.rpoWorst).toBeUndefined();
    expect(dr.failoverRunbook!.recoveryPaths()[0].name).toContain('(Failover: scale, waitHealthy, switch)');
    expect(path.cost!.basis).not.toMatch(/db\.|across Regions/);
  });
});

describe('the standby cost', () => {
  test('is computed from the standby\'s tasks, database, load balancer and checks, at the prices given', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.warmStandby({ standbyCapacity: 3 }), {
      workload: new TestWorkload({ cpu: 1024, memoryLimitMiB: 2048 }),
      pricing: { fargateVcpuHour: 0.05, fargateGbHour: 0.005, databaseInstanceHour: 0.5, loadBalancerHour: 0.02, replicatedGbPerMonth: 10 },
    });

    // THEN: 3 x (1 x 0.05 + 2 x 0.005) x 730 = 131.40; 0.02 x 730 = 14.60; 0.5 x 730 = 365; 4 checks x 0.5 + 4 features = 6; 10 x 0.02 = 0.20
    const cost = dr.recoveryPaths()[0].cost!;
    expect(cost.monthlyUsd).toEqual(517.2);
    expect(cost.basis).toContain('3 Fargate task(s) of 1 vCPU and 2 GiB');
  });

  test('warns when the database class is not the one the default price is for', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.hotStandby(), {
      database: { engine: ENGINE, instanceType: new ec2.InstanceType('r6g.xlarge') },
    });

    // THEN
    // The warning sits on the strategy, outside any stack.
    expect(dr.node.metadata.map((m) => String(m.data)).join('\n')).toMatch(/prices each database instance at 0.26 USD an hour \(db.r6g.large\), but the database uses db.r6g.xlarge/);
  });
});

describe('validation', () => {
  test.each([
    [{ appName: 'Orders' }, /`appName` must be 1 to 24 lower-case letters.*got: "Orders"/],
    [{ appName: 'orders-' }, /`appName` must be/],
    [{ recoveryRegion: 'us-east-1' }, /`recoveryRegion` must differ from `primaryRegion`, got "us-east-1" for both/],
    [{ primaryRegion: 'east' }, /`primaryRegion` must be a Region name such as us-east-1, got: "east"/],
    [{ peakCapacity: 0 }, /`peakCapacity` must be an integer from 1 to 10000, got: 0/],
    [{ recordName: '' }, /`recordName` must not be empty/],
    [{ healthCheckPath: 'health' }, /`healthCheckPath` must start with \//],
    [{ pricing: { loadBalancerHour: -1 } }, /`pricing.loadBalancerHour` must be a finite number, 0 or more, got: -1/],
  ])('fails on %j', (overrides, message) => {
    expect(() => build(RecoveryStrategy.pilotLight(), overrides)).toThrow(message);
  });

  test('fails with every problem at once, naming the construct path', () => {
    expect(() => build(RecoveryStrategy.pilotLight(), { appName: 'X', peakCapacity: 1.5 })).toThrow(/Dr[\s\S]*`appName`[\s\S]*`peakCapacity`/);
  });

  test('fails when the standby capacity is above the full capacity', () => {
    expect(() => build(RecoveryStrategy.warmStandby({ standbyCapacity: 7 }))).toThrow(
      /`strategy.standbyCapacity` is 7, more than the 6 tasks the service runs when it serves \(its statically stable capacity for `peakCapacity` 4\). Give at most 6./);
  });

  test('fails when maxLag is given to backup and restore', () => {
    expect(() => build(RecoveryStrategy.backupAndRestore(), { database: { engine: ENGINE, maxLag: Duration.minutes(1) } }))
      .toThrow(/`database.maxLag` applies to the strategies that replicate the database/);
  });

  test('fails when the workload returns no database when given a topology', () => {
    const bare = {
      buildRegion: (scope: any, props: any) => {
        const built = new TestWorkload().buildRegion(scope, props);
        return { service: built.service };
      },
    };
    expect(() => build(RecoveryStrategy.pilotLight(), { workload: bare })).toThrow(/was given a `databaseTopology` but returned no `database`/);
  });

  test('fails when the workload runs on an Auto Scaling group: the runbooks take ECS services', () => {
    const instances = {
      buildRegion: (scope: any, context: any) => {
        const vpc = new ec2.Vpc(scope, 'Vpc', { availabilityZones: ['a', 'b', 'c'].map((z) => `${context.region}${z}`) });
        const service = new MultiAzService(scope, 'Web', {
          vpc,
          peakCapacity: context.peakCapacity,
          targets: ServiceTargets.autoScaling({
            machineImage: ec2.MachineImage.latestAmazonLinux2023(),
            instanceType: new ec2.InstanceType('t3.small'),
          }),
          zone: context.zone,
          recordName: context.recordName,
        });
        return { service };
      },
    };
    expect(() => build(RecoveryStrategy.hotStandby(), { workload: instances, database: undefined }))
      .toThrow(/returned a service of an Auto Scaling group: the strategies' runbooks fence, scale and name ECS services/);
  });
});

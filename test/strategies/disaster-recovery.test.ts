import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ENGINE, strategyProps, TestWorkload } from './workload';
import {
  CrossRegionBackup, DisasterRecovery, DnsFailover, MultiAzDatabase, MultiAzService, MultiSiteRecords, RecoveryAssumptions, RecoveryEstimate,
  RecoveryStrategy, RegionRole, ServiceTargets,
} from '../../src';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (e: RecoveryEstimate | undefined) => e && [seconds(e.rtoBest), seconds(e.rtoWorst), seconds(e.rpoWorst)];

function build(strategy: RecoveryStrategy, overrides = {}): { app: App; dr: DisasterRecovery } {
  const app = testApp();
  const dr = new DisasterRecovery(app, 'Dr', strategyProps(strategy, overrides));
  return { app, dr };
}

/**
 * The parts, found in the strategy's constructs independently of how it composes them: the
 * failover records (or multi-site records), the recovery Region's database, the runbook up to its
 * switch, and the backup plan.
 */
function parts(dr: DisasterRecovery) {
  const only = <T>(scope: Construct, type: new (...args: any[]) => T): T | undefined =>
    scope.node.findAll().find((c) => c instanceof type) as T | undefined;
  const dns = only(dr.globalStack, DnsFailover);
  const records = only(dr.globalStack, MultiSiteRecords);
  const database = only(dr.recoveryStack, MultiAzDatabase);
  return {
    traffic: dns?.recoveryPaths()[0].estimate ?? records!.recoveryPaths().find((p) => p.id === 'lose-us-east-1')!.estimate,
    data: database?.recoveryPaths().find((p) => p.id === 'global-failover')?.estimate,
    runbook: dr.failoverRunbook?._servedEstimate(),
    backup: only(dr.primaryStack, CrossRegionBackup)?.recoveryPaths()[0].estimate,
  };
}

describe('each strategy\'s end-to-end path is the composition of its parts\' paths', () => {
  test('backup and restore: the backup path, the Region\'s deploy, then DNS, one after another', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.backupAndRestore());

    // WHEN
    const path = dr.recoveryPaths()[0];
    const p = parts(dr);

    // THEN
    // The backup path: restore start-up 1800 s at best; + 600 s decision + 100 GiB x 20 s/GiB = 4400 s;
    // data: hourly (3600 s) + 1 h start + 8 h completion windows + 4 h copy = 50400 s.
    expect(figures(p.backup)).toEqual([1800, 4400, 50400]);
    // DNS: the restored Region's check passes (2 x 10 s + probe) and Route 53 answers it, then caches expire.
    expect(figures(p.traffic)).toEqual([18.2, 121, undefined]);
    // In series, with the Region's deploy between them (regionProvisioning, 0 to 1800 s).
    expect(figures(path.estimate)).toEqual([1800 + 0 + 18.2, 4400 + 1800 + 121, 50400]);
    expect(path.strategy).toEqual('backup and restore');
    expect(path.kind.id).toEqual('regional-failover');
  });

  // The failover runbook's worst case, term by term: decision 600 + guard 5 + fence 5 + drain 330 +
  // promote 5 + global failover 300 = 1245 s; the pilot light then scales (5 + 300) and waits for
  // healthy targets (65) before the switch; warm and hot switch right away. The switch: write 5 +
  // the probe's read 65 + the alarm 120 + Route 53's answer 30 + resolver cache 60 + client 5 = 285 s.
  test.each([
    ['pilot light', RecoveryStrategy.pilotLight(), 1245 + 370 + 285],
    ['warm standby', RecoveryStrategy.warmStandby(), 1245 + 285],
    ['hot standby', RecoveryStrategy.hotStandby(), 1245 + 285],
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
    // The global failover path: decision 600 + failover 300 + endpoint DNS 5 + client cache 5; lag 10 s.
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
    // Served at the switch (1530 s), full capacity after the scale-out: + 5 + 300 s.
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
    // Guard, fence and promotion only: 1245 s (as above); data: the guard's 60 s.
    expect(figures(p.runbook)).toEqual([0, 1245, 60]);
    const branches = [p.traffic, p.data!, p.runbook!];
    expect(seconds(path.estimate.rtoWorst)).toEqual(Math.max(...branches.map((b) => seconds(b.rtoWorst)!)));
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
    recovery.hasResourceProperties('AWS::RDS::DBCluster', {
      SnapshotIdentifier: { Ref: 'RestoreFrom' },
      MasterUsername: Match.absent(),
      MasterUserPassword: Match.absent(),
      StorageEncrypted: Match.absent(),
      EngineVersion: Match.absent(),
      ManageMasterUserPassword: true,
    });
    const plan = Object.values(Template.fromStack(dr.primaryStack).findResources('AWS::Backup::BackupPlan'))[0] as any;
    const rule = plan.Properties.BackupPlan.BackupPlanRule[0];
    expect(rule.ScheduleExpression).toEqual('cron(0 * * * ? *)');
    expect(JSON.stringify(rule.CopyActions)).toMatch(/backup:us-west-2:.*backup-vault:orders-copies/);
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

    // THEN: 3 x (1 x 0.05 + 2 x 0.005) x 730 = 131.40; 0.02 x 730 = 14.60; 0.5 x 730 = 365;
    // 4 checks x 0.5 + 2 fast intervals x 1 (HTTP: the test's service has no certificate) = 4; 10 x 0.02 = 0.20
    const cost = dr.recoveryPaths()[0].cost!;
    expect(cost.monthlyUsd).toEqual(515.2);
    expect(cost.basis).toContain('3 Fargate task(s) of 1 vCPU and 2 GiB');
  });

  test('warns when the database class is not the one the default price is for', () => {
    // GIVEN
    const { dr } = build(RecoveryStrategy.hotStandby(), {
      database: { engine: ENGINE, instanceType: new ec2.InstanceType('r6g.xlarge') },
    });

    // THEN
    // On the strategy's first stack, where the cdk CLI prints it.
    Annotations.fromStack(dr.globalStack).hasWarning('*',
      Match.stringLikeRegexp('Dr: the standby cost prices each database instance at 0.26 USD an hour \\(db.r6g.large\\), but the database uses db.r6g.xlarge'));
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

  test.each([
    [RecoveryStrategy.warmStandby({ standbyCapacity: 7 }), new RegExp('`strategy.standbyCapacity` is 7, but a warm standby runs 1 to 5 task\\(s\\) while it stands by: .*'
      + '\\(the service runs 6 when it serves, its statically stable capacity for `peakCapacity` 4\\). Give at most 5, or use RecoveryStrategy.hotStandby\\(\\)')],
    [RecoveryStrategy.warmStandby({ standbyCapacity: 0 }), /a warm standby runs 1 to 5 task\(s\).*Give at least 1, or use RecoveryStrategy.pilotLight\(\)/],
    [RecoveryStrategy.hotStandby({ standbyCapacity: 2 }), /a hot standby runs 6 task\(s\) while it stands by: its runbook switches without scaling.*Give at least 6, or use RecoveryStrategy.warmStandby\(\)/],
    [RecoveryStrategy.activeActive({ regionCapacity: 9 }), /`strategy.regionCapacity` is 9, but an active-active runs 1 to 6/],
  ])('fails when the standby capacity is outside the strategy\'s range (%#)', (strategy, message) => {
    expect(() => build(strategy)).toThrow(message);
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

import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { DrsDataPlaneRouting, DrsStagingDiskType, ElasticDisasterRecovery } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const weighted = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 });

const props = fc.record({
  servers: weighted(fc.integer({ min: 1, max: 500 }), fc.constantFrom(0, -1, 1.5, NaN)),
  price: fc.option(weighted(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(-0.01, Infinity, NaN)), { nil: undefined }),
  bandwidth: fc.option(weighted(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(-1, 0.5)), { nil: undefined }),
  retentionDays: fc.option(weighted(fc.integer({ min: 1, max: 365 }), fc.constantFrom(0, 366, 1000)), { nil: undefined }),
  routing: fc.option(weighted(fc.constantFrom(DrsDataPlaneRouting.PRIVATE_IP, DrsDataPlaneRouting.PUBLIC_IP), fc.constant('VPN' as DrsDataPlaneRouting)), { nil: undefined }),
  publicIp: fc.option(fc.boolean(), { nil: undefined }),
  disk: fc.option(fc.constantFrom(...Object.values(DrsStagingDiskType)), { nil: undefined }),
  lag: fc.option(weighted(fc.integer({ min: 0, max: 3600 }).map((s) => Duration.seconds(s)),
    fc.constantFrom(Duration.seconds(NaN), Duration.seconds(Lazy.number({ produce: () => 1 })))), { nil: undefined }),
});

test('random props either synthesize the two templates with private, encrypted defaults and the cost, or fail with our error', () => {
  let ok = 0;
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(testApp(), 'Stack', 'us-west-2');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-1', availabilityZones: ['us-west-2a', 'us-west-2b'], privateSubnetIds: ['subnet-11111111', 'subnet-22222222'],
    });

    // WHEN
    let drs: ElasticDisasterRecovery;
    try {
      drs = new ElasticDisasterRecovery(stack, 'Servers', {
        sourceServerCount: p.servers,
        vpc,
        serverHourPriceUsd: p.price,
        bandwidthThrottlingMbps: p.bandwidth,
        pointInTimeRetention: p.retentionDays === undefined ? undefined : Duration.days(p.retentionDays),
        dataPlaneRouting: p.routing,
        createPublicIp: p.publicIp,
        stagingDiskType: p.disk,
        assumptions: p.lag ? { drsReplicationLag: p.lag } : undefined,
      });
    } catch (e) {
      // THEN a refusal names the construct and a prop
      expect((e as Error).message).toMatch(/^Stack\/Servers: (\d+ problems:\n {2}- )?`(sourceServerCount|serverHourPriceUsd|bandwidthThrottlingMbps|pointInTimeRetention|dataPlaneRouting|assumptions[^`]*)`/);
      return;
    }
    ok++;
    const t = Template.fromStack(stack).toJSON();
    const [rct] = Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::DRS::ReplicationConfigurationTemplate') as any[];
    expect(rct.Properties).toMatchObject({
      StagingAreaSubnetId: 'subnet-11111111',
      EbsEncryption: 'CUSTOM',
      BandwidthThrottling: p.bandwidth ?? 0,
      DataPlaneRouting: p.routing ?? 'PRIVATE_IP',
      CreatePublicIP: p.publicIp ?? false,
      DefaultLargeStagingDiskType: p.disk ?? 'AUTO',
      AssociateDefaultSecurityGroup: false,
    });
    expect(rct.Properties.PitPolicy[2]).toEqual({ RuleID: 3, Units: 'DAY', Interval: 1, RetentionDuration: p.retentionDays ?? 7, Enabled: true });
    expect(drs.monthlyCostUsd).toBeCloseTo((p.price ?? 0.028) * p.servers * 730, 2);
    expect(Object.values(t.Resources).filter((r: any) => r.Type === 'AWS::DRS::LaunchConfigurationTemplate')).toHaveLength(1);
  }), { numRuns: 60 });
  expect(ok).toBeGreaterThan(5);
});

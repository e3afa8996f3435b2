import * as path from 'path';
import { Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  DrsDataPlaneRouting, DrsLaunchDisposition, DrsOsLicensing, DrsRightSizing, DrsStagingDiskType, ElasticDisasterRecovery,
  ElasticDisasterRecoveryProps, RecoveryAssumptions, RecoveryObjectives,
} from '../../src';
import { readJson, testApp, testStack } from '../util';

jest.setTimeout(60_000);

function vpcOf(stack: Stack): ec2.IVpc {
  return (stack.node.tryFindChild('Vpc') as ec2.IVpc | undefined) ?? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
}

function drs(stack: Stack, props: Partial<ElasticDisasterRecoveryProps> = {}): ElasticDisasterRecovery {
  return new ElasticDisasterRecovery(stack, 'Servers', { sourceServerCount: 4, vpc: vpcOf(stack), ...props });
}

describe('ElasticDisasterRecovery', () => {
  describe('the templates', () => {
    test('replicate privately, encrypted with a rotating key of their own, to dedicated servers without public IPs', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      // WHEN
      const d = drs(stack);

      // THEN
      const t = Template.fromStack(stack);
      t.hasResource('AWS::DRS::ReplicationConfigurationTemplate', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          StagingAreaSubnetId: { Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') },
          AssociateDefaultSecurityGroup: false,
          ReplicationServersSecurityGroupsIDs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ServersSecurityGroup'), 'GroupId'] }],
          ReplicationServerInstanceType: 't3.small',
          UseDedicatedReplicationServer: true,
          DefaultLargeStagingDiskType: 'AUTO',
          EbsEncryption: 'CUSTOM',
          EbsEncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ServersKey'), 'Arn'] },
          BandwidthThrottling: 0,
          DataPlaneRouting: 'PRIVATE_IP',
          CreatePublicIP: false,
          StagingAreaTags: { 'cdk-failover:drs': 'Stack/Servers' },
          PitPolicy: [
            { RuleID: 1, Units: 'MINUTE', Interval: 10, RetentionDuration: 60, Enabled: true },
            { RuleID: 2, Units: 'HOUR', Interval: 1, RetentionDuration: 24, Enabled: true },
            { RuleID: 3, Units: 'DAY', Interval: 1, RetentionDuration: 7, Enabled: true },
          ],
          AutoReplicateNewDisks: true,
        },
      });
      t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
      t.hasResource('AWS::DRS::LaunchConfigurationTemplate', {
        DeletionPolicy: 'Retain',
        Properties: {
          LaunchDisposition: 'STARTED',
          TargetInstanceTypeRightSizingMethod: 'BASIC',
          Licensing: { OsByol: false },
          CopyPrivateIp: false,
          CopyTags: true,
          LaunchIntoSourceInstance: false,
          PostLaunchEnabled: false,
        },
      });
      expect(d.node.defaultChild).toBe(d.replicationTemplate);
      expect(stack.resolve(d.replicationTemplateId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(d.replicationTemplate), 'ReplicationConfigurationTemplateID'] });
      expect(stack.resolve(d.launchTemplateId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(d.launchTemplate), 'LaunchConfigurationTemplateID'] });
    });

    test('the security group takes the agents on TCP 1500 from the peers allowed through connections, and nothing else', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const d = drs(stack);

      // WHEN
      d.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.1.0.0/16'), 'the source servers');

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'DRS replication servers of Stack/Servers: agents send on TCP 1500',
        SecurityGroupIngress: [{ CidrIp: '10.1.0.0/16', FromPort: 1500, ToPort: 1500, IpProtocol: 'tcp', Description: 'the source servers' }],
      });
    });

    test('every setting given is passed through', () => {
      // GIVEN
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const vpc = vpcOf(stack);
      const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
      const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });

      // WHEN
      drs(stack, {
        stagingSubnet: vpc.privateSubnets[1],
        securityGroups: [sg],
        encryptionKey: key,
        replicationServerInstanceType: ec2.InstanceType.of(ec2.InstanceClass.M5, ec2.InstanceSize.LARGE),
        useDedicatedReplicationServer: false,
        stagingDiskType: DrsStagingDiskType.GP3,
        bandwidthThrottlingMbps: 100,
        dataPlaneRouting: DrsDataPlaneRouting.PUBLIC_IP,
        createPublicIp: true,
        pointInTimeRetention: Duration.days(30),
        stagingAreaTags: { team: 'orders' },
        autoReplicateNewDisks: false,
        launchDisposition: DrsLaunchDisposition.STOPPED,
        rightSizing: DrsRightSizing.IN_AWS,
        osLicensing: DrsOsLicensing.BRING_YOUR_OWN,
        copyPrivateIp: true,
        copyTags: false,
      });

      // THEN
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::DRS::ReplicationConfigurationTemplate', Match.objectLike({
        StagingAreaSubnetId: { Ref: Match.stringLikeRegexp('VpcPrivateSubnet2') },
        ReplicationServersSecurityGroupsIDs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }],
        EbsEncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] },
        ReplicationServerInstanceType: 'm5.large',
        UseDedicatedReplicationServer: false,
        DefaultLargeStagingDiskType: 'GP3',
        BandwidthThrottling: 100,
        DataPlaneRouting: 'PUBLIC_IP',
        CreatePublicIP: true,
        StagingAreaTags: { team: 'orders' },
        PitPolicy: Match.arrayWith([{ RuleID: 3, Units: 'DAY', Interval: 1, RetentionDuration: 30, Enabled: true }]),
        AutoReplicateNewDisks: false,
      }));
      t.hasResourceProperties('AWS::DRS::LaunchConfigurationTemplate', Match.objectLike({
        LaunchDisposition: 'STOPPED', TargetInstanceTypeRightSizingMethod: 'IN_AWS', Licensing: { OsByol: true }, CopyPrivateIp: true, CopyTags: false,
      }));
      t.resourceCountIs('AWS::KMS::Key', 1);
    });

    test('an isolated VPC stages in its first isolated subnet', () => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });

      drs(stack, { vpc });

      Template.fromStack(stack).hasResourceProperties('AWS::DRS::ReplicationConfigurationTemplate', Match.objectLike({
        StagingAreaSubnetId: { Ref: Match.stringLikeRegexp('VpcisoSubnet1') },
      }));
    });

    test('cdk-nag (AwsSolutions) finds nothing open on the construct', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      drs(stack);
      Aspects.of(stack).add(new AwsSolutionsChecks());

      // WHEN
      app.synth();

      // THEN
      const open = stack.node.findAll().filter((c) => !/\/Vpc(\/|$)/.test(c.node.path)).flatMap((c) => c.node.metadata
        .filter((m) => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
    });
  });

  describe('the recovery path in the report', () => {
    test('data: the replication lag; time: decision, launch, boot; and the idle cost, an estimate', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.minutes(1) });

      // WHEN
      drs(stack);
      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;

      // THEN
      expect(p).toMatchObject({
        id: 'Stack/Servers#server-recovery',
        kind: 'server-recovery',
        name: '4 source servers recovered in us-west-2 (Servers)',
        endpoints: [
          { label: 'source servers (DRS agent)', role: 'primary' },
          { label: 'Servers (staging area)', role: 'replica', region: 'us-west-2' },
          { label: 'Servers (recovery instances)', role: 'standby', region: 'us-west-2' },
        ],
        rto: { applicable: true, worstSeconds: 2100, objectiveSeconds: 3600, met: true, dominantTerm: 'restore', dominantTermId: 'drs-recovery-launch' },
        rpo: { applicable: true, worstSeconds: 30, objectiveSeconds: 60, met: true },
        cost: {
          monthlyUsd: 81.76,
          estimate: true,
          basis: 'an estimate: 0.028 USD per source server-hour (about, us-east-1; a secondary source: docs/aws-facts.md#pricing) x 4 source servers x 730 h; '
            + 'the staging area (replication servers, EBS volumes and snapshots) and drill or recovery instances are billed by EC2 and EBS and not counted',
        },
      });
      expect(p.terms.map((t: any) => [t.id, t.term, t.maxSeconds, t.assumptionId])).toEqual([
        ['drs-replication-lag', 'replicationLag', 30, 'drsReplicationLag'],
        ['drs-recovery-decision', 'decision', 600, 'operatorResponse'],
        ['drs-recovery-launch', 'restore', 1200, 'drsRecoveryLaunch'],
        ['drs-instance-boot', 'restore', 300, 'drsInstanceBoot'],
      ]);
      expect(p.warnings).toEqual([
        expect.stringMatching(/^Clients must reach the recovery instances/),
        expect.stringMatching(/^The detection of the source servers' failure is not modeled/),
      ]);
    });

    test('assumptions of the construct, then of the scope, replace the defaults; a given price replaces the library\'s', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryAssumptions(stack, 'Assumptions', { values: { drsInstanceBoot: Duration.minutes(2), drsReplicationLag: Duration.minutes(9) } });

      // WHEN
      drs(stack, {
        sourceServerCount: 1,
        serverHourPriceUsd: 0.03,
        assumptions: { drsReplicationLag: Duration.seconds(5), drsRecoveryLaunch: Duration.minutes(10), operatorResponse: Duration.minutes(1) },
      });
      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;

      // THEN 60 + 600 + 120
      expect([p.rpo.worstSeconds, p.rto.worstSeconds]).toEqual([5, 780]);
      expect(p.cost.monthlyUsd).toBe(21.9);
      expect(p.cost.basis).toMatch(/^an estimate: 0\.03 USD per source server-hour \(given\) x 1 source server x 730 h; /);
    });

    test('in an environment-agnostic stack the path names no region', () => {
      const app = testApp();
      const stack = new Stack(app, 'Stack');

      drs(stack, { sourceServerCount: 1 });
      const [p] = readJson(path.join(app.synth().directory, 'failover-report.json')).paths;

      expect(p.name).toBe('1 source server recovered in this stack\'s region (Servers)');
      expect(p.endpoints.map((e: any) => e.region)).toEqual([undefined, undefined, undefined]);
    });

    test('fails synth when the replication lag misses the RPO, naming the dominant term and the fix', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.hours(1), rpo: Duration.seconds(10) });

      drs(stack);

      expect(() => app.synth()).toThrow(new RegExp(
        'Stack/Servers\\] server recovery \\(DRS\\) of 4 source servers recovered in us-west-2 \\(Servers\\): '
        + 'modeled worst-case data loss 30 s exceeds the RPO objective 10 s \\(declared at Objectives\\)\\. '
        + 'Dominant term: replication lag up to 30 s \\(DRS replicates the disks\' blocks continuously.*'
        + 'Fix: watch the source servers\' replication lag'));
    });

    test('fails synth when the recovery misses the RTO, naming the launch', () => {
      const app = testApp();
      const stack = testStack(app, 'Stack', 'us-west-2');
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30) });

      drs(stack);

      expect(() => app.synth()).toThrow(/modeled worst-case recovery time 35 min exceeds the RTO objective 30 min .* Dominant term: restore up to 20 min \(DRS converts/);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<ElasticDisasterRecoveryProps>, RegExp]>([
      ['no servers', { sourceServerCount: 0 }, /^Stack\/Servers: `sourceServerCount` must be a whole number of source servers, 1 or more, got: 0\. Give how many/],
      ['a fraction of a server', { sourceServerCount: 1.5 }, /`sourceServerCount` must be a whole number of source servers, 1 or more, got: 1\.5\./],
      ['a deploy-time server count', { sourceServerCount: Lazy.number({ produce: () => 2 }) }, /`sourceServerCount` is a deploy-time Token, but the cost estimate needs it at synth/],
      ['a negative price', { serverHourPriceUsd: -1 }, /`serverHourPriceUsd` must be a finite number of US dollars, 0 or more, got: -1\. Give your region's price/],
      ['a deploy-time price', { serverHourPriceUsd: Lazy.number({ produce: () => 1 }) }, /`serverHourPriceUsd` is a deploy-time Token, but the cost estimate needs it at synth/],
      ['an infinite price', { serverHourPriceUsd: Infinity }, /`serverHourPriceUsd` must be a finite number of US dollars, 0 or more, got: Infinity/],
      ['a fractional bandwidth', { bandwidthThrottlingMbps: 1.5 }, /`bandwidthThrottlingMbps` must be whole Mbps, 0 \(no limit\) or more, got: 1\.5\./],
      ['a negative bandwidth', { bandwidthThrottlingMbps: -10 }, /`bandwidthThrottlingMbps` must be whole Mbps, 0 \(no limit\) or more, got: -10\./],
      ['a retention of 0 days', { pointInTimeRetention: Duration.days(0) }, /`pointInTimeRetention` must be whole days from 1 to 365, got: 0 days\. Give e\.g\. Duration\.days\(7\)\./],
      ['a retention over a year', { pointInTimeRetention: Duration.days(366) }, /`pointInTimeRetention` must be whole days from 1 to 365, got: 366 days/],
      ['a retention in hours', { pointInTimeRetention: Duration.hours(36) }, /`pointInTimeRetention` must be whole days from 1 to 365, got: 1 day 12 hours/],
      ['a deploy-time retention in hours', { pointInTimeRetention: Duration.hours(Lazy.number({ produce: () => 48 })) },
        /`pointInTimeRetention` is only known at deploy time, so it must be given in days, the unit of the DRS rule: Duration\.days\(parameter\.valueAsNumber\)\./],
      ['an instance type that is a string', { replicationServerInstanceType: 't3.small' as any },
        /`replicationServerInstanceType` must be an ec2\.InstanceType, got: "t3\.small"\. Give e\.g\. ec2\.InstanceType\.of/],
      ['an unknown routing', { dataPlaneRouting: 'VPN' as DrsDataPlaneRouting }, /`dataPlaneRouting` must be one of PRIVATE_IP, PUBLIC_IP, got: "VPN"\. Use the enum's members\./],
      ['an unknown disk type', { stagingDiskType: 'IO2' as DrsStagingDiskType }, /`stagingDiskType` must be one of AUTO, GP2, GP3, ST1, got: "IO2"/],
      ['an unknown disposition', { launchDisposition: 'RUNNING' as DrsLaunchDisposition }, /`launchDisposition` must be one of STARTED, STOPPED, got: "RUNNING"/],
      ['an unknown right-sizing', { rightSizing: 'MAX' as DrsRightSizing }, /`rightSizing` must be one of NONE, BASIC, IN_AWS, got: "MAX"/],
      ['an unknown licensing', { osLicensing: 'BYOL' as DrsOsLicensing }, /`osLicensing` must be one of LICENSE_INCLUDED, BRING_YOUR_OWN, got: "BYOL"/],
      ['a flag that is no boolean', { copyTags: 'yes' as any }, /`copyTags` must be true or false, got: "yes"\./],
      ['public routing without a public IP', { dataPlaneRouting: DrsDataPlaneRouting.PUBLIC_IP, createPublicIp: false },
        /`dataPlaneRouting` is PUBLIC_IP but `createPublicIp` is false: the source servers could not reach the replication servers\. Set `createPublicIp: true`/],
      ['no security group', { securityGroups: [] }, /`securityGroups` must list 1 to 5 security groups, got: \[\]\. Omit it for a new group\./],
      ['a tag key of AWS', { stagingAreaTags: { 'aws:x': 'y' } }, /`stagingAreaTags` has the key "aws:x": a tag key must be 1 to 128 characters, not starting with `aws:`\./],
      ['a long tag value', { stagingAreaTags: { k: 'v'.repeat(257) } }, /`stagingAreaTags` sets "k" to "v{77}\.\.\.": a tag value must be a string of at most 256 characters\./],
      ['an assumption the path does not use', { assumptions: { rdsReplicaLag: Duration.seconds(1) } },
        /`assumptions` sets "rdsReplicaLag", which this construct does not use; it uses: drsReplicationLag, operatorResponse, drsRecoveryLaunch, drsInstanceBoot/],
      ['an assumption that is no duration', { assumptions: { drsRecoveryLaunch: 5 as any } }, /`assumptions\.drsRecoveryLaunch` must be a Duration/],
    ])('fails with %s', (_title, props, message) => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      expect(() => drs(stack, props)).toThrow(message);
    });

    test('fails with a VPC without private subnets', () => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] });

      expect(() => drs(stack, { vpc })).toThrow(/^Stack\/Servers: `stagingSubnet` is not given and the VPC Stack\/Vpc has no private subnet: replication servers never get a public subnet by default\./);
    });

    test('fails with a key of another region, and lists every problem', () => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555');

      expect(() => drs(stack, { encryptionKey: key, sourceServerCount: 0 })).toThrow(
        /^Stack\/Servers: 2 problems:\n {2}- `sourceServerCount` must be[^\n]*\n {2}- `encryptionKey` is Stack\/Key, imported from us-east-1/);
    });

    test('a deploy-time bandwidth and a retention in days are passed through unjudged', () => {
      const stack = testStack(testApp(), 'Stack', 'us-west-2');

      drs(stack, {
        bandwidthThrottlingMbps: Lazy.number({ produce: () => 5 }),
        pointInTimeRetention: Duration.days(Lazy.number({ produce: () => 14 })),
      });

      Template.fromStack(stack).hasResourceProperties('AWS::DRS::ReplicationConfigurationTemplate', Match.objectLike({
        BandwidthThrottling: 5, PitPolicy: Match.arrayWith([Match.objectLike({ RuleID: 3, RetentionDuration: 14 })]),
      }));
    });
  });
});

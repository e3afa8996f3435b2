import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  DrsDataPlaneRouting, DrsLaunchDisposition, DrsOsLicensing, DrsRightSizing, DrsStagingDiskType, ElasticDisasterRecoveryProps,
} from './elastic-disaster-recovery-props';
import { defaultStagingSubnet, retentionDays, validateDrsProps } from './private/drs-validation';
import { RecoveryAssumption } from '../objectives/assumptions';
import { RecoveryEstimate } from '../objectives/estimate';
import { DRS_SERVER_HOUR_USD, drsMonthlyCost, drsRecovery } from '../objectives/model/drs';
import { EndpointRole, IRecoveryPathProvider, RecoveryPath, RecoveryPathKind } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { givenAssumption } from '../private/assumptions';
import { Problems } from '../private/errors';
import { checkSameRegion, knownRegion } from '../private/region';

/** The port the replication agents send data to (docs/aws-facts.md#fis-and-drs). */
const REPLICATION_PORT = 1500;
/** DRS's own default replication server type. */
const DEFAULT_REPLICATION_SERVER = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL);

/**
 * AWS Elastic Disaster Recovery (DRS) for servers that cannot be rebuilt from code: the
 * replication configuration template of the staging area in this stack's region and the launch
 * configuration template of recovery instances (`AWS::DRS::ReplicationConfigurationTemplate` and
 * `AWS::DRS::LaunchConfigurationTemplate`; aws-cdk-lib 2.256.1 has no L1 for them). The source
 * servers join by installing the DRS agent, which CloudFormation does not do: DRS then
 * replicates their disks' blocks continuously, and a recovery (or a drill,
 * `DrillInjection.drsRecovery`) launches recovery instances from the latest point in time.
 *
 * Safe by default: staging disks and snapshots are encrypted with a customer managed KMS key
 * (rotation on, retained), data travels over private IP addresses, replication servers get no
 * public IP and are dedicated to one source server, point-in-time snapshots are kept 7 days,
 * and recovery instances start with the source's tags. DRS must be initialized in the region
 * once (the console does it) before the templates deploy.
 *
 * The replication servers accept the agents on TCP 1500: allow the source servers through
 * `connections`. The failover report shows the recovery path with its assumptions
 * (`drsReplicationLag`, `operatorResponse`, `drsRecoveryLaunch`, `drsInstanceBoot`) and the idle
 * cost of DRS's per source server-hour fee, an estimate.
 *
 * @exampleMetadata fixture=drs
 * @example
 * const drs = new ElasticDisasterRecovery(west, 'Servers', {
 *   sourceServerCount: 4,
 *   vpc: westVpc,
 * });
 * drs.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'), 'the source servers');
 */
export class ElasticDisasterRecovery extends Construct implements IRecoveryPathProvider, ec2.IConnectable {
  /** The replication configuration template (`AWS::DRS::ReplicationConfigurationTemplate`). */
  public readonly replicationTemplate: CfnResource;
  /** The launch configuration template (`AWS::DRS::LaunchConfigurationTemplate`). */
  public readonly launchTemplate: CfnResource;
  /** The key that encrypts the staging disks and snapshots. */
  public readonly encryptionKey: kms.IKey;
  /** The subnet of the replication servers. */
  public readonly stagingSubnet: ec2.ISubnet;
  /** The replication servers' security groups; the default port is TCP 1500, where the agents send data. */
  public readonly connections: ec2.Connections;
  /** The ID of the replication configuration template. */
  public readonly replicationTemplateId: string;
  /** The ID of the launch configuration template. */
  public readonly launchTemplateId: string;
  /** What DRS's per source server-hour fee costs a month, in USD: an estimate. */
  public readonly monthlyCostUsd: number;
  /** How `monthlyCostUsd` is reckoned, with its price and source. */
  public readonly monthlyCostBasis: string;

  constructor(scope: Construct, id: string, private readonly props: ElasticDisasterRecoveryProps) {
    super(scope, id);
    const problems = new Problems(this);
    validateDrsProps(problems, props);
    checkSameRegion(problems, this, 'encryptionKey', props.encryptionKey,
      'Give a key of this region: EBS volumes are encrypted only with a key of their own region.', true);
    problems.throwIfAny();

    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the DRS staging disks and snapshots of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stagingSubnet = props.stagingSubnet ?? defaultStagingSubnet(props.vpc)!;
    const securityGroups = props.securityGroups ?? [new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `DRS replication servers of ${this.node.path}: agents send on TCP ${REPLICATION_PORT}`,
      allowAllOutbound: true,
    })];
    this.connections = new ec2.Connections({ securityGroups, defaultPort: ec2.Port.tcp(REPLICATION_PORT) });

    // Property names follow the CloudFormation schema of AWS::DRS::ReplicationConfigurationTemplate (docs/aws-facts.md#fis-and-drs).
    this.replicationTemplate = new CfnResource(this, 'Resource', {
      type: 'AWS::DRS::ReplicationConfigurationTemplate',
      properties: {
        StagingAreaSubnetId: this.stagingSubnet.subnetId,
        AssociateDefaultSecurityGroup: false,
        ReplicationServersSecurityGroupsIDs: securityGroups.map((g) => g.securityGroupId),
        ReplicationServerInstanceType: (props.replicationServerInstanceType ?? DEFAULT_REPLICATION_SERVER).toString(),
        UseDedicatedReplicationServer: props.useDedicatedReplicationServer ?? true,
        DefaultLargeStagingDiskType: props.stagingDiskType ?? DrsStagingDiskType.AUTO,
        EbsEncryption: 'CUSTOM',
        EbsEncryptionKeyArn: this.encryptionKey.keyArn,
        BandwidthThrottling: props.bandwidthThrottlingMbps ?? 0,
        DataPlaneRouting: props.dataPlaneRouting ?? DrsDataPlaneRouting.PRIVATE_IP,
        CreatePublicIP: props.createPublicIp ?? false,
        StagingAreaTags: props.stagingAreaTags ?? { 'cdk-failover:drs': this.node.path },
        // DRS fixes the first two rules; only the daily rule's retention may change.
        PitPolicy: [
          { RuleID: 1, Units: 'MINUTE', Interval: 10, RetentionDuration: 60, Enabled: true },
          { RuleID: 2, Units: 'HOUR', Interval: 1, RetentionDuration: 24, Enabled: true },
          { RuleID: 3, Units: 'DAY', Interval: 1, RetentionDuration: retentionDays(props.pointInTimeRetention), Enabled: true },
        ],
        AutoReplicateNewDisks: props.autoReplicateNewDisks ?? true,
      },
    });
    // Replacing the template would leave the replicating servers on settings CloudFormation no longer holds.
    this.replicationTemplate.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.launchTemplate = new CfnResource(this, 'LaunchTemplate', {
      type: 'AWS::DRS::LaunchConfigurationTemplate',
      properties: {
        LaunchDisposition: props.launchDisposition ?? DrsLaunchDisposition.STARTED,
        TargetInstanceTypeRightSizingMethod: props.rightSizing ?? DrsRightSizing.BASIC,
        Licensing: { OsByol: (props.osLicensing ?? DrsOsLicensing.LICENSE_INCLUDED) === DrsOsLicensing.BRING_YOUR_OWN },
        CopyPrivateIp: props.copyPrivateIp ?? false,
        CopyTags: props.copyTags ?? true,
        LaunchIntoSourceInstance: false,
        PostLaunchEnabled: false,
      },
    });
    this.launchTemplate.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.replicationTemplateId = this.replicationTemplate.getAtt('ReplicationConfigurationTemplateID').toString();
    this.launchTemplateId = this.launchTemplate.getAtt('LaunchConfigurationTemplateID').toString();

    const cost = drsMonthlyCost({
      sourceServers: props.sourceServerCount,
      serverHourUsd: props.serverHourPriceUsd ?? DRS_SERVER_HOUR_USD,
      priceGiven: props.serverHourPriceUsd !== undefined,
    });
    this.monthlyCostUsd = cost.monthlyUsd;
    this.monthlyCostBasis = cost.basis;
    FailoverReport.of(this);
  }

  /** The recovery of the source servers in this region. */
  public recoveryPaths(): RecoveryPath[] {
    // An environment-agnostic stack knows its region only at deploy time: the texts then say so.
    const region = knownRegion(this);
    const here = region ?? 'this stack\'s region';
    const given = (a: RecoveryAssumption) => givenAssumption(this, this.props.assumptions, a);
    const servers = this.props.sourceServerCount;
    const terms = drsRecovery({
      recoveryRegion: here,
      sourceServers: servers,
      replicationLag: given(RecoveryAssumption.DRS_REPLICATION_LAG),
      operatorResponse: given(RecoveryAssumption.OPERATOR_RESPONSE),
      recoveryLaunch: given(RecoveryAssumption.DRS_RECOVERY_LAUNCH),
      instanceBoot: given(RecoveryAssumption.DRS_INSTANCE_BOOT),
    });
    return [new RecoveryPath({
      id: 'server-recovery',
      kind: RecoveryPathKind.SERVER_RECOVERY,
      name: `${servers} source server${servers === 1 ? '' : 's'} recovered in ${here} (${this.node.id})`,
      endpoints: [
        { label: 'source servers (DRS agent)', role: EndpointRole.PRIMARY },
        { label: `${this.node.id} (staging area)`, role: EndpointRole.REPLICA, region },
        { label: `${this.node.id} (recovery instances)`, role: EndpointRole.STANDBY, region },
      ],
      estimate: RecoveryEstimate._fromModel(terms),
      warnings: [
        'Clients must reach the recovery instances: their addresses differ from the sources\' unless `copyPrivateIp` is set; '
        + 'switching clients (DNS, load balancer targets) is not modeled on this path.',
        'The detection of the source servers\' failure is not modeled on this path: add your health check\'s detection time.',
      ],
      cost: { monthlyUsd: this.monthlyCostUsd, basis: this.monthlyCostBasis },
    })];
  }
}

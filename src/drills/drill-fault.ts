import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import {
  AuroraClusterFailoverOptions, AzConnectivityLossOptions, ConnectivityScope, DynamoDbReplicationPauseOptions, RdsInstanceRebootOptions,
  S3ReplicationPauseOptions,
} from './drill-fault-options';
import { BoundFault, MAX_EXPERIMENT_SECONDS, MAX_TARGET_ARNS } from './private/fault-binding';
import { Problems } from '../private/errors';
import { checkSameRegion, isRegionName } from '../private/region';
import { checkDuration, show, truncate, unresolved } from '../private/validate';

/** FIS acts on resources of its own region (docs/aws-facts.md#fis-and-drs). */
const SAME_REGION = 'FIS acts on the resources of the experiment\'s region: define the experiment in a stack of the target\'s region.';

/** The parts of a fault the factories decide. */
interface FaultSpec {
  readonly description: string;
  readonly actionId: string;
  readonly targetKey: string;
  readonly targetResourceType: string;
  readonly parameters: { [name: string]: string };
  readonly duration?: Duration;
  readonly bind: (scope: IConstruct, problems: Problems, prop: string) => BoundFault | undefined;
}

/**
 * A fault a drill injects with AWS FIS: one FIS action, its target and its parameters, each as
 * the FIS actions reference documents them (docs/aws-facts.md#fis-and-drs). Pass faults to
 * `FisExperiment`.
 *
 * Zonal autoshift practice (`aws:arc:start-zonal-autoshift`) is not offered: the action could not
 * be confirmed in AWS's documentation.
 */
export class DrillFault {
  /**
   * Fails over an Aurora cluster: the writer moves to a reader (`aws:rds:failover-db-cluster`,
   * target type `aws:rds:cluster`, no parameters). The fault is instant; recovery is what the
   * drill measures.
   */
  public static auroraClusterFailover(options: AuroraClusterFailoverOptions): DrillFault {
    return new DrillFault({
      description: 'Aurora cluster failover',
      actionId: 'aws:rds:failover-db-cluster',
      targetKey: 'Clusters',
      targetResourceType: 'aws:rds:cluster',
      parameters: {},
      bind: (scope, problems, prop) => {
        checkSameRegion(problems, scope, `${prop}.cluster`, options.cluster, SAME_REGION, true);
        const arn = oneOf(problems, prop, 'cluster', options.cluster?.clusterArn, 'clusterIdentifier', options.clusterIdentifier,
          (id) => rdsArn(scope, 'cluster', id));
        return rdsTarget(arn, 'rds:FailoverDBCluster', 'rds:DescribeDBClusters');
      },
    });
  }

  /**
   * Reboots an RDS DB instance, with a failover to its standby when `forceFailover` is set
   * (`aws:rds:reboot-db-instances`, target type `aws:rds:db`). The fault is instant.
   */
  public static rdsInstanceReboot(options: RdsInstanceRebootOptions): DrillFault {
    return new DrillFault({
      description: options.forceFailover ? 'RDS instance reboot with failover' : 'RDS instance reboot',
      actionId: 'aws:rds:reboot-db-instances',
      targetKey: 'DBInstances',
      targetResourceType: 'aws:rds:db',
      parameters: { forceFailover: options.forceFailover ? 'true' : 'false' },
      bind: (scope, problems, prop) => {
        checkSameRegion(problems, scope, `${prop}.instance`, options.instance, SAME_REGION, true);
        const arn = oneOf(problems, prop, 'instance', options.instance?.instanceArn, 'instanceIdentifier', options.instanceIdentifier,
          (id) => rdsArn(scope, 'db', id));
        return rdsTarget(arn, 'rds:RebootDBInstance', 'rds:DescribeDBInstances');
      },
    });
  }

  /**
   * Cuts the subnets of one Availability Zone off (`aws:network:disrupt-connectivity` on
   * `aws:ec2:subnet` targets): FIS swaps their network ACLs for deny-all ones it creates, and
   * restores the originals when `duration` ends or the experiment stops.
   */
  public static azConnectivityLoss(options: AzConnectivityLossOptions): DrillFault {
    const scope = options.scope ?? ConnectivityScope.ALL;
    return new DrillFault({
      description: `loss of connectivity (${scope}) of ${options.availabilityZone}`,
      actionId: 'aws:network:disrupt-connectivity',
      targetKey: 'Subnets',
      targetResourceType: 'aws:ec2:subnet',
      parameters: { duration: isoDuration(options.duration), scope },
      duration: options.duration,
      bind: (construct, problems, prop) => {
        checkFaultDuration(problems, `${prop}.duration`, options.duration);
        checkSameRegion(problems, construct, `${prop}.vpc`, options.vpc, SAME_REGION, true);
        const az = options.availabilityZone;
        if (typeof az !== 'string' || (!unresolved(az) && !/^[a-z0-9-]+$/.test(az))) {
          problems.add(`\`${prop}.availabilityZone\` must be an Availability Zone name such as "us-east-1a", got: ${show(az)}.`);
          return undefined;
        }
        if (!Object.values(ConnectivityScope).includes(scope)) {
          problems.add(`\`${prop}.scope\` must be one of ${Object.values(ConnectivityScope).join(', ')}, got: ${show(scope)}. Use a \`ConnectivityScope\` member.`);
        }
        const zones = options.vpc.availabilityZones;
        if (!unresolved(az) && zones.every((z) => !Token.isUnresolved(z)) && !zones.includes(az)) {
          problems.add(`\`${prop}.availabilityZone\` must be one of the VPC's zones (${zones.join(', ')}), got: ${show(az)}.`);
          return undefined;
        }
        let subnets: ec2.ISubnet[];
        try {
          subnets = options.subnets === undefined
            ? [...options.vpc.publicSubnets, ...options.vpc.privateSubnets, ...options.vpc.isolatedSubnets].filter((s) => s.availabilityZone === az)
            : options.vpc.selectSubnets({ ...options.subnets, availabilityZones: [az] }).subnets;
        } catch (e) {
          problems.add(`\`${prop}.subnets\` selects nothing in the VPC: ${(e as Error).message}`);
          return undefined;
        }
        if (subnets.length === 0) {
          problems.add(`\`${prop}.subnets\` selects no subnet of the VPC in ${az}. Select subnets that exist in that zone, or pick another zone.`);
          return undefined;
        }
        if (subnets.length > MAX_TARGET_ARNS) {
          problems.add(`\`${prop}.subnets\` selects ${subnets.length} subnets in ${az}; FIS disrupts at most ${MAX_TARGET_ARNS} per action. `
            + 'Narrow `subnets` (e.g. by subnet group), or add one fault per group of subnets.');
          return undefined;
        }
        const stack = Stack.of(construct);
        const subnetArns = subnets.map((s) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: s.subnetId }));
        const vpcArn = stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: options.vpc.vpcId });
        // FIS creates the deny-all ACLs during the experiment, so their IDs cannot be known: the
        // statements on `network-acl/*` are held to the ACLs FIS tags `managedByFIS=true` where
        // the action allows it (the managed policy AWSFaultInjectionSimulatorNetworkAccess).
        const anyAcl = stack.formatArn({ service: 'ec2', resource: 'network-acl', resourceName: '*' });
        const fisManaged = { 'aws:RequestTag/managedByFIS': 'true' };
        return {
          resourceArns: subnetArns,
          filters: [{ path: 'AvailabilityZone', values: [az] }],
          statements: [
            new iam.PolicyStatement({ actions: ['ec2:CreateNetworkAcl'], resources: [anyAcl], conditions: { StringEquals: fisManaged } }),
            new iam.PolicyStatement({ actions: ['ec2:CreateNetworkAcl'], resources: [vpcArn] }),
            new iam.PolicyStatement({
              actions: ['ec2:CreateTags'],
              resources: [anyAcl],
              conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', ...fisManaged } },
            }),
            new iam.PolicyStatement({
              actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
              resources: [anyAcl],
              conditions: { StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } },
            }),
            // Swapping back needs the subnets' original ACLs too, whatever their IDs.
            new iam.PolicyStatement({ actions: ['ec2:ReplaceNetworkAclAssociation'], resources: [...subnetArns, anyAcl] }),
            // Describe and Get calls of EC2 take no resource-level permissions.
            new iam.PolicyStatement({
              actions: ['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:GetManagedPrefixListEntries'],
              resources: ['*'],
            }),
          ],
          nag: [{
            id: 'AwsSolutions-IAM5',
            reason: 'aws:network:disrupt-connectivity creates its network ACLs during the experiment (held to the managedByFIS tag), '
              + 'swaps back to the subnets\' original ACLs, and EC2 Describe calls take no resource-level permissions.',
            applies_to: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:ec2:.*:network-acl\\/\\*$/g' }],
          }],
        };
      },
    });
  }

  /**
   * Pauses the replication of an S3 bucket to its destinations in one region
   * (`aws:s3:bucket-pause-replication`, target type `aws:s3:bucket`), for an RPO drill: objects
   * written meanwhile reach the destination only after the pause.
   */
  public static s3ReplicationPause(options: S3ReplicationPauseOptions): DrillFault {
    const parameters: { [name: string]: string } = { duration: isoDuration(options.duration), region: options.region };
    if (options.destinationBuckets !== undefined && options.destinationBuckets.length > 0) {
      parameters.destinationBuckets = options.destinationBuckets.map((b) => b.bucketName).join(',');
    }
    if (options.prefixes !== undefined && options.prefixes.length > 0) {
      parameters.prefixes = options.prefixes.join(',');
    }
    return new DrillFault({
      description: `pause of S3 replication to ${options.region}`,
      actionId: 'aws:s3:bucket-pause-replication',
      targetKey: 'Buckets',
      targetResourceType: 'aws:s3:bucket',
      parameters,
      duration: options.duration,
      bind: (construct, problems, prop) => {
        checkFaultDuration(problems, `${prop}.duration`, options.duration);
        checkSameRegion(problems, construct, `${prop}.bucket`, options.bucket, SAME_REGION, true);
        if (typeof options.region !== 'string' || (!unresolved(options.region) && !isRegionName(options.region))) {
          problems.add(`\`${prop}.region\` must be a region name such as "us-west-2", got: ${show(options.region)}.`);
        }
        for (const [i, p] of (options.prefixes ?? []).entries()) {
          if (!unresolved(p) && (p.length === 0 || p.includes(','))) {
            problems.add(`\`${prop}.prefixes[${i}]\` must be a non-empty key prefix without commas (FIS takes them comma-separated), got: ${show(truncate(p))}.`);
          }
        }
        const arn = options.bucket.bucketArn;
        return {
          resourceArns: [arn],
          filters: [],
          statements: [
            new iam.PolicyStatement({
              actions: ['s3:GetReplicationConfiguration', 's3:PutReplicationConfiguration', 's3:PauseReplication', 's3:ListBucket'],
              resources: [arn],
            }),
            // FIS lists the account's buckets to resolve the target; ListAllMyBuckets takes no resource.
            new iam.PolicyStatement({ actions: ['s3:ListAllMyBuckets'], resources: ['*'] }),
          ],
          nag: [{
            id: 'AwsSolutions-IAM5',
            reason: 'aws:s3:bucket-pause-replication needs s3:ListAllMyBuckets, which takes no resource-level permissions.',
            applies_to: ['Resource::*'],
          }],
        };
      },
    });
  }

  /**
   * Pauses the replication of a DynamoDB global table from and to its replica in the
   * experiment's region (`aws:dynamodb:global-table-pause-replication`, target type
   * `aws:dynamodb:global-table`), for an RPO drill. FIS pauses it with a resource policy on the
   * replica that it removes afterwards.
   */
  public static dynamoDbReplicationPause(options: DynamoDbReplicationPauseOptions): DrillFault {
    return new DrillFault({
      description: 'pause of DynamoDB global table replication',
      actionId: 'aws:dynamodb:global-table-pause-replication',
      targetKey: 'Tables',
      targetResourceType: 'aws:dynamodb:global-table',
      parameters: { duration: isoDuration(options.duration) },
      duration: options.duration,
      bind: (construct, problems, prop) => {
        checkFaultDuration(problems, `${prop}.duration`, options.duration);
        checkSameRegion(problems, construct, `${prop}.table`, options.table, SAME_REGION, true);
        const arn = options.table.tableArn;
        return {
          resourceArns: [arn],
          filters: [],
          statements: [
            new iam.PolicyStatement({
              actions: ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
              resources: [arn],
            }),
          ],
          nag: [],
        };
      },
    });
  }

  /** What the fault does, in words, for the template's description and reports. */
  public readonly description: string;

  /** The FIS action id, e.g. `aws:rds:failover-db-cluster`. */
  public readonly actionId: string;

  /** The name the FIS action gives its target, e.g. `Clusters`. */
  public readonly targetKey: string;

  /** The FIS resource type of the target, e.g. `aws:rds:cluster`. */
  public readonly targetResourceType: string;

  /** The action's parameters as FIS takes them (durations in ISO 8601, e.g. `PT5M`). */
  public readonly parameters: { [name: string]: string };

  /**
   * How long the fault lasts, or undefined for an instant fault (a failover or a reboot), whose
   * effect lasts as long as the recovery the drill measures.
   *
   * @default - none: an instant fault
   */
  public readonly duration?: Duration;

  private readonly bindTo: FaultSpec['bind'];

  private constructor(spec: FaultSpec) {
    this.description = spec.description;
    this.actionId = spec.actionId;
    this.targetKey = spec.targetKey;
    this.targetResourceType = spec.targetResourceType;
    this.parameters = spec.parameters;
    this.duration = spec.duration;
    this.bindTo = spec.bind;
  }

  /**
   * The targets and permissions of the fault in `scope`'s stack; problems go to `problems`,
   * named under `prop`. Undefined when a problem leaves no target.
   *
   * @internal
   */
  public _bind(scope: IConstruct, problems: Problems, prop: string): BoundFault | undefined {
    return this.bindTo(scope, problems, prop);
  }
}

/** A Duration as FIS takes it (ISO 8601); what a bad value shows is left to the validation. */
function isoDuration(d: Duration): string {
  if (!(d instanceof Duration) || d.isUnresolved()) {
    return String(d);
  }
  try {
    return d.toIsoString();
  } catch {
    return show(d);
  }
}

function checkFaultDuration(problems: Problems, prop: string, d: Duration): void {
  if (d === undefined) {
    problems.add(`\`${prop}\` is required. Give how long the fault lasts, e.g. Duration.minutes(5).`);
    return;
  }
  checkDuration(problems, prop, d, {
    unit: 'seconds',
    min: 0,
    aboveMin: true,
    max: MAX_EXPERIMENT_SECONDS,
    literal: 'the experiment\'s length (at most 12 hours) is checked at synth',
    fix: 'FIS runs an experiment for at most 12 hours.',
  });
}

/** The ARN from exactly one of a construct's ARN and an identifier; a problem otherwise. */
function oneOf(problems: Problems, prop: string, objectProp: string, objectArn: string | undefined,
  idProp: string, id: string | undefined, arnOf: (id: string) => string): string | undefined {
  if ((objectArn === undefined) === (id === undefined)) {
    problems.add(`\`${prop}\` must give exactly one of \`${objectProp}\` and \`${idProp}\`, got ${objectArn === undefined ? 'neither' : 'both'}.`);
    return undefined;
  }
  if (objectArn !== undefined) {
    return objectArn;
  }
  if (typeof id !== 'string' || (!unresolved(id) && !/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/.test(id)) || (!unresolved(id) && id.endsWith('-'))) {
    problems.add(`\`${prop}.${idProp}\` must be an RDS identifier (1 to 63 letters, digits or single hyphens, starting with a letter, `
      + `not ending in a hyphen), got: ${show(id)}.`);
    return undefined;
  }
  return arnOf(id);
}

/** An RDS fault's target: the one resource, the action FIS takes on it and the read it follows it with; undefined when a problem left no ARN. */
function rdsTarget(arn: string | undefined, action: string, describe: string): BoundFault | undefined {
  if (arn === undefined) {
    return undefined;
  }
  return {
    resourceArns: [arn],
    filters: [],
    statements: [
      new iam.PolicyStatement({ actions: [action], resources: [arn] }),
      new iam.PolicyStatement({ actions: [describe], resources: [arn] }),
    ],
    nag: [],
  };
}

function rdsArn(scope: IConstruct, resource: 'cluster' | 'db', id: string): string {
  return Stack.of(scope).formatArn({ service: 'rds', resource, resourceName: id, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

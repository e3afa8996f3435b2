/**
 * Checks of the props of `CrossRegionBackup` and `BackupCopyVault` that need no construct state:
 * names, regions, windows, lifecycles and what a selected resource is
 * (docs/aws-facts.md#aws-backup).
 */
import { Arn, ArnFormat, CfnResource, Duration, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { BackupServiceName } from '../../objectives/model/backup';
import { Problems } from '../../private/errors';
import { isRegionName, partitionOf } from '../../private/region';
import { checkDuration, checkLiteral, show, unresolved } from '../../private/validate';

const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;

/** A vault name: literal (the other region addresses the vault by it) and within AWS Backup's pattern. */
export function checkVaultName(problems: Problems, prop: string, name: string): void {
  checkLiteral(problems, prop, name, 'the other region addresses the vault by its name, which must be known at synth');
  if (!unresolved(name) && !VAULT_NAME.test(name)) {
    problems.add(`\`${prop}\` must be 2 to 50 letters, digits, hyphens or underscores, got: ${show(name)}. Give a name such as \`orders-dr\`.`);
  }
}

/** The recovery region: a literal region name, not the stack's own, in the stack's partition. */
export function checkRecoveryRegion(problems: Problems, scope: IConstruct, region: string): void {
  checkLiteral(problems, 'recoveryRegion', region, 'the copy action names the vault by its region');
  if (unresolved(region)) {
    return;
  }
  if (!isRegionName(region)) {
    problems.add(`\`recoveryRegion\` must be a region name such as \`us-west-2\`, got: ${show(region)}.`);
    return;
  }
  const here = Stack.of(scope).region;
  if (!unresolved(here) && here === region) {
    problems.add(`\`recoveryRegion\` is ${region}, the region of this stack: a copy in the same region does not survive the loss of the region. Give another region.`);
  } else if (!unresolved(here) && partitionOf(here) !== partitionOf(region)) {
    problems.add(`\`recoveryRegion\` ${region} is in partition ${partitionOf(region)}, but this stack's region ${here} is in ${partitionOf(here)}: `
      + 'AWS Backup copies only within a partition. Give a region of the same partition.');
  }
}

/** A backup window: whole minutes, at least 60 (AWS Backup's minimum start window), known at synth. */
export function checkWindow(problems: Problems, prop: string, d: Duration): number | undefined {
  const seconds = checkDuration(problems, prop, d, {
    unit: 'seconds',
    min: 3600,
    max: 100 * 365 * 86400,
    literal: 'the recovery model counts it in the RPO',
    fix: 'Give at least Duration.hours(1).',
  });
  if (seconds !== undefined && seconds % 60 !== 0) {
    problems.add(`\`${prop}\` must be whole minutes, got: ${show(d)}. AWS Backup takes windows in minutes.`);
    return undefined;
  }
  return seconds;
}

/** A retention or cold-storage delay: whole days from `min` to 100 years, known at synth. */
export function checkDays(problems: Problems, prop: string, d: Duration | undefined, min: number, max = 36500): number | undefined {
  const seconds = checkDuration(problems, prop, d, {
    unit: 'days',
    min,
    max,
    literal: 'the lifecycle limits of AWS Backup are checked at synth',
  });
  return seconds === undefined ? undefined : seconds / 86400;
}

/** Cold storage needs 90 days there: the retention must be at least 90 days after the move. */
export function checkColdStorage(problems: Problems, coldProp: string, cold: number | undefined, retentionProp: string, retention: number | undefined,
  note = ''): void {
  if (cold !== undefined && retention !== undefined && retention < cold + 90) {
    problems.add(`\`${retentionProp}\` must be at least 90 days after \`${coldProp}\` (${cold} days), got: ${retention} days${note}. `
      + `AWS Backup keeps a recovery point in cold storage for 90 days at least: keep it ${cold + 90} days or more, or move it to cold storage later.`);
  }
}

/** What a selected resource is, as far as synth can tell. */
export interface ResourceInfo {
  /** Its name in the report. */
  readonly label: string;
  /** The services found in it (empty when synth cannot tell: a tag, a Token ARN). */
  readonly services: BackupServiceName[];
  /** Paths of Multi-AZ DB clusters in it. */
  readonly multiAzClusters: string[];
}

const CFN_SERVICES: Record<string, BackupServiceName> = {
  'AWS::RDS::DBInstance': 'rds',
  'AWS::RDS::DBCluster': 'rds',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::EC2::Volume': 'ebs',
  'AWS::EC2::Instance': 'ebs',
  'AWS::EFS::FileSystem': 'efs',
  'AWS::S3::Bucket': 's3',
};

const ARN_SERVICES: Record<string, BackupServiceName> = {
  rds: 'rds',
  dynamodb: 'dynamodb',
  ec2: 'ebs',
  elasticfilesystem: 'efs',
  s3: 's3',
};

/**
 * Reads a `BackupResource`: the resources in a construct, the resource an ARN Token refers to
 * (`fromDynamoDbTable`, `fromRdsDatabaseCluster` and the like select by `Fn::GetAtt`), a literal
 * ARN's service, or a tag.
 */
export function inspectResource(resource: backup.BackupResource, index: number): ResourceInfo {
  if (resource.construct) {
    return inspectConstruct(resource.construct, resource.construct.node.id);
  }
  if (resource.tagCondition) {
    return { label: `tag ${resource.tagCondition.key}=${resource.tagCondition.value}`, services: [], multiAzClusters: [] };
  }
  const arn = resource.resource;
  const unknown = { label: `resource ${index + 1}`, services: [], multiAzClusters: [] };
  if (arn === undefined || arn === '*') {
    return unknown;
  }
  if (Token.isUnresolved(arn)) {
    const target = referencedResource(arn);
    return target ? inspectConstruct(target, target.node.id === 'Resource' ? target.node.scope!.node.id : target.node.id) : unknown;
  }
  try {
    const parts = Arn.split(arn, arn.includes(':s3:') ? ArnFormat.NO_RESOURCE_NAME : ArnFormat.COLON_RESOURCE_NAME);
    const service = ARN_SERVICES[parts.service];
    const name = parts.resourceName ?? parts.resource;
    return { label: unresolved(name) ? unknown.label : name.split('/').pop()!, services: service ? [service] : [], multiAzClusters: [] };
  } catch {
    return unknown;
  }
}

function inspectConstruct(construct: IConstruct, label: string): ResourceInfo {
  const services = new Set<BackupServiceName>();
  const multiAzClusters: string[] = [];
  for (const node of construct.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) {
      continue;
    }
    const service = CFN_SERVICES[node.cfnResourceType];
    if (service) {
      services.add(service);
    }
    if (node instanceof rds.CfnDBCluster && isMultiAzCluster(node)) {
      multiAzClusters.push(node.node.path);
    }
  }
  return { label, services: [...services], multiAzClusters };
}

/**
 * The CloudFormation resource an ARN Token refers to: a `Fn::GetAtt` of it, or an ARN joined
 * around its `Ref` (`fromRdsDatabaseCluster`).
 */
function referencedResource(arn: string): CfnResource | undefined {
  for (const token of Tokenization.reverseString(arn).tokens) {
    const target = token instanceof Reference ? token.target : undefined;
    if (target !== undefined && CfnResource.isCfnResource(target)) {
      return target;
    }
  }
  return undefined;
}

/** A Multi-AZ DB cluster (RDS for MySQL or PostgreSQL with readable standbys) names an instance class on the cluster; Aurora does not. */
function isMultiAzCluster(cluster: rds.CfnDBCluster): boolean {
  const engine = cluster.engine;
  return cluster.dbClusterInstanceClass !== undefined
    && typeof engine === 'string' && !Token.isUnresolved(engine) && !engine.startsWith('aurora');
}

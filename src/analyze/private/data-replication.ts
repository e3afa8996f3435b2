/**
 * Data paths of a template: S3 replication rules (with or without Replication Time Control) and
 * DynamoDB global table replicas (eventual or strong consistency), modeled by the same functions
 * as `ReplicatedBucket` and `GlobalTable`.
 */
import { Findings, TemplateFindings } from './findings';
import { contextOf, refTarget, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { LoadedTemplate } from './templates';
import { RecoveryEstimate } from '../../objectives/estimate';
import { globalTableReplica } from '../../objectives/model/dynamodb';
import { s3ReplicationLag } from '../../objectives/model/s3-replication';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

/** S3 replication: one data path per enabled rule of each bucket. */
export function s3ReplicationPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    if (resource?.Type !== 'AWS::S3::Bucket' || resource.Properties?.ReplicationConfiguration === undefined) {
      continue;
    }
    const config = resolve(resource.Properties.ReplicationConfiguration, ctx) as { Rules?: unknown };
    const rules = Array.isArray(config?.Rules) ? config.Rules : [];
    if (rules.length === 0) {
      found.skip(logicalId, resource.Type, 'a replication configuration without rules the analysis can read');
      continue;
    }
    const source = name(resource.Properties.BucketName, ctx) ?? logicalId;
    rules.forEach((rule: any, i: number) => {
      if (rule?.Status !== 'Enabled') {
        return;
      }
      const destination = rule.Destination?.Bucket;
      const bucket = typeof destination === 'string' ? destination.replace(/^arn:aws[a-z-]*:s3:::/, '') : '';
      const target = bucket.trim() !== '' ? bucket : describe(destination);
      const rtc = rule.Destination?.ReplicationTime?.Status === 'Enabled';
      found.path(new RecoveryPath({
        id: `s3-replication-${logicalId}-${rule.Id ?? i}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64),
        kind: RecoveryPathKind.DATA_REPLICATION,
        name: `${source} to ${target}${rtc ? ' (RTC)' : ''}`,
        endpoints: [
          { label: `${t.name}/${logicalId}`, role: EndpointRole.PRIMARY, region: t.region },
          { label: target, role: EndpointRole.REPLICA },
        ],
        estimate: RecoveryEstimate._fromModel(inTemplateTerms([s3ReplicationLag({ rtc })], { 's3-replication-lag': `the AWS::S3::Bucket ${logicalId}` })),
      }), [logicalId]);
    });
  }
  return found;
}

/** DynamoDB global tables: one data path per replica other than the stack's region. */
export function globalTablePaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  for (const [logicalId, resource] of Object.entries(t.template.Resources ?? {})) {
    if (resource?.Type !== 'AWS::DynamoDB::GlobalTable') {
      continue;
    }
    const props = resolve(resource.Properties ?? {}, ctx) as { [k: string]: any };
    const regions = (Array.isArray(props.Replicas) ? props.Replicas : []).map((r: any) => r?.Region);
    if (regions.some((r: unknown) => typeof r !== 'string')) {
      found.skip(logicalId, resource.Type, 'a replica whose region the template does not decide');
      continue;
    }
    const others = regions.filter((r: string) => r !== t.region);
    const consistency = props.MultiRegionConsistency === 'STRONG' ? 'strong' : 'eventual';
    const table = typeof props.TableName === 'string' ? props.TableName : logicalId;
    for (const region of others) {
      found.path(new RecoveryPath({
        id: `global-table-${logicalId}-${region}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64),
        kind: RecoveryPathKind.DATA_REPLICATION,
        name: `${table} to ${region} (${consistency === 'strong' ? 'MRSC' : 'MREC'})`,
        endpoints: [
          { label: `${t.name}/${logicalId}`, role: EndpointRole.PRIMARY, region: t.region },
          { label: `${table} in ${region}`, role: EndpointRole.REPLICA, region },
        ],
        estimate: RecoveryEstimate._fromModel([globalTableReplica({ consistency, replicaRegion: region })]),
      }), [logicalId]);
    }
  }
  return found;
}

function name(value: unknown, ctx: ResolveContext): string | undefined {
  const v = resolve(value, ctx);
  return typeof v === 'string' ? v : undefined;
}

function describe(value: unknown): string {
  if (value instanceof Unresolved) {
    return `a bucket the template does not name (${value.reason})`;
  }
  const ref = refTarget(value);
  return ref !== undefined ? `the bucket ${ref}` : 'a bucket the template does not name';
}

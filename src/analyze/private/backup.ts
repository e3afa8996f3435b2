/**
 * AWS Backup plans of a template: each rule is a backup-and-restore path, across regions when it
 * copies its backups to a vault of another region, else inside the region; the resources its
 * plan's selections name are restored in parallel, each at its service's rate. Modeled by the
 * same functions as `CrossRegionBackup` (docs/aws-facts.md#aws-backup).
 */
import { Findings, TemplateFindings } from './findings';
import { contextOf, literalNumber, referencedResources, refTarget, resolve, ResolveContext, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { CfnResourceJson, LoadedTemplate } from './templates';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { RecoveryEstimate } from '../../objectives/estimate';
import {
  backupRestore, BackupServiceName, DEFAULT_RESTORE_SIZE_GIB, MIN_INTERVAL, restoreRateAssumption, restoreTerm, scheduleGap, SLOWEST_INTERVAL,
} from '../../objectives/model/backup';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';


type Props = { [k: string]: any };

/** AWS Backup's own defaults (docs/aws-facts.md#aws-backup). */
const DEFAULT_SCHEDULE = 'cron(0 5 ? * * *)';
const DEFAULT_START_WINDOW_MINUTES = 480;
const DEFAULT_COMPLETION_WINDOW_MINUTES = 10080;

const SERVICE_OF_TYPE: { [type: string]: BackupServiceName } = {
  'AWS::RDS::DBInstance': 'rds',
  'AWS::RDS::DBCluster': 'rds',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::EC2::Volume': 'ebs',
  'AWS::EFS::FileSystem': 'efs',
  'AWS::S3::Bucket': 's3',
};

const SERVICE_OF_ARN: Array<[RegExp, BackupServiceName]> = [
  [/^arn:[^:]*:rds:[^:]*:[^:]*:(?:db|cluster):(.+)$/, 'rds'],
  [/^arn:[^:]*:dynamodb:[^:]*:[^:]*:table\/(.+)$/, 'dynamodb'],
  [/^arn:[^:]*:ec2:[^:]*:[^:]*:volume\/(.+)$/, 'ebs'],
  [/^arn:[^:]*:elasticfilesystem:[^:]*:[^:]*:file-system\/(.+)$/, 'efs'],
  [/^arn:[^:]*:s3:::(.+)$/, 's3'],
];

/** A hole in a text: a part of an ARN the template does not decide (an account ID, a name made at deploy time). */
const HOLE = '\u0000';

/** One resource to restore, as the selections name it. */
interface Selected {
  readonly name: string;
  readonly service: BackupServiceName;
  /** The logical ID it was read from, when it is in the template. */
  readonly logicalId?: string;
}

/** AWS Backup plans: one backup-and-restore path per rule and copy destination. */
export function backupPaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const found = new Findings(t);
  const resources = Object.entries(t.template.Resources ?? {}).filter(([, r]) => r !== null && typeof r === 'object');
  const selectionsOf = new Map<string, Array<[string, CfnResourceJson]>>();
  for (const [id, r] of resources.filter(([, s]) => s.Type === 'AWS::Backup::BackupSelection')) {
    const plan = refTarget(resolve(r.Properties?.BackupPlanId, ctx)) ?? '';
    selectionsOf.set(plan, [...selectionsOf.get(plan) ?? [], [id, r]]);
  }
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Backup::BackupPlan') {
      continue;
    }
    const raw = resource.Properties?.BackupPlan as Props | undefined;
    const plan = resolve(raw, ctx) as Props | undefined;
    const rules = Array.isArray(plan?.BackupPlanRule) ? plan!.BackupPlanRule : [];
    const rawRules = Array.isArray(raw?.BackupPlanRule) ? raw!.BackupPlanRule : [];
    const selections = selectionsOf.get(logicalId) ?? [];
    if (rules.length === 0) {
      found.skip(logicalId, resource.Type, 'a backup plan without rules the analysis can read');
      continue;
    }
    if (selections.length === 0) {
      found.skip(logicalId, resource.Type, 'no AWS::Backup::BackupSelection of this template selects resources for this plan');
      continue;
    }
    const warnings: string[] = [];
    const selected = unique(selections.flatMap(([id, s]) => selectedBy(t, ctx, id, s.Properties?.BackupSelection, warnings)));
    if (selected.length === 0) {
      // Restoring nothing is no path; `RecoveryEstimate.parallel` needs at least one restore.
      found.skip(logicalId, resource.Type, `its selections name no resource the analysis can read, and select none by tags or conditions (${
        selections.map(([id, s]) => selectsNothing(id, s.Properties?.BackupSelection, ctx)).join('; ')}). Give \`Resources\` a literal list of ARNs.`);
      continue;
    }
    const planName = typeof plan?.BackupPlanName === 'string' ? plan.BackupPlanName : logicalId;
    rules.forEach((rule: Props, i: number) => {
      const ruleName = typeof rule?.RuleName === 'string' ? rule.RuleName : `rule ${i}`;
      const owner = { plan: logicalId, planName, ruleName, selections: selections.map(([id]) => id) };
      const problem = rulePaths(t, found, owner, rule ?? {}, rawRules[i] ?? {}, selected, [...warnings]);
      if (problem !== undefined) {
        found.skip(logicalId, resource.Type, `the rule ${ruleName}: ${problem}`);
      }
    });
  }
  for (const [plan, selections] of selectionsOf) {
    if (t.template.Resources?.[plan]?.Type !== 'AWS::Backup::BackupPlan') {
      selections.forEach(([id, r]) => found.skip(id, r.Type, 'a selection for a backup plan that is not in this template: its plan\'s template models it'));
    }
  }
  return found;
}

interface RuleOwner {
  readonly plan: string;
  readonly planName: string;
  readonly ruleName: string;
  readonly selections: string[];
}

/** The paths of one rule, or why it has none. */
function rulePaths(t: LoadedTemplate, found: Findings, owner: RuleOwner, rule: Props, raw: Props, selected: Selected[],
  warnings: string[]): string | undefined {
  const schedule = interval(rule.ScheduleExpression, rule.ScheduleExpressionTimezone, warnings);
  if (typeof schedule === 'string') {
    return schedule;
  }
  const start = rule.StartWindowMinutes === undefined ? DEFAULT_START_WINDOW_MINUTES : literalNumber(rule.StartWindowMinutes);
  const completion = rule.CompletionWindowMinutes === undefined ? DEFAULT_COMPLETION_WINDOW_MINUTES : literalNumber(rule.CompletionWindowMinutes);
  if (start === undefined || completion === undefined) {
    const name = start === undefined ? 'StartWindowMinutes' : 'CompletionWindowMinutes';
    return `\`${name}\` is not decided by the template (${JSON.stringify(raw[name])}), and AWS Backup publishes no largest window to take instead`;
  }
  if (start < 0 || completion < 0) {
    const name = start < 0 ? 'StartWindowMinutes' : 'CompletionWindowMinutes';
    return `\`${name}\` is ${start < 0 ? start : completion}: a window is 0 minutes or more, so AWS Backup refuses this rule. Give a window of 0 minutes or more`;
  }
  const continuous = rule.EnableContinuousBackup === true || rule.EnableContinuousBackup === 'true';
  const window = (start + completion) * 60;
  const data = backupRestore({
    interval: schedule.seconds, intervalBasis: schedule.basis, intervalAssumed: schedule.assumed, window, continuous,
  });
  const where = `the rule ${owner.ruleName} of the AWS::Backup::BackupPlan ${owner.plan}`;
  const restores = RecoveryEstimate.parallel(selected.map((s) => RecoveryEstimate._fromModel([restoreTerm({
    name: s.name, service: s.service, sizeGiB: DEFAULT_RESTORE_SIZE_GIB, defaultSize: true,
  })])));
  const sizes = `A template gives no data sizes: each restore is modeled at ${DEFAULT_RESTORE_SIZE_GIB} GiB.`;
  const label = selected.map((s) => s.name).join(', ');
  const copies = (Array.isArray(rule.CopyActions) ? rule.CopyActions : []).map((c: Props, i: number) =>
    copyRegion(t, c?.DestinationBackupVaultArn, raw.CopyActions?.[i]?.DestinationBackupVaultArn));
  const across = copies.filter((c: CopyTarget) => !c.local && (c.region !== t.region || c.region === undefined));
  const terms = (ts: typeof data) => inTemplateTerms(ts, Object.fromEntries(ts.map((term) => [term.id, where])));
  const from = [owner.plan, ...owner.selections, ...selected.map((s) => s.logicalId).filter((id): id is string => id !== undefined)];
  for (const copy of across) {
    const pathWarnings = [...warnings, sizes];
    if (copy.region === undefined) {
      pathWarnings.push(`The copy destination's region is not decided by the template (${copy.vault}): modeled as a copy to another region.`);
    }
    coldBeforeCopy(rule.Lifecycle, window, pathWarnings);
    const multiAzClusters = selected.filter((s) => s.logicalId !== undefined
      && t.template.Resources?.[s.logicalId]?.Type === 'AWS::RDS::DBCluster' && t.template.Resources[s.logicalId].Properties?.DBClusterInstanceClass !== undefined);
    if (multiAzClusters.length > 0) {
      pathWarnings.push(`${multiAzClusters.map((s) => s.name).join(', ')}: snapshots of a Multi-AZ DB cluster cannot be copied to another region, `
        + 'so these copy jobs fail; protect it across regions with a cross-region read replica.');
    }
    if (selected.some((s) => s.service === 'rds')) {
      pathWarnings.push(`RDS option groups are not copied: create the same option groups in ${copy.region ?? 'the destination region'} before restoring there.`);
    }
    const region = copy.region ?? 'another region';
    found.path(new RecoveryPath({
      id: pathId(owner, region),
      kind: RecoveryPathKind.BACKUP_RESTORE,
      name: `${owner.planName} rule ${owner.ruleName} (AWS Backup copy to ${region})`,
      endpoints: [
        { label, role: EndpointRole.PRIMARY, region: t.region },
        { label: `backup vault ${copy.vault}`, role: EndpointRole.REPLICA, region: copy.region },
      ],
      estimate: RecoveryEstimate._fromModel(terms(data)).then(restores),
      warnings: pathWarnings,
    }), from);
  }
  if (across.length === 0) {
    // No copy: restored from the rule's own vault, so the copy term has no part in it, nor the note on copies of continuous backups.
    const inRegion = continuous ? backupRestore({
      interval: schedule.seconds, intervalBasis: schedule.basis, intervalAssumed: schedule.assumed, window, continuous: false,
    }) : data;
    const pitr = 'The rule is continuous: point-in-time restore in this region can recover writes made after the last scheduled backup; '
      + 'the model keeps the schedule\'s gap, the slowest bound.';
    found.path(new RecoveryPath({
      id: pathId(owner, 'in-region'),
      kind: RecoveryPathKind.BACKUP_RESTORE,
      name: `${owner.planName} rule ${owner.ruleName} (AWS Backup in ${t.region ?? 'this region'}, no copy to another region)`,
      endpoints: [
        { label, role: EndpointRole.PRIMARY, region: t.region },
        { label: `backup vault ${typeof rule.TargetBackupVault === 'string' ? rule.TargetBackupVault : 'of the rule'}`, role: EndpointRole.REPLICA, region: t.region },
      ],
      estimate: RecoveryEstimate._fromModel(terms(inRegion.filter((term) => term.id !== 'backup-copy'))).then(restores),
      warnings: [...warnings, ...continuous ? [pitr] : [], sizes, `The backups stay in ${t.region ?? 'this region'}: they are lost with it. Add a \`CopyActions\` entry with a `
        + '`DestinationBackupVaultArn` in another region (cdk-failover\'s CrossRegionBackup copies every backup).'],
    }), from);
  }
  return undefined;
}

/** The longest gap of the schedule, as `CrossRegionBackup` reads it; or why the rule is not modeled. */
function interval(expression: unknown, timezone: unknown, warnings: string[]): { seconds: number; basis: string; assumed: boolean } | string {
  const slowest = (why: string) => {
    warnings.push(`${why}: modeled at the slowest interval the model takes, ${SLOWEST_INTERVAL / 86400} days.`);
    return { seconds: SLOWEST_INTERVAL, basis: `unknown (${why})`, assumed: true };
  };
  if (expression instanceof Unresolved) {
    return slowest(`\`ScheduleExpression\` is not decided by the template (${expression.reason})`);
  }
  const text = expression === undefined ? DEFAULT_SCHEDULE : String(expression);
  if (text.startsWith('rate(')) {
    return `\`ScheduleExpression\` ${text} is a rate, which AWS Backup does not take (cron only)`;
  }
  const gap = scheduleGap(text);
  if (gap.kind === 'invalid') {
    return `\`ScheduleExpression\` is not a valid schedule: ${gap.reason}`;
  }
  if (gap.kind === 'unknown') {
    return slowest(`the model cannot read \`ScheduleExpression\` ${text}: ${gap.reason}`);
  }
  if (gap.shortest < MIN_INTERVAL) {
    return `\`ScheduleExpression\` ${text} runs ${gap.shortest / 60} minutes apart at times, and AWS Backup runs a rule at most hourly`;
  }
  const utc = timezone === undefined || ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT'].includes(timezone as string);
  const given = expression === undefined ? ' (no `ScheduleExpression`: AWS Backup\'s default)' : '';
  const basis = `${text}${given}: longest gap ${gap.longest / 3600} h` + (utc ? ' (UTC)' : ', plus 1 h for a daylight-saving change');
  return { seconds: gap.longest + (utc ? 0 : 3600), basis, assumed: false };
}

interface CopyTarget {
  readonly region?: string;
  readonly vault: string;
  /** True for a vault of this template. */
  readonly local?: boolean;
}

/** The region and name of a copy destination, read from its ARN even where the account is not known. */
function copyRegion(t: LoadedTemplate, resolved: unknown, raw: unknown): CopyTarget {
  // A vault of this template is in this stack's region: the copy stays in it.
  const local = referencedResources(raw, t.template).find((id) => t.template.Resources?.[id]?.Type === 'AWS::Backup::BackupVault');
  if (local !== undefined) {
    return { region: t.region, vault: local, local: true };
  }
  const ctx = contextOf(t);
  const arn = typeof resolved === 'string' ? resolved : textWithHoles(raw, ctx);
  const m = arn === undefined ? null : /^arn:[^:]*:backup:([a-z]{2}(?:-gov)?-[a-z]+-\d):[^:]*:backup-vault:([^:]+)$/.exec(arn);
  if (m) {
    return { region: m[1], vault: m[2].includes(HOLE) ? 'named at deploy time' : m[2] };
  }
  return { vault: resolved instanceof Unresolved ? `not decided by the template: ${resolved.reason}` : 'not named by the template' };
}

/** The resources a selection names: each ARN or reference, and one entry for what tags or conditions select. */
function selectedBy(t: LoadedTemplate, ctx: ResolveContext, logicalId: string, raw: unknown, warnings: string[]): Selected[] {
  const selection = (resolve(raw, ctx) ?? {}) as Props;
  const rawResources = Array.isArray((raw as Props)?.Resources) ? (raw as Props).Resources : [];
  const out: Selected[] = rawResources.map((r: unknown, i: number) => selectedResource(t, ctx, logicalId, r, i, warnings));
  const byTags = [selection.ListOfTags, selection.Conditions].some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0)
    && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
  if (byTags) {
    out.push(unknownService(`${logicalId}-tagged`, `resources ${logicalId} selects by tags or conditions, whose service the template does not tell`, warnings));
  }
  return out;
}

/** Why a selection selects nothing: its `Resources` empty or not a list the template decides. */
function selectsNothing(logicalId: string, raw: unknown, ctx: ResolveContext): string {
  const resources = (raw as Props | undefined)?.Resources;
  if (resources === undefined || Array.isArray(resources)) {
    return `${logicalId} has no \`Resources\``;
  }
  const value = resolve(resources, ctx);
  return `the \`Resources\` of ${logicalId} are ${value instanceof Unresolved ? value.reason : JSON.stringify(value) ?? 'not given'}, not a list the template decides`;
}

function selectedResource(t: LoadedTemplate, ctx: ResolveContext, selection: string, raw: unknown, i: number, warnings: string[]): Selected {
  const refs = referencedResources(raw, t.template);
  const typed = refs.filter((id) => SERVICE_OF_TYPE[t.template.Resources![id].Type] !== undefined);
  if (typed.length === 1) {
    return { name: typed[0], service: SERVICE_OF_TYPE[t.template.Resources![typed[0]].Type], logicalId: typed[0] };
  }
  const arn = textWithHoles(raw, ctx);
  if (arn === '*') {
    return unknownService(`${selection}-all`, `${selection} selects every resource (\`*\`)`, warnings);
  }
  for (const [pattern, service] of SERVICE_OF_ARN) {
    const m = arn === undefined ? null : pattern.exec(arn);
    if (m) {
      return { name: m[1].includes(HOLE) ? `${selection}-${i}` : m[1], service };
    }
  }
  return unknownService(`${selection}-${i}`, `the resource ${i} of ${selection} (${arn === undefined ? 'not decided by the template' : arn.replace(/\0/g, '?')})`, warnings);
}

/** A selection the analysis cannot tie to a service: the slowest restore rate the model takes. */
function unknownService(name: string, what: string, warnings: string[]): Selected {
  const services: BackupServiceName[] = ['rds', 'dynamodb', 'ebs', 'efs', 's3'];
  const slowest = services.reduce((a, b) => restoreRateAssumption(b)._defaultSeconds > restoreRateAssumption(a)._defaultSeconds ? b : a);
  warnings.push(`${what}: the analysis cannot tell its service, so it is restored at the slowest rate the model takes `
    + `(${restoreRateAssumption(slowest).id}, ${restoreRateAssumption(slowest)._defaultSeconds} s/GiB).`);
  return { name, service: slowest };
}

/** A text with what the template does not decide left as holes: enough to read a service or a region from an ARN. */
function textWithHoles(raw: unknown, ctx: ResolveContext, depth = 0): string | undefined {
  const value = resolve(raw, ctx);
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value);
  }
  if (depth > 10 || raw === null || typeof raw !== 'object') {
    return undefined;
  }
  const join = (raw as Props)['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((p: unknown) => textWithHoles(p, ctx, depth + 1) ?? HOLE).join(join[0]);
  }
  const sub = (raw as Props)['Fn::Sub'];
  if (typeof sub === 'string') {
    return sub.replace(/\$\{([^}!]*)\}/g, (_whole: string, name: string) => {
      const v = resolve({ 'Fn::Sub': `\${${name}}` }, ctx);
      return typeof v === 'string' ? v : HOLE;
    });
  }
  return undefined;
}

/** A rule that moves its backups to cold storage before the copy can run makes every copy job fail. */
function coldBeforeCopy(lifecycle: unknown, window: number, warnings: string[]): void {
  const days = literalNumber((lifecycle as Props | undefined)?.MoveToColdStorageAfterDays);
  const copy = RecoveryAssumption.BACKUP_COPY_TIME._defaultSeconds;
  if (days !== undefined && days * 86400 <= window + copy) {
    warnings.push(`\`MoveToColdStorageAfterDays\` (${days}) comes before the backup window and the copy (${window + copy} s): `
      + 'a backup in cold storage cannot be copied to another region, so copy jobs fail.');
  }
}

/** Each restore term needs its own name: the name as the library writes it, numbered when taken. */
function unique(selected: Selected[]): Selected[] {
  const seen = new Set<string>();
  return selected.map((s) => {
    const base = s.name.replace(/[^A-Za-z0-9._-]/g, '-');
    let name = base;
    for (let n = 2; seen.has(name); n++) {
      name = `${base}-${n}`;
    }
    seen.add(name);
    return { ...s, name };
  });
}

function pathId(owner: RuleOwner, where: string): string {
  return `backup-${owner.plan}-${owner.ruleName}-${where}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
}

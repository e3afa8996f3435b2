/**
 * The analysis of templates not built with cdk-failover: every analyser over every template,
 * then the same report as a synth writes, checked against the objectives given.
 */
import { routingControlPaths } from './arc';
import { backupPaths } from './backup';
import { globalTablePaths, s3ReplicationPaths } from './data-replication';
import { databasePaths } from './databases';
import { NotAnalysed, TemplateFindings } from './findings';
import { acceleratorPaths } from './global-accelerator';
import { dnsFailoverPaths } from './route53-failover';
import { multiSitePaths } from './route53-multi-site';
import { LoadedTemplate, readTemplates, UnreadTemplate } from './templates';
import { zonalAutoshiftPaths } from './zonal-autoshift';
import { totals } from '../../objectives/model/compose';
import { RecoveryPath } from '../../objectives/path';
import { checkObjectives, Objectives } from '../../objectives/report/check';
import { readable } from '../../objectives/report/format';
import { reportJson } from '../../objectives/report/json';
import { reportMarkdown } from '../../objectives/report/markdown';
import { Report, ReportPath } from '../../objectives/report/report-path';

/** One family of recovery paths in a template; adding a family adds an entry here. */
const ANALYSERS: Array<(t: LoadedTemplate) => TemplateFindings> = [
  dnsFailoverPaths, s3ReplicationPaths, globalTablePaths, multiSitePaths, databasePaths, backupPaths,
  acceleratorPaths, routingControlPaths, zonalAutoshiftPaths,
];

/** What the analysis found. */
export interface Analysis {
  readonly report: Report;
  readonly notAnalysed: NotAnalysed[];
  readonly unread: UnreadTemplate[];
  /** How many templates were read. */
  readonly templates: number;
  /** Whether every path meets the objectives given (true without objectives). */
  readonly met: boolean;
}

/** Analyses the templates of the given assemblies or files; never throws on their content. */
export function analyse(inputs: string[], objectives?: { rto?: number; rpo?: number }): Analysis {
  const { templates, unread } = readTemplates(inputs);
  const notAnalysed: NotAnalysed[] = [];
  const paths: ReportPath[] = [];
  analyseTogether(templates).forEach((found, i) => {
    notAnalysed.push(...found.notAnalysed, ...notCreated(templates[i]));
    paths.push(...found.paths.map((p) => reportPath(templates[i].name, p, objectives)));
  });
  const met = paths.every((p) => p.check.rtoMet !== false && p.check.rpoMet !== false);
  return { report: { stage: inputs.join(', '), analysed: true, paths }, notAnalysed, unread, met, templates: templates.length };
}

/**
 * What each template read together holds: a path one template can only take at its slowest (a
 * global database's other end) gives way to the template that models that end.
 */
export function analyseTogether(templates: LoadedTemplate[]): TemplateFindings[] {
  const findings = templates.map(analyseTemplate);
  const completes = findings.map((f) => new Set(f.completes ?? []));
  return findings.map((f, i) => {
    const elsewhere = (key: string) => completes.some((keys, j) => j !== i && keys.has(key));
    return { ...f, paths: f.paths.filter((p) => f.provisional?.[p.id] === undefined || !elsewhere(f.provisional[p.id])) };
  });
}

/** Every analyser over one template; an analyser that fails is reported, never thrown. */
export function analyseTemplate(t: LoadedTemplate): TemplateFindings {
  const out = {
    paths: [] as RecoveryPath[],
    resources: {} as { [pathId: string]: string[] },
    notAnalysed: [] as NotAnalysed[],
    provisional: {} as { [pathId: string]: string },
    completes: [] as string[],
  };
  for (const analyser of ANALYSERS) {
    let found: TemplateFindings;
    try {
      found = analyser(t);
    } catch (e) {
      // An analyser that meets a shape it does not expect reports it instead of stopping the others.
      out.notAnalysed.push({ stack: t.name, logicalId: '-', type: '-', reason: `the analysis failed here: ${(e as Error).message}` });
      continue;
    }
    for (const p of found.paths) {
      // IDs are unique in a template's findings: two pairs of one record set group, or two names cut
      // to the same 64 characters, get a number.
      const id = uniqueId(p.id, new Set(out.paths.map((x) => x.id)));
      out.paths.push(id === p.id ? p : new RecoveryPath({ ...p, id }));
      out.resources[id] = found.resources[p.id] ?? [];
      if (found.provisional?.[p.id] !== undefined) {
        out.provisional[id] = found.provisional[p.id];
      }
    }
    out.notAnalysed.push(...found.notAnalysed);
    out.completes.push(...found.completes ?? []);
  }
  return out;
}

/** `id`, or `id` with the first number that makes it unique, within the 64 characters of a path ID. */
function uniqueId(id: string, taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? id : `${id.slice(0, 64 - String(n).length - 1)}-${n}`;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
}

/** The resources of a template that its conditions, with the template's defaults, leave out. */
function notCreated(t: LoadedTemplate): NotAnalysed[] {
  return (t.notCreated ?? []).map((n) => ({
    stack: t.name,
    logicalId: n.logicalId,
    type: n.type,
    reason: `not created: its condition ${n.condition} is false with the template's parameter defaults`,
  }));
}

/** A path as the report's renderers take it, checked against the objectives given. */
function reportPath(stack: string, p: RecoveryPath, given?: { rto?: number; rpo?: number }): ReportPath {
  const step = p.estimate._step;
  const t = totals(step);
  const objectives: Objectives | undefined = given?.rto === undefined && given?.rpo === undefined ? undefined : {
    declaredAt: 'the command line',
    rto: given?.rto,
    rpo: given?.rpo,
    enforcement: 'command line',
  };
  const name = readable(p.name);
  const check = checkObjectives(`${p.kind.label} of ${name}`, t, objectives);
  return {
    id: `${stack}#${p.id}`,
    constructPath: stack,
    kind: p.kind,
    name,
    endpoints: p.endpoints.map((e) => ({ ...e, label: readable(e.label) })),
    step,
    totals: t,
    measuredAssumptions: [],
    check,
    warnings: [...p.warnings.map(readable), ...check.messages],
    cost: p.cost && { monthlyUsd: p.cost.monthlyUsd, basis: readable(p.cost.basis) },
  };
}

/** The report files' contents: the same renderers as a synth uses, and the paths not analysed. */
export function renderAnalysis(a: Analysis): { json: string; markdown: string } {
  const json = { ...reportJson(a.report), notAnalysed: a.notAnalysed, unread: a.unread };
  const lines = [reportMarkdown(a.report).trimEnd(), ''];
  if (a.notAnalysed.length > 0 || a.unread.length > 0) {
    lines.push('## Not analysed', '');
    lines.push(...a.unread.map((u) => `- ${u.file}: ${u.reason}`));
    lines.push(...a.notAnalysed.map((n) => `- ${n.stack}/${n.logicalId} (${n.type}): ${n.reason}`), '');
  }
  return { json: JSON.stringify(json, undefined, 2) + '\n', markdown: lines.join('\n') };
}

import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { RecoveryEstimate } from './estimate';
import { Term, totals } from './model';
import { ObjectiveEnforcement, RecoveryObjectives } from './objectives';
import { unresolved } from '../private/validate';

/** File names of the report in the cloud assembly directory. */
const REPORT_JSON = 'failover-report.json';
const REPORT_MARKDOWN = 'failover-report.md';

/** One end of a recovery path, as the report shows it. */
export interface PathEndpoint {
  /** What serves traffic there, e.g. `us-east-1.app.example.com`. */
  readonly label: string;
  /** Its region, when known. */
  readonly region?: string;
  /** How its health is judged, e.g. `HTTPS health check (10 s x 2)`. */
  readonly health: string;
}

/** What a construct tells the report about the recovery path it builds. */
export interface PathDescription {
  /** e.g. `DNS failover`. */
  readonly kind: string;
  /** What fails over, e.g. `app.example.com (A, AAAA)`. */
  readonly name: string;
  readonly primary: PathEndpoint;
  readonly secondary: PathEndpoint;
  readonly estimate: RecoveryEstimate;
  /** Things the user should know about this path (no objective, imported checks, ...). */
  readonly warnings: string[];
}

/** A construct that builds a recovery path, and how to describe it at synthesis. */
interface PathSource {
  readonly construct: IConstruct;
  readonly describe: () => PathDescription;
}

/** The outcome of checking one path against its objectives. */
interface ObjectiveCheck {
  readonly objectivesPath?: string;
  readonly rtoObjective?: number;
  readonly rpoObjective?: number;
  readonly rtoMet?: boolean;
  readonly rpoMet?: boolean;
  readonly enforcement?: ObjectiveEnforcement;
  readonly messages: string[];
}

const REPORT_ID = 'CdkFailoverReport';

/**
 * Collects the recovery paths of one stage (or app) and, when it synthesizes, writes
 * `failover-report.json` and `failover-report.md` into its cloud assembly directory. One per
 * stage, created by the first path that registers.
 */
export class FailoverReport extends Construct {
  /** The report of the stage that `scope` belongs to. */
  public static of(scope: IConstruct): FailoverReport {
    const stage = Stage.of(scope);
    if (!stage) {
      throw new Error(`${scope.node.path}: recovery paths must be inside an App or Stage to be reported.`);
    }
    const existing = stage.node.tryFindChild(REPORT_ID);
    return (existing as FailoverReport | undefined) ?? new FailoverReport(stage, REPORT_ID);
  }

  private readonly sources: PathSource[] = [];

  private constructor(private readonly stage: Stage, id: string) {
    super(stage, id);
    this.node.addValidation({ validate: () => this.write() });
  }

  /**
   * Registers a path: it appears in the report and is checked against the nearest
   * `RecoveryObjectives` at synthesis.
   */
  public register(source: IConstruct, describe: () => PathDescription): void {
    this.sources.push({ construct: source, describe });
    source.node.addValidation({
      validate: () => {
        const check = checkObjectives(source, describe());
        if (check.enforcement !== ObjectiveEnforcement.WARN) {
          return check.messages;
        }
        check.messages.forEach((m) => Annotations.of(source).addWarningV2('cdk-failover:objective-missed', m));
        return [];
      },
    });
  }

  private write(): string[] {
    const paths = this.sources.map(({ construct, describe }) => {
      const description = describe();
      return { source: construct, description, check: checkObjectives(construct, description) };
    });
    const json = {
      generatedBy: 'cdk-failover',
      formatVersion: 1,
      stage: this.stage.node.path || '(app)',
      paths: paths.map(({ source, description, check }) => pathJson(source, description, check)),
    };
    fs.mkdirSync(this.stage.outdir, { recursive: true });
    fs.writeFileSync(path.join(this.stage.outdir, REPORT_JSON), JSON.stringify(json, undefined, 2) + '\n');
    fs.writeFileSync(path.join(this.stage.outdir, REPORT_MARKDOWN), markdown(json));
    return [];
  }
}

/** Checks a path against its nearest objectives; a miss is a message naming the dominant term and the fix. */
function checkObjectives(source: IConstruct, description: PathDescription): ObjectiveCheck {
  const objectives = RecoveryObjectives.of(source);
  if (!objectives) {
    return { messages: [] };
  }
  const t = totals(description.estimate._terms);
  const messages: string[] = [];
  const rtoObjective = unresolved(objectives.rto) ? undefined : objectives.rto.toMilliseconds() / 1000;
  const rpoObjective = objectives.rpo === undefined || unresolved(objectives.rpo) ? undefined : objectives.rpo.toMilliseconds() / 1000;
  const rtoMet = rtoObjective === undefined ? undefined : t.rtoMax <= rtoObjective;
  const rpoMet = rpoObjective === undefined || t.rpoMax === undefined ? undefined : t.rpoMax <= rpoObjective;

  if (rtoMet === false) {
    const d = t.dominant;
    messages.push(
      `${description.kind} of ${description.name}: modeled worst-case recovery time ${fmt(t.rtoMax)} exceeds the RTO objective ${fmt(rtoObjective!)} `
      + `(declared at ${objectives.node.path}). Dominant term: ${d.kind} up to ${fmt(d.max)} (${d.basis}). `
      + `Fix: ${d.remedy}; or raise the objective`
      + (objectives.enforcement === ObjectiveEnforcement.WARN ? '.' : ', or set enforcement: ObjectiveEnforcement.WARN to accept the miss.'),
    );
  }
  if (rpoMet === false) {
    messages.push(
      `${description.kind} of ${description.name}: modeled worst-case data loss ${fmt(t.rpoMax!)} exceeds the RPO objective ${fmt(rpoObjective!)} `
      + `(declared at ${objectives.node.path}). Fix: replicate with a shorter lag, or raise the objective.`,
    );
  }
  return {
    objectivesPath: objectives.node.path,
    rtoObjective,
    rpoObjective,
    rtoMet,
    rpoMet,
    enforcement: objectives.enforcement,
    messages,
  };
}

function termJson(t: Term) {
  return { term: t.kind, minSeconds: t.min, maxSeconds: t.max, basis: t.basis, assumption: t.assumption, remedy: t.remedy };
}

function pathJson(source: IConstruct, d: PathDescription, check: ObjectiveCheck) {
  const t = totals(d.estimate._terms);
  return {
    constructPath: source.node.path,
    kind: d.kind,
    name: d.name,
    primary: d.primary,
    secondary: d.secondary,
    terms: d.estimate._terms.map(termJson),
    rto: { bestSeconds: t.rtoMin, worstSeconds: t.rtoMax, objectiveSeconds: check.rtoObjective, met: check.rtoMet, dominantTerm: t.dominant.kind },
    rpo: { worstSeconds: t.rpoMax, objectiveSeconds: check.rpoObjective, met: check.rpoMet, applicable: t.rpoMax !== undefined },
    objectivesDeclaredAt: check.objectivesPath,
    enforcement: check.enforcement,
    assumptions: d.estimate._terms.filter((x) => x.assumption).map((x) => `${x.kind}: ${x.basis}`),
    warnings: [...d.warnings, ...check.messages],
  };
}

type ReportJson = { stage: string; paths: Array<ReturnType<typeof pathJson>> };

function markdown(report: ReportJson): string {
  const lines: string[] = [];
  lines.push('# Failover report', '');
  lines.push(`Stage: \`${report.stage}\`. Modeled by cdk-failover at synth time; every term is listed with its basis, and assumptions are marked.`, '');
  if (report.paths.length === 0) {
    lines.push('No recovery paths.', '');
    return lines.join('\n');
  }
  lines.push('| recovery path | kind | RTO modeled (best - worst) | RTO objective | RPO modeled | RPO objective | status |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const p of report.paths) {
    lines.push(`| ${p.name} | ${p.kind} | ${fmt(p.rto.bestSeconds)} - ${fmt(p.rto.worstSeconds)} | ${opt(p.rto.objectiveSeconds)} `
      + `| ${p.rpo.applicable ? fmt(p.rpo.worstSeconds!) : 'n/a (no data on this path)'} | ${opt(p.rpo.objectiveSeconds)} | ${status(p)} |`);
  }
  lines.push('');
  lines.push('## Topology', '', '```mermaid', ...mermaid(report), '```', '');
  for (const p of report.paths) {
    lines.push(`## ${p.kind}: ${p.name}`, '');
    lines.push(`Construct: \`${p.constructPath}\``, '');
    lines.push(`- primary: ${p.primary.label}${p.primary.region ? ` (${p.primary.region})` : ''}, health: ${p.primary.health}`);
    lines.push(`- secondary: ${p.secondary.label}${p.secondary.region ? ` (${p.secondary.region})` : ''}, health: ${p.secondary.health}`);
    lines.push(`- objectives: ${p.objectivesDeclaredAt ? `declared at \`${p.objectivesDeclaredAt}\` (${p.enforcement})` : 'none declared'}`, '');
    lines.push('| term | min | max | basis |', '| --- | --- | --- | --- |');
    for (const t of p.terms) {
      lines.push(`| ${t.term}${t.assumption ? ' (assumption)' : ''} | ${fmt(t.minSeconds)} | ${fmt(t.maxSeconds)} | ${t.basis} |`);
    }
    lines.push(`| **total** | **${fmt(p.rto.bestSeconds)}** | **${fmt(p.rto.worstSeconds)}** | dominant term: ${p.rto.dominantTerm} |`, '');
    if (p.assumptions.length > 0) {
      lines.push('Assumptions:', '', ...p.assumptions.map((a) => `- ${a}`), '');
    }
    if (p.warnings.length > 0) {
      lines.push('Warnings:', '', ...p.warnings.map((w) => `- ${w}`), '');
    }
  }
  return lines.join('\n');
}

function mermaid(report: ReportJson): string[] {
  const out = ['flowchart LR', '  clients(["clients"])'];
  report.paths.forEach((p, i) => {
    const rec = `r${i}`;
    out.push(`  ${rec}{{"${esc(p.name)}<br/>${esc(p.kind)}"}}`);
    out.push(`  clients --> ${rec}`);
    out.push(`  ${rec} -- "primary" --> p${i}["${esc(p.primary.label)}${p.primary.region ? `<br/>${esc(p.primary.region)}` : ''}"]`);
    out.push(`  ${rec} -. "secondary, after ${fmt(p.rto.worstSeconds)} worst case" .-> s${i}["${esc(p.secondary.label)}${p.secondary.region ? `<br/>${esc(p.secondary.region)}` : ''}"]`);
    out.push(`  h${i}[/"${esc(p.primary.health)}"/] -. "checks" .-> p${i}`);
  });
  return out;
}

function esc(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function status(p: ReturnType<typeof pathJson>): string {
  if (p.rto.met === false || p.rpo.met === false) {
    return p.enforcement === ObjectiveEnforcement.WARN ? 'MISSED (accepted)' : 'MISSED';
  }
  if (p.rto.met === undefined) {
    return 'no objective';
  }
  return 'met';
}

function opt(value: number | undefined): string {
  return value === undefined ? '-' : fmt(value);
}

/** Seconds for people: `45 s`, `2 min 1 s`. */
export function fmt(value: number): string {
  const s = Math.round(value * 10) / 10;
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  const rest = Math.round((s - minutes * 60) * 10) / 10;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

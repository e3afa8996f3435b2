/**
 * The Markdown report: a summary table, one topology diagram, then per path its endpoints, its
 * terms, a timeline, its assumptions and warnings.
 */
import { fmt } from './format';
import { gantt, topology } from './mermaid';
import { Report, ReportPath } from './report-path';
import { flatten, timeline } from '../model/compose';

export function reportMarkdown(report: Report): string {
  const lines: string[] = [];
  lines.push('# Failover report', '');
  lines.push(`${report.analysed ? 'Analysed' : 'Stage'}: \`${report.stage}\`. Modeled by cdk-failover ${report.analysed ? 'from the templates, without deploying' : 'at synth time'}; `
    + 'every term is listed with its basis, and assumptions are marked.', '');
  if (report.paths.length === 0) {
    lines.push('No recovery paths.', '');
    return lines.join('\n');
  }
  const measured = report.paths.some((p) => p.measured);
  lines.push(`| recovery path | kind | RTO modeled (best - worst) | RTO objective | RPO modeled | RPO objective |${measured ? ' measured |' : ''} status |`);
  lines.push(`| --- | --- | --- | --- | --- | --- |${measured ? ' --- |' : ''} --- |`);
  for (const p of report.paths) {
    const t = p.totals;
    const rto = t.rtoMax === undefined ? 'n/a (data only)' : `${fmt(t.rtoMin!)} - ${fmt(t.rtoMax)}`;
    const rpo = t.rpoMax === undefined ? 'n/a (no data on this path)' : fmt(t.rpoMax);
    // A data path is never checked against the RTO: its row does not show one as if it were.
    const rtoObjective = t.rtoMax === undefined ? 'n/a' : opt(p.check.objectives?.rto);
    lines.push(`| ${cell(p.name)} | ${p.kind.label} | ${rto} | ${rtoObjective} | ${rpo} | ${opt(p.check.objectives?.rpo)} |`
      + `${measured ? ` ${measuredCell(p)} |` : ''} ${status(p)} |`);
  }
  lines.push('');
  lines.push(...strategyComparison(report.paths));
  const machinery = machineryCost(report.paths.filter((p) => p.strategy === undefined));
  if (machinery !== undefined) {
    lines.push(`Failover machinery while idle: about ${machinery.toFixed(2)} USD a month, an estimate (each construct's machinery counted once; see each path's cost).`, '');
  }
  lines.push('## Topology', '', '```mermaid', ...topology(report.paths), '```', '');
  for (const p of report.paths) {
    lines.push(...pathSection(p));
  }
  return lines.join('\n');
}

/**
 * The strategies side by side: each end-to-end path that names its strategy, with its figures,
 * its idle cost (which counts its own machinery, so it is left out of the machinery total) and
 * its check. Empty without such paths.
 */
function strategyComparison(paths: ReportPath[]): string[] {
  const rows = paths.filter((p) => p.strategy !== undefined);
  if (rows.length === 0) {
    return [];
  }
  const lines = ['## Strategies compared', '',
    'Each row is one strategy\'s end-to-end path, composed from its parts\' paths. Cost: what stands in the recovery Region while idle and the '
    + 'failover machinery, a month, an estimate from list prices (see each path\'s cost for the basis).', '',
    '| strategy | recovery path | RTO modeled (best - worst) | RPO modeled | standby cost a month (estimate) | objectives |',
    '| --- | --- | --- | --- | --- | --- |'];
  for (const p of rows) {
    const t = p.totals;
    const rto = t.rtoMax === undefined ? 'n/a' : `${fmt(t.rtoMin!)} - ${fmt(t.rtoMax)}`;
    const rpo = t.rpoMax === undefined ? 'n/a' : fmt(t.rpoMax);
    const cost = p.cost === undefined ? '-' : `${p.cost.monthlyUsd.toFixed(2)} USD`;
    lines.push(`| ${cell(p.strategy!)} | ${cell(p.name)} | ${rto} | ${rpo} | ${cost} | ${status(p)} |`);
  }
  lines.push('');
  return lines;
}

/** The idle cost of the failover machinery: each construct's (path, basis) counted once; undefined when no path declares one. */
function machineryCost(paths: ReportPath[]): number | undefined {
  const once = new Map(paths.filter((p) => p.cost).map((p) => [`${p.constructPath}|${p.cost!.basis}`, p.cost!.monthlyUsd]));
  return once.size === 0 ? undefined : [...once.values()].reduce((a, b) => a + b, 0);
}

function pathSection(p: ReportPath): string[] {
  const lines = [`## ${p.kind.label}: ${p.name}`, ''];
  lines.push(`Path \`${p.id}\``, '');
  for (const e of p.endpoints) {
    lines.push(`- ${e.role}: ${e.label}${e.region ? ` (${e.region})` : ''}${e.health ? `, health: ${e.health}` : ''}`);
  }
  const o = p.check.objectives;
  lines.push(`- objectives: ${o ? `declared at \`${o.declaredAt}\` (${o.enforcement})` : 'none declared'}`);
  if (p.cost) {
    lines.push(`- cost while idle: about ${p.cost.monthlyUsd.toFixed(2)} USD a month, an estimate (${p.cost.basis})`);
  }
  if (p.measured) {
    lines.push(`- measured: ${measuredText(p)} (${p.measured.source}${p.measured.at === undefined ? '' : ` at ${p.measured.at}`})`);
  }
  for (const a of p.measuredAssumptions) {
    lines.push(`- measured assumption: ${a.id} = ${fmt(a.seconds)} (drill ${cell(a.source)} at ${a.at})`);
  }
  lines.push('');
  const branches = new Map(timeline(p.step).map((x) => [x.term, x.lane]));
  lines.push('| term | min | max | basis |', '| --- | --- | --- | --- |');
  for (const t of flatten(p.step)) {
    const branch = branches.get(t)?.length ? ` (branch ${branches.get(t)})` : '';
    lines.push(`| ${t.kind.label}${branch}${t.assumption ? ' (assumption)' : ''} | ${fmt(t.min)} | ${fmt(t.max)} | ${cell(t.basis)} |`);
  }
  const d = p.totals.dominant;
  if (p.totals.rtoMax !== undefined) {
    lines.push(`| **total** | **${fmt(p.totals.rtoMin!)}** | **${fmt(p.totals.rtoMax)}** | dominant term: ${d!.kind.label} |`, '');
    lines.push('```mermaid', ...gantt(p), '```', '');
  } else {
    lines.push(`| **data loss** | | **${fmt(p.totals.rpoMax!)}** | a data path: no recovery time |`, '');
  }
  const assumptions = flatten(p.step).filter((t) => t.assumption);
  if (assumptions.length > 0) {
    lines.push('Assumptions:', '', ...assumptions.map((t) => `- ${t.kind.label}: ${t.basis}`), '');
  }
  if (p.warnings.length > 0) {
    lines.push('Warnings:', '', ...p.warnings.map((w) => `- ${w}`), '');
  }
  return lines;
}

/** The table's cell: the figures, the drill's day, and `(sample)` for figures a source marks as a sample. */
function measuredCell(p: ReportPath): string {
  if (!p.measured) {
    return '-';
  }
  const when = p.measured.at === undefined ? '' : ` on ${p.measured.at.slice(0, 10)}`;
  return `${measuredText(p)}${when}${/^sample\b/i.test(p.measured.source) ? ' (sample)' : ''}`;
}

function measuredText(p: ReportPath): string {
  if (!p.measured) {
    return '-';
  }
  const m = p.measured;
  const mark = (met: boolean | undefined) => met === false ? ' (MISSED)' : '';
  return [
    m.rto === undefined ? undefined : `RTO ${fmt(m.rto)}${mark(m.check.rtoMet)}`,
    m.rpo === undefined ? undefined : `RPO ${fmt(m.rpo)}${mark(m.check.rpoMet)}`,
  ].filter((x) => x !== undefined).join(', ');
}

function status(p: ReportPath): string {
  const c = p.check;
  if (c.rtoMet === false || c.rpoMet === false) {
    return c.objectives?.enforcement === 'warn' ? 'MISSED (accepted)' : 'MISSED';
  }
  if (p.measured?.check.rtoMet === false || p.measured?.check.rpoMet === false) {
    return 'MISSED (measured)';
  }
  if (c.rtoMet === undefined && c.rpoMet === undefined) {
    return 'no objective';
  }
  return 'met';
}

function opt(value: number | undefined): string {
  return value === undefined ? '-' : fmt(value);
}

/** A table cell: a pipe would end it early. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * Mermaid diagrams: one topology of the whole stage (each endpoint drawn once, grouped by
 * region, with its health check), and a timeline (gantt) per path.
 */
import { fmt } from './format';
import { ReportEndpoint, ReportPath } from './report-path';
import { timeline } from '../model/compose';
import { EndpointRole } from '../path';

/** Roles that serve traffic before the failure: drawn with a solid line. */
const SERVING = new Set<EndpointRole>([EndpointRole.PRIMARY, EndpointRole.ACTIVE]);

export function topology(paths: ReportPath[]): string[] {
  const endpoints = new Map<string, { id: string; endpoint: ReportEndpoint }>();
  const healthChecks = new Map<string, string>();
  const edges: string[] = [];
  const nodes: string[] = [];
  const keyOf = (e: ReportEndpoint) => `${e.label}\u0000${e.region ?? ''}`;

  paths.forEach((p, i) => {
    const pathNode = `p${i}`;
    nodes.push(`  ${pathNode}{{"${text(p.name)}<br/>${text(p.kind.label)}"}}`);
    if (p.totals.rtoMax !== undefined) {
      edges.push(`  clients --> ${pathNode}`);
    }
    for (const e of p.endpoints) {
      const key = keyOf(e);
      if (!endpoints.has(key)) {
        endpoints.set(key, { id: `e${endpoints.size}`, endpoint: e });
      }
      const node = endpoints.get(key)!.id;
      edges.push(SERVING.has(e.role)
        ? `  ${pathNode} -- "${e.role}" --> ${node}`
        : `  ${pathNode} -. "${e.role}" .-> ${node}`);
      if (e.health !== undefined) {
        const healthKey = `${key}\u0000${e.health}`;
        if (!healthChecks.has(healthKey)) {
          const h = `h${healthChecks.size}`;
          healthChecks.set(healthKey, h);
          nodes.push(`  ${h}[/"${text(e.health)}"/]`);
          edges.push(`  ${h} -. "checks" .-> ${node}`);
        }
      }
    }
  });

  const out = ['flowchart LR', '  clients(["clients"])'];
  const regions = [...new Set([...endpoints.values()].map(({ endpoint }) => endpoint.region ?? ''))];
  regions.forEach((region, r) => {
    const members = [...endpoints.values()].filter(({ endpoint }) => (endpoint.region ?? '') === region);
    out.push(`  subgraph g${r}["${region ? text(region) : 'region unknown'}"]`);
    out.push(...members.map(({ id, endpoint }) => `    ${id}["${text(endpoint.label)}"]`));
    out.push('  end');
  });
  return [...out, ...nodes, ...edges];
}

/**
 * The worst-case timeline of a path: each time term starts when the steps before it have taken
 * their longest; its bar is solid up to its minimum and open up to its maximum. The objective
 * is a milestone on the same axis. Times are milliseconds from the failure.
 */
export function gantt(p: ReportPath): string[] {
  const measured = p.measured?.rto;
  const end = Math.max(p.totals.rtoMax!, p.check.objectives?.rto ?? 0, measured ?? 0);
  const out = [
    'gantt',
    `  title ${task(p.name)}: worst case ${fmt(p.totals.rtoMax!)}`,
    '  dateFormat x',
    // Minutes and seconds would wrap after an hour.
    `  axisFormat ${end >= 3600 ? '%H:%M:%S' : '%M:%S'}`,
  ];
  timeline(p.step).forEach(({ term, start, lane }, i) => {
    const from = ms(start);
    out.push(`  section ${task(term.kind.label)}${lane ? ` (branch ${lane})` : ''}`);
    if (term.max === 0) {
      out.push(`  instant : milestone, t${i}, ${from}, ${from}`);
      return;
    }
    if (term.min > 0) {
      out.push(`  at least ${fmt(term.min)} : done, t${i}a, ${from}, ${ms(start + term.min)}`);
    }
    if (term.max > term.min) {
      out.push(`  up to ${fmt(term.max)} : active, t${i}b, ${ms(start + term.min)}, ${ms(start + term.max)}`);
    }
  });
  const objective = p.check.objectives?.rto;
  if (objective !== undefined) {
    out.push('  section objective', `  RTO ${fmt(objective)} : milestone, rto, ${ms(objective)}, ${ms(objective)}`);
  }
  if (measured !== undefined) {
    const missed = p.measured!.check.rtoMet === false ? ' (missed)' : '';
    out.push('  section measured', `  RTO ${fmt(measured)}${missed} : ${missed ? 'crit, ' : ''}milestone, measured, ${ms(measured)}, ${ms(measured)}`);
  }
  return out;
}

function ms(seconds: number): number {
  return Math.round(seconds * 1000);
}

/** Text inside a quoted flowchart label: quotes and angle brackets as Mermaid entities. */
function text(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Gantt titles, sections and task names end at a colon or a hash and must stay on one line. */
function task(value: string): string {
  return value.replace(/[:#;\n]/g, ' ').replace(/\s+/g, ' ').trim();
}

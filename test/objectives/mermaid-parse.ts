/**
 * A structural parser for the two Mermaid diagrams the report writes: enough to catch a line
 * Mermaid would reject (an unquoted label, a stray colon, a task ending before it starts, an
 * edge to a node that does not exist), without a browser.
 */

export interface Flowchart {
  readonly type: 'flowchart';
  /** Node id -> label. */
  readonly nodes: Map<string, string>;
  readonly edges: Array<{ from: string; to: string; label?: string; dotted: boolean }>;
  /** Subgraph label -> the node ids inside it. */
  readonly subgraphs: Map<string, string[]>;
}

export interface Gantt {
  readonly type: 'gantt';
  readonly title: string;
  readonly sections: string[];
  readonly tasks: Array<{ name: string; tags: string[]; id: string; start: number; end: number; section: string }>;
}

export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
}

export function parseMermaid(text: string): Flowchart | Gantt {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines[0] === 'flowchart LR') {
    return flowchart(lines.slice(1));
  }
  if (lines[0] === 'gantt') {
    return gantt(lines.slice(1));
  }
  throw new Error(`unknown diagram: ${lines[0]}`);
}

// A quoted label: no raw quote inside (Mermaid ends the label there).
const LABEL = '"([^"]*)"';
const ID = '([A-Za-z][A-Za-z0-9_]*)';
const NODE_SHAPES = [
  new RegExp(`^${ID}\\(\\[${LABEL}\\]\\)$`),
  new RegExp(`^${ID}\\[${LABEL}\\]$`),
  new RegExp(`^${ID}\\{\\{${LABEL}\\}\\}$`),
  new RegExp(`^${ID}\\[/${LABEL}/\\]$`),
];

function flowchart(lines: string[]): Flowchart {
  const chart: Flowchart = { type: 'flowchart', nodes: new Map(), edges: [], subgraphs: new Map() };
  let open: string[] | undefined;
  for (const raw of lines) {
    const line = raw.trim();
    const sub = line.match(new RegExp(`^subgraph ${ID}\\[${LABEL}\\]$`));
    if (sub) {
      if (open) {
        throw new Error(`nested subgraph: ${line}`);
      }
      open = [];
      chart.subgraphs.set(sub[2], open);
      continue;
    }
    if (line === 'end') {
      if (!open) {
        throw new Error('end without subgraph');
      }
      open = undefined;
      continue;
    }
    const node = NODE_SHAPES.map((r) => line.match(r)).find((m) => m);
    if (node) {
      if (chart.nodes.has(node[1])) {
        throw new Error(`node ${node[1]} defined twice`);
      }
      chart.nodes.set(node[1], node[2]);
      open?.push(node[1]);
      continue;
    }
    const edge = line.match(new RegExp(`^${ID} (?:-->|-- ${LABEL} -->|-\\. ${LABEL} \\.->) ${ID}$`));
    if (edge) {
      const label = edge[2] ?? edge[3];
      chart.edges.push({ from: edge[1], to: edge[4], label, dotted: edge[3] !== undefined });
      continue;
    }
    throw new Error(`not a flowchart line: ${line}`);
  }
  if (open) {
    throw new Error('subgraph without end');
  }
  for (const e of chart.edges) {
    for (const id of [e.from, e.to]) {
      if (!chart.nodes.has(id)) {
        throw new Error(`edge to undefined node ${id}`);
      }
    }
  }
  return chart;
}

function gantt(lines: string[]): Gantt {
  const header = lines.slice(0, 3).map((l) => l.trim());
  const title = header[0].match(/^title ([^\n]+)$/)?.[1];
  if (!title || header[1] !== 'dateFormat x' || !/^axisFormat \S+$/.test(header[2])) {
    throw new Error(`bad gantt header: ${header.join(' / ')}`);
  }
  const chart: Gantt = { type: 'gantt', title, sections: [], tasks: [] };
  const ids = new Set<string>();
  for (const raw of lines.slice(3)) {
    const line = raw.trim();
    const section = line.match(/^section ([^:#;]+)$/);
    if (section) {
      chart.sections.push(section[1]);
      continue;
    }
    const task = line.match(/^([^:#;]+) : ((?:(?:done|active|crit|milestone), )*)([A-Za-z][A-Za-z0-9]*), (\d+), (\d+)$/);
    if (!task || chart.sections.length === 0) {
      throw new Error(`not a gantt task in a section: ${line}`);
    }
    const [, name, tagText, id, start, end] = task;
    if (ids.has(id)) {
      throw new Error(`task id ${id} used twice`);
    }
    ids.add(id);
    const tags = tagText.split(', ').filter((t) => t !== '');
    if (Number(end) < Number(start) || (tags.includes('milestone') ? Number(end) !== Number(start) : Number(end) === Number(start))) {
      throw new Error(`task ${id} runs from ${start} to ${end}`);
    }
    chart.tasks.push({ name: name.trim(), tags, id, start: Number(start), end: Number(end), section: chart.sections[chart.sections.length - 1] });
  }
  return chart;
}

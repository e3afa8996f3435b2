/**
 * Drill summaries as plain figures: the checked-in or downloaded file parsed and validated, then
 * reduced to what the report needs (the latest measurement per path, the largest measured value
 * per assumption). Pure: no constructs.
 */

/** The `format` field of a drill results file. */
export const DRILL_RESULTS_FORMAT = 'cdk-failover/drill-results';
/** The version of the file format this library reads. */
export const DRILL_RESULTS_VERSION = 1;

/** One drill, in seconds. */
export interface Drill {
  /** `<construct path>#<path id>`, as the report names the path. */
  readonly path: string;
  /** ISO 8601 UTC time the drill injected its fault, e.g. `2026-11-30T14:05:00Z`. */
  readonly at: string;
  /** Where the figures come from, e.g. a Step Functions execution ARN. */
  readonly source: string;
  readonly rto?: number;
  readonly rpo?: number;
  /** Measured assumption values in seconds, by assumption id. */
  readonly assumptions: { readonly [id: string]: number };
}

/** A measured assumption value and the drill it came from. */
export interface MeasuredAssumption {
  readonly seconds: number;
  readonly source: string;
  readonly at: string;
  readonly path: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const PATH_ID = /^[^#\s]+#[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A drill measures minutes to hours; more than 7 days is a unit mistake (milliseconds?). */
const MAX_SECONDS = 7 * 24 * 3600;

/**
 * Checks one drill's fields and returns it, or adds one problem per bad field. `where` names the
 * drill in messages, e.g. `drills[2]`.
 */
export function checkDrill(raw: unknown, where: string, problems: string[],
  names: { rtoSeconds: string; rpoSeconds: string } = { rtoSeconds: 'rtoSeconds', rpoSeconds: 'rpoSeconds' }): Drill | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${where} must be an object with \`path\`, \`at\`, \`source\` and \`${names.rtoSeconds}\` or \`${names.rpoSeconds}\`, got: ${short(raw)}`);
    return undefined;
  }
  const d = raw as Record<string, unknown>;
  const before = problems.length;
  const known = new Set(['path', 'at', 'source', 'rtoSeconds', 'rpoSeconds', 'assumptions']);
  for (const key of Object.keys(d)) {
    if (!known.has(key)) {
      problems.push(`${where} has an unknown field ${JSON.stringify(key)}; the fields are: ${[...known].join(', ')}`);
    }
  }
  if (typeof d.path !== 'string' || !PATH_ID.test(d.path)) {
    problems.push(`${where}.path must name a recovery path as the report does, \`<construct path>#<path id>\` (e.g. \`Prod/Web/Dns#failover\`), got: ${short(d.path)}`);
  }
  if (typeof d.at !== 'string' || !ISO_UTC.test(d.at) || Number.isNaN(Date.parse(d.at))) {
    problems.push(`${where}.at must be the UTC time of the drill in ISO 8601, e.g. \`2026-11-30T14:05:00Z\`, got: ${short(d.at)}`);
  }
  if (typeof d.source !== 'string' || d.source.trim().length === 0 || d.source.length > 2048) {
    problems.push(`${where}.source must say where the figures come from (e.g. the drill's execution ARN), 1 to 2048 characters, got: ${short(d.source)}`);
  }
  const rto = seconds(d.rtoSeconds, `${where}.${names.rtoSeconds}`, problems);
  const rpo = seconds(d.rpoSeconds, `${where}.${names.rpoSeconds}`, problems);
  if (d.rtoSeconds === undefined && d.rpoSeconds === undefined && d.assumptions === undefined) {
    problems.push(`${where} measures nothing: give \`${names.rtoSeconds}\`, \`${names.rpoSeconds}\` or \`assumptions\``);
  }
  const assumptions: { [id: string]: number } = {};
  if (d.assumptions !== undefined) {
    if (d.assumptions === null || typeof d.assumptions !== 'object' || Array.isArray(d.assumptions)) {
      problems.push(`${where}.assumptions must map assumption ids to seconds, e.g. { "healthToDnsAnswer": 18.5 }, got: ${short(d.assumptions)}`);
    } else {
      for (const [id, value] of Object.entries(d.assumptions)) {
        const s = seconds(value, `${where}.assumptions.${id}`, problems);
        if (s !== undefined) {
          assumptions[id] = s;
        }
      }
    }
  }
  if (problems.length > before) {
    return undefined;
  }
  return { path: d.path as string, at: d.at as string, source: d.source as string, rto, rpo, assumptions };
}

/**
 * Parses the text of a drill results file. Throws one error listing every problem; `file` names
 * the file in the message.
 */
export function parseDrillResults(text: string, file: string): Drill[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`Drill results ${file}: not JSON (${(e as Error).message}). Give the file the drill wrote, `
      + `{ "format": "${DRILL_RESULTS_FORMAT}", "formatVersion": ${DRILL_RESULTS_VERSION}, "drills": [...] }.`);
  }
  const problems: string[] = [];
  const drills: Drill[] = [];
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(`the file must hold an object { "format": "${DRILL_RESULTS_FORMAT}", "formatVersion": ${DRILL_RESULTS_VERSION}, "drills": [...] }, got: ${short(doc)}`);
  } else {
    const d = doc as Record<string, unknown>;
    if (d.format !== DRILL_RESULTS_FORMAT) {
      problems.push(`\`format\` must be ${JSON.stringify(DRILL_RESULTS_FORMAT)}, got: ${short(d.format)}`);
    }
    if (d.formatVersion !== DRILL_RESULTS_VERSION) {
      problems.push(`\`formatVersion\` ${short(d.formatVersion)} is not one this version of cdk-failover reads (${DRILL_RESULTS_VERSION}); `
        + 'upgrade cdk-failover or write the file in version 1');
    }
    if (!Array.isArray(d.drills)) {
      problems.push(`\`drills\` must be a list of drill summaries, got: ${short(d.drills)}`);
    } else {
      d.drills.forEach((raw, i) => {
        const drill = checkDrill(raw, `drills[${i}]`, problems);
        if (drill) {
          drills.push(drill);
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new Error(`Drill results ${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`}.`);
  }
  return drills;
}

/** The latest drill that measured a time or a data loss on each path, by path id. */
export function latestByPath(drills: Drill[]): Map<string, Drill> {
  const out = new Map<string, Drill>();
  for (const d of drills) {
    if (d.rto === undefined && d.rpo === undefined) {
      continue;
    }
    const seen = out.get(d.path);
    if (!seen || Date.parse(d.at) > Date.parse(seen.at)) {
      out.set(d.path, d);
    }
  }
  return out;
}

/**
 * The largest value each assumption was measured at, with its drill: the model is a worst case,
 * so one slow drill counts until its summary is dropped from the file. Ties go to the latest drill.
 */
export function worstAssumptions(drills: Drill[]): Map<string, MeasuredAssumption> {
  const out = new Map<string, MeasuredAssumption>();
  for (const d of drills) {
    for (const [id, s] of Object.entries(d.assumptions)) {
      const seen = out.get(id);
      if (!seen || s > seen.seconds || (s === seen.seconds && Date.parse(d.at) > Date.parse(seen.at))) {
        out.set(id, { seconds: s, source: d.source, at: d.at, path: d.path });
      }
    }
  }
  return out;
}

function seconds(value: unknown, where: string, problems: string[]): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_SECONDS) {
    problems.push(`${where} must be a number of seconds from 0 to ${MAX_SECONDS} (7 days), got: ${short(value)}`);
    return undefined;
  }
  return value;
}

function short(value: unknown): string {
  const s = value === undefined ? 'nothing' : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

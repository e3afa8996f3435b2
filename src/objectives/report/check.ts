/**
 * The objective check: pure, over the figures of one path and the objectives that apply to it.
 */
import { fmt } from './format';
import { Totals } from '../model/compose';

/** Objectives as plain figures. */
export interface Objectives {
  /** Where they are declared, for messages. */
  readonly declaredAt: string;
  /** Undefined where only an RPO is given (the analysis of templates). */
  readonly rto?: number;
  readonly rpo?: number;
  /** 'fail' or 'warn' (RecoveryObjectives), or 'command line' (the analysis). */
  readonly enforcement: string;
}

/** The outcome of checking one path against its objectives. */
export interface ObjectiveCheck {
  readonly objectives?: Objectives;
  /** Undefined when there is no objective or the path takes no time (a data path). */
  readonly rtoMet?: boolean;
  /** Undefined when there is no RPO objective or the path carries no data. */
  readonly rpoMet?: boolean;
  /** One message per miss: the path, the figures, the dominant term and the fix. */
  readonly messages: string[];
}

/** Checks a path's worst cases against its objectives; a worst case equal to the objective meets it. */
export function checkObjectives(title: string, t: Totals, objectives: Objectives | undefined): ObjectiveCheck {
  if (!objectives) {
    return { messages: [] };
  }
  const rtoMet = t.rtoMax === undefined || objectives.rto === undefined ? undefined : t.rtoMax <= objectives.rto;
  const rpoMet = objectives.rpo === undefined || t.rpoMax === undefined ? undefined : t.rpoMax <= objectives.rpo;
  const messages: string[] = [];
  // Only objectives that fail synth can be turned into warnings (not the analysis's, given on its command line).
  const accept = objectives.enforcement === 'fail' ? ', or set enforcement: ObjectiveEnforcement.WARN to accept the miss.' : '.';
  if (rtoMet === false) {
    const d = t.dominant!;
    const [worst, objective] = apart(t.rtoMax!, objectives.rto!);
    messages.push(
      `${title}: modeled worst-case recovery time ${worst} exceeds the RTO objective ${objective} `
      + `(declared at ${objectives.declaredAt}). Dominant term: ${d.kind.label} up to ${fmt(d.max)} (${d.basis}). `
      + `Fix: ${d.remedy}; or raise the objective${accept}`,
    );
  }
  if (rpoMet === false) {
    const [worst, objective] = apart(t.rpoMax!, objectives.rpo!);
    const d = t.dominantData;
    const dominant = d === undefined ? '' : `Dominant term: ${d.kind.label} up to ${fmt(d.max)} (${d.basis}). `;
    const fix = d === undefined || d.remedy === 'none needed' ? 'replicate with a shorter lag' : d.remedy;
    messages.push(
      `${title}: modeled worst-case data loss ${worst} exceeds the RPO objective ${objective} `
      + `(declared at ${objectives.declaredAt}). ${dominant}Fix: ${fix}; or raise the objective${accept}`,
    );
  }
  return { objectives, rtoMet, rpoMet, messages };
}

/** A figure and its objective for a message; in exact seconds where rounding would print them alike. */
function apart(worst: number, objective: number): [string, string] {
  const [w, o] = [fmt(worst), fmt(objective)];
  return w === o ? [`${worst} s`, `${objective} s`] : [w, o];
}

/** Figures a drill measured, in seconds. */
export interface Measured {
  readonly rto?: number;
  readonly rpo?: number;
  readonly source: string;
  readonly at?: string;
}

/** The outcome of checking measured figures against the objectives and the model. */
export interface MeasuredCheck {
  /** Undefined when nothing to compare (no objective, or the figure was not measured). */
  readonly rtoMet?: boolean;
  readonly rpoMet?: boolean;
  /** Whether the measured figure is within the modeled worst case; undefined when either is missing. */
  readonly rtoWithinModel?: boolean;
  readonly rpoWithinModel?: boolean;
  /** One message per measured miss of an objective. */
  readonly missed: string[];
  /** One message per measured figure above the modeled worst case. */
  readonly aboveModel: string[];
}

/**
 * Checks measured figures against the objectives and the modeled worst case. A measured miss is
 * reported, never enforced here: the drill measured the system as deployed then, and failing
 * synth would block deploying the fix.
 */
export function checkMeasured(title: string, m: Measured, t: Totals, objectives: Objectives | undefined): MeasuredCheck {
  const drill = `drill ${m.source}${m.at === undefined ? '' : ` at ${m.at}`}`;
  const rtoMet = m.rto === undefined || objectives?.rto === undefined || t.rtoMax === undefined ? undefined : m.rto <= objectives.rto;
  const rpoMet = m.rpo === undefined || objectives?.rpo === undefined || t.rpoMax === undefined ? undefined : m.rpo <= objectives.rpo;
  const rtoWithinModel = m.rto === undefined || t.rtoMax === undefined ? undefined : m.rto <= t.rtoMax;
  const rpoWithinModel = m.rpo === undefined || t.rpoMax === undefined ? undefined : m.rpo <= t.rpoMax;
  const missed: string[] = [];
  const aboveModel: string[] = [];
  const again = 'Fix the path, deploy, and drill again; or raise the objective.';
  if (rtoMet === false) {
    const [measured, objective] = apart(m.rto!, objectives!.rto!);
    missed.push(`${title}: measured recovery time ${measured} (${drill}) exceeds the RTO objective ${objective} `
      + `(declared at ${objectives!.declaredAt}); modeled worst case ${fmt(t.rtoMax!)}. ${again}`);
  }
  if (rpoMet === false) {
    const [measured, objective] = apart(m.rpo!, objectives!.rpo!);
    missed.push(`${title}: measured data loss ${measured} (${drill}) exceeds the RPO objective ${objective} `
      + `(declared at ${objectives!.declaredAt}); modeled worst case ${fmt(t.rpoMax!)}. ${again}`);
  }
  const feed = 'the model is optimistic: give DrillResults the delays the drill measured (`assumptions`), or check that the drill timed from the injection.';
  if (rtoWithinModel === false) {
    const [measured, modeled] = apart(m.rto!, t.rtoMax!);
    aboveModel.push(`${title}: measured recovery time ${measured} (${drill}) exceeds the modeled worst case ${modeled}: ${feed}`);
  }
  if (rpoWithinModel === false) {
    const [measured, modeled] = apart(m.rpo!, t.rpoMax!);
    aboveModel.push(`${title}: measured data loss ${measured} (${drill}) exceeds the modeled worst case ${modeled}: ${feed}`);
  }
  return { rtoMet, rpoMet, rtoWithinModel, rpoWithinModel, missed, aboveModel };
}

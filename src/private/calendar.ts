/**
 * Blocked windows and blocked dates, in the format of ARC zonal autoshift practice runs
 * (docs/aws-facts.md#zonal-shift-and-zonal-autoshift): a window is `Mon:09:00-Mon:17:00` in UTC,
 * within one day; a date is `YYYY-MM-DD` in UTC. The zonal autoshift practice configuration and
 * the drills read them alike, so a team writes its quiet hours once. Pure: bundled into the
 * drill's Lambda, no aws-cdk-lib here.
 */

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** The day names are taken in any case: the API's pattern spells them `Mon`, its docs `MON`. */
const WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):(([01]\d|2[0-3]):[0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):(([01]\d|2[0-3]):[0-5]\d)$/i;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A blocked window, parsed: the UTC day (0 is Sunday) and minutes of the day. */
export interface Window {
  readonly text: string;
  readonly day: number;
  readonly from: number;
  readonly to: number;
}

/** Why `text` is not a blocked window, or undefined when it is one. `prop` names it in the message. */
export function windowProblem(prop: string, text: unknown): string | undefined {
  const m = typeof text === 'string' ? WINDOW.exec(text) : null;
  if (!m || m[1].toLowerCase() !== m[4].toLowerCase()) {
    return `\`${prop}\` entries must be like Mon:09:00-Mon:17:00 (UTC), within one day, got: ${JSON.stringify(text)}. `
      + 'Split a window across days into one per day.';
  }
  if (m[5] <= m[2]) {
    return `\`${prop}\` entries must end after they start, got: ${JSON.stringify(text)}${m[5] === m[2] ? ' (no time at all)' : ' (inverted)'}. `
      + `Give the start first, e.g. ${dayName(m[1])}:${m[5]}-${dayName(m[1])}:${m[2]}.`;
  }
  return undefined;
}

/** Why `text` is not a blocked date (a day the month has), or undefined when it is one. */
export function dateProblem(prop: string, text: unknown): string | undefined {
  if (typeof text !== 'string' || !DATE.test(text)) {
    return `\`${prop}\` entries must be YYYY-MM-DD (UTC), got: ${JSON.stringify(text)}.`;
  }
  // Date.parse takes 2026-02-30 for 2026-03-02, a day the calendar never shows.
  const [year, month, day] = text.split('-').map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last ? undefined
    : `\`${prop}\` entries must be days of the calendar, got: ${JSON.stringify(text)} (${text.slice(0, 7)} has ${last} days). Give e.g. ${text.slice(0, 8)}${last}.`;
}

/** A window that `windowProblem` accepted, parsed. */
export function parseWindow(text: string): Window {
  const m = WINDOW.exec(text);
  if (!m) {
    throw new Error(`not a blocked window: ${JSON.stringify(text)}`);
  }
  return { text, day: DAYS.indexOf(m[1].toLowerCase()), from: minutes(m[2]), to: minutes(m[5]) };
}

/** `MON:18:30-MON:19:30` as the API's pattern spells it: `Mon:18:30-Mon:19:30`. */
export function apiWindow(text: string): string {
  const m = WINDOW.exec(text);
  return m ? `${dayName(m[1])}:${m[2]}-${dayName(m[4])}:${m[5]}` : text;
}

/**
 * Why `at` is blocked: the window or date it falls in, or undefined when it is free. A window
 * includes its start and excludes its end, like a practice run's.
 */
export function blockedReason(at: Date, windows: readonly string[], dates: readonly string[]): string | undefined {
  const date = at.toISOString().slice(0, 10);
  if (dates.includes(date)) {
    return `${date} is a blocked date`;
  }
  const minute = at.getUTCHours() * 60 + at.getUTCMinutes();
  for (const text of windows) {
    const w = parseWindow(text);
    if (w.day === at.getUTCDay() && minute >= w.from && minute < w.to) {
      return `${at.toISOString()} is in the blocked window ${apiWindow(text)} (UTC)`;
    }
  }
  return undefined;
}

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function dayName(day: string): string {
  return day.charAt(0).toUpperCase() + day.slice(1).toLowerCase();
}

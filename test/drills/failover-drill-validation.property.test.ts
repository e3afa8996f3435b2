import { Duration } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { dnsDrill, drillDefinition, drillParts } from './drill-fixture';
import { DrillMeasurement, MeasureUntil } from '../../src';

// Each run builds a stack, and an accepted one is synthesized: 100 runs take far longer than jest's 5 s.
jest.setTimeout(180_000);

const VALID_URLS = ['https://app.example.com/health', 'http://us-west-2.app.example.com:8080/ping?x=1'];
const HEADERS = {
  none: {},
  pair: { standbyHeaderName: 'x-region', standbyHeaderValue: 'us-west-2' },
  nameOnly: { standbyHeaderName: 'x-region' },
  badName: { standbyHeaderName: 'x region', standbyHeaderValue: 'us-west-2' },
  blank: { standbyHeaderName: 'x-region', standbyHeaderValue: ' ' },
};

const day = fc.constantFrom('Mon', 'mon', 'tue', 'SUN');
const hhmm = (minutes: number): [number, number] => [Math.floor(minutes / 60), minutes % 60];
/** Mostly absent (the default), sometimes given. */
const sometimes = <T>(value: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: value, weight: 1 });
/** Mostly `common`, now and then `rare` (1 in `weight + 1`). */
const mostly = <T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>, weight = 8) =>
  fc.oneof({ arbitrary: common, weight }, { arbitrary: rare, weight: 1 });
/** Mostly short lists, sometimes over the 15 allowed. */
const list = <T>(item: fc.Arbitrary<T>) => mostly(fc.array(item, { maxLength: 3 }), fc.array(item, { minLength: 14, maxLength: 17 }));
/** Any time of day, and some that are not (24:00, 12:60). */
const anyTime = fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }));
/** A window within one day that ends after it starts. */
const goodWindow = fc.tuple(day, fc.integer({ min: 0, max: 23 * 60 + 58 }), fc.integer({ min: 1, max: 24 * 60 - 1 }))
  .map(([d, start, length]) => ({ from: d, to: d, start: hhmm(start), end: hhmm(Math.min(start + length, 24 * 60 - 1)) }));

const spec = fc.record({
  url: mostly(fc.constantFrom(...VALID_URLS), fc.constantFrom('app.example.com', 'ftp://app.example.com', 'https://', ''), 12),
  until: fc.constantFrom(undefined, MeasureUntil.STANDBY, MeasureUntil.RECOVERED),
  header: mostly(fc.constantFrom('pair', 'pair', 'none'), fc.constantFrom('nameOnly', 'badName', 'blank'), 12) as fc.Arbitrary<keyof typeof HEADERS>,
  body: mostly(fc.constantFrom(undefined, '"region":"us-west-2"'), fc.constant(''), 9),
  stableSamples: sometimes(mostly(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, 61, 2.5), 4)),
  intervalMs: sometimes(mostly(fc.integer({ min: 10, max: 60_000 }), fc.constantFrom(9, 60_001, 10.5))),
  maxWaitMs: sometimes(mostly(fc.integer({ min: 1000, max: 840_000 }), fc.constantFrom(999, 840_001))),
  expectStatus: sometimes(fc.array(mostly(fc.integer({ min: 100, max: 599 }), fc.constantFrom(99, 600), 12), { maxLength: 3 })),
  windows: list(mostly(goodWindow, fc.record({ from: day, to: day, start: anyTime, end: anyTime }))),
  dates: list(mostly(
    fc.tuple(fc.integer({ min: 2024, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })),
    fc.tuple(fc.integer({ min: 2024, max: 2030 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })),
    4,
  )),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

const two = (n: number) => String(n).padStart(2, '0');
const windowText = (w: Spec['windows'][number]) => `${w.from}:${two(w.start[0])}:${two(w.start[1])}-${w.to}:${two(w.end[0])}:${two(w.end[1])}`;
const dateText = ([y, m, d]: [number, number, number]) => `${y}-${two(m)}-${two(d)}`;
const whole = (v: number | undefined, min: number, max: number) => v === undefined || (Number.isInteger(v) && v >= min && v <= max);

/** The Gregorian calendar, written out: the days of month `m` (1 to 12) of year `y`. */
function daysIn(y: number, m: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** The props each problem names, one entry per message the drill must report, from the props' documentation. */
function expectedProblems(s: Spec): string[] {
  const problems: string[] = [];
  const until = s.until ?? MeasureUntil.STANDBY;
  if (!VALID_URLS.includes(s.url)) problems.push('measure.url');
  if (s.header === 'nameOnly') problems.push('measure.standbyHeaderName');
  if (s.header === 'badName') problems.push('measure.standbyHeaderName');
  if (s.header === 'blank') problems.push('measure.standbyHeaderValue');
  if (until === MeasureUntil.STANDBY && s.header === 'none' && s.body === undefined) problems.push('measure');
  const stableOk = s.stableSamples === undefined || (until === MeasureUntil.RECOVERED && whole(s.stableSamples, 1, 60));
  if (!stableOk) problems.push('measure.stableSamples');
  if (s.body === '') problems.push('measure.standbyBodyContains');
  const intervalOk = whole(s.intervalMs, 10, 60_000);
  const maxWaitOk = whole(s.maxWaitMs, 1000, 840_000);
  if (!intervalOk) problems.push('measure.interval');
  if (!maxWaitOk) problems.push('measure.maxWait');
  if (s.expectStatus !== undefined) {
    if (s.expectStatus.length === 0) problems.push('measure.expectStatus');
    s.expectStatus.forEach((status, i) => { if (status < 100 || status > 599) problems.push(`measure.expectStatus[${i}]`); });
  }
  if (until === MeasureUntil.RECOVERED && stableOk && intervalOk && maxWaitOk
    && (s.stableSamples ?? 5) * (s.intervalMs ?? 1000) > (s.maxWaitMs ?? 600_000)) {
    problems.push('measure.maxWait');
  }
  if (s.windows.length > 15) problems.push('blockedWindows');
  for (const w of s.windows) {
    const inDay = (t: [number, number]) => t[0] < 24 && t[1] < 60;
    const minutes = (t: [number, number]) => t[0] * 60 + t[1];
    if (w.from.toLowerCase() !== w.to.toLowerCase() || !inDay(w.start) || !inDay(w.end) || minutes(w.end) <= minutes(w.start)) problems.push('blockedWindows');
  }
  if (s.dates.length > 15) problems.push('blockedDates');
  for (const [y, m, d] of s.dates) {
    if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) problems.push('blockedDates');
  }
  return problems;
}

test('random measure and calendar props either synthesize with their figures, or fail with one message per problem, naming each prop', () => {
  let ok = 0;
  let failed = 0;
  fc.assert(fc.property(spec, (s) => {
    // GIVEN
    const parts = drillParts();
    const measure: DrillMeasurement = {
      url: s.url,
      until: s.until,
      ...HEADERS[s.header],
      standbyBodyContains: s.body,
      stableSamples: s.stableSamples,
      interval: s.intervalMs === undefined ? undefined : Duration.millis(s.intervalMs),
      maxWait: s.maxWaitMs === undefined ? undefined : Duration.millis(s.maxWaitMs),
      expectStatus: s.expectStatus,
    };
    const windows = s.windows.map(windowText);
    const dates = s.dates.map(dateText);
    const expected = expectedProblems(s);

    // WHEN
    let error: Error | undefined;
    try {
      dnsDrill(parts, { measure, blockedWindows: windows, blockedDates: dates });
    } catch (e) {
      error = e as Error;
    }

    // THEN
    if (expected.length === 0) {
      ok++;
      expect(error).toBeUndefined();
      const definition = JSON.stringify(drillDefinition(parts.stack));
      expect(definition).toContain(`"intervalMs":${s.intervalMs ?? 1000}`);
      expect(definition).toContain(`"maxWaitMs":${s.maxWaitMs ?? 600_000}`);
      expect(definition).toContain(`"blockedWindows":${JSON.stringify(windows)}`);
      expect(definition).toContain(`"blockedDates":${JSON.stringify(dates)}`);
      return;
    }
    failed++;
    expect(error).toBeDefined();
    const message = error!.message;
    const lines = expected.length === 1 ? [message.replace(/^Stack\/Drill: /, '')] : message.split('\n').slice(1).map((l) => l.replace(/^ {2}- /, ''));
    expect(message.startsWith(expected.length === 1 ? 'Stack/Drill: `' : `Stack/Drill: ${expected.length} problems:\n`)).toBe(true);
    expect(lines.map((l) => /^`([^`]+)`/.exec(l)?.[1]).sort()).toEqual([...expected].sort());
  }), { numRuns: 100 });
  expect(ok).toBeGreaterThan(10);
  expect(failed).toBeGreaterThan(10);
});

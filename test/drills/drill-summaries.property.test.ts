import * as fc from 'fast-check';
import { Drill, latestByPath, parseDrillResults, worstAssumptions } from '../../src/drills/private/drill-summaries';

const seconds = fc.oneof(
  { arbitrary: fc.double({ min: 0, max: 604800, noNaN: true }), weight: 8 },
  { arbitrary: fc.constantFrom(-1, NaN, Infinity, 604801, 1e12), weight: 1 },
  { arbitrary: fc.constantFrom('9', null, true), weight: 1 },
);
const at = fc.oneof(
  { arbitrary: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map((t) => new Date(t).toISOString()), weight: 8 },
  { arbitrary: fc.constantFrom('yesterday', '2026-11-30', '2026-13-45T00:00:00Z', ''), weight: 1 },
);
const drill = fc.record({
  path: fc.oneof({ arbitrary: fc.constantFrom('Stack/A#p', 'Stack/B#q', 'S/C/D#r-1'), weight: 8 }, { arbitrary: fc.constantFrom('Stack/A', '#p', 'a b#p'), weight: 1 }),
  at,
  source: fc.oneof({ arbitrary: fc.constantFrom('arn:aws:states:us-west-2:111111111111:execution:D:1', 'game day'), weight: 8 }, { arbitrary: fc.constant(''), weight: 1 }),
  rtoSeconds: seconds,
  rpoSeconds: seconds,
  assumptions: fc.dictionary(fc.constantFrom('healthToDnsAnswer', 'operatorResponse'), seconds),
}, { requiredKeys: ['path', 'at', 'source'] });

test('a drill results file either parses to valid figures or fails naming the bad field', () => {
  fc.assert(fc.property(fc.array(drill, { maxLength: 6 }), (drills) => {
    const text = JSON.stringify({ format: 'cdk-failover/drill-results', formatVersion: 1, drills });
    let parsed: Drill[];
    try {
      parsed = parseDrillResults(text, 'f.json');
    } catch (e) {
      expect((e as Error).message).toMatch(/^Drill results f\.json: .*drills\[\d+\]/s);
      return;
    }
    expect(parsed).toHaveLength(drills.length);
    for (const d of parsed) {
      for (const s of [d.rto, d.rpo, ...Object.values(d.assumptions)]) {
        expect(s === undefined || (s >= 0 && s <= 604800)).toBe(true);
      }
    }
    // The latest per path is no older than any drill of that path that measured a figure.
    for (const [pathId, latest] of latestByPath(parsed)) {
      for (const d of parsed.filter((x) => x.path === pathId && (x.rto !== undefined || x.rpo !== undefined))) {
        expect(Date.parse(latest.at)).toBeGreaterThanOrEqual(Date.parse(d.at));
      }
    }
    // The value kept per assumption is the largest measured.
    for (const [id, worst] of worstAssumptions(parsed)) {
      expect(worst.seconds).toEqual(Math.max(...parsed.map((d) => d.assumptions[id] ?? -1)));
    }
  }), { numRuns: 300 });
});

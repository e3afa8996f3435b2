/**
 * Helpers of the third-party fixtures' tests: templates written by others, kept byte for byte
 * under fixtures/ (sources, commits and licences in fixtures/SOURCES.md).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Analysis } from '../../src/analyze/private/analysis';
import { Term } from '../../src/objectives/model/term';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** Every file of a fixture directory, as the command line would be given them. */
export function files(fixture: string): string[] {
  const dir = path.join(FIXTURES, fixture);
  return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
}

/** A fixture's JSON template, parsed, to read its settings. */
export function template(fixture: string, file: string): { Resources: { [id: string]: { Type: string; Properties: any; Condition?: string } } } {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, file), 'utf8'));
}

/** The logical IDs of a template's resources of one type. */
export function ofType(t: ReturnType<typeof template>, type: string): string[] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
}

/** What a test compares: the figures of each path, and the dominant terms' IDs. */
export function figures(a: Analysis) {
  return a.report.paths.map((p) => ({
    id: p.id,
    name: p.name,
    rtoBest: p.totals.rtoMin,
    rtoWorst: p.totals.rtoMax,
    rpoWorst: p.totals.rpoMax,
    dominant: p.totals.dominant?.id,
    dominantData: p.totals.dominantData?.id,
    warnings: p.warnings,
  }));
}

/** The term with the largest maximum: on a series path, the one that dominates the worst case. */
export function largest(terms: Term[]): Term {
  return terms.reduce((a, b) => (b.max > a.max ? b : a));
}

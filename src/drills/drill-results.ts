import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Duration, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { DRILL_RESULTS_SYMBOL } from './private/drill-lookup';
import { checkDrill, Drill, DRILL_RESULTS_FORMAT, DRILL_RESULTS_VERSION, latestByPath, MeasuredAssumption, parseDrillResults, worstAssumptions } from './private/drill-summaries';
import { RecoveryAssumptions } from '../objectives/assumptions';
import { FailoverReport, isPathProvider } from '../objectives/report/failover-report';
import { unresolved } from '../private/validate';


/**
 * What one drill measured on one recovery path. The file form (`DrillResults.fromFile`) has the
 * same fields, with figures in seconds: `rtoSeconds`, `rpoSeconds`, and `assumptions` as numbers.
 */
export interface DrillSummary {
  /**
   * The recovery path the drill measured, named as the failover report names it:
   * `<construct path>#<path id>`, e.g. `Prod/Web/Dns#failover`.
   */
  readonly path: string;
  /** The UTC time the drill injected its fault, in ISO 8601, e.g. `2026-11-30T14:05:00Z`. */
  readonly at: string;
  /**
   * Where the figures come from, e.g. the drill's Step Functions execution ARN. A source that
   * begins with `sample` marks illustrative figures (a checked-in example): the report's table
   * labels them `(sample)`.
   */
  readonly source: string;
  /**
   * The measured time from the injected fault to clients being served again.
   *
   * @default - not measured (give `rto`, `rpo` or `assumptions`)
   */
  readonly rto?: Duration;
  /**
   * The measured data loss.
   *
   * @default - not measured
   */
  readonly rpo?: Duration;
  /**
   * Named assumptions the drill measured, by id (`RecoveryAssumption.id`), e.g.
   * `{ healthToDnsAnswer: Duration.seconds(18) }`. They replace the defaults for every recovery
   * path in the scope of the `DrillResults`, like `RecoveryAssumptions`.
   *
   * @default - none
   */
  readonly assumptions?: { [id: string]: Duration };
}

/**
 * Properties of `DrillResults`.
 */
export interface DrillResultsProps {
  /** What past drills measured, one summary per drill and path. */
  readonly summaries: DrillSummary[];
}

/**
 * Feeds what drills measured into the next synth. The failover report shows each path's latest
 * measured RTO and RPO beside the modeled figures and the objective, and warns when a measured
 * figure misses the objective or exceeds the modeled worst case. Measured assumption values
 * replace the defaults for every path in this construct's scope (a `RecoveryAssumptions` whose
 * values come from drills: the largest value measured for each), and the report names the drill
 * each came from.
 *
 * A measured miss is a warning (`cdk-failover:measured-objective-missed`), never a synth error:
 * the figure describes the system as it was deployed when drilled, and failing synth would block
 * deploying the fix. A summary naming a path the app no longer declares is a warning too
 * (`cdk-failover:drill-path-unknown`); a malformed summary is an error.
 *
 * A path's own `measured` (`RecoveryPathProps.measured`) wins over a summary; the nearest
 * `DrillResults` above a path wins over farther ones.
 *
 * @exampleMetadata fixture=drill-results
 * @example
 * // drills/results.json: { "format": "cdk-failover/drill-results", "formatVersion": 1, "drills": [
 * //   { "path": "Prod/Web/Dns#failover", "at": "2026-11-30T14:05:00Z", "source": "arn:aws:states:...",
 * //     "rtoSeconds": 84.5, "assumptions": { "healthToDnsAnswer": 18 } } ] }
 * DrillResults.fromFile(app, 'Drills', 'drills/results.json');
 * // or: cdk synth -c cdk-failover:drill-results=drills/results.json, with
 * DrillResults.fromContext(app, 'Drills');
 */
export class DrillResults extends RecoveryAssumptions {
  /** The context key `fromContext` reads: the path of a drill results file, or of a folder of them. */
  public static readonly CONTEXT_KEY = 'cdk-failover:drill-results';
  /** The `format` a drill results file declares. */
  public static readonly FILE_FORMAT = DRILL_RESULTS_FORMAT;
  /** The `formatVersion` of drill results files this version reads. */
  public static readonly FILE_FORMAT_VERSION = DRILL_RESULTS_VERSION;

  /**
   * Drill results from a JSON file: `{ "format": "cdk-failover/drill-results",
   * "formatVersion": 1, "drills": [{ "path", "at", "source", "rtoSeconds"?, "rpoSeconds"?,
   * "assumptions"? }] }`, figures in seconds. Every summary a `FailoverDrill` writes to S3 is
   * such a file; give a directory to read every `.json` file in it (e.g. the drills' prefix,
   * copied with `aws s3 sync`).
   *
   * @param file the file or directory, relative to the working directory of the app
   */
  public static fromFile(scope: Construct, id: string, file: string): DrillResults {
    const where = scope.node.path ? `${scope.node.path}/${id}` : id;
    if (unresolved(file)) {
      throw new Error(`${where}: \`file\` is a deploy-time Token; drill results are read at synth: give the file's path.`);
    }
    const cannot = (name: string, e: unknown) => new Error(`${where}: cannot read the drill results file ${JSON.stringify(name)} `
      + `(${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Give a path relative to the app's working directory (${process.cwd()}).`);
    let files: string[];
    try {
      files = fs.statSync(path.resolve(file)).isDirectory() ? jsonFilesUnder(path.resolve(file)).map((f) => path.join(file, f)) : [file];
    } catch (e) {
      throw cannot(file, e);
    }
    const ms = (seconds: number | undefined) => seconds === undefined ? undefined : Duration.millis(Math.round(seconds * 1000));
    const summaries = files.flatMap((name) => {
      let text: string;
      try {
        text = fs.readFileSync(path.resolve(name), 'utf8');
      } catch (e) {
        throw cannot(name, e);
      }
      return parseDrillResults(text, JSON.stringify(name)).map((d): DrillSummary => ({
        path: d.path,
        at: d.at,
        source: d.source,
        rto: ms(d.rto),
        rpo: ms(d.rpo),
        assumptions: Object.keys(d.assumptions).length === 0 ? undefined
          : Object.fromEntries(Object.entries(d.assumptions).map(([a, s]) => [a, ms(s)!])),
      }));
    });
    return new DrillResults(scope, id, { summaries });
  }

  /**
   * Drill results from the file (or folder) named by the context key `cdk-failover:drill-results`, or
   * undefined when the key is not set.
   */
  public static fromContext(scope: Construct, id: string): DrillResults | undefined {
    const file = scope.node.tryGetContext(DrillResults.CONTEXT_KEY);
    if (file === undefined) {
      return undefined;
    }
    if (typeof file !== 'string' || file.length === 0) {
      const where = scope.node.path ? `${scope.node.path}/${id}` : id;
      throw new Error(`${where}: the context key ${DrillResults.CONTEXT_KEY} must be the path of a drill results file, got: ${JSON.stringify(file)}.`);
    }
    return DrillResults.fromFile(scope, id, file);
  }

  /** Whether `x` is a `DrillResults` (also across copies of this library). */
  public static isDrillResults(x: any): x is DrillResults {
    return x !== null && typeof x === 'object' && DRILL_RESULTS_SYMBOL in x;
  }

  /** @internal every drill, checked. */
  public readonly _drills: Drill[];
  /** @internal the latest drill per path id. */
  public readonly _latest: Map<string, Drill>;
  /** @internal the largest value per assumption id, and its drill. */
  public readonly _assumptions: Map<string, MeasuredAssumption>;

  constructor(scope: Construct, id: string, props: DrillResultsProps) {
    const problems: string[] = [];
    const drills = checkSummaries(props.summaries, problems);
    const assumptions = worstAssumptions(drills);
    const badIds = [...assumptions.keys()].filter((a) => !/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(a));
    badIds.forEach((a) => problems.push(`an assumption id must be 1 to 64 letters, digits or hyphens starting with a letter (a RecoveryAssumption.id such as \`healthToDnsAnswer\`), got: ${JSON.stringify(a)}`));
    const values: { [id: string]: Duration } = {};
    for (const [a, m] of assumptions) {
      values[a] = Duration.millis(Math.round(m.seconds * 1000));
    }
    super(scope, id, { values: problems.length === 0 ? values : {} });
    Object.defineProperty(this, DRILL_RESULTS_SYMBOL, { value: true });
    if (problems.length > 0) {
      const where = this.node.path;
      throw new Error(problems.length === 1 ? `${where}: ${problems[0]}.` : `${where}: ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    this._drills = drills;
    this._latest = latestByPath(drills);
    this._assumptions = assumptions;
    this.node.addValidation({ validate: () => this.warnUnknownPaths() });
    this.node.addValidation({ validate: () => this.warnSameScope() });
  }

  /** A `RecoveryAssumptions` beside this one setting a measured id: the first child would win. */
  private warnSameScope(): string[] {
    const scope = this.node.scope!;
    for (const sibling of scope.node.children) {
      if (sibling === this || !RecoveryAssumptions.isRecoveryAssumptions(sibling)) {
        continue;
      }
      const both = Object.keys(sibling.values).filter((a) => this._assumptions.has(a));
      if (both.length > 0) {
        Annotations.of(this).addWarningV2('cdk-failover:drill-assumption-conflict',
          `${sibling.node.path} sets ${both.join(', ')} in the same scope as these drill results, which measured ${both.length === 1 ? 'it' : 'them'}: `
          + 'the one declared first wins. Drop the value from one of them, or move the RecoveryAssumptions to a nearer scope to override the drill.');
      }
    }
    return [];
  }

  /** A summary naming a path the app no longer declares: a warning, the app may have changed. */
  private warnUnknownPaths(): string[] {
    const unknown = new Map<string, string>();
    for (const pathId of this._latest.keys()) {
      const [constructPath, id] = splitPathId(pathId);
      const target = findByPath(this.node.root, constructPath);
      if (!target) {
        unknown.set(pathId, `no construct at ${constructPath}`);
      } else if (!isPathProvider(target)) {
        unknown.set(pathId, `${constructPath} declares no recovery paths`);
      } else {
        const ids = FailoverReport.of(target)._pathIds(target);
        if (!ids.includes(id)) {
          unknown.set(pathId, `${constructPath} declares ${ids.length === 0 ? 'no paths' : `the paths ${ids.map((x) => `#${x}`).join(', ')}`}`);
        }
      }
    }
    for (const [pathId, why] of unknown) {
      Annotations.of(this).addWarningV2('cdk-failover:drill-path-unknown',
        `A drill summary measured ${pathId}, but ${why}: the app may have changed since the drill. `
        + 'Its figures are not shown; drop the summary, or drill the path again.');
    }
    return [];
  }
}

/** The `.json` files under `dir`, in its subdirectories too, relative and sorted (the drills write `<prefix>/<drill>/<start>-<execution>.json`). */
function jsonFilesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => e.isDirectory() ? jsonFilesUnder(dir, path.join(prefix, e.name)) : e.name.endsWith('.json') ? [path.join(prefix, e.name)] : [])
    .sort();
}

function splitPathId(pathId: string): [string, string] {
  const i = pathId.lastIndexOf('#');
  return [pathId.slice(0, i), pathId.slice(i + 1)];
}

function findByPath(root: IConstruct, constructPath: string): IConstruct | undefined {
  let node: IConstruct | undefined = root;
  for (const segment of constructPath.split('/')) {
    node = node?.node.tryFindChild(segment);
  }
  return node && Stage.of(node) ? node : undefined;
}

function checkSummaries(summaries: DrillSummary[], problems: string[]): Drill[] {
  const drills: Drill[] = [];
  summaries.forEach((s, i) => {
    const where = `summaries[${i}]`;
    const secondsOf = (d: Duration | undefined, prop: string): number | undefined => {
      if (d === undefined) {
        return undefined;
      }
      if (d.isUnresolved()) {
        problems.push(`${where}.${prop} is a deploy-time Token, but a drill measures a figure known at synth`);
        return 0; // reported: the other fields are still checked
      }
      return d.toMilliseconds({ integral: false }) / 1000;
    };
    const assumptions: { [id: string]: number | undefined } = {};
    for (const [a, d] of Object.entries(s.assumptions ?? {})) {
      assumptions[a] = secondsOf(d, `assumptions.${a}`);
    }
    const raw = {
      path: s.path,
      at: s.at,
      source: s.source,
      rtoSeconds: secondsOf(s.rto, 'rto'),
      rpoSeconds: secondsOf(s.rpo, 'rpo'),
      assumptions: s.assumptions === undefined ? undefined : assumptions,
    };
    const fields = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
    const drill = checkDrill(fields, where, problems, { rtoSeconds: 'rto', rpoSeconds: 'rpo' });
    if (drill) {
      drills.push(drill);
    }
  });
  return drills;
}

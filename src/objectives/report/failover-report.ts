import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Aspects, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { checkMeasured, checkObjectives, Measured, Objectives } from './check';
import { readable } from './format';
import { reportJson } from './json';
import { reportMarkdown } from './markdown';
import { ReportMeasuredAssumption, ReportPath } from './report-path';
import { drillFor, measuredAssumptionFor } from '../../drills/private/drill-lookup';
import { usedOwnAssumption } from '../../private/assumptions';
import { literalSeconds } from '../../private/validate';
import { Step, totals } from '../model/compose';
import { Term } from '../model/term';
import { ObjectiveEnforcement, RecoveryObjectives } from '../objectives';
import { IRecoveryPathProvider, RecoveryPath } from '../path';

/** File names of the report in the cloud assembly directory. */
export const REPORT_JSON = 'failover-report.json';
export const REPORT_MARKDOWN = 'failover-report.md';

const REPORT_ID = 'CdkFailoverReport';

/** Whether a construct declares recovery paths (duck-typed: jsii implementations have no marker). */
export function isPathProvider(x: IConstruct): x is IRecoveryPathProvider {
  return typeof (x as Partial<IRecoveryPathProvider>).recoveryPaths === 'function';
}

/**
 * The failover report of one stage (or app). At synthesis it finds every construct in the stage
 * that implements `IRecoveryPathProvider`, asks each for its paths once, checks every path
 * against the nearest `RecoveryObjectives` (a miss is a validation error, or a warning, on the
 * construct that declares the path), and writes `failover-report.json` and
 * `failover-report.md` into the stage's cloud assembly directory.
 *
 * One per stage; this library's constructs and `RecoveryObjectives` create it.
 */
export class FailoverReport extends Construct {
  /** The report of the stage that `scope` belongs to. */
  public static of(scope: IConstruct): FailoverReport {
    const stage = Stage.of(scope);
    if (!stage) {
      throw new Error(`${scope.node.path}: recovery paths must be inside an App or Stage to be reported.`);
    }
    const existing = stage.node.tryFindChild(REPORT_ID);
    return (existing as FailoverReport | undefined) ?? new FailoverReport(stage, REPORT_ID);
  }

  /** The paths of each provider, described once per synthesis. */
  private described = new Map<IConstruct, ReportPath[]>();
  private readonly tracked = new WeakSet<IConstruct>();

  private constructor(private readonly stage: Stage, id: string) {
    super(stage, id);
    Aspects.of(stage).add(new PathFinder(this));
    this.node.addValidation({ validate: () => this.write() });
  }

  /** @internal a new synthesis: describe every path again. */
  public _reset(): void {
    this.described = new Map();
  }

  /** @internal checks the paths of `provider` against its objectives when it validates. */
  public _track(provider: IRecoveryPathProvider): void {
    if (this.tracked.has(provider)) {
      return;
    }
    this.tracked.add(provider);
    provider.node.addValidation({
      validate: () => {
        const paths = this.describe(provider);
        // A measured miss is a warning whatever the enforcement (see DrillResults).
        const warn = Annotations.of(annotationTarget(provider));
        paths.flatMap((p) => p.measured?.check.missed ?? [])
          .forEach((m) => warn.addWarningV2('cdk-failover:measured-objective-missed', m));
        paths.flatMap((p) => p.measured?.check.aboveModel ?? [])
          .forEach((m) => warn.addWarningV2('cdk-failover:measured-above-model', m));
        const messages = paths.flatMap((p) => p.check.messages);
        if (paths.some((p) => p.check.objectives?.enforcement === ObjectiveEnforcement.WARN)) {
          messages.forEach((m) => warn.addWarningV2('cdk-failover:objective-missed', m));
          return [];
        }
        return messages;
      },
    });
  }

  /**
   * Every path of the stage as the report describes it (each provider asked once per synthesis).
   *
   * @internal
   */
  public _paths(): ReportPath[] {
    return providersOf(this.stage).flatMap((p) => this.describe(p));
  }

  /** @internal the ids of the paths `provider` declares (described once per synthesis). */
  public _pathIds(provider: IRecoveryPathProvider): string[] {
    return this.describe(provider).map((p) => p.id.slice(provider.node.path.length + 1));
  }

  private describe(provider: IRecoveryPathProvider): ReportPath[] {
    let paths = this.described.get(provider);
    if (!paths) {
      paths = describePaths(provider, provider.recoveryPaths());
      this.described.set(provider, paths);
    }
    return paths;
  }

  private write(): string[] {
    const paths = this._paths();
    const report = { stage: this.stage.node.path || '(app)', paths };
    fs.mkdirSync(this.stage.outdir, { recursive: true });
    fs.writeFileSync(path.join(this.stage.outdir, REPORT_JSON), JSON.stringify(reportJson(report), undefined, 2) + '\n');
    fs.writeFileSync(path.join(this.stage.outdir, REPORT_MARKDOWN), reportMarkdown(report));
    return [];
  }
}

/** Hands every path provider of the stage to its report before validation. */
class PathFinder implements IAspect {
  constructor(private readonly report: FailoverReport) {}

  public visit(node: IConstruct): void {
    if (Stage.isStage(node)) {
      this.report._reset();
    }
    if (isPathProvider(node)) {
      this.report._track(node);
    }
  }
}

/** The providers of a stage, in tree order, without those of nested stages (they have their own report). */
function providersOf(stage: Stage): IRecoveryPathProvider[] {
  const out: IRecoveryPathProvider[] = [];
  const visit = (c: IConstruct) => {
    if (isPathProvider(c)) {
      out.push(c);
    }
    c.node.children.filter((child) => !Stage.isStage(child)).forEach(visit);
  };
  visit(stage);
  return out;
}

function describePaths(provider: IRecoveryPathProvider, paths: RecoveryPath[]): ReportPath[] {
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p.id)) {
      throw new Error(`${provider.node.path}: declares two recovery paths with id ${JSON.stringify(p.id)}; give each path of a construct its own id.`);
    }
    seen.add(p.id);
  }
  const objectives = objectivesOf(provider);
  return paths.map((p) => {
    const measuredAssumptions: ReportMeasuredAssumption[] = [];
    const step = readableStep(p.estimate._step, (term) => {
      if (term.assumptionId === undefined || term.assumption || usedOwnAssumption(provider, term.assumptionId)) {
        return undefined;
      }
      const m = measuredAssumptionFor(provider, term.assumptionId);
      if (m && !measuredAssumptions.some((x) => x.id === term.assumptionId)) {
        measuredAssumptions.push({ id: term.assumptionId, seconds: m.seconds, source: readable(m.source), at: m.at });
      }
      return m && ` (measured by drill ${readable(m.source)} at ${m.at})`;
    });
    const t = totals(step);
    const kind = p.kind;
    const name = readable(p.name);
    const title = `${kind.label} of ${name}`;
    const check = checkObjectives(title, t, objectives);
    const id = `${provider.node.path}#${p.id}`;
    const drill = p.measured ? undefined : drillFor(provider, id);
    const measured: Measured | undefined = p.measured
      ? { rto: literalSeconds(p.measured.rto), rpo: p.measured.rpo && literalSeconds(p.measured.rpo), source: readable(p.measured.source) }
      : drill && { rto: drill.rto, rpo: drill.rpo, source: readable(drill.source), at: drill.at };
    const measuredCheck = measured && checkMeasured(title, measured, t, objectives);
    return {
      id,
      constructPath: provider.node.path,
      kind,
      name,
      endpoints: p.endpoints.map((e) => ({
        label: readable(e.label),
        role: e.role,
        region: e.region === undefined ? undefined : readable(e.region),
        health: e.health === undefined ? undefined : readable(e.health),
      })),
      step,
      totals: t,
      measured: measured && { ...measured, check: measuredCheck! },
      cost: p.cost && { monthlyUsd: p.cost.monthlyUsd, basis: readable(p.cost.basis) },
      strategy: p.strategy === undefined ? undefined : readable(p.strategy),
      measuredAssumptions,
      check,
      warnings: [...p.warnings.map(readable), ...check.messages, ...measuredCheck?.missed ?? [], ...measuredCheck?.aboveModel ?? []],
    };
  });
}

function objectivesOf(scope: IConstruct): Objectives | undefined {
  // RecoveryObjectives accepts literal durations only.
  const o = RecoveryObjectives.of(scope);
  if (!o) {
    return undefined;
  }
  return {
    declaredAt: o.node.path,
    rto: literalSeconds(o.rto),
    rpo: o.rpo && literalSeconds(o.rpo),
    enforcement: o.enforcement,
  };
}

/** The step with readable text; `suffix` adds to a term's basis (where a measured value came from). */
function readableStep(step: Step, suffix: (t: Term) => string | undefined): Step {
  if (step.type === 'term') {
    const t = step.term;
    return { type: 'term', term: { ...t, basis: readable(t.basis) + (suffix(t) ?? ''), remedy: readable(t.remedy) } };
  }
  return { type: step.type, steps: step.steps.map((s) => readableStep(s, suffix)) };
}

/**
 * Where a provider's warnings go: the provider itself, or, for one above the stacks (a
 * `DisasterRecovery` holds its stacks), its first stack, since the cdk CLI prints and
 * `--strict` checks only the stacks' annotations.
 */
export function annotationTarget(provider: IConstruct): IConstruct {
  if (provider.node.scopes.some((c) => Stack.isStack(c))) {
    return provider;
  }
  return provider.node.findAll().find((c) => Stack.isStack(c)) ?? provider;
}

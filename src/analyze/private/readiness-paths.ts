/**
 * The readiness analysis inside a CDK app: each stack's resources as its template will hold
 * them, analysed like a synthesized template, and the paths found declared through the library's
 * own recovery-path contract, leaving out what the library's constructs already declare.
 */
import { Annotations, CfnElement, Stack, Stage, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { analyseTogether } from './analysis';
import { TemplateFindings } from './findings';
import { CfnResourceJson, CfnTemplate, linkTemplates, LoadedTemplate } from './templates';
import { IRecoveryPathProvider, RecoveryPath } from '../../objectives/path';
import { FailoverReport, isPathProvider } from '../../objectives/report/failover-report';

/** A stack's template as the analysis reads it, and the construct behind each logical ID. */
interface StackTemplate {
  readonly template: LoadedTemplate;
  readonly elements: Map<string, CfnElement>;
  /** Elements that could not be rendered, and why. */
  readonly unrendered: Array<{ element: CfnElement; reason: string }>;
}

/**
 * The templates of every stack of a stage, rendered, linked (a stack imports what another
 * exports) and analysed once, when first asked (at validation).
 */
export class StageTemplates {
  private read?: Map<Stack, StackTemplate & { findings: TemplateFindings }>;

  constructor(private readonly stage: Stage) {}

  /** The template of `stack`, one of the stage's stacks, and what the analysis found in it. */
  public of(stack: Stack): StackTemplate & { findings: TemplateFindings } {
    this.read ??= this.analyse();
    return this.read.get(stack)!;
  }

  private analyse(): Map<Stack, StackTemplate & { findings: TemplateFindings }> {
    const stacks = stacksOf(this.stage);
    const rendered = stacks.map(stackTemplate);
    const linked = linkTemplates(rendered.map((r) => r.template));
    const findings = analyseTogether(linked);
    return new Map(stacks.map((stack, i) => [stack, { ...rendered[i], template: linked[i], findings: findings[i] }]));
  }
}

/** What a stack's readiness paths need from the aspect. */
export interface ReadinessPathsOptions {
  readonly exclude: IConstruct[];
  readonly templates: () => StageTemplates;
}

/** The recovery paths of a stack's resources that no construct of the library declares. */
export class ReadinessPaths extends Construct implements IRecoveryPathProvider {
  /** The construct's ID in its stack. */
  public static readonly ID = 'FailoverReadiness';

  constructor(private readonly stack: Stack, private readonly options: ReadinessPathsOptions) {
    super(stack, ReadinessPaths.ID);
    // Created by an aspect: the report's own aspect may have visited the stage already, so the
    // report is told of this provider directly.
    FailoverReport.of(this)._track(this);
  }

  public recoveryPaths(): RecoveryPath[] {
    const { elements, unrendered, findings: found } = this.options.templates().of(this.stack);
    const left = (logicalId: string | undefined) => {
      const element = logicalId === undefined ? undefined : elements.get(logicalId);
      return element !== undefined && (this.declaredByLibrary(element) || this.excluded(element));
    };
    for (const { element, reason } of unrendered) {
      if (!this.excluded(element)) {
        Annotations.of(element).addWarningV2('cdk-failover:readiness-not-analysed', `not analysed for failover readiness: ${reason}`);
      }
    }
    for (const n of found.notAnalysed) {
      if (!left(n.logicalId)) {
        Annotations.of(elements.get(n.logicalId) ?? this.stack)
          .addWarningV2('cdk-failover:readiness-not-analysed', `${n.type} ${n.logicalId} not analysed for failover readiness: ${n.reason}`);
      }
    }
    // A path is about its first resource: when a construct of the library holds that resource, the
    // construct declares the path itself.
    return found.paths.filter((p) => !left(found.resources[p.id]?.[0]));
  }

  /** Whether a construct of the library (or the user's own provider) inside the stack holds the element. */
  private declaredByLibrary(element: CfnElement): boolean {
    const scopes = element.node.scopes;
    return scopes.slice(scopes.indexOf(this.stack) + 1).some((s) => s !== element && isPathProvider(s));
  }

  private excluded(element: CfnElement): boolean {
    return this.options.exclude.some((e) => element.node.scopes.includes(e));
  }
}

/** The stacks of a stage, nested stacks included, without those of nested stages. */
function stacksOf(stage: Stage): Stack[] {
  const out: Stack[] = [];
  const visit = (c: IConstruct) => {
    if (Stack.isStack(c)) {
      out.push(c);
    }
    c.node.children.filter((child) => !Stage.isStage(child)).forEach(visit);
  };
  visit(stage);
  return out;
}

/** The elements of a stack's own template: not those of its nested stacks. */
function elementsOf(stack: Stack): CfnElement[] {
  const out: CfnElement[] = [];
  const visit = (c: IConstruct) => {
    if (CfnElement.isCfnElement(c)) {
      out.push(c);
    }
    c.node.children.filter((child) => !Stage.isStage(child) && !Stack.isStack(child)).forEach(visit);
  };
  visit(stack);
  return out;
}

/**
 * The stack's template as synthesis will write it: each element's fragment, resolved. Read at
 * validation, after the app is prepared, so references between stacks are already imports.
 */
function stackTemplate(stack: Stack): StackTemplate {
  const resources: { [logicalId: string]: CfnResourceJson } = {};
  const template: { [section: string]: { [key: string]: unknown } } = {};
  const elements = new Map<string, CfnElement>();
  const unrendered: Array<{ element: CfnElement; reason: string }> = [];
  for (const element of elementsOf(stack)) {
    let fragment: { [section: string]: { [key: string]: unknown } };
    try {
      // The fragment synthesis writes for the element (aws-cdk-lib's own renderer of it).
      fragment = stack.resolve((element as unknown as { _toCloudFormation(): object })._toCloudFormation());
    } catch (e) {
      unrendered.push({ element, reason: `its template could not be rendered (${(e as Error).message.split('\n')[0]})` });
      continue;
    }
    for (const [section, entries] of Object.entries(fragment ?? {})) {
      if (entries !== null && typeof entries === 'object') {
        Object.assign(section === 'Resources' ? resources : (template[section] ??= {}), entries);
        Object.keys(entries).forEach((logicalId) => elements.set(logicalId, element));
      }
    }
  }
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const cfn: CfnTemplate = { ...template, Resources: resources };
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const loaded: LoadedTemplate = { name: stack.node.path, file: stack.templateFile, region, account, stackName: stack.stackName, template: cfn };
  return { template: loaded, elements, unrendered };
}

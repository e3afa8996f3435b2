import { IAspect, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ReadinessPaths, StageTemplates } from './private/readiness-paths';

/** Options for `FailoverReadiness`. */
export interface FailoverReadinessProps {
  /**
   * Constructs whose resources the analysis leaves out: a path read from a resource inside one of
   * them is not reported. Use it for resources whose recovery you declare another way (your own
   * `IRecoveryPathProvider`), or that you know are not part of a failover.
   *
   * @default - nothing left out but the resources inside a recovery-path provider (this library's
   * constructs, or your own `IRecoveryPathProvider`), which declares their paths itself.
   */
  readonly exclude?: IConstruct[];
}

/**
 * The analysis of `cdk-failover analyze`, inside a CDK app: the recovery paths of the raw
 * aws-cdk-lib (or any L1) resources of each stack it visits, in the same failover report and
 * against the same `RecoveryObjectives` as this library's constructs.
 *
 * It reads what the stack's resources will be in the template: Route 53 failover records and
 * their health checks, S3 replication rules, DynamoDB global tables, and every other family the
 * command analyses. Resources inside this library's constructs (or any `IRecoveryPathProvider`)
 * are left out, since those constructs declare their own paths: nothing is counted twice. A resource the analysis meets and
 * cannot model is a warning (`cdk-failover:readiness-not-analysed`) on that resource, with the
 * reason.
 *
 * The paths of each stack are declared by a construct it adds to the stack,
 * `<stack>/FailoverReadiness`; it adds nothing to the templates.
 *
 * @exampleMetadata fixture=readiness
 * @example
 * Aspects.of(app).add(new FailoverReadiness());
 */
export class FailoverReadiness implements IAspect {
  private readonly exclude: IConstruct[];
  /** The templates of each stage, read once per synthesis. */
  private readonly templates = new WeakMap<Stage, StageTemplates>();

  constructor(props: FailoverReadinessProps = {}) {
    this.exclude = [...props.exclude ?? []];
  }

  /** Adds the stack's readiness paths to it; called by the CDK for every construct. */
  public visit(node: IConstruct): void {
    if (Stage.isStage(node)) {
      // A new synthesis: the stage's templates are read again when first asked.
      this.templates.delete(node);
      return;
    }
    if (!Stack.isStack(node) || node.node.tryFindChild(ReadinessPaths.ID) !== undefined) {
      return;
    }
    const stage = Stage.of(node);
    if (stage === undefined) {
      return;
    }
    new ReadinessPaths(node, {
      exclude: this.exclude,
      templates: () => {
        let read = this.templates.get(stage);
        if (read === undefined) {
          read = new StageTemplates(stage);
          this.templates.set(stage, read);
        }
        return read;
      },
    });
  }
}

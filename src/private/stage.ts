import { Annotations, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every construct of the stage `scope` belongs to, without descending into nested stages: two
 * stages (beta, prod) may declare resources of the same deterministic name, and each stage is
 * deployed on its own.
 */
export function constructsOfStage(scope: IConstruct): IConstruct[] {
  const stage = Stage.of(scope) ?? scope.node.root;
  const found: IConstruct[] = [];
  const visit = (c: IConstruct) => {
    found.push(c);
    for (const child of c.node.children) {
      if (!Stage.isStage(child)) {
        visit(child);
      }
    }
  };
  visit(stage);
  return found;
}

/** Whether `a` deploys after `b`: it depends on it, directly or through other stacks. */
export function deploysAfter(a: Stack, b: Stack, seen = new Set<Stack>()): boolean {
  if (seen.has(a)) {
    return false;
  }
  seen.add(a);
  return a.dependencies.some((d) => d === b || deploysAfter(d, b, seen));
}

/**
 * Makes `later` deploy after `earlier`, or fails with our own message when `earlier` already
 * deploys after `later` (aws-cdk-lib would report a bare dependency cycle).
 */
export function deployAfter(scope: IConstruct, later: Stack, earlier: Stack, reason: string, fix: string): void {
  if (deploysAfter(earlier, later)) {
    throw new Error(`${scope.node.path}: ${reason}, so ${later.node.path} must deploy after ${earlier.node.path}, `
      + `but ${earlier.node.path} already deploys after ${later.node.path}: the two stacks would wait for each other. ${fix}`);
  }
  later.addDependency(earlier, reason);
}

/**
 * Regions meet by name, so the other side of a name may be declared after `scope`, or in
 * another app. Once the app is built (aspects run before synthesis), warns with `id` unless
 * `found()` sees the other side; the warning can be acknowledged when it lives elsewhere.
 */
export function warnUnlessFound(scope: IConstruct, id: string, found: () => boolean, message: () => string): void {
  Aspects.of(scope).add({
    visit: (node: IConstruct) => {
      if (node === scope && !found()) {
        Annotations.of(scope).addWarningV2(id, message());
      }
    },
  });
}

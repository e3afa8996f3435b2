/**
 * A template's conditions, decided where the template alone decides them: `Fn::Equals` of values
 * the resolver resolves (parameters with defaults, pseudo parameters the stack's region answers,
 * mappings), `Fn::And`, `Fn::Or`, `Fn::Not` and `Condition`. Otherwise the condition stays
 * unresolved, with the reason.
 */
import { contextOf, ResolveContext, resolve, ResourceRef, Unresolved } from './intrinsics';
import type { CfnTemplate, LoadedTemplate, NotCreated } from './templates';

/** Whether the template's condition of that name holds, or why the template does not decide it. */
export function conditionHolds(name: unknown, ctx: ResolveContext, depth = 0): boolean | Unresolved {
  if (typeof name !== 'string') {
    return new Unresolved('a malformed condition name');
  }
  const known = ctx.conditions?.get(name);
  if (known !== undefined) {
    return known;
  }
  const expression = ctx.template.Conditions?.[name];
  if (expression === undefined) {
    return new Unresolved(`the condition ${name}, which the template does not define`);
  }
  if (depth > 20) {
    return new Unresolved(`the condition ${name}, nested too deep`);
  }
  // A condition that refers to itself is never decided.
  ctx.conditions?.set(name, new Unresolved(`the condition ${name}, which refers to itself`));
  const holds = evaluate(expression, ctx, depth + 1);
  const decided = holds instanceof Unresolved ? new Unresolved(`the condition ${name}, which depends on ${holds.reason}`) : holds;
  ctx.conditions?.set(name, decided);
  return decided;
}

function evaluate(expression: unknown, ctx: ResolveContext, depth: number): boolean | Unresolved {
  const entries = expression !== null && typeof expression === 'object' && !Array.isArray(expression) ? Object.entries(expression) : [];
  if (entries.length !== 1) {
    return new Unresolved('a malformed condition');
  }
  const [fn, arg] = entries[0];
  const args = Array.isArray(arg) ? arg : [];
  switch (fn) {
    case 'Condition':
      return conditionHolds(arg, ctx, depth);
    case 'Fn::Equals':
      return args.length === 2 ? equals(resolve(args[0], ctx), resolve(args[1], ctx)) : new Unresolved('a malformed Fn::Equals');
    case 'Fn::Not': {
      const holds = args.length === 1 ? evaluate(args[0], ctx, depth + 1) : new Unresolved('a malformed Fn::Not');
      return holds instanceof Unresolved ? holds : !holds;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      if (args.length < 2) {
        return new Unresolved(`a malformed ${fn}`);
      }
      // One false (for And) or true (for Or) operand decides, even when another is not decided.
      const decisive = fn === 'Fn::Or';
      const operands = args.map((a) => evaluate(a, ctx, depth + 1));
      return operands.includes(decisive) ? decisive : operands.find((o) => o instanceof Unresolved) ?? !decisive;
    }
    default:
      return new Unresolved(`${fn}, which is not a condition function`);
  }
}

/** CloudFormation compares the two values as text. */
function equals(a: unknown, b: unknown): boolean | Unresolved {
  const unknown = [a, b].find((v) => v instanceof Unresolved || v instanceof ResourceRef);
  if (unknown !== undefined) {
    return unknown instanceof Unresolved ? new Unresolved(`Fn::Equals of ${unknown.reason}`) : new Unresolved('Fn::Equals of a resource attribute, known only at deploy time');
  }
  const text = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return text(a) === text(b);
}

/**
 * The resources whose `Condition` the template decides false (CloudFormation does not create
 * them), and the template without them.
 */
export function dropNotCreated(template: CfnTemplate, ctx: ResolveContext): { template: CfnTemplate; notCreated: NotCreated[] } {
  const notCreated: NotCreated[] = [];
  const resources = Object.entries(template.Resources ?? {}).filter(([logicalId, resource]) => {
    const condition = resource?.Condition;
    if (typeof condition === 'string' && conditionHolds(condition, ctx) === false) {
      notCreated.push({ logicalId, type: String(resource.Type), condition });
      return false;
    }
    return true;
  });
  return notCreated.length === 0 ? { template, notCreated } : { template: { ...template, Resources: Object.fromEntries(resources) }, notCreated };
}

/** Why the analysis cannot tell whether a resource is created (its condition is not decided), if so. */
export function creationUndecided(t: LoadedTemplate, logicalId: string): Unresolved | undefined {
  const condition = t.template.Resources?.[logicalId]?.Condition;
  if (condition === undefined) {
    return undefined;
  }
  const holds = conditionHolds(condition, contextOf(t));
  return holds instanceof Unresolved ? new Unresolved(`${logicalId} is created only if ${holds.reason}`) : undefined;
}

/**
 * Intrinsic functions, resolved where a template alone decides them: `Ref` to a parameter with a
 * default, to a resource (kept as a reference) or to a pseudo parameter the stack's region
 * answers; `Fn::Join` and `Fn::Sub` of resolved parts. Anything else stays unresolved, with the
 * reason, so that the model takes it at its slowest and says why.
 */
import { CfnTemplate, LoadedTemplate } from './templates';

/** A value the template alone does not decide. */
export class Unresolved {
  constructor(public readonly reason: string) {}
}

/** A reference to a resource of the same template. */
export class ResourceRef {
  constructor(public readonly logicalId: string, public readonly attribute?: string) {}
}

/** What the resolver knows besides the template. */
export interface ResolveContext {
  readonly template: CfnTemplate;
  readonly region?: string;
}

/** What the resolver knows of a template read for the analysis. */
export function contextOf(t: LoadedTemplate): ResolveContext {
  return { template: t.template, region: t.region };
}

const INTRINSICS = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::If', 'Fn::Select', 'Fn::ImportValue', 'Fn::FindInMap', 'Fn::Split', 'Fn::Base64', 'Fn::GetAZs', 'Fn::Cidr'];

/** The value with every intrinsic function resolved, or replaced by `Unresolved` / `ResourceRef`. */
export function resolve(value: unknown, ctx: ResolveContext, depth = 0): unknown {
  if (depth > 20) {
    return new Unresolved('nested too deep');
  }
  if (Array.isArray(value)) {
    return value.map((v) => resolve(v, ctx, depth + 1));
  }
  if (value === null || typeof value !== 'object' || value instanceof Unresolved || value instanceof ResourceRef) {
    return value;
  }
  const entries = Object.entries(value as { [k: string]: unknown });
  if (entries.length === 1 && INTRINSICS.includes(entries[0][0])) {
    return intrinsic(entries[0][0], entries[0][1], ctx, depth);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v, ctx, depth + 1)]));
}

function intrinsic(fn: string, arg: unknown, ctx: ResolveContext, depth: number): unknown {
  switch (fn) {
    case 'Ref':
      return ref(arg, ctx, depth);
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split(/\.(.*)/s) : [];
      return typeof id === 'string' && ctx.template.Resources?.[id] !== undefined
        ? new ResourceRef(id, typeof attribute === 'string' ? attribute : undefined)
        : new Unresolved(`Fn::GetAtt of ${JSON.stringify(arg)}, which is not a resource of the template`);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) {
        return new Unresolved('a malformed Fn::Join');
      }
      const parts = arg[1].map((p) => resolve(p, ctx, depth + 1));
      const bad = parts.find((p) => typeof p !== 'string' && typeof p !== 'number');
      return bad === undefined ? parts.join(arg[0]) : unresolvedOf(bad, 'Fn::Join');
    }
    case 'Fn::Sub':
      return sub(arg, ctx, depth);
    case 'Fn::If':
      return new Unresolved('Fn::If: the condition is decided at deploy time');
    default:
      return new Unresolved(`${fn} is not resolved by the analysis`);
  }
}

function ref(name: unknown, ctx: ResolveContext, depth: number): unknown {
  if (typeof name !== 'string') {
    return new Unresolved('a malformed Ref');
  }
  if (name === 'AWS::Region') {
    return ctx.region ?? new Unresolved('AWS::Region of a stack whose region is not known');
  }
  if (name === 'AWS::URLSuffix') {
    return 'amazonaws.com';
  }
  if (name === 'AWS::Partition') {
    return 'aws';
  }
  if (name.startsWith('AWS::')) {
    return new Unresolved(`the pseudo parameter ${name}`);
  }
  const parameter = ctx.template.Parameters?.[name];
  if (parameter !== undefined) {
    return parameter.Default === undefined
      ? new Unresolved(`the parameter ${name}, which has no default`)
      : resolve(parameter.Default, ctx, depth + 1);
  }
  if (ctx.template.Resources?.[name] !== undefined) {
    return new ResourceRef(name);
  }
  return new Unresolved(`Ref to ${name}, which the template does not define`);
}

function sub(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  const [text, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) ? arg : [undefined, undefined];
  if (typeof text !== 'string' || variables === null || typeof variables !== 'object') {
    return new Unresolved('a malformed Fn::Sub');
  }
  let problem: unknown;
  const out = text.replace(/\$\{(!?)([^}]*)\}/g, (whole, literal: string, name: string) => {
    if (literal) {
      return `\${${name}}`;
    }
    const given = (variables as { [k: string]: unknown })[name];
    const value = given !== undefined ? resolve(given, ctx, depth + 1) : name.includes('.') ? resolve({ 'Fn::GetAtt': name }, ctx, depth + 1) : ref(name, ctx, depth);
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value);
    }
    problem ??= value;
    return whole;
  });
  return problem === undefined ? out : unresolvedOf(problem, 'Fn::Sub');
}

function unresolvedOf(value: unknown, where: string): Unresolved {
  if (value instanceof Unresolved) {
    return new Unresolved(`${where} of ${value.reason}`);
  }
  if (value instanceof ResourceRef) {
    return new Unresolved(`${where} of an attribute of ${value.logicalId}, known only at deploy time`);
  }
  return new Unresolved(`${where} of a value that is not text`);
}

/** The logical ID a value refers to (`Ref` or `Fn::GetAtt`), if it is a reference to a resource. */
export function refTarget(value: unknown): string | undefined {
  return value instanceof ResourceRef ? value.logicalId : undefined;
}

/** A literal number (numbers given as text included), or undefined. */
export function literalNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The resources of the template a value refers to (`Ref`, `Fn::GetAtt`) at any depth, e.g. inside the `Fn::Join` of an ARN. */
export function referencedResources(value: unknown, template: CfnTemplate, depth = 0): string[] {
  if (depth > 20 || value === null || typeof value !== 'object') {
    return [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((v) => referencedResources(v, template, depth + 1));
  }
  const v = value as { [k: string]: unknown };
  const getAtt = v['Fn::GetAtt'];
  const target = typeof v.Ref === 'string' ? v.Ref : Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  if (typeof target === 'string' && template.Resources?.[target] !== undefined) {
    return [target];
  }
  return Object.values(v).flatMap((x) => referencedResources(x, template, depth + 1));
}

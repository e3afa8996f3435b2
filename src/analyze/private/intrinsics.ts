/**
 * Intrinsic functions, resolved where the templates read decide them: `Ref` to a parameter with a
 * default, to a resource (kept as a reference) or to a pseudo parameter the stack's region
 * answers; `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap` and `Fn::Base64` of
 * resolved parts; `Fn::If` whose condition the template decides; `Fn::ImportValue` of an export
 * of another stack read with this one. Anything else stays unresolved, with the reason, so that
 * the model takes it at its slowest and says why.
 */
import { conditionHolds } from './conditions';
import type { CfnResourceJson, CfnTemplate, ExportedValue, LoadedTemplate, NotCreated } from './templates';

/** A value the templates do not decide. */
export class Unresolved {
  constructor(public readonly reason: string) {}
}

/** A reference to a resource: of the template resolved, or of the stack given when it came through `Fn::ImportValue`. */
export class ResourceRef {
  constructor(public readonly logicalId: string, public readonly attribute?: string, public readonly stack?: LoadedTemplate) {}

  /** The stack by its name only: a template is too large (and holds the exports, which hold it) to print. */
  toJSON(): { logicalId: string; attribute?: string; stack?: string } {
    return { logicalId: this.logicalId, attribute: this.attribute, stack: this.stack?.name };
  }
}

/** What the resolver knows besides the template. */
export interface ResolveContext {
  readonly template: CfnTemplate;
  readonly region?: string;
  readonly account?: string;
  readonly stackName?: string;
  /** The exports of the stacks read with this one, by export name. */
  readonly exports?: ReadonlyMap<string, ExportedValue[]>;
  /** The resources left out of `template.Resources` because their condition is false. */
  readonly notCreated?: NotCreated[];
  /** The conditions decided so far, filled as they are asked. */
  readonly conditions?: Map<string, boolean | Unresolved>;
}

const contexts = new WeakMap<LoadedTemplate, ResolveContext>();

/** What the resolver knows of a template read for the analysis (one context per template, so each condition is decided once). */
export function contextOf(t: LoadedTemplate): ResolveContext {
  let ctx = contexts.get(t);
  if (ctx === undefined) {
    const { template, region, account, stackName, exports, notCreated } = t;
    ctx = { template, region, account, stackName, exports, notCreated, conditions: new Map() };
    contexts.set(t, ctx);
  }
  return ctx;
}

const INTRINSICS = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::If', 'Fn::Select', 'Fn::ImportValue', 'Fn::FindInMap', 'Fn::Split', 'Fn::Base64',
  'Fn::GetAZs', 'Fn::Cidr', 'Fn::Transform', 'Fn::Length', 'Fn::ToJsonString'];
/** `AWS::NoValue`: the property (or list item) that resolves to it is absent. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The value with every intrinsic function resolved, or replaced by `Unresolved` / `ResourceRef`; `undefined` for `AWS::NoValue`. */
export function resolve(value: unknown, ctx: ResolveContext, depth = 0): unknown {
  const v = resolveIn(value, ctx, depth);
  return v === NO_VALUE ? undefined : v;
}

function resolveIn(value: unknown, ctx: ResolveContext, depth: number): unknown {
  if (depth > 20) {
    return new Unresolved('nested too deep');
  }
  if (Array.isArray(value)) {
    return value.map((v) => resolveIn(v, ctx, depth + 1)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object' || value instanceof Unresolved || value instanceof ResourceRef) {
    return value;
  }
  const entries = Object.entries(value as { [k: string]: unknown });
  if (entries.length === 1 && INTRINSICS.includes(entries[0][0])) {
    return intrinsic(entries[0][0], entries[0][1], ctx, depth);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIn(v, ctx, depth + 1)]).filter(([, v]) => v !== NO_VALUE));
}

function intrinsic(fn: string, arg: unknown, ctx: ResolveContext, depth: number): unknown {
  const args = Array.isArray(arg) ? arg : [];
  switch (fn) {
    case 'Ref':
      return ref(arg, ctx);
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split(/\.(.*)/s) : [];
      return typeof id === 'string' && ctx.template.Resources?.[id] !== undefined
        ? new ResourceRef(id, typeof attribute === 'string' ? attribute : undefined)
        : leftOut(id, ctx) ?? new Unresolved(`Fn::GetAtt of ${JSON.stringify(arg)}, which is not a resource of the template`);
    }
    case 'Fn::Join': {
      const parts = resolveIn(args[1], ctx, depth + 1);
      if (typeof args[0] !== 'string' || !Array.isArray(parts)) {
        return parts instanceof Unresolved ? unresolvedOf(parts, 'Fn::Join') : new Unresolved('a malformed Fn::Join');
      }
      const bad = parts.find((p) => typeof p !== 'string' && typeof p !== 'number');
      return bad === undefined ? parts.join(args[0]) : unresolvedOf(bad, 'Fn::Join');
    }
    case 'Fn::Sub':
      return sub(arg, ctx, depth);
    case 'Fn::If': {
      const holds = conditionHolds(args[0], ctx);
      if (holds instanceof Unresolved) {
        return new Unresolved(`Fn::If on ${holds.reason}`);
      }
      return args.length === 3 ? resolveIn(args[holds ? 1 : 2], ctx, depth + 1) : new Unresolved('a malformed Fn::If');
    }
    case 'Fn::Select':
      return select(args, ctx, depth);
    case 'Fn::Split': {
      const source = resolveIn(args[1], ctx, depth + 1);
      if (typeof args[0] !== 'string' || args[0] === '' || typeof source !== 'string') {
        return source instanceof Unresolved || source instanceof ResourceRef ? unresolvedOf(source, 'Fn::Split') : new Unresolved('a malformed Fn::Split');
      }
      return source.split(args[0]);
    }
    case 'Fn::FindInMap':
      return findInMap(args, ctx, depth);
    case 'Fn::ImportValue':
      return importValue(arg, ctx, depth);
    case 'Fn::Base64': {
      const text = resolveIn(arg, ctx, depth + 1);
      return typeof text === 'string' ? Buffer.from(text, 'utf8').toString('base64') : unresolvedOf(text, 'Fn::Base64');
    }
    case 'Fn::GetAZs':
      return new Unresolved('Fn::GetAZs: the Availability Zones an account sees are known only at deploy time');
    default:
      return new Unresolved(`${fn} is not resolved by the analysis`);
  }
}

function ref(name: unknown, ctx: ResolveContext): unknown {
  if (typeof name !== 'string') {
    return new Unresolved('a malformed Ref');
  }
  if (name.startsWith('AWS::')) {
    return pseudoParameter(name, ctx);
  }
  const parameter = own(ctx.template.Parameters, name);
  if (parameter !== undefined) {
    return parameter === null || typeof parameter !== 'object'
      ? new Unresolved(`the parameter ${name}, whose declaration is not an object`)
      : parameterValue(name, parameter as Parameter);
  }
  if (own(ctx.template.Resources, name) !== undefined) {
    return new ResourceRef(name);
  }
  return leftOut(name, ctx) ?? new Unresolved(`Ref to ${name}, which the template does not define`);
}

function pseudoParameter(name: string, ctx: ResolveContext): unknown {
  const region = ctx.region;
  const china = region?.startsWith('cn-') === true;
  switch (name) {
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::Region':
      return region ?? new Unresolved('AWS::Region of a stack whose region is not known');
    case 'AWS::AccountId':
      return ctx.account ?? new Unresolved('AWS::AccountId of a stack whose account is not known');
    case 'AWS::StackName':
      return ctx.stackName ?? new Unresolved('AWS::StackName of a stack whose name is not known (a template file)');
    case 'AWS::URLSuffix':
      return china ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::Partition':
      return china ? 'aws-cn' : region?.startsWith('us-gov-') === true ? 'aws-us-gov' : 'aws';
    default:
      return new Unresolved(`the pseudo parameter ${name}`);
  }
}

type Parameter = NonNullable<CfnTemplate['Parameters']>[string];

function parameterValue(name: string, parameter: Parameter): unknown {
  const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
  if (type.startsWith('AWS::SSM::Parameter::Value<')) {
    // The default names the SSM parameter; its value is read at deploy time.
    return new Unresolved(`the parameter ${name}, read from the SSM parameter ${JSON.stringify(parameter.Default)} at deploy time`);
  }
  if (parameter.Default === undefined) {
    return new Unresolved(`the parameter ${name}, which has no default`);
  }
  const value = parameter.Default;
  if (!isLiteral(value)) {
    // CloudFormation takes no intrinsic function in a default; resolving one could also loop.
    return new Unresolved(`the parameter ${name}, whose default is not a literal value`);
  }
  const list = type === 'CommaDelimitedList' || type.startsWith('List<');
  return list && typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
}

/** Why a resource left out of the template cannot be referred to, if it was left out for its condition. */
function leftOut(logicalId: unknown, ctx: ResolveContext): Unresolved | undefined {
  const dropped = ctx.notCreated?.find((n) => n.logicalId === logicalId);
  return dropped && new Unresolved(`${dropped.logicalId}, which is not created: its condition ${dropped.condition} is false`);
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
    const value = given !== undefined ? resolveIn(given, ctx, depth + 1) : name.includes('.') ? resolveIn({ 'Fn::GetAtt': name }, ctx, depth + 1) : ref(name, ctx);
    if (typeof value === 'string' || typeof value === 'number') {
      return String(value);
    }
    problem ??= value;
    return whole;
  });
  return problem === undefined ? out : unresolvedOf(problem, 'Fn::Sub');
}

function select(args: unknown[], ctx: ResolveContext, depth: number): unknown {
  const index = literalNumber(resolveIn(args[0], ctx, depth + 1));
  const list = resolveIn(args[1], ctx, depth + 1);
  if (list instanceof Unresolved || list instanceof ResourceRef) {
    return unresolvedOf(list, 'Fn::Select');
  }
  if (index === undefined || !Number.isInteger(index) || !Array.isArray(list)) {
    return new Unresolved('a malformed Fn::Select');
  }
  return index >= 0 && index < list.length ? list[index] : new Unresolved(`Fn::Select of item ${index} of a list of ${list.length}`);
}

function findInMap(args: unknown[], ctx: ResolveContext, depth: number): unknown {
  const keys = args.slice(0, 3).map((k) => resolveIn(k, ctx, depth + 1));
  const bad = keys.find((k) => typeof k !== 'string' && typeof k !== 'number');
  if (keys.length < 3 || bad !== undefined) {
    return bad instanceof Unresolved || bad instanceof ResourceRef ? unresolvedOf(bad, 'Fn::FindInMap') : new Unresolved('a malformed Fn::FindInMap');
  }
  const [map, top, second] = keys.map(String);
  const found = (ctx.template.Mappings?.[map] as { [k: string]: { [k: string]: unknown } | undefined } | undefined)?.[top]?.[second];
  if (found !== undefined) {
    return isLiteral(found) || (Array.isArray(found) && found.every(isLiteral))
      ? found : new Unresolved(`Fn::FindInMap of ${map}/${top}/${second}, which is not a literal value`);
  }
  // The AWS::LanguageExtensions transform's default value, when there is one.
  const fallback = (args[3] as { DefaultValue?: unknown } | undefined)?.DefaultValue;
  return fallback !== undefined
    ? resolveIn(fallback, ctx, depth + 1)
    : new Unresolved(`Fn::FindInMap of ${map}/${top}/${second}, which the template's Mappings do not hold`);
}

function importValue(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  const name = resolveIn(arg, ctx, depth + 1);
  if (typeof name !== 'string') {
    return unresolvedOf(name, 'Fn::ImportValue');
  }
  // An export is seen only in its own region.
  const sameRegion = (e: ExportedValue) => ctx.region === undefined || e.stack.region === undefined || e.stack.region === ctx.region;
  const exporters = (ctx.exports?.get(name) ?? []).filter(sameRegion);
  if (exporters.length !== 1) {
    return new Unresolved(exporters.length === 0
      ? `Fn::ImportValue of ${name}, which no stack read with this one exports`
      : `Fn::ImportValue of ${name}, which several stacks read export (${exporters.map((e) => e.stack.name).join(', ')})`);
  }
  const exported = exporters[0];
  let v = imported.get(exported);
  if (v === undefined) {
    // Each export is resolved once, and an export that imports itself again is not resolved.
    imported.set(exported, new Unresolved(`an import that leads back to ${name}`));
    v = resolveIn(exported.value, contextOf(exported.stack), depth + 1);
    imported.set(exported, v);
  }
  const stack = exported.stack;
  if (v instanceof ResourceRef) {
    return v.stack === undefined ? new ResourceRef(v.logicalId, v.attribute, stack) : v;
  }
  return v instanceof Unresolved ? new Unresolved(`Fn::ImportValue of ${name}, exported by ${stack.name} as ${v.reason}`) : v;
}

/** Exported values, resolved in the context of the stack that exports them. */
const imported = new WeakMap<ExportedValue, unknown>();

function isLiteral(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function unresolvedOf(value: unknown, where: string): Unresolved {
  if (value instanceof Unresolved) {
    return new Unresolved(`${where} of ${value.reason}`);
  }
  if (value instanceof ResourceRef) {
    return new Unresolved(`${where} of an attribute of ${value.logicalId}${value.stack ? ` (stack ${value.stack.name})` : ''}, known only at deploy time`);
  }
  return new Unresolved(`${where} of a value that is not text`);
}

/** The logical ID a value refers to (`Ref` or `Fn::GetAtt`), if it is a reference to a resource of the same template. */
export function refTarget(value: unknown): string | undefined {
  return value instanceof ResourceRef && value.stack === undefined ? value.logicalId : undefined;
}

/** The resource a value refers to, in the template given or, through `Fn::ImportValue`, in the stack that exports it. */
export function refResource(value: unknown, t: LoadedTemplate): { logicalId: string; stack: LoadedTemplate; resource: CfnResourceJson } | undefined {
  if (!(value instanceof ResourceRef)) {
    return undefined;
  }
  const stack = value.stack ?? t;
  const resource = stack.template.Resources?.[value.logicalId];
  return resource === undefined ? undefined : { logicalId: value.logicalId, stack, resource };
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

/** A key's own value in a section of a template (never one of Object's prototype, such as `constructor`). */
export function own(section: unknown, key: string): unknown {
  return section !== null && typeof section === 'object' && Object.prototype.hasOwnProperty.call(section, key)
    ? (section as { [k: string]: unknown })[key] : undefined;
}

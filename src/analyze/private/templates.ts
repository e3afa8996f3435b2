/**
 * Templates to analyse: the stacks of a cloud assembly (its manifest names each template and its
 * environment), or template files given one by one, in JSON or YAML. Reading also decides what
 * the templates decide together: each one's resources whose condition is false (left out, as
 * CloudFormation does not create them), and the exports every stack read can import.
 */
import * as fs from 'fs';
import * as path from 'path';
import { conditionHolds, dropNotCreated } from './conditions';
import { contextOf, resolve } from './intrinsics';
import { parseYamlTemplate } from './yaml-template';

/** A CloudFormation template, as read. */
export interface CfnTemplate {
  readonly Parameters?: { [name: string]: { readonly Type?: string; readonly Default?: unknown } };
  readonly Resources?: { [logicalId: string]: CfnResourceJson };
  readonly Conditions?: { [name: string]: unknown };
  readonly Mappings?: { [name: string]: unknown };
  readonly Outputs?: { [name: string]: CfnOutputJson };
}

/** One output of a template. */
export interface CfnOutputJson {
  readonly Value?: unknown;
  readonly Export?: { readonly Name?: unknown };
  readonly Condition?: string;
}

/** One resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: { [name: string]: unknown };
  readonly Condition?: string;
}

/** A template and where it comes from. */
export interface LoadedTemplate {
  /** The stack's name in the assembly, or the file's name. */
  readonly name: string;
  /** The file it was read from, for messages. */
  readonly file: string;
  /** The stack's region, when the assembly says it. */
  readonly region?: string;
  /** The stack's account, when the assembly says it. */
  readonly account?: string;
  /** The stack's name in CloudFormation, when the assembly says it (`AWS::StackName`). */
  readonly stackName?: string;
  /** The template, without the resources whose condition it decides false. */
  readonly template: CfnTemplate;
  /** The resources left out of `template.Resources`: their condition is false, so CloudFormation does not create them. */
  readonly notCreated?: NotCreated[];
  /** What every stack read with this one exports, by export name (for `Fn::ImportValue`). */
  readonly exports?: ReadonlyMap<string, ExportedValue[]>;
}

/** A resource CloudFormation does not create: its condition is false. */
export interface NotCreated {
  readonly logicalId: string;
  readonly type: string;
  readonly condition: string;
}

/** An output's value, as the stack that exports it writes it. */
export interface ExportedValue {
  readonly stack: LoadedTemplate;
  /** The output's `Value`, intrinsics unresolved: resolve it in the context of `stack`. */
  readonly value: unknown;
}

/** A template that could not be read, and why. */
export interface UnreadTemplate {
  readonly file: string;
  readonly reason: string;
  /** Whether the file was given by name (not found through an assembly's manifest or a folder). */
  readonly named?: boolean;
}

/** What reading gave: the templates, and the files that could not be read. */
export interface ReadResult {
  readonly templates: LoadedTemplate[];
  readonly unread: UnreadTemplate[];
}

/** Reads a cloud assembly directory (with its `manifest.json`) or template files; never throws. */
export function readTemplates(paths: string[]): ReadResult {
  const read: LoadedTemplate[] = [];
  const unread: UnreadTemplate[] = [];
  for (const p of paths) {
    const manifest = path.join(p, 'manifest.json');
    const files = !isDirectory(p) ? [p] : fs.existsSync(manifest) ? [] : templateFilesIn(p);
    if (isDirectory(p) && fs.existsSync(manifest)) {
      readAssembly(p, manifest, read, unread);
    } else if (files.length === 0) {
      unread.push({ file: p, reason: 'a directory with neither a manifest.json nor a template file (.json, .yaml, .yml, .template)', named: true });
    }
    for (const file of files) {
      const t = readTemplateFile(file, path.basename(file).replace(/(\.template)?\.(json|ya?ml)$|\.template$/, ''));
      if ('reason' in t) {
        unread.push(file === p ? { ...t, named: true } : t);
      } else {
        read.push(t);
      }
    }
  }
  return { templates: linkTemplates(read), unread };
}

/**
 * Templates read together, linked: the resources whose condition is false dropped (and listed),
 * and one exports map for them all, so that a stack imports what any other stack read exports.
 */
export function linkTemplates(read: LoadedTemplate[]): LoadedTemplate[] {
  const exports = new Map<string, ExportedValue[]>();
  const templates = read.map((t): LoadedTemplate => {
    const decided = dropNotCreated(t.template, contextOf(t));
    return { ...t, template: decided.template, notCreated: decided.notCreated, exports };
  });
  for (const t of templates) {
    addExports(t, exports);
  }
  return templates;
}

/** The template files of a folder without a manifest, in name order (not its subfolders). */
function templateFilesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => /\.(json|ya?ml|template)$/i.test(f)).sort().map((f) => path.join(dir, f))
      .filter((f) => !isDirectory(f));
  } catch {
    return [];
  }
}

/** The outputs a template exports (but not those whose condition is false), by their name resolved. */
function addExports(t: LoadedTemplate, exports: Map<string, ExportedValue[]>): void {
  const ctx = contextOf(t);
  for (const output of Object.values(t.template.Outputs ?? {})) {
    if (output === null || typeof output !== 'object' || output.Export === undefined || output.Export === null) {
      continue;
    }
    if (typeof output.Condition === 'string' && conditionHolds(output.Condition, ctx) === false) {
      continue;
    }
    const name = resolve(output.Export.Name, ctx);
    if (typeof name === 'string') {
      exports.set(name, [...exports.get(name) ?? [], { stack: t, value: output.Value }]);
    }
  }
}

function readAssembly(
  dir: string, manifestFile: string, templates: LoadedTemplate[], unread: UnreadTemplate[], visited = new Set([realPath(dir)]),
): void {
  const manifest = readJson(manifestFile);
  if ('reason' in manifest) {
    unread.push(manifest);
    return;
  }
  const value = manifest.value as { artifacts?: unknown } | null;
  const artifacts = value !== null && typeof value === 'object' && value.artifacts !== null && typeof value.artifacts === 'object'
    ? value.artifacts as { [id: string]: any } : {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      // A stage's nested assembly, read once however the manifests point at each other.
      const nested = path.join(dir, artifact.properties.directoryName);
      const key = realPath(nested);
      if (!visited.has(key)) {
        visited.add(key);
        readAssembly(nested, path.join(nested, 'manifest.json'), templates, unread, visited);
      }
      continue;
    }
    if (artifact?.type !== 'aws:cloudformation:stack' || typeof artifact.properties?.templateFile !== 'string') {
      continue;
    }
    const t = readTemplateFile(path.join(dir, artifact.properties.templateFile), artifact.displayName ?? id);
    if ('reason' in t) {
      unread.push(t);
      continue;
    }
    const environment = String(artifact.environment ?? '');
    const account = /^aws:\/\/(\d{12})\//.exec(environment)?.[1];
    const region = /^aws:\/\/[^/]*\/([a-z]{2}(-gov)?-[a-z]+-\d)$/.exec(environment)?.[1];
    const stackName = typeof artifact.properties.stackName === 'string' ? artifact.properties.stackName : id;
    templates.push({ ...t, region, account, stackName });
  }
}

function readTemplateFile(file: string, name: string): LoadedTemplate | UnreadTemplate {
  const read = readTemplateText(file);
  if ('reason' in read) {
    return read;
  }
  const template = read.value;
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    return { file, reason: `not a CloudFormation template: the file holds no ${read.yaml ? 'YAML mapping' : 'JSON object'}` };
  }
  const resources = (template as CfnTemplate).Resources;
  if (resources === undefined) {
    // CloudFormation requires the section: a file without it is some other JSON or YAML.
    return { file, reason: 'not a CloudFormation template: no `Resources` section' };
  }
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) {
    return { file, reason: 'not a CloudFormation template: `Resources` is not an object' };
  }
  return { name, file, template: template as CfnTemplate };
}

/** A template file's content: JSON, or YAML when it is not JSON (or is named .yaml or .yml). */
function readTemplateText(file: string): { value: unknown; yaml: boolean } | UnreadTemplate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { file, reason: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory without a manifest.json' : `not readable (${code})` };
  }
  let jsonError: string | undefined;
  if (!/\.ya?ml$/i.test(file)) {
    try {
      return { value: JSON.parse(text), yaml: false };
    } catch (e) {
      jsonError = `not JSON (${(e as Error).message.split('\n')[0]})`;
    }
  }
  const yaml = parseYamlTemplate(text);
  if ('reason' in yaml) {
    return { file, reason: /\.json$/i.test(file) && jsonError !== undefined ? jsonError : yaml.reason };
  }
  return { value: yaml.value, yaml: true };
}

function readJson(file: string): { value: unknown } | UnreadTemplate {
  try {
    return { value: JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message.split('\n')[0]})`;
    return { file, reason };
  }
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Templates to analyse: the stacks of a cloud assembly (its manifest names each template and its
 * environment), or template files given one by one. JSON only for now.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation template, as read. */
export interface CfnTemplate {
  readonly Parameters?: { [name: string]: { readonly Type?: string; readonly Default?: unknown } };
  readonly Resources?: { [logicalId: string]: CfnResourceJson };
  readonly Conditions?: { [name: string]: unknown };
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
  readonly template: CfnTemplate;
}

/** A template that could not be read, and why. */
export interface UnreadTemplate {
  readonly file: string;
  readonly reason: string;
}

/** What reading gave: the templates, and the files that could not be read. */
export interface ReadResult {
  readonly templates: LoadedTemplate[];
  readonly unread: UnreadTemplate[];
}

/** Reads a cloud assembly directory (with its `manifest.json`) or template files; never throws. */
export function readTemplates(paths: string[]): ReadResult {
  const templates: LoadedTemplate[] = [];
  const unread: UnreadTemplate[] = [];
  for (const p of paths) {
    const manifest = path.join(p, 'manifest.json');
    if (isDirectory(p) && fs.existsSync(manifest)) {
      readAssembly(p, manifest, templates, unread);
    } else {
      const t = readTemplateFile(p, path.basename(p).replace(/\.(template\.)?json$/, ''));
      if ('reason' in t) {
        unread.push(t);
      } else {
        templates.push(t);
      }
    }
  }
  return { templates, unread };
}

function readAssembly(dir: string, manifestFile: string, templates: LoadedTemplate[], unread: UnreadTemplate[]): void {
  const manifest = readJson(manifestFile);
  if ('reason' in manifest) {
    unread.push(manifest);
    return;
  }
  const artifacts = (manifest.value as { artifacts?: { [id: string]: any } }).artifacts ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      // A stage's nested assembly.
      const nested = path.join(dir, artifact.properties.directoryName);
      readAssembly(nested, path.join(nested, 'manifest.json'), templates, unread);
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
    const region = /^aws:\/\/[^/]*\/([a-z]{2}(-gov)?-[a-z]+-\d)$/.exec(String(artifact.environment ?? ''))?.[1];
    templates.push({ ...t, region });
  }
}

function readTemplateFile(file: string, name: string): LoadedTemplate | UnreadTemplate {
  const json = readJson(file);
  if ('reason' in json) {
    return json;
  }
  const template = json.value;
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    return { file, reason: 'not a CloudFormation template: the file holds no JSON object' };
  }
  const resources = (template as CfnTemplate).Resources;
  if (resources !== undefined && (resources === null || typeof resources !== 'object' || Array.isArray(resources))) {
    return { file, reason: 'not a CloudFormation template: `Resources` is not an object' };
  }
  return { name, file, template: template as CfnTemplate };
}

function readJson(file: string): { value: unknown } | UnreadTemplate {
  try {
    return { value: JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message.split('\n')[0]})`;
    return { file, reason };
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

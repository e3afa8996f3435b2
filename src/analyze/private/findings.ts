/**
 * What one analyser finds in a template: recovery paths, each with the resources it was read
 * from (so that a path the library's own constructs already declare is not counted twice), and
 * the resources it met but could not model, with the reason.
 */
import { LoadedTemplate } from './templates';
import { RecoveryPath } from '../../objectives/path';

/** A resource the analysis met and could not model, with the reason. */
export interface NotAnalysed {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** What one analyser found in a template. */
export interface TemplateFindings {
  readonly paths: RecoveryPath[];
  /** The logical IDs each path was read from, by path ID. */
  readonly resources: { [pathId: string]: string[] };
  readonly notAnalysed: NotAnalysed[];
  /**
   * Paths modeled at their slowest because their other end is in another template, by path ID:
   * the key names that other end. A template read with them that models that end (`completes`)
   * replaces them.
   */
  readonly provisional?: { [pathId: string]: string };
  /** The keys of the other ends this template models (see `provisional`). */
  readonly completes?: string[];
}

/** Collects an analyser's findings in one template. */
export class Findings implements TemplateFindings {
  readonly paths: RecoveryPath[] = [];
  readonly resources: { [pathId: string]: string[] } = {};
  readonly notAnalysed: NotAnalysed[] = [];
  readonly provisional: { [pathId: string]: string } = {};
  readonly completes: string[] = [];

  constructor(private readonly template: LoadedTemplate) {}

  /** A path, read from the given resources (the first is the one it is about). */
  path(path: RecoveryPath, resources: string[]): void {
    this.paths.push(path);
    this.resources[path.id] = [...new Set([...this.resources[path.id] ?? [], ...resources])];
  }

  /** A path whose other end, `key`, is not in the template: dropped when a template read with it models that end. */
  provisionalPath(path: RecoveryPath, resources: string[], key: string): void {
    this.path(path, resources);
    this.provisional[path.id] = key;
  }

  /** This template models the end `key` of paths other templates can only take at their slowest. */
  complete(key: string): void {
    this.completes.push(key);
  }

  /** A resource met and not modeled, and why. */
  skip(logicalId: string, type: string, reason: string): void {
    this.notAnalysed.push({ stack: this.template.name, logicalId, type, reason });
  }
}

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
}

/** Collects an analyser's findings in one template. */
export class Findings implements TemplateFindings {
  readonly paths: RecoveryPath[] = [];
  readonly resources: { [pathId: string]: string[] } = {};
  readonly notAnalysed: NotAnalysed[] = [];

  constructor(private readonly template: LoadedTemplate) {}

  /** A path, read from the given resources (the first is the one it is about). */
  path(path: RecoveryPath, resources: string[]): void {
    this.paths.push(path);
    this.resources[path.id] = [...new Set([...this.resources[path.id] ?? [], ...resources])];
  }

  /** A resource met and not modeled, and why. */
  skip(logicalId: string, type: string, reason: string): void {
    this.notAnalysed.push({ stack: this.template.name, logicalId, type, reason });
  }
}

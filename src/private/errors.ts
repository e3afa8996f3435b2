import { IConstruct } from 'constructs';

/**
 * Collects every problem with a construct's props, so that one synth-time error lists them
 * all. Messages name the prop, the value, what is allowed and how to fix it; the thrown error
 * starts with the construct path.
 */
export class Problems {
  private readonly messages: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  public add(message: string): void {
    this.messages.push(message);
  }

  public get count(): number {
    return this.messages.length;
  }

  /** Throws one error listing every problem, if there is any. */
  public throwIfAny(): void {
    if (this.messages.length === 0) {
      return;
    }
    throw new Error(problemMessage(this.scope, this.messages));
  }
}

/** The text of a props error: the construct path, then one line per problem. */
function problemMessage(scope: IConstruct, messages: string[]): string {
  const path = scope.node.path || '<root>';
  if (messages.length === 1) {
    return `${path}: ${messages[0]}`;
  }
  return `${path}: ${messages.length} problems:\n${messages.map((m) => `  - ${m}`).join('\n')}`;
}

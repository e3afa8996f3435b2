/**
 * Test harness for Step Functions state machines synthesized with aws-cdk-lib (test-only code).
 *
 * - `stateMachineDefinitions(template)`: the ASL of every state machine, with CloudFormation
 *   intrinsics turned into stable placeholders so the definition parses.
 * - `validateAsl(definition)`: asl-validator's errors, each naming the state.
 * - `sdkTasks(definition)` and `checkSdkCalls(tasks)`: every `aws-sdk` Task checked against
 *   botocore's API model by `sdk-model-check.py` (one Python process per call: batch the tasks).
 * - `runLocally(definition, options)`: an execution with aws-local-stepfunctions where every Task
 *   is answered by a mock, waits and retry intervals take no time, and nothing calls AWS.
 *
 * @example
 * const [{ definition }] = stateMachineDefinitions(Template.fromStack(stack));
 * expect(validateAsl(definition)).toEqual([]);
 * expect(checkSdkCalls(sdkTasks(definition))).toEqual([]);
 * const run = await runLocally(definition, { tasks: { Promote: () => ({}) } });
 * expect(run.trace).toEqual(['Promote', 'Done']);
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';

/** A stand-in region and account for placeholders that must be ARN-shaped. */
const PLACEHOLDER_REGION = 'us-east-1';
const PLACEHOLDER_ACCOUNT = '123456789012';
/** What a placeholder becomes outside a JSON string (a number position such as `TimeoutSeconds`). */
const NUMBER_PLACEHOLDER = 1;

/** Resource types whose `Ref` is an ARN (the others' `Ref` is a name or an id). */
const REF_IS_ARN = new Set([
  'AWS::SNS::Topic',
  'AWS::StepFunctions::StateMachine',
  'AWS::StepFunctions::Activity',
  'AWS::SecretsManager::Secret',
  'AWS::IAM::ManagedPolicy',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ECS::Service',
]);

/** A state machine of a synthesized template and its parsed definition. */
export interface StateMachineDefinition {
  readonly logicalId: string;
  readonly definition: any;
}

/**
 * Every `AWS::StepFunctions::StateMachine` of the template with its definition parsed.
 *
 * Intrinsics become placeholders: `${Token[Ref:Id]}`, `${Token[GetAtt:Id.Attr]}`,
 * `${Token[AWS::Region]}`, `${Token[Sub:...]}`; an ARN attribute (or the `Ref` of a resource whose
 * `Ref` is an ARN) becomes an ARN naming the logical id; `AWS::Partition` becomes `aws`; a
 * placeholder outside a JSON string becomes a number; in a `Resource` field (which must be an ARN)
 * the remaining placeholders become ARN-safe text. `DefinitionSubstitutions` are applied first.
 */
export function stateMachineDefinitions(template: Template): StateMachineDefinition[] {
  const resources: { [id: string]: any } = template.toJSON().Resources ?? {};
  const tokens = new Placeholders(resources);
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, r]) => {
      const props = r.Properties ?? {};
      const definition = props.Definition !== undefined
        ? tokens.inObject(props.Definition, props.DefinitionSubstitutions)
        : parseDefinition(logicalId, tokens.render(definitionParts(props.DefinitionString, props.DefinitionSubstitutions)));
      arnSafeResources(definition);
      return { logicalId, definition };
    });
}

/** A piece of a definition string: JSON text, an intrinsic, or a substituted literal value. */
type Part = { text: string } | { intrinsic: any } | { literal: string | number | boolean };

function definitionParts(definitionString: any, substitutions: { [key: string]: any } = {}): Part[] {
  const raw: any[] = typeof definitionString === 'string' ? [definitionString]
    : definitionString?.['Fn::Join'] ? joinParts(definitionString)
      : [definitionString];
  const parts: Part[] = [];
  for (const piece of raw) {
    if (typeof piece !== 'string') {
      parts.push({ intrinsic: piece });
      continue;
    }
    // `${key}` of DefinitionSubstitutions: the value is a literal or an intrinsic.
    let rest = piece;
    for (let m = /\$\{([^}]+)\}/.exec(rest); m; m = /\$\{([^}]+)\}/.exec(rest)) {
      const value = substitutions[m[1]];
      parts.push({ text: rest.slice(0, m.index + (value === undefined ? m[0].length : 0)) });
      if (value !== undefined) {
        parts.push(typeof value === 'object' ? { intrinsic: value } : { literal: value });
      }
      rest = rest.slice(m.index + m[0].length);
    }
    parts.push({ text: rest });
  }
  return parts;
}

function joinParts(join: any): any[] {
  const [separator, list] = join['Fn::Join'];
  if (separator !== '' || !Array.isArray(list)) {
    throw new Error(`DefinitionString: only Fn::Join with an empty separator and a list is supported, got ${JSON.stringify(join).slice(0, 200)}`);
  }
  return list;
}

function parseDefinition(logicalId: string, text: string): any {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${logicalId}: the rendered definition is not JSON (${(e as Error).message}): ${text.slice(0, 500)}`);
  }
}

/** Turns intrinsics into placeholder text, knowing whether the position is inside a JSON string. */
class Placeholders {
  constructor(private readonly resources: { [id: string]: any }) {}

  /** Concatenates the parts, each placeholder fitting its position (string or number). */
  public render(parts: Part[]): string {
    let out = '';
    let inString = false;
    for (const part of parts) {
      if ('text' in part) {
        for (let i = 0; i < part.text.length; i++) {
          const c = part.text[i];
          if (inString && c === '\\') {
            out += c + part.text[++i];
            continue;
          }
          if (c === '"') inString = !inString;
          out += c;
        }
      } else {
        const value = 'literal' in part ? part.literal : this.of(part.intrinsic);
        // A substitution is text: raw outside a JSON string (`"TimeoutSeconds": ${timeout}`).
        out += inString ? JSON.stringify(String(value)).slice(1, -1)
          : 'literal' in part ? String(value) : String(NUMBER_PLACEHOLDER);
      }
    }
    return out;
  }

  /** A `Definition` given as an object: every intrinsic object becomes its placeholder string. */
  public inObject(value: any, substitutions: { [key: string]: any } = {}): any {
    if (Array.isArray(value)) return value.map(v => this.inObject(v, substitutions));
    if (value && typeof value === 'object') {
      if (isIntrinsic(value)) return this.of(value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.inObject(v, substitutions)]));
    }
    if (typeof value === 'string') {
      return value.replace(/\$\{([^}]+)\}/g, (m, key: string) => substitutions[key] === undefined ? m : this.of(substitutions[key]));
    }
    return value;
  }

  /** The placeholder of one intrinsic (its value when it is computed from literals). */
  public of(intrinsic: any): string {
    if (typeof intrinsic !== 'object' || intrinsic === null) return String(intrinsic);
    const [fn, arg] = Object.entries<any>(intrinsic ?? {})[0] ?? ['', undefined];
    const selected = fn === 'Fn::Select' ? this.list(arg[1])?.[Number(arg[0])] : undefined;
    switch (fn) {
      case 'Ref':
        if (arg === 'AWS::Partition') return 'aws';
        if (arg === 'AWS::URLSuffix') return 'amazonaws.com';
        if (String(arg).startsWith('AWS::')) return token(arg);
        if (REF_IS_ARN.has(this.resources[arg]?.Type)) return this.arn(arg);
        return token(`Ref:${arg}`);
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return /Arn$/.test(attribute) ? this.arn(id) : token(`GetAtt:${id}.${attribute}`);
      }
      case 'Fn::Join': {
        const [separator, list] = arg;
        return list.map((x: any) => this.of(x)).join(separator);
      }
      case 'Fn::Select':
        // `fromFunctionName` and friends: a Select of a Split of a literal ARN.
        return selected ?? token(`Select:${arg[0]}`);
      case 'Fn::Sub':
        return token(`Sub:${Array.isArray(arg) ? arg[0] : arg}`);
      default:
        return token(`${fn}:${JSON.stringify(arg)}`);
    }
  }

  /** The strings of a literal list or of a `Fn::Split` of a string without placeholders. */
  private list(value: any): string[] | undefined {
    if (Array.isArray(value)) return value.map(v => this.of(v));
    if (value?.['Fn::Split']) {
      const [separator, source] = value['Fn::Split'];
      const text = this.of(source);
      return text.includes('${Token[') ? undefined : text.split(separator);
    }
    return undefined;
  }

  /** `arn:aws:<service>:<region>:<account>:<type>/<logical id>`, from the resource's type. */
  private arn(logicalId: string): string {
    const [, service = 'unknown', type = 'resource'] = String(this.resources[logicalId]?.Type ?? '').split('::');
    return `arn:aws:${service.toLowerCase()}:${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}:${type.toLowerCase()}:${logicalId}`;
  }
}

function isIntrinsic(value: any): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** `${Token[...]}` with characters that would break a JSON string or the placeholder removed. */
function token(text: string): string {
  return `\${Token[${text.replace(/["\\\[\]{}\n\r\t]/g, '_').slice(0, 120)}]}`;
}

/** A Task's `Resource` must be an ARN: pseudo-parameter tokens become a region and an account. */
function arnSafeResources(definition: any): void {
  forEachState(definition, (_name, state) => {
    if (typeof state.Resource === 'string' && state.Resource.includes('${Token[')) {
      state.Resource = state.Resource
        .replace(/\$\{Token\[AWS::Region\]\}/g, PLACEHOLDER_REGION)
        .replace(/\$\{Token\[AWS::AccountId\]\}/g, PLACEHOLDER_ACCOUNT)
        .replace(/\$\{Token\[([^\]]*)\]\}/g, (_m: string, inner: string) => inner.replace(/[^A-Za-z0-9-]+/g, '-'));
    }
  });
}

/** Calls `fn` for every state, recursing into Parallel branches and Map iterators/processors. */
export function forEachState(definition: any, fn: (name: string, state: any) => void): void {
  for (const [name, state] of Object.entries<any>(definition?.States ?? {})) {
    fn(name, state);
    for (const branch of state.Branches ?? []) forEachState(branch, fn);
    if (state.ItemProcessor) forEachState(state.ItemProcessor, fn);
    if (state.Iterator) forEachState(state.Iterator, fn);
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator: (definition: any, options: { checkArn: boolean; checkPaths: boolean }) => { isValid: boolean; errors: any[] } = require('asl-validator');

/**
 * asl-validator's errors for the definition (empty when valid). Each message names the state
 * (`state Foo: ...`) when the error has a location, or carries the validator's own message
 * (which names the states) otherwise.
 */
export function validateAsl(definition: any): string[] {
  // The validator writes defaults (QueryLanguage) into the object it checks.
  const { errors } = aslValidator(jsonCopy(definition), { checkArn: true, checkPaths: true });
  return errors.map(e => {
    const where = e.schemaError?.instancePath as string | undefined;
    const states = where ? [...where.matchAll(/\/States\/([^/]+)/g)].map(m => decodeURIComponent(m[1].replace(/~1/g, '/').replace(/~0/g, '~'))) : [];
    const field = where?.replace(/.*\/States\/[^/]+/, '') ?? '';
    const message = where ? String(e.Message).replace(`${where} is invalid. `, '') : String(e.Message);
    const prefix = states.length ? `state ${states.join(' > ')}${field ? ` (${field.slice(1)})` : ''}: `
      : referrers(definition, /target: (.+)$/.exec(message)?.[1]);
    return `${prefix}${e['Error code']}: ${message}`;
  });
}

/** `state A (Next): ` for the states that name a missing target, which the validator leaves out. */
function referrers(definition: any, target: string | undefined): string {
  if (target === undefined) return '';
  const found: string[] = [];
  const visit = (machine: any, prefix: string) => {
    if (machine.StartAt === target) found.push(`${prefix}StartAt`);
    for (const [name, state] of Object.entries<any>(machine.States ?? {})) {
      const fields = [['Next', state.Next], ['Default', state.Default],
        ...(state.Choices ?? []).map((c: any, i: number) => [`Choices/${i}/Next`, c.Next]),
        ...(state.Catch ?? []).map((c: any, i: number) => [`Catch/${i}/Next`, c.Next])];
      for (const [field, next] of fields) if (next === target) found.push(`state ${prefix}${name} (${field})`);
      for (const branch of state.Branches ?? []) visit(branch, `${prefix}${name} > `);
      for (const inner of [state.ItemProcessor, state.Iterator]) if (inner) visit(inner, `${prefix}${name} > `);
    }
  };
  visit(definition, '');
  return found.length ? `${found.join(', ')}: ` : '';
}

/**
 * A copy made in this realm: jest's `structuredClone` builds objects of Node's own realm, whose
 * prototype aws-local-stepfunctions does not take for a plain object (nested `.$` keys are skipped).
 */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** A Task state calling an AWS SDK integration. */
export interface SdkTask {
  readonly state: string;
  /** Step Functions' SDK service name, lower case (`rds`, `elasticloadbalancingv2`). */
  readonly service: string;
  /** The action in camelCase (`describeGlobalClusters`). */
  readonly action: string;
  readonly parameters?: any;
  readonly retry?: any[];
  readonly catch?: any[];
}

const SDK_RESOURCE = /^arn:(?:aws[a-z-]*|\$\{Token\[[^\]]*\]\}|[^:]*):states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)(\.waitForTaskToken)?$/;

/** Every Task whose Resource is an `aws-sdk` integration, at any depth. */
export function sdkTasks(definition: any): SdkTask[] {
  const tasks: SdkTask[] = [];
  forEachState(definition, (state, s) => {
    const m = s.Type === 'Task' && typeof s.Resource === 'string' ? SDK_RESOURCE.exec(s.Resource) : null;
    if (m) {
      tasks.push({ state, service: m[1], action: m[2], parameters: s.Parameters, retry: s.Retry, catch: s.Catch });
    }
  });
  return tasks;
}

/**
 * Every call aws-cdk-lib's `CallAwsServiceCrossRegion` makes (a Lambda task whose payload names
 * the service, the action, the Region and the parameters), as SDK tasks for `checkSdkCalls`. Its
 * service is the SDK v3 client's name, which for these services is Step Functions' own.
 */
export function crossRegionTasks(definition: any): SdkTask[] {
  const tasks: SdkTask[] = [];
  forEachState(definition, (state, s) => {
    const p = s.Parameters;
    if (s.Type === 'Task' && p && typeof p.service === 'string' && typeof p.action === 'string' && typeof p.region === 'string') {
      // The task's Lambda.* retries are the function's own errors, not the SDK's: they are left out.
      const retry = (s.Retry ?? []).map((r: any) => ({ ...r, ErrorEquals: r.ErrorEquals.filter((e: string) => !e.startsWith('Lambda.')) }))
        .filter((r: any) => r.ErrorEquals.length > 0);
      tasks.push({ state, service: p.service, action: p.action, parameters: p.parameters, retry, catch: s.Catch });
    }
  });
  return tasks;
}

/**
 * Problems of the SDK calls against botocore's API models: the service, the action, unknown,
 * missing or mistyped parameters and enum values, and the error names of Retry and Catch.
 * Runs `python3 sdk-model-check.py` once for all the tasks (about 1 s): batch the tasks.
 */
export function checkSdkCalls(tasks: SdkTask[]): string[] {
  if (tasks.length === 0) return [];
  const out = execFileSync('python3', [path.join(__dirname, 'sdk-model-check.py')], {
    input: JSON.stringify(tasks),
    encoding: 'utf8',
    // botocore reads models from disk only; no credentials reach the script.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return JSON.parse(out);
}

// aws-local-stepfunctions is an ES module with a CommonJS build: typed from its declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const localStepFunctions: typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } }) = require('aws-local-stepfunctions');

/** The time of every context timestamp in a local run (the library gives no per-state times). */
const LOCAL_TIME = '2026-11-30T12:00:00.000Z';

/** Options of a local execution. */
export interface RunLocallyOptions {
  /**
   * The answer of every Task, by state name: return the result (`undefined` stands for `{}`),
   * or throw an error whose `name` is the error to raise (`Rds.GlobalClusterNotFoundException`,
   * `States.Timeout`). A `.waitForTaskToken` task's mock answers for the token's sender.
   */
  readonly tasks?: { [state: string]: (input: any) => any };
  /** The execution input. @default {} */
  readonly input?: any;
  /** `$$.Task.Token` for `.waitForTaskToken` tasks. @default 'local-task-token' */
  readonly taskToken?: string;
}

/** The end of a local execution. */
export interface RunLocallyResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: any;
  readonly error?: string;
  readonly cause?: string;
  /** The states entered, in order, branches and iterations included. */
  readonly trace: string[];
}

/**
 * Executes the definition locally with aws-local-stepfunctions.
 *
 * Every Task is answered by its mock (never by AWS: a Task without a mock rejects the run with a
 * message naming the state, and the library's Lambda client is never reached). Wait states,
 * retry intervals and the execution's own `TimeoutSeconds` take no time; a mock throwing
 * `States.Timeout` raises the library's own timeout error, which `States.TaskFailed` does not catch.
 */
export async function runLocally(definition: any, options: RunLocallyOptions = {}): Promise<RunLocallyResult> {
  supportNode20();
  const TimeoutError = await statesTimeoutError();
  const waitTimeOverrides: { [state: string]: number } = {};
  const retryIntervalOverrides: { [state: string]: number } = {};
  const taskResourceLocalHandlers: { [state: string]: (input: any) => Promise<any> } = {};
  let missing: string | undefined;
  const states = new Map<string, any>();
  forEachState(definition, (name, state) => {
    states.set(name, state);
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
    if (state.Type !== 'Task') return;
    taskResourceLocalHandlers[name] = async (input: any) => {
      const mock = options.tasks?.[name];
      if (!mock) {
        missing ??= `runLocally: no mock for Task state '${name}' (${state.Resource}); add it to options.tasks`;
        // Neither retried nor caught: the run stops here.
        throw Object.assign(new Error(missing), { name: 'Harness.MissingMock', isRetryable: false, isCatchable: false });
      }
      try {
        return (await mock(input)) ?? {};
      } catch (e) {
        if ((e as Error).name === 'States.Timeout') throw new TimeoutError();
        throw e;
      }
    };
  });

  const machine = jsonCopy(definition);
  delete machine.TimeoutSeconds;
  const execution = new localStepFunctions.StateMachine(machine, { validationOptions: { noValidate: true } }).run(options.input ?? {}, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides },
    // The library's default context has only Execution.Input and StartTime; Step Functions also
    // gives the execution's id and the state's entry time, which runbooks read.
    context: {
      Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:local:run', Name: 'run', Input: options.input ?? {}, StartTime: LOCAL_TIME },
      State: { EnteredTime: LOCAL_TIME, Name: 'local' },
      Task: { Token: options.taskToken ?? 'local-task-token' },
    },
  });
  const trace: string[] = [];
  let failure: { Error: string; Cause: unknown } | undefined;
  const events = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') trace.push(event.state.name);
      if (event.type === 'ExecutionFailed') failure = event;
    }
  })();
  try {
    const output = await execution.result;
    await events;
    return { status: 'SUCCEEDED', output, trace };
  } catch (e) {
    await events;
    if (missing) throw new Error(`${missing} (trace: ${trace.join(' > ')})`);
    if (!failure) throw e;
    // A Fail state without a cause has none (the library would write a sentence of its own).
    const last = states.get(trace[trace.length - 1]);
    const cause = last?.Type === 'Fail' && last.Cause === undefined && last.CausePath === undefined ? undefined
      : typeof failure.Cause === 'string' ? failure.Cause : JSON.stringify(failure.Cause);
    return { status: 'FAILED', error: failure.Error, cause, trace };
  }
}

/** aws-local-stepfunctions 3 targets Node.js 22; its Task states need `Promise.withResolvers`. */
function supportNode20(): void {
  const P = Promise as any;
  if (typeof P.withResolvers !== 'function') {
    P.withResolvers = () => {
      let resolve: unknown;
      let reject: unknown;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      return { promise, resolve, reject };
    };
  }
}

let timeoutErrorClass: (new () => Error) | undefined;

/**
 * The library's `States.Timeout` error class (not exported), taken from a 1 ms timeout of a task
 * that never answers: only that class escapes `States.TaskFailed`, as in Step Functions.
 */
async function statesTimeoutError(): Promise<new () => Error> {
  if (!timeoutErrorClass) {
    const probe = new localStepFunctions.StateMachine({
      StartAt: 'Probe',
      States: { Probe: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:probe', TimeoutSeconds: 0.001, End: true } },
    }, { validationOptions: { noValidate: true } });
    const never = () => new Promise<any>(() => undefined);
    const error = await probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: never } } }).result
      .then(() => undefined, (e: Error) => e.cause);
    if (!(error instanceof Error) || error.name !== 'States.Timeout') {
      throw new Error(`runLocally: could not obtain the States.Timeout error of aws-local-stepfunctions, got ${String(error)}`);
    }
    timeoutErrorClass = error.constructor as new () => Error;
  }
  return timeoutErrorClass;
}

import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { verifyHttp } from '../../objectives/model/runbook';
import { checkDuration, checkInteger, show, unresolved } from '../../private/validate';
import { functionTask, StepBinding, StepContext } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { ACTIONS } from '../runbook-contract';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * A response header that marks the Region that answered, e.g. `x-region: us-west-2`.
 */
export interface RegionMarkerHeader {
  /** The header's name. */
  readonly name: string;
  /** The value that means the recovery side answered. */
  readonly value: string;
}

/**
 * Options of `VerifyRecovery.http`.
 */
export interface VerifyHttpOptions {
  /** The public URL clients use, `https://app.example.com/health`. */
  readonly url: string;
  /**
   * The status codes that pass.
   *
   * @default - 200 to 399
   */
  readonly expectStatus?: number[];
  /**
   * A string the body must contain, such as a Region marker.
   *
   * @default - any body
   */
  readonly bodyContains?: string;
  /**
   * A header the response must carry, such as a Region marker.
   *
   * @default - any headers
   */
  readonly header?: RegionMarkerHeader;
  /**
   * Requests at most: 1 to 100.
   *
   * @default 12
   */
  readonly attempts?: number;
  /**
   * Time between two requests: 1 s to 5 minutes.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Each request's timeout: 1 to 30 s.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
}

/**
 * Check from outside the recovery side that clients are served: the runbook's function requests
 * the public name until it answers as expected (DNS caches may still send it to the old side
 * for a while, so it tries several times).
 */
export class VerifyRecovery extends RunbookStep {
  /** GET the URL until its status (and marker) match, or the attempts run out. */
  public static http(options: VerifyHttpOptions): VerifyRecovery {
    return new VerifyRecovery(`check that ${options.url} answers`, { kind: 'verifyHttp', options }, (ctx) => {
      const p = ctx.problems;
      if (!unresolved(options.url) && !/^https?:\/\/[^\s/]+/.test(options.url)) {
        p.add(`\`${ctx.prop}.url\` must be an http:// or https:// URL, got: ${show(options.url)}. Give the public name clients use.`);
      }
      for (const code of options.expectStatus ?? []) {
        checkInteger(p, `${ctx.prop}.expectStatus`, code, 100, 599, 'give HTTP status codes');
      }
      checkInteger(p, `${ctx.prop}.attempts`, options.attempts, 1, 100, 'give how many requests to try');
      const interval = checkDuration(p, `${ctx.prop}.interval`, options.interval, { unit: 'seconds', min: 1, max: 300, literal: 'the runbook waits it' }) ?? 10;
      const timeout = checkDuration(p, `${ctx.prop}.timeout`, options.timeout, { unit: 'seconds', min: 1, max: 30, literal: 'the runbook waits it' }) ?? 5;
      const attempts = options.attempts ?? 12;
      const task = functionTask(ctx, `GET ${options.url}`, {
        payload: {
          action: ACTIONS.verifyHttp,
          url: options.url,
          ...options.expectStatus ? { expectStatus: options.expectStatus } : {},
          ...options.bodyContains !== undefined ? { bodyContains: options.bodyContains } : {},
          ...options.header ? { header: { name: options.header.name, value: options.header.value } } : {},
          attempts,
          intervalSeconds: interval,
          timeoutSeconds: timeout,
        },
        timeout: Duration.seconds(Math.min(900, Math.ceil(attempts * (interval + timeout)) + 30)),
      });
      return { chain: sfn.Chain.start(task), terms: [verifyHttp(`${ctx.id}-http`, options.url, { attempts, interval, timeout })] };
    });
  }

  /** What the step does: verify from outside. */
  public readonly role = RunbookStepRole.VERIFY;

  /** @internal */
  public readonly _spec: StepSpec;

  private constructor(public readonly description: string, spec: StepSpec, private readonly build: (ctx: StepContext) => StepBinding) {
    super();
    this._spec = spec;
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    return this.build(ctx);
  }
}

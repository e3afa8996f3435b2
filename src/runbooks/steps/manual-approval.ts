import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { approvalWait } from '../../objectives/model/runbook';
import { checkDuration } from '../../private/validate';
import { resultPath, StepBinding, StepContext, stateName } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { RunbookStep, RunbookStepRole } from '../runbook-step';

/**
 * Options of `ManualApproval.snsTopic`.
 */
export interface ManualApprovalOptions {
  /** The topic that reaches the approvers (email, chat, a pager). */
  readonly topic: sns.ITopic;
  /**
   * How long to wait for an answer: 1 minute to 24 hours. Without one the runbook stops in a
   * defined state (`States.Timeout`).
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;
  /**
   * What the approvers are asked.
   *
   * @default - "Approve the next steps of the runbook"
   */
  readonly question?: string;
}

/**
 * Wait for a person: the runbook publishes a task token to a topic and waits until someone
 * answers with `aws stepfunctions send-task-success --task-token <token> --task-output '{}'`
 * (or `send-task-failure` to stop it), or the timeout passes.
 */
export class ManualApproval extends RunbookStep {
  /** Ask the approvers on an SNS topic. */
  public static snsTopic(options: ManualApprovalOptions): ManualApproval {
    return new ManualApproval(options);
  }

  /** What the step does: wait for an approval. */
  public readonly role = RunbookStepRole.APPROVAL;
  /** The step in words. */
  public readonly description: string;
  /** @internal */
  public readonly _spec: StepSpec;

  private constructor(private readonly options: ManualApprovalOptions) {
    super();
    this._spec = { kind: 'approvalTopic', options };
    this.description = options.question ?? 'Approve the next steps of the runbook';
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    const timeout = checkDuration(ctx.problems, `${ctx.prop}.timeout`, this.options.timeout,
      { unit: 'seconds', min: 60, max: 86_400, literal: 'the model bounds the wait by it' }) ?? 3600;
    const ask = new tasks.SnsPublish(ctx.scope, stateName(ctx, 'ask for approval'), {
      stateName: stateName(ctx, 'ask for approval'),
      topic: this.options.topic,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      subject: 'Runbook approval needed',
      message: sfn.TaskInput.fromObject({
        question: this.description,
        execution: sfn.JsonPath.stringAt('$$.Execution.Id'),
        taskToken: sfn.JsonPath.taskToken,
        approve: 'aws stepfunctions send-task-success --task-token <taskToken> --task-output \'{}\'',
        reject: 'aws stepfunctions send-task-failure --task-token <taskToken> --error Rejected',
      }),
      taskTimeout: sfn.Timeout.duration(Duration.seconds(timeout)),
      resultPath: resultPath(ctx),
    });
    ask.addCatch(ctx.onFailure, { resultPath: '$.failure' });
    return {
      chain: sfn.Chain.start(ask),
      terms: [approvalWait(`${ctx.id}-approval`, timeout, ctx.given(RecoveryAssumption.APPROVAL_WAIT))],
    };
  }
}

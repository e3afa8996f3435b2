import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { guardedLag, taskCall } from '../../objectives/model/runbook';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { checkDuration } from '../../private/validate';
import { inputFlag, resultPath, sdkTask, StepBinding, StepContext, stateName } from '../private/step-context';
import { StepSpec } from '../private/step-spec';
import { RunbookStepRole, RunbookStep } from '../runbook-step';

/**
 * Options of `RpoGuard.alarm`.
 */
export interface RpoGuardAlarmOptions {
  /**
   * An alarm on the replication lag, in the runbook's Region, that is in ALARM while the lag is
   * over `maxLag`, and (best) also while the lag metric has no data (`TreatMissingData.BREACHING`):
   * a primary Region that stopped reporting is no proof of a small lag. The lag alarms of this
   * library's data constructs (`MultiAzDatabase` Aurora global secondaries,
   * `CrossRegionReadReplica.replicaLagAlarm`) qualify.
   */
  readonly alarm: cloudwatch.IAlarm;

  /**
   * The lag at which the alarm fires: the data the runbook may lose, in the model. Whole
   * seconds, 0 or more.
   */
  readonly maxLag: Duration;

  /**
   * What replicates, for the report, e.g. `the orders database`.
   *
   * @default 'the replication lag'
   */
  readonly source?: string;
}

/**
 * The RPO guard: the runbook goes on only while the replication lag is within the RPO, read
 * as the state of a lag alarm (`cloudwatch:DescribeAlarms`, in the runbook's Region). Any other
 * state, or no alarm, refuses: the runbook ends `REFUSED` before changing anything. An operator
 * who accepts the loss starts the runbook again with `{ "allowDataLoss": true }`.
 */
export class RpoGuard extends RunbookStep {
  /** Guard on a lag alarm: go on while it is OK. */
  public static alarm(options: RpoGuardAlarmOptions): RpoGuard {
    return new RpoGuard(options);
  }

  /** What the step does: refuse while the lag is over the RPO. */
  public readonly role = RunbookStepRole.RPO_GUARD;
  /** The step in words. */
  public readonly description: string;
  /** @internal */
  public readonly _spec: StepSpec;

  private constructor(private readonly options: RpoGuardAlarmOptions) {
    super();
    this._spec = { kind: 'rpoGuardAlarm', options };
    this.description = `refuse while ${options.source ?? 'the replication lag'} is over the RPO`;
  }

  /** @internal */
  public _bind(ctx: StepContext): StepBinding {
    const maxLag = checkDuration(ctx.problems, `${ctx.prop}.maxLag`, this.options.maxLag,
      { literal: 'the model counts it as the data the runbook may lose' });
    const read = sdkTask(ctx, 'DescribeAlarms', {
      service: 'cloudwatch',
      action: 'describeAlarms',
      parameters: { AlarmNames: [this.options.alarm.alarmName] },
      iamResources: [this.options.alarm.alarmArn],
      resultSelector: { 'alarms.$': '$.MetricAlarms' },
      read: true,
      errorPrefix: 'CloudWatch',
      timeout: Duration.seconds(30),
    });
    const state = `${resultPath(ctx)}.alarms[0].StateValue`;
    const within = new sfn.Pass(ctx.scope, stateName(ctx, 'lag within the RPO'), { stateName: stateName(ctx, 'lag within the RPO') });
    const accepted = new sfn.Pass(ctx.scope, stateName(ctx, 'data loss accepted'), { stateName: stateName(ctx, 'data loss accepted') });
    const refused = new sfn.Pass(ctx.scope, stateName(ctx, 'lag over the RPO'), {
      stateName: stateName(ctx, 'lag over the RPO'),
      parameters: {
        Error: 'RpoGuardRefused',
        Cause: `the lag alarm is not OK (over ${this.options.maxLag.toHumanString()}, or no data): a failover now could lose more than the RPO. `
          + 'Wait for replication to catch up, or start again with {"allowDataLoss": true} to accept the loss.',
      },
      resultPath: '$.failure',
    }).next(ctx.onRefusal);
    const test = new sfn.Choice(ctx.scope, stateName(ctx, 'lag within the RPO?'), { stateName: stateName(ctx, 'lag within the RPO?') })
      .when(sfn.Condition.and(sfn.Condition.isPresent(state), sfn.Condition.stringEquals(state, 'OK')), within)
      .when(inputFlag('allowDataLoss'), accepted)
      .otherwise(refused);
    read.next(test);
    return {
      chain: sfn.Chain.custom(read, [within, accepted], test),
      terms: [
        taskCall(`${ctx.id}-rpo-guard`, RecoveryTermKind.time('rpoGuard', 'RPO guard'), 'read the lag alarm\'s state',
          ctx.given(RecoveryAssumption.RUNBOOK_TASK)),
        guardedLag(`${ctx.id}-guarded-lag`, maxLag ?? 0, this.options.source ?? 'the replication lag'),
      ],
    };
  }
}

import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FailoverDrillProps } from './failover-drill-props';
import { buildDrill, lockTable } from './private/build-drill';
import { acknowledgeDrillRole, clientFunction, controlFunction, drillTopic, resultsBucket } from './private/drill-resources';
import { measurement, validate } from './private/drill-validation';
import { FailoverReport } from '../objectives/report/failover-report';
import { Problems } from '../private/errors';
import { stackSingleton } from '../private/singleton';
import { show } from '../private/validate';

/** The namespace of the drills' metrics unless a drill names another (the dashboard reads it). */
const DEFAULT_NAMESPACE = 'CdkFailover/Drills';
/** The recovery path a drill measures, once the report has described it. */
interface DrilledPath {
  readonly label: string;
  readonly modeledRtoWorst: number;
  readonly objectiveRto: number;
}

/**
 * A failover drill: a Step Functions state machine, in the Region that survives the drill, that
 * injects a real fault (an FIS experiment, the failover runbook, or a Route 53 health-check
 * inversion), measures the recovery as a client of the public name sees it, compares it with
 * the modeled worst case and the RTO objective, and always puts things back.
 *
 * An execution plans (blocked windows and dates), takes a lock (no two drills of the stack with
 * the same lock run at once), checks the lag alarms, injects, measures beside following the
 * fault, restores, and then publishes: `ModeledRTOWorst` (and, from the client, `MeasuredRTO`)
 * per drill and path, a summary in S3 that is a drill results file (`DrillResults.fromFile`
 * reads it into the next synth), and a notification saying whether the measured RTO met the
 * objective. Every state after the lock has a Catch that leads to the restore, the summary and
 * the release of the lock. `{ "dryRun": true }` as the execution input runs every step but the
 * injection.
 *
 * Stopping an execution by hand (StopExecution) skips the restore: let it end, or restore by hand.
 *
 * @exampleMetadata fixture=drill
 * @example
 * new FailoverDrill(this, 'DnsDrill', {
 *   injection: DrillInjection.healthCheckInversion({ healthCheck: primaryCheck }),
 *   path: failover,
 *   measure: { url: 'https://app.example.com/health', standbyHeaderName: 'x-region', standbyHeaderValue: 'us-west-2' },
 *   blockedWindows: ['Fri:00:00-Fri:23:59'],
 * });
 */
export class FailoverDrill extends Construct {
  /** The drill's state machine: start an execution to run the drill. */
  public readonly stateMachine: sfn.StateMachine;
  /** The bucket the summaries go to. */
  public readonly resultsBucket: s3.IBucket;
  /** The topic told of every drill's outcome. */
  public readonly topic: sns.ITopic;
  /** The drill's name: the `Drill` dimension of its metrics. */
  public readonly drillName: string;
  /** The CloudWatch namespace of its `MeasuredRTO` and `ModeledRTOWorst`. */
  public readonly metricNamespace: string;
  /**
   * The game-day schedule.
   *
   * @default - none
   */
  public readonly gameDay?: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: FailoverDrillProps) {
    super(scope, id);
    const problems = new Problems(this);
    validate(problems, this, props);
    const measure = measurement(problems, props.measure);
    problems.throwIfAny();

    this.drillName = props.drillName ?? id.slice(0, 64).replace(/[^A-Za-z0-9_-]/g, '-');
    const prefix = props.resultsPrefix ?? 'drills';
    this.resultsBucket = props.resultsBucket ?? resultsBucket(this);
    this.topic = props.topic ?? drillTopic(this);
    const namespace = props.metricNamespace ?? DEFAULT_NAMESPACE;
    this.metricNamespace = namespace;
    const control = controlFunction(this);
    let client: lambda.IFunction | undefined;
    // Read when the template is rendered (the app is complete then); a problem is reported by the validation.
    const facts = () => this.resolvePath(props).path ?? { label: '-', modeledRtoWorst: 0, objectiveRto: 0 };
    const built = buildDrill(this, problems, {
      injection: props.injection,
      measure,
      lagAlarms: props.lagAlarms ?? [],
      blockedWindows: props.blockedWindows ?? [],
      blockedDates: props.blockedDates ?? [],
      dryRun: props.dryRun ?? false,
      drillName: this.drillName,
      lockName: props.lockName ?? 'drills',
      lockTable: stackSingleton(this, 'CdkFailoverDrillLock', {}, (stack, tableId) => lockTable(stack, tableId)),
      bucket: this.resultsBucket,
      prefix,
      topic: this.topic,
      namespace,
      timeout: props.timeout,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      pathLabel: Lazy.string({ produce: () => facts().label }),
      modeledRtoWorst: Lazy.number({ produce: () => facts().modeledRtoWorst }),
      objectiveRto: Lazy.number({ produce: () => facts().objectiveRto }),
      control,
      client: () => client ??= clientFunction(this, namespace),
    });
    problems.throwIfAny();
    this.stateMachine = built!;
    // An encrypted topic takes messages only from publishers that may use its key: grantPublish grants both.
    this.topic.grantPublish(this.stateMachine);
    acknowledgeDrillRole(this.stateMachine.role);

    if (props.gameDay) {
      this.gameDay = new scheduler.Schedule(this, 'GameDay', {
        schedule: props.gameDay.schedule,
        enabled: props.gameDay.enabled ?? false,
        description: `Game day: starts the failover drill ${this.drillName}${props.gameDay.dryRun ? ' (dry run)' : ''}`,
        target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
          input: scheduler.ScheduleTargetInput.fromObject({ dryRun: props.gameDay.dryRun ?? false, gameDay: true }),
        }),
      });
    }
    FailoverReport.of(props.path);
    this.node.addValidation({ validate: () => this.resolvePath(props).problems });
  }

  /** Lets `grantee` start the drill and read its executions. */
  public grantStart(grantee: iam.IGrantable): iam.Grant {
    const grant = this.stateMachine.grantStartExecution(grantee);
    this.stateMachine.grantRead(grantee);
    return grant;
  }

  /** The drilled path from the report, or why there is none (reported by the validation). */
  private resolvePath(props: FailoverDrillProps): { path?: DrilledPath; problems: string[] } {
    const provider = props.path;
    const all = FailoverReport.of(provider)._paths().filter((p) => p.constructPath === provider.node.path);
    const timed = all.filter((p) => p.totals.rtoMax !== undefined);
    const ids = all.map((p) => p.id.slice(provider.node.path.length + 1));
    let chosen;
    if (props.pathId !== undefined) {
      chosen = all.find((p) => p.id === `${provider.node.path}#${props.pathId}`);
      if (!chosen) {
        return { problems: [`\`pathId\` ${show(props.pathId)} is not a path of ${provider.node.path}, whose paths are: ${ids.join(', ') || 'none'}.`] };
      }
    } else if (timed.length !== 1) {
      return {
        problems: [`\`path\` ${provider.node.path} has ${timed.length} recovery paths that take time (${timed.map((p) => p.id).join(', ') || 'none'}): `
          + 'give `pathId` to say which one the drill measures.'],
      };
    } else {
      chosen = timed[0];
    }
    if (chosen.totals.rtoMax === undefined) {
      return { problems: [`\`pathId\` ${show(props.pathId)} of ${provider.node.path} carries data only, with no recovery time to drill. Drill a path that takes time.`] };
    }
    const objectives = chosen.check.objectives;
    if (objectives?.rto === undefined) {
      return {
        problems: [`${chosen.id} has no RTO objective: a drill compares what it measured with the objective. `
          + 'Declare `new RecoveryObjectives(scope, \'Objectives\', { rto: ... })` on a scope above it.'],
      };
    }
    return { path: { label: chosen.id, modeledRtoWorst: chosen.totals.rtoMax, objectiveRto: objectives.rto }, problems: [] };
  }
}


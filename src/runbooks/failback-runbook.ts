import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildRunbook, validateRunbookSpec } from './private/build-runbook';
import { RUNBOOK_ASSUMPTIONS, runbookPath } from './private/runbook-path';
import { RunbookOptions } from './runbook-options';
import { RunbookStep } from './runbook-step';
import { plannedStart } from '../objectives/model/runbook';
import { Term } from '../objectives/model/term';
import { IRecoveryPathProvider, RecoveryPath } from '../objectives/path';
import { FailoverReport } from '../objectives/report/failover-report';
import { checkAssumptions } from '../private/assumptions';
import { Problems } from '../private/errors';
import { isRegionName } from '../private/region';
import { show } from '../private/validate';

/**
 * Properties of `FailbackRunbook`.
 */
export interface FailbackRunbookProps extends RunbookOptions {
  /**
   * The steps, in the order they run: typically an `RpoGuard` on the reverse replication (has
   * the old primary caught up?), a `Fence` of the side traffic leaves, a lossless promotion
   * (`PromoteData.auroraGlobalSwitchover`), the traffic switch back, the verification. A
   * promotion that can lose data is refused.
   */
  readonly steps: RunbookStep[];

  /** The Region the runbook moves away from: the side that served during the outage. The runbook runs in the stack's Region, the original primary. */
  readonly fromRegion: string;
}

/**
 * A failback runbook: the planned move back to the original primary once its Region has
 * recovered, as a Step Functions state machine in that Region. It is never started by an
 * alarm (it has no trigger): a person starts it when the old primary has caught up.
 *
 * Before it runs, replication must flow back: an Aurora global database re-adds the old
 * primary's cluster as a secondary once its Region recovers (check that it did, or add it); a
 * promoted read replica needs a new replica in the original Region. The runbook's `RpoGuard`
 * then checks the lag, and its switchover loses nothing.
 *
 * The same invariant as `FailoverRunbook`: steps in a checked order, any failure ends the run
 * in a defined state, nothing runs after it.
 *
 * @exampleMetadata fixture=runbook
 * @example
 * new FailbackRunbook(this, 'Failback', {
 *   fromRegion: 'us-west-2',
 *   steps: [
 *     RpoGuard.alarm({ alarm: lagAlarm, maxLag: Duration.seconds(5) }),
 *     PromoteData.auroraGlobalSwitchover({
 *       globalClusterIdentifier: 'orders', clusterIdentifier: 'orders-east',
 *       primaryClusterIdentifier: 'orders-west', primaryRegion: 'us-west-2',
 *     }),
 *     SwitchTraffic.routingControls({ controls, region: 'us-east-1' }),
 *     VerifyRecovery.http({ url: 'https://app.example.com/health' }),
 *   ],
 * });
 */
export class FailbackRunbook extends Construct implements IRecoveryPathProvider {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** The Region the runbook moves away from. */
  public readonly fromRegion: string;

  private readonly pathTerms: Term[];
  private readonly stepIds: string[];

  constructor(scope: Construct, id: string, props: FailbackRunbookProps) {
    super(scope, id);
    const problems = new Problems(this);
    if (!isRegionName(props.fromRegion)) {
      problems.add(`\`fromRegion\` must be a Region name such as us-west-2, got: ${show(props.fromRegion)}. Give the Region that served during the outage.`);
    }
    const spec = { kind: 'failback' as const, ...props, assumptions: props.assumptions };
    validateRunbookSpec(problems, this, spec);
    checkAssumptions(problems, props.assumptions, RUNBOOK_ASSUMPTIONS);
    problems.throwIfAny();

    this.fromRegion = props.fromRegion;
    const built = buildRunbook(this, spec);
    this.stateMachine = built.stateMachine;
    this.pathTerms = built.terms;
    this.stepIds = built.steps.map((s) => s.id);
    FailoverReport.of(this);
  }

  /**
   * Lets `grantee` start the runbook (and read its executions).
   */
  public grantStart(grantee: iam.IGrantable): iam.Grant {
    const grant = this.stateMachine.grantStartExecution(grantee);
    this.stateMachine.grantRead(grantee);
    return grant;
  }

  /** The failback as a recovery path: a planned start, then every step (its downtime is checked against the RTO). */
  public recoveryPaths(): RecoveryPath[] {
    return [runbookPath(this, {
      id: 'failback',
      fromRegion: this.fromRegion,
      toRegion: Stack.of(this).region,
      terms: [plannedStart(), ...this.pathTerms],
      steps: this.stepIds,
      failback: true,
    })];
  }
}

/**
 * A runbook as a recovery path: what starts it (a person's decision, or an alarm's detection),
 * then its steps' terms in series.
 */
import { Annotations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { upstreamDetection } from '../../health/private/upstream-detection';
import { RecoveryAssumption } from '../../objectives/assumptions';
import { RecoveryEstimate } from '../../objectives/estimate';
import { alarmPeriods, slowestAlarm } from '../../objectives/model/alarms';
import { runbookDecision } from '../../objectives/model/runbook';
import { instant, Term } from '../../objectives/model/term';
import { EndpointRole, RecoveryPath, RecoveryPathKind } from '../../objectives/path';
import { RecoveryTermKind } from '../../objectives/term-kind';
import { AssumptionValues, givenAssumption } from '../../private/assumptions';
import { alarmShape } from '../../private/route53-alarm-rules';

/** Every assumption a runbook's steps or trigger may take. */
export const RUNBOOK_ASSUMPTIONS = [
  RecoveryAssumption.OPERATOR_RESPONSE, RecoveryAssumption.RUNBOOK_TASK,
  RecoveryAssumption.SERVICE_DRAIN, RecoveryAssumption.GLOBAL_DATABASE_FAILOVER, RecoveryAssumption.AURORA_GLOBAL_LAG,
  RecoveryAssumption.REPLICA_PROMOTION, RecoveryAssumption.RDS_REPLICA_LAG, RecoveryAssumption.ECS_SCALE_OUT,
  RecoveryAssumption.INSTANCE_LAUNCH, RecoveryAssumption.TARGET_HEALTH_DETECTION, RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS,
  RecoveryAssumption.HEALTH_TO_DNS_ANSWER, RecoveryAssumption.CLIENT_DNS_CACHE, RecoveryAssumption.APPROVAL_WAIT,
  RecoveryAssumption.ACCELERATOR_REROUTE, RecoveryAssumption.ALARM_TO_HEALTH_STATUS,
];

/**
 * What starts a failover: a person (the `operatorResponse` decision), or an alarm (its breaching
 * periods; figures known only at deploy time are modeled at the slowest, with a warning).
 */
export function triggerTerms(scope: IConstruct, alarm: cloudwatch.IAlarm | undefined, assumptions: AssumptionValues): Term[] {
  if (!alarm) {
    return [runbookDecision(givenAssumption(scope, assumptions, RecoveryAssumption.OPERATOR_RESPONSE))];
  }
  const shape: { period?: number; evaluationPeriods?: number } = alarm instanceof cloudwatch.Alarm ? alarmShape(alarm) : {};
  const { period, evaluationPeriods, slowest } = slowestAlarm(shape.period, shape.evaluationPeriods);
  if (slowest) {
    Annotations.of(scope).addWarningV2('cdk-failover:runbook-alarm-unknown',
      `The alarm that starts the runbook (${alarm.alarmName}) has a period or evaluation periods unknown at synth (an imported or composite alarm): `
      + `the model counts the slowest CloudWatch allows (${evaluationPeriods} x ${period} s). Start it from a cloudwatch.Alarm with literal figures to have it modeled.`);
  }
  return [
    ...upstreamDetection(alarm),
    {
      ...alarmPeriods('runbook-start-alarm', 'the alarm that starts the runbook', period, evaluationPeriods,
        'an alarm on fewer, 60 s periods'),
      assumption: slowest,
    },
    instant('runbook-automatic-start', RecoveryTermKind.DECISION, 'the alarm starts the runbook through EventBridge: no person decides'),
  ];
}

/** What a runbook's path needs. */
export interface RunbookPathInput {
  readonly id: string;
  readonly fromRegion: string;
  readonly toRegion: string;
  readonly terms: Term[];
  readonly steps: string[];
  readonly failback: boolean;
}

/** The runbook's recovery path: one term per step (or more), after what starts it. */
export function runbookPath(scope: IConstruct, input: RunbookPathInput): RecoveryPath {
  return new RecoveryPath({
    id: input.id,
    kind: RecoveryPathKind.RUNBOOK,
    name: `${input.failback ? 'failback' : 'failover'} from ${input.fromRegion} to ${input.toRegion} (${scope.node.id}: ${input.steps.join(', ')})`,
    endpoints: [
      { label: `${input.fromRegion} (${input.failback ? 'standby after the failback' : 'failed primary'})`, role: EndpointRole.PRIMARY, region: input.fromRegion },
      { label: `${input.toRegion} (${input.failback ? 'primary again' : 'new primary'})`, role: EndpointRole.SECONDARY, region: input.toRegion },
    ],
    estimate: RecoveryEstimate._fromModel(input.terms),
  });
}

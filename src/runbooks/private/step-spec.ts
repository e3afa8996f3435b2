/**
 * What each runbook step is, as plain data: the Region switch plan builds its execution blocks
 * from it (the state machine is built by the step itself). One kind per step factory.
 */
import type { FenceAutoScalingGroupOptions, FenceEcsServiceOptions, FenceRoutingControlOptions } from '../steps/fence';
import type { ManualApprovalOptions } from '../steps/manual-approval';
import type { PromoteAuroraGlobalOptions, PromoteReadReplicaOptions } from '../steps/promote-data';
import type { RpoGuardAlarmOptions } from '../steps/rpo-guard';
import type { ScaleAutoScalingGroupOptions, ScaleEcsServiceOptions } from '../steps/scale-capacity';
import type { AwaitDnsFailoverOptions, SwitchAcceleratorDialsOptions, SwitchDataPlaneOptions, SwitchRoutingControlsOptions } from '../steps/switch-traffic';
import type { VerifyHttpOptions } from '../steps/verify-recovery';
import type { WaitHealthyAlarmOptions, WaitHealthyTargetGroupOptions } from '../steps/wait-healthy';

export type StepSpec =
  | { readonly kind: 'rpoGuardAlarm'; readonly options: RpoGuardAlarmOptions }
  | { readonly kind: 'fenceRoutingControl'; readonly options: FenceRoutingControlOptions }
  | { readonly kind: 'fenceEcsService'; readonly options: FenceEcsServiceOptions }
  | { readonly kind: 'fenceAutoScalingGroup'; readonly options: FenceAutoScalingGroupOptions }
  | { readonly kind: 'auroraGlobalSwitchover'; readonly options: PromoteAuroraGlobalOptions }
  | { readonly kind: 'auroraGlobalFailover'; readonly options: PromoteAuroraGlobalOptions }
  | { readonly kind: 'readReplica'; readonly options: PromoteReadReplicaOptions }
  | { readonly kind: 'scaleEcsService'; readonly options: ScaleEcsServiceOptions }
  | { readonly kind: 'scaleAutoScalingGroup'; readonly options: ScaleAutoScalingGroupOptions }
  | { readonly kind: 'waitTargetGroup'; readonly options: WaitHealthyTargetGroupOptions }
  | { readonly kind: 'waitAlarm'; readonly options: WaitHealthyAlarmOptions }
  | { readonly kind: 'switchRoutingControls'; readonly options: SwitchRoutingControlsOptions }
  | { readonly kind: 'awaitDnsFailover'; readonly options: AwaitDnsFailoverOptions }
  | { readonly kind: 'switchDataPlane'; readonly options: SwitchDataPlaneOptions }
  | { readonly kind: 'switchAcceleratorDials'; readonly options: SwitchAcceleratorDialsOptions }
  | { readonly kind: 'verifyHttp'; readonly options: VerifyHttpOptions }
  | { readonly kind: 'approvalTopic'; readonly options: ManualApprovalOptions }
  | { readonly kind: 'recordActiveRegion' };

// What cdk-failover adds to the plain app: the analysis at synth, and the objectives it is checked
// against. In your own app, import from 'cdk-failover'.
import { App, Aspects, Duration } from 'aws-cdk-lib';
import { FailoverReadiness, ObjectiveEnforcement, RecoveryObjectives } from '../../src';

export function addReadiness(app: App): void {
  Aspects.of(app).add(new FailoverReadiness());
  // WARN: the example shows its misses without failing its synth; the default fails it.
  new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5), rpo: Duration.minutes(15), enforcement: ObjectiveEnforcement.WARN });
}

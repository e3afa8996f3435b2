import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addReadiness } from './readiness';
import { buildReadinessExample } from './stacks';

const app = new App();
buildReadinessExample(app);
addReadiness(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

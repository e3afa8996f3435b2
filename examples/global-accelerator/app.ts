import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGlobalAcceleratorExample } from './stacks';

const app = new App();
buildGlobalAcceleratorExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStrategiesExample } from './stacks';

const app = new App();
buildStrategiesExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

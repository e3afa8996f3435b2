import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildDrillsExample } from './stacks';

const app = new App();
buildDrillsExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

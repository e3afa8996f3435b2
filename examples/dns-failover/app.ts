import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildExample } from './stacks';

const app = new App();
buildExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

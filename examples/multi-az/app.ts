import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildMultiAzExample } from './stacks';

const app = new App();
buildMultiAzExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

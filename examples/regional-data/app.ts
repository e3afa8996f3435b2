import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildRegionalDataExample } from './stacks';

const app = new App();
buildRegionalDataExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

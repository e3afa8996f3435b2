import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildPrivateExample } from './stacks';

const app = new App();
buildPrivateExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildRegionalFailoverExample } from './stacks';

const app = new App();
buildRegionalFailoverExample(app);
Aspects.of(app).add(new AwsSolutionsChecks());
app.synth();

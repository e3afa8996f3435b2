import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { controlTasks, dnsDrill, drillDefinition, drillParts } from './drill-fixture';
import { checkSdkCalls, runLocally, sdkTasks, validateAsl } from '../support/state-machines';

describe('FailoverDrill', () => {
  test('synthesizes a valid state machine whose SDK calls match the API models', () => {
    // GIVEN
    const parts = drillParts();
    // WHEN
    dnsDrill(parts);
    // THEN
    const definition = drillDefinition(parts.stack);
    expect(validateAsl(definition)).toEqual([]);
    expect(checkSdkCalls(sdkTasks(definition))).toEqual([]);
    Template.fromStack(parts.stack).hasResourceProperties('AWS::DynamoDB::Table', Match.objectLike({ TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  });

  test('a drill that meets its objective runs every step and releases the lock', async () => {
    // GIVEN
    const parts = drillParts();
    dnsDrill(parts);
    const definition = drillDefinition(parts.stack);
    // WHEN
    const run = await runLocally(definition, {
      tasks: {
        ...controlTasks,
        'Take the lock': () => ({}),
        'precheck: DescribeAlarms': () => ({ MetricAlarms: [{ StateValue: 'OK' }] }),
        'inject: Invert health check': () => ({}),
        'measure: sample': () => ({ switched: true, measuredRtoSeconds: 84.5, until: 'standby', injectedAt: '2026-11-30T12:00:00.000Z', sampledTo: '2026-11-30T12:01:30.000Z' }),
        'restore: Revert health check': () => ({}),
        'Publish the modeled RTO': () => ({}),
        'Write the summary': () => ({}),
        'Notify': () => ({}),
        'Release the lock': () => ({}),
      },
    });
    // THEN
    expect(run).toEqual({});
    expect(run.status).toBe('SUCCEEDED');
  });
});

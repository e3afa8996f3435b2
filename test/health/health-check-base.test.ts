import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  AlarmHealthCheck, CalculatedHealthCheck, EndpointHealthCheck, HealthProbe, IModeledHealthCheck, ModeledHealthCheckBase,
} from '../../src';
import { testStack } from '../util';

describe('ModeledHealthCheckBase', () => {
  test('every check of the library, created or imported, shares the members of the base', () => {
    // GIVEN
    const stack = testStack();
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'Orders', metricName: 'Errors', period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
    });

    // WHEN
    const endpoint = new EndpointHealthCheck(stack, 'Endpoint', { domainName: 'us-west-2.app.example.com', statusAlarm: false });
    const checks: IModeledHealthCheck[] = [
      endpoint,
      EndpointHealthCheck.fromHealthCheckAttributes(stack, 'Imported', {
        healthCheckId: 'abcdef01-2345-6789-abcd-ef0123456789', requestInterval: Duration.seconds(30), failureThreshold: 3,
      }),
      new CalculatedHealthCheck(stack, 'Calculated', { children: [endpoint], statusAlarm: false }),
      new AlarmHealthCheck(stack, 'AlarmCheck', { alarm }),
      new HealthProbe(stack, 'Probe').addTcpTarget('db', { host: 'db.example.com', port: 5432 }),
    ];

    // THEN
    for (const check of checks) {
      expect(check).toBeInstanceOf(ModeledHealthCheckBase);
      expect(check.healthCheckRef).toEqual({ healthCheckId: check.healthCheckId });
      expect(check.detection.terms).toHaveLength(1);
      expect(check.summary).not.toEqual('');
    }
    expect(checks[1].healthCheckId).toEqual('abcdef01-2345-6789-abcd-ef0123456789');
    expect(stack.resolve(endpoint.healthCheckId)).toEqual({ Ref: stack.getLogicalId(endpoint.healthCheck.node.defaultChild as any) });
  });
});

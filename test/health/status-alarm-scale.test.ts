import { App, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { DnsFailover, EndpointHealthCheck, FailoverTarget } from '../../src';

/** Resources of one stack in us-west-2 with `pairs` failover pairs, each with a status alarm in us-east-1. */
function resources(pairs: number): number {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-west-2' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0000000000EXAMPLE', zoneName: 'example.com' });
  for (let i = 0; i < pairs; i++) {
    new DnsFailover(stack, `Failover${i}`, {
      zone,
      recordName: `app${i}`,
      primary: FailoverTarget.regionalRecord('us-east-1'),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: new EndpointHealthCheck(stack, `Check${i}`, { domainName: `us-east-1.app${i}.example.com` }),
    });
  }
  return Object.keys(app.synth().getStackByName('Stack').template.Resources).length;
}

describe('status alarms at scale', () => {
  test('150 failover pairs stay under the 500-resource limit, at most 3.1 resources per pair', () => {
    const count = resources(150);
    expect(count).toBeLessThan(500);
    expect(count / 150).toBeLessThanOrEqual(3.1);
  });

  test('each pair costs its two records and its health check; the provider is paid once per stack', () => {
    expect(resources(50) - resources(1)).toEqual(49 * 3);
  });
});

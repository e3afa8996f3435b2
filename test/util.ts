import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DnsFailover, DnsFailoverProps, EndpointHealthCheck, FailoverTarget } from '../src';

/** An app that writes its cloud assembly into a fresh temporary directory. */
export function testApp(props: AppProps = {}): App {
  return new App({ ...props, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-test-')) });
}

export const ENV = { account: '111111111111', region: 'us-west-2' };

export function testStack(app: App = testApp(), id = 'Stack', region = ENV.region): Stack {
  return new Stack(app, id, { env: { account: ENV.account, region } });
}

export function testZone(scope: Construct, zoneName = 'example.com'): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z0000000000EXAMPLE', zoneName });
}

/** The example topology in one stack: regional records on both sides, a check on the primary. */
export function regionalFailover(stack: Stack, props: Partial<DnsFailoverProps> = {}, id = 'Failover'): DnsFailover {
  const zone = props.zone ?? (stack.node.tryFindChild('Zone') as route53.IHostedZone | undefined) ?? testZone(stack);
  return new DnsFailover(stack, id, {
    zone,
    recordName: 'app',
    primary: FailoverTarget.regionalRecord('us-east-1'),
    secondary: FailoverTarget.regionalRecord('us-west-2'),
    primaryHealthCheck: new EndpointHealthCheck(stack, `${id}Check`, { domainName: 'us-east-1.app.example.com', statusAlarm: false }),
    ...props,
  });
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

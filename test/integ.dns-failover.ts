// Snapshot test of a DNS failover pair in one region-agnostic stack: `npx projen integ`
// compares the synthesized templates with test/integ.dns-failover.js.snapshot (never deploys).
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  CalculatedHealthCheck, DnsFailover, EndpointHealthCheck, EndpointProtocol, FailoverTarget, RecoveryObjectives,
} from '../src';

// No creation stack traces: they would put machine paths into the snapshot.
const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'DnsFailoverInteg', { env: { region: 'us-east-1' } });
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0000000000EXAMPLE', zoneName: 'example.com' });

const https = new EndpointHealthCheck(stack, 'Https', { domainName: 'us-east-1.app.example.com', resourcePath: '/health', searchString: 'ok' });
const tcp = new EndpointHealthCheck(stack, 'Tcp', { domainName: 'us-east-1.app.example.com', protocol: EndpointProtocol.TCP, port: 443, statusAlarm: false });

new RecoveryObjectives(stack, 'Objectives', { rto: Duration.minutes(3) });
new DnsFailover(stack, 'Failover', {
  zone,
  recordName: 'app',
  primary: FailoverTarget.regionalRecord('us-east-1'),
  secondary: FailoverTarget.regionalRecord('us-west-2'),
  primaryHealthCheck: new CalculatedHealthCheck(stack, 'Primary', { children: [https, tcp], healthThreshold: 2 }),
});

new IntegTest(app, 'DnsFailover', { testCases: [stack] });

/**
 * Benchmark of the regional paths, run with `npm run bench` (after the DNS failover section).
 *
 * The modeled worst case of four paths from us-east-1 to us-west-2, side by side, each built
 * here from the library's constructs and read from their recovery paths:
 *
 * 1. Global Accelerator failover with the library's defaults: `AcceleratorFailover` with its
 *    default settings in front of the load balancer of a `MultiAzService` with its defaults.
 * 2. The fastest the accelerator allows: the same, with the load balancer's target group at the
 *    fastest ELB allows (5 s interval, 2 s timeout, 2 failures).
 * 3. The default DNS alias pair: `DnsFailover` between the two regional records with an
 *    `EndpointHealthCheck` at its defaults.
 * 4. The multi-site record set: `MultiSiteRecords` with latency routing and the same check.
 *
 * It prints the two ratios the issue asks about: the accelerator's default against the default
 * DNS pair (target: at most 0.4x), and against the fastest accelerator (target: within 1.2x),
 * and which term decides each. Nothing calls AWS.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  AcceleratorEndpoint, AcceleratorEndpointKind, AcceleratorFailover, DnsFailover, EndpointHealthCheck, FailoverTarget, MultiAzService,
  MultiSiteRecords, RecoveryPath, ServiceTargets,
} from '../src';

const ENV = { account: '111111111111' };
const ZONE = { hostedZoneId: 'Z0000000000EXAMPLE', zoneName: 'example.com' };
const STANDBY_ALB = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/6d0ecf831eec9f09';
const DNS_TARGET = 0.4;
const WITHIN_FACTOR = 1.2;

interface Row {
  readonly name: string;
  readonly path: RecoveryPath;
}

function zonedStack(app: App, id: string): Stack {
  return new Stack(app, id, { env: { ...ENV, region: 'us-east-1' } });
}

/** The accelerator in front of the primary's load balancer; `fastest` sets its target group to the fastest ELB allows. */
function acceleratorPath(fastest: boolean): RecoveryPath {
  const app = new App({ context: { 'availability-zones:account=111111111111:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'] } });
  const stack = zonedStack(app, 'Primary');
  let alb: elbv2.IApplicationLoadBalancer;
  if (fastest) {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 0 });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    lb.addListener('Http', { port: 80, open: false }).addTargetGroups('Web', {
      targetGroups: [new elbv2.ApplicationTargetGroup(stack, 'Web', {
        vpc, port: 80, healthCheck: { interval: Duration.seconds(5), timeout: Duration.seconds(2), unhealthyThresholdCount: 2 },
      })],
    });
    alb = lb;
  } else {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 });
    const service = new MultiAzService(stack, 'Web', {
      vpc,
      peakCapacity: 2,
      targets: ServiceTargets.fargate({ image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') }),
    });
    alb = service.loadBalancer;
  }
  const accelerator = new AcceleratorFailover(stack, 'Accelerator', {
    endpoints: [
      AcceleratorEndpoint.applicationLoadBalancer(alb),
      AcceleratorEndpoint.fromArn('us-west-2', STANDBY_ALB, AcceleratorEndpointKind.APPLICATION_LOAD_BALANCER),
    ],
    primaryRegion: 'us-east-1',
  });
  return accelerator.recoveryPaths()[0];
}

function dnsPaths(): { pair: RecoveryPath; multiSite: RecoveryPath } {
  const app = new App();
  const stack = zonedStack(app, 'Global');
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE);
  const check = (id: string, region: string) => new EndpointHealthCheck(stack, id, { domainName: `${region}.app.example.com`, statusAlarm: false });
  const pair = new DnsFailover(stack, 'Pair', {
    zone,
    recordName: 'app',
    primary: FailoverTarget.regionalRecord('us-east-1'),
    secondary: FailoverTarget.regionalRecord('us-west-2'),
    primaryHealthCheck: check('PairCheck', 'us-east-1'),
  });
  const multiSite = new MultiSiteRecords(stack, 'Sites', {
    zone,
    recordName: 'www',
    regions: [
      { region: 'us-east-1', healthCheck: check('East', 'us-east-1') },
      { region: 'us-west-2', healthCheck: check('West', 'us-west-2') },
    ],
  });
  return { pair: pair.recoveryPaths()[0], multiSite: multiSite.recoveryPaths()[0] };
}

function seconds(path: RecoveryPath): number {
  return path.estimate.rtoWorst!.toSeconds({ integral: false });
}

function dominant(path: RecoveryPath): string {
  const t = path.estimate.dominantTerm!;
  return `${t.kind.label} up to ${t.max.toSeconds({ integral: false })} s`;
}

function main(): void {
  const { pair, multiSite } = dnsPaths();
  const rows: Row[] = [
    { name: 'Global Accelerator, library defaults (MultiAzService behind it)', path: acceleratorPath(false) },
    { name: 'Global Accelerator, fastest AWS allows (ELB 5 s x 2, 2 s timeout)', path: acceleratorPath(true) },
    { name: 'DNS failover pair, library defaults (alias, EndpointHealthCheck)', path: pair },
    { name: 'multi-site latency records, library defaults', path: multiSite },
  ];
  console.log('## Regional paths: modeled worst case (us-east-1 lost)\n');
  console.log('| path | best | worst | dominant term |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.path.estimate.rtoBest!.toSeconds({ integral: false })} s | ${seconds(r.path)} s | ${dominant(r.path)} |`);
  }
  const [gaDefault, gaFastest, dns] = rows.map((r) => seconds(r.path));
  const vsDns = gaDefault / dns;
  const vsFastest = gaDefault / gaFastest;
  console.log('');
  console.log(`accelerator default / DNS pair default: ${vsDns.toFixed(3)} (target at most ${DNS_TARGET}: ${vsDns <= DNS_TARGET ? 'met' : 'MISSED'})`);
  console.log(`accelerator default / accelerator fastest: ${vsFastest.toFixed(3)} (target within ${WITHIN_FACTOR}x: ${vsFastest <= WITHIN_FACTOR ? 'met' : 'MISSED'})`);
  console.log('');
  console.log('Terms of the accelerator paths (default | fastest):');
  const [a, b] = [rows[0].path.estimate.terms, rows[1].path.estimate.terms];
  a.forEach((t, i) => console.log(`- ${t.kind.label}: ${t.max.toSeconds({ integral: false })} s | ${b[i]?.max.toSeconds({ integral: false })} s${t.assumption ? ' (assumption)' : ''}`));
}

main();

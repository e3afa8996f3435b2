import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  EndpointHealthCheck, FailoverTarget, MultiAzService, MultiSiteRecords, MultiSiteRecordsProps, MultiSiteRegion, MultiSiteRouting,
  RecoveryObjectives, ServiceTargets,
} from '../../src';
import { readJson, regionalFailover, testApp, testStack, testZone } from '../util';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

function setup(region = 'us-west-2') {
  const app = testApp();
  const stack = testStack(app, 'Stack', region);
  const zone = testZone(stack);
  return { app, stack, zone };
}

function check(stack: Stack, region: string, options: { interval?: number; threshold?: number } = {}): EndpointHealthCheck {
  let id = `Check-${region}`;
  for (let n = 2; stack.node.tryFindChild(id); n++) {
    id = `Check-${region}-${n}`;
  }
  return new EndpointHealthCheck(stack, id, {
    domainName: `${region}.app.example.com`,
    statusAlarm: false,
    requestInterval: options.interval === undefined ? undefined : Duration.seconds(options.interval),
    failureThreshold: options.threshold,
  });
}

function regions(stack: Stack, extra: (region: string) => Partial<MultiSiteRegion> = () => ({})): MultiSiteRegion[] {
  return REGIONS.map((region) => ({ region, healthCheck: check(stack, region), ...extra(region) }));
}

function records(stack: Stack, zone: route53.IHostedZone, props: Partial<MultiSiteRecordsProps> = {}, id = 'App'): MultiSiteRecords {
  return new MultiSiteRecords(stack, id, { zone, recordName: 'app', regions: props.regions ?? regions(stack), ...props });
}

describe('MultiSiteRecords', () => {
  describe('records', () => {
    test('latency by default: an alias of each regional record, with its region, set identifier and health check', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      const multi = records(stack, zone);

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Route53::RecordSet', 3);
      for (const region of REGIONS) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: 'app.example.com.',
          Type: 'A',
          Region: region,
          SetIdentifier: region,
          Weight: Match.absent(),
          HealthCheckId: { Ref: Match.stringLikeRegexp(`^Check${region.replace(/-/g, '')}`) },
          AliasTarget: { DNSName: `${region}.app.example.com`, HostedZoneId: 'Z0000000000EXAMPLE', EvaluateTargetHealth: true },
          TTL: Match.absent(),
        });
      }
      expect(multi.domainName).toEqual('app.example.com');
      expect(Object.keys(multi.records)).toEqual(REGIONS);
    });

    test('weighted: each region\'s weight, no latency region', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      records(stack, zone, { routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 2, 'eu-west-1': 1, 'ap-southeast-2': 0 } }) });

      // THEN
      const template = Template.fromStack(stack);
      for (const [region, weight] of [['us-east-1', 2], ['eu-west-1', 1], ['ap-southeast-2', 0]] as const) {
        template.hasResourceProperties('AWS::Route53::RecordSet', { SetIdentifier: region, Weight: weight, Region: Match.absent() });
      }
    });

    test('weighted without weights: every region weighs 1', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      records(stack, zone, { routing: MultiSiteRouting.weighted() });

      // THEN
      const weights = Object.values(Template.fromStack(stack).findResources('AWS::Route53::RecordSet')).map((r) => r.Properties.Weight);
      expect(weights).toEqual([1, 1, 1]);
    });

    test('addresses: A and AAAA records with the TTL given', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      records(stack, zone, {
        ttl: Duration.seconds(20),
        regions: [
          { region: 'us-east-1', target: FailoverTarget.ipAddresses(['192.0.2.10', '2001:db8::10']), healthCheck: check(stack, 'us-east-1') },
          { region: 'eu-west-1', target: FailoverTarget.ipAddresses(['198.51.100.10', '2001:db8::20']), healthCheck: check(stack, 'eu-west-1') },
        ],
      });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Route53::RecordSet', 4);
      template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', SetIdentifier: 'us-east-1', ResourceRecords: ['192.0.2.10'], TTL: '20' });
      template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'AAAA', SetIdentifier: 'eu-west-1', ResourceRecords: ['2001:db8::20'], TTL: '20' });
    });

    test('CNAME targets: CNAME records', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      records(stack, zone, {
        regions: [
          { region: 'us-east-1', target: FailoverTarget.cname('east.example.net'), healthCheck: check(stack, 'us-east-1') },
          { region: 'eu-west-1', target: FailoverTarget.cname('west.example.net'), healthCheck: check(stack, 'eu-west-1') },
        ],
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
        Type: 'CNAME', SetIdentifier: 'eu-west-1', Region: 'eu-west-1', ResourceRecords: ['west.example.net'], TTL: '60',
      });
    });

    test('a load balancer of this stack needs no health check: EvaluateTargetHealth', () => {
      // GIVEN
      const { stack, zone } = setup('us-east-1');
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
      const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });

      // WHEN
      const multi = records(stack, zone, {
        regions: [
          { region: 'us-east-1', target: FailoverTarget.loadBalancer(alb) },
          { region: 'eu-west-1', healthCheck: check(stack, 'eu-west-1') },
        ],
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
        SetIdentifier: 'us-east-1', HealthCheckId: Match.absent(), AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
      });
      const [east] = multi.recoveryPaths();
      expect(east.estimate._terms.map((t) => [t.id, t.max])).toEqual([
        ['elb-target-health', 65], ['route53-multi-site-decision', 0], ['route53-dns-answer', 30], ['resolver-cache', 60], ['client-dns-cache', 5],
      ]);
      expect(east.warnings).toContain('us-east-1 has no Route 53 health check: it leaves the answers only once the load balancer\'s target health fails. '
        + 'Attach an EndpointHealthCheck on its regional name for faster, modeled detection.');
    });
  });

  describe('recovery paths', () => {
    test('one path per region, "losing <region>", with each term exactly', () => {
      // GIVEN: a fast check on us-east-1, the Route 53 defaults (30 s x 3) elsewhere
      const { stack, zone } = setup();
      const multi = records(stack, zone, {
        regions: [
          { region: 'us-east-1', healthCheck: check(stack, 'us-east-1', { interval: 10, threshold: 2 }) },
          { region: 'eu-west-1', healthCheck: check(stack, 'eu-west-1', { interval: 30, threshold: 3 }) },
        ],
        assumptions: { clientDnsCache: Duration.seconds(0) },
      });

      // WHEN
      const paths = multi.recoveryPaths();

      // THEN
      expect(paths.map((p) => [p.id, p.kind.id, p.name])).toEqual([
        ['lose-us-east-1', 'dns-failover', 'app.example.com (A): losing us-east-1'],
        ['lose-eu-west-1', 'dns-failover', 'app.example.com (A): losing eu-west-1'],
      ]);
      const terms = (i: number) => paths[i].estimate._terms.map((t) => [t.id, t.min, t.max, t.assumption]);
      // HTTPS 10 s x 2: 1 x 10 + 0.82 x 10 = 18.2 .. 2 x 10 + 6 = 26
      expect(terms(0)).toEqual([
        ['route53-health-check', 18.2, 26, false],
        ['route53-multi-site-decision', 0, 0, false],
        ['route53-dns-answer', 0, 30, true],
        ['resolver-cache', 0, 60, true],
        ['client-dns-cache', 0, 0, false],
      ]);
      // HTTPS 30 s x 3: 2 x 30 + 0.82 x 30 = 84.6 .. 3 x 30 + 6 = 96
      expect(terms(1)).toEqual([
        ['route53-health-check', 84.6, 96, false],
        ['route53-multi-site-decision', 0, 0, false],
        ['route53-dns-answer', 0, 30, true],
        ['resolver-cache', 0, 60, true],
        ['client-dns-cache', 0, 0, false],
      ]);
      expect(paths[0].estimate.rtoWorst!.toSeconds()).toEqual(116);
      expect(paths[1].estimate.rtoWorst!.toSeconds()).toEqual(186);
      expect(multi.estimate.rtoWorst!.toSeconds()).toEqual(186);
      expect(paths[0].endpoints.map((e) => [e.label, e.role, e.region])).toEqual([
        ['us-east-1.app.example.com', 'primary', 'us-east-1'],
        ['eu-west-1.app.example.com', 'active', 'eu-west-1'],
      ]);
      expect(paths[0].endpoints[0].health).toMatch(/^HTTPS us-east-1\.app\.example\.com/);
    });

    test('an imported health check is modeled at the slowest Route 53 check, with a warning on its path', () => {
      // GIVEN
      const { stack, zone } = setup();
      const imported = route53.HealthCheck.fromHealthCheckId(stack, 'Imported', 'abcdef01-2345-6789-abcd-ef0123456789');

      // WHEN
      const multi = records(stack, zone, { regions: [{ region: 'us-east-1', healthCheck: imported }, { region: 'eu-west-1', healthCheck: check(stack, 'eu-west-1') }] });

      // THEN: 10 x 30 s + 10 s TCP timeout
      const [east, west] = multi.recoveryPaths();
      expect(east.estimate._terms[0]).toMatchObject({ id: 'route53-health-check', max: 310, assumption: true });
      expect(east.warnings[0]).toMatch(/^The health check at Stack\/Imported is modeled as the slowest Route 53 endpoint check \(30 s x 10, TCP\) because it is imported/);
      expect(west.warnings).toHaveLength(1);
    });

    test('the report shows every path, its terms and its capacity assumption', () => {
      // GIVEN
      const { app, stack, zone } = setup();
      records(stack, zone);

      // WHEN
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

      // THEN
      const mine = report.paths.filter((p: any) => p.constructPath === 'Stack/App');
      expect(mine.map((p: any) => p.id)).toEqual(['Stack/App#lose-us-east-1', 'Stack/App#lose-eu-west-1', 'Stack/App#lose-ap-southeast-2']);
      expect(mine[0].terms.map((t: any) => t.id)).toEqual(['route53-health-check', 'route53-multi-site-decision', 'route53-dns-answer', 'resolver-cache', 'client-dns-cache']);
      // EndpointHealthCheck defaults (HTTPS, 10 s x 2): 26 s, then 30 + 60 + 5
      expect(mine[0].rto.worstSeconds).toEqual(121);
      expect(mine[0].rto.dominantTermId).toEqual('resolver-cache');
      expect(mine[0].warnings).toEqual(['Remaining capacity unchecked: losing us-east-1 assumes eu-west-1, ap-southeast-2 carry its load, but `peakLoad` is not given. '
        + 'Give `peakLoad` and each region\'s `capacity` (in one unit) to have it checked.']);
    });

    test('an RTO below the slowest region fails synth naming the dominant term', () => {
      // GIVEN
      const { app, stack, zone } = setup();
      records(stack, zone);

      // WHEN
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(2) });

      // THEN: 121 s for each region, of which the alias TTL (60 s) is the longest term
      expect(() => app.synth()).toThrow(/\[Stack\/App\] DNS failover of app\.example\.com \(A\): losing us-east-1: modeled worst-case recovery time 2 min 1 s exceeds the RTO objective 2 min \(declared at Objectives\)\. Dominant term: propagation up to 1 min/);
    });
  });

  describe('remaining capacity', () => {
    test('weighted: a survivor below its share is a path warning and a construct warning', () => {
      // GIVEN
      const { stack, zone } = setup();
      const capacities: Record<string, number> = { 'us-east-1': 900, 'eu-west-1': 600, 'ap-southeast-2': 300 };

      // WHEN
      const multi = records(stack, zone, {
        routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 2, 'eu-west-1': 1, 'ap-southeast-2': 1 } }),
        peakLoad: 1200,
        regions: regions(stack, (r) => ({ capacity: capacities[r] })),
      });

      // THEN
      const paths = multi.recoveryPaths();
      const short = 'The surviving regions cannot carry the peak: losing eu-west-1 sends 400 to ap-southeast-2 (capacity 300) of the peak 1200 by weight. '
        + 'Raise the capacity of ap-southeast-2, or shift weight to regions with spare capacity.';
      expect(paths[1].warnings).toEqual([short]);
      const annotations = Annotations.fromStack(stack);
      annotations.hasWarning('/Stack/App', Match.stringLikeRegexp(`^${escape(short)}`));
      // losing us-east-1: 600 each to eu-west-1 (600) and ap-southeast-2 (300); losing ap-southeast-2: 800 and 400, both fit
      expect(annotations.findWarning('/Stack/App', Match.stringLikeRegexp('cdk-failover:multi-site-capacity'))).toHaveLength(2);
      expect(paths[2].warnings).toEqual(['Remaining capacity checked: losing ap-southeast-2 sends 800 to us-east-1 (capacity 900), 400 to eu-west-1 (capacity 600) of the peak 1200 by weight.']);
    });

    test('a zero-weight region: losing it moves no clients, and the path says so', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      const multi = records(stack, zone, { routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 1, 'eu-west-1': 1, 'ap-southeast-2': 0 } }) });

      // THEN
      expect(multi.recoveryPaths()[2].warnings[0]).toEqual('ap-southeast-2 has weight 0: it serves only while every weighted region is unhealthy, so losing it moves no clients.');
      expect(multi.recoveryPaths()[0].warnings).toHaveLength(1);
    });

    test('enough capacity everywhere: no construct warning', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      records(stack, zone, { routing: MultiSiteRouting.weighted(), peakLoad: 100, regions: regions(stack, () => ({ capacity: 50 })) });

      // THEN
      Annotations.fromStack(stack).hasNoWarning('/Stack/App', Match.stringLikeRegexp('multi-site-capacity'));
    });

    test('latency: the total is checked, and the path says that one region may take all', () => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      const multi = records(stack, zone, { peakLoad: 100, regions: regions(stack, () => ({ capacity: 50 })) });

      // THEN
      expect(multi.recoveryPaths()[0].warnings[0]).toMatch(/^Remaining capacity checked in total only: losing us-east-1 leaves eu-west-1, ap-southeast-2 with 100 for the peak 100/);
      Annotations.fromStack(stack).hasNoWarning('/Stack/App', Match.stringLikeRegexp('multi-site-capacity'));
    });

    test('a MultiAzService behind a regional record gives its running targets as capacity, even when added later', () => {
      // GIVEN: the records first, then each region's service (in its own stack, reached by name only)
      const app = testApp();
      const global = testStack(app, 'Global', 'us-east-1');
      const zone = testZone(global);
      const multi = new MultiSiteRecords(global, 'App', {
        zone,
        recordName: 'app',
        routing: MultiSiteRouting.weighted(),
        peakLoad: 8,
        regions: ['us-east-1', 'eu-west-1'].map((region) => ({ region, healthCheck: check(global, region) })),
      });
      for (const [region, peakCapacity] of [['us-east-1', 4], ['eu-west-1', 6]] as const) {
        const stack = new ZonedStack(app, `Region-${region}`, region);
        const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1 });
        new MultiAzService(stack, 'Service', {
          vpc,
          peakCapacity,
          targets: ServiceTargets.autoScaling({ machineImage: ec2.MachineImage.latestAmazonLinux2023(), instanceType: new ec2.InstanceType('t3.micro') }),
          zone: testZone(stack),
          recordName: 'app',
        });
      }

      // WHEN
      const paths = multi.recoveryPaths();

      // THEN: ceil(4 / 2) x 3 = 6 and ceil(6 / 2) x 3 = 9 running targets; each survivor gets the whole peak of 8
      expect(paths[0].warnings).toEqual(['Remaining capacity checked: losing us-east-1 sends 8 to eu-west-1 (capacity 9: the running targets of Region-eu-west-1/Service) of the peak 8 by weight.']);
      expect(paths[1].warnings[0]).toMatch(/^The surviving regions cannot carry the peak: losing eu-west-1 sends 8 to us-east-1 \(capacity 6: the running targets of Region-us-east-1\/Service\)/);
      Annotations.fromStack(global).hasWarning('/Global/App', Match.stringLikeRegexp('losing eu-west-1 sends 8 to us-east-1'));
    });
  });

  describe('validation', () => {
    const cases: Array<[string, (stack: Stack) => Partial<MultiSiteRecordsProps>, RegExp]> = [
      ['fails with one region', (s) => ({ regions: [{ region: 'us-east-1', healthCheck: check(s, 'us-east-1') }] }),
        /`regions` must list at least two regions, got 1: with one region nothing takes over when it is lost\./],
      ['fails on a region that is not a region name', (s) => ({ regions: [...regions(s).slice(0, 1), { region: 'us-east-l', healthCheck: check(s, 'x') }] }),
        /`regions\[1\]\.region` must be an AWS region name such as us-east-1, got: "us-east-l"\./],
      ['fails on a deploy-time region', (s) => ({ regions: [...regions(s).slice(0, 1), { region: Lazy.string({ produce: () => 'eu-west-1' }), healthCheck: check(s, 'x') }] }),
        /`regions\[1\]\.region` is a deploy-time Token, but it names the record \(set identifier, latency region\) at synth\./],
      ['fails on a region listed twice', (s) => ({ regions: [...regions(s), { region: 'us-east-1', healthCheck: check(s, 'again') }] }),
        /`regions\[3\]\.region` us-east-1 is listed twice: each region answers once/],
      ['fails on a region without a health check behind a regional record', (s) => ({ regions: [...regions(s).slice(0, 1), { region: 'eu-west-1' }] }),
        /`regions\[1\]\.healthCheck` is required: Route 53 cannot tell the health of eu-west-1\.app\.example\.com \(record in the zone\) by itself/],
      ['fails on one check for two regions', (s) => {
        const shared = check(s, 'us-east-1');
        return { regions: [{ region: 'us-east-1', healthCheck: shared }, { region: 'eu-west-1', healthCheck: shared }] };
      }, /`regions\[1\]\.healthCheck` is the same check as `regions\[0\]\.healthCheck`: both regions would leave the answers together\./],
      ['fails on a check of the multi-site name itself', (s) => ({
        regions: [...regions(s).slice(0, 1), { region: 'eu-west-1', healthCheck: new EndpointHealthCheck(s, 'Self', { domainName: 'app.example.com', statusAlarm: false }) }],
      }), /`regions\[1\]\.healthCheck` probes app\.example\.com, the multi-site name itself: it would see whichever region answers/],
      ['fails on a target that serves another region', (s) => ({
        regions: [...regions(s).slice(0, 1), { region: 'eu-west-1', target: FailoverTarget.regionalRecord('eu-west-2'), healthCheck: check(s, 'eu-west-1') }],
      }), /`regions\[1\]\.target` serves from eu-west-2 but is listed for eu-west-1: latency and the report would name the wrong region\./],
      ['fails on regions answering different record types', (s) => ({
        regions: [regions(s)[0], { region: 'eu-west-1', target: FailoverTarget.regionalRecord('eu-west-1', { ipv6: true }), healthCheck: check(s, 'eu-west-1') }],
      }), /`regions\[1\]\.target` answers A, AAAA but `regions\[0\]\.target` answers A/],
      ['fails on a CNAME at the apex', (s) => ({
        recordName: undefined,
        regions: [
          { region: 'us-east-1', target: FailoverTarget.cname('east.example.net'), healthCheck: check(s, 'us-east-1') },
          { region: 'eu-west-1', target: FailoverTarget.cname('west.example.net'), healthCheck: check(s, 'eu-west-1') },
        ],
      }), /`regions\[0\]\.target` is a CNAME, which DNS does not allow at the zone apex \(example\.com\)/],
      ['fails on a target without addresses', (s) => ({
        regions: [{ region: 'us-east-1', target: FailoverTarget.ipAddresses([]), healthCheck: check(s, 'us-east-1') }, { region: 'eu-west-1', target: FailoverTarget.ipAddresses([]), healthCheck: check(s, 'eu-west-1') }],
      }), /`regions\[0\]\.target` has no addresses: give at least one IPv4 or IPv6 address\./],
      ['fails on several addresses of one family in a region', (s) => ({
        regions: [
          { region: 'us-east-1', target: FailoverTarget.ipAddresses(['192.0.2.1', '192.0.2.2']), healthCheck: check(s, 'us-east-1') },
          { region: 'eu-west-1', target: FailoverTarget.ipAddresses(['198.51.100.1']), healthCheck: check(s, 'eu-west-1') },
        ],
      }), /`regions\[0\]\.target` gives 2 IPv4 addresses, but a weighted or latency record holds one value\. Give one address per family and region/],
      ['fails on a weight out of range', () => ({ routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 256, 'eu-west-1': 1, 'ap-southeast-2': 1.5 } }) }),
        /`routing\.weights\.us-east-1` must be an integer from 0 to 255, got: 256\.[\s\S]*`routing\.weights\.ap-southeast-2` must be an integer from 0 to 255, got: 1\.5\./],
      ['fails on a weight for a region not listed', () => ({ routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 1, 'eu-west-1': 1, 'ap-southeast-2': 1, 'sa-east-1': 1 } }) }),
        /`routing` weighs "sa-east-1", which is not one of `regions` \(us-east-1, eu-west-1, ap-southeast-2\)\. Remove it, or add the region\./],
      ['fails on a region without a weight', () => ({ routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 1 } }) }),
        /`routing` gives no weight for eu-west-1, ap-southeast-2: give every region a weight/],
      ['fails on a peak load that is not positive', () => ({ peakLoad: 0 }),
        /`peakLoad` must be a positive number, got: 0\. Give it in one unit for all regions, e.g. requests per second\./],
      ['fails on a capacity that is not finite', (s) => ({ peakLoad: 10, regions: regions(s, (r) => ({ capacity: r === 'eu-west-1' ? Infinity : 10 })) }),
        /`regions\[1\]\.capacity` must be a positive number, got: Infinity\./],
      ['fails on a deploy-time peak load', () => ({ peakLoad: Lazy.number({ produce: () => 10 }) }),
        /`peakLoad` is a deploy-time Token, but the remaining-capacity check compares it at synth\./],
      ['fails on capacities without a peak load', (s) => ({ regions: regions(s, () => ({ capacity: 10 })) }),
        /`regions\[0\]\.capacity` is given but `peakLoad` is not: the capacities have nothing to be checked against\./],
      ['fails on a TTL for alias records', () => ({ ttl: Duration.seconds(30) }),
        /`ttl` applies to address and CNAME records only; alias records take the TTL of their target, got: 30 seconds\. Remove it\./],
      ['fails on a TTL above 60 s', (s) => ({
        ttl: Duration.minutes(5),
        regions: [{ region: 'us-east-1', target: FailoverTarget.ipAddresses(['192.0.2.1']), healthCheck: check(s, 'a') }, { region: 'eu-west-1', target: FailoverTarget.ipAddresses(['192.0.2.2']), healthCheck: check(s, 'b') }],
      }), /`ttl` must be whole seconds from 0 to 60, got: 5 minutes\./],
      ['fails on an assumption it does not use', () => ({ assumptions: { operatorResponse: Duration.minutes(1) } }),
        /`assumptions` sets "operatorResponse", which this construct does not use; it uses: healthToDnsAnswer, clientDnsCache, targetHealthDetection, unpublishedAliasTtl\./],
      ['fails on a record name outside the zone', () => ({ recordName: 'app.example.org.' }),
        /`recordName` "app\.example\.org\." is not inside the zone example\.com/],
    ];

    test.each(cases)('%s', (_, props, message) => {
      // GIVEN
      const { stack, zone } = setup();

      // WHEN
      const create = () => records(stack, zone, props(stack));

      // THEN
      expect(create).toThrow(message);
    });

    test('fails on a load balancer of another region, naming the cross-region reference', () => {
      // GIVEN
      const app = testApp();
      const east = testStack(app, 'East', 'us-east-1');
      const alb = new elbv2.ApplicationLoadBalancer(east, 'Alb', { vpc: new ec2.Vpc(east, 'Vpc', { natGateways: 0, maxAzs: 2 }), internetFacing: true });
      const stack = testStack(app, 'Stack', 'us-west-2');
      const zone = testZone(stack);

      // THEN
      expect(() => records(stack, zone, {
        regions: [{ region: 'us-east-1', target: FailoverTarget.loadBalancer(alb) }, { region: 'us-west-2', healthCheck: check(stack, 'us-west-2') }],
      })).toThrow(/`regions\[0\]\.target` is East\/Alb in us-east-1, but this stack is in us-west-2: .* Create a RegionalRecord in that stack and leave `target` to its default\./);
    });

    test('fails at synth on two sets for one name', () => {
      // GIVEN
      const { app, stack, zone } = setup();
      records(stack, zone);
      records(stack, zone, { regions: ['us-east-1', 'eu-west-1'].map((region) => ({ region, healthCheck: check(stack, `${region}-2`) })) }, 'Again');

      // THEN
      expect(() => app.synth()).toThrow(/\[Stack\/Again\] `recordName` app\.example\.com is also the name of Stack\/App in the same zone/);
    });

    test('fails at synth on a failover pair for the same name and type, wherever it is in the tree', () => {
      // GIVEN
      const { app, stack, zone } = setup();
      records(stack, zone);
      regionalFailover(stack, { zone });

      // THEN
      expect(() => app.synth()).toThrow(/\[Stack\/App\] `recordName` app\.example\.com is also the failover name of Stack\/Failover in the same zone: Route 53 does not mix failover/);
    });

    test('a failover pair of the same name in another zone (split horizon) is fine', () => {
      const { app, stack, zone } = setup();
      records(stack, zone);
      const privateZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Private', { hostedZoneId: 'Z0000000000PRIVATE', zoneName: 'example.com' });
      regionalFailover(stack, { zone: privateZone });
      expect(() => app.synth()).not.toThrow();
    });

    test('a failover pair of another name is fine', () => {
      const { app, stack, zone } = setup();
      records(stack, zone);
      regionalFailover(stack, { zone, recordName: 'other' });
      expect(() => app.synth()).not.toThrow();
    });

    test('collects every problem into one error', () => {
      const { stack, zone } = setup();
      expect(() => records(stack, zone, { peakLoad: -1, ttl: Duration.seconds(10), regions: [{ region: 'nowhere' }] }))
        .toThrow(/^Stack\/App: 6 problems:\n {2}- /);
    });
  });

  describe('templates', () => {
    function everything(app: App): Stack {
      const stack = testStack(app, 'Stack', 'us-east-1');
      const zone = testZone(stack);
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
      const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
      records(stack, zone, { routing: MultiSiteRouting.weighted({ weights: { 'us-east-1': 3, 'eu-west-1': 1, 'ap-southeast-2': 0 } }) });
      records(stack, zone, { recordName: 'api' }, 'Api');
      records(stack, zone, {
        recordName: 'ip',
        ttl: Duration.seconds(15),
        regions: [
          { region: 'us-east-1', target: FailoverTarget.ipAddresses(['192.0.2.10', '2001:db8::10']), healthCheck: check(stack, 'ip-east') },
          { region: 'eu-west-1', target: FailoverTarget.ipAddresses(['198.51.100.10', '2001:db8::20']), healthCheck: check(stack, 'ip-west') },
        ],
      }, 'Ip');
      records(stack, zone, {
        recordName: 'lb',
        regions: [{ region: 'us-east-1', target: FailoverTarget.loadBalancer(alb) }, { region: 'eu-west-1', healthCheck: check(stack, 'lb-west') }],
      }, 'Lb');
      return stack;
    }

    test('the synthesized template is cfn-lint clean', () => {
      // GIVEN
      const stack = everything(testApp());
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-site-lint-'));
      const file = path.join(dir, 'multi-site.template.json');
      fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));

      // WHEN
      const lint = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-east-1', '--', file], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });

      // THEN
      expect(lint.error).toBeUndefined();
      const findings: any[] = JSON.parse(lint.stdout || '[]');
      // W3010 (zone names written into the subnets) comes from aws-cdk-lib's Vpc, not from the records.
      expect(findings.filter((f) => f.Rule.Id !== 'W3010' || !/^Vpc/.test(f.Location.Path[1]))).toEqual([]);
    });

    test('cdk-nag (AwsSolutions) finds nothing on the records and health checks', () => {
      // GIVEN
      const app = testApp();
      const stack = everything(app);
      Aspects.of(stack).add(new AwsSolutionsChecks());

      // WHEN
      app.synth();

      // THEN: the rules ran (the test's bare VPC and load balancer have findings), none on the records or checks
      const all = [
        ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-')),
        ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-')),
      ];
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((f) => !/^\/Stack\/(Vpc|Alb)/.test(f.id))).toEqual([]);
    });
  });
});

/** A stack whose Availability Zones are known, as MultiAzService needs. */
class ZonedStack extends Stack {
  constructor(scope: App, id: string, private readonly regionName: string) {
    super(scope, id, { env: { account: '111111111111', region: regionName } });
  }

  public get availabilityZones(): string[] {
    return ['a', 'b', 'c'].map((z) => `${this.regionName}${z}`);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

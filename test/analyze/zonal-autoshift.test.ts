import { Duration, Stack } from 'aws-cdk-lib';
import * as arczonalshift from 'aws-cdk-lib/aws-arczonalshift';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as fc from 'fast-check';
import { MultiAzService, RecoveryPath, ServiceTargets } from '../../src';
import { TemplateFindings } from '../../src/analyze/private/findings';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { zonalAutoshiftPaths } from '../../src/analyze/private/zonal-autoshift';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (p: RecoveryPath) => p.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max)]);
const env = { account: '111111111111', region: 'us-west-2' };

/** Named zones, so that a VPC needs no context lookup. */
class ZonedStack extends Stack {
  public get availabilityZones(): string[] {
    return ['us-west-2a', 'us-west-2b', 'us-west-2c'];
  }
}

describe('zonal autoshift written with raw aws-cdk-lib, and by MultiAzService', () => {
  let raw: TemplateFindings;
  let own: TemplateFindings;
  let library: RecoveryPath;
  beforeAll(() => {
    // GIVEN: an ALB that allows zonal shifts with an enabled autoshift configuration and its practice runs, as L1s;
    // and a MultiAzService with `zonalAutoshift`, whose own template the analysis reads too.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-west-2a', 'us-west-2b'], publicSubnetIds: ['s-1', 's-2'] });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    alb.setAttribute('zonal_shift.config.enabled', 'true');
    const alarm = new cloudwatch.Alarm(stack, 'Errors', {
      metric: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT), threshold: 10, evaluationPeriods: 1,
    });
    new arczonalshift.CfnZonalAutoshiftConfiguration(stack, 'Autoshift', {
      resourceIdentifier: alb.loadBalancerArn,
      zonalAutoshiftStatus: 'ENABLED',
      practiceRunConfiguration: { outcomeAlarms: [{ type: 'CLOUDWATCH', alarmIdentifier: alarm.alarmArn }] },
    });
    const service = new ZonedStack(app, 'Library', { env });
    library = new MultiAzService(service, 'Service', {
      vpc: new ec2.Vpc(service, 'Vpc', { maxAzs: 3, natGateways: 1 }),
      targets: ServiceTargets.autoScaling({ machineImage: ec2.MachineImage.genericLinux({ 'us-west-2': 'ami-1' }), instanceType: new ec2.InstanceType('t3.micro') }),
      peakCapacity: 4,
      zonalAutoshift: {},
    }).recoveryPaths().find((p) => p.id === 'zone-impaired')!;

    // WHEN
    const { templates } = readTemplates([app.synth().directory]);
    raw = zonalAutoshiftPaths(templates.find((t) => t.name === 'Raw')!);
    own = zonalAutoshiftPaths(templates.find((t) => t.name === 'Library')!);
  });

  test('gets the figures of MultiAzService\'s zone-impaired path with zonal autoshift', () => {
    expect(raw.notAnalysed).toEqual([]);
    expect(raw.paths.map((p) => [p.kind.id, p.name])).toEqual([['zonal-autoshift', expect.stringMatching(/^Raw\/Alb[0-9A-F]+ \(zone impaired\)$/)]]);
    expect(library.kind.id).toEqual('zonal-autoshift');
    expect(figures(raw.paths[0])).toEqual(figures(library));
    expect(raw.paths[0].warnings).toEqual([]);
    expect(raw.resources[raw.paths[0].id]).toEqual(['Autoshift', expect.stringMatching(/^Alb/)]);
  });

  test('the exact figures: AWS detects and decides, the shift is at once, then the load balancer\'s DNS', () => {
    // Up to 600 s for AWS to see the impairment (assumed); the shift at once; resolvers keep the ELB's 60 s TTL,
    // clients 5 s more (assumed).
    expect(figures(raw.paths[0])).toEqual([
      ['autoshift-detection', 0, 600], ['autoshift-decision', 0, 0], ['zonal-shift', 0, 0], ['resolver-cache', 0, 60], ['client-dns-cache', 0, 5],
    ]);
    expect(raw.paths[0].estimate.dominantTerm?.remedy).toMatch(
      /^no property of the AWS::ARCZonalShift::ZonalAutoshiftConfiguration Autoshift shortens it .*MultiAzService with `zonalAutoshift`/);
  });

  test('MultiAzService\'s own template, read back, gives its declared path', () => {
    expect(own.paths).toHaveLength(1);
    expect(figures(own.paths[0])).toEqual(figures(library));
    expect(own.paths[0].warnings).toEqual([]);
  });
});

describe('templates written by hand', () => {
  const template = (props: object, resources: object = {}): LoadedTemplate => ({
    name: 'Hand',
    file: 'hand.json',
    region: 'eu-west-1',
    template: {
      Parameters: { Lb: { Type: 'String' } },
      Resources: { Config: { Type: 'AWS::ARCZonalShift::ZonalAutoshiftConfiguration', Properties: props as any }, ...resources },
    },
  });
  const practice = { OutcomeAlarms: [{ Type: 'CLOUDWATCH', AlarmIdentifier: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:errors' }] };

  test('a load balancer by literal ARN: its name and Region', () => {
    const found = zonalAutoshiftPaths(template({
      ResourceIdentifier: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/edge/50dc6c495c0c9188',
      ZonalAutoshiftStatus: 'ENABLED',
      PracticeRunConfiguration: practice,
    }));
    expect(found.paths.map((p) => [p.name, p.endpoints.map((e) => [e.label, e.region])])).toEqual([['edge in us-east-1 (zone impaired)', [
      ['the nodes and targets of edge in us-east-1 in the impaired zone', 'us-east-1'], ['the other zones of edge in us-east-1', 'us-east-1'],
    ]]]);
    expect(found.paths[0].warnings).toEqual([]);
    expect(found.resources[found.paths[0].id]).toEqual(['Config']);
  });

  test('DISABLED, or a status the template does not decide: not analysed, with the reason', () => {
    const disabled = zonalAutoshiftPaths(template({ ResourceIdentifier: 'arn:x', ZonalAutoshiftStatus: 'DISABLED', PracticeRunConfiguration: practice }));
    expect(disabled.paths).toEqual([]);
    expect(disabled.notAnalysed.map((n) => n.reason)).toEqual([expect.stringMatching(/^zonal autoshift is DISABLED .*: AWS does not shift traffic/)]);
    const unknown = zonalAutoshiftPaths(template({ ResourceIdentifier: 'arn:x', ZonalAutoshiftStatus: { 'Fn::If': ['On', 'ENABLED', 'DISABLED'] } }));
    expect(unknown.notAnalysed.map((n) => n.reason)).toEqual([
      '`ZonalAutoshiftStatus` is Fn::If on the condition On, which the template does not define, not ENABLED or DISABLED the template decides. Give it literally.',
    ]);
  });

  test('what the analysis cannot see is a warning; the figures do not depend on it', () => {
    const unresolved = zonalAutoshiftPaths(template({ ResourceIdentifier: { Ref: 'Lb' }, ZonalAutoshiftStatus: 'ENABLED', PracticeRunConfiguration: practice }));
    expect(unresolved.paths.map((p) => figures(p).map(([, , max]) => max))).toEqual([[600, 0, 0, 60, 5]]);
    expect(unresolved.paths[0].warnings).toEqual([
      'the resource is the parameter Lb, which has no default: modeled as a load balancer\'s zonal autoshift, whose figures do not depend on which one it is.',
    ]);
  });

  test('a configuration that never shifts has no path: no practice runs, or a load balancer that does not allow zonal shift', () => {
    const noPractice = zonalAutoshiftPaths(template({ ResourceIdentifier: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/b', ZonalAutoshiftStatus: 'ENABLED' }));
    expect([noPractice.paths, noPractice.notAnalysed.map((n) => n.reason)]).toEqual([[], [
      'autoshift needs a practice run configuration (`PracticeRunConfiguration` with an outcome alarm): without it ARC does not enable autoshift. '
      + 'cdk-failover\'s MultiAzService `zonalAutoshift` writes one, judged by its error-rate alarm.',
    ]]);
    const noShift = zonalAutoshiftPaths(template({ ResourceIdentifier: { Ref: 'Alb' }, ZonalAutoshiftStatus: 'ENABLED', PracticeRunConfiguration: practice },
      { Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { LoadBalancerAttributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] } } }));
    expect([noShift.paths, noShift.notAnalysed.map((n) => n.reason)]).toEqual([[], [
      'the load balancer Alb does not set the attribute `zonal_shift.config.enabled` to true: zonal shift is off by default, and ARC shifts only load '
      + 'balancers that allow it, so this configuration never shifts. Add it to `LoadBalancerAttributes`.',
    ]]);
    expect(() => zonalAutoshiftPaths(template(null as any, { Odd: { Type: 'AWS::ARCZonalShift::ZonalAutoshiftConfiguration', Properties: 'x' } }))).not.toThrow();
  });
});

test('any autoshift configuration, well formed or not, never throws', () => {
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom('ENABLED', 'DISABLED', 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/a/b', 'true'),
    fc.record({ Ref: fc.constantFrom('A', 'B', 'Nope') }),
  );
  const properties = fc.record({
    ResourceIdentifier: value,
    ZonalAutoshiftStatus: value,
    PracticeRunConfiguration: value,
    LoadBalancerAttributes: fc.oneof(fc.array(fc.record({ Key: fc.constantFrom('zonal_shift.config.enabled', 'x'), Value: value })), value),
  }, { requiredKeys: [] });
  const types = ['AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 'AWS::ElasticLoadBalancingV2::LoadBalancer'];
  const resources = fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.record({ Type: fc.constantFrom(...types), Properties: fc.oneof(properties, value) }));
  fc.assert(fc.property(resources, (r) => {
    const found = zonalAutoshiftPaths({ name: 'Fuzz', file: 'fuzz.json', template: { Resources: r as any } });
    expect(found.paths.every((p) => p.estimate.terms.length === 5)).toBe(true);
  }), { numRuns: 300, seed: 1515 });
});

import { Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as arc from 'aws-cdk-lib/aws-route53recoverycontrol';
import * as fc from 'fast-check';
import { failoverRecords } from './raw-apps';
import { CalculatedHealthCheck, DnsFailover, EndpointHealthCheck, FailoverTarget, RecoveryPath, RoutingControls } from '../../src';
import { routingControlPaths } from '../../src/analyze/private/arc';
import { TemplateFindings } from '../../src/analyze/private/findings';
import { dnsFailoverPaths } from '../../src/analyze/private/route53-failover';
import { LoadedTemplate, readTemplates } from '../../src/analyze/private/templates';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;
const figures = (p: RecoveryPath) => p.estimate.terms.map((t) => [t.id, seconds(t.min), seconds(t.max)]);
const env = { account: '111111111111', region: 'us-west-2' };

/** The pair the library builds on a RoutingControls' health check, or a calculated check over it. */
function libraryPair(calculated: boolean): RecoveryPath {
  const stack = new Stack(testApp(), 'Library', { env });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
  const controls = new RoutingControls(stack, 'Controls', { regions: ['us-east-1', 'us-west-2'], controlNamePrefix: 'app-' });
  const probe = new EndpointHealthCheck(stack, 'Probe', { domainName: 'us-east-1.app.example.com', requestInterval: Duration.seconds(10), failureThreshold: 2 });
  return new DnsFailover(stack, 'Failover', {
    zone,
    recordName: 'app',
    primary: FailoverTarget.ipAddresses(['192.0.2.1']),
    secondary: FailoverTarget.ipAddresses(['192.0.2.2']),
    primaryHealthCheck: calculated
      ? new CalculatedHealthCheck(stack, 'Calculated', { children: [controls.healthCheck('us-east-1'), probe], healthThreshold: 1 })
      : controls.healthCheck('us-east-1'),
  }).recoveryPaths()[0];
}

describe('raw aws-cdk-lib routing controls gating a failover pair', () => {
  let found: TemplateFindings;
  let controls: TemplateFindings;
  beforeAll(() => {
    // GIVEN: a cluster, a control panel, a routing control per Region (and a gate), a RECOVERY_CONTROL
    // health check on the us-east-1 control, and a failover pair with it on the PRIMARY, all L1s.
    const app = testApp();
    const stack = new Stack(app, 'Raw', { env });
    const cluster = new arc.CfnCluster(stack, 'Cluster', { name: 'app' });
    const panel = new arc.CfnControlPanel(stack, 'Panel', { clusterArn: cluster.attrClusterArn, name: 'app' });
    const control = (id: string) => new arc.CfnRoutingControl(stack, id, {
      clusterArn: cluster.attrClusterArn, controlPanelArn: panel.attrControlPanelArn, name: `app-${id}`,
    });
    const east = control('East');
    const west = control('West');
    const gate = control('Gate');
    new arc.CfnSafetyRule(stack, 'GateRule', {
      controlPanelArn: panel.attrControlPanelArn,
      name: 'gate-on',
      gatingRule: {
        gatingControls: [gate.attrRoutingControlArn],
        targetControls: [east.attrRoutingControlArn, west.attrRoutingControlArn],
        waitPeriodMs: 5000,
      },
      ruleConfig: { type: 'OR', threshold: 1, inverted: false },
    });
    const check = new route53.CfnHealthCheck(stack, 'EastCheck', {
      healthCheckConfig: { type: 'RECOVERY_CONTROL', routingControlArn: east.attrRoutingControlArn },
    });
    failoverRecords(stack, check.attrHealthCheckId);

    // WHEN
    const { templates } = readTemplates([app.synth().directory]);
    const raw = templates.find((t) => t.name === 'Raw')!;
    found = dnsFailoverPaths(raw);
    controls = routingControlPaths(raw);
  });

  test('the pair waits for the decision and the flip, as DnsFailover on a RoutingControls health check', () => {
    expect(found.notAnalysed).toEqual([]);
    expect(found.paths).toHaveLength(1);
    expect(figures(found.paths[0])).toEqual(figures(libraryPair(false)));
    // An operator decides in up to 600 s (assumed), the flip reaches Route 53 in up to 30 s (assumed); then Route 53
    // answers (up to 30 s, assumed), resolvers keep the 60 s TTL, clients 5 s more (assumed).
    expect(figures(found.paths[0])).toEqual([
      ['arc-operator-decision', 0, 600], ['arc-routing-control-switch', 0, 30],
      ['route53-failover-decision', 0, 0], ['route53-dns-answer', 0, 30], ['resolver-cache', 0, 60], ['client-dns-cache', 0, 5],
    ]);
    expect(found.paths[0].endpoints[0].health).toEqual('ARC routing control app-East (flipped by an operator or a runbook)');
    expect(found.paths[0].estimate.dominantTerm?.remedy).toMatch(/^nothing in the AWS::Route53::HealthCheck EastCheck sets it: page on the alarms/);
  });

  test('a gating rule on the control is a warning on the path: the gate must be On first', () => {
    expect(found.paths[0].warnings).toEqual(['the routing control app-East is the target of the gating safety rule GateRule: a flip is refused unless its '
      + 'gating control is On, so the operator (or runbook) must turn the gate On first, or the failover waits.']);
  });

  test('a routing control that no health check follows is not analysed; the gate is not listed', () => {
    expect(controls.paths).toEqual([]);
    expect(controls.notAnalysed.map((n) => [n.logicalId, n.reason.split(',')[0]])).toEqual([
      ['West', 'no Route 53 RECOVERY_CONTROL health check of this template follows this routing control'],
    ]);
  });
});

describe('templates written by hand', () => {
  const template = (config: object, extra: object = {}): LoadedTemplate => ({
    name: 'Hand',
    file: 'hand.json',
    region: 'us-west-2',
    template: {
      Parameters: { ControlArn: { Type: 'String' } },
      Resources: {
        Primary: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: 'Z1',
            Name: 'app.example.com',
            Type: 'A',
            TTL: '60',
            ResourceRecords: ['192.0.2.1'],
            Failover: 'PRIMARY',
            SetIdentifier: 'a',
            HealthCheckId: { Ref: 'Check' },
          },
        },
        Secondary: {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            HostedZoneId: 'Z1', Name: 'app.example.com', Type: 'A', TTL: '60', ResourceRecords: ['192.0.2.2'], Failover: 'SECONDARY', SetIdentifier: 'b',
          },
        },
        Check: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: config } },
        ...extra,
      },
    },
  });

  test('a routing control the template does not decide gives the same terms, with a warning', () => {
    const found = dnsFailoverPaths(template({ Type: 'RECOVERY_CONTROL', RoutingControlArn: { Ref: 'ControlArn' } }));
    expect(figures(found.paths[0])).toEqual(figures(libraryPair(false)));
    expect(found.paths[0].warnings).toEqual(['the routing control of the health check Check is the parameter ControlArn, which has no default: '
      + 'the path is modeled with the routing control terms, which do not depend on which control it is.']);
    const literal = dnsFailoverPaths(template({ Type: 'RECOVERY_CONTROL', RoutingControlArn: 'arn:aws:route53-recovery-control::111111111111:controlpanel/a/routingcontrol/b' }));
    expect(literal.paths[0].endpoints[0].health).toEqual(
      'ARC routing control arn:aws:route53-recovery-control::111111111111:controlpanel/a/routingcontrol/b (flipped by an operator or a runbook)');
    expect(literal.paths[0].warnings).toEqual([]);
  });

  test('as the child of a calculated check, the decision and the flip count as one detection, as CalculatedHealthCheck counts them', () => {
    const found = dnsFailoverPaths(template({ Type: 'CALCULATED', HealthThreshold: 1, ChildHealthChecks: [{ Ref: 'Control' }, { Ref: 'Probe' }] }, {
      Control: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: { Ref: 'Rc' } } } },
      Rc: { Type: 'AWS::Route53RecoveryControl::RoutingControl', Properties: { Name: 'app-us-east-1' } },
      Probe: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'HTTPS', RequestInterval: 10, FailureThreshold: 2 } } },
    }));
    expect(figures(found.paths[0])).toEqual(figures(libraryPair(true)));
    expect(found.paths[0].warnings).toEqual([]);
    // Threshold 1 of 2: unhealthy once both fail, so the slower child at worst, the routing control: 600 + 30 = 630 s;
    // at best the later of the two, the HTTPS probe: 10 s + 0.82 x 10 s = 18.2 s.
    expect(figures(found.paths[0])[0]).toEqual(['route53-calculated-check', 18.2, 630]);
  });

  test('a routing control in a stack of a Region without the ARC resource types is a warning', () => {
    const t = template({ Type: 'RECOVERY_CONTROL', RoutingControlArn: { 'Fn::GetAtt': ['Rc', 'RoutingControlArn'] } }, {
      Rc: { Type: 'AWS::Route53RecoveryControl::RoutingControl', Properties: { Name: 'app-us-east-1' } },
    });
    expect(dnsFailoverPaths({ ...t, region: 'eu-west-1' }).paths[0].warnings).toEqual(['the routing control app-us-east-1 is in a stack of eu-west-1, '
      + 'but CloudFormation offers the ARC routing control resources in us-west-2 and us-east-1 only, so this stack would not deploy. '
      + 'Put the routing controls, their health checks and the records in a us-west-2 stack.']);
  });

  test('an inverted RECOVERY_CONTROL check stays at the slowest endpoint check', () => {
    const found = dnsFailoverPaths(template({ Type: 'RECOVERY_CONTROL', Inverted: true, RoutingControlArn: 'arn:x' }));
    expect(found.paths[0].warnings[0]).toMatch(/^the health check Check is inverted: modeled as the slowest Route 53 endpoint check/);
  });
});

test('any routing control, safety rule or RECOVERY_CONTROL check, well formed or not, never throws', () => {
  const ids = ['A', 'B', 'C', 'Primary'];
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom('RECOVERY_CONTROL', 'CALCULATED', 'PRIMARY', 'SECONDARY', 'app.example.com', '60', 'A'),
    fc.record({ Ref: fc.constantFrom(...ids, 'Nope') }),
    fc.record({ 'Fn::GetAtt': fc.tuple(fc.constantFrom(...ids), fc.constantFrom('RoutingControlArn', 'HealthCheckId')) }),
  );
  const properties = fc.record({
    HealthCheckConfig: fc.oneof(
      fc.record({ Type: value, RoutingControlArn: value, ChildHealthChecks: fc.array(value), HealthThreshold: value }),
      value,
    ),
    Name: value,
    GatingRule: fc.oneof(fc.record({ GatingControls: fc.array(value), TargetControls: fc.array(value) }), value),
    Failover: value,
    Type: value,
    HostedZoneId: value,
    TTL: value,
    HealthCheckId: value,
  }, { requiredKeys: [] });
  const types = ['AWS::Route53RecoveryControl::RoutingControl', 'AWS::Route53RecoveryControl::SafetyRule', 'AWS::Route53::HealthCheck', 'AWS::Route53::RecordSet'];
  const resources = fc.dictionary(fc.constantFrom(...ids), fc.record({ Type: fc.constantFrom(...types), Properties: fc.oneof(properties, value) }));
  fc.assert(fc.property(resources, (r) => {
    const t: LoadedTemplate = { name: 'Fuzz', file: 'fuzz.json', template: { Resources: r as any } };
    routingControlPaths(t);
    dnsFailoverPaths(t);
  }), { numRuns: 300, seed: 1515 });
});

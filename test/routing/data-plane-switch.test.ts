import * as path from 'path';
import { App, Aspects, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import {
  ActiveRegion, CalculatedHealthCheck, DataPlaneSwitch, DataPlaneSwitchHealthCheck, DataPlaneSwitchProps, DnsFailover,
  EndpointHealthCheck, FailoverTarget, HealthProbe, RecoveryObjectives,
} from '../../src';
import { readJson, testApp, testStack, testZone } from '../util';

const REGIONS = ['us-east-1', 'us-west-2'];
const PARAMETER = '/cdk-failover/orders/active-region';

/** A regional stack with its ActiveRegion, a probe with one target, and the switch. */
function regional(app: App = testApp(), region = 'us-west-2', props: Partial<DataPlaneSwitchProps> = {}, regions = REGIONS) {
  const stack = testStack(app, `App-${region}`, region);
  const activeRegion = new ActiveRegion(stack, 'ActiveRegion', { appName: 'orders', primaryRegion: regions[0], regions });
  const probe = new HealthProbe(stack, 'Probe');
  probe.addHttpTarget('api', { url: `https://${region}.app.example.com/health` });
  const sw = new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', activeRegion, probe, ...props });
  return { app, stack, activeRegion, probe, sw };
}

function dnsStack(app: App = testApp()) {
  return testStack(app, 'Dns', 'us-east-1');
}

function failoverOn(stack: Stack, primaryHealthCheck: route53.IHealthCheck) {
  return new DnsFailover(stack, 'Failover', {
    zone: testZone(stack),
    recordName: 'app',
    primary: FailoverTarget.regionalRecord('us-east-1'),
    secondary: FailoverTarget.regionalRecord('us-west-2'),
    primaryHealthCheck,
  });
}

/** The names of the switch alarms (the probe's targets have alarms of their own). */
function switchAlarms(stack: Stack): string[] {
  const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'RegionEnabled' } });
  return Object.values(alarms).map((a: any) => a.Properties.AlarmName);
}

/** The probe's schedule events, as the rule targets send them. */
function events(stack: Stack): any[] {
  const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
  return Object.values(rules).flatMap((r: any) => r.Properties.Targets.map((t: any) => JSON.parse(t.Input)));
}

describe('DataPlaneSwitch', () => {
  test('one alarm per other region, named so the DNS stack finds it, on the probe\'s RegionEnabled', () => {
    // GIVEN / WHEN
    const { stack, sw } = regional();

    // THEN
    const template = Template.fromStack(stack);
    expect(switchAlarms(stack)).toEqual(['cdk-failover-orders-us-east-1-not-active-per-us-west-2']);
    const probeName = events(stack)[0].probe;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'cdk-failover-orders-us-east-1-not-active-per-us-west-2',
      Namespace: 'CdkFailover/Probe',
      MetricName: 'RegionEnabled',
      Dimensions: [{ Name: 'Probe', Value: probeName }, { Name: 'Region', Value: 'us-east-1' }],
      Statistic: 'Minimum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'ignore',
      AlarmDescription: Match.stringLikeRegexp('^App-us-west-2/Switch: us-east-1 is not the active region according to us-west-2\'s copy'),
      AlarmActions: Match.absent(),
    });
    expect(sw.alarmNames).toEqual(['cdk-failover-orders-us-east-1-not-active-per-us-west-2']);
    expect(DataPlaneSwitch.alarmNameFor('orders', 'us-east-1', 'us-west-2')).toEqual(sw.alarmNames[0]);
    expect(sw.parameterName).toEqual(PARAMETER);
    expect(sw.regions).toEqual(REGIONS);
    expect(stack.resolve(sw.alarm('us-east-1').alarmName)).toEqual({ Ref: expect.stringMatching(/^SwitchNotActiveuseast1/) });
  });

  test('three regions: two alarms in each region, none about itself', () => {
    const app = testApp();
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const { stack, sw } = regional(app, 'eu-west-1', {}, regions);
    expect(switchAlarms(stack)).toEqual(sw.alarmNames);
    expect(sw.alarmNames).toEqual([
      'cdk-failover-orders-us-east-1-not-active-per-eu-west-1',
      'cdk-failover-orders-us-west-2-not-active-per-eu-west-1',
    ]);
  });

  test('the probe reads this region\'s copy: the event names it, and GetParameter is granted on its ARN only', () => {
    // GIVEN / WHEN
    const { stack } = regional();

    // THEN
    const [event] = events(stack);
    expect(event.activeRegion).toEqual({ parameterName: PARAMETER, regions: REGIONS });
    expect(event.targets.map((t: any) => t.id)).toEqual(['api']);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Action: 'ssm:GetParameter',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-west-2:111111111111:parameter/cdk-failover/orders/active-region']] },
        }]),
      },
    });
  });

  test('a probe without targets of its own is scheduled for the switch alone', () => {
    // GIVEN
    const stack = testStack(testApp(), 'App', 'us-east-1');

    // WHEN
    new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', regions: REGIONS, parameterName: '/teams/orders/active', probe: new HealthProbe(stack, 'Probe') });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 1);
    const [event] = events(stack);
    expect(event.targets).toEqual([]);
    expect(event.activeRegion).toEqual({ parameterName: '/teams/orders/active', regions: REGIONS });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'cdk-failover-orders-us-west-2-not-active-per-us-east-1' });
  });

  test('targets added after the switch share its schedule; only the first event carries the read', () => {
    const stack = testStack(testApp(), 'App', 'us-east-1');
    const probe = new HealthProbe(stack, 'Probe');
    new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', regions: REGIONS, probe });
    probe.addHttpTarget('api', { url: 'https://us-east-1.app.example.com/health' });
    const all = events(stack);
    expect(all).toHaveLength(1);
    expect(all[0].targets.map((t: any) => t.id)).toEqual(['api']);
    expect(all[0].activeRegion.parameterName).toEqual(PARAMETER);
  });

  test('switchCommand is the one regional call that fails over to a region', () => {
    const { sw } = regional();
    expect(sw.switchCommand('us-west-2'))
      .toEqual('aws ssm put-parameter --overwrite --type String --region us-west-2 --name /cdk-failover/orders/active-region --value us-west-2');
    expect(() => sw.switchCommand('us-west2')).toThrow(/`activeRegion` must be one of the regions \["us-east-1", "us-west-2"\], got: "us-west2"/);
  });

  test('cdk-nag finds nothing unsuppressed in a regional stack and the DNS stack', () => {
    // GIVEN
    const app = testApp();
    regional(app, 'us-west-2');
    const dns = dnsStack(app);
    failoverOn(dns, DataPlaneSwitch.healthCheckFor(dns, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' }));

    // The probe's own finding, acknowledged as in examples/private-probe: not the switch's.
    NagSuppressions.addStackSuppressions(app.node.findChild('App-us-west-2') as Stack, [
      { id: 'AwsSolutions-IAM4', reason: 'The probe function uses the AWS-managed Lambda basic execution policy for its logs.' },
    ]);

    // WHEN
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    app.synth();

    // THEN
    const findings = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && String(m.data).startsWith('AwsSolutions-'))
      .map((m) => `${c.node.path}: ${m.data}`));
    expect(findings).toEqual([]);
  });

  test('grantSwitch lets a role write this region\'s copy, and nothing else', () => {
    const { stack, sw } = regional();
    const role = new iam.Role(stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    sw.grantSwitch(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Operator') }],
      PolicyDocument: {
        Statement: [{
          Action: ['ssm:PutParameter', 'ssm:GetParameter'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-west-2:111111111111:parameter/cdk-failover/orders/active-region']] },
        }],
      },
    });
  });
});

describe('DataPlaneSwitch.healthCheckFor', () => {
  test('an alarm-based check on the observer\'s alarm by name, last known status on insufficient data', () => {
    // GIVEN
    const stack = dnsStack();

    // WHEN
    const check = DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' });

    // THEN
    expect(check).toBeInstanceOf(DataPlaneSwitchHealthCheck);
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CLOUDWATCH_METRIC',
        AlarmIdentifier: { Name: 'cdk-failover-orders-us-east-1-not-active-per-us-west-2', Region: 'us-west-2' },
        InsufficientDataHealthStatus: 'LastKnownStatus',
      },
    });
    expect(check.alarmName).toEqual(DataPlaneSwitch.alarmNameFor('orders', 'us-east-1', 'us-west-2'));
    expect(check.summary).toEqual('data-plane switch: us-east-1 while the active-region parameter in us-west-2 names it (set by an operator or a runbook)');
    // 600 decision + 65 read + 120 alarm
    expect(check.detection.rtoWorst!.toSeconds()).toEqual(785);
  });

  test('regions meet by name: the check names the observer stack\'s alarm, with no cross-stack reference', () => {
    // GIVEN
    const app = testApp();
    const { stack: west } = regional(app, 'us-west-2');
    const dns = dnsStack(app);

    // WHEN
    DataPlaneSwitch.healthCheckFor(dns, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' });

    // THEN
    const config = Object.values(Template.fromStack(dns).findResources('AWS::Route53::HealthCheck'))[0].Properties.HealthCheckConfig;
    expect(switchAlarms(west)).toContain(config.AlarmIdentifier.Name);
    expect(JSON.stringify(Template.fromStack(dns).toJSON())).not.toContain('Fn::ImportValue');
    expect(dns.dependencies).toEqual([]);
  });

  test('HEALTHY on insufficient data is allowed', () => {
    const stack = dnsStack();
    new DataPlaneSwitchHealthCheck(stack, 'Check', {
      appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2', insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.HEALTHY,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { InsufficientDataHealthStatus: 'Healthy' } });
  });

  test('a DnsFailover on the switch check waits for the decision, the read and the alarm, not for Route 53 probes', () => {
    // GIVEN
    const stack = dnsStack();

    // WHEN
    const failover = failoverOn(stack, DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' }));

    // THEN
    const terms = failover.estimate.terms;
    expect(terms.map((t) => [t.id, t.max.toSeconds()])).toEqual([
      ['switch-operator-decision', 600], ['switch-flag-read', 65], ['switch-alarm', 120],
      ['route53-failover-decision', 0], ['route53-dns-answer', 30], ['resolver-cache', 60], ['client-dns-cache', 5],
    ]);
    expect(terms.map((t) => t.kind.id)).not.toContain('detection');
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(880);
    expect(failover.estimate.dominantTerm!.id).toEqual('switch-operator-decision');
  });

  test('measured assumptions replace the defaults in the path', () => {
    const stack = dnsStack();
    const failover = failoverOn(stack, DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', {
      appName: 'orders',
      region: 'us-east-1',
      observerRegion: 'us-west-2',
      assumptions: { operatorResponse: Duration.minutes(2), alarmToHealthStatus: Duration.seconds(20) },
    }));
    expect(failover.estimate.terms.slice(0, 3).map((t) => [t.max.toSeconds(), t.assumption])).toEqual([[120, false], [65, false], [80, false]]);
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(360);
  });

  test('the report shows the modeled switch path', () => {
    // GIVEN
    const app = testApp();
    regional(app, 'us-west-2');
    regional(app, 'us-east-1');
    const stack = dnsStack(app);
    failoverOn(stack, DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' }));

    // WHEN
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

    // THEN
    const text = JSON.stringify(report);
    for (const id of ['switch-operator-decision', 'switch-flag-read', 'switch-alarm']) {
      expect(text).toContain(id);
    }
    expect(text).toContain('data-plane switch: us-east-1 while the active-region parameter in us-west-2 names it');
  });

  test('an RTO the operator cannot meet fails synth naming the decision', () => {
    const app = testApp();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
    const stack = dnsStack(app);
    failoverOn(stack, DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' }));
    expect(() => app.synth()).toThrow(/exceeds the RTO objective 5 min/);
    expect(() => app.synth({ force: true })).toThrow(/Dominant term: decision up to 10 min/);
  });

  test('with the endpoint check in a calculated check, both must be healthy; the path is the endpoint\'s, the switch in its summary', () => {
    // GIVEN
    const stack = dnsStack();
    const endpoint = new EndpointHealthCheck(stack, 'Endpoint', { domainName: 'us-east-1.app.example.com', statusAlarm: false });
    const sw = DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' });

    // WHEN
    const record = new CalculatedHealthCheck(stack, 'Primary', { children: [endpoint, sw], healthThreshold: 2, statusAlarm: false });
    const failover = failoverOn(stack, record);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'CALCULATED', HealthThreshold: 2 } });
    expect(failover.estimate.terms[0].id).toEqual('route53-calculated-check');
    expect(failover.estimate.terms[0].max.toSeconds()).toEqual(endpoint.detection.rtoWorst!.toSeconds());
    expect(failover.recoveryPaths()[0].endpoints[0].health).toMatch(/calculated: 2 of 2 healthy \[.*data-plane switch: us-east-1/);
  });
});

describe('DataPlaneSwitch validation', () => {
  function attempt(props: Partial<DataPlaneSwitchProps>, region = 'us-east-1') {
    const stack = testStack(testApp(), 'App', region);
    return () => new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', probe: new HealthProbe(stack, 'Probe'), regions: REGIONS, ...props });
  }

  test.each([
    [{ appName: 'orders app' }, /`appName` must be letters, digits, `_`, `.` or `-` \(it is part of the alarm names\), got: "orders app"/],
    [{ appName: 'x'.repeat(250) }, /`appName` is 250 characters, so the alarm names would reach 308, more than the 255 CloudWatch allows/],
    [{ regions: undefined }, /give `activeRegion` \(this region's ActiveRegion\), or `regions`/],
    [{ regions: ['us-east-1'] }, /`regions` must name at least 2 regions/],
    [{ regions: ['us-east-1', 'us-east-1'] }, /`regions` names us-east-1 twice/],
    [{ regions: ['us-east-1', 'mars-1'] }, /`regions` must be an AWS region name, got: "mars-1"/],
    [{ regions: ['eu-west-1', 'us-west-2'] }, /this stack is in us-east-1, which is not one of the regions \["eu-west-1", "us-west-2"\]: the probe reads this region.s copy/],
    [{ parameterName: 'orders/active' }, /`parameterName` must start with `\/`/],
  ])('fails with %j', (props, message) => {
    expect(attempt(props)).toThrow(message);
  });

  test('fails with activeRegion and regions together', () => {
    const stack = testStack(testApp(), 'App', 'us-east-1');
    const activeRegion = new ActiveRegion(stack, 'ActiveRegion', { appName: 'orders', primaryRegion: 'us-east-1', regions: REGIONS });
    expect(() => new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', probe: new HealthProbe(stack, 'Probe'), activeRegion, regions: REGIONS }))
      .toThrow(/`regions` and `parameterName` are taken from `activeRegion`: give either `activeRegion`, or `regions`/);
  });

  test('fails with a probe or an ActiveRegion of another region', () => {
    const app = testApp();
    const west = testStack(app, 'West', 'us-west-2');
    const probe = new HealthProbe(west, 'Probe');
    const activeRegion = new ActiveRegion(west, 'ActiveRegion', { appName: 'orders', primaryRegion: 'us-east-1', regions: REGIONS });
    const east = testStack(app, 'East', 'us-east-1');
    expect(() => new DataPlaneSwitch(east, 'Switch', { appName: 'orders', probe, activeRegion }))
      .toThrow(/2 problems:\n.*`activeRegion` is West\/ActiveRegion in us-west-2, but this stack is in us-east-1.*\n.*`probe` is West\/Probe in us-west-2/);
  });

  test('fails in a stack without a literal region', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    expect(() => new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', probe: new HealthProbe(stack, 'Probe'), regions: REGIONS }))
      .toThrow(/this stack has no literal region, but the switch alarms are named after it/);
  });

  test('fails with a second switch on the same probe', () => {
    const stack = testStack(testApp(), 'App', 'us-east-1');
    const probe = new HealthProbe(stack, 'Probe');
    new DataPlaneSwitch(stack, 'Switch', { appName: 'orders', probe, regions: REGIONS });
    expect(() => new DataPlaneSwitch(stack, 'Other', { appName: 'billing', probe, regions: REGIONS }))
      .toThrow(/the probe already reads the active-region parameter \/cdk-failover\/orders\/active-region for another DataPlaneSwitch/);
  });

  test('fails to give the alarm of its own region', () => {
    const { sw } = regional();
    expect(() => sw.alarm('us-west-2')).toThrow(/there is no switch alarm for "us-west-2" in this region: the alarms are about the other regions of the set, us-east-1/);
  });

  test.each([
    [{ insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.UNHEALTHY }, /`insufficientDataHealthStatus` must not be UNHEALTHY: the alarm has no data when the observer region/],
    [{ observerRegion: 'us-east-1' }, /`observerRegion` must be another region than `region` \(us-east-1\)/],
    [{ region: 'east' }, /`region` must be an AWS region name, got: "east"/],
    [{ appName: '' }, /`appName` must be letters/],
    [{ assumptions: { clientDnsCache: Duration.seconds(1) } }, /`assumptions` sets "clientDnsCache", which this construct does not use; it uses: operatorResponse, alarmToHealthStatus/],
  ])('the health check fails with %j', (props, message) => {
    const stack = dnsStack();
    expect(() => DataPlaneSwitch.healthCheckFor(stack, 'Check', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2', ...props }))
      .toThrow(message);
  });
});

describe('DataPlaneSwitchHealthCheck on a secondary record', () => {
  test('warns when the secondary follows a switch check through a calculated check; not on the primary', () => {
    // GIVEN
    const stack = dnsStack();
    const endpoint = new EndpointHealthCheck(stack, 'Endpoint', { domainName: 'us-west-2.app.example.com', statusAlarm: false });
    const sw = DataPlaneSwitch.healthCheckFor(stack, 'SecondarySwitch', { appName: 'orders', region: 'us-west-2', observerRegion: 'us-east-1' });
    const primarySwitch = DataPlaneSwitch.healthCheckFor(stack, 'PrimarySwitch', { appName: 'orders', region: 'us-east-1', observerRegion: 'us-west-2' });

    // WHEN
    new DnsFailover(stack, 'Failover', {
      zone: testZone(stack),
      recordName: 'app',
      primary: FailoverTarget.regionalRecord('us-east-1'),
      secondary: FailoverTarget.regionalRecord('us-west-2'),
      primaryHealthCheck: primarySwitch,
      secondaryHealthCheck: new CalculatedHealthCheck(stack, 'Secondary', { children: [endpoint, sw], healthThreshold: 2, statusAlarm: false }),
    });

    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Dns/SecondarySwitch', Match.stringLikeRegexp(
      'the secondary failover record Dns/Failover/Secondary/A/Resource follows this switch check.*Give the switch check to the primary record only.*cdk-failover:switch-on-secondary'));
    annotations.hasNoWarning('/Dns/PrimarySwitch', Match.anyValue());
  });
});

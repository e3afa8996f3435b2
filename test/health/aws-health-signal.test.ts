import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AlarmHealthCheck, AwsHealthSignal, AwsHealthSignalProps, CalculatedHealthCheck, EndpointHealthCheck, Fence, RecoveryAssumptions, RecoveryObjectives,
} from '../../src';
import { failoverRunbook, runbookParts } from '../runbooks/runbook-fixture';
import { readJson, regionalFailover, testApp, testStack } from '../util';

jest.setTimeout(60_000);

const SERVICES = ['EC2', 'RDS', 'ELASTICLOADBALANCING'];

function signal(stack: Stack, props: Partial<AwsHealthSignalProps> = {}, id = 'AwsHealth'): AwsHealthSignal {
  return new AwsHealthSignal(stack, id, { services: SERVICES, ...props });
}

describe('AwsHealthSignal', () => {
  test('a rule on open issue events for the services in the stack\'s Region, and an alarm on the rule\'s own metric', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const s = signal(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.health'],
        'detail-type': ['AWS Health Event'],
        'detail': { eventTypeCategory: ['issue'], service: SERVICES, eventRegion: ['us-west-2'] },
      },
      State: 'ENABLED',
      Targets: Match.absent(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: Match.stringLikeRegexp('^AwsHealthRule') } }],
      Statistic: 'Sum',
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('^Stack/AwsHealth: AWS Health reports an issue with EC2, RDS, ELASTICLOADBALANCING in us-west-2\\. OK again after 15 minutes'),
      AlarmActions: Match.absent(),
    });
    expect(s.regions).toEqual(['us-west-2']);
    expect(s.period.toSeconds()).toEqual(900);
    expect(s.detection.terms.map((t) => [t.id, t.kind.id, t.min.toSeconds(), t.max.toSeconds(), t.assumption, t.assumptionId]))
      .toEqual([['aws-health-event', 'detection', 0, 1800, true, 'awsHealthSignal']]);
  });

  test('a period, a topic told both ways, and the assumption from incidents', () => {
    // GIVEN
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Pager');

    // WHEN
    const s = signal(stack, { period: Duration.minutes(5), alarmTopic: topic, assumptions: { awsHealthSignal: Duration.minutes(12) } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Period: 300, AlarmActions: [{ Ref: Match.stringLikeRegexp('^Pager') }], OKActions: [{ Ref: Match.stringLikeRegexp('^Pager') }],
    });
    expect(s.detection.terms[0]).toMatchObject({ assumption: false });
    expect(s.detection.rtoWorst?.toSeconds()).toEqual(720);
  });

  test('a scope\'s RecoveryAssumptions sets the Health delay', () => {
    const app = testApp();
    new RecoveryAssumptions(app, 'Measured', { values: { awsHealthSignal: Duration.minutes(20) } });
    const s = signal(testStack(app));
    expect(s.detection.rtoWorst?.toSeconds()).toEqual(1200);
  });

  test('in us-west-2 it may watch the public events of any Region it backs up, with a warning about account-specific events', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    signal(stack, { regions: ['us-east-1', 'eu-central-1', 'us-west-2'] });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { eventRegion: ['us-east-1', 'eu-central-1', 'us-west-2'] } },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/AwsHealth',
      Match.stringLikeRegexp('us-west-2 receives only the public AWS Health events about us-east-1, eu-central-1 .*cdk-failover:aws-health-backup-only'));
    const east = testStack(undefined, 'East', 'us-east-1');
    signal(east, { regions: ['us-west-2'] });
    Annotations.fromStack(east).hasWarning('/East/AwsHealth', Match.stringLikeRegexp('public AWS Health events about us-west-2'));
    const own = testStack(undefined, 'Own');
    signal(own);
    expect(Annotations.fromStack(own).findWarning('*', Match.stringLikeRegexp('AWS Health'))).toEqual([]);
  });

  test('in an environment-agnostic stack the Regions must be given, and the delivery is left to a warning', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    signal(stack, { regions: ['us-east-1'] });
    Annotations.fromStack(stack).hasWarning('/Agnostic/AwsHealth', Match.stringLikeRegexp('only known at deploy time.*cdk-failover:aws-health-region-unknown'));
    expect(() => signal(new Stack(testApp(), 'Bare'))).toThrow(/Bare\/AwsHealth: `regions` is not given and the stack's Region is only known at deploy time/);
  });

  describe('wired in', () => {
    test('an AlarmHealthCheck on the alarm is the Health delay, then the alarm\'s own evaluation; a calculated check carries it', () => {
      // GIVEN
      const stack = testStack();
      const s = signal(stack);

      // WHEN
      const check = new AlarmHealthCheck(stack, 'AwsSaysDown', { alarm: s.alarm });
      const endpoint = new EndpointHealthCheck(stack, 'Endpoint', { domainName: 'us-east-1.app.example.com', statusAlarm: false });
      const calc = new CalculatedHealthCheck(stack, 'Primary', { children: [endpoint, check], healthThreshold: 2, statusAlarm: false });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: { Type: 'CLOUDWATCH_METRIC', AlarmIdentifier: { Name: { Ref: Match.stringLikeRegexp('^AwsHealthAlarm') }, Region: 'us-west-2' } },
      });
      expect(check.detection.terms.map((t) => [t.id, t.min.toSeconds(), t.max.toSeconds()])).toEqual([
        ['aws-health-event', 0, 1800],
        ['alarm', 0, 1860],
      ]);
      expect(check.detection.rtoWorst?.toSeconds()).toEqual(3660);
      // Unhealthy once either child fails: the endpoint check is the faster.
      expect(calc.detection.rtoWorst?.toSeconds()).toEqual(endpoint.detection.rtoWorst?.toSeconds());
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('treats missing data as missing'))).toEqual([]);
    });

    test('a DNS failover on it counts the Health delay in the report, and misses an RTO on it, naming the term', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app);
      new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(30) });
      const s = signal(stack);

      // WHEN
      regionalFailover(stack, { primaryHealthCheck: new AlarmHealthCheck(stack, 'AwsSaysDown', { alarm: s.alarm }) });

      // THEN
      expect(() => app.synth()).toThrow(/modeled worst-case recovery time .* exceeds the RTO objective 30 min .*Dominant term: detection up to 61 min \(AWS Health posts an issue event/);
      const relaxed = testApp();
      const other = testStack(relaxed);
      new RecoveryObjectives(relaxed, 'Objectives', { rto: Duration.hours(2) });
      regionalFailover(other, { primaryHealthCheck: new AlarmHealthCheck(other, 'AwsSaysDown', { alarm: signal(other).alarm }) });
      const report = readJson(path.join(relaxed.synth().directory, 'failover-report.json'));
      const dns = report.paths.find((p: any) => p.id.startsWith('Stack/Failover'));
      // The DNS path takes a health check's detection as one term: the Health delay and the alarm's evaluation, summed.
      expect(dns.terms[0]).toMatchObject({ id: 'health-check', maxSeconds: 3660, assumption: true });
      expect(dns.terms[0].basis).toMatch(/^AWS Health posts an issue event for EC2, RDS, ELASTICLOADBALANCING and EventBridge delivers it: up to 1800 s .*; alarm: 1 breaching period\(s\) of 900 s/);
    });

    test('a runbook started by the alarm counts the Health delay before the alarm\'s periods', () => {
      // GIVEN
      const app = testApp();
      const stack = testStack(app);
      const p = runbookParts(stack);
      const s = signal(stack, { regions: ['us-east-1'], period: Duration.minutes(5) });

      // WHEN
      failoverRunbook(stack, { startOnAlarm: s.alarm, steps: [Fence.routingControl({ controls: p.controls, region: 'us-east-1' })] }, p);

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ source: ['aws.cloudwatch'], resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AwsHealthAlarm'), 'Arn'] }] }),
      });
      const report = readJson(path.join(app.synth().directory, 'failover-report.json'));
      const runbook = report.paths.find((x: any) => x.kind === 'runbook');
      expect(runbook.terms.map((t: any) => [t.id, t.maxSeconds])).toEqual([
        ['aws-health-event', 1800], ['runbook-start-alarm', 600], ['runbook-automatic-start', 0], ['fence-routing-control-off', 5],
      ]);
    });

    test('opt-in: nothing appears in the report or the template unless a signal is made and followed', () => {
      const app = testApp();
      const stack = testStack(app);
      signal(stack);
      // A signal alone declares no recovery path: no report is written for it.
      expect(fs.existsSync(path.join(app.synth().directory, 'failover-report.json'))).toBe(false);
      const plain = testStack(undefined, 'Plain');
      regionalFailover(plain);
      Template.fromStack(plain).resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ source: ['aws.health'] }) }, 0);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<AwsHealthSignalProps>, RegExp]>([
      ['no services', { services: [] }, /`services` must name 1 to 50 services, got 0/],
      ['a lower-case service', { services: ['ec2'] }, /`services` holds "ec2"; a service is named as AWS Health names it: 2 to 30 upper-case letters/],
      ['a service with a slash', { services: ['EC2/X'] }, /`services` holds "EC2\/X"/],
      ['a service too long', { services: ['A'.repeat(31)] }, /`services` holds "A{31}"/],
      ['a service twice', { services: ['EC2', 'RDS', 'EC2'] }, /`services` names "EC2" more than once/],
      ['too many services', { services: Array.from({ length: 51 }, (_, i) => `S${i}X`) }, /must name 1 to 50 services, got 51/],
      ['no regions', { regions: [] }, /`regions` must be a list of 1 or more Region names/],
      ['not a region', { regions: ['mars-1'] }, /`regions` holds "mars-1", which is not a Region name/],
      ['a region twice', { regions: ['us-west-2', 'us-west-2'] }, /`regions` names us-west-2 more than once/],
      ['a period under a minute', { period: Duration.seconds(30) }, /`period` must be whole seconds from 60 to 86400, got: 30 seconds\. Give whole minutes/],
      ['a period over a day', { period: Duration.days(2) }, /`period` must be whole seconds from 60 to 86400/],
      ['a period of odd seconds', { period: Duration.seconds(90) }, /`period` must be whole minutes \(CloudWatch standard resolution/],
      ['an assumption it does not use', { assumptions: { clientDnsCache: Duration.seconds(5) } }, /`assumptions` sets "clientDnsCache", which this construct does not use; it uses: awsHealthSignal/],
    ])('fails on %s', (_, props, message) => {
      expect(() => signal(testStack(), props)).toThrow(message);
    });

    test('fails on a Region whose events never reach the stack\'s Region, saying where to deploy', () => {
      const east = testStack(undefined, 'East', 'eu-west-1');
      expect(() => signal(east, { regions: ['us-east-1'] })).toThrow(
        /East\/AwsHealth: `regions` holds us-east-1, but AWS Health delivers events about us-east-1 to EventBridge in us-east-1 and \(public events only\) in us-west-2, not in this stack's Region eu-west-1\. Deploy an AwsHealthSignal in us-east-1 or us-west-2 for it\./);
    });

    test('fails on a deploy-time period: the alarm and the model need it', () => {
      const stack = testStack();
      const minutes = new CfnParameter(stack, 'Minutes', { type: 'Number' });
      expect(() => signal(stack, { period: Duration.minutes(minutes.valueAsNumber) })).toThrow(/`period` is a deploy-time Token, but the alarm and the recovery model need it at synth/);
    });

    test('lists every problem at once', () => {
      expect(() => signal(testStack(), { services: ['ec2'], regions: ['x'], period: Duration.seconds(1) })).toThrow(/Stack\/AwsHealth: 3 problems:/);
    });
  });

  test('the rule\'s pattern matches issue events about the watched services and Regions only, closed ones included (moto\'s EventBridge matcher)', () => {
    // GIVEN: events shaped like the AWS Health EventBridge schema; the top-level region is where it was delivered
    const stack = testStack();
    signal(stack, { regions: ['us-east-1'] });
    const pattern = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0].Properties.EventPattern;
    const event = (detail: object) => ({
      'version': '0',
      'id': 'e',
      'detail-type': 'AWS Health Event',
      'source': 'aws.health',
      'account': '111111111111',
      'time': '2026-12-01T00:00:00Z',
      'region': 'us-west-2',
      'resources': [],
      'detail': { service: 'EC2', eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE', eventTypeCategory: 'issue', eventRegion: 'us-east-1', statusCode: 'open', ...detail },
    });
    const events = [
      event({}),
      event({ statusCode: 'closed' }),
      event({ eventTypeCategory: 'scheduledChange' }),
      event({ service: 'S3' }),
      event({ service: 'ec2' }),
      event({ eventRegion: 'eu-west-1' }),
    ];

    // WHEN
    const script = 'import json, sys\nfrom moto.events.models import EventPattern\nd = json.load(sys.stdin)\n'
      + 'p = EventPattern.load(json.dumps(d["pattern"]))\nprint(json.dumps([p.matches_event(e) for e in d["events"]]))';
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify({ pattern, events }), encoding: 'utf8' });

    // THEN
    expect(run.stderr).toEqual('');
    expect(JSON.parse(run.stdout)).toEqual([true, true, false, false, false, false]);
  });

  describe('checks', () => {
    function everything(stack: Stack): void {
      const s = signal(stack, { regions: ['us-west-2', 'us-east-1'], alarmTopic: new sns.Topic(stack, 'Pager', { enforceSSL: true }) });
      new AlarmHealthCheck(stack, 'AwsSaysDown', { alarm: s.alarm });
    }

    test('the synthesized template is cfn-lint clean', () => {
      // GIVEN
      const stack = testStack();
      everything(stack);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-lint-'));
      const file = path.join(dir, 'health.template.json');
      fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));

      // WHEN
      const lint = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-west-2', '--', file], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });

      // THEN
      expect(lint.error).toBeUndefined();
      expect(JSON.parse(lint.stdout || '[]')).toEqual([]);
      expect(lint.status).toEqual(0);
    });

    test('cdk-nag (AwsSolutions) finds nothing open on the signal', () => {
      // GIVEN
      const stack = testStack();
      everything(stack);
      Aspects.of(stack).add(new AwsSolutionsChecks());

      // WHEN
      (stack.node.root as any).synth();

      // THEN
      const open = stack.node.findAll().filter((c) => /^Stack\/(AwsHealth|AwsSaysDown)/.test(c.node.path)).flatMap((c) => c.node.metadata
        .filter((m) => m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning')
        .filter((m) => String(m.data).startsWith('AwsSolutions'))
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
    });
  });
});

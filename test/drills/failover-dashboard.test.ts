import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { dnsDrill, drillParts } from './drill-fixture';
import { buildRegionalFailoverExample } from '../../examples/regional-failover/stacks';
import { FailoverDashboard, HealthProbe } from '../../src';
import { testApp, testStack } from '../util';

/** The dashboard's body, parsed: CloudFormation joins it from strings and tokens. */
function body(stack: Stack): any {
  const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as any[];
  expect(dashboards).toHaveLength(1);
  const raw = dashboards[0].Properties.DashboardBody;
  const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text);
}

describe('FailoverDashboard', () => {
  test('shows every path against its objectives, the health checks, the Aurora lag against the RPO and the measured RTO against the RTO', () => {
    // GIVEN the regional-failover example, which has one in its routing stack
    const app = testApp();
    const { routing } = buildRegionalFailoverExample(app);

    // WHEN
    app.synth();

    // THEN
    const widgets = body(routing).widgets;
    const [table, ...graphs] = widgets;
    expect(table.type).toEqual('text');
    expect(table.properties.markdown).toMatch(/^## Recovery paths \(modeled at synth\)/);
    expect(table.properties.markdown).toContain('| RegionalFailoverRecovery/Failover#failover | runbook | 26 min 25 s | 30 min | 1 min | 1 min |');
    expect(graphs.map((w: any) => w.properties.title)).toEqual([
      'Route 53 health checks: status (1 healthy, 0 unhealthy)',
      'Aurora global lag (ms) against the RPO 1 minute',
      'Drills: measured RTO and modeled worst case (s) against the RTO 30 minutes',
    ]);
    const [health, lag, drills] = graphs;
    expect(health.properties.metrics).toEqual([[{
      expression: 'SEARCH(\'{AWS/Route53,HealthCheckId} MetricName="HealthCheckStatus"\', \'Minimum\', 60)', label: 'status', period: 60, region: 'us-east-1',
    }]]);
    // The dashboard's own Region (us-west-2) needs no region on its metrics.
    expect(lag.properties.metrics.map((m: any) => m[0].region)).toEqual(['us-east-1', undefined]);
    expect(lag.properties.annotations.horizontal).toEqual([{ value: 60_000, label: 'RPO', color: '#d62728', yAxis: 'left' }]);
    expect(drills.properties.annotations.horizontal).toEqual([{ value: 1800, label: 'RTO', color: '#d62728', yAxis: 'left' }]);
    expect(drills.properties.metrics).toEqual([
      [{ expression: 'SEARCH(\'{CdkFailover/Drills,Drill,Path} MetricName="MeasuredRTO"\', \'Maximum\', 3600)', label: 'measured', period: 3600 }],
      [{ expression: 'SEARCH(\'{CdkFailover/Drills,Drill,Path} MetricName="ModeledRTOWorst"\', \'Maximum\', 3600)', label: 'modeled worst', period: 3600 }],
    ]);
  });

  test('draws the drills of every namespace a FailoverDrill of the app publishes to', () => {
    // GIVEN
    const parts = drillParts();
    dnsDrill(parts, { metricNamespace: 'Orders/Drills' });
    new FailoverDashboard(parts.stack, 'Dashboard');

    // WHEN
    (parts.stack.node.root as App).synth();

    // THEN
    const drills = body(parts.stack).widgets.find((w: any) => /^Drills:/.test(w.properties.title));
    expect(drills.properties.metrics.map((m: any) => m[0].label)).toEqual([
      'measured (CdkFailover/Drills)', 'modeled worst (CdkFailover/Drills)', 'measured (Orders/Drills)', 'modeled worst (Orders/Drills)',
    ]);
  });

  test('shows the probes\' failed targets per namespace and Region', () => {
    const app = testApp();
    const stack = testStack(app);
    new HealthProbe(stack, 'Probe', { namespace: 'Orders/Probe' }).addHttpTarget('api', { url: 'https://api.example.com/health' });
    new FailoverDashboard(stack, 'Dashboard');
    app.synth();
    const probes = body(stack).widgets.find((w: any) => w.properties.title === 'Health probes: failed targets per round');
    expect(probes.properties.metrics).toEqual([[{
      expression: 'SEARCH(\'{Orders/Probe,Probe} MetricName="FailedTargets"\', \'Maximum\', 60)', label: 'Orders/Probe', period: 60,
    }]]);
  });

  test.each([
    [{ dashboardName: 'orders failover' }, /`dashboardName` must be 1 to 255 letters, digits, hyphens or underscores, got: "orders failover"/],
    [{ period: Duration.seconds(90) }, /`period` must be whole minutes from 1 to 60, got: 1 minute 30 seconds/],
    [{ period: Duration.hours(2) }, /`period` must be whole minutes from 1 to 60, got: 2 hours/],
  ])('fails on %j', (props, message) => {
    expect(() => new FailoverDashboard(testStack(), 'Dashboard', props)).toThrow(message);
  });
});

import * as path from 'path';
import { Aspects, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CalculatedHealthCheck, DnsFailover, FailoverTarget, RecoveryObjectives, RoutingControlHealthCheck, RoutingControls, RoutingControlsProps } from '../../src';
import { readJson, testApp, testStack, testZone } from '../util';

const CLUSTER_ARN = 'arn:aws:route53-recovery-control::111111111111:cluster/0123abcd-4567-89ef';
const CONTROL_ARN = 'arn:aws:route53-recovery-control::111111111111:controlpanel/0123abcd/routingcontrol/4567ef01';

function controls(props: Partial<RoutingControlsProps> = {}) {
  const app = testApp();
  const stack = testStack(app);
  const rc = new RoutingControls(stack, 'Controls', { regions: ['us-east-1', 'us-west-2'], ...props });
  return { app, stack, rc };
}

function failoverOn(rc: RoutingControls) {
  const stack = rc.node.scope as any;
  return new DnsFailover(stack, 'Failover', {
    zone: testZone(stack),
    recordName: 'app',
    primary: FailoverTarget.regionalRecord('us-east-1'),
    secondary: FailoverTarget.regionalRecord('us-west-2'),
    primaryHealthCheck: rc.healthCheck('us-east-1'),
    secondaryHealthCheck: rc.healthCheck('us-west-2'),
  });
}

describe('RoutingControls', () => {
  test('a cluster, a control panel, a control and a RECOVERY_CONTROL check per Region, and an ATLEAST 1 assertion', () => {
    // GIVEN / WHEN
    const { stack, rc } = controls({ controlNamePrefix: 'app-' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53RecoveryControl::Cluster', 1);
    template.hasResource('AWS::Route53RecoveryControl::Cluster', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::Route53RecoveryControl::ControlPanel', {
      ClusterArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ControlsCluster'), 'ClusterArn'] },
    });
    template.resourceCountIs('AWS::Route53RecoveryControl::RoutingControl', 2);
    for (const region of ['us-east-1', 'us-west-2']) {
      template.hasResourceProperties('AWS::Route53RecoveryControl::RoutingControl', {
        Name: `app-${region}`,
        ControlPanelArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ControlsControlPanel'), 'ControlPanelArn'] },
      });
    }
    template.resourceCountIs('AWS::Route53::HealthCheck', 2);
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'RECOVERY_CONTROL',
        RoutingControlArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Controlsuseast1'), 'RoutingControlArn'] },
        RequestInterval: Match.absent(),
        FailureThreshold: Match.absent(),
      },
    });
    template.resourceCountIs('AWS::Route53RecoveryControl::SafetyRule', 1);
    template.hasResourceProperties('AWS::Route53RecoveryControl::SafetyRule', {
      Name: 'at-least-1-on',
      AssertionRule: {
        AssertedControls: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^Controlsuseast1'), 'RoutingControlArn'] },
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^Controlsuswest2'), 'RoutingControlArn'] },
        ],
        WaitPeriodMs: 5000,
      },
      RuleConfig: { Type: 'ATLEAST', Threshold: 1, Inverted: false },
      GatingRule: Match.absent(),
    });
    expect(rc.cluster).toBeDefined();
    expect(rc.regions).toEqual(['us-east-1', 'us-west-2']);
    expect(rc.healthCheck('us-east-1')).toBeInstanceOf(RoutingControlHealthCheck);
    expect(stack.resolve(rc.routingControlArn('us-west-2'))).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Controlsuswest2/), 'RoutingControlArn'] });
  });

  test('an existing cluster by ARN, a gating control and rule, a custom wait period and minimum', () => {
    // GIVEN / WHEN
    const { stack, rc } = controls({
      regions: ['us-east-1', 'us-west-2', 'eu-west-1'],
      clusterArn: CLUSTER_ARN,
      gatingControl: true,
      waitPeriod: Duration.seconds(10),
      minimumOn: 2,
      controlPanelName: 'app',
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53RecoveryControl::Cluster', 0);
    expect(rc.cluster).toBeUndefined();
    expect(rc.clusterArn).toEqual(CLUSTER_ARN);
    template.hasResourceProperties('AWS::Route53RecoveryControl::ControlPanel', { ClusterArn: CLUSTER_ARN, Name: 'app' });
    template.resourceCountIs('AWS::Route53RecoveryControl::RoutingControl', 4);
    template.hasResourceProperties('AWS::Route53RecoveryControl::RoutingControl', { Name: 'gate', ClusterArn: CLUSTER_ARN });
    template.hasResourceProperties('AWS::Route53RecoveryControl::SafetyRule', {
      AssertionRule: { WaitPeriodMs: 10000, AssertedControls: Match.arrayWith([]) },
      RuleConfig: { Type: 'ATLEAST', Threshold: 2, Inverted: false },
    });
    template.hasResourceProperties('AWS::Route53RecoveryControl::SafetyRule', {
      Name: 'gate-on',
      GatingRule: {
        GatingControls: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ControlsGatingControl'), 'RoutingControlArn'] }],
        TargetControls: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Controlseuwest1'), 'RoutingControlArn'] }]),
        WaitPeriodMs: 10000,
      },
      RuleConfig: { Type: 'OR', Threshold: 1, Inverted: false },
    });
    expect(rc.gatingControlArn).toBeDefined();
    // The checks follow the three Regions, not the gate.
    template.resourceCountIs('AWS::Route53::HealthCheck', 3);
  });

  test('without the assertion rule no safety rule is made; a retained cluster when asked', () => {
    const { stack } = controls({ assertionRule: false, removalPolicy: RemovalPolicy.RETAIN });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53RecoveryControl::SafetyRule', 0);
    template.hasResource('AWS::Route53RecoveryControl::Cluster', { DeletionPolicy: 'Retain' });
  });

  test('a DnsFailover on the checks waits for the decision and the flip, not for Route 53 probes', () => {
    // GIVEN
    const { rc } = controls();

    // WHEN
    const failover = failoverOn(rc);

    // THEN
    const terms = failover.estimate.terms;
    expect(terms.map((t) => t.id)).toEqual([
      'arc-operator-decision', 'arc-routing-control-switch', 'route53-failover-decision', 'route53-dns-answer', 'resolver-cache', 'client-dns-cache',
    ]);
    expect(terms.map((t) => t.kind.id)).not.toContain('detection');
    // 600 decision + 30 flip + 30 health to DNS answer + 60 alias TTL + 5 client cache
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(725);
    expect(failover.estimate.dominantTerm!.id).toEqual('arc-operator-decision');
  });

  test('measured assumptions on the controls replace the defaults in the path', () => {
    const { rc } = controls({ assumptions: { operatorResponse: Duration.minutes(2), routingControlToHealthStatus: Duration.seconds(10) } });
    const failover = failoverOn(rc);
    expect(failover.estimate.terms.slice(0, 2).map((t) => [t.max.toSeconds(), t.assumption])).toEqual([[120, false], [10, false]]);
    expect(failover.estimate.rtoWorst!.toSeconds()).toEqual(225);
  });

  test('the report shows the path with the routing control checks', () => {
    // GIVEN
    const { app, rc } = controls();
    failoverOn(rc);

    // WHEN
    const report = readJson(path.join(app.synth().directory, 'failover-report.json'));

    // THEN
    const paths = JSON.stringify(report);
    expect(paths).toContain('arc-operator-decision');
    expect(paths).toContain('arc-routing-control-switch');
    expect(paths).toContain('ARC routing control us-east-1 (flipped by an operator or a runbook)');
  });

  test('an RTO the operator cannot meet fails synth naming the decision', () => {
    // GIVEN
    const { app, rc } = controls();
    new RecoveryObjectives(app, 'Objectives', { rto: Duration.minutes(5) });
    failoverOn(rc);

    // THEN
    expect(() => app.synth()).toThrow(/exceeds the RTO objective 5 min/);
    expect(() => app.synth({ force: true })).toThrow(/Dominant term: decision up to 10 min/);
    expect(() => app.synth({ force: true })).toThrow(/operatorResponse/);
  });

  test('a RoutingControlHealthCheck for a control made elsewhere', () => {
    const stack = testStack();
    const check = new RoutingControlHealthCheck(stack, 'Check', { routingControlArn: CONTROL_ARN, label: 'east' });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'RECOVERY_CONTROL', RoutingControlArn: CONTROL_ARN },
    });
    expect(check.summary).toEqual('ARC routing control east (flipped by an operator or a runbook)');
    expect(check.detection.rtoWorst!.toSeconds()).toEqual(630);
  });

  test('a calculated check of routing control checks folds their phases into one detection term', () => {
    const { stack, rc } = controls();
    const calculated = new CalculatedHealthCheck(stack, 'Calculated', {
      children: [rc.healthCheck('us-east-1'), rc.healthCheck('us-west-2')], healthThreshold: 1, statusAlarm: false,
    });
    expect(calculated.detection.terms.map((t) => [t.kind.id, t.max.toSeconds()])).toEqual([['detection', 630]]);
  });

  test('warns in a stack whose CloudFormation has no ARC resources, not in us-west-2', () => {
    const east = testStack(testApp(), 'East', 'eu-west-1');
    new RoutingControls(east, 'Controls', { regions: ['eu-west-1', 'eu-central-1'] });
    Annotations.fromStack(east).hasWarning('/East/Controls',
      Match.stringLikeRegexp('This stack is in eu-west-1, but CloudFormation offers the ARC routing control resources in us-west-2 and us-east-1 only.*cdk-failover:arc-stack-region'));
    const { stack } = controls();
    Annotations.fromStack(stack).hasNoWarning('/Stack/Controls', Match.anyValue());
  });

  test('unknown Region', () => {
    const { rc } = controls();
    expect(() => rc.healthCheck('eu-west-1')).toThrow(/^Stack\/Controls: no routing control for "eu-west-1"; the Regions are us-east-1, us-west-2/);
  });

  describe('validation', () => {
    test.each<[string, Partial<RoutingControlsProps>, RegExp]>([
      ['fails with one Region', { regions: ['us-east-1'] }, /`regions` must hold 2 to 10 Regions, got 1/],
      ['fails with eleven Regions', { regions: Array.from({ length: 11 }, (_, i) => `us-east-${i + 1}`) }, /`regions` must hold 2 to 10 Regions, got 11/],
      ['fails with a bad Region name', { regions: ['us-east-1', 'us-east-l'] }, /`regions` must be Region names such as us-east-1, got: "us-east-l"/],
      ['fails with a duplicate Region', { regions: ['us-east-1', 'us-east-1'] }, /`regions` must not repeat a Region, got "us-east-1" more than once/],
      ['fails with a Token Region', { regions: ['us-east-1', Lazy.string({ produce: () => 'us-west-2' })] }, /`regions` holds a deploy-time Token/],
      ['fails with clusterArn and clusterName', { clusterArn: CLUSTER_ARN, clusterName: 'x' }, /`clusterName` names a new cluster, but `clusterArn` gives an existing one/],
      ['fails with clusterArn and removalPolicy', { clusterArn: CLUSTER_ARN, removalPolicy: RemovalPolicy.RETAIN }, /`removalPolicy` applies to a cluster this construct creates/],
      ['fails with a bad cluster ARN', { clusterArn: 'arn:aws:s3:::bucket' }, /`clusterArn` must be the ARN of an ARC cluster, e\.g\. arn:aws:route53-recovery-control::123456789012:cluster\/0123abcd-4567-89ef, got: "arn:aws:s3:::bucket"/],
      ['fails with a long cluster name', { clusterName: 'c'.repeat(65) }, /`clusterName` must be 1 to 64 characters without whitespace \(ARC's rule for names\), got 65 characters/],
      ['fails with whitespace in the panel name', { controlPanelName: 'my panel' }, /`controlPanelName` must be 1 to 64 characters without whitespace .*got 8 characters: "my panel"/],
      ['fails with a prefix that makes names too long', { controlNamePrefix: 'p'.repeat(60) }, /`controlNamePrefix` must be 1 to 64 characters .* It makes the routing control name "p{60}us-east-1"/],
      ['fails with whitespace in the prefix', { controlNamePrefix: 'my app-' }, /`controlNamePrefix` must be 1 to 64 characters without whitespace/],
      ['fails with minimumOn 0', { minimumOn: 0 }, /`minimumOn` must be an integer from 1 to 1, got: 0/],
      ['fails with minimumOn of every Region', { regions: ['us-east-1', 'us-west-2', 'eu-west-1'], minimumOn: 3 }, /`minimumOn` must be an integer from 1 to 2, got: 3/],
      ['fails with minimumOn and no assertion rule', { assertionRule: false, minimumOn: 1 }, /`minimumOn` sets the assertion rule, but `assertionRule` is false/],
      ['fails with a fractional wait period', { waitPeriod: Duration.millis(0.5) }, /`waitPeriod` must be whole milliseconds/],
      ['fails with a Token wait period', { waitPeriod: Duration.millis(Lazy.number({ produce: () => 5000 })) }, /`waitPeriod` is a deploy-time Token, but the safety rules need it at synth/],
      ['fails with an assumption it does not use', { assumptions: { clientDnsCache: Duration.seconds(5) } }, /`assumptions` sets "clientDnsCache", which this construct does not use; it uses: operatorResponse, routingControlToHealthStatus/],
      ['fails with a config parameter name without a leading slash', { configParameterName: 'arc/app' },
        /`configParameterName` must start with `\/` \(a hierarchical name, so that its ARN is `parameter\/...`\), got: "arc\/app"\. Use a name like `\/cdk-failover\/arc\/orders`\./],
      ['fails with a config parameter name under aws', { configParameterName: '/aws/arc' }, /`configParameterName` must not begin with `aws` or `ssm`/],
      ['fails with a config parameter name with a space', { configParameterName: '/arc/my app' }, /`configParameterName` may hold only letters, digits, `_`, `\.`, `-` and `\/`, got: "\/arc\/my app"/],
      ['fails with a Token config parameter name', { configParameterName: Lazy.string({ produce: () => '/x' }) }, /`configParameterName` is a deploy-time Token, but every region must find the parameter by the same literal name/],
      ['fails with a control panel name that makes a bad parameter name', { controlPanelName: 'app:prod' },
        /the configuration parameter name made from `controlPanelName` may hold only letters, digits, `_`, `\.`, `-` and `\/`, got: "\/cdk-failover\/arc\/app:prod"\. Give `configParameterName`, e\.g\. `\/cdk-failover\/arc\/orders`/],
    ])('%s', (_name, props, message) => {
      const stack = testStack();
      expect(() => new RoutingControls(stack, 'Controls', { regions: ['us-east-1', 'us-west-2'], ...props })).toThrow(message);
    });

    test('fails listing every problem at once', () => {
      const stack = testStack();
      expect(() => new RoutingControls(stack, 'Controls', { regions: ['us-east-1'], minimumOn: 0, controlPanelName: '' }))
        .toThrow(/^Stack\/Controls: 3 problems:\n {2}- /);
    });

    test('fails with a bad routing control ARN on the health check', () => {
      const stack = testStack();
      expect(() => new RoutingControlHealthCheck(stack, 'Check', { routingControlArn: CLUSTER_ARN }))
        .toThrow(/^Stack\/Check: `routingControlArn` must be the ARN of an ARC routing control/);
    });

    test('a Token ARN is not judged', () => {
      const stack = testStack();
      expect(() => new RoutingControls(stack, 'Controls', { regions: ['us-east-1', 'us-west-2'], clusterArn: Lazy.string({ produce: () => 'x' }) })).not.toThrow();
    });
  });

  describe('the configuration parameter for the runbooks', () => {
    const ENDPOINTS = 'ControlsConfigEndpoints';

    /** Replaces each Fn::GetAtt in a Fn::Join by `<logical id without its hash.attribute>`, and each Ref by `<name>`. */
    function placeholders(value: any): string {
      if (typeof value === 'string') {
        return value;
      }
      if (value['Fn::Join']) {
        return value['Fn::Join'][1].map(placeholders).join(value['Fn::Join'][0]);
      }
      if (value['Fn::GetAtt']) {
        return `<${value['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, '')}.${value['Fn::GetAtt'][1]}>`;
      }
      if (value.Ref) {
        return `<${value.Ref}>`;
      }
      throw new Error(`unexpected ${JSON.stringify(value)}`);
    }

    function customResources(stack: Stack, type: string): Array<{ id: string; create: any; update: any; delete: any }> {
      const resources = Template.fromStack(stack).findResources(type);
      return Object.entries<any>(resources).map(([id, r]) => ({
        id,
        create: r.Properties.Create && JSON.parse(placeholders(r.Properties.Create)),
        update: r.Properties.Update && JSON.parse(placeholders(r.Properties.Update)),
        delete: r.Properties.Delete && JSON.parse(placeholders(r.Properties.Delete)),
      }));
    }

    const endpoints = Array.from({ length: 5 }, (_, i) => ({
      region: `<${ENDPOINTS}.Cluster.ClusterEndpoints.${i}.Region>`,
      endpoint: `<${ENDPOINTS}.Cluster.ClusterEndpoints.${i}.Endpoint>`,
    }));

    test('a String parameter in each Region, named after the control panel, with the endpoints, the controls and the assertion rule', () => {
      // GIVEN / WHEN
      const { stack, rc } = controls({ controlPanelName: 'app' });

      // THEN
      expect(rc.configParameterName).toEqual('/cdk-failover/arc/app');
      const parameters = customResources(stack, 'Custom::ArcConfigParameter');
      expect(parameters.map((p) => p.create.region)).toEqual(['us-east-1', 'us-west-2']);
      for (const p of parameters) {
        expect(p.id).toMatch(new RegExp(`^ControlsConfig${p.create.region.replace(/-/g, '')}`));
        expect(p.create).toEqual({
          service: 'SSM',
          action: 'PutParameter',
          parameters: {
            Name: '/cdk-failover/arc/app',
            Value: expect.any(String),
            Type: 'String',
            Overwrite: true,
            Description: 'ARC cluster endpoints and routing controls for the failover runbooks (cdk-failover RoutingControls).',
          },
          region: p.create.region,
          physicalResourceId: { id: '/cdk-failover/arc/app' },
        });
        expect(p.update).toEqual(p.create);
        expect(p.delete).toEqual({
          service: 'SSM', action: 'DeleteParameter', parameters: { Name: '/cdk-failover/arc/app' }, region: p.create.region, ignoreErrorCodesMatching: 'ParameterNotFound',
        });
        expect(JSON.parse(p.create.parameters.Value)).toEqual({
          clusterArn: '<ControlsCluster.ClusterArn>',
          endpoints,
          controls: { 'us-east-1': '<Controlsuseast1.RoutingControlArn>', 'us-west-2': '<Controlsuswest2.RoutingControlArn>' },
          assertionRuleArn: '<ControlsAssertionRule.SafetyRuleArn>',
        });
      }
    });

    test('the endpoints come from DescribeCluster in us-west-2, for a new cluster', () => {
      const { stack } = controls();
      const [describe] = customResources(stack, 'Custom::ArcClusterEndpoints');
      expect(describe.create).toEqual({
        service: 'Route53RecoveryControlConfig',
        action: 'DescribeCluster',
        parameters: { ClusterArn: '<ControlsCluster.ClusterArn>' },
        region: 'us-west-2',
        physicalResourceId: { id: '<ControlsCluster.ClusterArn>' },
        outputPaths: endpoints.flatMap((_, i) => [`Cluster.ClusterEndpoints.${i}.Endpoint`, `Cluster.ClusterEndpoints.${i}.Region`]),
      });
      expect(describe.update).toEqual(describe.create);
      expect(describe.delete).toBeUndefined();
    });

    test('an existing cluster, a gating control and no assertion rule: DescribeCluster on the given ARN, the gate in the JSON', () => {
      // GIVEN / WHEN
      const { stack } = controls({ clusterArn: CLUSTER_ARN, gatingControl: true, assertionRule: false, configParameterName: '/orders/arc-config' });

      // THEN
      const [describe] = customResources(stack, 'Custom::ArcClusterEndpoints');
      expect(describe.create.parameters).toEqual({ ClusterArn: CLUSTER_ARN });
      const parameters = customResources(stack, 'Custom::ArcConfigParameter');
      expect(parameters.map((p) => p.create.parameters.Name)).toEqual(['/orders/arc-config', '/orders/arc-config']);
      expect(JSON.parse(parameters[0].create.parameters.Value)).toEqual({
        clusterArn: CLUSTER_ARN,
        endpoints,
        controls: { 'us-east-1': '<Controlsuseast1.RoutingControlArn>', 'us-west-2': '<Controlsuswest2.RoutingControlArn>' },
        gatingControlArn: '<ControlsGatingControl.RoutingControlArn>',
      });
    });

    test('IAM: DescribeCluster on the cluster\'s ARN, PutParameter and DeleteParameter on each Region\'s parameter ARN', () => {
      // GIVEN / WHEN
      const { stack } = controls({ clusterArn: CLUSTER_ARN, controlPanelName: 'app' });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Action: 'route53-recovery-control-config:DescribeCluster', Effect: 'Allow', Resource: CLUSTER_ARN }] },
      });
      for (const region of ['us-east-1', 'us-west-2']) {
        template.hasResourceProperties('AWS::IAM::Policy', {
          PolicyDocument: {
            Statement: [{
              Action: ['ssm:PutParameter', 'ssm:DeleteParameter'],
              Effect: 'Allow',
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${region}:111111111111:parameter/cdk-failover/arc/app`]] },
            }],
          },
        });
      }
      const statements = Object.values<any>(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements.filter((st) => JSON.stringify(st.Resource).includes('*'))).toEqual([]);
    });

    test('grantReadConfig: GetParameter on every Region\'s copy, or on one Region\'s', () => {
      // GIVEN
      const { stack, rc } = controls({ controlPanelName: 'app' });
      const all = new iam.Role(stack, 'All', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const one = new iam.Role(stack, 'One', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

      // WHEN
      rc.grantReadConfig(all);
      rc.grantReadConfig(one, 'us-east-1');

      // THEN
      const arn = (region: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:${region}:111111111111:parameter/cdk-failover/arc/app`]] });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^All') }],
        PolicyDocument: { Statement: [{ Action: 'ssm:GetParameter', Effect: 'Allow', Resource: [arn('us-east-1'), arn('us-west-2')] }] },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^One') }],
        PolicyDocument: { Statement: [{ Action: 'ssm:GetParameter', Effect: 'Allow', Resource: arn('us-east-1') }] },
      });
      expect(stack.resolve(rc.configParameterArn('us-west-2'))).toEqual(arn('us-west-2'));
    });

    test('fails to grant or name the copy of a Region that has none', () => {
      const { stack, rc } = controls();
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      expect(() => rc.grantReadConfig(role, 'eu-west-1')).toThrow(/^Stack\/Controls: no routing control for "eu-west-1"; the Regions are us-east-1, us-west-2/);
      expect(() => rc.configParameterArn('eu-west-1')).toThrow(/no routing control for "eu-west-1"/);
    });

    test('the default name follows the default control panel name', () => {
      const { stack, rc } = controls();
      const panel = Object.values<any>(Template.fromStack(stack).findResources('AWS::Route53RecoveryControl::ControlPanel'))[0];
      expect(rc.configParameterName).toEqual(`/cdk-failover/arc/${panel.Properties.Name}`);
    });

    test('cdk-nag reports nothing open: aws-cdk-lib\'s handler findings are acknowledged with a reason', () => {
      // GIVEN
      const { app, stack } = controls({ controlPanelName: 'app' });
      Aspects.of(app).add(new AwsSolutionsChecks());

      // WHEN
      app.synth();

      // THEN
      const open = stack.node.findAll().flatMap((c) => c.node.metadata
        .filter((m) => (m.type === 'aws:cdk:error' || m.type === 'aws:cdk:warning') && /AwsSolutions-/.test(String(m.data)))
        .map((m) => `${c.node.path}: ${m.data}`));
      expect(open).toEqual([]);
      expect(stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287')).toBeDefined();
    });
  });
});

import { spawnSync } from 'child_process';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetRoutingControlStateCommand, Route53RecoveryClusterClient, UpdateRoutingControlStatesCommand } from '@aws-sdk/client-route53-recovery-cluster';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { RoutingControls } from '../../src';
import { recordRun } from '../../src/runbooks/runbook-record';
import { switchRoutingControls } from '../../src/runbooks/runbook-switch';
import { testStack } from '../util';

/**
 * Every SDK call of the runbook handler and of the RoutingControls custom resources, checked
 * against botocore's API models (installed with boto3 on this machine): the operation exists,
 * the parameters have the right names, types and enum values, and the required ones are there.
 */
interface Call {
  readonly what: string;
  readonly service: string;
  readonly operation: string;
  readonly params: unknown;
  /** Flattened response paths that must exist in the output shape. */
  readonly outputPaths?: string[];
}

const CHECK = `
import json, sys, botocore.session
from botocore.validate import ParamValidator
session = botocore.session.get_session()
problems = []

def enums(what, value, shape, path):
    # botocore's validator leaves enum values to the service: check them here.
    if shape.type_name == 'string' and shape.enum and isinstance(value, str) and value not in shape.enum:
        problems.append('%s: %s is "%s", not one of %s' % (what, path, value, ', '.join(shape.enum)))
    elif shape.type_name == 'structure' and isinstance(value, dict):
        for k, v in value.items():
            if k in shape.members:
                enums(what, v, shape.members[k], path + '.' + k)
    elif shape.type_name == 'list' and isinstance(value, list):
        for i, v in enumerate(value):
            enums(what, v, shape.member, '%s[%d]' % (path, i))

for call in json.load(sys.stdin):
    model = session.get_service_model(call['service'])
    if call['operation'] not in model.operation_names:
        problems.append('%s: %s has no operation %s' % (call['what'], call['service'], call['operation']))
        continue
    op = model.operation_model(call['operation'])
    report = ParamValidator().validate(call['params'], op.input_shape)
    if report.has_errors():
        problems.append('%s: %s' % (call['what'], report.generate_report()))
    enums(call['what'], call['params'], op.input_shape, 'params')
    for path in call.get('outputPaths') or []:
        shape = op.output_shape
        for part in path.split('.'):
            if shape.type_name == 'list' and part.isdigit():
                shape = shape.member
            elif shape.type_name == 'structure' and part in shape.members:
                shape = shape.members[part]
            else:
                problems.append('%s: no output path %s' % (call['what'], path))
                break
print(json.dumps(problems))
`;

function problemsOf(calls: Call[]): string[] {
  const run = spawnSync('python3', ['-c', CHECK], { input: JSON.stringify(calls), encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`botocore check failed: ${run.stderr}`);
  }
  return JSON.parse(run.stdout);
}

/** aws-cdk-lib's AwsCustomResource service names, as botocore names the services. */
const SERVICES: Record<string, string> = { Route53RecoveryControlConfig: 'route53-recovery-control-config', SSM: 'ssm' };

/** Replaces the Tokens of a Create/Update/Delete call (a Fn::Join) by a plausible string. */
function withPlaceholders(value: any): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value['Fn::Join']) {
    return value['Fn::Join'][1].map(withPlaceholders).join(value['Fn::Join'][0]);
  }
  return 'arn:aws:route53-recovery-control::111111111111:placeholder';
}

test('the model check itself catches a wrong parameter name, a missing required one and a bad enum value', () => {
  expect(problemsOf([
    { what: 'wrong name', service: 'ssm', operation: 'GetParameter', params: { ParameterName: '/x' } },
    { what: 'bad enum', service: 'route53-recovery-cluster', operation: 'UpdateRoutingControlStates', params: { UpdateRoutingControlStateEntries: [{ RoutingControlArn: 'a', RoutingControlState: 'ON' }] } },
    { what: 'no such operation', service: 'ssm', operation: 'GetParam', params: {} },
    { what: 'bad path', service: 'route53-recovery-control-config', operation: 'DescribeCluster', params: { ClusterArn: 'a' }, outputPaths: ['Cluster.Endpoints.0.Url'] },
  ])).toEqual([
    expect.stringMatching(/^wrong name: .*Missing required parameter.*"Name".*Unknown parameter.*"ParameterName"/s),
    'bad enum: params.UpdateRoutingControlStateEntries[0].RoutingControlState is "ON", not one of On, Off',
    'no such operation: ssm has no operation GetParam',
    'bad path: no output path Cluster.Endpoints.0.Url',
  ]);
});

test('the RoutingControls custom resources call DescribeCluster, PutParameter and DeleteParameter as the models define them', () => {
  // GIVEN
  const stack = testStack();
  new RoutingControls(stack, 'Controls', { regions: ['us-east-1', 'us-west-2'], gatingControl: true, controlPanelName: 'app' });

  // WHEN
  const calls: Call[] = [];
  for (const type of ['Custom::ArcClusterEndpoints', 'Custom::ArcConfigParameter']) {
    for (const [id, resource] of Object.entries<any>(Template.fromStack(stack).findResources(type))) {
      for (const kind of ['Create', 'Update', 'Delete']) {
        if (resource.Properties[kind]) {
          const call = JSON.parse(withPlaceholders(resource.Properties[kind]));
          calls.push({ what: `${id} ${kind}`, service: SERVICES[call.service], operation: call.action, params: call.parameters, outputPaths: call.outputPaths });
        }
      }
    }
  }

  // THEN
  expect(calls).toHaveLength(1 + 1 + 2 * 3);
  expect(problemsOf(calls)).toEqual([]);
});

test('the handler\'s calls: GetParameter, UpdateRoutingControlStates with an override, GetRoutingControlState, PutMetricData', async () => {
  // GIVEN
  const ssm = mockClient(SSMClient);
  const arc = mockClient(Route53RecoveryClusterClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const east = 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc/routingcontrol/east';
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Value: JSON.stringify({
        clusterArn: 'arn:aws:route53-recovery-control::111111111111:cluster/abc',
        endpoints: [{ region: 'us-west-2', endpoint: 'https://a.example/v1' }, { region: 'us-east-1', endpoint: 'https://b.example/v1' }],
        controls: { 'us-east-1': east },
        assertionRuleArn: 'arn:aws:route53-recovery-control::111111111111:controlpanel/abc/safetyrule/r',
      }),
    },
  });
  // The first endpoint times out, the second is inside the wait period: the switch reads the state back.
  arc.on(UpdateRoutingControlStatesCommand).callsFakeOnce(() => new Promise(() => undefined))
    .callsFakeOnce(() => { throw Object.assign(new Error('conflict'), { name: 'ConflictException', $metadata: { httpStatusCode: 409 } }); });
  arc.on(GetRoutingControlStateCommand).resolves({ RoutingControlState: 'Off' });
  cloudwatch.on(PutMetricDataCommand).resolves({});

  try {
    // WHEN
    await switchRoutingControls({ action: 'switchRoutingControls', configParameterName: '/cdk-failover/arc/app', states: { 'us-east-1': 'Off' }, overrideSafetyRules: true }, {
      ssm: new SSMClient({ region: 'us-west-2' }),
      cluster: (endpoint, region) => new Route53RecoveryClusterClient({ endpoint, region }),
      attemptTimeoutMs: 20,
    });
    await recordRun({
      action: 'recordRun',
      runbook: 'r',
      namespace: 'N',
      outcome: 'FAILED',
      startedAt: '2026-11-30T10:00:00Z',
      steps: { fence: { start: '2026-11-30T10:00:01Z', end: '2026-11-30T10:00:02Z' }, switch: { start: '2026-11-30T10:00:02Z' } },
    }, new CloudWatchClient({ region: 'us-west-2' }), Date.parse('2026-11-30T10:01:00Z'));

    // THEN
    const inputs = (mock: any, service: string) => mock.calls().map((c: any, i: number) => ({
      what: `${service} call ${i + 1}`,
      service,
      operation: c.args[0].constructor.name.replace(/Command$/, ''),
      params: JSON.parse(JSON.stringify(c.args[0].input)),
    }));
    const calls: Call[] = [...inputs(ssm, 'ssm'), ...inputs(arc, 'route53-recovery-cluster'), ...inputs(cloudwatch, 'cloudwatch')];
    expect(calls.map((c) => c.operation)).toEqual(['GetParameter', 'UpdateRoutingControlStates', 'UpdateRoutingControlStates', 'GetRoutingControlState', 'PutMetricData']);
    expect(problemsOf(calls)).toEqual([]);
  } finally {
    ssm.restore();
    arc.restore();
    cloudwatch.restore();
  }
});

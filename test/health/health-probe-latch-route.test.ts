import { Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { HealthProbe } from '../../src';
import { ENV, testApp, testStack } from '../util';

const ID = 'cdk-failover:latch-no-dynamodb-route';

function vpcStack(props: ec2.VpcProps = {}): { stack: Stack; vpc: ec2.Vpc } {
  const stack = testStack(testApp(), 'Stack', 'us-east-1');
  return { stack, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, ...props }) };
}

function latched(stack: Stack, vpc: ec2.IVpc | undefined, latch = true): HealthProbe {
  const probe = new HealthProbe(stack, 'Probe', { vpc });
  probe.addHttpTarget('api', { url: 'https://internal.example.com/health', latch });
  probe.addTcpTarget('db', { host: 'db.internal.example.com', port: 5432 });
  return probe;
}

function routeWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ID)).map((w) => `${w.id}: ${w.entry.data}`);
}

describe('HealthProbe: a latched target in a VPC needs a route to DynamoDB', () => {
  test('warns when the VPC has no DynamoDB endpoint, saying what happens and how to fix or acknowledge it', () => {
    // GIVEN
    const { stack, vpc } = vpcStack();

    // WHEN
    latched(stack, vpc);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Probe', Match.stringLikeRegexp(
      '^latched targets \\(api\\) read and write a DynamoDB table, but the probe runs in VPC Stack/Vpc, which has no DynamoDB endpoint in this app\\. '
      + 'While the latch state cannot be read, a latched target counts as failed, so traffic fails over for good\\. '
      + 'Add a gateway endpoint: vpc\\.addGatewayEndpoint\\(\'DynamoDb\', \\{ service: ec2\\.GatewayVpcEndpointAwsService\\.DYNAMODB \\}\\)\\. '
      + 'If the subnets reach DynamoDB through a NAT gateway instead, acknowledge this warning\\. '
      + '\\[ack: cdk-failover:latch-no-dynamodb-route\\]$'));
    expect(routeWarnings(stack)).toHaveLength(1);
  });

  test('warns differently for an imported VPC, whose endpoints cannot be seen', () => {
    const stack = testStack(testApp(), 'Stack', 'us-east-1');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: ['subnet-1', 'subnet-2'],
    });
    latched(stack, vpc);
    Annotations.fromStack(stack).hasWarning('/Stack/Probe', Match.stringLikeRegexp(
      '^latched targets \\(api\\) read and write a DynamoDB table, but the probe runs in the imported VPC vpc-0123456789abcdef0, whose routes cannot be seen at synth\\. '
      + 'While the latch state cannot be read, a latched target counts as failed, so traffic fails over for good\\. '
      + 'Make sure the subnets reach DynamoDB \\(a gateway or interface endpoint, or a NAT gateway\\), then acknowledge this warning\\.'));
  });

  test.each<[string, (stack: Stack, vpc: ec2.Vpc) => void]>([
    ['a gateway endpoint added after the probe', (_, vpc) => vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB })],
    ['an interface endpoint', (_, vpc) => vpc.addInterfaceEndpoint('DynamoDb', { service: ec2.InterfaceVpcEndpointAwsService.DYNAMODB })],
    ['an L1 endpoint elsewhere in the stack', (stack, vpc) => new ec2.CfnVPCEndpoint(stack, 'Endpoint', {
      vpcId: vpc.vpcId, serviceName: 'com.amazonaws.us-east-1.dynamodb', vpcEndpointType: 'Gateway',
    })],
    ['an endpoint in another stack of the app', (stack, vpc) => new ec2.GatewayVpcEndpoint(new Stack(stack.node.root, 'Network', { env: { account: ENV.account, region: 'us-east-1' } }), 'DynamoDb', {
      vpc, service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
    })],
  ])('no warning with %s', (_, addEndpoint) => {
    const { stack, vpc } = vpcStack();
    latched(stack, vpc);
    addEndpoint(stack, vpc);
    expect(routeWarnings(stack)).toEqual([]);
  });

  test('no warning with a DynamoDB endpoint given in the VPC props', () => {
    const { stack, vpc } = vpcStack({ gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } } });
    latched(stack, vpc);
    expect(routeWarnings(stack)).toEqual([]);
  });

  test.each<[string, (stack: Stack, vpc: ec2.Vpc) => void]>([
    ['only an S3 endpoint', (_, vpc) => vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 })],
    ['a DynamoDB endpoint in another VPC', (stack) => new ec2.Vpc(stack, 'Other', { maxAzs: 1, natGateways: 0 })
      .addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB })],
  ])('still warns with %s', (_, addEndpoint) => {
    const { stack, vpc } = vpcStack();
    latched(stack, vpc);
    addEndpoint(stack, vpc);
    expect(routeWarnings(stack)).toHaveLength(1);
  });

  test.each<[string, boolean, boolean]>([
    ['a VPC without latched targets', true, false],
    ['latched targets outside any VPC', false, true],
  ])('no warning for %s', (_, inVpc, latch) => {
    const { stack, vpc } = vpcStack();
    latched(stack, inVpc ? vpc : undefined, latch);
    expect(routeWarnings(stack)).toEqual([]);
  });

  test('acknowledged on the stack, the warning is gone', () => {
    const { stack, vpc } = vpcStack();
    latched(stack, vpc);
    CoreAnnotations.of(stack).acknowledgeWarning(ID, 'The private subnets route to DynamoDB through the NAT gateway.');
    expect(routeWarnings(stack)).toEqual([]);
  });

  test('warns once, however often the app is synthesized', () => {
    const { stack, vpc } = vpcStack();
    latched(stack, vpc);
    expect(routeWarnings(stack)).toHaveLength(1);
    expect(routeWarnings(stack)).toHaveLength(1);
  });
});

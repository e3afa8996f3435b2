/**
 * Writes the ARC configuration a runbook reads (`ArcConfiguration`, src/runbooks/runbook-contract.ts)
 * as an SSM String parameter in each Region of a `RoutingControls`.
 *
 * The cluster's endpoints are a list of objects (`ClusterEndpoints`), which CloudFormation cannot
 * turn into a string, so a custom resource reads them at deploy time with the control plane's
 * DescribeCluster, in us-west-2 (docs/aws-facts.md#arc-and-global-accelerator). Another custom
 * resource per Region writes the parameter there: Regions meet by the parameter's name.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ARC_CLUSTER_ENDPOINTS } from '../../objectives/model/arc';
import { acknowledgeLibraryHandlers } from '../../replication/private/library-handlers';
import type { ArcConfiguration } from '../../runbooks/runbook-contract';

/** Where the ARC configuration API answers. */
const CONTROL_PLANE_REGION = 'us-west-2';

export interface ArcConfigurationProps {
  readonly parameterName: string;
  readonly clusterArn: string;
  readonly regions: string[];
  readonly controls: { [region: string]: string };
  readonly assertionRuleArn?: string;
  readonly gatingControlArn?: string;
  /** The ARN of the parameter's copy in a Region. */
  readonly parameterArn: (region: string) => string;
}

/** Adds the endpoint lookup and one parameter per Region under `scope/id`. */
export function writeArcConfiguration(scope: Construct, id: string, props: ArcConfigurationProps): Construct {
  const group = new Construct(scope, id);
  const fields = Array.from({ length: ARC_CLUSTER_ENDPOINTS }, (_, i) => ({
    endpoint: `Cluster.ClusterEndpoints.${i}.Endpoint`,
    region: `Cluster.ClusterEndpoints.${i}.Region`,
  }));
  const describe: cr.AwsSdkCall = {
    service: 'Route53RecoveryControlConfig',
    action: 'DescribeCluster',
    parameters: { ClusterArn: props.clusterArn },
    region: CONTROL_PLANE_REGION,
    physicalResourceId: cr.PhysicalResourceId.of(props.clusterArn),
    outputPaths: fields.flatMap((f) => [f.endpoint, f.region]),
  };
  const endpoints = new cr.AwsCustomResource(group, 'Endpoints', {
    resourceType: 'Custom::ArcClusterEndpoints',
    installLatestAwsSdk: false,
    onCreate: describe,
    onUpdate: describe,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['route53-recovery-control-config:DescribeCluster'], resources: [props.clusterArn] }),
    ]),
  });

  const config: ArcConfiguration = {
    clusterArn: props.clusterArn,
    endpoints: fields.map((f) => ({ region: endpoints.getResponseField(f.region), endpoint: endpoints.getResponseField(f.endpoint) })),
    controls: props.controls,
    ...props.assertionRuleArn ? { assertionRuleArn: props.assertionRuleArn } : {},
    ...props.gatingControlArn ? { gatingControlArn: props.gatingControlArn } : {},
  };
  const value = Stack.of(scope).toJsonString(config);

  for (const region of props.regions) {
    const put: cr.AwsSdkCall = {
      service: 'SSM',
      action: 'PutParameter',
      parameters: {
        Name: props.parameterName,
        Value: value,
        Type: 'String',
        Overwrite: true,
        Description: 'ARC cluster endpoints and routing controls for the failover runbooks (cdk-failover RoutingControls).',
      },
      region,
      // A new name replaces the resource, and CloudFormation then deletes the old name's parameter.
      physicalResourceId: cr.PhysicalResourceId.of(props.parameterName),
    };
    new cr.AwsCustomResource(group, region, {
      resourceType: 'Custom::ArcConfigParameter',
      installLatestAwsSdk: false,
      onCreate: put,
      onUpdate: put,
      onDelete: {
        service: 'SSM',
        action: 'DeleteParameter',
        parameters: { Name: props.parameterName },
        region,
        ignoreErrorCodesMatching: 'ParameterNotFound',
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ssm:PutParameter', 'ssm:DeleteParameter'], resources: [props.parameterArn(region)] }),
      ]),
    });
  }
  acknowledgeLibraryHandlers(scope);
  return group;
}

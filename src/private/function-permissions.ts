/**
 * What the library's own Lambda functions share: a role that writes to the function's own log
 * group only (no AWS managed policy), and `cloudwatch:PutMetricData` held to the namespaces the
 * function publishes to (granted once per namespace, however many constructs ask).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { suppressWildcardFinding } from '../health/probe-shared';

/** A role for a function that writes to `logGroup` only. */
export function ownLogRole(scope: Construct, id: string, logGroup: logs.ILogGroup, description: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
    inlinePolicies: {
      Logs: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
      }),
    },
  });
}

/** Lets `fn` publish metrics to `namespace` (once per namespace). */
export function allowMetricNamespace(fn: lambda.Function, namespace: string): void {
  const marker = `Metrics${namespace.replace(/[^A-Za-z0-9]/g, '')}`;
  if (fn.node.tryFindChild(marker)) {
    return;
  }
  new Construct(fn, marker);
  // PutMetricData has no resource-level permission; the namespace condition narrows it.
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
  }));
  suppressWildcardFinding(fn);
}

import { Annotations, ArnFormat, CfnCondition, Fn, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { checkCapacities, defaultParameterName, validateActiveRegionProps } from './private/active-region-validation';
import { Problems } from '../private/errors';
import { knownRegion } from '../private/region';
import { unresolved } from '../private/validate';
import { acknowledgeLibraryHandlers } from '../replication/private/library-handlers';

/**
 * Properties of an `ActiveRegion`.
 */
export interface ActiveRegionProps {
  /**
   * The application's name: one level of the parameter name, so it must be the same in every
   * region. Letters, digits, `_`, `.` and `-`.
   */
  readonly appName: string;

  /**
   * The region that is active when the parameter is first created: its first value in every
   * region. Changing it later does not change a parameter that exists (see the class doc).
   */
  readonly primaryRegion: string;

  /**
   * Every region that holds a copy of the parameter (the primary and its recovery regions),
   * each a literal region name. The stack's own region must be one of them.
   */
  readonly regions: string[];

  /**
   * The parameter's name, the same in every region: a hierarchical SSM name (starts with `/`,
   * letters, digits, `_`, `.`, `-`, at most 15 levels and 1011 characters, not beginning with
   * `aws` or `ssm`).
   *
   * @default `/cdk-failover/<appName>/active-region`
   */
  readonly parameterName?: string;
}

/**
 * Which region is active, as an SSM String parameter that each regional stack creates under one
 * deterministic name (`/cdk-failover/<appName>/active-region`), so that infrastructure as code
 * knows it at deploy time (aws-cdk#30771).
 *
 * Regions meet by that name: each regional stack creates its own copy; there is no export and
 * no cross-region reference. The failover and failback runbooks write every copy (grant them
 * with `grantUpdate`); nothing else should.
 *
 * **No deploy resets it.** The parameter is created by a custom resource that calls
 * `PutParameter` with `Overwrite: false` on create only, and makes no call on update or delete.
 * A plain `AWS::SSM::Parameter` would keep the runbook's value across an unrelated deploy, since
 * CloudFormation updates only resources whose template changed; but once its template changes
 * (a new `primaryRegion`, which is its `Value`, or a new description or tags), the update
 * writes the template's value over the runbook's and points the fleet back at a failed region
 * (CloudFormation documents no update that leaves `Value` alone). With the custom resource, the
 * value is written once; if the parameter already exists (a stack deleted and deployed
 * again), creation keeps its value. Changing `primaryRegion` afterwards changes nothing that
 * exists. Deleting the stack leaves the parameter in place (it is state): delete it by hand.
 *
 * **Reading it.** `activeRegionValue`, `isActiveCondition` and `capacityFor` read the parameter
 * through an SSM-typed CloudFormation parameter (`AWS::SSM::Parameter::Value<String>`, what
 * `ssm.StringParameter.valueForStringParameter` makes), which CloudFormation resolves at the
 * start of each create or update of the reading stack and which, unlike a `{{resolve:ssm:...}}`
 * dynamic reference, can feed a condition (docs/aws-facts.md#ssm-parameter-store). The CDK CLI
 * does not skip the deploy of a stack with such a parameter even when its template is unchanged
 * (which is why its own bootstrap-version parameter is marked `[cdk:skip]`). Nothing is looked
 * up at synth. The value is read only when the reading stack deploys: a failover between
 * deploys does not resize anything by itself (the runbook scales capacity, and drift between
 * deploys is the runbook's job); a later deploy reads the current value, so it agrees
 * with the runbook instead of scaling the new primary back down. Because the value is read
 * before any resource of the stack is created, the reading stack must be another stack of the
 * same region, deployed after this one: the methods add that dependency when both are in one
 * app, and reject a read from this construct's own stack.
 *
 * This construct is state, not a recovery path: it declares no path of its own; the runbooks
 * that switch regions carry the terms.
 *
 * @example
 * for (const region of ['us-east-1', 'us-west-2']) {
 *   const state = new Stack(app, `State-${region}`, { env: { region } });
 *   const active = new ActiveRegion(state, 'ActiveRegion', {
 *     appName: 'orders',
 *     primaryRegion: 'us-east-1',
 *     regions: ['us-east-1', 'us-west-2'],
 *   });
 *   const service = new Stack(app, `Service-${region}`, { env: { region } });
 *   // 6 tasks where this region is active, 1 where it stands by: an ECS service's desiredCount.
 *   const desiredCount: number = active.capacityFor(service, 6, 1);
 * }
 */
export class ActiveRegion extends Construct {
  /** The parameter's name, the same in every region. */
  public readonly parameterName: string;

  /** The parameter's first value. */
  public readonly primaryRegion: string;

  /** Every region that holds a copy. */
  public readonly regions: string[];

  /** The ARN of this region's copy. */
  public readonly parameterArn: string;

  /** The ARNs of every region's copy, in the order of `regions`. */
  public readonly parameterArns: string[];

  constructor(scope: Construct, id: string, props: ActiveRegionProps) {
    super(scope, id);
    const problems = new Problems(this);
    validateActiveRegionProps(problems, knownRegion(this), props);
    problems.throwIfAny();
    if (knownRegion(this) === undefined) {
      Annotations.of(this).addWarningV2('cdk-failover:active-region-agnostic-stack',
        `this stack has no literal region, so it cannot be checked against \`regions\` ${JSON.stringify(props.regions)}: `
        + 'a copy in another region would never be updated by the runbooks. Give the stack an `env` with its region.');
    }

    this.parameterName = props.parameterName ?? defaultParameterName(props.appName);
    this.primaryRegion = props.primaryRegion;
    this.regions = [...props.regions];
    this.parameterArns = this.regions.map((r) => this.parameterArnIn(r));
    this.parameterArn = this.parameterArnIn(Stack.of(this).region);

    new cr.AwsCustomResource(this, 'Parameter', {
      resourceType: 'Custom::ActiveRegionParameter',
      installLatestAwsSdk: false,
      // Written once: an update or a delete of the stack never touches the value.
      onCreate: {
        service: 'SSM',
        action: 'PutParameter',
        parameters: {
          Name: this.parameterName,
          Value: this.primaryRegion,
          Type: 'String',
          Overwrite: false,
          Description: `The active region of ${props.appName}, written by its failover and failback runbooks (cdk-failover ActiveRegion).`,
        },
        physicalResourceId: cr.PhysicalResourceId.of(this.parameterName),
        // A copy left by an earlier stack keeps its value.
        ignoreErrorCodesMatching: 'ParameterAlreadyExists',
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['ssm:PutParameter'], resources: [this.parameterArn] }),
      ]),
    });
    acknowledgeLibraryHandlers(this);
  }

  /**
   * The ARN of the copy in `region`.
   *
   * @param region a region name
   */
  public parameterArnIn(region: string): string {
    return Stack.of(this).formatArn({
      service: 'ssm',
      region,
      resource: 'parameter',
      resourceName: this.parameterName.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets `grantee` read and write every region's copy (the runbooks' permission), scoped to
   * their exact ARNs.
   *
   * @param grantee who switches the active region
   */
  public grantUpdate(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:PutParameter', 'ssm:GetParameter', 'ssm:GetParameters'],
      resourceArns: this.parameterArns,
    });
  }

  /**
   * Lets `grantee` read every region's copy, scoped to their exact ARNs.
   *
   * @param grantee who reads the active region
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resourceArns: this.parameterArns,
    });
  }

  /**
   * The active region's name as a deploy-time token in `scope`'s stack, read from that region's
   * copy when the stack deploys (never at synth). `scope` must be in another stack of a region
   * in `regions`; a dependency on this construct's stack is added when both are in one app.
   *
   * @param scope a construct in the stack that reads the value
   */
  public activeRegionValue(scope: Construct): string {
    this.checkReader(scope);
    return ssm.StringParameter.valueForStringParameter(scope, this.parameterName);
  }

  /**
   * A condition of `scope`'s stack that holds when the active region is that stack's region;
   * one per stack and parameter.
   *
   * @param scope a construct in the stack that reads the value
   */
  public isActiveCondition(scope: Construct): CfnCondition {
    const value = this.activeRegionValue(scope);
    const stack = Stack.of(scope);
    const id = `IsActiveRegion:${this.parameterName}`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof CfnCondition) {
      return existing;
    }
    return new CfnCondition(stack, id, { expression: Fn.conditionEquals(value, stack.region) });
  }

  /**
   * A capacity for `scope`'s stack that is `activeCapacity` when its region is active and
   * `standbyCapacity` otherwise, as a deploy-time number (`Fn::If` on `isActiveCondition`) for
   * e.g. an ECS service's `desiredCount` or an Auto Scaling group's sizes.
   *
   * @param scope a construct in the stack that reads the value
   * @param activeCapacity the capacity of the active region, a whole number
   * @param standbyCapacity the capacity of a standby region, a whole number no larger than `activeCapacity`
   */
  public capacityFor(scope: Construct, activeCapacity: number, standbyCapacity: number): number {
    const problems = new Problems(this);
    checkCapacities(problems, activeCapacity, standbyCapacity);
    problems.throwIfAny();
    const condition = this.isActiveCondition(scope);
    return Token.asNumber(Fn.conditionIf(condition.logicalId, activeCapacity, standbyCapacity));
  }

  /** A reader is another stack of one of `regions`, deployed after this one. */
  private checkReader(scope: Construct): void {
    const problems = new Problems(this);
    const reader = Stack.of(scope);
    const own = Stack.of(this);
    if (reader === own) {
      problems.add(`${scope.node.path} reads the active region in the stack that creates its parameter, but CloudFormation reads it `
        + 'before creating any resource, so the first deploy would fail. Read it from another stack of the same region, deployed after this one.');
    } else if (!unresolved(reader.region) && !unresolved(own.region) && reader.region !== own.region) {
      problems.add(`${scope.node.path} is in ${reader.region}, but this copy of the parameter is in ${own.region}: `
        + 'each region reads its own copy. Use the ActiveRegion of the reading stack\'s region.');
    }
    problems.throwIfAny();
    if (reader.node.root === own.node.root && !reader.dependencies.includes(own)) {
      reader.addDependency(own, 'reads the active-region parameter at deploy time');
    }
  }
}

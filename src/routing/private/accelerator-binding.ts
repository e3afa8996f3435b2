import * as ga from 'aws-cdk-lib/aws-globalaccelerator';
import { IConstruct } from 'constructs';
import { ElbHealthInput } from '../../objectives/model/elb';
import type { AcceleratorEndpointKind, AcceleratorEndpointOptions } from '../accelerator-endpoint';

/** An endpoint as the construct uses it. */
export interface BoundAcceleratorEndpoint {
  /** The endpoint's Region, or undefined when it is not known at synth. */
  readonly region?: string;
  /** What the endpoint is, for the report and messages. */
  readonly label: string;
  readonly kind: AcceleratorEndpointKind;
  readonly loadBalancerArn: string;
  readonly options: AcceleratorEndpointOptions;
  /** The load balancer construct, when given as one. */
  readonly construct?: IConstruct;
  /** The health check of its slowest target group, when visible; read at synth, after the app is built. */
  readonly targetHealth: () => ElbHealthInput | undefined;
  /** The aws-cdk-lib endpoint to add to the group. */
  readonly endpoint: () => ga.IEndpoint;
}

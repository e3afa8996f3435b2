import type * as route53 from 'aws-cdk-lib/aws-route53';
import type { DatabaseTopology } from '../../zonal/database-topology';
import type { RegionRole } from '../regional-workload';

/** What `RegionalWorkloadContext` is made of. */
export interface RegionalWorkloadContextProps {
  readonly region: string;
  readonly role: RegionRole;
  readonly capacity: number;
  readonly peakCapacity: number;
  readonly databaseTopology?: DatabaseTopology;
  readonly zone: route53.IHostedZone;
  readonly recordName: string;
  readonly appName: string;
}

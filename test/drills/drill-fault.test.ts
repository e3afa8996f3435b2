import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ConnectivityScope, DrillFault } from '../../src';
import { testStack } from '../util';

describe('DrillFault', () => {
  test('each factory knows its FIS action id, target and parameters (docs/aws-facts.md#fis-and-drs)', () => {
    // GIVEN
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-west-2a'], privateSubnetIds: ['subnet-1'] });
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'orders-bucket');
    const table = dynamodb.TableV2.fromTableName(stack, 'Table', 'orders');

    // WHEN
    const faults = [
      DrillFault.auroraClusterFailover({ clusterIdentifier: 'orders' }),
      DrillFault.rdsInstanceReboot({ instanceIdentifier: 'orders' }),
      DrillFault.azConnectivityLoss({ vpc, availabilityZone: 'us-west-2a', duration: Duration.seconds(90) }),
      DrillFault.s3ReplicationPause({ bucket, duration: Duration.hours(2), region: 'us-east-1' }),
      DrillFault.dynamoDbReplicationPause({ table, duration: Duration.minutes(15) }),
    ];

    // THEN
    expect(faults.map((f) => [f.actionId, f.targetKey, f.targetResourceType, f.parameters, f.duration?.toSeconds()])).toEqual([
      ['aws:rds:failover-db-cluster', 'Clusters', 'aws:rds:cluster', {}, undefined],
      ['aws:rds:reboot-db-instances', 'DBInstances', 'aws:rds:db', { forceFailover: 'false' }, undefined],
      ['aws:network:disrupt-connectivity', 'Subnets', 'aws:ec2:subnet', { duration: 'PT1M30S', scope: ConnectivityScope.ALL }, 90],
      ['aws:s3:bucket-pause-replication', 'Buckets', 'aws:s3:bucket', { duration: 'PT2H', region: 'us-east-1' }, 7200],
      ['aws:dynamodb:global-table-pause-replication', 'Tables', 'aws:dynamodb:global-table', { duration: 'PT15M' }, 900],
    ]);
  });
});

import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { globalTablePaths, s3ReplicationPaths } from '../../src/analyze/private/data-replication';
import { readTemplates } from '../../src/analyze/private/templates';
import { RecoveryAssumption } from '../../src/objectives/assumptions';
import { S3_RTC_SECONDS } from '../../src/objectives/model/s3-replication';
import { testApp } from '../util';

const seconds = (d: Duration | undefined) => d === undefined ? undefined : d.toMilliseconds() / 1000;

/** A raw aws-cdk-lib stack in us-east-1, synthesized and read back as the analysis reads it. */
function template(build: (stack: Stack) => void) {
  const app = testApp();
  build(new Stack(app, 'Raw', { env: { account: '111111111111', region: 'us-east-1' } }));
  return readTemplates([app.synth().directory]).templates.find((t) => t.name === 'Raw')!;
}

describe('S3 replication written with aws-cdk-lib', () => {
  test('one data path per rule: RTC bounds it at 15 minutes, without RTC the assumption holds', () => {
    const t = template((stack) => {
      const destination = s3.Bucket.fromBucketArn(stack, 'Dest', 'arn:aws:s3:::orders-replica-west');
      new s3.Bucket(stack, 'Orders', {
        bucketName: 'orders-east',
        versioned: true,
        replicationRules: [
          { destination, priority: 1, replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES, metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES, id: 'rtc' },
          { destination, priority: 2, filter: { prefix: 'logs/' }, id: 'plain' },
        ],
      });
    });

    const found = s3ReplicationPaths(t);

    expect(found.paths.map((p) => [p.name, p.kind.id, seconds(p.estimate.rpoWorst), p.estimate.rtoWorst])).toEqual([
      ['orders-east to orders-replica-west (RTC)', 'data-replication', S3_RTC_SECONDS, undefined],
      // No published bound without RTC: the s3ReplicationLag assumption's default.
      ['orders-east to orders-replica-west', 'data-replication', RecoveryAssumption.S3_REPLICATION_LAG._defaultSeconds, undefined],
    ]);
    expect(found.paths[1].estimate.terms[0].remedy).toMatch(/^add `ReplicationTime: \{ Status: Enabled, Time: \{ Minutes: 15 \} \}` and `Metrics` to the rule's `Destination` in the AWS::S3::Bucket Orders[0-9A-F]{8}; cdk-failover's ReplicatedBucket/);
  });
});

describe('DynamoDB global tables written with aws-cdk-lib', () => {
  test('one data path per other Region: eventual consistency loses up to the assumed lag', () => {
    const t = template((stack) => new dynamodb.TableV2(stack, 'Carts', {
      tableName: 'carts',
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      replicas: [{ region: 'us-west-2' }, { region: 'eu-west-1' }],
    }));

    const found = globalTablePaths(t);

    // The dynamoDbReplicationLag assumption's default, per replica.
    const lag = RecoveryAssumption.DYNAMODB_REPLICATION_LAG._defaultSeconds;
    expect(found.paths.map((p) => [p.name, seconds(p.estimate.rpoWorst)])).toEqual([
      ['carts to us-west-2 (MREC)', lag],
      ['carts to eu-west-1 (MREC)', lag],
    ]);
  });

  test('strong consistency loses no acknowledged write', () => {
    const found = globalTablePaths({
      name: 'Hand',
      file: 'hand.json',
      region: 'us-east-1',
      template: { Resources: { T: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { MultiRegionConsistency: 'STRONG', Replicas: [{ Region: 'us-east-1' }, { Region: 'us-east-2' }, { Region: 'us-west-2' }] } } } },
    });
    expect(found.paths.map((p) => seconds(p.estimate.rpoWorst))).toEqual([0, 0]);
  });

  test('a replica whose region is a parameter without default is not analysed', () => {
    const found = globalTablePaths({
      name: 'Hand',
      file: 'hand.json',
      region: 'us-east-1',
      template: { Parameters: { Other: { Type: 'String' } }, Resources: { T: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1' }, { Region: { Ref: 'Other' } }] } } } },
    });
    expect(found.paths).toEqual([]);
    expect(found.notAnalysed.map((n) => n.reason)).toEqual(['a replica whose region the template does not decide']);
  });

  test('a replica Region that is no Region name still gives a valid path id, never a throw', () => {
    const found = globalTablePaths({
      name: 'Hand',
      file: 'hand.json',
      region: 'us-east-1',
      template: { Resources: { T: { Type: 'AWS::DynamoDB::GlobalTable', Properties: { Replicas: [{ Region: 'us-east-1' }, { Region: 'us west/2' }] } } } },
    });
    expect(found.paths.map((p) => [p.id, p.name])).toEqual([['global-table-T-us-west-2', 'T to us west/2 (MREC)']]);
  });
});

describe('odd S3 destinations', () => {
  test('an empty destination bucket is named as not decided, never an empty label', () => {
    const found = s3ReplicationPaths({
      name: 'Hand',
      file: 'hand.json',
      template: {
        Resources: {
          B: { Type: 'AWS::S3::Bucket', Properties: { ReplicationConfiguration: { Rules: [{ Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::' } }] } } },
        },
      },
    });
    expect(found.paths.map((p) => [p.id, p.name, p.endpoints[1].label])).toEqual([
      ['s3-replication-B-0', 'B to a bucket the template does not name', 'a bucket the template does not name'],
    ]);
  });
});

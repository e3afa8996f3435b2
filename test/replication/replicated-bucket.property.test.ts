import { Duration, Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { DeleteMarkerReplication, ReplicatedBucket } from '../../src';
import { testApp, testStack } from '../util';

// Each run synthesizes a stack: on a busy 2-core machine 100 runs take far longer than jest's 5 s.
jest.setTimeout(120_000);

const bucketName = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z0-9]([a-z0-9]|-[a-z0-9]|\.[a-z0-9]){2,30}$/), weight: 8 },
  fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
  fc.constantFrom('acme-orders-us-west-2', 'ab', 'Acme', 'a..b', '10.0.0.1', 'xn--abc', 'abc-s3alias', '', 'a'.repeat(64)),
  fc.constant(Lazy.string({ produce: () => 'acme-lazy' })),
);

const region = fc.oneof(
  { arbitrary: fc.constantFrom('us-west-2', 'eu-west-1', 'ap-southeast-2'), weight: 6 },
  fc.constantFrom('us-east-1', 'cn-north-1', 'us-gov-west-1', 'mars-1', ''),
  fc.constant(Lazy.string({ produce: () => 'us-west-2' })),
);

const lag = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }).map((s) => Duration.seconds(s)),
  fc.constant(Duration.seconds(NaN)),
  fc.constant(Duration.seconds(Lazy.number({ produce: () => 60 }))),
);

const props = fc.record({
  bucketName,
  destination: fc.option(fc.record({ bucketName, region }), { nil: undefined, freq: 4 }),
  twoWay: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
  deleteMarkerReplication: fc.option(fc.oneof(
    { arbitrary: fc.constantFrom(DeleteMarkerReplication.REPLICATE, DeleteMarkerReplication.DO_NOT_REPLICATE), weight: 6 },
    fc.constant('SOMETIMES'),
  ), { nil: undefined }),
  replicationTimeControl: fc.option(fc.boolean(), { nil: undefined, freq: 3 }),
  lag: fc.option(lag, { nil: undefined, freq: 6 }),
});

test('random props either synthesize a versioned, encrypted, retained bucket with a sound rule, or fail with our error', () => {
  fc.assert(fc.property(props, (p) => {
    // GIVEN
    const stack = testStack(testApp(), 'East', 'us-east-1');

    // WHEN
    let bucket: ReplicatedBucket;
    try {
      bucket = new ReplicatedBucket(stack, 'Orders', {
        bucketName: p.bucketName,
        destination: p.destination,
        twoWay: p.twoWay,
        deleteMarkerReplication: p.deleteMarkerReplication as DeleteMarkerReplication | undefined,
        replicationTimeControl: p.replicationTimeControl,
        assumptions: p.lag && { s3ReplicationLag: p.lag },
      });
    } catch (e) {
      // THEN: our error, never a TypeError or aws-cdk-lib's
      expect(e).not.toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^East\/Orders: ((\d+ problems:\n {2}- )?`[a-zA-Z0-9.]+`)/);
      return;
    }

    // THEN
    const buckets = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(1);
    const b = buckets[0];
    expect(b.DeletionPolicy).toEqual('Retain');
    expect(b.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toEqual('aws:kms');
    const paths = bucket.recoveryPaths();
    if (p.destination === undefined) {
      expect(paths).toEqual([]);
      return;
    }
    const rtc = p.replicationTimeControl ?? true;
    expect(paths).toHaveLength(1);
    expect(paths[0].estimate.rtoWorst).toBeUndefined();
    const rpo = paths[0].estimate.rpoWorst!.toSeconds();
    expect(rpo).toEqual(rtc ? 900 : p.lag?.toSeconds() ?? 7200);
    const rules = b.Properties.ReplicationConfiguration?.Rules;
    if (p.twoWay && p.bucketName < p.destination.bucketName) {
      expect(rules).toBeUndefined();
    } else {
      expect(rules).toHaveLength(1);
      expect(rules[0].Destination.Metrics).toEqual({ Status: 'Enabled', EventThreshold: { Minutes: 15 } });
      expect(rules[0].SourceSelectionCriteria.SseKmsEncryptedObjects).toEqual({ Status: 'Enabled' });
      expect(rules[0].Destination.ReplicationTime !== undefined).toEqual(rtc);
    }
  }), { numRuns: 200 });
});

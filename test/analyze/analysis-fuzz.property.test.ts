import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { analyse, renderAnalysis } from '../../src/analyze/private/analysis';

const TYPES = [
  'AWS::Route53::RecordSet', 'AWS::Route53::RecordSetGroup', 'AWS::Route53::HealthCheck', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::GlobalCluster', 'AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection',
  'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::GlobalAccelerator::Listener', 'AWS::GlobalAccelerator::EndpointGroup', 'AWS::Route53RecoveryControl::RoutingControl',
  'AWS::ARCZonalShift::ZonalAutoshiftConfiguration', 'AWS::Custom::Thing',
];
const value = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('PRIMARY', 'SECONDARY', 'HTTPS', 'CALCULATED', 'RECOVERY_CONTROL', 'Enabled', 'ENABLED', 'STRONG', 10, 30, '60', 'app.example.com',
    'aurora-postgresql', 'postgres', true, 'cron(0 * * * ? *)', 'us-west-2', 'forward'),
  fc.record({ Ref: fc.constantFrom('A', 'B', 'P', 'AWS::Region', 'Nope') }),
  fc.record({ 'Fn::GetAtt': fc.tuple(fc.constantFrom('A', 'B', 'Lb'), fc.constantFrom('HealthCheckId', 'DNSName')) }),
  fc.record({ 'Fn::Sub': fc.constantFrom('${AWS::Region}.app', '${P}', '${!x}', '${A.Arn}') }),
  fc.record({ 'Fn::Join': fc.anything({ maxDepth: 2 }) }),
  fc.record({ 'Fn::If': fc.tuple(fc.constantFrom('C', 'D', 'Nope'), fc.anything({ maxDepth: 1 }), fc.anything({ maxDepth: 1 })) }),
  fc.record({ 'Fn::ImportValue': fc.constantFrom('exported', 'unknown') }),
);
const properties = fc.dictionary(
  fc.constantFrom('Failover', 'Name', 'Type', 'TTL', 'HealthCheckId', 'HostedZoneName', 'HostedZoneId', 'AliasTarget', 'RecordSets', 'HealthCheckConfig',
    'ReplicationConfiguration', 'Replicas', 'MultiRegionConsistency', 'BucketName', 'TableName', 'Weight', 'Region', 'SetIdentifier',
    'MultiAZ', 'Engine', 'DBClusterIdentifier', 'GlobalClusterIdentifier', 'SourceDBClusterIdentifier', 'DBClusterInstanceClass',
    'BackupPlan', 'BackupSelection', 'BackupPlanId', 'LoadBalancerArn', 'DefaultActions', 'TargetGroupArn', 'HealthCheckIntervalSeconds',
    'ListenerArn', 'EndpointGroupRegion', 'EndpointConfigurations', 'TrafficDialPercentage', 'ThresholdCount', 'ResourceIdentifier',
    'ZonalAutoshiftStatus', 'Condition'),
  value, { maxKeys: 10 },
);
const resource = fc.record({ Type: fc.constantFrom(...TYPES), Properties: fc.oneof(properties, fc.anything({ maxDepth: 2 })) }, { requiredKeys: ['Type'] });
const template = fc.oneof(
  {
    arbitrary: fc.record({
      Parameters: fc.dictionary(fc.constantFrom('P', 'Q'), fc.record({ Default: value }, { requiredKeys: [] })),
      Conditions: fc.dictionary(fc.constantFrom('C', 'D'), fc.oneof(value, fc.record({ 'Fn::Equals': fc.tuple(value, value) }))),
      Outputs: fc.dictionary(fc.constantFrom('O'), fc.record({ Value: value, Export: fc.record({ Name: fc.constantFrom('exported') }) })),
      Resources: fc.dictionary(fc.constantFrom('A', 'B', 'C', 'Lb'), resource),
    }, { requiredKeys: [] }),
    weight: 8,
  },
  { arbitrary: fc.anything({ maxDepth: 3 }), weight: 1 },
);

test('any template, well formed or not, gives a report and never an unhandled error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analyze-fuzz-'));
  try {
    fc.assert(fc.property(fc.array(template, { minLength: 1, maxLength: 3 }), fc.boolean(), (templates, asText) => {
      const files = templates.map((t, i) => {
        const file = path.join(dir, `t${i}.json`);
        fs.writeFileSync(file, asText && i === 0 ? '{ broken' : JSON.stringify(t) ?? 'null');
        return file;
      });
      const analysis = analyse(files, { rto: 300, rpo: 60 });
      const { json, markdown } = renderAnalysis(analysis);
      expect(markdown.startsWith('# Failover report')).toBe(true);
      expect(JSON.parse(json).generatedBy).toEqual('cdk-failover');
      // Nothing fails inside an analyser: what it cannot model is listed with a reason.
      expect(analysis.notAnalysed.filter((n) => n.reason.startsWith('the analysis failed here'))).toEqual([]);
    }), { numRuns: 200, seed: 1501 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

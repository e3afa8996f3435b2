/**
 * The analysis of templates written by others: aws-cdk-lib's own integration-test snapshots and
 * public AWS samples, kept byte for byte under fixtures/ (sources, commits and licences in
 * fixtures/SOURCES.md). Every figure is derived here from the fixture's own settings, read from
 * its JSON, through the model functions the library's constructs use.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyse, Analysis, renderAnalysis } from '../../src/analyze/private/analysis';
import { globalTablePaths } from '../../src/analyze/private/data-replication';
import { RecoveryAssumption } from '../../src/objectives/assumptions';
import { ofTerms, totals } from '../../src/objectives/model/compose';
import { dnsFailover } from '../../src/objectives/model/dns';
import { endpointDetection, ProbeProtocol, ROUTE53_HEALTHY_FRACTION } from '../../src/objectives/model/route53';
import { S3_RTC_SECONDS } from '../../src/objectives/model/s3-replication';
import { Term } from '../../src/objectives/model/term';

const FIXTURES = path.join(__dirname, 'fixtures');

/** Every file of a fixture directory, as the command line would be given them. */
function files(fixture: string): string[] {
  const dir = path.join(FIXTURES, fixture);
  return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
}

/** A fixture's template, parsed, to read its settings. */
function template(fixture: string, file: string): { Resources: { [id: string]: { Type: string; Properties: any } } } {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, file), 'utf8'));
}

/** The logical IDs of a template's resources of one type. */
function ofType(t: ReturnType<typeof template>, type: string): string[] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
}

/** What a test compares: the figures of each path, and the dominant terms' IDs. */
function figures(a: Analysis) {
  return a.report.paths.map((p) => ({
    id: p.id,
    name: p.name,
    rtoBest: p.totals.rtoMin,
    rtoWorst: p.totals.rtoMax,
    rpoWorst: p.totals.rpoMax,
    dominant: p.totals.dominant?.id,
    dominantData: p.totals.dominantData?.id,
    warnings: p.warnings,
  }));
}

/** The term with the largest maximum: on a series path, the one that dominates the worst case. */
function largest(terms: Term[]): Term {
  return terms.reduce((a, b) => (b.max > a.max ? b : a));
}

describe('aws-cdk-lib snapshot: Route 53 failover record (integ.failover-record)', () => {
  const fixture = 'route53-failover-record';
  const t = template(fixture, 'failover-record.template.json');

  test('one failover path, detection by the HTTP check and the record TTL read from the template', () => {
    // GIVEN: the pair's settings, as the snapshot writes them.
    const [primaryId] = ofType(t, 'AWS::Route53::RecordSet').filter((id) => t.Resources[id].Properties.Failover === 'PRIMARY');
    const primary = t.Resources[primaryId].Properties;
    const checkId: string = primary.HealthCheckId.Ref;
    const check = t.Resources[checkId].Properties.HealthCheckConfig;
    const interval: number = check.RequestInterval;
    const threshold: number = check.FailureThreshold;
    const ttl = Number(primary.TTL); // "60": the snapshot writes the TTL as text
    expect([check.Type, interval, threshold, ttl]).toEqual(['HTTP', 30, 3, 60]);

    // WHEN
    const a = analyse(files(fixture));

    // THEN: by hand, detection is (threshold - 1) intervals + 82 % of one at best, threshold
    // intervals + the 6 s HTTP probe timeout (4 s connect + 2 s response) at worst; then the
    // assumed 30 s to a new DNS answer, the TTL, and the clients' assumed 5 s cache.
    const detectBest = (threshold - 1) * interval + (1 - ROUTE53_HEALTHY_FRACTION) * interval;
    const detectWorst = threshold * interval + 4 + 2;
    const answer = RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds;
    const client = RecoveryAssumption.CLIENT_DNS_CACHE._defaultSeconds;
    // The same through the model functions DnsFailover uses.
    const terms = dnsFailover({
      detection: endpointDetection({ interval, failureThreshold: threshold, protocol: check.Type as ProbeProtocol }),
      ttl: { ttl, source: 'the record TTL', assumed: false, alias: false },
    });
    const model = totals(ofTerms(terms));
    expect([model.rtoMin, model.rtoMax]).toEqual([Math.round(detectBest * 10) / 10, detectWorst + answer + ttl + client]);

    expect(figures(a)).toEqual([{
      id: `failover-record#dns-failover-${primaryId}`,
      name: 'failover.cdk.dev (A)',
      rtoBest: model.rtoMin,
      rtoWorst: model.rtoMax,
      rpoWorst: undefined,
      dominant: largest(terms).id,
      dominantData: undefined,
      warnings: [],
    }]);
    // The detection (96 s) outweighs the 60 s TTL: the remedy names the health check to change.
    expect(largest(terms).id).toEqual('route53-health-check');
    expect(a.report.paths[0].totals.dominant?.remedy).toContain(`AWS::Route53::HealthCheck ${checkId}`);
    expect(a.notAnalysed).toEqual([]);
    expect(a.unread).toEqual([]);
  });

  test('the hosted zone is a resource of the same template: the pair is grouped by it', () => {
    // GIVEN: both records name their zone by a Ref to the AWS::Route53::HostedZone beside them.
    const records = ofType(t, 'AWS::Route53::RecordSet').map((id) => t.Resources[id].Properties.HostedZoneId);
    const [zone] = ofType(t, 'AWS::Route53::HostedZone');
    expect(records).toEqual([{ Ref: zone }, { Ref: zone }]);

    // WHEN
    const a = analyse(files(fixture));

    // THEN: one path, not two records "whose zone the template does not decide".
    expect(a.report.paths).toHaveLength(1);
    expect(a.notAnalysed).toEqual([]);
  });
});

describe('aws-cdk-lib snapshot: Route 53 health checks (integ.health-check)', () => {
  test('weighted pairs only: no failover path today, nothing reported as unread', () => {
    // GIVEN: six pairs of weighted record sets (100 with an HTTP, HTTPS, TCP, calculated, CloudWatch or ARC
    // health check, 0 without), none with Failover.
    const fixture = 'route53-health-check';
    const t = template(fixture, 'aws-cdk-route53-health-check.template.json');
    const records = ofType(t, 'AWS::Route53::RecordSet').map((id) => t.Resources[id].Properties);
    expect(records.map((r) => r.Weight).sort()).toEqual([0, 0, 0, 0, 0, 0, 100, 100, 100, 100, 100, 100]);
    expect(records.filter((r) => r.Failover !== undefined)).toEqual([]);

    // WHEN
    const a = analyse(files(fixture));

    // THEN: weighted records are not a family analysed yet, so there is no path; the report still renders.
    expect(a.report.paths).toEqual([]);
    expect(a.unread).toEqual([]);
    expect(a.notAnalysed).toEqual([]);
    expect(renderAnalysis(a).markdown).toContain('No recovery paths.');
  });
});

describe('aws-cdk-lib snapshot: S3 replication with and without RTC (integ.bucket-replication-time-control)', () => {
  test('one data path per enabled rule: RTC bounds it at 15 minutes, without RTC the s3ReplicationLag assumption', () => {
    // GIVEN: each source bucket's rules, as the snapshot writes them.
    const fixture = 's3-replication-time-control';
    const t = template(fixture, 'S3-RTC-TestStack.template.json');
    const expected = ofType(t, 'AWS::S3::Bucket')
      .filter((id) => t.Resources[id].Properties.ReplicationConfiguration !== undefined)
      .flatMap((id) => t.Resources[id].Properties.ReplicationConfiguration.Rules.map((rule: any, i: number) => {
        const rtc = rule.Destination.ReplicationTime?.Status === 'Enabled';
        const destination: string = rule.Destination.Bucket['Fn::GetAtt'][0];
        // RTC: the rule's time (15 minutes, the only one S3 accepts); otherwise the named assumption.
        const rpo = rtc ? rule.Destination.ReplicationTime.Time.Minutes * 60 : RecoveryAssumption.S3_REPLICATION_LAG._defaultSeconds;
        return {
          id: `S3-RTC-TestStack#s3-replication-${id}-${i}`,
          name: `${id} to the bucket ${destination}${rtc ? ' (RTC)' : ''}`,
          rtoBest: undefined,
          rtoWorst: undefined,
          rpoWorst: rpo,
          dominant: undefined,
          dominantData: rtc ? 's3-replication-rtc' : 's3-replication-lag',
          warnings: [],
        };
      }));
    expect(expected.map((e) => e.rpoWorst)).toEqual([RecoveryAssumption.S3_REPLICATION_LAG._defaultSeconds, S3_RTC_SECONDS]);

    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(figures(a)).toEqual(expected);
    expect(a.report.paths[0].totals.dominantData?.assumption).toBe(true);
    expect(a.report.paths[1].totals.dominantData?.assumption).toBe(false);
    expect(a.notAnalysed).toEqual([]);
  });
});

describe('aws-cdk-lib snapshot: DynamoDB global table with strong consistency (integ.table-v2-mrsc)', () => {
  const fixture = 'dynamodb-global-table-mrsc';
  const file = 'aws-cdk-global-table-mrsc.template.json';
  const t = template(fixture, file);
  const [tableId] = ofType(t, 'AWS::DynamoDB::GlobalTable');
  const table = t.Resources[tableId].Properties;

  test('MRSC loses no acknowledged write: every replica path has an RPO of 0', () => {
    // GIVEN
    expect(table.MultiRegionConsistency).toEqual('STRONG');
    const replicas: string[] = table.Replicas.map((r: any) => r.Region);

    // WHEN: the template alone, without its assembly's manifest, so the stack's region is unknown.
    const a = analyse(files(fixture));

    // THEN: one path per replica the analysis cannot tell apart from the stack's own region.
    expect(figures(a).map((p) => [p.name, p.rpoWorst, p.dominantData])).toEqual(
      replicas.map((r) => [`${table.TableName} to ${r} (MRSC)`, 0, 'dynamodb-mrsc']));
  });

  test('with the stack\'s region of the snapshot\'s manifest, one path to the other replica', () => {
    // GIVEN: the snapshot's manifest.json deploys this stack to aws://unknown-account/us-east-1.
    const region = 'us-east-1';
    const others = table.Replicas.map((r: any) => r.Region).filter((r: string) => r !== region);

    // WHEN
    const found = globalTablePaths({ name: 'aws-cdk-global-table-mrsc', file, region, template: t });

    // THEN
    expect(found.paths.map((p) => [p.name, p.estimate.rpoWorst?.toSeconds()])).toEqual(others.map((r: string) => [`${table.TableName} to ${r} (MRSC)`, 0]));
    expect(others).toEqual(['us-east-2']);
  });
});

describe('aws-cdk-lib snapshot: DynamoDB global table with eventual consistency (integ.global-table), read as an assembly', () => {
  test('the manifest gives the stack\'s region: one path per other replica, each losing up to the assumed lag', () => {
    // GIVEN: the snapshot directory, its manifest.json deploying the stack to us-east-1.
    const fixture = 'dynamodb-global-table-mrec';
    const dir = path.join(FIXTURES, fixture);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const stack = manifest.artifacts['aws-cdk-global-table'];
    const region = /[^/]+$/.exec(stack.environment)![0];
    const t = template(fixture, stack.properties.templateFile);
    const [tableId] = ofType(t, 'AWS::DynamoDB::GlobalTable');
    const table = t.Resources[tableId].Properties;
    expect([region, table.MultiRegionConsistency]).toEqual(['us-east-1', undefined]); // no consistency given: eventual (MREC)
    const others: string[] = table.Replicas.map((r: any) => r.Region).filter((r: string) => r !== region);

    // WHEN
    const a = analyse([dir]);

    // THEN: MREC loses what the replica had not received, the dynamoDbReplicationLag assumption's default.
    const lag = RecoveryAssumption.DYNAMODB_REPLICATION_LAG._defaultSeconds;
    expect(figures(a).map((p) => [p.id, p.name, p.rtoWorst, p.rpoWorst, p.dominantData])).toEqual(others.map((r) => [
      `aws-cdk-global-table#global-table-${tableId}-${r}`, `${table.TableName} to ${r} (MREC)`, undefined, lag, 'dynamodb-replication-lag',
    ]));
    expect(others).toEqual(['us-east-2', 'us-west-2']);
    // The integ test's assertion stack is named by the manifest but not kept with the fixture: listed, not fatal.
    const assertStack = manifest.artifacts.awscdkglobaltableintegDefaultTestDeployAssertA2A9E81F.properties.templateFile;
    expect(a.unread).toEqual([{ file: path.join(dir, assertStack), reason: 'no such file' }]);
  });
});

describe('families not analysed yet: the analysis runs, renders a report and finds no path', () => {
  test.each([
    // AWS Backup plans with a copy action to a second vault (issue 15: Backup analyser).
    ['backup-plan-copy-actions', ['AWS::Backup::BackupPlan', 'AWS::Backup::BackupPlan']],
    // A Global Accelerator listener with one endpoint group, an internal ALB as its endpoint (GA analyser).
    ['globalaccelerator-endpoints', ['AWS::GlobalAccelerator::Listener', 'AWS::GlobalAccelerator::EndpointGroup', 'AWS::ElasticLoadBalancingV2::LoadBalancer']],
    // An Aurora MySQL cluster with its writer only, and a second cluster replicating from it by binlog (Aurora analyser).
    ['aurora-cluster-replication', ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance']],
  ])('%s', (fixture, types) => {
    // GIVEN: the resources the future analyser will read are there.
    const t = template(fixture, files(fixture).map((f) => path.basename(f))[0]);
    expect(Object.values(t.Resources).map((r) => r.Type).filter((type) => types.includes(type))).toEqual(types);

    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(a.report.paths).toEqual([]);
    expect(a.unread).toEqual([]);
    expect(a.notAnalysed).toEqual([]);
    expect(renderAnalysis(a).markdown).toContain('No recovery paths.');
  });

  test.each([
    // RDS MySQL instance (Multi-AZ a parameter, default "false") with a conditional read replica.
    ['rds-mysql-read-replica', 'RDS_MySQL_With_Read_Replica.yaml'],
    // Aurora PostgreSQL global database: cluster, global cluster and instances behind conditions and parameters without defaults.
    ['aurora-global-database', 'stack-db.yml'],
  ])('%s (YAML): listed as unread until the YAML reader lands, never a crash', (fixture, file) => {
    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(a.report.paths).toEqual([]);
    expect(a.unread).toEqual([{ file: path.join(FIXTURES, fixture, file), reason: expect.stringMatching(/^not JSON/) }]);
    expect(renderAnalysis(a).markdown).toContain(`${file}: not JSON`);
  });
});

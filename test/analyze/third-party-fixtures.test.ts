/**
 * The analysis of templates written by others: aws-cdk-lib's own integration-test snapshots and
 * public AWS samples, kept byte for byte under fixtures/ (sources, commits and licences in
 * fixtures/SOURCES.md). Every figure is derived here from the fixture's own settings, read from
 * its JSON, through the model functions the library's constructs use.
 */
import * as fs from 'fs';
import * as path from 'path';
import { files, figures, FIXTURES, largest, ofType, template } from './third-party';
import { analyse } from '../../src/analyze/private/analysis';
import { globalTablePaths } from '../../src/analyze/private/data-replication';
import { multiSitePaths } from '../../src/analyze/private/route53-multi-site';
import { RecoveryAssumption } from '../../src/objectives/assumptions';
import { alarmDetection, slowestAlarm } from '../../src/objectives/model/alarms';
import { routingControlDetection } from '../../src/objectives/model/arc';
import { ofTerms, totals } from '../../src/objectives/model/compose';
import { dnsFailover } from '../../src/objectives/model/dns';
import { regionLoss } from '../../src/objectives/model/multi-site';
import { calculatedDetection, endpointDetection, ProbeProtocol, ROUTE53_HEALTHY_FRACTION } from '../../src/objectives/model/route53';
import { S3_RTC_SECONDS } from '../../src/objectives/model/s3-replication';
import { Term } from '../../src/objectives/model/term';

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

describe('aws-cdk-lib snapshot: Route 53 health checks behind weighted records (integ.health-check)', () => {
  const fixture = 'route53-health-check';
  const t = template(fixture, 'aws-cdk-route53-health-check.template.json');
  const records = ofType(t, 'AWS::Route53::RecordSet').map((id) => ({ id, ...t.Resources[id].Properties }));

  /** A health check's detection terms, from its settings in the fixture, through the model functions of the library's checks. */
  function detectionOf(checkId: string): Term[] {
    const c = t.Resources[checkId].Properties.HealthCheckConfig;
    switch (c.Type) {
      case 'CALCULATED': // unhealthy once (children - HealthThreshold + 1) children fail
        return [calculatedDetection(c.ChildHealthChecks.map((child: any) => detectionOf(child.Ref)[0]), c.HealthThreshold)];
      case 'CLOUDWATCH_METRIC': { // the alarm's own breaching periods, as AlarmHealthCheck models them
        const alarm = t.Resources[c.AlarmIdentifier.Name.Ref].Properties;
        return [alarmDetection({ period: alarm.Period, evaluationPeriods: alarm.EvaluationPeriods })];
      }
      case 'RECOVERY_CONTROL': // nothing detects: an operator decides, then flips the control
        return routingControlDetection();
      default:
        return [endpointDetection({ interval: c.RequestInterval, failureThreshold: c.FailureThreshold, protocol: c.Type as ProbeProtocol })];
    }
  }

  test('one path per record with a health check: its detection, then the 1800 s TTL, which dominates every one', () => {
    // GIVEN: six pairs of weighted record sets, 100 with a health check of each type and 0 without, none with Failover.
    const weighted = records.filter((r) => r.Weight === 100);
    expect(weighted.map((r) => t.Resources[r.HealthCheckId.Ref].Properties.HealthCheckConfig.Type))
      .toEqual(['HTTP', 'HTTPS', 'TCP', 'CALCULATED', 'CLOUDWATCH_METRIC', 'RECOVERY_CONTROL']);
    expect(records.filter((r) => r.Weight === 0 && r.HealthCheckId === undefined)).toHaveLength(6);
    expect(records.filter((r) => r.Failover !== undefined)).toEqual([]);

    // WHEN
    const a = analyse(files(fixture));

    // THEN: losing the weighted 100 site: its detection, the automatic decision, the assumed delay to a new DNS answer, the
    // record TTL and the clients' cache, as MultiSiteRecords composes them.
    const expected = weighted.map((r) => {
      const detection = detectionOf(r.HealthCheckId.Ref);
      const ttl = Number(r.TTL); // "1800": written as text
      const loss = regionLoss({ region: r.SetIdentifier, detection: detection[0], ttl: { ttl, source: 'the record TTL', assumed: false, alias: false } });
      const terms = [...detection, ...loss.slice(1)];
      const model = totals(ofTerms(terms));
      return {
        name: `${r.Name.replace(/\.$/, '')} (A): losing ${r.SetIdentifier}`,
        rtoBest: model.rtoMin,
        rtoWorst: model.rtoMax,
        rpoWorst: undefined,
        dominant: largest(terms).id,
        warnings: [`Remaining capacity unchecked: losing ${r.SetIdentifier} sends all the traffic by weight to `
          + `${records.find((o) => o.Name === r.Name && o.Weight === 0)!.SetIdentifier} 100%; the template does not say what each site can carry. `
          + 'cdk-failover\'s MultiSiteRecords checks it against `peakLoad` and each region\'s `capacity`.'],
      };
    });
    expect(figures(a).map(({ name, rtoBest, rtoWorst, rpoWorst, dominant, warnings }) => ({ name, rtoBest, rtoWorst, rpoWorst, dominant, warnings })))
      .toEqual(expected);
    expect(expected.map((e) => e.dominant)).toEqual(Array(6).fill('resolver-cache'));

    // By hand for the alarm: 10 breaching periods of 60 s, so (10 - 1) x 60 at best; (10 + 1) x 60 + the assumed delay for the
    // alarm to reach Route 53 at worst; then 30 s to a new answer, the 1800 s TTL and 5 s of client cache. An endpoint check
    // (30 s x 10 at the slowest Route 53 allows, 310 s) would understate it.
    const answer = RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds;
    const client = RecoveryAssumption.CLIENT_DNS_CACHE._defaultSeconds;
    const alarmDelay = RecoveryAssumption.ALARM_TO_HEALTH_STATUS._defaultSeconds;
    expect([expected[4].rtoBest, expected[4].rtoWorst]).toEqual([9 * 60, 11 * 60 + alarmDelay + answer + 1800 + client]);
    // The routing control: nothing is timed at best; the assumed operator response and flip at worst.
    const operator = RecoveryAssumption.OPERATOR_RESPONSE._defaultSeconds;
    const flip = RecoveryAssumption.ROUTING_CONTROL_TO_HEALTH_STATUS._defaultSeconds;
    expect([expected[5].rtoBest, expected[5].rtoWorst]).toEqual([0, operator + flip + answer + 1800 + client]);
    // The calculated check needs both children (HTTP, HTTPS: the same figures) to fail: the HTTP pair's figures.
    expect([expected[3].rtoBest, expected[3].rtoWorst]).toEqual([expected[0].rtoBest, expected[0].rtoWorst]);
  });

  test('each record of weight 0 has no health check: not analysed, and the report says what to add', () => {
    // WHEN
    const a = analyse(files(fixture));

    // THEN
    expect(a.notAnalysed.map((n) => [n.logicalId, n.reason.split(':')[0]])).toEqual(records.filter((r) => r.Weight === 0).map((r) => [
      r.id, `the weighted record ${r.SetIdentifier} of ${r.Name.replace(/\.$/, '')} has no health check and does not evaluate its alias target's health`,
    ]));
    expect(a.unread).toEqual([]);
  });

  test('the same check without its alarm in the template: the slowest alarm CloudWatch allows, and a warning', () => {
    // GIVEN: the fixture with its AWS::CloudWatch::Alarm removed (as when the alarm is in another stack).
    const [alarmId] = ofType(t, 'AWS::CloudWatch::Alarm');
    const { [alarmId]: removed, ...rest } = t.Resources;
    const record = records.find((r) => t.Resources[r.HealthCheckId?.Ref]?.Properties.HealthCheckConfig.Type === 'CLOUDWATCH_METRIC')!;
    expect(removed.Type).toEqual('AWS::CloudWatch::Alarm');

    // WHEN
    const found = multiSitePaths({ name: 'stack', file: 'stack.template.json', template: { Resources: rest } });

    // THEN: neither period nor evaluation periods known: one period of 7 days, the longest an alarm may look back.
    const slowest = slowestAlarm(undefined, undefined);
    expect([slowest.period, slowest.evaluationPeriods]).toEqual([7 * 86400, 1]);
    const detection = alarmDetection({ period: slowest.period, evaluationPeriods: slowest.evaluationPeriods });
    const lost = found.paths.find((p) => p.name.endsWith(record.SetIdentifier))!;
    expect([lost.estimate.rtoWorst?.toSeconds(), lost.warnings[0]]).toEqual([
      detection.max + RecoveryAssumption.HEALTH_TO_DNS_ANSWER._defaultSeconds + Number(record.TTL)
        + RecoveryAssumption.CLIENT_DNS_CACHE._defaultSeconds,
      `the alarm of the health check ${record.HealthCheckId.Ref} is not in this template (Ref to ${alarmId}, which the template does not define): `
        + 'modeled at the slowest CloudWatch allows (1 x 604800 s).',
    ]);
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

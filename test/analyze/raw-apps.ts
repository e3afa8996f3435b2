/**
 * Resources written with raw aws-cdk-lib, as a team writes them without cdk-failover, shared by
 * the analysis tests.
 */
import { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** A raw aws-cdk-lib failover pair: an L2 health check and two L1 record sets, as a team writes them without cdk-failover. */
export function rawPair(scope: Construct, options: { interval: number; threshold: number; ttl: string }): void {
  const check = new route53.HealthCheck(scope, 'PrimaryCheck', {
    type: route53.HealthCheckType.HTTPS,
    fqdn: 'us-east-1.app.example.com',
    resourcePath: '/health',
    requestInterval: Duration.seconds(options.interval),
    failureThreshold: options.threshold,
  });
  failoverRecords(scope, check.healthCheckId, options.ttl);
}

/** The PRIMARY and SECONDARY L1 record sets of app.example.com in the zone Z123, the PRIMARY gated by the health check given. */
export function failoverRecords(scope: Construct, healthCheckId: string, ttl = '60'): void {
  for (const [id, failover, ip] of [['Primary', 'PRIMARY', '192.0.2.1'], ['Secondary', 'SECONDARY', '192.0.2.2']]) {
    new route53.CfnRecordSet(scope, id, {
      hostedZoneId: 'Z123',
      name: 'app.example.com',
      type: 'A',
      ttl,
      resourceRecords: [ip],
      setIdentifier: id.toLowerCase(),
      failover,
      healthCheckId: failover === 'PRIMARY' ? healthCheckId : undefined,
    });
  }
}

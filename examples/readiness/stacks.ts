// An app written with plain aws-cdk-lib, as a team writes it without cdk-failover: a failover
// pair with a health check at aws-cdk-lib's defaults, an S3 bucket replicated to another Region,
// a DynamoDB global table and an Aurora cluster with one instance. Nothing here imports
// cdk-failover: app.ts adds the analysis with one aspect.
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';

const ACCOUNT = '111111111111';
const PRIMARY = 'us-east-1';
const SECONDARY = 'us-west-2';

export function buildReadinessExample(app: App): { dns: Stack; data: Stack } {
  // DNS: the primary's health check and the failover records, with aws-cdk-lib's defaults.
  const dns = new Stack(app, 'ShopDns', { env: { account: ACCOUNT, region: PRIMARY } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(dns, 'Zone', { hostedZoneId: 'Z0000000000EXAMPLE', zoneName: 'example.com' });
  const check = new route53.HealthCheck(dns, 'PrimaryCheck', {
    type: route53.HealthCheckType.HTTPS,
    fqdn: `${PRIMARY}.shop.example.com`,
    resourcePath: '/health',
  });
  new route53.CnameRecord(dns, 'Primary', {
    zone,
    recordName: 'shop',
    domainName: `${PRIMARY}.shop.example.com`,
    setIdentifier: 'primary',
    failover: route53.Failover.PRIMARY,
    healthCheck: check,
  });
  new route53.CnameRecord(dns, 'Secondary', {
    zone,
    recordName: 'shop',
    domainName: `${SECONDARY}.shop.example.com`,
    setIdentifier: 'secondary',
    failover: route53.Failover.SECONDARY,
  });

  // Data: replicated, global, and a database in the primary Region.
  const data = new Stack(app, 'ShopData', { env: { account: ACCOUNT, region: PRIMARY } });
  const replica = s3.Bucket.fromBucketAttributes(data, 'Replica', { bucketName: 'shop-orders-replica', region: SECONDARY });
  const orders = new s3.Bucket(data, 'Orders', {
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.RETAIN,
    replicationRules: [{ destination: replica, priority: 1 }],
  });
  new dynamodb.TableV2(data, 'Carts', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    replicas: [{ region: SECONDARY }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const vpc = new ec2.Vpc(data, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const accounts = new rds.DatabaseCluster(data, 'Accounts', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE) }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    storageEncrypted: true,
    iamAuthentication: true,
    deletionProtection: true,
    backup: { retention: Duration.days(7) },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // The example's cdk-nag findings that are not about failover, acknowledged as a team would.
  NagSuppressions.addResourceSuppressions(orders, [
    { id: 'AwsSolutions-S1', reason: 'The example keeps one bucket; access logs would need a second, outside what the analysis shows.' },
    { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib\'s replication role: S3 replication reads and writes every object key of the two buckets.' },
  ], true);
  NagSuppressions.addResourceSuppressions(vpc, [{ id: 'AwsSolutions-VPC7', reason: 'An isolated VPC for the example database, with no traffic to log.' }]);
  NagSuppressions.addResourceSuppressions(accounts, [
    { id: 'AwsSolutions-SMG4', reason: 'Rotation needs a rotation function and network path the example does not deploy.' },
  ], true);
  return { dns, data };
}

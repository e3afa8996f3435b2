// In your own app, import from 'cdk-failover'.
import { App, Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  DisasterRecovery, IRegionalWorkload, MultiAzDatabase, MultiAzService, ObjectiveEnforcement, RecoveryObjectives, RecoveryStrategy,
  RegionalWorkloadParts, RegionalWorkloadContext, ServiceTargets,
} from '../../src';
import { accessLogsBucket, alarmTopic, regionalVpc } from '../regional-base';

/**
 * The workload, described once: a Fargate web service behind an ALB in three zones, and the
 * Aurora PostgreSQL database the strategy chose for the Region. Each strategy builds it in each
 * of its Regions.
 */
export class WebWorkload implements IRegionalWorkload {
  public buildRegion(scope: Construct, props: RegionalWorkloadContext): RegionalWorkloadParts {
    const zones = ['a', 'b', 'c'].map((s) => `${props.region}${s}`);
    const vpc = regionalVpc(scope, props.region === 'us-east-1' ? '10.60.0.0/16' : '10.61.0.0/16', true, zones);
    const topic = alarmTopic(scope);
    const certificate = new acm.Certificate(scope, 'Certificate', {
      domainName: `${props.region}.${props.recordName}.${props.zone.zoneName}`,
      subjectAlternativeNames: [`${props.recordName}.${props.zone.zoneName}`],
      validation: acm.CertificateValidation.fromDns(props.zone),
    });
    const cluster = new ecs.Cluster(scope, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const service = new MultiAzService(scope, 'Web', {
      vpc,
      peakCapacity: props.peakCapacity,
      targets: ServiceTargets.fargate({
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
        cluster,
        cpu: 512,
        memoryLimitMiB: 1024,
      }),
      healthCheck: { path: '/health' },
      certificate,
      zone: props.zone,
      recordName: props.recordName,
      alarmTopic: topic,
      accessLogsBucket: accessLogsBucket(scope),
    });
    const database = props.databaseTopology && new MultiAzDatabase(scope, 'Orders', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      topology: props.databaseTopology,
      alarmTopic: topic,
    });
    database?.connections.allowDefaultPortFrom(service.fargateService!, 'the web tasks');
    acknowledge(service, database);
    return { service, database };
  }
}

function acknowledge(service: MultiAzService, database?: MultiAzDatabase): void {
  NagSuppressions.addResourceSuppressions(service.fargateService!.taskDefinition, [
    { id: 'AwsSolutions-ECS2', reason: 'No variable is a secret: the image reads none.' },
  ], true);
  NagSuppressions.addResourceSuppressions(service.loadBalancer, [
    { id: 'AwsSolutions-EC23', reason: 'A public web service: its load balancer accepts HTTP and HTTPS from anywhere (HTTP only redirects).' },
  ], true);
  const secret = database?.cluster?.node.tryFindChild('Secret');
  if (secret) {
    NagSuppressions.addResourceSuppressions(secret, [
      { id: 'AwsSolutions-SMG4', reason: 'Break-glass credentials of the global cluster (RDS cannot manage them for a global database), replicated to the recovery Region; clients use IAM authentication.' },
    ], true);
  }
}

/** The objectives every candidate is compared against: misses are shown, not enforced, so that all five synthesize. */
const OBJECTIVES = { rto: Duration.minutes(30), rpo: Duration.minutes(5), enforcement: ObjectiveEnforcement.WARN };

/** The five candidates for one workload: a Fargate service of 4 tasks at peak and an Aurora database. */
export function buildStrategiesExample(app: App): DisasterRecovery[] {
  const get = (key: string, fallback: string) => (app.node.tryGetContext(key) as string | undefined) ?? fallback;
  const objectives = new RecoveryObjectives(app, 'Objectives', OBJECTIVES);
  const candidates: Array<[string, RecoveryStrategy]> = [
    ['BackupRestore', RecoveryStrategy.backupAndRestore()],
    ['PilotLight', RecoveryStrategy.pilotLight()],
    ['WarmStandby', RecoveryStrategy.warmStandby({ standbyCapacity: 2 })],
    ['HotStandby', RecoveryStrategy.hotStandby()],
    ['ActiveActive', RecoveryStrategy.activeActive()],
  ];
  return candidates.map(([id, strategy]) => new DisasterRecovery(objectives, id, {
    appName: `orders-${id.toLowerCase()}`,
    strategy,
    workload: new WebWorkload(),
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    account: get('account', '111111111111'),
    peakCapacity: 4,
    database: {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      readers: 1,
    },
    hostedZoneId: get('zoneId', 'Z0000000000EXAMPLE'),
    zoneName: get('zoneName', 'example.com'),
    recordName: `${id.toLowerCase()}`,
    healthCheckPath: '/health',
    pricing: { replicatedGbPerMonth: 50 },
  }));
}


import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import {
  DisasterRecoveryProps, IRegionalWorkload, MultiAzDatabase, MultiAzService, RecoveryStrategy, RegionalWorkloadParts, RegionalWorkloadContext,
  ServiceTargets,
} from '../../src';

/** A Fargate web service and, when the strategy gives a topology, its Aurora database. */
export class TestWorkload implements IRegionalWorkload {
  /** What each call was given, by Region. */
  public readonly calls: { [region: string]: RegionalWorkloadContext } = {};

  constructor(private readonly options: { cpu?: number; memoryLimitMiB?: number } = {}) {}

  public buildRegion(scope: Construct, props: RegionalWorkloadContext): RegionalWorkloadParts {
    this.calls[props.region] = props;
    const vpc = new ec2.Vpc(scope, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      availabilityZones: ['a', 'b', 'c'].map((s) => `${props.region}${s}`),
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const cluster = new ecs.Cluster(scope, 'Cluster', { vpc });
    const service = new MultiAzService(scope, 'Web', {
      vpc,
      peakCapacity: props.peakCapacity,
      targets: ServiceTargets.fargate({
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
        cluster,
        cpu: this.options.cpu,
        memoryLimitMiB: this.options.memoryLimitMiB,
      }),
      zone: props.zone,
      recordName: props.recordName,
    });
    const database = props.databaseTopology && new MultiAzDatabase(scope, 'Db', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      topology: props.databaseTopology,
    });
    database?.connections.allowDefaultPortFrom(service.fargateService!);
    return { service, database };
  }
}

export const ENGINE = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });

/** The props of a strategy for the test workload. */
export function strategyProps(strategy: RecoveryStrategy, overrides: Partial<DisasterRecoveryProps> = {}): DisasterRecoveryProps {
  return {
    appName: 'orders',
    strategy,
    workload: new TestWorkload(),
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    account: '111111111111',
    peakCapacity: 4,
    database: { engine: ENGINE, maxLag: strategy.kind === 'backup and restore' ? undefined : Duration.minutes(1) },
    hostedZoneId: 'Z0000000000EXAMPLE',
    zoneName: 'example.com',
    recordName: 'app',
    ...overrides,
  };
}

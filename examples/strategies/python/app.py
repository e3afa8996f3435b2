#!/usr/bin/env python3
"""The strategies example in Python: the same workload, described once, and the five strategies.

Written against the Python bindings that jsii-pacmak generates for cdk-failover
(`pip install cdk-failover`); CI compiles it and checks the cdk-failover classes, members and
keywords it uses, the required parameters, and the workload's method, against the generated module
(.ci/check-python-example.py); aws-cdk-lib's own Python package is not installed there.
"""
import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_rds as rds
from constructs import Construct
import jsii

import cdk_failover as failover


@jsii.implements(failover.IRegionalWorkload)
class WebWorkload:
    """A Fargate web service behind an ALB in three zones, and the database the strategy chose."""

    def build_region(self, scope: Construct, context: failover.RegionalWorkloadContext) -> failover.RegionalWorkloadParts:
        zones = [f"{context.region}{suffix}" for suffix in ("a", "b", "c")]
        vpc = ec2.Vpc(
            scope,
            "Vpc",
            availability_zones=zones,
            nat_gateways=3,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC),
                ec2.SubnetConfiguration(name="app", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
                ec2.SubnetConfiguration(name="data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ],
        )
        cluster = ecs.Cluster(scope, "Cluster", vpc=vpc)
        service = failover.MultiAzService(
            scope,
            "Web",
            vpc=vpc,
            peak_capacity=context.peak_capacity,
            targets=failover.ServiceTargets.fargate(
                image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:stable"),
                cluster=cluster,
                cpu=512,
                memory_limit_mib=1024,
            ),
            health_check=failover.ServiceHealthCheck(path="/health"),
            zone=context.zone,
            record_name=context.record_name,
        )
        database = None
        if context.database_topology is not None:
            database = failover.MultiAzDatabase(
                scope,
                "Orders",
                vpc=vpc,
                vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
                topology=context.database_topology,
            )
            database.connections.allow_default_port_from(service.fargate_service, "the web tasks")
        return failover.RegionalWorkloadParts(service=service, database=database)


app = cdk.App()
objectives = failover.RecoveryObjectives(
    app,
    "Objectives",
    rto=cdk.Duration.minutes(30),
    rpo=cdk.Duration.minutes(5),
    enforcement=failover.ObjectiveEnforcement.WARN,
)
candidates = [
    ("BackupRestore", failover.RecoveryStrategy.backup_and_restore()),
    ("PilotLight", failover.RecoveryStrategy.pilot_light()),
    ("WarmStandby", failover.RecoveryStrategy.warm_standby(standby_capacity=2)),
    ("HotStandby", failover.RecoveryStrategy.hot_standby()),
    ("ActiveActive", failover.RecoveryStrategy.active_active(routing=failover.MultiSiteRouting.latency())),
]
for name, strategy in candidates:
    failover.DisasterRecovery(
        objectives,
        name,
        app_name=f"orders-{name.lower()}",
        strategy=strategy,
        workload=WebWorkload(),
        primary_region="us-east-1",
        recovery_region="us-west-2",
        account="111111111111",
        peak_capacity=4,
        database=failover.StrategyDatabaseOptions(
            engine=rds.DatabaseClusterEngine.aurora_postgres(version=rds.AuroraPostgresEngineVersion.VER_16_4),
            readers=1,
        ),
        hosted_zone_id="Z0000000000EXAMPLE",
        zone_name="example.com",
        record_name=name.lower(),
        health_check_path="/health",
        pricing=failover.StandbyPricing(replicated_gb_per_month=50),
    )
app.synth()

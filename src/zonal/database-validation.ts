import { RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { gib, lagThreshold } from './database-alarms';
import { MultiAzDatabaseProps } from './database-options';
import { TopologySpec } from './topology-strategy';
import { RecoveryAssumption } from '../objectives/assumptions';
import { Warning } from '../private/alarm-topic';
import { checkAssumptions } from '../private/assumptions';
import { Problems } from '../private/errors';
import { checkSameRegion } from '../private/region';
import { selectSubnets } from '../private/subnets';
import { checkDuration, checkInteger, checkSize, show, unresolved } from '../private/validate';


/**
 * Every check of the props, before any child exists, reported together; returns the distinct zones when
 * known. Warnings go to `warnings`.
 */
export function validateDatabase(database: Construct, p: MultiAzDatabaseProps, subnets: ec2.SubnetSelection, warnings: Warning[]): string[] {
  const spec = p.topology._spec;
  const problems = new Problems(database);
  const zones = validateNetwork(problems, p.vpc, subnets, p.vpcSubnets === undefined, spec, warnings);
  spec.validate(problems, database);
  validateDatabaseProps(problems, p, spec);
  validateAlarms(problems, p, spec);
  checkSameRegion(problems, database, 'alarmTopic', p.alarmTopic,
    'RDS events and CloudWatch alarms publish only to a topic in their own region: use a topic of this region.', true);
  checkAssumptions(problems, p.assumptions, [RecoveryAssumption.ENDPOINT_DNS_TTL, RecoveryAssumption.CLIENT_DNS_CACHE, ...spec.assumptions ?? []]);
  problems.throwIfAny();
  return zones;
}

function validateNetwork(problems: Problems, vpc: ec2.IVpc, subnets: ec2.SubnetSelection, defaulted: boolean, spec: TopologySpec,
  warnings: Warning[]): string[] {
  const required = spec.minZones;
  const what = spec.zoneRequirement;
  const selected = selectSubnets(problems, 'vpcSubnets', vpc, subnets, defaulted,
    { kind: 'private or isolated subnets', why: 'A database belongs in private or isolated subnets' });
  if (!selected) {
    return [];
  }
  const zones = [...new Set(selected.availabilityZones)];
  const count = selected.subnets.length;
  if (zones.some((z) => unresolved(z))) {
    if (count < required) {
      problems.add(`\`vpcSubnets\` selects ${count} subnet(s), so at most ${count} Availability Zone(s), but ${what}. `
        + `Select subnets in at least ${required} zones; an environment-agnostic stack gets only 2 zones, so give the stack an \`env\` (account and region).`);
    } else {
      warnings.push({
        id: 'cdk-failover:az-count-unknown',
        message: 'The Availability Zones of the selected subnets are only known at deploy time (environment-agnostic stack or imported VPC), '
          + `so it cannot be checked that they span at least ${required} zones, which ${what}. `
          + 'Give the stack an `env` (account and region), or import the VPC with literal zones.',
      });
    }
    return [];
  }
  if (zones.length < required) {
    problems.add(`\`vpcSubnets\` spans ${zones.length} Availability Zone(s) (${zones.join(', ') || 'none'}), but ${what}. `
      + `Select subnets in at least ${required} zones (a VPC with maxAzs: ${required} or more).`);
  }
  return zones;
}

function validateDatabaseProps(problems: Problems, p: MultiAzDatabaseProps, spec: TopologySpec): void {
  const type = spec.engineType;
  checkInteger(problems, 'port', p.port, 1150, 65535, 'RDS accepts ports from 1150 to 65535.');
  const retention = p.backupRetention;
  if (retention?.isUnresolved() && !converts(() => retention.toDays())) {
    problems.add('`backupRetention` is only known at deploy time, so it must be given in days: Duration.days(parameter.valueAsNumber).');
  }
  checkDuration(problems, 'backupRetention', retention, {
    unit: 'days',
    min: 1,
    max: 35,
    fix: 'Backups are what point-in-time recovery restores from after a mistake that failover copies to every zone; give e.g. Duration.days(7).',
  });
  if (p.removalPolicy === RemovalPolicy.DESTROY && p.deletionProtection !== false) {
    problems.add('`removalPolicy` is DESTROY but `deletionProtection` is on: CloudFormation cannot delete a protected database, so deleting the '
      + 'stack would fail. Set `deletionProtection: false` as well, or keep RemovalPolicy.SNAPSHOT.');
  }
  const name = p.databaseName;
  if (name !== undefined && !unresolved(name)) {
    if (type.startsWith('sqlserver')) {
      problems.add(`\`databaseName\` is not supported by SQL Server, got: ${show(name)}. Remove it and create the database after deployment.`);
    } else {
      const max = type.startsWith('oracle') ? 8 : 63;
      const pattern = type.startsWith('oracle') ? /^[A-Za-z][A-Za-z0-9]*$/ : /^[A-Za-z][A-Za-z0-9_]*$/;
      if (name.length > max || !pattern.test(name)) {
        problems.add(`\`databaseName\` must start with a letter and hold up to ${max} letters, digits${type.startsWith('oracle') ? '' : ' or underscores'}, got: ${show(name)}.`);
      }
    }
  }
  if (p.proxy && spec.engineFamily === undefined) {
    problems.add(`\`proxy\` is not available for ${type}: RDS Proxy supports MySQL, MariaDB, PostgreSQL and SQL Server (and Aurora). Remove \`proxy\`.`);
  }
}

function validateAlarms(problems: Problems, p: MultiAzDatabaseProps, spec: TopologySpec): void {
  const a = p.alarms ?? {};
  const cpu = a.cpuUtilizationPercent;
  if (cpu !== undefined && !unresolved(cpu) && !(cpu >= 1 && cpu <= 100)) {
    problems.add(`\`alarms.cpuUtilizationPercent\` must be a number from 1 to 100, got: ${show(cpu)}.`);
  }
  checkInteger(problems, 'alarms.maxConnections', a.maxConnections, 1, 1_000_000, 'Give the connection count that should page you, below max_connections.');
  const free = a.freeStorageSpace;
  if (free !== undefined && 'problem' in spec.storage) {
    problems.add(spec.storage.problem);
  } else if (free?.isUnresolved()) {
    if (!converts(() => free.toBytes())) {
      problems.add('`alarms.freeStorageSpace` is only known at deploy time, so it must be given in bytes: Size.bytes(parameter.valueAsNumber).');
    }
  } else if (free !== undefined) {
    const bytes = checkSize(problems, 'alarms.freeStorageSpace', free, { aboveMin: true, fix: 'Give the free space that should page you, e.g. Size.gibibytes(2).' });
    const storage = 'allocatedGib' in spec.storage ? spec.storage.allocatedGib : undefined;
    if (bytes !== undefined && storage !== undefined && !unresolved(storage) && bytes >= Size.gibibytes(storage).toBytes()) {
      problems.add(`\`alarms.freeStorageSpace\` must be above 0 and below the allocated storage (${storage} GiB), got: ${gib(free)} GiB.`);
    }
  }
  const lag = a.replicaLag;
  if (lag === undefined) {
    return;
  }
  const metric = spec.replicaLag;
  if ('problem' in metric) {
    problems.add(metric.problem);
  } else if (lag.isUnresolved()) {
    if (!converts(() => lagThreshold(lag, metric))) {
      problems.add(`\`alarms.replicaLag\` is only known at deploy time, so it must be given in the unit of the metric: ${metric.unit === 'ms'
        ? 'Duration.millis' : 'Duration.seconds'}(parameter.valueAsNumber) for ${metric.metricName}.`);
    }
  } else {
    checkDuration(problems, 'alarms.replicaLag', lag, { aboveMin: true, fix: `The ${metric.metricName} alarm fires above it; give e.g. Duration.seconds(30).` });
  }
}

/** False when aws-cdk-lib cannot convert a deploy-time value to the unit needed. */
function converts(conversion: () => unknown): boolean {
  try {
    conversion();
    return true;
  } catch {
    return false;
  }
}

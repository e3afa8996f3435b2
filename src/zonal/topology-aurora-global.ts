import { RemovalPolicy, SecretValue, Stack, Stage, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AuroraTopology, boundCluster, createAuroraCluster } from './topology-aurora';
import { BoundDatabase, DatabaseBindContext } from './topology-strategy';
import { Problems } from '../private/errors';
import { deployAfter, warnUnlessFound } from '../private/stage';
import { AuroraGlobalPrimaryOptions, AuroraGlobalSecondaryOptions } from '../replication/aurora-global';
import {
  checkGlobalClusterIdentifier, checkGlobalEngine, checkHeadless, checkLagThreshold, checkManagedRpo, checkPrimaryRegion, checkSecretReplicaRegions,
  checkSameEngineAsPrimary, checkSecretInRegion, checkStorageKey,
} from '../replication/private/aurora-global-checks';
import { createGlobalLagAlarm, findGlobalCluster, GLOBAL_PATH_ASSUMPTIONS, globalPaths, primaryManagedRpo, recordPrimary } from '../replication/private/aurora-global-paths';

/** The parameter of the managed RPO (docs/aws-facts.md#rds-and-aurora). */
const MANAGED_RPO_PARAMETER = 'rds.global_db_rpo';

/** The master secret's name: the secondaries find its replica in their region by it. */
export function masterSecretName(globalClusterIdentifier: string): string {
  return `${globalClusterIdentifier}/master`;
}

/**
 * `cdk deploy --all` must create the global database before a secondary joins it: when the
 * primary is already declared in the same stage, its stack goes first. An ordering only, no
 * reference: the stacks share nothing but the name.
 */
function deployAfterPrimary(scope: Construct, id: string): void {
  const global = findGlobalCluster(scope, id);
  const [here, there] = [Stack.of(scope), global && Stack.of(global)];
  if (there !== undefined && there !== here && Stage.of(there) === Stage.of(here)) {
    deployAfter(scope, here, there, `the secondary joins the global database ${id}, which the primary's stack creates`,
      'Remove the dependency of the primary\'s stack on this one (for two-way S3 replication, name the buckets so that the primary region\'s sorts first).');
  }
}

/**
 * The secondary joins by name: a name no primary of the app carries is said once the app is
 * built (a typo fails the deploy; a primary of another app is fine, and the warning can be
 * acknowledged, but its engine, secret regions and managed RPO cannot be checked).
 */
function warnWithoutPrimary(scope: Construct, id: string): void {
  warnUnlessFound(scope, 'cdk-failover:global-primary-not-in-app', () => Token.isUnresolved(id) || findGlobalCluster(scope, id) !== undefined, () =>
    `\`topology.globalClusterIdentifier\` is ${id}, but no auroraGlobalPrimary() of that name is in this app: the secondary fails to deploy unless the global cluster exists. `
    + 'Check the name, or deploy the primary from its own app first (its engine, secret regions and managed RPO cannot be checked from here).');
}

/** Each cluster of a global database encrypts with a key of its own region. */
function storageKey(scope: Construct, given: kms.IKey | undefined, what: string): kms.IKey {
  return given ?? new kms.Key(scope, 'StorageKey', {
    description: `Encrypts the storage of ${what} ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * The primary cluster of an Aurora global database: an Aurora cluster (Multi-AZ in its region),
 * and the `AWS::RDS::GlobalCluster` created from it (`SourceDBClusterIdentifier`), so that
 * CloudFormation creates the cluster first and the global cluster takes its engine, version and
 * encryption; the secondaries' stacks, deployed after this one, join by the global name.
 */
export class AuroraGlobalPrimaryTopology extends AuroraTopology {
  public readonly description: string = 'Aurora global primary';
  private managedRpo?: number;

  constructor(private readonly global: AuroraGlobalPrimaryOptions) {
    super(global);
  }

  public validate(problems: Problems, scope?: Construct): void {
    super.validate(problems);
    checkGlobalClusterIdentifier(problems, this.global.globalClusterIdentifier);
    checkGlobalEngine(problems, this.global.engine);
    if (scope) {
      this.managedRpo = checkManagedRpo(problems, scope, this.engineType, this.global.managedRpo);
      checkSecretReplicaRegions(problems, scope, this.global.secretReplicaRegions);
      checkStorageKey(problems, scope, this.global.storageEncryptionKey);
    }
  }

  public bind(scope: Construct, c: DatabaseBindContext): BoundDatabase {
    const id = this.global.globalClusterIdentifier;
    // RDS cannot manage the master password of a cluster in a global database
    // (docs/aws-facts.md#rds-and-aurora): a generated secret, replicated to the secondaries' regions.
    const cluster = createAuroraCluster(scope, c, {
      engine: this.global.engine,
      instanceType: this.global.instanceType,
      instances: 1 + this.replicas,
      credentials: rds.Credentials.fromGeneratedSecret(c.masterUsername, {
        secretName: masterSecretName(id),
        replicaRegions: (this.global.secretReplicaRegions ?? []).map((region) => ({ region })),
      }),
      storageEncryptionKey: storageKey(scope, this.global.storageEncryptionKey, 'the global database primary'),
      parameters: this.managedRpo === undefined ? undefined : { [MANAGED_RPO_PARAMETER]: String(this.managedRpo) },
    });
    const globalCluster = new rds.CfnGlobalCluster(scope, 'GlobalCluster', {
      globalClusterIdentifier: id,
      // CreateGlobalCluster documents an ARN here.
      sourceDbClusterIdentifier: cluster.clusterArn,
      deletionProtection: c.deletionProtection,
    });
    // A global cluster has no snapshot of its own: anything but DESTROY keeps it.
    globalCluster.applyRemovalPolicy(c.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
    recordPrimary(globalCluster, {
      managedRpo: this.managedRpo,
      engine: this.global.engine,
      secretReplicaRegions: this.global.secretReplicaRegions ?? [],
    });
    // The only copy of the global cluster's master password, under a fixed name: kept like the data.
    // (`cluster.secret` is its attachment to the cluster; the secret itself is the child `Secret`.)
    (cluster.node.findChild('Secret') as secretsmanager.ISecret).applyRemovalPolicy(c.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
    return { ...boundCluster(cluster, cluster.secret!.secretArn), secret: cluster.secret, globalCluster };
  }
}

/**
 * A secondary cluster of an Aurora global database in another region: an Aurora cluster that
 * joins by `GlobalClusterIdentifier`, with no master credentials (it takes them from the
 * primary) and its storage encrypted with a key of its region. Its `MultiAzDatabase` adds the
 * cross-region switchover and failover paths and the lag alarm.
 */
export class AuroraGlobalSecondaryTopology extends AuroraTopology {
  public readonly description: string = 'Aurora global secondary';
  public readonly assumptions = GLOBAL_PATH_ASSUMPTIONS;

  public readonly failoverTarget: string;
  private managedRpo?: number;

  constructor(private readonly global: AuroraGlobalSecondaryOptions) {
    super({ ...global, readers: global.headless ? 0 : global.readers });
    this.failoverTarget = global.headless
      ? 'no DB instance (headless): Aurora must create one'
      : `one of ${this.replicas + 1} instances of the secondary, in other Availability Zones`;
  }

  public validate(problems: Problems, scope?: Construct): void {
    super.validate(problems);
    checkGlobalClusterIdentifier(problems, this.global.globalClusterIdentifier);
    checkGlobalEngine(problems, this.global.engine);
    checkLagThreshold(problems, this.global.rpoLagAlarmThreshold);
    checkHeadless(problems, this.global.headless, this.global.readers);
    if (scope) {
      checkPrimaryRegion(problems, scope, this.global.primaryRegion);
      checkSameEngineAsPrimary(problems, scope, this.global.globalClusterIdentifier, this.global.engine);
      checkSecretInRegion(problems, scope, this.global.globalClusterIdentifier);
      this.managedRpo = this.global.managedRpo === undefined
        ? primaryManagedRpo(scope, this.global.globalClusterIdentifier)
        : checkManagedRpo(problems, scope, this.engineType, this.global.managedRpo);
      checkStorageKey(problems, scope, this.global.storageEncryptionKey);
    }
  }

  public bind(scope: Construct, c: DatabaseBindContext): BoundDatabase {
    if (c.databaseName !== undefined) {
      const problems = new Problems(scope);
      problems.add(`\`databaseName\` is ${JSON.stringify(c.databaseName)}, but a secondary cluster of a global database takes its databases from the primary. `
        + 'Remove `databaseName` here and give it to the primary.');
      problems.throwIfAny();
    }
    const id = this.global.globalClusterIdentifier;
    const cluster = createAuroraCluster(scope, c, {
      engine: this.global.engine,
      instanceType: this.global.instanceType,
      instances: this.global.headless ? 0 : 1 + this.replicas,
      // The L2 needs credentials; the placeholder creates no secret and is removed below.
      credentials: rds.Credentials.fromPassword(c.masterUsername, SecretValue.unsafePlainText('removed-a-secondary-takes-the-primary-credentials')),
      storageEncryptionKey: storageKey(scope, this.global.storageEncryptionKey, 'the global database secondary'),
      // The bound must survive a switchover: the new primary applies its own parameter group.
      parameters: this.managedRpo === undefined ? undefined : { [MANAGED_RPO_PARAMETER]: String(this.managedRpo) },
      defaultDatabaseName: false,
    });
    const cfn = cluster.node.defaultChild as rds.CfnDBCluster;
    cfn.globalClusterIdentifier = id;
    // A secondary given master credentials fails with "Invalid master password"
    // (docs/aws-facts.md#rds-and-aurora): it has none of its own.
    cfn.masterUsername = undefined;
    cfn.masterUserPassword = undefined;
    const secret = secretsmanager.Secret.fromSecretNameV2(scope, 'MasterSecret', masterSecretName(id));
    deployAfterPrimary(scope, id);
    warnWithoutPrimary(scope, id);
    const secondary = {
      globalClusterIdentifier: id,
      primaryRegion: this.global.primaryRegion,
      engine: this.global.engine,
      cluster,
      rpoLagAlarmThreshold: this.global.rpoLagAlarmThreshold,
      headless: this.global.headless ?? false,
    };
    return {
      ...boundCluster(cluster, secret.secretArn),
      secret,
      addAlarms: (factory, owner) => {
        createGlobalLagAlarm(owner, factory, secondary);
      },
      recoveryPaths: (owner, assumptions) => globalPaths(owner, secondary, assumptions),
    };
  }
}

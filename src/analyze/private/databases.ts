/**
 * Database paths of a template: RDS Multi-AZ DB instances, Multi-AZ DB clusters and Aurora
 * clusters (failover inside the region), and the clusters of Aurora global databases (switchover
 * and failover across regions), modeled by the same functions as `MultiAzDatabase` and its
 * topologies (docs/aws-facts.md#rds-and-aurora).
 */
import { creationUndecided } from './conditions';
import { Findings, TemplateFindings } from './findings';
import { contextOf, literalNumber, referencedResources, refTarget, resolve, ResolveContext, ResourceRef, Unresolved } from './intrinsics';
import { inTemplateTerms } from './remedies';
import { CfnResourceJson, LoadedTemplate } from './templates';
import { RecoveryEstimate } from '../../objectives/estimate';
import { globalFailover, GlobalPathInput, globalSwitchover } from '../../objectives/model/aurora-global';
import { databaseFailover, DatabaseModeName } from '../../objectives/model/rds';
import { Term } from '../../objectives/model/term';
import { EndpointRole, PathEndpoint, RecoveryPath, RecoveryPathKind } from '../../objectives/path';

type Props = { [k: string]: unknown };

/** One resource of the template, with its properties as written and resolved. */
interface Resource {
  readonly logicalId: string;
  readonly resource: CfnResourceJson;
  readonly raw: Props;
  readonly props: Props;
}

/** What the analysis reads of a template's database resources. */
interface Databases {
  readonly t: LoadedTemplate;
  readonly ctx: ResolveContext;
  readonly found: Findings;
  readonly instances: Resource[];
  readonly clusters: Resource[];
  readonly globals: Resource[];
  /** Logical IDs of the databases an RDS Proxy target group names. */
  readonly proxied: Set<string>;
  /** The instances of each cluster of the template, by the cluster's logical ID. */
  readonly members: Map<string, Resource[]>;
}

const INSTANCE = 'AWS::RDS::DBInstance';
const CLUSTER = 'AWS::RDS::DBCluster';
const GLOBAL = 'AWS::RDS::GlobalCluster';

/** The failover target of each mode, in the words of the library's topologies. */
const TARGET: { [mode in DatabaseModeName]: (replicas: number) => string } = {
  instance: () => 'synchronous standby in another Availability Zone (not readable)',
  cluster: () => 'one of 2 readable standbys in other Availability Zones',
  aurora: (n) => n === 0 ? 'a new writer that Aurora creates (no replica)' : `one of ${n} Aurora replica(s)`,
};

const DESCRIPTION: { [mode in DatabaseModeName]: string } = {
  instance: 'Multi-AZ DB instance',
  cluster: 'Multi-AZ DB cluster',
  aurora: 'Aurora',
};

/** RDS and Aurora: the failover inside the region of each Multi-AZ database, and the cross-region paths of global databases. */
export function databasePaths(t: LoadedTemplate): TemplateFindings {
  const ctx = contextOf(t);
  const all = Object.entries(t.template.Resources ?? {})
    .filter(([, r]) => r !== null && typeof r === 'object')
    .map(([logicalId, resource]): Resource => {
      const raw = isObject(resource.Properties) ? resource.Properties : {};
      const props = resolve(raw, ctx);
      return { logicalId, resource, raw, props: isObject(props) ? props : {} };
    });
  const db: Databases = {
    t,
    ctx,
    found: new Findings(t),
    instances: all.filter((r) => r.resource.Type === INSTANCE),
    clusters: all.filter((r) => r.resource.Type === CLUSTER),
    globals: all.filter((r) => r.resource.Type === GLOBAL),
    proxied: new Set(all.filter((r) => r.resource.Type === 'AWS::RDS::DBProxyTargetGroup')
      .flatMap((r) => [r.props.DBInstanceIdentifiers, r.props.DBClusterIdentifiers])
      .flatMap((ids) => Array.isArray(ids) ? ids.map(refTarget) : [])
      .filter((id): id is string => id !== undefined)),
    members: new Map(),
  };
  for (const i of db.instances) {
    const cluster = clusterOf(db, i);
    if (cluster !== undefined) {
      db.members.set(cluster.logicalId, [...db.members.get(cluster.logicalId) ?? [], i]);
    }
  }
  db.instances.forEach((i) => instancePath(db, i));
  db.clusters.forEach((c) => clusterPaths(db, c));
  db.globals.forEach((g) => globalClusterPaths(db, g));
  return db.found;
}

function instancePath(db: Databases, i: Resource): void {
  if (i.raw.DBClusterIdentifier !== undefined) {
    if (clusterOf(db, i) === undefined) {
      db.found.skip(i.logicalId, INSTANCE, `an instance of the DB cluster ${describe(i.props.DBClusterIdentifier)}, which is not in this template: `
        + 'the cluster\'s template models its failover');
    }
    return;
  }
  const multiAz = i.props.MultiAZ;
  if (multiAz instanceof Unresolved && !bothBranchesTrue(i.raw.MultiAZ)) {
    db.found.skip(i.logicalId, INSTANCE, `\`MultiAZ\` is not decided by the template (${multiAz.reason}): when it is false the instance has no standby `
      + 'to fail over to, so no failover path is modeled. Set `MultiAZ: true`.');
    return;
  }
  if (!(multiAz instanceof Unresolved) && multiAz !== true && multiAz !== 'true' && i.raw.SourceDBInstanceIdentifier !== undefined) {
    db.found.skip(i.logicalId, INSTANCE, `a read replica of ${describe(i.props.SourceDBInstanceIdentifier)}: RDS never promotes it by itself, `
      + 'and the promotion of a read replica is not analysed yet (cdk-failover\'s CrossRegionReadReplica models it for a replica in another region)');
    return;
  }
  if (!(multiAz instanceof Unresolved) && multiAz !== true && multiAz !== 'true') {
    db.found.skip(i.logicalId, INSTANCE, 'single-AZ: no standby to fail over to; set `MultiAZ: true`');
    return;
  }
  const warnings: string[] = [];
  const engine = engineOf(i, warnings);
  inRegionPath(db, i, 'instance', 1, engine, warnings);
}

function clusterPaths(db: Databases, c: Resource): void {
  const warnings: string[] = [];
  if (c.raw.DBClusterInstanceClass !== undefined) {
    inRegionPath(db, c, 'cluster', 2, engineOf(c, warnings), warnings);
    return;
  }
  const engine = c.props.Engine;
  if (typeof engine === 'string' && !engine.startsWith('aurora')) {
    db.found.skip(c.logicalId, CLUSTER, `a ${engine} cluster without \`DBClusterInstanceClass\`: neither Aurora nor a Multi-AZ DB cluster the model knows`);
    return;
  }
  if (c.props.EngineMode === 'serverless') {
    db.found.skip(c.logicalId, CLUSTER, 'Aurora Serverless v1 (`EngineMode: serverless`): its failover is not modeled; Aurora Serverless v2 instances are');
    return;
  }
  const members = db.members.get(c.logicalId) ?? [];
  // Instances whose condition is false are not in the template any more; those the template does not decide are not counted.
  const conditional = members.filter((i) => creationUndecided(db.t, i.logicalId) !== undefined);
  if (conditional.length > 0) {
    warnings.push(`${conditional.map((i) => i.logicalId).join(', ')} exist only under a condition the template does not decide: `
      + 'not counted as replicas (the slowest case).');
  }
  const instances = members.length - conditional.length;
  const replicas = Math.max(0, instances - 1);
  if (engine instanceof Unresolved) {
    warnings.push(`The engine is not decided by the template (${engine.reason}): a cluster without \`DBClusterInstanceClass\` is Aurora.`);
  }
  const engineName = typeof engine === 'string' ? engine : 'Aurora, engine not known';
  if (c.raw.GlobalClusterIdentifier !== undefined && isSecondary(db, c)) {
    // The library's words for a secondary's failover target.
    const target = instances === 0 ? 'no DB instance (headless): Aurora must create one' : `one of ${instances} instances of the secondary, in other Availability Zones`;
    inRegionPath(db, c, 'aurora', replicas, engineName, [...warnings], members.map((i) => i.logicalId), target);
    secondaryPaths(db, c, instances === 0, warnings);
    return;
  }
  inRegionPath(db, c, 'aurora', replicas, engineName, warnings, members.map((i) => i.logicalId));
  if (c.raw.GlobalClusterIdentifier !== undefined && db.globals.every((g) => primaryOf(db, g) !== c)) {
    primarySidePaths(db, c, globalName(db, c.props.GlobalClusterIdentifier), warnings);
  }
}

function inRegionPath(db: Databases, r: Resource, mode: DatabaseModeName, replicas: number, engine: string, warnings: string[],
  members: string[] = [], target = TARGET[mode](replicas)): void {
  const name = identifier(r);
  if (db.proxied.has(r.logicalId)) {
    warnings.push('An RDS Proxy targets this database: clients that connect through the proxy endpoint skip the endpoint DNS and client cache terms '
      + '(modeled here for clients on the database endpoint, the slowest).');
  }
  const health = 'RDS automatic failover';
  const terms = databaseFailover({ mode, replicas, proxy: false });
  const resource = `the ${r.resource.Type} ${r.logicalId}`;
  db.found.path(new RecoveryPath({
    id: `failover-${r.logicalId}`.slice(0, 64),
    kind: RecoveryPathKind.MULTI_AZ_DATABASE,
    name: `${name} (${DESCRIPTION[mode]}, ${engine})`,
    endpoints: [
      { label: `${db.t.name}/${r.logicalId} writer`, role: EndpointRole.PRIMARY, region: db.t.region, health },
      { label: target, role: EndpointRole.SECONDARY, region: db.t.region, health },
    ],
    estimate: RecoveryEstimate._fromModel(inTemplateTerms(terms, Object.fromEntries(terms.map((term) => [term.id, resource])))),
    warnings,
  }), [r.logicalId, ...members]);
}

/**
 * A secondary cluster of a global database: the library declares the switchover and the failover
 * to its region on it. The primary is in another region's template, so its region and managed
 * RPO are not seen: the lag takes the assumption, the slowest bound.
 */
function secondaryPaths(db: Databases, c: Resource, headless: boolean, warnings: string[]): void {
  const gid = globalName(db, c.props.GlobalClusterIdentifier);
  // The primary's template, read with this one, takes a headless secondary: this one is the real end.
  db.found.complete(globalKey(gid));
  const input: GlobalPathInput = { headless };
  const endpoints: PathEndpoint[] = [
    { label: `${gid} primary cluster (not in this template)`, role: EndpointRole.PRIMARY, health: 'operator or runbook' },
    {
      label: `${db.t.name}/${c.logicalId} secondary cluster${headless ? ' (headless)' : ''}`,
      role: headless ? EndpointRole.STANDBY : EndpointRole.SECONDARY,
      region: db.t.region,
      health: 'AuroraGlobalDBRPOLag',
    },
  ];
  const unseen = `The primary cluster of ${gid} is not in this template: its region and managed RPO (\`rds.global_db_rpo\`) are not known, `
    + 'so the lag is the assumption.';
  globalPathPair(db, c, {
    gid,
    input,
    endpoints,
    warnings: [...warnings, unseen],
    where: `to ${db.t.region ?? 'this region'}`,
    remedies: { 'aurora-global-lag': `the global database ${gid}`, 'aurora-global-first-instance': `the ${CLUSTER} ${c.logicalId}` },
  });
}

/** The primary side of a global database, when no secondary is in the template: the secondary it fails over to is not seen. */
function primarySidePaths(db: Databases, c: Resource, gid: string, warnings: string[], from: string[] = []): void {
  const managedRpo = managedRpoOf(db, c, warnings);
  const input: GlobalPathInput = { headless: true };
  const endpoints: PathEndpoint[] = [
    { label: `${db.t.name}/${c.logicalId} primary cluster`, role: EndpointRole.PRIMARY, region: db.t.region, health: 'operator or runbook' },
    { label: `a secondary cluster of ${gid} (not in this template)`, role: EndpointRole.STANDBY, health: 'AuroraGlobalDBRPOLag' },
  ];
  const unseen = `The secondary clusters of ${gid} are not in this template (other stacks or regions): their regions and instances are not known, `
    + 'so the paths take a headless secondary, the slowest. Analyse their templates too: the paths to each secondary are modeled there.';
  globalPathPair(db, c, {
    gid,
    input,
    endpoints,
    warnings: [...warnings, unseen],
    where: `from ${db.t.region ?? 'this region'}`,
    managedRpo,
    from,
    provisional: globalKey(gid),
    remedies: { 'aurora-global-lag': `the global database ${gid}`, 'aurora-global-first-instance': `the secondary clusters of ${gid} (in other templates)` },
  });
}

/** What one pair of cross-region paths is made of. */
interface GlobalPair {
  readonly gid: string;
  readonly input: GlobalPathInput;
  readonly endpoints: PathEndpoint[];
  readonly warnings: string[];
  /** `to <region>` or `from <region>`, for the name. */
  readonly where: string;
  /** The resource each term's remedy names, by term id. */
  readonly remedies: { [termId: string]: string };
  readonly managedRpo?: number;
  /** Resources besides the cluster the paths were read from. */
  readonly from?: string[];
  /** The key of the secondary end, when the paths take it at its slowest (see `Findings.provisionalPath`). */
  readonly provisional?: string;
}

function globalPathPair(db: Databases, c: Resource, p: GlobalPair): void {
  const terms = (ts: Term[]) => inTemplateTerms(ts, p.remedies);
  const name = (what: string) => `${identifier(c)} (Aurora global database ${p.gid}, ${p.where}, ${what})`;
  const add = (path: RecoveryPath) => p.provisional === undefined
    ? db.found.path(path, [c.logicalId, ...p.from ?? []])
    : db.found.provisionalPath(path, [c.logicalId, ...p.from ?? []], p.provisional);
  add(new RecoveryPath({
    id: `global-switchover-${c.logicalId}`.slice(0, 64),
    kind: RecoveryPathKind.DATABASE_SWITCHOVER,
    name: name('planned switchover'),
    endpoints: p.endpoints,
    estimate: RecoveryEstimate._fromModel(terms(globalSwitchover(p.input))),
    warnings: p.warnings,
  }));
  add(new RecoveryPath({
    id: `global-failover-${c.logicalId}`.slice(0, 64),
    kind: RecoveryPathKind.DATABASE_FAILOVER,
    name: name('failover with data loss'),
    endpoints: p.endpoints,
    estimate: RecoveryEstimate._fromModel(terms(globalFailover({ ...p.input, managedRpo: p.managedRpo }))),
    warnings: p.warnings,
  }));
}

/** A global cluster of the template: its primary's side, or why nothing is modeled from it. */
function globalClusterPaths(db: Databases, g: Resource): void {
  const primary = primaryOf(db, g);
  const gid = globalName(db, new ResourceRef(g.logicalId));
  if (primary !== undefined) {
    if (!isSecondary(db, primary)) {
      primarySidePaths(db, primary, gid, [], [g.logicalId]);
    }
    return;
  }
  // A cluster may join it under a condition only (`Fn::If`): it is then in this template, and its paths are modeled on it.
  if (!db.clusters.some((c) => referencedResources(c.raw.GlobalClusterIdentifier, db.t.template).includes(g.logicalId))) {
    db.found.skip(g.logicalId, GLOBAL, `a global cluster with no DB cluster in this template (source ${describe(g.props.SourceDBClusterIdentifier)}): `
      + 'its clusters are in other templates, which model its paths');
  }
}

/** The cluster a global cluster is created from (`SourceDBClusterIdentifier`), or the one joined to it with credentials. */
function primaryOf(db: Databases, g: Resource): Resource | undefined {
  return sourceOf(db, g) ?? db.clusters.find((c) => refTarget(c.props.GlobalClusterIdentifier) === g.logicalId && !isSecondary(db, c));
}

/** The cluster of the template a global cluster is created from, named by reference, identifier or ARN. */
function sourceOf(db: Databases, g: Resource): Resource | undefined {
  const source = g.props.SourceDBClusterIdentifier;
  // An ARN made of the cluster's reference (aws-cdk-lib's `clusterArn`) names it as well as a `Ref`.
  const byRef = refTarget(source)
    ?? referencedResources(g.raw.SourceDBClusterIdentifier, db.t.template).find((id) => db.clusters.some((c) => c.logicalId === id));
  return db.clusters.find((c) => c.logicalId === byRef
    || (typeof source === 'string' && (identifier(c) === source || source.endsWith(`:cluster:${identifier(c)}`))));
}

/** A cluster that joins a global cluster without credentials of its own takes them from the primary: it is a secondary. */
function isSecondary(db: Databases, c: Resource): boolean {
  const credentials = ['MasterUsername', 'MasterUserPassword', 'SnapshotIdentifier', 'SourceDBClusterIdentifier'].some((k) => c.raw[k] !== undefined);
  return c.raw.GlobalClusterIdentifier !== undefined && !credentials && !db.globals.some((g) => sourceOf(db, g) === c);
}

/** The managed RPO in the cluster's parameter group, if the template decides it. */
function managedRpoOf(db: Databases, c: Resource, warnings: string[]): number | undefined {
  const group = refTarget(c.props.DBClusterParameterGroupName);
  if (group === undefined) {
    return undefined;
  }
  const parameters = resolve(db.t.template.Resources?.[group]?.Properties?.Parameters, db.ctx);
  const value = isObject(parameters) ? parameters['rds.global_db_rpo'] : undefined;
  if (value instanceof Unresolved) {
    warnings.push(`\`rds.global_db_rpo\` in ${group} is not decided by the template (${value.reason}): modeled without a managed RPO, the slowest.`);
    return undefined;
  }
  return literalNumber(value);
}

/** The cluster of the template an instance belongs to: by reference, or by the cluster's identifier. */
function clusterOf(db: Databases, i: Resource): Resource | undefined {
  const id = i.props.DBClusterIdentifier;
  const byRef = refTarget(id);
  return db.clusters.find((c) => c.logicalId === byRef || (typeof id === 'string' && identifier(c).toLowerCase() === id.toLowerCase()));
}

function engineOf(r: Resource, warnings: string[]): string {
  const engine = r.props.Engine;
  if (typeof engine === 'string') {
    return engine;
  }
  if (engine === undefined && r.raw.SourceDBInstanceIdentifier !== undefined) {
    return 'engine of its source';
  }
  warnings.push(`The engine is not decided by the template (${engine instanceof Unresolved ? engine.reason : 'none given'}): `
    + 'the failover figures do not depend on it.');
  return 'engine not known';
}

/** The name a database goes by: its identifier when the template gives one, else its logical ID. */
function identifier(r: Resource): string {
  const id = r.resource.Type === CLUSTER ? r.props.DBClusterIdentifier : r.props.DBInstanceIdentifier;
  return typeof id === 'string' ? id : r.logicalId;
}

function globalName(db: Databases, value: unknown): string {
  const target = refTarget(value);
  const global = db.globals.find((g) => g.logicalId === target);
  if (global !== undefined) {
    return typeof global.props.GlobalClusterIdentifier === 'string' ? global.props.GlobalClusterIdentifier : global.logicalId;
  }
  return typeof value === 'string' ? value : `a global cluster the template does not name (${describe(value)})`;
}

/** What names a global database across the templates of one analysis. */
function globalKey(gid: string): string {
  return `aurora-global:${gid}`;
}

function describe(value: unknown): string {
  if (value instanceof Unresolved) {
    return value.reason;
  }
  const target = refTarget(value);
  return target ?? (typeof value === 'string' ? value : 'not given');
}

/** `Fn::If` whose two branches are both true: Multi-AZ whatever the condition. */
function bothBranchesTrue(raw: unknown): boolean {
  const branches = isObject(raw) && Array.isArray(raw['Fn::If']) ? raw['Fn::If'].slice(1) : [];
  return branches.length === 2 && branches.every((b) => b === true || b === 'true');
}

function isObject(value: unknown): value is Props {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unresolved) && !(value instanceof ResourceRef);
}

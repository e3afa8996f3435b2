/**
 * Benchmark of `cdk-failover analyze`, run with `npm run bench:analyze`.
 *
 * 1. The analysis of a cloud assembly of 50 stacks and 2,000 resources (40 per stack: failover
 *    pairs, weighted records, S3 replication, a DynamoDB global table, RDS and Aurora, a backup
 *    plan, a load balancer, and resources no analyser reads), in this process: median of 7 runs.
 * 2. The same assembly through the command as users run it (`node lib/analyze/cli.js`, a new
 *    process each run): median wall time and peak memory (the process's maximum resident set).
 * 3. Whether the work is linear in the resources: the same stacks at 520, 1,000, 2,000 and 4,000
 *    resources, time per 1,000 resources (ratios measured in this run).
 *
 * The templates are generated here, written as a cloud assembly in a temporary folder that is
 * removed at the end. Nothing calls AWS.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse } from '../src/analyze/private/analysis';

const RESOURCES_PER_STACK = 40;
const RUNS = 7;
const TARGET_SECONDS = 2;
const CLI = path.join(__dirname, '..', 'lib', 'analyze', 'cli.js');

/** One stack's template: every family the analysis reads, and filler it only walks past. */
function stackTemplate(i: number): object {
  const r: { [id: string]: object } = {};
  const zone = 'Z0000000000EXAMPLE';
  r.Check = { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: `p${i}.example.com`, RequestInterval: 10, FailureThreshold: 2 } } };
  r.Primary = { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: zone, Name: `app${i}.example.com`, Type: 'A', TTL: '60', ResourceRecords: ['192.0.2.1'], SetIdentifier: 'p', Failover: 'PRIMARY', HealthCheckId: { Ref: 'Check' } } };
  r.Secondary = { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: zone, Name: `app${i}.example.com`, Type: 'A', TTL: '60', ResourceRecords: ['192.0.2.2'], SetIdentifier: 's', Failover: 'SECONDARY' } };
  for (const w of ['East', 'West']) {
    r[`Check${w}`] = { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'HTTP', FullyQualifiedDomainName: `${w}${i}.example.com` } } };
    r[`Weighted${w}`] = { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: zone, Name: `api${i}.example.com`, Type: 'A', TTL: '60', ResourceRecords: ['192.0.2.3'], SetIdentifier: w, Weight: 1, HealthCheckId: { Ref: `Check${w}` } } };
  }
  r.Bucket = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: { 'Fn::Sub': `orders-${i}-\${AWS::Region}` },
      VersioningConfiguration: { Status: 'Enabled' },
      ReplicationConfiguration: { Role: 'arn:aws:iam::111111111111:role/r', Rules: [{ Id: 'all', Status: 'Enabled', Destination: { Bucket: `arn:aws:s3:::orders-${i}-replica` } }] },
    },
  };
  r.Table = { Type: 'AWS::DynamoDB::GlobalTable', Properties: { TableName: `t${i}`, Replicas: [{ Region: 'us-east-1' }, { Region: 'us-west-2' }] } };
  r.Instance = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', DBInstanceClass: 'db.m6g.large', MultiAZ: true } };
  r.Cluster = { Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', MasterUsername: 'admin', ManageMasterUserPassword: true } };
  for (const n of [1, 2]) {
    r[`ClusterInstance${n}`] = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', DBClusterIdentifier: { Ref: 'Cluster' } } };
  }
  r.Vault = { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultName: `v${i}` } };
  r.Plan = {
    Type: 'AWS::Backup::BackupPlan',
    Properties: {
      BackupPlan: {
        BackupPlanName: `p${i}`,
        BackupPlanRule: [{
          RuleName: 'Hourly',
          TargetBackupVault: { Ref: 'Vault' },
          ScheduleExpression: 'cron(0 * * * ? *)',
          CopyActions: [{ DestinationBackupVaultArn: `arn:aws:backup:us-west-2:111111111111:backup-vault:copy-${i}` }],
        }],
      },
    },
  };
  r.Selection = {
    Type: 'AWS::Backup::BackupSelection',
    Properties: {
      BackupPlanId: { Ref: 'Plan' },
      BackupSelection: { SelectionName: 's', IamRoleArn: 'arn:aws:iam::111111111111:role/b', Resources: [`arn:aws:dynamodb:us-east-1:111111111111:table/t${i}`] },
    },
  };
  r.Alb = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application', Subnets: ['subnet-1', 'subnet-2'] } };
  r.Group = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1', HealthCheckIntervalSeconds: 10 } };
  r.Listener = {
    Type: 'AWS::ElasticLoadBalancingV2::Listener',
    Properties: { LoadBalancerArn: { Ref: 'Alb' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Group' } }] },
  };
  r.Alias = {
    Type: 'AWS::Route53::RecordSet',
    Properties: {
      HostedZoneId: zone,
      Name: `www${i}.example.com`,
      Type: 'A',
      SetIdentifier: 'p',
      Failover: 'PRIMARY',
      AliasTarget: { DNSName: { 'Fn::GetAtt': ['Alb', 'DNSName'] }, HostedZoneId: { 'Fn::GetAtt': ['Alb', 'CanonicalHostedZoneID'] }, EvaluateTargetHealth: true },
    },
  };
  r.AliasSecondary = { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: zone, Name: `www${i}.example.com`, Type: 'A', TTL: '60', ResourceRecords: ['192.0.2.9'], SetIdentifier: 's', Failover: 'SECONDARY' } };
  // The rest: resources no analyser models, as most of a real stack is.
  for (let n = 0; Object.keys(r).length < RESOURCES_PER_STACK; n++) {
    r[`Queue${n}`] = { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Join': ['-', ['q', String(i), String(n)]] }, KmsMasterKeyId: 'alias/aws/sqs' } };
  }
  return { Resources: r, Outputs: { CheckId: { Value: { Ref: 'Check' }, Export: { Name: `check-${i}` } } } };
}

/** A cloud assembly of `stacks` stacks in a new folder. */
function assembly(stacks: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-bench-analyze-'));
  const artifacts: { [id: string]: object } = {};
  for (let i = 0; i < stacks; i++) {
    const file = `Stack${i}.template.json`;
    fs.writeFileSync(path.join(dir, file), JSON.stringify(stackTemplate(i), undefined, 1));
    artifacts[`Stack${i}`] = { type: 'aws:cloudformation:stack', environment: `aws://111111111111/${i % 2 ? 'us-west-2' : 'us-east-1'}`, properties: { templateFile: file } };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '36.0.0', artifacts }));
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeInProcess(dir: string): { ms: number; paths: number; notAnalysed: number } {
  const times: number[] = [];
  let last = analyse([dir]);
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    last = analyse([dir]);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: median(times), paths: last.report.paths.length, notAnalysed: last.notAnalysed.length };
}

const dirs: string[] = [];
try {
  // 1. In process.
  const main = assembly(50);
  dirs.push(main);
  const inProcess = timeInProcess(main);
  console.log('## cdk-failover analyze: 50 stacks, 2,000 resources\n');
  console.log(`In process (median of ${RUNS}): ${inProcess.ms.toFixed(0)} ms; ${inProcess.paths} paths, ${inProcess.notAnalysed} resources not analysed`);

  // 2. As users run it.
  if (fs.existsSync(CLI)) {
    const runs = Array.from({ length: 5 }, () => {
      const start = process.hrtime.bigint();
      // `/usr/bin/time` is not on every machine: the child reports its own peak memory on exit.
      const proc = spawnSync(process.execPath, ['-e', `process.argv.splice(1, 0, 'cdk-failover');
        process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'));
        require(${JSON.stringify(CLI)});`, 'analyze', main], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const kb = Number(/maxrss (\d+)/.exec(proc.stderr)?.[1]);
      return { ms, mb: kb / 1024, status: proc.status };
    });
    const wall = median(runs.map((x) => x.ms)) / 1000;
    console.log(`The command, a new process each run (median of ${runs.length}): ${wall.toFixed(2)} s wall, `
      + `peak memory ${median(runs.map((x) => x.mb)).toFixed(0)} MB (exit ${runs[0].status}); `
      + `target under ${TARGET_SECONDS} s: ${wall < TARGET_SECONDS ? 'met' : 'MISSED'}`);
  } else {
    console.log('The command: lib/analyze/cli.js is not built; run `npx projen compile` first for the process figures.');
  }

  // 3. Linear in the resources?
  console.log('\n| Stacks | Resources | Median ms | ms per 1,000 resources | vs the smallest |');
  console.log('|---:|---:|---:|---:|---:|');
  let base: number | undefined;
  for (const stacks of [13, 25, 50, 100]) {
    const dir = assembly(stacks);
    dirs.push(dir);
    const { ms } = timeInProcess(dir);
    const resources = stacks * RESOURCES_PER_STACK;
    const perThousand = ms / resources * 1000;
    base ??= perThousand;
    console.log(`| ${stacks} | ${resources} | ${ms.toFixed(0)} | ${perThousand.toFixed(1)} | ${(perThousand / base).toFixed(2)}x |`);
  }
} finally {
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
}

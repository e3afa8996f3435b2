import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyse, renderAnalysis } from '../../src/analyze/private/analysis';

/** Template files in a fresh folder, removed after each test. */
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-analysis-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, body: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
}

const cluster = (props: object) => ({ Type: 'AWS::RDS::DBCluster', Properties: { Engine: 'aurora-postgresql', ...props } });
const instance = (clusterId: string) => ({
  Type: 'AWS::RDS::DBInstance',
  Properties: { Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', DBClusterIdentifier: { Ref: clusterId } },
});

/** A global database written as two stacks: the primary's (with the global cluster) and a secondary's joined by name. */
const primaryTemplate = {
  Resources: {
    Global: { Type: 'AWS::RDS::GlobalCluster', Properties: { GlobalClusterIdentifier: 'orders', SourceDBClusterIdentifier: { Ref: 'Primary' } } },
    Primary: cluster({ MasterUsername: 'admin', ManageMasterUserPassword: true }),
    PrimaryWriter: instance('Primary'),
  },
};
const secondaryTemplate = {
  Resources: {
    Secondary: cluster({ GlobalClusterIdentifier: 'orders' }),
    SecondaryReader: instance('Secondary'),
  },
};

describe('the analysis of several templates', () => {
  test('a global database\'s primary-side paths (a headless secondary, the slowest) give way to the secondary\'s template read with them', () => {
    // GIVEN
    const primary = write('primary.json', primaryTemplate);
    const secondary = write('secondary.json', secondaryTemplate);
    const global = (ids: string[]) => ids.filter((id) => /#global-/.test(id));

    // WHEN
    const alone = analyse([primary]).report.paths.map((p) => p.id);
    const together = analyse([primary, secondary]).report.paths.map((p) => p.id);

    // THEN: alone, the primary's template models its side; together, the secondary's paths stand for the pair.
    expect(global(alone)).toEqual(['primary#global-switchover-Primary', 'primary#global-failover-Primary']);
    expect(global(together)).toEqual(['secondary#global-switchover-Secondary', 'secondary#global-failover-Secondary']);
    // The in-region failover of each cluster is still there.
    expect(together.filter((id) => !/#global-/.test(id))).toHaveLength(2);
  });

  test('a folder of templates is read file by file; a file that is not a template is listed with the reason', () => {
    // GIVEN
    write('primary.json', primaryTemplate);
    write('secondary.yaml', 'Resources:\n  Secondary:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n'
      + '      GlobalClusterIdentifier: orders\n  SecondaryReader:\n    Type: AWS::RDS::DBInstance\n    Properties:\n'
      + '      Engine: aurora-postgresql\n      DBInstanceClass: db.r6g.large\n      DBClusterIdentifier: !Ref Secondary\n');
    write('package.json', { name: 'not-a-template' });

    // WHEN
    const a = analyse([dir]);

    // THEN
    expect(a.templates).toEqual(2);
    expect(a.unread).toEqual([{ file: path.join(dir, 'package.json'), reason: 'not a CloudFormation template: no `Resources` section' }]);
    expect(a.report.paths.map((p) => p.id).filter((id) => /#global-/.test(id))).toEqual(['secondary#global-switchover-Secondary', 'secondary#global-failover-Secondary']);
  });

  test('a resource its condition leaves out is listed as not created, with the condition', () => {
    // GIVEN: the secondary's reader exists only when the parameter says so, and its default says no.
    const file = write('secondary.json', {
      Parameters: { WithReader: { Type: 'String', Default: 'no' } },
      Conditions: { Reader: { 'Fn::Equals': [{ Ref: 'WithReader' }, 'yes'] } },
      Resources: { ...secondaryTemplate.Resources, SecondaryReader: { ...secondaryTemplate.Resources.SecondaryReader, Condition: 'Reader' } },
    });

    // WHEN
    const a = analyse([file]);

    // THEN
    expect(a.notAnalysed).toContainEqual({
      stack: 'secondary',
      logicalId: 'SecondaryReader',
      type: 'AWS::RDS::DBInstance',
      reason: 'not created: its condition Reader is false with the template\'s parameter defaults',
    });
    expect(renderAnalysis(a).markdown).toContain('- secondary/SecondaryReader (AWS::RDS::DBInstance): not created: its condition Reader is false');
    // Without the reader the secondary is headless: its paths say so.
    expect(a.report.paths.find((p) => p.id === 'secondary#global-failover-Secondary')?.endpoints[1].label).toMatch(/\(headless\)$/);
  });

  test('two pairs of one record set group (A and AAAA) are two paths with their own IDs', () => {
    // GIVEN
    const record = (type: string, failover: string, ip: string) => ({
      Name: 'app.example.com',
      Type: type,
      TTL: '60',
      ResourceRecords: [ip],
      SetIdentifier: failover.toLowerCase(),
      Failover: failover,
      ...failover === 'PRIMARY' ? { HealthCheckId: { Ref: 'Check' } } : {},
    });
    const file = write('group.json', {
      Resources: {
        Check: { Type: 'AWS::Route53::HealthCheck', Properties: { HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'p.example.com' } } },
        Group: {
          Type: 'AWS::Route53::RecordSetGroup',
          Properties: {
            HostedZoneId: 'Z1',
            RecordSets: [record('A', 'PRIMARY', '192.0.2.1'), record('A', 'SECONDARY', '192.0.2.2'),
              record('AAAA', 'PRIMARY', '2001:db8::1'), record('AAAA', 'SECONDARY', '2001:db8::2')],
          },
        },
      },
    });

    // WHEN
    const paths = analyse([file]).report.paths;

    // THEN
    expect(paths.map((p) => [p.id, p.name])).toEqual([
      ['group#dns-failover-Group', 'app.example.com (A)'],
      ['group#dns-failover-Group-2', 'app.example.com (AAAA)'],
    ]);
  });
});

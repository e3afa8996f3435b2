import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CHECKER = path.join(__dirname, '..', '..', '.ci', 'check-python-example.py');

/** A stand-in for the generated bindings: the shapes jsii-pacmak writes, reduced to what the checker reads. */
const GENERATED = `
import typing
class RegionalWorkloadContext:
    @builtins.property
    def region(self) -> str: ...
class IRegionalWorkload(typing.Protocol):
    @jsii.member(jsii_name="buildRegion")
    def build_region(self, scope, context): ...
class RecoveryStrategy:
    @builtins.classmethod
    def warm_standby(cls, *, standby_capacity=None): ...
class ObjectiveEnforcement:
    WARN = "WARN"
class DisasterRecovery:
    def __init__(self, scope, id, *, app_name, workload, strategy): ...
`;

function check(example: string): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'py-check-'));
  try {
    fs.writeFileSync(path.join(dir, 'generated.py'), GENERATED);
    fs.writeFileSync(path.join(dir, 'app.py'), example);
    const run = spawnSync('python3', [CHECKER, path.join(dir, 'generated.py'), path.join(dir, 'app.py')], { encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}`.replace(new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), '<dir>') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const GOOD = `
import jsii
import cdk_failover as failover

@jsii.implements(failover.IRegionalWorkload)
class Workload:
    def build_region(self, scope, context: failover.RegionalWorkloadContext):
        return context.region

failover.DisasterRecovery(None, "Dr", app_name="a", workload=Workload(), strategy=failover.RecoveryStrategy.warm_standby(standby_capacity=2))
print(failover.ObjectiveEnforcement.WARN)
`;

test('an example that uses the bindings as generated passes', () => {
  expect(check(GOOD)).toEqual({ status: 0, output: '1 Python example(s) checked against 5 generated classes: 0 problem(s)\n' });
});

test.each([
  ['a keyword the constructor does not take', GOOD.replace('app_name="a"', 'app_name="a", appName="a"'), /DisasterRecovery.__init__ takes no keyword appName/],
  ['a static method that does not exist', GOOD.replace('warm_standby(', 'warmStandby('), /RecoveryStrategy has no member warmStandby/],
  ['a class that does not exist', GOOD.replace('failover.ObjectiveEnforcement.WARN', 'failover.Enforcement.WARN'), /cdk_failover has no Enforcement/],
  ['a property the context does not have', GOOD.replace('context.region', 'context.regionName'), /RegionalWorkloadContext has no member regionName/],
  ['an interface method with other parameters', GOOD.replace('def build_region(self, scope, context', 'def build_region(self, scope, *, region'),
    /Workload must define build_region\(scope, context\) of IRegionalWorkload/],
  ['a required keyword left out', GOOD.replace('app_name="a", ', ''), /DisasterRecovery.__init__ needs the keyword app_name/],
  ['a positional argument left out', GOOD.replace('failover.DisasterRecovery(None, "Dr", ', 'failover.DisasterRecovery(None, '), /DisasterRecovery.__init__ needs 2 positional/],
  ['a syntax error', `${GOOD}\ndef broken(:\n`, /SyntaxError/],
])('fails on %s', (_, example, message) => {
  const result = check(example);
  expect(result.status).toEqual(1);
  expect(result.output).toMatch(message);
});

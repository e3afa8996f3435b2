import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { HealthProbe } from '../../src';
import { ProbeEvent } from '../../src/health/probe-contract';
import { periodOf, roundData } from '../../src/health/probe-run';
import { testStack } from '../util';

describe('the probe contract', () => {
  test('the handler publishes, for the event the schedule sends, the metric each target\'s alarm watches', () => {
    // GIVEN
    const stack = testStack();
    const probe = new HealthProbe(stack, 'Probe', { namespace: 'Orders/Probe' });
    probe.addTcpTarget('db', { host: 'db.example.com', port: 5432 });
    const template = Template.fromStack(stack);
    const event: ProbeEvent = JSON.parse(Object.values(template.findResources('AWS::Events::Rule'))[0].Properties.Targets[0].Input);
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm'))[0].Properties;

    // WHEN
    const data = roundData(event, 0, [{ id: 'db', healthy: false, reason: 'refused', detail: 'ECONNREFUSED', latencyMs: 1 }]);

    // THEN
    expect(event.namespace).toEqual(alarm.Namespace);
    const watched = data.filter((d) => d.MetricName === alarm.MetricName);
    expect(watched).toHaveLength(1);
    expect(watched[0].Dimensions).toEqual(alarm.Dimensions);
    expect(watched[0].Value).toEqual(1);
    // The latch counts samples in the alarm's period.
    expect(periodOf(alarm.Period * 1000)).toEqual(1);
    expect(event.periodMs).toEqual(alarm.Period * 1000);
  });

  test('the contract is bundled into the handler, so it imports nothing of aws-cdk-lib', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'health', 'probe-contract.ts'), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['./probe-check']);
    expect(source).toMatch(/^import type \{ ProbeTarget \} from '\.\/probe-check';$/m);
  });
});

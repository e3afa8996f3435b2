import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { HealthProbe } from '../../src';
import { testStack } from '../util';

function probe(): HealthProbe {
  return new HealthProbe(testStack(), 'Probe');
}

describe('HealthProbe: searchString and searchBytes', () => {
  test.each<[string, string, number | undefined]>([
    ['exactly searchBytes', 'ok!', 3],
    ['shorter than the default 5,120 bytes', 'orders: ok', undefined],
    ['1,024 characters under the default', 'x'.repeat(1024), undefined],
  ])('a search string of %s is accepted', (_, searchString, searchBytes) => {
    // GIVEN
    const p = probe();

    // WHEN
    p.addHttpTarget('api', { url: 'https://api.example.com/health', searchString, searchBytes });

    // THEN
    const input = JSON.parse(Object.values(Template.fromStack(Stack.of(p)).findResources('AWS::Events::Rule'))[0].Properties.Targets[0].Input);
    expect(input.targets[0]).toMatchObject({ search: searchString, searchBytes: searchBytes ?? 5120 });
  });

  test.each<[string, string, number, RegExp]>([
    ['one byte longer than searchBytes', 'ok!!', 3, /`searchString` of target api is 4 bytes, longer than `searchBytes` \(3\), so it can never match, got: "ok!!"\. Raise `searchBytes` to at least 4 or search for a shorter marker\./],
    // 'ü' is 2 bytes in UTF-8, and the probe compares bytes.
    ['longer in UTF-8 bytes than in characters', 'grün', 4, /`searchString` of target api is 5 bytes, longer than `searchBytes` \(4\)/],
  ])('fails with a search string %s', (_, searchString, searchBytes, message) => {
    const p = probe();
    expect(() => p.addHttpTarget('api', { url: 'https://api.example.com/health', searchString, searchBytes })).toThrow(message);
  });

  test('fails with a search string longer than searchBytes, naming the construct path and collected with other problems', () => {
    const p = probe();
    expect(() => p.addHttpTarget('api', { url: 'ftp://api.example.com/', searchString: 'x'.repeat(200), searchBytes: 100 }))
      .toThrow(/^Stack\/Probe: 2 problems:\n {2}- `url` of target api must use http:\/\/ or https:\/\/.*\n {2}- `searchString` of target api is 200 bytes, longer than `searchBytes` \(100\).*got: "x{77}\.\.\."/);
  });
});

describe('HealthProbe: limits of the synthesized templates', () => {
  /** A PEM bundle of `n` fake certificates of about 1,840 characters each (in JSON). */
  function bundle(n: number): string {
    const body = Array.from({ length: 27 }, () => 'A'.repeat(64)).join('\n');
    return Array.from({ length: n }, () => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`).join('\n');
  }

  describe('the schedule\'s event of one target fits the 8,192 characters of a rule target\'s input', () => {
    test('a CA bundle that fits is sent whole, alone in its event when it must be', () => {
      // GIVEN
      const p = probe();

      // WHEN
      p.addTcpTarget('db', { host: 'db.example.com', port: 5432 });
      p.addTlsTarget('tls', { host: 'api.example.com', caCertificates: bundle(4) });

      // THEN
      const inputs = Object.values(Template.fromStack(Stack.of(p)).findResources('AWS::Events::Rule'))
        .flatMap((r) => r.Properties.Targets.map((t: any) => t.Input as string));
      expect(inputs.every((i) => i.length <= 8192)).toBe(true);
      expect(inputs.map((i) => JSON.parse(i).targets.map((t: any) => t.id))).toEqual([['db'], ['tls']]);
    });

    test.each<[string, (p: HealthProbe) => unknown, RegExp]>([
      ['a TLS target with a CA bundle too long for one event', (p) => p.addTlsTarget('tls', { host: 'api.example.com', caCertificates: bundle(5) }),
        /^Stack\/Probe: `caCertificates` of target tls makes the schedule's event \d,\d{3} characters, more than the 8,192 EventBridge allows for a rule target's input \(`caCertificates` is \d,\d{3} characters, got: "-----BEGIN CERTIFICATE-----\\nA{49}\.\.\."\)\. A target is never split over events: give only the CA certificates/],
      ['an HTTP target with a CA bundle too long for one event', (p) => p.addHttpTarget('api', { url: 'https://api.example.com/', caCertificates: bundle(5) }),
        /`caCertificates` of target api makes the schedule's event/],
      ['an HTTP target with a URL too long for one event', (p) => p.addHttpTarget('api', { url: `https://api.example.com/?q=${'x'.repeat(8200)}` }),
        /`url` of target api makes the schedule's event 8,\d{3} characters, more than the 8,192/],
    ])('fails with %s', (_, add, message) => {
      const p = probe();
      expect(() => add(p)).toThrow(message);
      // Nothing was added: the probe still has no target.
      expect(p.node.tryFindChild('Schedule')).toBeUndefined();
    });
  });

  describe('the alarm description fits the 1,024 characters CloudWatch allows', () => {
    test('a long URL is shortened in the description, which keeps the path, the latch and the rule', () => {
      // GIVEN
      const p = probe();
      const url = `https://api.example.com/health?${'x'.repeat(1500)}`;

      // WHEN
      const check = p.addHttpTarget('api', { url, latch: true });

      // THEN
      const [alarm] = Object.values(Template.fromStack(Stack.of(p)).findResources('AWS::CloudWatch::Alarm'));
      const description: string = alarm.Properties.AlarmDescription;
      expect(description).toHaveLength(1024);
      expect(description).toMatch(/^Stack\/Probe\/api: cdk-failover probe HTTP https:\/\/api\.example\.com\/health\?x+\.\.\., latched: 2 failed sample\(s\) in a minute, or no samples\.$/);
      // The report keeps the whole URL.
      expect(check.summary).toContain(url);
    });

    test('a description that fits is left whole', () => {
      const p = probe();
      p.addHttpTarget('api', { url: 'https://api.example.com/health' });
      Template.fromStack(Stack.of(p)).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmDescription: 'Stack/Probe/api: cdk-failover probe HTTP https://api.example.com/health: 2 failed sample(s) in a minute, or no samples.',
      });
    });

    test('fails when the construct path alone leaves no room', () => {
      // GIVEN: a construct path of over 1,000 characters
      let scope: Construct = testStack();
      for (let i = 0; i < 10; i++) {
        scope = new Construct(scope, `Level${i}`.padEnd(100, 'x'));
      }
      const p = new HealthProbe(scope, 'Probe');

      // THEN
      expect(() => p.addTcpTarget('db', { host: 'db.example.com', port: 5432 }))
        .toThrow(/^Stack\/Level0x+\/.*\/Probe\/db: the description of alarm Alarm would be 1,\d{3} characters, more than the 1,024 CloudWatch allows for `AlarmDescription`, got: "Stack\/Level0x+\.\.\."\. It starts with the construct path \(1,\d{3} characters\): use shorter construct ids or fewer levels\./);
    });
  });

  describe('the schedule rule\'s description fits the 512 characters EventBridge allows', () => {
    test('a long construct path is shortened from the start, keeping the probe\'s own end and the schedule', () => {
      // GIVEN: a construct path of about 600 characters
      let scope: Construct = testStack();
      for (let i = 0; i < 6; i++) {
        scope = new Construct(scope, `Level${i}`.padEnd(100, 'x'));
      }
      const p = new HealthProbe(scope, 'Probe');

      // WHEN
      p.addTcpTarget('db', { host: 'db.example.com', port: 5432 });

      // THEN
      const [rule] = Object.values(Template.fromStack(Stack.of(p)).findResources('AWS::Events::Rule'));
      const description: string = rule.Properties.Description;
      expect(description).toHaveLength(512);
      expect(description).toMatch(/^cdk-failover probe \.\.\.x+\/Level2x+\/Level3x+\/Level4x+\/Level5x+\/Probe: every minute, 3 samples$/);
    });

    test('a short path is left whole', () => {
      const p = probe();
      p.addTcpTarget('db', { host: 'db.example.com', port: 5432 });
      Template.fromStack(Stack.of(p)).hasResourceProperties('AWS::Events::Rule', { Description: 'cdk-failover probe Stack/Probe: every minute, 3 samples' });
    });
  });

  describe('namespace', () => {
    test.each(['CdkFailover/Probe', 'Orders.Probe_v2#1: eu west', 'x'.repeat(255), '~'])('%s is accepted', (namespace) => {
      expect(new HealthProbe(testStack(), 'Probe', { namespace }).namespace).toEqual(namespace);
    });

    test.each<[string, string, RegExp]>([
      ['a non-ASCII character', 'Bestellungen/Prüfung', /`namespace` must be ASCII characters without control characters, got: "Bestellungen\/Prüfung"\. Use e\.g\. 'Orders\/Probe'\./],
      ['a control character', 'Orders\tProbe', /`namespace` must be ASCII characters without control characters, got: "Orders\\tProbe"/],
      ['DEL', 'Orders\u007f', /`namespace` must be ASCII characters without control characters/],
      ['a leading colon', ':Orders', /`namespace` must not start with ":", got: ":Orders"/],
      ['256 characters', 'x'.repeat(256), /`namespace` must be 1 to 255 characters, got 256/],
      ['no characters', '', /`namespace` must be 1 to 255 characters, got 0/],
    ])('fails with %s', (_, namespace, message) => {
      expect(() => new HealthProbe(testStack(), 'Probe', { namespace })).toThrow(message);
    });

    test('a Token namespace is not judged', () => {
      const stack = testStack();
      const namespace = new CfnParameter(stack, 'Namespace').valueAsString;
      expect(() => new HealthProbe(stack, 'Probe', { namespace })).not.toThrow();
    });
  });
});

import { App, CfnParameter, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CheckerRegion, EndpointHealthCheck, EndpointHealthCheckProps, EndpointProtocol } from '../../src';

function testStack(region = 'us-west-2'): Stack {
  const app = new App();
  return new Stack(app, 'Stack', { env: { account: '111111111111', region } });
}

/** A RegExp that matches `text` literally. */
function literal(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

const DOMAIN = 'us-east-1.app.example.com';

describe('EndpointHealthCheck', () => {
  test('defaults: HTTPS on 443, path /, 10 s x 2, SNI, no latency, all regions', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const check = new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HealthCheck', 1);
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: DOMAIN,
        Port: 443,
        ResourcePath: '/',
        RequestInterval: 10,
        FailureThreshold: 2,
        EnableSNI: true,
        MeasureLatency: false,
        Inverted: false,
        IPAddress: Match.absent(),
        SearchString: Match.absent(),
        Regions: Match.absent(),
      },
    });
    expect(check.healthCheck).toBeInstanceOf(route53.HealthCheck);
    const logicalId = stack.getLogicalId(check.healthCheck.node.defaultChild as route53.CfnHealthCheck);
    expect(stack.resolve(check.healthCheckId)).toEqual({ Ref: logicalId });
    expect(stack.resolve(check.healthCheckRef.healthCheckId)).toEqual({ Ref: logicalId });
  });

  test('every prop is passed through', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', {
      domainName: DOMAIN,
      ipAddress: '8.8.8.8',
      protocol: EndpointProtocol.HTTPS,
      port: 8443,
      resourcePath: '/health',
      searchString: 'ok',
      requestInterval: Duration.seconds(30),
      failureThreshold: 3,
      regions: [CheckerRegion.US_EAST_1, CheckerRegion.EU_WEST_1, CheckerRegion.AP_NORTHEAST_1],
      enableSni: false,
      measureLatency: true,
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS_STR_MATCH',
        FullyQualifiedDomainName: DOMAIN,
        IPAddress: '8.8.8.8',
        Port: 8443,
        ResourcePath: '/health',
        SearchString: 'ok',
        RequestInterval: 30,
        FailureThreshold: 3,
        Regions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
        EnableSNI: false,
        MeasureLatency: true,
      },
    });
  });

  test('HTTP: port 80 by default, no SNI', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, protocol: EndpointProtocol.HTTP });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTP',
        Port: 80,
        ResourcePath: '/',
        RequestInterval: 10,
        FailureThreshold: 2,
        EnableSNI: Match.absent(),
      },
    });
  });

  test('HTTP with a search string is HTTP_STR_MATCH', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, protocol: EndpointProtocol.HTTP, searchString: '"status":"UP"' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTP_STR_MATCH', SearchString: '"status":"UP"', Port: 80 },
    });
  });

  test('HTTPS with a search string is HTTPS_STR_MATCH', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, searchString: 'OK' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTPS_STR_MATCH', SearchString: 'OK', Port: 443, EnableSNI: true },
    });
  });

  test('TCP: the given port, no resource path, no SNI', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: 'db.example.com', protocol: EndpointProtocol.TCP, port: 5432 });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'TCP',
        FullyQualifiedDomainName: 'db.example.com',
        Port: 5432,
        ResourcePath: Match.absent(),
        SearchString: Match.absent(),
        EnableSNI: Match.absent(),
        RequestInterval: 10,
        FailureThreshold: 2,
      },
    });
  });

  test('an IP address alone: no domain name, no SNI by default', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { ipAddress: '8.8.8.8' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        IPAddress: '8.8.8.8',
        FullyQualifiedDomainName: Match.absent(),
        EnableSNI: false,
      },
    });
  });

  test('an IP address with SNI explicitly enabled', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { ipAddress: '8.8.8.8', enableSni: true });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { IPAddress: '8.8.8.8', EnableSNI: true },
    });
  });

  test('enableSni: false is allowed on HTTP (nothing to turn off)', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, protocol: EndpointProtocol.HTTP, enableSni: false });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTP', EnableSNI: Match.absent() },
    });
  });

  test('all 8 regions given explicitly', () => {
    // GIVEN
    const stack = testStack();
    const all = Object.values(CheckerRegion);

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, regions: all });

    // THEN
    expect(all).toHaveLength(8);
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Regions: all },
    });
  });

  test('boundaries are accepted: threshold 1 and 10, port 1 and 65535, 255-character path and search string', () => {
    // GIVEN
    const stack = testStack();
    const path = `/${'p'.repeat(254)}`;
    const search = 's'.repeat(255);

    // WHEN
    new EndpointHealthCheck(stack, 'Low', { domainName: DOMAIN, failureThreshold: 1, port: 1 });
    new EndpointHealthCheck(stack, 'High', { domainName: DOMAIN, failureThreshold: 10, port: 65535, resourcePath: path, searchString: search });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { FailureThreshold: 1, Port: 1 } });
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { FailureThreshold: 10, Port: 65535, ResourcePath: path, SearchString: search },
    });
  });

  test('Duration.minutes(0.5) is a 30 s interval', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, requestInterval: Duration.minutes(0.5) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { RequestInterval: 30 } });
  });

  test('a trailing dot and underscores are valid in the domain name', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { domainName: '_svc.app.example.com.' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { FullyQualifiedDomainName: '_svc.app.example.com.' },
    });
  });

  test.each([
    ['8.8.8.8'],
    ['2600:1f18::1'],
    ['54.239.28.85'],
    ['2a05:d018::1'],
  ])('public address %s is accepted', (ipAddress) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new EndpointHealthCheck(stack, 'Check', { ipAddress });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { IPAddress: ipAddress } });
  });

  describe('validation', () => {
    const topicIn = (stack: Stack, region: string) => sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${region}:111111111111:alerts`);

    test.each<[string, EndpointHealthCheckProps, RegExp[]]>([
      ['no domainName and no ipAddress', {}, [/give `domainName`, `ipAddress` or both/]],
      ['an empty domainName', { domainName: '' }, [/`domainName` must be a DNS name/, literal('got: "".')]],
      ['a domainName with an empty label', { domainName: 'app..example.com' }, [/`domainName` must be a DNS name/, literal('"app..example.com"')]],
      ['a domainName with a space', { domainName: 'app example.com' }, [/`domainName` must be a DNS name/, literal('"app example.com"')]],
      ['a domainName label starting with a hyphen', { domainName: '-app.example.com' }, [/`domainName` must be a DNS name/, literal('"-app.example.com"')]],
      ['a domainName label of 64 characters', { domainName: `${'a'.repeat(64)}.example.com` }, [/`domainName` must be a DNS name/]],
      ['a domainName of 254 characters', { domainName: `${'a'.repeat(60)}.`.repeat(4) + 'abcdefghij' }, [/`domainName` must be a DNS name/]],
      ['a URL as domainName', { domainName: 'https://app.example.com/' }, [/`domainName` must be a DNS name/, literal('"https://app.example.com/"')]],
      ['a DNS name as ipAddress', { ipAddress: 'app.example.com' }, [/`ipAddress` must be an IPv4 or IPv6 address/, literal('got: "app.example.com"')]],
      ['an IPv4 address with 5 parts', { ipAddress: '1.2.3.4.5' }, [/`ipAddress` must be an IPv4 or IPv6 address/, literal('"1.2.3.4.5"')]],
      ['an IPv4 octet above 255', { ipAddress: '8.8.8.256' }, [/`ipAddress` must be an IPv4 or IPv6 address/, literal('"8.8.8.256"')]],
      ['an empty ipAddress', { domainName: DOMAIN, ipAddress: '' }, [/`ipAddress` must be an IPv4 or IPv6 address, got: ""/]],
      ['requestInterval 5 s', { domainName: DOMAIN, requestInterval: Duration.seconds(5) }, [/`requestInterval` must be 10 or 30 seconds, got: 5 seconds/]],
      ['requestInterval 20 s', { domainName: DOMAIN, requestInterval: Duration.seconds(20) }, [/`requestInterval` must be 10 or 30 seconds, got: 20 seconds/]],
      ['requestInterval 1 min', { domainName: DOMAIN, requestInterval: Duration.minutes(1) }, [/`requestInterval` must be 10 or 30 seconds, got: 1 minute/]],
      ['requestInterval 0 s', { domainName: DOMAIN, requestInterval: Duration.seconds(0) }, [/`requestInterval` must be 10 or 30 seconds/]],
      ['requestInterval 1500 ms', { domainName: DOMAIN, requestInterval: Duration.millis(1500) }, [/`requestInterval` must be 10 or 30 seconds, got: 1 second 500 millis/]],
      ['requestInterval 10.0001 s', { domainName: DOMAIN, requestInterval: Duration.seconds(10.0001) }, [/^Stack\/Check: `requestInterval` must be 10 or 30 seconds/]],
      ['requestInterval NaN s', { domainName: DOMAIN, requestInterval: Duration.seconds(NaN) }, [/^Stack\/Check: `requestInterval` must be 10 or 30 seconds/]],
      ['an IPv6 address with a zone ID', { ipAddress: '2600:1f18::1%eth0' }, [/`ipAddress` must be an IPv4 or IPv6 address, got: "2600:1f18::1%eth0"/]],
      ['failureThreshold 0', { domainName: DOMAIN, failureThreshold: 0 }, [/`failureThreshold` must be an integer from 1 to 10, got: 0\./]],
      ['failureThreshold 11', { domainName: DOMAIN, failureThreshold: 11 }, [/`failureThreshold` must be an integer from 1 to 10, got: 11\./]],
      ['failureThreshold 2.5', { domainName: DOMAIN, failureThreshold: 2.5 }, [/`failureThreshold` must be an integer from 1 to 10, got: 2\.5\./]],
      ['failureThreshold -1', { domainName: DOMAIN, failureThreshold: -1 }, [/`failureThreshold` must be an integer from 1 to 10, got: -1\./]],
      ['failureThreshold NaN', { domainName: DOMAIN, failureThreshold: NaN }, [/`failureThreshold` must be an integer from 1 to 10, got: NaN\./]],
      ['port 0', { domainName: DOMAIN, port: 0 }, [/`port` must be an integer from 1 to 65535, got: 0\./]],
      ['port 65536', { domainName: DOMAIN, port: 65536 }, [/`port` must be an integer from 1 to 65535, got: 65536\./]],
      ['port 80.5', { domainName: DOMAIN, port: 80.5 }, [/`port` must be an integer from 1 to 65535, got: 80\.5\./]],
      ['a TCP check without port', { domainName: DOMAIN, protocol: EndpointProtocol.TCP }, [/`port` is required for TCP checks/]],
      ['resourcePath with TCP', { domainName: DOMAIN, protocol: EndpointProtocol.TCP, port: 5432, resourcePath: '/health' },
        [literal('`resourcePath` applies to HTTP and HTTPS checks only, got: "/health" with protocol TCP')]],
      ['resourcePath without a leading /', { domainName: DOMAIN, resourcePath: 'health' }, [literal('`resourcePath` must start with "/", got: "health"')]],
      ['resourcePath of 256 characters', { domainName: DOMAIN, resourcePath: `/${'p'.repeat(255)}` }, [/`resourcePath` must be 1 to 255 characters, got 256/]],
      ['searchString with TCP', { domainName: DOMAIN, protocol: EndpointProtocol.TCP, port: 5432, searchString: 'ok' },
        [/`searchString` applies to HTTP and HTTPS checks only/]],
      ['an empty searchString', { domainName: DOMAIN, searchString: '' }, [/`searchString` must be 1 to 255 characters, got 0/]],
      ['searchString of 256 characters', { domainName: DOMAIN, searchString: 's'.repeat(256) }, [/`searchString` must be 1 to 255 characters, got 256/]],
      ['enableSni with HTTP', { domainName: DOMAIN, protocol: EndpointProtocol.HTTP, enableSni: true }, [/`enableSni` applies to HTTPS checks only, got protocol HTTP/]],
      ['enableSni with TCP', { domainName: DOMAIN, protocol: EndpointProtocol.TCP, port: 22, enableSni: true }, [/`enableSni` applies to HTTPS checks only, got protocol TCP/]],
      ['2 regions', { domainName: DOMAIN, regions: [CheckerRegion.US_EAST_1, CheckerRegion.EU_WEST_1] },
        [literal('`regions` must name at least 3 checker regions, got 2: ["us-east-1", "eu-west-1"]')]],
      ['no regions', { domainName: DOMAIN, regions: [] }, [/`regions` must name at least 3 checker regions, got 0/]],
      ['an unknown region', { domainName: DOMAIN, regions: ['us-east-1', 'us-west-2', 'eu-central-1'] as CheckerRegion[] },
        [/`regions` must be Route 53 checker regions \(us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1\)/,
          literal('got: ["eu-central-1"]')]],
      ['a repeated region', { domainName: DOMAIN, regions: [CheckerRegion.US_EAST_1, CheckerRegion.US_EAST_1, CheckerRegion.US_WEST_2, CheckerRegion.EU_WEST_1] },
        [literal('`regions` must not repeat a region, got: ["us-east-1", "us-east-1", "us-west-2", "eu-west-1"]')]],
    ])('fails with %s', (_, props, messages) => {
      // GIVEN the props of the row, each attempt in a fresh stack
      // WHEN
      const create = () => new EndpointHealthCheck(testStack(), 'Check', props);

      // THEN
      expect(create).toThrow(/^Stack\/Check: /);
      for (const message of messages) {
        expect(create).toThrow(message);
      }
    });

    test.each([
      ['10.0.0.1', 'private (RFC 1918)'],
      ['172.16.5.4', 'private (RFC 1918)'],
      ['172.31.255.255', 'private (RFC 1918)'],
      ['192.168.1.1', 'private (RFC 1918)'],
      ['100.64.0.1', 'shared address space (RFC 6598)'],
      ['127.0.0.1', 'loopback (RFC 5735)'],
      ['169.254.1.1', 'link-local (RFC 5735)'],
      ['192.0.2.1', 'documentation TEST-NET-1 (RFC 5735)'],
      ['198.51.100.7', 'documentation TEST-NET-2 (RFC 5735)'],
      ['203.0.113.9', 'documentation TEST-NET-3 (RFC 5735)'],
      ['198.18.0.1', 'benchmarking (RFC 5735)'],
      ['224.0.0.1', 'multicast (RFC 5735)'],
      ['240.0.0.1', 'reserved (RFC 5735)'],
      ['255.255.255.255', 'reserved (RFC 5735)'],
      ['0.1.2.3', '"this" network (RFC 5735)'],
      ['::', 'unspecified (RFC 5156)'],
      ['::1', 'loopback (RFC 5156)'],
      ['fc00::1', 'unique local (RFC 5156)'],
      ['fd12::1', 'unique local (RFC 5156)'],
      ['fe80::1', 'link-local (RFC 5156)'],
      ['ff02::1', 'multicast (RFC 5156)'],
      ['2001:db8::1', 'documentation (RFC 5156)'],
      ['2001:DB8:0:0:0:0:0:1', 'documentation (RFC 5156)'],
      ['::ffff:10.0.0.1', 'IPv4-mapped (RFC 5156)'],
    ])('fails with the non-public address %s (%s)', (ipAddress, reason) => {
      // GIVEN the address of the row, each attempt in a fresh stack
      // WHEN
      const create = () => new EndpointHealthCheck(testStack(), 'Check', { ipAddress });

      // THEN
      expect(create).toThrow(literal(`Stack/Check: \`ipAddress\` ${ipAddress} is a ${reason} address, which Route 53 health checkers cannot reach.`));
      expect(create).toThrow(/alarm-based health check/);
    });

    test('fails with an alarmTopic in another region than us-east-1', () => {
      // GIVEN
      const stack = testStack();
      const topic = topicIn(stack, 'us-west-2');

      // WHEN
      const create = () => new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      expect(create).toThrow(/^Stack\/Check: `alarmTopic` must be in us-east-1, where the status alarm lives, got a topic in us-west-2\./);
    });

    test('fails with an alarmTopic created in a us-west-2 stack', () => {
      // GIVEN
      const stack = testStack('us-west-2');
      const topic = new sns.Topic(stack, 'Topic');

      // WHEN
      const create = () => new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, alarmTopic: topic });

      // THEN
      expect(create).toThrow(/`alarmTopic` must be in us-east-1.*got a topic in us-west-2/);
    });

    test('fails with an alarmTopic and statusAlarm: false', () => {
      // GIVEN
      const stack = testStack();
      const topic = topicIn(stack, 'us-east-1');

      // WHEN
      const create = () => new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, statusAlarm: false, alarmTopic: topic });

      // THEN
      expect(create).toThrow(/^Stack\/Check: `alarmTopic` needs the status alarm: remove `statusAlarm: false`, or remove `alarmTopic`\./);
    });

    test('fails with every problem listed in one error', () => {
      // GIVEN each attempt in a fresh stack
      // WHEN
      const create = () => new EndpointHealthCheck(testStack(), 'Check', {
        domainName: 'app..example.com',
        failureThreshold: 0,
        port: 0,
        requestInterval: Duration.seconds(5),
      });

      // THEN
      expect(create).toThrow(/^Stack\/Check: 4 problems:\n {2}- `domainName`/);
      expect(create).toThrow(/\n {2}- `requestInterval` must be 10 or 30 seconds/);
      expect(create).toThrow(/\n {2}- `failureThreshold` must be an integer from 1 to 10, got: 0/);
      expect(create).toThrow(/\n {2}- `port` must be an integer from 1 to 65535, got: 0/);
    });

    test('fails with a repeated region that leaves fewer than 3: both problems', () => {
      // GIVEN each attempt in a fresh stack
      // WHEN
      const create = () => new EndpointHealthCheck(testStack(), 'Check', {
        domainName: DOMAIN,
        regions: [CheckerRegion.US_EAST_1, CheckerRegion.US_EAST_1, CheckerRegion.EU_WEST_1],
      });

      // THEN
      expect(create).toThrow(/^Stack\/Check: 2 problems:/);
      expect(create).toThrow(/`regions` must not repeat a region/);
      expect(create).toThrow(/`regions` must name at least 3 checker regions, got 2/);
    });

    test('fails with the full construct path of a nested check', () => {
      // GIVEN
      const stack = testStack();
      const group = new Construct(stack, 'Primary');

      // WHEN
      const create = () => new EndpointHealthCheck(group, 'Check', { domainName: DOMAIN, failureThreshold: 11 });

      // THEN
      expect(create).toThrow(/^Stack\/Primary\/Check: `failureThreshold`/);
    });

    test('fails before creating any child', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      expect(() => new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, port: 0 })).toThrow(/`port`/);

      // THEN
      expect(stack.node.findAll().filter((c) => c instanceof route53.CfnHealthCheck)).toHaveLength(0);
    });
  });

  describe('tokens are never judged', () => {
    test('failureThreshold, port, requestInterval, domainName, ipAddress, resourcePath and searchString as parameters', () => {
      // GIVEN
      const stack = testStack();
      const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' });
      const port = new CfnParameter(stack, 'Port', { type: 'Number' });
      const interval = new CfnParameter(stack, 'Interval', { type: 'Number' });
      const domain = new CfnParameter(stack, 'Domain');
      const ip = new CfnParameter(stack, 'Ip');
      const path = new CfnParameter(stack, 'Path');
      const search = new CfnParameter(stack, 'Search');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', {
        domainName: domain.valueAsString,
        ipAddress: ip.valueAsString,
        port: port.valueAsNumber,
        failureThreshold: threshold.valueAsNumber,
        requestInterval: Duration.seconds(interval.valueAsNumber),
        resourcePath: path.valueAsString,
        searchString: search.valueAsString,
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'HTTPS_STR_MATCH',
          FullyQualifiedDomainName: { Ref: 'Domain' },
          IPAddress: { Ref: 'Ip' },
          Port: { Ref: 'Port' },
          FailureThreshold: { Ref: 'Threshold' },
          RequestInterval: { Ref: 'Interval' },
          ResourcePath: { Ref: 'Path' },
          SearchString: { Ref: 'Search' },
        },
      });
    });

    test('Token.asNumber and Token.asString', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      new EndpointHealthCheck(stack, 'Check', {
        domainName: Token.asString({ 'Fn::ImportValue': 'Domain' }),
        failureThreshold: Token.asNumber({ 'Fn::ImportValue': 'Threshold' }),
        requestInterval: Duration.seconds(Token.asNumber({ 'Fn::ImportValue': 'Interval' })),
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          FullyQualifiedDomainName: { 'Fn::ImportValue': 'Domain' },
          FailureThreshold: { 'Fn::ImportValue': 'Threshold' },
          RequestInterval: { 'Fn::ImportValue': 'Interval' },
        },
      });
    });

    test('a Lazy failureThreshold resolves at synthesis', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, failureThreshold: Lazy.number({ produce: () => 4 }) });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { FailureThreshold: 4 } });
    });

    test('a TCP port as a token', () => {
      // GIVEN
      const stack = testStack();
      const port = new CfnParameter(stack, 'Port', { type: 'Number' });

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, protocol: EndpointProtocol.TCP, port: port.valueAsNumber });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Type: 'TCP', Port: { Ref: 'Port' } } });
    });

    test('regions as a token list', () => {
      // GIVEN
      const stack = testStack();
      const regions = new CfnParameter(stack, 'Regions', { type: 'CommaDelimitedList' });

      // WHEN
      new EndpointHealthCheck(stack, 'Check', { domainName: DOMAIN, regions: regions.valueAsList as CheckerRegion[] });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: { Regions: { Ref: 'Regions' } } });
    });

    test('a token among three regions is not an unknown region', () => {
      // GIVEN
      const stack = testStack();
      const third = new CfnParameter(stack, 'Third');

      // WHEN
      new EndpointHealthCheck(stack, 'Check', {
        domainName: DOMAIN,
        regions: [CheckerRegion.US_EAST_1, CheckerRegion.US_WEST_2, third.valueAsString as CheckerRegion],
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: { Regions: ['us-east-1', 'us-west-2', { Ref: 'Third' }] },
      });
    });
  });
});

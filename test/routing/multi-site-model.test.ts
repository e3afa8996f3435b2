import { ELB_ALIAS_TTL } from '../../src/objectives/model/dns';
import { regionLoss, Site, SplitRule, survivorCapacity, weightedShares } from '../../src/objectives/model/multi-site';
import { endpointDetection } from '../../src/objectives/model/route53';

const ELB_TTL = { ttl: ELB_ALIAS_TTL, source: 'alias to a load balancer: 60 s, set by ELB', assumed: false, alias: true };

describe('regionLoss', () => {
  test('a fast HTTPS check: 18.2 to 121 s, term by term', () => {
    // GIVEN
    const detection = endpointDetection({ interval: 10, failureThreshold: 2, protocol: 'HTTPS' });

    // WHEN
    const terms = regionLoss({ region: 'us-east-1', detection, ttl: ELB_TTL });

    // THEN
    expect(terms.map((t) => [t.id, t.kind.id, t.min, t.max, t.assumption])).toEqual([
      ['route53-health-check', 'detection', 18.2, 26, false],
      ['route53-multi-site-decision', 'decision', 0, 0, false],
      ['route53-dns-answer', 'switch', 0, 30, true],
      ['resolver-cache', 'propagation', 0, 60, false],
      ['client-dns-cache', 'clientCache', 0, 5, true],
    ]);
    expect(terms.reduce((s, t) => s + t.max, 0)).toEqual(121);
    expect(terms[1].basis).toEqual('automatic: Route 53 leaves us-east-1 out of its answers as soon as its record is unhealthy, and answers with the other regions');
  });

  test('given assumptions replace the defaults and are no longer assumptions', () => {
    // WHEN
    const terms = regionLoss({
      region: 'eu-west-1',
      detection: endpointDetection({ interval: 30, failureThreshold: 3, protocol: 'TCP' }),
      ttl: { ttl: 20, source: 'the record TTL', assumed: false, alias: false },
      healthToDnsAnswer: 12,
      clientDnsCache: 0,
    });

    // THEN: 3 x 30 + 10 = 100 s detection
    expect(terms.map((t) => [t.id, t.min, t.max, t.assumption])).toEqual([
      ['route53-health-check', 84.6, 100, false],
      ['route53-multi-site-decision', 0, 0, false],
      ['route53-dns-answer', 0, 12, false],
      ['resolver-cache', 0, 20, false],
      ['client-dns-cache', 0, 0, false],
    ]);
  });
});

describe('weightedShares', () => {
  test('weight over the sum of weights', () => {
    expect([...weightedShares([{ region: 'a', weight: 3 }, { region: 'b', weight: 1 }])]).toEqual([['a', 0.75], ['b', 0.25]]);
  });

  test('zero-weight regions get nothing while a weighted one is left', () => {
    expect([...weightedShares([{ region: 'a', weight: 0 }, { region: 'b', weight: 2 }])]).toEqual([['a', 0], ['b', 1]]);
  });

  test('all weights zero: an even split', () => {
    expect([...weightedShares([{ region: 'a', weight: 0 }, { region: 'b', weight: 0 }])]).toEqual([['a', 0.5], ['b', 0.5]]);
  });
});

describe('survivorCapacity', () => {
  const sites: Site[] = [
    { region: 'us-east-1', weight: 2, capacity: 900 },
    { region: 'eu-west-1', weight: 1, capacity: 600 },
    { region: 'ap-southeast-2', weight: 1, capacity: 300 },
  ];

  test('weighted: each survivor gets its share of the peak, checked against its capacity', () => {
    // WHEN
    const check = survivorCapacity(sites, 'eu-west-1', SplitRule.WEIGHTED, 1200);

    // THEN: 1200 x 2/3 = 800 <= 900, 1200 x 1/3 = 400 > 300
    expect(check.status).toEqual('short');
    expect(check.survivors).toEqual([
      { region: 'us-east-1', load: 800, capacity: 900, capacitySource: undefined },
      { region: 'ap-southeast-2', load: 400, capacity: 300, capacitySource: undefined },
    ]);
    expect(check.message).toEqual('The surviving regions cannot carry the peak: losing eu-west-1 sends 400 to ap-southeast-2 (capacity 300) '
      + 'of the peak 1200 by weight. Raise the capacity of ap-southeast-2, or shift weight to regions with spare capacity.');
  });

  test('weighted: enough everywhere is ok, and says what each carries', () => {
    // WHEN
    const check = survivorCapacity(sites, 'ap-southeast-2', SplitRule.WEIGHTED, 900);

    // THEN: 900 x 2/3 = 600 <= 900, 900 x 1/3 = 300 <= 600
    expect(check.status).toEqual('ok');
    expect(check.message).toEqual('Remaining capacity checked: losing ap-southeast-2 sends 600 to us-east-1 (capacity 900), 300 to eu-west-1 (capacity 600) of the peak 900 by weight.');
  });

  test('weighted: a fraction of the peak is rounded to milliunits', () => {
    const check = survivorCapacity([{ region: 'a', weight: 1, capacity: 1 }, { region: 'b', weight: 1, capacity: 1 }, { region: 'c', weight: 1, capacity: 1 }],
      'a', SplitRule.WEIGHTED, 1);
    expect(check.survivors.map((s) => s.load)).toEqual([0.5, 0.5]);
  });

  test('weighted: the source of a capacity taken from a service is named', () => {
    const check = survivorCapacity([{ region: 'a', weight: 1, capacity: 4 }, { region: 'b', weight: 1, capacity: 6, capacitySource: 'the running targets of B/Service' }],
      'a', SplitRule.WEIGHTED, 8);
    expect(check.message).toContain('8 to b (capacity 6: the running targets of B/Service)');
  });

  test('weighted: a zero-weight survivor takes nothing, so its missing capacity does not matter', () => {
    const check = survivorCapacity([{ region: 'a', weight: 1, capacity: 10 }, { region: 'b', weight: 1, capacity: 10 }, { region: 'c', weight: 0 }],
      'a', SplitRule.WEIGHTED, 10);
    expect(check.status).toEqual('ok');
    expect(check.survivors.map((s) => s.load)).toEqual([10, 0]);
  });

  test('weighted: a survivor that takes load without a capacity leaves the check unchecked', () => {
    const check = survivorCapacity([{ region: 'a', weight: 1, capacity: 10 }, { region: 'b', weight: 1 }], 'a', SplitRule.WEIGHTED, 10);
    expect(check.status).toEqual('unchecked');
    expect(check.message).toEqual('Remaining capacity unchecked: losing a sends 10 to b of the peak 10, but b has no known `capacity`. Give it to have the share checked.');
  });

  test('no peak load: unchecked, whatever the capacities', () => {
    const check = survivorCapacity(sites, 'us-east-1', SplitRule.LATENCY);
    expect(check.status).toEqual('unchecked');
    expect(check.message).toEqual('Remaining capacity unchecked: losing us-east-1 assumes eu-west-1, ap-southeast-2 carry its load, but `peakLoad` is not given. '
      + 'Give `peakLoad` and each region\'s `capacity` (in one unit) to have it checked.');
  });

  test('latency: only the total can be checked, and the message says so', () => {
    // WHEN: 600 + 300 = 900 for a peak of 900
    const check = survivorCapacity(sites, 'us-east-1', SplitRule.LATENCY, 900);

    // THEN
    expect(check.status).toEqual('ok');
    expect(check.survivors).toEqual([{ region: 'eu-west-1', capacity: 900 - 300 }, { region: 'ap-southeast-2', capacity: 300 }]);
    expect(check.message).toMatch(/^Remaining capacity checked in total only: losing us-east-1 leaves eu-west-1, ap-southeast-2 with 900 for the peak 900, but latency routing sends us-east-1's clients to whichever region is nearest/);
  });

  test('latency: a total below the peak is short', () => {
    const check = survivorCapacity(sites, 'us-east-1', SplitRule.LATENCY, 901);
    expect(check.status).toEqual('short');
    expect(check.message).toEqual('The surviving regions cannot carry the peak: losing us-east-1 leaves eu-west-1, ap-southeast-2 with a capacity of 900 in all, below the peak 901. '
      + 'Raise their capacity, or add a region.');
  });

  test('latency: a survivor without capacity leaves it unchecked', () => {
    const check = survivorCapacity([{ region: 'a', capacity: 5 }, { region: 'b' }, { region: 'c', capacity: 5 }], 'a', SplitRule.LATENCY, 5);
    expect(check.status).toEqual('unchecked');
    expect(check.message).toContain('but b has no known `capacity`');
  });
});

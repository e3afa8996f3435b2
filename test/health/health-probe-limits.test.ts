import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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

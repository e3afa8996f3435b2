import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

function filesUnder(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = path.join(dir, d.name);
    if (d.isDirectory()) {
      return filesUnder(rel, ext);
    }
    return ext.test(d.name) ? [rel] : [];
  });
}

/** What users read: the README, the API docs, the docs folder and the doc comments in src/. */
const published = ['README.md', 'API.md', ...filesUnder('docs', /\.md$/), ...filesUnder('src', /\.ts$/)];

describe('the repository stands on its own', () => {
  test.each(published)('%s points at no file outside the repository', (file) => {
    const text = read(file);
    expect(text).not.toMatch(/\b(FACTS|DESIGN|STYLE|TOOLCHAIN)\.md\b/);
    expect(text).not.toMatch(/DESIGN principle/);
    expect(text).not.toMatch(/\.\.\/shared\//);
  });

  test.each(['README.md', ...filesUnder('docs', /\.md$/)])('every relative link in %s names a file of the repository', (file) => {
    const links = [...read(file).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    const missing = links.filter((l) => !fs.existsSync(path.join(root, path.dirname(file), l)));
    expect(missing).toEqual([]);
  });

  test('code comments cite AWS facts by a section that exists in docs/aws-facts.md', () => {
    const anchors = new Set([...read('docs/aws-facts.md').matchAll(/^## (.+)$/gm)]
      .map((m) => m[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    const cited = filesUnder('src', /\.ts$/).flatMap((f) => [...read(f).matchAll(/docs\/aws-facts\.md#([a-z0-9-]+)/g)].map((m) => `${f}#${m[1]}`));
    expect(cited.length).toBeGreaterThan(10);
    expect(cited.filter((c) => !anchors.has(c.split('#')[1]))).toEqual([]);
  });

  test('the README installs the tarball the build packs, named from package.json', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(read('README.md')).toContain(`npm install ../cdk-failover/dist/js/${pkg.name}@${pkg.version}.jsii.tgz`);
  });

  test('the release workflow publishes to npm, PyPI, Maven Central, NuGet and Go', () => {
    const workflow = read('.github/workflows/release.yml');
    for (const job of ['release_npm', 'release_pypi', 'release_maven', 'release_nuget', 'release_golang']) {
      expect(workflow).toMatch(new RegExp(`^  ${job}:$`, 'm'));
    }
  });

  test('the README says what the probe does not do: no decompression, and a CA bundle replaces the trust store', () => {
    const readme = read('README.md');
    expect(readme).toContain('**It does not decompress.**');
    expect(readme).toContain('**`caCertificates` replaces the trust store.**');
  });
});

import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// aws-cdk-lib 2.256.1 is both the build version and the peer floor: it is the first with
// route53 `HealthCheck`, record-set `failover` and NODEJS_24_X; 2.258+ writes cloud-assembly
// schema 54 that integ-runner 2.197 cannot read, and 2.274+ needs a CDK CLI newer than any
// published one. Raise it only together with the CLI and integ-runner below.
const cdkVersion = '2.256.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-failover',
  description:
    'AWS CDK constructs for failover: Route 53 health checks and DNS failover with fast defaults, '
    + 'and a synth-time recovery model that says how long recovery takes (RTO) and how much data can be lost (RPO).',
  keywords: ['aws-cdk', 'cdk', 'failover', 'disaster-recovery', 'route53', 'health-check', 'resilience', 'rto', 'rpo'],
  author: 'cdk-failover maintainers',
  authorAddress: 'maintainers@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-failover/cdk-failover.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion,
  constructsVersion: '10.5.1',
  // jsii and TypeScript move together; ts-jest supports TypeScript < 7 only.
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  // GitHub workflows and releases are not run from here; CI is `.ci/run`.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  publishToPypi: { distName: 'cdk-failover', module: 'cdk_failover' },
  publishToMaven: {
    javaPackage: 'io.github.cdkfailover',
    mavenGroupId: 'io.github.cdk-failover',
    mavenArtifactId: 'cdk-failover',
  },
  publishToNuget: { dotNetNamespace: 'CdkFailover', packageId: 'CdkFailover' },
  publishToGo: { moduleName: 'github.com/cdk-failover/cdk-failover-go' },

  // Bundled handlers run on a pinned runtime so templates do not change with aws-cdk-lib.
  lambdaOptions: { runtime: awscdk.LambdaRuntime.NODEJS_22_X },

  devDeps: [
    // The registry's `latest` tag of aws-cdk is an old 3.0.0 that cannot read these assemblies.
    'aws-cdk@^2.1148.0',
    'cdk-nag@^2.38.2',
    'fast-check@^3',
    'ts-node',
  ],

  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      // `new App()` in tests writes assemblies into TMPDIR; the example test synthesizes real apps.
      testPathIgnorePatterns: ['/node_modules/', '/examples/', '/cdk.out/'],
      modulePathIgnorePatterns: ['<rootDir>/examples/.*/cdk.out', '<rootDir>/lib/', '<rootDir>/dist/'],
    },
  },
  // Type-check (and lint) the examples and benchmarks with the tests.
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
    exclude: ['../examples/**/cdk.out'],
    compilerOptions: {},
  },
  typecheckTests: true,
  // Examples and benchmarks may use devDependencies (cdk-nag, the CLI), like tests.
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools', 'projenrc', 'examples', 'bench'] },

  npmIgnoreOptions: { ignorePatterns: ['examples/', 'bench/', 'cdk.out/', 'integ.config.json', '.ci/', '/.tmp/'] },
  gitignore: ['cdk.out/', '/.tmp/', '.jsii.tabl.json'],

  experimentalIntegRunner: true,
});

// ESLint's project service needs a tsconfig next to the examples and benchmarks.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { rootDir: '..', noEmit: true }, include: ['**/*.ts'], exclude: ['**/cdk.out'] },
  });
}

// projen adds the integ tools at `latest`, which does not resolve against aws-cdk-lib 2.256.1.
project.deps.removeDependency('@aws-cdk/integ-runner');
project.deps.removeDependency('@aws-cdk/integ-tests-alpha');
project.addDevDeps('@aws-cdk/integ-runner@^2.197.10', '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0');

// Snapshot mode only: nothing here may deploy. integ-runner probes for credentials even then,
// so it gets dummy ones (and integ.config.json runs the tests with ts-node --transpile-only).
for (const [name, update] of [['integ', ''], ['integ:update', ' --update-on-failed --dry-run']]) {
  const task = project.tasks.tryFind(name);
  task?.reset(`integ-runner${update}`, { receiveArgs: true });
  task?.env('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
  task?.env('AWS_SECRET_ACCESS_KEY', 'not-a-secret-integ-snapshots-never-deploy');
  task?.env('AWS_REGION', 'us-east-1');
}

// README code blocks compile against the fresh assembly (fixtures in rosetta/).
project.postCompileTask.exec('jsii-rosetta extract --strict');

// Nothing here may wait on the network: no CLI notices or telemetry, no jsii support lookups,
// no EC2 metadata probing for credentials.
for (const [name, value] of Object.entries({
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  JSII_SILENCE_SUPPORT_WARNING: '1',
})) {
  project.tasks.addEnvironment(name, value);
}

const example = project.addTask('example', {
  description: 'Synthesize examples/dns-failover with the cdk CLI and print its failover report',
  cwd: 'examples/dns-failover',
});
example.exec('cdk synth --quiet');
example.exec('node ../print-report.js cdk.out');

project.addTask('bench', {
  description: 'Print the modeled failover times (defaults vs aws-cdk-lib vs fastest) and the example synth time',
  exec: 'ts-node --transpile-only bench/dns-failover.bench.ts',
});

project.synth();

#!/usr/bin/env node
// The `cdk-failover` command of the npm package (package.json `bin`).

let cli: typeof import('./private/cli');
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a guarded load: an import would fail before the message below can say what is missing
  cli = require('./private/cli');
} catch (e) {
  const missing = /Cannot find module '(aws-cdk-lib|constructs)'/.exec((e as Error).message)?.[1];
  if (missing === undefined) {
    throw e;
  }
  // The peer dependencies: a CDK app has them; a folder of plain templates may not.
  process.stderr.write(`cdk-failover: needs its peer dependencies aws-cdk-lib and constructs (${missing} is missing). `
    + 'Run it from your CDK app\'s folder, or: npm install cdk-failover aws-cdk-lib constructs\n');
  process.exit(2);
}

process.exitCode = cli.runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});

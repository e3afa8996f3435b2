#!/usr/bin/env node
// The `cdk-failover` command of the npm package (package.json `bin`).
import { runCli } from './private/cli';

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});

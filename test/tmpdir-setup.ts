/**
 * The test run gets one temporary folder, removed when it ends: the cloud assemblies of
 * `new App()` (cdk.outXXXX) and of `testApp()` land there instead of piling up in the system's
 * temporary folder. Set in the parent process before jest starts its workers, which inherit it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function setup(): void {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-failover-jest-'));
  process.env.CDK_FAILOVER_TEST_TMPDIR = folder;
  process.env.TMPDIR = folder;
}

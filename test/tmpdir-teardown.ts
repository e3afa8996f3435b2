import * as fs from 'fs';

/** Removes the run's temporary folder (see tmpdir-setup.ts). */
export default function teardown(): void {
  const folder = process.env.CDK_FAILOVER_TEST_TMPDIR;
  if (folder) {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

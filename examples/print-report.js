// Prints the failover report that `cdk synth` wrote into a cloud assembly directory.
const fs = require('fs');
const path = require('path');

const dir = process.argv[2] || 'cdk.out';
const file = path.join(dir, 'failover-report.md');
if (!fs.existsSync(file)) {
  console.error(`No failover report in ${dir}: synthesize an app that uses cdk-failover first.`);
  process.exit(1);
}
console.log(fs.readFileSync(file, 'utf8'));
console.log(`(also ${path.join(dir, 'failover-report.json')})`);

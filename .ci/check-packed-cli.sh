#!/usr/bin/env bash
# The analysis command as users get it: the packed tarball installed in a scratch folder (with the
# peer dependencies a CDK app has), run with `npx cdk-failover analyze` on the examples' cloud
# assemblies and on the third-party fixtures, its exit codes checked against --rto.
# Usage: .ci/check-packed-cli.sh <tarball>   (after `npx projen package` and the examples' synth)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/cdk-failover-packed-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
echo '{ "name": "scratch", "private": true }' > package.json
# Offline: the tarball bundles its one dependency; the peers are the repository's own copies.
npm install --offline --no-audit --no-fund --loglevel=error "$tarball" "$root/node_modules/aws-cdk-lib" "$root/node_modules/constructs"

run() { # expected-exit args...
  local expected=$1; shift
  set +e
  npx --no-install cdk-failover analyze "$@" > out.md 2> err.txt
  local code=$?
  set -e
  if [ "$code" != "$expected" ]; then
    echo "cdk-failover analyze $* exited $code, expected $expected"; cat err.txt; head -20 out.md; exit 1
  fi
}

for assembly in "$root"/examples/*/cdk.out; do
  run 0 "$assembly"
  grep -q '^# Failover report' out.md
  echo "$(basename "$(dirname "$assembly")"): $(grep -c '^| ' out.md) table rows, exit 0"
done
for fixture in "$root"/test/analyze/fixtures/*/; do
  run 0 "$fixture"
  grep -q '^# Failover report' out.md
  echo "fixture $(basename "$fixture"): exit 0"
done
# The snapshot's failover pair models at 3 min 11 s at worst: a 3-minute RTO misses, 4 minutes meets.
pair="$root/test/analyze/fixtures/route53-failover-record"
run 1 "$pair" --rto 3m
grep -q '^MISSED DNS failover of failover.cdk.dev' err.txt
run 0 "$pair" --rto 4m --out report
test -s report/failover-report.json && test -s report/failover-report.md
# The README's readiness example: three of its four paths miss 5 minutes and 15 minutes, as printed there.
run 1 "$root/examples/readiness/cdk.out" --rto 5m --rpo 15m
test "$(grep -c '^MISSED ' err.txt)" = 3
grep -qF '| shop.example.com (CNAME) | DNS failover | 1 min 24.6 s - 32 min 11 s | 5 min |' out.md
run 2 "$pair" --rto soon
run 2 "$scratch/no-such-cdk.out" --rto 4m
echo "the packed command: exit codes 0, 1 and 2 as documented; the README's readiness figures"

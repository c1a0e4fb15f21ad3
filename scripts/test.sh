#!/usr/bin/env bash
# Checks formatting and lint, then runs every test tier with node's test runner over the compiled
# tests: unit (pure logic), http (app.inject), client (real openstack CLI), tempest (Debian's
# Tempest), guest (real QEMU guests, docs/designs/0010-qemu-guests.md). TIERS=unit,http limits the
# run to some tiers; LINT=0 skips the lint step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${LINT:-1}" != 0 ]; then
  npx --no-install prettier --check --log-level warn .
  npx --no-install eslint .
fi
tiers=${TIERS:-unit,http,client,tempest,guest}
files=()
for tier in ${tiers//,/ }; do
  # Only compiled tests whose source still exists: tsc leaves the output of deleted files behind.
  while IFS= read -r f; do
    src=${f#dist/}
    [ -f "${src%.js}.ts" ] && files+=("$f")
  done < <(find "dist/test/$tier" -name '*.test.js' 2>/dev/null | sort)
done
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found for tiers: $tiers" >&2
  exit 1
fi
exec node --test --test-reporter=spec "${files[@]}"

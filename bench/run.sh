#!/usr/bin/env bash
# `npm run bench`: build, then run each benchmark; each prints its figures, the baseline it
# measured in the same run, and the ratio against its goal. `npm run bench -- startup` runs one.
# Figures are only as quiet as the machine: run nothing else meanwhile (each bench prints the load).
# mixed-load runs last: it is the longest (BENCH_DURATION s of load plus its set-up and tail).
# Quick run: BENCH_IMAGE_MIB=64 BENCH_ROUNDS=1 BENCH_DURATION=3 BENCH_STARTUP_RUNS=3 npm run bench
set -euo pipefail
cd "$(dirname "$0")/.."
# tsc, then TypeBox bundled into one module (src/vendor/typebox.ts says why).
npm run --silent build
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(upload-download list-images list-ports port-allocation startup volume-snapshots list-snapshots task-fairness server-boot-size server-boot-volume server-snapshot servers-parallel servers-detail-list guest-boot guest-idle stack-seed stack-concurrency mixed-load)
for b in "${benches[@]}"; do
  echo
  node "dist/bench/$b.js"
done

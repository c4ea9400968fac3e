#!/usr/bin/env bash
# `make bench`: side-by-side throughput/latency against the emulator's native-echo (benches/bench.mjs,
# with bare raw fetch and the like-for-like floor), then the SDK cost per call without the network
# against a hand-written wrapper (benches/overhead.mjs), then start-up in Node and Chromium
# (benches/startup.mjs); all three print their budgets, and bench-results.json gets everything.
# Builds pkg/ and the emulator. BENCH_QUICK=1 for a short smoke run (not for figures).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh

bash scripts/build.sh  # always: measure the code as it is now
[ -d node_modules/@supabase/functions-js ] && [ -d node_modules/@cloudbase/js-sdk ] || npm ci --no-audit --no-fund
bin=target/emulator/cloudbase-fn-emulator
cargo build --quiet --profile emulator -p cloudbase-fn-emulator
start_emulator "$bin" --functions examples/functions --faults

echo "bench: emulator at $EMULATOR_URL; machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
quick=()
[ -n "${BENCH_QUICK:-}" ] && quick=(--quick)
node --expose-gc benches/bench.mjs "$EMULATOR_URL" "${quick[@]}" --out bench-results.json
runs=20
[ -n "${BENCH_QUICK:-}" ] && runs=5
browser=()
[ -x /usr/bin/chromium ] || browser=(--no-browser)
tmp=$(mktemp -d)
node --expose-gc benches/overhead.mjs "${quick[@]}" --out "$tmp/overhead.json" | grep -v '^{'  # the JSON line goes to the file
node benches/startup.mjs "$EMULATOR_URL" --runs "$runs" "${browser[@]}" --out "$tmp/startup.json"
# fold the overhead and start-up figures into bench-results.json
node -e 'const fs=require("fs"); const r=JSON.parse(fs.readFileSync("bench-results.json")); r.overhead=JSON.parse(fs.readFileSync(process.argv[1])); r.startup=JSON.parse(fs.readFileSync(process.argv[2])); fs.writeFileSync("bench-results.json", JSON.stringify(r, null, 1))' "$tmp/overhead.json" "$tmp/startup.json"
rm -rf "$tmp"
echo "bench: done (bench-results.json)"

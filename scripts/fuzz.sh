#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 20). cargo-fuzz needs nightly
# flags (-Zsanitizer); on a stable toolchain RUSTC_BOOTSTRAP=1 enables them (see fuzz/README.md).
# Not part of the test command: the same properties run there through proptest
# (tests/contract_props/).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-20}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
for target in $(cargo fuzz list); do
  echo "== fuzz $target (${seconds}s)"
  log=$(mktemp)
  status=0
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$seconds" > "$log" 2>&1 || status=$?
  grep -E "^Done|ERROR|panicked|SUMMARY" "$log" || true
  [ "$status" -eq 0 ] || { echo "fuzz: $target failed (see fuzz/artifacts/$target)"; exit 1; }
done
echo "fuzz: all targets ran without a finding"

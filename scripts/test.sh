#!/usr/bin/env bash
# Runs every test suite in scripts/test.d/ in order (native Rust, the package build, the wasm
# build under Node and Chromium, the JS suites, the runtimes, the budgets). Each suite is a bash
# script; they share one emulator (EMULATOR_URL) and one consumer project (CLOUDBASE_FN_CONSUMER)
# with the package installed as a user installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI runs in a fresh clone: its Cargo build output goes to a cache outside the clone, so registry
# dependencies (tokio, hyper, Leptos, workers-rs) compile once per machine, not once per run. Our
# own crates still rebuild (their package ids include the clone's path); a new machine builds all.
if [ -n "${CI:-}" ] && [ ! -e target ]; then
  cache="${CLOUDBASE_FN_TARGET_CACHE:-$HOME/.cache/cloudbase-fn/target}"
  mkdir -p "$cache" && ln -s "$cache" target
  echo "ci: cargo build output cached in $cache"
fi
source scripts/emulator.sh
bash scripts/setup.sh --browser

echo "== native tests: contract and emulator (cargo test)"
cargo test --workspace

echo "== build the npm package"
bash scripts/build.sh
start_emulator target/debug/cloudbase-fn-emulator --functions examples/functions --faults
export EMULATOR_URL
export CLOUDBASE_FN_EMULATOR_BIN=$PWD/target/debug/cloudbase-fn-emulator
CLOUDBASE_FN_CONSUMER=$(node -e 'import("./tests/js/helpers/package.mjs").then(m => console.log(m.installPackage()))')
export CLOUDBASE_FN_CONSUMER

for suite in scripts/test.d/*.sh; do
  echo "== $(sed -n 's/^# suite: //p' "$suite")"
  bash "$suite"
done
echo "all suites passed"

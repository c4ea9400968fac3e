#!/usr/bin/env bash
# Runs every test: native Rust (contract + emulator), the wasm build under Node and in headless
# Chromium, and the JS suites against the npm package installed as a user would install it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh
bash scripts/setup.sh --browser

echo "== native tests: contract and emulator (cargo test)"
cargo test --workspace

echo "== build the npm package"
bash scripts/build.sh

start_emulator target/debug/cloudbase-fn-emulator --functions examples/functions --faults
export CLOUDBASE_FN_TEST_URL=$EMULATOR_URL
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
echo "== wasm-bindgen-test in Node"
cargo test --target wasm32-unknown-unknown -p cloudbase-fn --test wasm
echo "== wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p cloudbase-fn --test wasm --features browser-tests

echo "== JS tests (node --test) against pkg/ installed with npm"
CLOUDBASE_FN_CONSUMER=$(node -e 'import("./tests/js/helpers/package.mjs").then(m => console.log(m.installPackage()))')
export CLOUDBASE_FN_CONSUMER
node --test --test-concurrency=2 tests/js/

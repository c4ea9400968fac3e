# suite: wasm-bindgen-test against the emulator, in Node and in headless Chromium
set -euo pipefail
export CLOUDBASE_FN_TEST_URL=$EMULATOR_URL
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test --target wasm32-unknown-unknown -p cloudbase-fn --test wasm --features std
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p cloudbase-fn --test wasm --features std,browser-tests

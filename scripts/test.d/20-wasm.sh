# suite: wasm-bindgen-test of the core compiled to wasm32 (tests/wasm.rs), in Node and in headless Chromium, against the native build's answers
set -euo pipefail
cd "$(dirname "$0")/../.."
# The native run's digest of 6,000 random calls: the wasm runs must answer them byte for byte alike.
CLOUDBASE_FN_NATIVE_DIGEST=$(cargo test --quiet -p cloudbase-fn --test wasm random_calls -- --nocapture 2>/dev/null | sed -n 's/^wire digest: //p')
[ -n "$CLOUDBASE_FN_NATIVE_DIGEST" ] || { echo "20-wasm: the native run of tests/wasm.rs printed no digest" >&2; exit 1; }
export CLOUDBASE_FN_NATIVE_DIGEST
echo "native wire digest: $CLOUDBASE_FN_NATIVE_DIGEST"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# In Node with each operation its own function, as the server build compiles it (split-ops); in
# Chromium inlined, as the web build: the same digest either way.
cargo test --target wasm32-unknown-unknown -p cloudbase-fn --test wasm --features std,split-ops
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p cloudbase-fn --test wasm --features std,browser-tests

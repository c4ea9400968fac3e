# suite: Rust client (cloudbase_fn::Client): docs, native tests, wasm-bindgen tests in Node and Chromium, a workers-rs worker in workerd, a Leptos app in Chromium
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${EMULATOR_URL:-}" ]; then # run on its own: start the shared emulator here
  source scripts/emulator.sh
  cargo build -q -p cloudbase-fn-emulator
  start_emulator target/debug/cloudbase-fn-emulator --functions examples/functions --faults
  export EMULATOR_URL
fi
export CLOUDBASE_FN_EMULATOR_BIN=${CLOUDBASE_FN_EMULATOR_BIN:-$PWD/target/debug/cloudbase-fn-emulator}
t0=$SECONDS
step() { echo "-- $1 ($((SECONDS - t0)) s)"; }

step "cargo doc (every public item documented, no broken links)"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p cloudbase-fn --features client,client-native --no-deps

step "native tests against the emulator, and the doc examples (compiled)"
cargo test -p cloudbase-fn --features client,client-native --test client_native
cargo test -p cloudbase-fn --features client,client-native --doc client

step "the client feature alone, with a transport of the user's own (std::net), against the emulator"
cargo test -p cloudbase-fn --features client --test client_own_transport

step "wasm-bindgen tests in Node"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test -p cloudbase-fn --target wasm32-unknown-unknown --features client-web --test client_wasm

step "wasm-bindgen tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cloudbase-fn --target wasm32-unknown-unknown --features client-web,browser-tests --test client_wasm

step "workers-rs example: build (worker-build, offline), run in workerd (Miniflare)"
bash examples/rust-worker/build.sh
node --test examples/rust-worker/test.mjs

step "Leptos example: build (cargo + wasm-bindgen CLI), run in Chromium"
bash examples/rust-leptos/build.sh
node --test examples/rust-leptos/test.mjs

step "done"

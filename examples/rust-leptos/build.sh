#!/usr/bin/env bash
# Builds the Leptos app into dist/ with the toolchain this repository documents: cargo for the
# wasm32 target, then the wasm-bindgen CLI at the exact version in Cargo.lock (scripts/setup.sh
# installs it) with `--target web`. trunk would do the same, but it downloads its own
# wasm-bindgen and wasm-opt at run time, which this machine cannot (see docs/rust-client.md).
# `--release` builds with opt-level z + LTO and runs wasm-opt -Oz (node_modules/.bin/wasm-opt).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/examples}
profile=debug
if [ "${1:-}" = "--release" ]; then profile=release; fi
cargo build --target wasm32-unknown-unknown $([ $profile = release ] && echo --release)
rm -rf dist && mkdir -p dist
wasm-bindgen --target web --no-typescript --out-dir dist "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/cloudbase-fn-example-leptos.wasm"
if [ $profile = release ]; then
  "$root/node_modules/.bin/wasm-opt" -Oz --all-features dist/cloudbase-fn-example-leptos_bg.wasm -o dist/cloudbase-fn-example-leptos_bg.wasm
fi
cp index.html dist/

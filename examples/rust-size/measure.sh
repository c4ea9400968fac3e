#!/usr/bin/env bash
# The wasm a Rust app gains from the client: the same one-call app built three ways (no HTTP
# call, a hand-written gloo-net POST, a cloudbase_fn::Client call) with opt-level z + LTO, then
# wasm-bindgen --target web and wasm-opt -Oz (node_modules/.bin/wasm-opt); prints raw and gzip -9
# bytes of each .wasm. Not part of `make test` (three release builds); figures in README.md.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/examples}
out=$(mktemp -d)
printf '%-12s %10s %10s\n' variant wasm gzip
for variant in none handwritten client; do
  features=$([ $variant = none ] && echo "" || echo "--features $variant")
  cargo build -q --release --target wasm32-unknown-unknown $features
  wasm-bindgen --target web --no-typescript --out-dir "$out/$variant" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/cloudbase_fn_example_size.wasm"
  "$root/node_modules/.bin/wasm-opt" -Oz --all-features --strip-debug --strip-producers "$out/$variant/cloudbase_fn_example_size_bg.wasm" -o "$out/$variant.wasm"
  printf '%-12s %10d %10d\n' $variant "$(stat -c %s "$out/$variant.wasm")" "$(gzip -9c "$out/$variant.wasm" | wc -c)"
done
rm -rf "$out"

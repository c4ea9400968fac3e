#!/usr/bin/env bash
# Builds the worker into build/ (index.js + index_bg.wasm) with worker-build, the workers-rs
# toolchain, installed from crates.io at the version of the `worker` crate in Cargo.lock.
# worker-build downloads wasm-bindgen, esbuild and wasm-opt at run time unless told where they
# are; here they come from this repository's toolchain: the wasm-bindgen CLI that
# scripts/setup.sh installs (same version as Cargo.lock), and esbuild and wasm-opt from
# node_modules (npm ci). So it builds offline.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
version=$(awk '/^name = "worker"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
tools=$root/target/tools
# --debug: worker-build only runs cargo, wasm-bindgen, wasm-opt and esbuild, so an unoptimised
# build of it builds the worker as fast, and its install costs about half the CPU of a release one.
if [ "$("$tools/bin/worker-build" --version 2>/dev/null | awk '{print $NF}')" != "$version" ]; then
  echo "installing worker-build $version (once, into target/tools)"
  cargo install -q --debug worker-build --version "=$version" --root "$tools"
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/examples-worker}
WASM_BINDGEN_BIN=$(command -v wasm-bindgen) ESBUILD_BIN=$root/node_modules/.bin/esbuild WASM_OPT_BIN=$root/node_modules/.bin/wasm-opt \
  "$tools/bin/worker-build" --release

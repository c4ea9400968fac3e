#!/usr/bin/env bash
# The main job: build the package and the emulator, start the emulator with examples/functions,
# invoke functions through the package from Node, print results and typed errors, stop the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/emulator.sh
bash scripts/build.sh
echo "demo: building the emulator"
cargo build --quiet --profile emulator -p cloudbase-fn-emulator
(cd examples/demo && npm install --no-audit --no-fund --no-package-lock --silent)
start_emulator target/emulator/cloudbase-fn-emulator --functions examples/functions
node examples/demo/demo.mjs "$EMULATOR_URL"

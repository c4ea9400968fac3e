#!/usr/bin/env bash
# suite: size budget
# The minimal browser call (bundle JS + .wasm, gzip -9) must stay within budgets.json
# "browserGzipBytes"; scripts/size.sh --check prints the figure and fails when over.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/size.sh --check

# suite: JS tests (node --test) against pkg/ installed with npm, each file with its own emulator
set -euo pipefail
node --test --test-concurrency=2 tests/js/

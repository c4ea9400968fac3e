# suite: JS tests (node --test) against pkg/ installed with npm, each file with its own emulator
set -euo pipefail
# A defect that makes a call hang (an endless token refresh, a stream never cancelled) must fail
# the suite, not hang CI: no file takes over 20 s here, and the runner has no limit of its own.
node --test --test-concurrency=2 --test-timeout=120000 tests/js/

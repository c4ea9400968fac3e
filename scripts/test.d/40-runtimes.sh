# suite: runtimes: package layout (publint, attw, packed files, exports), Node 18/20 ESM+CJS, Deno, Bun, Chromium (plain, Vite, esbuild), workerd, WeChat mini-program
set -euo pipefail
cd "$(dirname "$0")/../.."
# Run on its own (not from scripts/test.sh), each file starts an emulator and one consumer is shared.
if [ -z "${CLOUDBASE_FN_CONSUMER:-}" ]; then
  CLOUDBASE_FN_CONSUMER=$(node -e 'import("./tests/js/helpers/package.mjs").then(m => console.log(m.installPackage()))')
  export CLOUDBASE_FN_CONSUMER
fi
node --test --test-concurrency=2 tests/runtimes/

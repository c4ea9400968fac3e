#!/usr/bin/env bash
# suite: cloudbase-fn/testing in a user's project: the packed package installed into a copy of tests/testing (Vitest and Jest pinned by its lock file), the same cases under node:test (ESM and CommonJS), Vitest and Jest, the README's example, tsc on its declarations
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
started=$SECONDS
out=$root/target/testing
app=$out/app
rm -rf "$out" && mkdir -p "$app"
# A copy, so the README's example can sit beside the project's own tests and the tree stays clean.
(cd tests/testing && tar --exclude=node_modules -cf - .) | (cd "$app" && tar -xf -)
npm pack --silent --pack-destination "$out" "$root/pkg" > /dev/null
tarball=$(ls "$out"/cloudbase-fn-*.tgz)
if ! (cd "$app" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error \
    && npm install --no-save --no-audit --no-fund --prefer-offline --loglevel=error "$tarball") > "$out/install.log" 2>&1; then
  echo "testing: installing tests/testing failed:" >&2
  tail -30 "$out/install.log" >&2
  exit 1
fi
echo "testing: installed in $((SECONDS - started)) s"

# README "## Testing your code": its first js block, run as a user would save it.
awk '/^## Testing your code/ { on = 1; next } on && /^## / { exit } on && /^```js$/ { code = 1; next } code && /^```$/ { exit } code' \
  README.md > "$app/node/readme.test.mjs"
[ -s "$app/node/readme.test.mjs" ] || { echo "testing: no js example under README's \"## Testing your code\"" >&2; exit 1; }

# Each runner with the machine's node (not a node_modules/.bin one), printing its own report;
# the counts are read from a machine-readable copy of it.
failed=0
cd "$app"
node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$out/node.tap" node/ || failed=1
node node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$out/vitest.json" || failed=1
node node_modules/jest/bin/jest.js --ci --json --outputFile="$out/jest.json" || failed=1
"$root/node_modules/.bin/tsc" -p tsconfig.json && echo "testing: tsc --noEmit on types.ts (the declarations in use): no errors" || failed=1

count() { sed -n "s/^# $1 //p" "$out/node.tap" | tail -1; }
json() { node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$1" 2>/dev/null || echo "no report"; }
echo "node-test: $(count pass) passed, $(count fail) failed"
echo "vitest: $(json "$out/vitest.json")"
echo "jest: $(json "$out/jest.json")"
echo "testing: suite took $((SECONDS - started)) s"
exit $failed

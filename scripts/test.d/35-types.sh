# suite: TypeScript declarations (tsc --noEmit on usage files against the installed package)
set -euo pipefail
root=$(pwd)
dir="$CLOUDBASE_FN_CONSUMER/types-check"
mkdir -p "$dir"
cp tests/types/*.ts tests/types/*.cts tests/types/tsconfig.json "$dir/"
ln -sfn "$CLOUDBASE_FN_CONSUMER/node_modules" "$dir/node_modules"
printf '{"type":"module"}\n' > "$dir/package.json"
tsc7="$root/node_modules/typescript/bin/tsc"

passed=0 failed=0
check() { # check NAME COMMAND...: one test; its output is shown when it fails
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1)) && echo "ok $name"
  else
    failed=$((failed + 1)) && echo "FAIL $name" && printf '%s\n' "$out" | sed 's/^/    /'
  fi
}
compile() { # compile TSC FILE...: tsc --noEmit on these files with the suite's tsconfig (strict)
  local tsc=$1
  shift
  local cfg="$dir/tsconfig.$(basename "$1").json"
  printf '{ "extends": "./tsconfig.json", "files": [%s] }\n' "$(printf '"%s",' "$@" | sed 's/,$//')" > "$cfg"
  (cd "$dir" && "$tsc" -p "$cfg")
}
stale_expect_error() { # the @ts-expect-error lines can fail: one with no error under it is itself an error
  printf 'import { createClient } from "cloudbase-fn";\n// @ts-expect-error: not an error\ncreateClient({ envId: "x" });\n' > "$dir/stale.ts"
  ! compile "$tsc7" stale.ts > /dev/null
}

check "declarations: usage.ts (untyped client, errors, options)" compile "$tsc7" usage.ts
check "typed client: createClient<Functions>, invoke<Functions, Name>, @ts-expect-error misuse" compile "$tsc7" typed-client.ts
check "typed client through require (index.d.cts)" compile "$tsc7" typed-client.cts
check "a stale @ts-expect-error fails the compile" stale_expect_error

echo "types: $passed passed, $failed failed"
[ "$failed" = 0 ]

# suite: TypeScript: the declarations (tsc --noEmit on usage files against the installed package) and cloudbase-fn-types, the function-map generator
set -euo pipefail
root=$(pwd)
dir="$CLOUDBASE_FN_CONSUMER/types-check"
mkdir -p "$dir"
cp tests/types/*.ts tests/types/*.cts tests/types/tsconfig.json "$dir/"
ln -sfn "$CLOUDBASE_FN_CONSUMER/node_modules" "$dir/node_modules"
printf '{"type":"module"}\n' > "$dir/package.json"
# TypeScript 7 (native) type-checks. The generator needs a compiler API, which TypeScript 7 lacks:
# this repo has TypeScript 6 as `typescript-api` (that alias declares a tsc bin too, hence the paths).
tsc7="$root/node_modules/typescript/bin/tsc"
tsc6="$root/node_modules/typescript-api/bin/tsc"
ts_api="$root/node_modules/typescript-api"
gen="$CLOUDBASE_FN_CONSUMER/node_modules/.bin/cloudbase-fn-types" # the bin as installed from the tarball

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
exits() { # exits CODE PATTERN COMMAND...: the command exits with CODE and its stderr matches PATTERN
  local want=$1 pattern=$2 code=0 err
  shift 2
  err=$("$@" 2>&1 >/dev/null) || code=$?
  [ "$code" = "$want" ] || { echo "exit $code, wanted $want: $err"; return 1; }
  grep -qE -- "$pattern" <<<"$err" || { echo "stderr does not match /$pattern/: $err"; return 1; }
}
stale_expect_error() { # the @ts-expect-error lines can fail: one with no error under it is itself an error
  printf 'import { createClient } from "cloudbase-fn";\n// @ts-expect-error: not an error\ncreateClient({ envId: "x" });\n' > "$dir/stale.ts"
  ! compile "$tsc7" stale.ts > /dev/null
}
untyped_text() { # the exact output for a folder of one function without types
  (cd tests/types/fixtures && "$gen" --functions untyped --typescript "$ts_api") | diff -u tests/types/fixtures/untyped.expected -
}
no_typescript() { # no typescript from the working directory nor from DIR: exit 2, saying what to install
  local tmp
  tmp=$(mktemp -d)
  cp -r tests/types/fixtures/untyped "$tmp/functions"
  (cd "$tmp" && exits 2 'no `typescript` found.*typescript@\^5 \|\| \^6' "$gen" --functions functions)
  rm -rf "$tmp"
}

readme_example() { # the README's "Typed functions" example as written: the function, the command, the app
  local ex="$dir/readme" args
  rm -rf "$ex" && mkdir -p "$ex"
  args=$(node tests/types/readme-typed.mjs "$ex")
  ln -sfn "$CLOUDBASE_FN_CONSUMER/node_modules" "$ex/node_modules"
  printf '{"type":"module"}\n' > "$ex/package.json"
  # shellcheck disable=SC2086 # the README's arguments, split as a shell would
  (cd "$ex" && "$gen" $args --typescript "$ts_api")
  cp tests/types/tsconfig.json "$ex/" && sed -i 's|"files": \["usage.ts"\]|"files": ["src/app.ts"]|' "$ex/tsconfig.json"
  (cd "$ex" && "$tsc7" -p tsconfig.json)
}

check "declarations: usage.ts (untyped client, errors, options)" compile "$tsc7" usage.ts
check "hooks, stream: true and events, untyped and typed, with @ts-expect-error misuse" compile "$tsc7" hooks-streams.ts
check "typed client: createClient<Functions>, invoke<Functions, Name>, @ts-expect-error misuse" compile "$tsc7" typed-client.ts
check "typed client under TypeScript 6 (the generator's users have 5 or 6)" compile "$tsc6" typed-client.ts usage.ts
check "typed client through require (index.d.cts)" compile "$tsc7" typed-client.cts
check "a stale @ts-expect-error fails the compile" stale_expect_error
check "generator: examples/functions" "$gen" --functions "$root/examples/functions" --out "$dir/examples-functions.d.ts" --typescript "$ts_api"
check "generated map of examples/functions: JSDoc, typedef, inferred, untyped" compile "$tsc7" generated-examples.ts
check "generator: fixtures (TS interfaces, typedefs, imports, versions, dashes)" "$gen" --functions "$root/tests/types/fixtures/functions" --out "$dir/fixtures-functions.d.ts" --typescript "$ts_api"
check "generated map of the fixtures" compile "$tsc7" generated-fixtures.ts
check "generator: the exact text for an untyped function" untyped_text
check "generator: TypeScript 7 alone (no compiler API) exits 2" exits 2 'no compiler API.*typescript@\^5 \|\| \^6' \
  bash -c 'cd "$1" && "$2" --functions "$3"' _ "$dir" "$gen" "$root/tests/types/fixtures/untyped"
check "generator: no TypeScript at all exits 2" no_typescript
check "README: the Typed functions example (function, command, app and its two misuses)" readme_example
check "generator: usage errors exit 1" exits 1 'usage: cloudbase-fn-types' "$gen" --out x.d.ts

echo "types: $passed passed, $failed failed"
[ "$failed" = 0 ]

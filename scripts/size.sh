#!/usr/bin/env bash
# Browser size of one minimal cloud-function call, side by side (`make size`):
#   cloudbase-fn          import { createClient } from "cloudbase-fn"; createClient({envId:"x"}).invoke("echo",{})
#   @cloudbase/js-sdk     the same call, modular (app + auth + functions, as the SDK's README shows) and full
#   @supabase/functions-js new FunctionsClient(url).invoke("echo", { body: {} })
#   hand-written fetch    the floor: fetch + JSON, no SDK
# Each is bundled by esbuild (--bundle --minify --format=esm --platform=browser); the figure is the
# bundle JS plus any .wasm it loads as a separate file, each compressed with gzip -9. cloudbase-fn
# inlines its wasm, so its figure is the JS alone.
#
# --check: only cloudbase-fn, compared with budgets.json "browserGzipBytes"; exits 1 when over.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-table}

[ -f pkg/package.json ] && [ -f pkg/cloudbase_fn_bg.wasm ] || bash scripts/build.sh
[ -x node_modules/.bin/esbuild ] || npm ci --no-audit --no-fund

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/node_modules"
# The package as a user's bundler sees it (its "exports" map, browser condition), and the peers
# from the repo's node_modules (esbuild follows the symlinks to their real paths).
ln -s "$root/pkg" "$work/node_modules/cloudbase-fn"
ln -s "$root/node_modules/@cloudbase" "$work/node_modules/@cloudbase"
ln -s "$root/node_modules/@supabase" "$work/node_modules/@supabase"

cat > "$work/cloudbase-fn.js" <<'EOF'
import { createClient } from "cloudbase-fn";
createClient({ envId: "x" }).invoke("echo", {});
EOF
cat > "$work/js-sdk-modular.js" <<'EOF'
import cloudbase from "@cloudbase/js-sdk/app";
import { registerAuth } from "@cloudbase/js-sdk/auth";
import { registerFunctions } from "@cloudbase/js-sdk/functions";
registerAuth(cloudbase);
registerFunctions(cloudbase);
cloudbase.init({ env: "x" }).callFunction({ name: "echo", data: {} });
EOF
cat > "$work/js-sdk-full.js" <<'EOF'
import cloudbase from "@cloudbase/js-sdk";
cloudbase.init({ env: "x" }).callFunction({ name: "echo", data: {} });
EOF
cat > "$work/supabase.js" <<'EOF'
import { FunctionsClient } from "@supabase/functions-js";
new FunctionsClient("https://x.supabase.co/functions/v1").invoke("echo", { body: {} });
EOF
cat > "$work/fetch.js" <<'EOF'
fetch("https://x.api.tcloudbasegateway.com/v1/functions/echo", {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({}),
}).then((r) => r.text()).then(JSON.parse);
EOF

gz() { gzip -9c "$1" | wc -c; }

# bundle NAME -> sets JS_RAW JS_GZ WASM_RAW WASM_GZ for $work/NAME.js
bundle() {
  local name=$1 out="$work/out/$1"
  mkdir -p "$out"
  (cd "$work" && "$root/node_modules/.bin/esbuild" "$name.js" --bundle --minify --format=esm \
    --platform=browser --log-level=error --loader:.wasm=file --asset-names=[name] \
    --outfile="$out/app.js")
  # esbuild leaves `new URL("./x.wasm", import.meta.url)` alone: the app loads the .wasm from next
  # to the bundle, so a deployment ships that file as is. Count every .wasm the bundle names.
  WASM_RAW=0 WASM_GZ=0
  local w
  for w in $(grep -oE '["'"'"'`][A-Za-z0-9_./-]+\.wasm["'"'"'`]' "$out/app.js" | tr -d "\"'\`" | sed 's#^\./##' | sort -u); do
    local src="$root/pkg/$w"
    [ -f "$out/$w" ] && src="$out/$w"
    [ -f "$src" ] || { echo "size: $name names $w but it was not found" >&2; exit 1; }
    WASM_RAW=$((WASM_RAW + $(wc -c < "$src")))
    WASM_GZ=$((WASM_GZ + $(gz "$src")))
  done
  JS_RAW=$(wc -c < "$out/app.js")
  JS_GZ=$(gz "$out/app.js")
}

# cloudbase-fn's entry carries the wasm inlined (a string) and instantiates it at import. If a
# bundler dropped that initialisation (a "sideEffects" mistake), the bundle would be tiny and
# broken: the figure only counts when the bundle still holds the module (a string starting "\0asm").
bundle_ours() {
  bundle cloudbase-fn
  node tests/js/helpers/inlined.mjs "$work/out/cloudbase-fn/app.js" || { echo "size: the cloudbase-fn bundle does not carry the wasm" >&2; exit 1; }
}

budget=$(node -e 'const b=require(process.argv[1]); console.log(b.browserGzipBytes, b.target)' "$root/budgets.json")
read -r limit target <<< "$budget"

if [ "$mode" = "--check" ]; then
  bundle_ours
  total=$((JS_GZ + WASM_GZ))
  echo "size: cloudbase-fn minimal browser call = $total B gzipped (JS $JS_GZ + wasm $WASM_GZ); budget $limit B, target $target B"
  if [ "$total" -gt "$limit" ]; then
    echo "size: OVER BUDGET by $((total - limit)) B (budgets.json browserGzipBytes = $limit)" >&2
    exit 1
  fi
  exit 0
fi

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
printf '%-40s %10s %10s %10s %10s %12s\n' "minimal browser call" "JS min" "JS gz" "wasm gz" "total gz" "total gz KB"
json="["
for entry in "cloudbase-fn:cloudbase-fn" "js-sdk-modular:@cloudbase/js-sdk (app+auth+functions)" \
             "js-sdk-full:@cloudbase/js-sdk (full)" "supabase:@supabase/functions-js" "fetch:hand-written fetch (floor)"; do
  name=${entry%%:*} label=${entry#*:}
  if [ "$name" = cloudbase-fn ]; then bundle_ours; else bundle "$name"; fi
  total=$((JS_GZ + WASM_GZ))
  printf '%-40s %10d %10d %10d %10d %12s\n' "$label" "$JS_RAW" "$JS_GZ" "$WASM_GZ" "$total" "$(kb "$total")"
  json+="{\"name\":\"$label\",\"jsMinBytes\":$JS_RAW,\"jsGzipBytes\":$JS_GZ,\"wasmBytes\":$WASM_RAW,\"wasmGzipBytes\":$WASM_GZ,\"totalGzipBytes\":$total},"
  [ "$name" = cloudbase-fn ] && ours=$total
done
echo "${json%,}]" > "$work/sizes.json"
# Where cloudbase-fn's bytes go: its bundle with the inlined wasm's string emptied (the JS alone),
# that string alone, and the wasm as a file; each gzipped on its own, so they do not add up exactly.
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  import { inlinedSpans } from "./tests/js/helpers/inlined.mjs";
  const [bundle, dir] = process.argv.slice(1), src = readFileSync(bundle, "utf8");
  const [[start, end]] = inlinedSpans(src);
  writeFileSync(dir + "/js-alone.js", src.slice(0, start + 1) + src.slice(end - 1));
  writeFileSync(dir + "/string-alone.txt", src.slice(start + 1, end - 1));' "$work/out/cloudbase-fn/app.js" "$work"
echo "cloudbase-fn parts, each gzipped alone: JS without the wasm $(gz "$work/js-alone.js") B, the inlined wasm string $(gz "$work/string-alone.txt") B (the web wasm as a file: $(gz pkg/cloudbase_fn_bg.wasm) B)"
echo
echo "cloudbase-fn: $ours B gzipped; budget (budgets.json browserGzipBytes) $limit B -> $([ "$ours" -le "$limit" ] && echo within || echo OVER); target $target B -> $([ "$ours" -le "$target" ] && echo met || echo "not met")"
if [ -n "${SIZE_JSON:-}" ]; then cp "$work/sizes.json" "$SIZE_JSON"; fi

#!/usr/bin/env bash
# Builds the npm package into pkg/: the core compiled to wasm (size-optimised; it needs no bindings
# glue), the wasm inlined as a string for the entries that compile it from bytes, the error classes
# and their types generated from the Rust table, the JS driver and entries from js/, and
# package.json from pkg.json.template.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Two builds of the same crate: the web one (browsers, bundlers, mini-programs) and the server one
# (Node, Deno, Bun, Workers) that adds TC3 signing with a secret key, which must never reach a browser.
rm -rf pkg && mkdir -p pkg/server
wasm=target/wasm32-unknown-unknown/release/cloudbase_fn_wasm.wasm
# build_variant OUT_DIR INLINE_FORM [cargo features...]; INLINE_FORM: --latin1 or --base64. With
# the split-ops feature, wasm-opt must not inline the operations back (-ocimfs 0: no inlining just
# because a function has one caller).
build_variant() {
  local out=$1 form=$2; shift 2
  local split=; case "$*" in *split-ops*) split="-ocimfs 0" ;; esac
  cargo build --quiet --release --target wasm32-unknown-unknown -p cloudbase-fn-wasm "$@"
  # wasm-opt from npm's binaryen (Debian's is too old for rustc's output). Only the features rustc
  # emitted are enabled: with --all-features wasm-opt may add ones (stringref) runtimes reject.
  local features
  features=$(node_modules/.bin/wasm-opt --detect-features --print-features "$wasm" -o /dev/null | tr '\n' ' ')
  node_modules/.bin/wasm-opt -Oz $split --converge $features --strip-debug --strip-producers --strip-target-features \
    "$wasm" -o "$out/cloudbase_fn_bg.wasm"
  # The driver instantiates the module with no imports (js/binding.js): it must need none, which is
  # also what guarantees it can never call into JS.
  node -e 'const i = WebAssembly.Module.imports(new WebAssembly.Module(require("fs").readFileSync(process.argv[1])));
    if (i.length) { console.error("build: the core imports " + i.map((x) => x.module + "." + x.name).join(", ") + "; it must import nothing"); process.exit(1); }' \
    "$out/cloudbase_fn_bg.wasm"
  # The wasm as a string for the entries that inline it: one char per byte for the browser entry
  # (it gzips best), base64 for the Node entries (faster to parse; see the script).
  node scripts/lib/inline-wasm.mjs $([ "$form" = --base64 ] && echo --base64) "$out/cloudbase_fn_bg.wasm" "$out/cloudbase_fn_inline.js"
}
build_variant pkg --latin1
build_variant pkg/server --base64 --features tc3,split-ops

# The JS is staged with the generated modules, then each entry is bundled into one file: a runtime
# loads one module instead of a dozen (each costs a millisecond or two of start-up in Node). Error classes and their declarations come from
# src/contract/errors.rs, the operation numbers from src/boundary/wire.rs.
stage=target/js-stage
rm -rf "$stage" && mkdir -p "$stage/server"
cp js/*.js js/entries/*.js js/miniprogram/*.js "$stage/"
mv pkg/cloudbase_fn_inline.js "$stage/"
mv pkg/server/cloudbase_fn_inline.js "$stage/server/"
cargo run --quiet -p cloudbase-fn-codegen -- errors-js > "$stage/errors.js"
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
cargo run --quiet -p cloudbase-fn-codegen -- ops-js > "$stage/ops.js"
# cloudbase-fn/testing: its own folder, with the gateway's status per code from src/contract/errors.rs.
mkdir -p "$stage/testing" && cp js/testing/*.js "$stage/testing/"
cargo run --quiet -p cloudbase-fn-codegen -- statuses-js > "$stage/testing/statuses.js"
cp js/testing/index.d.ts pkg/testing.d.ts && cp js/testing/index.d.ts pkg/testing.d.cts
{ cat js/index.d.ts; echo; cargo run --quiet -p cloudbase-fn-codegen -- errors-dts; } > pkg/index.d.ts
cp pkg/index.d.ts pkg/index.d.cts
cp js/miniprogram/*.d.ts pkg/
cp README.md pkg/ 2>/dev/null || true
# cloudbase-fn-types (the `bin`): writes a function map for createClient<Functions> from a functions folder.
mkdir -p pkg/bin && cp js/bin/cloudbase-fn-types.js pkg/bin/ && chmod +x pkg/bin/cloudbase-fn-types.js

# Mini-programs: the developer tools' "构建 npm" (miniprogram-ci packNpm) ignores "exports" and ES
# modules, and copies the folder named by the "miniprogram" field to miniprogram_npm/cloudbase-fn/.
# That folder holds the mini-program entry as one CommonJS file and the web wasm, brotli-compressed
# when that is smaller (WXWebAssembly reads .wasm.br from base library 2.14.0): one copy, never both,
# since every file of the folder is uploaded with the mini-program. The entry's default wasm path
# is where "构建 npm" puts that file.
mkdir -p pkg/miniprogram_dist
node -e '
  const fs = require("fs"), zlib = require("zlib");
  const wasm = fs.readFileSync("pkg/cloudbase_fn_bg.wasm");
  const br = zlib.brotliCompressSync(wasm, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } });
  if (br.length < wasm.length) fs.writeFileSync("pkg/miniprogram_dist/cloudbase_fn_bg.wasm.br", br);
  else fs.copyFileSync("pkg/cloudbase_fn_bg.wasm", "pkg/miniprogram_dist/cloudbase_fn_bg.wasm");'
mp_wasm=$(cd pkg/miniprogram_dist && ls cloudbase_fn_bg.wasm*)
mp_define=--define:__CLOUDBASE_FN_MP_WASM__=\"/miniprogram_npm/cloudbase-fn/$mp_wasm\"

esbuild=node_modules/.bin/esbuild
for entry in browser workerd miniprogram; do # node.js: below, with node.cjs
  $esbuild "$stage/$entry.js" --bundle --format=esm --log-level=error --outfile="pkg/$entry.js" \
    --external:*.wasm --platform=neutral "$mp_define"
done
$esbuild "$stage/miniprogram.js" --bundle --format=cjs --platform=neutral --target=es2017 --log-level=error \
  --outfile=pkg/miniprogram_dist/index.js "$mp_define"
# CommonJS for require() on every Node version (require of ES modules needs Node 20.19+): one file.
# node.js and node.cjs can both load in one process (an app imports the package, a dependency
# requires it): built from a copy of the stage whose error classes come from a per-process
# registry, so both hand out the same classes and `instanceof` holds across them.
rm -rf "$stage-node" && cp -r "$stage" "$stage-node"
cargo run --quiet -p cloudbase-fn-codegen -- errors-js-shared "$version" > "$stage-node/errors.js"
$esbuild "$stage-node/node.js" --bundle --format=esm --log-level=error --outfile=pkg/node.js --external:*.wasm --platform=neutral
$esbuild "$stage-node/node.js" --bundle --format=cjs --platform=node --log-level=error --outfile=pkg/node.cjs
# The test double imports "cloudbase-fn" (the package itself) instead of bundling a second core,
# so its errors are the classes the user imports.
$esbuild "$stage/testing/index.js" --bundle --format=esm --platform=neutral --external:cloudbase-fn --log-level=error --outfile=pkg/testing.js
$esbuild "$stage/testing/index.js" --bundle --format=cjs --platform=neutral --external:cloudbase-fn --log-level=error --outfile=pkg/testing.cjs

sed "s/@VERSION@/$version/" pkg.json.template > pkg/package.json

wasm_gz=$(gzip -9c pkg/cloudbase_fn_bg.wasm | wc -c)
server_gz=$(gzip -9c pkg/server/cloudbase_fn_bg.wasm | wc -c)
echo "build: server wasm (Node, Workers; with TC3 signing) $(wc -c < pkg/server/cloudbase_fn_bg.wasm) B ($server_gz B gzipped)"
echo "build: mini-program folder (\"构建 npm\"): $(wc -c < pkg/miniprogram_dist/index.js) B of CommonJS + $mp_wasm $(wc -c < pkg/miniprogram_dist/$mp_wasm) B"
echo "build: pkg/ ready; web wasm $(wc -c < pkg/cloudbase_fn_bg.wasm) B ($wasm_gz B gzipped); scripts/size.sh measures a bundled call"

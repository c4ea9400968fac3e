#!/usr/bin/env bash
# Builds the npm package into pkg/: the wasm (size-optimised), wasm-bindgen's glue, the
# hand-written entry points and types from js/, and package.json from pkg.json.template.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Two builds of the same crate: the web one (browsers, bundlers, mini-programs) and the server one
# (Node, Workers) that adds TC3 signing with a secret key, which must never reach a browser.
rm -rf pkg && mkdir -p pkg/server
wasm=target/wasm32-unknown-unknown/release/cloudbase_fn.wasm
build_variant() { # build_variant OUT_DIR JS_PREFIX [cargo features...]
  local out=$1 prefix=$2; shift 2
  cargo build --quiet --release --target wasm32-unknown-unknown -p cloudbase-fn "$@"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name cloudbase_fn "$wasm"
  # wasm-opt from npm's binaryen (Debian's is too old for rustc's output); names are stripped
  # here, not by cargo, so wasm-bindgen can still read the target features. Only the features
  # rustc emitted are enabled: with --all-features wasm-opt may add ones (stringref) runtimes reject.
  local features
  features=$(node_modules/.bin/wasm-opt --detect-features --print-features "$wasm" -o /dev/null | tr '\n' ' ')
  node_modules/.bin/wasm-opt -Oz --converge $features --strip-debug --strip-producers \
    "$out/cloudbase_fn_bg.wasm" -o "$out/cloudbase_fn_bg.wasm"
  # The glue imports js/errors.js and js/transport.js from hashed snippet paths; point it at the
  # one copy of each at the package root, so `instanceof` holds for every error the wasm raises
  # whichever build raised it.
  # Only the import statements: the glue also names the snippet in the wasm's imports object.
  sed -i -E "s#(from ['\"])\./snippets/[^'\"]*/js/([a-z]+\.js)(['\"])#\1$prefix\2\3#g" "$out/cloudbase_fn.js"
  for snippet in errors.js transport.js; do
    grep -q "from '$prefix$snippet'" "$out/cloudbase_fn.js" || { echo "build: $snippet import not found in glue" >&2; exit 1; }
  done
  if grep -qE "from ['\"]\./snippets/" "$out/cloudbase_fn.js"; then echo "build: a snippet import was not rewritten" >&2; exit 1; fi
  rm -rf "$out/snippets"
}
build_variant pkg ./
build_variant pkg/server ../ --features tc3

cp js/errors.js js/transport.js js/binding.js js/api.js js/index.d.ts pkg/
cp js/entries/*.js pkg/
cp js/miniprogram/*.js js/miniprogram/*.d.ts pkg/  # the miniprogram entry's fallbacks, transport, types
cp README.md pkg/ 2>/dev/null || true

# CommonJS for require() on every Node version (require of ES modules needs Node 20.19+).
node_modules/.bin/esbuild pkg/node.cjs.src.js --bundle --format=cjs --platform=node \
  --log-level=error --outfile=pkg/node.cjs
rm pkg/node.cjs.src.js
cp js/index.d.ts pkg/index.d.cts

version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
sed "s/@VERSION@/$version/" pkg.json.template > pkg/package.json

wasm_gz=$(gzip -9c pkg/cloudbase_fn_bg.wasm | wc -c)
glue_gz=$(cat pkg/cloudbase_fn.js pkg/errors.js pkg/transport.js pkg/binding.js pkg/api.js pkg/browser.js | gzip -9c | wc -c)
server_gz=$(gzip -9c pkg/server/cloudbase_fn_bg.wasm | wc -c)
echo "build: server wasm (Node, Workers; with TC3 signing) $(wc -c < pkg/server/cloudbase_fn_bg.wasm) B ($server_gz B gzipped)"
echo "build: pkg/ ready; browser wasm $(wc -c < pkg/cloudbase_fn_bg.wasm) B ($wasm_gz B gzipped), JS glue+entry $glue_gz B gzipped, total $((wasm_gz + glue_gz)) B gzipped"

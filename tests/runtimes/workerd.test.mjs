// Cloudflare Workers: a module worker importing the package, bundled the way Wrangler does it
// (esbuild with the workerd/worker/browser conditions, .wasm imports kept as CompiledWasm modules),
// run in real workerd through Miniflare, calling the emulator over the network. Workers refuse to
// compile wasm from bytes, so this entry (unlike the browser and Node ones) imports the server
// build's .wasm as a module and must not carry the inlined copy.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { emulator, scratch, root, UUID, assertStreaming } from "./helpers.mjs";
import { INLINED_WASM } from "../js/helpers/inlined.mjs";

let emu;
before(async () => (emu = await emulator()));
after(() => emu?.stop());

const workerdVersion = JSON.parse(
  readFileSync(join(dirname(createRequire(import.meta.url).resolve("miniflare")), "../../package.json"), "utf8"),
).dependencies.workerd;

test(`a module worker in workerd ${workerdVersion} (Miniflare) invokes functions and gets typed errors`, async (t) => {
  const dir = scratch(t, "worker");
  copyFileSync(join(root, "tests/runtimes/worker/worker.js"), join(dir, "worker.js"));
  copyFileSync(join(root, "tests/runtimes/apps/site/shared.js"), join(dir, "shared.js"));
  mkdirSync(join(dir, "out"));
  const wasmImports = [];
  await build({
    entryPoints: [join(dir, "worker.js")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    outfile: join(dir, "out/worker.js"),
    logLevel: "error",
    plugins: [
      {
        name: "wasm-modules", // what Wrangler does: the .wasm becomes a module of its own
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            wasmImports.push(args.path);
            copyFileSync(join(args.resolveDir, args.path), join(dir, "out", "cloudbase_fn_bg.wasm"));
            return { path: "./cloudbase_fn_bg.wasm", external: true };
          });
        },
      },
    ],
  });
  const bundle = readFileSync(join(dir, "out/worker.js"), "utf8");
  // The workerd entry was picked: it imports the server build's wasm as a module (the browser and
  // Node entries inline theirs as a string), and neither fetches a .wasm nor carries an inlined one.
  assert.deepEqual(wasmImports, ["./server/cloudbase_fn_bg.wasm"]);
  assert.match(bundle, /^import \w+ from "\.\/cloudbase_fn_bg\.wasm";$/m);
  assert.doesNotMatch(bundle, /new URL\("(\.\/)?cloudbase_fn_bg\.wasm"/);
  assert.doesNotMatch(bundle, INLINED_WASM, "the inlined wasm is not in the worker");

  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, "out/worker.js"),
    modulesRoot: join(dir, "out"),
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    bindings: { EMULATOR_URL: emu.url },
  });
  t.after(() => mf.dispose());
  const res = await mf.dispatchFetch("http://worker.test/");
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const out = JSON.parse(text);
  assert.equal(out.hasWindow, false);
  assert.deepEqual(out.echo, { text: "héllo ✓" });
  assert.equal(out.hello, "Hello fn");
  assert.deepEqual(out.bytes, { isUint8Array: true, length: 256 });
  assert.equal(out.notFound.typed, true);
  assert.equal(out.notFound.base, true);
  assert.equal(out.notFound.name, "FunctionNotFoundError");
  assert.equal(out.notFound.code, "FUNCTION_NOT_FOUND");
  assert.equal(out.notFound.status, 404);
  assert.match(out.notFound.requestId, UUID);
  assert.deepEqual(out.timeout, { typed: true, code: "TIMEOUT" });
  assertStreaming(out.streaming);
});

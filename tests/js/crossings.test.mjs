// The boundary is narrow by construction: the core imports nothing, so it can never reach user
// code, and a call crosses into wasm only as often as the core has something to decide. Counted on
// the real package: its wasm exports are wrapped as the package instantiates its module.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, root } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure } from "./helpers/assert.mjs";

let crossings = 0;
let coreImports;
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new NativeInstance(module, imports);
  if (typeof instance.exports.call !== "function") return instance;
  coreImports = WebAssembly.Module.imports(module);
  const exports = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    exports[name] = typeof value === "function" ? (...args) => (crossings++, value(...args)) : value;
  }
  return { exports };
};

let emu, sdk;
before(async () => {
  emu = await startEmulator();
  sdk = await importPackage();
});
after(() => emu.stop());

/** Crossings into wasm made by `fn`. */
async function counted(fn) {
  const start = crossings;
  await fn();
  return crossings - start;
}

test("the core imports nothing: it cannot call user code", () => {
  assert.ok(Array.isArray(coreImports), "the core's module was not seen at instantiation");
  assert.deepEqual(coreImports.map((i) => `${i.module}.${i.name}`), []);
});

test("a successful call crosses twice: prepare, then read the head", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, accessToken: "t" });
  await client.invoke("echo", { warm: 1 }); // the input buffer is sized by the first operations
  assert.equal(await counted(() => client.invoke("echo", { a: 1 })), 2);
  const withOptions = await counted(() => client.invoke("echo", { a: 1 }, { timeoutMs: 5000, qualifier: "$LATEST" }));
  assert.equal(withOptions, 3, "per-call options add one crossing to check them");
});

test("an error answer adds one crossing to classify it; a bad name is refused in one", async () => {
  const client = sdk.createClient({ baseUrl: emu.url });
  await client.invoke("echo", {});
  let err;
  assert.equal(await counted(async () => (err = await failure(client.invoke("no-such-fn", {})))), 3);
  assert.ok(err instanceof sdk.FunctionNotFoundError);
  assert.equal(await counted(async () => (err = await failure(client.invoke("../x", {})))), 1);
  assert.ok(err instanceof sdk.InvalidArgumentError);
});

test("the package's JavaScript holds no wasm-bindgen glue or JS-object machinery", () => {
  const pkg = join(root, "pkg");
  for (const file of readdirSync(pkg).filter((f) => /\.(c?js)$/.test(f))) {
    const text = readFileSync(join(pkg, file), "utf8");
    for (const word of ["Reflect.", "JsFuture", "future_to_promise", "__wbg_adapter", "makeMutClosure", "__wbindgen"]) {
      assert.ok(!text.includes(word), `${file} contains ${word}`);
    }
  }
  for (const file of readdirSync(join(root, "src", "boundary"))) {
    const text = readFileSync(join(root, "src", "boundary", file), "utf8");
    for (const word of ["Reflect", "JsFuture", "future_to_promise", "JsValue", "js_sys"]) assert.ok(!text.includes(word), `src/boundary/${file} uses ${word}`);
  }
});

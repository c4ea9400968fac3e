// cloudbase-fn/miniprogram, bundled the way a mini-program build does (esbuild, one CommonJS file)
// and run in a Node `vm` context shaped like WeChat's: `wx` and `WXWebAssembly`, and no fetch,
// WebAssembly, TextEncoder, TextDecoder or AbortController. wx.request does real HTTP (node:http)
// to the emulator; WXWebAssembly reads the .wasm from the "mini-program package" folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { emulator, scratch, consumerDir, UUID } from "./helpers.mjs";
import { startEmulator } from "../js/helpers/emulator.mjs";
import { makeWx } from "../packaging/wx-host.mjs";
import { INLINED_WASM } from "../js/helpers/inlined.mjs";

let emu, ctx, sdk, code, dir;
const requests = []; // what wx.request was given
let aborted = 0; // RequestTask.abort() calls

before(async () => {
  emu = await emulator();
  dir = scratch(null, "miniprogram");
  // The app's build: the library bundled to one CommonJS file, the wasm copied into the package.
  writeFileSync(join(dir, "entry.js"), 'export * from "cloudbase-fn/miniprogram";\n');
  const pkgRoot = join(dir, "package");
  mkdirSync(join(pkgRoot, "libs"), { recursive: true });
  await build({
    entryPoints: [join(dir, "entry.js")],
    bundle: true,
    format: "cjs",
    platform: "neutral",
    target: "es2017",
    outfile: join(pkgRoot, "libs/cloudbase-fn.js"),
    logLevel: "error",
  });
  copyFileSync(join(consumerDir(), "node_modules/cloudbase-fn/cloudbase_fn_bg.wasm"), join(pkgRoot, "libs/cloudbase_fn_bg.wasm"));
  code = readFileSync(join(pkgRoot, "libs/cloudbase-fn.js"), "utf8");

  ctx = vm.createContext({ console, setTimeout, clearTimeout });
  vm.runInContext("delete globalThis.WebAssembly", ctx);
  ctx.wx = makeWx(vm.runInContext("ArrayBuffer", ctx), { onRequest: (options) => requests.push(options), onAbort: () => aborted++ });
  ctx.WXWebAssembly = {
    instantiate(path, imports) {
      // Like WeChat: a path inside the package, not bytes or a URL.
      if (typeof path !== "string" || !path.startsWith("/")) return Promise.reject(new Error(`bad path ${path}`));
      return WebAssembly.instantiate(readFileSync(join(pkgRoot, path)), imports);
    },
  };
});
after(async () => {
  await emu?.stop();
  if (dir && !process.env.KEEP_SCRATCH) rmSync(dir, { recursive: true, force: true });
});

/** A value of the context's realm as one of ours (deepEqual compares prototypes). */
const plain = (value) => JSON.parse(JSON.stringify(value));
// Copied out of the context: arrays of another realm are not deepEqual to ours.
const typeofIn = (names) => Array.from(vm.runInContext(`[${names.map((n) => `typeof ${n}`).join(", ")}]`, ctx));

test("the context lacks what a mini-program lacks", () => {
  assert.deepEqual(typeofIn(["fetch", "WebAssembly", "TextEncoder", "TextDecoder", "AbortController", "window", "require"]), Array(7).fill("undefined"));
});

test("the bundle is one self-contained CommonJS file and loads in the context", () => {
  assert.doesNotMatch(code, /^\s*(import|export)\s/m);
  // The wasm comes from the package folder through WXWebAssembly, not inlined .
  assert.doesNotMatch(code, INLINED_WASM);
  const module = { exports: {} };
  const require = (name) => {
    throw new Error(`the bundle required ${name}`);
  };
  vm.runInContext(`(function (module, exports, require) {\n${code}\n})`, ctx, { filename: "libs/cloudbase-fn.js" })(module, module.exports, require);
  sdk = module.exports;
  assert.equal(typeof sdk.createClient, "function");
  assert.equal(typeof sdk.setWasmPath, "function");
  // The fallbacks are installed on the global object; fetch is still absent (wx.request is used).
  assert.deepEqual(typeofIn(["TextEncoder", "TextDecoder", "AbortController", "fetch"]), ["function", "function", "function", "undefined"]);
  sdk.setWasmPath("/libs/cloudbase_fn_bg.wasm");
});

test("TextEncoder/TextDecoder fallbacks are UTF-8 correct", () => {
  const text = "aé✓😀\u{10FFFF}";
  const encoded = vm.runInContext("(s) => new TextEncoder().encode(s)", ctx)(text);
  assert.deepEqual([...encoded], [...Buffer.from(text, "utf8")]);
  const decode = vm.runInContext("(b) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)", ctx);
  assert.equal(decode(encoded), text);
  assert.equal(decode(new Uint8Array([0xff, 0x61, 0xe2, 0x9c, 0x62, 0xf0, 0x9f, 0x98])), "\uFFFDa\uFFFDb\uFFFD");
  assert.equal(decode(undefined), "");
  // encodeInto is how the driver writes arguments into the wasm memory: whole characters only.
  const encodeInto = vm.runInContext("(s, n) => { const b = new Uint8Array(n); const { read, written } = new TextEncoder().encodeInto(s, b); return JSON.stringify([read, written, Array.from(b)]); }", ctx);
  const bytes = [...Buffer.from(text, "utf8")];
  assert.deepEqual(JSON.parse(encodeInto(text, bytes.length + 2)), [text.length, bytes.length, [...bytes, 0, 0]]);
  assert.deepEqual(JSON.parse(encodeInto("aé✓", 5)), [2, 3, [0x61, 0xc3, 0xa9, 0, 0]]);
});

test("before the wasm is ready, invalid options are a rejection of the first call", async () => {
  const bad = sdk.createClient({}); // no envId or baseUrl: does not throw here
  const err = await bad.invoke("echo", {}).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof sdk.InvalidArgumentError, String(err));
  assert.ok(err instanceof sdk.CloudBaseError);
  assert.equal(err.code, "INVALID_ARGUMENT");
  assert.equal(requests.length, 0);
  // Once ready, the wasm is loaded and WebAssembly is not left behind on the global object.
  await sdk.ready();
  assert.equal(typeofIn(["WebAssembly"])[0], "undefined");
  assert.throws(() => sdk.createClient({}), sdk.InvalidArgumentError);
});

test("results through wx.request: JSON with non-ASCII text, text/plain, bytes, raw", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, accessToken: "mp-token-123" });
  assert.deepEqual(plain(await client.invoke("echo", { text: "héllo ✓ 😀", n: [1, 2] })), { text: "héllo ✓ 😀", n: [1, 2] });
  assert.equal(await client.invoke("hello", {}), "Hello fn");
  const bytes = await client.invoke("fault-bytes", {});
  assert.equal(Object.prototype.toString.call(bytes), "[object Uint8Array]");
  assert.equal(bytes.length, 256);
  assert.equal(bytes[255], 255);
  const raw = await client.invoke("echo", { a: 1 }, { raw: true });
  assert.deepEqual(plain(raw.data), { a: 1 });
  assert.equal(raw.status, 200);
  assert.match(raw.requestId, UUID);
  assert.equal(raw.headers["x-request-id"], raw.requestId);
  assert.equal(raw.attempts, 1);

  const sent = requests.at(-1);
  assert.equal(sent.url, `${emu.url}/v1/functions/echo`);
  assert.equal(sent.method, "POST");
  assert.equal(sent.header["content-type"], "application/json");
  assert.equal(sent.header.authorization, "Bearer mp-token-123");
  assert.equal(sent.data, '{"a":1}');
  assert.equal(sent.responseType, "arraybuffer");
  assert.equal(sent.redirect, "manual");
});

test("a typed error: FunctionNotFoundError with code and requestId", async () => {
  const client = sdk.createClient({ baseUrl: emu.url });
  const err = await client.invoke("no-such-function", {}).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof sdk.FunctionNotFoundError, String(err));
  assert.equal(err.name, "FunctionNotFoundError");
  assert.equal(err.code, "FUNCTION_NOT_FOUND");
  assert.equal(err.status, 404);
  assert.match(err.requestId, UUID);
});

test("stream and events are refused before anything is sent: wx.request does not stream", async () => {
  const client = sdk.createClient({ baseUrl: emu.url });
  const before = requests.length;
  const streamed = await client.invoke("ticker", {}, { stream: true }).then(() => assert.fail("resolved"), (e) => e);
  const events = await client.events("ticker", {}).next().then(() => assert.fail("resolved"), (e) => e);
  for (const err of [streamed, events]) {
    assert.ok(err instanceof sdk.InvalidArgumentError, String(err));
    assert.match(err.message, /cannot stream/);
  }
  assert.equal(requests.length, before);
});

test("a body cut off mid-way through wx.request is a NetworkError, not a wait for the timeout", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, retry: false, timeoutMs: 30_000 });
  const started = Date.now();
  const err = await client.invoke("fault-drop-mid-body", {}).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof sdk.NetworkError, String(err));
  assert.ok(Date.now() - started < 10_000, "it ended with the connection, long before timeoutMs");
});

test("a custom fetch in a runtime without ReadableStream: stream and events are refused before sending", async () => {
  let sent = 0;
  const client = sdk.createClient({ baseUrl: emu.url, fetch: () => (sent++, new Promise(() => {})) });
  const streamed = await client.invoke("ticker", {}, { stream: true }).then(() => assert.fail("resolved"), (e) => e);
  const events = await client.events("ticker", {}).next().then(() => assert.fail("resolved"), (e) => e);
  for (const err of [streamed, events]) {
    assert.ok(err instanceof sdk.InvalidArgumentError, String(err));
    assert.match(err.message, /cannot stream/);
  }
  assert.equal(sent, 0);
});

test("a timeout aborts the RequestTask (AbortController fallback)", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, retry: false });
  const before = aborted;
  const err = await client.invoke("slow", { ms: 3000 }, { timeoutMs: 200 }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof sdk.TimeoutError, String(err));
  assert.equal(err.code, "TIMEOUT");
  assert.equal(aborted, before + 1);
});

test("the caller's signal aborts the RequestTask", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, retry: false });
  const controller = vm.runInContext("new AbortController()", ctx);
  const before = aborted;
  setTimeout(() => controller.abort(), 100);
  const err = await client.invoke("slow", { ms: 3000 }, { signal: controller.signal }).then(() => assert.fail("resolved"), (e) => e);
  assert.ok(err instanceof sdk.AbortError, String(err));
  assert.equal(aborted, before + 1);
});

test("the one-shot invoke works", async () => {
  assert.deepEqual(plain(await sdk.invoke({ baseUrl: emu.url }, "echo", { one: "shot" })), { one: "shot" });
});

test("anonymous sign-in through wx.request, and its token accepted by the functions route", async () => {
  const authEmu = await startEmulator(["--auth"]);
  try {
    const accessToken = await sdk.signInAnonymously({ baseUrl: authEmu.url, deviceId: "mini-program-device-0001" });
    const token = await accessToken();
    assert.equal(token.split(".").length, 3, "a JWT");
    const c = sdk.createClient({ baseUrl: authEmu.url, accessToken });
    assert.deepEqual(plain(await c.invoke("echo", { from: "wx" })), { from: "wx" });
  } finally {
    await authEmu.stop();
  }
});

// WeChat mini-programs: the developer tools' "构建 npm", reproduced with miniprogram-ci's packNpm
// (pinned in tests/packaging/miniprogram) on a mini-program project (its project/ folder, copied to
// a scratch folder where the packed package is `npm install`ed as a user does, which lists it in
// "dependencies", the list 构建 npm builds), then the page run in a WeChat-shaped host
// (wx-host.mjs): the page does
// `require("cloudbase-fn")` and calls functions with no setWasmPath, so the default wasm path must
// be where packNpm put the file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { app, versionOf, emulator, assertInstalled, run, tarball, UUID } from "./helpers.mjs";
import { createHost } from "./wx-host.mjs";
import { INLINED_WASM } from "../js/helpers/inlined.mjs";

let emu;
before(async () => (emu = await emulator()));
after(() => emu?.stop());

const filesIn = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).sort();

test(`miniprogram-ci ${versionOf("miniprogram", "miniprogram-ci")} packNpm ("构建 npm"), then the page runs in a wx host with no setWasmPath`, async (t) => {
  assertInstalled("miniprogram");
  // A real (not symlinked) folder: miniprogram-ci compares the project's path with the paths it
  // resolves, and CI's target/ is a link to a build cache.
  const dir = mkdtempSync(join(tmpdir(), "mp-project-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(app("miniprogram"), "project"), dir, { recursive: true });
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball()], { cwd: dir, limitMs: 60_000 });
  assert.equal(install.code, 0, install.stderr);
  const npmDir = join(dir, "miniprogram_npm");
  const ci = createRequire(join(app("miniprogram"), "package.json"))("miniprogram-ci");
  // packNpm never uploads, but the Project wants an upload key file: a throwaway one.
  const keyDir = mkdtempSync(join(tmpdir(), "mp-key-"));
  t.after(() => rmSync(keyDir, { recursive: true, force: true }));
  const privateKeyPath = join(keyDir, "private.key");
  writeFileSync(privateKeyPath, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }));
  const project = new ci.Project({ appid: "touristappid", type: "miniProgram", projectPath: dir, privateKeyPath, ignores: ["node_modules/**/*"] });
  const started = Date.now();
  const warnings = await ci.packNpm(project, { reporter: () => {} });
  t.diagnostic(`packNpm: ${Date.now() - started} ms`);
  assert.deepEqual(warnings, []);

  // It copied the package's "miniprogram" folder: the CommonJS bundle and one copy of the wasm.
  const shipped = join(npmDir, "cloudbase-fn");
  const files = filesIn(shipped);
  const wasm = files.filter((f) => /\.wasm(\.br)?$/.test(f));
  assert.deepEqual(files.filter((f) => !wasm.includes(f)), ["index.js"]);
  assert.equal(wasm.length, 1, `one wasm file is shipped, not two: ${files}`);
  const code = readFileSync(join(shipped, "index.js"), "utf8");
  assert.doesNotMatch(code, /^\s*(import|export)\s/m, "CommonJS");
  assert.doesNotMatch(code, INLINED_WASM, "the wasm is a file of the package, not inlined");
  t.diagnostic(`miniprogram_npm/cloudbase-fn: index.js ${statSync(join(shipped, "index.js")).size} B, ${wasm[0]} ${statSync(join(shipped, wasm[0])).size} B`);

  const host = createHost(dir);
  const data = await host.openPage("pages/index/index", { emulator: encodeURIComponent(emu.url) });
  const out = data.result;
  assert.equal(out.failed, undefined, out.failed);
  assert.deepEqual(out.echo, { text: "héllo ✓" });
  assert.equal(out.hello, "Hello fn");
  assert.deepEqual({ ...out.notFound, requestId: undefined }, { typed: true, base: true, code: "FUNCTION_NOT_FOUND", requestId: undefined });
  assert.match(out.notFound.requestId, UUID);
  assert.deepEqual(out.timeout, { typed: true, code: "TIMEOUT" });
  // The default path, with no setWasmPath: exactly where packNpm put the file.
  assert.deepEqual(host.instantiated, [`/miniprogram_npm/cloudbase-fn/${wasm[0]}`]);
  assert.deepEqual(host.typeofIn(["fetch", "WebAssembly", "window"]), ["undefined", "undefined", "undefined"]);
  assert.ok(existsSync(join(dir, "node_modules/cloudbase-fn/package.json")));
});

/** The mini-program's wasm files in a build output, relative to it. */
const wasmIn = (dir) => filesIn(dir).filter((f) => /\.wasm(\.br)?$/.test(f));

/** The output ships the package's wasm exactly once, at the default path, and no inlined copy. */
function assertOneWasm(out) {
  assert.deepEqual(wasmIn(out), ["miniprogram_npm/cloudbase-fn/cloudbase_fn_bg.wasm.br"], "the wasm, once, where the entry looks by default");
  assert.ok(readFileSync(join(out, "miniprogram_npm/cloudbase-fn/cloudbase_fn_bg.wasm.br")).equals(readFileSync(join(app("taro"), "node_modules/cloudbase-fn/miniprogram_dist/cloudbase_fn_bg.wasm.br"))));
  for (const f of filesIn(out).filter((f) => f.endsWith(".js"))) assert.doesNotMatch(readFileSync(join(out, f), "utf8"), INLINED_WASM, `${f} carries an inlined wasm`);
}

function assertMiniprogramCalls(out, host) {
  assert.equal(out.failed, undefined, out.failed);
  assert.deepEqual(out.echo, { text: "héllo ✓" });
  assert.equal(out.hello, "Hello fn");
  assert.deepEqual({ ...out.notFound, requestId: undefined }, { typed: true, base: true, code: "FUNCTION_NOT_FOUND", requestId: undefined });
  assert.match(out.notFound.requestId, UUID);
  assert.deepEqual(out.timeout, { typed: true, code: "TIMEOUT" });
  assert.deepEqual(host.instantiated, ["/miniprogram_npm/cloudbase-fn/cloudbase_fn_bg.wasm.br"]);
}

test(`Taro ${versionOf("taro", "@tarojs/cli")} (React, webpack 5) weapp build: one copy line; the page runs in a wx host`, async (t) => {
  assertInstalled("taro");
  const out = join(app("taro"), "dist");
  rmSync(out, { recursive: true, force: true });
  const build = await run(join(app("taro"), "node_modules/.bin/taro"), ["build", "--type", "weapp"], { cwd: app("taro"), env: { NO_COLOR: "1" }, limitMs: 240_000 });
  assert.equal(build.code, 0, `${build.stdout.slice(-3000)}\n${build.stderr}`);
  t.diagnostic(`taro build --type weapp: ${build.ms} ms`);
  assertOneWasm(out);
  // Taro's own runtime (React reconciler, webpack chunks) renders the page, whose onLoad calls.
  const host = createHost(out);
  const data = await host.openPage("pages/index/index", { emulator: encodeURIComponent(emu.url) }, (d) => /echo|failed/.test(JSON.stringify(d)));
  const text = Object.entries(data).find(([k, v]) => k.endsWith(".v") && typeof v === "string" && v.startsWith("{"))?.[1];
  assert.ok(text, `the page rendered no result: ${JSON.stringify(data)}`);
  assertMiniprogramCalls(JSON.parse(text), host);
});

test(`uni-app ${versionOf("uniapp", "@dcloudio/vite-plugin-uni")} (Vue 3, Vite ${versionOf("uniapp", "vite")}) mp-weixin build: one plugin line; its calls module runs in a wx host`, async (t) => {
  assertInstalled("uniapp");
  const out = join(app("uniapp"), "dist/build/mp-weixin");
  rmSync(join(app("uniapp"), "dist"), { recursive: true, force: true });
  const build = await run(join(app("uniapp"), "node_modules/.bin/uni"), ["build", "-p", "mp-weixin"], { cwd: app("uniapp"), env: { NO_COLOR: "1" }, limitMs: 240_000 });
  assert.equal(build.code, 0, `${build.stdout.slice(-3000)}\n${build.stderr}`);
  t.diagnostic(`uni build -p mp-weixin: ${build.ms} ms`);
  assertOneWasm(out);
  // The app's calls module as uni-app emitted it (with uni-app's vendor chunk: Vue, uni's runtime, cloudbase-fn).
  const host = createHost(out);
  const result = await host.load("calls.js").calls(emu.url);
  assertMiniprogramCalls(JSON.parse(JSON.stringify(result)), host); // a value of the host's realm, as one of ours
});

// Browsers and bundlers: the same small app served as a plain <script type="module"> page (import
// map to the installed package), built with Vite, and bundled with esbuild, each page served from
// localhost on its own port (so calls to the emulator are cross-origin), run in headless Chromium
// driven by playwright-core. The browser entry carries the wasm inlined and compiles it
// synchronously at import: no copy step, no wasm asset, no request for a .wasm file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { copyFileSync, cpSync, createReadStream, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { extname, join, normalize, relative } from "node:path";
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";
import { chromium } from "playwright-core";
import { emulator, scratch, consumerDir, root, installed, inlinedWasm, CHROMIUM, CHROMIUM_ARGS, UUID, assertStreaming } from "./helpers.mjs";
import { INLINED_WASM } from "../js/helpers/inlined.mjs";

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
let emu, server, base, browser, site;

/** Serves the consumer project (pages and node_modules) as static files. */
function serve(dir) {
  const srv = http.createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (!path.startsWith(dir) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(srv)));
}

before(async () => {
  emu = await emulator();
  site = scratch(null, "site");
  cpSync(join(root, "tests/runtimes/apps/site"), site, { recursive: true });
  server = await serve(consumerDir());
  base = `http://localhost:${server.address().port}/${relative(consumerDir(), site)}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await emu?.stop();
  if (site && !process.env.KEEP_SCRATCH) rmSync(site, { recursive: true, force: true });
});

/** Loads the page, waits for its app's outcome, and checks it asked for no .wasm file. `probe(page)`
 * runs in the page afterwards. */
async function runPage(path, probe) {
  const page = await browser.newPage();
  const problems = [];
  const requested = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("request", (r) => requested.push(r.url()));
  try {
    const url = `${base}/${path}?emulator=${encodeURIComponent(emu.url)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.__result, null, { timeout: 15_000 }).catch((e) => {
      throw new Error(`${e.message}\n${problems.join("\n")}`);
    });
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(requested.filter((u) => new URL(u).pathname.endsWith(".wasm")), [], "the page must not fetch a .wasm file");
    if (probe) await probe(page);
    return result;
  } finally {
    await page.close();
  }
}

/** Every file under `dir` (relative paths). */
const filesIn = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile());

/** No emitted file is a .wasm, and no emitted text file refers to one. */
function assertNoWasm(dir) {
  const files = filesIn(dir);
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.deepEqual(wasm, [], `.wasm files were emitted in ${dir}: ${wasm.join(", ")}`);
  for (const f of files.filter((f) => /\.(js|mjs|html|css)$/.test(f))) {
    assert.doesNotMatch(readFileSync(join(dir, f), "utf8"), /\.wasm\b/, `${f} refers to a .wasm file`);
  }
  return files;
}

function assertResult(out) {
  assert.equal(out.failed, undefined, out.failed);
  assert.equal(out.ready, "InvalidArgumentError", "the core validated options synchronously while the app's module evaluated");
  assert.notEqual(out.origin, new URL(emu.url).origin, "the page must call the emulator cross-origin");
  assert.match(out.origin, /^http:\/\/localhost:\d+$/);
  assert.deepEqual(out.echo, { text: "héllo ✓", n: [1, 2] });
  assert.equal(out.hello, "Hello fn");
  assert.equal(out.raw.status, 200);
  assert.match(out.raw.requestId, UUID);
  assert.equal(out.raw.header, out.raw.requestId); // X-Request-Id is exposed through CORS
  assert.deepEqual({ ...out.notFound, requestId: undefined }, {
    typed: true, base: true, name: "FunctionNotFoundError", code: "FUNCTION_NOT_FOUND", status: 404, requestId: undefined,
  });
  assert.match(out.notFound.requestId, UUID);
  assertStreaming(out.streaming);
}

/** In the page (main thread): each inlined wasm, compiled with the synchronous `new
 * WebAssembly.Module`, which Chromium refuses on the main thread above a size limit. */
function compileOnMainThread(page, modules) {
  return page.evaluate((modules) => {
    const out = {};
    for (const [name, base64] of Object.entries(modules)) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const mainThread = typeof window !== "undefined" && globalThis === window;
      try {
        out[name] = { size: bytes.length, mainThread, exports: WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name) };
      } catch (e) {
        out[name] = { size: bytes.length, mainThread, error: `${e.name}: ${e.message}` };
      }
    }
    return out;
  }, modules);
}

test("Chromium: a plain <script type=module> page (import map to the installed package)", async (t) => {
  // What browser.js inlines (the web build), and what a page bundled with the Node entry would (the server build).
  const [web, ...moreWeb] = inlinedWasm(installed(), "browser.js");
  const [server, ...moreServer] = inlinedWasm(installed(), "node.js");
  assert.ok(web && server && !moreWeb.length && !moreServer.length, "browser.js and node.js each inline one wasm");
  const modules = { web: web.toString("base64"), server: server.toString("base64") };
  let compiled;
  const out = await runPage("plain.html", async (page) => (compiled = await compileOnMainThread(page, modules)));
  // Both builds compiled directly, with their sizes, and the exact error if Chromium ever refuses.
  for (const [name, file] of [["web", "cloudbase_fn_bg.wasm"], ["server", "server/cloudbase_fn_bg.wasm"]]) {
    const { size, mainThread, error, exports } = compiled[name];
    assert.equal(size, statSync(join(installed(), file)).size, `the inlined ${name} wasm is ${file}`);
    assert.equal(mainThread, true);
    assert.equal(error, undefined, `Chromium refused to compile the ${name} wasm (${size} B) synchronously on the main thread: ${error}`);
    for (const e of ["memory", "input", "slot", "call"]) assert.ok(exports.includes(e), `the ${name} wasm exports ${e}`);
    t.diagnostic(`${name} wasm: ${size} B, compiled synchronously on the main thread`);
  }
  // The app's calls worked, so browser.js also compiled the web build synchronously at import.
  assertResult(out);
});

test("Vite: the app builds with no wasm asset and no .wasm reference, and the page works in Chromium", async () => {
  const out = join(site, "vite-dist");
  await viteBuild({ root: site, base: "./", configFile: false, logLevel: "error", build: { outDir: out, emptyOutDir: true } });
  const files = assertNoWasm(out);
  const scripts = files.filter((f) => f.endsWith(".js"));
  assert.ok(scripts.some((f) => readFileSync(join(out, f), "utf8").match(INLINED_WASM)), `the inlined wasm is in ${scripts}`);
  assertResult(await runPage("vite-dist/index.html"));
});

test("esbuild: the app bundles (ESM, no top-level await) with nothing to copy, and the page works in Chromium", async () => {
  const out = join(site, "esbuild-dist");
  await esbuild({
    entryPoints: [join(site, "app.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    supported: { "top-level-await": false }, // fails the build if the browser entry needs it
    outdir: out,
    logLevel: "error",
  });
  assert.deepEqual(assertNoWasm(out), ["app.js"]);
  assert.match(readFileSync(join(out, "app.js"), "utf8"), INLINED_WASM); // the inlined wasm
  copyFileSync(join(site, "esbuild.html"), join(out, "index.html"));
  assertResult(await runPage("esbuild-dist/index.html"));
});

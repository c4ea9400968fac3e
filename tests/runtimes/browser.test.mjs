// Browsers and bundlers: the same small app served as a plain <script type="module"> page (import
// map to the installed package), built with Vite, and bundled with esbuild (wasm shipped next to
// the bundle), each page served from localhost on its own port (so calls to the emulator are
// cross-origin), run in headless Chromium driven by playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { copyFileSync, cpSync, createReadStream, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { extname, join, normalize, relative } from "node:path";
import { build as esbuild } from "esbuild";
import { build as viteBuild } from "vite";
import { chromium } from "playwright-core";
import { emulator, scratch, consumerDir, root, CHROMIUM, CHROMIUM_ARGS, UUID } from "./helpers.mjs";

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

async function runPage(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  try {
    const url = `${base}/${path}?emulator=${encodeURIComponent(emu.url)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.__result, null, { timeout: 15_000 }).catch((e) => {
      throw new Error(`${e.message}\n${problems.join("\n")}`);
    });
    return await page.evaluate(() => window.__result);
  } finally {
    await page.close();
  }
}

function assertResult(out) {
  assert.equal(out.failed, undefined, out.failed);
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
}

test("Chromium: a plain <script type=module> page (import map to the installed package)", async () => {
  assertResult(await runPage("plain.html"));
});

test("Vite: the app builds, the wasm is emitted as an asset, and the page works in Chromium", async () => {
  await viteBuild({ root: site, base: "./", configFile: false, logLevel: "error", build: { outDir: join(site, "vite-dist"), emptyOutDir: true } });
  const assets = readdirSync(join(site, "vite-dist/assets"));
  assert.ok(assets.some((f) => /^cloudbase_fn_bg-.*\.wasm$/.test(f)), `no wasm asset in ${assets}`);
  assertResult(await runPage("vite-dist/index.html"));
});

test("esbuild: the app bundles (ESM, wasm copied next to the bundle) and the page works in Chromium", async () => {
  const out = join(site, "esbuild-dist");
  mkdirSync(out);
  await esbuild({ entryPoints: [join(site, "app.js")], bundle: true, format: "esm", platform: "browser", outfile: join(out, "app.js"), logLevel: "error" });
  const bundle = readFileSync(join(out, "app.js"), "utf8");
  assert.match(bundle, /new URL\("\.\/cloudbase_fn_bg\.wasm", import\.meta\.url\)/);
  copyFileSync(join(consumerDir(), "node_modules/cloudbase-fn/cloudbase_fn_bg.wasm"), join(out, "cloudbase_fn_bg.wasm"));
  copyFileSync(join(site, "esbuild.html"), join(out, "index.html"));
  assertResult(await runPage("esbuild-dist/index.html"));
});

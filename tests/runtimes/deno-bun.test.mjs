// Deno and Bun (from npm: `deno`, `bun`), from the installed package: the same calls as the Node
// apps (one of them timing out), and the process must exit with code 0 by itself. Deno runs with
// network access to the emulator only: no --allow-read, so the entry must not read the .wasm file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { emulator, scratch, run, root, assertCalls } from "./helpers.mjs";

let emu;
before(async () => (emu = await emulator()));
after(() => emu?.stop());

/** The binary of the platform package when it is still there, else what the wrapper's postinstall put in its place. */
const binary = (...candidates) => candidates.map((p) => join(root, "node_modules", p)).find((p) => existsSync(p));
const DENO = binary("@deno/linux-x64-glibc/deno", "deno/deno");
const BUN = binary("@oven/bun-linux-x64/bin/bun", "bun/bin/bun.exe");

/** Runs `file` (from tests/runtimes/node) in a scratch folder of the consumer project. */
async function runCalls(t, command, args, file) {
  const dir = scratch(t, "server");
  for (const f of [file, "calls-run.cjs"]) copyFileSync(join(root, "tests/runtimes/node", f), join(dir, f));
  // 10 s is a liveness bound, not a timing test: a leaked timer or socket keeps it running.
  const { code, signal, stdout, stderr } = await run(command, [...args, file, emu.url], {
    cwd: dir,
    env: { EMULATOR_URL: emu.url, NO_COLOR: "1" },
    limitMs: 10_000,
  });
  assert.equal(signal, null);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout);
}

test("Deno (--allow-net=127.0.0.1 only): calls work and the process exits on its own", { skip: !DENO && "npm deno is not installed" }, async (t) => {
  const { stdout } = await run(DENO, ["--version"]);
  t.diagnostic(stdout.split("\n")[0]);
  // node_modules as npm left it (no install by Deno); bare specifiers resolve through its exports map.
  const out = await runCalls(t, DENO, ["run", "--allow-net=127.0.0.1", "--node-modules-dir=manual", "--no-lock"], "calls-args.mjs");
  assertCalls(out, "node.js");
});

for (const [format, file, entry] of [["ESM", "calls-args.mjs", "node.js"], ["CommonJS", "calls.cjs", "node.cjs"]]) {
  test(`Bun, ${format}: calls work and the process exits on its own`, { skip: !BUN && "npm bun is not installed" }, async (t) => {
    const { stdout } = await run(BUN, ["--version"]);
    t.diagnostic(`bun ${stdout.trim()}`);
    assertCalls(await runCalls(t, BUN, [], file), entry);
  });
}

// Node 18 and the current Node (20 here), ES modules and CommonJS, from the installed package: a
// child process makes calls (one of them timing out) and must exit with code 0 by itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { emulator, scratch, run, root, NODE18, assertCalls } from "./helpers.mjs";

let emu;
before(async () => (emu = await emulator()));
after(() => emu?.stop());

const nodes = [
  ["Node 18", NODE18],
  [`Node ${process.versions.node.split(".")[0]}`, process.execPath],
];

for (const [label, node] of nodes) {
  for (const [format, file, entry] of [["ESM", "calls.mjs", "node.js"], ["CommonJS", "calls.cjs", "node.cjs"]]) {
    test(`${label}, ${format}: calls work and the process exits on its own`, async (t) => {
      const dir = scratch(t, "node");
      for (const f of [file, "calls-run.cjs"]) copyFileSync(join(root, "tests/runtimes/node", f), join(dir, f));
      // 10 s is a liveness bound, not a timing test: a leaked timer or socket keeps it running.
      const { code, signal, stdout, stderr } = await run(node, [file], { cwd: dir, env: { EMULATOR_URL: emu.url }, limitMs: 10_000 });
      assert.equal(signal, null);
      assert.equal(code, 0, stderr);
      assertCalls(JSON.parse(stdout), entry);
    });
  }
}

test("Node, ESM, imported without a global Buffer: the inlined wasm is decoded with atob and calls work", async (t) => {
  const dir = scratch(t, "node");
  for (const f of ["calls-nobuffer.mjs", "calls-run.cjs"]) copyFileSync(join(root, "tests/runtimes/node", f), join(dir, f));
  const { code, signal, stdout, stderr } = await run(process.execPath, ["calls-nobuffer.mjs"], { cwd: dir, env: { EMULATOR_URL: emu.url }, limitMs: 10_000 });
  assert.equal(signal, null);
  assert.equal(code, 0, stderr);
  assertCalls(JSON.parse(stdout), "node.js");
});

test("Node 18: the JS suite tests/js/invoke.test.mjs passes", async () => {
  const { code, stdout, stderr } = await run(NODE18, ["--test", "--test-reporter=tap", join(root, "tests/js/invoke.test.mjs")], {
    cwd: root,
    limitMs: 120_000,
  });
  assert.equal(code, 0, `${stdout.split("\n").filter((l) => /not ok|error|Error/.test(l)).slice(0, 40).join("\n")}\n${stderr}`);
  assert.match(stdout, /^# fail 0$/m);
  assert.doesNotMatch(stdout, /^# pass 0$/m);
});

// The package as published: publint and arethetypeswrong on the packed tarball, and which file
// each runtime's conditions select from the "exports" map of the installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { root, consumerDir, run, NODE18 } from "./helpers.mjs";

test("publint reports nothing (errors, warnings or suggestions)", async () => {
  const { messages } = await publint({ pkgDir: join(root, "pkg"), level: "suggestion", strict: true });
  assert.deepEqual(messages.map((m) => `${m.type} ${m.code} ${m.path.join(".")}`), []);
});

test("arethetypeswrong: no problems but the stated one", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "cloudbase-fn-attw-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", dir, join(root, "pkg")], { stdio: "ignore" });
  const tarball = join(dir, readdirSync(dir).find((f) => f.endsWith(".tgz")));
  const { stdout, code } = await run(join(root, "node_modules/.bin/attw"), ["--format", "json", tarball], { limitMs: 60_000 });
  const report = JSON.parse(stdout);
  const resolutions = report.analysis.entrypoints["."].resolutions;
  const files = (kind) => [resolutions[kind].resolution.fileName, resolutions[kind].implementationResolution.fileName];
  assert.deepEqual(files("node16-cjs"), ["/node_modules/cloudbase-fn/index.d.cts", "/node_modules/cloudbase-fn/node.cjs"]);
  assert.deepEqual(files("node16-esm"), ["/node_modules/cloudbase-fn/index.d.ts", "/node_modules/cloudbase-fn/node.js"]);
  assert.deepEqual(files("bundler"), ["/node_modules/cloudbase-fn/index.d.ts", "/node_modules/cloudbase-fn/browser.js"]);
  // Stated exception: `cloudbase-fn/miniprogram` is ES modules only. It runs only inside a
  // mini-program bundle (it needs WXWebAssembly and wx.request), never under Node's require(),
  // and bundlers accept require() of it. Everything else must be clean.
  const problems = report.analysis.problems.filter(
    (p) => !(p.kind === "CJSResolvesToESM" && p.entrypoint === "./miniprogram"),
  );
  assert.deepEqual(problems, []);
  assert.ok(code === 0 || report.analysis.problems.length > 0, `attw exited with ${code}`);
});

/** Which file `cloudbase-fn` (or a subpath) resolves to in the consumer project under these conditions. */
async function resolved(node, conditions, specifier = "cloudbase-fn", mode = "import") {
  const script =
    mode === "import"
      ? `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`
      : `console.log(require.resolve(${JSON.stringify(specifier)}))`;
  const args = [...conditions.map((c) => `--conditions=${c}`), mode === "import" ? "--input-type=module" : "--input-type=commonjs", "-e", script];
  const { code, stdout, stderr } = await run(node, args, { cwd: consumerDir() });
  assert.equal(code, 0, stderr);
  return stdout.trim().split("/").pop();
}

for (const [label, node] of [["Node 18", NODE18], [`Node ${process.versions.node.split(".")[0]}`, process.execPath]]) {
  test(`exports map under ${label}: each runtime's conditions pick its entry`, async () => {
    assert.equal(await resolved(node, []), "node.js");
    assert.equal(await resolved(node, [], "cloudbase-fn", "require"), "node.cjs");
    assert.equal(await resolved(node, ["browser"]), "browser.js");
    assert.equal(await resolved(node, ["workerd"]), "workerd.js");
    assert.equal(await resolved(node, ["worker"]), "workerd.js");
    assert.equal(await resolved(node, [], "cloudbase-fn/miniprogram"), "miniprogram.js");
  });
}

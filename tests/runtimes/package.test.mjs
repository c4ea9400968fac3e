// The package as published: publint and arethetypeswrong on the packed tarball, which files are
// packed and which each entry loads, and which file each runtime's conditions select from the
// "exports" map of the installed package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { root, consumerDir, run, NODE18, installed, loadedBy, inlinedWasm } from "./helpers.mjs";

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

test("packed files: what the entries load, the types and the mini-program's wasm; each entry gets its wasm its own way", () => {
  const dir = installed();
  const packed = readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).sort();
  const entries = ["browser.js", "node.js", "node.cjs", "workerd.js", "miniprogram.js", "testing.js", "testing.cjs"];
  const graph = Object.fromEntries(entries.map((e) => [e, loadedBy(dir, e)]));
  for (const [entry, files] of Object.entries(graph)) {
    for (const f of files) assert.ok(packed.includes(f), `${entry} loads ${f}, which is not packed`);
  }
  // The "miniprogram" field's folder, which 构建 npm copies whole (tests/packaging runs it): the
  // mini-program entry as one CommonJS file and one copy of the web wasm (brotli when smaller).
  const mpDist = packed.filter((f) => f.startsWith("miniprogram_dist/"));
  assert.deepEqual(mpDist.filter((f) => !/\.wasm(\.br)?$/.test(f)), ["miniprogram_dist/index.js"]);
  assert.equal(mpDist.length, 2, `one wasm in miniprogram_dist: ${mpDist}`);
  assert.deepEqual(inlinedWasm(dir, "miniprogram_dist/index.js"), []);
  // bin/: cloudbase-fn-types, the function-map generator (a command, loaded by no entry).
  const extras = ["README.md", "package.json", "index.d.ts", "index.d.cts", "miniprogram.d.ts", "testing.d.ts", "testing.d.cts", "cloudbase_fn_bg.wasm", "bin/cloudbase-fn-types.js", ...mpDist];
  assert.deepEqual(packed, [...new Set([...Object.values(graph).flat(), ...extras])].sort(), "packed files nothing loads");
  // "sideEffects" names only packed files (a stale name misleads whoever reads the field).
  const { sideEffects } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const f of sideEffects) assert.ok(packed.includes(f.replace(/^\.\//, "")), `sideEffects names ${f}, which is not packed`);

  // Browsers, Node (ESM and CommonJS), Deno and Bun compile an inlined copy at import: no .wasm to
  // locate. Workers import the server build's .wasm as a module; mini-programs instantiate the web
  // build's .wasm by path (setWasmPath), which the app copies from the package.
  const web = readFileSync(join(dir, "cloudbase_fn_bg.wasm"));
  const server = readFileSync(join(dir, "server/cloudbase_fn_bg.wasm"));
  const wasmFiles = (entry) => graph[entry].filter((f) => f.endsWith(".wasm"));
  const same = (a, b) => a.length === b.length && a.every((bytes, i) => bytes.equals(b[i]));
  for (const entry of ["browser.js", "node.js", "node.cjs", "miniprogram.js"]) assert.deepEqual(wasmFiles(entry), [], `${entry} loads no .wasm`);
  assert.deepEqual(wasmFiles("workerd.js"), ["server/cloudbase_fn_bg.wasm"]);
  // Each inlined copy is byte for byte the .wasm of its build; the web entries never hold the
  // server build (it has the TC3 signer).
  assert.ok(same(inlinedWasm(dir, "browser.js"), [web]), "browser.js inlines the web build, once");
  assert.ok(same(inlinedWasm(dir, "node.js"), [server]), "node.js inlines the server build, once");
  assert.ok(same(inlinedWasm(dir, "node.cjs"), [server]), "node.cjs inlines the server build, once");
  assert.deepEqual(inlinedWasm(dir, "workerd.js"), []);
  assert.deepEqual(inlinedWasm(dir, "miniprogram.js"), []);
  assert.ok(!web.equals(server));
  // cloudbase-fn/testing holds no core of its own: it loads the package itself ("cloudbase-fn"),
  // so its errors are the classes users import from the main entry.
  for (const entry of ["testing.js", "testing.cjs"]) {
    assert.deepEqual(graph[entry], [entry], `${entry} loads no file of the package by a relative path`);
    assert.deepEqual(inlinedWasm(dir, entry), []);
    assert.match(readFileSync(join(dir, entry), "utf8"), entry.endsWith(".cjs") ? /require\("cloudbase-fn"\)/ : /from "cloudbase-fn"/);
  }
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
    assert.equal(await resolved(node, [], "cloudbase-fn/testing"), "testing.js");
    assert.equal(await resolved(node, [], "cloudbase-fn/testing", "require"), "testing.cjs");
  });
}

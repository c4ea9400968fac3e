// Shared by the runtime tests: the emulator (the one scripts/test.sh started, else a fresh one),
// the consumer project with the packed package installed, scratch folders, child processes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, posix } from "node:path";
import { startEmulator, root } from "../js/helpers/emulator.mjs";
import { consumerDir } from "../js/helpers/package.mjs";
import { inlinedModules } from "../js/helpers/inlined.mjs";

export { root, consumerDir };

export const NODE18 = join(root, "node_modules/node18/bin/node");
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run", "--disable-quic",
];

/** The emulator to call: EMULATOR_URL when set (scripts/test.sh), else one started for this file. */
export async function emulator() {
  if (process.env.EMULATOR_URL) return { url: process.env.EMULATOR_URL, stop: async () => {} };
  return startEmulator(["--faults"]);
}

/** A scratch folder inside the consumer project, so `cloudbase-fn` resolves from its node_modules. */
export function scratch(t, prefix) {
  const dir = mkdtempSync(join(consumerDir(), `${prefix}-`));
  if (!process.env.KEEP_SCRATCH) t?.after?.(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a command to completion; rejects (and kills it) when it outlives `limitMs`. */
export function run(command, args, { cwd, env, limitMs = 30_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const childEnv = { ...process.env, ...env };
    delete childEnv.NODE_TEST_CONTEXT; // a nested `node --test` would otherwise report in the binary protocol
    const child = spawn(command, args, { cwd, env: childEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not exit within ${limitMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, limitMs);
    child.on("error", (e) => (clearTimeout(timer), reject(e)));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on("error", () => {}); // EPIPE when the child exits or closes its stdin first (Bun does)
    child.stdin.end(input ?? "");
  });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The installed package's folder (installed from the packed tarball, so its files are the packed set). */
export const installed = () => join(consumerDir(), "node_modules/cloudbase-fn");

/** The package-relative files `entry` loads, itself first, following relative `import`,
 * `export … from` and `require` specifiers. */
export function loadedBy(dir, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!/\.(c|m)?js$/.test(file)) return;
    const source = readFileSync(join(dir, file), "utf8");
    const specifiers = /\b(?:import|export)\s*(?:[^'";]*?\bfrom\s*)?\(?\s*["'](\.{1,2}\/[^"']+)["']|\brequire\(\s*["'](\.{1,2}\/[^"']+)["']/g;
    for (const m of source.matchAll(specifiers)) visit(posix.join(posix.dirname(file), m[1] ?? m[2]));
  };
  visit(entry);
  return [...seen];
}

/** The wasm modules inlined in the JS files `entry` loads (strings starting "\0asm", written by
 * scripts/lib/inline-wasm.mjs), as Buffers. */
export function inlinedWasm(dir, entry) {
  return loadedBy(dir, entry)
    .filter((f) => /\.(c|m)?js$/.test(f))
    .flatMap((f) => inlinedModules(readFileSync(join(dir, f), "utf8")));
}

/**
 * What tests/runtimes/node/calls-run.cjs reports, wherever it runs (Node, Deno, Bun, the packaging
 * suite's server apps and Next.js routes): `entry`, when given, is the file the package resolved to.
 */
export function assertCalls(out, entry) {
  if (entry !== undefined) assert.equal(out.entry, entry);
  assert.deepEqual(out.echo, { text: "héllo ✓" });
  assert.equal(out.hello, "Hello fn");
  assert.equal(out.notFound.typed, true);
  assert.equal(out.notFound.code, "FUNCTION_NOT_FOUND");
  assert.match(out.notFound.requestId, UUID);
  assert.deepEqual(out.timeout, { typed: true, code: "TIMEOUT" });
  assert.deepEqual(out.events, ['tick 0 {"i":0}', 'tick 1 {"i":1}'], "server-sent events through client.events");
}

/** What tests/runtimes' apps report from `streaming()` (apps/site/app.js, worker/worker.js). */
export function assertStreaming(out) {
  assert.deepEqual(out.events, [["tick", "0", 0], ["tick", "1", 1], ["tick", "2", 2]]);
  assert.equal(out.streamIsReadable, true);
  assert.match(out.streamText, /^event: tick$/m);
  assert.match(out.streamText, /^data: \{"i":0\}$/m);
  assert.deepEqual(out.idle, { typed: true, code: "TIMEOUT", seen: ["0"] });
  assert.deepEqual(out.hooks, { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", statuses: [200] });
}

#!/usr/bin/env node
// Load and leak check (not part of the timed test suite):
//
//   node --expose-gc scripts/load.mjs            (after scripts/build.sh)
//
// Starts the emulator built with `--profile emulator` (built here when missing) with `--faults`,
// imports the built package's Node entry (pkg/node.js) as a user does, keeping the core's wasm
// memory as the entry instantiates its module, then runs three phases:
//
//   success   100,000 calls to native-echo at concurrency 256, all must resolve to their payload
//   errors     10,000 calls to a missing function, all must reject with FunctionNotFoundError
//   timeouts   10,000 calls to fault-hang with timeoutMs 50 (concurrency 64), all TimeoutError
//
// Each phase is warmed up first, then measured after a full GC at start, middle and end: the JS
// heap (process.memoryUsage().heapUsed) and the wasm memory (memory.buffer.byteLength). The script
// exits non-zero if any call ends otherwise than expected, or if from start to end the heap grows
// by more than HEAP_TOLERANCE (8 MiB) or the wasm memory by more than WASM_TOLERANCE (1 MiB, 16
// pages): a leak of even 10 bytes per call would exceed that over 100,000 calls.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("../", import.meta.url));
const HEAP_TOLERANCE = 8 * 1024 * 1024;
const WASM_TOLERANCE = 1024 * 1024;
const scale = Number(process.env.LOAD_SCALE || 1); // e.g. LOAD_SCALE=0.1 for a quick run

if (typeof global.gc !== "function") {
  console.error("run with: node --expose-gc scripts/load.mjs");
  process.exit(2);
}

// --- the package, imported as a user imports it ---------------------------------------------------
const pkg = join(root, "pkg");
if (!existsSync(join(pkg, "package.json"))) {
  console.error("pkg/ is not built: run scripts/build.sh");
  process.exit(2);
}
// Imported before the package: it captures the core's wasm memory as the entry instantiates it.
const { coreMemory } = await import("../tests/js/helpers/core-memory.mjs");
const api = await import(pathToFileURL(join(pkg, "node.js")).href);
const memory = coreMemory();
if (!memory) throw new Error("the package did not instantiate its core with WebAssembly.Instance");

// --- the emulator ----------------------------------------------------------------------------------
const bin = join(root, "target", "emulator", "cloudbase-fn-emulator");
if (!existsSync(bin)) {
  console.error("building the emulator (--profile emulator)…");
  execFileSync("cargo", ["build", "--quiet", "--profile", "emulator", "-p", "cloudbase-fn-emulator"], { cwd: root, stdio: "inherit" });
}
const emu = spawn(bin, ["--port", "0", "--functions", join(root, "examples", "functions"), "--faults"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("emulator did not start")), 15_000);
  const lines = createInterface({ input: emu.stdout });
  lines.once("line", (line) => {
    clearTimeout(timer);
    const m = /^listening on (http:\/\/\S+)$/.exec(line);
    m ? resolve(m[1]) : reject(new Error(`unexpected emulator output: ${line}`));
  });
  emu.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
});
const stopEmulator = () => new Promise((r) => (emu.exitCode !== null ? r() : (emu.once("exit", r), emu.kill("SIGTERM"))));

// --- measuring -------------------------------------------------------------------------------------
const client = api.createClient({ baseUrl: url, retry: false });
const MiB = (n) => (n / 1024 / 1024).toFixed(2);

async function snapshot() {
  // Settle pending finalizers and microtasks, then collect twice (weak refs, FinalizationRegistry).
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    global.gc();
  }
  return { heap: process.memoryUsage().heapUsed, wasm: memory.buffer.byteLength };
}

/** Runs `count` calls of `call(i)` with `concurrency` in flight; returns unexpected outcomes. */
async function drive(count, concurrency, call) {
  let next = 0;
  const problems = [];
  const worker = async () => {
    while (next < count) {
      const i = next++;
      try {
        const problem = await call(i);
        if (problem) problems.push(problem);
      } catch (e) {
        problems.push(`call ${i} threw in the harness: ${e?.stack ?? e}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return problems;
}

const phases = [
  {
    name: "success (native-echo)",
    count: Math.round(100_000 * scale),
    concurrency: 256,
    call: async (i) => {
      const payload = { i, s: "payload-" + i };
      try {
        const out = await client.invoke("native-echo", payload);
        return out?.i === i && out.s === payload.s ? null : `call ${i}: wrong result ${JSON.stringify(out)}`;
      } catch (e) {
        return `call ${i}: ${e.name}: ${e.message}`;
      }
    },
  },
  {
    name: "typed errors (404)",
    count: Math.round(10_000 * scale),
    concurrency: 256,
    call: async (i) => {
      try {
        await client.invoke("no-such-function", { i });
        return `call ${i}: resolved`;
      } catch (e) {
        return e instanceof api.FunctionNotFoundError && e.status === 404 && e.requestId ? null : `call ${i}: ${e.name}: ${e.message}`;
      }
    },
  },
  {
    name: "timeouts (50 ms)",
    count: Math.round(10_000 * scale),
    concurrency: 64,
    call: async (i) => {
      try {
        await client.invoke("fault-hang", { i }, { timeoutMs: 50 });
        return `call ${i}: resolved`;
      } catch (e) {
        return e instanceof api.TimeoutError ? null : `call ${i}: ${e.name}: ${e.message}`;
      }
    },
  },
];

const rows = [];
let failed = false;
try {
  for (const phase of phases) {
    const warm = await drive(Math.min(2_000, phase.count), phase.concurrency, phase.call);
    if (warm.length) throw new Error(`${phase.name}: warm-up failed: ${warm[0]}`);
    const start = await snapshot();
    const half = Math.floor(phase.count / 2);
    const t0 = performance.now();
    const problems = await drive(half, phase.concurrency, phase.call);
    const t1 = performance.now();
    const mid = await snapshot();
    const t2 = performance.now();
    problems.push(...(await drive(phase.count - half, phase.concurrency, (i) => phase.call(i + half))));
    const t3 = performance.now();
    const end = await snapshot();
    const seconds = (t1 - t0 + (t3 - t2)) / 1000;
    const heapGrowth = end.heap - start.heap;
    const wasmGrowth = end.wasm - start.wasm;
    const ok = problems.length === 0 && heapGrowth <= HEAP_TOLERANCE && wasmGrowth <= WASM_TOLERANCE;
    if (!ok) failed = true;
    rows.push({ phase: phase.name, calls: phase.count, concurrency: phase.concurrency, failures: problems.length, seconds, start, mid, end, ok });
    for (const p of problems.slice(0, 5)) console.error(`  ${phase.name}: ${p}`);
    if (heapGrowth > HEAP_TOLERANCE) console.error(`  ${phase.name}: JS heap grew by ${MiB(heapGrowth)} MiB (> ${MiB(HEAP_TOLERANCE)})`);
    if (wasmGrowth > WASM_TOLERANCE) console.error(`  ${phase.name}: wasm memory grew by ${MiB(wasmGrowth)} MiB (> ${MiB(WASM_TOLERANCE)})`);
  }
} finally {
  await stopEmulator();
}

const header = ["phase", "calls", "conc", "failures", "calls/s", "heap MiB start/mid/end", "wasm MiB start/mid/end", "result"];
const table = rows.map((r) => [
  r.phase,
  String(r.calls),
  String(r.concurrency),
  String(r.failures),
  String(Math.round(r.calls / r.seconds)),
  `${MiB(r.start.heap)} / ${MiB(r.mid.heap)} / ${MiB(r.end.heap)}`,
  `${MiB(r.start.wasm)} / ${MiB(r.mid.wasm)} / ${MiB(r.end.wasm)}`,
  r.ok ? "ok" : "FAIL",
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
console.log(`node ${process.version}, emulator ${url}, tolerances: heap +${MiB(HEAP_TOLERANCE)} MiB, wasm +${MiB(WASM_TOLERANCE)} MiB (start -> end, after warm-up)`);
console.log(line(header));
console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
for (const row of table) console.log(line(row));
if (failed || rows.length !== phases.length) {
  console.error("load: FAILED");
  process.exit(1);
}
console.log("load: passed");

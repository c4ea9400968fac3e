// CPU profile of a cloudbase-fn-only loop (64 concurrent invokes of native-echo, 100 B payload)
// and a summary of where the self time goes: wasm, the package's JS, fetch (undici), other Node
// internals, GC.
//
//   node benches/profile.mjs <emulator-url> [--seconds 6] [--conc 64] [--bytes 100] [--raw]
//
// --raw profiles the raw-fetch floor instead, for comparison. The .cpuprofile is kept (path
// printed) and can be opened in Chrome DevTools.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageProject, importPackage } from "./project.mjs";

const argv = process.argv.slice(2);
const opt = (k, d) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const base = argv.find((a) => a.startsWith("http"));
if (!base) throw new Error("usage: profile.mjs <emulator-url> [--seconds N] [--conc N] [--bytes N] [--raw]");

if (argv.includes("--child")) {
  const seconds = Number(opt("--seconds", 6));
  const conc = Number(opt("--conc", 64));
  const data = { id: "bench", pad: "x".repeat(Math.max(0, Number(opt("--bytes", 100)) - 23)) };
  let call;
  if (argv.includes("--raw")) {
    const url = `${base}/v1/functions/native-echo`;
    const headers = { "content-type": "application/json", authorization: "Bearer t" };
    call = async (d) => JSON.parse(await (await fetch(url, { method: "POST", headers, body: JSON.stringify(d) })).text());
  } else {
    const project = packageProject("cloudbase-fn-profile-project-");
    process.on("exit", project.remove);
    const { createClient } = await importPackage(project); // by its name, as a user's project would
    const client = createClient({ baseUrl: base, accessToken: "t" });
    call = (d) => client.invoke("native-echo", d);
  }
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: conc }, async () => { while (performance.now() < end) { await call(data); n++; } }));
  console.log(JSON.stringify({ calls: n, callsPerSec: n / seconds }));
  process.exit(0);
}

function profileRun(raw) {
  const dir = mkdtempSync(join(tmpdir(), "cloudbase-fn-prof-"));
  const args = [...argv.filter((a) => a !== "--raw"), ...(raw ? ["--raw"] : []), "--child"];
  const child = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, fileURLToPath(import.meta.url), ...args], {
    encoding: "utf8",
  });
  if (child.status !== 0) throw new Error(child.stderr);
  const run = JSON.parse(child.stdout.trim().split("\n").pop());
  const file = join(dir, readdirSync(dir).find((f) => f.endsWith(".cpuprofile")));
  return { run, file, prof: JSON.parse(readFileSync(file, "utf8")) };
}
// undici parses HTTP with llhttp compiled to wasm: the wasm modules seen in a raw-fetch profile
// are undici's, any other is cloudbase-fn's.
const floor = profileRun(true);
const undiciWasm = new Set(floor.prof.nodes.map((n) => n.callFrame.url).filter((u) => u?.startsWith("wasm://")));
const { run, file, prof } = argv.includes("--raw") ? floor : profileRun(false);

// self time per node from the samples
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const category = (cf) => {
  const url = cf.url ?? "";
  const fn = cf.functionName;
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(idle)") return "idle (waiting for I/O)";
  if (fn === "(program)") return "(program: V8/native, not JS)";
  if (url.startsWith("wasm://")) return undiciWasm.has(url) && !argv.includes("--raw") ? "fetch (undici's llhttp wasm)" : url.startsWith("wasm://") && !undiciWasm.has(url) ? "cloudbase-fn wasm" : "fetch (undici's llhttp wasm)";
  if (url.includes("/pkg/")) return "package JS (pkg/: entry, API, errors, transport)";
  if (url.includes("undici")) return "fetch (undici)";
  if (url.startsWith("node:") || url === "") return fn && url === "" ? "native builtins (JSON, Promise, Headers...)" : "other Node internals";
  return "other JS";
};
const byCat = new Map();
const byFn = new Map();
let total = 0;
for (const node of prof.nodes) {
  const t = dt.get(node.id) ?? 0;
  if (!t) continue;
  total += t;
  const cat = category(node.callFrame);
  byCat.set(cat, (byCat.get(cat) ?? 0) + t);
  const short = (node.callFrame.url ?? "").replace(/^.*\//, "");
  const key = `${node.callFrame.functionName || "(anonymous)"}  ${short}${short ? ":" + (node.callFrame.lineNumber + 1) : ""}`;
  const e = byFn.get(key) ?? { t: 0, cat };
  e.t += t;
  byFn.set(key, e);
}
const busy = total - (byCat.get("idle (waiting for I/O)") ?? 0);
const pct = (t, of) => `${((100 * t) / of).toFixed(1)}%`.padStart(6);
const what = argv.includes("--raw") ? "raw fetch" : "cloudbase-fn";
console.log(`profile: raw fetch floor under the profiler: ${floor.run.callsPerSec.toFixed(0)} calls/s, ${(floor.prof.endTime - floor.prof.startTime) / floor.run.calls | 0} us of profile per call`);
console.log(`profile: ${what}, ${opt("--conc", 64)} concurrent, ${opt("--bytes", 100)} B, ${opt("--seconds", 6)} s: ${run.callsPerSec.toFixed(0)} calls/s under the profiler`);
console.log(`profile: ${file}`);
console.log("\nself time by category (% of non-idle time)");
for (const [cat, t] of [...byCat].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${pct(t, busy)}  ${(t / (run.calls || 1)).toFixed(1).padStart(6)} us/call  ${cat}`);
}
console.log("\ntop 25 self-time frames (% of non-idle time)");
for (const [k, e] of [...byFn].sort((a, b) => b[1].t - a[1].t).slice(0, 25)) {
  if (e.cat.startsWith("idle")) continue;
  console.log(`  ${pct(e.t, busy)}  ${k}   [${e.cat}]`);
}

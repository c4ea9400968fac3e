// The SDK's own cost per call, without the network, against the fair floor.
//
//   node --expose-gc benches/overhead.mjs [--rounds 21] [--calls 5000] [--quick] [--out file.json]
//
// Every contender gets the same in-memory stub fetch, which answers at once with
// `new Response(body, { headers: { "content-type": "application/json", "x-request-id": "r" } })`
// (the body echoes the request's), so what is measured is the JS/wasm work around fetch:
//   hand-written wrapper   benches/handwritten.mjs: the same contract work written by hand
//                          (redirect "error", AbortController + setTimeout timeout, 2xx check,
//                          content-type classification); the floor of the budget
//   cloudbase-fn           createClient({ baseUrl, accessToken, fetch }).invoke(name, data),
//                          default timeout (60 s), imported by its name from a project that links pkg/
//   raw (Response + JSON.parse)   fetch + JSON.parse only, no timeout: for reference
// Method: one warm-up round, then `rounds` interleaved rounds; in each round every contender runs
// one batch of `calls` sequential awaited calls, the order rotating between rounds, with a GC
// before each batch (when run with --expose-gc). Per contender: the median over rounds of the
// batch's time per call. Budget (issue): cloudbase-fn <= 1.25x the hand-written wrapper (ratio of
// the medians; the median of the per-round ratios is printed as a check). The last stdout line is
// a JSON summary; --out also writes it to a file.
import { writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { createHandwritten } from "./handwritten.mjs";
import { packageProject, importPackage } from "./project.mjs";

const argv = process.argv.slice(2);
const opt = (k, d) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const quick = argv.includes("--quick");
const rounds = Number(opt("--rounds", quick ? 3 : 21));
const calls = Number(opt("--calls", quick ? 2000 : 5000));
const outFile = opt("--out", null);
const BUDGET = 1.25;
const gc = globalThis.gc ?? (() => {});

const BASE = "https://gw.example.com";
const data = { a: "x".repeat(80) };
const init = { headers: { "content-type": "application/json", "x-request-id": "r" } };
const stubFetch = async (_url, request) => new Response(request.body, init);

const raw = async () => {
  const headers = { "content-type": "application/json", authorization: "Bearer t" };
  const res = await stubFetch(`${BASE}/v1/functions/echo`, { method: "POST", headers, body: JSON.stringify(data) });
  return JSON.parse(await res.text());
};
const hand = createHandwritten({ baseUrl: BASE, accessToken: "t", fetch: stubFetch });

const HW = "hand-written wrapper";
const SDK = "cloudbase-fn";
const RAW = "raw (Response + JSON.parse)";
const contenders = [
  { name: HW, call: () => hand.invoke("echo", data) },
  { name: RAW, call: raw },
];
const project = packageProject("cloudbase-fn-overhead-");
process.on("exit", project.remove); // not before: the package may load parts of itself lazily
let sdkError = null;
try {
  const { createClient } = await importPackage(project);
  const client = createClient({ baseUrl: BASE, accessToken: "t", fetch: stubFetch });
  contenders.splice(1, 0, { name: SDK, call: () => client.invoke("echo", data) });
} catch (e) {
  sdkError = e;
  console.error(`overhead: cloudbase-fn could not be imported, measuring the others only: ${e.message}`);
}

for (const c of contenders) {
  const out = await c.call();
  if (!isDeepStrictEqual(out, data)) throw new Error(`${c.name} did not return the echoed payload`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const perCall = Object.fromEntries(contenders.map((c) => [c.name, []]));
for (let round = -1; round < rounds; round++) { // round -1: warm-up, not counted
  for (let k = 0; k < contenders.length; k++) {
    const c = contenders[(Math.max(round, 0) + k) % contenders.length];
    gc();
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await c.call();
    const us = ((performance.now() - t0) * 1000) / calls;
    if (round >= 0) perCall[c.name].push(us);
  }
}

const us = Object.fromEntries(contenders.map((c) => [c.name, median(perCall[c.name])]));
console.log(`\nSDK cost per call without the network (stub fetch answering a ready Response; median of ${rounds} interleaved rounds of ${calls} calls)`);
console.log(`node ${process.version}${quick ? ", --quick" : ""}${globalThis.gc ? "" : " (no --expose-gc: no GC between batches)"}`);
console.log(`${"contender".padEnd(30)}${"us/call".padStart(9)}${"vs hand-written".padStart(17)}`);
for (const c of contenders) {
  console.log(`${c.name.padEnd(30)}${us[c.name].toFixed(2).padStart(9)}${(us[c.name] / us[HW]).toFixed(2).padStart(16)}x`);
}

const summary = {
  bench: "overhead",
  date: new Date().toISOString(),
  node: process.version,
  rounds,
  callsPerRound: calls,
  usPerCall: us,
  roundsUsPerCall: perCall,
  budget: { target: `cloudbase-fn <= ${BUDGET}x the hand-written wrapper (us/call, medians)`, ratio: null, pairedRatio: null, met: null },
};
if (sdkError) {
  summary.budget.error = `cloudbase-fn not importable: ${sdkError.message}`;
  console.log(`budget <= ${BUDGET}x: not measured (cloudbase-fn could not be imported)`);
  process.exitCode = 1;
} else {
  const ratio = us[SDK] / us[HW];
  const paired = median(perCall[SDK].map((v, r) => v / perCall[HW][r]));
  Object.assign(summary.budget, { ratio, pairedRatio: paired, addedUs: us[SDK] - us[HW], met: ratio <= BUDGET });
  console.log(`cloudbase-fn ${us[SDK].toFixed(2)} us/call, hand-written ${us[HW].toFixed(2)} us/call: ratio ${ratio.toFixed(3)}x (median of per-round ratios ${paired.toFixed(3)}x), ${us[SDK] >= us[HW] ? "+" : ""}${(us[SDK] - us[HW]).toFixed(2)} us`);
  console.log(`budget <= ${BUDGET}x: ${ratio <= BUDGET ? "met" : "not met"}`);
}
if (outFile) writeFileSync(outFile, JSON.stringify(summary, null, 1));
console.log(JSON.stringify(summary));

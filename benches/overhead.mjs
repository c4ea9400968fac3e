// The SDK's own cost per call, without the network: every contender gets the same in-memory
// transport (a fetch that answers with a Response at once), so the difference to "raw" is what
// cloudbase-fn adds (validation, wasm crossings, the timeout's AbortController, classification).
// Run: node benches/overhead.mjs   (part of `make bench`)
import { createClient } from "../pkg/node.js";

const data = { a: "x".repeat(80) };
const init = { headers: { "content-type": "application/json", "x-request-id": "r" } };
const memoryFetch = async (_url, request) => new Response(request.body, init);
const raw = async () => {
  const headers = { "content-type": "application/json", authorization: "Bearer t" };
  const res = await memoryFetch("https://gw.example.com/v1/functions/echo", { method: "POST", headers, body: JSON.stringify(data) });
  return JSON.parse(await res.text());
};
const withTimeout = createClient({ baseUrl: "https://gw.example.com", accessToken: "t", fetch: memoryFetch });
const noTimeout = createClient({ baseUrl: "https://gw.example.com", accessToken: "t", fetch: memoryFetch, timeoutMs: 0 });
const contenders = {
  "raw (Response + JSON.parse)": raw,
  "cloudbase-fn, default timeout": () => withTimeout.invoke("echo", data),
  "cloudbase-fn, timeoutMs: 0": () => noTimeout.invoke("echo", data),
};

const calls = 20_000;
const rounds = 7; // the first is warm-up; rounds alternate between contenders
const perCall = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, call] of Object.entries(contenders)) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await call();
    if (round > 0) perCall[name].push(((performance.now() - t0) * 1000) / calls);
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const floor = median(perCall["raw (Response + JSON.parse)"]);
console.log(`\nSDK overhead per call, in-memory transport (median of ${rounds - 1} rounds of ${calls} calls)`);
console.log("contender                        us/call   added us");
for (const [name, v] of Object.entries(perCall)) {
  const m = median(v);
  console.log(`${name.padEnd(32)} ${m.toFixed(1).padStart(7)}   ${name.startsWith("raw") ? "" : (m - floor).toFixed(1).padStart(7)}`);
}

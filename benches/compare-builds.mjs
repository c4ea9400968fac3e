// Two builds of the package, head to head: the per-call cost of each (the overhead bench's stub
// fetch, answering at once), interleaved in one process, so a change's effect is not lost in this
// machine's run-to-run noise (the overhead bench compares against a hand-written wrapper instead).
//
//   git worktree add /tmp/old <rev> && (cd /tmp/old && ln -s "$PWD/node_modules" . && bash scripts/build.sh)
//   node --expose-gc benches/compare-builds.mjs /tmp/old/pkg pkg [--rounds 21] [--calls 5000]
//
// Prints each build's median time per call and the ratio second/first (and the median of the
// per-round ratios as a check).
import path from "node:path";
import { pathToFileURL } from "node:url";

const argv = process.argv.slice(2);
const opt = (k, d) => (argv.includes(k) ? Number(argv[argv.indexOf(k) + 1]) : d);
const dirs = argv.filter((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
if (dirs.length !== 2) {
  console.error("usage: node --expose-gc benches/compare-builds.mjs FIRST_PKG_DIR SECOND_PKG_DIR [--rounds 21] [--calls 5000]");
  process.exit(1);
}
const rounds = opt("--rounds", 21);
const calls = opt("--calls", 5000);

const BASE = "https://gw.example.com";
const data = { a: "x".repeat(80) };
const init = { headers: { "content-type": "application/json", "x-request-id": "r" } };
const stubFetch = async (_url, request) => new Response(request.body, init);

const builds = [];
for (const dir of dirs) {
  const { createClient } = await import(pathToFileURL(path.resolve(dir, "node.js")).href);
  builds.push({ dir, client: createClient({ baseUrl: BASE, accessToken: "t", fetch: stubFetch }), us: [] });
}
for (let r = 0; r <= rounds; r++) { // round 0 warms up
  for (const b of r % 2 ? builds : [...builds].reverse()) {
    globalThis.gc?.();
    const t = performance.now();
    for (let i = 0; i < calls; i++) await b.client.invoke("echo", data);
    if (r > 0) b.us.push(((performance.now() - t) * 1000) / calls);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const [first, second] = builds;
for (const b of builds) console.log(`${b.dir}: ${median(b.us).toFixed(2)} us/call`);
const ratios = second.us.map((v, i) => v / first.us[i]);
console.log(`second/first: ${(median(second.us) / median(first.us)).toFixed(3)} (median of per-round ratios ${median(ratios).toFixed(3)})`);

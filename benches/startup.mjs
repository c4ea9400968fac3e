// Start-up: time from "about to import" to "first call ready" (client created), in fresh processes
// and fresh browser pages. Optionally (with an emulator URL) also the first call itself.
//
//   node benches/startup.mjs [emulator-url] [--runs 20] [--no-browser] [--out file.json]
//
// Node: each sample is a new `node` process whose first statement takes performance.now(), then
// `await import("cloudbase-fn")` (resolved through node_modules like a user's, to pkg/) and
// createClient(); the same for the peers. Chromium (playwright-core, /usr/bin/chromium): each sample
// is a new browser context (empty cache) loading a page whose module script takes performance.now()
// first, then imports pkg/browser.js (which fetches and instantiates the .wasm) and creates a client.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const argv = process.argv.slice(2);
const base = argv.find((a) => a.startsWith("http"));
const runsIdx = argv.indexOf("--runs");
const runs = runsIdx >= 0 ? Number(argv[runsIdx + 1]) : 20;
const outIdx = argv.indexOf("--out");
const outFile = outIdx >= 0 ? argv[outIdx + 1] : null;
const browser = !argv.includes("--no-browser");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : "-");

// A project that depends on cloudbase-fn (pkg/) and the peers, as a user's would.
const proj = mkdtempSync(join(tmpdir(), "cloudbase-fn-startup-"));
mkdirSync(join(proj, "node_modules"));
symlinkSync(join(root, "pkg"), join(proj, "node_modules", "cloudbase-fn"));
symlinkSync(join(root, "node_modules", "@supabase"), join(proj, "node_modules", "@supabase"));
symlinkSync(join(root, "node_modules", "@cloudbase"), join(proj, "node_modules", "@cloudbase"));
writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "startup", private: true, type: "module" }));

const URL_ = base ?? "http://127.0.0.1:9";
writeFileSync(join(proj, "empty.mjs"), "export const x = 1;\n");
const cases = [
  { name: "(floor: an empty ES module)", code: `await import("./empty.mjs");`, call: "" },
  {
    name: "cloudbase-fn",
    code: `const { createClient } = await import("cloudbase-fn");
const client = createClient({ baseUrl: ${JSON.stringify(URL_)}, accessToken: "t" });`,
    call: `await client.invoke("native-echo", { a: 1 });`,
  },
  {
    name: "@supabase/functions-js",
    code: `const { FunctionsClient } = await import("@supabase/functions-js");
const client = new FunctionsClient(${JSON.stringify(URL_ + "/v1/functions")}, { headers: { Authorization: "Bearer t" } });`,
    call: `{ const r = await client.invoke("native-echo", { body: { a: 1 } }); if (r.error) throw r.error; }`,
  },
  {
    name: "@cloudbase/js-sdk",
    code: `const { default: cloudbase } = await import("@cloudbase/js-sdk");
const app = cloudbase.init({ env: "bench-env", accessKey: "t" });
app.registerEndPointWithKey({ key: "GATEWAY", url: ${JSON.stringify("//" + new URL(URL_).host + "/v1")}, protocol: "http:" });`,
    call: `await app.callFunction({ name: "native-echo", data: { a: 1 } });`,
  },
];

function nodeSample(c) {
  const file = join(proj, "sample.mjs");
  writeFileSync(
    file,
    `const t0 = performance.now();
${c.code}
const t1 = performance.now();
${base ? c.call : ""}
const t2 = performance.now();
console.log(JSON.stringify({ boot: t0, ready: t1 - t0, firstCall: ${base ? "t2 - t1" : "null"} }));
`,
  );
  const r = spawnSync(process.execPath, [file], { cwd: proj, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${c.name}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

const results = { runs, node: [], chromium: [] };
console.log(`\nstart-up (median of ${runs} fresh processes; import + create client = "ready")`);
console.log(`${"Node " + process.version.padEnd(18)}${"ready ms".padStart(10)}${"first call ms".padStart(15)}${"(node boot ms)".padStart(16)}`);
for (const c of cases) {
  nodeSample(c); // file-system cache warm
  const s = Array.from({ length: runs }, () => nodeSample(c));
  const row = {
    name: c.name,
    readyMs: median(s.map((x) => x.ready)),
    firstCallMs: base ? median(s.map((x) => x.firstCall)) : null,
    nodeBootMs: median(s.map((x) => x.boot)),
  };
  results.node.push(row);
  console.log(`${c.name.padEnd(24)}${fmt(row.readyMs).padStart(10)}${fmt(row.firstCallMs).padStart(15)}${fmt(row.nodeBootMs).padStart(16)}`);
}

if (browser && existsSync("/usr/bin/chromium")) {
  // Static server for pkg/ and the page; the emulator answers CORS itself.
  const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
  const page = `<!doctype html><meta charset="utf-8"><script type="module">
const t0 = performance.now();
const { createClient } = await import("/pkg/browser.js");
const client = createClient({ baseUrl: ${JSON.stringify(URL_)}, accessToken: "t" });
const t1 = performance.now();
let firstCall = null;
${base ? `await client.invoke("native-echo", { a: 1 }); firstCall = performance.now() - t1;` : ""}
window.__startup = { moduleStart: t0, ready: t1 - t0, firstCall };
</script>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(page);
    }
    const file = normalize(join(root, path));
    if (!path.startsWith("/pkg/") || !file.startsWith(join(root, "pkg")) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const pageUrl = `http://127.0.0.1:${server.address().port}/`;
  const { chromium } = await import("playwright-core");
  const b = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    const samples = [];
    for (let i = 0; i <= runs; i++) {
      const ctx = await b.newContext();
      const p = await ctx.newPage();
      await p.goto(pageUrl);
      await p.waitForFunction(() => window.__startup, null, { timeout: 15000 });
      const s = await p.evaluate(() => window.__startup);
      if (i > 0) samples.push(s); // the first warms the browser process itself
      await ctx.close();
    }
    const row = {
      name: "cloudbase-fn (pkg/browser.js, wasm fetched from localhost)",
      chromium: b.version(),
      readyMs: median(samples.map((x) => x.ready)),
      firstCallMs: base ? median(samples.map((x) => x.firstCall)) : null,
      moduleStartMs: median(samples.map((x) => x.moduleStart)),
    };
    results.chromium.push(row);
    console.log(`${("Chromium " + b.version()).padEnd(24)}${"ready ms".padStart(10)}${"first call ms".padStart(15)}${"(page->module)".padStart(16)}`);
    console.log(`${"cloudbase-fn".padEnd(24)}${fmt(row.readyMs).padStart(10)}${fmt(row.firstCallMs).padStart(15)}${fmt(row.moduleStartMs).padStart(16)}`);
  } finally {
    await b.close();
    server.close();
  }
}

const ours = results.node.find((r) => r.name === "cloudbase-fn");
results.target = { target: "Node: import + createClient < 5 ms (median)", valueMs: ours.readyMs, met: ours.readyMs < 5 };
console.log(`start-up target (Node < 5 ms): ${results.target.met ? "MET" : "NOT MET"} (${fmt(ours.readyMs)} ms)`);
rmSync(proj, { recursive: true, force: true });
if (outFile) writeFileSync(outFile, JSON.stringify(results, null, 1));

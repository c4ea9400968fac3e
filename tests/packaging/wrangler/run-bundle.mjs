// Runs the bundle `wrangler deploy --dry-run --outdir dist` wrote, as it was written (index.js and
// the .wasm module Wrangler emitted next to it), with plain `workerd serve` (the workerd this
// Wrangler depends on), the emulator's URL as the EMULATOR_URL binding; prints the worker's answer.
import { spawn } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = join(here, "dist");
const port = await new Promise((resolve) => {
  const srv = createServer().listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const wasm = readdirSync(dist).filter((f) => f.endsWith(".wasm"));
const modules = [`(name = "index.js", esModule = embed "index.js")`, ...wasm.map((f) => `(name = "${f}", wasm = embed "${f}")`)];
writeFileSync(
  join(here, "dist/config.capnp"),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "2025-01-01",
  bindings = [(name = "EMULATOR_URL", text = ${JSON.stringify(process.argv[2])})],
  globalOutbound = "internet",
);
`,
);
const workerdPkg = dirname(createRequire(join(here, "package.json")).resolve("wrangler/package.json"));
const workerd = join(dirname(createRequire(join(workerdPkg, "package.json")).resolve("workerd/package.json")), "bin/workerd");
const child = spawn(workerd, ["serve", join(here, "dist/config.capnp")], { cwd: here, stdio: ["ignore", "inherit", "inherit"] });
try {
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      console.log(JSON.stringify({ status: res.status, body: await res.text() }));
      break;
    } catch (e) {
      if (child.exitCode !== null || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
} finally {
  child.kill("SIGTERM");
}

// Installs the built pkg/ into a temporary project with `npm install <tarball>`, exactly as a user
// would, and imports cloudbase-fn from there. scripts/test.sh does it once and passes the folder in
// CLOUDBASE_FN_CONSUMER; a test file run on its own does it itself.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { root } from "./emulator.mjs";

export function installPackage() {
  if (!existsSync(join(root, "pkg", "package.json"))) throw new Error("pkg/ is not built: run scripts/build.sh");
  const dir = mkdtempSync(join(tmpdir(), "cloudbase-fn-consumer-"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", dir, join(root, "pkg")], { stdio: ["ignore", "ignore", "inherit"] });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", join(dir, tarball)], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  return dir;
}

export function consumerDir() {
  if (!process.env.CLOUDBASE_FN_CONSUMER) process.env.CLOUDBASE_FN_CONSUMER = installPackage();
  return process.env.CLOUDBASE_FN_CONSUMER;
}

/** `import("cloudbase-fn")` from inside the consumer project, so Node resolves the package's
 * "exports" map with the real conditions. */
export async function importPackage() {
  const shim = join(consumerDir(), "entry.mjs");
  if (!existsSync(shim)) writeFileSync(shim, 'export * from "cloudbase-fn";\n');
  return import(pathToFileURL(shim).href);
}

/** `require("cloudbase-fn")` from the consumer project (CommonJS, node condition). */
export function requirePackage() {
  return createRequire(join(consumerDir(), "index.js"))("cloudbase-fn");
}

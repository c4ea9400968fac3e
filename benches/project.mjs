// A throw-away project that depends on cloudbase-fn the way a user's does: node_modules/cloudbase-fn
// is a symlink to pkg/, so the package is imported by its name and resolved through its
// package.json "exports" (the entry file names are the package's business, not the benches').
// The peers (@supabase, @cloudbase) are linked from the repository's node_modules.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = fileURLToPath(new URL("../", import.meta.url));
export const pkgDir = join(root, "pkg");

/** Creates the project; `dir` is its path, `remove()` deletes it (call it on exit). */
export function packageProject(prefix = "cloudbase-fn-bench-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(pkgDir, join(dir, "node_modules", "cloudbase-fn"));
  for (const scope of ["@supabase", "@cloudbase"]) {
    if (existsSync(join(root, "node_modules", scope))) symlinkSync(join(root, "node_modules", scope), join(dir, "node_modules", scope));
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "bench-project", private: true, type: "module" }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Imports "cloudbase-fn" by name from such a project (Node's "node" + "import" conditions).
 * Resolves to the module namespace, or throws an Error saying why it could not be loaded.
 */
export async function importPackage(project) {
  if (!existsSync(join(pkgDir, "package.json"))) throw new Error("pkg/ is missing (build it with scripts/build.sh)");
  const entry = join(project.dir, "import-cloudbase-fn.mjs");
  writeFileSync(entry, 'export * from "cloudbase-fn";\n');
  return import(pathToFileURL(entry).href);
}

/**
 * The file the package's "exports" map gives for `conditions` (in the package's own key order,
 * as resolvers do), relative to pkg/; for the browser bench, which maps the bare name with an
 * import map rather than naming a file itself.
 */
export function resolveEntry(conditions = ["browser", "import", "default"]) {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  let target = manifest.exports;
  if (target && typeof target === "object" && !Array.isArray(target) && Object.keys(target).some((k) => k.startsWith("."))) target = target["."];
  const pick = (t) => {
    if (typeof t === "string") return t;
    if (Array.isArray(t)) return t.map(pick).find(Boolean);
    if (t && typeof t === "object") {
      for (const [k, v] of Object.entries(t)) if (k !== "types" && conditions.includes(k)) { const r = pick(v); if (r) return r; }
    }
    return undefined;
  };
  const file = pick(target) ?? manifest.browser ?? manifest.module ?? manifest.main;
  if (typeof file !== "string") throw new Error(`pkg/package.json: no entry for conditions ${conditions.join(", ")}`);
  return file.replace(/^\.\//, "");
}

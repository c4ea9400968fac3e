// Node (CommonJS): bundled by the build into node.cjs, so require() works on every Node version.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./cloudbase_fn.js";

initSync({ module: readFileSync(join(__dirname, "cloudbase_fn_bg.wasm")) });

export * from "./api.js";

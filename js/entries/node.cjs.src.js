// Node (CommonJS): bundled by the build into node.cjs, so require() works on every Node version.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync, Client, AnonymousSession } from "./server/cloudbase_fn.js";
import { binding } from "./binding.js";

initSync({ module: readFileSync(join(__dirname, "server", "cloudbase_fn_bg.wasm")) });
Object.assign(binding, { Client, AnonymousSession });

export * from "./api.js";

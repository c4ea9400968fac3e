// Node (ES modules): the server build is read from the package folder and compiled synchronously
// at import, so there is no init call.
import { readFileSync } from "node:fs";
import { initSync, Client, AnonymousSession } from "./server/cloudbase_fn.js";
import { binding } from "./binding.js";

initSync({ module: readFileSync(new URL("./server/cloudbase_fn_bg.wasm", import.meta.url)) });
Object.assign(binding, { Client, AnonymousSession });

export * from "./api.js";

// Node (ES modules): the server build is read from the package folder and compiled synchronously
// at import, so there is no init call.
import { readFileSync } from "node:fs";
import { initSync, Client } from "./server/cloudbase_fn.js";
import { binding } from "./binding.js";

initSync({ module: readFileSync(new URL("./server/cloudbase_fn_bg.wasm", import.meta.url)) });
binding.Client = Client;

export * from "./api.js";

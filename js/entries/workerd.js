// Cloudflare Workers (workerd): the server build is imported as a compiled module, as Workers
// require.
import wasm from "./server/cloudbase_fn_bg.wasm";
import { initSync, Client, AnonymousSession } from "./server/cloudbase_fn.js";
import { binding } from "./binding.js";

initSync({ module: wasm });
Object.assign(binding, { Client, AnonymousSession });

export * from "./api.js";

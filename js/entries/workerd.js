// Cloudflare Workers (workerd): the server build is imported as a compiled module, as Workers
// require.
import wasm from "./server/cloudbase_fn_bg.wasm";
import { initSync, Client } from "./server/cloudbase_fn.js";
import { binding } from "./binding.js";

initSync({ module: wasm });
binding.Client = Client;

export * from "./api.js";

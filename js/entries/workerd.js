// Cloudflare Workers (workerd): the wasm is imported as a compiled module, as Workers require.
import wasm from "./cloudbase_fn_bg.wasm";
import { initSync } from "./cloudbase_fn.js";

initSync({ module: wasm });

export * from "./api.js";

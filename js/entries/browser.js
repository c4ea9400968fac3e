// Browsers, bundlers and any runtime that compiles wasm from bytes: the web build is inlined in
// this package as base64 and compiled synchronously at import, so there is no file to locate, no
// init call and no top-level await.
import { initSync } from "./cloudbase_fn.js";
import { wasmBase64 } from "./cloudbase_fn_inline.js";
import { bind, decodeBase64 } from "./binding.js";

bind(initSync({ module: decodeBase64(wasmBase64) }));

export * from "./api.js";

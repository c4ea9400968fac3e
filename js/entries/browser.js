// Browsers, bundlers and any runtime that compiles wasm from bytes: the web build is inlined in
// this package as a string and compiled synchronously at import, so there is no file to locate, no
// init call and no top-level await.
import { wasmBinary } from "./cloudbase_fn_inline.js";
import { bind, decodeBinary, instantiate } from "./binding.js";

bind(instantiate(decodeBinary(wasmBinary)));

export * from "./api.js";

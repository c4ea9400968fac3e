// Cloudflare Workers (workerd): Workers refuse to compile wasm from bytes at run time, so the
// server build is imported as a compiled module (Wrangler bundles the .wasm as a module of its
// own). workerd's fetch rejects redirect: "error"; "manual" returns the 3xx, which is then an
// HttpError, so the token still never follows a redirect.
import wasm from "./server/cloudbase_fn_bg.wasm";
import { bind, instantiate } from "./binding.js";

bind(instantiate(wasm), "manual");

export * from "./api.js";

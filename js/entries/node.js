// Node, Deno and Bun: the server build (with TC3 signing) inlined as base64 and compiled
// synchronously at import: no file read, so no --allow-read and nothing for a bundler to rewrite.
import { wasmBase64 } from "./server/cloudbase_fn_inline.js";
import { bind, decodeBase64, instantiate } from "./binding.js";

bind(instantiate(decodeBase64(wasmBase64)));

export * from "./api.js";

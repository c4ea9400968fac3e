// Node, Deno and Bun: the server build (with TC3 signing) inlined as a string and compiled
// synchronously at import: no file read, so no --allow-read and nothing for a bundler to rewrite.
import { initSync } from "./server/cloudbase_fn.js";
import { wasmBinary } from "./server/cloudbase_fn_inline.js";
import { bind, decodeBinary } from "./binding.js";

bind(initSync({ module: decodeBinary(wasmBinary) }));

export * from "./api.js";

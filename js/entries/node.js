// Node (ES modules): the wasm is read from the package folder and compiled synchronously at import.
import { readFileSync } from "node:fs";
import { initSync } from "./cloudbase_fn.js";

initSync({ module: readFileSync(new URL("./cloudbase_fn_bg.wasm", import.meta.url)) });

export * from "./api.js";

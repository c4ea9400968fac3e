// Browsers and bundlers: the wasm is fetched next to this file (bundlers rewrite the URL) and
// instantiated before the module finishes loading, so no init call is needed.
import init from "./cloudbase_fn.js";

await init({ module_or_path: new URL("./cloudbase_fn_bg.wasm", import.meta.url) });

export * from "./api.js";

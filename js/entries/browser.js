// Browsers and bundlers: the web build is fetched next to this file (bundlers rewrite the URL)
// and instantiated before the module finishes loading, so there is no init call.
import init, { Client, AnonymousSession } from "./cloudbase_fn.js";
import { binding } from "./binding.js";

await init({ module_or_path: new URL("./cloudbase_fn_bg.wasm", import.meta.url) });
Object.assign(binding, { Client, AnonymousSession });

export * from "./api.js";

// Types of cloudbase-fn/miniprogram: the same API as the main entry, plus wasm loading controls.
export * from "./index.js";

/**
 * Where cloudbase_fn_bg.wasm (or a brotli-compressed .wasm.br) is inside the mini-program package,
 * as WXWebAssembly.instantiate expects it (default "/miniprogram_npm/cloudbase-fn/cloudbase_fn_bg.wasm.br",
 * where the developer tools' "构建 npm" puts it). Call it before the
 * first client or call.
 */
export declare function setWasmPath(path: string): void;

/**
 * Starts loading the wasm if needed and resolves when it is ready. Clients created before that
 * report invalid options as a rejection of their first call instead of throwing.
 */
export declare function ready(): Promise<void>;

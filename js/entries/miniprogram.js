// WeChat mini-programs: no WebAssembly global, no fetch, no TextEncoder/TextDecoder. The fallbacks
// are installed first, the web build is instantiated through WXWebAssembly from a path inside the
// mini-program package (the only form it accepts), and calls go through wx.request. Instantiation
// is asynchronous there, so a client made before it finishes waits for it: its calls, not its
// constructor, then report invalid options (as rejections of the first call).
import { host } from "./mp-globals.js";
import { bind } from "./binding.js";
import { Client as CoreClient, signInAnonymously as coreSignIn } from "./api.js";
import { wxFetch } from "./mp-transport.js";
import { InvalidArgumentError, WasmLoadError } from "./errors.js";

export * from "./errors.js";

// Where the developer tools' "构建 npm" puts the file: it copies the package's "miniprogram" folder
// (miniprogram_dist/: this entry bundled as CommonJS, and the wasm) to miniprogram_npm/cloudbase-fn/
// at the root of the mini-program. The build writes the name of the file it shipped there (the
// brotli-compressed .wasm.br when it is smaller, which WXWebAssembly reads from base library 2.14.0).
let wasmPath = __CLOUDBASE_FN_MP_WASM__;
let loading;
let loaded = false;

/** Where the .wasm (or .wasm.br) file is in the mini-program package; call before the first use. */
export function setWasmPath(path) {
  if (typeof path !== "string" || !path) throw new InvalidArgumentError("setWasmPath expects a path such as /libs/cloudbase_fn_bg.wasm");
  if (loading) throw new InvalidArgumentError("setWasmPath must be called before the first client or call");
  wasmPath = path;
}

async function instantiate() {
  const wxwasm = host.WXWebAssembly;
  if (!wxwasm || typeof wxwasm.instantiate !== "function") {
    throw new WasmLoadError("cloudbase-fn/miniprogram: WXWebAssembly is not available in this runtime");
  }
  try {
    // The core imports nothing. WXWebAssembly.instantiate resolves to { module, instance } like
    // WebAssembly.instantiate; an instance alone is taken as well.
    const result = await wxwasm.instantiate(wasmPath, {});
    bind((result && result.instance ? result.instance : result).exports);
  } catch (cause) {
    throw new WasmLoadError(`cloudbase-fn/miniprogram: could not instantiate ${wasmPath} (see setWasmPath)`, { cause });
  }
  loaded = true;
}

/** Resolves once the wasm is ready (starting it if needed); clients made after it validate at once. */
export function ready() {
  if (!loading) {
    loading = instantiate();
    loading.catch(() => {
      loading = undefined; // a later call may try again (after setWasmPath, say)
    });
  }
  return loading;
}

/** The client options with wx.request as the transport unless a fetch is given. */
function withTransport(options) {
  if (options === null || typeof options !== "object" || options.fetch !== undefined) return options;
  return Object.assign({}, options, { fetch: wxFetch });
}

/** Same API as the other entries; before the wasm is ready, construction is deferred to it. */
export class Client {
  constructor(options) {
    const resolved = withTransport(options);
    if (loaded) {
      this._client = new CoreClient(resolved);
      return;
    }
    this._pending = ready().then(() => (this._client = new CoreClient(resolved)));
    this._pending.catch(() => {}); // reported by invoke(); not an unhandled rejection
  }

  invoke(name, data, options) {
    if (this._client) return this._client.invoke(name, data, options);
    return this._pending.then((client) => client.invoke(name, data, options));
  }

  /** As the other entries' (with wx.request as the transport it is refused: it cannot stream). */
  async *events(name, data, options) {
    yield* (this._client ?? (await this._pending)).events(name, data, options);
  }

  /** Does nothing (kept for compatibility): a client holds no wasm memory. */
  free() {}
}

/** A client for one environment (see Client for when invalid options are reported). */
export function createClient(options) {
  return new Client(options);
}

/** Signs in anonymously through wx.request (see the main entry's signInAnonymously). */
export async function signInAnonymously(options) {
  await ready();
  return coreSignIn(withTransport(options));
}

/** One-shot form: `await invoke({ envId, accessToken }, "echo", { a: 1 })`. */
export async function invoke(options, name, data, callOptions) {
  await ready();
  return new CoreClient(withTransport(options)).invoke(name, data, callOptions);
}

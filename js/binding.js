// The loaded core and what the entry knows of its runtime. Each entry fills it once, before the
// API is used: `core` holds the core's operations (core.js), `memory` the module's memory (for
// diagnostics and the leak tests), `redirect` how this runtime's fetch is told never to follow a
// redirect with the token ("error"; workerd only knows "manual").
import { connect } from "./core.js";

export const binding = { core: undefined, memory: undefined, redirect: "error" };

/** `exports`: the instantiated wasm's exports, as wasm-bindgen's `initSync` or `init` return them. */
export function bind(exports, redirect = "error") {
  binding.core = connect(exports);
  binding.memory = exports.memory;
  binding.redirect = redirect;
}

/** The inlined wasm (base64) as bytes, decoded without any API beyond `atob`. */
export function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

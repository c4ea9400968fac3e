// The loaded core and what the entry knows of its runtime. Each entry fills it once, before the
// API is used: `core` holds the core's operations (core.js), `redirect` how this runtime's fetch
// is told never to follow a redirect with the token ("error"; workerd only knows "manual").
import { connect } from "./core.js";

export const binding = { core: undefined, redirect: "error" };

/** `exports`: the instantiated wasm's exports, as wasm-bindgen's `initSync` or `init` return them. */
export function bind(exports, redirect = "error") {
  binding.core = connect(exports);
  binding.redirect = redirect;
}

/**
 * The inlined wasm (base64) as bytes: natively where the runtime can (`Uint8Array.fromBase64`,
 * Node's and Bun's `Buffer`), else through `atob`, which is several times slower at start-up.
 */
export function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  if (typeof Buffer === "function" && typeof Buffer.from === "function") return Buffer.from(text, "base64");
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

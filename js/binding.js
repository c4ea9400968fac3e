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

/** The browser entry's inlined wasm (one char per byte, scripts/lib/inline-wasm.mjs) as bytes. */
export function decodeBinary(text) {
  if (typeof Buffer === "function" && typeof Buffer.from === "function") return Buffer.from(text, "latin1"); // Node, Bun: native
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The Node entries' inlined wasm (base64, scripts/lib/inline-wasm.mjs) as bytes. */
export function decodeBase64(text) {
  return typeof Buffer === "function" ? Buffer.from(text, "base64") : decodeBinary(atob(text)); // Deno without Buffer: atob
}

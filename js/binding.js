// The loaded core and what the entry knows of its runtime. Each entry fills it once, before the
// API is used: `core` holds the core's operations (core.js), `redirect` how this runtime's fetch
// is told never to follow a redirect with the token ("error"; workerd only knows "manual").
import { connect } from "./core.js";

export const binding = { core: undefined, redirect: "error" };

/**
 * The core's exports, from its compiled module or its bytes. The module imports nothing (the build
 * checks it), so it is given nothing and can never call into JS; there is no start-up function.
 */
export function instantiate(module) {
  return new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module), {}).exports;
}

/** `exports`: the core's instantiated exports (`input`, `slot`, `call`, `memory`). */
export function bind(exports, redirect = "error") {
  binding.core = connect(exports);
  binding.redirect = redirect;
}

/** The browser entry's inlined wasm (one char per byte, scripts/lib/inline-wasm.mjs) as bytes. */
export function decodeBinary(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The Node entries' inlined wasm (base64, scripts/lib/inline-wasm.mjs) as bytes. */
export function decodeBase64(text) {
  return typeof Buffer === "function" ? Buffer.from(text, "base64") : decodeBinary(atob(text)); // Deno without Buffer: atob
}

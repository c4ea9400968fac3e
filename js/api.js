// The public API, shared by every entry point once the wasm is initialised.
import { Client } from "./cloudbase_fn.js";

export * from "./errors.js";
export { Client };

/** A client for one environment; throws InvalidArgumentError for bad options. */
export function createClient(options) {
  return new Client(options);
}

/** One-shot form: `await invoke({ envId, accessToken }, "echo", { a: 1 })`. */
export async function invoke(options, name, data, callOptions) {
  const client = new Client(options);
  try {
    return await client.invoke(name, data, callOptions);
  } finally {
    client.free();
  }
}

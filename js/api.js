// The public API, shared by every entry once it has bound the core (binding.js).
import { Client } from "./client.js";

export * from "./errors.js";
export { Client } from "./client.js";
export { signInAnonymously } from "./session.js";

/** A client for one environment; throws InvalidArgumentError for bad options. */
export function createClient(options) {
  return new Client(options);
}

/** One-shot form: `await invoke({ envId, accessToken }, "echo", { a: 1 })`. */
export async function invoke(options, name, data, callOptions) {
  return new Client(options).invoke(name, data, callOptions);
}

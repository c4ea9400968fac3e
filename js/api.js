// The public API, shared by every entry point once it has loaded the wasm into `binding`.
import { binding } from "./binding.js";

export * from "./errors.js";

/** A client for one environment; throws InvalidArgumentError for bad options. */
export function createClient(options) {
  return new binding.Client(options);
}

/**
 * Signs in anonymously (CloudBase auth v2) and resolves to a token provider for `accessToken`
 * that refreshes itself with the refresh token. Rejects with AuthError when sign-in fails.
 */
export async function signInAnonymously(options) {
  const session = new binding.AnonymousSession(options);
  await session.accessToken(false);
  return ({ forceRefresh = false } = {}) => session.accessToken(forceRefresh);
}

/** One-shot form: `await invoke({ envId, accessToken }, "echo", { a: 1 })`. */
export async function invoke(options, name, data, callOptions) {
  const client = new binding.Client(options);
  try {
    return await client.invoke(name, data, callOptions);
  } finally {
    client.free();
  }
}

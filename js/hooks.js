// Hooks (ky's shape): `beforeRequest`, `afterResponse` and `beforeRetry`, each a function or an
// array of functions, on the client and per call (the client's run first). They observe a call
// and may add headers; they never see the credential, and a hook that throws ends the call with a
// HookError before anything more is sent.
import { binding } from "./binding.js";
import { HookError } from "./errors.js";
import { invalid, isPlainObject, packHeaders, NO_RETRY } from "./options.js";
import { raise } from "./raise.js";

const KINDS = ["beforeRequest", "afterResponse", "beforeRetry"];

/** `hooks` as `{ beforeRequest: [], afterResponse: [], beforeRetry: [] }`, or undefined if none. */
export function readHooks(hooks, where) {
  if (hooks === undefined) return undefined;
  if (!isPlainObject(hooks)) throw invalid(`${where}hooks must be an object`);
  const read = {};
  let any = false;
  for (const key of Object.keys(hooks)) {
    if (!KINDS.includes(key)) throw invalid(`${where}hooks.${key} is not a hook (beforeRequest, afterResponse or beforeRetry)`);
  }
  for (const kind of KINDS) {
    const value = hooks[kind];
    const list = value === undefined ? [] : typeof value === "function" ? [value] : Array.isArray(value) ? [...value] : undefined;
    if (list === undefined || list.some((hook) => typeof hook !== "function")) {
      throw invalid(`${where}hooks.${kind} must be a function or an array of functions`);
    }
    read[kind] = list;
    any ||= list.length > 0;
  }
  return any ? read : undefined;
}

/** The client's hooks followed by the call's. */
export function mergeHooks(client, call) {
  if (!call) return client;
  if (!client) return call;
  const merged = {};
  for (const kind of KINDS) merged[kind] = [...client[kind], ...call[kind]];
  return merged;
}

/** A copy of `headers` whose `authorization` keeps only its scheme ("Bearer [redacted]"). */
function shown(headers) {
  const copy = { ...headers };
  if (typeof copy.authorization === "string") copy.authorization = `${copy.authorization.split(" ", 1)[0]} [redacted]`;
  return copy;
}

/** `fields`: what the HookError carries of the call so far (`attempts`, and an answer's `status`, `requestId`). */
async function run(list, kind, context, fields) {
  for (const hook of list) {
    try {
      await hook(context);
    } catch (e) {
      throw new HookError(`the ${kind} hook threw: nothing more was sent`, { ...fields, cause: e });
    }
  }
}

/**
 * Runs the beforeRequest hooks on a copy of `headers` whose authorization is redacted; resolves to
 * the headers to send: the originals plus what the hooks added or changed, checked by the core
 * (the SDK's own headers, authorization among them, are refused).
 */
export async function beforeRequest(list, call, headers, attempt) {
  const before = shown(headers);
  const request = { name: call.name, url: call.url, attempt, headers: shown(headers) };
  await run(list, "beforeRequest", request, { attempts: call.attempted });
  const changed = {};
  let count = 0;
  const after = request.headers;
  if (!isPlainObject(after)) throw new HookError("a beforeRequest hook replaced headers", { attempts: call.attempted });
  for (const name of Object.keys(after)) {
    if (after[name] !== before[name]) {
      changed[name] = after[name];
      count++;
    }
  }
  if (count === 0) return headers;
  try {
    const [packed, pairs] = packHeaders(changed);
    const config = JSON.parse(binding.core.configureCall(undefined, false, undefined, false, ...NO_RETRY, packed, pairs));
    if (config.name) throw raise(config);
    return { ...headers, ...config.headers };
  } catch (e) {
    throw new HookError(`a beforeRequest hook set a bad header: ${e.message}`, { attempts: call.attempted, cause: e });
  }
}

/** Runs the afterResponse hooks with what the head of an answer says and the headers that were sent. */
export function afterResponse(list, call, attempt, headers, status, requestId, durationMs) {
  return run(list, "afterResponse", { name: call.name, url: call.url, attempt, headers: shown(headers), status, requestId, durationMs },
    { attempts: call.attempted, status, requestId });
}

/** What `beforeRetry` resolves to when its hooks did not settle within the call's `timeoutMs`. */
export const HOOKS_TIMED_OUT = {};

/**
 * Runs the beforeRetry hooks before attempt number `attempt` is sent after `delayMs`. Hooks that
 * never settle cannot hold the call: this resolves early when the call's signal aborts (the caller
 * then rejects with AbortError) and, to HOOKS_TIMED_OUT, after `timeoutMs` (a TimeoutError).
 */
export function beforeRetry(list, call, attempt, error, delayMs) {
  const { signal, timeoutMs } = call;
  let stop, timer;
  const ended = new Promise((resolve) => {
    signal?.addEventListener("abort", (stop = () => resolve()));
    if (timeoutMs > 0) timer = setTimeout(() => resolve(HOOKS_TIMED_OUT), timeoutMs);
  });
  const hooks = run(list, "beforeRetry", { name: call.name, url: call.url, attempt, error, delayMs }, { attempts: call.attempted });
  return Promise.race([hooks, ended]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
  });
}

// The in-memory gateway behind a test client: a `fetch` that answers POST /v1/functions/{name} as
// the gateway (and emulator/src/gateway.rs, its reference here) does, from handlers instead of
// deployed functions: the status of each error code, `{ code, message, requestId }` error JSON,
// X-Request-Id on every answer, text/plain for a string result and JSON otherwise, and
// FUNCTION_INVOCATION_FAILED when a function throws. Nothing touches the network.
import { answerKind } from "./answers.js";
import { isEventSource, eventStream, eventText, closeIterator } from "./events.js";
import { statuses, DEFAULT_STATUS, MAX_BODY_BYTES } from "./statuses.js"; // generated from src/contract/errors.rs

const JSON_TYPE = "application/json";
const TEXT_TYPE = "text/plain; charset=utf-8";
// The headers the emulator puts on every answer to a request without an Origin.
const CORS = { "access-control-allow-origin": "*", "access-control-expose-headers": "X-Request-Id, Retry-After, Content-Type" };

/** The headers a call records: every name lowercased, the credential replaced. */
function recorded(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    // Keep the scheme ("Bearer", "TC3-HMAC-SHA256") so a test can tell which kind was sent.
    out[name] = name === "authorization" ? `${value.split(" ", 1)[0]} [redacted]` : value;
  }
  return out;
}

function lowercased(headers) {
  const out = {};
  // The driver passes a plain object; a Headers is read the same way.
  const entries = typeof headers?.get === "function" && typeof headers[Symbol.iterator] === "function" ? [...headers] : Object.entries(headers ?? {});
  for (const [name, value] of entries) out[String(name).toLowerCase()] = String(value);
  return out;
}

const aborted = (signal) => signal.reason ?? new DOMException("This operation was aborted", "AbortError");

/** Waits `ms`, rejecting with the abort reason (and clearing the timer) if `signal` aborts first. */
function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(aborted(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/** `promise`, or a rejection with the abort reason when `signal` aborts first; the listener is removed either way. */
function unlessAborted(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const stop = () => reject(aborted(signal));
    signal.addEventListener("abort", stop, { once: true });
    Promise.resolve(promise)
      .finally(() => signal.removeEventListener("abort", stop))
      .then(resolve, reject);
  });
}

const errorMessage = (e) => {
  if (e !== null && typeof e === "object" && typeof e.message === "string") return e.message;
  try {
    return String(e);
  } catch {
    return "function failed";
  }
};

export class Gateway {
  constructor(handlers) {
    this.handlers = handlers;
    this.calls = [];
    this.served = 0;
  }

  /** Empties `calls` (in place: a reference a test holds stays current) and restarts request ids. */
  reset() {
    this.calls.length = 0;
    this.served = 0;
  }

  /** A request id shaped like the gateway's UUIDs, counting up so that runs are reproducible. */
  nextRequestId() {
    this.served += 1;
    return `00000000-0000-4000-8000-${this.served.toString(16).padStart(12, "0")}`;
  }

  /** The fetch for one invocation's attempts (`attempts.n` counts them). */
  fetchFor(attempts) {
    return (url, init) => {
      attempts.n += 1;
      return this.fetch(url, init, attempts.n);
    };
  }

  async fetch(url, init = {}, attempt = 1) {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw aborted(signal);
    const href = typeof url === "string" ? url : String(url?.url ?? url);
    const { pathname } = new URL(href);
    const prefix = "/v1/functions/";
    const name = pathname.startsWith(prefix) ? decodeURIComponent(pathname.slice(prefix.length)) : "";
    const headers = lowercased(init.headers);
    const body = typeof init.body === "string" ? init.body : "";
    const qualifier = headers["x-qualifier"]?.trim() || undefined;
    const webfn = headers["x-tcb-webfn"]?.trim() === "true";
    const requestId = this.nextRequestId();
    let data;
    try {
      data = body.trim() === "" ? {} : JSON.parse(body);
    } catch {}
    this.calls.push({ name, data, headers: recorded(headers), qualifier, webfn, attempt, requestId });
    const reply = new Reply(requestId);

    // In the emulator's order: the body's size, then that it is a JSON object, then the function.
    // (A body of n UTF-16 units is at most 3n bytes: only a long one needs encoding to tell.)
    if (body.length * 3 > MAX_BODY_BYTES && new TextEncoder().encode(body).length > MAX_BODY_BYTES) {
      return reply.error("EXCEED_MAX_PAYLOAD_SIZE", `request body exceeds the limit of ${MAX_BODY_BYTES} bytes`);
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return reply.error("FUNCTION_PARAM_INVALID", "request body must be a JSON object");
    }
    const handler = this.lookup(name, qualifier);
    if (handler === NO_VERSION) return reply.error("FUNCTION_QUALIFIER_NOT_FOUND", `function ${name} has no version ${qualifier}`);
    if (handler === undefined) return reply.error("FUNCTION_NOT_FOUND", `function ${name} not found`);
    const context = { requestId, functionName: name, qualifier, webfn, headers: { ...headers }, attempt, signal };
    let value;
    try {
      value = typeof handler === "function" ? await unlessAborted(handler(structuredCopy(data), context), signal) : handler;
    } catch (e) {
      if (signal?.aborted) throw aborted(signal);
      return reply.error("FUNCTION_INVOCATION_FAILED", errorMessage(e));
    }
    return reply.answer(value, signal);
  }

  /**
   * The handler for `name` called with `qualifier`, as the emulator picks a function's folder:
   * "name@qualifier" for a version, "name" without a qualifier or for "$LATEST", and NO_VERSION
   * for any other qualifier of a function that exists.
   */
  lookup(name, qualifier) {
    const own = (key) => (Object.prototype.hasOwnProperty.call(this.handlers, key) ? this.handlers[key] : undefined);
    const base = own(name);
    if (qualifier === undefined || qualifier === "$LATEST") return base;
    return own(`${name}@${qualifier}`) ?? (base === undefined ? undefined : NO_VERSION);
  }
}

const NO_VERSION = Symbol("no such version");

/** The event a function receives: a fresh copy, as the gateway would parse it from the body. */
const structuredCopy = (data) => JSON.parse(JSON.stringify(data));

/** Builds the Responses of one request, all carrying its request id. */
class Reply {
  constructor(requestId) {
    this.requestId = requestId;
  }

  response(status, body, contentType, extra = {}) {
    const headers = { ...CORS, "x-request-id": this.requestId, ...extra };
    if (contentType !== null && contentType !== undefined) headers["content-type"] = contentType;
    // 204, 205 and 304 carry no body (a Response refuses one).
    const empty = status === 204 || status === 205 || status === 304;
    return new Response(empty ? null : body ?? null, { status, headers });
  }

  error(code, message, status = statuses.get(code) ?? DEFAULT_STATUS, headers = {}) {
    const body = new TextEncoder().encode(JSON.stringify({ code, message, requestId: this.requestId }));
    return this.response(status, body, JSON_TYPE, headers);
  }

  /** What a function's return value (or a respondWith answer) becomes. */
  async answer(value, signal) {
    switch (answerKind(value)) {
      case "error":
        return this.error(value.code, value.message, value.status ?? undefined, value.headers);
      case "status":
        return this.response(value.status, value.body, value.contentType, value.headers);
      case "delay":
        await wait(value.ms, signal);
        return this.answer(value.value, signal);
      case "hang":
        // No timer and nothing to clean up: only the attempt's signal ends it.
        return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(aborted(signal)), { once: true }));
      case "network":
        throw new TypeError(value.message, { cause: new Error("cloudbase-fn/testing: respondWith.networkError()") });
    }
    if (isEventSource(value)) return this.stream(value, signal);
    if (typeof value === "string") return this.response(200, new TextEncoder().encode(value), TEXT_TYPE);
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return this.response(200, bytes, "application/octet-stream");
    }
    let text;
    try {
      // As the emulator's runtime: undefined (and anything JSON drops) answers null.
      text = value === undefined ? "null" : JSON.stringify(value) ?? "null";
    } catch (e) {
      return this.error("FUNCTION_INVOCATION_FAILED", errorMessage(e)); // a cycle or a BigInt
    }
    return this.response(200, new TextEncoder().encode(text), JSON_TYPE);
  }

  /**
   * Server-sent events, as the emulator answers a streaming function (emulator/src/gateway.rs,
   * sse.rs, runtime/host.js): the 200 head goes out with the first event, so a throw (or an item
   * that cannot be an event) before it is the ordinary JSON error answer, and an iterable that
   * ends without any item gives the head and an empty body.
   */
  async stream(iterable, signal) {
    const failed = (e) => this.error("FUNCTION_INVOCATION_FAILED", errorMessage(e));
    const head = (body) => this.response(200, body, "text/event-stream; charset=utf-8", { "cache-control": "no-cache" });
    let iterator, first;
    try {
      iterator = iterable[Symbol.asyncIterator]();
    } catch (e) {
      return failed(e);
    }
    try {
      const result = await unlessAborted(iterator.next(), signal);
      if (signal?.aborted) throw aborted(signal);
      if (result.done) return head(new Uint8Array(0));
      first = result.value;
    } catch (e) {
      if (signal?.aborted) {
        // The client gave up on the attempt: stop the function, as the emulator does.
        closeIterator(iterator);
        throw aborted(signal);
      }
      // The iterator failed, so it is finished (as in for await, return() is not called).
      return failed(e);
    }
    let text;
    try {
      text = eventText(first);
    } catch (e) {
      // A bad item: let the function clean up (its finally blocks), then report it.
      await closeIterator(iterator);
      return failed(e);
    }
    const failedEvent = (e) => JSON.stringify({ code: "FUNCTION_INVOCATION_FAILED", message: errorMessage(e), requestId: this.requestId });
    return head(eventStream(iterator, text, signal, failedEvent));
  }
}

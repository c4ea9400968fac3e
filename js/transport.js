// Host plumbing for one attempt, imported by the wasm boundary (src/wasm/transport.rs). It sends
// the request Rust built, bounds it by the timeout and the caller's signal, and reads the body in
// the form Rust chose. It decides nothing: every rule lives in the Rust contract module. Doing
// this in one JS object saves a dozen wasm<->JS crossings and closures per call.

const BODY_TEXT = 0;
const BODY_BYTES = 1;

export class Exchange {
  constructor(fetchFn, url, headers, body, redirect, timeoutMs, signal) {
    this.timedOut = false;
    this.response = undefined;
    this.contentType = undefined;
    this.requestId = undefined;
    this.retryAfter = undefined;
    this.timer = undefined;
    this.signal = signal;
    this.onAbort = undefined;
    const init = { method: "POST", headers, body, redirect };
    // Without AbortController (some mini-program hosts) the call runs unbounded by us.
    if ((timeoutMs > 0 || signal) && typeof AbortController === "function") {
      const controller = new AbortController();
      init.signal = controller.signal;
      if (timeoutMs > 0) {
        this.timer = setTimeout(() => {
          this.timedOut = true;
          controller.abort();
        }, timeoutMs);
      }
      if (signal) {
        this.onAbort = () => controller.abort(signal.reason);
        signal.addEventListener("abort", this.onAbort);
      }
    }
    /** Resolves to the HTTP status once the head is in, or to -1 when fetch gave no Response. */
    this.head = new Promise((resolve) => resolve(fetchFn(url, init))).then((response) => {
      this.response = response;
      const status = response !== null && typeof response === "object" ? response.status : undefined;
      if (typeof status !== "number") return -1;
      const headers = response.headers;
      if (headers && typeof headers.get === "function") {
        this.contentType = headers.get("content-type");
        this.requestId = headers.get("x-request-id");
        this.retryAfter = headers.get("retry-after");
      }
      return status;
    });
  }

  /** The body as text, bytes, or nothing (kind 2). */
  read(kind) {
    const response = this.response;
    if (kind === BODY_TEXT) return new Promise((resolve) => resolve(response.text()));
    if (kind === BODY_BYTES) return new Promise((resolve) => resolve(response.arrayBuffer())).then((b) => new Uint8Array(b));
    return Promise.resolve(undefined);
  }

  /** The response headers as a plain object (for `raw` results). */
  plainHeaders() {
    try {
      return Object.fromEntries(this.response.headers);
    } catch {
      return {};
    }
  }

  /** Clears the timer and the signal listener, so nothing keeps a process or worker alive. */
  close() {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.onAbort) this.signal.removeEventListener("abort", this.onAbort);
    this.timer = undefined;
    this.onAbort = undefined;
  }
}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts: a caller's signal
 * also ends the wait for a token provider. The listener is removed either way.
 */
export function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

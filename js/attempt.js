// One attempt of a call: get the token, fetch, read the head and the body, all under the
// driver's own timer and the caller's signal. The timer bounds the whole attempt (token wait,
// head and body) by racing each step, so a fetch that ignores its AbortSignal or a body that
// drips forever still ends on time. Which way a body is read, and what every failure means, is
// the core's answer; this file only performs.
import { binding } from "./binding.js";
import { CloudBaseError, InvalidResponseError } from "./errors.js";
import { beforeRequest, afterResponse } from "./hooks.js";
import { bodyStream } from "./stream.js";

// Read kinds and transport failure kinds, as numbered by the core (src/boundary/mod.rs).
const READ_JSON = 0, READ_TEXT = 1, READ_BYTES = 2, READ_NOTHING = 3, READ_ERROR = 4;
/** A retry policy ([retries, base, max, onNetworkError]) under which nothing is retried. */
export const NO_RETRY_POLICY = [0, 0, 0, 0];
export const EVENTS = 2; // `call.stream` for client.events: the body must be text/event-stream
export const NETWORK = 0, TIMEOUT = 1, ABORTED = 2, NOT_A_RESPONSE = 3, BAD_JSON = 4, TOKEN_TIMEOUT = 5;
const ERROR_TEXT_UNITS = 2048; // holds the 1024 characters an HttpError keeps

const string = (value) => (typeof value === "string" ? value : undefined);

function header(response, name) {
  const headers = response.headers;
  return headers && typeof headers.get === "function" ? string(headers.get(name)) : undefined;
}

function plainHeaders(response) {
  try {
    return Object.fromEntries(response.headers);
  } catch {
    return {};
  }
}

/**
 * Sends `call` once. Resolves to `{ value }` (the data, or the raw result without `attempts`) or
 * `{ decision, cause }` where `decision` is the core's JSON for the failure and what to do next.
 * Rejects only with a CloudBaseError raised on the way (a token provider's AuthError).
 */
export async function attempt(call, retriesDone) {
  const core = binding.core;
  const { signal, timeoutMs } = call;
  const controller = typeof AbortController === "function" ? new AbortController() : undefined;
  let stop;
  const stopped = new Promise((_, reject) => (stop = reject));
  stopped.catch(() => {}); // a stop after the last race is nobody's concern
  const until = (promise) => Promise.race([promise, stopped]);
  const timer = timeoutMs > 0 ? setTimeout(() => (stop(TIMEOUT), controller?.abort()), timeoutMs) : undefined;
  const onAbort = () => (stop(ABORTED), controller?.abort(signal.reason));
  let phase = TOKEN_TIMEOUT, status, response;
  // Read only when a result or an error reports it: a success that is not `raw` never needs it.
  const requestId = () => {
    try {
      return status === undefined ? undefined : header(response, "x-request-id");
    } catch {
      return undefined;
    }
  };
  const failed = (kind, cause) => ({
    decision: core.transportFailed(kind, call.url, timeoutMs, status, requestId(), typeof document !== "undefined", retriesDone, ...call.policy, Math.random()),
    cause,
  });
  try {
    signal?.addEventListener("abort", onAbort); // in the try: a signal-like that throws here still clears the timer
    let headers = call.headersFor(until); // the headers, or a promise of them while a token is awaited
    if (typeof headers.then === "function") headers = await headers;
    phase = TIMEOUT;
    const hooks = call.hooks;
    const sent = ++call.sent;
    if (hooks?.beforeRequest.length) headers = await until(beforeRequest(hooks.beforeRequest, call, headers, sent));
    call.attempted = retriesDone + 1;
    const started = Date.now();
    const init = { method: "POST", headers, body: call.body, redirect: binding.redirect, signal: controller?.signal };
    // Called unbound: browsers and workerd throw "Illegal invocation" for a fetch whose `this` is
    // not the global object.
    const fetch = call.fetch;
    response = await until(fetch(call.url, init)); // a synchronous throw lands in the catch below too
    const rawStatus = response !== null && typeof response === "object" ? response.status : undefined;
    const kind = core.readFor(typeof rawStatus === "number" ? rawStatus : NaN, typeof rawStatus === "number" ? header(response, "content-type") : undefined);
    if (kind > READ_ERROR) return failed(NOT_A_RESPONSE, response);
    status = rawStatus;
    if (hooks?.afterResponse.length) await until(afterResponse(hooks.afterResponse, call, sent, headers, status, requestId(), Date.now() - started));
    const read = (method) => {
      if (typeof response[method] !== "function") throw NOT_A_RESPONSE;
      return until(response[method]());
    };
    if (kind === READ_ERROR) {
      const text = string(await read("text")) ?? "";
      let body;
      try {
        body = JSON.parse(text);
      } catch {}
      const parsed = body !== null && typeof body === "object";
      const field = (key) => (parsed ? string(body[key]) : undefined);
      return {
        decision: core.answerFailed(status, parsed, field("code"), field("message"), field("requestId"), text.slice(0, ERROR_TEXT_UNITS),
          requestId(), header(response, "retry-after"), Date.now(), call.secrets(), retriesDone, ...call.policy, Math.random(), call.canRefresh()),
      };
    }
    if (call.stream) {
      const type = header(response, "content-type");
      if (call.stream === EVENTS && !/^text\/event-stream\s*(;|$)/i.test(type ?? "")) {
        response.body?.cancel?.().catch?.(() => {});
        throw new InvalidResponseError(`${call.name} answered ${type ?? "without a content type"}, not text/event-stream`, { status, requestId: requestId(), attempts: call.attempted });
      }
      if (response.body === undefined || (response.body !== null && typeof response.body.getReader !== "function")) {
        throw new InvalidResponseError("the transport's answer has no body stream", { status, requestId: requestId(), attempts: call.attempted });
      }
      const stream = bodyStream(response, call, status, requestId(), () => controller?.abort());
      return { value: call.raw ? { data: stream, status, requestId: requestId(), headers: plainHeaders(response) } : stream };
    }
    let data;
    if (kind === READ_BYTES) data = new Uint8Array(await read("arrayBuffer"));
    else if (kind !== READ_NOTHING) {
      data = await read("text");
      if (kind === READ_JSON) {
        try {
          data = JSON.parse(data);
        } catch (e) {
          return failed(BAD_JSON, e);
        }
      }
    }
    return { value: call.raw ? { data, status, requestId: requestId(), headers: plainHeaders(response) } : data };
  } catch (e) {
    if (e === TIMEOUT) return failed(phase, undefined);
    if (e === ABORTED) return failed(ABORTED, signal.reason);
    if (e === NOT_A_RESPONSE) return failed(NOT_A_RESPONSE, undefined);
    if (e instanceof CloudBaseError) throw e;
    return failed(NETWORK, e);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Waits `ms`, or less if `signal` aborts first; the timer and the listener are always removed. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    signal?.addEventListener("abort", done); // first: if it throws, no timer is left behind
    const timer = setTimeout(done, ms);
  });
}

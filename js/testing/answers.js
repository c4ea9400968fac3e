// respondWith: answers a handler can return (or that stand for a handler) besides a plain value.
// Each is a frozen description; the in-memory gateway (gateway.js) turns it into a Response.
import { InvalidArgumentError } from "cloudbase-fn";

// Symbol.for, not Symbol(): an answer made by the CommonJS copy of this entry must still be
// recognised by the ES module copy when a project loads both.
const ANSWER = Symbol.for("cloudbase-fn/testing answer");

const answer = (kind, fields) => Object.freeze({ [ANSWER]: kind, ...fields });

/** The kind of answer `value` is ("error", "status", …), or undefined for a plain value. */
export const answerKind = (value) => (value !== null && typeof value === "object" ? value[ANSWER] : undefined);

const refuse = (message) => {
  throw new InvalidArgumentError(`respondWith: ${message}`);
};

function headersOption(headers) {
  if (headers === undefined) return {};
  if (headers === null || typeof headers !== "object") refuse("headers must be an object of strings");
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") refuse(`header ${name} must be a string`);
  }
  return { ...headers };
}

function statusOption(status) {
  // The range a Response can be made with; the client's own checks of 1xx or 999 answers are
  // tested against the emulator (tests/js/fidelity.test.mjs).
  if (!Number.isInteger(status) || status < 200 || status > 599) refuse(`status must be an integer from 200 to 599, not ${status}`);
  return status;
}

function bytesOf(value, what) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return refuse(`${what} must be a Uint8Array, an ArrayBuffer or a view of one`);
}

export const respondWith = Object.freeze({
  /**
   * The gateway's error answer for `code`: its status (from the gateway's table; 500 for a code it
   * does not list, the code kept as given), `{ code, message, requestId }` as JSON, X-Request-Id.
   * `options` is the message, or `{ message, status, headers }`.
   */
  error(code, options) {
    if (typeof code !== "string" || code === "") refuse("error() needs a code such as \"FUNCTION_NOT_FOUND\"");
    const o = typeof options === "string" ? { message: options } : options ?? {};
    if (typeof o !== "object") refuse("error() options must be a message or { message, status, headers }");
    if (o.message !== undefined && typeof o.message !== "string") refuse("message must be a string");
    return answer("error", {
      code,
      message: o.message ?? `${code} (respondWith.error)`,
      status: o.status === undefined ? undefined : statusOption(o.status),
      headers: headersOption(o.headers),
    });
  },

  /**
   * Any status with any body: none, a string (text/plain), bytes (application/octet-stream) or
   * anything else as JSON; `options.contentType` replaces that type (null: no Content-Type).
   */
  status(status, body, options = {}) {
    statusOption(status);
    if (options === null || typeof options !== "object") refuse("status() options must be { contentType, headers }");
    let bytes, type;
    if (body === undefined) [bytes, type] = [undefined, null];
    else if (typeof body === "string") [bytes, type] = [new TextEncoder().encode(body), "text/plain; charset=utf-8"];
    else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) [bytes, type] = [bytesOf(body), "application/octet-stream"];
    else [bytes, type] = [new TextEncoder().encode(JSON.stringify(body) ?? "null"), "application/json"];
    if (options.contentType !== undefined && options.contentType !== null && typeof options.contentType !== "string") {
      refuse("contentType must be a string or null");
    }
    return answer("status", { status, body: bytes, contentType: options.contentType === undefined ? type : options.contentType, headers: headersOption(options.headers) });
  },

  /** `value` (a plain value or another answer) after `ms` milliseconds; an abort ends the wait. */
  delay(ms, value) {
    if (typeof ms !== "number" || !(ms >= 0) || ms > 2 ** 31 - 1) refuse("delay() needs a number of milliseconds");
    return answer("delay", { ms, value });
  },

  /** Never answers: the call ends when the client's timeout or the caller's signal aborts it. */
  hang() {
    return answer("hang", {});
  },

  /** A string as text/plain (what a function returning a string gives). */
  text(text) {
    if (typeof text !== "string") refuse("text() needs a string");
    return answer("status", { status: 200, body: new TextEncoder().encode(text), contentType: "text/plain; charset=utf-8", headers: {} });
  },

  /** Bytes as application/octet-stream (or `contentType`): the client resolves to a Uint8Array. */
  bytes(bytes, contentType = "application/octet-stream") {
    return answer("status", { status: 200, body: bytesOf(bytes, "bytes()"), contentType, headers: {} });
  },

  /** Any JSON value as application/json, a string included (a plain string return is text). */
  json(value) {
    const text = JSON.stringify(value);
    if (text === undefined) refuse("json() needs a value JSON can encode");
    return answer("status", { status: 200, body: new TextEncoder().encode(text), contentType: "application/json", headers: {} });
  },

  /** No answer at all: the transport fails as fetch does when a connection is refused or dropped. */
  networkError(message = "fetch failed") {
    return answer("network", { message: String(message) });
  },
});

// Reading the caller's option objects into plain values for the core. Only JS facts are checked
// here (is it a string, a function, a plain object); every contract rule is the core's. Any
// throw while reading (a getter, a revoked Proxy) becomes an InvalidArgumentError with the cause.
import { CloudBaseError, InvalidArgumentError } from "./errors.js";

export const invalid = (message, cause) => new InvalidArgumentError(message, { cause });

/** Runs `read`; anything it throws that is not already typed becomes an InvalidArgumentError. */
export function reading(what, read) {
  try {
    return read();
  } catch (e) {
    if (e instanceof CloudBaseError) throw e;
    throw invalid(`${what} could not be read (a throwing getter or a revoked Proxy?)`, e);
  }
}

/** A plain object from any realm: its prototype is null or has a null prototype. */
export function isPlainObject(value) {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function optional(value, type, name) {
  if (value === undefined || typeof value === type) return value;
  throw invalid(`${name} must be a ${type}`);
}

/** `headers` as `name\nvalue\n…` and the pair count (the core checks each and the packing). */
export function packHeaders(headers) {
  if (headers === undefined) return ["", 0];
  if (!isPlainObject(headers)) throw invalid("headers must be a plain object of strings");
  const parts = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== "string") throw invalid(`header ${name} must be a string`);
    parts.push(name, value);
  }
  return [parts.join("\n"), parts.length / 2];
}

export const NO_RETRY = [false, false, undefined, undefined, undefined, undefined];
const RETRY_OFF = [true, false, undefined, undefined, undefined, undefined];

/**
 * `retry` (undefined: the default policy) as the core's arguments: [off, hasOldAttempts, maxAttempts, baseDelayMs, maxDelayMs,
 * onNetworkError]; the core refuses the old `attempts` key, naming the new one.
 */
export function retryArguments(retry) {
  if (retry === undefined) return NO_RETRY;
  if (retry === false) return RETRY_OFF;
  if (retry === null || typeof retry !== "object") throw invalid("retry must be false or an object");
  const { attempts, maxAttempts, baseDelayMs, maxDelayMs, onNetworkError } = retry;
  return [
    false,
    attempts !== undefined,
    optional(maxAttempts, "number", "retry.maxAttempts"),
    optional(baseDelayMs, "number", "retry.baseDelayMs"),
    optional(maxDelayMs, "number", "retry.maxDelayMs"),
    optional(onNetworkError, "boolean", "retry.onNetworkError"),
  ];
}

/** An AbortSignal, or anything that has what the driver uses of one. */
export function readSignal(signal) {
  if (signal === undefined || signal === null) return undefined;
  if (typeof signal === "object" && typeof signal.aborted === "boolean" && typeof signal.addEventListener === "function" && typeof signal.removeEventListener === "function") {
    return guarded(signal);
  }
  throw invalid("signal must be an AbortSignal");
}

/**
 * The caller's signal as the driver uses it. A signal-like object whose getter or method throws
 * gives an InvalidArgumentError (a listener that cannot be removed is let be), never a plain Error.
 */
function guarded(signal) {
  return {
    get aborted() {
      return reading("signal.aborted", () => signal.aborted === true);
    },
    get reason() {
      try {
        return signal.reason;
      } catch (e) {
        return e;
      }
    },
    addEventListener(type, listener) {
      try {
        signal.addEventListener(type, listener);
      } catch (e) {
        throw invalid("signal.addEventListener threw", e);
      }
    },
    removeEventListener(type, listener) {
      try {
        signal.removeEventListener(type, listener);
      } catch {}
    },
  };
}

/** UTF-8 bytes of a JSON text (which has no lone surrogates), without encoding it. */
export function utf8Length(text) {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/** The JSON text of `data` (`undefined` meaning `{}`); the core checks it is an object. */
export function encodeBody(data) {
  if (data === undefined) return "{}";
  const text = reading("data", () => {
    if (!isPlainObject(data)) {
      throw invalid("data must be a plain object (the contract's body is a JSON object); arrays, strings, numbers and null are not");
    }
    try {
      return JSON.stringify(data);
    } catch (e) {
      throw invalid("data cannot be encoded as JSON (a cycle, a BigInt, or a throwing toJSON)", e);
    }
  });
  if (typeof text !== "string") throw invalid("data does not encode to a JSON object");
  return text;
}

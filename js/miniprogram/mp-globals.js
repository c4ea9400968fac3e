// Mini-program hosts (WeChat) lack globals the driver and the client use: TextEncoder and
// TextDecoder (the wire to the core builds one of each when it is bound, js/core.js),
// AbortController (timeouts, signals) and sometimes queueMicrotask. This module installs small
// fallbacks for the missing ones only; the mini-program entry imports it first.

const g = globalThis;

function utf8Encode(input) {
  const s = String(input === undefined ? "" : input);
  const out = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

// The WHATWG UTF-8 decoder: invalid sequences become U+FFFD (or throw when fatal).
function utf8Decode(bytes, fatal) {
  const units = [];
  let text = "";
  let cp = 0, needed = 0, seen = 0, lower = 0x80, upper = 0xbf;
  const error = () => {
    if (fatal) throw new TypeError("The encoded data was not valid utf-8");
    units.push(0xfffd);
  };
  const emit = (c) => {
    if (c < 0x10000) units.push(c);
    else units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
    if (units.length > 8192) {
      text += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (needed === 0) {
      if (b <= 0x7f) emit(b);
      else if (b >= 0xc2 && b <= 0xdf) (needed = 1), (cp = b & 0x1f);
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2;
        cp = b & 0xf;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3;
        cp = b & 0x7;
      } else error();
      continue;
    }
    if (b < lower || b > upper) {
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      error();
      i--; // the byte starts the next sequence
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    if (++seen === needed) {
      emit(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed !== 0) error();
  return text + String.fromCharCode.apply(null, units);
}

function toBytes(input) {
  if (input === undefined || input === null) return new Uint8Array(0);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return new Uint8Array(input); // an ArrayBuffer (possibly from another realm)
}

if (typeof g.TextEncoder === "undefined") {
  g.TextEncoder = class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(input) {
      return utf8Encode(input);
    }
    /** Writes whole characters only, as the standard method does; the core's wire uses it. */
    encodeInto(input, destination) {
      const bytes = utf8Encode(input);
      let written = Math.min(bytes.length, destination.length);
      while (written > 0 && written < bytes.length && (bytes[written] & 0xc0) === 0x80) written--;
      destination.set(bytes.subarray(0, written));
      let read = 0;
      for (let i = 0; i < written; i++) if ((bytes[i] & 0xc0) !== 0x80) read += bytes[i] >= 0xf0 ? 2 : 1;
      return { read, written };
    }
  };
}

if (typeof g.TextDecoder === "undefined") {
  g.TextDecoder = class TextDecoder {
    constructor(label = "utf-8", options = {}) {
      const name = String(label).trim().toLowerCase();
      if (name !== "utf-8" && name !== "utf8" && name !== "unicode-1-1-utf-8") {
        throw new RangeError(`TextDecoder fallback: only utf-8 is supported, not ${label}`);
      }
      this.fatal = Boolean(options && options.fatal);
      this.ignoreBOM = Boolean(options && options.ignoreBOM);
    }
    get encoding() {
      return "utf-8";
    }
    decode(input) {
      let bytes = toBytes(input);
      if (!this.ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
      }
      return utf8Decode(bytes, this.fatal);
    }
  };
}

if (typeof g.AbortController === "undefined") {
  const abortError = () => {
    const e = new Error("This operation was aborted");
    e.name = "AbortError";
    return e;
  };
  class AbortSignal {
    constructor() {
      this.aborted = false;
      this.reason = undefined;
      this.onabort = null;
      this._listeners = [];
    }
    addEventListener(type, listener) {
      if (type === "abort" && typeof listener === "function" && !this._listeners.includes(listener)) {
        this._listeners.push(listener);
      }
    }
    removeEventListener(type, listener) {
      const i = this._listeners.indexOf(listener);
      if (type === "abort" && i >= 0) this._listeners.splice(i, 1);
    }
    throwIfAborted() {
      if (this.aborted) throw this.reason;
    }
  }
  class AbortController {
    constructor() {
      this.signal = new AbortSignal();
    }
    abort(reason) {
      const signal = this.signal;
      if (signal.aborted) return;
      signal.aborted = true;
      signal.reason = reason === undefined ? abortError() : reason;
      const event = { type: "abort", target: signal };
      const listeners = signal._listeners.slice();
      signal._listeners.length = 0;
      if (typeof signal.onabort === "function") signal.onabort.call(signal, event);
      for (const listener of listeners) listener.call(signal, event);
    }
  }
  g.AbortController = AbortController;
  if (typeof g.AbortSignal === "undefined") g.AbortSignal = AbortSignal;
}

if (typeof g.queueMicrotask !== "function") {
  g.queueMicrotask = (callback) => {
    Promise.resolve()
      .then(callback)
      .catch((e) => setTimeout(() => { throw e; }, 0));
  };
}

/** The global object the fallbacks were installed on. */
export const host = g;

// A fetch-shaped transport over wx.request for mini-programs, which have no fetch. It returns a
// Response-like object (status, headers.get(), text(), arrayBuffer()) and honours init.signal by
// aborting the RequestTask.

function abortError(signal) {
  const e = new Error("the request was aborted");
  e.name = "AbortError";
  if (signal && signal.reason !== undefined) e.cause = signal.reason;
  return e;
}

function isArrayBuffer(value) {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** Headers over wx.request's plain `header` object: case-insensitive get, iterable entries. */
class WxHeaders {
  constructor(header) {
    this._map = new Map();
    if (header && typeof header === "object") {
      for (const name of Object.keys(header)) {
        const value = header[name];
        const key = name.toLowerCase();
        const text = Array.isArray(value) ? value.join(", ") : String(value);
        this._map.set(key, this._map.has(key) ? `${this._map.get(key)}, ${text}` : text);
      }
    }
  }
  get(name) {
    const value = this._map.get(String(name).toLowerCase());
    return value === undefined ? null : value;
  }
  has(name) {
    return this._map.has(String(name).toLowerCase());
  }
  forEach(callback, thisArg) {
    for (const [name, value] of this._map) callback.call(thisArg, value, name, this);
  }
  entries() {
    return this._map.entries();
  }
  keys() {
    return this._map.keys();
  }
  values() {
    return this._map.values();
  }
  [Symbol.iterator]() {
    return this._map.entries();
  }
}

class WxResponse {
  constructor(res) {
    this.status = res.statusCode;
    this.ok = res.statusCode >= 200 && res.statusCode < 300;
    this.headers = new WxHeaders(res.header);
    this._data = res.data;
  }
  arrayBuffer() {
    const data = this._data;
    if (isArrayBuffer(data)) return Promise.resolve(data);
    if (ArrayBuffer.isView(data)) return Promise.resolve(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    if (typeof data === "string") return Promise.resolve(new TextEncoder().encode(data).buffer);
    return Promise.resolve(new TextEncoder().encode(data == null ? "" : JSON.stringify(data)).buffer);
  }
  text() {
    const data = this._data;
    if (typeof data === "string") return Promise.resolve(data);
    if (isArrayBuffer(data) || ArrayBuffer.isView(data)) {
      return this.arrayBuffer().then((buffer) => new TextDecoder("utf-8").decode(new Uint8Array(buffer)));
    }
    return Promise.resolve(data == null ? "" : JSON.stringify(data));
  }
  json() {
    return this.text().then(JSON.parse);
  }
}

function plainHeaders(headers) {
  const out = {};
  if (!headers) return out;
  if (typeof headers.forEach === "function" && !Array.isArray(headers)) {
    headers.forEach((value, name) => (out[name] = value));
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) out[name] = value;
  } else {
    for (const name of Object.keys(headers)) out[name] = headers[name];
  }
  return out;
}

/** `fetch(url, init)` implemented with wx.request (responses are read as ArrayBuffers). */
export function wxFetch(url, init = {}) {
  return new Promise((resolve, reject) => {
    const wxApi = globalThis.wx;
    if (!wxApi || typeof wxApi.request !== "function") {
      reject(new TypeError("wx.request is not available"));
      return;
    }
    const signal = init.signal;
    if (signal && signal.aborted) {
      reject(abortError(signal));
      return;
    }
    let done = false;
    let task;
    const finish = () => {
      done = true;
      if (signal && typeof signal.removeEventListener === "function") signal.removeEventListener("abort", onAbort);
    };
    function onAbort() {
      if (done) return;
      finish();
      try {
        if (task && typeof task.abort === "function") task.abort();
      } finally {
        reject(abortError(signal));
      }
    }
    if (signal && typeof signal.addEventListener === "function") signal.addEventListener("abort", onAbort);
    const request = {
      url: String(url),
      method: String(init.method || "GET").toUpperCase(),
      header: plainHeaders(init.headers),
      dataType: "text", // anything but "json": never parse, the client reads the body itself
      responseType: "arraybuffer",
      success(res) {
        if (done) return;
        finish();
        resolve(new WxResponse(res));
      },
      fail(err) {
        if (done) return;
        finish();
        reject(new TypeError(`wx.request failed: ${(err && err.errMsg) || err}`));
      },
    };
    if (init.body !== undefined && init.body !== null) request.data = init.body;
    // "error" (never follow, the token must not go to another origin) maps to wx's "manual": the
    // 3xx answer is returned and becomes an HttpError.
    if (init.redirect === "error" || init.redirect === "manual") request.redirect = "manual";
    try {
      task = wxApi.request(request);
    } catch (e) {
      finish();
      reject(e);
    }
  });
}

// wx.request hands a body over whole: the driver refuses `stream` and `events` before sending.
wxFetch.cannotStream = true;

// A WeChat-shaped host for mini-program code, as in tests/runtimes/miniprogram.test.mjs: a Node
// `vm` context with `wx` (wx.request doing real HTTP) and `WXWebAssembly` (a path inside the
// mini-program package, .wasm or brotli .wasm.br), and no fetch, WebAssembly, TextEncoder,
// TextDecoder, AbortController or window. On top of that it loads a mini-program folder the way
// the WeChat runtime does: `require` of relative files and of packages built into
// miniprogram_npm/ (what 构建 npm produces), App() and Page() registration, and setData.
import vm from "node:vm";
import http from "node:http";
import zlib from "node:zlib";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";

/**
 * `wx.request` doing real HTTP (node:http), answering `arraybuffer` bodies as ArrayBuffers of the
 * mini-program's realm (`ctxArrayBuffer`). `onRequest` sees every call's options, `onAbort` every
 * RequestTask.abort() (tests/runtimes/miniprogram.test.mjs counts them).
 */
export function makeWx(ctxArrayBuffer, { onRequest, onAbort } = {}) {
  return {
    request(options) {
      onRequest?.(options);
      let done = false;
      const fail = (errMsg) => {
        if (done) return;
        done = true;
        options.fail?.({ errMsg });
        options.complete?.();
      };
      const req = http.request(options.url, { method: options.method, headers: options.header }, (res) => {
        const chunks = [];
        // A body broken mid-way fails the request, as WeChat does; before, nothing settled.
        res.on("aborted", () => fail("request:fail the response was cut off"));
        res.on("error", (e) => fail(`request:fail ${e.message}`));
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          if (done) return;
          done = true;
          const body = Buffer.concat(chunks);
          let data;
          if (options.responseType === "arraybuffer") {
            data = new ctxArrayBuffer(body.length);
            new Uint8Array(data).set(body);
          } else {
            data = body.toString("utf8");
          }
          options.success?.({ statusCode: res.statusCode, header: res.headers, data, errMsg: "request:ok" });
          options.complete?.();
        });
      });
      req.on("error", (e) => fail(`request:fail ${e.message}`));
      if (options.data !== undefined) req.write(options.data);
      req.end();
      return {
        abort() {
          onAbort?.();
          if (done) return;
          done = true;
          req.destroy();
          options.fail?.({ errMsg: "request:fail abort" });
        },
      };
    },
  };
}

/** A mini-program host over the folder `root` (the mini-program root: app.json, pages/, miniprogram_npm/). */
export function createHost(root) {
  const instantiated = []; // paths WXWebAssembly was given
  const ctx = vm.createContext({ console, setTimeout, clearTimeout });
  vm.runInContext("delete globalThis.WebAssembly; globalThis.global = globalThis", ctx); // WeChat has `global`
  // wx.request for real; the system-information calls a framework's runtime makes at load answer
  // like a phone.
  const info = { platform: "android", system: "Android 14", SDKVersion: "3.7.0", version: "8.0.50", language: "zh_CN", pixelRatio: 2, windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667, statusBarHeight: 20, safeArea: { left: 0, right: 375, top: 20, bottom: 667, width: 375, height: 647 } };
  const wx = Object.assign(makeWx(vm.runInContext("ArrayBuffer", ctx)), {
    getSystemInfoSync: () => ({ ...info }),
    getWindowInfo: () => ({ ...info }),
    getDeviceInfo: () => ({ ...info }),
    getAppBaseInfo: () => ({ ...info }),
    getSystemSetting: () => ({}),
    getAppAuthorizeSetting: () => ({}),
    canIUse: () => true,
  });
  ctx.wx = wx;
  ctx.WXWebAssembly = {
    instantiate(path, imports) {
      instantiated.push(path);
      // Like WeChat: an absolute path inside the package (.wasm, or .wasm.br from base library 2.14.0).
      if (typeof path !== "string" || !path.startsWith("/") || !/\.wasm(\.br)?$/.test(path)) return Promise.reject(new Error(`bad path ${path}`));
      const file = join(root, path);
      if (!existsSync(file)) return Promise.reject(new Error(`no such file in the package: ${path}`));
      const bytes = readFileSync(file);
      return WebAssembly.instantiate(path.endsWith(".br") ? zlib.brotliDecompressSync(bytes) : bytes, imports);
    },
  };
  const pages = [];
  let appInstance = {};
  ctx.App = (options) => {
    appInstance = options;
    options.onLaunch?.call(options, { path: "", query: {}, scene: 1001 });
  };
  ctx.Component = () => {};
  ctx.Behavior = (options) => options;
  ctx.getApp = () => appInstance;
  ctx.getCurrentPages = () => [];
  ctx.Page = (options) => pages.push(options);

  const cache = new Map();
  /** The mini-program's module loader: relative paths, then miniprogram_npm/<name> (its index.js). */
  function load(file) {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const code = readFileSync(join(root, file), "utf8");
    const dir = posix.dirname(file);
    const require = (spec) => {
      if (spec.startsWith(".") || spec.startsWith("/")) {
        const target = posix.normalize(spec.startsWith("/") ? spec.slice(1) : posix.join(dir, spec));
        return load(target.endsWith(".js") ? target : `${target}.js`);
      }
      // A package name: what 构建 npm produced, searched from this folder up to the root.
      for (let d = dir; ; d = posix.dirname(d)) {
        const base = posix.join(d === "." ? "" : d, "miniprogram_npm", spec);
        for (const candidate of [`${base}.js`, `${base}/index.js`]) {
          if (statSync(join(root, candidate), { throwIfNoEntry: false })?.isFile()) return load(candidate);
        }
        if (d === "." || d === "/" || d === "") break;
      }
      throw new Error(`module "${spec}" is not defined (required from ${file})`);
    };
    vm.runInContext(`(function (module, exports, require) {\n${code}\n})`, ctx, { filename: file })(module, module.exports, require);
    return module.exports;
  }

  /** Loads app.js and a page, runs its onLoad(query) and resolves with its data once `done(data)` holds. */
  async function openPage(page, query, done = (data) => data.result, limitMs = 15_000) {
    load("app.js");
    load(`${page}.js`);
    const options = pages.at(-1);
    const instance = Object.assign(Object.create(null), options, {
      data: JSON.parse(JSON.stringify(options.data ?? {})),
      setData(patch) {
        Object.assign(this.data, JSON.parse(JSON.stringify(patch)));
      },
    });
    await options.onLoad?.call(instance, query);
    const until = Date.now() + limitMs;
    while (!done(instance.data)) {
      if (Date.now() > until) throw new Error(`the page did not finish within ${limitMs} ms: ${JSON.stringify(instance.data)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return instance.data;
  }

  const typeofIn = (names) => Array.from(vm.runInContext(`[${names.map((n) => `typeof ${n}`).join(", ")}]`, ctx));
  return { ctx, load, openPage, instantiated, typeofIn };
}

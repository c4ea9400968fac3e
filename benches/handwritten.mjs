// The fair floor for the SDK-overhead budget: what a user would write by hand to do the same
// contract work as cloudbase-fn's `invoke` on the success path: a Bearer POST of the JSON body,
// `redirect: "error"` (the token must not follow a redirect), a timeout that cancels the request
// (AbortController + setTimeout, cleared in finally), the 2xx check and the content-type
// classification (JSON -> parsed, text/plain -> string, else bytes), and an Error carrying
// code/status from the JSON error body otherwise. No retries, validation or typed error classes.
export function createHandwritten({ baseUrl, accessToken, fetch: fetchFn = globalThis.fetch, timeoutMs = 60_000 }) {
  const base = String(baseUrl).replace(/\/+$/, "");
  const headers = { "content-type": "application/json", authorization: `Bearer ${accessToken}` };
  return {
    async invoke(name, data) {
      const controller = new AbortController();
      const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new Error("timeout")), timeoutMs) : undefined;
      try {
        const init = { method: "POST", headers, body: JSON.stringify(data), redirect: "error", signal: controller.signal };
        const res = await fetchFn(`${base}/v1/functions/${name}`, init);
        const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
        if (res.status < 200 || res.status > 299) {
          const text = await res.text();
          let body;
          try { body = JSON.parse(text); } catch { body = undefined; }
          const err = new Error(body?.message ?? `HTTP ${res.status}: ${text.slice(0, 200)}`);
          Object.assign(err, { code: body?.code ?? "HTTP_ERROR", status: res.status, requestId: body?.requestId ?? res.headers.get("x-request-id") });
          throw err;
        }
        if (type === "application/json" || type.endsWith("+json")) return JSON.parse(await res.text());
        if (type === "text/plain") return await res.text();
        return new Uint8Array(await res.arrayBuffer());
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

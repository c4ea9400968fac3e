// The cases every runner (node:test, Vitest, Jest) runs against the installed package, written
// with node:assert only. `pkg` is what the runner loaded as "cloudbase-fn", `testing` as
// "cloudbase-fn/testing": errors must be instances of pkg's classes.
const assert = require("node:assert/strict");

const TOKEN = "tok-SECRET-5f3a9c"; // must never appear in what a test client records

/** How a call fails: the rejection, which must be a CloudBaseError of the runner's "cloudbase-fn". */
async function failure(pkg, promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof pkg.CloudBaseError, `not a CloudBaseError of the main entry: ${e}`);
    return e;
  }
  assert.fail("the call did not fail");
}

/**
 * Runs `fn` while counting the timers set through the global setTimeout (which the client's
 * driver and the test double use) and not yet fired or cleared; resolves to those left. A
 * process-wide count would also see the runner's own timers come and go.
 */
async function timersLeftBy(fn) {
  const live = new Set();
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  globalThis.setTimeout = (callback, ms, ...args) => {
    const timer = set((...a) => (live.delete(timer), callback(...a)), ms, ...args);
    live.add(timer);
    return timer;
  };
  globalThis.clearTimeout = (timer) => (live.delete(timer), clear(timer));
  try {
    await fn();
  } finally {
    globalThis.setTimeout = set;
    globalThis.clearTimeout = clear;
  }
  return live.size;
}

module.exports = function cases(pkg, testing) {
  const { createTestClient, respondWith } = testing;
  const client = (handlers, options) => createTestClient({ accessToken: TOKEN, handlers, ...options });
  const list = [];
  const test = (title, fn) => list.push([title, fn]);

  test("a handler's object is JSON, a string is text/plain, bytes are a Uint8Array", async () => {
    const c = client({ echo: (data) => data, hello: () => "hi", bytes: () => new Uint8Array([0, 1, 255]), none: () => {} });
    assert.deepEqual(await c.invoke("echo", { a: 1, b: [true, null] }), { a: 1, b: [true, null] });
    const text = await c.invoke("hello", {}, { raw: true });
    assert.equal(text.data, "hi");
    assert.equal(text.headers["content-type"], "text/plain; charset=utf-8");
    const bytes = await c.invoke("bytes");
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual([...bytes], [0, 1, 255]);
    assert.equal(await c.invoke("none"), null, "undefined answers null, as the gateway's runtime does");
  });

  test("raw results carry the status, X-Request-Id and attempts as the gateway's do", async () => {
    const c = client({ echo: (data) => data });
    const raw = await c.invoke("echo", { a: 1 }, { raw: true });
    assert.equal(raw.status, 200);
    assert.equal(raw.attempts, 1);
    assert.equal(raw.headers["content-type"], "application/json");
    assert.equal(raw.requestId, raw.headers["x-request-id"]);
    assert.equal(raw.requestId, c.calls[0].requestId);
    assert.ok(c instanceof pkg.Client, "a test client is the package's Client");
  });

  test("a throwing handler is FunctionInvocationFailedError, as a function that threw on the gateway", async () => {
    const c = client({ boom: () => { throw new Error("kaput"); }, later: async () => { throw new TypeError("late"); } });
    const e = await failure(pkg, c.invoke("boom"));
    assert.ok(e instanceof pkg.FunctionInvocationFailedError);
    assert.equal(e.code, "FUNCTION_INVOCATION_FAILED");
    assert.equal(e.status, 400);
    assert.equal(e.message, "kaput");
    assert.equal(e.retryable, false);
    assert.equal(e.requestId, c.calls[0].requestId);
    assert.equal(c.calls.length, 1, "not retried");
    assert.ok((await failure(pkg, c.invoke("later"))) instanceof pkg.FunctionInvocationFailedError);
  });

  test("a name without a handler is FunctionNotFoundError (404), and the call is recorded", async () => {
    const c = client({});
    const e = await failure(pkg, c.invoke("missing", { x: 1 }));
    assert.ok(e instanceof pkg.FunctionNotFoundError);
    assert.equal(e.status, 404);
    assert.equal(e.message, "function missing not found");
    assert.deepEqual(c.calls.map((call) => [call.name, call.data]), [["missing", { x: 1 }]]);
  });

  test("respondWith.error gives each contract code the gateway's status and the SDK's class", async () => {
    const expected = [
      ["FUNCTION_QUALIFIER_NOT_FOUND", 404, pkg.FunctionQualifierNotFoundError],
      ["FUNCTION_PARAM_INVALID", 400, pkg.FunctionParamInvalidError],
      ["FUNCTION_STATUS_ABNORMAL", 500, pkg.FunctionStatusAbnormalError],
      ["ACCESS_TOKEN_EXPIRED", 401, pkg.AuthenticationError],
      ["EXCEED_AUTHORITY", 403, pkg.ExceedAuthorityError],
      ["EXCEED_REQUEST_LIMIT", 429, pkg.RateLimitError],
      ["EXCEED_MAX_PAYLOAD_SIZE", 413, pkg.PayloadTooLargeError],
    ];
    for (const [code, status, Class] of expected) {
      const c = client({ fn: respondWith.error(code, "said the gateway") });
      const e = await failure(pkg, c.invoke("fn"));
      assert.ok(e instanceof Class, `${code}: ${e.name}`);
      assert.deepEqual([e.code, e.status, e.message], [code, status, "said the gateway"]);
    }
    const e = await failure(pkg, client({ fn: respondWith.error("EXCEED_AUTHORITY") }).invoke("fn"));
    assert.ok(e instanceof pkg.PermissionDeniedError, "ExceedAuthorityError is a PermissionDeniedError");
  });

  test("an unknown code keeps its code; the status picks the class (500 by default)", async () => {
    const c = client({
      plain: respondWith.error("SOMETHING_NEW"),
      denied: respondWith.error("SOMETHING_NEW", { status: 403, message: "no" }),
      limited: () => respondWith.error("QUOTA_GONE", { status: 429 }),
    });
    const plain = await failure(pkg, c.invoke("plain"));
    assert.deepEqual([plain.name, plain.code, plain.status], ["CloudBaseError", "SOMETHING_NEW", 500]);
    const denied = await failure(pkg, c.invoke("denied"));
    assert.ok(denied instanceof pkg.PermissionDeniedError);
    assert.deepEqual([denied.code, denied.status, denied.message], ["SOMETHING_NEW", 403, "no"]);
    const limited = await failure(pkg, c.invoke("limited"));
    assert.ok(limited instanceof pkg.RateLimitError);
    assert.deepEqual([limited.code, limited.status, limited.retryable], ["QUOTA_GONE", 429, false]);
  });

  test("EXCEED_CONCURRENT_REQUEST_LIMIT is retried by the client's policy; calls shows both attempts", async () => {
    const c = client(
      { busy: (data, context) => (context.attempt === 1 ? respondWith.error("EXCEED_CONCURRENT_REQUEST_LIMIT") : { ok: true, attempt: context.attempt }) },
      { retry: { baseDelayMs: 1 } },
    );
    const raw = await c.invoke("busy", { n: 7 }, { raw: true });
    assert.deepEqual(raw.data, { ok: true, attempt: 2 });
    assert.equal(raw.attempts, 2);
    assert.deepEqual(c.calls.map((call) => [call.name, call.attempt, call.data]), [["busy", 1, { n: 7 }], ["busy", 2, { n: 7 }]]);
    assert.notEqual(c.calls[0].requestId, c.calls[1].requestId);
    // Each invoke counts its own attempts.
    await c.invoke("busy", {}, { retry: false }).catch(() => {});
    assert.equal(c.calls[2].attempt, 1);
  });

  test("a status answer: 503 is retried, then an HttpError; a network error is a NetworkError", async () => {
    const c = client({ down: respondWith.status(503), page: respondWith.status(502, "<h1>bad gateway</h1>", { contentType: "text/html" }), off: respondWith.networkError() }, { retry: { baseDelayMs: 1 } });
    const down = await failure(pkg, c.invoke("down"));
    assert.ok(down instanceof pkg.HttpError);
    assert.deepEqual([down.status, down.attempts, down.retryable], [503, 3, true]);
    const page = await failure(pkg, c.invoke("page"));
    assert.deepEqual([page.name, page.status, page.body], ["HttpError", 502, "<h1>bad gateway</h1>"]);
    const off = await failure(pkg, c.invoke("off"));
    assert.ok(off instanceof pkg.NetworkError);
    assert.equal(c.calls.filter((call) => call.name === "off").length, 1, "network errors are not retried by default");
  });

  test("hang + timeoutMs is a TimeoutError, and nothing is left pending", async () => {
    const c = client({ slow: respondWith.hang(), later: respondWith.delay(60_000, { never: true }) });
    const left = await timersLeftBy(async () => {
      const started = Date.now();
      const e = await failure(pkg, c.invoke("slow", {}, { timeoutMs: 30 }));
      assert.ok(e instanceof pkg.TimeoutError);
      assert.ok(Date.now() - started < 5_000);
      assert.ok((await failure(pkg, c.invoke("later", {}, { timeoutMs: 30 }))) instanceof pkg.TimeoutError);
    });
    assert.equal(left, 0, "the client's timers and the delay's are cleared");
  });

  test("hang + an aborted signal is an AbortError with the signal's reason", async () => {
    const c = client({ slow: respondWith.hang(), later: respondWith.delay(60_000, "never") });
    const left = await timersLeftBy(async () => {
      for (const name of ["slow", "later"]) {
        const controller = new AbortController();
        const pending = c.invoke(name, {}, { signal: controller.signal, timeoutMs: 0 });
        setTimeout(() => controller.abort(new Error("user left")), 10);
        const e = await failure(pkg, pending);
        assert.ok(e instanceof pkg.AbortError);
        assert.equal(e.cause.message, "user left");
      }
    });
    assert.equal(left, 0);
    // A handler's own wait ends with the attempt: its context's signal aborts.
    let seen;
    const d = client({ wait: (data, context) => new Promise((resolve) => context.signal.addEventListener("abort", () => resolve((seen = "aborted")))) });
    assert.ok((await failure(pkg, d.invoke("wait", {}, { timeoutMs: 20 }))) instanceof pkg.TimeoutError);
    assert.equal(seen, "aborted");
  });

  test("respondWith.delay answers after its wait", async () => {
    const c = client({ slow: respondWith.delay(20, "done"), nested: respondWith.delay(5, respondWith.error("FUNCTION_NOT_FOUND")) });
    const started = Date.now();
    assert.equal(await c.invoke("slow"), "done");
    assert.ok(Date.now() - started >= 15);
    assert.ok((await failure(pkg, c.invoke("nested"))) instanceof pkg.FunctionNotFoundError);
  });

  test("bad input is an InvalidArgumentError and nothing reaches the gateway", async () => {
    const c = client({ echo: (data) => data });
    for (const [name, data] of [["1bad", {}], ["has space", {}], ["echo", [1, 2]], ["echo", "text"]]) {
      const e = await failure(pkg, c.invoke(name, data));
      assert.ok(e instanceof pkg.InvalidArgumentError, `${name}: ${e.name}`);
    }
    assert.ok((await failure(pkg, c.invoke("echo", {}, { qualifier: "a\r\nb" }))) instanceof pkg.InvalidArgumentError);
    assert.deepEqual(c.calls, []);
    assert.throws(() => createTestClient({ baseUrl: "http://evil.example" }), pkg.InvalidArgumentError);
    assert.throws(() => createTestClient({ fetch: async () => new Response("{}") }), pkg.InvalidArgumentError);
  });

  test("calls record data, headers (credential redacted), qualifier and webfn; handlers see the real headers", async () => {
    let seen;
    const echo = (data, context) => ((seen = context), data);
    const c = client({ echo, "echo@2": echo }, { headers: { "X-Trace": "t1" } });
    await c.invoke("echo", { a: { b: 1 } }, { webfn: true, headers: { "X-Extra": "e" } });
    await c.invoke("echo", {}, { qualifier: "2" });
    await c.invoke("echo", {}, { qualifier: "3" }).catch(() => {});
    const [first, second, third] = c.calls;
    assert.deepEqual(first, {
      name: "echo",
      data: { a: { b: 1 } },
      headers: { "content-type": "application/json", authorization: "Bearer [redacted]", "x-trace": "t1", "x-extra": "e", "x-tcb-webfn": "true" },
      qualifier: undefined,
      webfn: true,
      attempt: 1,
      requestId: "00000000-0000-4000-8000-000000000001",
    });
    assert.deepEqual([second.qualifier, third.qualifier, third.webfn], ["2", "3", false]);
    assert.equal(seen.qualifier, "2");
    assert.equal(seen.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen.functionName, "echo");
    assert.ok(!JSON.stringify(c.calls).includes(TOKEN), "the token appears nowhere in calls");
    c.reset();
    assert.deepEqual(c.calls, []);
    await c.invoke("echo");
    assert.equal(c.calls[0].requestId, "00000000-0000-4000-8000-000000000001", "reset restarts request ids");
  });

  test("a token provider is asked again after a 401 and neither token is recorded", async () => {
    const asked = [];
    const c = createTestClient({
      accessToken: ({ forceRefresh }) => (asked.push(forceRefresh), forceRefresh ? "tok-NEW-77" : "tok-OLD-66"),
      handlers: { me: (data, context) => (context.headers.authorization === "Bearer tok-NEW-77" ? "ok" : respondWith.error("ACCESS_TOKEN_EXPIRED")) },
    });
    assert.equal(await c.invoke("me"), "ok");
    assert.deepEqual(asked, [false, true]);
    assert.deepEqual(c.calls.map((call) => [call.attempt, call.headers.authorization]), [[1, "Bearer [redacted]"], [2, "Bearer [redacted]"]]);
    assert.ok(!/tok-(NEW|OLD)/.test(JSON.stringify(c.calls)));
  });

  test("\"name@qualifier\" handlers are versions: another qualifier is FunctionQualifierNotFoundError", async () => {
    const c = client({ hello: () => "v1", "hello@2": () => "v2", plain: () => "p" });
    assert.equal(await c.invoke("hello"), "v1");
    assert.equal(await c.invoke("hello", {}, { qualifier: "2" }), "v2");
    assert.equal(await c.invoke("hello", {}, { qualifier: "$LATEST" }), "v1");
    const e = await failure(pkg, c.invoke("hello", {}, { qualifier: "9" }));
    assert.ok(e instanceof pkg.FunctionQualifierNotFoundError);
    assert.deepEqual([e.status, e.message], [404, "function hello has no version 9"]);
    assert.ok((await failure(pkg, c.invoke("plain", {}, { qualifier: "1" }))) instanceof pkg.FunctionQualifierNotFoundError, "as the gateway: only versions it has");
    assert.ok((await failure(pkg, c.invoke("absent", {}, { qualifier: "2" }))) instanceof pkg.FunctionNotFoundError);
  });

  test("handlers can be replaced between calls; a fixed value stands for a handler", async () => {
    const c = client({ config: { mode: "a" } });
    assert.deepEqual(await c.invoke("config"), { mode: "a" });
    c.handlers.config = () => ({ mode: "b" });
    assert.deepEqual(await c.invoke("config"), { mode: "b" });
    delete c.handlers.config;
    assert.ok((await failure(pkg, c.invoke("config"))) instanceof pkg.FunctionNotFoundError);
  });

  test("an async generator handler streams server-sent events; events() reads them, stream: true gives the bytes", async () => {
    let stopped = false;
    const c = client({
      ticker: async function* ({ count }) {
        try {
          for (let i = 0; i < count; i++) yield { event: "tick", id: String(i), data: { i } };
        } finally {
          stopped = true;
        }
      },
      words: async function* () {
        yield "two\nlines";
        throw new Error("model overloaded");
      },
    });
    const seen = [];
    for await (const e of c.events("ticker", { count: 3 })) seen.push([e.event, e.id, JSON.parse(e.data).i]);
    assert.deepEqual(seen, [["tick", "0", 0], ["tick", "1", 1], ["tick", "2", 2]]);
    const text = await new Response(await c.invoke("ticker", { count: 1 }, { stream: true })).text();
    assert.equal(text, 'event: tick\nid: 0\ndata: {"i":0}\n\n');
    stopped = false;
    for await (const e of c.events("ticker", { count: 100 })) if (e.id === "1") break;
    assert.ok(stopped, "leaving the loop early ran the generator's finally");
    const words = [];
    for await (const e of c.events("words")) words.push([e.event, e.data]);
    assert.deepEqual(words[0], ["message", "two\nlines"]);
    assert.equal(words[1][0], "error");
    assert.deepEqual(JSON.parse(words[1][1]).code, "FUNCTION_INVOCATION_FAILED");
    const e = await failure(pkg, c.events("echo-missing").next());
    assert.ok(e instanceof pkg.FunctionNotFoundError);
  });

  test("hooks run on a test client: a traceparent reaches the handler, the credential stays redacted", async () => {
    const seen = [];
    const c = client(
      { echo: (data, context) => ({ traceparent: context.headers.traceparent }) },
      { hooks: { beforeRequest: (r) => ((r.headers.traceparent = "00-abc-def-01"), seen.push(r.headers.authorization)), afterResponse: (r) => seen.push(r.status) } },
    );
    assert.deepEqual(await c.invoke("echo"), { traceparent: "00-abc-def-01" });
    assert.deepEqual(seen, ["Bearer [redacted]", 200]);
    assert.equal(c.calls[0].headers.traceparent, "00-abc-def-01");
    const thrown = await failure(pkg, client({ echo: () => 1 }, { hooks: { beforeRequest: () => { throw new Error("x"); } } }).invoke("echo"));
    assert.ok(thrown instanceof pkg.HookError);
  });

  return list;
};

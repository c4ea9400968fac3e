// Reliability: timeouts and cancellation really cancel the request (the server sees the connection
// close, nothing keeps the process alive), and the retry policy retries exactly what it should,
// counted by the emulator's request counter. Complements tests/js/invoke.test.mjs, which checks
// the error classes of a timeout, an abort and an already-aborted signal.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { spawn } from "node:child_process";
import { getEventListeners } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage, consumerDir } from "./helpers/package.mjs";
import { failure, assertTyped as typed } from "./helpers/assert.mjs";

const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

let emu, sdk, client, hang, hangUrl;
/** Requests the hanging server received: when they came and when their connection closed. */
const hung = [];

before(async () => {
  // Never answers; records when the client closes the connection.
  hang = createServer((req, res) => {
    if (req.url.endsWith("/warm")) return req.resume(), res.writeHead(200, { "content-type": "application/json" }).end("{}");
    const entry = { at: Date.now(), closedAt: undefined };
    hung.push(entry);
    req.resume();
    res.on("close", () => (entry.closedAt = Date.now()));
  });
  await new Promise((r) => hang.listen(0, "127.0.0.1", r));
  hangUrl = `http://127.0.0.1:${hang.address().port}`;
  [emu, sdk] = await Promise.all([startEmulator(["--faults"]), importPackage()]);
  client = sdk.createClient({ baseUrl: emu.url });
});
after(async () => {
  hang?.closeAllConnections?.();
  await new Promise((r) => (hang ? hang.close(r) : r()));
  await emu?.stop();
  assert.deepEqual(unhandled, [], "unhandled rejections");
});

const assertTyped = (err, Class, code, status) => typed(sdk, err, Class, code, status);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond()` holds, up to `ms`. */
async function eventually(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
  return cond();
}

/** Runs `fn` and returns [error, elapsed ms]. */
async function timed(fn) {
  const t0 = performance.now();
  const err = await failure(fn());
  return [err, performance.now() - t0];
}

/** The emulator's request counter moved by exactly `n` while `fn` ran (and stays there). */
async function countRequests(fn) {
  const before = await requestCount(emu.url);
  const out = await fn();
  const n = (await requestCount(emu.url)) - before;
  return [out, n];
}

describe("timeouts and cancellation cancel the underlying request", () => {
  test("a client timeoutMs closes the connection: the server sees it within the timeout", async () => {
    // Generous bounds: these are liveness checks on a loaded 2-core machine, not timings.
    const c = sdk.createClient({ baseUrl: hangUrl, timeoutMs: 1000, retry: false });
    assert.deepEqual(await c.invoke("warm", {}), {}); // connection and code paths warm
    const start = hung.length;
    const [err, ms] = await timed(() => c.invoke("slow-fn", {}));
    assertTyped(err, sdk.TimeoutError, "TIMEOUT", undefined);
    assert.match(err.message, /within 1000 ms/);
    assert.ok(ms >= 990 && ms < 5000, `rejected after ${ms} ms`);
    assert.ok(await eventually(() => hung.length === start + 1), "the request never reached the server");
    assert.ok(await eventually(() => hung[start].closedAt !== undefined), "the server never saw the connection close");
    assert.ok(hung[start].closedAt - hung[start].at < 4000);
  });

  test("a per-call timeoutMs overrides the client's, both ways", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, timeoutMs: 100, retry: false });
    // Longer per call: a 300 ms function succeeds although the client says 100.
    assert.deepEqual(await c.invoke("fault-delay", { ms: 300 }, { timeoutMs: 2000 }), { ms: 300 });
    // 0 per call = no timeout.
    assert.deepEqual(await c.invoke("fault-delay", { ms: 300 }, { timeoutMs: 0 }), { ms: 300 });
    // Shorter per call than a long client default.
    const long = sdk.createClient({ baseUrl: hangUrl, timeoutMs: 60_000, retry: false });
    const start = hung.length;
    const [err, ms] = await timed(() => long.invoke("x-y", {}, { timeoutMs: 1000 }));
    assertTyped(err, sdk.TimeoutError, "TIMEOUT", undefined);
    assert.ok(ms < 5000, `rejected after ${ms} ms`);
    assert.ok(await eventually(() => hung.length === start + 1), "the request never reached the server");
    assert.ok(await eventually(() => hung[start]?.closedAt !== undefined));
  });

  test("an AbortSignal closes the connection and rejects promptly with AbortError", async () => {
    const c = sdk.createClient({ baseUrl: hangUrl, retry: false });
    const controller = new AbortController();
    const start = hung.length;
    const pending = c.invoke("slow-fn", {}, { signal: controller.signal });
    assert.ok(await eventually(() => hung.length === start + 1), "the request never arrived");
    const t0 = performance.now();
    controller.abort(new Error("stop"));
    const err = await failure(pending);
    assert.ok(performance.now() - t0 < 1500, "the abort was not prompt");
    assertTyped(err, sdk.AbortError, "ABORTED", undefined);
    assert.equal(err.cause.message, "stop");
    assert.ok(await eventually(() => hung[start].closedAt !== undefined), "the server never saw the connection close");
  });

  test("AbortSignal.timeout() ends the call as an AbortError carrying its TimeoutError reason", async () => {
    const c = sdk.createClient({ baseUrl: hangUrl, retry: false });
    const err = await failure(c.invoke("slow-fn", {}, { signal: AbortSignal.timeout(100) }));
    assertTyped(err, sdk.AbortError, "ABORTED", undefined);
    assert.equal(err.cause?.name, "TimeoutError");
  });

  test("an already-aborted signal sends nothing, even with retries and a token provider", async () => {
    let provided = 0;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => (provided++, "t"), retry: { maxAttempts: 4, onNetworkError: true } });
    const reason = new Error("already");
    const [err, n] = await countRequests(() => failure(c.invoke("echo", {}, { signal: AbortSignal.abort(reason) })));
    assertTyped(err, sdk.AbortError, "ABORTED", undefined);
    assert.equal(err.cause, reason);
    assert.equal(n, 0);
    assert.equal(provided, 0, "the token provider was called for a call that was never sent");
  });

  test("a signal aborted during a retry backoff ends the call without a further request", async () => {
    const key = `abort-backoff-${Math.random()}`;
    const controller = new AbortController();
    const before = await requestCount(emu.url);
    // 429 with Retry-After: 1 s. The backoff starts once the beforeRetry hook has returned: a
    // timer queued from the hook fires inside that second-long sleep.
    let backingOff;
    const inBackoff = new Promise((resolve) => (backingOff = resolve));
    const hooks = { beforeRetry: () => void setTimeout(backingOff, 0) };
    const pending = client.invoke("fault-flaky", { key, failures: 5, retryAfter: 1 }, { signal: controller.signal, retry: { maxAttempts: 4, maxDelayMs: 2000 }, hooks });
    await inBackoff;
    assert.equal(await requestCount(emu.url), before + 1);
    const t0 = performance.now();
    controller.abort(new Error("no more"));
    const err = await failure(pending);
    assert.ok(performance.now() - t0 < 1500, "the backoff did not end at the abort");
    assertTyped(err, sdk.AbortError, "ABORTED", undefined);
    assert.equal(err.cause.message, "no more");
    assert.equal(err.attempts, 1);
    await sleep(1200); // past the Retry-After: no late retry either
    assert.equal(await requestCount(emu.url), before + 1);
  });

  test("aborting after the call resolved changes nothing and raises nothing", async () => {
    const controller = new AbortController();
    assert.deepEqual(await client.invoke("native-echo", { a: 1 }, { signal: controller.signal }), { a: 1 });
    controller.abort();
    await sleep(20);
    assert.deepEqual(unhandled, []);
  });

  test("one signal shared by many calls holds no abort listener once each has settled", async () => {
    // A listener left on a long-lived signal (an app-wide AbortController) leaks one closure per call.
    const { signal } = new AbortController();
    const listeners = () => getEventListeners(signal, "abort").length;
    assert.deepEqual(await client.invoke("native-echo", { a: 1 }, { signal }), { a: 1 });
    assert.equal(listeners(), 0, "after a success");
    assertTyped(await failure(client.invoke("fault-hang", {}, { signal, timeoutMs: 50 })), sdk.TimeoutError, "TIMEOUT", undefined);
    assert.equal(listeners(), 0, "after a timeout");
    await failure(client.invoke("fault-flaky", { key: `listeners-${Math.random()}`, failures: 1 }, { signal, retry: false }));
    assert.equal(listeners(), 0, "after an error answer");
    const key = `listeners-${Math.random()}`;
    const retry = { baseDelayMs: 1, maxDelayMs: 2 };
    const raw = await client.invoke("fault-flaky", { key, failures: 1 }, { signal, retry, raw: true, hooks: { beforeRetry: () => {} } });
    assert.equal(raw.attempts, 2, "one retry, after a backoff and the beforeRetry hook");
    assert.equal(listeners(), 0, "after a retried call with a beforeRetry hook");
  });

  test("a Node process making timed-out, aborted, retried and successful calls exits by itself", async () => {
    // A leftover timer (the 60 s default timeout, a backoff) or listener would keep it alive.
    const script = join(consumerDir(), "exits-by-itself.mjs");
    writeFileSync(
      script,
      `import { createClient } from "cloudbase-fn";
const c = createClient({ baseUrl: process.argv[2] });
const results = [];
const settle = (p) => p.then(() => "ok", (e) => e.name);
results.push(await settle(c.invoke("native-echo", { a: 1 })));
results.push(await settle(c.invoke("fault-hang", {}, { timeoutMs: 100 })));
const ac = new AbortController();
const p = settle(c.invoke("fault-hang", {}, { signal: ac.signal }));
setTimeout(() => ac.abort(), 50);
results.push(await p);
results.push(await settle(c.invoke("fault-flaky", { key: "exit-" + Math.random(), failures: 1 }, { retry: { baseDelayMs: 1, maxDelayMs: 2 } })));
results.push(await settle(c.invoke("fault-drop", {}, { timeoutMs: 30000 })));
const keep = new AbortController();
results.push(await settle(c.invoke("native-echo", {}, { signal: keep.signal, timeoutMs: 60000 })));
console.log(JSON.stringify(results));
`,
    );
    const t0 = performance.now();
    const child = spawn(process.execPath, [script, emu.url], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = await new Promise((resolve) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.on("exit", (c, sig) => (clearTimeout(kill), resolve(sig ?? c)));
    });
    const ms = performance.now() - t0;
    assert.equal(code, 0, "the child did not exit by itself (killed after 15 s)");
    assert.deepEqual(JSON.parse(out), ["ok", "TimeoutError", "AbortError", "ok", "NetworkError", "ok"]);
    assert.ok(ms < 10_000, `the child took ${ms} ms to exit`);
  });
});

describe("the default retry policy", () => {
  // Defaults: 3 attempts, 200 ms base (so at most 200 + 400 ms of waiting), 5 s max.
  test("FUNCTION_EXCEED_RESOURCE_LIMIT (429) is retried: two failures then success", async () => {
    const key = `d429-${Math.random()}`;
    const [out, n] = await countRequests(() => client.invoke("fault-flaky", { key, failures: 2 }, { raw: true }));
    assert.deepEqual(out.data, { attempts: 3 });
    assert.equal(out.attempts, 3);
    assert.equal(n, 3);
  });
  test("FUNCTION_EXCEED_RESOURCE_LIMIT under another status (400) is retried", async () => {
    const key = `d400-${Math.random()}`;
    const [out, n] = await countRequests(() => client.invoke("fault-flaky", { key, failures: 1, status: 400 }, { raw: true }));
    assert.equal(out.attempts, 2);
    assert.equal(n, 2);
  });
  test("a 503 with an unknown code is retried", async () => {
    const key = `d503-${Math.random()}`;
    const [out, n] = await countRequests(() => client.invoke("fault-flaky", { key, failures: 1, code: "SERVICE_BUSY", status: 503 }, { raw: true }));
    assert.equal(out.attempts, 2);
    assert.equal(n, 2);
  });
  test("a 503 HTML page is retried, then the HttpError has attempts 3 and retryable", async () => {
    const [err, n] = await countRequests(() => failure(client.invoke("fault-respond", { status: 503, contentType: "text/html", body: "<h1>busy</h1>" })));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 503);
    assert.equal(err.attempts, 3);
    assert.equal(err.retryable, true);
    assert.equal(n, 3);
  });
  test("EXCEED_CONCURRENT_REQUEST_LIMIT (429) is retried: a RateLimitError until it passes", async () => {
    const key = `dcc-${Math.random()}`;
    const [out, n] = await countRequests(() => client.invoke("fault-flaky", { key, failures: 2, code: "EXCEED_CONCURRENT_REQUEST_LIMIT", status: 429 }, { raw: true }));
    assert.equal(out.attempts, 3);
    assert.equal(n, 3);
  });
  test("the budget is 3 attempts: three failures end with FunctionExceedResourceLimitError", async () => {
    const key = `dmax-${Math.random()}`;
    const [err, n] = await countRequests(() => failure(client.invoke("fault-flaky", { key, failures: 3 })));
    assertTyped(err, sdk.FunctionExceedResourceLimitError, "FUNCTION_EXCEED_RESOURCE_LIMIT", 429);
    assert.equal(err.attempts, 3);
    assert.equal(n, 3);
  });
  const notRetried = [
    ["500 (empty)", () => client.invoke("fault-empty500", {}), "HttpError", 500],
    ["502 (HTML)", () => client.invoke("fault-html502", {}), "HttpError", 502],
    ["FUNCTION_INVOCATION_FAILED", () => client.invoke("fault-flaky", { key: `fif-${Math.random()}`, failures: 1, code: "FUNCTION_INVOCATION_FAILED" }), "FunctionInvocationFailedError", 400],
    ["a throwing function", () => client.invoke("boom", {}), "FunctionInvocationFailedError", 400],
    ["FUNCTION_NOT_FOUND", () => client.invoke("no-such-fn", {}), "FunctionNotFoundError", 404],
    ["a 500 FUNCTION_STATUS_ABNORMAL", () => client.invoke("fault-flaky", { key: `fsa-${Math.random()}`, failures: 1, code: "FUNCTION_STATUS_ABNORMAL", status: 500 }), "FunctionStatusAbnormalError", 500],
    ["a dropped connection", () => client.invoke("fault-drop", {}), "NetworkError", undefined],
    ["a connection dropped mid-body", () => client.invoke("fault-drop-mid-body", {}), "NetworkError", 200],
    ["a timeout", () => client.invoke("fault-hang", {}, { timeoutMs: 100 }), "TimeoutError", undefined],
    // Issue 12: a 429 is retried only for the burst and concurrency codes.
    ["a used-up quota (429 EXCEED_REQUEST_LIMIT)", () => client.invoke("fault-flaky", { key: `q-${Math.random()}`, failures: 1, code: "EXCEED_REQUEST_LIMIT", status: 429, retryAfter: 1 }), "RateLimitError", 429],
    ["a 429 HTML page (no CloudBase code)", () => client.invoke("fault-respond", { status: 429, contentType: "text/html", body: "<h1>busy</h1>" }), "HttpError", 429],
  ];
  for (const [label, call, className, status] of notRetried) {
    test(`${label} is not retried (one request, retryable false)`, async () => {
      const [err, n] = await countRequests(() => failure(call()));
      assert.equal(err.name, className, err.message);
      assert.equal(err.status, status);
      assert.equal(n, 1);
      assert.equal(err.attempts, 1);
      assert.equal(err.retryable, false);
    });
  }
});

describe("network errors and timeouts with onNetworkError", () => {
  const opt = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, onNetworkError: true };
  test("a dropped connection is retried: 3 requests, NetworkError with attempts 3", async () => {
    const [err, n] = await countRequests(() => failure(client.invoke("fault-drop", {}, { retry: opt })));
    assertTyped(err, sdk.NetworkError, "NETWORK_ERROR", undefined);
    assert.equal(err.attempts, 3);
    assert.equal(n, 3);
  });
  test("a timeout is per attempt and retried: 3 requests, each cut at timeoutMs", async () => {
    const t0 = performance.now();
    const [err, n] = await countRequests(() => failure(client.invoke("fault-hang", {}, { timeoutMs: 100, retry: opt })));
    const ms = performance.now() - t0;
    assertTyped(err, sdk.TimeoutError, "TIMEOUT", undefined);
    assert.equal(err.attempts, 3);
    assert.equal(n, 3);
    assert.ok(ms >= 300 && ms < 4000, `three 100 ms attempts took ${ms} ms`);
  });
  test("a refused connection is retried too (nothing counted, attempts 3)", async () => {
    const c = sdk.createClient({ baseUrl: "http://127.0.0.1:9", retry: opt });
    const err = await failure(c.invoke("echo", {}));
    assertTyped(err, sdk.NetworkError, "NETWORK_ERROR", undefined);
    assert.equal(err.attempts, 3);
  });
  test("onNetworkError does not widen the answers retried: a 502 is still tried once", async () => {
    // An answer is not a network error, whatever its status.
    const key = `nw502-${Math.random()}`;
    const [err, n] = await countRequests(() => failure(client.invoke("fault-flaky", { key, failures: 1, code: "X", status: 502 }, { retry: opt })));
    assert.equal(err.status, 502);
    assert.equal(n, 1);
  });
});

describe("Retry-After", () => {
  test("a 1 s Retry-After with maxDelayMs >= 1000 waits at least ~1 s, then succeeds", async () => {
    const key = `ra1-${Math.random()}`;
    const t0 = performance.now();
    const [out, n] = await countRequests(() =>
      client.invoke("fault-flaky", { key, failures: 1, retryAfter: 1 }, { raw: true, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1500 } }),
    );
    const ms = performance.now() - t0;
    assert.equal(out.attempts, 2);
    assert.equal(n, 2);
    assert.ok(ms >= 950, `retried after only ${ms} ms`);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
  test("a Retry-After above maxDelayMs is not retried: one request, prompt error, still retryable", async () => {
    const key = `ra2-${Math.random()}`;
    const t0 = performance.now();
    const [err, n] = await countRequests(() =>
      failure(client.invoke("fault-flaky", { key, failures: 1, retryAfter: 2 }, { retry: { maxAttempts: 3, maxDelayMs: 1000 } })),
    );
    assertTyped(err, sdk.FunctionExceedResourceLimitError, "FUNCTION_EXCEED_RESOURCE_LIMIT", 429);
    assert.ok(performance.now() - t0 < 1500);
    assert.equal(n, 1);
    assert.equal(err.attempts, 1);
    assert.equal(err.retryable, true);
  });
  test("Retry-After: 0 and an unparseable Retry-After fall back to the jittered backoff", async () => {
    for (const retryAfter of ["0", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"]) {
      const key = `ra-${retryAfter}-${Math.random()}`;
      const t0 = performance.now();
      const out = await client.invoke("fault-flaky", { key, failures: 1, retryAfter }, { raw: true, retry: { baseDelayMs: 10, maxDelayMs: 20 } });
      assert.equal(out.attempts, 2);
      assert.ok(performance.now() - t0 < 1500, retryAfter);
    }
  });
});

describe("turning retries off", () => {
  test("retry: false per call overrides a retrying client", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 2 } });
    const key = `off-${Math.random()}`;
    const [err, n] = await countRequests(() => failure(c.invoke("fault-flaky", { key, failures: 1 }, { retry: false })));
    assertTyped(err, sdk.FunctionExceedResourceLimitError, "FUNCTION_EXCEED_RESOURCE_LIMIT", 429);
    assert.equal(n, 1);
    assert.equal(err.attempts, 1);
    assert.equal(err.retryable, true, "the error still says a later try could succeed");
    // The same client without the override retries.
    const out = await c.invoke("fault-flaky", { key: `${key}b`, failures: 4 }, { raw: true });
    assert.equal(out.attempts, 5);
  });
  test("retry: false on the client, and maxAttempts: 1, send one request", async () => {
    for (const c of [sdk.createClient({ baseUrl: emu.url, retry: false }), sdk.createClient({ baseUrl: emu.url, retry: { maxAttempts: 1 } })]) {
      const [err, n] = await countRequests(() => failure(c.invoke("fault-flaky", { key: `off2-${Math.random()}`, failures: 1 })));
      assert.ok(err instanceof sdk.FunctionExceedResourceLimitError);
      assert.equal(n, 1);
    }
  });
  test("a per-call retry object replaces the client's policy", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, retry: false });
    const out = await c.invoke("fault-flaky", { key: `on-${Math.random()}`, failures: 2 }, { raw: true, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    assert.equal(out.attempts, 3);
  });
});

// Hooks against the real emulator: what each hook sees (never the credential), headers a hook
// adds reaching the gateway, the order of client and call hooks, a token refresh and a retry
// seen by beforeRetry, and a throwing or bad hook ending the call with a typed error before
// anything more is sent (counted by the emulator).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure, assertTyped } from "./helpers/assert.mjs";

const TOKEN = "hook-test-token-5f1c9a";
let emu, sdk;

before(async () => {
  [emu, sdk] = await Promise.all([startEmulator(["--faults", "--token", TOKEN]), importPackage()]);
});
after(() => emu?.stop());

const key = () => `hooks-${Math.random()}`;
const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

test("beforeRequest sees the call with the credential redacted, and the headers it adds are sent", async () => {
  const seen = [];
  const client = sdk.createClient({
    baseUrl: emu.url,
    accessToken: TOKEN,
    hooks: {
      beforeRequest: (request) => {
        seen.push(structuredClone(request));
        request.headers.traceparent = traceparent;
      },
      afterResponse: (response) => seen.push(structuredClone(response)),
    },
  });
  const echoed = await client.invoke("fault-headers", { a: 1 });
  assert.equal(echoed.traceparent, traceparent);
  assert.equal(echoed.authorization, `Bearer ${TOKEN}`, "the real credential is still sent");
  assert.equal(seen.length, 2);
  assert.deepEqual(seen[1].headers, { ...seen[0].headers, traceparent }, "afterResponse sees the headers as sent");
  assert.equal(seen[0].name, "fault-headers");
  assert.equal(seen[0].url, `${emu.url}/v1/functions/fault-headers`);
  assert.equal(seen[0].attempt, 1);
  assert.equal(seen[0].headers.authorization, "Bearer [redacted]");
  assert.ok(!JSON.stringify(seen).includes(TOKEN), "a hook saw the token");
});

test("afterResponse gets the status, the request id and a duration, for answers and errors", async () => {
  const seen = [];
  const client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, hooks: { afterResponse: [(r) => seen.push(r)] } });
  const raw = await client.invoke("echo", { a: 1 }, { raw: true });
  const err = await failure(client.invoke("no-such-function"));
  assertTyped(sdk, err, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
  assert.equal(seen.length, 2);
  assert.deepEqual(
    seen.map(({ name, status, requestId, attempt }) => ({ name, status, requestId, attempt })),
    [
      { name: "echo", status: 200, requestId: raw.requestId, attempt: 1 },
      { name: "no-such-function", status: 404, requestId: err.requestId, attempt: 1 },
    ],
  );
  for (const r of seen) assert.ok(Number.isFinite(r.durationMs) && r.durationMs >= 0);
  assert.match(raw.requestId, /\S/);
});

test("client hooks run before call hooks; beforeRetry sees each retry with its error and delay", async () => {
  const order = [];
  const client = sdk.createClient({
    baseUrl: emu.url,
    accessToken: TOKEN,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    hooks: {
      beforeRequest: (r) => order.push(`client before ${r.attempt}`),
      afterResponse: (r) => order.push(`client after ${r.attempt} ${r.status}`),
      beforeRetry: (r) => order.push(`client retry ${r.attempt} ${r.error.code} ${r.delayMs <= 2}`),
    },
  });
  const out = await client.invoke("fault-flaky", { key: key(), failures: 1 }, {
    hooks: {
      beforeRequest: [(r) => order.push(`call before ${r.attempt}`)],
      beforeRetry: (r) => {
        assert.ok(r.error instanceof sdk.FunctionExceedResourceLimitError);
        order.push(`call retry ${r.attempt}`);
      },
    },
  });
  assert.equal(out.attempts, 2);
  assert.deepEqual(order, [
    "client before 1",
    "call before 1",
    "client after 1 429",
    "client retry 2 FUNCTION_EXCEED_RESOURCE_LIMIT true",
    "call retry 2",
    "client before 2",
    "call before 2",
    "client after 2 200",
  ]);
});

test("beforeRetry sees a token refresh as the next attempt, with no delay", async () => {
  const seen = [];
  let calls = 0;
  const client = sdk.createClient({
    baseUrl: emu.url,
    accessToken: ({ forceRefresh }) => (calls++, forceRefresh ? TOKEN : "stale-token-never-valid"),
    hooks: { beforeRetry: (r) => seen.push([r.attempt, r.error.name, r.delayMs]) },
  });
  assert.deepEqual(await client.invoke("echo", { a: 2 }), { a: 2 });
  assert.equal(calls, 2);
  assert.deepEqual(seen, [[2, "AuthenticationError", 0]]);
});

test("a hook that throws ends the call with a HookError and sends nothing more", async (t) => {
  const cause = new Error("tracing backend down");
  const client = (hooks) => sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, retry: { baseDelayMs: 1 }, hooks });
  await t.test("beforeRequest: nothing is sent", async () => {
    const before = await requestCount(emu.url);
    const err = await failure(client({ beforeRequest: () => Promise.reject(cause) }).invoke("echo"));
    assertTyped(sdk, err, sdk.HookError, "HOOK_FAILED", undefined, [TOKEN]);
    assert.equal(err.cause, cause);
    assert.equal(await requestCount(emu.url), before);
  });
  await t.test("afterResponse: the answer is not read further", async () => {
    let seen;
    const err = await failure(client({ afterResponse: (response) => { seen = response; throw cause; } }).invoke("echo"));
    assertTyped(sdk, err, sdk.HookError, "HOOK_FAILED", 200);
    assert.equal(err.cause, cause);
    assert.deepEqual([err.requestId, err.attempts], [seen.requestId, 1], "the error carries what the hook saw of the answer");
    assert.ok(err.requestId);
  });
  await t.test("beforeRetry: the retry is not sent", async () => {
    const before = await requestCount(emu.url);
    const err = await failure(client({ beforeRetry: () => { throw cause; } }).invoke("fault-flaky", { key: key(), failures: 1 }));
    assertTyped(sdk, err, sdk.HookError, "HOOK_FAILED", undefined);
    assert.equal(err.attempts, 1, "one attempt was sent");
    assert.equal(await requestCount(emu.url), before + 1);
  });
  await t.test("a hook that sets authorization or a bad header: nothing is sent", async () => {
    const before = await requestCount(emu.url);
    for (const set of [(h) => (h.authorization = "Bearer stolen"), (h) => (h["x-trace"] = "a\r\nInjected: 1"), (h) => (h.n = 42)]) {
      const err = await failure(client({ beforeRequest: (r) => set(r.headers) }).invoke("echo"));
      assertTyped(sdk, err, sdk.HookError, "HOOK_FAILED", undefined, [TOKEN]);
    }
    assert.equal(await requestCount(emu.url), before);
  });
});

test("a hook that never settles is bounded by timeoutMs and by the signal", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, hooks: { beforeRequest: () => new Promise(() => {}) } });
  const before = await requestCount(emu.url);
  assertTyped(sdk, await failure(client.invoke("echo", {}, { timeoutMs: 50 })), sdk.TimeoutError, "TIMEOUT", undefined);
  const controller = new AbortController();
  const pending = failure(client.invoke("echo", {}, { signal: controller.signal }));
  controller.abort(new Error("user left"));
  assertTyped(sdk, await pending, sdk.AbortError, "ABORTED", undefined);
  assert.equal(await requestCount(emu.url), before);
});

test("a beforeRetry hook that never settles is ended by the signal: AbortError, no retry sent", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, retry: { baseDelayMs: 1 } });
  const controller = new AbortController();
  let entered;
  const inHook = new Promise((resolve) => (entered = resolve));
  const before = await requestCount(emu.url);
  const pending = failure(client.invoke("fault-flaky", { key: key(), failures: 1 }, {
    signal: controller.signal,
    hooks: { beforeRetry: () => (entered(), new Promise(() => {})) },
  }));
  await inHook;
  controller.abort(new Error("user left"));
  assertTyped(sdk, await pending, sdk.AbortError, "ABORTED", undefined);
  assert.equal(await requestCount(emu.url), before + 1);
});

test("a beforeRetry hook that never settles is ended by timeoutMs: TimeoutError, no retry sent", { timeout: 10_000 }, async () => {
  const client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, retry: { baseDelayMs: 1 } });
  const before = await requestCount(emu.url);
  const err = await failure(client.invoke("fault-flaky", { key: key(), failures: 1 }, {
    timeoutMs: 300,
    hooks: { beforeRetry: () => new Promise(() => {}) },
  }));
  assertTyped(sdk, err, sdk.TimeoutError, "TIMEOUT", undefined);
  assert.equal(err.attempts, 1);
  assert.equal(await requestCount(emu.url), before + 1);
});

test("bad hooks options are InvalidArgumentErrors before anything is sent", async () => {
  for (const hooks of [{ beforeRequests: () => {} }, { beforeRequest: "log" }, { afterResponse: [() => {}, 1] }, [() => {}]]) {
    assert.throws(() => sdk.createClient({ baseUrl: emu.url, hooks }), sdk.InvalidArgumentError);
    const client = sdk.createClient({ baseUrl: emu.url });
    assertTyped(sdk, await failure(client.invoke("echo", {}, { hooks })), sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
  }
});

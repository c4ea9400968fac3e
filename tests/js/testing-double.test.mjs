// cloudbase-fn/testing against its reference: each scenario is run twice through the same client
// API, once on the real emulator (examples/functions and its --faults functions) and once on a
// test client whose handlers do the same, and the outcomes must match: value, status, content
// type, request id, error class, code, message, retryable, attempts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startEmulator } from "./helpers/emulator.mjs";
import { importPackage, consumerDir } from "./helpers/package.mjs";

let emu, sdk, testing, real, double, pair;

/** `import("cloudbase-fn/testing")` from the consumer project, like helpers/package.mjs does for the main entry. */
async function importTesting() {
  const shim = join(consumerDir(), "testing-entry.mjs");
  writeFileSync(shim, 'export * from "cloudbase-fn/testing";\n');
  return import(pathToFileURL(shim).href);
}

before(async () => {
  [emu, sdk, testing] = await Promise.all([startEmulator(["--faults"]), importPackage(), importTesting()]);
  const { respondWith } = testing;
  // The same baseUrl for both, so that messages naming the URL (a timeout's) match too.
  const options = { baseUrl: emu.url, accessToken: "tok-double", retry: { baseDelayMs: 1 } };
  const bytes = new Uint8Array(256).map((_, i) => i);
  const handlers = {
      // examples/functions
      echo: (event) => event,
      hello: () => "Hello fn",
      "hello@2": () => "Hello fn v2",
      boom: () => {
        throw new Error("boom: something went wrong");
      },
      // (timeoutMs and memoryMb are the emulator's settings for the function, not the context's.)
      whoami: (event, context) => ({ ...context, qualifier: context.qualifier ?? null, timeoutMs: 3000, memoryMb: 128, headers: undefined, attempt: undefined, signal: undefined }),
      // the emulator's --faults functions
      // examples/functions/ticker, line for line (its waits left out: the events are what is compared)
      ticker: async function* ({ count = 3, failAt }) {
        for (let i = 0; i < count; i++) {
          if (i === failAt) throw new Error(`ticker failed at ${i}`);
          yield { event: "tick", id: String(i), data: { i } };
        }
      },
      "native-echo": (event) => event,
      "fault-bytes": () => bytes,
      "fault-hang": respondWith.hang(),
      "fault-html502": respondWith.status(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", { contentType: "text/html" }),
      "fault-empty500": respondWith.status(500, undefined),
      "fault-respond": (event) => respondWith.status(event.status, event.body, { contentType: event.contentType ?? null }),
      "fault-flaky": (event, context) =>
        context.attempt <= event.failures ? respondWith.error(event.code, `flaky failure ${context.attempt} of ${event.failures}`) : { attempts: context.attempt },
  };
  pair = (extra = {}) => [sdk.createClient({ ...options, ...extra }), testing.createTestClient({ ...options, ...extra, handlers })];
  [real, double] = pair();
});
after(() => emu?.stop());

/** What a call came to, in the terms a user sees; the request id only as "is the answer's". */
async function outcome(client, name, data, options) {
  try {
    const raw = await client.invoke(name, data, { ...options, raw: true });
    const { data: value, status, requestId, headers, attempts } = raw;
    assert.match(requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "a UUID v4 like the gateway's");
    assert.equal(headers["x-request-id"], requestId);
    const fixed = value !== null && typeof value === "object" && "requestId" in value ? { ...value, requestId: "(the call's)" } : value;
    return { value: fixed, status, contentType: headers["content-type"], attempts };
  } catch (e) {
    assert.ok(e instanceof sdk.CloudBaseError, String(e));
    if (e.status !== undefined) assert.equal(typeof e.requestId, "string", `${e.name} has the answer's request id`);
    const { name, code, status, message, retryable, attempts, body } = e;
    return { error: { name, code, status, message, retryable, attempts, body } };
  }
}

const scenarios = [
  ["a JSON result", "echo", { a: 1, b: ["x", null] }],
  ["a text result", "hello", {}],
  ["a version by X-Qualifier", "hello", {}, { qualifier: "2" }],
  ["$LATEST", "hello", {}, { qualifier: "$LATEST" }],
  ["a version that does not exist", "hello", {}, { qualifier: "9" }],
  ["a function that throws", "boom", {}],
  ["a function that does not exist", "missing", { a: 1 }],
  ["a qualifier of a function that does not exist", "missing", {}, { qualifier: "2" }],
  ["the context a function gets", "whoami", {}, { qualifier: "$LATEST", webfn: true }],
  ["a qualifier of a function without versions", "whoami", {}, { qualifier: "2" }],
  ["bytes", "fault-bytes", {}],
  ["an answer that never comes, with timeoutMs", "fault-hang", {}, { timeoutMs: 50 }],
  ["an HTML 502", "fault-html502", {}],
  ["an empty 500", "fault-empty500", {}],
  ["a 503, retried", "fault-respond", { status: 503 }],
  ["a 200 JSON string", "fault-respond", { status: 200, body: "\"hi\"", contentType: "application/json" }],
  ["EXCEED_CONCURRENT_REQUEST_LIMIT once, retried", "fault-flaky", { key: "double-1", failures: 1, code: "EXCEED_CONCURRENT_REQUEST_LIMIT" }],
  ["FUNCTION_EXCEED_RESOURCE_LIMIT every time", "fault-flaky", { key: "double-2", failures: 9, code: "FUNCTION_EXCEED_RESOURCE_LIMIT" }],
  ["FUNCTION_TIME_LIMIT_EXCEEDED", "fault-flaky", { key: "double-3", failures: 9, code: "FUNCTION_TIME_LIMIT_EXCEEDED" }],
  ["ACTION_FORBIDDEN", "fault-flaky", { key: "double-4", failures: 9, code: "ACTION_FORBIDDEN" }],
  ["a code the SDK does not know", "fault-flaky", { key: "double-5", failures: 9, code: "SOMETHING_NEW" }],
  ["a body over the gateway's 6 MiB", "native-echo", { pad: "x".repeat(7 * 1024 * 1024) }, undefined, { maxPayloadBytes: 0 }],
  ["a token provider's refusal handled by the core", "echo", {}, undefined, { accessToken: () => "" }],
];

for (const [title, name, data, options, clientOptions] of scenarios) {
  test(`like the emulator: ${title}`, async () => {
    const [onEmulator, onDouble] = clientOptions ? pair(clientOptions) : [real, double];
    const fromEmulator = await outcome(onEmulator, name, data, options);
    assert.deepEqual(await outcome(onDouble, name, data, options), fromEmulator);
  });
}

test("the test client shares the main entry's classes and records what the emulator received", async () => {
  double.reset();
  const e = await double.invoke("missing").catch((err) => err);
  assert.ok(e instanceof sdk.FunctionNotFoundError);
  assert.deepEqual(double.calls.map((c) => [c.name, c.attempt, c.headers.authorization]), [["missing", 1, "Bearer [redacted]"]]);
});

test("streams: the ticker's server-sent events are the same bytes, its failure the same error event", async () => {
  const text = async (client, data) => new Response(await client.invoke("ticker", data, { stream: true })).text();
  for (const data of [{ count: 3, everyMs: 1 }, { count: 3, everyMs: 1, failAt: 1 }]) {
    const [fromEmulator, fromDouble] = await Promise.all([text(real, data), text(double, data)]);
    const withoutIds = (t) => t.replace(/"requestId":"[^"]+"/, '"requestId":"(the call\'s)"');
    assert.equal(withoutIds(fromDouble), withoutIds(fromEmulator));
  }
});

test("streams: a throw before the first event is the emulator's plain JSON error answer, no event the empty 200", async () => {
  const events = async (client, data) => {
    const seen = [];
    try {
      for await (const e of client.events("ticker", data)) seen.push(e);
      return { seen };
    } catch (e) {
      const { name, code, status, message, retryable, attempts, body } = e;
      return { seen, error: { name, code, status, message, retryable, attempts, body } };
    }
  };
  const failing = { count: 3, everyMs: 1, failAt: 0 };
  const fromEmulator = await events(real, failing);
  assert.deepEqual([fromEmulator.error?.name, fromEmulator.error?.status], ["FunctionInvocationFailedError", 400], "the emulator's answer (emulator/README.md)");
  assert.deepEqual(await events(double, failing), fromEmulator);
  assert.deepEqual(await outcome(double, "ticker", failing, { stream: true }), await outcome(real, "ticker", failing, { stream: true }));

  // An iterable that ends without any item: the head and an empty body.
  const empty = async (client) => {
    const raw = await client.invoke("ticker", { count: 0 }, { stream: true, raw: true });
    const { status, headers } = raw;
    return { status, type: headers["content-type"], cache: headers["cache-control"], text: await new Response(raw.data).text() };
  };
  assert.deepEqual(await empty(double), await empty(real));
  assert.deepEqual(await events(double, { count: 0 }), { seen: [] });
});

test("events() numbers the attempts of each call from 1, as invoke() does", async () => {
  const { respondWith } = testing;
  const closed = [];
  const c = testing.createTestClient({
    retry: { baseDelayMs: 1 },
    handlers: {
      feed: (data, context) =>
        context.attempt === 1
          ? respondWith.error("EXCEED_CONCURRENT_REQUEST_LIMIT")
          : (async function* () {
              try {
                yield `attempt ${context.attempt}`;
                yield "more";
              } finally {
                closed.push(context.requestId);
              }
            })(),
    },
  });
  const seen = [];
  for await (const e of c.events("feed")) seen.push(e.data);
  assert.deepEqual(seen, ["attempt 2", "more"]);
  assert.deepEqual(c.calls.map((call) => call.attempt), [1, 2]);
  // Each call counts its own attempts, two at once included; leaving the loop early still closes the stream.
  c.reset();
  const firsts = async () => {
    for await (const e of c.events("feed")) return e.data;
  };
  assert.deepEqual(await Promise.all([firsts(), firsts()]), ["attempt 2", "attempt 2"]);
  assert.deepEqual(c.calls.map((call) => call.attempt).sort(), [1, 1, 2, 2]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(closed.length, 3);
  assert.equal(c.calls.filter((call) => call.attempt === 1).length, 2);
});

// Issue 12: faithful to the real gateway (error categories, documented codes, international hosts,
// the payload limit, the default policy for anonymous users) and the README's promises that
// hostile cases used to break. The package as a user installs it, against the real emulator.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage, consumerDir } from "./helpers/package.mjs";
import { failure, assertNoSecret, assertTyped as typed } from "./helpers/assert.mjs";

const TOKEN = "tok-FIDELITY-1234567890";
const MiB = 1024 * 1024;
let emu, sdk, client;

before(async () => {
  [emu, sdk] = await Promise.all([startEmulator(["--faults"]), importPackage()]);
  client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN });
});
after(() => emu?.stop());

const assertTyped = (err, Class, code, status) => typed(sdk, err, Class, code, status, [TOKEN]);
const respond = (args, options) => client.invoke("fault-respond", args, { retry: false, ...options });
const errorBody = (code, message = `msg for ${code}`) => JSON.stringify({ code, message, requestId: "r-1" });

/** The rejection of `fn()` and how many requests reached the emulator meanwhile. */
async function counted(fn) {
  const before = await requestCount(emu.url);
  const err = await failure(fn());
  return [err, (await requestCount(emu.url)) - before];
}

/** A fetch that answers from `answers` in turn (each a Response or a function of the request). */
function scripted(answers) {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push({ url, init });
    const a = answers[Math.min(seen.length, answers.length) - 1];
    return typeof a === "function" ? a(url, init) : a.clone();
  };
  return { fetch, seen };
}

describe("error categories by status (semantic HTTP status)", () => {
  const cases = [
    // [status, code, class, also an instance of]
    [401, "INVALID_ACCESS_TOKEN", "AuthenticationError"],
    [401, "ACCESS_TOKEN_KID_INVALID", "AuthenticationError"],
    [400, "MISSING_CREDENTIALS", "AuthenticationError"],
    [403, "ACCESS_DENIED", "PermissionDeniedError"],
    [403, "FUNCTIONS_PERMISSION_DENIED", "PermissionDeniedError"],
    [403, "SOMETHING_NOT_LISTED", "PermissionDeniedError"],
    [403, "EXCEED_AUTHORITY", "ExceedAuthorityError", "PermissionDeniedError"],
    [401, "ACTION_FORBIDDEN", "ActionForbiddenError", "PermissionDeniedError"],
    [429, "EXCEED_REQUEST_LIMIT", "RateLimitError"],
    [429, "SOMETHING_NOT_LISTED", "RateLimitError"],
    [429, "FUNCTION_EXCEED_RESOURCE_LIMIT", "FunctionExceedResourceLimitError", "RateLimitError"],
    [403, "FUNCTION_NOT_FOUND", "FunctionNotFoundError"],
    [400, "FUNCTION_EXECUTE_FAIL", "FunctionInvocationFailedError"],
    [500, "FUNCTIONS_EXECUTE_FAIL", "FunctionInvocationFailedError"],
    [413, "EXCEED_MAX_PAYLOAD_SIZE", "PayloadTooLargeError"],
    [400, "SOMETHING_NOT_LISTED", "CloudBaseError"],
  ];
  for (const [status, code, className, parent] of cases) {
    test(`${status} ${code} -> ${className}${parent ? ` (a ${parent})` : ""}, code kept`, async () => {
      const err = await failure(respond({ status, contentType: "application/json", body: errorBody(code) }));
      assertTyped(err, sdk[className], code, status);
      if (parent) assert.ok(err instanceof sdk[parent]);
      assert.equal(err.message, `msg for ${code}`);
      assert.equal(err.requestId, "r-1");
    });
  }

  test("AuthError (no credential obtained locally) is not an AuthenticationError, and the reverse", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => Promise.reject(new Error("offline")) });
    const err = await failure(c.invoke("echo", {}));
    assert.ok(err instanceof sdk.AuthError);
    assert.ok(!(err instanceof sdk.AuthenticationError));
    const refused = await failure(respond({ status: 401, contentType: "application/json", body: errorBody("ACCESS_TOKEN_EXPIRED") }));
    assert.ok(refused instanceof sdk.AuthenticationError && !(refused instanceof sdk.AuthError));
  });

  test("a documented 401 code under another status still refreshes a provider's token once", async () => {
    const calls = [];
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: (o) => (calls.push(o.forceRefresh), "t-opaque") });
    const key = `refresh-${Math.random()}`;
    const out = await c.invoke("fault-flaky", { key, failures: 1, code: "ACCESS_TOKEN_INVALID", status: 400 }, { raw: true });
    assert.deepEqual(out.data, { attempts: 2 });
    assert.deepEqual(calls, [false, true]);
  });

  test("429 EXCEED_REQUEST_LIMIT (a quota) is not retried even with a Retry-After; EXCEED_CONCURRENT_REQUEST_LIMIT is", async () => {
    const [err, n] = await counted(() =>
      client.invoke("fault-flaky", { key: `quota-${Math.random()}`, failures: 1, code: "EXCEED_REQUEST_LIMIT", status: 429, retryAfter: 0 }),
    );
    assertTyped(err, sdk.RateLimitError, "EXCEED_REQUEST_LIMIT", 429);
    assert.equal(err.retryable, false);
    assert.equal(n, 1);
    const out = await client.invoke("fault-flaky", { key: `burst-${Math.random()}`, failures: 1, code: "EXCEED_CONCURRENT_REQUEST_LIMIT", status: 429 }, { raw: true });
    assert.equal(out.attempts, 2);
  });
});

describe("payload limit (6 MiB of UTF-8 by default)", () => {
  test("an ASCII body over 6 MiB is refused before sending: PayloadTooLargeError without status", async () => {
    const data = { s: "x".repeat(6 * MiB) };
    const [err, n] = await counted(() => client.invoke("echo", data));
    assertTyped(err, sdk.PayloadTooLargeError, "EXCEED_MAX_PAYLOAD_SIZE", undefined);
    assert.equal(n, 0);
    assert.equal(err.retryable, false);
    assert.equal(err.attempts, undefined);
  });

  test("bytes, not characters, count: 3.2 M two-byte characters (6.4 MB) are refused, 2.5 M (5 MB) are sent", async () => {
    const [err, n] = await counted(() => client.invoke("echo", { s: "é".repeat(3_200_000) }));
    assertTyped(err, sdk.PayloadTooLargeError, "EXCEED_MAX_PAYLOAD_SIZE", undefined);
    assert.match(err.message, /6400008 bytes; maxPayloadBytes is 6291456/);
    assert.equal(n, 0);
    const s = "é".repeat(2_500_000);
    assert.equal((await client.invoke("native-echo", { s })).s.length, s.length);
  });

  test("emoji count 4 bytes for 2 UTF-16 units: exactly at the limit is sent, one byte over is not", async () => {
    const overhead = '{"s":""}'.length;
    const limit = 4 * 1000 + overhead;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, maxPayloadBytes: limit });
    assert.equal((await c.invoke("native-echo", { s: "😀".repeat(1000) })).s.length, 2000);
    const err = await failure(c.invoke("native-echo", { s: `${"😀".repeat(1000)}x` }));
    assertTyped(err, sdk.PayloadTooLargeError, "EXCEED_MAX_PAYLOAD_SIZE", undefined);
  });

  test("maxPayloadBytes: 0 sends anything; the gateway's own EXCEED_MAX_PAYLOAD_SIZE gives the same class, with its status", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, maxPayloadBytes: 0 });
    const [err, n] = await counted(() => c.invoke("echo", { s: "x".repeat(7 * MiB) }));
    assertTyped(err, sdk.PayloadTooLargeError, "EXCEED_MAX_PAYLOAD_SIZE", 413);
    assert.equal(n, 1);
  });

  test("a bad maxPayloadBytes is an InvalidArgumentError at createClient", () => {
    for (const bad of [-1, 1.5, Number.NaN, "6MB"]) {
      assert.throws(() => sdk.createClient({ baseUrl: emu.url, maxPayloadBytes: bad }), sdk.InvalidArgumentError, String(bad));
    }
  });
});

describe("international environments", () => {
  test("intl: true targets {envId}.api.intl.tcloudbasegateway.com; the default host is unchanged", async () => {
    const { fetch, seen } = scripted([Response.json({ ok: 1 })]);
    await sdk.createClient({ envId: "env-1a2b", intl: true, accessToken: TOKEN, fetch }).invoke("echo", {});
    await sdk.createClient({ envId: "env-1a2b", accessToken: TOKEN, fetch }).invoke("echo", {});
    assert.deepEqual(seen.map((s) => s.url), [
      "https://env-1a2b.api.intl.tcloudbasegateway.com/v1/functions/echo",
      "https://env-1a2b.api.tcloudbasegateway.com/v1/functions/echo",
    ]);
    assert.throws(() => sdk.createClient({ envId: "e", intl: "yes" }), sdk.InvalidArgumentError);
  });
});

describe("retry.maxAttempts", () => {
  test("the old retry.attempts is refused, naming the new key, on the client and per call", async () => {
    const err = (() => {
      try {
        sdk.createClient({ baseUrl: emu.url, retry: { attempts: 2 } });
      } catch (e) {
        return e;
      }
    })();
    assertTyped(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.match(err.message, /retry\.maxAttempts/);
    const [perCall, n] = await counted(() => client.invoke("echo", {}, { retry: { attempts: 1 } }));
    assertTyped(perCall, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.match(perCall.message, /retry\.maxAttempts/);
    assert.equal(n, 0);
  });

  test("maxAttempts counts every attempt, as err.attempts does", async () => {
    for (const maxAttempts of [1, 2, 4]) {
      const [err, n] = await counted(() =>
        client.invoke("fault-flaky", { key: `max-${maxAttempts}-${Math.random()}`, failures: 9 }, { retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2 } }),
      );
      assert.equal(n, maxAttempts);
      assert.equal(err.attempts, maxAttempts);
    }
    for (const bad of [0, 11, 1.5]) {
      assert.throws(() => sdk.createClient({ baseUrl: emu.url, retry: { maxAttempts: bad } }), sdk.InvalidArgumentError);
    }
  });
});

describe("Retry-After in both RFC 9110 forms", () => {
  test("ten digits (1000000000) are not waited for and not retried at once: one request, retryable", async () => {
    const t0 = performance.now();
    const [err, n] = await counted(() => client.invoke("fault-flaky", { key: `ra10-${Math.random()}`, failures: 1, retryAfter: "1000000000" }));
    assertTyped(err, sdk.FunctionExceedResourceLimitError, "FUNCTION_EXCEED_RESOURCE_LIMIT", 429);
    assert.equal(n, 1);
    assert.equal(err.retryable, true);
    assert.ok(performance.now() - t0 < 1000);
  });

  test("an HTTP date ~1.5 s ahead is waited for", async () => {
    const when = new Date(Date.now() + 1500).toUTCString();
    const t0 = performance.now();
    const out = await client.invoke("fault-flaky", { key: `radate-${Math.random()}`, failures: 1, retryAfter: when }, { raw: true, retry: { maxDelayMs: 3000 } });
    const waited = performance.now() - t0;
    assert.equal(out.attempts, 2);
    // The date has whole seconds: at least ~0.5 s remain of the 1.5 s.
    assert.ok(waited >= 450, `waited ${waited} ms`);
  });

  test("an HTTP date beyond maxDelayMs ends the retries; a past one retries at once", async () => {
    const far = new Date(Date.now() + 60_000).toUTCString();
    const [err, n] = await counted(() => client.invoke("fault-flaky", { key: `rafar-${Math.random()}`, failures: 1, retryAfter: far }));
    assert.equal(n, 1);
    assert.equal(err.retryable, true);
    const past = new Date(Date.now() - 60_000).toUTCString();
    const out = await client.invoke("fault-flaky", { key: `rapast-${Math.random()}`, failures: 1, retryAfter: past }, { raw: true });
    assert.equal(out.attempts, 2);
  });
});

describe("hostile answers", () => {
  test("a real answer with status 999 is an HttpError with status 999", async () => {
    const err = await failure(respond({ status: 999, contentType: "text/html", body: "<h1>odd</h1>" }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 999);
    assert.equal(err.body, "<h1>odd</h1>");
  });

  test("a transport resolving to { status: 200 } without text() is an InvalidResponseError", async () => {
    for (const answer of [{ status: 200 }, { status: 200, headers: new Headers({ "content-type": "application/json" }) }, { status: 500 }]) {
      const c = sdk.createClient({ baseUrl: emu.url, fetch: async () => answer });
      const err = await failure(c.invoke("echo", {}));
      assert.ok(err instanceof sdk.InvalidResponseError, `${err.name}: ${err.message}`);
      assert.ok(!(err instanceof sdk.NetworkError));
    }
  });

  test("a duplicated Content-Type (application/json, application/json) is read as JSON", async () => {
    const out = await client.invoke("fault-respond", { status: 200, contentType: "application/json, application/json", body: '{"a":1}' });
    assert.deepEqual(out, { a: 1 });
  });

  test("HttpError.body is cut between characters: an emoji at the 1024-unit boundary is dropped whole", async () => {
    const body = `${"x".repeat(1023)}😀tail`;
    const err = await failure(respond({ status: 502, contentType: "text/html", body }));
    assert.equal(err.body, "x".repeat(1023));
    assert.ok(!err.body.includes("\uFFFD"));
    const err2 = await failure(respond({ status: 502, contentType: "text/html", body: `${"x".repeat(1022)}😀tail` }));
    assert.equal(err2.body, `${"x".repeat(1022)}😀`);
  });

  test("a gateway message echoing the credential in use is redacted in every text of the error", async () => {
    const provided = "prov-token-0123456789";
    const cases = [
      [client, TOKEN],
      [sdk.createClient({ baseUrl: emu.url, accessToken: () => provided }), provided],
    ];
    for (const [c, secret] of cases) {
      const body = JSON.stringify({ code: "INVALID_ACCESS_TOKEN", message: `token ${secret} is not valid`, requestId: "r" });
      const err = await failure(c.invoke("fault-respond", { status: 403, contentType: "application/json", body }, { retry: false }));
      assert.equal(err.message, "token [redacted] is not valid");
      assertNoSecret(err, [secret]);
      const page = await failure(c.invoke("fault-respond", { status: 502, contentType: "text/html", body: `<p>${secret}</p>` }, { retry: false }));
      assert.equal(page.body, "<p>[redacted]</p>");
      assertNoSecret(page, [secret]);
    }
  });

  test("data whose toJSON returns an array or a string is refused like any non-object body", async () => {
    for (const value of [[1, 2], "text", 3, null]) {
      const [err, n] = await counted(() => client.invoke("echo", { toJSON: () => value }));
      assertTyped(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
      assert.equal(n, 0, JSON.stringify(value));
    }
  });
});

describe("every failure a typed rejection", () => {
  test("a token provider that never answers is bounded by timeoutMs: TimeoutError saying it waited for the token", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, timeoutMs: 150, accessToken: () => new Promise(() => {}) });
    const t0 = performance.now();
    const [err, n] = await counted(() => c.invoke("echo", {}));
    assertTyped(err, sdk.TimeoutError, "TIMEOUT", undefined);
    assert.match(err.message, /access token/);
    assert.ok(performance.now() - t0 < 1500);
    assert.equal(n, 0);
  });

  test("invoke after free() still works, and its failures are rejections, never synchronous throws", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN });
    c.free();
    assert.deepEqual(await c.invoke("echo", { a: 1 }), { a: 1 });
    let promise;
    assert.doesNotThrow(() => (promise = c.invoke("../bad", {})));
    assertTyped(await failure(promise), sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.doesNotThrow(() => (promise = c.invoke(42, {}, "not options")));
    assertTyped(await failure(promise), sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
  });

  test("the mini-program entry rejects with WasmLoadError (a CloudBaseError) when its wasm cannot load", async () => {
    const shim = join(consumerDir(), "mp-entry.mjs");
    writeFileSync(shim, 'export * from "cloudbase-fn/miniprogram";\n');
    const mp = await import(pathToFileURL(shim).href);
    // No WXWebAssembly in Node: the first call reports it.
    const err = await failure(mp.createClient({ baseUrl: emu.url }).invoke("echo", {}));
    assert.ok(err instanceof mp.WasmLoadError && err instanceof mp.CloudBaseError, `${err?.name}: ${err?.message}`);
    assert.equal(err.code, "WASM_LOAD_FAILED");
    // A WXWebAssembly whose instantiate fails (a wrong setWasmPath): the cause is kept.
    const cause = new Error("file not found");
    globalThis.WXWebAssembly = { instantiate: () => Promise.reject(cause) };
    try {
      const err2 = await failure(mp.invoke({ baseUrl: emu.url }, "echo", {}));
      assert.ok(err2 instanceof mp.WasmLoadError);
      assert.equal(err2.cause, cause);
      assert.match(err2.message, /setWasmPath/);
    } finally {
      delete globalThis.WXWebAssembly;
    }
    assert.throws(() => mp.setWasmPath(""), mp.InvalidArgumentError);
  });
});

describe("the emulator's default policy for anonymous users (--deny-anonymous)", () => {
  let strict;
  before(async () => {
    strict = await startEmulator(["--auth", "--token", "server-key", "--publishable-key", "pub-key-0123", "--deny-anonymous"]);
  });
  after(() => strict?.stop());

  test("an anonymous user's token and a publishable key get ActionForbiddenError (403); a server key passes", async () => {
    const provider = await sdk.signInAnonymously({ baseUrl: strict.url, deviceId: "device-fidelity-0001" });
    let asked = 0;
    const anon = sdk.createClient({ baseUrl: strict.url, accessToken: (o) => (asked++, provider(o)) });
    const err = await failure(anon.invoke("echo", {}));
    typed(sdk, err, sdk.ActionForbiddenError, "ACTION_FORBIDDEN", 403);
    assert.ok(err instanceof sdk.PermissionDeniedError);
    assert.match(err.message, /FunctionsHttpApiAllow/);
    assert.equal(asked, 1, "a 403 is not a refused token: no refresh");
    const pub = await failure(sdk.createClient({ baseUrl: strict.url, accessToken: "pub-key-0123" }).invoke("echo", {}));
    typed(sdk, pub, sdk.ActionForbiddenError, "ACTION_FORBIDDEN", 403, ["pub-key-0123"]);
    assert.deepEqual(await sdk.createClient({ baseUrl: strict.url, accessToken: "server-key" }).invoke("echo", { a: 1 }), { a: 1 });
  });
});

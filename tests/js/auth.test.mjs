// Access tokens against a real emulator that requires them: static tokens, providers cached until
// the JWT's expiry, one provider call for many concurrent invocations, and one forced refresh
// after the gateway refuses a token.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure, assertTyped as typed } from "./helpers/assert.mjs";

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString("base64url");
const jwt = (payload) => `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}.c2lnbmF0dXJl`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

const GOOD = jwt({ sub: "user-1", exp: inAnHour() });
const OPAQUE = "opaque-api-key-123";
const STALE = jwt({ sub: "user-1", exp: Math.floor(Date.now() / 1000) - 10 });

let emu, sdk;
before(async () => {
  [emu, sdk] = await Promise.all([startEmulator(["--faults", "--token", GOOD, "--token", OPAQUE, "--token", STALE]), importPackage()]);
});
after(() => emu?.stop());

describe("static tokens", () => {
  test("an accepted token is sent as Bearer", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: OPAQUE });
    assert.deepEqual(await c.invoke("echo", { ok: 1 }), { ok: 1 });
  });

  test("a refused static token is not retried and keeps the gateway's code", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: "wrong-token" });
    const before = await requestCount(emu.url);
    const err = await failure(c.invoke("echo", {}));
    assert.ok(err instanceof sdk.CloudBaseError);
    assert.equal(err.status, 401);
    assert.equal(err.code, "INVALID_ACCESS_TOKEN");
    assert.ok(!err.message.includes("wrong-token"));
    assert.equal(await requestCount(emu.url), before + 1);
  });

  test("no token at all is MISSING_CREDENTIALS: an AuthenticationError (issue 12: the emulator sends the documented code)", async () => {
    const err = await failure(sdk.createClient({ baseUrl: emu.url }).invoke("echo", {}));
    typed(sdk, err, sdk.AuthenticationError, "MISSING_CREDENTIALS", 401);
    assert.ok(!(err instanceof sdk.AuthError));
  });
});

describe("token providers", () => {
  test("a JWT is cached until its expiry: one provider call for many sequential invocations", async () => {
    const calls = [];
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: (o) => (calls.push(o), GOOD) });
    for (let i = 0; i < 5; i++) assert.deepEqual(await c.invoke("echo", { i }), { i });
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0], { forceRefresh: false });
  });

  test("an opaque token is asked for on every invocation", async () => {
    let calls = 0;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => (calls++, OPAQUE) });
    for (let i = 0; i < 3; i++) await c.invoke("echo", {});
    assert.equal(calls, 3);
  });

  test("concurrent invocations share one provider call (no stampede)", async () => {
    let calls = 0;
    const provider = () => (calls++, new Promise((resolve) => setTimeout(() => resolve(GOOD), 50)));
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: provider });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.invoke("echo", { i })));
    assert.equal(results.length, 20);
    assert.equal(calls, 1);
  });

  test("a refused token is refreshed with forceRefresh and the call retried once", async () => {
    const calls = [];
    const provider = (o) => (calls.push(o.forceRefresh), o.forceRefresh ? GOOD : jwt({ sub: "revoked", exp: inAnHour() }));
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: provider });
    const full = await c.invoke("echo", { after: "refresh" }, { raw: true });
    assert.deepEqual(full.data, { after: "refresh" });
    assert.deepEqual(calls, [false, true]);
    // Two requests, one attempt: the refresh is outside the retry budget, as an error's attempts counts it.
    assert.equal(full.attempts, 1);
    // The refreshed token is now cached.
    await c.invoke("echo", {});
    assert.deepEqual(calls, [false, true]);
  });

  test("an expired JWT is not used from the cache", async () => {
    let calls = 0;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => (calls++, STALE) });
    await c.invoke("echo", {});
    await c.invoke("echo", {});
    assert.equal(calls, 2);
  });

  test("a refresh that is refused again surfaces the gateway's error after exactly two requests", { timeout: 10_000 }, async () => {
    let calls = 0;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => (calls++, "still-wrong") });
    const before = await requestCount(emu.url);
    const err = await failure(c.invoke("echo", {}));
    assert.equal(err.code, "INVALID_ACCESS_TOKEN");
    assert.equal(calls, 2);
    assert.equal(err.attempts, 1, "the refresh is not an attempt of the budget");
    assert.equal(await requestCount(emu.url), before + 2);
  });

  test("a caller's signal also ends the wait for a provider that never answers", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => new Promise(() => {}) });
    const controller = new AbortController();
    const before = await requestCount(emu.url);
    const pending = c.invoke("echo", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("gave up")), 50);
    const err = await failure(pending);
    assert.ok(err instanceof sdk.AbortError);
    assert.equal(err.cause.message, "gave up");
    assert.equal(await requestCount(emu.url), before, "nothing was sent");
  });

  test("a provider failing during the forced refresh is an AuthError with its cause", async () => {
    const cause = new Error("refresh endpoint down");
    const c = sdk.createClient({
      baseUrl: emu.url,
      accessToken: (o) => {
        if (o.forceRefresh) throw cause;
        return "wrong";
      },
    });
    const err = await failure(c.invoke("echo", {}));
    assert.ok(err instanceof sdk.AuthError);
    assert.equal(err.cause, cause);
    assert.equal(err.attempts, 1, "the refused request was sent");
  });

  test("a provider that hung once does not hold the calls after it: the next call asks again", { timeout: 10_000 }, async () => {
    let calls = 0;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => (++calls === 1 ? new Promise(() => {}) : OPAQUE) });
    typed(sdk, await failure(c.invoke("echo", {}, { timeoutMs: 100 })), sdk.TimeoutError, "TIMEOUT", undefined);
    assert.deepEqual(await c.invoke("echo", { after: "hang" }, { timeoutMs: 2000 }), { after: "hang" });
    assert.equal(calls, 2);
  });

  test("a provider's late answer never replaces the newer token it was abandoned for", { timeout: 10_000 }, async () => {
    const answers = [];
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: () => new Promise((resolve) => answers.push(resolve)) });
    const first = failure(c.invoke("echo", {}, { timeoutMs: 100 }));
    typed(sdk, await first, sdk.TimeoutError, "TIMEOUT", undefined);
    const second = c.invoke("echo", { n: 2 });
    while (answers.length < 2) await new Promise((r) => setImmediate(r));
    answers[1](GOOD);
    assert.deepEqual(await second, { n: 2 });
    answers[0]("revoked-late-token"); // the abandoned first call answers last
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(await c.invoke("echo", { n: 3 }, { timeoutMs: 1000 }), { n: 3 }, "GOOD is still the cached token");
    assert.equal(answers.length, 2);
  });
});

describe("signInAnonymously", () => {
  test("an answer without a usable access_token: an AuthError that does not carry the answer's tokens", async () => {
    const answer = { data: { access_token: "nested-SECRET" }, access_token: 42, refresh_token: "refresh-SECRET-token" };
    const fetch = async () => new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
    const err = await failure(sdk.signInAnonymously({ baseUrl: emu.url, fetch }));
    typed(sdk, err, sdk.AuthError, "AUTH_ERROR", undefined, ["refresh-SECRET-token", "nested-SECRET"]);
  });

  let authEmu, shortEmu;
  before(async () => {
    [authEmu, shortEmu] = await Promise.all([
      startEmulator(["--faults", "--auth"]),
      startEmulator(["--faults", "--auth", "--token-ttl", "1"]),
    ]);
  });
  after(() => Promise.all([authEmu?.stop(), shortEmu?.stop()]));

  test("signs in, and the provider's token is accepted by the functions route", async () => {
    const accessToken = await sdk.signInAnonymously({ baseUrl: authEmu.url });
    const token = await accessToken({ forceRefresh: false });
    assert.equal(token.split(".").length, 3, "a JWT");
    const c = sdk.createClient({ baseUrl: authEmu.url, accessToken });
    assert.deepEqual(await c.invoke("echo", { anon: true }), { anon: true });
    // Cached until it expires: the same token again.
    assert.equal(await accessToken(), token);
  });

  test("forceRefresh and expiry use the refresh token, and each refreshed token works", async () => {
    const accessToken = await sdk.signInAnonymously({ baseUrl: shortEmu.url, deviceId: "device-0123456789abcdef" });
    const first = await accessToken();
    await new Promise((r) => setTimeout(r, 1100)); // the issued token lives 1 s, and a new exp needs a new second
    const second = await accessToken();
    assert.notEqual(second, first, "an expired token is refreshed");
    const c = sdk.createClient({ baseUrl: shortEmu.url, accessToken });
    assert.deepEqual(await c.invoke("echo", { n: 1 }), { n: 1 });
    const forced = await accessToken({ forceRefresh: true });
    assert.equal(forced.split(".").length, 3);
  });

  test("concurrent callers share one sign-in or refresh", async () => {
    const accessToken = await sdk.signInAnonymously({ baseUrl: shortEmu.url });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => accessToken({ forceRefresh: true })));
    assert.equal(new Set(tokens).size, 1);
  });

  test("a failed sign-in is an AuthError with the gateway's answer as cause", async () => {
    const err = await failure(sdk.signInAnonymously({ baseUrl: emu.url }));
    assert.ok(err instanceof sdk.AuthError);
    assert.ok(err.cause instanceof sdk.CloudBaseError);
    assert.equal(err.cause.status, 404);
  });

  test("bad options are refused before any request", async () => {
    await assert.rejects(sdk.signInAnonymously({ envId: "evil.com/" }), sdk.InvalidArgumentError);
    await assert.rejects(sdk.signInAnonymously({ baseUrl: authEmu.url, deviceId: "short" }), sdk.InvalidArgumentError);
  });
});

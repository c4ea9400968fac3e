// The boundary between the caller's JavaScript and the core: whatever the caller hands over —
// revoked or throwing Proxies, throwing getters, signal look-alikes, a custom fetch that throws,
// returns junk or never settles, a token provider that never answers — the call ends in a typed
// rejection: never a crash, a hang, an unhandled rejection, a wasm instance that stops working, or
// wasm memory that grows per call. The SDK's own timer bounds the whole call (token, head and
// body) even when the transport ignores its abort signal. Every test ends with a normal call on
// the same client.
import { test, before, after, beforeEach, describe } from "node:test";
import assert from "node:assert/strict";
import { startEmulator } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure, assertTyped } from "./helpers/assert.mjs";
import { coreMemory } from "./helpers/core-memory.mjs";

// Tripwires: with these listeners installed an escaped error is recorded instead of killing the
// process, so "nothing recorded" is what "the process would still be alive" means.
const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));
process.on("uncaughtException", (err) => unhandled.push(err));
/** What escaped since the current test began (each test answers for its own). */
let trippedBefore = 0;
beforeEach(() => (trippedBefore = unhandled.length));
const escaped = () => unhandled.slice(trippedBefore);

// A call that never settles fails its test at this bound (or, when nothing keeps the event loop
// alive, node:test cancels the rest of the file, which fails it too).
const BOUNDED = { timeout: 20_000 };
const MiB = 1024 * 1024;

let emu, sdk, client, fetchClient;

/** Stand-ins for Response: `text()`/`arrayBuffer()` as a transport other than fetch might give. */
const answer = (headers) => ({ status: 200, headers, text: async () => "{}", arrayBuffer: async () => new ArrayBuffer(2) });
const pending = () => new Promise(() => {});

/** Custom transports, picked by the function name; every other name goes to the emulator. None
 * looks at the abort signal it is given. */
const transports = {
  "header-not-string": () => answer({ get: () => 42 }),
  "header-get-throws": () => answer({ get() { throw new Error("headers.get"); } }),
  "fetch-throws": () => { throw new Error("fetch threw synchronously"); },
  "never-answers": pending,
  "body-never-ends": () => ({
    status: 200,
    headers: new Headers({ "content-type": "application/json" }),
    body: new ReadableStream(), // reads pend forever, whichever way the body is read
    text: pending,
    arrayBuffer: pending,
  }),
};
const GARBAGE = [undefined, null, 42, "a response", {}, []];
GARBAGE.forEach((value, i) => (transports[`garbage-${i}`] = () => value));

function hostileFetch(url, init) {
  const name = String(url).split("/").pop();
  return Object.hasOwn(transports, name) ? transports[name](url, init) : fetch(url, init);
}

before(async () => {
  [emu, sdk] = await Promise.all([startEmulator(["--faults"]), importPackage()]);
  client = sdk.createClient({ baseUrl: emu.url, retry: false });
  fetchClient = sdk.createClient({ baseUrl: emu.url, retry: false, fetch: hostileFetch });
});
after(async () => {
  await emu?.stop();
  assert.deepEqual(unhandled, [], "unhandled rejections or uncaught exceptions");
});

/** The error of `fn()`, whether it throws synchronously or returns a promise that rejects. */
const errorOf = (fn) => failure((async () => fn())());

/** A CloudBaseError of `Class` whose fields have their documented types; local failures, so not retryable. */
function assertRejection(err, Class, code, status) {
  assertTyped(sdk, err, Class, code, status);
  assert.equal(typeof err.code, "string");
  assert.equal(typeof err.message, "string");
  assert.equal(err.retryable, false);
}

/** Reaching this line means the process survived the call; the tripwires are empty and the
 * client (so the wasm instance behind it) still completes a normal call. */
async function assertStillServes(c) {
  assert.deepEqual(escaped(), [], "unhandled rejections or uncaught exceptions");
  assert.deepEqual(await c.invoke("echo", { a: 1 }), { a: 1 });
}

function revokedProxy() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}
const protoTrapThrows = () => new Proxy({}, { getPrototypeOf() { throw new Error("getPrototypeOf"); } });
const ownKeysTrapThrows = () => new Proxy({ "x-a": "1" }, { ownKeys() { throw new Error("ownKeys"); } });
const throwingGetter = (error) => ({ get timeoutMs() { throw error; } });

describe("hostile data and options are an InvalidArgumentError", () => {
  test("data: a revoked Proxy (its cause is the TypeError of touching it)", BOUNDED, async () => {
    const err = await failure(client.invoke("echo", revokedProxy()));
    assertRejection(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.notEqual(err.cause, undefined, "no cause");
    await assertStillServes(client);
  });

  test("data: a Proxy whose getPrototypeOf trap throws", BOUNDED, async () => {
    const err = await failure(client.invoke("echo", protoTrapThrows()));
    assertRejection(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    await assertStillServes(client);
  });

  test("headers: a Proxy whose ownKeys trap throws, as a call option and as a client option", BOUNDED, async () => {
    const err = await failure(client.invoke("echo", {}, { headers: ownKeysTrapThrows() }));
    assertRejection(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    const clientErr = await errorOf(() => sdk.createClient({ baseUrl: emu.url, headers: ownKeysTrapThrows() }));
    assertRejection(clientErr, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    await assertStillServes(client);
  });

  test("an options object whose getter throws: the thrown error is the cause", BOUNDED, async () => {
    // Reading it as "not given" would silently drop what the caller asked for.
    const boom = new Error("getter");
    const err = await failure(client.invoke("echo", {}, throwingGetter(boom)));
    assertRejection(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.equal(err.cause, boom);
    const clientErr = await errorOf(() => sdk.createClient({ baseUrl: emu.url, get timeoutMs() { throw boom; } }));
    assertRejection(clientErr, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.equal(clientErr.cause, boom);
    await assertStillServes(client);
  });

  test("signal: { aborted: false } without addEventListener", BOUNDED, async () => {
    const err = await failure(client.invoke("echo", {}, { signal: { aborted: false } }));
    assertRejection(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    await assertStillServes(client);
  });

  test("signal look-alikes whose methods or getter throw: typed, or ignored where nothing is lost", BOUNDED, async () => {
    const boom = new Error("signal");
    const signal = (overrides) => // descriptors, not a spread: a spread would call the getter once and copy its value
      Object.defineProperties({ aborted: false, addEventListener() {}, removeEventListener() {} }, Object.getOwnPropertyDescriptors(overrides));
    const adds = await failure(client.invoke("echo", {}, { signal: signal({ addEventListener() { throw boom; } }) }));
    assertRejection(adds, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.equal(adds.cause, boom);
    // The answer is in when removing the listener throws: the call still resolves.
    assert.deepEqual(await client.invoke("echo", { a: 2 }, { signal: signal({ removeEventListener() { throw boom; } }) }), { a: 2 });
    let reads = 0;
    const flaky = signal({ get aborted() { if (++reads > 1) throw boom; return false; } });
    const retried = sdk.createClient({ baseUrl: emu.url, retry: { baseDelayMs: 1 } });
    const late = await failure(retried.invoke("fault-flaky", { key: `flaky-${Math.random()}`, failures: 1 }, { signal: flaky }));
    assertRejection(late, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
    assert.equal(late.cause, boom);
    await assertStillServes(client);
  });
});

describe("a custom fetch that misbehaves", () => {
  test("a header value that is not a string counts as absent: no content type, so bytes", BOUNDED, async () => {
    const value = await fetchClient.invoke("header-not-string", {});
    assert.ok(value instanceof Uint8Array, `resolved to ${Object.prototype.toString.call(value)}`);
    assert.equal(value.length, 2);
    await assertStillServes(fetchClient);
  });

  test("headers.get that throws is a typed rejection", BOUNDED, async () => {
    const err = await failure(fetchClient.invoke("header-get-throws", {}));
    assert.ok(err instanceof sdk.CloudBaseError, `${err?.name}: ${err?.message}`);
    assert.equal(typeof err.code, "string");
    await assertStillServes(fetchClient);
  });

  test("a fetch that throws synchronously is a NetworkError with the thrown error as cause", BOUNDED, async () => {
    const err = await failure(fetchClient.invoke("fetch-throws", {}));
    assertRejection(err, sdk.NetworkError, "NETWORK_ERROR", undefined);
    assert.equal(err.cause?.message, "fetch threw synchronously");
    await assertStillServes(fetchClient);
  });

  test("a fetch that returns a non-thenable that is no Response is an InvalidResponseError", BOUNDED, async () => {
    for (let i = 0; i < GARBAGE.length; i++) {
      const err = await failure(fetchClient.invoke(`garbage-${i}`, {}));
      assertRejection(err, sdk.InvalidResponseError, "INVALID_RESPONSE", undefined);
    }
    await assertStillServes(fetchClient);
  });
});

describe("10,000 hostile calls", () => {
  // Every kind above that rejects, in turn; a fresh hostile value for each call.
  const kinds = () => [
    [() => client.invoke("echo", revokedProxy()), sdk.InvalidArgumentError],
    [() => client.invoke("echo", protoTrapThrows()), sdk.InvalidArgumentError],
    [() => client.invoke("echo", {}, { headers: ownKeysTrapThrows() }), sdk.InvalidArgumentError],
    [() => client.invoke("echo", {}, throwingGetter(new Error("getter"))), sdk.InvalidArgumentError],
    [() => client.invoke("echo", {}, { signal: { aborted: false } }), sdk.InvalidArgumentError],
    [() => fetchClient.invoke("header-get-throws", {}), sdk.CloudBaseError],
    [() => fetchClient.invoke("fetch-throws", {}), sdk.NetworkError],
    [() => fetchClient.invoke("garbage-2", {}), sdk.InvalidResponseError],
  ];

  /** Runs `n` calls, 100 at a time; returns descriptions of those that did not reject as expected. */
  async function run(n) {
    const list = kinds();
    const wrong = [];
    for (let start = 0; start < n; start += 100) {
      const batch = [];
      for (let i = start; i < Math.min(n, start + 100); i++) batch.push(list[i % list.length]);
      const settled = await Promise.allSettled(batch.map(([call]) => errorOf(call)));
      settled.forEach((s, j) => {
        const Expected = batch[j][1];
        const err = s.status === "fulfilled" ? s.value : s.reason;
        const typed = err instanceof Expected && typeof err.code === "string";
        if (!typed) wrong.push(`kind ${(start + j) % list.length}: ${err?.name}: ${err?.message}`);
      });
    }
    return wrong;
  }

  test("each rejects with a CloudBaseError, nothing escapes, wasm memory stays flat", { timeout: 60_000 }, async () => {
    const warm = await run(800); // lets allocator pools reach their working size before measuring
    assert.equal(warm.length, 0, `warm-up: ${warm.length} of 800 calls wrong, e.g. ${warm.slice(0, 3).join("; ")}`);
    assert.ok(coreMemory() instanceof WebAssembly.Memory, "the core's wasm memory was not captured at instantiation");
    const startBytes = coreMemory().buffer.byteLength;
    const wrong = await run(10_000);
    assert.equal(wrong.length, 0, `${wrong.length} of 10,000 calls wrong, e.g. ${wrong.slice(0, 3).join("; ")}`);
    assert.deepEqual(escaped(), [], "unhandled rejections or uncaught exceptions");
    await assertStillServes(client);
    await assertStillServes(fetchClient);
    const endBytes = coreMemory().buffer.byteLength;
    assert.ok(endBytes <= startBytes + MiB, `wasm memory grew from ${startBytes} to ${endBytes} bytes over 10,000 calls`);
  });
});

describe("the SDK's own timer bounds the whole call", () => {
  // Wall-clock durations are not asserted (the machine is noisy): settling at all, with the right
  // class, is the point; BOUNDED fails a call that never settles.
  const assertTimeout = (err) => {
    assert.ok(err instanceof sdk.TimeoutError, `${err?.name} is not a TimeoutError: ${err?.message}`);
    assert.ok(err instanceof sdk.CloudBaseError);
    assert.equal(err.name, "TimeoutError");
    assert.equal(err.code, "TIMEOUT");
    assert.equal(err.retryable, false);
  };

  test("a body dripping one byte every 200 ms (200 s in all) ends at timeoutMs 300", BOUNDED, async () => {
    assertTimeout(await failure(client.invoke("fault-drip", { ms: 200, bytes: 1000 }, { timeoutMs: 300 })));
    await assertStillServes(client);
  });

  test("a custom fetch that ignores its signal and never settles ends at timeoutMs 200", BOUNDED, async () => {
    assertTimeout(await failure(fetchClient.invoke("never-answers", {}, { timeoutMs: 200 })));
    await assertStillServes(fetchClient);
  });

  test("a head at once and a body that never ends, signal ignored, ends at timeoutMs 200", BOUNDED, async () => {
    assertTimeout(await failure(fetchClient.invoke("body-never-ends", {}, { timeoutMs: 200 })));
    await assertStillServes(fetchClient);
  });

  test("a token provider that never answers ends at timeoutMs 200", BOUNDED, async () => {
    // The first provider call hangs until released after the assertion; later ones answer at once,
    // so the follow-up call works whether or not it joins the first provider call.
    let calls = 0;
    let release;
    const tokenClient = sdk.createClient({
      baseUrl: emu.url,
      retry: false,
      accessToken: () => (calls++ === 0 ? new Promise((resolve) => (release = resolve)) : "token"),
    });
    assertTimeout(await failure(tokenClient.invoke("echo", {}, { timeoutMs: 200 })));
    release?.("token");
    await assertStillServes(tokenClient);
  });
});

describe("the core's memory is reused by each operation", () => {
  // The core rewinds its heap at every operation and starts it afresh when the input buffer has to
  // grow (wasm/src/allocator.rs): every answer must still arrive whole, whatever came before it.
  test("answers stay whole while inputs grow and shrink between operations", async () => {
    const errorPage = (n) => `<p>${"é".repeat(n)}</p>`;
    const sent = [];
    const fetch = async (url, init) => {
      sent.push(init.headers["x-big"]?.length);
      return new Response(errorPage(3000), { status: 502, headers: { "x-request-id": `req-${sent.length}` } });
    };
    // Header values from a few bytes to 200 KB: most of them outgrow the input buffer.
    for (const [i, size] of [10, 5_000, 20, 50_000, 30, 200_000, 1].entries()) {
      const c = sdk.createClient({ baseUrl: emu.url, fetch, retry: false, headers: { "x-big": "v".repeat(size) } });
      const err = await failure(c.invoke("echo", { i }));
      assert.ok(err instanceof sdk.HttpError, `${err?.name}: ${err?.message}`);
      assert.equal(err.status, 502);
      assert.equal(err.requestId, `req-${i + 1}`);
      assert.equal(err.body, errorPage(3000).slice(0, 1024), "the excerpt of the error body, whole");
      assert.equal(sent[i], size, "the header the client was configured with, whole");
      assert.match((await failure(c.invoke("../x", {}))).message, /invalid function name "\.\.\/x"/);
    }
    await assertStillServes(client);
  });
});

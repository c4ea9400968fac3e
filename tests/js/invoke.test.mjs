// The package as a user installs it (npm install of the packed pkg/), against a real emulator.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage, requirePackage } from "./helpers/package.mjs";
import { failure, assertTyped as typed } from "./helpers/assert.mjs";

const TOKEN = "tok-SECRET-1234567890";
let emu, sdk, client;

before(async () => {
  [emu, sdk] = await Promise.all([startEmulator(["--faults"]), importPackage()]);
  client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN });
});
after(() => emu?.stop());

/** Await a rejection and return the error (fails if the call resolves). */
const assertTyped = (err, Class, code, status) => typed(sdk, err, Class, code, status, [TOKEN]);

/** Asserts `fn` rejects with InvalidArgumentError and that the emulator saw no request. */
async function refusedLocally(fn) {
  const before = await requestCount(emu.url);
  const err = await failure(fn());
  assertTyped(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
  assert.equal(await requestCount(emu.url), before, "a request was sent");
  return err;
}

describe("results", () => {
  test("application/json resolves to the parsed value", async () => {
    assert.deepEqual(await client.invoke("echo", { a: 1, nested: { b: [1, 2] } }), { a: 1, nested: { b: [1, 2] } });
  });

  test("undefined data sends {}", async () => {
    assert.deepEqual(await client.invoke("echo"), {});
  });

  test("text/plain resolves to a string", async () => {
    assert.equal(await client.invoke("hello", {}), "Hello fn");
  });

  test("other content types resolve to a Uint8Array", async () => {
    const bytes = await client.invoke("fault-bytes", {});
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(bytes.length, 256);
    assert.equal(bytes[255], 255);
  });

  test("raw resolves to data, status, requestId, headers and attempts", async () => {
    const full = await client.invoke("echo", { a: 1 }, { raw: true });
    assert.deepEqual(full.data, { a: 1 });
    assert.equal(full.status, 200);
    assert.match(full.requestId, /\S+/);
    assert.equal(full.headers["x-request-id"], full.requestId);
    assert.match(full.headers["content-type"], /^application\/json/);
    assert.equal(full.attempts, 1);
  });

  test("a qualifier picks the version", async () => {
    assert.equal(await client.invoke("hello", {}, { qualifier: "2" }), "Hello fn v2");
  });

  test("the one-shot invoke works", async () => {
    assert.deepEqual(await sdk.invoke({ baseUrl: emu.url }, "echo", { one: "shot" }), { one: "shot" });
  });

  test("require() gives the same API from CommonJS", async () => {
    const cjs = requirePackage();
    const c = cjs.createClient({ baseUrl: emu.url });
    assert.deepEqual(await c.invoke("echo", { cjs: true }), { cjs: true });
    const err = await failure(c.invoke("no-such-fn"));
    assert.ok(err instanceof cjs.FunctionNotFoundError);
  });

  test("import and require in one process hand out the same error classes: instanceof holds across both", async () => {
    const cjs = requirePackage();
    assert.notEqual(cjs.createClient, sdk.createClient, "two copies of the package are loaded");
    for (const [made, other] of [[cjs, sdk], [sdk, cjs]]) {
      const err = await failure(made.createClient({ baseUrl: emu.url }).invoke("no-such-fn"));
      assert.ok(err instanceof other.FunctionNotFoundError && err instanceof other.CloudBaseError, `${err.name} from one copy fails instanceof of the other`);
      assert.throws(() => made.createClient({}), other.InvalidArgumentError);
    }
  });
});

describe("what is sent", () => {
  test("method, path, content type, body, token and extra headers", async () => {
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, headers: { "X-Trace": "client", "X-Client": "1" } });
    const seen = await c.invoke("fault-headers", { k: "v" }, { headers: { "x-trace": "call" } });
    assert.equal(seen._method, "POST");
    assert.equal(seen._path, "/v1/functions/fault-headers");
    assert.match(seen["content-type"], /^application\/json/);
    assert.equal(seen.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen["x-trace"], "call", "a per-call header replaces the client's");
    assert.equal(seen["x-client"], "1");
    assert.equal(seen["x-qualifier"], undefined);
    assert.equal(seen["x-tcb-webfn"], undefined);
  });

  test("qualifier and webfn become X-Qualifier and X-Tcb-Webfn", async () => {
    const seen = await client.invoke("fault-headers", {}, { qualifier: "$LATEST", webfn: true });
    assert.equal(seen["x-qualifier"], "$LATEST");
    assert.equal(seen["x-tcb-webfn"], "true");
  });

  test("no Authorization header without a token", async () => {
    const seen = await sdk.createClient({ baseUrl: emu.url }).invoke("fault-headers", {});
    assert.equal(seen.authorization, undefined);
  });

  test("a token provider is called and its token sent", async () => {
    let calls = 0;
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: async () => (calls++, TOKEN) });
    const seen = await c.invoke("fault-headers", {});
    assert.equal(seen.authorization, `Bearer ${TOKEN}`);
    assert.ok(calls >= 1);
  });
});

describe("contract errors", () => {
  const table = [
    ["FUNCTION_NOT_FOUND", "FunctionNotFoundError", 404],
    ["FUNCTION_QUALIFIER_NOT_FOUND", "FunctionQualifierNotFoundError", 404],
    ["FUNCTION_INVOCATION_FAILED", "FunctionInvocationFailedError", 400],
    ["FUNCTION_PARAM_INVALID", "FunctionParamInvalidError", 400],
    ["FUNCTION_EXCEED_RESOURCE_LIMIT", "FunctionExceedResourceLimitError", 429],
    ["FUNCTION_STATUS_ABNORMAL", "FunctionStatusAbnormalError", 500],
    ["FUNCTION_TIME_LIMIT_EXCEEDED", "FunctionTimeLimitExceededError", 400],
    ["FUNCTION_MEMORY_LIMIT_EXCEEDED", "FunctionMemoryLimitExceededError", 400],
    ["EXCEED_AUTHORITY", "ExceedAuthorityError", 403],
    ["ACTION_FORBIDDEN", "ActionForbiddenError", 401],
    ["INVALID_HOST", "InvalidHostError", 400],
  ];
  for (const [code, className, status] of table) {
    test(`${code} -> ${className}`, async () => {
      const body = JSON.stringify({ code, message: `msg for ${code}`, requestId: "req-from-body" });
      const err = await failure(
        client.invoke("fault-respond", { status, contentType: "application/json", body }, { retry: false }),
      );
      assertTyped(err, sdk[className], code, status);
      assert.equal(err.message, `msg for ${code}`);
      assert.equal(err.requestId, "req-from-body");
    });
  }

  test("an unknown code stays a CloudBaseError that keeps the code", async () => {
    const body = JSON.stringify({ code: "SOMETHING_NEW", message: "new", requestId: "r" });
    const err = await failure(client.invoke("fault-respond", { status: 500, contentType: "application/json", body }));
    assert.equal(err.constructor, sdk.CloudBaseError);
    assertTyped(err, sdk.CloudBaseError, "SOMETHING_NEW", 500);
  });

  test("requestId falls back to X-Request-Id when the body has none", async () => {
    const body = JSON.stringify({ code: "FUNCTION_NOT_FOUND", message: "m" });
    const err = await failure(client.invoke("fault-respond", { status: 404, contentType: "application/json", body }));
    assertTyped(err, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
    assert.match(err.requestId, /\S+/);
  });

  test("the emulator's real errors: missing function, throwing function, unknown qualifier", async () => {
    const missing = await failure(client.invoke("no-such-fn", {}));
    assertTyped(missing, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
    assert.match(missing.requestId, /\S+/);
    const boom = await failure(client.invoke("boom", {}));
    assertTyped(boom, sdk.FunctionInvocationFailedError, "FUNCTION_INVOCATION_FAILED", 400);
    assert.match(boom.message, /boom: something went wrong/);
    const q = await failure(client.invoke("hello", {}, { qualifier: "99" }));
    assertTyped(q, sdk.FunctionQualifierNotFoundError, "FUNCTION_QUALIFIER_NOT_FOUND", 404);
  });
});

describe("transport and HTTP errors", () => {
  test("an HTML 502 page is an HttpError with the body's first 1 KiB", async () => {
    const err = await failure(client.invoke("fault-html502", {}));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 502);
    assert.match(err.body, /502 Bad Gateway/);
    const big = "<p>" + "x".repeat(5000) + "</p>";
    const long = await failure(client.invoke("fault-respond", { status: 500, contentType: "text/html", body: big }));
    assert.equal(long.body.length, 1024);
    assert.equal(long.body, big.slice(0, 1024));
  });

  test("an empty 500 is an HttpError with an empty body", async () => {
    const err = await failure(client.invoke("fault-empty500", {}));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 500);
    assert.equal(err.body, "");
    assert.match(err.requestId, /\S+/);
  });

  test("a 2xx that says JSON but does not parse is an InvalidResponseError", async () => {
    const err = await failure(client.invoke("fault-bad-json", {}));
    assertTyped(err, sdk.InvalidResponseError, "INVALID_RESPONSE", 200);
    assert.ok(err.cause instanceof SyntaxError);
  });

  test("a dropped connection is a NetworkError with no status", async () => {
    const err = await failure(client.invoke("fault-drop", {}));
    assertTyped(err, sdk.NetworkError, "NETWORK_ERROR", undefined);
    assert.ok(err.cause);
  });

  test("a refused connection is a NetworkError", async () => {
    const c = sdk.createClient({ baseUrl: "http://127.0.0.1:9" });
    assertTyped(await failure(c.invoke("echo", {})), sdk.NetworkError, "NETWORK_ERROR", undefined);
  });

  test("timeoutMs ends a hanging call with a TimeoutError", async () => {
    const err = await failure(client.invoke("fault-hang", {}, { timeoutMs: 200 }));
    assertTyped(err, sdk.TimeoutError, "TIMEOUT", undefined);
    const viaClient = sdk.createClient({ baseUrl: emu.url, timeoutMs: 200 });
    assertTyped(await failure(viaClient.invoke("fault-hang", {})), sdk.TimeoutError, "TIMEOUT", undefined);
  });

  test("an aborted signal rejects with AbortError carrying the reason", async () => {
    const controller = new AbortController();
    const pending = client.invoke("fault-hang", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user gave up")), 50);
    const err = await failure(pending);
    assertTyped(err, sdk.AbortError, "ABORTED", undefined);
    assert.equal(err.cause.message, "user gave up");
  });

  test("an already-aborted signal sends nothing", async () => {
    const before = await requestCount(emu.url);
    const err = await failure(client.invoke("echo", {}, { signal: AbortSignal.abort() }));
    assertTyped(err, sdk.AbortError, "ABORTED", undefined);
    assert.equal(await requestCount(emu.url), before);
  });

  test("busy answers are retried and the attempts counted", async () => {
    const key = `k${Math.random()}`;
    const full = await client.invoke("fault-flaky", { key, failures: 2 }, { raw: true, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    assert.equal(full.data.attempts, 3);
    assert.equal(full.attempts, 3);
    const err = await failure(client.invoke("fault-flaky", { key: `${key}b`, failures: 1 }, { retry: false }));
    assertTyped(err, sdk.FunctionExceedResourceLimitError, "FUNCTION_EXCEED_RESOURCE_LIMIT", 429);
    assert.equal(err.retryable, true);
    assert.equal(err.attempts, 1);
  });
});

describe("validation before any request", () => {
  for (const name of ["", "a", "1abc", "abc-", "a/b", "../etc", "a%2Fb", "ｅcho", "echo\r\n", "x".repeat(61), 42]) {
    test(`function name ${JSON.stringify(name)}`, () => refusedLocally(() => client.invoke(name, {})));
  }
  for (const [label, data] of [["array", [1]], ["string", "s"], ["number", 1], ["null", null], ["Date", new Date()], ["Map", new Map()]]) {
    test(`data that is a ${label}`, () => refusedLocally(() => client.invoke("echo", data)));
  }
  test("data with a cycle", async () => {
    const cyclic = {};
    cyclic.self = cyclic;
    const err = await refusedLocally(() => client.invoke("echo", cyclic));
    assert.ok(err.cause instanceof TypeError);
  });
  test("data with a BigInt", () => refusedLocally(() => client.invoke("echo", { n: 1n })));
  for (const qualifier of ["", "1\r\nX-Evil: 1", "a b", 2]) {
    test(`qualifier ${JSON.stringify(qualifier)}`, () => refusedLocally(() => client.invoke("echo", {}, { qualifier })));
  }
  test("header injection and SDK-owned headers", async () => {
    await refusedLocally(() => client.invoke("echo", {}, { headers: { "X-A": "1\r\nX-Evil: 1" } }));
    await refusedLocally(() => client.invoke("echo", {}, { headers: { Authorization: "Bearer x" } }));
    await refusedLocally(() => client.invoke("echo", {}, { timeoutMs: -1 }));
  });
  test("a token provider that throws or returns nothing is an AuthError, with nothing sent", async () => {
    const before = await requestCount(emu.url);
    const cause = new Error("provider down");
    const throwing = sdk.createClient({ baseUrl: emu.url, accessToken: () => { throw cause; } });
    const err = await failure(throwing.invoke("echo", {}));
    assertTyped(err, sdk.AuthError, "AUTH_ERROR", undefined);
    assert.equal(err.cause, cause);
    const empty = sdk.createClient({ baseUrl: emu.url, accessToken: async () => "" });
    assertTyped(await failure(empty.invoke("echo", {})), sdk.AuthError, "AUTH_ERROR", undefined);
    const notString = sdk.createClient({ baseUrl: emu.url, accessToken: () => 42 });
    assertTyped(await failure(notString.invoke("echo", {})), sdk.AuthError, "AUTH_ERROR", undefined);
    assert.equal(await requestCount(emu.url), before);
  });
});

describe("createClient", () => {
  const bad = [
    ["no envId nor baseUrl", {}],
    ["envId with a path", { envId: "evil.com/" }],
    ["envId with a dot", { envId: "a.b" }],
    ["envId look-alike", { envId: "ｅnv" }],
    ["plain http to a remote host", { baseUrl: "http://example.com" }],
    ["baseUrl with credentials", { baseUrl: "https://user:pw@example.com" }],
    ["baseUrl with a query", { baseUrl: "https://example.com/?x=1" }],
    ["a token with CR/LF", { envId: "env", accessToken: `${TOKEN}\r\nX-Evil: 1` }],
    ["a non-function fetch", { envId: "env", fetch: "nope" }],
  ];
  for (const [label, options] of bad) {
    test(`throws InvalidArgumentError for ${label}`, () => {
      assert.throws(() => sdk.createClient(options), (err) => {
        assertTyped(err, sdk.InvalidArgumentError, "INVALID_ARGUMENT", undefined);
        return true;
      });
    });
  }
  test("accepts an envId, and sends to its gateway host", async () => {
    const urls = [];
    const fakeNet = async (url) => (urls.push(url), new Response("{}", { headers: { "content-type": "application/json" } }));
    const c = sdk.createClient({ envId: "my-env-1a2b3c", fetch: fakeNet });
    assert.deepEqual(await c.invoke("echo", {}), {});
    assert.deepEqual(urls, ["https://my-env-1a2b3c.api.tcloudbasegateway.com/v1/functions/echo"]);
  });
  test("a custom fetch that throws or returns garbage gives typed errors", async () => {
    const throwing = sdk.createClient({ envId: "env", fetch: () => { throw new TypeError("boom"); } });
    assertTyped(await failure(throwing.invoke("echo", {})), sdk.NetworkError, "NETWORK_ERROR", undefined);
    const garbage = sdk.createClient({ envId: "env", fetch: async () => 42 });
    assertTyped(await failure(garbage.invoke("echo", {})), sdk.InvalidResponseError, "INVALID_RESPONSE", undefined);
    const noStatus = sdk.createClient({ envId: "env", fetch: async () => ({}) });
    assertTyped(await failure(noStatus.invoke("echo", {})), sdk.InvalidResponseError, "INVALID_RESPONSE", undefined);
  });
});

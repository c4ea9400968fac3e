// Security: requests go only to the configured host, redirects are never followed (so the token
// cannot leak to another origin), and injection attempts in envId, baseUrl, function names,
// qualifiers, headers and tokens are refused before any request is sent.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure, assertNoSecret } from "./helpers/assert.mjs";

const TOKEN = "tok-SECRET-security-0123456789";
let emu, sdk, client, other, otherUrl;
/** Every request the second ("attacker's") server received. */
const stolen = [];

before(async () => {
  other = createServer((req, res) => {
    stolen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    req.resume();
    res.writeHead(200, { "content-type": "application/json" }).end('{"stolen":true}');
  });
  await new Promise((r) => other.listen(0, "127.0.0.1", r));
  otherUrl = `http://127.0.0.1:${other.address().port}`;
  [emu, sdk] = await Promise.all([startEmulator(["--faults"]), importPackage()]);
  client = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, retry: false });
});
after(async () => {
  other?.closeAllConnections?.();
  await new Promise((r) => (other ? other.close(r) : r()));
  await emu?.stop();
});

function assertNoToken(err) {
  assertNoSecret(err, [TOKEN]);
}

describe("requests go only to the configured host", () => {
  test("every attempt, retries included, is a POST to {baseUrl}/v1/functions/{name} with redirect: error", async () => {
    const seen = [];
    const spy = (url, init) => (seen.push({ url, init }), fetch(url, init));
    const c = sdk.createClient({ baseUrl: emu.url, accessToken: TOKEN, fetch: spy, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const key = `sec-${Math.random()}`;
    const out = await c.invoke("fault-flaky", { key, failures: 2 }, { raw: true });
    assert.equal(out.attempts, 3);
    assert.equal(seen.length, 3);
    for (const { url, init } of seen) {
      assert.equal(url, `${emu.url}/v1/functions/fault-flaky`);
      assert.equal(init.method, "POST");
      assert.equal(init.redirect, "error");
    }
  });

  test("an envId client sends only to https://{envId}.api.tcloudbasegateway.com", async () => {
    const urls = [];
    const c = sdk.createClient({ envId: "prod-7x", fetch: async (url) => (urls.push(url), new Response("1", { headers: { "content-type": "application/json" } })) });
    await c.invoke("a-b_c", {});
    assert.deepEqual(urls, ["https://prod-7x.api.tcloudbasegateway.com/v1/functions/a-b_c"]);
  });
});

describe("redirects are not followed", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`a ${status} to another origin fails with NetworkError and the other server receives nothing`, async () => {
      const before = await requestCount(emu.url);
      const location = `${otherUrl}/steal`;
      const err = await failure(
        status === 302
          ? client.invoke("fault-redirect", { location })
          : client.invoke("fault-respond", { status, headers: { location } }),
      );
      assert.ok(err instanceof sdk.NetworkError, `${err.name}: ${err.message}`);
      assert.equal(err.code, "NETWORK_ERROR");
      assert.equal(err.status, undefined, "fetch rejected: no response was exposed");
      assert.ok(err.cause instanceof TypeError, "the cause is fetch's redirect refusal");
      assertNoToken(err);
      assert.equal(await requestCount(emu.url), before + 1, "exactly one request, to the emulator");
      assert.deepEqual(stolen, [], "the second server received a request");
    });
  }
  test("a redirect to the same host is not followed either", async () => {
    const before = await requestCount(emu.url);
    const err = await failure(client.invoke("fault-redirect", { location: "/v1/functions/fault-headers" }));
    assert.ok(err instanceof sdk.NetworkError);
    assert.equal(await requestCount(emu.url), before + 1);
  });
  test("with onNetworkError retries the redirect is refused on every attempt, never followed", async () => {
    const before = await requestCount(emu.url);
    const err = await failure(
      client.invoke("fault-redirect", { location: `${otherUrl}/steal` }, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, onNetworkError: true } }),
    );
    assert.ok(err instanceof sdk.NetworkError);
    assert.equal(err.attempts, 3);
    assert.equal(await requestCount(emu.url), before + 3);
    assert.deepEqual(stolen, []);
  });
  test("the second server is reachable, so the assertions above can fail", async () => {
    const res = await fetch(`${otherUrl}/probe`, { method: "POST", headers: { authorization: "Bearer probe" } });
    assert.deepEqual(await res.json(), { stolen: true });
    assert.deepEqual(stolen.splice(0), [{ method: "POST", url: "/probe", authorization: "Bearer probe" }]);
  });
});

describe("injection attempts are refused before any request", () => {
  let baseline;
  const refusedCalls = [];
  const expectRefused = (label, fn, Class = "InvalidArgumentError") =>
    test(label, async () => {
      baseline ??= await requestCount(emu.url);
      let err;
      try {
        await fn();
      } catch (e) {
        err = e;
      }
      assert.ok(err, "not refused");
      assert.ok(err instanceof sdk[Class], `${err.name}: ${err.message}`);
      assertNoToken(err);
      refusedCalls.push(label);
      assert.equal(await requestCount(emu.url), baseline, "a request was sent");
    });

  const envIds = [
    ["evil.com/", "a path"],
    ["evil.com", "a dot"],
    ["evil.com#", "a fragment"],
    ["evil.com?", "a query"],
    ["env@evil.com", "an @"],
    ["..", "dot-dot"],
    ["a%2Fb", "a percent-encoded slash"],
    ["%2e%2e", "percent-encoded dots"],
    ["\u0435nv", "a Cyrillic е look-alike"],
    ["\uff45nv", "a full-width ｅ"],
    ["env\\evil", "a backslash"],
    ["env\r\nHost: evil.com", "CR/LF"],
    ["env:443", "a port"],
    ["env ", "a trailing space"],
    ["", "empty"],
    ["-env", "a leading hyphen"],
    ["e\u200bnv", "a zero-width space"],
  ];
  for (const [envId, what] of envIds) {
    expectRefused(`envId ${JSON.stringify(envId)} (${what})`, () => sdk.createClient({ envId }));
  }

  const baseUrls = [
    [`http://127.0.0.1:1@evil.com`, "userinfo @"],
    [`http://evil.com\\@127.0.0.1`, "backslash-@ confusion"],
    [`http://127.0.0.1.evil.com`, "loopback-looking remote host over http"],
    [`http://evil.com`, "plain http to a remote host"],
    [`https://\u0435vil.com`, "Cyrillic look-alike host"],
    [`https://\uff45vil.com`, "full-width host"],
    [`https://evil.com/../x`, "dot segment"],
    [`https://evil.com/%2e%2e/x`, "encoded dot segment"],
    [`https://evil.com?x=1`, "a query"],
    [`https://evil.com#x`, "a fragment"],
    [`https://evil.com\r\nX: 1`, "CR/LF"],
    [`//evil.com`, "scheme-relative"],
    [`javascript:alert(1)`, "javascript: URL"],
    [`file:///etc/passwd`, "file: URL"],
  ];
  for (const [baseUrl, what] of baseUrls) {
    expectRefused(`baseUrl ${JSON.stringify(baseUrl)} (${what})`, () => sdk.createClient({ baseUrl }));
  }

  const names = [
    ["evil.com/", "a host and a slash"],
    ["..", "dot-dot"],
    ["ab/../../x", "path traversal"],
    ["a%2Fb", "an encoded slash"],
    ["%2e%2e", "encoded dots"],
    ["\u0435cho", "a Cyrillic е"],
    ["\uff45cho", "a full-width ｅ"],
    ["echo?x=1", "a query"],
    ["echo#frag", "a fragment"],
    ["echo\\x", "a backslash"],
    ["a@evil", "an @"],
    ["echo\r\nX-Evil: 1", "CR/LF"],
    ["echo\u0000", "NUL"],
    ["echo.js", "a dot"],
    ["echo ", "a space"],
  ];
  for (const [name, what] of names) {
    expectRefused(`function name ${JSON.stringify(name)} (${what})`, () => client.invoke(name, {}));
  }

  const qualifiers = [
    ["1\r\nX-Evil: 1", "CR/LF"],
    ["1\n", "LF"],
    ["$LATEST\r", "CR"],
    ["v\u0435", "a Cyrillic е"],
    ["1 2", "a space"],
    ["1:2", "a colon"],
    ["a/b", "a slash"],
  ];
  for (const [qualifier, what] of qualifiers) {
    expectRefused(`qualifier ${JSON.stringify(qualifier)} (${what})`, () => client.invoke("echo", {}, { qualifier }));
  }

  const headers = [
    [{ "X-A": "1\r\nX-Evil: 1" }, "CR/LF in a value"],
    [{ "X-A": "1\n" }, "LF in a value"],
    [{ "X-A": "caf\u00e9" }, "non-ASCII in a value"],
    [{ "X-A\r\nX-Evil": "1" }, "CR/LF in a name"],
    [{ "X A": "1" }, "a space in a name"],
    [{ "X-A:": "1" }, "a colon in a name"],
    [{ Host: "evil.com" }, "overriding Host"],
    [{ Authorization: "Bearer other" }, "overriding Authorization"],
    [{ "x-qualifier": "1" }, "overriding X-Qualifier"],
    [{ "Content-Length": "0" }, "overriding Content-Length"],
  ];
  for (const [h, what] of headers) {
    expectRefused(`call header ${JSON.stringify(h)} (${what})`, () => client.invoke("echo", {}, { headers: h }));
    expectRefused(`client header ${JSON.stringify(h)} (${what})`, () => sdk.createClient({ baseUrl: emu.url, headers: h }));
  }

  const tokens = [
    [`${TOKEN}\r\nX-Evil: 1`, "CR/LF"],
    [`${TOKEN}\n`, "LF"],
    [`${TOKEN}\u0000`, "NUL"],
    [`t\u00f6ken-${TOKEN}`, "non-ASCII"],
    [` ${TOKEN}`, "a leading space"],
  ];
  for (const [token, what] of tokens) {
    expectRefused(`static token with ${what}`, () => sdk.createClient({ baseUrl: emu.url, accessToken: token }));
    expectRefused(
      `token provider returning a token with ${what}`,
      () => sdk.createClient({ baseUrl: emu.url, accessToken: async () => token }).invoke("echo", {}),
      "AuthError",
    );
  }

  test("every attempt above was refused and the emulator saw none of them", async () => {
    const expected = envIds.length + baseUrls.length + names.length + qualifiers.length + headers.length * 2 + tokens.length * 2;
    assert.equal(refusedCalls.length, expected);
    assert.equal(await requestCount(emu.url), baseline);
  });

  test("and a normal call from the same client still goes through (the counter works)", async () => {
    const n = await requestCount(emu.url);
    const seen = await client.invoke("fault-headers", {}, { qualifier: "$LATEST", headers: { "X-Trace": "t" } });
    assert.equal(seen.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen["x-trace"], "t");
    assert.equal(seen._path, "/v1/functions/fault-headers");
    assert.equal(await requestCount(emu.url), n + 1);
  });
});

// Hostile responses: whatever a gateway, a proxy or a broken server answers, the call ends with the
// right typed error or value — never an unhandled rejection, a hang or a crash — and the wasm
// instance keeps working afterwards (every test is followed by a normal call that must succeed).
import { test, before, after, afterEach, describe } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startEmulator, requestCount } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure, assertTyped as typed } from "./helpers/assert.mjs";

// Tripwires: any unhandled rejection or uncaught exception while this file runs fails it.
const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));
process.on("uncaughtException", (err) => unhandled.push(err));

let emu, sdk, client, raw, rawUrl;
const MB = 1024 * 1024;
const BIG = 30 * MB;

/** A plain node:http server for answers the emulator cannot give (huge error bodies, non-ASCII
 * header bytes). `routes[path](req, res)` writes the answer. */
const routes = {};
function startRawServer() {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const route = routes[new URL(req.url, "http://x").pathname.split("/").pop()];
        if (route) route(req, res);
        else res.writeHead(404).end();
      });
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

before(async () => {
  [emu, sdk, raw] = await Promise.all([startEmulator(["--faults"]), importPackage(), startRawServer()]);
  rawUrl = `http://127.0.0.1:${raw.address().port}`;
  client = sdk.createClient({ baseUrl: emu.url, retry: false });
});
after(async () => {
  raw?.closeAllConnections?.();
  await new Promise((r) => (raw ? raw.close(r) : r()));
  await emu?.stop();
  assert.deepEqual(unhandled, [], "unhandled rejections or uncaught exceptions");
});

// After every hostile case the same instance must still answer a normal call.
afterEach(async () => {
  assert.deepEqual(await client.invoke("native-echo", { still: "alive" }), { still: "alive" });
  assert.deepEqual(unhandled, [], "unhandled rejections or uncaught exceptions");
});

const assertTyped = (err, Class, code, status) => typed(sdk, err, Class, code, status);

const respond = (args, options) => client.invoke("fault-respond", args, options);

describe("empty bodies", () => {
  test("200 application/json with an empty body is an InvalidResponseError", async () => {
    const err = await failure(respond({ status: 200, contentType: "application/json", body: "" }));
    assertTyped(err, sdk.InvalidResponseError, "INVALID_RESPONSE", 200);
    assert.match(err.requestId, /\S+/);
  });
  test("200 text/plain with an empty body is the empty string", async () => {
    assert.equal(await respond({ status: 200, contentType: "text/plain", body: "" }), "");
  });
  test("200 without a content type and no body is an empty Uint8Array", async () => {
    const bytes = await respond({ status: 200 });
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(bytes.length, 0);
  });
  test("204 resolves to undefined", async () => {
    assert.equal(await respond({ status: 204, contentType: "application/json" }), undefined);
  });
  test("205 (Reset Content) has no body either: undefined, not an empty JSON body read as invalid", async () => {
    assert.equal(await respond({ status: 205, contentType: "application/json" }), undefined);
    assert.equal(await respond({ status: 205, contentType: "text/plain" }), undefined);
  });
  test("an empty 500 is an HttpError with an empty body excerpt", async () => {
    const err = await failure(client.invoke("fault-empty500", {}));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 500);
    assert.equal(err.body, "");
    assert.match(err.message, /empty body/);
  });
  test("an empty 404 with application/json is an HttpError, not a contract error", async () => {
    const err = await failure(respond({ status: 404, contentType: "application/json", body: "" }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 404);
  });
});

describe("HTML error pages", () => {
  test("a 502 HTML page is an HttpError with the page as its excerpt", async () => {
    const err = await failure(client.invoke("fault-html502", {}));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 502);
    assert.equal(err.body, "<html><body><h1>502 Bad Gateway</h1></body></html>");
  });
  test("a 200 text/html page resolves to its bytes", async () => {
    const html = "<html><body>hi</body></html>";
    const bytes = await respond({ status: 200, contentType: "text/html", body: html });
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(bytes), html);
  });
  test("a 403 HTML page from a proxy is an HttpError", async () => {
    const err = await failure(respond({ status: 403, contentType: "text/html; charset=utf-8", body: "<h1>Forbidden</h1>" }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 403);
    assert.equal(err.body, "<h1>Forbidden</h1>");
  });
});

describe("truncated or invalid JSON", () => {
  test("a 200 whose JSON is cut off is an InvalidResponseError with a SyntaxError cause", async () => {
    const err = await failure(client.invoke("fault-bad-json", {}));
    assertTyped(err, sdk.InvalidResponseError, "INVALID_RESPONSE", 200);
    assert.ok(err.cause instanceof SyntaxError);
  });
  for (const body of ["{", "nul", "{'a': 1}", "\u0000", "{\"a\":1}}", "{\"a\":1}\u0000", "\uFEFF"]) {
    test(`a 200 application/json body ${JSON.stringify(body)} is an InvalidResponseError`, async () => {
      const err = await failure(respond({ status: 200, contentType: "application/json", body }));
      assertTyped(err, sdk.InvalidResponseError, "INVALID_RESPONSE", 200);
    });
  }
  test("a 404 whose error JSON is cut off is an HttpError keeping the text", async () => {
    const body = '{"code":"FUNCTION_NOT_FOUND","mess';
    const err = await failure(respond({ status: 404, contentType: "application/json", body }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 404);
    assert.equal(err.body, body);
  });
  test("JSON scalars that are valid JSON resolve to the value", async () => {
    // A UTF-8 byte order mark is dropped by the decoder, as fetch's text() does.
    for (const [body, value] of [["null", null], ["42", 42], ['"s"', "s"], ["[1,2]", [1, 2]], ["true", true], ["\uFEFF{}", {}]]) {
      assert.deepEqual(await respond({ status: 200, contentType: "application/json", body }), value);
    }
  });
});

describe("JSON errors missing fields", () => {
  const err404 = (obj, extra = {}) =>
    failure(respond({ status: 404, contentType: "application/json", body: JSON.stringify(obj), ...extra }));

  test("no code: an HttpError whose excerpt is the JSON, requestId from the body", async () => {
    const err = await err404({ message: "m", requestId: "req-body" });
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 404);
    assert.equal(err.body, '{"message":"m","requestId":"req-body"}');
    assert.equal(err.requestId, "req-body");
  });
  for (const code of [42, null, true, { x: 1 }, ["FUNCTION_NOT_FOUND"], ""]) {
    test(`code ${JSON.stringify(code)} (not a non-empty string) is an HttpError`, async () => {
      assertTyped(await err404({ code, message: "m" }), sdk.HttpError, "HTTP_ERROR", 404);
    });
  }
  test("no message: the class still comes from the code and the message names code and status", async () => {
    const err = await err404({ code: "FUNCTION_NOT_FOUND" });
    assertTyped(err, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
    assert.equal(err.message, "FUNCTION_NOT_FOUND (HTTP 404)");
  });
  test("a message that is not a string is replaced the same way", async () => {
    const err = await err404({ code: "FUNCTION_NOT_FOUND", message: { html: "<b>" } });
    assert.equal(err.message, "FUNCTION_NOT_FOUND (HTTP 404)");
  });
  test("no requestId in the body: the X-Request-Id header is used", async () => {
    const err = await err404({ code: "FUNCTION_NOT_FOUND", message: "m" });
    assert.match(err.requestId, /^[0-9a-f-]{36}$/);
  });
  test("a requestId that is not a string: the header is used", async () => {
    const err = await err404({ code: "FUNCTION_NOT_FOUND", message: "m", requestId: 7 });
    assert.match(err.requestId, /^[0-9a-f-]{36}$/);
  });
  test("no requestId anywhere (noRequestId): requestId is undefined", async () => {
    const err = await err404({ code: "FUNCTION_NOT_FOUND", message: "m" }, { noRequestId: true });
    assertTyped(err, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
    assert.equal(err.requestId, undefined);
  });
  test("an error body that is a JSON array, string or number is an HttpError", async () => {
    for (const body of ["[1,2]", '"FUNCTION_NOT_FOUND"', "404", "null"]) {
      const err = await failure(respond({ status: 404, contentType: "application/json", body }));
      assertTyped(err, sdk.HttpError, "HTTP_ERROR", 404);
      assert.equal(err.body, body);
    }
  });
  test("a contract error under a wrong content type is still recognised", async () => {
    const body = JSON.stringify({ code: "FUNCTION_NOT_FOUND", message: "m" });
    for (const contentType of ["text/html", "text/plain", undefined]) {
      const err = await failure(respond({ status: 404, contentType, body }));
      assertTyped(err, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
    }
  });
});

describe("wrong or missing content types on success", () => {
  const json = '{"a":1}';
  const cases = [
    ["application/json; charset=utf-8", { a: 1 }],
    ["APPLICATION/JSON", { a: 1 }],
    ["application/vnd.api+json", { a: 1 }],
    ["text/plain", json],
    ["text/plain; charset=iso-8859-1", json],
    ["text/html", "bytes"],
    ["application/octet-stream", "bytes"],
    ["application/jsonp", "bytes"],
    ["json", "bytes"],
    ["+json", "bytes"],
    [";;;", "bytes"],
    [undefined, "bytes"],
  ];
  for (const [contentType, expected] of cases) {
    test(`content type ${JSON.stringify(contentType)} on a JSON body resolves to ${expected === "bytes" ? "a Uint8Array" : typeof expected}`, async () => {
      const value = await respond({ status: 200, contentType, body: json });
      if (expected === "bytes") {
        assert.ok(value instanceof Uint8Array);
        assert.equal(new TextDecoder().decode(value), json);
      } else {
        assert.deepEqual(value, expected);
      }
    });
  }
  test("a content type with non-ASCII bytes (obs-text) resolves to bytes, without crashing the instance", async () => {
    // Regression for a panic in body_kind: `text/aé1234` sliced inside the `é` and trapped the wasm.
    routes["latin1-ct"] = (req, res) => {
      res.writeHead(200, { "content-type": "text/a\u00e91234" });
      res.end("{}");
    };
    const c = sdk.createClient({ baseUrl: rawUrl, retry: false });
    const value = await c.invoke("latin1-ct", {});
    assert.ok(value instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(value), "{}");
    routes["latin1-json"] = (req, res) => {
      res.writeHead(200, { "content-type": "application/\u00e9+json" });
      res.end('{"ok":true}');
    };
    assert.deepEqual(await c.invoke("latin1-json", {}), { ok: true });
  });
  test("invalid UTF-8 in a text/plain body becomes U+FFFD, not an error", async () => {
    routes["bad-utf8"] = (req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(Buffer.from([0x61, 0xff, 0xfe, 0x62]));
    };
    const c = sdk.createClient({ baseUrl: rawUrl, retry: false });
    assert.equal(await c.invoke("bad-utf8", {}), "a\uFFFD\uFFFDb");
  });
});

describe("bodies of tens of megabytes", () => {
  test("30 MB of JSON resolves to the parsed object", async () => {
    const value = await client.invoke("fault-large", { bytes: BIG, type: "json" });
    assert.equal(typeof value.data, "string");
    assert.equal(value.data.length, BIG - 11);
    assert.ok(/^x+$/.test(value.data.slice(0, 1000)) && value.data.endsWith("x"));
  });
  test("30 MB of text resolves to the string", async () => {
    const value = await client.invoke("fault-large", { bytes: BIG, type: "text" });
    assert.equal(value.length, BIG);
    assert.equal(value[BIG - 1], "x");
  });
  test("30 MB of bytes resolves to a Uint8Array with every byte in place", async () => {
    const value = await client.invoke("fault-large", { bytes: BIG, type: "bytes" });
    assert.ok(value instanceof Uint8Array);
    assert.equal(value.length, BIG);
    for (const i of [0, 255, 256, 12345, BIG - 1]) assert.equal(value[i], i % 256);
  });
  test("a 30 MB error page is an HttpError with a 1 KiB excerpt", async () => {
    const page = "<html>" + "e".repeat(BIG) + "</html>";
    routes["huge-error"] = (req, res) => {
      res.writeHead(500, { "content-type": "text/html", "x-request-id": "huge-1" });
      res.end(page);
    };
    const c = sdk.createClient({ baseUrl: rawUrl, retry: false });
    const err = await failure(c.invoke("huge-error", {}));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 500);
    assert.equal(err.body.length, 1024);
    assert.equal(err.body, page.slice(0, 1024));
    assert.equal(err.requestId, "huge-1");
    assert.ok(err.message.length < 200, "the message does not carry the body");
  });
  test("a 5 MB error body through the emulator is cut to 1 KiB too", async () => {
    const body = "z".repeat(5 * MB);
    const err = await failure(respond({ status: 503, contentType: "text/plain", body }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 503);
    assert.equal(err.body, body.slice(0, 1024));
  });
  test("an excerpt that would split a surrogate pair stays within 1024 UTF-16 units", async () => {
    const body = "x".repeat(1023) + "\u{1F600}" + "tail";
    const err = await failure(respond({ status: 500, contentType: "text/html", body }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 500);
    assert.ok(err.body.length <= 1024, `excerpt of ${err.body.length} units`);
    assert.ok(err.body.startsWith("x".repeat(1023)));
  });
});

describe("missing X-Request-Id", () => {
  test("a success without X-Request-Id resolves, raw.requestId undefined", async () => {
    const full = await respond({ status: 200, contentType: "application/json", body: "{}", noRequestId: true }, { raw: true });
    assert.deepEqual(full.data, {});
    assert.equal(full.requestId, undefined);
    assert.equal(full.headers["x-request-id"], undefined);
  });
  test("an HTML error without X-Request-Id: requestId undefined", async () => {
    const err = await failure(respond({ status: 502, contentType: "text/html", body: "<b>x</b>", noRequestId: true }));
    assertTyped(err, sdk.HttpError, "HTTP_ERROR", 502);
    assert.equal(err.requestId, undefined);
  });
});

describe("connections that break", () => {
  test("a connection dropped mid-body is a NetworkError that keeps the status", async () => {
    const before = await requestCount(emu.url);
    const err = await failure(client.invoke("fault-drop-mid-body", {}));
    assertTyped(err, sdk.NetworkError, "NETWORK_ERROR", 200);
    assert.ok(err.cause, "the underlying error is the cause");
    assert.equal(await requestCount(emu.url), before + 1);
  });
  test("a server that closes after the headers of an error is a NetworkError with that status", async () => {
    routes["drop-error"] = (req, res) => {
      res.writeHead(500, { "content-type": "text/html", "content-length": "1000" });
      res.write("<html>");
      setTimeout(() => res.destroy(), 20);
    };
    const c = sdk.createClient({ baseUrl: rawUrl, retry: false });
    assertTyped(await failure(c.invoke("drop-error", {})), sdk.NetworkError, "NETWORK_ERROR", 500);
  });
  test("many hostile answers at once all settle with typed results", async () => {
    const calls = [];
    for (let i = 0; i < 20; i++) {
      calls.push(client.invoke("fault-drop-mid-body", {}), client.invoke("fault-bad-json", {}), client.invoke("fault-html502", {}),
        client.invoke("fault-drop", {}), client.invoke("native-echo", { i }));
    }
    const settled = await Promise.allSettled(calls);
    const names = settled.map((s) => (s.status === "fulfilled" ? "ok" : s.reason.name));
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(names.slice(i * 5, i * 5 + 5), ["NetworkError", "InvalidResponseError", "HttpError", "NetworkError", "ok"]);
    }
  });
});

// Streamed answers (`stream: true`) and server-sent events (`client.events`) over real HTTP: a
// local server the test drives chunk by chunk (so "unbuffered" is shown by reading a chunk the
// server sent before it sends the next), and the emulator's streaming `ticker` function.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startEmulator } from "./helpers/emulator.mjs";
import { importPackage } from "./helpers/package.mjs";
import { failure, assertTyped } from "./helpers/assert.mjs";

const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

let emu, sdk, server, base;
/** Per request path: the response object, and a promise that resolves when its connection closes. */
const open = new Map();
const waiting = new Map();

/** Resolves with { res, closed } once the server has received a request for `name`. */
function arrival(name) {
  if (open.has(name)) return Promise.resolve(open.get(name));
  return new Promise((resolve) => waiting.set(name, resolve));
}

before(async () => {
  server = createServer((req, res) => {
    const name = req.url.split("/").pop();
    req.resume();
    let closedResolve;
    const entry = { res, closed: new Promise((r) => (closedResolve = r)) };
    res.on("close", closedResolve);
    open.set(name, entry);
    waiting.get(name)?.(entry);
    if (name.startsWith("sse")) res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "x-request-id": `rid-${name}` });
    else if (name.startsWith("json")) res.writeHead(200, { "content-type": "application/json" }).end('{"a":1}');
    else if (name.startsWith("empty")) res.writeHead(204).end();
    else if (name.startsWith("missing")) res.writeHead(404, { "content-type": "application/json" }).end('{"code":"FUNCTION_NOT_FOUND","message":"no","requestId":"r404"}');
    else res.writeHead(200, { "content-type": "application/octet-stream" });
    res.flushHeaders();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
  [emu, sdk] = await Promise.all([startEmulator(["--faults"]), importPackage()]);
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await emu?.stop();
  assert.deepEqual(unhandled, [], "unhandled rejections");
});

const text = (bytes) => new TextDecoder().decode(bytes);
const unique = (prefix) => `${prefix}-${Math.random().toString(36).slice(2)}`;

/** A stream call to a fresh "bytes" route with `timeoutMs`: the server's side and the body's reader. */
async function openStream(timeoutMs) {
  const name = unique("bytes");
  const pending = sdk.createClient({ baseUrl: base, timeoutMs }).invoke(name, {}, { stream: true });
  const { res, closed } = await arrival(name);
  return { res, closed, reader: (await pending).getReader() };
}

test("stream: true resolves at the head and hands each chunk over before the next is sent", async () => {
  const name = unique("bytes");
  const client = sdk.createClient({ baseUrl: base });
  const pending = client.invoke(name, {}, { stream: true });
  const { res, closed } = await arrival(name);
  const stream = await pending; // resolved with nothing of the body sent yet
  assert.ok(stream instanceof ReadableStream);
  const reader = stream.getReader();
  res.write("first ");
  assert.equal(text((await reader.read()).value), "first ");
  res.write("second");
  assert.equal(text((await reader.read()).value), "second");
  res.end();
  assert.deepEqual(await reader.read(), { done: true, value: undefined });
  await closed;
});

test("raw + stream gives the head with the stream as data; a 204 is an empty stream", async () => {
  const client = sdk.createClient({ baseUrl: base });
  const name = unique("sse");
  const pending = client.invoke(name, {}, { stream: true, raw: true });
  const { res } = await arrival(name);
  const raw = await pending;
  assert.equal(raw.status, 200);
  assert.equal(raw.requestId, `rid-${name}`);
  assert.match(raw.headers["content-type"], /text\/event-stream/);
  res.end("data: x\n\n");
  assert.equal(await new Response(raw.data).text(), "data: x\n\n");
  const empty = await client.invoke(unique("empty"), {}, { stream: true });
  assert.deepEqual(await empty.getReader().read(), { done: true, value: undefined });
});

test("an error answer with stream: true is still a typed error", async () => {
  const client = sdk.createClient({ baseUrl: base });
  const err = await failure(client.invoke(unique("missing"), {}, { stream: true }));
  assertTyped(sdk, err, sdk.FunctionNotFoundError, "FUNCTION_NOT_FOUND", 404);
  assert.equal(err.requestId, "r404");
});

test("timeoutMs bounds each wait for a chunk; the connection is closed", async () => {
  const { res, closed, reader } = await openStream(150);
  res.write("a");
  assert.equal(text((await reader.read()).value), "a");
  const err = await failure(reader.read()); // the server now stays silent
  assertTyped(sdk, err, sdk.TimeoutError, "TIMEOUT", 200);
  await closed;
});

test("a pause of the reader longer than timeoutMs is not a timeout", async () => {
  const { res, reader } = await openStream(100);
  res.end("late but there");
  await new Promise((r) => setTimeout(r, 250)); // the reader is busy elsewhere, not waiting
  assert.equal(text((await reader.read()).value), "late but there");
});

test("a pause between two reads longer than timeoutMs is not a timeout either", async () => {
  const { res, reader } = await openStream(100);
  res.write("first");
  assert.equal(text((await reader.read()).value), "first");
  // The reader is busy elsewhere: the idle timer of the first read must have been cleared when its
  // chunk came (a timer set now, longer than timeoutMs, fires after any timer that read set).
  await new Promise((r) => setTimeout(r, 150));
  res.end("second");
  assert.equal(text((await reader.read()).value), "second");
});

test("the signal cancels a stream that is being read; the connection is closed", async () => {
  const name = unique("bytes");
  const controller = new AbortController();
  const client = sdk.createClient({ baseUrl: base });
  const pending = client.invoke(name, {}, { stream: true, signal: controller.signal });
  const { closed } = await arrival(name);
  const reader = (await pending).getReader();
  const read = failure(reader.read());
  const reason = new Error("user left");
  controller.abort(reason);
  const err = await read;
  assertTyped(sdk, err, sdk.AbortError, "ABORTED", 200);
  assert.equal(err.cause, reason);
  await closed;
});

test("events: fields, multi-line data, ids, comments, CRLF and a CR/LF split across chunks", async () => {
  const name = unique("sse");
  const client = sdk.createClient({ baseUrl: base });
  const events = client.events(name, {});
  const first = events.next(); // the call is sent when iteration starts
  const { res } = await arrival(name);
  res.write(": keep-alive\n\nevent: tick\nid: 1\ndata: {\"i\":1}\n\n");
  assert.deepEqual((await first).value, { event: "tick", data: '{"i":1}', id: "1" });
  res.write("data: line one\r\ndata:line two\r");
  res.write("\n\r\n");
  assert.deepEqual((await events.next()).value, { event: "message", data: "line one\nline two", id: "1" });
  res.write("id: 7\nevent: done\ndata\n\ndata: dropped at the end");
  assert.deepEqual((await events.next()).value, { event: "done", data: "", id: "7" });
  res.end();
  assert.deepEqual(await events.next(), { done: true, value: undefined });
});

test("events: leaving the loop early closes the connection", async () => {
  const name = unique("sse");
  const client = sdk.createClient({ baseUrl: base });
  const pending = (async () => {
    for await (const event of client.events(name)) return event;
  })();
  const { res, closed } = await arrival(name);
  res.write("data: only\n\n");
  assert.deepEqual(await pending, { event: "message", data: "only", id: "" });
  await closed;
});

test("events on an answer that is not text/event-stream is an InvalidResponseError", async () => {
  const client = sdk.createClient({ baseUrl: base });
  const err = await failure(client.events(unique("json")).next());
  assertTyped(sdk, err, sdk.InvalidResponseError, "INVALID_RESPONSE", 200);
  assert.match(err.message, /application\/json, not text\/event-stream/);
});

test("events from the emulator's ticker function, and its error event", async () => {
  const client = sdk.createClient({ baseUrl: emu.url });
  const seen = [];
  for await (const e of client.events("ticker", { count: 3, everyMs: 1 })) seen.push(e);
  assert.deepEqual(seen.map((e) => [e.event, e.id, JSON.parse(e.data).i]), [["tick", "0", 0], ["tick", "1", 1], ["tick", "2", 2]]);
  const failed = [];
  for await (const e of client.events("ticker", { count: 3, everyMs: 1, failAt: 1 })) failed.push(e);
  assert.deepEqual(failed.map((e) => e.event), ["tick", "error"]);
  assert.equal(JSON.parse(failed[1].data).code, "FUNCTION_INVOCATION_FAILED");
});

test("events: the idle timeout against the emulator's ticker that stalls", async () => {
  const client = sdk.createClient({ baseUrl: emu.url, timeoutMs: 300 });
  const seen = [];
  const err = await failure((async () => {
    for await (const e of client.events("ticker", { count: 5, everyMs: 1, stallAfter: 2 })) seen.push(e.id);
  })());
  assertTyped(sdk, err, sdk.TimeoutError, "TIMEOUT", 200);
  assert.deepEqual(seen, ["0", "1"]);
});

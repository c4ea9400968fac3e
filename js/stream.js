// Streamed answers: the body of a 2xx handed over as it arrives (`stream: true`), and server-sent
// events read from it (`client.events`). `timeoutMs` is the longest wait for the next chunk while
// the reader waits; the caller's signal cancels the stream. Every failure is a typed error from
// the core's descriptors, like those of a whole call.
import { binding } from "./binding.js";
import { raise } from "./raise.js";
import { NETWORK, TIMEOUT, ABORTED, NO_RETRY_POLICY } from "./attempt.js"; // once the head is taken, nothing is retried

/**
 * `response.body` as a ReadableStream that errors with TimeoutError after `timeoutMs` without a
 * chunk while it is being read, AbortError when `signal` aborts, NetworkError when the body breaks.
 * `abort` stops the transport when the stream ends early.
 */
export function bodyStream(response, call, status, requestId, abort) {
  const { signal, timeoutMs } = call;
  const body = response.body;
  if (body === null || body === undefined) return new ReadableStream({ start: (c) => c.close() });
  const reader = body.getReader();
  const fail = (kind, cause) =>
    raise(binding.core.transportFailed(kind, call.url, timeoutMs, status, requestId, typeof document !== "undefined", 0, ...NO_RETRY_POLICY, 0), cause);
  let output, timer, ended = false;
  const end = () => {
    ended = true;
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  };
  const stop = (error) => {
    if (ended) return;
    end();
    output.error(error);
    reader.cancel(error).catch(() => {});
    abort();
  };
  const onAbort = () => stop(fail(ABORTED, signal.reason));
  try {
    signal?.addEventListener("abort", onAbort);
  } catch (e) {
    reader.cancel().catch(() => {}); // a signal-like that throws: the body is not left open
    abort();
    throw e;
  }
  return new ReadableStream(
    {
      start(controller) {
        output = controller;
      },
      pull(controller) {
        // The idle timer runs only while a reader waits: a consumer that pauses is not timed out.
        if (timeoutMs > 0) timer = setTimeout(() => stop(fail(TIMEOUT)), timeoutMs);
        return reader.read().then(
          ({ done, value }) => {
            clearTimeout(timer);
            if (ended) return;
            if (done) {
              end();
              controller.close();
            } else controller.enqueue(value);
          },
          (e) => stop(fail(NETWORK, e)),
        );
      },
      cancel(reason) {
        end();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The server-sent events of `stream` as `{ event, data, id }`, decoded as the HTML standard says
 * (event type "message" by default, `data` lines joined by "\n", the last `id` kept, comments and
 * unknown fields ignored, an event left unterminated at the end dropped). Leaving the loop early
 * cancels the stream.
 */
export async function* readEvents(stream) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const parse = eventParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const events = parse(done ? decoder.decode() : decoder.decode(value, { stream: true }), done);
      for (const event of events) yield event;
      if (done) return;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** A parser fed text as it arrives; each call returns the events completed by that text. */
export function eventParser() {
  let rest = "", data = "", type = "", lastId = "";
  const line = (text, out) => {
    if (text === "") {
      if (data !== "") out.push({ event: type || "message", data: data.slice(0, -1), id: lastId });
      data = type = "";
      return;
    }
    const colon = text.indexOf(":");
    if (colon === 0) return; // a comment (keep-alive)
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") data += value + "\n";
    else if (field === "event") type = value;
    else if (field === "id" && !value.includes("\0")) lastId = value;
  };
  return (text, last) => {
    const buffer = rest + text;
    const out = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i + 1 === buffer.length && !last) break; // its LF may come in the next chunk
      line(buffer.slice(start, i), out);
      if (c === 13 && buffer.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    rest = buffer.slice(start);
    return out;
  };
}

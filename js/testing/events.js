// A handler that returns an async iterable (an `async function*`) answers with server-sent
// events, as the emulator streams such a function (emulator/src/sse.rs, emulator/runtime/host.js):
// each item is written as it is produced; a string is one event's data, an object with `data` gives
// `event`, `id`, `retry` and `data` (JSON unless a string); a throw after the first event ends the
// stream with `event: error` carrying the gateway's error JSON; a cancelled stream calls the
// iterator's return().

/** The text of one event for `item`. */
export function eventText(item) {
  let text = "";
  let data = item;
  if (item !== null && typeof item === "object" && "data" in item) {
    if (item.event != null) text += `event: ${item.event}\n`;
    if (item.id != null) text += `id: ${item.id}\n`;
    if (item.retry != null) text += `retry: ${item.retry}\n`;
    data = item.data;
  }
  if (typeof data !== "string") data = JSON.stringify(data) ?? "null";
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

export const isEventSource = (value) => value !== null && typeof value === "object" && typeof value[Symbol.asyncIterator] === "function";

/** A body stream of `iterable`'s events; `failed(message)` is the error JSON for a throw. */
export function eventStream(iterable, signal, failed) {
  const iterator = iterable[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    signal?.removeEventListener("abort", onAbort);
    Promise.resolve(iterator.return?.()).catch(() => {});
  };
  let output;
  const onAbort = () => {
    output.error(signal.reason);
    finish();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  return new ReadableStream({
    start(controller) {
      output = controller;
    },
    async pull(controller) {
      try {
        const { value, done: end } = await iterator.next();
        if (done) return;
        if (end) {
          finish();
          controller.close();
        } else controller.enqueue(encoder.encode(eventText(value)));
      } catch (e) {
        if (done) return;
        controller.enqueue(encoder.encode(`event: error\ndata: ${failed(e)}\n\n`));
        done = true;
        signal?.removeEventListener("abort", onAbort);
        controller.close();
      }
    },
    cancel: finish,
  });
}

// A handler that returns an async iterable (an `async function*`) answers with server-sent
// events, as the emulator streams such a function (emulator/src/sse.rs, emulator/runtime/host.js):
// each item is written as it is produced; a string is one event's data, an object with `data` gives
// `event`, `id`, `retry` and `data` (JSON unless a string). As there, the head goes out with the
// first event (gateway.js `Reply.stream` waits for it): a throw before it is the ordinary JSON
// error answer and no item at all an empty 200; a throw after it ends the stream with
// `event: error` carrying the gateway's error JSON; a cancelled stream calls the iterator's return().

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

/** Calls `iterator.return()` (an async generator's finally blocks), ignoring what it throws; resolves when done. */
export const closeIterator = (iterator) =>
  Promise.resolve()
    .then(() => iterator.return?.())
    .catch(() => {});

/**
 * The body stream of an iterator whose first item (`first`, its event's text) has been taken
 * already: the head goes out with it. `failed(error)` is the error JSON for a later throw.
 */
export function eventStream(iterator, first, signal, failed) {
  const encoder = new TextEncoder();
  let done = false;
  const stop = () => {
    done = true;
    signal?.removeEventListener("abort", onAbort);
  };
  const finish = () => {
    if (done) return;
    stop();
    closeIterator(iterator);
  };
  let output;
  const onAbort = () => {
    output.error(signal.reason);
    finish();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const fail = (controller, e) => {
    controller.enqueue(encoder.encode(`event: error\ndata: ${failed(e)}\n\n`));
    stop();
    controller.close();
  };
  return new ReadableStream({
    start(controller) {
      output = controller;
      controller.enqueue(encoder.encode(first));
    },
    async pull(controller) {
      let item;
      try {
        const { value, done: end } = await iterator.next();
        if (done) return;
        if (end) {
          stop();
          controller.close();
          return;
        }
        item = value;
      } catch (e) {
        // The iterator failed, so it is finished (as in for await, return() is not called).
        if (!done) fail(controller, e);
        return;
      }
      let text;
      try {
        text = eventText(item);
      } catch (e) {
        // A bad item: let the function clean up (its finally blocks), then report it.
        stop();
        await closeIterator(iterator);
        fail(controller, e);
        return;
      }
      controller.enqueue(encoder.encode(text));
    },
    cancel: finish,
  });
}

// The calls every browser app (app.js, the Next.js client component) and the worker
// (../../worker/worker.js) make alike; their tests copy this file next to each. `sdk` is the
// package as the app imported it.

/** A call to a function that does not exist, and what its error says. */
export async function notFound(client, { FunctionNotFoundError, CloudBaseError }) {
  try {
    await client.invoke("no-such-function", {});
    return "resolved";
  } catch (e) {
    return {
      typed: e instanceof FunctionNotFoundError,
      base: e instanceof CloudBaseError,
      name: e.name,
      code: e.code,
      status: e.status,
      requestId: e.requestId,
    };
  }
}

/** Streaming and hooks: the emulator's `ticker` streams server-sent events. */
export async function streaming(client, { TimeoutError }) {
  const out = {};
  out.events = [];
  for await (const e of client.events("ticker", { count: 3, everyMs: 5 })) out.events.push([e.event, e.id, JSON.parse(e.data).i]);
  const stream = await client.invoke("ticker", { count: 1, everyMs: 1 }, { stream: true });
  out.streamIsReadable = stream instanceof ReadableStream;
  out.streamText = await new Response(stream).text();
  const seen = [];
  try {
    for await (const e of client.events("ticker", { count: 5, everyMs: 1, stallAfter: 1 }, { timeoutMs: 300 })) seen.push(e.id);
    out.idle = "resolved";
  } catch (e) {
    out.idle = { typed: e instanceof TimeoutError, code: e.code, seen };
  }
  const hooked = [];
  const headers = await client.invoke("fault-headers", {}, {
    hooks: {
      beforeRequest: (r) => (r.headers.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
      afterResponse: (r) => hooked.push(r.status),
    },
  });
  out.hooks = { traceparent: headers.traceparent, statuses: hooked };
  return out;
}

// A Cloudflare module worker that uses the package as an app would; workerd.test.mjs bundles it
// with Wrangler's conditions and runs it in workerd (Miniflare). EMULATOR_URL is a binding.
import { createClient, FunctionNotFoundError, CloudBaseError, TimeoutError } from "cloudbase-fn";

export default {
  async fetch(request, env) {
    try {
      return await calls(env);
    } catch (e) {
      return new Response(`${e.stack}\ncause: ${e.cause}`, { status: 500 }); // the test prints it
    }
  },
};

async function calls(env) {
  const client = createClient({ baseUrl: env.EMULATOR_URL });
  const out = { hasWindow: typeof window !== "undefined" };
  out.echo = await client.invoke("echo", { text: "héllo ✓" });
  out.hello = await client.invoke("hello", {});
  const bytes = await client.invoke("fault-bytes", {});
  out.bytes = { isUint8Array: bytes instanceof Uint8Array, length: bytes.length };
  try {
    await client.invoke("no-such-function", {});
    out.notFound = "resolved";
  } catch (e) {
    out.notFound = {
      typed: e instanceof FunctionNotFoundError,
      base: e instanceof CloudBaseError,
      name: e.name,
      code: e.code,
      status: e.status,
      requestId: e.requestId,
    };
  }
  try {
    await client.invoke("slow", { ms: 3000 }, { timeoutMs: 200, retry: false });
    out.timeout = "resolved";
  } catch (e) {
    out.timeout = { typed: e instanceof TimeoutError, code: e.code };
  }
  out.streaming = await streaming(client, TimeoutError);
  return Response.json(out);
}

/** Streaming and hooks, the same in every runtime: the emulator's `ticker` streams server-sent events. */
async function streaming(client, TimeoutError) {
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

// What the Node route, the edge route and the middleware each do with the package, as JSON:
// a few calls to the emulator named by `?emulator=URL`, and the typed errors they get.
import { createClient, FunctionNotFoundError, TimeoutError } from "cloudbase-fn";

export async function serverCalls(request) {
  const client = createClient({ baseUrl: new URL(request.url).searchParams.get("emulator") });
  const out = { runtime: typeof EdgeRuntime === "string" ? "edge" : "nodejs" };
  try {
    out.echo = await client.invoke("echo", { text: "héllo ✓" });
    out.hello = await client.invoke("hello", {});
    try {
      await client.invoke("no-such-function", {});
    } catch (e) {
      out.notFound = { typed: e instanceof FunctionNotFoundError, code: e.code, requestId: e.requestId };
    }
    try {
      await client.invoke("slow", { ms: 3000 }, { timeoutMs: 200, retry: false });
    } catch (e) {
      out.timeout = { typed: e instanceof TimeoutError, code: e.code };
    }
    out.events = [];
    for await (const e of client.events("ticker", { count: 2, everyMs: 1 })) out.events.push(`${e.event} ${e.id} ${e.data}`);
  } catch (e) {
    out.failed = String((e && e.stack) || e) + (e && e.cause ? `\ncause: ${e.cause}` : "");
  }
  return Response.json(out);
}

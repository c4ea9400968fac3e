// A Cloudflare module worker that uses the package as an app would; workerd.test.mjs bundles it
// with Wrangler's conditions and runs it in workerd (Miniflare), and the packaging suite builds it
// with Wrangler itself as tests/packaging/wrangler/src/index.js. EMULATOR_URL is a binding.
import * as sdk from "cloudbase-fn";
import { notFound, streaming } from "./shared.js"; // ../apps/site/shared.js, copied next to this file by the tests

const { createClient, TimeoutError } = sdk;

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
  out.notFound = await notFound(client, sdk);
  try {
    await client.invoke("slow", { ms: 3000 }, { timeoutMs: 200, retry: false });
    out.timeout = "resolved";
  } catch (e) {
    out.timeout = { typed: e instanceof TimeoutError, code: e.code };
  }
  out.streaming = await streaming(client, sdk);
  return Response.json(out);
}


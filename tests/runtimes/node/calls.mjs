// Run by node.test.mjs from inside the consumer project (ES modules): a few calls, including one
// that times out, then nothing: the process must exit by itself.
import { createClient, FunctionNotFoundError, TimeoutError } from "cloudbase-fn";

const client = createClient({ baseUrl: process.env.EMULATOR_URL });
const out = { entry: import.meta.resolve("cloudbase-fn").split("/").pop() };
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
console.log(JSON.stringify(out));

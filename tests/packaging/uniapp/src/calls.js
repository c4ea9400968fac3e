// The calls a page makes, with the package's mini-program entry (WXWebAssembly and wx.request).
import { createClient, FunctionNotFoundError, CloudBaseError, TimeoutError } from "cloudbase-fn/miniprogram";

export async function calls(baseUrl) {
  const client = createClient({ baseUrl });
  const out = {};
  out.echo = await client.invoke("echo", { text: "héllo ✓" });
  out.hello = await client.invoke("hello", {});
  try {
    await client.invoke("no-such-function", {});
    out.notFound = "resolved";
  } catch (e) {
    out.notFound = { typed: e instanceof FunctionNotFoundError, base: e instanceof CloudBaseError, code: e.code, requestId: e.requestId };
  }
  try {
    await client.invoke("slow", { ms: 3000 }, { timeoutMs: 200, retry: false });
    out.timeout = "resolved";
  } catch (e) {
    out.timeout = { typed: e instanceof TimeoutError, code: e.code };
  }
  return out;
}

// A page as a user writes it after 构建 npm: require the package by name, no setWasmPath. The
// emulator's URL arrives as the page's query; the outcome goes to the page's data.
const { createClient, FunctionNotFoundError, CloudBaseError, TimeoutError } = require("cloudbase-fn");

Page({
  data: { result: null },
  async onLoad(query) {
    const client = createClient({ baseUrl: decodeURIComponent(query.emulator) });
    const out = {};
    try {
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
    } catch (e) {
      out.failed = String((e && e.stack) || e) + (e && e.cause ? "\ncause: " + e.cause : "");
    }
    this.setData({ result: out });
  },
});
